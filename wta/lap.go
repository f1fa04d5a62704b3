package wta

import "math"

// lap solves rectangular linear assignment problems (n rows ≤ m columns, every row assigned
// to a distinct column, minimum total cost) by the shortest augmenting path method with
// potentials (Kuhn–Munkres in the O(n²m) form of Jonker and Volgenant 1987). The buffers are
// reused between calls.
type lap struct {
	u, v, minv []float64
	p, way     []int
	used       []bool
	rowCol     []int
}

// solve returns, for each row r, its column. cost is row-major n×m. (Free columns must keep
// potential 0 for the rectangular problem to be solved exactly, which is why the potentials
// of a previous call cannot be reused as a warm start.)
func (l *lap) solve(n, m int, cost []float64) []int {
	grow := func(s []float64, k int) []float64 {
		if cap(s) < k {
			return make([]float64, k)
		}
		return s[:k]
	}
	growI := func(s []int, k int) []int {
		if cap(s) < k {
			return make([]int, k)
		}
		return s[:k]
	}
	l.u = grow(l.u, n+1)
	l.v = grow(l.v, m+1)
	l.minv = grow(l.minv, m+1)
	l.p = growI(l.p, m+1)
	l.way = growI(l.way, m+1)
	l.rowCol = growI(l.rowCol, n)
	if cap(l.used) < m+1 {
		l.used = make([]bool, m+1)
	}
	l.used = l.used[:m+1]
	u, v, minv, p, way, used := l.u, l.v, l.minv, l.p, l.way, l.used
	clear(u)
	clear(v)
	clear(p)
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		for j := range minv {
			minv[j] = math.Inf(1)
			used[j] = false
		}
		for {
			used[j0] = true
			i0 := p[j0]
			delta, j1 := math.Inf(1), 0
			row := cost[(i0-1)*m : i0*m]
			ui := u[i0]
			for j := 1; j <= m; j++ {
				if used[j] {
					continue
				}
				cur := row[j-1] - ui - v[j]
				if cur < minv[j] {
					minv[j] = cur
					way[j] = j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			if j1 == 0 { // cannot happen with finite costs and n ≤ m
				break
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
	for j := 1; j <= m; j++ {
		if p[j] != 0 {
			l.rowCol[p[j]-1] = j - 1
		}
	}
	return l.rowCol
}
