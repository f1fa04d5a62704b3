package track

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomGating draws a small 3-D scan like the engine's: a few dozen CV tracks with random
// (correlated) position covariances and 1–10 converted radar detections, most near a track
// (some near two), a few skipped.
func randomGating(rng *rand.Rand) (tracks []*Record, dets []Position, skip []bool) {
	return randomScan(rng, 30, 10, 60000)
}

// randomScan is randomGating with up to maxTracks tracks and maxDets detections in a square
// of side span metres.
func randomScan(rng *rand.Rand, maxTracks, maxDets int, span float64) (tracks []*Record, dets []Position, skip []bool) {
	f := NewKalman(CVModel{N: 3, Q: 50})
	m := NewRangeAzEl([3]float64{0, 0, 20}, 30, 0.002, 0.003)
	nt := 1 + rng.IntN(maxTracks)
	for range nt {
		p := [3]float64{rng.Float64() * span, rng.Float64() * span, 500 + 8000*rng.Float64()}
		r := math.Hypot(p[0], p[1])
		z, _ := m.Cartesian([3]float64{r, math.Atan2(p[0], p[1]), math.Asin((p[2] - 20) / r)})
		st := f.Initiate(0, &z, [3]float64{}, 300)
		f.Predict(st, 0.5+5*rng.Float64())
		tracks = append(tracks, &Record{State: st})
	}
	nd := 1 + rng.IntN(maxDets)
	for range nd {
		var p [3]float64
		if rng.IntN(4) > 0 {
			tr := tracks[rng.IntN(nt)]
			for a := 0; a < 3; a++ {
				p[a] = tr.State.X[2*a] + math.Sqrt(tr.State.P[14*a])*rng.NormFloat64()*2
			}
		} else {
			p = [3]float64{rng.Float64() * span, rng.Float64() * span, 8000 * rng.Float64()}
		}
		d := [3]float64{p[0], p[1], p[2] - 20}
		r := math.Sqrt(d[0]*d[0] + d[1]*d[1] + d[2]*d[2])
		z, err := m.Cartesian([3]float64{r, math.Atan2(d[0], d[1]), math.Asin(d[2] / r)})
		if err != nil {
			continue
		}
		dets = append(dets, z)
	}
	skip = make([]bool, len(dets))
	for j := range skip {
		skip[j] = rng.IntN(8) == 0
	}
	return tracks, dets, skip
}

// GridGater's pair-by-pair path for three axes (gatePairs3) gives exactly the general
// path's edges, costs, miss costs, gate marks and kept S⁻¹, to the bit, on 10,000 random
// small scans; and the update through the kept S⁻¹ (updateInv) gives exactly the state
// Update gives.
func TestGatePairs3MatchesGeneral(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	checkFastGate(t, 10000, 10000, func() ([]*Record, []Position, []bool) { return randomGating(rng) },
		func(h *GridGater, tracks []*Record, dets []Position, skip []bool, miss []float64, inGate []bool, pi *[3]int, st *detStats) []Edge {
			return h.gatePairs3(tracks, dets, skip, nil, miss, inGate, pi, &st.rmax, &st.rmean)
		})
}

// GridGater's spatial-hash path for three axes (gateGrid3) gives exactly what the general
// path gives, in the same order, on 1,000 random large scans (more than smallGate pairs, up
// to 300 tracks and 200 detections, a tenth of them spread so thin that the hash takes its sparse mode).
func TestGateGrid3MatchesGeneral(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	scans := 0
	checkFastGate(t, 1000, 20000, func() ([]*Record, []Position, []bool) {
		scans++
		span := 200e3
		if scans%10 == 0 {
			span = 5e6
		}
		for {
			// Hypothesise takes this path for scans of more than smallGate pairs only.
			if tracks, dets, skip := randomScan(rng, 300, 200, span); len(tracks)*len(dets) > smallGate {
				return tracks, dets, skip
			}
		}
	}, func(h *GridGater, tracks []*Record, dets []Position, skip []bool, miss []float64, inGate []bool, pi *[3]int, st *detStats) []Edge {
		return h.gateGrid3(tracks, dets, skip, nil, miss, inGate, pi, &st.rmax, &st.rmean)
	})
}

// checkFastGate runs fast and the general path (gateBoxes) on scans drawn by draw and fails
// unless they agree to the bit on every edge, cost, miss cost, gate mark and kept S⁻¹ and
// the update through the kept S⁻¹ equals Update's, or unless the scans gave at least
// minEdges edges.
func checkFastGate(t *testing.T, scans, minEdges int, draw func() ([]*Record, []Position, []bool),
	fast func(h *GridGater, tracks []*Record, dets []Position, skip []bool, miss []float64, inGate []bool, pi *[3]int, st *detStats) []Edge) {
	t.Helper()
	f := NewKalman(CVModel{N: 3, Q: 50})
	pi, na := posIndices(f)
	fh, gen := &GridGater{Gate: ChiSquare999(3)}, &GridGater{Gate: ChiSquare999(3)}
	edgesSeen := 0
	for it := 0; it < scans; it++ {
		tracks, dets, skip := draw()
		st := measStats(dets, na)
		nt, nd := len(tracks), len(dets)
		mf, mg := make([]float64, nt), make([]float64, nt)
		gf, gg := make([]bool, nd), make([]bool, nd)
		fh.inv, fh.first = fh.inv[:0], 0
		gen.inv, gen.first = gen.inv[:0], 0
		ef := fast(fh, tracks, dets, skip, mf, gf, &pi, &st)
		eg := gen.gateBoxes(tracks, dets, skip, nil, mg, gg, &pi, na, &st.rmax, &st.rmean)
		same := len(ef) == len(eg) && len(fh.inv) == len(gen.inv) && slices.Equal(gf, gg) && sameBits(mf, mg)
		for k := 0; same && k < len(ef); k++ {
			a, b := ef[k], eg[k]
			same = a.Row == b.Row && a.Col == b.Col && sameBits([]float64{a.Cost}, []float64{b.Cost}) &&
				sameBits(fh.inv[k][0][:], gen.inv[k][0][:]) && sameBits(fh.inv[k][1][:], gen.inv[k][1][:]) &&
				sameBits(fh.inv[k][2][:], gen.inv[k][2][:])
		}
		if !same {
			t.Fatalf("scan %d: edges %v (gates %v, miss %v), general %v (gates %v, miss %v)", it, ef, gf, mf, eg, gg, mg)
		}
		edgesSeen += len(ef)
		for k, e := range ef {
			a, b := tracks[e.Row].State.Clone(), tracks[e.Row].State.Clone()
			if !f.updateInv(a, &dets[e.Col], fh.edgeInv(k)) {
				t.Fatal("updateInv declined a CV3 state")
			}
			if _, ok := f.Update(b, &dets[e.Col]); !ok {
				t.Fatalf("scan %d: Update failed on a gated pair", it)
			}
			if !sameBits(a.X, b.X) || !sameBits(a.P, b.P) {
				t.Fatalf("scan %d, edge %v: updateInv gives %v %v, Update %v %v", it, e, a.X, a.P, b.X, b.P)
			}
		}
	}
	if edgesSeen < minEdges {
		t.Fatalf("only %d edges in %d scans: the test exercises too little", edgesSeen, scans)
	}
}

// plainGater hides GridGater's type from the Tracker, which then takes its general path:
// the Hypothesiser interface (detection statistics computed per call) and Filter.Update
// (S inverted again), instead of the statistics cached per scan and the update through the
// gate's S⁻¹.
type plainGater struct{ h *GridGater }

func (p plainGater) Hypothesise(f Filter, tracks []*Record, dets []Position, skip []bool, edges []Edge, miss []float64, inGate []bool) []Edge {
	return p.h.Hypothesise(f, tracks, dets, skip, edges, miss, inGate)
}

// The Tracker's shortcuts for GridGater leave the track file unchanged to the bit, over
// thousands of engine-like radar scans.
func TestTrackerShortcutsMatchGeneral(t *testing.T) {
	base, next := radarScene(20, 3)
	cfg := base.Config()
	cfg.Hypothesiser, cfg.Associator = nil, nil
	fast, _ := NewTracker(cfg)
	cfg.Hypothesiser = plainGater{&GridGater{Gate: cfg.Gate}}
	slow, _ := NewTracker(cfg)
	updates := 0
	for k := 0; k < 3000; k++ {
		s := next()
		rf, err1 := fast.Process(s)
		rs, err2 := slow.Process(s)
		if err1 != nil || err2 != nil || !slices.Equal(rf.TrackOf, rs.TrackOf) {
			t.Fatalf("scan %d: TrackOf %v, general %v (%v, %v)", k, rf.TrackOf, rs.TrackOf, err1, err2)
		}
		a, b := fast.Tracks(), slow.Tracks()
		if len(a) != len(b) {
			t.Fatalf("scan %d: %d tracks, general %d", k, len(a), len(b))
		}
		for i := range a {
			x, y := a[i], b[i]
			if x.Updated && x.LastUpdate == s.T && x.Hits > 1 {
				updates++
			}
			if x.ID != y.ID || x.Status != y.Status || x.History != y.History || x.Hits != y.Hits ||
				math.Float64bits(x.Score) != math.Float64bits(y.Score) ||
				!sameBits(x.State.X, y.State.X) || !sameBits(x.State.P, y.State.P) {
				t.Fatalf("scan %d: track %d differs from the general path's", k, x.ID)
			}
		}
	}
	if updates < 5000 {
		t.Fatalf("only %d updates in 3,000 scans: the test exercises too little", updates)
	}
}

// sameBits reports whether a and b hold the same float64 values to the bit.
func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// batchCovers returns Scan.CoversAll built on a per-track Covers.
func batchCovers(covers func([3]float64) bool) func([][3]float64, []bool) {
	return func(pos [][3]float64, in []bool) {
		for i := range pos {
			in[i] = covers(pos[i])
		}
	}
}

// TestCoversAllMatchesCovers runs the same scans through a tracker asked about coverage one
// track at a time (Scan.Covers) and one asked once per scan (Scan.CoversAll, whose path
// predicts the Kalman filter's tracks without the interface call and skips tracks already
// at the scan's time), for the Kalman filter and for the IMM (the interface path), and with
// several scans at the same instant: the track files must agree to the bit.
func TestCoversAllMatchesCovers(t *testing.T) {
	for _, c := range []struct {
		name   string
		filter func() Filter
	}{
		{"kalman", func() Filter { return NewKalman(CVModel{N: 3, Q: 50}) }},
		{"imm", func() Filter { return NewIMMCVCT(3, 50, 1e-4, 0.05, 0.95) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			base, next := radarScene(20, 3)
			cfg := base.Config()
			cfg.Filter = c.filter()
			each, _ := NewTracker(cfg)
			cfg.Filter = c.filter()
			batch, _ := NewTracker(cfg)
			tt := 0.0
			for k := 0; k < 1500; k++ {
				s := next()
				if k%3 != 0 {
					s.T = tt // scans at the same instant, as the engine's radars make
				}
				tt = s.T
				if k%7 == 0 {
					s.Detections = nil // a scan that only predicts and charges misses
				}
				re, err1 := each.Process(s)
				s.Covers, s.CoversAll = nil, batchCovers(s.Covers)
				rb, err2 := batch.Process(s)
				if err1 != nil || err2 != nil || !slices.Equal(re.TrackOf, rb.TrackOf) ||
					len(re.Deleted) != len(rb.Deleted) || len(re.Confirmed) != len(rb.Confirmed) {
					t.Fatalf("scan %d: results differ (%v, %v)", k, err1, err2)
				}
				a, b := each.Tracks(), batch.Tracks()
				if len(a) != len(b) {
					t.Fatalf("scan %d: %d tracks, batch %d", k, len(a), len(b))
				}
				for i := range a {
					x, y := a[i], b[i]
					if x.ID != y.ID || x.Status != y.Status || x.History != y.History || x.Hits != y.Hits ||
						x.Looks != y.Looks || math.Float64bits(x.Score) != math.Float64bits(y.Score) ||
						math.Float64bits(x.State.T) != math.Float64bits(y.State.T) ||
						!sameBits(x.State.X, y.State.X) || !sameBits(x.State.P, y.State.P) {
						t.Fatalf("scan %d: track %d differs with CoversAll", k, x.ID)
					}
				}
			}
		})
	}
}

// TestReuseRecordsMatches runs the same scans through trackers with and without
// ReuseRecords, for the roles where it applies (the Kalman filter and OnePoint) and where it
// does not (the IMM; another initiator): the track files must agree to the bit, the deleted
// records must stay as they were until the next Process call, and where it applies, new
// tracks must actually reuse deleted records.
func TestReuseRecordsMatches(t *testing.T) {
	for _, c := range []struct {
		name    string
		filter  func() Filter
		init    Initiator
		applies bool
	}{
		{"kalman", func() Filter { return NewKalman(CVModel{N: 3, Q: 50}) }, nil, true},
		{"imm", func() Filter { return NewIMMCVCT(3, 50, 1e-4, 0.05, 0.95) }, nil, false},
		{"initiator", func() Filter { return NewKalman(CVModel{N: 3, Q: 50}) }, plainInitiator{OnePoint{SigmaV: 400}}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			base, next := radarScene(20, 3)
			cfg := base.Config()
			cfg.Filter, cfg.Initiator = c.filter(), c.init
			if c.init == nil {
				cfg.Initiator = OnePoint{SigmaV: cfg.SigmaV0}
			}
			plain, _ := NewTracker(cfg)
			cfg.Filter, cfg.ReuseRecords = c.filter(), true
			reuse, _ := NewTracker(cfg)
			deleted := map[*Record]bool{}
			reused := 0
			for k := 0; k < 2000; k++ {
				s := next()
				rp, err1 := plain.Process(s)
				rr, err2 := reuse.Process(s)
				if err1 != nil || err2 != nil || !slices.Equal(rp.TrackOf, rr.TrackOf) || len(rp.Deleted) != len(rr.Deleted) {
					t.Fatalf("scan %d: results differ (%v, %v)", k, err1, err2)
				}
				for _, r := range rr.Initiated {
					if deleted[r] {
						reused++
						delete(deleted, r)
					}
				}
				same := func(x, y *Record) bool {
					return x.ID == y.ID && x.Status == y.Status && x.History == y.History && x.Hits == y.Hits &&
						x.Looks == y.Looks && math.Float64bits(x.Score) == math.Float64bits(y.Score) &&
						math.Float64bits(x.Born) == math.Float64bits(y.Born) &&
						math.Float64bits(x.State.T) == math.Float64bits(y.State.T) &&
						sameBits(x.State.X, y.State.X) && sameBits(x.State.P, y.State.P)
				}
				for i, r := range rr.Deleted {
					if !same(rp.Deleted[i], r) {
						t.Fatalf("scan %d: deleted track %d differs with ReuseRecords", k, r.ID)
					}
					deleted[r] = true
				}
				a, b := plain.Tracks(), reuse.Tracks()
				if len(a) != len(b) {
					t.Fatalf("scan %d: %d tracks, with reuse %d", k, len(a), len(b))
				}
				for i := range a {
					if !same(a[i], b[i]) {
						t.Fatalf("scan %d: track %d differs with ReuseRecords", k, a[i].ID)
					}
				}
			}
			t.Logf("%d records reused", reused)
			if c.applies && reused < 100 {
				t.Fatalf("only %d records reused: the test exercises too little", reused)
			}
			if !c.applies && reused > 0 {
				t.Fatalf("%d records reused where ReuseRecords does not apply", reused)
			}
		})
	}
}

// plainInitiator hides an Initiator's type, so the tracker takes its general path.
type plainInitiator struct{ Initiator }
