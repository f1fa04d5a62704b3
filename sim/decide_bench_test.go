package sim

import (
	"slices"
	"testing"
	"time"

	"github.com/adsim/adsim/c2"
)

// BenchmarkDecideCapital reports the time of the decision phase of a replication of the
// capital example (decide-ns/op), apart from the rest of the replication.
func BenchmarkDecideCapital(b *testing.B) {
	s, cat := example(b, "capital", nil)
	var spent time.Duration
	for i := 0; i < b.N; i++ {
		w, err := New(s, cat, Options{Replication: uint64(i)})
		if err != nil {
			b.Fatal(err)
		}
		w.aroundDecide = func(decide func()) {
			start := time.Now()
			decide()
			spent += time.Since(start)
		}
		if _, err := w.Run(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(spent.Nanoseconds())/float64(b.N), "decide-ns/op")
}

// planInput is one decision cycle's input to c2.Planner.Plan, as decide built it.
type planInput struct {
	t      float64
	tracks []c2.Track
	assets []c2.Asset
	units  []c2.Unit
}

// recordPlanInputs runs a replication of the capital example and returns the input of every
// decision cycle's Plan: the units as refreshC2Views leaves them before Plan consumes their
// channels and rounds.
func recordPlanInputs(tb testing.TB, replication uint64) (*World, []planInput) {
	s, cat := example(tb, "capital", nil)
	w, err := New(s, cat, Options{Replication: replication})
	if err != nil {
		tb.Fatal(err)
	}
	var ins []planInput
	w.aroundDecide = func(decide func()) {
		w.refreshC2Views() // what decide's own call will give, before Plan consumes it
		units := copyUnits(nil, w.c2units)
		decide()
		if len(w.c2tracks) > 0 {
			ins = append(ins, planInput{t: w.t, tracks: slices.Clone(w.c2tracks),
				assets: slices.Clone(w.c2assets), units: units})
		}
	}
	if _, err := w.Run(); err != nil {
		tb.Fatal(err)
	}
	return w, ins
}

// copyUnits copies units into dst with their own weapons (Plan consumes rounds in place).
func copyUnits(dst, units []c2.Unit) []c2.Unit {
	dst = append(dst[:0], units...)
	for i := range dst {
		dst[i].Weapons = slices.Clone(units[i].Weapons)
	}
	return dst
}

// BenchmarkPlanReplay replays the Plan calls of a capital replication (recorded once) on
// the engine's planner: the C2 decision alone, without the engine around it, so that changes
// to package c2 are measured with less noise. One op is one replication's decisions.
func BenchmarkPlanReplay(b *testing.B) {
	w, ins := recordPlanInputs(b, 0)
	work := make([][]c2.Unit, len(ins))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := w.planner // a fresh planner's scratch at every replication
		b.StopTimer()
		for k, in := range ins {
			work[k] = copyUnits(work[k], in.units)
		}
		b.StartTimer()
		for k, in := range ins {
			p.Plan(in.t, in.tracks, in.assets, work[k])
		}
	}
}
