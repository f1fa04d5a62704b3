package engage

import (
	"math"
	"testing"

	"github.com/adsim/adsim/geo"
)

func TestInterceptSolvesCollision(t *testing.T) {
	cases := []struct {
		name   string
		p, v   geo.Vec3
		speed  float64
		wantOK bool
	}{
		{"head-on", geo.Vec3{X: 20000, Z: 100}, geo.Vec3{X: -250}, 800, true},
		{"crossing", geo.Vec3{X: 10000, Y: -5000, Z: 50}, geo.Vec3{Y: 250}, 800, true},
		{"receding slowly", geo.Vec3{X: 5000}, geo.Vec3{X: 50}, 800, true},
		{"faster than interceptor, receding", geo.Vec3{X: 5000}, geo.Vec3{X: 1000}, 800, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pip, tof, ok := InterceptLinear(geo.Vec3{}, 10, c.speed, 120, c.p, c.v, 10)
			if ok != c.wantOK {
				t.Fatalf("ok = %v, want %v", ok, c.wantOK)
			}
			if !ok {
				return
			}
			// The interceptor covers |PIP| in tof, and the target is at the PIP then.
			if d := math.Abs(pip.Norm() - c.speed*tof); d > 0.5 {
				t.Errorf("|PIP| %.2f vs speed·tof %.2f", pip.Norm(), c.speed*tof)
			}
			if d := pip.Sub(c.p.Add(c.v.Scale(tof))).Norm(); d > 1e-6 {
				t.Errorf("target is %.3g m from the PIP at arrival", d)
			}
		})
	}
}

// Fuzing must find the true miss distance whatever the frame step: two straight paths that
// pass at a known distance between frames (PHYSICS-independent geometry).
func TestClosestApproachExactAtAnyStep(t *testing.T) {
	const miss = 7.25
	// Interceptor along +x at 1500 m/s, target along −x at 1500 m/s, offset by miss in y:
	// closing speed 3 km/s, closest approach at t = 1.2345 s.
	tca := 1.2345
	for _, dt := range []float64{0.01, 0.1, 0.5, 1, 3} {
		// Frame that contains tca.
		t0 := math.Floor(tca/dt) * dt
		mi := geo.Vec3{X: 1500 * t0}
		tg := geo.Vec3{X: 3000*tca - 1500*t0, Y: miss}
		vr := geo.Vec3{X: -3000}
		ts, got := ClosestApproach(tg.Sub(mi), vr, dt)
		if math.Abs(got-miss) > 0.01 {
			t.Errorf("dt=%v: miss %.4f m, want %.4f", dt, got, miss)
		}
		if math.Abs(t0+ts-tca) > 1e-9 {
			t.Errorf("dt=%v: time of closest approach %.6f, want %.6f", dt, t0+ts, tca)
		}
	}
}

func TestFallingPredictorDropsUnderGravity(t *testing.T) {
	up := geo.Vec3{Z: 1}
	p := Falling(geo.Vec3{Z: 1000}, geo.Vec3{}, up, 0)
	if got := p(10).Z; math.Abs(got-(1000-0.5*Gravity*100)) > 1e-9 {
		t.Errorf("z(10 s) = %v", got)
	}
}

// The closed form agrees with a brute-force scan of |target(τ)| − s·τ for its first root.
func TestInterceptLinearMatchesScan(t *testing.T) {
	cases := []struct{ p, v geo.Vec3 }{
		{geo.Vec3{X: 20000, Z: 100}, geo.Vec3{X: -250}},
		{geo.Vec3{X: 10000, Y: -5000, Z: 50}, geo.Vec3{Y: 250}},
		{geo.Vec3{X: 5000}, geo.Vec3{X: 50}},
		{geo.Vec3{X: -3000, Y: 40000, Z: 9000}, geo.Vec3{X: 600, Y: -1500, Z: -300}},
		{geo.Vec3{X: 90000, Z: 20000}, geo.Vec3{X: -2500, Z: -800}}, // faster than the interceptor, closing
	}
	for i, c := range cases {
		want, found, _ := firstRootByScan(func(x float64) geo.Vec3 { return c.p.Add(c.v.Scale(x + 2)) }, 1800, 200)
		pip, tof, ok := InterceptLinear(geo.Vec3{}, 3, 1800, 200, c.p, c.v, 1)
		if !ok || !found || math.Abs(tof-want) > 1e-6*want {
			t.Errorf("case %d: (%v, %v, %v), the scan %v %v", i, pip, tof, ok, want, found)
		}
	}
	// A target faster than the interceptor and running away cannot be caught.
	if _, _, ok := InterceptLinear(geo.Vec3{}, 0, 800, 100, geo.Vec3{X: 5000}, geo.Vec3{X: 1000}, 0); ok {
		t.Error("caught a faster receding target")
	}
}

func BenchmarkInterceptLinear(b *testing.B) {
	for i := 0; i < b.N; i++ {
		InterceptLinear(geo.Vec3{}, 0, 800, 100, geo.Vec3{X: 20000, Y: 3000, Z: 50}, geo.Vec3{X: -200, Y: 30}, 0)
	}
}
