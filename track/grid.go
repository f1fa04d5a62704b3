package track

import (
	"cmp"
	"math"
	"slices"
)

// grid is a uniform spatial hash of points in the horizontal plane (x, y): candidate
// track–detection pairs are found by looking only at the cells a gate's bounding box
// overlaps, instead of scoring every pair (Stone Soup's default does the latter).
//
// A query lists the points of the cells it overlaps row by row (x), each row by column (y),
// and each cell's points from the last indexed to the first; both modes below keep that
// order, which decides the order of the gate's edges.
type grid struct {
	cell float64
	next []int32 // next[i]: the point indexed before i in its cell, or −1
	// The points' bounding box in cells: [x0, x1] × [y0, y1], ny = y1 − y0 + 1 (empty,
	// x0 > x1, when there are no points).
	x0, x1, y0, y1, ny int64
	// Dense mode: the cells of the bounding box in a slice, row-major, when that is no more
	// than a few cells per point (the usual case).
	dense []int32
	// Sparse mode, for spread-out point sets: the occupied cells sorted by key (row, then
	// column), each with the last point indexed in it, and the occupied rows, each with its
	// first cell. A query visits only the occupied rows of its box (found by binary search)
	// and in each the cells of its columns; a Go map, looked up once per cell of the box
	// (occupied or not), cost 8 % of a 200-drone replication.
	cells  []cellHead
	rows   []rowStart
	order  []cellHead // scratch: (key, point) pairs, sorted
	keys   []uint64   // scratch: the same, packed in integers
	cx, cy []int64    // scratch: each point's cell
}

// rowStart is an occupied row ix of the sparse mode and the index of its first cell.
type rowStart struct {
	ix    int64
	first int32
}

// cellHead is an occupied cell of the sparse mode and the last point indexed in it (or,
// while building, a point and its cell).
type cellHead struct {
	key  uint64
	head int32
}

// cellKey orders cells by row ix, then column iy: cellOf clamps both to ±1e9, and offset
// by 2³⁰ each fits 32 bits unsigned.
func cellKey(ix, iy int64) uint64 { return uint64(ix+1<<30)<<32 | uint64(iy+1<<30) }

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

// build indexes points pts (x = pts[i].Z[0], y = pts[i].Z[1]) in cells of side cell.
func (g *grid) build(pts []Position, cell float64) {
	if !(cell > 0) || math.IsInf(cell, 0) {
		cell = 1
	}
	g.cell = cell
	n := len(pts)
	g.next = resize(g.next, n)
	g.cx, g.cy = resize(g.cx, n), resize(g.cy, n)
	g.dense = g.dense[:0]
	lx, hx, ly, hy := int64(math.MaxInt64), int64(math.MinInt64), int64(math.MaxInt64), int64(math.MinInt64)
	for i := range pts {
		cx, cy := g.cellOf(pts[i].Z[0]), g.cellOf(pts[i].Z[1])
		g.cx[i], g.cy[i] = cx, cy
		lx, hx, ly, hy = min(lx, cx), max(hx, cx), min(ly, cy), max(hy, cy)
	}
	nx, ny := hx-lx+1, hy-ly+1
	g.x0, g.x1, g.y0, g.y1, g.ny = lx, hx, ly, hy, ny
	if n > 0 && nx*ny <= 4*int64(n)+64 {
		if cap(g.dense) < int(nx*ny) {
			g.dense = make([]int32, nx*ny)
		}
		g.dense = g.dense[:nx*ny]
		for i := range g.dense {
			g.dense[i] = -1
		}
		for i := range pts {
			k := (g.cx[i]-lx)*ny + g.cy[i] - ly
			g.next[i] = g.dense[k]
			g.dense[k] = int32(i)
		}
		return
	}
	// Sparse: the points sorted by cell, and by index within a cell, then linked as the
	// dense mode links them (each cell's head the last point indexed).
	order := g.order[:0]
	const idxBits = 22
	if nx < 1<<21 && ny < 1<<21 && n < 1<<idxBits {
		// The usual case, sorted as integers: the cell's rank in the bounding box's
		// row-major order (below 2⁴²) above the point's index. A sort with a comparison
		// function took a third longer than all the queries of a scan.
		keys := g.keys[:0]
		for i := range pts {
			keys = append(keys, uint64((g.cx[i]-lx)*ny+g.cy[i]-ly)<<idxBits|uint64(i))
		}
		slices.Sort(keys)
		g.keys = keys
		for _, k := range keys {
			i := k & (1<<idxBits - 1)
			order = append(order, cellHead{cellKey(g.cx[i], g.cy[i]), int32(i)})
		}
	} else {
		for i := range pts {
			order = append(order, cellHead{cellKey(g.cx[i], g.cy[i]), int32(i)})
		}
		slices.SortFunc(order, func(a, b cellHead) int {
			if c := cmp.Compare(a.key, b.key); c != 0 {
				return c
			}
			return cmp.Compare(a.head, b.head)
		})
	}
	g.order = order
	cells, rows := g.cells[:0], g.rows[:0]
	for _, o := range order {
		if n := len(cells); n > 0 && cells[n-1].key == o.key {
			g.next[o.head] = cells[n-1].head
			cells[n-1].head = o.head
			continue
		}
		g.next[o.head] = -1
		if ix := int64(o.key>>32) - 1<<30; len(rows) == 0 || rows[len(rows)-1].ix != ix {
			rows = append(rows, rowStart{ix, int32(len(cells))})
		}
		cells = append(cells, o)
	}
	g.cells, g.rows = cells, append(rows, rowStart{math.MaxInt64, int32(len(cells))}) // a sentinel row ends the last
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
	// Only the cells of the points' bounding box can hold one: a radar that sees a sector
	// leaves most tracks' boxes outside it.
	ix0, ix1 = max(ix0, g.x0), min(ix1, g.x1)
	iy0, iy1 = max(iy0, g.y0), min(iy1, g.y1)
	if ix0 > ix1 || iy0 > iy1 {
		return out, false
	}
	if len(g.dense) > 0 {
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
	// The occupied rows from ix0 on (the sentinel row, past every ix, stops the loop), and
	// in each its cells from column iy0 to iy1.
	rows := g.rows
	r, _ := slices.BinarySearchFunc(rows, ix0, func(row rowStart, ix int64) int { return cmp.Compare(row.ix, ix) })
	lo, hi := uint64(iy0+1<<30), uint64(iy1+1<<30)
	for ; rows[r].ix <= ix1; r++ {
		for _, c := range g.cells[rows[r].first:rows[r+1].first] {
			if iy := c.key & (1<<32 - 1); iy > hi {
				break
			} else if iy < lo {
				continue
			}
			for i := c.head; i >= 0; i = g.next[i] {
				out = append(out, i)
			}
		}
	}
	return out, false
}
