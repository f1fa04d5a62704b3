package main

import (
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
