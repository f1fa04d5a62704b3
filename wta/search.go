package wta

import (
	"math"
	"math/rand/v2"

	"github.com/adsim/adsim/lap"
)

// pClamp caps kill probabilities inside the search so that every survival factor is positive
// and moves can be evaluated by division. A unit with p = 1 then leaves survival 1e-12 instead
// of 0; the reported objective is always re-evaluated exactly by Objective.
const pClamp = 1 - 1e-12

// search is the incumbent of the local search: every unit is placed on a target, and each
// target keeps its log survival and its surviving value val_j = V_j exp(logS_j), so that a move
// or a swap is priced in O(1) (Ahuja et al. 2007, section 5).
type search struct {
	W, T int
	V    []float64
	pk   [][]float64 // kill probability, clamped
	q    [][]float64 // 1 − pk
	iq   [][]float64 // 1 / q
	lq   [][]float64 // ln q

	typ  []int32 // unit → weapon type
	tgt  []int32 // unit → target
	logS []float64
	val  []float64
	rng  *rand.Rand

	// scratch
	asg     lap.JV
	cols    []int
	saveT   []int32
	saveLog []float64
	saveVal []float64
	cost    []float64
	pickT   []bool
	order   []int
	removed []int
}

func newSearch(p *Problem, rng *rand.Rand) *search {
	s := &search{W: p.W, T: p.T, V: p.V, rng: rng}
	s.pk = make([][]float64, p.W)
	s.q = make([][]float64, p.W)
	s.iq = make([][]float64, p.W)
	s.lq = make([][]float64, p.W)
	for i := range p.P {
		s.pk[i] = make([]float64, p.T)
		s.q[i] = make([]float64, p.T)
		s.iq[i] = make([]float64, p.T)
		s.lq[i] = make([]float64, p.T)
		for j, v := range p.P[i] {
			v = min(v, pClamp)
			s.pk[i][j] = v
			s.q[i][j] = 1 - v
			s.iq[i][j] = 1 / (1 - v)
			s.lq[i][j] = math.Log1p(-v)
		}
	}
	for i, u := range p.Units {
		for range u {
			s.typ = append(s.typ, int32(i))
		}
	}
	s.tgt = make([]int32, len(s.typ))
	s.logS = make([]float64, p.T)
	s.val = make([]float64, p.T)
	s.pickT = make([]bool, p.T)
	return s
}

// load sets the incumbent to x (which must place all units: missing ones go to target 0).
func (s *search) load(x [][]int) {
	u := 0
	for i := range x {
		n := 0
		for j, k := range x[i] {
			for range k {
				s.tgt[u] = int32(j)
				u++
				n++
			}
		}
		for ; n < s.unitsOf(i); n++ {
			s.tgt[u] = 0
			u++
		}
	}
	s.recompute()
}

func (s *search) unitsOf(i int) int {
	n := 0
	for _, t := range s.typ {
		if int(t) == i {
			n++
		}
	}
	return n
}

// recompute rebuilds the per-target state from the unit placement, removing drift.
func (s *search) recompute() {
	clear(s.logS)
	for u, j := range s.tgt {
		s.logS[j] += s.lq[s.typ[u]][j]
	}
	for j := range s.val {
		s.val[j] = s.V[j] * math.Exp(s.logS[j])
	}
}

func (s *search) objective() float64 {
	sum := 0.0
	for _, v := range s.val {
		sum += v
	}
	return sum
}

func (s *search) assignment() [][]int {
	x := make([][]int, s.W)
	for i := range x {
		x[i] = make([]int, s.T)
	}
	for u, j := range s.tgt {
		x[s.typ[u]][j]++
	}
	return x
}

// move places unit u on target b.
func (s *search) move(u int, b int) {
	a := int(s.tgt[u])
	if a == b {
		return
	}
	i := s.typ[u]
	s.logS[a] -= s.lq[i][a]
	s.logS[b] += s.lq[i][b]
	s.val[a] = s.V[a] * math.Exp(s.logS[a])
	s.val[b] = s.V[b] * math.Exp(s.logS[b])
	s.tgt[u] = int32(b)
}

// localSearch applies improving moves (one unit to another target) and swaps (two units of
// different types on different targets exchange targets) until neither improves by more than
// a relative 1e-13. It returns whether anything changed.
func (s *search) localSearch() bool {
	changed := false
	for {
		eps := 1e-13 * s.objective()
		improved := false
		// Moves: best target for each unit.
		for u := range s.tgt {
			a := int(s.tgt[u])
			i := s.typ[u]
			loss := s.val[a] * (s.iq[i][a] - 1) // increase at a when u leaves
			pk := s.pk[i]
			bb, bg := -1, loss+eps
			for b, v := range s.val {
				if g := v * pk[b]; g > bg && b != a {
					bb, bg = b, g
				}
			}
			if bb >= 0 {
				s.move(u, bb)
				improved = true
			}
		}
		if improved {
			changed = true
			continue
		}
		// Swaps.
		n := len(s.tgt)
		rest := s.removedVal()
		for u := 0; u < n && !improved; u++ {
			a, i := int(s.tgt[u]), s.typ[u]
			ra, va := rest[u], s.val[a]
			qi := s.q[i]
			for v := u + 1; v < n; v++ {
				k := s.typ[v]
				b := int(s.tgt[v])
				if k == i || b == a {
					continue
				}
				d := ra*s.q[k][a] - va + rest[v]*qi[b] - s.val[b]
				if d < -eps {
					s.move(u, b)
					s.move(v, a)
					improved = true
					break
				}
			}
		}
		if !improved {
			for i := 0; i < s.W; i++ {
				if s.reoptType(i, eps) {
					improved = true
				}
			}
		}
		if !improved {
			return changed
		}
		changed = true
	}
}

// reoptType takes out every unit of type i and puts them back one by one where each reduces
// the objective most. With the other types fixed the objective is separable and convex in
// the counts of type i, so this marginal allocation is optimal for type i (Gross 1956;
// Ibaraki and Katoh 1988, "Resource allocation problems"). It moves stacks of units that
// single moves cannot. It applies the result if it improves by more than eps.
func (s *search) reoptType(i int, eps float64) bool {
	units := s.removed[:0]
	for u, t := range s.typ {
		if int(t) == i {
			units = append(units, u)
		}
	}
	s.removed = units
	if len(units) == 0 {
		return false
	}
	before := s.objective()
	s.saveT = s.snapshot(s.saveT)
	s.saveLog = append(s.saveLog[:0], s.logS...)
	s.saveVal = append(s.saveVal[:0], s.val...)
	for _, u := range units {
		j := int(s.tgt[u])
		s.logS[j] -= s.lq[i][j]
		s.val[j] = s.V[j] * math.Exp(s.logS[j])
	}
	pk := s.pk[i]
	for _, u := range units {
		bb, bg := 0, -1.0
		for b, v := range s.val {
			if g := v * pk[b]; g > bg {
				bb, bg = b, g
			}
		}
		s.tgt[u] = int32(bb)
		s.logS[bb] += s.lq[i][bb]
		s.val[bb] = s.V[bb] * math.Exp(s.logS[bb])
	}
	if s.objective() < before-eps {
		return true
	}
	copy(s.tgt, s.saveT)
	copy(s.logS, s.saveLog)
	copy(s.val, s.saveVal)
	return false
}

// removedVal returns, per unit, the surviving value of its target without that unit.
func (s *search) removedVal() []float64 {
	r := make([]float64, len(s.tgt))
	for u, j := range s.tgt {
		r[u] = s.val[j] * s.iq[s.typ[u]][j]
	}
	return r
}

// ejectReinsert is the very large-scale neighbourhood step: k units on k distinct targets are
// taken out and put back, at most one per target, by an exact linear assignment on the
// surviving values left without them. The neighbourhood contains every cyclic and path
// exchange among the chosen units and every move of one of them (Ahuja et al. 2007, section
// 6, where such exchanges are found as negative cycles of an improvement graph; here the
// assignment solves the whole restricted neighbourhood exactly). It applies the result when it
// improves by more than eps and reports whether it did.
func (s *search) ejectReinsert(units []int, eps float64) bool {
	k, m := len(units), s.T
	if k == 0 || k > m {
		return false
	}
	before := 0.0
	for _, u := range units {
		before += s.val[s.tgt[u]]
	}
	for _, u := range units {
		j := int(s.tgt[u])
		s.logS[j] -= s.lq[s.typ[u]][j]
	}
	for _, u := range units {
		j := int(s.tgt[u])
		s.val[j] = s.V[j] * math.Exp(s.logS[j])
	}
	after := 0.0
	for _, u := range units {
		after += s.val[s.tgt[u]]
	}
	if cap(s.cost) < k*m {
		s.cost = make([]float64, k*m)
	}
	cost := s.cost[:k*m]
	for r, u := range units {
		pk := s.pk[s.typ[u]]
		row := cost[r*m : (r+1)*m]
		for j, v := range s.val {
			row[j] = -v * pk[j]
		}
	}
	if cap(s.cols) < k {
		s.cols = make([]int, k)
	}
	cols := s.cols[:k]
	if _, err := s.asg.Solve(cost, k, m, cols); err != nil {
		s.undoEject(units) // cannot happen: the costs are finite and k ≤ m
		return false
	}
	total := 0.0
	for r, u := range units {
		total -= s.val[cols[r]] * s.pk[s.typ[u]][cols[r]]
	}
	// The ejected units currently contribute before − after (≤ 0: taking them out raises the
	// surviving values); the assignment offers total.
	if total < (before-after)-eps {
		for r, u := range units {
			j := cols[r]
			s.tgt[u] = int32(j)
			s.logS[j] += s.lq[s.typ[u]][j]
		}
		for r := range units {
			j := cols[r]
			s.val[j] = s.V[j] * math.Exp(s.logS[j])
		}
		return true
	}
	s.undoEject(units)
	return false
}

// undoEject puts the ejected units back where they were.
func (s *search) undoEject(units []int) {
	for _, u := range units {
		j := int(s.tgt[u])
		s.logS[j] += s.lq[s.typ[u]][j]
	}
	for _, u := range units {
		j := int(s.tgt[u])
		s.val[j] = s.V[j] * math.Exp(s.logS[j])
	}
}

// pickDistinct chooses up to k random units on pairwise distinct targets.
func (s *search) pickDistinct(k int) []int {
	n := len(s.tgt)
	if cap(s.order) < n {
		s.order = make([]int, n)
	}
	s.order = s.order[:n]
	for u := range s.order {
		s.order[u] = u
	}
	s.removed = s.removed[:0]
	for idx := 0; idx < n && len(s.removed) < k; idx++ {
		r := idx + s.rng.IntN(n-idx)
		s.order[idx], s.order[r] = s.order[r], s.order[idx]
		u := s.order[idx]
		j := s.tgt[u]
		if s.pickT[j] {
			continue
		}
		s.pickT[j] = true
		s.removed = append(s.removed, u)
	}
	for _, u := range s.removed {
		s.pickT[s.tgt[u]] = false
	}
	return s.removed
}

// kick is the ruin-and-recreate perturbation of the iterated local search: k random units
// are taken out and put back one by one, each on a random one of its three best targets or,
// one time in four, on any target.
func (s *search) kick(k int) {
	n := len(s.tgt)
	k = min(k, n)
	units := s.rng.Perm(n)[:k]
	for _, u := range units {
		j := int(s.tgt[u])
		s.logS[j] -= s.lq[s.typ[u]][j]
		s.val[j] = s.V[j] * math.Exp(s.logS[j])
	}
	var top [3]int
	var topG [3]float64
	for _, u := range units {
		i := s.typ[u]
		for t := range top {
			top[t], topG[t] = -1, -1
		}
		for b, v := range s.val {
			g := v * s.pk[i][b]
			if g > topG[2] {
				pos := 2
				for pos > 0 && g > topG[pos-1] {
					top[pos], topG[pos] = top[pos-1], topG[pos-1]
					pos--
				}
				top[pos], topG[pos] = b, g
			}
		}
		c := 0
		for c < 3 && top[c] >= 0 {
			c++
		}
		b := top[s.rng.IntN(c)]
		if s.rng.IntN(4) == 0 {
			b = s.rng.IntN(s.T)
		}
		s.tgt[u] = int32(b)
		s.logS[b] += s.lq[i][b]
		s.val[b] = s.V[b] * math.Exp(s.logS[b])
	}
}

// snapshot copies the placement.
func (s *search) snapshot(dst []int32) []int32 { return append(dst[:0], s.tgt...) }

func (s *search) restore(src []int32) {
	copy(s.tgt, src)
	s.recompute()
}

// repair turns a Lagrangian solution (each target's minimiser x_j(λ) of the relaxation in
// which the capacities are priced, not enforced) into a feasible placement and loads it: while
// a weapon type has more units than it owns, the unit whose removal raises the objective least
// is taken off; then free units are placed by maximum marginal return. This is the classic
// Lagrangian heuristic (Fisher 1981, section 7; Beasley 1993, "Lagrangean relaxation", in
// Modern Heuristic Techniques for Combinatorial Problems): near the optimal multipliers the
// relaxed solution violates few capacities, so little is changed.
func (s *search) repair(sol []pick, units []int) {
	x := make([][]int, s.W)
	for i := range x {
		x[i] = make([]int, s.T)
	}
	count := make([]int, s.W)
	logS := make([]float64, s.T)
	for _, pk := range sol {
		x[pk.I][pk.J] += int(pk.N)
		count[pk.I] += int(pk.N)
		logS[pk.J] += float64(pk.N) * s.lq[pk.I][pk.J]
	}
	val := make([]float64, s.T)
	for j := range val {
		val[j] = s.V[j] * math.Exp(logS[j])
	}
	set := func(i, j, d int) {
		x[i][j] += d
		count[i] += d
		logS[j] += float64(d) * s.lq[i][j]
		val[j] = s.V[j] * math.Exp(logS[j])
	}
	for i := 0; i < s.W; i++ {
		for count[i] > units[i] {
			bj, bl := -1, math.Inf(1)
			for j, n := range x[i] {
				if n > 0 {
					if l := val[j] * (s.iq[i][j] - 1); l < bl {
						bj, bl = j, l
					}
				}
			}
			set(i, bj, -1)
		}
	}
	for {
		bi, bj, bg := -1, -1, -1.0
		for i := 0; i < s.W; i++ {
			if count[i] >= units[i] {
				continue
			}
			for j, v := range val {
				if g := v * s.pk[i][j]; g > bg {
					bi, bj, bg = i, j, g
				}
			}
		}
		if bi < 0 {
			break
		}
		set(bi, bj, 1)
	}
	s.load(x)
}
