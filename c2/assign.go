package c2

import (
	"cmp"
	"math"
	"slices"

	"github.com/adsim/adsim/engage"
	"github.com/adsim/adsim/geo"
	"github.com/adsim/adsim/lap"
)

// planScratch is reused between decision cycles so that planning does not allocate in the
// steady state.
type planScratch struct {
	evals []Threat
	pri   []float64  // the candidates' priorities while sorting
	cand  []int      // indices of assignable tracks
	opts  [][]Option // [unit][candidate]
	ok    [][]bool
	nok   []int // per unit, the number of candidates ok (after layer)
	reach []unitReach
	taken []bool
	// damage memoises Damage for evaluate across cycles.
	damage damageMemo
	// Per cycle: the distinct categories of the candidates (cats), each candidate's index in
	// it (catOf), and whether unit u may engage category c at all (may[u*len(cats)+c]:
	// mayUnknown until first asked, then mayYes or mayNo).
	cats  []catKey
	catOf []int
	may   []int8
	// assignment problem of solveWTA
	lap     lap.Dense
	rowUnit []int
	cost    []float64
	rowCol  []int
}

// States of planScratch.may.
const (
	mayUnknown int8 = iota
	mayYes
	mayNo
)

// unitReach bounds what unit ui, at pos with a free channel, can engage this cycle: the
// longest weapon range (m) and the longest time from the decision to a shot's end (s): the
// reaction time plus the longest time of flight, or for a gun the gunLead within which its
// window must open. options' loop over pairs of candidate and unit reads these, not the
// larger Unit.
type unitReach struct {
	ui       int
	pos      geo.Vec3
	rng, tof float64
}

// reachOf is the reach of unit u, index ui, with the weapons that have rounds left.
func reachOf(ui int, u *Unit) unitReach {
	r := unitReach{ui: ui, pos: u.Pos}
	for _, w := range u.Weapons {
		if w.Rounds > 0 {
			r.rng = max(r.rng, w.MaxRange)
			r.tof = max(r.tof, w.MaxTOF)
			if w.Gun {
				r.tof = max(r.tof, gunLead)
			}
		}
	}
	r.tof += u.Reaction
	return r
}

// outOfReach reports whether no weapon of the unit can engage a track at distance dist (m)
// from it, moving at speed (m/s), age seconds from its time to the decision's, before
// Feasible's own tests: every engagement Feasible accepts meets the track within rng of the
// unit at most |age| + tof seconds from the track's time. The track covers at most speed·τ
// in τ on the straight line it is predicted on, and a ballistic track (gravity arc) falls
// ½·g·τ² more. So a pair it reports is infeasible: skipping it changes no plan
// (TestOutOfReachIsExact). Straight-line tracks were held to the ballistic bound until
// December 2026: at a decision the S-400s' 0.5·g·tof² of some 300 km let 95 % of the default
// scenario's 10,800 BestOption calls a replication through, every one of them infeasible; and
// the track's age was left out, which could skip a feasible shot at a coasting track. A
// relative 1e-9 and a metre of slack keep rounding from excluding a pair at the boundary.
func (rc *unitReach) outOfReach(dist, speed, age float64, ballistic bool) bool {
	tau := rc.tof + math.Abs(age)
	r := rc.rng + speed*tau
	if ballistic {
		r += 0.5 * engage.Gravity * tau * tau
	}
	return dist > r*(1+1e-9)+1
}

// Plan makes this cycle's assignments at time t. Tracks already engaged are left alone (the
// "look" of shoot-look-shoot; a salvo is one engagement). For every other track and every unit
// with a free fire channel, Feasible and BestOption give the unit's engagement; the layered
// doctrine then removes inner-layer options where an outer unit can engage in time; finally
// Method chooses: MethodWTA solves the asset-based weapon-target assignment that minimises the
// expected value lost, Σ_j V_j Π_u (1 − Pk_uj)^x_uj, with each unit's free channels as its
// units of fire; MethodGreedy and MethodNearest are the simpler rules. Units' free channels and
// rounds are consumed in place.
func (p *Planner) Plan(t float64, tracks []Track, assets []Asset, units []Unit) []Assignment {
	s := &p.scratch
	s.cand = s.cand[:0]
	p.arcUsed = 0
	if cap(s.evals) < len(tracks) {
		s.evals = make([]Threat, len(tracks))
	}
	s.evals = s.evals[:len(tracks)]
	for i := range tracks {
		if tracks[i].Engaged > 0 {
			continue
		}
		s.cand = append(s.cand, i)
	}
	if len(s.cand) == 0 {
		return nil
	}
	// Most cycles (97 % in the capital example) have no engagement to offer: every track is
	// out of every free unit's reach, or a false track no unit may engage or see. Then
	// every rule assigns nothing, whatever the priorities, so they are not worked out: a
	// probe looks for a feasible option first, evaluating only the tracks it asks
	// BestOption about (evaluate and BestOption have no side effects but the memo of
	// Damage, which gives the same values).
	if !p.noProbe && !p.probe(t, tracks, assets, units) {
		return nil
	}
	for _, i := range s.cand {
		s.evals[i] = p.evaluate(&tracks[i], assets, &s.damage)
	}
	// Highest priority first (ties by track index): the order of the greedy rule, and of the
	// output.
	s.sortCandidates()
	p.options(t, tracks, units)
	if p.Layered {
		p.layer(t, tracks, units)
	}
	var out []Assignment
	switch p.Method {
	case MethodNearest:
		out = p.nearest(tracks, units)
	case MethodGreedy:
		out = p.greedy(units)
	default:
		out = p.solveWTA(t, tracks, units)
	}
	slices.SortStableFunc(out, func(a, b Assignment) int {
		return cmp.Compare(s.evals[b.Track].Priority, s.evals[a.Track].Priority)
	})
	return out
}

// insertionMax is the number of candidates up to which sortCandidates uses insertion sort.
// A cycle has a few tens of candidates; a generic sort then costs more in calls to its
// comparison function than in comparisons.
const insertionMax = 64

// sortCandidates orders s.cand by decreasing priority, ties (and NaN, last) in their order:
// slices.SortStableFunc with cmp.Compare of the priorities, which is what it falls back to
// above insertionMax candidates. Insertion sort with a strict comparison is stable, so both
// give the same order.
func (s *planScratch) sortCandidates() {
	if len(s.cand) > insertionMax {
		slices.SortStableFunc(s.cand, func(a, b int) int {
			return cmp.Compare(s.evals[b].Priority, s.evals[a].Priority)
		})
		return
	}
	s.pri = s.pri[:0]
	for _, ti := range s.cand {
		s.pri = append(s.pri, s.evals[ti].Priority)
	}
	cand, pri := s.cand, s.pri
	for i := 1; i < len(cand); i++ {
		c, p := cand[i], pri[i]
		j := i
		// Move it before every earlier candidate it precedes: cmp.Compare(q, p) < 0.
		for ; j > 0 && (pri[j-1] < p || (math.IsNaN(pri[j-1]) && !math.IsNaN(p))); j-- {
			cand[j], pri[j] = cand[j-1], pri[j-1]
		}
		cand[j], pri[j] = c, p
	}
}

// options fills s.opts[u][k] with unit u's engagement of candidate k.
func (p *Planner) options(t float64, tracks []Track, units []Unit) {
	p.optionsOf(t, tracks, nil, units, false)
}

// probe reports whether some free unit has a feasible option on some candidate: options on
// the candidates in track order, which evaluates a candidate only when it first asks
// BestOption about it and stops at the first option found. s.opts and s.ok are left for
// options to fill afresh.
func (p *Planner) probe(t float64, tracks []Track, assets []Asset, units []Unit) bool {
	return p.optionsOf(t, tracks, assets, units, true)
}

// optionsOf is probe when probe is set (evaluating against assets), else options (which
// reads s.evals); it reports whether it found an option.
func (p *Planner) optionsOf(t float64, tracks []Track, assets []Asset, units []Unit, probe bool) bool {
	s := &p.scratch
	for len(s.opts) < len(units) {
		s.opts = append(s.opts, nil)
		s.ok = append(s.ok, nil)
	}
	s.reach = s.reach[:0]
	for ui := range units {
		if units[ui].FreeChannels > 0 {
			s.reach = append(s.reach, reachOf(ui, &units[ui]))
		}
		if cap(s.opts[ui]) < len(s.cand) {
			// With room to grow: the number of candidates creeps up over a raid, and the
			// contents need not survive (ok is set for every candidate before opts is read).
			s.opts[ui] = make([]Option, len(s.cand), 2*len(s.cand))
			s.ok[ui] = make([]bool, len(s.cand), 2*len(s.cand))
		}
		s.opts[ui] = s.opts[ui][:len(s.cand)]
		s.ok[ui] = s.ok[ui][:len(s.cand)]
		clear(s.ok[ui])
	}
	s.nok = slices.Grow(s.nok[:0], len(units))[:len(units)]
	clear(s.nok)
	// Whether a unit may engage a category (map lookups) is asked for every track in reach;
	// tracks come in a few categories, so it is answered once per unit and category, and
	// only when first asked: most units have no track of most categories in reach.
	s.cats, s.catOf = s.cats[:0], s.catOf[:0]
	for _, ti := range s.cand {
		key := catKey{tracks[ti].Category, tracks[ti].Also}
		c := -1
		for j := range s.cats { // a few categories: a loop, not a call per element
			if s.cats[j].equal(key) {
				c = j
				break
			}
		}
		if c < 0 {
			c = len(s.cats)
			s.cats = append(s.cats, key)
		}
		s.catOf = append(s.catOf, c)
	}
	nc := len(s.cats)
	s.may = slices.Grow(s.may[:0], len(units)*nc)[:len(units)*nc]
	clear(s.may) // mayUnknown
	for k, ti := range s.cand {
		tr := &tracks[ti]
		ev := s.evals[ti]
		evaluated := !probe
		speed, age, ballistic := tr.Vel.Norm(), t-tr.T, p.ballistic(tr)
		for ri := range s.reach {
			rc := &s.reach[ri]
			if rc.outOfReach(tr.Pos.Sub(rc.pos).Norm(), speed, age, ballistic) {
				continue // out of reach of every weapon of the unit
			}
			ui, u := rc.ui, &units[rc.ui]
			may := &s.may[ui*nc+s.catOf[k]]
			if *may == mayUnknown {
				*may = mayNo
				if u.mayEngage(tr) {
					*may = mayYes
				}
			}
			if *may != mayYes {
				continue // before the line-of-sight test, which costs more
			}
			if u.CanSee != nil && !p.Cueing && !u.CanSee(tr.Pos) {
				continue
			}
			if !evaluated {
				ev, evaluated = p.evaluate(tr, assets, &s.damage), true
			}
			var ok bool
			s.opts[ui][k], ok = p.BestOption(t, tr, ev, u)
			if ok && p.Cueing && u.CanSee != nil && !u.CanSee(p.Predictor(tr)(s.opts[ui][k].FireAt)) {
				ok = false // cued, but its radar will not see the target when it fires
			}
			if ok {
				if probe {
					return true
				}
				s.ok[ui][k] = true
				s.nok[ui]++
			}
		}
	}
	return false
}

// layer applies the layered doctrine: where a long- or medium-range unit can engage a track
// now and the track is more than LayerMargin from its asset at time t, the short-range layer
// holds fire.
func (p *Planner) layer(t float64, tracks []Track, units []Unit) {
	s := &p.scratch
	margin := p.LayerMargin
	if margin == 0 {
		margin = 60
	}
	for k, ti := range s.cand {
		if arrival(&tracks[ti], s.evals[ti])-t <= margin {
			continue
		}
		outer := false
		for ui := range units {
			if s.ok[ui][k] && units[ui].Layer < LayerShort {
				outer = true
				break
			}
		}
		if !outer {
			continue
		}
		for ui := range units {
			if units[ui].Layer == LayerShort && s.ok[ui][k] {
				s.ok[ui][k] = false
				s.nok[ui]--
			}
		}
	}
}

// commit turns unit ui's option on candidate k into an assignment if the unit still has a
// channel and the rounds, consuming them.
func (p *Planner) commit(out []Assignment, units []Unit, ui, k int) []Assignment {
	s := &p.scratch
	u := &units[ui]
	o := s.opts[ui][k]
	w := &u.Weapons[o.Weapon]
	need := o.Shots
	if w.Gun {
		need = 1
	}
	if u.FreeChannels <= 0 || w.Rounds < need {
		return out
	}
	u.FreeChannels--
	w.Rounds -= need
	ti := s.cand[k]
	return append(out, Assignment{Track: ti, Unit: ui, Option: o, Threat: s.evals[ti]})
}

// nearest is the naive baseline: each unit in turn engages the nearest tracks it can, one
// unit per track, until its channels are used.
func (p *Planner) nearest(tracks []Track, units []Unit) []Assignment {
	s := &p.scratch
	s.taken = resetBools(s.taken, len(s.cand))
	var out []Assignment
	for ui := range units {
		for units[ui].FreeChannels > 0 {
			best, bestD := -1, 0.0
			for k, ti := range s.cand {
				if s.taken[k] || !s.ok[ui][k] {
					continue
				}
				if d := tracks[ti].Pos.Sub(units[ui].Pos).Norm2(); best < 0 || d < bestD {
					best, bestD = k, d
				}
			}
			if best < 0 {
				break
			}
			n := len(out)
			out = p.commit(out, units, ui, best)
			if len(out) == n {
				break
			}
			s.taken[best] = true
		}
	}
	return out
}

// greedy takes tracks in decreasing priority and gives each the unit option with the highest
// engagement Pk, ties to the earlier intercept.
func (p *Planner) greedy(units []Unit) []Assignment {
	s := &p.scratch
	var out []Assignment
	for k := range s.cand {
		best := -1
		for ui := range units {
			if !s.ok[ui][k] || units[ui].FreeChannels <= 0 {
				continue
			}
			o := s.opts[ui][k]
			if best < 0 || o.Pk > s.opts[best][k].Pk ||
				(o.Pk == s.opts[best][k].Pk && o.FireAt+o.TOF < s.opts[best][k].FireAt+s.opts[best][k].TOF) {
				best = ui
			}
		}
		if best >= 0 {
			out = p.commit(out, units, best, k)
		}
	}
	return out
}

// wtaTieBreak and wtaTieHorizon (s) set solveWTA's tie-break: an intercept τ seconds from now
// costs a factor 1 − wtaTieBreak·min(τ, wtaTieHorizon) of its value saved, at most 1e-6.
const (
	wtaTieBreak   = 1e-9
	wtaTieHorizon = 1000
)

// solveWTA chooses this cycle's engagements to minimise the expected value lost,
// Σ_j V_j Π_u (1 − Pk_uj)^x_uj, where V_j is track j's expected value at risk, Pk_uj unit u's
// engagement kill probability and x_uj ∈ {0, 1} (one unit engages a track once; a salvo is
// one engagement), with Σ_j x_uj ≤ the unit's free channels and Σ_u x_uj ≤ MaxPerTrack.
//
// With MaxPerTrack = 1 (the default, the shoot-look-shoot reading: one engagement at a time)
// the objective is linear in x — Σ_j V_j − Σ V_j Pk_uj x_uj — so the problem is an assignment
// of channels to tracks, solved exactly by the Jonker–Volgenant shortest augmenting path
// method. With more engagements per track the objective is nonlinear, and solveMulti solves
// it exactly by branch and bound. Ties go to the earlier intercept (wtaTieBreak).
func (p *Planner) solveWTA(t float64, tracks []Track, units []Unit) []Assignment {
	if p.MaxPerTrack > 1 {
		return p.solveMulti(t, tracks, units)
	}
	s := &p.scratch
	// Rows: one per free channel (a unit's channels are identical copies); columns: tracks.
	s.rowUnit = s.rowUnit[:0]
	for ui := range units {
		n := s.nok[ui]
		for c := 0; c < min(units[ui].FreeChannels, n); c++ {
			s.rowUnit = append(s.rowUnit, ui)
		}
	}
	n, m := len(s.rowUnit), len(s.cand)
	if n == 0 {
		return nil
	}
	if cap(s.cost) < n*m {
		s.cost = make([]float64, n*m)
	}
	s.cost = s.cost[:n*m]
	for r, ui := range s.rowUnit {
		for k, ti := range s.cand {
			c := 0.0
			if s.ok[ui][k] {
				// Ties (the same Pk from identical units, common) go to the earlier
				// intercept, as in the greedy rule: it leaves the most time for a second
				// engagement after a miss. The factor moves the cost by less than 1e-6 of
				// itself, and keeps its sign.
				o := &s.opts[ui][k]
				c = -s.evals[ti].ValueAtRisk * o.Pk * (1 - wtaTieBreak*min(max(o.FireAt+o.TOF-t, 0), wtaTieHorizon))
			}
			s.cost[r*m+k] = c
		}
	}
	if cap(s.rowCol) < n {
		s.rowCol = make([]int, n)
	}
	s.rowCol = s.rowCol[:n]
	if _, err := s.lap.Solve(s.cost, n, m, s.rowCol); err != nil {
		return p.greedy(units) // cannot happen: no entry is forbidden
	}
	var out []Assignment
	for r, k := range s.rowCol {
		if k >= 0 && s.cost[r*m+k] < 0 {
			out = p.commit(out, units, s.rowUnit[r], k)
		}
	}
	return out
}

func resetBools(b []bool, n int) []bool {
	if cap(b) < n {
		return make([]bool, n)
	}
	b = b[:n]
	for i := range b {
		b[i] = false
	}
	return b
}

// mayEngage reports whether the unit may engage the track at all: its rules of engagement
// allow it (allows) and one of its weapons with rounds left has a kill probability against
// its category.
func (u *Unit) mayEngage(tr *Track) bool {
	if !u.allows(tr) {
		return false
	}
	for wi := range u.Weapons {
		if w := &u.Weapons[wi]; w.Rounds > 0 && w.Pk[tr.Category] > 0 {
			return true
		}
	}
	return false
}

// catKey is a track's identification as the rules of engagement see it: its category and
// the others not yet ruled out (Track.Also).
type catKey struct {
	cat  string
	also []string
}

// equal compares the keys; the Also lists of one scenario's tracks mostly share their arrays
// (sim hands out one slice per set), which settles most comparisons without reading them.
func (k catKey) equal(o catKey) bool {
	if k.cat != o.cat || len(k.also) != len(o.also) {
		return false
	}
	return len(k.also) == 0 || &k.also[0] == &o.also[0] || slices.Equal(k.also, o.also)
}

// allows reports whether the unit's rules of engagement allow the track: its category and
// every category it may still be (Track.Also).
func (u *Unit) allows(tr *Track) bool {
	if u.Engages == nil {
		return true
	}
	if !u.Engages[tr.Category] {
		return false
	}
	for _, c := range tr.Also {
		if !u.Engages[c] {
			return false
		}
	}
	return true
}
