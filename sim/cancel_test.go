package sim

import (
	"testing"

	"github.com/adsim/adsim/scenario"
)

// TestEveryAssignmentEndsInAShotOrACancel checks the event log's account of engagements:
// each assignment is followed by a shot of that unit at that track (fire or burst) or by a
// cancel event saying why there was none, with one of the documented reasons.
func TestEveryAssignmentEndsInAShotOrACancel(t *testing.T) {
	reasons := map[string]bool{"track_lost": true, "out_of_view": true, "out_of_envelope": true, "no_ammunition": true}
	cancels := map[string]int{}
	for _, name := range []string{"capital", "ground"} {
		for _, pic := range []string{scenario.PictureTracked, scenario.PicturePerfect} {
			for seed := uint64(1); seed <= 3; seed++ {
				_, log := runExample(t, name, &seed, func(s *scenario.Scenario) { s.C2.Picture = pic })
				type key struct{ unit, track string }
				open := map[key]float64{} // assignments awaiting a shot or a cancel, by time
				for _, e := range logEvents(t, log) {
					k := key{e.Unit, e.Track}
					switch e.Type {
					case "assign":
						if at, ok := open[k]; ok {
							t.Fatalf("%s %s seed %d: %s assigned to %s at %g s, and again at %g s with no shot or cancel between",
								name, pic, seed, e.Unit, e.Track, at, e.T)
						}
						open[k] = e.T
					case "fire", "burst":
						delete(open, k)
					case "cancel":
						if _, ok := open[k]; !ok {
							t.Fatalf("%s %s seed %d: cancel of %s by %s at %g s without an assignment", name, pic, seed, e.Track, e.Unit, e.T)
						}
						if !reasons[e.Result] {
							t.Fatalf("cancel with result %q", e.Result)
						}
						cancels[e.Result]++
						delete(open, k)
					}
				}
				// The run goes on while an engagement is being prepared (raidOver), so none is
				// left open.
				for k, at := range open {
					t.Errorf("%s %s seed %d: %s assigned to %s at %g s: no shot and no cancel", name, pic, seed, k.unit, k.track, at)
				}
			}
		}
	}
	t.Logf("cancellations by reason: %v", cancels)
	if len(cancels) == 0 {
		t.Error("no cancellation in 12 runs: the test did not exercise the event")
	}
}
