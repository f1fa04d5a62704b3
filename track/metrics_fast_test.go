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
