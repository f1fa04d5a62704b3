package track

import (
	"errors"
	"math"
)

// ErrInfeasible is returned when no assignment avoids forbidden (+Inf) entries.
var ErrInfeasible = errors.New("track: assignment infeasible")

// Forbidden marks a cost-matrix entry that may not be assigned (a gated-out pair).
var Forbidden = math.Inf(1)

// LAP solves linear assignment problems with the shortest-augmenting-path method of Jonker
// & Volgenant (Computing 38, 1987), in the rectangular form with forbidden entries of Crouse
// (IEEE TAES 52(4), 2016): each row in turn is added by a Dijkstra search over reduced costs
// c_ij − u_i − v_j ≥ 0, and the dual prices u, v are updated so that reduced costs stay
// non-negative; O(n²m) for n ≤ m. A zero LAP is ready to use; it keeps its buffers between
// calls and is not safe for concurrent use.
type LAP struct {
	u, v, spc          []float64
	path, row4col, rem []int
	col4row            []int
	sr, sc             []bool
	t                  []float64
}

// Solve assigns min(n, m) pairs of the n×m row-major cost matrix (each row and column used
// at most once, every row used when n ≤ m, every column when n > m) at least total cost.
// Entries equal to +Inf are forbidden; NaN entries are treated as forbidden. rowToCol (length
// n) receives each row's column or −1. It returns the total cost, or ErrInfeasible when every
// complete assignment uses a forbidden entry.
func (s *LAP) Solve(cost []float64, n, m int, rowToCol []int) (float64, error) {
	if n < 0 || m < 0 || len(cost) < n*m || len(rowToCol) < n {
		return 0, errors.New("track: LAP.Solve: bad dimensions")
	}
	if n == 0 || m == 0 {
		for i := 0; i < n; i++ {
			rowToCol[i] = -1
		}
		return 0, nil
	}
	if n > m {
		// Solve the transpose so that rows ≤ columns.
		s.t = grow(s.t, n*m)
		for i := 0; i < n; i++ {
			for j := 0; j < m; j++ {
				s.t[j*n+i] = cost[i*m+j]
			}
		}
		c4r := make([]int, m)
		tot, err := s.solve(s.t[:n*m], m, n, c4r)
		for i := 0; i < n; i++ {
			rowToCol[i] = -1
		}
		if err != nil {
			return 0, err
		}
		for j, i := range c4r {
			rowToCol[i] = j
		}
		return tot, nil
	}
	return s.solve(cost, n, m, rowToCol)
}

func grow(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}

func growInt(b []int, n int) []int {
	if cap(b) < n {
		return make([]int, n)
	}
	return b[:n]
}

func growBool(b []bool, n int) []bool {
	if cap(b) < n {
		return make([]bool, n)
	}
	return b[:n]
}

// solve handles n ≤ m.
func (s *LAP) solve(cost []float64, n, m int, col4row []int) (float64, error) {
	s.u, s.v, s.spc = grow(s.u, n), grow(s.v, m), grow(s.spc, m)
	s.path, s.row4col, s.rem = growInt(s.path, m), growInt(s.row4col, m), growInt(s.rem, m)
	s.sr, s.sc = growBool(s.sr, n), growBool(s.sc, m)
	u, v, spc, path, row4col, rem, sr, sc := s.u, s.v, s.spc, s.path, s.row4col, s.rem, s.sr, s.sc
	clear(u)
	clear(v)
	for j := range row4col {
		row4col[j] = -1
	}
	for i := 0; i < n; i++ {
		col4row[i] = -1
	}
	inf := math.Inf(1)
	for cur := 0; cur < n; cur++ {
		// Dijkstra from row cur over the alternating tree.
		for j := 0; j < m; j++ {
			rem[j] = m - 1 - j // reversed so ties prefer low indices, as in Crouse
			spc[j] = inf
			sc[j] = false
		}
		clear(sr[:n])
		nrem := m
		minVal := 0.0
		i := cur
		sink := -1
		for sink == -1 {
			sr[i] = true
			idx := -1
			lowest := inf
			ci := cost[i*m : i*m+m]
			ui := u[i]
			for it := 0; it < nrem; it++ {
				j := rem[it]
				c := ci[j]
				if c == c { // not NaN
					r := minVal + c - ui - v[j]
					if r < spc[j] {
						path[j] = i
						spc[j] = r
					}
				}
				if spc[j] < lowest || (spc[j] == lowest && lowest < inf && row4col[j] == -1) {
					lowest = spc[j]
					idx = it
				}
			}
			if idx < 0 || math.IsInf(lowest, 1) {
				return 0, ErrInfeasible
			}
			minVal = lowest
			j := rem[idx]
			sc[j] = true
			nrem--
			rem[idx] = rem[nrem]
			if row4col[j] == -1 {
				sink = j
			} else {
				i = row4col[j]
			}
		}
		// Update the dual prices.
		u[cur] += minVal
		for r := 0; r < n; r++ {
			if sr[r] && r != cur {
				u[r] += minVal - spc[col4row[r]]
			}
		}
		for j := 0; j < m; j++ {
			if sc[j] {
				v[j] -= minVal - spc[j]
			}
		}
		// Augment along the path back to cur.
		j := sink
		for {
			r := path[j]
			row4col[j] = r
			col4row[r], j = j, col4row[r]
			if r == cur {
				break
			}
		}
	}
	var tot float64
	for i := 0; i < n; i++ {
		tot += cost[i*m+col4row[i]]
	}
	return tot, nil
}

// Edge is a permitted pair (Row, Col) of a sparse assignment problem with its Cost.
type Edge struct {
	Row, Col int32
	Cost     float64
}

// Sparse solves assignment problems given as a list of permitted pairs, splitting them into
// clusters (connected components of the bipartite graph of pairs, Blackman & Popoli 1999,
// §6.5) solved independently with LAP, so the work grows with the cluster sizes rather than
// with the square of the number of rows. The zero value is ready; it keeps its buffers.
type Sparse struct {
	lap    LAP
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
	// Union-find over rows [0, nRows) and columns [nRows, nRows+nCols).
	nn := nRows + nCols
	s.parent = growI32(s.parent, nn)
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
	s.start = growI32(s.start, nn+1)
	clear(s.start)
	for _, e := range edges {
		s.start[find(e.Row)+1]++
	}
	for i := 1; i <= nn; i++ {
		s.start[i] += s.start[i-1]
	}
	s.order = growI32(s.order, len(edges))
	fill := growI32(s.comp, nn)
	s.comp = fill
	copy(fill, s.start[:nn])
	for k, e := range edges {
		r := find(e.Row)
		s.order[fill[r]] = int32(k)
		fill[r]++
	}
	// Local indices of rows and columns within their cluster.
	s.rowIdx = growI32(s.rowIdx, nRows)
	s.colIdx = growI32(s.colIdx, nCols)
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
			s.cost = grow(s.cost, nr*w)
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
			s.r2c = growInt(s.r2c, nr)
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

func growI32(b []int32, n int) []int32 {
	if cap(b) < n {
		return make([]int32, n)
	}
	return b[:n]
}
