package engage

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/adsim/adsim/geo"
)

// sameBits reports whether two vectors are identical bit for bit (NaN included).
func sameBits(a, b geo.Vec3) bool {
	return math.Float64bits(a.X) == math.Float64bits(b.X) &&
		math.Float64bits(a.Y) == math.Float64bits(b.Y) &&
		math.Float64bits(a.Z) == math.Float64bits(b.Z)
}

// checkFalling compares InterceptFalling on the launches with Intercept on each of them.
func checkFalling(t *testing.T, name string, launcher geo.Vec3, tLaunch float64, p, v, up geo.Vec3, t0 float64, ls []FallingLaunch) {
	t.Helper()
	InterceptFalling(launcher, tLaunch, p, v, up, t0, ls)
	for j, l := range ls {
		pip, tof, ok := Intercept(launcher, tLaunch, l.Speed, l.MaxTOF, Falling(p, v, up, t0))
		if !sameBits(pip, l.PIP) || math.Float64bits(tof) != math.Float64bits(l.TOF) || ok != l.OK {
			t.Errorf("%s, launch %d (speed %v, maxTOF %v): InterceptFalling (%v, %v, %v), Intercept (%v, %v, %v)",
				name, j, l.Speed, l.MaxTOF, l.PIP, l.TOF, l.OK, pip, tof, ok)
		}
	}
}

// InterceptFalling must agree bit for bit with Intercept on a Falling predictor: converging,
// oscillating without converging (a target faster than the interceptor), leaving the bound,
// past maxTOF, degenerate speeds, NaN and any number of launches.
func TestInterceptFallingMatchesIntercept(t *testing.T) {
	up := geo.Vec3{Z: 1}
	inf, nan := math.Inf(1), math.NaN()
	cases := []struct {
		name     string
		launcher geo.Vec3
		p, v     geo.Vec3
		ls       []FallingLaunch
	}{
		{"converges", geo.Vec3{}, geo.Vec3{X: 60000, Z: 30000}, geo.Vec3{X: -600, Z: -400},
			[]FallingLaunch{{Speed: 1200, MaxTOF: 240}, {Speed: 830, MaxTOF: 165}, {Speed: 1350, MaxTOF: 320}}},
		{"faster target oscillates", geo.Vec3{}, geo.Vec3{X: 200000, Z: 40000}, geo.Vec3{X: -2000, Z: -500},
			[]FallingLaunch{{Speed: 1200, MaxTOF: 240}, {Speed: 830, MaxTOF: 165}, {Speed: 1350, MaxTOF: 320}}},
		{"receding beyond the bound", geo.Vec3{}, geo.Vec3{X: 5000, Z: 1000}, geo.Vec3{X: 3000},
			[]FallingLaunch{{Speed: 800, MaxTOF: 10}}},
		{"converges past maxTOF", geo.Vec3{}, geo.Vec3{X: 60000, Z: 3000}, geo.Vec3{X: -100},
			[]FallingLaunch{{Speed: 500, MaxTOF: 20}, {Speed: 500, MaxTOF: inf}}},
		{"degenerate speeds", geo.Vec3{X: 10}, geo.Vec3{X: 20000, Z: 1000}, geo.Vec3{X: -300},
			[]FallingLaunch{{Speed: 0, MaxTOF: 100}, {Speed: -5, MaxTOF: 100}, {Speed: nan, MaxTOF: 100},
				{Speed: inf, MaxTOF: 100}, {Speed: 900, MaxTOF: nan}, {Speed: 900, MaxTOF: 100}}},
		{"NaN target", geo.Vec3{}, geo.Vec3{X: nan}, geo.Vec3{X: -300},
			[]FallingLaunch{{Speed: 900, MaxTOF: 100}, {Speed: 1000, MaxTOF: 100}}},
		{"target at the launcher", geo.Vec3{X: 1, Y: 2, Z: 3}, geo.Vec3{X: 1, Y: 2, Z: 3}, geo.Vec3{},
			[]FallingLaunch{{Speed: 900, MaxTOF: 100}}},
		{"no launches", geo.Vec3{}, geo.Vec3{X: 1000}, geo.Vec3{}, nil},
	}
	for _, c := range cases {
		checkFalling(t, c.name, c.launcher, 7, c.p, c.v, up, 3, c.ls)
	}
	// Random geometries of every kind, with 1 to 9 launches (more than one group of lanes).
	rng := rand.New(rand.NewPCG(1, 2))
	for k := 0; k < 2000; k++ {
		p := geo.Vec3{X: rng.NormFloat64() * 1e5, Y: rng.NormFloat64() * 1e5, Z: rng.Float64() * 8e4}
		v := geo.Vec3{X: rng.NormFloat64() * 1500, Y: rng.NormFloat64() * 1500, Z: rng.NormFloat64() * 800}
		u := geo.Vec3{X: rng.NormFloat64() * 0.1, Y: rng.NormFloat64() * 0.1, Z: 1}.Unit()
		ls := make([]FallingLaunch, 1+rng.IntN(9))
		for j := range ls {
			ls[j] = FallingLaunch{Speed: 300 + rng.Float64()*2000, MaxTOF: 10 + rng.Float64()*300}
		}
		checkFalling(t, "random", geo.Vec3{X: rng.NormFloat64() * 1e4}, rng.Float64()*100, p, v, u, rng.Float64()*100, ls)
	}
}

// benchFallingLaunches are an S-400-like unit's three missiles against a ballistic missile
// faster than them: two of the iterations run their 50 steps without converging, the third
// leaves its bound early (as in the capital scenario).
var benchFallingLaunches = [3]FallingLaunch{{Speed: 1200, MaxTOF: 240}, {Speed: 830, MaxTOF: 165}, {Speed: 1350, MaxTOF: 320}}

func BenchmarkInterceptFalling(b *testing.B) {
	p, v, up := geo.Vec3{X: 150000, Z: 40000}, geo.Vec3{X: -1600, Z: -300}, geo.Vec3{Z: 1}
	ls := benchFallingLaunches
	for i := 0; i < b.N; i++ {
		InterceptFalling(geo.Vec3{}, 7, p, v, up, 3, ls[:])
	}
}

// BenchmarkInterceptFallingSerial is the same work as BenchmarkInterceptFalling with
// Intercept, one launch after the other.
func BenchmarkInterceptFallingSerial(b *testing.B) {
	p, v, up := geo.Vec3{X: 150000, Z: 40000}, geo.Vec3{X: -1600, Z: -300}, geo.Vec3{Z: 1}
	for i := 0; i < b.N; i++ {
		for _, l := range benchFallingLaunches {
			Intercept(geo.Vec3{}, 7, l.Speed, l.MaxTOF, Falling(p, v, up, 3))
		}
	}
}
