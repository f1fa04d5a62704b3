package track

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// grid.query lists exactly the points of the cells a box overlaps, row by row, each row by
// column and each cell from the last point indexed to the first (the order that decides the
// gate's edges), in both the dense and the sparse mode, and says "all" exactly when the box
// covers more cells than there are points (plus 8).
func TestGridQueryMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var g grid
	modes := map[bool]int{}
	for it := 0; it < 4000; it++ {
		n := rng.IntN(60)
		// Dense, mixed, sparse, and cells clamped at ±1e9 (the sparse mode's fallback sort).
		spread := []float64{1e3, 1e5, 1e7, 1e13}[it%4]
		pts := make([]Position, n)
		for i := range pts {
			pts[i].Z = [3]float64{rng.NormFloat64() * spread, rng.NormFloat64() * spread}
			if i > 0 && rng.IntN(4) == 0 {
				pts[i].Z = pts[rng.IntN(i)].Z // several points in one cell
			}
		}
		cell := 500 + rng.Float64()*5000
		g.build(pts, cell)
		modes[len(g.dense) > 0]++
		for q := 0; q < 10; q++ {
			cx, cy := rng.NormFloat64()*spread, rng.NormFloat64()*spread
			if n > 0 && q%2 == 0 {
				cx, cy = pts[rng.IntN(n)].Z[0], pts[rng.IntN(n)].Z[1]
			}
			hx, hy := rng.ExpFloat64()*cell*2, rng.ExpFloat64()*cell*2
			got, all := g.query(cx-hx, cx+hx, cy-hy, cy+hy, nil)
			ix0, ix1, iy0, iy1 := g.cellOf(cx-hx), g.cellOf(cx+hx), g.cellOf(cy-hy), g.cellOf(cy+hy)
			wantAll := (ix1-ix0+1)*(iy1-iy0+1) > int64(n)+8
			if all != wantAll {
				t.Fatalf("scan %d: all %v, want %v", it, all, wantAll)
			}
			if all {
				continue
			}
			var want []int32
			for i := range pts {
				x, y := g.cellOf(pts[i].Z[0]), g.cellOf(pts[i].Z[1])
				if x >= ix0 && x <= ix1 && y >= iy0 && y <= iy1 {
					want = append(want, int32(i))
				}
			}
			slices.SortFunc(want, func(a, b int32) int {
				pa, pb := pts[a].Z, pts[b].Z
				if c := cmp.Compare(g.cellOf(pa[0]), g.cellOf(pb[0])); c != 0 {
					return c
				}
				if c := cmp.Compare(g.cellOf(pa[1]), g.cellOf(pb[1])); c != 0 {
					return c
				}
				return cmp.Compare(b, a)
			})
			if !slices.Equal(got, want) {
				t.Fatalf("scan %d (dense %v): query gives %v, want %v", it, len(g.dense) > 0, got, want)
			}
		}
	}
	if modes[true] < 500 || modes[false] < 500 {
		t.Fatalf("modes exercised: %v (dense: true)", modes)
	}
}
