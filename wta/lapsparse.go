package wta

import "math"

// sparseLAP solves a linear assignment problem on a sparse bipartite graph (rows ≤ columns,
// each row with its own list of admissible columns) by successive shortest augmenting paths
// with Dijkstra on reduced costs and Johnson potentials (Ahuja, Magnanti and Orlin 1993,
// "Network Flows", section 12.4). Each search stops at the first free column it settles and
// only settled nodes have their potential updated, so a step costs little more than the part
// of the graph it explores. The caller must make sure a complete assignment exists (the
// ejection-reinsertion step always includes each row's current column).
type sparseLAP struct {
	// graph: row r's edges are col[start[r]:start[r+1]] with costs cost[...]
	start []int
	col   []int32
	cost  []float64

	phiR, phiC   []float64
	distR, distC []float64
	rowOf        []int32 // column → matched row, −1 free
	colOf        []int32 // row → matched column
	parC         []int32 // column → row it was reached from
	heap         []hnode
	touchedR     []int32
	touchedC     []int32
	doneR, doneC []bool // settled in the current search
}

type hnode struct {
	d    float64
	node int32 // ≥ 0 row, < 0 column −(j+1)
}

func (l *sparseLAP) reset(rows, cols int) {
	l.start = append(l.start[:0], 0)
	l.col = l.col[:0]
	l.cost = l.cost[:0]
	grow := func(s []float64, n int) []float64 {
		if cap(s) < n {
			return make([]float64, n)
		}
		return s[:n]
	}
	growI := func(s []int32, n int) []int32 {
		if cap(s) < n {
			return make([]int32, n)
		}
		return s[:n]
	}
	l.phiR, l.distR = grow(l.phiR, rows), grow(l.distR, rows)
	l.phiC, l.distC = grow(l.phiC, cols), grow(l.distC, cols)
	l.rowOf, l.parC = growI(l.rowOf, cols), growI(l.parC, cols)
	l.colOf = growI(l.colOf, rows)
	if cap(l.doneR) < rows {
		l.doneR = make([]bool, rows)
	}
	if cap(l.doneC) < cols {
		l.doneC = make([]bool, cols)
	}
	l.doneR, l.doneC = l.doneR[:rows], l.doneC[:cols]
	clear(l.doneR)
	clear(l.doneC)
	clear(l.phiC)
	inf := math.Inf(1)
	for j := range l.rowOf {
		l.rowOf[j] = -1
		l.distC[j] = inf
	}
	for r := range l.distR {
		l.distR[r] = inf
	}
}

// addRow appends the next row's edges.
func (l *sparseLAP) addRow(cols []int32, costs []float64) {
	l.col = append(l.col, cols...)
	l.cost = append(l.cost, costs...)
	l.start = append(l.start, len(l.col))
}

func (l *sparseLAP) push(d float64, n int32) {
	l.heap = append(l.heap, hnode{d, n})
	h := l.heap
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h[p].d <= h[i].d {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func (l *sparseLAP) pop() hnode {
	h := l.heap
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	i := 0
	for {
		a, b := 2*i+1, 2*i+2
		m := i
		if a < n && h[a].d < h[m].d {
			m = a
		}
		if b < n && h[b].d < h[m].d {
			m = b
		}
		if m == i {
			break
		}
		h[m], h[i] = h[i], h[m]
		i = m
	}
	l.heap = h
	return top
}

// solve assigns every row and returns colOf (row → column), or nil if some row cannot be
// assigned.
func (l *sparseLAP) solve() []int32 {
	rows := len(l.start) - 1
	for r := 0; r < rows; r++ {
		m := math.Inf(1)
		for e := l.start[r]; e < l.start[r+1]; e++ {
			m = min(m, l.cost[e])
		}
		l.phiR[r] = -m // reduced costs c + φ_r − φ_j ≥ 0
		l.colOf[r] = -1
	}
	inf := math.Inf(1)
	for r := 0; r < rows; r++ {
		l.heap = l.heap[:0]
		l.touchedR = append(l.touchedR[:0], int32(r))
		l.touchedC = l.touchedC[:0]
		l.distR[r] = 0
		l.push(0, int32(r))
		end := int32(-1)
		D := 0.0
		for len(l.heap) > 0 {
			h := l.pop()
			if h.node >= 0 {
				ri := h.node
				if l.doneR[ri] {
					continue
				}
				l.doneR[ri] = true
				base := h.d + l.phiR[ri]
				own := l.colOf[ri]
				for e := l.start[ri]; e < l.start[ri+1]; e++ {
					j := l.col[e]
					if j == own || l.doneC[j] {
						continue // settled: rounding must not reopen it
					}
					nd := base + l.cost[e] - l.phiC[j]
					if nd < l.distC[j] {
						if l.distC[j] == inf {
							l.touchedC = append(l.touchedC, j)
						}
						l.distC[j] = nd
						l.parC[j] = ri
						l.push(nd, -(j + 1))
					}
				}
				continue
			}
			j := -h.node - 1
			if l.doneC[j] {
				continue
			}
			l.doneC[j] = true
			if l.rowOf[j] < 0 {
				end, D = j, h.d
				break
			}
			r2 := l.rowOf[j]
			// The matched edge is tight: its reversed reduced cost is 0.
			if !l.doneR[r2] && h.d < l.distR[r2] {
				if l.distR[r2] == inf {
					l.touchedR = append(l.touchedR, r2)
				}
				l.distR[r2] = h.d
				l.push(h.d, r2)
			}
		}
		if end < 0 {
			return nil
		}
		// Potentials of settled nodes (dist ≤ D): φ −= D − dist. Unsettled ones are
		// unchanged; so are reduced costs' signs (Johnson).
		for _, ri := range l.touchedR {
			if d := l.distR[ri]; d <= D {
				l.phiR[ri] -= D - d
			}
			l.distR[ri] = inf
			l.doneR[ri] = false
		}
		for _, j := range l.touchedC {
			if d := l.distC[j]; d <= D {
				l.phiC[j] -= D - d
			}
		}
		// Augment.
		j := end
		for {
			ri := l.parC[j]
			prev := l.colOf[ri]
			l.rowOf[j] = ri
			l.colOf[ri] = j
			if ri == int32(r) {
				break
			}
			j = prev
		}
		for _, j := range l.touchedC {
			l.distC[j] = inf
			l.doneC[j] = false
		}
	}
	return l.colOf[:rows]
}
