package sim

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/adsim/adsim/c2"
)

// runTimingDecide is Run's frame loop (without the outcome) that also returns the time
// spent in decide, the C2 phase, which Run's total would hide in the rest of a replication.
func runTimingDecide(tb testing.TB, w *World) time.Duration {
	var spent time.Duration
	end := w.scen.DurationS
	w.end = end
	steps := int(math.Ceil(end/w.dt - 1e-9))
	next := 0
	for k := 0; k < steps; k++ {
		t0 := float64(k) * w.dt
		t1 := math.Min(float64(k+1)*w.dt, end)
		dt := t1 - t0
		for next < len(w.threats) && w.threats[next].launchT < t1 {
			if w.threats[next].status == pending {
				if err := w.launch(w.threats[next]); err != nil {
					tb.Fatal(err)
				}
			}
			next++
		}
		w.t = t1
		w.frameNo = k + 1
		if err := w.move(t0, dt); err != nil {
			tb.Fatal(err)
		}
		w.fuze(t0, dt)
		w.arrivals()
		if err := w.sense(); err != nil {
			tb.Fatal(err)
		}
		if t1 >= w.nextDecision-1e-9 {
			w.score()
			start := time.Now()
			w.decide()
			spent += time.Since(start)
			w.nextDecision += w.decision
		}
		if err := w.fire(); err != nil {
			tb.Fatal(err)
		}
		if !w.full && next == len(w.threats) && w.raidOver() {
			break
		}
	}
	return spent
}

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
		spent += runTimingDecide(b, w)
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
	end := w.scen.DurationS
	w.end = end
	steps := int(math.Ceil(end/w.dt - 1e-9))
	next := 0
	for k := 0; k < steps; k++ {
		t0 := float64(k) * w.dt
		t1 := math.Min(float64(k+1)*w.dt, end)
		dt := t1 - t0
		for next < len(w.threats) && w.threats[next].launchT < t1 {
			if w.threats[next].status == pending {
				if err := w.launch(w.threats[next]); err != nil {
					tb.Fatal(err)
				}
			}
			next++
		}
		w.t = t1
		w.frameNo = k + 1
		if err := w.move(t0, dt); err != nil {
			tb.Fatal(err)
		}
		w.fuze(t0, dt)
		w.arrivals()
		if err := w.sense(); err != nil {
			tb.Fatal(err)
		}
		if t1 >= w.nextDecision-1e-9 {
			w.score()
			w.refreshC2Views() // what decide's own call will give, before Plan consumes it
			units := copyUnits(nil, w.c2units)
			w.decide()
			if len(w.c2tracks) > 0 {
				ins = append(ins, planInput{t: w.t, tracks: slices.Clone(w.c2tracks),
					assets: slices.Clone(w.c2assets), units: units})
			}
			w.nextDecision += w.decision
		}
		if err := w.fire(); err != nil {
			tb.Fatal(err)
		}
		if !w.full && next == len(w.threats) && w.raidOver() {
			break
		}
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
