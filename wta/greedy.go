package wta

// Greedy returns the maximum-marginal-return assignment (den Broeder, Ellison and Emerling
// 1959, "On optimum target assignments", Operations Research 7(3):322–326; Kline, Ahner and
// Hill 2019): units are placed one at a time, each time the pair (type i with a free unit,
// target j) with the largest reduction V_j S_j p_ij of the surviving value, S_j being target
// j's current survival probability. Ties go to the lowest type, then the lowest target. Every
// unit is placed (placing a unit never increases the objective). p must be valid (see
// Problem.Validate).
func Greedy(p *Problem) [][]int {
	x := make([][]int, p.W)
	for i := range x {
		x[i] = make([]int, p.T)
	}
	val := append([]float64(nil), p.V...) // V_j S_j
	left := append([]int(nil), p.Units...)
	bestJ := make([]int, p.W)
	bestG := make([]float64, p.W)
	rescan := func(i int) {
		bj, bg := -1, -1.0
		row := p.P[i]
		for j, q := range row {
			if g := val[j] * q; g > bg {
				bj, bg = j, g
			}
		}
		bestJ[i], bestG[i] = bj, bg
	}
	for i := range bestJ {
		rescan(i)
	}
	for {
		bi := -1
		for i := range left {
			if left[i] > 0 && (bi < 0 || bestG[i] > bestG[bi]) {
				bi = i
			}
		}
		if bi < 0 {
			return x
		}
		j := bestJ[bi]
		x[bi][j]++
		left[bi]--
		val[j] *= 1 - p.P[bi][j]
		// Only target j's value changed, and it went down: only the types whose best target
		// was j need a new scan.
		for i := range bestJ {
			if left[i] > 0 && bestJ[i] == j {
				rescan(i)
			}
		}
	}
}
