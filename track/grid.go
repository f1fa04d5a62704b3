package track

import "math"

// grid is a uniform spatial hash of points in the horizontal plane (x, y): candidate
// track–detection pairs are found by looking only at the cells a gate's bounding box
// overlaps, instead of scoring every pair (Stone Soup's default does the latter).
type grid struct {
	cell float64
	head map[uint64]int32
	next []int32
	// Dense mode: cells [x0, x0+nx) × [y0, y0+ny) in a slice, when that is no more than a
	// few cells per point (the usual case); the map serves sparse, spread-out point sets.
	dense          []int32
	x0, y0, nx, ny int64
}

func cellKey(ix, iy int64) uint64 { return uint64(uint32(int32(ix)))<<32 | uint64(uint32(int32(iy))) }

func (g *grid) cellOf(v float64) int64 {
	c := math.Floor(v / g.cell)
	if c > 1e9 {
		return 1e9
	}
	if c < -1e9 {
		return -1e9
	}
	return int64(c)
}

// build indexes points pts (x = pts[i][0], y = pts[i][1]) in cells of side cell; skip[i]
// true leaves point i out.
func (g *grid) build(pts []Position, cell float64) {
	if !(cell > 0) || math.IsInf(cell, 0) {
		cell = 1
	}
	g.cell = cell
	g.next = resize(g.next, len(pts))
	g.dense = g.dense[:0]
	if len(pts) > 0 {
		lx, hx, ly, hy := int64(math.MaxInt64), int64(math.MinInt64), int64(math.MaxInt64), int64(math.MinInt64)
		for i := range pts {
			cx, cy := g.cellOf(pts[i].Z[0]), g.cellOf(pts[i].Z[1])
			lx, hx, ly, hy = min(lx, cx), max(hx, cx), min(ly, cy), max(hy, cy)
		}
		nx, ny := hx-lx+1, hy-ly+1
		if nx*ny <= 4*int64(len(pts))+64 {
			g.x0, g.y0, g.nx, g.ny = lx, ly, nx, ny
			if cap(g.dense) < int(nx*ny) {
				g.dense = make([]int32, nx*ny)
			}
			g.dense = g.dense[:nx*ny]
			for i := range g.dense {
				g.dense[i] = -1
			}
			for i := range pts {
				k := (g.cellOf(pts[i].Z[0])-lx)*ny + g.cellOf(pts[i].Z[1]) - ly
				g.next[i] = g.dense[k]
				g.dense[k] = int32(i)
			}
			return
		}
	}
	if g.head == nil {
		g.head = make(map[uint64]int32, len(pts))
	} else {
		clear(g.head)
	}
	for i := range pts {
		k := cellKey(g.cellOf(pts[i].Z[0]), g.cellOf(pts[i].Z[1]))
		h, ok := g.head[k]
		if !ok {
			h = -1
		}
		g.next[i] = h
		g.head[k] = int32(i)
	}
}

// query appends to out the indices of points in cells overlapping [x0, x1]×[y0, y1] and
// returns it; all reports that the box covers more cells than there are points (the caller
// should then scan every point instead).
func (g *grid) query(x0, x1, y0, y1 float64, out []int32) ([]int32, bool) {
	ix0, ix1 := g.cellOf(x0), g.cellOf(x1)
	iy0, iy1 := g.cellOf(y0), g.cellOf(y1)
	if (ix1-ix0+1)*(iy1-iy0+1) > int64(len(g.next))+8 {
		return out, true
	}
	if len(g.dense) > 0 {
		ix0, ix1 = max(ix0, g.x0), min(ix1, g.x0+g.nx-1)
		iy0, iy1 = max(iy0, g.y0), min(iy1, g.y0+g.ny-1)
		for ix := ix0; ix <= ix1; ix++ {
			row := g.dense[(ix-g.x0)*g.ny:]
			for iy := iy0; iy <= iy1; iy++ {
				for i := row[iy-g.y0]; i >= 0; i = g.next[i] {
					out = append(out, i)
				}
			}
		}
		return out, false
	}
	for ix := ix0; ix <= ix1; ix++ {
		for iy := iy0; iy <= iy1; iy++ {
			h, ok := g.head[cellKey(ix, iy)]
			if !ok {
				continue
			}
			for i := h; i >= 0; i = g.next[i] {
				out = append(out, i)
			}
		}
	}
	return out, false
}
