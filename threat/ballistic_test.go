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

// The burnout speed solve with its coarse stage (solveDragSpeed, as NewBallisticDrag calls
// it) meets its tolerance of 1e-4 of the range + 1 m flown at the flight's own step, for
// the catalog's Iskander-M class (β = 8000 kg/m², 25°, descent drag: scenario/catalog.yaml,
// built as in sim/world.go addRaid) and drag from burnout at the minimum-energy angle, from
// 50 to 500 km; the fine-only secant (the solve before the coarse stage) lands within the
// tolerance too, so the two impacts are within twice of it.
func TestBallisticDragSolveTolerance(t *testing.T) {
	f := geo.NewFrame(geo.LLADeg(40, -35, 0))
	earth := RoundEarth(&f)
	aimLLA := geo.LLADeg(40, -35, 0)
	aim := f.ToLocal(aimLLA)
	impact := func(b *BallisticDrag) geo.Vec3 {
		flyToImpact(t, b, 0.5)
		return b.Pos()
	}
	for _, spec := range []BallisticSpec{
		{Beta: 8000, Phi: 25 * math.Pi / 180, DescentDrag: true},
		{Beta: 3000},
	} {
		for _, km := range []float64{50, 120, 230, 500} {
			launch := f.ToLocal(geo.Direct(aimLLA, 0.8, km*1000))
			b, err := NewBallisticDrag(earth, launch, aim, spec)
			if err != nil {
				t.Fatal(err)
			}
			// The fine-only solve from the same start (NewBallisticDrag's launch point on
			// the aim's ground, direction and drag-free speed).
			p0, dir := b.Pos(), b.Vel().Unit()
			want := earth.GroundRange(p0, aim)
			phi := math.Asin(dir.Dot(earth.up(p0)))
			v0, err := BurnoutSpeedForRange(want/earth.Radius, phi, earth.Radius+earth.Altitude(aim), earth.Mu)
			if err != nil {
				t.Fatal(err)
			}
			vf, err := solveDragSpeed(earth, p0, dir, want, v0, spec, 0)
			if err != nil {
				t.Fatal(err)
			}
			pc, pf := impact(b), impact(LaunchBallistic(earth, p0, dir.Scale(vf), spec))
			tol := 1e-4*want + 1
			if miss := earth.GroundRange(pc, aim); miss > tol {
				t.Errorf("β %v, %v km: impact %.2f m from the aim, tolerance %.2f m", spec.Beta, km, miss, tol)
			}
			if miss := earth.GroundRange(pf, aim); miss > tol {
				t.Errorf("β %v, %v km: fine-only impact %.2f m from the aim, tolerance %.2f m", spec.Beta, km, miss, tol)
			}
			t.Logf("β %v, %3v km: impact %.2f m from the fine-only solve's, %.2f m from the aim (tolerance %.1f m)",
				spec.Beta, km, earth.GroundRange(pc, pf), earth.GroundRange(pc, aim), tol)
		}
	}
}

// BenchmarkBallisticDragSolve is the burnout speed solve of the capital scenario's
// Iskander-M shot (scenario/examples/capital.yaml, ballistic-northeast: ~230 km).
func BenchmarkBallisticDragSolve(b *testing.B) {
	f := geo.NewFrame(geo.LLADeg(40, -35, 0))
	launch, aim := f.ToLocal(geo.LLADeg(41.6, -33.3, 0)), f.ToLocal(geo.LLADeg(40, -35, 0))
	spec := BallisticSpec{Beta: 8000, Phi: 25 * math.Pi / 180, DescentDrag: true}
	for b.Loop() {
		if _, err := NewBallisticDrag(RoundEarth(&f), launch, aim, spec); err != nil {
			b.Fatal(err)
		}
	}
}
