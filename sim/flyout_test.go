package sim

import (
	"math"
	"testing"

	"github.com/adsim/adsim/engage"
	"github.com/adsim/adsim/geo"
	"github.com/adsim/adsim/scenario"
)

// reachShot flies a catalog missile's flyout from the ground on the engine's round earth at
// a stationary target at ground range r and height h (m), launched as the engine launches it
// (toward the target, raised by the loft angle), with 0.5 s frames. It returns the flyout's
// end and the speed then.
func reachShot(t testing.TB, fly *flyoutSpec, r, h float64) (engage.Event, float64) {
	t.Helper()
	o := geo.LLADeg(40, -35, 0)
	frame := geo.NewFrame(o)
	env := engage.DefaultEnv(&frame)
	from := frame.ToLocal(o)
	tl := geo.Direct(o, 0, r)
	target := frame.ToLocal(geo.LLA{Lat: tl.Lat, Lon: tl.Lon, Alt: h})
	m, err := engage.NewMissile(fly.spec, env, from, launchDir(&frame, from, target, fly.loftAt(target.Sub(from).Norm())), 0)
	if err != nil {
		t.Fatal(err)
	}
	st := engage.TargetState{Pos: target}
	pred := engage.Linear(target, geo.Vec3{}, 0)
	for m.Time() < fly.spec.MaxFlightTime+10 {
		if ev := m.Step(0.5, st, st, pred); ev.Kind != engage.NoEvent {
			return ev, m.Vel().Norm()
		}
	}
	return engage.Event{}, m.Vel().Norm()
}

// reachHeight is the target height of the kinematic-range check: 30 % of the weapon's
// ceiling, at most 10 km (an aircraft at medium altitude for the long-range missiles).
func reachHeight(wp *scenario.Weapon) float64 { return math.Min(10000, 0.3*wp.MaxAltM.Value) }

// hit reports a detonation within the Carleton spread (or the lethal radius).
func hit(fly *flyoutSpec, ev engage.Event) bool {
	return ev.Kind == engage.Detonate && ev.Miss <= math.Max(fly.spec.Lethality.Sigma, fly.spec.Lethality.Radius)
}

// Every catalog missile reaches its catalog maximum range (a hit on a stationary target at
// 30 % of its ceiling, at most 10 km up, before its self-destruct) but not 35 % beyond it;
// and its planning speed (speed_mps, C2's constant mean speed) is the mean speed of the
// flyout to that range within 15 %.
func TestCatalogKinematicRange(t *testing.T) {
	cat, err := scenario.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range cat.Systems {
		for i := range sc.Weapons {
			wp := &sc.Weapons[i]
			if wp.Kind != scenario.KindMissile {
				continue
			}
			if !wp.HasFlyout() {
				t.Errorf("%s/%s: no flyout figures", sc.ID, wp.ID)
				continue
			}
			fly, err := flyoutFromCatalog(wp)
			if err != nil {
				t.Fatal(err)
			}
			maxR, h := 1000*wp.MaxRangeKm.Value, reachHeight(wp)
			ev, v := reachShot(t, fly, maxR, h)
			// The farthest hit, in steps of 2.5 % of the catalog range.
			reach := 0.0
			for f := 0.5; f <= 1.6; f += 0.025 {
				if e, _ := reachShot(t, fly, f*maxR, h); hit(fly, e) {
					reach = f
				}
			}
			mean := math.Hypot(maxR, h) / ev.FlightTime
			t.Logf("%-7s max range %5.0f km at %5.0f m: %-9s miss %5.2f m, time of flight %6.1f s, speed then %5.0f m/s, mean %5.0f m/s (speed_mps %4.0f); farthest hit %.3f × max range",
				wp.ID, maxR/1000, h, ev.Kind, ev.Miss, ev.FlightTime, v, mean, wp.SpeedMps.Value, reach)
			if !hit(fly, ev) {
				t.Errorf("%s: does not reach its catalog range: %v, miss %.1f m", wp.ID, ev.Kind, ev.Miss)
			}
			if reach > 1.35 {
				t.Errorf("%s: reaches %.2f × its catalog range", wp.ID, reach)
			}
			if d := math.Abs(mean-wp.SpeedMps.Value) / wp.SpeedMps.Value; d > 0.15 {
				t.Errorf("%s: planning speed %v m/s, flyout mean speed to max range %.0f m/s (%.0f %% off)", wp.ID, wp.SpeedMps.Value, mean, 100*d)
			}
		}
	}
}
