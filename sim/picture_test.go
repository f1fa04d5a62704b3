package sim

import (
	"bytes"
	"slices"
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
