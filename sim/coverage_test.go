package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/adsim/adsim/geo"
)

// TestCoverageShortcut checks that coverage.covers and coversAll, which skip square roots
// where bounds decide, give exact's boolean on a million positions: spread over the coverage and beyond,
// and concentrated on the boundaries of range, elevation and horizon, where the shortcuts
// must hand over to the exact formula.
func TestCoverageShortcut(t *testing.T) {
	frame := geo.NewFrame(geo.LLADeg(52, 21, 0))
	type cfg struct{ h, minEl, maxEl, maxR float64 }
	cfgs := []cfg{
		{10, 0, 90, 250e3}, {4, 0, 90, 20e3}, {25, 0.5, 70, 400e3}, {8, -3, 90, 0},
		{600, -5, 45, 120e3}, {15, math.Pi / 180 * 180 / math.Pi, 90, 60e3}, // minEl exactly 1°: sinMinCover ≈ 0
		{3, 2, 85, 30e3}, {12, -90, 0, 50e3}, {0, 0, 90, 10e3}, {30, 1.5, 1.5 + 1e-7, 80e3},
	}
	rng := rand.New(rand.NewPCG(7, 11))
	const perCfg = 100_000
	shortcut := 0
	for ci, c := range cfgs {
		pos := frame.AtAltitude(geo.Vec3{X: rng.Float64()*2e4 - 1e4, Y: rng.Float64()*2e4 - 1e4}, c.h)
		up := frame.Up(pos)
		cov := newCoverage(frame, pos, up, c.minEl*math.Pi/180, c.maxEl*math.Pi/180, c.maxR)
		ex := geo.Vec3{X: 1}
		east := ex.Sub(up.Scale(ex.Dot(up))).Unit()
		north := up.Cross(east)
		span := c.maxR * 1.1
		if span == 0 {
			span = 300e3
		}
		// at returns the point at range r, azimuth az and sine of elevation se from the radar.
		at := func(r, az, se float64) [3]float64 {
			ce := math.Sqrt(math.Max(0, 1-se*se))
			v := pos.Add(east.Scale(r * ce * math.Sin(az))).Add(north.Scale(r * ce * math.Cos(az))).Add(up.Scale(r * se))
			return [3]float64{v.X, v.Y, v.Z}
		}
		// Near the horizon test's boundary: rng − horizon = √(2kR(alt + margin)).
		jitter := func(x float64) float64 {
			switch rng.IntN(3) {
			case 0:
				return x * (1 + (rng.Float64()-0.5)*1e-12)
			case 1:
				return math.Nextafter(x, math.Inf(rng.IntN(2)*2-1))
			}
			return x * (1 + (rng.Float64()-0.5)*1e-6)
		}
		batch := make([][3]float64, 0, perCfg)
		for k := 0; k < perCfg; k++ {
			var p [3]float64
			az := rng.Float64() * 2 * math.Pi
			switch rng.IntN(8) {
			case 0: // anywhere in a box around the radar
				p = [3]float64{pos.X + (rng.Float64()-0.5)*2*span, pos.Y + (rng.Float64()-0.5)*2*span, pos.Z + (rng.Float64()-0.3)*40e3}
			case 1: // near the range limit
				p = at(jitter(math.Sqrt(cov.maxCover2)), az, rng.Float64()*0.5-0.1)
			case 2: // near the lower elevation limit
				p = at(rng.Float64()*span, az, jitter(cov.sinMinCover))
			case 3: // near the upper elevation limit
				p = at(rng.Float64()*span, az, jitter(cov.sinMax))
			case 4: // near the horizon-free bound and the horizon itself
				r := math.Sqrt(cov.horizonFree2)
				if rng.IntN(2) == 0 {
					r = cov.horizon
				}
				p = at(jitter(r), az, (rng.Float64()-0.5)*0.02)
			case 5: // on the horizon test's boundary for a random altitude
				alt := rng.Float64() * 3000
				r := cov.horizon + math.Sqrt(cov.twoKR*(alt+coverMargin))
				v := frame.AtAltitude(pos.Add(east.Scale(r*math.Sin(az))).Add(north.Scale(r*math.Cos(az))), jitter(alt))
				p = [3]float64{v.X, v.Y, v.Z}
			case 6: // within a few metres of the antenna, down to the exact point
				s := math.Pow(10, -rng.Float64()*12) * 3
				if rng.IntN(50) == 0 {
					s = 0
				}
				p = at(s, az, rng.Float64()*2-1)
			default: // low targets over the coverage
				v := frame.AtAltitude(pos.Add(east.Scale((rng.Float64()-0.5)*2*span)).Add(north.Scale((rng.Float64()-0.5)*2*span)), rng.Float64()*500-50)
				p = [3]float64{v.X, v.Y, v.Z}
			}
			if got, want := cov.covers(p), cov.exact(p); got != want {
				t.Fatalf("config %d, point %v: covers %v, exact %v", ci, p, got, want)
			}
			batch = append(batch, p)
			d := geo.Vec3{X: p[0], Y: p[1], Z: p[2]}.Sub(pos).Norm2()
			if d >= 1 && d <= cov.horizonFree2 {
				shortcut++
			}
		}
		// The same points in one batch, as the tracker asks (coversAll).
		in := make([]bool, len(batch))
		cov.coversAll(batch, in)
		for k, p := range batch {
			if want := cov.exact(p); in[k] != want {
				t.Fatalf("config %d, point %v: coversAll %v, exact %v", ci, p, in[k], want)
			}
		}
	}
	// Special values: exact's answer whatever it is.
	cov := newCoverage(frame, frame.AtAltitude(geo.Vec3{}, 10), frame.Up(frame.AtAltitude(geo.Vec3{}, 10)), 0, math.Pi/2, 100e3)
	special := [][3]float64{{math.NaN(), 0, 0}, {math.Inf(1), 0, 0}, {0, 0, math.Inf(-1)}, {1e-300, 0, 0}}
	in := make([]bool, len(special))
	cov.coversAll(special, in)
	for k, p := range special {
		if cov.covers(p) != cov.exact(p) || in[k] != cov.exact(p) {
			t.Fatalf("point %v: covers, coversAll and exact differ", p)
		}
	}
	if shortcut < perCfg*len(cfgs)/10 {
		t.Fatalf("only %d points within the shortcut's range: the test does not exercise it", shortcut)
	}
}

// BenchmarkCoverage compares the coverage test the tracker makes for every track at every
// scan (covers, and coversAll for a whole scan's tracks) with the formula it shortcuts
// (exact), on tracks spread over the coverage; every variant reports its time per point.
func BenchmarkCoverage(b *testing.B) {
	frame := geo.NewFrame(geo.LLADeg(52, 21, 0))
	pos := frame.AtAltitude(geo.Vec3{}, 25)
	cov := newCoverage(frame, pos, frame.Up(pos), -2*math.Pi/180, 85*math.Pi/180, 400e3)
	rng := rand.New(rand.NewPCG(1, 2))
	pts := make([][3]float64, 1024)
	for i := range pts {
		v := frame.AtAltitude(geo.Vec3{X: rng.Float64()*2e5 - 1e5, Y: rng.Float64()*2e5 - 1e5}, 30+rng.Float64()*3000)
		pts[i] = [3]float64{v.X, v.Y, v.Z}
	}
	for _, c := range []struct {
		name string
		f    func([3]float64) bool
	}{{"covers", cov.covers}, {"exact", cov.exact}} {
		b.Run(c.name, func(b *testing.B) {
			n := 0
			for i := 0; i < b.N; i++ {
				if c.f(pts[i%len(pts)]) {
					n++
				}
			}
			_ = n
		})
	}
	// coversAll on the same points, per point: the tracker's call, once per scan.
	b.Run("coversAll", func(b *testing.B) {
		in := make([]bool, len(pts))
		for i := 0; i < b.N; i += len(pts) {
			cov.coversAll(pts, in)
		}
	})
}
