package lap

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomSparse draws a small assignment problem like the tracker's: nr rows (tracks), nc
// columns (detections), each column permitted to no row, one row, or now and then two, with
// duplicate edges, and costs and miss costs drawn from a few integers half the time so that
// ties are frequent.
func randomSparse(rng *rand.Rand) (nr, nc int, edges []Edge, miss []float64) {
	nr, nc = 1+rng.IntN(25), 1+rng.IntN(12)
	ties := rng.IntN(2) == 0
	cost := func() float64 {
		if ties {
			return float64(rng.IntN(5))
		}
		return 20 * rng.Float64()
	}
	miss = make([]float64, nr)
	for i := range miss {
		miss[i] = cost()
	}
	shared := rng.Float64() < 0.5 // otherwise every column has at most one row
	for c := 0; c < nc; c++ {
		k := rng.IntN(3) // rows of this column
		if k == 2 && !shared {
			k = 1
		}
		rows := rng.Perm(nr)[:min(k, nr)]
		for _, r := range rows {
			for range 1 + rng.IntN(2) { // sometimes a duplicate edge
				edges = append(edges, Edge{Row: int32(r), Col: int32(c), Cost: cost()})
			}
		}
	}
	rng.Shuffle(len(edges), func(i, j int) { edges[i], edges[j] = edges[j], edges[i] })
	return nr, nc, edges, miss
}

// Sparse's fast path for graphs in which no column is shared by two rows gives exactly the
// general path's assignment and total (to the bit), on 10,000 random small problems; it
// declines every problem with a shared column.
func TestSparseRowSeparableMatchesClusters(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	var fast, general Sparse
	taken := 0
	for it := 0; it < 10000; it++ {
		nr, nc, edges, miss := randomSparse(rng)
		var sum float64
		for _, m := range miss {
			sum += m
		}
		want := make([]int, nr)
		for i := range want {
			want[i] = -1
		}
		got := slices.Clone(want)
		wantTotal := general.solveClusters(nr, nc, edges, miss, want, sum)
		gotTotal, ok := fast.solveRowSeparable(nr, nc, edges, miss, got, sum)
		owner := make([]int32, nc)
		for i := range owner {
			owner[i] = -1
		}
		separable := true
		for _, e := range edges {
			if owner[e.Col] >= 0 && owner[e.Col] != e.Row {
				separable = false
			}
			owner[e.Col] = e.Row
		}
		if ok != separable {
			t.Fatalf("instance %d: fast path taken %v, graph row-separable %v", it, ok, separable)
		}
		if !ok {
			continue
		}
		taken++
		if !slices.Equal(got, want) || math.Float64bits(gotTotal) != math.Float64bits(wantTotal) {
			t.Fatalf("instance %d (%d×%d, edges %v, miss %v): fast %v total %v, general %v total %v",
				it, nr, nc, edges, miss, got, gotTotal, want, wantTotal)
		}
		// And through Solve, with its scratch reused from a non-separable call.
		got2 := make([]int, nr)
		if tot := fast.Solve(nr, nc, edges, miss, got2); !slices.Equal(got2, want) || tot != wantTotal {
			t.Fatalf("instance %d: Solve %v total %v, want %v total %v", it, got2, tot, want, wantTotal)
		}
	}
	if taken < 3000 {
		t.Fatalf("fast path taken on %d instances only", taken)
	}
}
