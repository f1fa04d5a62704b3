package track

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestScorerDenseIDs checks the Scorer's slices for small IDs against its maps: the same
// scans scored once with IDs in the slices' range and once with the same IDs shifted out of
// it (negative and large) give the same scores and summary.
func TestScorerDenseIDs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	dense := Scorer{Metric: Metric{C: 1000, P: 1}}
	sparse := Scorer{Metric: Metric{C: 1000, P: 1}}
	mapID := func(id int) int {
		if id%2 == 0 {
			return -id - 1
		}
		return id + denseIDs
	}
	truth := make([][3]float64, 40)
	for i := range truth {
		truth[i] = [3]float64{rng.Float64() * 50e3, rng.Float64() * 50e3, rng.Float64() * 5e3}
	}
	for scan := 0; scan < 300; scan++ {
		tt := float64(scan) * 1.3
		var tIDs, kIDs, tIDs2, kIDs2 []int
		var tp, kp [][3]float64
		for i := range truth {
			truth[i][0] += rng.NormFloat64() * 200
			if (i+scan/20)%3 == 0 { // truths come and go
				continue
			}
			tIDs, tIDs2 = append(tIDs, i+1), append(tIDs2, mapID(i+1))
			tp = append(tp, truth[i])
			if rng.Float64() < 0.7 { // a track near it, its ID switching now and then
				id := 1 + i + 100*(scan/50+rng.IntN(2)*(scan%7/6))
				kIDs, kIDs2 = append(kIDs, id), append(kIDs2, mapID(id))
				q := truth[i]
				q[1] += rng.NormFloat64() * 400
				kp = append(kp, q)
			}
		}
		for k := rng.IntN(3); k > 0; k-- { // false tracks
			id := 5000 + scan*3 + k
			kIDs, kIDs2 = append(kIDs, id), append(kIDs2, mapID(id))
			kp = append(kp, [3]float64{rng.Float64() * 50e3, rng.Float64() * 50e3, 1000})
		}
		a, err := dense.Add(tt, tIDs, tp, kIDs, kp)
		if err != nil {
			t.Fatal(err)
		}
		b, err := sparse.Add(tt, tIDs2, tp, kIDs2, kp)
		if err != nil {
			t.Fatal(err)
		}
		if a != b {
			t.Fatalf("scan %d: %+v != %+v", scan, a, b)
		}
		if m := dense.Metric.Match(tp, kp); len(m.TruthToTrack) != len(tp) {
			t.Fatalf("Match returned %d entries for %d truths", len(m.TruthToTrack), len(tp))
		}
	}
	sa, sb := dense.Summary(), sparse.Summary()
	// The mean time to confirm sums in a different order (slices, then maps).
	if math.Abs(sa.TimeToConfirm-sb.TimeToConfirm) > 1e-9*math.Abs(sb.TimeToConfirm) {
		t.Fatalf("time to confirm %v != %v", sa.TimeToConfirm, sb.TimeToConfirm)
	}
	sa.TimeToConfirm = sb.TimeToConfirm
	if sa != sb {
		t.Fatalf("summaries differ:\n%+v\n%+v", sa, sb)
	}
	if sa.FalseTracks == 0 || sa.IDSwitches == 0 || sa.TrackBreaks == 0 || sa.TruthsConfirmed == 0 {
		t.Fatalf("the test does not exercise every measure: %+v", sa)
	}
}

// pairsWithin, which drops a pair on a partial sum, gives exactly the edges (pairs, order and
// costs, to the bit) of the one-step test d² = dx² + dy² + dz² < C², on random truths and
// tracks spread from far inside to far outside the cut-off, with coincident points, NaN
// coordinates and several orders P.
func TestPairsWithinMatchesOneStep(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	for trial := 0; trial < 2000; trial++ {
		m := Metric{C: []float64{1000, 1, 5e4}[trial%3], P: []float64{1, 2, 1.5}[trial%3]}
		c2, cp := m.C*m.C, m.powC()
		spread := m.C * []float64{0.5, 2, 20}[trial%3]
		tracks := make([][3]float64, rng.IntN(60))
		for j := range tracks {
			for a := range tracks[j] {
				tracks[j][a] = spread * rng.NormFloat64()
			}
			if rng.IntN(40) == 0 {
				tracks[j][rng.IntN(3)] = math.NaN()
			}
		}
		p := [3]float64{spread * rng.NormFloat64(), spread * rng.NormFloat64(), spread * rng.NormFloat64()}
		if len(tracks) > 0 && trial%4 == 0 {
			p = tracks[0]
		}
		if trial%5 == 0 {
			// Tracks at the cut-off, give or take a few ulps, in random directions: partial
			// sums close to C².
			for j := range tracks {
				v := [3]float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
				r := m.C * (1 + float64(rng.IntN(9)-4)*1e-16) / math.Sqrt(v[0]*v[0]+v[1]*v[1]+v[2]*v[2])
				tracks[j] = [3]float64{p[0] + r*v[0], p[1] + r*v[1], p[2] + r*v[2]}
			}
		}
		got := m.pairsWithin(nil, 3, &p, tracks, c2, cp)
		var want []Edge
		for j, q := range tracks {
			dx, dy, dz := p[0]-q[0], p[1]-q[1], p[2]-q[2]
			if d2 := dx*dx + dy*dy + dz*dz; d2 < c2 {
				want = append(want, Edge{Row: 3, Col: int32(j), Cost: m.pow(math.Sqrt(d2)) - cp})
			}
		}
		if len(got) != len(want) {
			t.Fatalf("trial %d: %d edges, the one-step test %d", trial, len(got), len(want))
		}
		for k := range got {
			if got[k].Row != want[k].Row || got[k].Col != want[k].Col || math.Float64bits(got[k].Cost) != math.Float64bits(want[k].Cost) {
				t.Fatalf("trial %d: edge %d is %+v, the one-step test's %+v", trial, k, got[k], want[k])
			}
		}
	}
}

// BenchmarkMetricMatch measures the scorer's matching of the engine's size (about 40 truths
// against 30 tracks, cut-off 1 km, over a 100 km area), run at every decision cycle.
func BenchmarkMetricMatch(b *testing.B) {
	rng := rand.New(rand.NewPCG(43, 44))
	truths := make([][3]float64, 40)
	tracks := make([][3]float64, 30)
	for i := range truths {
		truths[i] = [3]float64{1e5 * rng.Float64(), 1e5 * rng.Float64(), 5000 * rng.Float64()}
	}
	for j := range tracks {
		q := truths[j]
		tracks[j] = [3]float64{q[0] + 300*rng.NormFloat64(), q[1] + 300*rng.NormFloat64(), q[2] + 100*rng.NormFloat64()}
	}
	m := Metric{C: 1000, P: 1}
	var sink int
	for b.Loop() {
		sink += m.Match(truths, tracks).Matched
	}
	_ = sink
}
