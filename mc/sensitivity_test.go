package mc

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
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
	effects, _, err := Sensitivity(context.Background(), st, factors, Local{}, reps, SensitivityHooks{Progress: func(done, total uint64) { lastDone, lastTotal = done, total }})
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
		if side == nil || side.ValueLost.Diff.Est != 0 || side.ValueLost.P != 1 || side.Interceptors.Diff.Est != 0 ||
			side.Interceptors.P != 1 || side.Interceptors.Diff.Lo != -side.Interceptors.Diff.Hi || !(side.Interceptors.Diff.Hi > 0) {
			t.Errorf("a field that changes nothing had an effect: %+v", side)
		}
	}
	pd := effects[2]
	if pd.Low == nil || pd.High != nil || len(pd.Skipped) != 1 || !strings.Contains(pd.Skipped[0], "high 1.5") {
		t.Errorf("ref_pd 1.5 should be skipped: low %v, high %v, skipped %q", pd.Low != nil, pd.High != nil, pd.Skipped)
	}
}

// With Strict, factors a user wrote are refused before anything runs when a value makes the
// scenario invalid or a path comes twice; the errors wrap ErrInvalidSetting.
func TestSensitivityStrict(t *testing.T) {
	st := loadSmall(t)
	ran := false
	strict := SensitivityHooks{Strict: true, Progress: func(done, total uint64) { ran = true }}
	cases := []struct {
		factors []Factor
		err     string
	}{
		{[]Factor{{Path: "raids[0].count", Low: "2", High: "-4"}}, "raids[0].count=-4 makes the scenario invalid"},
		{[]Factor{{Path: "raids[0].cnt", Low: "2", High: "4"}}, `has no field "cnt"`},
		{[]Factor{{Path: "c2.salvo", Low: "1", High: "3"}, {Path: "c2.salvo", Low: "2", High: "4"}}, "given twice"},
		{[]Factor{{Path: "raids[drones].count", Low: "1", High: "3"}, {Path: "raids[0].count", Low: "2", High: "4"}},
			"raids[drones].count and raids[0].count both set raids[0].count"},
	}
	for _, c := range cases {
		_, _, err := Sensitivity(context.Background(), st, c.factors, Local{}, Range{End: 2}, strict)
		if err == nil || !strings.Contains(err.Error(), c.err) || !errors.Is(err, ErrInvalidSetting) || ran {
			t.Errorf("%+v: error %v (ran %v), want one containing %q wrapping ErrInvalidSetting, before running", c.factors, err, ran, c.err)
		}
	}
}

// An interrupted sensitivity study keeps the factors complete.
func TestSensitivityInterrupted(t *testing.T) {
	st := loadSmall(t)
	factors := []Factor{{Path: "c2.salvo", Low: "1", High: "3"}, {Path: "raids[0].count", Low: "4", High: "8"}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	effects, _, err := Sensitivity(ctx, st, factors, Local{Workers: 1}, Range{End: 6}, SensitivityHooks{Progress: func(done, total uint64) {
		if done == 6*3+2 { // the baseline, the first factor's two variants, two of the next
			cancel()
		}
	}})
	var in *Interrupted
	if !errors.As(err, &in) || len(effects) != 1 || effects[0].Path != "c2.salvo" || effects[0].High == nil {
		t.Fatalf("error %v, %d effects; want an interruption with the first factor complete", err, len(effects))
	}
}

// A sensitivity study saves each factor as it completes; run again, it takes the saved factors
// and runs the others, to the effects of one uninterrupted study. A saved factor is not taken
// for another baseline, -n or engine, nor when its variants differ.
func TestSensitivityGoesOn(t *testing.T) {
	st := loadSmall(t)
	factors := []Factor{{Path: "c2.salvo", Low: "1", High: "3"}, {Path: "raids[0].count", Low: "4", High: "8"},
		{Path: "catalog.systems[pantsir-s1].radar.ref_pd", Low: "0.5", High: "1.5"}}
	reps := Range{End: 5}
	want, _, err := Sensitivity(context.Background(), st, factors, Local{}, reps, SensitivityHooks{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	spec := SensitivityFile{Scenario: "small", Seed: st.Seed, Baseline: st.Fingerprint(), Replications: 5, Planned: 3, Engine: CurrentEngine()}
	save := func(es []Effect) error {
		f := spec
		f.Factors = es
		return WriteSensitivityFile(dir, &f)
	}
	// As if stopped after the first two factors.
	if _, _, err := Sensitivity(context.Background(), st, factors[:2], Local{}, reps, SensitivityHooks{Done: save}); err != nil {
		t.Fatal(err)
	}
	f, err := ReadSensitivityFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	saved, why := f.SavedEffects(&spec)
	if why != "" || len(saved) != 2 {
		t.Fatalf("%d saved effects (%s), want 2", len(saved), why)
	}
	ran := uint64(0)
	got, reused, err := Sensitivity(context.Background(), st, factors, Local{}, reps, SensitivityHooks{Saved: saved, Done: save,
		Progress: func(done, total uint64) { ran = total }})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(want)
	b, _ := json.Marshal(got)
	if reused != 2 || string(a) != string(b) || ran != 5*(1+1) {
		t.Errorf("resumed: %d reused, same effects %v, %d replications planned; want 2, true, 10", reused, string(a) == string(b), ran)
	}
	// All saved: nothing runs, not even the baseline.
	f, _ = ReadSensitivityFile(dir)
	saved, _ = f.SavedEffects(&spec)
	ran = 99
	if _, reused, err := Sensitivity(context.Background(), st, factors, Local{}, reps, SensitivityHooks{Saved: saved,
		Progress: func(done, total uint64) { ran = total }}); err != nil || reused != 3 || ran != 99 {
		t.Errorf("all saved: reused %d, progress total %d (%v); want 3 and no run", reused, ran, err)
	}
	// Other variants of a saved factor (the base catalog's class changed by a fixed setting).
	other, err := st.With("catalog.systems[pantsir-s1].radar.ref_range_km", "30")
	if err != nil {
		t.Fatal(err)
	}
	if _, reused, err := Sensitivity(context.Background(), other, factors[2:], Local{}, reps, SensitivityHooks{Saved: saved}); err != nil || reused != 0 {
		t.Errorf("other variants took %d saved factors (%v)", reused, err)
	}
	// Nothing for another baseline or -n, nor from another build.
	for _, c := range []struct {
		name string
		edit func(saved, want *SensitivityFile)
	}{
		{"baseline", func(_, w *SensitivityFile) { w.Baseline = "0000" }},
		{"-n", func(_, w *SensitivityFile) { w.Replications = 6 }},
		{"engine", func(s, _ *SensitivityFile) { s.Engine.Build = "v9" }},
	} {
		old, w := *f, spec
		c.edit(&old, &w)
		if s, why := old.SavedEffects(&w); s != nil || why == "" {
			t.Errorf("%s: saved effects were offered", c.name)
		}
	}
}

// FuzzReadSensitivityFile: any sensitivity.json bytes give a file of the current format whose
// sides all have fingerprints, or an error naming the file; never a panic.
func FuzzReadSensitivityFile(f *testing.F) {
	f.Add([]byte(`{"format":"adsim-sensitivity/1","factors":[{"path":"c2.salvo","low":"1","high":"2","effect_low":{"replications":3},"low_fingerprint":"ab"}]}`))
	f.Add([]byte(`{"format":"adsim-sensitivity/1","factors":[{"effect_low":{}}]}`))
	f.Add([]byte(`{"format":"x"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sf := readFuzzed(t, SensitivityJSON, data, ReadSensitivityFile)
		if sf == nil {
			return
		}
		for _, e := range sf.Factors {
			if (e.Low == nil) != (e.LowStudy == "") || (e.High == nil) != (e.HighStudy == "") {
				t.Fatal("a side without its fingerprint was accepted")
			}
		}
		if saved, _ := sf.SavedEffects(sf); len(saved) > len(sf.Factors) {
			t.Fatal("more saved effects than factors")
		}
	})
}

// A class in the scenario's own catalog section, with plain numbers (assumptions without a
// text), has its figures listed and made factors; optional figures it leaves out do not.
func TestAssumptionFactorsOfAScenarioClass(t *testing.T) {
	st := loadSmall(t)
	src := string(st.Source) + `catalog:
  threats:
    - id: shahed-136
      name: Slow drone
      category: drone
      speed_kmh: 120
      cruise_alt_m: 60
      range_km: 800
      rcs_m2: 0.05
      warhead_kg: 30
`
	own, err := NewStudy("own.yaml", []byte(src), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := AssumptionFactors(own, 0.5, "threats[shahed-136]")
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range fs {
		paths = append(paths, f.Path+"="+f.Base)
	}
	want := []string{"catalog.threats[shahed-136].speed_kmh=120", "catalog.threats[shahed-136].cruise_alt_m=60",
		"catalog.threats[shahed-136].range_km=800", "catalog.threats[shahed-136].rcs_m2=0.05", "catalog.threats[shahed-136].warhead_kg=30"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Errorf("factors of the scenario's class:\n%v\nwant\n%v", paths, want)
	}
}

// TestReadSensitivityFileChecksFactors: a saved factor is checked as it is read, as a sweep's
// points are: a value no study could have written (a file edited by hand or damaged) is an
// error at its line and column naming the field and what was expected, and the file is never
// taken as results.
func TestReadSensitivityFileChecksFactors(t *testing.T) {
	st := loadSmall(t)
	factors := []Factor{{Path: "c2.salvo", Low: "1", High: "3"}, {Path: "raids[0].count", Low: "4", High: "8"}}
	effects, _, err := Sensitivity(context.Background(), st, factors, Local{}, Range{End: 5}, SensitivityHooks{})
	if err != nil {
		t.Fatal(err)
	}
	if len(effects[0].Low.Assets) == 0 {
		t.Fatal("no asset to check")
	}
	dir := t.TempDir()
	valid := SensitivityFile{Scenario: "small", Seed: st.Seed, Baseline: st.Fingerprint(), Replications: 5, Planned: 2,
		Engine: CurrentEngine(), Factors: effects}
	if err := WriteSensitivityFile(dir, &valid); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadSensitivityFile(dir); err != nil {
		t.Fatalf("a study's own file: %v", err)
	}
	for _, c := range []struct {
		name  string
		edit  func(f *SensitivityFile)
		field string // the JSON path named
		want  string // what the message says
		found string // the text at the line and column given
	}{
		{"a baseline rate of 150 %", func(f *SensitivityFile) { f.Factors[0].Low.LeakRate.A = 1.5 },
			"factors[0].effect_low.leak_rate.a", "1.5; expected a proportion, from 0 to 1", "1.5"},
		{"a variant's P(hit) below 0", func(f *SensitivityFile) { f.Factors[1].High.Assets[0].Hit.B = -0.25 },
			"factors[1].effect_high.assets[0].p_hit.b", "-0.25; expected a proportion", "-0.25"},
		{"a negative mean cost", func(f *SensitivityFile) { f.Factors[0].High.DefenceCost.B = -3 },
			"factors[0].effect_high.defence_cost_usd.b", "-3; expected a mean count or cost of at least 0", "-3"},
		{"a p-value of 2", func(f *SensitivityFile) { f.Factors[1].Low.ValueLost.P = 2 },
			"factors[1].effect_low.value_lost.p", "2; expected a p-value, from 0 to 1", "2"},
		{"a p-value below 0", func(f *SensitivityFile) { f.Factors[0].Low.AnyLeak.P = -0.5 },
			"factors[0].effect_low.p_any_leak.p", "-0.5; expected a p-value", "-0.5"},
		{"lo above est", func(f *SensitivityFile) { f.Factors[0].Low.ValueLost.Diff = Interval{Est: 5, Lo: 6, Hi: 7} },
			"factors[0].effect_low.value_lost.diff.lo", "6 with est 5; expected a lower bound", "6"},
		{"hi below est", func(f *SensitivityFile) { f.Factors[1].High.Interceptors.Diff = Interval{Est: 5, Lo: 4, Hi: 4.5} },
			"factors[1].effect_high.interceptors_fired.diff.hi", "4.5 with est 5; expected an upper bound", "4.5"},
		{"a difference of rates beyond 1", func(f *SensitivityFile) { f.Factors[0].High.LeakRate.Diff = Interval{Est: 3, Lo: 2, Hi: 4} },
			"factors[0].effect_high.leak_rate.diff.est", "3; expected a difference of proportions, from -1 to 1", "3"},
		{"fewer replications than -n", func(f *SensitivityFile) { f.Factors[1].Low.Replications = 3 },
			"factors[1].effect_low.replications", "3; expected the file's -n, 5", "3"},
		{"another seed", func(f *SensitivityFile) { f.Factors[0].High.Seed++ },
			"factors[0].effect_high.seed", "expected the file's seed", ""},
		{"an effect without its fingerprint", func(f *SensitivityFile) { f.Factors[1].LowStudy = "" },
			"factors[1].effect_low", "an effect without low_fingerprint; expected both or neither", "{"},
		{"a fingerprint without its effect", func(f *SensitivityFile) { f.Factors[0].High = nil },
			"factors[0].high_fingerprint", "a fingerprint without effect_high", `"`},
		{"no path", func(f *SensitivityFile) { f.Factors[1].Path = "" },
			"factors[1].path", "no path; expected the scenario field", `""`},
		{"more factors than planned", func(f *SensitivityFile) { f.Planned = 1 },
			"planned_factors", "planned_factors 1, but the file holds 2 factors", "1"},
		{"-n of 1", func(f *SensitivityFile) { f.Replications = 1 },
			"replications", "replications 1; expected -n, at least 2", "1"},
	} {
		f, err := ReadSensitivityFile(dir)
		if err != nil {
			t.Fatal(err)
		}
		c.edit(f)
		bad := t.TempDir()
		if err := WriteSensitivityFile(bad, f); err != nil {
			t.Fatal(err)
		}
		_, err = ReadSensitivityFile(bad)
		errorAt(t, c.name, err, filepath.Join(bad, SensitivityJSON), c.field, c.want, c.found)
	}
}
