package track

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// cvUpdate3, with its unrolled arithmetic, gives exactly the state, d² and |S| of the loops
// of cvUpdateN over three axes, to the bit, on random states and correlated measurement
// covariances.
func TestCVUpdate3MatchesLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for trial := 0; trial < 2000; trial++ {
		x, p := randomState(rng, 3)
		var z Position
		for a := 0; a < 3; a++ {
			z.Z[a] = x[2*a] + 30*rng.NormFloat64()
			z.R[a][a] = 400 + 100*rng.Float64()
		}
		z.R[0][1] = 50 * rng.NormFloat64()
		z.R[0][2] = 20 * rng.NormFloat64()
		z.R[1][0], z.R[2][0] = z.R[0][1], z.R[0][2]
		xr, pr := append([]float64(nil), x...), append([]float64(nil), p...)
		d2, det, ok := cvUpdate3((*[6]float64)(x), (*[36]float64)(p), &z)
		d2r, detr, okr := cvUpdateN(3, xr, pr, &z)
		if ok != okr || !sameBits([]float64{d2, det}, []float64{d2r, detr}) || !sameBits(x, xr) || !sameBits(p, pr) {
			t.Fatalf("trial %d: cvUpdate3 gives (%v, %v, %v), the loops (%v, %v, %v)", trial, d2, det, ok, d2r, detr, okr)
		}
	}
}

// BenchmarkCVUpdate3Inv measures the three-axis CV update through a known S⁻¹, run for every
// detection a track takes.
func BenchmarkCVUpdate3Inv(b *testing.B) {
	rng := rand.New(rand.NewPCG(23, 24))
	x0, p0 := randomState(rng, 3)
	var z Position
	for a := 0; a < 3; a++ {
		z.Z[a] = x0[2*a] + 30*rng.NormFloat64()
		z.R[a][a] = 400
	}
	var x [6]float64
	var p [36]float64
	var si [3][3]float64
	S := [3][3]float64{}
	for a := 0; a < 3; a++ {
		for c := 0; c < 3; c++ {
			S[a][c] = p0[12*a+2*c] + z.R[a][c]
		}
	}
	invSym3(&S, &si)
	var sink float64
	for b.Loop() {
		copy(x[:], x0)
		copy(p[:], p0)
		sink += cvUpdate3Inv(&x, &p, &z, &si)
	}
	_ = sink
}

// BenchmarkGatePairs3 measures GridGater's pair-by-pair gating of engine-like small scans
// (randomGating), run twice per scan (confirmed, then tentative tracks).
func BenchmarkGatePairs3(b *testing.B) {
	rng := rand.New(rand.NewPCG(25, 26))
	f := NewKalman(CVModel{N: 3, Q: 50})
	pi, na := posIndices(f)
	type scan struct {
		tracks []*Record
		dets   []Position
		skip   []bool
		st     detStats
	}
	scans := make([]scan, 256)
	for i := range scans {
		tracks, dets, skip := randomGating(rng)
		scans[i] = scan{tracks, dets, skip, measStats(dets, na)}
	}
	h := &GridGater{Gate: ChiSquare999(3)}
	miss := make([]float64, 64)
	inGate := make([]bool, 64)
	var edges []Edge
	k := 0
	for b.Loop() {
		s := &scans[k&255]
		h.inv, h.first = h.inv[:0], 0
		edges = h.gatePairs3(s.tracks, s.dets, s.skip, edges[:0], miss, inGate, &pi, &s.st.rmax, &s.st.rmean)
		k++
	}
}

// Covers and CoversAll see each track's predicted position, with the axes beyond the
// filter's zero, for filters of one, two and three axes.
func TestCoversSeesPredictedPositions(t *testing.T) {
	for na := 1; na <= 3; na++ {
		t.Run(fmt.Sprintf("axes=%d", na), func(t *testing.T) {
			f := NewKalman(CVModel{N: na, Q: 1})
			tr, err := NewTracker(TrackerConfig{Filter: f, Initiator: OnePoint{V0: [3]float64{200, -100, 30}, SigmaV: 50}})
			if err != nil {
				t.Fatal(err)
			}
			m := &PositionModel{R: [3][3]float64{{100, 0, 0}, {0, 100, 0}, {0, 0, 100}}}
			var dets []Detection
			for k := range 3 {
				z := [3]float64{1000 * float64(k+1), -2000 * float64(k+1), 300 * float64(k+1)}
				for a := na; a < 3; a++ {
					z[a] = 0
				}
				dets = append(dets, Detection{Z: z, Model: m})
			}
			if _, err := tr.Process(Scan{T: 0, Detections: dets}); err != nil {
				t.Fatal(err)
			}
			var seen [][3]float64
			covers := func(p [3]float64) bool { seen = append(seen, p); return true }
			if _, err := tr.Process(Scan{T: 2.5, Covers: covers}); err != nil {
				t.Fatal(err)
			}
			var want [][3]float64
			for _, r := range tr.Tracks() {
				want = append(want, r.Pos(f))
			}
			if len(want) != 3 || !slices.Equal(seen, want) || want[0][0] != 1000+2.5*200 {
				t.Fatalf("Covers saw %v, want the predicted positions %v", seen, want)
			}
			// CoversAll sees the same positions, predicted further, in one call.
			var batch [][3]float64
			coversAll := func(pos [][3]float64, in []bool) {
				batch = append(batch, pos...)
				for i := range in {
					in[i] = true
				}
			}
			if _, err := tr.Process(Scan{T: 4, CoversAll: coversAll}); err != nil {
				t.Fatal(err)
			}
			want = want[:0]
			for _, r := range tr.Tracks() {
				want = append(want, r.Pos(f))
			}
			if len(want) != 3 || !slices.Equal(batch, want) || want[0][0] != 1000+4*200 {
				t.Fatalf("CoversAll saw %v, want the predicted positions %v", batch, want)
			}
		})
	}
}

// convertLoops is RangeAzEl.convert as it was written before its scalar form: unbiasedPolar,
// then the rotation by loops over arrays (the reference RangeAzEl.convert must match).
func convertLoops(m *RangeAzEl, z *[3]float64, lAz, lEl float64, out *Position) bool {
	r, az, el := z[0], z[1], z[2]
	if !(r-r == 0 && az-az == 0 && el-el == 0) || r < 0 {
		return false
	}
	var loc [3]float64
	var c [3][3]float64
	unbiasedPolar(r, math.Pi/2-az, el, m.SigmaRange, lAz, lEl, true, &loc, &c)
	e, n, u := &m.East, &m.North, &m.Up
	for i := 0; i < 3; i++ {
		out.Z[i] = m.Origin[i] + e[i]*loc[0] + n[i]*loc[1] + u[i]*loc[2]
	}
	var bc [3][3]float64
	for i := 0; i < 3; i++ {
		ei, ni, ui := e[i], n[i], u[i]
		for j := 0; j < 3; j++ {
			bc[i][j] = ei*c[0][j] + ni*c[1][j] + ui*c[2][j]
		}
	}
	for i := 0; i < 3; i++ {
		for j := i; j < 3; j++ {
			v := bc[i][0]*e[j] + bc[i][1]*n[j] + bc[i][2]*u[j]
			out.R[i][j], out.R[j][i] = v, v
		}
	}
	return true
}

// randomRadar returns a RangeAzEl with a random origin, a random orthonormal local frame
// (as the engine's radars on a curved Earth have) and random accuracies.
func randomRadar(rng *rand.Rand) *RangeAzEl {
	up := [3]float64{0.3 * rng.NormFloat64(), 0.3 * rng.NormFloat64(), 1}
	nu := math.Sqrt(up[0]*up[0] + up[1]*up[1] + up[2]*up[2])
	for a := range up {
		up[a] /= nu
	}
	// east = x − (x·up) up, normalised; north = up × east.
	east := [3]float64{1 - up[0]*up[0], -up[0] * up[1], -up[0] * up[2]}
	ne := math.Sqrt(east[0]*east[0] + east[1]*east[1] + east[2]*east[2])
	for a := range east {
		east[a] /= ne
	}
	north := [3]float64{up[1]*east[2] - up[2]*east[1], up[2]*east[0] - up[0]*east[2], up[0]*east[1] - up[1]*east[0]}
	return &RangeAzEl{Origin: [3]float64{1e5 * rng.NormFloat64(), 1e5 * rng.NormFloat64(), 100 * rng.Float64()},
		East: east, North: north, Up: up,
		SigmaRange: 5 + 100*rng.Float64(), SigmaAz: 0.0005 + 0.02*rng.Float64(), SigmaEl: 0.0005 + 0.02*rng.Float64()}
}

// RangeAzEl.convert, in scalars, gives exactly the position and covariance of unbiasedPolar
// followed by the rotation loops, to the bit, on random radars and measurements (with
// ranges from zero to far beyond the engine's, and angles over and beyond a full turn), and
// rejects the same measurements.
func TestRangeAzElConvertMatchesLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 28))
	bad := []float64{math.NaN(), math.Inf(1), math.Inf(-1), -1}
	for trial := 0; trial < 20000; trial++ {
		m := randomRadar(rng)
		if trial%3 == 0 {
			m.East, m.North, m.Up = [3]float64{1, 0, 0}, [3]float64{0, 1, 0}, [3]float64{0, 0, 1}
		}
		z := [3]float64{4e5 * rng.Float64(), 4 * math.Pi * (rng.Float64() - 0.5), math.Pi * (rng.Float64() - 0.5)}
		switch trial % 50 {
		case 1:
			z[0] = 0
		case 2:
			z[rng.IntN(3)] = bad[rng.IntN(len(bad))]
		}
		pf := newPolarFactors(m, angleFactor(m.SigmaAz), angleFactor(m.SigmaEl))
		var got, want Position
		ok := m.convert(&z, pf, &got)
		okr := convertLoops(m, &z, pf.lAz, pf.lEl, &want)
		if ok != okr || (ok && !samePosition(&got, &want)) {
			t.Fatalf("trial %d, z %v: convert gives %v %+v, the loops %v %+v", trial, z, ok, got, okr, want)
		}
	}
}

// BenchmarkRangeAzElConvert measures the conversion of one radar detection (every detection
// of every scan is converted once).
func BenchmarkRangeAzElConvert(b *testing.B) {
	rng := rand.New(rand.NewPCG(29, 30))
	m := randomRadar(rng)
	zs := make([][3]float64, 256)
	for i := range zs {
		zs[i] = [3]float64{1e5 * rng.Float64(), 2 * math.Pi * rng.Float64(), 0.3 * rng.Float64()}
	}
	var c polarCache
	var out Position
	k := 0
	for b.Loop() {
		d := Detection{Z: zs[k&255], Model: m}
		if c.convert(&d, &out) != nil {
			b.Fatal("rejected")
		}
		k++
	}
}

// samePosition reports whether a and b hold the same bits (NaNs included).
func samePosition(a, b *Position) bool {
	return sameBits(a.Z[:], b.Z[:]) && sameBits(a.R[0][:], b.R[0][:]) && sameBits(a.R[1][:], b.R[1][:]) && sameBits(a.R[2][:], b.R[2][:])
}

// cvPredict3, block by block, gives exactly cvPredict's state and covariance over three axes,
// to the bit, for both noise kinds; and Kalman.Predict, which takes it for the three-axis CV
// model, gives exactly the general path's state with and without a QScale.
func TestCVPredict3MatchesLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for trial := 0; trial < 4000; trial++ {
		m := CVModel{N: 3, Q: 100 * rng.Float64(), Noise: []NoiseKind{CWNA, DWNA}[trial%2]}
		x, p := randomState(rng, 3)
		dt := 20 * rng.Float64()
		if trial%7 == 0 {
			dt = 1e-9 * rng.Float64()
		}
		xr, pr := slices.Clone(x), slices.Clone(p)
		cvPredict3(m, (*[6]float64)(x), (*[36]float64)(p), dt)
		cvPredict(m, xr, pr, dt)
		if !sameBits(x, xr) || !sameBits(p, pr) {
			t.Fatalf("trial %d: cvPredict3 gives x %v P %v, cvPredict x %v P %v", trial, x, p, xr, pr)
		}
		// Through Kalman.Predict, against the general path of before (predict, with the
		// scaled model wrapped).
		k := NewKalman(m)
		s := &State{T: 1, X: slices.Clone(xr), P: slices.Clone(pr), QScale: []float64{0, 1, 2.5, 40}[trial%4]}
		if trial%5 == 0 {
			s.Accel = [3]float64{0, 0, -9.8}
		}
		g := s.Clone()
		tt := 1 + dt
		k.Predict(s, tt)
		dt = tt - 1 // the step Predict takes
		var mm Model = m
		if g.QScale > 0 && g.QScale != 1 {
			mm = scaledQ{m, g.QScale}
		}
		k.predict(mm, g.X, g.P, dt)
		if g.Accel != ([3]float64{}) {
			addAccel(m, g.X, &g.Accel, dt)
		}
		if !sameBits(s.X, g.X) || !sameBits(s.P, g.P) || s.T != tt {
			t.Fatalf("trial %d: Kalman.Predict gives x %v P %v, the general path x %v P %v", trial, s.X, s.P, g.X, g.P)
		}
	}
}

// BenchmarkKalmanPredictCV3 measures the prediction of a three-axis CV track, run for every
// track at every scan that finds it behind the scan's time.
func BenchmarkKalmanPredictCV3(b *testing.B) {
	rng := rand.New(rand.NewPCG(33, 34))
	k := NewKalman(CVModel{N: 3, Q: 50})
	x0, p0 := randomState(rng, 3)
	s := &State{X: make([]float64, 6), P: make([]float64, 36)}
	for b.Loop() {
		copy(s.X, x0)
		copy(s.P, p0)
		s.T = 0
		k.Predict(s, 1.5)
	}
}

// measStatsLoops is measStats's general loop (the reference measStats3 must match).
func measStatsLoops(dets []Position, na int) (st detStats) {
	nd := float64(len(dets))
	for j := range dets {
		r := &dets[j].R
		for a := 0; a < na; a++ {
			st.rmax[a] = max(st.rmax[a], r[a][a])
			for b := 0; b < na; b++ {
				st.rmean[a][b] += r[a][b] / nd
			}
		}
	}
	return st
}

// measStats3 gives exactly the general loop's largest variances and the upper triangle of
// its mean covariance (all that three-axis gating reads), to the bit, for every scan size
// from 0 to 70 (powers of two, where it multiplies, included), on radar covariances of
// widely spread scales, and on covariances that are not symmetric.
func TestMeasStats3MatchesLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(35, 36))
	for trial := 0; trial < 3000; trial++ {
		n := trial % 71
		dets := make([]Position, n)
		for j := range dets {
			m := randomRadar(rng)
			z := [3]float64{math.Exp(12 * rng.Float64()), 2 * math.Pi * rng.Float64(), rng.Float64()}
			if !m.convert(&z, newPolarFactors(m, angleFactor(m.SigmaAz), angleFactor(m.SigmaEl)), &dets[j]) {
				t.Fatal("conversion failed")
			}
			if trial%5 == 0 {
				dets[j].R[1][0] *= 1 + rng.Float64()
			}
			if trial%11 == 0 {
				dets[j].R[2][2] = 1e-310 * rng.Float64() // subnormal
			}
		}
		got, want := measStats(dets, 3), measStatsLoops(dets, 3)
		for a := 0; a < 3; a++ {
			if !sameBits(got.rmax[a:a+1], want.rmax[a:a+1]) || !sameBits(got.rmean[a][a:], want.rmean[a][a:]) {
				t.Fatalf("trial %d (%d detections): measStats gives %+v, the loops %+v", trial, n, got, want)
			}
		}
	}
}

// BenchmarkMeasStats measures the per-scan statistics of a scan's detections (1 to 8, the
// engine's scans).
func BenchmarkMeasStats(b *testing.B) {
	rng := rand.New(rand.NewPCG(37, 38))
	m := randomRadar(rng)
	scans := make([][]Position, 64)
	for i := range scans {
		for range 1 + i%8 {
			p, _ := m.Cartesian([3]float64{1e5 * rng.Float64(), 2 * math.Pi * rng.Float64(), 0.3 * rng.Float64()})
			scans[i] = append(scans[i], p)
		}
	}
	var sink float64
	k := 0
	for b.Loop() {
		st := measStats(scans[k&63], 3)
		sink += st.rmean[0][1]
		k++
	}
	_ = sink
}

// cvOpaque is CVModel hidden behind another type, so that the code's CVModel fast paths do
// not apply and the general ones run.
type cvOpaque struct{ CVModel }

// initiateInto's three-axis CV path (initiateCV3) gives exactly the state of the general
// loop, to the bit, on random measurements (correlated, and not symmetric) and velocity priors.
func TestInitiateCV3MatchesGeneral(t *testing.T) {
	rng := rand.New(rand.NewPCG(45, 46))
	for trial := 0; trial < 1000; trial++ {
		var z Position
		for a := 0; a < 3; a++ {
			z.Z[a] = 1e5 * rng.NormFloat64()
			for b := 0; b < 3; b++ {
				z.R[a][b] = 100 * rng.NormFloat64()
			}
		}
		v0 := [3]float64{300 * rng.NormFloat64(), 300 * rng.NormFloat64(), 30 * rng.NormFloat64()}
		sv := 500 * rng.Float64()
		m := CVModel{N: 3, Q: 1}
		x, p := make([]float64, 6), make([]float64, 36)
		xg, pg := make([]float64, 6), make([]float64, 36)
		initiateInto(m, &z, v0, sv, x, p)
		initiateInto(cvOpaque{m}, &z, v0, sv, xg, pg)
		if !sameBits(x, xg) || !sameBits(p, pg) {
			t.Fatalf("trial %d: initiateCV3 gives x %v P %v, the general loop x %v P %v", trial, x, p, xg, pg)
		}
	}
}

// Process converts each detection as polarCache.convert does on its own, whatever the mix of
// models in the scan: runs of one RangeAzEl (whose factors it looks up once per run), more
// radars than the cache holds, position models, invalid measurements and missing models.
func TestProcessConvertsAsCache(t *testing.T) {
	rng := rand.New(rand.NewPCG(47, 48))
	var radars []*RangeAzEl
	for range polarEntries + 3 {
		radars = append(radars, randomRadar(rng))
	}
	pm := &PositionModel{R: [3][3]float64{{100, 1, 2}, {1, 200, 3}, {2, 3, 300}}}
	tr, err := NewTracker(TrackerConfig{Filter: NewKalman(CVModel{N: 3, Q: 1})})
	if err != nil {
		t.Fatal(err)
	}
	var ref polarCache
	for scan := 0; scan < 300; scan++ {
		var dets []Detection
		m := radars[rng.IntN(len(radars))]
		for range rng.IntN(12) {
			if rng.IntN(4) == 0 {
				m = radars[rng.IntN(len(radars))]
			}
			d := Detection{Z: [3]float64{2e5 * rng.Float64(), 2 * math.Pi * rng.Float64(), 0.5 * rng.Float64()}, Model: m}
			switch rng.IntN(20) {
			case 0:
				d.Model = pm
			case 1:
				d.Model = nil
			case 2:
				d.Z[0] = math.NaN()
			}
			dets = append(dets, d)
		}
		if _, err := tr.Process(Scan{T: float64(scan), Detections: dets}); err != nil {
			t.Fatal(err)
		}
		for j := range dets {
			var want Position
			ok := dets[j].Model != nil && ref.convert(&dets[j], &want) == nil
			if ok != tr.ok[j] || !samePosition(&tr.pos[j], &want) {
				t.Fatalf("scan %d, detection %d: Process converted to %+v (%v), the cache alone to %+v (%v)", scan, j, tr.pos[j], tr.ok[j], want, ok)
			}
		}
	}
}

// BenchmarkInitiateCV3 measures one-point initiation into a reused three-axis CV state (the
// engine's ReuseRecords path, for every detection no track claims).
func BenchmarkInitiateCV3(b *testing.B) {
	rng := rand.New(rand.NewPCG(49, 50))
	m := CVModel{N: 3, Q: 50}
	r := randomRadar(rng)
	z, _ := r.Cartesian([3]float64{5e4, 1, 0.1})
	x, p := make([]float64, 6), make([]float64, 36)
	for b.Loop() {
		clear(x)
		clear(p)
		initiateInto(m, &z, [3]float64{}, 300, x, p)
	}
}
