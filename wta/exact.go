package wta

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// ErrTooLarge is returned by Exact when the instance's state space exceeds its limit.
var ErrTooLarge = errors.New("wta: instance too large for the exact method")

// exactLimit bounds the work of Exact: Π_i (Units_i+1)(Units_i+2)/2 transitions per target.
const exactLimit = 20_000_000

// Exact returns an optimal assignment and its objective by dynamic programming over targets
// (the resource-allocation recursion of den Broeder et al. 1959, generalised to several
// weapon types): with r the vector of units still free, f_j(r) = min over a ≤ r of
// V_j Π_i (1−p_ij)^a_i + f_{j+1}(r − a). The work is T · Π_i (Units_i+1)(Units_i+2)/2, so it is
// meant for small instances (a handful of types, a few units each, any number of targets); it
// returns ErrTooLarge beyond 2·10⁷ transitions per target. Ties go to the assignment that
// gives fewer units to lower-numbered targets.
func Exact(ctx context.Context, p *Problem) ([][]int, float64, error) {
	if err := p.Validate(); err != nil {
		return nil, 0, err
	}
	// States: mixed-radix encoding of r, radix Units_i+1.
	states, work := 1, 1.0
	radix := make([]int, p.W)
	for i, u := range p.Units {
		radix[i] = u + 1
		states *= u + 1
		work *= float64(u+1) * float64(u+2) / 2
		if work > exactLimit || states > exactLimit {
			return nil, 0, fmt.Errorf("%w: %d weapon types with %v units", ErrTooLarge, p.W, p.Units)
		}
	}
	// f[j][s]: optimum of targets j.. with free units s; choice[j][s]: the encoded a.
	f := make([][]float64, p.T+1)
	choice := make([][]int32, p.T)
	f[p.T] = make([]float64, states)
	digits := func(s int, d []int) {
		for i := range d {
			d[i] = s % radix[i]
			s /= radix[i]
		}
	}
	rd := make([]int, p.W)
	ad := make([]int, p.W)
	for j := p.T - 1; j >= 0; j-- {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		f[j] = make([]float64, states)
		choice[j] = make([]int32, states)
		lq := make([]float64, p.W)
		certain := make([]bool, p.W)
		for i := range lq {
			if p.P[i][j] >= 1 {
				certain[i] = true
			} else {
				lq[i] = math.Log1p(-p.P[i][j])
			}
		}
		for s := 0; s < states; s++ {
			digits(s, rd)
			best, bestA := math.Inf(1), 0
			// Enumerate a ≤ r in mixed radix.
			clear(ad)
			for {
				a, stride, logS, dead := 0, 1, 0.0, false
				for i := range ad {
					a += ad[i] * stride
					stride *= radix[i]
					if ad[i] > 0 {
						if certain[i] {
							dead = true
						} else {
							logS += float64(ad[i]) * lq[i]
						}
					}
				}
				v := 0.0
				if !dead {
					v = p.V[j] * math.Exp(logS)
				}
				if c := v + f[j+1][s-a]; c < best {
					best, bestA = c, a
				}
				k := 0
				for k < p.W && ad[k] == rd[k] {
					ad[k] = 0
					k++
				}
				if k == p.W {
					break
				}
				ad[k]++
			}
			f[j][s], choice[j][s] = best, int32(bestA)
		}
	}
	x := make([][]int, p.W)
	for i := range x {
		x[i] = make([]int, p.T)
	}
	s := states - 1
	for j := 0; j < p.T; j++ {
		a := int(choice[j][s])
		digits(a, ad)
		for i := range ad {
			x[i][j] = ad[i]
		}
		s -= a
	}
	obj, err := Objective(p, x)
	if err != nil {
		return nil, 0, err
	}
	return x, obj, nil
}
