package mc

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// A sweep over a grid of two fields with a third fixed: every point runs on the same random
// numbers, so the points compare pairwise.
func ExampleSweep() {
	st, err := smallStudy() // NewStudy of testdata/small.yaml, as in ExampleRun
	if err != nil {
		fmt.Println(err)
		return
	}
	// Fixed for the whole sweep: the perfect air picture, and a catalog assumption.
	st, err = st.WithSettings([]Setting{{"c2.picture", "perfect"}, {"catalog.systems[pantsir-s1].weapons[57e6].pk0.drone", "0.6"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	grid, err := Grid([]Axis{{"raids[drones].count", []string{"4", "8"}}, {"fire_units[pantsir].magazine.57e6", []string{"4", "12"}}}, false)
	if err != nil {
		fmt.Println(err)
		return
	}
	points, _, err := Sweep(context.Background(), st, grid, Local{}, Options{Reps: Range{End: 20}}, SweepHooks{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range points {
		fmt.Println(settingsText(p.Set), "replications:", p.Result.Replications)
	}
	more, fewer := points[1].Result, points[0].Result
	fmt.Println("a bigger magazine fires more:", more.Interceptors.Mean.Est > fewer.Interceptors.Mean.Est)
	// Output:
	// raids[drones].count=4, fire_units[pantsir].magazine.57e6=4 replications: 20
	// raids[drones].count=4, fire_units[pantsir].magazine.57e6=12 replications: 20
	// raids[drones].count=8, fire_units[pantsir].magazine.57e6=4 replications: 20
	// raids[drones].count=8, fire_units[pantsir].magazine.57e6=12 replications: 20
	// a bigger magazine fires more: true
}

// A sensitivity study of two factors: each effect is paired with one baseline run on the
// same replications, as Compare pairs two studies.
func ExampleSensitivity() {
	st, err := smallStudy() // NewStudy of testdata/small.yaml, as in ExampleRun
	if err != nil {
		fmt.Println(err)
		return
	}
	factors := []Factor{
		{Path: "catalog.systems[pantsir-s1].weapons[57e6].pk0.drone", Low: "0.05", High: "0.95"},
		{Path: "description", Low: "a", High: "b"}, // changes nothing
	}
	effects, _, err := Sensitivity(context.Background(), st, factors, Local{}, Range{End: 20}, SensitivityHooks{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range effects {
		fmt.Printf("%s: low loses more %v, high loses less %v\n", e.Path,
			e.Low.ValueLost.Diff.Est > 0, e.High.ValueLost.Diff.Est < 0)
	}
	// Output:
	// catalog.systems[pantsir-s1].weapons[57e6].pk0.drone: low loses more true, high loses less true
	// description: low loses more false, high loses less false
}

// Two variants of one scenario compared on common random numbers, building by building.
func ExampleCompare() {
	a, err := smallStudy() // NewStudy of testdata/small.yaml, as in ExampleRun
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := a.With("fire_units[pantsir].magazine.57e6", "12") // three times the missiles
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := Compare(context.Background(), a, b, Local{}, Range{End: 30}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	v := c.Verdict()[0] // e.g. "B loses 58.3 ± 8.5 less asset value than A (95 % CI), significant (paired t, p = …)"
	fmt.Println("B loses less:", strings.Contains(v, "less asset value than A"), "significant:", c.ValueLost.Significant())
	for _, as := range c.Assets {
		fmt.Printf("%s: less value lost %v\n", as.ID, as.ValueLost.Diff.Est < 0)
	}
	// Output:
	// B loses less: true significant: true
	// hq: less value lost true
	// depot: less value lost true
}

// A comparison run only until the leak rate's difference is known to ±5 points, checked
// every 10 pairs; the replications where only A let a threat through are the ones to replay.
func ExampleCompareUntil() {
	a, b, err := smallAndMoreMissiles()
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := CompareUntil(context.Background(), a, b, Local{}, Range{End: 400}, 0.05, 10, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("stopped early:", c.Replications < 400, "at a check:", c.Replications%10 == 0)
	fmt.Println("half-width within the bound:", c.LeakRate.Diff.HalfWidth() <= 0.05)
	fmt.Println("enough pairs differ:", c.DifferingPairs >= MinDifferingPairs)
	fmt.Println("a leaker under A only, never under B only:", c.LeakFlips.OnlyA.Count > 0, c.LeakFlips.OnlyB.Count == 0)
	// Output:
	// stopped early: true at a check: true
	// half-width within the bound: true
	// enough pairs differ: true
	// a leaker under A only, never under B only: true true
}

// CompareWith keeps the rows of each side as well: here a Summary per side, whose statistics
// are those of a plain Run of that side (an Output per side, as adsim compare --out writes,
// keeps the rows themselves).
func ExampleCompareWith() {
	a, b, err := smallAndMoreMissiles()
	if err != nil {
		fmt.Println(err)
		return
	}
	sumA, sumB := NewSummary(a), NewSummary(b)
	c, err := CompareWith(context.Background(), a, b, Local{}, Range{End: 40},
		CompareOptions{SinksA: []RowSink{sumA}, SinksB: []RowSink{sumB}})
	if err != nil {
		fmt.Println(err)
		return
	}
	runB, err := Run(context.Background(), b, Local{}, Options{Reps: Range{End: 40}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("pairs:", c.Replications, "rows of A:", sumA.N(), "rows of B:", sumB.N())
	fmt.Println("B's leak rate as a plain run's:", sumB.LeakRate() == runB.LeakRate())
	fmt.Println("the comparison's mean value lost under B is its rows':", c.ValueLost.B == sumB.ValueLost().Est)
	// Output:
	// pairs: 40 rows of A: 40 rows of B: 40
	// B's leak rate as a plain run's: true
	// the comparison's mean value lost under B is its rows': true
}

// smallAndMoreMissiles is the small test scenario (A) and the same with 12 missiles in the
// Pantsir's magazine (B), the pair the comparison examples run.
func smallAndMoreMissiles() (a, b *Study, err error) {
	if a, err = smallStudy(); err != nil {
		return nil, nil, err
	}
	b, err = a.With("fire_units[pantsir].magazine.57e6", "12")
	return a, b, err
}

// smallStudy is the study of the small test scenario the examples run.
func smallStudy() (*Study, error) {
	src, err := os.ReadFile("testdata/small.yaml")
	if err != nil {
		return nil, err
	}
	return NewStudy("small.yaml", src, nil, nil)
}

// The event logs of saved rows: a run writes an output directory, and Replay runs again the
// replications a selection picks, writes their logs and checks each against its row.
func ExampleReplay() {
	st, err := smallStudy()
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "replay")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	out, err := Create(dir, st)
	if err != nil {
		fmt.Println(err)
		return
	}
	reps := Range{End: 12}
	sum, err := Run(context.Background(), st, Local{}, Options{Reps: reps}, out)
	if err == nil {
		err = out.Finish(sum, reps.End, reps, nil)
	}
	out.Close()
	if err != nil {
		fmt.Println(err)
		return
	}
	// What adsim replay DIR --reps 3-5 does.
	m, err := ReadManifest(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	saved, err := LoadStudy(dir, m)
	if err != nil {
		fmt.Println(err)
		return
	}
	sel, err := ParseSelection("3-5", saved.Layout())
	if err != nil {
		fmt.Println(err)
		return
	}
	stats, err := Replay(context.Background(), dir, saved, m, sel, ReplayOptions{EventsDir: dir + "/events"}, func(r *Replayed) error {
		fmt.Println(strings.TrimPrefix(r.Path, dir+"/"), r.Events > 0)
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d of %d rows picked, %d replayed\n", stats.Selected, stats.Rows, stats.Replayed)
	// Output:
	// events/rep-3.jsonl true
	// events/rep-4.jsonl true
	// events/rep-5.jsonl true
	// 3 of 12 rows picked, 3 replayed
}
