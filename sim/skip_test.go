package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/adsim/adsim/scenario"
	"github.com/adsim/adsim/track"
)

// runChecked runs an example with detections in the event log. With check set, every radar
// looks at the threat–radar pairs its scans skip (radarEnt.check) and the counts are
// returned; prepare, if not nil, edits the world before it runs.
func runChecked(t *testing.T, name string, seed *uint64, edit func(*scenario.Scenario), prepare func(*World), check bool) (out, log []byte, c skipCheck, w *World) {
	t.Helper()
	var checks []*skipCheck
	w, o, log := runPrepared(t, name, seed, edit, func(w *World) {
		if prepare != nil {
			prepare(w)
		}
		if check {
			for _, r := range w.radars {
				r.check = &skipCheck{}
				checks = append(checks, r.check)
			}
		}
	})
	out, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range checks {
		c.skipped += k.skipped
		c.inRange += k.inRange
		c.wrong += k.wrong
		c.asleep += k.asleep
	}
	return out, log, c, w
}

func seedPtr(s uint64) *uint64 { return &s }

// generalPath disables the scans' skips: a pair is skipped only for a threat with a speed
// bound (radarEnt.notBefore), so without one every pair takes the full test (stand-off
// weapons released later keep theirs; the examples have none), and no scan skips the
// threats all at once (radarEnt.wake).
func generalPath(w *World) {
	w.noWake = true
	for _, te := range w.threats {
		te.maxSpeed = 0
	}
}

// TestScanSkipsAreExact: the pairs a scan skips — beyond the instrumented range, or beyond
// the radio horizon of a threat's bounded altitude — are pairs the full test would have
// rejected. Each case runs three times: as in production; on the general path, where every
// pair takes the full test (generalPath), which must give the same bits (outcome and event
// log, every detection included); and with every skipped pair looked at (radarEnt.check),
// of which none may be in view.
func TestScanSkipsAreExact(t *testing.T) {
	raidAlt := func(alt float64) func(*scenario.Scenario) {
		return func(s *scenario.Scenario) {
			for i := range s.Raids {
				s.Raids[i].AltitudeM = alt
			}
		}
	}
	cases := []struct {
		name    string
		example string
		seed    *uint64
		edit    func(*scenario.Scenario)
		horizon bool // the horizon bound must have skipped pairs in range
	}{
		{"capital", "capital", nil, nil, true},
		{"capital seed 1", "capital", seedPtr(1), nil, true},
		{"capital seed 7", "capital", seedPtr(7), nil, true},
		{"capital seed 42", "capital", seedPtr(42), nil, true},
		{"ground", "ground", nil, nil, true},
		{"ground seed 3", "ground", seedPtr(3), nil, true},
		// Low and higher flights: the horizon range grows with the altitude bound.
		{"capital 5 m", "capital", seedPtr(2), raidAlt(5), true},
		{"capital 400 m", "capital", seedPtr(3), raidAlt(400), true},
		{"capital 3 km", "capital", seedPtr(4), raidAlt(3000), false},
		// Pop-up cruise missiles: the bound is the pop-up height.
		{"capital tomahawk", "capital", seedPtr(5), func(s *scenario.Scenario) {
			for i := range s.Raids {
				if s.Raids[i].Class == "kalibr-3m14" {
					s.Raids[i].Class = "tomahawk"
				}
			}
		}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, log, _, _ := runChecked(t, tc.example, tc.seed, tc.edit, nil, false)
			outG, logG, g, _ := runChecked(t, tc.example, tc.seed, tc.edit, generalPath, true)
			outC, logC, c, _ := runChecked(t, tc.example, tc.seed, tc.edit, nil, true)
			if g.skipped != 0 {
				t.Errorf("the general path skipped %d pairs", g.skipped)
			}
			if c.wrong != 0 {
				t.Errorf("%d of %d skipped pairs were in view", c.wrong, c.skipped)
			}
			if c.skipped == 0 || (tc.horizon && c.inRange == 0) || c.asleep == 0 {
				t.Errorf("skips not exercised: %d skipped, %d in range, %d scans asleep", c.skipped, c.inRange, c.asleep)
			}
			if g.asleep != 0 {
				t.Errorf("the general path skipped %d whole scans", g.asleep)
			}
			if !bytes.Equal(out, outG) || !bytes.Equal(log, logG) {
				t.Error("outcome or event log differs from the general path's")
			}
			if !bytes.Equal(out, outC) || !bytes.Equal(log, logC) {
				t.Error("looking at the skipped pairs changed the run")
			}
			t.Logf("skipped %d (in range %d), in view %d; %d scans asleep", c.skipped, c.inRange, c.wrong, c.asleep)
		})
	}
}

// TestAltitudeBoundDropped: a flight that climbs above its altitude bound loses it (sense
// checks it at every frame with a scan) and the scans that relied on it look again at once.
// The bound of the pop-up cruise missiles is set below their pop-up height here (and the
// fire units leave them alone, so that they reach it), so it holds for most of their flight
// and breaks in the end game: the run must still be bit for bit the general path's.
func TestAltitudeBoundDropped(t *testing.T) {
	edit := func(s *scenario.Scenario) {
		for i := range s.Raids {
			if s.Raids[i].Class == "kalibr-3m14" {
				s.Raids[i].Class = "tomahawk"
			}
		}
		for i := range s.FireUnits {
			s.FireUnits[i].EngageCategories = []string{scenario.CategoryDrone}
		}
	}
	var tight []*threatEnt
	lower := func(w *World) {
		for _, te := range w.threats {
			if te.class.ID == "tomahawk" {
				te.maxAlt = w.ground + te.class.CruiseAltM.Value + altitudeMargin
				n := w.frame.Radius() + te.maxAlt
				te.maxNorm2 = n * n
				tight = append(tight, te)
			}
		}
	}
	seed := seedPtr(11)
	out, log, _, _ := runChecked(t, "capital", seed, edit, generalPath, false)
	outL, logL, _, _ := runChecked(t, "capital", seed, edit, lower, false)
	tight = nil
	outC, logC, c, _ := runChecked(t, "capital", seed, edit, lower, true)
	if len(tight) == 0 {
		t.Fatal("no pop-up cruise missile")
	}
	if c.wrong != 0 {
		t.Errorf("%d of %d skipped pairs were in view", c.wrong, c.skipped)
	}
	dropped := 0
	for _, te := range tight {
		if te.maxAlt == 0 {
			dropped++
		}
	}
	if dropped == 0 {
		t.Error("no bound was dropped: the test does not exercise dropAltitudeBound")
	}
	if !bytes.Equal(out, outL) || !bytes.Equal(log, logL) || !bytes.Equal(out, outC) || !bytes.Equal(log, logC) {
		t.Error("a broken altitude bound changed the run")
	}
	t.Logf("%d of %d bounds dropped; skipped %d (in range %d), in view %d", dropped, len(tight), c.skipped, c.inRange, c.wrong)

	// Bounds of 1 m, broken by every routed flight at once (without the check in sense,
	// tens of thousands of skipped pairs would be in view).
	low := func(w *World) {
		for _, te := range w.threats {
			if te.maxAlt > 0 {
				te.maxAlt = 1
				n := w.frame.Radius() + te.maxAlt
				te.maxNorm2 = n * n
			}
		}
	}
	out, log, _, _ = runChecked(t, "capital", nil, nil, generalPath, false)
	outL, logL, c, w := runChecked(t, "capital", nil, nil, low, true)
	if c.wrong != 0 {
		t.Errorf("1 m bounds: %d of %d skipped pairs were in view", c.wrong, c.skipped)
	}
	for _, te := range w.threats {
		if te.maxAlt != 0 && te.status != pending {
			t.Errorf("%s: the bound of 1 m was kept", te.id)
		}
	}
	if !bytes.Equal(out, outL) || !bytes.Equal(log, logL) {
		t.Error("bounds of 1 m changed the run")
	}
}

// BenchmarkRunCapitalNoSkips is BenchmarkRunCapital on the general path (generalPath: every
// threat–radar pair takes the full test at every scan): the difference is what the skips
// save.
func BenchmarkRunCapitalNoSkips(b *testing.B) { benchCapital(b, nil, generalPath) }

// TestReuseRecordsKeepsRuns runs examples with the tracker reusing deleted tracks' records
// (track.TrackerConfig.ReuseRecords, as New sets it) and without: outcomes and event logs
// must be byte-identical. The reuse is sound only while the engine refers to tracks by ID
// and reads a deleted record only in the scan that deletes it; a change that keeps a
// record longer shows here.
func TestReuseRecordsKeepsRuns(t *testing.T) {
	for _, name := range []string{"capital", "ground"} {
		for _, seed := range []uint64{1, 7} {
			t.Run(fmt.Sprintf("%s/seed=%d", name, seed), func(t *testing.T) {
				outA, logA, _, w := runChecked(t, name, &seed, nil, nil, false)
				if !w.tracker.Config().ReuseRecords {
					t.Fatal("New no longer sets ReuseRecords: this test compares nothing")
				}
				outB, logB, _, _ := runChecked(t, name, &seed, nil, func(w *World) {
					cfg := w.tracker.Config()
					cfg.ReuseRecords = false
					tr, err := track.NewTracker(cfg)
					if err != nil {
						t.Fatal(err)
					}
					w.tracker = tr
				}, false)
				if !bytes.Equal(outA, outB) || !bytes.Equal(logA, logB) {
					t.Fatal("outcome or event log differs without ReuseRecords")
				}
			})
		}
	}
}
