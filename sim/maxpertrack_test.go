package sim

import (
	"reflect"
	"testing"

	"github.com/adsim/adsim/scenario"
)

// With c2.max_per_track: 2, C2 sends two fire units at once at some tracks — two assign
// events of one track in one cycle, from different units — and never three; with
// max_per_track_categories: [ballistic_missile] only at Iskanders; runs are deterministic;
// and every cycle's search for the best sets of units ends (none is cut short at the node
// limit: c2.Planner.MultiStats). Over replications 0–9 of capital and ground.
func TestMaxPerTrack(t *testing.T) {
	if testing.Short() {
		t.Skip("forty runs of the examples")
	}
	type key struct {
		t     float64
		track string
	}
	type assigned struct{ unit, class string }
	for _, cats := range [][]string{nil, {scenario.CategoryBallisticMissile}} {
		pairs, maxNodes := map[string]int{}, 0
		for _, name := range []string{"capital", "ground"} {
			s, cat := example(t, name, func(s *scenario.Scenario) {
				s.C2.MaxPerTrack, s.C2.MaxPerTrackCategories = 2, cats
			})
			for rep := uint64(0); rep < 10; rep++ {
				units := map[key][]assigned{}
				run := func() *Outcome {
					clear(units)
					w, err := New(s, cat, Options{Replication: rep, Sink: sinkFunc(func(e *Event) {
						if e.Type == EvAssign {
							k := key{e.T, e.Track}
							units[k] = append(units[k], assigned{e.Unit, e.Class})
						}
					})})
					if err != nil {
						t.Fatal(err)
					}
					out, err := w.Run()
					if err != nil {
						t.Fatal(err)
					}
					n, cut := w.planner.MultiStats()
					if cut > 0 {
						t.Errorf("%s replication %d: %d searches cut short", name, rep, cut)
					}
					maxNodes = max(maxNodes, n)
					return out
				}
				a := run()
				for k, us := range units {
					switch {
					case len(us) > 2:
						t.Errorf("%s replication %d: track %s assigned %d units at %.1f s", name, rep, k.track, len(us), k.t)
					case len(us) == 2 && us[0].unit == us[1].unit:
						t.Errorf("%s replication %d: track %s assigned unit %s twice at %.1f s", name, rep, k.track, us[0].unit, k.t)
					case len(us) == 2:
						pairs[us[0].class]++
					}
				}
				if b := run(); !reflect.DeepEqual(a, b) {
					t.Errorf("%s replication %d: two runs differ", name, rep)
				}
			}
		}
		t.Logf("categories %v: tracks assigned two units in one cycle, by class %v; at most %d nodes in a cycle's search", cats, pairs, maxNodes)
		if pairs["iskander-m"] == 0 {
			t.Errorf("categories %v: no Iskander was assigned two units", cats)
		}
		if cats != nil && len(pairs) != 1 {
			t.Errorf("categories %v: two units on tracks of classes %v", cats, pairs)
		}
	}
}
