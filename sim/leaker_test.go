package sim

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"testing"

	"github.com/adsim/adsim/scenario"
)

// TestLeakerStory: each leaker's launch time, first confirmed track and shots are those the
// event log has for it (its launch, its first track_confirm, and the intercept, self_destruct
// and burst events naming it, in order), and the outcome is the same whether or not a log is
// written. Replication 7 of capital has an Iskander that six interceptors missed; ground's
// perfect-picture replication 1 has drones nothing fired at.
func TestLeakerStory(t *testing.T) {
	perfect := func(s *scenario.Scenario) { s.C2.Picture = scenario.PicturePerfect }
	for _, c := range []struct {
		name  string
		opt   Options
		edit  func(*scenario.Scenario)
		shots bool // at least one leaker was shot at
	}{
		{"capital", Options{Replication: 7}, nil, true},
		{"ground", Options{Replication: 1}, perfect, false},
	} {
		_, logged, log := runOptions(t, c.name, c.opt, c.edit, nil)
		s, cat := example(t, c.name, c.edit)
		w, err := New(s, cat, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := w.Run()
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(logged)
		b, _ := json.Marshal(plain)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: the outcome differs with and without an event log", c.name)
		}
		if len(plain.Leakers) == 0 {
			t.Fatalf("%s replication %d: no leaker to check", c.name, c.opt.Replication)
		}
		// The stories from the log.
		type story struct {
			launched  float64
			confirmed *float64
			shots     []Shot
		}
		stories := map[string]*story{}
		sc := bufio.NewScanner(bytes.NewReader(log))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var e struct {
				T                                               float64
				Type, Threat, Unit, Weapon, Interceptor, Result string
				Pk                                              *float64 `json:"pk"`
				Draw                                            *float64 `json:"draw"`
				MissM                                           *float64 `json:"miss_m"`
			}
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Fatal(err)
			}
			st := stories[e.Threat]
			if st == nil {
				st = &story{}
				stories[e.Threat] = st
			}
			switch e.Type {
			case "launch":
				st.launched = e.T
			case "track_confirm":
				if st.confirmed == nil {
					tt := e.T
					st.confirmed = &tt
				}
			case "intercept", "self_destruct", "burst":
				st.shots = append(st.shots, Shot{T: e.T, Unit: e.Unit, Weapon: e.Weapon, Interceptor: e.Interceptor,
					Result: e.Result, Pk: e.Pk, Draw: e.Draw, MissM: e.MissM})
			}
		}
		shot := false
		for _, l := range plain.Leakers {
			st := stories[l.Threat]
			if st == nil || !near(l.LaunchedS, st.launched) || (l.ConfirmedS == nil) != (st.confirmed == nil) ||
				(l.ConfirmedS != nil && !near(*l.ConfirmedS, *st.confirmed)) || len(l.Shots) != len(st.shots) {
				t.Errorf("%s: leaker %s: launched %v, confirmed %v, %d shots; the log: %+v", c.name, l.Threat, l.LaunchedS, l.ConfirmedS, len(l.Shots), st)
				continue
			}
			for i := range l.Shots {
				if got, want := roundShot(l.Shots[i]), st.shots[i]; !reflect.DeepEqual(got, want) {
					t.Errorf("%s: leaker %s shot %d: %+v; the log has %+v", c.name, l.Threat, i, got, want)
				}
			}
			shot = shot || len(l.Shots) > 0
		}
		if shot != c.shots {
			t.Errorf("%s: a leaker shot at: %v; want %v", c.name, shot, c.shots)
		}
	}
}

// near compares a time of the outcome with the log's, which is rounded to 1e-6.
func near(a, b float64) bool { return a-b < 1e-6 && b-a < 1e-6 }

// roundShot is a shot with its numbers as the log writes them (rounded to 1e-6).
func roundShot(s Shot) Shot {
	r := func(p *float64) *float64 {
		if p == nil {
			return nil
		}
		v := roundMicro(*p)
		return &v
	}
	s.T = roundMicro(s.T)
	s.Pk, s.Draw, s.MissM = r(s.Pk), r(s.Draw), r(s.MissM)
	return s
}

// roundMicro rounds as the log does (appendFloat).
func roundMicro(v float64) float64 { return math.Round(v*1e6) / 1e6 }
