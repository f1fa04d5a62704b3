package mc

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestAssumptionFactors(t *testing.T) {
	st := loadSmall(t)
	fs, err := AssumptionFactors(st, 0.25, "")
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]Factor{}
	for _, f := range fs {
		if _, dup := by[f.Path]; dup {
			t.Errorf("%s twice", f.Path)
		}
		by[f.Path] = f
	}
	cases := []struct {
		path, base, low, high string
	}{
		{"catalog.systems[pantsir-s1].weapons[57e6].pk0.drone", "0.75", "0.5625", "0.9375"},
		{"catalog.systems[pantsir-s1].radar.ref_pd", "0.9", "0.675", "1"},               // a probability: at most 1
		{"catalog.systems[pantsir-s1].fire_channels", "4", "3", "5"},                    // a count: whole
		{"catalog.systems[pantsir-s1].weapons[2a38m].magazine", "1400", "1050", "1750"}, // a count
		{"catalog.systems[pantsir-s1].radar.min_elevation_deg", "-2", "-1.5", "-2.5"},   // ×(1 − f) and ×(1 + f)
		{"catalog.threats[shahed-136].rcs_m2", "0.1", "0.075", "0.125"},
	}
	for _, c := range cases {
		f, ok := by[c.path]
		if !ok {
			t.Errorf("no factor for %s", c.path)
			continue
		}
		if f.Base != c.base || f.Low != c.low || f.High != c.high {
			t.Errorf("%s: %s → %s, %s; want %s → %s, %s", c.path, f.Base, f.Low, f.High, c.base, c.low, c.high)
		}
	}
	// Published figures are not factors (the Shahed's speed has a source), nor figures of
	// classes the scenario does not use, nor figures that are 0 (the 57E6 has no seeker cone).
	for _, p := range []string{"catalog.threats[shahed-136].speed_kmh", "catalog.systems[s400].fire_channels",
		"catalog.threats[iskander-m].rcs_m2", "catalog.systems[pantsir-s1].weapons[57e6].seeker_fov_deg"} {
		if _, ok := by[p]; ok {
			t.Errorf("%s is a factor", p)
		}
	}
	only, err := AssumptionFactors(st, 0.5, ".rcs_m2")
	if err != nil || len(only) != 2 || only[1].Path != "catalog.threats[kalibr-3m14].rcs_m2" || only[1].Low != "0.1" {
		t.Errorf("--match .rcs_m2 at ± 50 %%: %+v, %v", only, err)
	}
	for _, bad := range []float64{0, 1, -0.2, 1.5} {
		if _, err := AssumptionFactors(st, bad, ""); err == nil {
			t.Errorf("factor %g accepted", bad)
		}
	}
}

func TestParseFactor(t *testing.T) {
	cases := []struct {
		arg  string
		want Factor
		err  string
	}{
		{"c2.salvo=1,3", Factor{Path: "c2.salvo", Low: "1", High: "3"}, ""},
		{"raids[0].count=10:30:20", Factor{Path: "raids[0].count", Low: "10", High: "30"}, ""},
		{"c2.salvo=2", Factor{}, "expected two values, LOW,HIGH"},
		{"c2.salvo=1,2,3", Factor{}, "found 3"},
		{"c2.salvo", Factor{}, "PATH=VALUES"},
	}
	for _, c := range cases {
		got, err := ParseFactor(c.arg)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want %q", c.arg, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: %+v, %v", c.arg, got, err)
		}
	}
}

// TestSensitivity: each factor's effects are those compare gives for the same variant; a
// factor that changes nothing has no effect in any replication (common random numbers), and
// a variant the format refuses is skipped, not run.
func TestSensitivity(t *testing.T) {
	st := loadSmall(t)
	factors := []Factor{
		{Path: "catalog.systems[pantsir-s1].weapons[57e6].pk0.drone", Low: "0.05", High: "0.95"},
		{Path: "description", Low: "a", High: "b"},
		{Path: "catalog.systems[pantsir-s1].radar.ref_pd", Low: "0.5", High: "1.5"},
	}
	reps := Range{End: 12}
	var lastDone, lastTotal uint64
	effects, err := Sensitivity(context.Background(), st, factors, Local{}, reps, func(done, total uint64) { lastDone, lastTotal = done, total })
	if err != nil {
		t.Fatal(err)
	}
	if len(effects) != 3 || lastTotal != 12*(1+5) || lastDone != lastTotal {
		t.Fatalf("%d effects, progress %d of %d; want 3 and 72 of 72", len(effects), lastDone, lastTotal)
	}
	pk := effects[0]
	if pk.Low == nil || pk.High == nil || pk.Low.ValueLost.Diff.Est <= 0 || pk.High.ValueLost.Diff.Est >= 0 || !pk.Low.ValueLost.Significant() {
		t.Errorf("pk0 0.05 should lose more and 0.95 less: %+v, %+v", pk.Low.ValueLost, pk.High.ValueLost)
	}
	direct, err := st.With(factors[0].Path, factors[0].Low)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compare(context.Background(), st, direct, Local{}, reps, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(c)
	b, _ := json.Marshal(pk.Low)
	if string(a) != string(b) {
		t.Errorf("the low effect differs from adsim compare's:\n%s\n%s", b, a)
	}
	none := effects[1]
	for _, side := range []*Comparison{none.Low, none.High} {
		if side == nil || side.ValueLost.Diff != (Interval{}) || side.Interceptors.Diff != (Interval{}) {
			t.Errorf("a field that changes nothing had an effect: %+v", side)
		}
	}
	pd := effects[2]
	if pd.Low == nil || pd.High != nil || len(pd.Skipped) != 1 || !strings.Contains(pd.Skipped[0], "high 1.5") {
		t.Errorf("ref_pd 1.5 should be skipped: low %v, high %v, skipped %q", pd.Low != nil, pd.High != nil, pd.Skipped)
	}
}

func TestCheckFactors(t *testing.T) {
	st := loadSmall(t)
	if err := CheckFactors(st, []Factor{{Path: "c2.salvo", Low: "1", High: "3"}, {Path: "raids[0].count", Low: "2", High: "4"}}); err != nil {
		t.Error(err)
	}
	if err := CheckFactors(st, []Factor{{Path: "raids[0].count", Low: "2", High: "-4"}}); err == nil || !strings.Contains(err.Error(), "raids[0].count=-4 makes the scenario invalid") {
		t.Errorf("an invalid value: %v", err)
	}
	if err := CheckFactors(st, []Factor{{Path: "c2.salvo", Low: "1", High: "3"}, {Path: "c2.salvo", Low: "2", High: "4"}}); err == nil || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("a path twice: %v", err)
	}
}

// An interrupted sensitivity study keeps the factors complete.
func TestSensitivityInterrupted(t *testing.T) {
	st := loadSmall(t)
	factors := []Factor{{Path: "c2.salvo", Low: "1", High: "3"}, {Path: "raids[0].count", Low: "4", High: "8"}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	effects, err := Sensitivity(ctx, st, factors, Local{Workers: 1}, Range{End: 6}, func(done, total uint64) {
		if done == 6*3+2 { // the baseline, the first factor's two variants, two of the next
			cancel()
		}
	})
	var in *Interrupted
	if !errors.As(err, &in) || len(effects) != 1 || effects[0].Path != "c2.salvo" || effects[0].High == nil {
		t.Fatalf("error %v, %d effects; want an interruption with the first factor complete", err, len(effects))
	}
}
