package sim

import (
	"math"
	"testing"

	"github.com/adsim/adsim/engage"
	"github.com/adsim/adsim/geo"
	"github.com/adsim/adsim/scenario"
)

// diveShot flies fly from the ground at a target at slant range r and height h (m), moving at
// vel (m/s; the track predicts it exactly), with the loft law's loft, and returns how it ended,
// the highest altitude it flew at and its flight-path angle at the end (rad, negative
// diving).
func diveShot(t *testing.T, fly *flyoutSpec, r, h float64, vel geo.Vec3) (ev engage.Event, top, gamma float64) {
	t.Helper()
	o := reachOrigin()
	frame := geo.NewFrame(o)
	tl := geo.Direct(o, 0, r)
	target := frame.ToLocal(geo.LLA{Lat: tl.Lat, Lon: tl.Lon, Alt: h})
	from := frame.ToLocal(o)
	env := engage.DefaultEnv(&frame)
	m, err := engage.NewMissile(fly.spec, env, from, launchDir(&frame, from, target, fly.loftAt(r)), 0)
	if err != nil {
		t.Fatal(err)
	}
	m.SetTrace(func(s engage.Sample) { top = math.Max(top, frame.Altitude(s.Pos)) })
	pred := engage.Linear(target, vel, 0)
	for m.Time() < fly.spec.MaxFlightTime+1 {
		t0 := m.Time()
		a := engage.TargetState{Pos: pred(t0), Vel: vel}
		b := engage.TargetState{Pos: pred(t0 + reachFrameS), Vel: vel}
		if ev = m.Step(reachFrameS, a, b, pred); ev.Kind != engage.NoEvent {
			break
		}
	}
	v := m.Vel()
	up := frame.Up(m.Pos())
	return ev, top, math.Asin(v.Dot(up) / v.Norm())
}

// Dive shaping (dive_deg) against a low, level target keeps a long-range missile high and
// brings it down late: against a stationary target 30 m up at 40 % of its catalog range each
// shaped catalog missile hits, sooner than along the chord (where the 48N6 and the 40N6 time
// out), at the end of a flight that went higher, and arrives diving more steeply (25–28° for
// the S-400's missiles: the seeker's homing, from lock-on, and the plain law, once the chord
// is steeper than the dive, end the shaping early). Against a target at 9 km (above diveTopM) and against one diving at 45°
// (a ballistic missile's dive: met head-on) the shaped flight is the chord's, to the bit.
func TestDiveShaping(t *testing.T) {
	shaped := 0
	catalogMissiles(t, func(sys string, wp *scenario.Weapon, fly *flyoutSpec) {
		if !(fly.spec.DiveAngle > 0) {
			return
		}
		shaped++
		chord := *fly
		chord.spec.DiveAngle = 0
		r := 0.4 * fly.maxR
		evS, topS, gS := diveShot(t, fly, r, 30, geo.Vec3{})
		evC, topC, gC := diveShot(t, &chord, r, 30, geo.Vec3{})
		t.Logf("%s/%s at 30 m, %.0f km: shaped %s after %.1f s, %.1f km up at most, arriving at %.0f°; chord %s after %.1f s, %.1f km up, %.0f°",
			sys, wp.ID, r/1000, evS.Kind, evS.FlightTime, topS/1000, gS*180/math.Pi, evC.Kind, evC.FlightTime, topC/1000, gC*180/math.Pi)
		if !hitsWithin(fly, evS) || !(evS.FlightTime < evC.FlightTime) || !(topS > topC) || !(gS < gC) {
			t.Errorf("%s/%s: shaped %s (miss %.1f m) after %.1f s, top %.1f km, %.0f°; chord %.1f s, top %.1f km",
				sys, wp.ID, evS.Kind, evS.Miss, evS.FlightTime, topS/1000, gS*180/math.Pi, evC.FlightTime, topC/1000)
		}
		for _, c := range []struct {
			name string
			h    float64
			vel  geo.Vec3
		}{
			{"a target 9 km up", 9000, geo.Vec3{}},
			{"a target diving at 45°", 3000, geo.Vec3{Y: -700, Z: -700}},
		} {
			a, _, _ := diveShot(t, fly, r/2, c.h, c.vel)
			b, _, _ := diveShot(t, &chord, r/2, c.h, c.vel)
			if a != b {
				t.Errorf("%s/%s against %s: shaped %+v, chord %+v", sys, wp.ID, c.name, a, b)
			}
		}
	})
	if shaped < 4 {
		t.Errorf("%d catalog missiles with dive_deg, want the 4 long- and medium-range ones", shaped)
	}
}
