package lap

import (
	"errors"
	"math"
)

// ErrInfeasible is returned when no assignment avoids forbidden (+Inf) entries.
var ErrInfeasible = errors.New("lap: assignment infeasible")

// Forbidden marks a cost-matrix entry that may not be assigned (a gated-out pair).
var Forbidden = math.Inf(1)

// Dense solves dense linear assignment problems with the shortest-augmenting-path method of
// Jonker & Volgenant (Computing 38, 1987), in the rectangular form with forbidden entries of
// Crouse (IEEE TAES 52(4), 2016): each row in turn is added by a Dijkstra search over reduced
// costs c_ij − u_i − v_j ≥ 0, and the dual prices u, v are updated so that reduced costs stay
// non-negative; O(n²m) for n ≤ m. A zero Dense is ready to use; it keeps its buffers between
// calls and is not safe for concurrent use.
type Dense struct {
	u, v, spc          []float64
	path, row4col, rem []int
	sr, sc             []bool
	t                  []float64
}

// Solve assigns min(n, m) pairs of the n×m row-major cost matrix (each row and column used
// at most once, every row used when n ≤ m, every column when n > m) at least total cost.
// Entries equal to +Inf are forbidden; NaN entries are treated as forbidden. rowToCol (length
// n) receives each row's column or −1. It returns the total cost, or ErrInfeasible when every
// complete assignment uses a forbidden entry.
func (s *Dense) Solve(cost []float64, n, m int, rowToCol []int) (float64, error) {
	if n < 0 || m < 0 || len(cost) < n*m || len(rowToCol) < n {
		return 0, errors.New("lap: Dense.Solve: bad dimensions")
	}
	if n == 0 || m == 0 {
		for i := 0; i < n; i++ {
			rowToCol[i] = -1
		}
		return 0, nil
	}
	if n > m {
		// Solve the transpose so that rows ≤ columns.
		s.t = resize(s.t, n*m)
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

// resize returns b with length n, reallocating only when its capacity is too small; the
// contents are not cleared.
func resize[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}

// solve handles n ≤ m.
func (s *Dense) solve(cost []float64, n, m int, col4row []int) (float64, error) {
	s.u, s.v, s.spc = resize(s.u, n), resize(s.v, m), resize(s.spc, m)
	s.path, s.row4col, s.rem = resize(s.path, m), resize(s.row4col, m), resize(s.rem, m)
	s.sr, s.sc = resize(s.sr, n), resize(s.sc, m)
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
