package sim

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/adsim/adsim/scenario"
)

func perfect(s *scenario.Scenario) { s.C2.Picture = scenario.PicturePerfect }

// TestPerfectPicture checks the perfect air picture against its definition: a threat's track
// starts at a detection of that threat by a radar, and only then; a threat has at most one
// live track; C2 sees the threat's true position and velocity of the frame of the last
// detection; no false alarm is drawn; and the run is reproducible.
func TestPerfectPicture(t *testing.T) {
	checked := 0
	prepare := func(w *World) {
		w.aroundDecide = func(decide func()) {
			for _, rec := range w.confirmed() {
				if rec.LastUpdate != w.t {
					continue // the state is that of an earlier frame
				}
				te := w.threats[w.perfect.threatOf[rec.ID]]
				pos, vel, t0 := w.recordState(rec)
				if pos != te.flight.Pos() || vel != te.flight.Vel() || t0 != w.t {
					t.Fatalf("t=%g track %d: state %v %v at %g, threat %s is at %v %v", w.t, rec.ID, pos, vel, t0, te.id, te.flight.Pos(), te.flight.Vel())
				}
				if w.velocitySigma(rec) != 0 {
					t.Fatalf("track %d: velocity sigma %g, want 0", rec.ID, w.velocitySigma(rec))
				}
				// Exact, so recordState skips the constraint to the air: it would change nothing.
				if slices.ContainsFunc(rec.State.P, func(v float64) bool { return v != 0 }) || w.inTheAir(rec.State) {
					t.Fatalf("track %d: covariance %v, want zero, which the constraint to the air leaves as it is", rec.ID, rec.State.P)
				}
				checked++
			}
			decide()
		}
	}
	w, out, log := runPrepared(t, "capital", nil, perfect, prepare)
	if checked == 0 {
		t.Fatal("no track checked")
	}
	if out.Tracking.Picture != scenario.PicturePerfect || out.Tracking.FalseAlarms != 0 {
		t.Errorf("tracking outcome %+v: want picture perfect, no false alarms", out.Tracking)
	}
	if out.Tracking.TracksConfirmed < out.Detected || out.Detected == 0 {
		t.Errorf("%d tracks for %d threats detected", out.Tracking.TracksConfirmed, out.Detected)
	}
	type key struct {
		t              float64
		threat, sensor string
	}
	detected := map[key]bool{}
	live := map[string]string{} // threat → its live track
	inits := 0
	for _, e := range logEvents(t, log) {
		switch e.Type {
		case "detect":
			detected[key{e.T, e.Threat, e.Sensor}] = true
		case "track_init":
			inits++
			if e.Threat == "" || e.Result == "false_alarm" {
				t.Fatalf("t=%g: track %s on a false alarm", e.T, e.Track)
			}
			if !detected[key{e.T, e.Threat, e.Sensor}] {
				t.Fatalf("t=%g: track %s of %s started by %s, which did not detect it then", e.T, e.Track, e.Threat, e.Sensor)
			}
			if tr, ok := live[e.Threat]; ok {
				t.Fatalf("t=%g: second track %s of %s while %s lives", e.T, e.Track, e.Threat, tr)
			}
			live[e.Threat] = e.Track
		case "track_drop":
			if live[e.Threat] != e.Track {
				t.Fatalf("t=%g: drop of %s, not the live track of %s (%q)", e.T, e.Track, e.Threat, live[e.Threat])
			}
			delete(live, e.Threat)
		}
	}
	if inits != out.Tracking.TracksConfirmed {
		t.Errorf("%d track_init events, outcome says %d tracks", inits, out.Tracking.TracksConfirmed)
	}
	if w.falseAlarms != 0 {
		t.Errorf("%d false alarms drawn", w.falseAlarms)
	}
	_, _, again := runPrepared(t, "capital", nil, perfect, nil)
	if !bytes.Equal(log, again) {
		t.Error("the same seed gave another event log")
	}
}

// BenchmarkRunCapitalPerfect is BenchmarkRunCapital in the perfect air picture.
func BenchmarkRunCapitalPerfect(b *testing.B) { benchCapital(b, perfect, nil) }

func perfectDrones(s *scenario.Scenario) { s.C2.PerfectCategories = []string{scenario.CategoryDrone} }

// TestMixedPicture checks the mixed picture (c2.perfect_categories: [drone]) against its
// definition: the drones' tracks are the perfect picture's (the true state of the frame of
// the last detection, zero covariance, one track per drone), no detection of a drone reaches
// the tracker, the missiles are the tracker's (estimates with a covariance), false alarms are
// still drawn and tracked, the IDs of the two pictures' tracks never collide, the run is
// reproducible, and an empty list is the tracked picture, event for event.
func TestMixedPicture(t *testing.T) {
	perfectTracks, trackerTracks := 0, 0
	prepare := func(w *World) {
		w.aroundDecide = func(decide func()) {
			ids := map[int]bool{}
			for _, rec := range w.confirmed() {
				if ids[rec.ID] {
					t.Fatalf("t=%g: two confirmed tracks with ID %d", w.t, rec.ID)
				}
				ids[rec.ID] = true
				if pr := w.perfect.record(rec.ID); pr != nil {
					if pr != rec {
						t.Fatalf("t=%g: track %d is the perfect picture's ID of another record", w.t, rec.ID)
					}
					te := w.threats[w.perfect.threatOf[rec.ID]]
					if te.category != scenario.CategoryDrone {
						t.Fatalf("t=%g: perfect track %d of %s, a %s", w.t, rec.ID, te.id, te.category)
					}
					if rec.LastUpdate == w.t {
						if pos, vel, _ := w.recordState(rec); pos != te.flight.Pos() || vel != te.flight.Vel() {
							t.Fatalf("t=%g: perfect track %d at %v %v, drone %s at %v %v", w.t, rec.ID, pos, vel, te.id, te.flight.Pos(), te.flight.Vel())
						}
					}
					if slices.ContainsFunc(rec.State.P, func(v float64) bool { return v != 0 }) {
						t.Fatalf("perfect track %d: covariance %v, want zero", rec.ID, rec.State.P)
					}
					perfectTracks++
					continue
				}
				if !slices.Contains(w.tracker.Tracks(), rec) {
					t.Fatalf("t=%g: confirmed track %d in neither picture", w.t, rec.ID)
				}
				if info := w.info(rec.ID); info != nil && info.truth >= 0 && w.threats[info.truth].category == scenario.CategoryDrone {
					t.Fatalf("t=%g: the tracker's track %d holds a detection of drone %s", w.t, rec.ID, w.threats[info.truth].id)
				}
				if !slices.ContainsFunc(rec.State.P, func(v float64) bool { return v != 0 }) {
					t.Fatalf("tracker's track %d has no covariance", rec.ID)
				}
				trackerTracks++
			}
			decide()
		}
	}
	w, out, log := runPrepared(t, "capital", nil, perfectDrones, prepare)
	if perfectTracks == 0 || trackerTracks == 0 {
		t.Fatalf("%d perfect and %d tracker's track checks: want both", perfectTracks, trackerTracks)
	}
	if w.falseAlarms == 0 || out.Tracking.FalseAlarms != w.falseAlarms {
		t.Errorf("%d false alarms drawn, outcome says %d: want some, the same", w.falseAlarms, out.Tracking.FalseAlarms)
	}
	if out.Tracking.Picture != scenario.PictureTracked || !slices.Equal(out.Tracking.PerfectCategories, []string{scenario.CategoryDrone}) {
		t.Errorf("tracking outcome: picture %q, perfect categories %v", out.Tracking.Picture, out.Tracking.PerfectCategories)
	}
	// A drone has one live track at a time, and no two tracks of either picture share an ID.
	live := map[string]string{}
	drones := 0
	started := map[string]bool{} // track names: an ID is never given twice, in either picture
	for _, e := range logEvents(t, log) {
		if e.Type == "track_init" {
			if started[e.Track] {
				t.Fatalf("t=%g: track %s started twice", e.T, e.Track)
			}
			started[e.Track] = true
		}
		if !strings.HasPrefix(e.Threat, "drones-") {
			continue
		}
		switch e.Type {
		case "track_init":
			drones++
			if tr, ok := live[e.Threat]; ok {
				t.Fatalf("t=%g: second track %s of %s while %s lives", e.T, e.Track, e.Threat, tr)
			}
			live[e.Threat] = e.Track
		case "track_drop":
			delete(live, e.Threat)
		}
	}
	if drones == 0 {
		t.Fatal("no drone track in the event log")
	}
	_, _, again := runPrepared(t, "capital", nil, perfectDrones, nil)
	if !bytes.Equal(log, again) {
		t.Error("the same seed gave another event log")
	}
	_, _, tracked := runPrepared(t, "capital", nil, nil, nil)
	_, _, empty := runPrepared(t, "capital", nil, func(s *scenario.Scenario) { s.C2.PerfectCategories = []string{} }, nil)
	if !bytes.Equal(tracked, empty) {
		t.Error("an empty c2.perfect_categories changed the tracked picture's event log")
	}
}

// BenchmarkRunCapitalMixed is BenchmarkRunCapitalNoScore (a replication as adsim mc runs
// it) in the mixed picture with the drones perfect (c2.perfect_categories: [drone]).
func BenchmarkRunCapitalMixed(b *testing.B) {
	benchCapital(b, perfectDrones, func(w *World) { w.noScore = true })
}
