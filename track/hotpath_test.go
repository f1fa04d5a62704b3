package track

import (
	"fmt"
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
