package lap

import (
	"errors"
	"math"
)

// JV solves dense linear assignment problems with finite costs by the complete method of
// Jonker and Volgenant (Computing 38, 1987): column reduction, reduction transfer and two
// rounds of augmenting row reduction (an auction-like phase that assigns most rows cheaply)
// before shortest augmenting paths for the rows still free. A rectangular problem (n ≤ m) is
// solved as the square m×m problem with m − n extra rows of cost 0, which take the columns
// left unassigned. On large dense problems it is several times faster than Dense, whose
// shortest-path phase starts from zero prices; Dense remains the solver for forbidden (+Inf)
// entries. A zero JV is ready to use; it keeps its buffers between calls and is not safe for
// concurrent use.
type JV struct {
	c                    []float64 // padded m×m costs
	v, d                 []float64
	rowsol, colsol, free []int
	matches, pred, cols  []int
}

// ErrNotFinite is returned by JV.Solve for a cost that is NaN or infinite.
var ErrNotFinite = errors.New("lap: JV.Solve: costs must be finite")

// Solve assigns every row of the n×m row-major cost matrix (n ≤ m) to a distinct column at
// least total cost; rowToCol (length n) receives each row's column. It returns the total.
func (s *JV) Solve(cost []float64, n, m int, rowToCol []int) (float64, error) {
	if n < 0 || n > m || len(cost) < n*m || len(rowToCol) < n {
		return 0, errors.New("lap: JV.Solve: bad dimensions (want n ≤ m)")
	}
	if n == 0 {
		return 0, nil
	}
	for _, x := range cost[:n*m] {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, ErrNotFinite
		}
	}
	dim := m
	s.c = resize(s.c, dim*dim)
	copy(s.c, cost[:n*m])
	clear(s.c[n*m:])
	s.v, s.d = resize(s.v, dim), resize(s.d, dim)
	s.rowsol, s.colsol, s.free = resize(s.rowsol, dim), resize(s.colsol, dim), resize(s.free, dim)
	s.matches, s.pred, s.cols = resize(s.matches, dim), resize(s.pred, dim), resize(s.cols, dim)
	c, v, d := s.c, s.v, s.d
	rowsol, colsol, free, matches, pred, cols := s.rowsol, s.colsol, s.free, s.matches, s.pred, s.cols
	clear(matches)
	for i := range rowsol {
		rowsol[i] = -1
	}

	// Column reduction: each column goes to its cheapest row, unless that row already has
	// a cheaper column.
	for j := dim - 1; j >= 0; j-- {
		lo, imin := c[j], 0
		for i := 1; i < dim; i++ {
			if x := c[i*dim+j]; x < lo {
				lo, imin = x, i
			}
		}
		v[j] = lo
		matches[imin]++
		switch {
		case matches[imin] == 1:
			rowsol[imin], colsol[j] = j, imin
		case v[j] < v[rowsol[imin]]:
			j1 := rowsol[imin]
			rowsol[imin], colsol[j], colsol[j1] = j, imin, -1
		default:
			colsol[j] = -1
		}
	}
	// Reduction transfer from the rows assigned once.
	numFree := 0
	for i := 0; i < dim; i++ {
		switch matches[i] {
		case 0:
			free[numFree] = i
			numFree++
		case 1:
			j1 := rowsol[i]
			lo := math.Inf(1)
			row := c[i*dim : i*dim+dim]
			for j, x := range row {
				if j != j1 && x-v[j] < lo {
					lo = x - v[j]
				}
			}
			if !math.IsInf(lo, 1) {
				v[j1] -= lo
			}
		}
	}
	// Augmenting row reduction, twice. Each step lowers a price by a positive amount, but in
	// floating point nearly tied rows can trade a column for very many steps, so the phase
	// is cut off after a bounded number of steps; the rows still free then go to the
	// shortest-path phase (every assigned row keeps a column of least reduced cost, which is
	// all that phase needs).
	steps := 0
	for loop := 0; loop < 2 && dim > 1; loop++ {
		k, prev := 0, numFree
		numFree = 0
		for k < prev {
			if steps++; steps > 8*dim {
				for ; k < prev; k++ {
					free[numFree] = free[k]
					numFree++
				}
				break
			}
			i := free[k]
			k++
			row := c[i*dim : i*dim+dim]
			umin, usub := row[0]-v[0], math.Inf(1)
			j1, j2 := 0, -1
			for j := 1; j < dim; j++ {
				h := row[j] - v[j]
				if h < usub {
					if h >= umin {
						usub, j2 = h, j
					} else {
						usub, umin, j2, j1 = umin, h, j1, j
					}
				}
			}
			i0 := colsol[j1]
			if umin < usub {
				v[j1] -= usub - umin
			} else if i0 >= 0 {
				j1, i0 = j2, colsol[j2]
			}
			rowsol[i], colsol[j1] = j1, i
			if i0 >= 0 {
				if umin < usub {
					k--
					free[k] = i0
				} else {
					free[numFree] = i0
					numFree++
				}
			}
		}
	}
	// Shortest augmenting paths for the rows still free (Dijkstra on reduced costs).
	for f := 0; f < numFree; f++ {
		fr := free[f]
		row := c[fr*dim : fr*dim+dim]
		for j := dim - 1; j >= 0; j-- {
			d[j] = row[j] - v[j]
			pred[j] = fr
			cols[j] = j
		}
		low, up, last, end := 0, 0, 0, -1
		lo := 0.0
		for end < 0 {
			if up == low {
				last = low - 1
				lo = d[cols[up]]
				up++
				for k := up; k < dim; k++ {
					j := cols[k]
					if h := d[j]; h <= lo {
						if h < lo {
							up, lo = low, h
						}
						cols[k], cols[up] = cols[up], j
						up++
					}
				}
				for k := low; k < up; k++ {
					if colsol[cols[k]] < 0 {
						end = cols[k]
						break
					}
				}
			}
			if end < 0 {
				j1 := cols[low]
				low++
				i := colsol[j1]
				ri := c[i*dim : i*dim+dim]
				h := ri[j1] - v[j1] - lo
				for k := up; k < dim; k++ {
					j := cols[k]
					if v2 := ri[j] - v[j] - h; v2 < d[j] {
						pred[j] = i
						if v2 == lo {
							if colsol[j] < 0 {
								end = j
								break
							}
							cols[k], cols[up] = cols[up], j
							up++
						}
						d[j] = v2
					}
				}
			}
		}
		for k := 0; k <= last; k++ {
			j1 := cols[k]
			v[j1] += d[j1] - lo
		}
		for {
			i := pred[end]
			colsol[end] = i
			j1 := end
			end = rowsol[i]
			rowsol[i] = j1
			if i == fr {
				break
			}
		}
	}
	total := 0.0
	for i := 0; i < n; i++ {
		rowToCol[i] = rowsol[i]
		total += cost[i*m+rowsol[i]]
	}
	return total, nil
}
