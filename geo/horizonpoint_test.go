package geo

import (
	"math"
	"math/rand/v2"
	"testing"
)

// HorizonPoint.Sees must agree with Frame.Visible, including near the horizon.
func TestHorizonPointAgreesWithVisible(t *testing.T) {
	f := NewFrame(LLADeg(40, -35, 0))
	rng := rand.New(rand.NewPCG(3, 4))
	disagree := 0
	for i := 0; i < 200000; i++ {
		a := f.AtAltitude(Vec3{X: (rng.Float64() - 0.5) * 2e5, Y: (rng.Float64() - 0.5) * 2e5}, rng.Float64()*200-5)
		b := f.AtAltitude(Vec3{X: (rng.Float64() - 0.5) * 4e5, Y: (rng.Float64() - 0.5) * 4e5}, rng.ExpFloat64()*300)
		if f.HorizonPoint(a).Sees(f.HorizonPoint(b)) != f.Visible(a, b) {
			// Only floating-point ties at the exact tangent may differ.
			ga, gb := f.Altitude(a), f.Altitude(b)
			lim := HorizonRangeR(ga, f.Radius(), RefractionK) + HorizonRangeR(gb, f.Radius(), RefractionK)
			if d := f.GroundRange(a, b) - lim; d > 1 || d < -1 {
				t.Fatalf("disagree far from the horizon: alt %v, %v; ground %v; limit %v", ga, gb, f.GroundRange(a, b), lim)
			}
			disagree++
		}
	}
	if disagree > 2 {
		t.Errorf("%d disagreements at the tangent", disagree)
	}
	// High points (satellite-like) use the angle fallback.
	hi := f.AtAltitude(Vec3{}, 5e6)
	lo := f.AtAltitude(Vec3{X: 3e6}, 10)
	if f.HorizonPoint(hi).Sees(f.HorizonPoint(lo)) != f.Visible(hi, lo) {
		t.Error("fallback disagrees")
	}
}

func BenchmarkHorizonPointSees(b *testing.B) {
	f := NewFrame(LLADeg(40, -35, 0))
	p := f.HorizonPoint(f.AtAltitude(Vec3{}, 30))
	q := f.HorizonPoint(f.AtAltitude(Vec3{X: 30000, Y: 10000}, 50))
	n := 0
	for i := 0; i < b.N; i++ {
		if p.Sees(q) {
			n++
		}
	}
	_ = n
}

// HorizonPoint must prepare exactly the numbers of its defining formulas (Altitude, Cos and
// Sin): radar scans depend on it bit for bit.
func TestHorizonPointExact(t *testing.T) {
	f := NewFrame(LLADeg(40, -35, 0))
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 200000; i++ {
		p := f.AtAltitude(Vec3{X: (rng.Float64() - 0.5) * 8e5, Y: (rng.Float64() - 0.5) * 8e5}, rng.ExpFloat64()*3000-10)
		hp := f.HorizonPoint(p)
		h := f.Altitude(p)
		if hp.below != (h < 0) {
			t.Fatalf("%v: below %v at altitude %v", p, hp.below, h)
		}
		if hp.below {
			continue
		}
		re := RefractionK * f.radius
		angle := RefractionK * math.Atan2(math.Sqrt(h*(2*re+h)), re)
		if hp.angle != angle || hp.cosA != math.Cos(angle) || hp.sinA != math.Sin(angle) {
			t.Fatalf("%v: angle %v cos %v sin %v, want %v %v %v", p, hp.angle, hp.cosA, hp.sinA,
				angle, math.Cos(angle), math.Sin(angle))
		}
	}
}

// TestRadialIsUpAndAltitude: Radial gives Up's and Altitude's bits, the centre included.
func TestRadialIsUpAndAltitude(t *testing.T) {
	f := NewFrame(LLADeg(40, -35, 0))
	pts := []Vec3{{}, {X: 1e5, Y: -3e4, Z: 50}, {Z: 3e5}, {X: -7e5, Y: 2e5, Z: -1e4}, f.centre}
	for _, p := range pts {
		up, alt := f.Radial(p)
		if up != f.Up(p) || alt != f.Altitude(p) {
			t.Errorf("%v: Radial (%v, %v), Up %v, Altitude %v", p, up, alt, f.Up(p), f.Altitude(p))
		}
	}
}
