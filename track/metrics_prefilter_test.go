package track

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/adsim/adsim/lap"
)

// refEdges is match's pair-by-pair edge list without the x prefilter: every pair closer
// than C, in truth then track order, with its cost.
func refEdges(m *Metric, truths, tracks [][3]float64) []lap.Edge {
	var out []lap.Edge
	c2, cp := m.C*m.C, m.powC()
	for i, p := range truths {
		for j, q := range tracks {
			dx, dy, dz := p[0]-q[0], p[1]-q[1], p[2]-q[2]
			if d2 := dx*dx + dy*dy + dz*dz; d2 < c2 {
				out = append(out, lap.Edge{Row: int32(i), Col: int32(j), Cost: m.pow(math.Sqrt(d2)) - cp})
			}
		}
	}
	return out
}

// TestMatchPrefilterKeepsEdges: match's x prefilter must leave exactly the edges (pairs,
// order and costs) of the plain pair-by-pair test, also for pairs at C in x or in all,
// and for infinite and NaN coordinates.
func TestMatchPrefilterKeepsEdges(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for _, tc := range []struct {
		name       string
		span, c, p float64
	}{
		{"sparse", 50000, 1000, 1},
		{"dense", 3000, 1000, 1},
		{"order 2", 3000, 1000, 2},
		{"on the cut-off", 0, 1000, 1}, // every offset is ±C or 0 along each axis
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := Metric{C: tc.c, P: tc.p}
			for trial := 0; trial < 200; trial++ {
				pts := func(n int) [][3]float64 {
					o := make([][3]float64, n)
					for i := range o {
						for a := range o[i] {
							if tc.span == 0 {
								o[i][a] = tc.c * float64(rng.IntN(3)-1)
							} else {
								o[i][a] = rng.Float64() * tc.span
							}
						}
					}
					if n > 0 && trial%20 == 0 {
						o[0][rng.IntN(3)] = []float64{math.Inf(1), math.Inf(-1), math.NaN()}[rng.IntN(3)]
					}
					return o
				}
				truths, tracks := pts(1+rng.IntN(40)), pts(1+rng.IntN(80))
				if len(truths)*len(tracks) > smallMatch {
					t.Fatal("the case is past pair by pair")
				}
				m.match(truths, tracks, nil)
				if want := refEdges(&m, truths, tracks); !slices.Equal(m.edges, want) {
					t.Fatalf("trial %d: %d edges, want %d", trial, len(m.edges), len(want))
				}
			}
		})
	}
}
