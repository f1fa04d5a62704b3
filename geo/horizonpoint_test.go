package geo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// HorizonPoint.Sees must agree with Frame.Visible, including near the horizon, on the sphere
// and with the ground raised above it (WithGround: heights count from the ground).
func TestHorizonPointAgreesWithVisible(t *testing.T) {
	for _, g := range []float64{0, 1200} {
		f := NewFrame(LLADeg(40, -35, g)).WithGround(g)
		rng := rand.New(rand.NewPCG(3, 4))
		disagree := 0
		for i := 0; i < 200000; i++ {
			a := f.AtAltitude(Vec3{X: (rng.Float64() - 0.5) * 2e5, Y: (rng.Float64() - 0.5) * 2e5}, g+rng.Float64()*200-5)
			b := f.AtAltitude(Vec3{X: (rng.Float64() - 0.5) * 4e5, Y: (rng.Float64() - 0.5) * 4e5}, g+rng.ExpFloat64()*300)
			if f.HorizonPoint(a).Sees(f.HorizonPoint(b)) != f.Visible(a, b) {
				// Only floating-point ties at the exact tangent may differ.
				ga, gb := f.Altitude(a)-g, f.Altitude(b)-g
				lim := HorizonRangeR(ga, f.Radius(), RefractionK) + HorizonRangeR(gb, f.Radius(), RefractionK)
				if d := f.GroundRange(a, b) - lim; d > 1 || d < -1 {
					t.Fatalf("ground %v: disagree far from the horizon: heights %v, %v; ground %v; limit %v", g, ga, gb, f.GroundRange(a, b), lim)
				}
				disagree++
			}
		}
		if disagree > 2 {
			t.Errorf("ground %v: %d disagreements at the tangent", g, disagree)
		}
		// High points (satellite-like) use the angle fallback.
		hi := f.AtAltitude(Vec3{}, g+5e6)
		lo := f.AtAltitude(Vec3{X: 3e6}, g+10)
		if f.HorizonPoint(hi).Sees(f.HorizonPoint(lo)) != f.Visible(hi, lo) {
			t.Errorf("ground %v: fallback disagrees", g)
		}
	}
}

// The radio horizon counts heights from the ground: a radar 10 m above a plateau at 1,200 m
// sees a drone 50 m above it as far as on the sea shore, √(2kR·10) + √(2kR·50) ≈ 42 km, not
// as far as two points 1,210 and 1,250 m above the sea (≈ 289 km).
func TestHorizonFromTheGround(t *testing.T) {
	for _, g := range []float64{0, 1200, 3000} {
		f := NewFrame(LLADeg(35.7, 51.4, g)).WithGround(g)
		radar := f.AtAltitude(Vec3{}, g+10)
		a := f.HorizonPoint(radar)
		want := HorizonRangeR(10, f.Radius(), RefractionK) + HorizonRangeR(50, f.Radius(), RefractionK)
		for _, c := range []struct {
			ground float64
			sees   bool
		}{{want * 0.99, true}, {want * 1.01, false}} {
			p := f.AtAltitude(Vec3{X: c.ground}, g+50)
			if got := a.Sees(f.HorizonPoint(p)); got != c.sees {
				t.Errorf("ground %v m: a 10 m radar sees a 50 m drone %.1f km away: %v, want %v", g, c.ground/1000, got, c.sees)
			}
			if got := f.Visible(radar, p); got != c.sees {
				t.Errorf("ground %v m: Visible at %.1f km: %v, want %v", g, c.ground/1000, got, c.sees)
			}
			var m MovingPoint
			f.Move(&m, p)
			if got := f.SeesMoving(&a, &m); got != c.sees {
				t.Errorf("ground %v m: SeesMoving at %.1f km: %v, want %v", g, c.ground/1000, got, c.sees)
			}
		}
		if lim := f.SightRange(a, g+60); lim < want || lim > want*1.1+1000 {
			t.Errorf("ground %v m: SightRange for 60 m %.1f km, horizon for 50 m %.1f km", g, lim/1000, want/1000)
		}
		if !f.HorizonPoint(f.AtAltitude(Vec3{}, g-1)).below {
			t.Errorf("ground %v m: a point 1 m below the ground is not below", g)
		}
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

// TestSightRange: no point of altitude at most h that a HorizonPoint sees lies beyond
// SightRange — checked on random points and on points placed at the tangent limit of Sees
// (found by bisection on the ground range, both sides of the decision), for antennas and
// altitude bounds from the ground up — and the bound is close enough to the horizon to be
// useful (within 1 % and 1 km of the farthest point seen).
func TestSightRange(t *testing.T) {
	for _, g := range []float64{0, 1200} {
		testSightRange(t, NewFrame(LLADeg(40, -35, g)).WithGround(g))
	}
}

// testSightRange is TestSightRange on frame f, heights counted from its ground.
func testSightRange(t *testing.T, f Frame) {
	g := f.Ground()
	rng := rand.New(rand.NewPCG(7, 8))
	antennas := []float64{0, 1e-9, 4, 25, 150, 1000, 12000}
	bounds := []float64{0, 1e-9, 1, 50, 60.5, 310, 3000, 20000}
	for _, ha := range antennas {
		for _, hb := range bounds {
			apos := f.AtAltitude(Vec3{X: rng.Float64() * 1e4, Y: rng.Float64() * 1e4}, g+ha)
			a := f.HorizonPoint(apos)
			lim := f.SightRange(a, g+hb)
			if a.below { // an antenna on the ground may round below it: it sees nothing
				if !math.IsInf(lim, 1) {
					t.Errorf("antenna %v m below the surface: SightRange %v", ha, lim)
				}
				continue
			}
			if !(lim > 0) || math.IsInf(lim, 0) {
				t.Fatalf("antenna %v m, bound %v m: SightRange %v", ha, hb, lim)
			}
			farthest := 0.0
			check := func(p Vec3) bool {
				sees := a.Sees(f.HorizonPoint(p))
				if d := p.Sub(apos).Norm(); sees {
					farthest = math.Max(farthest, d)
					if d > lim {
						t.Fatalf("antenna %v m, bound %v m: %v at %v m (altitude %v) is seen beyond %v",
							ha, hb, p, d, f.Altitude(p), lim)
					}
				}
				return sees
			}
			for k := 0; k < 200; k++ {
				az := 2 * math.Pi * rng.Float64()
				dir := Vec3{X: math.Sin(az), Y: math.Cos(az)}
				// Altitudes at the bound, at 0 and in between; the bound itself and the
				// next float below it.
				alts := []float64{hb, math.Nextafter(hb, -1), 0, hb * rng.Float64()}
				for _, h := range alts {
					if h < 0 {
						continue
					}
					at := func(x float64) Vec3 { return f.AtAltitude(apos.Add(dir.Scale(x)), g+h) }
					// Bisection on the horizontal offset for the last point seen.
					lo, hi := 0.0, 2*lim+1e5
					if !check(at(lo)) {
						continue
					}
					for i := 0; i < 80 && hi-lo > 1e-9*hi; i++ {
						mid := (lo + hi) / 2
						if check(at(mid)) {
							lo = mid
						} else {
							hi = mid
						}
					}
					for _, x := range []float64{lo, hi, math.Nextafter(lo, 0), lo * (1 + 1e-12), lo * rng.Float64()} {
						check(at(x))
					}
				}
			}
			// Random points of bounded altitude, near and far.
			for k := 0; k < 2000; k++ {
				x := (rng.Float64() - 0.5) * 4 * lim
				p := f.AtAltitude(apos.Add(Vec3{X: x, Y: (rng.Float64() - 0.5) * 4 * lim}), g+hb*rng.Float64())
				check(p)
			}
			if farthest > 0 && lim > farthest*1.01+1000 {
				t.Errorf("antenna %v m, bound %v m: SightRange %v, farthest point seen %v", ha, hb, lim, farthest)
			}
		}
	}
	// No useful bound: +Inf.
	below := f.HorizonPoint(f.AtAltitude(Vec3{}, g-1))
	hi := f.HorizonPoint(f.AtAltitude(Vec3{}, g+5e6))
	ok := f.HorizonPoint(f.AtAltitude(Vec3{}, g+25))
	for _, c := range []struct {
		a HorizonPoint
		h float64
	}{{below, 50}, {hi, 50}, {ok, math.NaN()}, {ok, -1}, {ok, math.Inf(1)}, {ok, 1e8}} {
		if r := f.SightRange(c.a, c.h); !math.IsInf(r, 1) {
			t.Errorf("SightRange(%+v, %v) = %v, want +Inf", c.a, c.h, r)
		}
	}
}

func BenchmarkSightRange(b *testing.B) {
	f := NewFrame(LLADeg(40, -35, 0))
	a := f.HorizonPoint(f.AtAltitude(Vec3{}, 25))
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += f.SightRange(a, 60+float64(i&7))
	}
	_ = s
}

// movingCase is a table entry of the moving-point tests: how high the points fly, how far
// their altitude moves per step, and how far from the radars they are.
type movingCase struct {
	name            string
	alt, climb, far float64
}

var movingCases = []movingCase{
	{"low drones", 100, 0.01, 60e3},
	{"cruise near the horizon", 50, 0.5, 45e3},
	{"pop-up climbs", 300, 30, 80e3},
	{"ballistic", 40e3, 700, 600e3},
	{"grazing the ground", 0.5, 0.4, 30e3},
}

// TestSeesMovingMatchesSees flies points in small steps past radars and checks that
// SeesMoving answers exactly as Sees on a freshly prepared HorizonPoint at every step, that
// Point gives that HorizonPoint bit for bit, and that both of SeesMoving's ways (decided from
// the earlier angles, or computed) are taken.
func TestSeesMovingMatchesSees(t *testing.T) {
	for _, g := range []float64{0, 1200} {
		testSeesMovingMatchesSees(t, NewFrame(LLADeg(50, 30, g)).WithGround(g))
	}
}

// testSeesMovingMatchesSees is TestSeesMovingMatchesSees on frame f, heights counted from its
// ground.
func testSeesMovingMatchesSees(t *testing.T, f Frame) {
	g := f.Ground()
	for _, tc := range movingCases {
		t.Run(fmt.Sprintf("%s, ground %g m", tc.name, g), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, uint64(len(tc.name))))
			var radars []HorizonPoint
			for i := 0; i < 8; i++ {
				p := f.AtAltitude(Vec3{X: (rng.Float64() - 0.5) * 2e4, Y: (rng.Float64() - 0.5) * 2e4}, g+rng.Float64()*40)
				radars = append(radars, f.HorizonPoint(p))
			}
			radars = append(radars, f.HorizonPoint(f.AtAltitude(Vec3{}, g+5e6)), f.HorizonPoint(f.AtAltitude(Vec3{}, g-3)))
			fast, computed := 0, 0
			for k := 0; k < 40; k++ {
				var m MovingPoint
				// Start at the distance where the radio horizon lies, so that many tests are
				// close to call, and move outward or inward, climbing or descending.
				az := rng.Float64() * 2 * math.Pi
				dist := tc.far * (0.5 + rng.Float64())
				speed := (rng.Float64() - 0.5) * 600
				alt := tc.alt * (0.5 + rng.Float64())
				climb := (rng.Float64() - 0.5) * 2 * tc.climb
				for step := 0; step < 400; step++ {
					d := dist + speed*float64(step)*0.5
					p := f.AtAltitude(Vec3{X: d * math.Sin(az), Y: d * math.Cos(az)}, g+alt+climb*float64(step))
					f.Move(&m, p)
					want := f.HorizonPoint(p)
					for _, a := range radars[:1+rng.IntN(len(radars))] {
						wasExact := m.exact
						got := f.SeesMoving(&a, &m)
						if got != a.Sees(want) {
							t.Fatalf("step %d at %v m, altitude %v: SeesMoving %v, Sees %v", step, d, f.Altitude(p), got, !got)
						}
						if !wasExact && !m.exact {
							fast++
						} else if !wasExact {
							computed++
						}
					}
					if hp := f.Point(&m); hp != want {
						t.Fatalf("Point %+v, HorizonPoint %+v", hp, want)
					}
				}
			}
			if fast == 0 || computed == 0 {
				t.Errorf("decided from earlier angles %d, computed %d: a way is not exercised", fast, computed)
			}
			t.Logf("decided from earlier angles %d, computed %d", fast, computed)
		})
	}
}

// BenchmarkSeesMoving is a threat moving by a frame's step seen by a few radars per frame:
// HorizonPoint and Sees (prepare) against Move and SeesMoving (moving).
func BenchmarkSeesMoving(b *testing.B) {
	f := NewFrame(LLADeg(50, 30, 0))
	var radars []HorizonPoint
	for i := 0; i < 4; i++ {
		radars = append(radars, f.HorizonPoint(f.AtAltitude(Vec3{X: float64(i) * 7000}, 20)))
	}
	track := make([]Vec3, 4000)
	for i := range track {
		d := 20000 + float64(i)*100
		track[i] = f.AtAltitude(Vec3{X: d * 0.6, Y: d * 0.8}, 100+0.001*float64(i))
	}
	pos := func(i int) Vec3 { return track[i%len(track)] }
	b.Run("prepare", func(b *testing.B) {
		n := 0
		for i := 0; i < b.N; i++ {
			hp := f.HorizonPoint(pos(i))
			for _, a := range radars {
				if a.Sees(hp) {
					n++
				}
			}
		}
		_ = n
	})
	b.Run("moving", func(b *testing.B) {
		var m MovingPoint
		n := 0
		for i := 0; i < b.N; i++ {
			f.Move(&m, pos(i))
			for _, a := range radars {
				if f.SeesMoving(&a, &m) {
					n++
				}
			}
		}
		_ = n
	})
}

// HorizonDistance is the slant range at which Visible changes: two points at heights h1 and
// h2 above the ground, placed that far apart (the second on the great circle north of the
// first), see each other 0.01 % nearer and not 0.01 % farther; over a plateau as at sea
// level. For heights of 10 m and 50 m it is about the textbook √(2kR·10) + √(2kR·50) =
// 42.2 km (RadioHorizon).
func TestHorizonDistance(t *testing.T) {
	for _, c := range []struct{ ground, h1, h2 float64 }{
		{0, 10, 50}, {0, 30, 30}, {1200, 10, 50}, {0, 25, 10000}, {500, 0, 100}, {0, 1000, 20000},
	} {
		f := NewFrame(LLADeg(40, -35, c.ground)).WithGround(c.ground)
		d := f.HorizonDistance(c.h1, c.h2)
		a := f.AtAltitude(Vec3{}, c.ground+c.h1)
		at := func(s float64) Vec3 {
			// The point at height h2 whose slant range from a is s, north of it.
			ra, rb := f.Radius()+c.ground+c.h1, f.Radius()+c.ground+c.h2
			cos := (ra*ra + rb*rb - s*s) / (2 * ra * rb)
			sin := math.Sqrt(1 - cos*cos)
			up := a.Sub(f.Centre()).Unit()
			return f.Centre().Add(up.Scale(rb * cos)).Add(Vec3{Y: 1}.Scale(rb * sin))
		}
		if !f.Visible(a, at(d*(1-1e-4))) || f.Visible(a, at(d*(1+1e-4))) {
			t.Errorf("ground %g, heights %g and %g: horizon distance %.1f m, but Visible does not change there", c.ground, c.h1, c.h2, d)
		}
		if c.h1 == 10 && c.h2 == 50 && math.Abs(d-RadioHorizon(10, 50)) > 0.002*d {
			t.Errorf("ground %g: %.1f m, RadioHorizon %.1f m", c.ground, d, RadioHorizon(10, 50))
		}
	}
	f := NewFrame(LLADeg(40, -35, 0))
	if d := f.HorizonDistance(-1, 10); d != 0 {
		t.Errorf("below the ground: %g, want 0", d)
	}
}
