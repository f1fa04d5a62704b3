package sim

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/adsim/adsim/scenario"
)

// logChecker is a Sink that checks the event log as it is written against rules every run
// must keep, whatever the scenario (docs/events.md): time goes back by less than a frame
// (launches, intercepts and kills carry their exact time inside the frame, other events the
// frame's time, and the two are interleaved within a frame); a threat is
// launched before anything else is said of it and ends once (destroyed, arrived, or still
// flying at the end); a track is started once, before it is confirmed or dropped, and nothing
// starts it again after it is dropped; an interceptor is fired once and ends at most once
// (intercept or self-destruct), not before it is fired; a kill follows a shot that killed
// that threat at that instant; a shot's result agrees with its draw (kill exactly when
// draw < pk). end checks the counts against the outcome: kills, leaks and fires in all and
// by unit and weapon, each asset's loss the sum of its impacts', no magazine below zero.
type logChecker struct {
	errs                []error
	step                float64 // the frame step
	t                   float64 // the latest time logged
	launched            map[string]bool
	ended               map[string]string // threat → the event that ended it
	trackState          map[string]int    // 1 started, 2 confirmed, 3 dropped
	fired               map[string]bool
	done                map[string]string // interceptor → the event that ended it
	killShot            map[string]float64
	kills, fires, leaks int
	unitFires           map[[2]string]int  // (unit, weapon) → fire events
	lost                map[string]float64 // asset → value lost by impact events
}

func newLogChecker(step float64) *logChecker {
	return &logChecker{step: step, launched: map[string]bool{}, ended: map[string]string{}, trackState: map[string]int{},
		fired: map[string]bool{}, done: map[string]string{}, killShot: map[string]float64{},
		unitFires: map[[2]string]int{}, lost: map[string]float64{}}
}

func (c *logChecker) fail(e *Event, format string, args ...any) {
	if len(c.errs) < 10 {
		c.errs = append(c.errs, fmt.Errorf("t=%v %s threat %q track %q interceptor %q: %s", e.T, e.Type, e.Threat, e.Track, e.Interceptor, fmt.Sprintf(format, args...)))
	}
}

// Record implements Sink.
func (c *logChecker) Record(e *Event) {
	if !(e.T > c.t-c.step) {
		c.fail(e, "time goes back a frame or more, from %v", c.t)
	}
	c.t = max(c.t, e.T)
	if e.Type == EvLaunch {
		if c.launched[e.Threat] {
			c.fail(e, "launched twice")
		}
		c.launched[e.Threat] = true
	} else if e.Threat != "" && !c.launched[e.Threat] {
		c.fail(e, "said of a threat not launched")
	}
	switch e.Type {
	case EvKill, EvLeak, EvEnd:
		if how, ok := c.ended[e.Threat]; ok {
			c.fail(e, "the threat ended already (%s)", how)
		}
		c.ended[e.Threat] = e.Type.String()
		switch e.Type {
		case EvKill:
			c.kills++
			if t, ok := c.killShot[e.Threat]; !ok || t != e.T {
				c.fail(e, "a kill without a killing shot at that threat at that instant")
			}
		case EvLeak:
			c.leaks++ // an aircraft that flew home (result egress) counts as a leaker too
		}
	case EvImpact:
		v, _ := e.Get(NValueLost)
		c.lost[e.Asset] += v
	case EvTrackInit:
		if c.trackState[e.Track] != 0 {
			c.fail(e, "track started again")
		}
		c.trackState[e.Track] = 1
	case EvTrackConfirm:
		if c.trackState[e.Track] != 1 {
			c.fail(e, "confirmed from state %d", c.trackState[e.Track])
		}
		c.trackState[e.Track] = 2
	case EvTrackDrop:
		if s := c.trackState[e.Track]; s != 1 && s != 2 {
			c.fail(e, "dropped from state %d", s)
		}
		c.trackState[e.Track] = 3
	case EvFire:
		c.fires++
		c.unitFires[[2]string{e.Unit, e.Weapon}]++
		if c.fired[e.Interceptor] {
			c.fail(e, "fired twice")
		}
		c.fired[e.Interceptor] = true
	case EvIntercept, EvSelfDestruct:
		if !c.fired[e.Interceptor] {
			c.fail(e, "an interceptor never fired")
		}
		if how, ok := c.done[e.Interceptor]; ok {
			c.fail(e, "the interceptor ended already (%s)", how)
		}
		c.done[e.Interceptor] = e.Type.String()
	}
	if e.Type == EvIntercept || e.Type == EvBurst {
		pk, okPk := e.Get(NPk)
		draw, okDraw := e.Get(NDraw)
		switch e.Result {
		case "kill":
			if !okPk || !okDraw || !(draw < pk) {
				c.fail(e, "a kill with draw %v (%v) against pk %v (%v)", draw, okDraw, pk, okPk)
			}
			if _, ok := c.ended[e.Threat]; ok {
				c.fail(e, "a killing shot at a threat already ended (%s)", c.ended[e.Threat])
			}
			c.killShot[e.Threat] = e.T
		case "miss":
			if okPk && okDraw && draw < pk {
				c.fail(e, "a miss with draw %v below pk %v", draw, pk)
			}
		}
	}
}

// end checks the counts against the run's outcome: every threat launched ended, and an
// interceptor is still flying only if the run ended by its duration.
func (c *logChecker) end(o *Outcome) []error {
	for th := range c.launched {
		if _, ok := c.ended[th]; !ok {
			c.errs = append(c.errs, fmt.Errorf("threat %q never ended", th))
			break
		}
	}
	if c.kills != o.Destroyed || c.leaks != o.Leaked || c.fires != o.InterceptorsFired || len(c.launched) != o.Launched {
		c.errs = append(c.errs, fmt.Errorf("log: %d launched, %d kills, %d leaks, %d fired; outcome: %d, %d, %d, %d",
			len(c.launched), c.kills, c.leaks, c.fires, o.Launched, o.Destroyed, o.Leaked, o.InterceptorsFired))
	}
	for _, u := range o.Units {
		for _, w := range u.Weapons {
			if w.Remaining < 0 {
				c.errs = append(c.errs, fmt.Errorf("%s %s: %d remaining", u.ID, w.Weapon, w.Remaining))
			}
			if n := c.unitFires[[2]string{u.ID, w.Weapon}]; w.Kind == scenario.KindMissile && n != w.Fired {
				c.errs = append(c.errs, fmt.Errorf("%s %s: %d fire events, %d fired in the outcome", u.ID, w.Weapon, n, w.Fired))
			}
		}
	}
	total := 0.0
	for _, a := range o.Assets {
		total += a.ValueLost
		if d := c.lost[a.ID] - a.ValueLost; math.Abs(d) > 1e-5*max(1, a.Value) || a.ValueLost > a.Value+1e-9 {
			c.errs = append(c.errs, fmt.Errorf("asset %s: impacts lost %v, the outcome %v of %v", a.ID, c.lost[a.ID], a.ValueLost, a.Value))
		}
	}
	if math.Abs(total-o.ValueLost) > 1e-9*max(1, o.ValueTotal) {
		c.errs = append(c.errs, fmt.Errorf("assets lost %v in all, the outcome %v", total, o.ValueLost))
	}
	if o.EndS < o.DurationS {
		for i := range c.fired {
			if _, ok := c.done[i]; !ok {
				c.errs = append(c.errs, fmt.Errorf("interceptor %q still flying when the raid was over at %v s", i, o.EndS))
				break
			}
		}
	}
	return c.errs
}

// TestEventLogInvariants checks the log of the embedded examples, ten replications each.
func TestEventLogInvariants(t *testing.T) {
	base, err := scenario.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	reps := uint64(10)
	if testing.Short() {
		reps = 2
	}
	for _, name := range scenario.ExampleNames() {
		data, err := scenario.ExampleFile(name)
		if err != nil {
			t.Fatal(err)
		}
		s, err := scenario.Parse(name+".yaml", data, base)
		if err != nil {
			t.Fatal(err)
		}
		for rep := uint64(0); rep < reps; rep++ {
			c := newLogChecker(frameStep(s))
			w, err := New(s, s.EffectiveCatalog(base), Options{Replication: rep, Sink: c})
			if err != nil {
				t.Fatal(err)
			}
			o, err := w.Run()
			if err != nil {
				t.Fatal(err)
			}
			for _, err := range c.end(o) {
				t.Errorf("%s replication %d: %v", name, rep, err)
			}
		}
	}
}

// frameStep is the scenario's frame step, the default when it gives none.
func frameStep(s *scenario.Scenario) float64 {
	if s.FrameStepS > 0 {
		return s.FrameStepS
	}
	return scenario.DefaultFrameStepS
}

// TestLogCheckerCatches feeds the checker logs that break each rule once.
func TestLogCheckerCatches(t *testing.T) {
	ev := func(tt float64, typ EventType, threat string, f func(e *Event)) *Event {
		e := &Event{T: tt, Type: typ, Threat: threat}
		if f != nil {
			f(e)
		}
		return e
	}
	launch := ev(0, EvLaunch, "a", nil)
	shot := func(tt float64, result string, draw, pk float64) *Event {
		return ev(tt, EvIntercept, "a", func(e *Event) {
			e.Interceptor, e.Result = "u/w/1", result
			e.Set(NPk, pk).Set(NDraw, draw)
		})
	}
	fire := ev(1, EvFire, "a", func(e *Event) { e.Interceptor = "u/w/1" })
	for _, c := range []struct {
		name string
		log  []*Event
		want string
	}{
		{"time back", []*Event{launch, ev(5, EvTrackInit, "a", func(e *Event) { e.Track = "T1" }), ev(4, EvTrackDrop, "a", func(e *Event) { e.Track = "T1" })}, "time goes back"},
		{"not launched", []*Event{ev(1, EvTrackInit, "b", func(e *Event) { e.Track = "T1" })}, "not launched"},
		{"ends twice", []*Event{launch, fire, shot(2, "kill", 0.1, 0.5), ev(2, EvKill, "a", nil), ev(3, EvLeak, "a", nil)}, "ended already"},
		{"kill without a shot", []*Event{launch, ev(2, EvKill, "a", nil)}, "without a killing shot"},
		{"kill against the draw", []*Event{launch, fire, shot(2, "kill", 0.7, 0.5)}, "a kill with draw"},
		{"miss against the draw", []*Event{launch, fire, shot(2, "miss", 0.1, 0.5)}, "a miss with draw"},
		{"fired twice", []*Event{launch, fire, fire}, "fired twice"},
		{"ends never fired", []*Event{launch, shot(2, "miss", 0.7, 0.5)}, "never fired"},
		{"interceptor ends twice", []*Event{launch, fire, shot(2, "miss", 0.7, 0.5), ev(3, EvSelfDestruct, "a", func(e *Event) { e.Interceptor = "u/w/1" })}, "interceptor ended already"},
		{"confirmed unstarted", []*Event{launch, ev(1, EvTrackConfirm, "a", func(e *Event) { e.Track = "T1" })}, "confirmed from state 0"},
		{"started again", []*Event{launch, ev(1, EvTrackInit, "a", func(e *Event) { e.Track = "T1" }), ev(2, EvTrackDrop, "a", func(e *Event) { e.Track = "T1" }), ev(3, EvTrackInit, "a", func(e *Event) { e.Track = "T1" })}, "started again"},
	} {
		ch := newLogChecker(0.5)
		for _, e := range c.log {
			ch.Record(e)
		}
		if len(ch.errs) == 0 || !strings.Contains(ch.errs[0].Error(), c.want) {
			t.Errorf("%s: %v; want %q", c.name, ch.errs, c.want)
		}
	}
	// And the counts: a threat never ended, an interceptor in flight when the raid was over.
	ch := newLogChecker(0.5)
	for _, e := range []*Event{launch, fire} {
		ch.Record(e)
	}
	errs := ch.end(&Outcome{Launched: 1, InterceptorsFired: 1, DurationS: 100, EndS: 50})
	if len(errs) != 2 || !strings.Contains(errs[0].Error(), "never ended") || !strings.Contains(errs[1].Error(), "still flying") {
		t.Errorf("end: %v", errs)
	}
}
