package c2

import "slices"

// multiNodeLimit bounds the nodes of solveMulti's search in one cycle. The search starts
// from the assignment that takes, track by track in priority order, the best units it can
// (the first leaf it reaches), so a search cut short still returns a sound assignment
// (Planner.MultiStats counts such cycles; sim's TestMaxPerTrack measures the examples').
const multiNodeLimit = 200_000

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
}

// solveMulti is solveWTA when several units may engage one track in a cycle (MaxPerTrack >
// 1): it chooses x_uj ∈ {0, 1} — a unit engages a track once, its engagement Pk_uj being its
// best weapon's, a salvo one engagement — with Σ_j x_uj ≤ the unit's free channels and
// Σ_u x_uj ≤ MaxPerTrack (1 for a track outside MultiCategories), to maximise the expected
// value saved Σ_j V_j (1 − Π_u (1 − Pk_uj)^x_uj): the same objective as the one-engagement
// case, which it reduces to when MaxPerTrack = 1 (TestMultiMatchesAssignment). The problem is the asset-based weapon-target
// assignment with a cap per target (NP-hard in general, Lloyd and Witsenhausen 1986), but a
// cycle's has a few tracks and units, and it is solved exactly by depth-first branch and
// bound over the tracks in priority order — for each track the sets of at most MaxPerTrack
// units with a free channel, larger sets and better units first — bounded by what each
// remaining track could gain with its best units and no channel taken
// (TestMultiMatchesBruteForce). Ties go to the earlier intercept, as in solveWTA; the search
// order makes the choice deterministic.
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
	ms.track(0, 0)
	p.multiMax = max(p.multiMax, min(ms.nodes, multiNodeLimit))
	if ms.nodes > multiNodeLimit {
		p.multiCuts++
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
	if ms.nodes++; ms.nodes > multiNodeLimit {
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
	if ms.found && gain+ms.rest[i] <= ms.bestGain {
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
		ms.cur[i] = append(ms.cur[i], ui)
		ms.set(i, j+1, surv*mt.q[j], gain)
		ms.cur[i] = ms.cur[i][:len(ms.cur[i])-1]
		ms.free[ui]++
		if ms.nodes > multiNodeLimit {
			return
		}
	}
	ms.set(i, j+1, surv, gain)
}
