package c2

import (
	"math"
	"slices"
)

// multiQuickNodes bounds solveMulti's first search, with the simple bound; a cycle that needs
// more is searched again with the Lagrangian bound (lagrangeBound), up to multiNodeLimit
// nodes. Both start from the greedy assignment (multiSearch.greedy), so a search cut short
// still returns a sound one, and Planner.MultiStats and MultiGap say how often and how far
// from the bound: the examples' cycles take at most 17 nodes (sim's TestMaxPerTrack); a
// 100-track, 40-channel cycle with two units per track is cut short 1.4 % from the bound in
// about 2.6 ms (go test ./c2 -bench DecisionCycle).
const multiQuickNodes = 2_000

// multiNodeLimit bounds the nodes of solveMulti's second search in one cycle.
const multiNodeLimit = 20_000

// multiTrack is one candidate of solveMulti: its index k in planScratch.cand, its expected
// value at risk v, the units that may engage it (unit indices, best engagement Pk first), the
// survival q = 1 − p' of each (p' the engagement Pk with the tie-break factor of solveWTA),
// and best, the most any allowed set of its units could save (ignoring the channels).
type multiTrack struct {
	k     int
	v     float64
	max   int // units at most: MaxPerTrack, or 1 outside MultiCategories
	units []int
	q     []float64
	best  float64
}

// multiSearch is the state of solveMulti's depth-first search.
type multiSearch struct {
	tracks   []multiTrack
	rest     []float64 // rest[i]: Σ best over tracks i.. (the bound)
	free     []int     // channels left per unit
	cur      [][]int   // the units chosen for each track on the current path
	bestSets [][]int
	bestGain float64
	found    bool
	nodes    int
	limit    int // nodes at most
	// The Lagrangian bound (lagrangeBound), when set: multipliers per unit, the suffix sums
	// of the tracks' penalised bests, and Σ λ_u·free_u on the current path.
	lam     []float64
	lagRest []float64
	lamFree float64
	lamRoot float64 // lamFree at the root
}

// solveMulti is solveWTA when several units may engage one track in a cycle (MaxPerTrack >
// 1): it chooses x_uj ∈ {0, 1} — a unit engages a track once, its engagement Pk_uj being its
// best weapon's, a salvo one engagement — with Σ_j x_uj ≤ the unit's free channels and
// Σ_u x_uj ≤ MaxPerTrack (1 for a track outside MultiCategories), to maximise the expected
// value saved Σ_j V_j (1 − Π_u (1 − Pk_uj)^x_uj): the same objective as the one-engagement
// case, which it reduces to when MaxPerTrack = 1 (TestMultiMatchesAssignment). The problem
// is the asset-based weapon-target assignment with a cap per target (NP-hard in general,
// Lloyd and Witsenhausen 1986), but a cycle's has a few tracks and units, and it is solved exactly by depth-first branch and
// bound over the tracks in priority order — for each track the sets of at most MaxPerTrack
// units with a free channel, larger sets and better units first — from the greedy
// assignment, bounded by what each remaining track could gain with its best units and no
// channel taken, and where that is too weak by a Lagrangian bound (TestMultiMatchesBruteForce,
// TestMultiLagrangianBound). Ties go to the earlier intercept, as in solveWTA, and among
// equal gains to the greedy assignment, then to the first found: the choice is deterministic.
func (p *Planner) solveMulti(t float64, tracks []Track, units []Unit) []Assignment {
	s := &p.scratch
	ms := multiSearch{free: make([]int, len(units))}
	for ui := range units {
		ms.free[ui] = units[ui].FreeChannels
	}
	for k, ti := range s.cand {
		v := s.evals[ti].ValueAtRisk
		if !(v > 0) {
			continue // nothing to save: solveWTA assigns only where V·Pk > 0
		}
		mt := multiTrack{k: k, v: v, max: p.MaxPerTrack}
		if p.MultiCategories != nil && !p.MultiCategories[tracks[ti].Category] {
			mt.max = 1
		}
		for ui := range units {
			if s.ok[ui][k] && units[ui].FreeChannels > 0 {
				mt.units = append(mt.units, ui)
			}
		}
		if len(mt.units) == 0 {
			continue
		}
		p2 := func(ui int) float64 {
			o := &s.opts[ui][k]
			return o.Pk * (1 - wtaTieBreak*min(max(o.FireAt+o.TOF-t, 0), wtaTieHorizon))
		}
		// Best first, ties in unit order (a stable sort of unit indices).
		slices.SortStableFunc(mt.units, func(a, b int) int {
			pa, pb := p2(a), p2(b)
			switch {
			case pa > pb:
				return -1
			case pa < pb:
				return 1
			}
			return 0
		})
		surv := 1.0
		for j, ui := range mt.units {
			q := 1 - p2(ui)
			mt.q = append(mt.q, q)
			if j < mt.max {
				surv *= q
			}
		}
		mt.best = v * (1 - surv)
		ms.tracks = append(ms.tracks, mt)
	}
	if len(ms.tracks) == 0 {
		return nil
	}
	ms.rest = make([]float64, len(ms.tracks)+1)
	for i := len(ms.tracks) - 1; i >= 0; i-- {
		ms.rest[i] = ms.rest[i+1] + ms.tracks[i].best
	}
	ms.cur = make([][]int, len(ms.tracks))
	ms.bestSets = make([][]int, len(ms.tracks))
	ms.greedy()
	// Most cycles are settled by the simple bound in a few nodes. Where the channels are
	// scarce for the tracks it is weak, and the search starts again, from the incumbent,
	// with the Lagrangian bound.
	ms.limit = multiQuickNodes
	if p.multiQuick != 0 {
		ms.limit = max(p.multiQuick, 0)
	}
	ms.track(0, 0)
	nodes := ms.nodes
	if ms.nodes > ms.limit {
		ms.lagrangeBound(len(units))
		ms.nodes, ms.limit = 0, multiNodeLimit
		ms.track(0, 0)
		nodes += ms.nodes
	}
	p.multiMax = max(p.multiMax, min(nodes, multiQuickNodes+multiNodeLimit))
	if ms.nodes > ms.limit {
		p.multiCuts++
		// What the cut search proves: its best against the bound at the root.
		if root := min(ms.rest[0], ms.lagRest[0]+ms.lamRoot); root > 0 {
			p.multiGap = max(p.multiGap, (root-ms.bestGain)/root)
		}
	}
	var out []Assignment
	for i, set := range ms.bestSets {
		for _, ui := range set {
			out = p.commit(out, units, ui, ms.tracks[i].k)
		}
	}
	return out
}

// track searches the sets of units for tracks i.. with gain saved so far.
func (ms *multiSearch) track(i int, gain float64) {
	if ms.nodes++; ms.nodes > ms.limit {
		return
	}
	if i == len(ms.tracks) {
		if !ms.found || gain > ms.bestGain {
			ms.found, ms.bestGain = true, gain
			for j, set := range ms.cur {
				ms.bestSets[j] = append(ms.bestSets[j][:0], set...)
			}
		}
		return
	}
	bound := ms.rest[i]
	if ms.lam != nil {
		bound = min(bound, ms.lagRest[i]+ms.lamFree)
	}
	// The bound with a margin for its rounding, so that no better set is pruned.
	if ms.found && gain+bound*(1+1e-12)+1e-12 <= ms.bestGain {
		return // even the best units on every remaining track would not do better
	}
	ms.set(i, 0, 1, gain)
}

// set chooses, for track i, whether to add its j-th unit to the set under way (whose
// survival so far is surv), larger sets first, then goes on to track i+1.
func (ms *multiSearch) set(i, j int, surv, gain float64) {
	mt := &ms.tracks[i]
	if j == len(mt.units) || len(ms.cur[i]) == mt.max {
		ms.track(i+1, gain+mt.v*(1-surv))
		return
	}
	if ui := mt.units[j]; ms.free[ui] > 0 {
		ms.free[ui]--
		if ms.lam != nil {
			ms.lamFree -= ms.lam[ui]
		}
		ms.cur[i] = append(ms.cur[i], ui)
		ms.set(i, j+1, surv*mt.q[j], gain)
		ms.cur[i] = ms.cur[i][:len(ms.cur[i])-1]
		ms.free[ui]++
		if ms.lam != nil {
			ms.lamFree += ms.lam[ui]
		}
		if ms.nodes > ms.limit {
			return
		}
	}
	ms.set(i, j+1, surv, gain)
}

// penalised is the most track mt can save less the multipliers of the units it takes,
// max over sets S of at most mt.max of its units of v·(1 − Π_S q) − Σ_S λ (the empty set
// gives 0), and whether each unit is in the best set (in, by position in mt.units; cur is
// scratch of the same length, at least len(mt.units), left all false).
func (mt *multiTrack) penalised(lam []float64, in, cur []bool) float64 {
	best, n := 0.0, len(mt.units)
	clear(in[:n])
	var walk func(j, size int, surv, pen float64)
	walk = func(j, size int, surv, pen float64) {
		if g := mt.v*(1-surv) - pen; g > best {
			best = g
			copy(in[:n], cur)
		}
		if size == mt.max {
			return
		}
		for ; j < n; j++ {
			cur[j] = true
			walk(j+1, size+1, surv*mt.q[j], pen+lam[mt.units[j]])
			cur[j] = false
		}
	}
	walk(0, 0, 1, 0)
	return best
}

// lagrangeBound sets the search's Lagrangian bound: the channel limits relaxed with a
// multiplier λ_u ≥ 0 per unit, the problem falls apart by track, and for any λ
// Σ_j max_S [V_j (1 − Π_S q) − Σ_S λ_u] + Σ_u λ_u·free_u is at least the best gain (Fisher
// 1981), on the whole problem and on what is left below any node. The multipliers come from
// the subgradient method with Polyak steps towards the incumbent (Held, Wolfe and Crowder
// 1974), 60 steps, the factor halved after 5 without progress; the lowest bound's are kept.
func (ms *multiSearch) lagrangeBound(nUnits int) {
	lam, best := make([]float64, nUnits), make([]float64, nUnits)
	in, cur := make([]bool, nUnits), make([]bool, nUnits)
	use := make([]int, nUnits)
	bestUB, alpha, stall := math.Inf(1), 1.0, 0
	for range 60 {
		clear(use)
		ub := 0.0
		for i := range ms.tracks {
			mt := &ms.tracks[i]
			ub += mt.penalised(lam, in, cur)
			for j, ui := range mt.units {
				if in[j] {
					use[ui]++
				}
			}
		}
		norm := 0.0
		for u := range lam {
			ub += lam[u] * float64(ms.free[u])
			if d := float64(ms.free[u] - use[u]); d < 0 || lam[u] > 0 {
				norm += d * d
			}
		}
		if ub < bestUB {
			bestUB, stall = ub, 0
			copy(best, lam)
		} else if stall++; stall >= 5 {
			alpha, stall = alpha/2, 0
		}
		if norm == 0 || ub <= ms.bestGain {
			break // the relaxed sets fit the channels, or the bound proves the incumbent
		}
		step := alpha * (ub - ms.bestGain) / norm
		for u := range lam {
			lam[u] = max(0, lam[u]-step*float64(ms.free[u]-use[u]))
		}
	}
	ms.lam = best
	ms.lagRest = make([]float64, len(ms.tracks)+1)
	for i := len(ms.tracks) - 1; i >= 0; i-- {
		ms.lagRest[i] = ms.lagRest[i+1] + ms.tracks[i].penalised(best, in, cur)
	}
	ms.lamFree = 0
	for u := range best {
		ms.lamFree += best[u] * float64(ms.free[u])
	}
	ms.lamRoot = ms.lamFree
}

// greedy sets the search's incumbent to the maximum-marginal-return assignment (den Broeder,
// Ellison and Emerling 1959): one engagement at a time, the one that saves the most, V·S·p
// with S the track's survival so far, until none saves anything or no channel is left.
func (ms *multiSearch) greedy() {
	free := slices.Clone(ms.free)
	surv := make([]float64, len(ms.tracks))
	for i := range surv {
		surv[i] = 1
	}
	gain := 0.0
	for {
		bi, bj, bg := -1, -1, 0.0
		for i := range ms.tracks {
			mt := &ms.tracks[i]
			if len(ms.bestSets[i]) == mt.max {
				continue
			}
			for j, ui := range mt.units {
				if free[ui] == 0 || slices.Contains(ms.bestSets[i], ui) {
					continue
				}
				if g := mt.v * surv[i] * (1 - mt.q[j]); g > bg {
					bi, bj, bg = i, j, g
				}
			}
		}
		if bi < 0 {
			break
		}
		mt := &ms.tracks[bi]
		ui := mt.units[bj]
		free[ui]--
		surv[bi] *= mt.q[bj]
		gain += bg
		ms.bestSets[bi] = append(ms.bestSets[bi], ui)
	}
	// The gain as a leaf of the search adds it up (track by track), so that a leaf with the
	// same sets is not taken for a better one by rounding.
	total := 0.0
	for i := range ms.tracks {
		total += ms.tracks[i].v * (1 - surv[i])
	}
	ms.found, ms.bestGain = true, total
}
