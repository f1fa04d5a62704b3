package sim

import (
	"math"
	"testing"
	"time"
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
