package dataset

import (
	"math"
	"testing"
)

// The bound of VelocityPriorTooNarrow against hand-computed values: √(G·(2σ² + σv0²·dt²))/dt,
// with the settings', scenario.json's or the default prior and gate.
func TestVelocityPriorTooNarrow(t *testing.T) {
	base := DefaultScenario() // σ 20 m, dt 1 s
	rb := base
	rb.Sensor, rb.SigmaRange, rb.Sigma = RangeBearing, 10, 0
	slow := base
	slow.DT = 2
	withTracker := base
	withTracker.Tracker = &TrackerSettings{SigmaV0: 100, Gate: 9}
	cases := []struct {
		name  string
		s     Scenario
		set   Settings
		speed float64
		limit float64
		want  bool
	}{
		{"defaults, the generator's speeds", base, Settings{}, 40, math.Sqrt(13.816 * (800 + 900)), false},
		{"defaults, 300 m/s", base, Settings{}, 300, math.Sqrt(13.816 * (800 + 900)), true},
		{"unknown speed", base, Settings{}, 0, math.Sqrt(13.816 * (800 + 900)), false},
		{"a wider prior", base, Settings{SigmaV0: 100}, 300, math.Sqrt(13.816 * (800 + 10000)), false},
		{"a wider gate", base, Settings{Gate: 50}, 250, math.Sqrt(50 * (800 + 900)), false},
		{"scenario.json's tracker", withTracker, Settings{}, 300, math.Sqrt(9 * (800 + 10000)), false},
		{"the flag over scenario.json", withTracker, Settings{SigmaV0: 30}, 300, math.Sqrt(9 * (800 + 900)), true},
		{"range-bearing: its range error", rb, Settings{}, 150, math.Sqrt(13.816 * (200 + 900)), true},
		{"2 s scans", slow, Settings{}, 100, math.Sqrt(13.816*(800+900*4)) / 2, false},
	}
	for _, c := range cases {
		c.s.SpeedMax = c.speed
		limit, narrow := VelocityPriorTooNarrow(&c.s, c.set)
		if math.Abs(limit-c.limit) > 1e-9*c.limit || narrow != c.want {
			t.Errorf("%s: limit %v, too narrow %v; want %v, %v", c.name, limit, narrow, c.limit, c.want)
		}
		// SigmaV0For inverts the bound: the prior it gives has the speed asked for as its bound.
		for _, v := range []float64{60, 200, 900} {
			set := c.set
			set.SigmaV0 = SigmaV0For(&c.s, c.set, v)
			if set.SigmaV0 == 0 {
				continue // the measurement error alone covers v
			}
			if got, _ := VelocityPriorTooNarrow(&c.s, set); math.Abs(got-v) > 1e-9*v {
				t.Errorf("%s: the prior for %v m/s gives a bound of %v", c.name, v, got)
			}
		}
	}
}

// What the warning of 'adsim track' says happens, happens: 40 targets at 200 m/s, above the
// default prior's bound of 153 m/s, are mostly never confirmed; with the prior SigmaV0For
// gives for 1.25 times their speed (what the warning advises) every one is.
func TestNarrowPriorLosesFastTargets(t *testing.T) {
	p := GenParams{Scenario: DefaultScenario(), Targets: 40, Steps: 60, Seed: 5, SpeedMin: 200, SpeedMax: 200}
	p.Scenario.SpeedMax = p.SpeedMax
	dets, truth, err := Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	s := &p.Scenario
	if _, narrow := VelocityPriorTooNarrow(s, Settings{}); !narrow {
		t.Fatal("200 m/s is within the default prior's bound")
	}
	res, err := Run(s, Settings{}, dets, truth, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Summary.TruthsConfirmed; got > 20 {
		t.Errorf("default prior: %d of 40 targets at 200 m/s confirmed; the bound says most are lost", got)
	}
	wide := Settings{SigmaV0: math.Ceil(SigmaV0For(s, Settings{}, 1.25*200)/10) * 10}
	if _, narrow := VelocityPriorTooNarrow(s, wide); narrow {
		t.Fatalf("the advised prior %v is still too narrow", wide.SigmaV0)
	}
	res, err = Run(s, wide, dets, truth, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Summary.TruthsConfirmed; got != 40 {
		t.Errorf("prior %v m/s: %d of 40 targets confirmed", wide.SigmaV0, got)
	}
}
