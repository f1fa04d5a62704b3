package main

import (
	"os"
	"testing"

	"github.com/adsim/adsim/mc"
)

// TestSensitivityTestName: the table's footer names every test behind its "*": the metric's
// own (paired t or McNemar's), and the sign test when some variant differed from the baseline
// by the same amount in every replication (mc.Paired.P), whichever factor ranks first.
func TestSensitivityTestName(t *testing.T) {
	const sign = "the sign test where a variant differs by the same amount in every replication"
	eff := func(low, high string) rankedEffect {
		return rankedEffect{low: mc.PairedResult{Test: low}, high: mc.PairedResult{Test: high}}
	}
	cases := []struct {
		name   string
		ranked []rankedEffect
		want   string
	}{
		{"paired t only", []rankedEffect{eff("paired t", "paired t")}, "paired t"},
		{"sign first, then paired t", []rankedEffect{eff("sign", "sign"), eff("paired t", "")}, "paired t; " + sign},
		{"sign only", []rankedEffect{eff("sign", "")}, sign},
		{"McNemar", []rankedEffect{eff("", "McNemar")}, "McNemar"},
		{"nothing run", []rankedEffect{eff("", "")}, "paired t"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := testName(c.ranked); got != c.want {
				t.Errorf("testName = %q, want %q", got, c.want)
			}
		})
	}
}

// TestPerfectRuns: the tornado chart's title says "perfect air picture" only when the
// baseline and every variant run ran in it; a factor on c2.picture with a side run in the
// tracked picture makes it false, a side not run (skipped) does not count.
func TestPerfectRuns(t *testing.T) {
	src, err := os.ReadFile(smallScenario)
	if err != nil {
		t.Fatal(err)
	}
	tracked, err := mc.NewStudy("small", src, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	perfect, err := tracked.With("c2.picture", "perfect")
	if err != nil {
		t.Fatal(err)
	}
	ran := &mc.Comparison{}
	factor := func(path, low, high string, lowRan, highRan bool) rankedEffect {
		e := rankedEffect{Effect: mc.Effect{Factor: mc.Factor{Path: path, Low: low, High: high}}}
		if lowRan {
			e.Low = ran
		}
		if highRan {
			e.High = ran
		}
		return e
	}
	salvo := factor("c2.salvo", "1", "2", true, true)
	cases := []struct {
		name   string
		st     *mc.Study
		ranked []rankedEffect
		want   bool
	}{
		{"tracked baseline", tracked, []rankedEffect{salvo}, false},
		{"perfect baseline", perfect, []rankedEffect{salvo}, true},
		{"a variant in the tracked picture", perfect, []rankedEffect{salvo, factor("c2.picture", "tracked", "perfect", true, true)}, false},
		{"the tracked side skipped", perfect, []rankedEffect{factor("c2.picture", "tracked", "perfect", false, true)}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := perfectRuns(c.st, c.ranked); got != c.want {
				t.Errorf("perfectRuns = %v, want %v", got, c.want)
			}
		})
	}
}
