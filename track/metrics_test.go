package track

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/adsim/adsim/lap"
)

func line(xs ...float64) [][3]float64 {
	out := make([][3]float64, len(xs))
	for i, x := range xs {
		out[i] = [3]float64{x, 0, 0}
	}
	return out
}

// PHYSICS.md §8: Stone Soup's OSPA/GOSPA test vectors (metricgenerator/tests/test_ospametric.py).
func TestOSPAGOSPAStoneSoupVectors(t *testing.T) {
	truths := line(0, 1, 2, 3, 4)
	cases := []struct {
		name    string
		tracks  [][3]float64
		p, ospa float64
		gospa   float64 // NaN: not checked
		tol     float64
	}{
		{"4 tracks p=1", line(0.5, 1.5, 2.5, 3.5), 1, 2.4, 7.0, 1e-12},
		{"4 tracks p=2", line(0.5, 1.5, 2.5, 3.5), 2, 4.49444, math.NaN(), 5e-6},
		{"4 tracks p=inf", line(0.5, 1.5, 2.5, 3.5), math.Inf(1), 10, math.NaN(), 0},
		{"offset 0.2 p=1", line(0.2, 1.2, 2.2, 3.2), 1, 2.16, math.NaN(), 1e-12},
		{"offset 0.2 p=2", line(0.2, 1.2, 2.2, 3.2), 2, 4.47571, math.NaN(), 5e-6},
		{"5 tracks p=1", line(0.5, 1.5, 2.5, 3.5, 4.5), 1, 0.5, 2.5, 1e-12},
	}
	for _, c := range cases {
		m := Metric{C: 10, P: c.p}
		got, err := m.OSPA(truths, c.tracks)
		if err != nil || math.Abs(got-c.ospa) > c.tol {
			t.Errorf("%s: OSPA %v (%v), want %v", c.name, got, err, c.ospa)
		}
		if !math.IsNaN(c.gospa) {
			g, err := m.GOSPA(truths, c.tracks)
			if err != nil || math.Abs(g.Distance-c.gospa) > 1e-12 {
				t.Errorf("%s: GOSPA %v (%v), want %v", c.name, g.Distance, err, c.gospa)
			}
		}
	}
	// Decomposition of the 4-vs-5 case: 4 pairs at 0.5, one truth missed (c^p/2 = 5).
	g, _ := (&Metric{C: 10, P: 1}).GOSPA(truths, line(0.5, 1.5, 2.5, 3.5))
	if g.Localisation != 2 || g.Missed != 5 || g.False != 0 || g.NMissed != 1 || g.NFalse != 0 {
		t.Errorf("decomposition %+v", g)
	}
}

func TestMetricEdgeCases(t *testing.T) {
	m := Metric{C: 10, P: 1}
	tests := []struct {
		name        string
		x, y        [][3]float64
		ospa, gospa float64
	}{
		{"both empty", nil, nil, 0, 0},
		{"no tracks", line(0, 1), nil, 10, 10},
		{"no truths", nil, line(0, 1, 2), 10, 15},
		{"far apart", line(0), line(50), 10, 10},
		{"p=∞ equal sizes", line(0, 1), line(0.5, 4), 3, 3.5},
	}
	for _, c := range tests {
		o, _ := m.OSPA(c.x, c.y)
		g, _ := m.GOSPA(c.x, c.y)
		if c.name == "p=∞ equal sizes" {
			o, _ = (&Metric{C: 10, P: math.Inf(1)}).OSPA(c.x, c.y)
		}
		if math.Abs(o-c.ospa) > 1e-12 || math.Abs(g.Distance-c.gospa) > 1e-12 {
			t.Errorf("%s: OSPA %v GOSPA %v, want %v %v", c.name, o, g.Distance, c.ospa, c.gospa)
		}
	}
	if _, err := (&Metric{C: 0, P: 1}).OSPA(nil, nil); err == nil {
		t.Error("C = 0 accepted")
	}
	if _, err := (&Metric{C: 1, P: 0.5}).GOSPA(nil, nil); err == nil {
		t.Error("P < 1 accepted")
	}
}

// The sparse (cut-off) matching must equal the dense OSPA definition on random sets.
func TestOSPASparseEqualsDense(t *testing.T) {
	if 65*65 <= smallMatch {
		t.Fatal("the large trials no longer exercise the spatial hash")
	}
	rng := rand.New(rand.NewPCG(21, 22))
	var d lap.Dense
	for trial := 0; trial < 300; trial++ {
		// Mostly small sets (pair by pair in Match), every tenth above smallMatch pairs
		// (the spatial hash), spread so that the density stays alike.
		nx, ny, span := rng.IntN(8), rng.IntN(8), 30.0
		if trial%10 == 0 {
			nx, ny, span = 65+rng.IntN(40), 65+rng.IntN(40), 300
		}
		pts := func(n int) [][3]float64 {
			o := make([][3]float64, n)
			for i := range o {
				o[i] = [3]float64{rng.Float64() * span, rng.Float64() * span, rng.Float64() * 5}
			}
			return o
		}
		x, y := pts(nx), pts(ny)
		p := []float64{1, 2, 3}[trial%3]
		m := Metric{C: 10, P: p}
		got, _ := m.OSPA(x, y)
		// Dense: n×n matrix of min(c, d)^p with dummy rows/cols at c^p.
		n := max(nx, ny)
		want := 0.0
		if n > 0 {
			c := make([]float64, n*n)
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					v := math.Pow(10, p)
					if i < nx && j < ny {
						v = math.Pow(math.Min(10, dist(x[i], y[j])), p)
					}
					c[i*n+j] = v
				}
			}
			tot, _ := d.Solve(c, n, n, make([]int, n))
			want = math.Pow(tot/float64(n), 1/p)
		}
		if math.Abs(got-want) > 1e-9 {
			t.Fatalf("trial %d: sparse OSPA %v, dense %v", trial, got, want)
		}
	}
}

func TestScorerIdentity(t *testing.T) {
	s := Scorer{Metric: Metric{C: 100, P: 1}}
	// Truth 1 tracked by 7, then by 8 (a switch), then lost (a break); track 9 is false.
	steps := []struct {
		trackIDs []int
		tracks   [][3]float64
	}{
		{nil, nil},
		{[]int{7}, line(1)},
		{[]int{7, 9}, line(1, 5000)},
		{[]int{8}, line(2)},
		{nil, nil},
	}
	for k, st := range steps {
		if _, err := s.Add(float64(k), []int{1}, line(0), st.trackIDs, st.tracks); err != nil {
			t.Fatal(err)
		}
	}
	sum := s.Summary()
	if sum.IDSwitches != 1 || sum.TrackBreaks != 1 || sum.FalseTracks != 1 || sum.TimeToConfirm != 1 || sum.TracksConfirmed != 3 {
		t.Errorf("summary %+v", sum)
	}
	if math.Abs(sum.FalseTracksPerHour-3600/5.0) > 1e-9 {
		t.Errorf("false tracks per hour %v", sum.FalseTracksPerHour)
	}
}

// Identity switches follow the CLEAR MOT rule: two truths 30 m apart (C = 100 m), each with
// its own track, whose estimates wander so that the optimal assignment swaps them every other
// scan, switch nothing, since each truth's track stays within C of it; the swap still shows
// in OSPA. When the tracks really do exchange truths (each moves beyond C of its old truth
// onto the other), that is two switches; a truth whose track disappears is a break.
func TestScorerIdentityKeepsCorrespondences(t *testing.T) {
	s := Scorer{Metric: Metric{C: 100, P: 1}}
	truths := line(0, 30)
	for k := 0; k < 10; k++ {
		tracks := line(5, 25) // track 7 on truth 1, track 8 on truth 2: the optimal match
		if k%2 == 1 {
			tracks = line(28, 2) // optimally track 7 ↔ truth 2, 8 ↔ truth 1; both within C of their own
		}
		if _, err := s.Add(float64(k), []int{1, 2}, truths, []int{7, 8}, tracks); err != nil {
			t.Fatal(err)
		}
	}
	if sum := s.Summary(); sum.IDSwitches != 0 || sum.TrackBreaks != 0 {
		t.Fatalf("wandering estimates: %d switches, %d breaks, want 0 and 0", sum.IDSwitches, sum.TrackBreaks)
	}
	// A real exchange: truths now 1 km apart, the tracks on the other truth.
	far := line(0, 1000)
	for _, tr := range [][][3]float64{line(0, 1000), line(1000, 0), line(1000, 0)} {
		if _, err := s.Add(20, []int{1, 2}, far, []int{7, 8}, tr); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Add(21, []int{1, 2}, far, []int{8}, line(0)); err != nil { // track 7 gone
		t.Fatal(err)
	}
	if sum := s.Summary(); sum.IDSwitches != 2 || sum.TrackBreaks != 1 {
		t.Fatalf("exchange: %d switches, %d breaks, want 2 and 1", sum.IDSwitches, sum.TrackBreaks)
	}
}

// When a kept track is another truth's optimal match, the rest are assigned anew: truth 1
// keeps track 7 (within C), truth 2, whose optimal match was track 7, gets track 9.
func TestScorerIdentityReassignsTheRest(t *testing.T) {
	s := Scorer{Metric: Metric{C: 100, P: 1}}
	if _, err := s.Add(0, []int{1, 2}, line(0, 200), []int{7, 9}, line(0, 200)); err != nil {
		t.Fatal(err)
	}
	// Truth 2 moves to 120, track 7 drifts to 90 (within C of truth 1), track 9 to 210. The
	// optimal OSPA match is 7 ↔ 2 alone (30 m, weight 70, against 10 + 10 for 7 ↔ 1 and
	// 9 ↔ 2); truth 1 keeps track 7, and truth 2, assigned anew, gets track 9 (90 m).
	if _, err := s.Add(1, []int{1, 2}, line(0, 120), []int{7, 9}, line(90, 210)); err != nil {
		t.Fatal(err)
	}
	sum := s.Summary()
	if sum.IDSwitches != 0 || sum.TrackBreaks != 0 {
		t.Fatalf("%d switches, %d breaks, want 0 and 0", sum.IDSwitches, sum.TrackBreaks)
	}
}
