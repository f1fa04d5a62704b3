package threat

import (
	"math"
	"testing"

	"github.com/adsim/adsim/geo"
)

// PHYSICS.md §5: drag-free range over a spherical earth (Bate, Mueller & White §6.2).
// v = 2 km/s, r = 6378137 m, μ = 3.986004418e14 → Q = 0.064005, Ψ = 3.7892°, 421.81 km, φ_opt 44.05°.
func TestFreeFlightRangeBMW(t *testing.T) {
	const r, mu, v = 6378137.0, 3.986004418e14, 2000.0
	q := v * v * r / mu
	if math.Abs(q-0.064005) > 5e-7 {
		t.Fatalf("Q = %.7f, want 0.064005", q)
	}
	// Maximum range: sin(Ψ/2) = Q/(2−Q).
	psi := 2 * math.Asin(q/(2-q))
	phi := OptimalFlightPathAngle(psi)
	if d := math.Abs(phi*180/math.Pi - 44.05); d > 0.005 {
		t.Errorf("φ_opt = %.4f°, want 44.05°", phi*180/math.Pi)
	}
	if got := FreeFlightRangeAngle(q, phi); math.Abs(got-psi) > 1e-9 {
		t.Errorf("range equation at φ_opt gives Ψ = %v, max-range formula %v", got, psi)
	}
	if d := math.Abs(psi*180/math.Pi - 3.7892); d > 5e-5 {
		t.Errorf("Ψ = %.5f°, want 3.7892°", psi*180/math.Pi)
	}
	if got := psi * r / 1000; math.Abs(got-421.81)/421.81 > 0.005 {
		t.Errorf("ground range %.2f km, want 421.81 km within 0.5 %%", got)
	}
	// The inverse used to launch missiles gives back v.
	vb, err := BurnoutSpeedForRange(psi, phi, r, mu)
	if err != nil || math.Abs(vb-v) > 1e-6 {
		t.Errorf("BurnoutSpeedForRange = %v, %v; want %v", vb, err, v)
	}
}

// PHYSICS.md §5 BMW p.290 example: r_bo = 1.2 DU, v = 2/3 DU/TU → Q = 0.533, φ = 51.318°, Ψ = 36.390°.
func TestFreeFlightRangeBMWExample(t *testing.T) {
	q := (2.0 / 3) * (2.0 / 3) * 1.2 // canonical units: μ = 1
	if math.Abs(q-0.533) > 5e-4 {
		t.Fatalf("Q = %v", q)
	}
	got := FreeFlightRangeAngle(q, 51.318*math.Pi/180) * 180 / math.Pi
	if math.Abs(got-36.390) > 0.01 {
		t.Errorf("Ψ = %.3f°, want 36.390°", got)
	}
}

// Flat-earth limit, PHYSICS.md §5: v = 2 km/s at 45°, g = 9.80665 → 407.886 km. Over a round
// earth the same shot goes 3.4 % farther; check the integrator lands where BMW says.
func TestBallisticFlightLandsOnAim(t *testing.T) {
	f := geo.NewFrame(geo.LLADeg(40, -35, 0))
	launch := f.ToLocal(geo.LLADeg(40, -35, 0))
	for _, km := range []float64{50, 250, 421.81} {
		aim := f.ToLocal(geo.Direct(geo.LLADeg(40, -35, 0), 0.7, km*1000))
		b, err := NewBallistic(&f, launch, aim, 0)
		if err != nil {
			t.Fatal(err)
		}
		var tof float64
		for !b.Done() && tof < 2000 {
			b.Step(0.5)
			tof += 0.5
		}
		if !b.Done() {
			t.Fatalf("%v km: no impact", km)
		}
		if miss := f.GroundRange(b.Pos(), aim); miss > 0.001*km*1000 {
			t.Errorf("%v km: impact %.1f m from aim", km, miss)
		}
	}
}

func TestFlatEarthRangeLimit(t *testing.T) {
	// A short shot over a round earth approaches the flat-earth R = v² sin 2θ / g.
	const g = 9.80665
	r := 6378137.0
	mu := g * r * r // surface gravity g
	v := 300.0
	phi := math.Pi / 4
	psi := FreeFlightRangeAngle(v*v*r/mu, phi)
	flat := v * v * math.Sin(2*phi) / g
	if got := psi * r; math.Abs(got-flat)/flat > 0.005 {
		t.Errorf("range %.1f m, flat earth %.1f m", got, flat)
	}
	// PHYSICS §5 flat-earth figure: 2 km/s at 45° → 407.886 km.
	if got := 2000.0 * 2000 / g / 1000; math.Abs(got-407.886) > 5e-4 {
		t.Errorf("flat range %.4f km", got)
	}
}

func TestWaypointKeepsAltitudeAndArrives(t *testing.T) {
	f := geo.NewFrame(geo.LLADeg(40, -35, 0))
	start := f.ToLocal(geo.LLADeg(39.5, -35, 0))
	mid := f.ToLocal(geo.LLADeg(39.8, -35.3, 0))
	aim := f.ToLocal(geo.LLADeg(40, -35, 0))
	w, err := NewWaypoint(&f, start, []geo.Vec3{mid, aim}, 50, 51.4, true)
	if err != nil {
		t.Fatal(err)
	}
	var tt float64
	for !w.Done() && tt < 5000 {
		w.Step(0.5)
		tt += 0.5
		if alt := f.Altitude(w.Pos()); alt > 50+1e-6 || alt < -1e-6 {
			t.Fatalf("altitude %v at t=%v", alt, tt)
		}
	}
	if !w.Done() {
		t.Fatal("never arrived")
	}
	if d := w.Pos().Sub(aim).Norm(); d > 1e-6 {
		t.Errorf("ended %v m from the aim point", d)
	}
	// Path length / speed: the two legs plus the dive, within a frame of the ideal time.
	ideal := (f.GroundRange(start, mid) + f.GroundRange(mid, aim)) / 51.4
	if math.Abs(tt-ideal) > 2 {
		t.Errorf("flight time %v s, ideal %v s", tt, ideal)
	}
}

func TestNewWaypointRejectsBadInput(t *testing.T) {
	f := geo.NewFrame(geo.LLADeg(0, 0, 0))
	if _, err := NewWaypoint(&f, geo.Vec3{}, nil, 50, 50, true); err == nil {
		t.Error("empty route accepted")
	}
	if _, err := NewWaypoint(&f, geo.Vec3{}, []geo.Vec3{{X: 1000}}, 50, 0, true); err == nil {
		t.Error("zero speed accepted")
	}
}

func BenchmarkWaypointStep(b *testing.B) {
	f := geo.NewFrame(geo.LLADeg(40, -35, 0))
	start := f.ToLocal(geo.LLADeg(30, -35, 0))
	w, _ := NewWaypoint(&f, start, []geo.Vec3{f.ToLocal(geo.LLADeg(40, -35, 0))}, 50, 50, true)
	for i := 0; i < b.N; i++ {
		w.Step(0.5)
	}
}
