package lap

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// bruteForce returns the least total cost of assigning min(n, m) pairs with no forbidden
// entry, and false when none exists (n > m is solved on the transpose).
func bruteForce(c []float64, n, m int) (float64, bool) {
	if n > m {
		return bruteForce(transpose(c, n, m), m, n)
	}
	best, found := math.Inf(1), false
	usedCol := make([]bool, m)
	var rec func(i int, sum float64)
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
	rec(0, 0)
	return best, found
}

// transpose returns the m×n transpose of the n×m row-major matrix c.
func transpose(c []float64, n, m int) []float64 {
	tr := make([]float64, n*m)
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			tr[j*n+i] = c[i*m+j]
		}
	}
	return tr
}

// The solver must equal brute force on thousands of random small matrices, square and
// rectangular both ways, with forbidden (gated-out) entries, ties and negative costs.
func TestDenseMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	var lap Dense
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

func TestDenseBadInput(t *testing.T) {
	var lap Dense
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

// hungarian is an independent O(n²m) reference for n ≤ m and finite costs: the
// Kuhn–Munkres method with potentials in its compact array form (columns 1-based, column 0 a
// sentinel), written separately from Dense.
func hungarian(c []float64, n, m int) float64 {
	u, v, minv := make([]float64, n+1), make([]float64, m+1), make([]float64, m+1)
	p, way := make([]int, m+1), make([]int, m+1)
	used := make([]bool, m+1)
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		for j := range minv {
			minv[j], used[j] = math.Inf(1), false
		}
		for p[j0] != 0 || j0 == 0 {
			used[j0] = true
			i0, delta, j1 := p[j0], math.Inf(1), 0
			for j := 1; j <= m; j++ {
				if !used[j] {
					if cur := c[(i0-1)*m+j-1] - u[i0] - v[j]; cur < minv[j] {
						minv[j], way[j] = cur, j0
					}
					if minv[j] < delta {
						delta, j1 = minv[j], j
					}
				}
			}
			for j := 0; j <= m; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	tot := 0.0
	for j := 1; j <= m; j++ {
		if p[j] != 0 {
			tot += c[(p[j]-1)*m+j-1]
		}
	}
	return tot
}

// wtaLike returns an n×m matrix shaped like the reinsertion step of package wta: column j has
// a value v_j, and c_ij = −v_j·p_ij with p_ij uniform.
func wtaLike(rng *rand.Rand, n, m int) []float64 {
	v := make([]float64, m)
	for j := range v {
		v[j] = 1 + 99*rng.Float64()*rng.Float64()
	}
	c := make([]float64, n*m)
	for i := range c {
		c[i] = -v[i%m] * rng.Float64()
	}
	return c
}

// randomMatrix returns an n×m test matrix of one of three kinds: 0 the wta reinsertion
// shape, 1 small integers (many ties), 2 normal costs of either sign.
func randomMatrix(rng *rand.Rand, kind, n, m int) []float64 {
	if kind == 0 {
		return wtaLike(rng, n, m)
	}
	c := make([]float64, n*m)
	for i := range c {
		if kind == 1 {
			c[i] = float64(rng.IntN(4))
		} else {
			c[i] = rng.NormFloat64() * 10
		}
	}
	return c
}

// Beyond brute force: medium rectangular matrices (both orientations) against the
// independent Hungarian reference.
func TestDenseMatchesHungarian(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var lap Dense
	for trial := 0; trial < 600; trial++ {
		n := 1 + rng.IntN(40)
		m := n + rng.IntN(30)
		c := randomMatrix(rng, trial%3, n, m)
		want := hungarian(c, n, m)
		r2c := make([]int, n)
		got, err := lap.Solve(c, n, m, r2c)
		if err != nil || math.Abs(got-want) > 1e-9*(1+math.Abs(want)) {
			t.Fatalf("trial %d (%d×%d): Dense %g (%v), reference %g", trial, n, m, got, err, want)
		}
		// The transpose has the same optimum.
		c2r := make([]int, m)
		got, err = lap.Solve(transpose(c, n, m), m, n, c2r)
		if err != nil || math.Abs(got-want) > 1e-9*(1+math.Abs(want)) {
			t.Fatalf("trial %d (%d×%d transposed): Dense %g (%v), reference %g", trial, m, n, got, err, want)
		}
		assigned := 0
		for _, i := range c2r {
			if i >= 0 {
				assigned++
			}
		}
		if assigned != n {
			t.Fatalf("trial %d: %d of %d columns assigned in the transpose", trial, assigned, n)
		}
	}
}

func BenchmarkDense(b *testing.B) {
	for _, n := range []int{10, 50, 200} {
		rng := rand.New(rand.NewPCG(1, uint64(n)))
		c := make([]float64, n*n)
		for i := range c {
			c[i] = rng.Float64()
		}
		r := make([]int, n)
		var lap Dense
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				lap.Solve(c, n, n, r)
			}
		})
	}
	// The shape of wta's reinsertion step on its largest shared instance.
	for _, sz := range [][2]int{{50, 100}, {350, 400}} {
		n, m := sz[0], sz[1]
		c := wtaLike(rand.New(rand.NewPCG(2, uint64(n))), n, m)
		r := make([]int, n)
		var lap Dense
		b.Run(fmt.Sprintf("wta-%dx%d", n, m), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				lap.Solve(c, n, m, r)
			}
		})
	}
}

// BenchmarkSparse: 100 clusters of 1–6 rows and columns, as in gated data association.
func BenchmarkSparse(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	var edges []Edge
	nr, nc := 0, 0
	for k := 0; k < 100; k++ {
		r, c := 1+rng.IntN(6), 1+rng.IntN(6)
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				if rng.IntN(2) == 0 {
					edges = append(edges, Edge{Row: int32(nr + i), Col: int32(nc + j), Cost: rng.Float64() * 10})
				}
			}
		}
		nr, nc = nr+r, nc+c
	}
	miss := make([]float64, nr)
	for i := range miss {
		miss[i] = 8
	}
	r2c := make([]int, nr)
	var s Sparse
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Solve(nr, nc, edges, miss, r2c)
	}
}

// JV must equal brute force on small matrices and the Hungarian reference on medium ones,
// with ties, negative costs and the wta reinsertion shape, and return a valid assignment.
func TestJVMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var jv JV
	for trial := 0; trial < 4000; trial++ {
		var n, m int
		if trial%4 == 0 {
			n = 1 + rng.IntN(50)
			m = n + rng.IntN(40)
		} else {
			n = 1 + rng.IntN(6)
			m = n + rng.IntN(4)
		}
		c := randomMatrix(rng, trial%3, n, m)
		var want float64
		if m <= 9 {
			want, _ = bruteForce(c, n, m)
		} else {
			want = hungarian(c, n, m)
		}
		r2c := make([]int, n)
		got, err := jv.Solve(c, n, m, r2c)
		if err != nil || math.Abs(got-want) > 1e-9*(1+math.Abs(want)) {
			t.Fatalf("trial %d (%d×%d): JV %g (%v), reference %g", trial, n, m, got, err, want)
		}
		seen := map[int]bool{}
		sum := 0.0
		for i, j := range r2c {
			if j < 0 || j >= m || seen[j] {
				t.Fatalf("trial %d: bad assignment %v", trial, r2c)
			}
			seen[j] = true
			sum += c[i*m+j]
		}
		if math.Abs(sum-got) > 1e-9*(1+math.Abs(got)) {
			t.Fatalf("trial %d: assignment sums to %g, reported %g", trial, sum, got)
		}
	}
}

func TestJVBadInput(t *testing.T) {
	var jv JV
	r := make([]int, 2)
	if _, err := jv.Solve([]float64{1, 2, 3, 4, 5, 6}, 3, 2, r); err == nil {
		t.Error("n > m accepted")
	}
	if _, err := jv.Solve([]float64{1, math.Inf(1), 3, 4}, 2, 2, r); err != ErrNotFinite {
		t.Errorf("+Inf: %v", err)
	}
	if tot, err := jv.Solve(nil, 0, 3, nil); err != nil || tot != 0 {
		t.Errorf("empty: %v %v", tot, err)
	}
}

func BenchmarkJV(b *testing.B) {
	for _, sz := range [][2]int{{50, 100}, {200, 200}, {350, 400}} {
		n, m := sz[0], sz[1]
		c := wtaLike(rand.New(rand.NewPCG(2, uint64(n))), n, m)
		r := make([]int, n)
		var jv JV
		var d Dense
		b.Run(fmt.Sprintf("JV-wta-%dx%d", n, m), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				jv.Solve(c, n, m, r)
			}
		})
		b.Run(fmt.Sprintf("Dense-wta-%dx%d", n, m), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				d.Solve(c, n, m, r)
			}
		})
	}
}

// Nearly tied costs make the augmenting row reduction trade columns in tiny price steps; the
// phase is cut off and the answer must stay optimal.
func TestJVNearTies(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var jv JV
	for trial := 0; trial < 200; trial++ {
		n := 2 + rng.IntN(30)
		m := n + rng.IntN(5)
		c := make([]float64, n*m)
		for i := range c {
			c[i] = 1 + 1e-13*float64(rng.IntN(3))
		}
		want := hungarian(c, n, m)
		got, err := jv.Solve(c, n, m, make([]int, n))
		if err != nil || math.Abs(got-want) > 1e-12*float64(n) {
			t.Fatalf("trial %d (%d×%d): JV %.17g (%v), reference %.17g", trial, n, m, got, err, want)
		}
	}
}
