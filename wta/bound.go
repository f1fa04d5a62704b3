package wta

import (
	"context"
	"math"
	"slices"
	"time"
)

// LowerBound returns a proven lower bound on the optimum of p from at most iterations steps
// (default 200) of the Lagrangian dual described on bounder, using upper (a known objective
// value, e.g. from Solve or Greedy; ≤ 0 means "use Greedy") as the Polyak target. It stops
// early when ctx is done; the bound returned is valid whenever it stops.
func LowerBound(ctx context.Context, p *Problem, upper float64, iterations int) (float64, error) {
	if err := p.Validate(); err != nil {
		return 0, err
	}
	if upper <= 0 {
		var err error
		if upper, err = Objective(p, Greedy(p)); err != nil {
			return 0, err
		}
	}
	if iterations <= 0 {
		iterations = 200
	}
	b := newBounder(p)
	return b.run(upper, iterations, time.Time{}, ctx), nil
}

// bounder computes the Lagrangian bound (Fisher 1981, "The Lagrangian relaxation method for
// solving integer programming problems", Management Science 27(1); for the WTA see Andersen,
// Pavlikov and Toffolo 2022, section 4). The capacity constraints Σ_j x_ij ≤ Units_i are
// dualised with multipliers λ_i ≥ 0:
//
//	L(λ) = Σ_j h_j(λ) − Σ_i λ_i Units_i,
//	h_j(λ) = min { V_j Π_i (1−p_ij)^x_i + Σ_i λ_i x_i : x_i ∈ {0, …, Units_i} integer }.
//
// Every L(λ) is a lower bound on the optimum (weak duality). Because each h_j keeps the
// integrality and the bounds x_ij ≤ Units_i, max_λ L(λ) is at least the optimum of the convex
// relaxation min Σ_j V_j exp(Σ_i x_ij ln(1−p_ij)) over real x ≥ 0, and much stronger when
// Units_i = 1. Each h_j is solved exactly by a depth-first branch and bound whose bound is the
// continuous relaxation of the rest (a convex one-dimensional problem in the kill mass
// y = Σ_i a_i x_i, a_i = −ln(1−p_ij), whose cheapest cost is piecewise linear); when a target
// exceeds its node limit, the continuous bound at its root is used instead, which keeps L
// valid. λ is improved by the subgradient method with Polyak steps towards the incumbent.
type bounder struct {
	p      *Problem
	a      [][]float64 // a[i][j] = −ln(1−p_ij) (+Inf when p_ij = 1)
	lam    []float64
	best   float64
	g      []float64
	items  []item
	chosen []int
	bestX  []int
	nodes  int
	// theta is the subgradient step factor θ, carried from one run to the next (1 at first).
	theta float64

	// With record set, eval lists each target's minimiser x_j(λ) in sol, and run keeps the
	// one of the best L(λ) in bestSol: the Lagrangian solution that repair turns into a
	// feasible assignment.
	record  bool
	sol     []pick
	bestSol []pick
	// onSol, when set (with record), is called with every x(λ) evaluated by run.
	onSol func(sol []pick, L float64)
}

// pick is N units of weapon type I on target J in a Lagrangian solution.
type pick struct{ J, I, N int32 }

type item struct {
	i     int
	a, c  float64 // kill mass per unit and multiplier
	ratio float64 // c / a
	m     int     // units
}

const nodeLimit = 20000

// halveAfter is the number of subgradient steps without a better L(λ) after which the step
// factor θ is halved (Held, Wolfe and Crowder 1974 halve it after a fixed count). 50 rather
// than the more usual 10–20: on the shared mu = 2 instances, 1000 steps from the best
// objective reach 0.26 % (50×100×2) and 0.19 % (100×200×2) below it with 50, 2.3 % and
// 0.84 % with 10, which converges before the multipliers are good.
const halveAfter = 50

func newBounder(p *Problem) *bounder {
	b := &bounder{p: p, a: make([][]float64, p.W), lam: make([]float64, p.W), g: make([]float64, p.W), best: math.Inf(-1), theta: 1}
	for i := range p.P {
		b.a[i] = make([]float64, p.T)
		for j, q := range p.P[i] {
			if q >= 1 {
				b.a[i][j] = math.Inf(1)
			} else {
				b.a[i][j] = -math.Log1p(-q)
			}
		}
	}
	return b
}

// warmStart sets λ_i to the largest reduction one more unit of type i would bring to the
// incumbent, max_j V_j S_j p_ij: the price of a unit at the margin. (The smallest loss from
// removing a unit is an upper estimate of the same price; from it the subgradient method
// needs several times more steps.)
func (b *bounder) warmStart(s *search) {
	for i := range b.lam {
		gain := 0.0
		for j, v := range s.val {
			gain = max(gain, v*s.pk[i][j])
		}
		b.lam[i] = gain
	}
}

// eval returns L(λ) and fills b.g with the subgradient Σ_j x_ij(λ) − Units_i.
func (b *bounder) eval(lam []float64) float64 {
	p := b.p
	for i := range b.g {
		b.g[i] = -float64(p.Units[i])
	}
	total := 0.0
	for i, l := range lam {
		total -= l * float64(p.Units[i])
	}
	b.sol = b.sol[:0]
	for j := 0; j < p.T; j++ {
		V := p.V[j]
		b.items = b.items[:0]
		kill, killI := math.Inf(1), -1 // cheapest unit with p = 1
		for i := 0; i < p.W; i++ {
			m := p.Units[i]
			if m == 0 {
				continue
			}
			pij := p.P[i][j]
			if pij <= 0 || lam[i] >= V*pij {
				continue // cannot pay for itself even on an untouched target
			}
			if pij >= 1 {
				if lam[i] < kill {
					kill, killI = lam[i], i
				}
				continue
			}
			a := b.a[i][j]
			b.items = append(b.items, item{i: i, a: a, c: lam[i], ratio: lam[i] / a, m: m})
		}
		slices.SortFunc(b.items, func(x, y item) int {
			switch {
			case x.ratio < y.ratio:
				return -1
			case x.ratio > y.ratio:
				return 1
			}
			return x.i - y.i
		})
		h := b.target(V)
		if kill < h {
			h = kill
			b.g[killI]++
			if b.record {
				b.sol = append(b.sol, pick{int32(j), int32(killI), 1})
			}
		} else {
			for k, n := range b.bestX {
				if n > 0 {
					b.g[b.items[k].i] += float64(n)
					if b.record {
						b.sol = append(b.sol, pick{int32(j), int32(b.items[k].i), int32(n)})
					}
				}
			}
		}
		total += h
	}
	return total
}

// target solves h_j for the sorted b.items; the minimiser's counts go to b.bestX.
func (b *bounder) target(V float64) float64 {
	n := len(b.items)
	if cap(b.chosen) < n {
		b.chosen = make([]int, n)
		b.bestX = make([]int, n)
	}
	b.chosen = b.chosen[:n]
	b.bestX = b.bestX[:n]
	clear(b.chosen)
	clear(b.bestX)
	inc := V // nothing assigned
	b.nodes = 0
	root := b.relax(V, 0, 0, 0)
	if root >= inc {
		return inc
	}
	var dfs func(k int, y, c float64)
	dfs = func(k int, y, c float64) {
		b.nodes++
		if f := V*math.Exp(-y) + c; f < inc {
			inc = f
			copy(b.bestX, b.chosen)
		}
		if k >= n || b.nodes > nodeLimit {
			return
		}
		if b.relax(V, k, y, c) >= inc*(1-1e-15) {
			return
		}
		it := b.items[k]
		s := V * math.Exp(-y)
		// Copies whose marginal benefit exceeds their price: s(1−p)^(x−1)p > c.
		maxX := 0
		for x, benefit := 1, s*(-math.Expm1(-it.a)); x <= it.m && benefit > it.c; x++ {
			maxX = x
			benefit *= math.Exp(-it.a)
		}
		for x := maxX; x >= 0; x-- {
			b.chosen[k] = x
			dfs(k+1, y+float64(x)*it.a, c+float64(x)*it.c)
		}
		b.chosen[k] = 0
	}
	dfs(0, 0, 0)
	if b.nodes > nodeLimit {
		return min(root, inc) // the root relaxation is a valid bound on h_j
	}
	return inc
}

// relax is the continuous relaxation of items[k:] given kill mass y and cost c already spent:
// min over Y ≥ 0 of V e^{−(y+Y)} + c + C(Y), C the cheapest fractional cost of mass Y.
func (b *bounder) relax(V float64, k int, y, c float64) float64 {
	Y, C := 0.0, 0.0
	for _, it := range b.items[k:] {
		s := V * math.Exp(-(y + Y))
		if s <= it.ratio {
			break
		}
		capY := float64(it.m) * it.a
		if it.ratio > 0 {
			if stop := math.Log(V/it.ratio) - y; stop <= Y+capY {
				C += it.ratio * (stop - Y)
				Y = stop
				break
			}
		}
		C += it.c * float64(it.m)
		Y += capY
	}
	return V*math.Exp(-(y+Y)) + c + C
}

// run performs subgradient steps until iterations (if > 0), the deadline (if set) or ctx
// stops it, and returns the best bound seen.
func (b *bounder) run(upper float64, iterations int, deadline time.Time, ctx context.Context) float64 {
	theta := b.theta
	sinceBest := 0
	runBest := math.Inf(-1)
	lam := b.lam
	for it := 0; iterations <= 0 || it < iterations; it++ {
		if ctx != nil && ctx.Err() != nil {
			break
		}
		if !deadline.IsZero() && !time.Now().Before(deadline) {
			break
		}
		L := b.eval(lam)
		if L > b.best {
			b.best = L
			if b.record {
				b.bestSol = append(b.bestSol[:0], b.sol...)
			}
		}
		// θ halves after halveAfter steps without progress in this run (a later run, which
		// may start from other multipliers, is not held to an earlier run's best).
		if L > runBest {
			runBest = L
			sinceBest = 0
		} else if sinceBest++; sinceBest >= halveAfter {
			theta /= 2
			sinceBest = 0
		}
		if b.onSol != nil {
			b.onSol(b.sol, L)
		}
		norm := 0.0
		for i, g := range b.g {
			if lam[i] > 0 || g > 0 {
				norm += g * g
			}
		}
		if norm == 0 || theta < 1e-6 || upper-b.best <= 1e-12*upper {
			break
		}
		b.theta = theta
		step := theta * max(upper-L, 1e-9*upper) / norm
		for i, g := range b.g {
			lam[i] = max(0, lam[i]+step*g)
		}
	}
	return max(b.best, 0)
}
