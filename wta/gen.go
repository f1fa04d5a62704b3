package wta

import (
	"fmt"
	"math/rand/v2"
)

// Instance-generation schemes.
const (
	// SchemeSquare is the scheme of Ahuja et al. (2007) and earlier work: W = T,
	// V_j ~ U[25, 100], p_ij ~ U[0.6, 0.9].
	SchemeSquare = "square"
	// SchemeAndersen is the scheme of Andersen, Pavlikov and Toffolo (2022), used for the
	// published benchmark: usually T = 2W, V_j ~ uniform integer in [1, 100], p_ij ~ U(0, 1).
	SchemeAndersen = "andersen"
)

// Generate returns a random instance with w weapon types, t targets (t ≤ 0 picks the
// scheme's default: w for square, 2w for andersen) and mu units per type, drawn from a PCG
// stream seeded with seed. The same arguments always give the same instance.
func Generate(scheme string, w, t, mu int, seed uint64) (*Problem, error) {
	if w < 1 || mu < 0 {
		return nil, fmt.Errorf("wta: generate: need w ≥ 1 and mu ≥ 0, have w=%d mu=%d", w, mu)
	}
	if t <= 0 {
		switch scheme {
		case SchemeSquare:
			t = w
		default:
			t = 2 * w
		}
	}
	if w*t > maxCells || w > maxCells || t > maxCells || mu > maxUnits {
		return nil, fmt.Errorf("wta: generate: %d×%d with mu=%d exceeds the size limits", w, t, mu)
	}
	rng := rand.New(rand.NewPCG(seed, 0x5851f42d4c957f2d))
	p := &Problem{W: w, T: t, Units: make([]int, w), V: make([]float64, t), P: make([][]float64, w)}
	for i := range p.Units {
		p.Units[i] = mu
	}
	switch scheme {
	case SchemeSquare:
		for j := range p.V {
			p.V[j] = 25 + 75*rng.Float64()
		}
		for i := range p.P {
			p.P[i] = make([]float64, t)
			for j := range p.P[i] {
				p.P[i][j] = 0.6 + 0.3*rng.Float64()
			}
		}
	case SchemeAndersen:
		for j := range p.V {
			p.V[j] = float64(1 + rng.IntN(100))
		}
		for i := range p.P {
			p.P[i] = make([]float64, t)
			for j := range p.P[i] {
				// U(0, 1): exclude 0.
				v := rng.Float64()
				for v == 0 {
					v = rng.Float64()
				}
				p.P[i][j] = v
			}
		}
	default:
		return nil, fmt.Errorf("wta: generate: unknown scheme %q, want %q or %q", scheme, SchemeSquare, SchemeAndersen)
	}
	return p, nil
}
