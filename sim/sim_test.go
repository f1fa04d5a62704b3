package sim

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/adsim/adsim/scenario"
)

// example loads an embedded example with the default catalog, edited by edit if not nil, and
// returns it with its effective catalog.
func example(tb testing.TB, name string, edit func(*scenario.Scenario)) (*scenario.Scenario, *scenario.Catalog) {
	tb.Helper()
	base, err := scenario.DefaultCatalog()
	if err != nil {
		tb.Fatal(err)
	}
	s, err := scenario.LoadExample(name, base)
	if err != nil {
		tb.Fatal(err)
	}
	if edit != nil {
		edit(s)
	}
	return s, s.EffectiveCatalog(base)
}

// runExample runs an embedded example with optional edits and returns its outcome and event log.
func runExample(t testing.TB, name string, seed *uint64, edit func(*scenario.Scenario)) (*Outcome, []byte) {
	t.Helper()
	_, out, log := runPrepared(t, name, seed, edit, nil)
	return out, log
}

// runPrepared runs an embedded example, edited by edit and its World by prepare (either may
// be nil), with detections in the event log, and returns the World, its outcome and the log.
func runPrepared(t testing.TB, name string, seed *uint64, edit func(*scenario.Scenario), prepare func(*World)) (*World, *Outcome, []byte) {
	t.Helper()
	return runOptions(t, name, Options{Seed: seed}, edit, prepare)
}

// runOptions is runPrepared with the world's options (the sink and DetectEvents are set).
func runOptions(t testing.TB, name string, opt Options, edit func(*scenario.Scenario), prepare func(*World)) (*World, *Outcome, []byte) {
	t.Helper()
	s, cat := example(t, name, edit)
	var buf bytes.Buffer
	sink := NewJSONLWriter(&buf)
	opt.Sink, opt.DetectEvents = sink, true
	w, err := New(s, cat, opt)
	if err != nil {
		t.Fatal(err)
	}
	if prepare != nil {
		prepare(w)
	}
	out, err := w.Run()
	if err != nil {
		t.Fatal(err)
	}
	if err := sink.Flush(); err != nil {
		t.Fatal(err)
	}
	return w, out, buf.Bytes()
}

func TestExamplesConserveThreats(t *testing.T) {
	for _, name := range scenario.ExampleNames() {
		t.Run(name, func(t *testing.T) {
			out, _ := runExample(t, name, nil, nil)
			if out.Launched == 0 {
				t.Fatal("no threat launched")
			}
			if got := out.Destroyed + out.Leaked + out.Flying; got != out.Launched {
				t.Errorf("launched %d != destroyed %d + leaked %d + flying %d", out.Launched, out.Destroyed, out.Leaked, out.Flying)
			}
			var launched, destroyed, leaked, flying, kills int
			for _, c := range out.Classes {
				launched += c.Launched
				destroyed += c.Destroyed
				leaked += c.Leaked
				flying += c.Flying
				if c.Launched != c.Destroyed+c.Leaked+c.Flying {
					t.Errorf("class %s does not conserve: %+v", c.Class, c)
				}
			}
			for _, l := range out.Layers {
				kills += l.Kills
			}
			if launched != out.Launched || destroyed != out.Destroyed || leaked != out.Leaked || flying != out.Flying {
				t.Errorf("class totals %d/%d/%d/%d differ from run totals %+v", launched, destroyed, leaked, flying, out)
			}
			if kills != out.Destroyed {
				t.Errorf("layer kills %d != destroyed %d", kills, out.Destroyed)
			}
			if len(out.Leakers) != out.Leaked {
				t.Errorf("%d leakers listed for %d leaked", len(out.Leakers), out.Leaked)
			}
			var lost float64
			for _, a := range out.Assets {
				lost += a.ValueLost
				if a.ValueLost < 0 || a.ValueLost > a.Value+1e-9 {
					t.Errorf("asset %s lost %v of %v", a.ID, a.ValueLost, a.Value)
				}
			}
			if d := lost - out.ValueLost; d > 1e-9 || d < -1e-9 {
				t.Errorf("asset losses %v != total %v", lost, out.ValueLost)
			}
			// Magazines: fired + remaining equals the loaded magazine.
			for _, u := range out.Units {
				for _, wp := range u.Weapons {
					if wp.Remaining < 0 {
						t.Errorf("%s %s: negative magazine %d", u.ID, wp.Weapon, wp.Remaining)
					}
				}
			}
		})
	}
}

func TestSameSeedSameLog(t *testing.T) {
	_, a := runExample(t, "capital", nil, nil)
	_, b := runExample(t, "capital", nil, nil)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with the same seed gave different event logs")
	}
	if len(a) == 0 {
		t.Fatal("empty event log")
	}
	for i, line := range bytes.Split(bytes.TrimSpace(a), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("line %d is not JSON: %v: %s", i+1, err, line)
		}
		if _, ok := m["t"].(float64); !ok {
			t.Fatalf("line %d has no time: %s", i+1, line)
		}
	}
}

func TestDifferentSeedDifferentLog(t *testing.T) {
	s1, s2 := uint64(1), uint64(2)
	_, a := runExample(t, "capital", &s1, nil)
	_, b := runExample(t, "capital", &s2, nil)
	if bytes.Equal(a, b) {
		t.Fatal("different seeds gave identical event logs")
	}
}

// A radar placed far away, where it sees none of the threats (and has no false alarms), must
// not change a single draw of the others: the event log stays byte-identical.
func TestFarRadarDoesNotChangeOthers(t *testing.T) {
	_, a := runExample(t, "capital", nil, nil)
	_, b := runExample(t, "capital", nil, func(s *scenario.Scenario) {
		far := s.Sensors[0]
		far.ID = "far-away"
		far.LatDeg, far.LonDeg = -40, 150 // the other side of the earth
		far.Pfa = 1e-15                   // and no false alarms: it detects nothing at all
		// Put it first so that it is also scanned first.
		s.Sensors = append([]scenario.Sensor{far}, s.Sensors...)
	})
	if !bytes.Equal(a, b) {
		t.Fatal("adding a radar that sees nothing changed the event log")
	}
}

func TestRooftopSeesMore(t *testing.T) {
	// The rooftop variant's central point-defence radars are above the surrounding buildings;
	// at street level they are masked. Count detections by those units' radars.
	count := func(name string) int {
		_, log := runExample(t, name, nil, nil)
		n := 0
		for _, line := range bytes.Split(log, []byte("\n")) {
			if bytes.Contains(line, []byte(`"type":"detect"`)) && bytes.Contains(line, []byte(`"sensor":"pantsir-parliament"`)) {
				n++
			}
		}
		return n
	}
	roof, ground := count("capital"), count("ground")
	if roof <= ground {
		t.Fatalf("rooftop radar detections %d should exceed street-level %d", roof, ground)
	}
	t.Logf("pantsir-parliament detections: rooftop %d, street level %d", roof, ground)
}

func BenchmarkRunCapital(b *testing.B) { benchCapital(b, nil, nil) }

// benchCapital runs replications of the default scenario (edited by edit, if set), sharing
// a Cache as adsim mc's workers do, each World passed to prepare (if set) before it runs.
func benchCapital(b *testing.B, edit func(*scenario.Scenario), prepare func(*World)) {
	s, cat := example(b, "capital", edit)
	b.ReportAllocs()
	cache := NewCache() // as each worker of adsim mc has
	for i := 0; i < b.N; i++ {
		w, err := New(s, cat, Options{Replication: uint64(i), Cache: cache})
		if err != nil {
			b.Fatal(err)
		}
		if prepare != nil {
			prepare(w)
		}
		if _, err := w.Run(); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleWorld_Run() {
	base, _ := scenario.DefaultCatalog()
	s, _ := scenario.LoadExample("capital", base)
	w, _ := New(s, s.EffectiveCatalog(base), Options{})
	out, _ := w.Run()
	fmt.Println(out.Launched == out.Destroyed+out.Leaked+out.Flying)
	// Output: true
}

// TestRunEndsWhenRaidIsOver: the run stops once every threat is resolved and nothing is in
// flight, and what happens after that (false alarms tracked until duration_s) does not
// change the engagement outcome.
func TestRunEndsWhenRaidIsOver(t *testing.T) {
	base, err := scenario.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range []uint64{1, 2, 3} {
		var outs [2]*Outcome
		for k, full := range []bool{false, true} {
			s, err := scenario.LoadExample("capital", base)
			if err != nil {
				t.Fatal(err)
			}
			sd := seed
			w, err := New(s, s.EffectiveCatalog(base), Options{Seed: &sd, FullDuration: full})
			if err != nil {
				t.Fatal(err)
			}
			if outs[k], err = w.Run(); err != nil {
				t.Fatal(err)
			}
		}
		early, full := outs[0], outs[1]
		if !(early.EndS < early.DurationS) || full.EndS != full.DurationS {
			t.Errorf("seed %d: end_s %g (early) and %g (full) of duration %g", seed, early.EndS, full.EndS, full.DurationS)
		}
		if early.Flying != 0 || early.Launched != early.Destroyed+early.Leaked {
			t.Errorf("seed %d: ended with threats unresolved: %+v", seed, early)
		}
		if early.Destroyed != full.Destroyed || early.Leaked != full.Leaked || early.ValueLost != full.ValueLost ||
			early.InterceptorsFired != full.InterceptorsFired || early.GunRounds != full.GunRounds {
			t.Errorf("seed %d: outcome differs: early %d destroyed %d leaked %g lost %d fired; full %d %d %g %d",
				seed, early.Destroyed, early.Leaked, early.ValueLost, early.InterceptorsFired,
				full.Destroyed, full.Leaked, full.ValueLost, full.InterceptorsFired)
		}
	}
}

// TestNoPictureScoreChangesNothingElse: skipping the air-picture score (as adsim mc does)
// leaves every event and every outcome field but the score itself as they were.
func TestNoPictureScoreChangesNothingElse(t *testing.T) {
	for _, rep := range []uint64{0, 3} {
		_, scored, evScored := runOptions(t, "capital", Options{Replication: rep}, nil, nil)
		_, plain, evPlain := runOptions(t, "capital", Options{Replication: rep, NoPictureScore: true}, nil, nil)
		if !bytes.Equal(evScored, evPlain) {
			t.Fatalf("replication %d: the event logs differ", rep)
		}
		if scored.Tracking.MeanOSPA == 0 || plain.Tracking.MeanOSPA != 0 || plain.Tracking.TracksConfirmed != 0 {
			t.Errorf("replication %d: OSPA %g scored, %g not; tracks confirmed %d not scored", rep,
				scored.Tracking.MeanOSPA, plain.Tracking.MeanOSPA, plain.Tracking.TracksConfirmed)
		}
		st, pt := scored.Tracking, plain.Tracking
		if st.FalseAlarms != pt.FalseAlarms || st.FalseTrackEngagements != pt.FalseTrackEngagements ||
			st.InterceptorsWasted != pt.InterceptorsWasted || pt.Picture != st.Picture {
			t.Errorf("replication %d: the engine's counts differ: %+v and %+v", rep, st, pt)
		}
		scored.Tracking, plain.Tracking = TrackingOutcome{}, TrackingOutcome{}
		a, _ := json.Marshal(scored)
		b, _ := json.Marshal(plain)
		if !bytes.Equal(a, b) {
			t.Errorf("replication %d: the outcomes differ beyond the score", rep)
		}
	}
}

// BenchmarkRunCapitalNoScore is BenchmarkRunCapital as adsim mc runs it, without the air
// picture's score (Options.NoPictureScore).
func BenchmarkRunCapitalNoScore(b *testing.B) {
	benchCapital(b, nil, func(w *World) { w.noScore = true })
}

// loggedEvent is the part of an event-log line (docs/events.md) that the tests read.
type loggedEvent struct {
	T                                                        float64
	Type, Threat, Class, Sensor, Track, Unit, Weapon, Result string
	TOFS                                                     float64 `json:"tof_s"`
}

// logEvents decodes an event log (JSONL) into its events.
func logEvents(tb testing.TB, log []byte) []loggedEvent {
	tb.Helper()
	var evs []loggedEvent
	sc := bufio.NewScanner(bytes.NewReader(log))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e loggedEvent
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			tb.Fatal(err)
		}
		evs = append(evs, e)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return evs
}

// BenchmarkRunCapitalRaid200 is BenchmarkRunCapitalNoScore with the first raid at 200 drones
// (226 threats), the large end of the sweep of docs/speed.md ("Large raids"): how the engine
// scales with the raid, where the default scenario's 38 threats do not show it.
func BenchmarkRunCapitalRaid200(b *testing.B) {
	benchCapital(b, func(s *scenario.Scenario) { s.Raids[0].Count = 200 }, func(w *World) { w.noScore = true })
}
