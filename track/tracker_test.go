package track

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestNewTrackerRejectsBadConfig(t *testing.T) {
	kf := func() Filter { return NewKalman(CVModel{N: 2, Q: 1}) }
	tests := []struct {
		name string
		cfg  TrackerConfig
	}{
		{"no filter", TrackerConfig{}},
		{"negative gate", TrackerConfig{Filter: kf(), Gate: -1}},
		{"M > N", TrackerConfig{Filter: kf(), ConfirmM: 5, ConfirmN: 3}},
		{"N > 64", TrackerConfig{Filter: kf(), ConfirmM: 2, ConfirmN: 65}},
		{"PD 1", TrackerConfig{Filter: kf(), PD: 1}},
		{"bad IMM", TrackerConfig{Filter: &IMM{Models: []Model{CVModel{N: 2}}, Switch: [][]float64{{0.5}}}}},
		{"NaN velocity prior", TrackerConfig{Filter: kf(), SigmaV0: math.NaN()}},
	}
	for _, c := range tests {
		if _, err := NewTracker(c.cfg); err == nil {
			t.Errorf("%s: accepted", c.name)
		}
	}
}

func TestTrackerRejectsBadScans(t *testing.T) {
	tr, _ := NewTracker(TrackerConfig{Filter: NewKalman(CVModel{N: 2, Q: 1})})
	m := &PositionModel{R: [3][3]float64{{1, 0, 0}, {0, 1, 0}}}
	if _, err := tr.Process(Scan{T: math.NaN()}); err == nil {
		t.Error("NaN time accepted")
	}
	res, err := tr.Process(Scan{T: 5, Detections: []Detection{
		{Z: [3]float64{math.NaN(), 0}, Model: m}, {Z: [3]float64{1, 2}}, {Z: [3]float64{1, 2}, Model: m},
	}})
	if err != nil || res.Invalid != 2 || len(res.Initiated) != 1 {
		t.Fatalf("res %+v err %v", res, err)
	}
	if _, err := tr.Process(Scan{T: 4}); err == nil {
		t.Error("scan back in time accepted")
	}
	// Degenerate covariance (R = 0, zero-variance track): no panic, no NaN.
	zero := &PositionModel{}
	tr2, _ := NewTracker(TrackerConfig{Filter: NewKalman(CVModel{N: 2, Q: 0}), SigmaV0: 1e-300})
	for k := 0; k < 5; k++ {
		tr2.Process(Scan{T: float64(k), Detections: []Detection{{Z: [3]float64{0, 0}, Model: zero}, {Z: [3]float64{1e308, -1e308}, Model: zero}}})
	}
	for _, r := range tr2.Tracks() {
		for _, v := range r.State.X {
			if math.IsNaN(v) {
				t.Fatal("NaN state")
			}
		}
	}
}

// Two sensors with different scan periods and accuracies update one track file in time
// order; fusing both must beat either alone, and the sensors must not split the targets
// into duplicate tracks.
func TestMultiSensorFusion(t *testing.T) {
	type sensor struct {
		period, sigma float64
	}
	run := func(sensors []sensor) (rms float64, tracks int) {
		rng := rand.New(rand.NewPCG(42, 1))
		tr, _ := NewTracker(TrackerConfig{Filter: NewKalman(CVModel{N: 3, Q: 1}), SigmaV0: 100})
		truth := func(i int, t float64) [3]float64 {
			return [3]float64{float64(i)*3000 + 150*t, 2000 - 80*t, 1000}
		}
		var sq float64
		n := 0
		// Event list: each sensor's scans in time order, merged.
		next := make([]float64, len(sensors))
		for {
			s, tt := -1, math.Inf(1)
			for i, v := range next {
				if v < tt {
					s, tt = i, v
				}
			}
			if tt > 100 {
				break
			}
			next[s] += sensors[s].period
			sg := sensors[s].sigma
			model := &PositionModel{R: [3][3]float64{{sg * sg, 0, 0}, {0, sg * sg, 0}, {0, 0, sg * sg}}}
			var dets []Detection
			for i := 0; i < 3; i++ {
				p := truth(i, tt)
				dets = append(dets, Detection{Z: [3]float64{p[0] + sg*rng.NormFloat64(), p[1] + sg*rng.NormFloat64(), p[2] + sg*rng.NormFloat64()}, Model: model})
			}
			if _, err := tr.Process(Scan{T: tt, Sensor: s, Detections: dets}); err != nil {
				t.Fatal(err)
			}
			if tt > 50 {
				for _, r := range tr.Confirmed() {
					p := r.Pos(tr.Filter())
					best := math.Inf(1)
					for i := 0; i < 3; i++ {
						best = math.Min(best, dist(p, truth(i, tt)))
					}
					sq += best * best
					n++
				}
			}
		}
		return math.Sqrt(sq / float64(n)), tr.nextID
	}
	a, na := run([]sensor{{1, 50}})
	b, nb := run([]sensor{{2.5, 15}})
	ab, nab := run([]sensor{{1, 50}, {2.5, 15}})
	t.Logf("RMS error: coarse fast %.1f m, fine slow %.1f m, fused %.1f m", a, b, ab)
	if !(ab < a && ab < b) {
		t.Errorf("fusion RMS %.1f m not better than single sensors %.1f, %.1f", ab, a, b)
	}
	if na != 3 || nb != 3 || nab != 3 {
		t.Errorf("tracks started: %d, %d, %d; want 3 each", na, nb, nab)
	}
}

// A polar radar feeds the tracker directly (converted measurements), with coverage.
func TestTrackerRangeAzEl(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	radar := NewRangeAzEl([3]float64{1000, -2000, 10}, 30, 0.002, 0.002)
	tr, _ := NewTracker(TrackerConfig{Filter: NewKalman(CVModel{N: 3, Q: 1}), SigmaV0: 300})
	covers := func(p [3]float64) bool { return dist(p, radar.Origin) < 60000 }
	for k := 0; k < 40; k++ {
		tt := float64(k)
		p := [3]float64{20000 - 200*tt, 30000, 3000}
		d := [3]float64{p[0] - radar.Origin[0], p[1] - radar.Origin[1], p[2] - radar.Origin[2]}
		r := math.Sqrt(d[0]*d[0] + d[1]*d[1] + d[2]*d[2])
		z := [3]float64{r + 30*rng.NormFloat64(), math.Atan2(d[0], d[1]) + 0.002*rng.NormFloat64(), math.Asin(d[2]/r) + 0.002*rng.NormFloat64()}
		if _, err := tr.Process(Scan{T: tt, Detections: []Detection{{Z: z, Model: radar}}, Covers: covers}); err != nil {
			t.Fatal(err)
		}
		if k == 39 {
			c := tr.Confirmed()
			if len(c) != 1 {
				t.Fatalf("%d confirmed tracks", len(c))
			}
			if e := dist(c[0].Pos(tr.Filter()), p); e > 100 {
				t.Errorf("position error %.0f m", e)
			}
			if v := c[0].Vel(tr.Filter()); math.Abs(v[0]+200) > 20 || math.Abs(v[1]) > 20 {
				t.Errorf("velocity %v", v)
			}
		}
	}
}

// Confirmed tracks that stop receiving detections are deleted after DeleteMisses scans;
// tentative tracks on isolated clutter never confirm.
func TestTrackLifeCycle(t *testing.T) {
	tr, _ := NewTracker(TrackerConfig{Filter: NewKalman(CVModel{N: 2, Q: 1}), ConfirmM: 3, ConfirmN: 4, DeleteMisses: 2, SigmaV0: 50})
	m := &PositionModel{R: [3][3]float64{{100, 0, 0}, {0, 100, 0}}}
	var confirmedAt, deletedAt float64 = -1, -1
	for k := 0; k < 12; k++ {
		tt := float64(k)
		var dets []Detection
		if k < 6 {
			dets = append(dets, Detection{Z: [3]float64{10 * tt, 0}, Model: m})
		}
		dets = append(dets, Detection{Z: [3]float64{5000 + 3000*tt, 9000}, Model: m}) // clutter, never twice in a gate
		res, _ := tr.Process(Scan{T: tt, Detections: dets})
		if len(res.Confirmed) > 0 {
			confirmedAt = tt
		}
		for _, r := range res.Deleted {
			if r.Status == StatusConfirmed {
				deletedAt = tt
			}
		}
	}
	if confirmedAt != 2 || deletedAt != 7 {
		t.Errorf("confirmed at %v (want 2), deleted at %v (want 7)", confirmedAt, deletedAt)
	}
	if n := tr.nextID; n != 13 {
		t.Errorf("%d tracks started, want 13 (1 target + 12 clutter)", n)
	}
}

// benchScan builds a steady-state scene of n targets in a square sized for the benchmark's
// density (500 targets per 16 km square), Pd 0.9, 20 m noise and n/2 false alarms per scan,
// and returns the tracker after warm-up and a function yielding the next scan.
func benchScene(n int) (*Tracker, func() Scan) {
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	side := 16000 * math.Sqrt(float64(n)/500)
	type tg struct{ x, y, vx, vy float64 }
	tgs := make([]tg, n)
	for i := range tgs {
		h := rng.Float64() * 2 * math.Pi
		v := 10 + 30*rng.Float64()
		tgs[i] = tg{(rng.Float64() - 0.5) * side, (rng.Float64() - 0.5) * side, v * math.Cos(h), v * math.Sin(h)}
	}
	m := &PositionModel{R: [3][3]float64{{400, 0, 0}, {0, 400, 0}}}
	tr, _ := NewTracker(TrackerConfig{Filter: NewKalman(CVModel{N: 2, Q: 1}), SigmaV0: 30,
		ClutterDensity: float64(n) / 2 / (side * side)})
	tt := 0.0
	next := func() Scan {
		tt++
		var dets []Detection
		for i := range tgs {
			g := &tgs[i]
			g.x += g.vx
			g.y += g.vy
			if rng.Float64() < 0.9 {
				dets = append(dets, Detection{Z: [3]float64{g.x + 20*rng.NormFloat64(), g.y + 20*rng.NormFloat64()}, Model: m})
			}
		}
		for c := poissonDraw(rng, float64(n)/2); c > 0; c-- {
			dets = append(dets, Detection{Z: [3]float64{(rng.Float64() - 0.5) * side, (rng.Float64() - 0.5) * side}, Model: m})
		}
		return Scan{T: tt, Detections: dets}
	}
	for k := 0; k < 10; k++ {
		tr.Process(next())
	}
	return tr, next
}

// BenchmarkTrackerScan measures one scan (predict, gate, associate, update, manage) in
// steady state; scans are pre-generated so only the tracker is timed.
func BenchmarkTrackerScan(b *testing.B) {
	for _, n := range []int{10, 100, 500} {
		b.Run(fmt.Sprintf("targets=%d", n), func(b *testing.B) {
			tr, next := benchScene(n)
			scans := make([]Scan, 200)
			for i := range scans {
				scans[i] = next()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i > 0 && i%len(scans) == 0 {
					b.StopTimer()
					tr, next = benchScene(n)
					for j := range scans {
						scans[j] = next()
					}
					b.StartTimer()
				}
				tr.Process(scans[i%len(scans)])
			}
		})
	}
}

// staleDel mirrors the simulation engine's deleter (sim.staleDeleter): it reads the state's
// time and position variances, so the tracker must keep confirmed tracks predicted.
type staleDel struct{ after, maxSigma float64 }

func (d staleDel) Delete(f Filter, r *Record) bool {
	if r.State.T-r.LastUpdate > d.after {
		return true
	}
	n := len(r.State.X)
	for a := 0; a < f.Axes(); a++ {
		p := f.PosIndex(a)
		if r.State.P[p*n+p] > d.maxSigma*d.maxSigma {
			return true
		}
	}
	return false
}

// radarScene is the simulation engine's tracker configuration: 3-D CV filter, three radars
// reporting (range, azimuth, elevation) through RangeAzEl with coverage tests, scanning in
// turn, a time-based deleter and a tentative timeout; targets targets fly at 200–300 m/s in
// a 160 km × 120 km box, Pd 0.8, and each scan has fa false alarms on average, so a scan has
// a few detections against a few dozen tracks, many of them tentative.
func radarScene(targets int, fa float64) (*Tracker, func() Scan) {
	rng := rand.New(rand.NewPCG(3, uint64(targets)))
	const reach = 90000.0
	type radar struct {
		m      *RangeAzEl
		covers func([3]float64) bool
	}
	var radars []radar
	for _, o := range [][3]float64{{0, 0, 20}, {80000, 0, 40}, {40000, 70000, 30}} {
		m := NewRangeAzEl(o, 30, 0.002, 0.003)
		radars = append(radars, radar{m, func(p [3]float64) bool { return dist(p, o) < reach }})
	}
	type tg struct{ p, v [3]float64 }
	tgs := make([]tg, targets)
	for i := range tgs {
		h := rng.Float64() * 2 * math.Pi
		sp := 200 + 100*rng.Float64()
		tgs[i] = tg{[3]float64{rng.Float64() * 160000, rng.Float64() * 120000, 500 + 8000*rng.Float64()},
			[3]float64{sp * math.Cos(h), sp * math.Sin(h), 0}}
	}
	tr, _ := NewTracker(TrackerConfig{Filter: NewKalman(CVModel{N: 3, Q: 50}), ConfirmM: 3, ConfirmN: 4,
		SigmaV0: 400, TentativeTimeout: 6, Deleter: staleDel{after: 12, maxSigma: 3000}})
	tt, k := 0.0, 0
	next := func() Scan {
		tt += 1.0 / 3
		rd := radars[k%len(radars)]
		k++
		var dets []Detection
		for i := range tgs {
			g := &tgs[i]
			for a := 0; a < 2; a++ {
				g.p[a] += g.v[a] / 3
				if hi := []float64{160000, 120000}[a]; g.p[a] < 0 || g.p[a] > hi {
					g.v[a] = -g.v[a]
				}
			}
			if !rd.covers(g.p) || rng.Float64() > 0.8 {
				continue
			}
			d := [3]float64{g.p[0] - rd.m.Origin[0], g.p[1] - rd.m.Origin[1], g.p[2] - rd.m.Origin[2]}
			r := math.Sqrt(d[0]*d[0] + d[1]*d[1] + d[2]*d[2])
			z := [3]float64{r + 30*rng.NormFloat64(), math.Atan2(d[0], d[1]) + 0.002*rng.NormFloat64(), math.Asin(d[2]/r) + 0.003*rng.NormFloat64()}
			dets = append(dets, Detection{Z: z, Model: rd.m, Tag: i})
		}
		for c := poissonDraw(rng, fa); c > 0; c-- {
			z := [3]float64{reach * rng.Float64(), 2 * math.Pi * rng.Float64(), 0.2 * rng.Float64()}
			dets = append(dets, Detection{Z: z, Model: rd.m, Tag: -1})
		}
		return Scan{T: tt, Sensor: k % len(radars), Detections: dets, Covers: rd.covers}
	}
	for range 60 {
		tr.Process(next())
	}
	return tr, next
}

// BenchmarkTrackerRadarScan measures one scan in the simulation engine's configuration
// (radarScene): few detections per scan against a few dozen tracks, with the coverage asked
// per track (Scan.Covers) or once per scan (Scan.CoversAll, as the engine does), and with
// deleted records reused (ReuseRecords, as the engine does).
func BenchmarkTrackerRadarScan(b *testing.B) {
	for _, n := range []int{8, 20} {
		for _, c := range []struct{ batch, reuse bool }{{false, false}, {true, false}, {true, true}} {
			b.Run(fmt.Sprintf("targets=%d/batch=%v/reuse=%v", n, c.batch, c.reuse), func(b *testing.B) {
				benchRadarScan(b, n, c.batch, c.reuse)
			})
		}
	}
}

// benchRadarScan is BenchmarkTrackerRadarScan for n targets, with CoversAll if batch and
// ReuseRecords if reuse.
func benchRadarScan(b *testing.B, n int, batch, reuse bool) {
	scene := func() (*Tracker, func() Scan) {
		tr, next := radarScene(n, 3)
		if reuse {
			// As NewTracker sets it for ReuseRecords, after the same warm-up scans.
			tr.cfg.ReuseRecords, tr.reuse = true, true
		}
		return tr, next
	}
	tr, next := scene()
	scans := make([]Scan, 300)
	fill := func() {
		for i := range scans {
			scans[i] = next()
			if batch {
				scans[i].Covers, scans[i].CoversAll = nil, batchCovers(scans[i].Covers)
			}
		}
	}
	fill()
	live := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i > 0 && i%len(scans) == 0 {
			b.StopTimer()
			tr, next = scene()
			fill()
			b.StartTimer()
		}
		tr.Process(scans[i%len(scans)])
		live += len(tr.recs)
	}
	b.ReportMetric(float64(live)/float64(b.N), "tracks/scan")
}

// TestMissWeight checks the weight of a miss against hand-worked values: with PD = 0.9,
// ln(1 − Pd)/ln(0.1) is log₁₀(1/(1 − Pd)), so Pd 0.5 weighs log₁₀ 2 and Pd 0.99 (more than
// PD) is capped at one.
func TestMissWeight(t *testing.T) {
	tr, err := NewTracker(TrackerConfig{Filter: NewKalman(CVModel{N: 2, Q: 1}), PD: 0.9})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ pd, want float64 }{
		{0, 0}, {-0.1, 0}, {0.5, math.Log10(2)}, {0.9, 1}, {0.99, 1}, {1, 1}, {math.NaN(), 1},
		{1 - math.Pow(10, -0.25), 0.25},
	} {
		if got := tr.missWeight(c.pd); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("missWeight(%v) = %v, want %v", c.pd, got, c.want)
		}
	}
}

// TestPdMofNAgreesWithMofN plays random hit/miss sequences with every miss weighing one
// (looks at PD): PdMofN must reach MofN's verdict, at the same look when M = 2 and never
// later otherwise: it drops a track once M hits are out of reach, where MofN waits for its
// N-th look. (M = 1 confirms a track at its initiation, before any Decide.)
func TestPdMofNAgreesWithMofN(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, mn := range [][2]int{{2, 3}, {3, 4}, {2, 4}, {3, 5}, {5, 6}, {4, 8}} {
		m, n := mn[0], mn[1]
		for trial := 0; trial < 2000; trial++ {
			pHit := rng.Float64()
			// The initiating detection is the first hit (Tracker.Process).
			r := Record{Hits: 1, Looks: 1, History: 1}
			var vOld, vNew Verdict
			atOld, atNew := -1, -1
			for look := 2; look <= 64 && (atOld < 0 || atNew < 0); look++ {
				r.Looks++
				r.History <<= 1
				if rng.Float64() < pHit {
					r.Hits++
					r.History |= 1
				} else {
					r.Missed++
				}
				if atOld < 0 {
					if v := (MofN{M: m, N: n}).Decide(&r); v != Keep {
						vOld, atOld = v, look
					}
				}
				if atNew < 0 {
					if v := (PdMofN{M: m, N: n}).Decide(&r); v != Keep {
						vNew, atNew = v, look
					}
				}
			}
			if vOld != vNew || atNew > atOld || (m == 2 && atNew != atOld) {
				t.Fatalf("%d of %d, trial %d: MofN %v at look %d, PdMofN %v at look %d", m, n, trial, vOld, atOld, vNew, atNew)
			}
		}
	}
}

// TestLookPdWeighsMisses follows one target seen once and then never again by a sensor whose
// LookPd at the target is pd: at 0.9 (the configured PD) two misses drop the tentative track
// (2 of 3), at 0.5 it takes seven (7 × log₁₀ 2 ≥ 2 > 6 × log₁₀ 2), and at 0 only the tentative
// timeout drops it.
func TestLookPdWeighsMisses(t *testing.T) {
	m := &PositionModel{R: [3][3]float64{{100, 0, 0}, {0, 100, 0}}}
	for _, c := range []struct {
		pd      float64
		timeout float64
		dropAt  float64
	}{{0.9, 0, 2}, {0.5, 0, 7}, {0, 0, -1}, {0, 4.5, 5}} {
		tr, err := NewTracker(TrackerConfig{Filter: NewKalman(CVModel{N: 2, Q: 1}), SigmaV0: 50,
			Confirmer: PdMofN{M: 2, N: 3}, TentativeTimeout: c.timeout})
		if err != nil {
			t.Fatal(err)
		}
		dropAt := -1.0
		var seen [][3]float64
		lookPd := func(p [3]float64) float64 { seen = append(seen, p); return c.pd }
		for k := 0; k < 12; k++ {
			s := Scan{T: float64(k), LookPd: lookPd}
			if k == 0 {
				s.Detections = []Detection{{Z: [3]float64{1000, 2000}, Model: m}}
			}
			res, err := tr.Process(s)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Deleted) > 0 && dropAt < 0 {
				dropAt = float64(k)
			}
		}
		if dropAt != c.dropAt {
			t.Errorf("LookPd %v, timeout %v: dropped at %v, want %v", c.pd, c.timeout, dropAt, c.dropAt)
		}
		// LookPd is asked at the track's predicted position: the detection's, the velocity
		// prior being zero.
		if len(seen) == 0 || seen[0] != [3]float64{1000, 2000, 0} {
			t.Errorf("LookPd %v: asked at %v, want the track's position first", c.pd, seen)
		}
	}
}

// TestLocalHitLLR checks the constant part of a tentative track's hit score against values
// worked by hand: ln(Pd/β) − (3/2)·ln 2π with β = 10⁻¹² per m³ is 24.7688 at the configured
// PD of 0.9 and 24.1811 at a LookPd of 0.5; a LookPd of 0 at a detection falls back to PD,
// and a clutter density of 0 to 10⁻³⁰ (66.2154).
func TestLocalHitLLR(t *testing.T) {
	tr, err := NewTracker(TrackerConfig{Filter: NewKalman(CVModel{N: 3, Q: 1}), PD: 0.9})
	if err != nil {
		t.Fatal(err)
	}
	beta := func(b float64) func([3]float64) float64 { return func([3]float64) float64 { return b } }
	pd := func(p float64) func([3]float64) float64 { return func([3]float64) float64 { return p } }
	z := [3]float64{1, 2, 3}
	for _, c := range []struct {
		name string
		s    Scan
		want float64
	}{
		{"PD", Scan{ClutterAt: beta(1e-12)}, 24.768845000656704},
		{"LookPd 0.5", Scan{ClutterAt: beta(1e-12), LookPd: pd(0.5)}, 24.181058335754585},
		{"LookPd 0", Scan{ClutterAt: beta(1e-12), LookPd: pd(0)}, 24.768845000656704},
		{"no clutter", Scan{ClutterAt: beta(0)}, 66.21537667454953},
	} {
		if got := tr.localHitLLR(&c.s, &z, 3); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestScoreGate: a Confirm is held until the score reaches MinScore; Keep and Drop pass.
func TestScoreGate(t *testing.T) {
	g := ScoreGate{Confirmer: PdMofN{M: 2, N: 3}, MinScore: 6.9}
	for _, c := range []struct {
		r    Record
		want Verdict
	}{
		{Record{Hits: 2, Score: 7}, Confirm},
		{Record{Hits: 2, Score: 6.8}, Keep},
		{Record{Hits: 3, Score: 6.9}, Confirm},
		{Record{Hits: 1, Score: 20}, Keep},
		{Record{Hits: 1, Missed: 2, Score: 20}, Drop},
	} {
		if got := g.Decide(&c.r); got != c.want {
			t.Errorf("%+v: %v, want %v", c.r, got, c.want)
		}
	}
}

// TestNoDecisionAtTheBirthInstant: a tentative track is first decided at the first scan
// after the instant it was born. Hits of other sensors at that instant update it but do not
// confirm it — two plots of one instant give a position and no velocity (docs/tracking.md,
// "First decision after the birth instant", has what deciding at once did to the default
// scenario's picture) — and their looks count; its next hit at a later instant confirms it.
func TestNoDecisionAtTheBirthInstant(t *testing.T) {
	m := &PositionModel{R: [3][3]float64{{100, 0, 0}, {0, 100, 0}}}
	at := func(x float64) Detection { return Detection{Z: [3]float64{1000 + x, 2000}, Model: m} }
	far := Detection{Z: [3]float64{-9000, 9000}, Model: m} // a false alarm nowhere near: the scan is processed
	tr, err := NewTracker(TrackerConfig{Filter: NewKalman(CVModel{N: 2, Q: 1}), SigmaV0: 50, Confirmer: MofN{M: 2, N: 3}})
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range []struct {
		t      float64
		sensor int
		dets   []Detection
		want   string // what becomes of track 1 at this scan
	}{
		{10, 0, []Detection{at(0)}, "born"},
		{10, 1, []Detection{far, at(5)}, "kept"}, // two hits of two looks, at the birth instant
		{10, 2, []Detection{far, at(-5)}, "kept"},
		{11, 0, []Detection{far, at(20)}, "confirmed"},
	} {
		res, err := tr.Process(Scan{T: sc.t, Sensor: sc.sensor, Detections: sc.dets})
		if err != nil {
			t.Fatal(err)
		}
		got := "kept"
		for _, e := range []struct {
			recs []*Record
			what string
		}{{res.Initiated, "born"}, {res.Confirmed, "confirmed"}, {res.Deleted, "dropped"}} {
			for _, r := range e.recs {
				if r.ID == 1 {
					got = e.what
				}
			}
		}
		if got != sc.want {
			t.Errorf("t = %v, sensor %d: track 1 %s; want %s", sc.t, sc.sensor, got, sc.want)
		}
	}
	if r := tr.recs[0]; r.Hits != 4 || r.Looks != 4 {
		t.Errorf("track 1 has %d hits in %d looks; want 4 in 4 (the birth instant's looks count)", r.Hits, r.Looks)
	}
}
