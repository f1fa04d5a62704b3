package sim

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/adsim/adsim/geo"
	"github.com/adsim/adsim/threat"
)

// Replications that share a Cache run exactly as without it: both examples, three seeds in
// turn through one cache, outcomes and event logs (detections included) byte-identical; and
// the cache did keep the ballistic solutions (two aim points in each example).
func TestCacheKeepsRuns(t *testing.T) {
	for _, name := range []string{"capital", "ground"} {
		c := NewCache()
		for seed := uint64(1); seed <= 3; seed++ {
			s := seed
			_, want, wantLog := runPrepared(t, name, &s, nil, nil)
			_, got, gotLog := runOptions(t, name, Options{Seed: &s, Cache: c}, nil, nil)
			a, err := json.Marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) || !bytes.Equal(wantLog, gotLog) {
				t.Errorf("%s seed %d: the run with a cache differs from the run without", name, seed)
			}
		}
		if n := len(c.ballistic); n != 2 {
			t.Errorf("%s: %d ballistic solutions cached, want 2", name, n)
		}
		// One gun class, three categories raided (drone, cruise and ballistic missile).
		if n := len(c.curves); n != 3 {
			t.Errorf("%s: %d gun curves cached, want 3", name, n)
		}
	}
}

// The cache answers what the solver answers, and keeps at most maxCached solutions however
// many launch points it sees.
func TestCacheBounded(t *testing.T) {
	earth := threat.FlatEarth(9.81)
	spec := threat.BallisticSpec{Phi: 0.7}
	c := NewCache()
	for k := 0; k < maxCached+50; k++ {
		start, aim := geo.Vec3{X: float64(k)}, geo.Vec3{X: 100000 + float64(k)}
		for rep := 0; rep < 2; rep++ { // the second asks the cache
			got, err := c.ballisticLaunch(earth, start, aim, spec)
			want, werr := threat.SolveBallisticDrag(earth, start, aim, spec)
			if got != want || (err == nil) != (werr == nil) {
				t.Fatalf("launch %d: cache (%v, %v), solver (%v, %v)", k, got, err, want, werr)
			}
		}
	}
	if n := len(c.ballistic); n != maxCached {
		t.Errorf("%d solutions kept, want %d", n, maxCached)
	}
	// An aim at the launch point is an error, cached like a solution.
	for i := 0; i < 2; i++ {
		if _, err := NewCache().ballisticLaunch(earth, geo.Vec3{}, geo.Vec3{}, spec); err == nil {
			t.Error("no error for an aim at the launch point")
		}
	}
}
