package sim

import (
	"reflect"
	"testing"

	"github.com/adsim/adsim/scenario"
)

// With c2.max_per_track: 2, C2 sends two fire units at once at some tracks — two assign
// events of one track in one cycle, from different units — and never three; runs are
// deterministic; and every cycle's search for the best sets of units ends (none is cut
// short at the node limit: c2.Planner.MultiStats). Over replications 0–9 of capital and
// ground.
func TestMaxPerTrack(t *testing.T) {
	if testing.Short() {
		t.Skip("twenty runs of the examples")
	}
	type key struct {
		t     float64
		track string
	}
	pairs, maxNodes := 0, 0
	for _, name := range []string{"capital", "ground"} {
		s, cat := example(t, name, func(s *scenario.Scenario) { s.C2.MaxPerTrack = 2 })
		for rep := uint64(0); rep < 10; rep++ {
			units := map[key][]string{}
			run := func() *Outcome {
				clear(units)
				w, err := New(s, cat, Options{Replication: rep, Sink: sinkFunc(func(e *Event) {
					if e.Type == EvAssign {
						k := key{e.T, e.Track}
						units[k] = append(units[k], e.Unit)
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
				case len(us) == 2 && us[0] == us[1]:
					t.Errorf("%s replication %d: track %s assigned unit %s twice at %.1f s", name, rep, k.track, us[0], k.t)
				case len(us) == 2:
					pairs++
				}
			}
			if b := run(); !reflect.DeepEqual(a, b) {
				t.Errorf("%s replication %d: two runs differ", name, rep)
			}
		}
	}
	t.Logf("%d tracks assigned two units in one cycle; at most %d nodes in a cycle's search", pairs, maxNodes)
	if pairs == 0 {
		t.Error("no track was assigned two units")
	}
}
