package wta

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSparseLAPMatchesDense compares the sparse solver with the dense one on complete
// graphs, and checks feasibility on sparse ones.
func TestSparseLAPMatchesDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var d lap
	var s sparseLAP
	for it := 0; it < 500; it++ {
		n := 1 + rng.IntN(12)
		m := n + rng.IntN(10)
		cost := make([]float64, n*m)
		for i := range cost {
			cost[i] = -rng.Float64() * 100
		}
		dc := d.solve(n, m, cost)
		want := 0.0
		for r, j := range dc {
			want += cost[r*m+j]
		}
		s.reset(n, m)
		cols := make([]int32, m)
		for j := range cols {
			cols[j] = int32(j)
		}
		for r := 0; r < n; r++ {
			s.addRow(cols, cost[r*m:(r+1)*m])
		}
		sc := s.solve()
		if sc == nil {
			t.Fatalf("case %d: sparse found no assignment", it)
		}
		got := 0.0
		used := map[int32]bool{}
		for r, j := range sc {
			if used[j] {
				t.Fatalf("case %d: column %d used twice", it, j)
			}
			used[j] = true
			got += cost[r*m+int(j)]
		}
		if math.Abs(got-want) > 1e-9*math.Abs(want) {
			t.Fatalf("case %d (%dx%d): sparse %.12g, dense %.12g", it, n, m, got, want)
		}
	}
}

func TestSparseLAPSparseGraphs(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var d lap
	var s sparseLAP
	for it := 0; it < 2000; it++ {
		n := 1 + rng.IntN(10)
		m := n + rng.IntN(10)
		const big = 1e6
		cost := make([]float64, n*m)
		for i := range cost {
			cost[i] = big
		}
		s.reset(n, m)
		for r := 0; r < n; r++ {
			var cols []int32
			var cs []float64
			for j := 0; j < m; j++ {
				if j == r || rng.IntN(3) == 0 {
					c := -rng.Float64() * 100
					cost[r*m+j] = c
					cols = append(cols, int32(j))
					cs = append(cs, c)
				}
			}
			s.addRow(cols, cs)
		}
		dc := d.solve(n, m, cost)
		want := 0.0
		for r, j := range dc {
			want += cost[r*m+j]
		}
		sc := s.solve()
		if sc == nil {
			t.Fatalf("case %d: no assignment", it)
		}
		got := 0.0
		for r, j := range sc {
			got += cost[r*m+int(j)]
		}
		if math.Abs(got-want) > 1e-9*math.Abs(want) {
			t.Fatalf("case %d (%dx%d): sparse %.12g, dense %.12g %v %v", it, n, m, got, want, sc, dc)
		}
	}
}
