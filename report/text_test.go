package report

import (
	"math"
	"strings"
	"testing"

	"github.com/adsim/adsim/sim"
)

func TestWriteText(t *testing.T) {
	o := &sim.Outcome{Scenario: "x", Launched: 3, Destroyed: 2, Leaked: 1, ValueTotal: 200, ValueLost: 50,
		InterceptorsFired: 4, DefenceCostUSD: 2.5e6, ThreatCostUSD: 1e6, ExchangeRatio: 2.5,
		Classes:  []sim.ClassOutcome{{Class: "shahed-136", Category: "drone", Launched: 3, Destroyed: 2, Leaked: 1}},
		Layers:   []sim.LayerOutcome{{Layer: "long"}, {Layer: "medium"}, {Layer: "short", Kills: 2, InterceptorsFired: 4}},
		Units:    []sim.UnitOutcome{{ID: "p1", Class: "pantsir-s1", Layer: "short", Kills: 2, Weapons: []sim.WeaponOutcome{{Weapon: "57e6", Fired: 4, Remaining: 8}}}},
		Assets:   []sim.AssetOutcome{{ID: "hq", Value: 200, ValueLost: 50, Impacts: 1}},
		Leakers:  []sim.Leaker{{Threat: "d-01", Class: "shahed-136", Asset: "hq", T: 1200}},
		Tracking: sim.TrackingOutcome{CutoffM: 1000, MeanOSPA: 123.4, TracksConfirmed: 5, FalseTracks: 2, FalseTrackEngagements: 1},
	}
	var b strings.Builder
	if err := WriteText(&b, o); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"3 launched", "2 destroyed", "1 leaked", "50.0 of 200.0 (25.0 %)", "$2.5M",
		"exchange ratio 2.50", "57e6 4 (8)", "d-01", "-> hq",
		"mean OSPA 123 m", "5 tracks confirmed, 2 false", "1 assignments to false tracks"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	// Layers without units and without kills are left out.
	if strings.Contains(out, "medium") {
		t.Errorf("empty layer shown:\n%s", out)
	}
}

// TestMoney: dollars in billions and millions with d decimals, in thousands and units as
// whole numbers, NaN as "-".
func TestMoney(t *testing.T) {
	for _, c := range []struct {
		x    float64
		d    int
		want string
	}{
		{0, 1, "0"}, {999.4, 2, "999"}, {-2500, 1, "-2k"}, {545e3, 2, "545k"},
		{1.2e6, 1, "1.2M"}, {-3.45e6, 2, "-3.45M"}, {2.5e9, 1, "2.5B"}, {math.NaN(), 1, "-"},
	} {
		if got := Money(c.x, c.d); got != c.want {
			t.Errorf("Money(%g, %d) = %q, want %q", c.x, c.d, got, c.want)
		}
	}
}

// An aircraft that released its stand-off weapons and flew home is a leaker (it survived),
// but the summary says so instead of "(end of route)", which read as a threat that got
// through: the threats line counts such aircraft and the leakers list names their egress.
func TestWriteTextEgress(t *testing.T) {
	o := &sim.Outcome{Scenario: "x", Launched: 6, Destroyed: 4, Leaked: 2, ValueTotal: 100,
		Classes: []sim.ClassOutcome{{Class: "fighter", Category: "aircraft", Launched: 2, Leaked: 2},
			{Class: "standoff-asm", Category: "cruise_missile", Launched: 4, Destroyed: 4}},
		Leakers: []sim.Leaker{{Threat: "jets-01", Class: "fighter", Result: sim.EgressResult, T: 1285.5},
			{Threat: "recce-01", Class: "fighter", T: 1300}},
	}
	var b strings.Builder
	if err := WriteText(&b, o); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"2 leaked (1 of them aircraft that released their weapons and flew home)",
		"jets-01                fighter        -> (egress: released its stand-off weapons and flew home; no damage)",
		"recce-01               fighter        -> (end of route)"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}

// TestWriteTextLeakerStory: under each leaker, when it was launched and first tracked, and
// each shot at it with its result, pk, draw and closest approach; "no shot at it" and "never
// tracked" when so.
func TestWriteTextLeakerStory(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	o := &sim.Outcome{Scenario: "x", Launched: 2, Leaked: 2, Leakers: []sim.Leaker{
		{Threat: "isk-01", Class: "iskander-m", Asset: "hq", T: 1867.5, LaunchedS: 1700, ConfirmedS: f(1720), Shots: []sim.Shot{
			{T: 1799.66, Unit: "s400-north", Weapon: "9m96", Interceptor: "s400-north/9m96/8", Result: "miss", Pk: f(0.5474), Draw: f(0.9743), MissM: f(0.45)},
			{T: 1810, Unit: "s400-north", Weapon: "9m96", Interceptor: "s400-north/9m96/9", Result: "no_target"},
			{T: 1850.25, Unit: "p1", Weapon: "2a38m", Result: "miss", Pk: f(0.12), Draw: f(0.5)},
		}},
		{Threat: "d-02", Class: "shahed-136", Asset: "hq", T: 1900, LaunchedS: 300},
	}}
	var b strings.Builder
	if err := WriteText(&b, o); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"      launched at 1700.0 s, first confirmed track at 1720.0 s (20.0 s after launch); 3 shots at it:\n",
		"        t= 1799.7 s  s400-north 9m96                  miss (pk 0.55, draw 0.97), closest approach 0.5 m\n",
		"        t= 1810.0 s  s400-north 9m96                  no_target\n",
		"        t= 1850.2 s  p1 2a38m burst                   miss (pk 0.12, draw 0.50)\n",
		"      launched at 300.0 s, never tracked (no confirmed track); no shot at it\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
}
