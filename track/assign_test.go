package track

import (
	"math"
	"math/rand/v2"
	"testing"
)

// bruteForce returns the least total cost of assigning min(n, m) pairs with no forbidden
// entry, and false when none exists.
func bruteForce(c []float64, n, m int) (float64, bool) {
	best, found := math.Inf(1), false
	usedCol := make([]bool, m)
	usedRow := make([]bool, n)
	k := min(n, m)
	var rec func(depth int, sum float64)
	if n <= m {
		rec = func(i int, sum float64) {
			if i == n {
				if sum < best {
					best, found = sum, true
				}
				return
			}
			for j := 0; j < m; j++ {
				if !usedCol[j] && !math.IsInf(c[i*m+j], 1) {
					usedCol[j] = true
					rec(i+1, sum+c[i*m+j])
					usedCol[j] = false
				}
			}
		}
	} else {
		rec = func(j int, sum float64) {
			if j == m {
				if sum < best {
					best, found = sum, true
				}
				return
			}
			for i := 0; i < n; i++ {
				if !usedRow[i] && !math.IsInf(c[i*m+j], 1) {
					usedRow[i] = true
					rec(j+1, sum+c[i*m+j])
					usedRow[i] = false
				}
			}
		}
	}
	_ = k
	rec(0, 0)
	return best, found
}

// The solver must equal brute force on thousands of random small matrices, square and
// rectangular both ways, with forbidden (gated-out) entries, ties and negative costs.
func TestLAPMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	var lap LAP
	infeasible := 0
	for trial := 0; trial < 5000; trial++ {
		n, m := 1+rng.IntN(6), 1+rng.IntN(6)
		pForbid := []float64{0, 0.2, 0.5, 0.8}[trial%4]
		c := make([]float64, n*m)
		for i := range c {
			switch {
			case rng.Float64() < pForbid:
				c[i] = Forbidden
			case trial%3 == 0:
				c[i] = float64(rng.IntN(4)) // many ties
			default:
				c[i] = rng.NormFloat64() * 10
			}
		}
		want, ok := bruteForce(c, n, m)
		r2c := make([]int, n)
		got, err := lap.Solve(c, n, m, r2c)
		if !ok {
			infeasible++
			if err != ErrInfeasible {
				t.Fatalf("trial %d (%d×%d): brute force infeasible, solver gave %v, %v", trial, n, m, got, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("trial %d (%d×%d): solver says %v, brute force found %g\n%v", trial, n, m, err, want, c)
		}
		if math.Abs(got-want) > 1e-9*(1+math.Abs(want)) {
			t.Fatalf("trial %d (%d×%d): solver %g, brute force %g\n%v", trial, n, m, got, want, c)
		}
		// The returned assignment must be valid and add up to the total.
		seen := map[int]bool{}
		sum, pairs := 0.0, 0
		for i, j := range r2c {
			if j < 0 {
				continue
			}
			if seen[j] || math.IsInf(c[i*m+j], 1) {
				t.Fatalf("trial %d: bad assignment %v", trial, r2c)
			}
			seen[j] = true
			sum += c[i*m+j]
			pairs++
		}
		if pairs != min(n, m) || math.Abs(sum-got) > 1e-9*(1+math.Abs(got)) {
			t.Fatalf("trial %d: %d pairs summing to %g, want %d pairs and %g", trial, pairs, sum, min(n, m), got)
		}
	}
	if infeasible < 100 {
		t.Errorf("only %d infeasible cases exercised", infeasible)
	}
}

// bruteSparse is the brute-force optimum of Sparse's problem: at most one edge per row and
// column, unassigned rows cost missRow.
func bruteSparse(nr, nc int, edges []Edge, miss []float64) float64 {
	best := math.Inf(1)
	usedCol := make([]bool, nc)
	var rec func(i int, sum float64)
	rec = func(i int, sum float64) {
		if i == nr {
			best = math.Min(best, sum)
			return
		}
		rec(i+1, sum+miss[i])
		for _, e := range edges {
			if int(e.Row) == i && !usedCol[e.Col] {
				usedCol[e.Col] = true
				rec(i+1, sum+e.Cost)
				usedCol[e.Col] = false
			}
		}
	}
	rec(0, 0)
	return best
}

func TestSparseMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	var s Sparse
	for trial := 0; trial < 3000; trial++ {
		nr, nc := 1+rng.IntN(7), 1+rng.IntN(7)
		var edges []Edge
		dup := map[[2]int]bool{}
		for k := rng.IntN(nr*nc + 1); k > 0; k-- {
			i, j := rng.IntN(nr), rng.IntN(nc)
			if dup[[2]int{i, j}] {
				continue
			}
			dup[[2]int{i, j}] = true
			edges = append(edges, Edge{Row: int32(i), Col: int32(j), Cost: rng.NormFloat64() * 5})
		}
		miss := make([]float64, nr)
		for i := range miss {
			miss[i] = rng.Float64() * 5
		}
		r2c := make([]int, nr)
		got := s.Solve(nr, nc, edges, miss, r2c)
		want := bruteSparse(nr, nc, edges, miss)
		if math.Abs(got-want) > 1e-9*(1+math.Abs(want)) {
			t.Fatalf("trial %d: sparse %g, brute force %g", trial, got, want)
		}
		used := map[int]bool{}
		for _, j := range r2c {
			if j >= 0 {
				if used[j] {
					t.Fatalf("trial %d: column %d used twice", trial, j)
				}
				used[j] = true
			}
		}
	}
}

func TestLAPBadInput(t *testing.T) {
	var lap LAP
	if _, err := lap.Solve([]float64{1}, 2, 2, make([]int, 2)); err == nil {
		t.Error("short matrix accepted")
	}
	r := make([]int, 2)
	if _, err := lap.Solve([]float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()}, 2, 2, r); err != ErrInfeasible {
		t.Errorf("all-NaN matrix: %v", err)
	}
	if tot, err := lap.Solve(nil, 0, 3, nil); err != nil || tot != 0 {
		t.Errorf("empty: %v %v", tot, err)
	}
}

func BenchmarkLAP(b *testing.B) {
	for _, n := range []int{10, 50, 200} {
		rng := rand.New(rand.NewPCG(1, uint64(n)))
		c := make([]float64, n*n)
		for i := range c {
			c[i] = rng.Float64()
		}
		r := make([]int, n)
		var lap LAP
		b.Run(itoa(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				lap.Solve(c, n, n, r)
			}
		})
	}
}
