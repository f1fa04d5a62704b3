package geo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestVec3(t *testing.T) {
	a, b := Vec3{1, 2, 3}, Vec3{4, -5, 6}
	tests := []struct {
		name      string
		got, want Vec3
	}{
		{"Add", a.Add(b), Vec3{5, -3, 9}},
		{"Sub", a.Sub(b), Vec3{-3, 7, -3}},
		{"Scale", a.Scale(2), Vec3{2, 4, 6}},
		{"Cross", a.Cross(b), Vec3{27, 6, -13}},
		{"Cross xy=z", Vec3{1, 0, 0}.Cross(Vec3{0, 1, 0}), Vec3{0, 0, 1}},
		{"Unit", Vec3{0, 3, 4}.Unit(), Vec3{0, 0.6, 0.8}},
		{"Unit zero stays zero", Vec3{}.Unit(), Vec3{}},
	}
	for _, tc := range tests {
		if tc.got.Sub(tc.want).Norm() > 1e-15 {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if got := a.Dot(b); got != 12 {
		t.Errorf("Dot = %v, want 12", got)
	}
	if got := (Vec3{3, 4, 12}).Norm(); got != 13 {
		t.Errorf("Norm = %v, want 13", got)
	}
	if got := (Vec3{3, 4, 12}).Norm2(); got != 169 {
		t.Errorf("Norm2 = %v, want 169", got)
	}
}

// PHYSICS §7: derived constants b and e².
func TestWGS84Derived(t *testing.T) {
	if !near(WGS84B, 6356752.314245, 1e-6) {
		t.Errorf("b = %.6f, want 6356752.314245", WGS84B)
	}
	if !near(WGS84E2, 6.69437999014e-3, 1e-14) {
		t.Errorf("e² = %.14g, want 6.69437999014e-3", WGS84E2)
	}
}

// PHYSICS §1: horizon values [C] (k = 4/3, R = 6371 km), asserted to the
// metre as given (three decimals of a km), and effearthradius [S].
func TestHorizonRange(t *testing.T) {
	tests := []struct {
		h, wantKm float64
	}{
		{10, 13.034},
		{30, 22.576},
		{100, 41.218},
		{1000, 130.34}, // given to 10 m
		{0, 0},
		{-5, 0},
	}
	for _, tc := range tests {
		tol := 0.0005
		if tc.h == 1000 {
			tol = 0.005
		}
		if got := HorizonRange(tc.h) / 1000; !near(got, tc.wantKm, tol) {
			t.Errorf("HorizonRange(%v) = %.4f km, want %v km", tc.h, got, tc.wantKm)
		}
	}
	// 4.1218 km/√m [C].
	if got := HorizonRange(1) / 1000; !near(got, 4.1218, 0.00005) {
		t.Errorf("HorizonRange(1) = %.5f km, want 4.1218", got)
	}
	// MATLAB's effearthradius (8.4774e6 m [S]) derives k from a refractivity
	// gradient rather than using exactly 4/3, so it is not asserted here.
	// Radar at 10 m, target at 100 m → 54.25 km [C].
	if got := RadioHorizon(10, 100) / 1000; !near(got, 54.25, 0.005) {
		t.Errorf("RadioHorizon(10, 100) = %.4f km, want 54.25", got)
	}
}

// PHYSICS §1: LineOfSight agrees with RadioHorizon just inside and just
// outside the horizon, and exactly at the geometric tangent.
func TestLineOfSightHorizon(t *testing.T) {
	re := RefractionK * MeanEarthRadius
	pairs := [][2]float64{{10, 100}, {10, 10}, {30, 5000}, {0, 1000}, {1000, 10000}, {5, 0}}
	for _, p := range pairs {
		h1, h2 := p[0], p[1]
		d := RadioHorizon(h1, h2)
		if !LineOfSight(h1, h2, 0.999*d, MeanEarthRadius, RefractionK) {
			t.Errorf("h=%v,%v: not visible at 0.999 × horizon %.1f m", h1, h2, d)
		}
		if LineOfSight(h1, h2, 1.001*d, MeanEarthRadius, RefractionK) {
			t.Errorf("h=%v,%v: visible at 1.001 × horizon %.1f m", h1, h2, d)
		}
		exact := re * (math.Acos(re/(re+h1)) + math.Acos(re/(re+h2)))
		if !LineOfSight(h1, h2, exact-1e-3, MeanEarthRadius, RefractionK) {
			t.Errorf("h=%v,%v: not visible 1 mm inside tangent", h1, h2)
		}
		if LineOfSight(h1, h2, exact+1e-3, MeanEarthRadius, RefractionK) {
			t.Errorf("h=%v,%v: visible 1 mm beyond tangent", h1, h2)
		}
	}
}

func TestLineOfSightEdgeCases(t *testing.T) {
	tests := []struct {
		name           string
		h1, h2, ground float64
		radius, k      float64
		want           bool
	}{
		{"same point", 10, 10, 0, MeanEarthRadius, RefractionK, true},
		{"vertical", 0, 1e5, 0, MeanEarthRadius, RefractionK, true},
		{"short ground-to-ground", 0, 0, 1, MeanEarthRadius, RefractionK, false},
		{"negative ground range", 10, 100, -50000, MeanEarthRadius, RefractionK, true},
		{"below surface", -1, 100, 10, MeanEarthRadius, RefractionK, false},
		{"beyond antipode", 1e9, 1e9, 4e7, MeanEarthRadius, RefractionK, false},
		{"bad radius", 10, 10, 10, 0, RefractionK, false},
		{"bad k", 10, 10, 10, MeanEarthRadius, -1, false},
		{"NaN", math.NaN(), 10, 10, MeanEarthRadius, RefractionK, false},
		{"no refraction, k=1", 10, 100, 50000, MeanEarthRadius, 1, false},
		{"high target far", 10, 10000, 400000, MeanEarthRadius, RefractionK, true},
	}
	for _, tc := range tests {
		if got := LineOfSight(tc.h1, tc.h2, tc.ground, tc.radius, tc.k); got != tc.want {
			t.Errorf("%s: LineOfSight = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// PHYSICS §7: MATLAB geodetic2ecef for Paris, full precision [C] to the mm;
// lla2ecef([0 45 1000]) = 4510731.031 m [C].
func TestLLAToECEF(t *testing.T) {
	tests := []struct {
		name string
		p    LLA
		want Vec3
	}{
		{"Paris", LLADeg(48.8562, 2.3508, 67.4), Vec3{4200996.790, 172460.322, 4780102.831}},
		{"lla2ecef [0 45 1000]", LLADeg(0, 45, 1000), Vec3{4510731.031, 4510731.031, 0}},
		{"north pole", LLADeg(90, 0, 0), Vec3{0, 0, WGS84B}},
		{"equator", LLADeg(0, 0, 0), Vec3{WGS84A, 0, 0}},
	}
	for _, tc := range tests {
		got := LLAToECEF(tc.p)
		if d := got.Sub(tc.want); math.Abs(d.X) > 5e-4 || math.Abs(d.Y) > 5e-4 || math.Abs(d.Z) > 5e-4 {
			t.Errorf("%s: LLAToECEF = %.4f, want %.3f", tc.name, got, tc.want)
		}
	}
}

// PHYSICS §7: ecef2lla([4510731 4510731 0]) = [0 45 999.9564] [S], asserted
// to 1e-4 m; plus round trips and degenerate points.
func TestECEFToLLA(t *testing.T) {
	got := ECEFToLLA(Vec3{4510731, 4510731, 0})
	if !near(got.LatDeg(), 0, 1e-12) || !near(got.LonDeg(), 45, 1e-12) || !near(got.Alt, 999.9564, 1e-4) {
		t.Errorf("ECEFToLLA = (%v°, %v°, %.5f m), want (0, 45, 999.9564)", got.LatDeg(), got.LonDeg(), got.Alt)
	}
	tests := []struct {
		name string
		v    Vec3
		want LLA
	}{
		{"centre", Vec3{}, LLA{math.Pi / 2, 0, -WGS84B}},
		{"north pole", Vec3{0, 0, WGS84B + 10}, LLA{math.Pi / 2, 0, 10}},
		{"south pole", Vec3{0, 0, -WGS84B - 10}, LLA{-math.Pi / 2, 0, 10}},
		{"equator", Vec3{WGS84A - 5, 0, 0}, LLA{0, 0, -5}},
	}
	for _, tc := range tests {
		got := ECEFToLLA(tc.v)
		if !near(got.Lat, tc.want.Lat, 1e-15) || !near(got.Lon, tc.want.Lon, 1e-15) || !near(got.Alt, tc.want.Alt, 1e-9) {
			t.Errorf("%s: ECEFToLLA = %+v, want %+v", tc.name, got, tc.want)
		}
	}
	for _, v := range []Vec3{{1, 0, 0}, {1e3, 1e3, -1e3}, {4e4, 0, 1}, {1e8, 2e8, 3e8}} {
		if p := ECEFToLLA(v); math.IsNaN(p.Lat) || math.IsNaN(p.Lon) || math.IsNaN(p.Alt) {
			t.Errorf("ECEFToLLA(%v) = %+v has NaN", v, p)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 10000; i++ {
		p := LLA{(r.Float64() - 0.5) * math.Pi, (r.Float64() - 0.5) * 2 * math.Pi, r.Float64()*1e6 - 1e4}
		v := LLAToECEF(p)
		back := LLAToECEF(ECEFToLLA(v))
		tol := 5e-9 // a few ulps (9.3e-10 m each) of an ECEF coordinate near the surface
		if p.Alt > 1e5 {
			tol = 1e-8
		}
		if d := back.Sub(v).Norm(); d > tol {
			t.Fatalf("round trip of %+v: %.3g m", p, d)
		}
	}
}

// PHYSICS §7 quick cases from geographiclib-python test_geodesic.py [S]:
// s12 to the metre, azimuths to 1e-5°.
func TestInverse(t *testing.T) {
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		s12, azi1, azi2        float64 // m, deg, deg; NaN = not given
	}{
		{"JFK-CDG", 40.6, -73.8, 49.01666667, 2.55, 5853226, 53.47022, 111.59367},
		{"antipodal", 0, 0, 0, 180, 20003931, math.NaN(), math.NaN()},
		{"nearly antipodal", 0, 0, 0, 179, 19926189, math.NaN(), math.NaN()},
	}
	for _, tc := range tests {
		s, a1, a2 := Inverse(LLADeg(tc.lat1, tc.lon1, 0), LLADeg(tc.lat2, tc.lon2, 0))
		if !near(s, tc.s12, 0.5) {
			t.Errorf("%s: s12 = %.3f, want %v", tc.name, s, tc.s12)
		}
		if !math.IsNaN(tc.azi1) && !near(rad2deg(a1), tc.azi1, 5e-6) {
			t.Errorf("%s: azi1 = %.7f°, want %v", tc.name, rad2deg(a1), tc.azi1)
		}
		if !math.IsNaN(tc.azi2) && !near(rad2deg(a2), tc.azi2, 5e-6) {
			t.Errorf("%s: azi2 = %.7f°, want %v", tc.name, rad2deg(a2), tc.azi2)
		}
	}
	if s, _, _ := Inverse(LLA{Lat: 2}, LLA{}); !math.IsNaN(s) {
		t.Errorf("Inverse with latitude > π/2 = %v, want NaN", s)
	}
}

// Direct inverts Inverse: random geodesics (including nearly antipodal ones)
// land within 1 µm of the target.
func TestDirectInverseRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 5000; i++ {
		a := LLA{math.Asin(2*r.Float64() - 1), (2*r.Float64() - 1) * math.Pi, 123}
		b := LLA{math.Asin(2*r.Float64() - 1), (2*r.Float64() - 1) * math.Pi, 0}
		if i%5 == 0 { // nearly antipodal
			b = LLA{-a.Lat + (r.Float64()-0.5)*1e-2, a.Lon + math.Pi + (r.Float64()-0.5)*1e-2, 0}
		}
		s, azi, _ := Inverse(a, b)
		got := Direct(a, azi, s)
		if got.Alt != a.Alt {
			t.Fatalf("Direct changed altitude: %v", got.Alt)
		}
		got.Alt = 0
		if d := LLAToECEF(got).Sub(LLAToECEF(b)).Norm(); d > 1e-6 {
			t.Fatalf("Direct(Inverse(%v, %v)) misses by %.3g m", a, b, d)
		}
	}
	if p := Direct(LLA{Lat: math.NaN()}, 0, 1); !math.IsNaN(p.Lat) {
		t.Errorf("Direct(NaN) = %v, want NaN", p)
	}
}

func TestFrameRoundTrip(t *testing.T) {
	origins := []LLA{LLADeg(0, 0, 0), LLADeg(48.8562, 2.3508, 67.4), LLADeg(-33.9, 151.2, 500), LLADeg(89.999, 10, 0), LLADeg(60, -179.9, 2000)}
	r := rand.New(rand.NewPCG(5, 6))
	for _, o := range origins {
		f := NewFrame(o)
		if got := f.ToLocal(o); got.Norm() > 1e-9 {
			t.Errorf("ToLocal(origin) = %v, want 0", got)
		}
		if got := f.Altitude(f.ToLocal(o)); !near(got, o.Alt, 1e-9) {
			t.Errorf("Altitude(ToLocal(origin)) = %v, want %v", got, o.Alt)
		}
		if f.Origin() != o {
			t.Errorf("Origin() = %v, want %v", f.Origin(), o)
		}
		for i := 0; i < 1000; i++ {
			v := Vec3{(r.Float64() - 0.5) * 4e5, (r.Float64() - 0.5) * 4e5, r.Float64() * 3e4}
			back := f.ToLocal(f.ToLLA(v))
			if d := back.Sub(v).Norm(); d > 1e-6 {
				t.Fatalf("origin %v: ToLocal(ToLLA(%v)) off by %.3g m", o, v, d)
			}
		}
	}
}

// The spherical Altitude agrees with the exact ellipsoidal height within the
// documented tolerance: 1 m within 50 km and 3 m within 100 km.
func TestAltitudeVsEllipsoid(t *testing.T) {
	tests := []struct{ dist, tol float64 }{{50e3, 1}, {100e3, 3}}
	for _, lat := range []float64{0, 30, 45, 60, 80} {
		o := LLADeg(lat, 10, 100)
		f := NewFrame(o)
		for _, tc := range tests {
			worst := 0.0
			for az := 0.0; az < 360; az += 15 {
				for _, h := range []float64{0, 1000, 20000} {
					p := Direct(LLA{o.Lat, o.Lon, h}, az*math.Pi/180, tc.dist)
					got := f.Altitude(f.ToLocal(p))
					worst = math.Max(worst, math.Abs(got-h))
				}
			}
			if worst > tc.tol {
				t.Errorf("lat %v°, %v km: worst |Altitude - h| = %.3f m > %v m", lat, tc.dist/1e3, worst, tc.tol)
			}
		}
	}
}

func TestFrameGeometry(t *testing.T) {
	f := NewFrame(LLADeg(45, 10, 0))
	R := f.Radius()
	o := Vec3{}
	tests := []struct {
		name     string
		from, to Vec3
		el, az   float64 // rad
	}{
		{"north level", o, f.AtAltitude(Vec3{0, 1000, 0}, 0), -1000 / (2 * R), 0},
		{"east", o, Vec3{1000, 0, 0}, 0, math.Pi / 2},
		{"south", o, Vec3{0, -1000, 0}, 0, math.Pi},
		{"west", o, Vec3{-1000, 0, 0}, 0, 3 * math.Pi / 2},
		{"north-east 45° up", o, Vec3{1000, 1000, math.Sqrt2 * 1000}, math.Pi / 4, math.Pi / 4},
		{"zenith", o, Vec3{0, 0, 5000}, math.Pi / 2, 0},
		{"nadir", o, Vec3{0, 0, -5000}, -math.Pi / 2, 0},
		{"coincident", o, o, 0, 0},
	}
	for _, tc := range tests {
		if got := f.Elevation(tc.from, tc.to); !near(got, tc.el, 1e-9) {
			t.Errorf("%s: Elevation = %v, want %v", tc.name, got, tc.el)
		}
		if got := f.Azimuth(tc.from, tc.to); !near(got, tc.az, 1e-9) {
			t.Errorf("%s: Azimuth = %v, want %v", tc.name, got, tc.az)
		}
	}
	// A point far away is below the horizon by θ/2 in elevation (chord).
	far := f.AtAltitude(Vec3{0, 100e3, 0}, 0)
	if got, want := f.Elevation(o, far), -f.GroundRange(o, far)/(2*R); !near(got, want, 1e-12) {
		t.Errorf("far Elevation = %v, want %v", got, want)
	}
	if got := f.GroundRange(o, f.AtAltitude(Vec3{0, 100e3, 0}, 5000)); !near(got, f.GroundRange(o, far), 1e-6) {
		t.Errorf("GroundRange depends on altitude: %v", got)
	}
	if got := f.Altitude(f.AtAltitude(Vec3{3e4, -2e4, 77}, 1234.5)); !near(got, 1234.5, 1e-8) {
		t.Errorf("Altitude(AtAltitude(...,1234.5)) = %v", got)
	}
	if got := f.Up(f.Centre()); got != (Vec3{0, 0, 1}) {
		t.Errorf("Up(centre) = %v", got)
	}
	// Azimuth follows true north: compare with the geodesic azimuth 50 km out.
	for _, azDeg := range []float64{0, 30, 135, 270, 359} {
		p := Direct(f.Origin(), azDeg*math.Pi/180, 50e3)
		from := f.AtAltitude(Vec3{0, 0, 0}, 0)
		if got := f.Azimuth(from, f.ToLocal(p)) * 180 / math.Pi; math.Abs(math.Remainder(got-azDeg, 360)) > 0.01 {
			t.Errorf("Azimuth toward geodesic at %v° = %v°", azDeg, got)
		}
	}
}

// Frame.Visible uses the frame's radius: for a radar at 10 m and a target
// at 100 m it agrees with the PHYSICS §1 horizon (with the frame's R) to 0.1%.
func TestFrameVisible(t *testing.T) {
	f := NewFrame(LLADeg(30, 0, 0))
	d := HorizonRangeR(10, f.Radius(), RefractionK) + HorizonRangeR(100, f.Radius(), RefractionK)
	radar := f.AtAltitude(Vec3{}, 10)
	R := f.Radius()
	at := func(ground, h float64) Vec3 {
		th := ground / R
		return f.AtAltitude(Vec3{0, (R) * math.Sin(th), (R)*math.Cos(th) - R}, h)
	}
	if !f.Visible(radar, at(0.999*d, 100)) {
		t.Error("not visible inside horizon")
	}
	if f.Visible(radar, at(1.001*d, 100)) {
		t.Error("visible beyond horizon")
	}
	// Terrain hook: a 300 m plateau halfway masks a low target that smooth
	// earth lets through.
	target := at(30e3, 100)
	if !f.VisibleOver(SmoothEarth{}, radar, target, 0) || !f.VisibleOver(nil, radar, target, 0) {
		t.Error("smooth earth masks a visible target")
	}
	if f.VisibleOver(plateau{f, 14e3, 16e3, 300}, radar, target, 100) {
		t.Error("plateau did not mask")
	}
	if !f.VisibleOver(plateau{f, 14e3, 16e3, 10}, radar, target, 100) {
		t.Error("10 m plateau masked")
	}
}

// plateau is a test terrain: height h between two northward ground ranges.
type plateau struct {
	f      Frame
	lo, hi float64
	h      float64
}

func (p plateau) Height(q LLA) float64 {
	v := p.f.ToLocal(LLA{q.Lat, q.Lon, 0})
	g := p.f.GroundRange(Vec3{}, v)
	if g >= p.lo && g <= p.hi {
		return p.h
	}
	return 0
}

func ExampleRadioHorizon() {
	// A radar mast at 10 m and a cruise missile at 100 m (PHYSICS §1).
	fmt.Printf("%.2f km\n", RadioHorizon(10, 100)/1000)
	// Output: 54.25 km
}

func ExampleInverse() {
	jfk := LLADeg(40.6, -73.8, 0)
	cdg := LLADeg(49.01666667, 2.55, 0)
	s12, azi1, azi2 := Inverse(jfk, cdg)
	fmt.Printf("%.0f m %.5f° %.5f°\n", s12, azi1*180/math.Pi, azi2*180/math.Pi)
	// Output: 5853226 m 53.47022° 111.59367°
}

func ExampleFrame() {
	f := NewFrame(LLADeg(48.8562, 2.3508, 67.4))
	target := f.ToLocal(LLADeg(49.2, 2.3508, 3000)) // about 38 km north, 3 km up
	radar := f.AtAltitude(Vec3{}, 10)
	fmt.Printf("ground %.1f km, alt %.0f m, az %.1f°, el %.2f°, visible %v\n",
		f.GroundRange(radar, target)/1000, f.Altitude(target),
		f.Azimuth(radar, target)*180/math.Pi, f.Elevation(radar, target)*180/math.Pi,
		f.Visible(radar, target))
	// Output: ground 38.2 km, alt 3000 m, az 0.0°, el 4.30°, visible true
}

func ExampleLineOfSight() {
	// Just inside and just outside the 54.25 km radio horizon of a 10 m mast
	// and a 100 m target (PHYSICS §1).
	fmt.Println(LineOfSight(10, 100, 54.2e3, MeanEarthRadius, RefractionK),
		LineOfSight(10, 100, 54.3e3, MeanEarthRadius, RefractionK))
	// Output: true false
}

var sink float64
var sinkV Vec3
var sinkB bool

func BenchmarkToLocal(b *testing.B) {
	f := NewFrame(LLADeg(48.8562, 2.3508, 67.4))
	p := LLADeg(49.2, 2.6, 3000)
	for b.Loop() {
		sinkV = f.ToLocal(p)
	}
}

func BenchmarkToLLA(b *testing.B) {
	f := NewFrame(LLADeg(48.8562, 2.3508, 67.4))
	v := Vec3{20e3, 38e3, 3000}
	for b.Loop() {
		sinkV = Vec3{X: f.ToLLA(v).Alt}
	}
}

func BenchmarkAltitude(b *testing.B) {
	f := NewFrame(LLADeg(48.8562, 2.3508, 67.4))
	v := Vec3{20e3, 38e3, 3000}
	for b.Loop() {
		sink = f.Altitude(v)
	}
}

func BenchmarkVisible(b *testing.B) {
	f := NewFrame(LLADeg(48.8562, 2.3508, 67.4))
	a, v := Vec3{0, 0, 10}, Vec3{20e3, 38e3, 100}
	for b.Loop() {
		sinkB = f.Visible(a, v)
	}
}

func BenchmarkInverse(b *testing.B) {
	p, q := LLADeg(40.6, -73.8, 0), LLADeg(49.01666667, 2.55, 0)
	for b.Loop() {
		sink, _, _ = Inverse(p, q)
	}
}
