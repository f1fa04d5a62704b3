package mc

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/adsim/adsim/scenario"
)

// Factor is one input of a one-at-a-time sensitivity study: a scenario field (a path, as
// for --set) set to a low and to a high value, everything else as in the baseline.
type Factor struct {
	Path string `json:"path"`
	Base string `json:"base,omitempty"` // the baseline's value, for the reader ("" when not known)
	Low  string `json:"low"`
	High string `json:"high"`
}

// Effect is what one factor's low and high values change against the baseline, each paired
// with it replication by replication on common random numbers (Baseline.Compare). Low or
// High is nil when that value did not run; Skipped says why. LowStudy and HighStudy are the
// fingerprints of the variants run (Study.Fingerprint), so that a saved effect is taken again
// only for the same variant.
type Effect struct {
	Factor
	Low       *Comparison `json:"effect_low"`
	High      *Comparison `json:"effect_high"`
	Skipped   []string    `json:"skipped,omitempty"`
	LowStudy  string      `json:"low_fingerprint,omitempty"`
	HighStudy string      `json:"high_fingerprint,omitempty"`
}

// key identifies a factor among saved effects: its path and both values.
func (f Factor) key() string { return f.Path + "=" + f.Low + "," + f.High }

// SensitivityHooks are what a caller of Sensitivity may do between and during factors.
type SensitivityHooks struct {
	// Progress, if set, receives the replications done and the total, reps.Len() × (1 + the
	// variants to run); a study whose factors are all saved runs none.
	Progress func(done, total uint64)
	// Saved, if set, holds the effects of an earlier run of the same study with the same
	// baseline (SensitivityFile.SavedEffects): a factor found there, whose variants have the
	// fingerprints it records, is taken as it is.
	Saved map[string]*Effect
	// Done, if set, is called after each factor is complete (run or saved) with the effects
	// complete so far, in order; an error stops the study.
	Done func(effects []Effect) error
	// Strict refuses, before anything runs, a factor whose value the scenario format refuses
	// or whose path is given twice (factors a user wrote), with an error wrapping
	// ErrInvalidSetting; without it such a side is skipped (factors made by
	// AssumptionFactors, where ± a fraction can leave a figure's range).
	Strict bool
}

// Sensitivity runs the baseline's replications reps once, then each factor's low and high
// variants on the same replications, and returns each factor's effects, in the order given,
// each factor with its baseline value (Study.ValueAt where the factor has none).
// A variant the scenario format refuses is not run: its side is nil and the reason is in
// Skipped (or, with hooks.Strict, the study stops before running). Interrupted (ctx
// cancelled), it returns the factors complete so far with an error wrapping *Interrupted.
// reused counts the factors taken from hooks.Saved. reps must hold at least MinPairs
// replications: every effect is a paired comparison.
func Sensitivity(ctx context.Context, base *Study, factors []Factor, exec Executor, reps Range,
	hooks SensitivityHooks) (effects []Effect, reused int, err error) {
	if reps.Len() < MinPairs {
		return nil, 0, fmt.Errorf("sensitivity: %w", errFewPairs(reps.Len()))
	}
	type variant struct {
		st    *Study
		out   **Comparison
		print *string
	}
	effects = make([]Effect, len(factors))
	runs := make([][]variant, len(factors))
	total := uint64(0)
	seen := map[string]string{} // the first path given, by its canonical form
	for i, f := range factors {
		// raids[0] and raids[its-id] are one field: compared as such (CanonicalPath).
		p := base.CanonicalPath(f.Path)
		if first, ok := seen[p]; hooks.Strict && ok {
			if first == f.Path {
				return nil, 0, &invalidSetting{fmt.Errorf("%s is given twice: give each field once", f.Path)}
			}
			return nil, 0, &invalidSetting{fmt.Errorf("%s and %s both set %s: give each field once", first, f.Path, p)}
		}
		seen[p] = f.Path
		if f.Base == "" {
			// A factor written as PATH=LOW,HIGH: its baseline is the scenario's value there,
			// as AssumptionFactors gives a figure's. A path that names no value is "" here;
			// WithSettings below says what is wrong with it.
			f.Base, _ = base.ValueAt(f.Path)
		}
		e := &effects[i]
		e.Factor = f
		var vs []variant
		for _, side := range []struct {
			value string
			out   **Comparison
			print *string
			name  string
		}{{f.Low, &e.Low, &e.LowStudy, "low"}, {f.High, &e.High, &e.HighStudy, "high"}} {
			st, err := base.WithSettings([]Setting{{f.Path, side.value}})
			if err != nil && hooks.Strict {
				return nil, 0, err
			}
			if err != nil {
				e.Skipped = append(e.Skipped, fmt.Sprintf("%s %s: %v", side.name, side.value, err))
				continue
			}
			vs = append(vs, variant{st, side.out, side.print})
		}
		if old := hooks.Saved[f.key()]; old != nil && sameVariants(old, vs, func(v variant) string { return v.st.Fingerprint() }) {
			*e = *old
			e.Base = f.Base // saved before the baseline was filled in, or the same
			reused++
			continue
		}
		runs[i] = vs
		total += uint64(len(vs))
	}
	done, total := uint64(0), reps.Len()*(1+total)
	prog := func(d uint64) {
		if hooks.Progress != nil {
			hooks.Progress(done+d, total)
		}
	}
	var bl *Baseline
	if reused < len(factors) {
		if bl, err = RunBaseline(ctx, base, exec, reps, prog); err != nil {
			return nil, 0, err
		}
		done += reps.Len()
	}
	for i := range factors {
		for _, v := range runs[i] {
			c, err := bl.Compare(ctx, v.st, exec, prog)
			var in *Interrupted
			if errors.As(err, &in) {
				return effects[:i], reused, fmt.Errorf("%s: %w", factors[i].Path, err)
			}
			if err != nil {
				return nil, reused, fmt.Errorf("%s: %w", factors[i].Path, err)
			}
			*v.out, *v.print = c, v.st.Fingerprint()
			done += reps.Len()
		}
		if hooks.Done != nil {
			if err := hooks.Done(effects[:i+1]); err != nil {
				return effects[:i+1], reused, err
			}
		}
	}
	return effects, reused, nil
}

// sameVariants reports whether a saved effect ran exactly the variants now prepared: the same
// sides, with the same study fingerprints.
func sameVariants[V any](old *Effect, vs []V, print func(V) string) bool {
	var want []string
	for _, s := range []string{old.LowStudy, old.HighStudy} {
		if s != "" {
			want = append(want, s)
		}
	}
	if len(want) != len(vs) || (old.LowStudy != "") != (old.Low != nil) || (old.HighStudy != "") != (old.High != nil) {
		return false
	}
	for k, v := range vs {
		if print(v) != want[k] {
			return false
		}
	}
	return true
}

// SensitivityJSON is the file of a sensitivity study's results in its output directory.
const SensitivityJSON = "sensitivity.json"

// SensitivityFormat is the format tag of sensitivity.json.
const SensitivityFormat = "adsim-sensitivity/1"

// SensitivityFile is sensitivity.json: the study and the effects of the factors complete so
// far. Like sweep.json it is rewritten (by rename) after every factor, and the same study run
// again takes the saved factors (SavedEffects) and runs only the others.
type SensitivityFile struct {
	Format   string `json:"format"`
	Scenario string `json:"scenario"`
	Seed     uint64 `json:"seed"`
	// Baseline is the fingerprint of the baseline study: effects are paired with its
	// replications, so they are taken again only for the same baseline.
	Baseline     string   `json:"baseline_fingerprint"`
	Replications uint64   `json:"replications"`
	Metric       string   `json:"metric"`
	Planned      int      `json:"planned_factors"`
	Complete     bool     `json:"complete"`
	Engine       Engine   `json:"engine"`
	Factors      []Effect `json:"factors"`
}

// WriteSensitivityFile writes dir/sensitivity.json whole (a temporary file renamed over it).
func WriteSensitivityFile(dir string, f *SensitivityFile) error {
	f.Format = SensitivityFormat
	return writeWhole(nil, dir, SensitivityJSON, f)
}

// ReadSensitivityFile reads dir/sensitivity.json; a missing file is an error wrapping
// os.ErrNotExist. Every saved factor is checked as it is read (SensitivityFile.check), as
// ReadSweepFile checks a sweep's points: a file edited by hand or damaged would otherwise be
// ranked, plotted and written again as results. What is wrong is an error at the file's line
// and column, naming the field and what was expected.
func ReadSensitivityFile(dir string) (*SensitivityFile, error) {
	var f SensitivityFile
	path, data, err := readDoc(dir, SensitivityJSON, &f, func() string { return f.Format }, SensitivityFormat)
	if err != nil {
		return nil, err
	}
	if bad := f.check(); bad != nil {
		return nil, fmt.Errorf("%s:%s: %s: %s (was the file edited?)", path, lineCol(data, valueOffset(data, bad.at...)), jsonPath(bad.at), bad.msg)
	}
	return &f, nil
}

// check returns the first value of the file that no study could have written, or nil: -n
// below MinPairs, more factors than planned, a factor without a path, a side with an effect
// but no fingerprint of its variant or the reverse, and in each effect replications other
// than the file's -n, another seed, or a paired result out of range (pairedCheck).
func (f *SensitivityFile) check() *badValue {
	bad := func(msg string, at ...any) *badValue { return &badValue{at, msg} }
	switch {
	case f.Replications < MinPairs:
		return bad(fmt.Sprintf("replications %d; expected -n, at least %d (every effect is a paired comparison)", f.Replications, MinPairs), "replications")
	case len(f.Factors) > f.Planned:
		return bad(fmt.Sprintf("planned_factors %d, but the file holds %d factors; expected at least as many as it holds", f.Planned, len(f.Factors)), "planned_factors")
	}
	for i, e := range f.Factors {
		if e.Path == "" {
			return bad("no path; expected the scenario field the factor sets", "factors", i, "path")
		}
		for _, side := range []struct {
			name, printName string
			c               *Comparison
			print           string
		}{{"effect_low", "low_fingerprint", e.Low, e.LowStudy}, {"effect_high", "high_fingerprint", e.High, e.HighStudy}} {
			switch {
			case side.c == nil && side.print != "":
				return bad(fmt.Sprintf("a fingerprint without %s; expected both or neither (a side not run has neither)", side.name), "factors", i, side.printName)
			case side.c != nil && side.print == "":
				return bad(fmt.Sprintf("an effect without %s; expected both or neither (a side not run has neither)", side.printName), "factors", i, side.name)
			case side.c == nil:
				continue
			case side.c.Replications != int64(f.Replications):
				return bad(fmt.Sprintf("%d; expected the file's -n, %d", side.c.Replications, f.Replications), "factors", i, side.name, "replications")
			case side.c.Seed != f.Seed:
				return bad(fmt.Sprintf("%d; expected the file's seed %d", side.c.Seed, f.Seed), "factors", i, side.name, "seed")
			}
			if b := pairedCheck(side.c, "factors", i, side.name); b != nil {
				return b
			}
		}
	}
	return nil
}

// pairedCheck returns the first paired result of c, at its path after prefix, that no
// comparison could have given: a mean of a proportion outside [0, 1] or of a count or cost
// below 0, a difference not ordered lo ≤ est ≤ hi within its range (stepIntervals), or a
// p-value outside [0, 1]. An undefined mean or p-value (null: NaN) is left as it is.
func pairedCheck(c *Comparison, prefix ...any) *badValue {
	if b := checkIntervals(stepIntervals(c), prefix...); b != nil {
		return b
	}
	type paired struct {
		at   []any
		r    PairedResult
		prop bool
	}
	rs := []paired{{[]any{"value_lost"}, c.ValueLost, false}, {[]any{"leakers"}, c.Leakers, false}, {[]any{"leak_rate"}, c.LeakRate, true},
		{[]any{"interceptors_fired"}, c.Interceptors, false}, {[]any{"defence_cost_usd"}, c.DefenceCost, false}, {[]any{"p_any_leak"}, c.AnyLeak, true}}
	for i, a := range c.Assets {
		rs = append(rs, paired{[]any{"assets", i, "p_hit"}, a.Hit, true}, paired{[]any{"assets", i, "value_lost"}, a.ValueLost, false})
	}
	for _, r := range rs {
		at := append(slices.Clip(prefix), r.at...)
		for _, m := range []struct {
			key string
			v   float64
		}{{"a", r.r.A}, {"b", r.r.B}} {
			switch {
			case math.IsNaN(m.v):
			case r.prop && (m.v < 0 || m.v > 1):
				return &badValue{append(at, m.key), fmt.Sprintf("%g; expected %s", m.v, proportion)}
			case !r.prop && (m.v < 0 || math.IsInf(m.v, 0)):
				return &badValue{append(at, m.key), fmt.Sprintf("%g; expected a mean count or cost of at least 0", m.v)}
			}
		}
		if p := r.r.P; !math.IsNaN(p) && (p < 0 || p > 1) {
			return &badValue{append(at, "p"), fmt.Sprintf("%g; expected a p-value, from 0 to 1", p)}
		}
	}
	return nil
}

// SavedEffects returns the effects of f that a study run now with want's baseline, seed,
// replications and engine can take (keyed for SensitivityHooks.Saved); why says why none can
// be ("" when some may). Sensitivity checks each factor's variants too.
func (f *SensitivityFile) SavedEffects(want *SensitivityFile) (saved map[string]*Effect, why string) {
	switch {
	case CurrentEngine().Check(f.Engine) != nil:
		return nil, CurrentEngine().Check(f.Engine).Error()
	case f.Baseline != want.Baseline || f.Seed != want.Seed:
		return nil, "another baseline (scenario, settings or seed)"
	case f.Replications != want.Replications:
		return nil, fmt.Sprintf("-n %d, not %d", f.Replications, want.Replications)
	}
	saved = make(map[string]*Effect, len(f.Factors))
	for i := range f.Factors {
		saved[f.Factors[i].key()] = &f.Factors[i]
	}
	return saved, ""
}

// NotIn lists the saved factors that are not among factors (by path and both values), each
// as "PATH=LOW,HIGH", in the file's order: a study run again with fewer factors writes only
// its own, and the caller says which it leaves out.
func (f *SensitivityFile) NotIn(factors []Factor) []string {
	want := make(map[string]bool, len(factors))
	for _, x := range factors {
		want[x.key()] = true
	}
	var out []string
	for _, e := range f.Factors {
		if !want[e.key()] {
			out = append(out, e.key())
		}
	}
	return out
}

// AssumptionFactors lists a factor for every catalog figure that is an assumption (it has no
// source) in the classes the study uses: its fire units' systems and its raids' threats
// (with the stand-off weapons of aircraft). Each figure is moved by ± frac of its value:
// figures of a probability (pk, pk0, pk_given_hit, ref_pd, pfa) stay within [0, 1], counts
// (channels, magazines, rounds per burst, stand-off weapons) stay whole and at least 1, and
// move by at least one. Figures that are 0, or that frac leaves unchanged, have no factor.
// Only paths containing match are kept ("": all). The factors are in catalog order, each with
// its baseline value.
func AssumptionFactors(st *Study, frac float64, match string) ([]Factor, error) {
	if !(frac > 0 && frac < 1) {
		return nil, fmt.Errorf("the factor %g: expected a fraction in (0, 1), e.g. 0.25 for ±25 %%", frac)
	}
	s, cat := st.Scenario(), st.cat
	var systems, threats []string
	for _, u := range s.FireUnits {
		if !slices.Contains(systems, u.Class) {
			systems = append(systems, u.Class)
		}
	}
	for _, r := range s.Raids {
		for c := r.Class; c != "" && !slices.Contains(threats, c); {
			threats = append(threats, c)
			tc, ok := cat.Threat(c)
			if !ok {
				break
			}
			c = tc.StandOffClass
		}
	}
	var out []Factor
	for _, fp := range CatalogFigures(cat, append(systems, threats...)...) {
		path, f := fp.Path, &fp.Figure
		if f.Source != "" || f.Value == 0 || math.IsNaN(f.Value) || (match != "" && !strings.Contains(path, match)) {
			continue
		}
		lo, hi := f.Value*(1-frac), f.Value*(1+frac)
		if probability(path) {
			lo, hi = math.Max(0, lo), math.Min(1, hi)
		}
		if wholeNumber(path) {
			lo, hi = math.Max(1, math.Round(lo)), math.Round(hi)
			if lo == f.Value && f.Value > 1 {
				lo--
			}
			if hi == f.Value {
				hi++
			}
		}
		if lo == f.Value && hi == f.Value {
			continue
		}
		out = append(out, Factor{Path: path, Base: figureText(f.Value), Low: figureText(lo), High: figureText(hi)})
	}
	return out, nil
}

// figureText is a number as a factor's values are written: 6 significant digits, enough to
// tell the low, baseline and high values apart and short enough for a table.
func figureText(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

// FigurePath is one figure of a catalog class with the path that names it for --set
// (catalog.systems[pantsir-s1].weapons[57e6].pk0.drone).
type FigurePath struct {
	Path string
	scenario.Figure
}

// CatalogFigures lists every figure the named classes of cat give (all classes when none is
// named; a name that is no class is passed over), systems before threats in catalog order,
// each class's figures in the order of the catalog format, tables by sorted key. Optional
// figures a class leaves out are not listed.
func CatalogFigures(cat *scenario.Catalog, classes ...string) []FigurePath {
	var out []FigurePath
	add := func(path string, f *scenario.Figure) {
		// A zero figure with no provenance is one the class does not give (an optional group
		// left out: a pop-up end game, stand-off weapons). A catalog file's figures all have
		// provenance; a scenario's catalog section may give plain numbers (assumptions).
		if f.Value != 0 || f.Source != "" || f.Assumption != "" {
			out = append(out, FigurePath{path, *f})
		}
	}
	for i := range cat.Systems {
		if c := &cat.Systems[i]; len(classes) == 0 || slices.Contains(classes, c.ID) {
			walkFigures(reflect.ValueOf(c).Elem(), "catalog.systems["+c.ID+"]", add)
		}
	}
	for i := range cat.Threats {
		if c := &cat.Threats[i]; len(classes) == 0 || slices.Contains(classes, c.ID) {
			walkFigures(reflect.ValueOf(c).Elem(), "catalog.threats["+c.ID+"]", add)
		}
	}
	return out
}

// wholeNumber reports whether the figure at path counts things (the validator wants whole
// numbers there).
func wholeNumber(path string) bool {
	for _, p := range []string{".fire_channels", ".magazine", ".burst_rounds", ".standoff_count"} {
		if strings.HasSuffix(path, p) {
			return true
		}
	}
	return false
}

// probability reports whether the figure at path is a probability.
func probability(path string) bool {
	for _, p := range []string{".pk.", ".pk0.", ".pk_given_hit.", ".ref_pd", ".pfa"} {
		if strings.Contains(path, p) {
			return true
		}
	}
	return false
}

// walkFigures calls fn with the path of every Figure in v (a catalog class, its radar, its
// weapons by id and its tables by key, in field order and sorted keys).
func walkFigures(v reflect.Value, path string, fn func(string, *scenario.Figure)) {
	if v.Type() == figureType {
		fn(path, v.Addr().Interface().(*scenario.Figure))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			if !t.Field(i).IsExported() {
				continue
			}
			name, inline := yamlName(t.Field(i))
			if name == "-" {
				continue
			}
			if inline {
				walkFigures(v.Field(i), path, fn)
				continue
			}
			walkFigures(v.Field(i), path+"."+name, fn)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			e := v.Index(i)
			if e.Kind() != reflect.Struct {
				continue
			}
			if id, ok := fieldByYAML(e, "id"); ok && id.Kind() == reflect.String {
				walkFigures(e, path+"["+id.String()+"]", fn)
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			walkFigures(e, path+"."+k.String(), fn)
		}
	}
}
