package lap

// Edge is a permitted pair (Row, Col) of a sparse assignment problem with its Cost.
type Edge struct {
	Row, Col int32
	Cost     float64
}

// Sparse solves assignment problems given as a list of permitted pairs, splitting them into
// clusters (connected components of the bipartite graph of pairs, Blackman & Popoli 1999,
// §6.5) solved independently with Dense, so the work grows with the cluster sizes rather than
// with the square of the number of rows. The zero value is ready; it keeps its buffers.
type Sparse struct {
	lap    Dense
	parent []int32
	comp   []int32
	order  []int32
	start  []int32
	rowIdx []int32
	colIdx []int32
	rows   []int32
	cols   []int32
	cost   []float64
	r2c    []int
}

// Solve minimises Σ over chosen edges of Cost plus Σ over rows left unassigned of
// missRow[row] (columns left unassigned cost nothing), choosing at most one edge per row and
// per column. rowToCol (length nRows) receives each row's column or −1. It returns the total.
// Edge costs must be finite; missRow entries must be finite.
func (s *Sparse) Solve(nRows, nCols int, edges []Edge, missRow []float64, rowToCol []int) float64 {
	for i := 0; i < nRows; i++ {
		rowToCol[i] = -1
	}
	var total float64
	for i := 0; i < nRows; i++ {
		total += missRow[i]
	}
	if len(edges) == 0 {
		return total
	}
	if t, ok := s.solveRowSeparable(nRows, nCols, edges, missRow, rowToCol, total); ok {
		return t
	}
	return s.solveClusters(nRows, nCols, edges, missRow, rowToCol, total)
}

// solveRowSeparable is Solve's fast path for graphs in which no column is shared by two rows
// (the usual case of tracking: targets far apart, each detection in at most one gate). Every
// cluster is then one row with its columns, which solveClusters solves without the dense
// solver: the row takes its cheapest edge if that beats its miss cost (strictly, the first
// such edge in edge order on ties). This path applies the same rule to the same edges in the
// same order, so it assigns exactly the same columns; it also adds the clusters' gains to
// total in solveClusters' order (by cluster root: the column of each row's last edge to a
// new column, the root union-find leaves there), so even the returned total is the same to
// the bit. It skips the union-find, the bucketing of edges by cluster and the per-call work
// over every row and column, which dominate on the tracker's small scans. It reports false,
// having changed nothing but its scratch, when some column is shared; rowToCol must already
// hold −1 everywhere and total the sum of missRow.
func (s *Sparse) solveRowSeparable(nRows, nCols int, edges []Edge, missRow []float64, rowToCol []int, total float64) (float64, bool) {
	// owner[c]: the row of column c's edges; last[r]: row r's last new column.
	owner := resize(s.colIdx, nCols)
	s.colIdx = owner
	for i := range owner {
		owner[i] = -1
	}
	last := resize(s.rowIdx, nRows)
	s.rowIdx = last
	for _, e := range edges {
		switch o := owner[e.Col]; {
		case o < 0:
			owner[e.Col] = e.Row
			last[e.Row] = e.Col
		case o != e.Row:
			return 0, false
		}
	}
	best := resize(s.cost, nRows)
	s.cost = best
	copy(best, missRow[:nRows])
	for _, e := range edges {
		if e.Cost < best[e.Row] {
			best[e.Row] = e.Cost
			rowToCol[e.Row] = int(e.Col)
		}
	}
	for c, r := range owner {
		if r >= 0 && last[r] == int32(c) && rowToCol[r] >= 0 {
			total += best[r] - missRow[r]
		}
	}
	return total, true
}

// solveClusters is Solve's general path: the clusters of the bipartite graph, each solved
// alone (rowToCol must already hold −1 everywhere and total the sum of missRow).
func (s *Sparse) solveClusters(nRows, nCols int, edges []Edge, missRow []float64, rowToCol []int, total float64) float64 {
	// Union-find over rows [0, nRows) and columns [nRows, nRows+nCols).
	nn := nRows + nCols
	s.parent = resize(s.parent, nn)
	for i := range s.parent {
		s.parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for s.parent[x] != x {
			s.parent[x] = s.parent[s.parent[x]]
			x = s.parent[x]
		}
		return x
	}
	for _, e := range edges {
		a, b := find(e.Row), find(int32(nRows)+e.Col)
		if a != b {
			s.parent[a] = b
		}
	}
	// Bucket the edges by component root (counting sort).
	s.start = resize(s.start, nn+1)
	clear(s.start)
	for _, e := range edges {
		s.start[find(e.Row)+1]++
	}
	for i := 1; i <= nn; i++ {
		s.start[i] += s.start[i-1]
	}
	s.order = resize(s.order, len(edges))
	fill := resize(s.comp, nn)
	s.comp = fill
	copy(fill, s.start[:nn])
	for k, e := range edges {
		r := find(e.Row)
		s.order[fill[r]] = int32(k)
		fill[r]++
	}
	// Local indices of rows and columns within their cluster.
	s.rowIdx = resize(s.rowIdx, nRows)
	s.colIdx = resize(s.colIdx, nCols)
	for i := range s.rowIdx {
		s.rowIdx[i] = -1
	}
	for i := range s.colIdx {
		s.colIdx[i] = -1
	}
	for root := 0; root < nn; root++ {
		a, b := s.start[root], s.start[root+1]
		if a == b {
			continue
		}
		s.rows, s.cols = s.rows[:0], s.cols[:0]
		for _, k := range s.order[a:b] {
			e := &edges[k]
			if s.rowIdx[e.Row] < 0 {
				s.rowIdx[e.Row] = int32(len(s.rows))
				s.rows = append(s.rows, e.Row)
			}
			if s.colIdx[e.Col] < 0 {
				s.colIdx[e.Col] = int32(len(s.cols))
				s.cols = append(s.cols, e.Col)
			}
		}
		nr, nc := len(s.rows), len(s.cols)
		if nr == 1 && nc >= 1 {
			// One row: take its cheapest edge if it beats missing.
			best, bc := -1, missRow[s.rows[0]]
			for _, k := range s.order[a:b] {
				if edges[k].Cost < bc {
					bc, best = edges[k].Cost, int(edges[k].Col)
				}
			}
			if best >= 0 {
				rowToCol[s.rows[0]] = best
				total += bc - missRow[s.rows[0]]
			}
		} else {
			// rows × (cols + one private miss column per row).
			w := nc + nr
			s.cost = resize(s.cost, nr*w)
			for i := range s.cost {
				s.cost[i] = Forbidden
			}
			for i, r := range s.rows {
				s.cost[i*w+nc+i] = missRow[r]
			}
			for _, k := range s.order[a:b] {
				e := &edges[k]
				p := int(s.rowIdx[e.Row])*w + int(s.colIdx[e.Col])
				if e.Cost < s.cost[p] {
					s.cost[p] = e.Cost
				}
			}
			s.r2c = resize(s.r2c, nr)
			// Always feasible thanks to the miss columns.
			if _, err := s.lap.Solve(s.cost, nr, w, s.r2c); err == nil {
				for i, r := range s.rows {
					if c := s.r2c[i]; c >= 0 && c < nc {
						rowToCol[r] = int(s.cols[c])
						total += s.cost[i*w+c] - missRow[r]
					}
				}
			}
		}
		for _, r := range s.rows {
			s.rowIdx[r] = -1
		}
		for _, c := range s.cols {
			s.colIdx[c] = -1
		}
	}
	return total
}
