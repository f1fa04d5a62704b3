package c2

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// multiCycle is a random decision cycle as Plan leaves it for the assignment: nu units
// with one to three free channels, nc candidates (some of no value), and each pair's option
// with probability ½ — engagement Pks from a few values, so that ties occur, and times of
// intercept that break them.
func multiCycle(rng *rand.Rand, nu, nc int) (*Planner, []Unit) {
	p := &Planner{}
	s := &p.scratch
	units := make([]Unit, nu)
	for ui := range units {
		units[ui] = Unit{FreeChannels: 1 + rng.IntN(3), Weapons: []Weapon{{Rounds: 100}}}
	}
	s.cand = make([]int, nc)
	s.evals = make([]Threat, nc)
	for k := range s.cand {
		s.cand[k] = k
		if rng.IntN(6) > 0 {
			s.evals[k].ValueAtRisk = float64(1 + rng.IntN(100))
		}
	}
	s.opts, s.ok, s.nok = make([][]Option, nu), make([][]bool, nu), make([]int, nu)
	pks := []float64{0.3, 0.5, 0.5, 0.7, 0.9, rng.Float64()}
	for ui := range units {
		s.opts[ui], s.ok[ui] = make([]Option, nc), make([]bool, nc)
		for k := range s.cand {
			if rng.IntN(2) == 0 {
				s.ok[ui][k] = true
				s.nok[ui]++
				s.opts[ui][k] = Option{Pk: pks[rng.IntN(len(pks))], FireAt: 5 * rng.Float64(), TOF: 60 * rng.Float64(), Shots: 1}
			}
		}
	}
	return p, units
}

// multiGain is the objective of solveMulti for the pairs chosen: Σ_j V_j (1 − Π (1 − p')),
// p' the engagement Pk with solveWTA's tie-break factor at t = 0.
func multiGain(p *Planner, pairs [][2]int) float64 {
	s := &p.scratch
	surv := map[int]float64{}
	for _, pr := range pairs {
		ui, k := pr[0], pr[1]
		o := s.opts[ui][k]
		if _, ok := surv[k]; !ok {
			surv[k] = 1
		}
		surv[k] *= 1 - o.Pk*(1-wtaTieBreak*min(max(o.FireAt+o.TOF, 0), wtaTieHorizon))
	}
	g := 0.0
	for k, q := range surv {
		g += s.evals[s.cand[k]].ValueAtRisk * (1 - q)
	}
	return g
}

// bruteMulti is the best gain over every set of pairs with at most maxPer units per track
// and no unit over its channels, by enumeration.
func bruteMulti(p *Planner, units []Unit, maxPer int) float64 {
	s := &p.scratch
	var pairs [][2]int
	for ui := range units {
		for k := range s.cand {
			if s.ok[ui][k] {
				pairs = append(pairs, [2]int{ui, k})
			}
		}
	}
	best := 0.0
	for mask := 0; mask < 1<<len(pairs); mask++ {
		var chosen [][2]int
		used := make([]int, len(units))
		per := map[int]int{}
		ok := true
		for i, pr := range pairs {
			if mask&(1<<i) == 0 {
				continue
			}
			used[pr[0]]++
			per[pr[1]]++
			if used[pr[0]] > units[pr[0]].FreeChannels || per[pr[1]] > maxPer {
				ok = false
				break
			}
			chosen = append(chosen, pr)
		}
		if ok {
			best = max(best, multiGain(p, chosen))
		}
	}
	return best
}

// checkAssignments checks what an assignment returned against the cycle's constraints and
// returns its pairs (unit, candidate).
func checkAssignments(t *testing.T, p *Planner, units []Unit, out []Assignment, maxPer int) [][2]int {
	t.Helper()
	var pairs [][2]int
	used := make([]int, len(units))
	per := map[int]int{}
	for _, a := range out {
		k := slices.Index(p.scratch.cand, a.Track)
		pr := [2]int{a.Unit, k}
		if slices.Contains(pairs, pr) {
			t.Fatalf("unit %d assigned candidate %d twice", a.Unit, k)
		}
		if !p.scratch.ok[a.Unit][k] {
			t.Fatalf("unit %d assigned candidate %d without an option", a.Unit, k)
		}
		pairs = append(pairs, pr)
		used[a.Unit]++
		per[k]++
		if used[a.Unit] > units[a.Unit].FreeChannels || per[k] > maxPer {
			t.Fatalf("over a limit: unit %d %d of %d channels, candidate %d %d units of %d",
				a.Unit, used[a.Unit], units[a.Unit].FreeChannels, k, per[k], maxPer)
		}
	}
	return pairs
}

func cloneUnits(units []Unit) []Unit {
	c := slices.Clone(units)
	for i := range c {
		c[i].Weapons = slices.Clone(c[i].Weapons)
	}
	return c
}

// solveMulti finds the best assignment: on 3,000 random cycles of up to five units and five
// tracks, its gain equals the best of every set of pairs, enumerated, with one, two and
// three units allowed per track.
func TestMultiMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 3000 {
		p, units := multiCycle(rng, 1+rng.IntN(5), 1+rng.IntN(5))
		maxPer := 1 + n%3
		p.MaxPerTrack = maxPer
		if n%2 == 1 {
			p.multiQuick = -1 // every other cycle searched with the Lagrangian bound from the start
		}
		want := bruteMulti(p, units, maxPer)
		u := cloneUnits(units)
		got := multiGain(p, checkAssignments(t, p, units, p.solveMulti(0, nil, u), maxPer))
		if math.Abs(got-want) > 1e-9*max(want, 1) {
			t.Fatalf("cycle %d (%d units, %d tracks, %d per track): gain %.12g, best %.12g",
				n, len(units), len(p.scratch.cand), maxPer, got, want)
		}
		if _, cut := p.MultiStats(); cut != 0 {
			t.Fatalf("cycle %d: search cut short", n)
		}
	}
}

// With one unit per track solveMulti solves the linear assignment solveWTA solves with
// lap.Dense: the same gain on 3,000 random cycles (the same assignment but for exact ties).
func TestMultiMatchesAssignment(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := range 3000 {
		p, units := multiCycle(rng, 1+rng.IntN(6), 1+rng.IntN(8))
		p.MaxPerTrack = 1
		lapOut := p.solveWTA(0, nil, cloneUnits(units))
		multiOut := p.solveMulti(0, nil, cloneUnits(units))
		a := multiGain(p, checkAssignments(t, p, units, lapOut, 1))
		b := multiGain(p, checkAssignments(t, p, units, multiOut, 1))
		if math.Abs(a-b) > 1e-9*max(a, 1) {
			t.Fatalf("cycle %d: assignment gain %.12g, solveMulti %.12g", n, a, b)
		}
	}
}

// Two units on one track only where it pays: a track of high value that two units can
// reach gets both when a second track of low value is all the other unit could do; with
// the second track worth more it gets its own unit; and with two units allowed only on
// ballistic tracks, a drone gets one.
func TestMultiSendsTwoUnitsWhereItPays(t *testing.T) {
	for _, tc := range []struct {
		v2    float64
		cats  map[string]bool
		pairs [][2]int
	}{
		{v2: 5, pairs: [][2]int{{0, 0}, {1, 0}}},  // 100·(1 − 0.5·0.5) = 75 > 100·0.5 + 5·0.5
		{v2: 80, pairs: [][2]int{{0, 0}, {1, 1}}}, // 100·0.5 + 80·0.5 = 90 > 75
		{v2: 5, cats: map[string]bool{"ballistic_missile": true}, pairs: [][2]int{{0, 0}, {1, 1}}},
	} {
		p := &Planner{Config: Config{MaxPerTrack: 2, MultiCategories: tc.cats}}
		tracks := []Track{{Category: "drone"}, {Category: "drone"}}
		s := &p.scratch
		units := []Unit{{FreeChannels: 1, Weapons: []Weapon{{Rounds: 4}}}, {FreeChannels: 1, Weapons: []Weapon{{Rounds: 4}}}}
		s.cand = []int{0, 1}
		s.evals = []Threat{{ValueAtRisk: 100}, {ValueAtRisk: tc.v2}}
		o := Option{Pk: 0.5, Shots: 1, TOF: 10}
		s.opts = [][]Option{{o, {}}, {o, o}}
		s.ok = [][]bool{{true, false}, {true, true}}
		s.nok = []int{1, 2}
		got := checkAssignments(t, p, units, p.solveMulti(0, tracks, cloneUnits(units)), 2)
		slices.SortFunc(got, func(a, b [2]int) int { return a[0]*10 + a[1] - b[0]*10 - b[1] })
		if !slices.Equal(got, tc.pairs) {
			t.Errorf("second track worth %v, two units on %v: pairs %v, want %v", tc.v2, tc.cats, got, tc.pairs)
		}
	}
}

// How many nodes the search takes on larger random cycles (8 units, 8 tracks, two units per
// track), with the simple bound and with the Lagrangian bound from the start: both find the
// same gain; the log says what the Lagrangian bound saves.
func TestMultiLagrangianBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var simple, lagr int
	for n := range 200 {
		p, units := multiCycle(rng, 8, 8)
		p.MaxPerTrack = 2
		p.multiQuick = multiQuickNodes + multiNodeLimit // the simple bound only
		a := multiGain(p, checkAssignments(t, p, units, p.solveMulti(0, nil, cloneUnits(units)), 2))
		na, cutA := p.MultiStats()
		q := &Planner{Config: p.Config, scratch: p.scratch, multiQuick: -1}
		b := multiGain(q, checkAssignments(t, q, units, q.solveMulti(0, nil, cloneUnits(units)), 2))
		nb, cutB := q.MultiStats()
		if cutA != 0 || cutB != 0 {
			t.Fatalf("cycle %d: cut short (%d, %d)", n, cutA, cutB)
		}
		if math.Abs(a-b) > 1e-9*max(a, 1) {
			t.Fatalf("cycle %d: simple bound gain %.12g, Lagrangian %.12g", n, a, b)
		}
		simple, lagr = simple+na, lagr+nb
	}
	t.Logf("nodes over 200 cycles: %d with the simple bound, %d with the Lagrangian one", simple, lagr)
}
