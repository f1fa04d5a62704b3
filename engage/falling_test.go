package engage

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/adsim/adsim/geo"
)

// A target dropping straight down on the launcher, H − v₀τ − ½gτ² = sτ, has the intercept
// τ = (−(v₀+s) + √((v₀+s)² + 2gH))/g in closed form, whatever the ratio of the speeds: the
// solver must find it when the target is faster than the interceptor too.
func TestInterceptBallisticVerticalDrop(t *testing.T) {
	up := geo.Vec3{Z: 1}
	cases := []struct{ h, v0, s float64 }{
		{30000, 2000, 1000}, // twice as fast as the interceptor
		{30000, 3000, 830},
		{50000, 1200, 1200},
		{20000, 0, 1350},
		{8000, 500, 2000},
		{60000, -300, 900}, // still climbing
	}
	for _, c := range cases {
		want := (-(c.v0 + c.s) + math.Sqrt((c.v0+c.s)*(c.v0+c.s)+2*Gravity*c.h)) / Gravity
		pip, tof, ok := InterceptBallistic(geo.Vec3{}, 7, c.s, 300, geo.Vec3{Z: c.h}, geo.Vec3{Z: -c.v0}, up, 7)
		if !ok || math.Abs(tof-want) > 1e-9*want {
			t.Errorf("H %v, v0 %v, s %v: tof %v ok %v, want %v", c.h, c.v0, c.s, tof, ok, want)
		}
		if math.Abs(pip.Z-c.s*want) > 1e-6 || pip.X != 0 || pip.Y != 0 {
			t.Errorf("H %v, v0 %v, s %v: PIP %v, want z = %v", c.h, c.v0, c.s, pip, c.s*want)
		}
	}
}

// firstRootByScan is the smallest τ in [0, horizon] with |target(τ) − launcher| = s·τ, found
// by scanning f(τ) = |target(τ)| − sτ at a fine step and bisecting the first sign change.
// touch says whether f came within a metre of zero at a local minimum before that (a
// grazing geometry, where which side of zero a rounded minimum falls is luck).
func firstRootByScan(target func(float64) geo.Vec3, s, horizon float64) (tau float64, found, touch bool) {
	f := func(x float64) float64 { return target(x).Norm() - s*x }
	const h = 1e-3
	prev2, prev := math.Inf(1), f(0)
	for x := h; x <= horizon; x += h {
		fx := f(x)
		if prev < prev2 && prev <= fx && math.Abs(prev) < 1 {
			touch = true
		}
		if fx <= 0 && prev > 0 {
			lo, hi := x-h, x
			for i := 0; i < 80; i++ {
				if mid := (lo + hi) / 2; f(mid) > 0 {
					lo = mid
				} else {
					hi = mid
				}
			}
			return hi, true, touch
		}
		prev2, prev = prev, fx
	}
	return 0, false, touch
}

// On random engagements — targets closing or opening, faster or slower than the interceptor,
// climbing or diving, launches before and after the track time — InterceptBallistic finds the
// same first intercept as a brute-force scan, or none when the scan finds none.
func TestInterceptBallisticMatchesScan(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	up := geo.Vec3{X: 0.1, Y: -0.05, Z: 1}.Unit() // a local vertical that is not an axis
	const horizon = 200.0
	found, grazing := 0, 0
	for k := 0; k < 300; k++ {
		a := 2 * math.Pi * r.Float64()
		d := 5000 + 150000*r.Float64()
		p := geo.Vec3{X: d * math.Cos(a), Y: d * math.Sin(a), Z: 1000 + 60000*r.Float64()}
		// Mostly closing on the defended area, some crossing or opening.
		v := p.Unit().Scale(-1).Add(geo.Vec3{X: r.NormFloat64(), Y: r.NormFloat64(), Z: r.NormFloat64()}.Scale(0.6)).Scale(300 + 2500*r.Float64())
		launcher := geo.Vec3{X: 20000 * r.NormFloat64(), Y: 20000 * r.NormFloat64(), Z: 30 * r.Float64()}
		s := 600 + 1500*r.Float64()
		t0, tl := 100*r.Float64(), 100*r.Float64()
		target := func(x float64) geo.Vec3 { return fall(p, v, up, t0, tl+x).Sub(launcher) }
		want, wantOK, touch := firstRootByScan(target, s, horizon)
		pip, tof, ok := InterceptBallistic(launcher, tl, s, horizon, p, v, up, t0)
		if touch {
			grazing++
			continue
		}
		if ok != wantOK {
			t.Errorf("case %d: ok %v (tof %v), the scan says %v (%v)", k, ok, tof, wantOK, want)
			continue
		}
		if !ok {
			continue
		}
		found++
		if math.Abs(tof-want) > 1e-6*math.Max(1, want) {
			t.Errorf("case %d: tof %.9f, the scan %.9f", k, tof, want)
		}
		// The interceptor covers |PIP − launcher| in tof, and the target is at the PIP then.
		if e := pip.Sub(launcher).Norm() - s*tof; math.Abs(e) > 1e-6*s*tof+1e-6 {
			t.Errorf("case %d: |PIP| − s·tof = %v m", k, e)
		}
		if e := pip.Sub(fall(p, v, up, t0, tl+tof)).Norm(); e != 0 {
			t.Errorf("case %d: PIP is %v m off the arc", k, e)
		}
	}
	t.Logf("%d intercepts, %d grazing of 300", found, grazing)
	if found < 60 || grazing > 10 {
		t.Errorf("%d intercepts found and %d grazing cases of 300: the cases do not exercise the solver", found, grazing)
	}
}

func TestInterceptBallisticEdges(t *testing.T) {
	up := geo.Vec3{Z: 1}
	inf, nan := math.Inf(1), math.NaN()
	cases := []struct {
		name       string
		launcher   geo.Vec3
		speed, max float64
		p, v, up   geo.Vec3
		wantOK     bool
		wantTOF    float64 // checked when ≥ 0
	}{
		{"faster target receding", geo.Vec3{}, 800, 100, geo.Vec3{X: 5000, Z: 1000}, geo.Vec3{X: 3000}, up, false, -1},
		{"beyond maxTOF", geo.Vec3{}, 500, 20, geo.Vec3{X: 60000, Z: 3000}, geo.Vec3{X: -100}, up, false, -1},
		{"target at the launcher", geo.Vec3{X: 1, Y: 2, Z: 3}, 900, 100, geo.Vec3{X: 1, Y: 2, Z: 3}, geo.Vec3{}, up, true, 0},
		{"zero speed", geo.Vec3{}, 0, 100, geo.Vec3{X: 20000, Z: 1000}, geo.Vec3{X: -300}, up, false, -1},
		{"negative speed", geo.Vec3{}, -5, 100, geo.Vec3{X: 20000, Z: 1000}, geo.Vec3{X: -300}, up, false, -1},
		{"NaN speed", geo.Vec3{}, nan, 100, geo.Vec3{X: 20000, Z: 1000}, geo.Vec3{X: -300}, up, false, -1},
		{"infinite speed", geo.Vec3{}, inf, 100, geo.Vec3{X: 20000, Z: 1000}, geo.Vec3{X: -300}, up, false, -1},
		{"NaN maxTOF", geo.Vec3{}, 900, nan, geo.Vec3{X: 20000, Z: 1000}, geo.Vec3{X: -300}, up, false, -1},
		{"NaN target", geo.Vec3{}, 900, 100, geo.Vec3{X: nan}, geo.Vec3{X: -300}, up, false, -1},
		{"infinite maxTOF", geo.Vec3{}, 900, inf, geo.Vec3{X: 20000, Z: 1000}, geo.Vec3{X: -300}, up, true, -1},
	}
	for _, c := range cases {
		pip, tof, ok := InterceptBallistic(c.launcher, 0, c.speed, c.max, c.p, c.v, c.up, 0)
		if ok != c.wantOK || (c.wantTOF >= 0 && tof != c.wantTOF) {
			t.Errorf("%s: (%v, %v, %v), want ok %v tof %v", c.name, pip, tof, ok, c.wantOK, c.wantTOF)
		}
	}
	// Without a vertical there is no gravity arc: the straight line's closed form.
	p, v := geo.Vec3{X: 20000, Y: 3000, Z: 50}, geo.Vec3{X: -200, Y: 30}
	p1, t1, ok1 := InterceptBallistic(geo.Vec3{}, 2, 800, 100, p, v, geo.Vec3{}, 1)
	p2, t2, ok2 := InterceptLinear(geo.Vec3{}, 2, 800, 100, p, v, 1)
	if p1 != p2 || t1 != t2 || ok1 != ok2 {
		t.Errorf("no vertical: (%v, %v, %v), InterceptLinear (%v, %v, %v)", p1, t1, ok1, p2, t2, ok2)
	}
}

// BenchmarkInterceptBallistic is a long-range missile at a ballistic missile diving faster
// than it flies.
func BenchmarkInterceptBallistic(b *testing.B) {
	up := geo.Vec3{Z: 1}
	for i := 0; i < b.N; i++ {
		InterceptBallistic(geo.Vec3{}, 0, 1200, 240, geo.Vec3{X: 150000, Z: 40000}, geo.Vec3{X: -1800, Z: -600}, up, 0)
	}
}
