package threat

import (
	"math"
	"testing"

	"github.com/adsim/adsim/geo"
)

// flyToImpact steps b until impact and returns the flight time and apogee altitude.
func flyToImpact(t *testing.T, b *BallisticDrag, dt float64) (tof, apogee float64) {
	t.Helper()
	for i := 0; i < 1e6 && !b.Done(); i++ {
		b.Step(dt)
		apogee = math.Max(apogee, b.Altitude())
	}
	if !b.Done() {
		t.Fatal("no impact")
	}
	return b.Time(), apogee
}

// PHYSICS.md §5, drag switched off: the integrated trajectory against the closed forms.
// Flat earth: 2 km/s at 45°, g = 9.80665 → range 407.886 km, apogee 101.97 km, flight 288.42 s.
// Spherical earth (BMW §6.2): r = 6378137 m, μ = 3.986004418e14, 2 km/s at φ_opt = 44.05° →
// 421.81 km.
func TestBallisticDragFreeRanges(t *testing.T) {
	const v = 2000.0
	round := Earth{Centre: geo.Vec3{Z: -6378137}, Radius: 6378137, Mu: 3.986004418e14}
	q := v * v * round.Radius / round.Mu
	phiOpt := OptimalFlightPathAngle(2 * math.Asin(q/(2-q)))
	cases := []struct {
		name                  string
		earth                 Earth
		phi                   float64
		rangeKm, apogeeKm, tf float64 // 0: not checked
	}{
		{"flat earth", FlatEarth(9.80665), math.Pi / 4, 407.886, 101.97, 288.42},
		{"round earth", round, phiOpt, 421.81, 0, 0},
	}
	for _, c := range cases {
		for _, dt := range []float64{0.1, 1, 7} {
			vel := geo.Vec3{X: v * math.Cos(c.phi), Z: v * math.Sin(c.phi)}
			b := LaunchBallistic(c.earth, geo.Vec3{}, vel, BallisticSpec{})
			tof, apogee := flyToImpact(t, b, dt)
			rng := c.earth.GroundRange(geo.Vec3{}, b.Pos()) / 1000
			within := func(what string, got, want float64) {
				if want != 0 && math.Abs(got-want)/want > 0.005 {
					t.Errorf("%s, frame %v s: %s %.4f, want %.4f within 0.5 %%", c.name, dt, what, got, want)
				}
			}
			within("range km", rng, c.rangeKm)
			within("apogee km", apogee/1000, c.apogeeKm)
			within("flight time s", tof, c.tf)
		}
	}
}

// With drag the launcher solves the burnout speed so the warhead still lands on the aim, it
// needs more speed than in a vacuum, and it passes through the terminal phase.
func TestBallisticDragLandsOnAim(t *testing.T) {
	f := geo.NewFrame(geo.LLADeg(40, -35, 0))
	earth := RoundEarth(&f)
	launch := f.ToLocal(geo.LLADeg(40, -35, 0))
	for _, km := range []float64{80, 300} {
		aim := f.ToLocal(geo.Direct(geo.LLADeg(40, -35, 0), 0.7, km*1000))
		vac, err := NewBallisticDrag(earth, launch, aim, BallisticSpec{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := NewBallisticDrag(earth, launch, aim, BallisticSpec{Beta: 3000})
		if err != nil {
			t.Fatal(err)
		}
		if !(b.Vel().Norm() > vac.Vel().Norm()) {
			t.Errorf("%v km: burnout speed with drag %.1f ≤ vacuum %.1f", km, b.Vel().Norm(), vac.Vel().Norm())
		}
		sawTerminal := false
		for !b.Done() {
			b.Step(0.5)
			sawTerminal = sawTerminal || b.Phase() == Reentry
		}
		if miss := earth.GroundRange(b.Pos(), aim); miss > 1e-3*km*1000 {
			t.Errorf("%v km: impact %.0f m from aim", km, miss)
		}
		if !sawTerminal || b.Phase() != Impacted || b.Phase().String() != "impacted" {
			t.Errorf("%v km: phases not seen", km)
		}
	}
	if _, err := NewBallisticDrag(earth, launch, launch, BallisticSpec{}); err == nil {
		t.Error("zero range accepted")
	}
}
