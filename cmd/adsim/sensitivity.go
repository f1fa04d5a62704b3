package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/adsim/adsim/mc"
	"github.com/adsim/adsim/report"
	"github.com/adsim/adsim/scenario"
)

// pairedMetric is a metric of a paired comparison a sensitivity study ranks factors by.
type pairedMetric = metric[mc.Comparison, mc.PairedResult]

var pairedMetrics = []pairedMetric{
	{"value_lost", "asset value lost per replication", 1, func(c *mc.Comparison) mc.PairedResult { return c.ValueLost }},
	{"leak_rate", "leak rate (points of % launched)", 100, func(c *mc.Comparison) mc.PairedResult { return c.LeakRate }},
	{"p_any_leak", "P(at least one leaker) (points of %)", 100, func(c *mc.Comparison) mc.PairedResult { return c.AnyLeak }},
	{"leakers", "leakers per replication", 1, func(c *mc.Comparison) mc.PairedResult { return c.Leakers }},
	{"leakers_untracked", "leakers never tracked, per replication", 1, func(c *mc.Comparison) mc.PairedResult { return c.LeakersUntracked }},
	{"leakers_no_shot", "leakers nothing was fired at, per replication", 1, func(c *mc.Comparison) mc.PairedResult { return c.LeakersNoShot }},
	{"interceptors_fired", "interceptors fired per replication", 1, func(c *mc.Comparison) mc.PairedResult { return c.Interceptors }},
	{"defence_cost_usd", "defence cost per replication ($)", 1, func(c *mc.Comparison) mc.PairedResult { return c.DefenceCost }},
}

// pairedMetricNames lists the metrics a sensitivity study can rank by.
func pairedMetricNames() string { return metricList(pairedMetrics) + "; p_hit:ASSET, value_lost:ASSET" }

// parsePairedMetric reads --metric: a metric of the whole defence (pairedMetrics), or
// p_hit:ASSET or value_lost:ASSET for one asset of the study.
func parsePairedMetric(spec string, st *mc.Study) (pairedMetric, error) {
	if m, ok := metricByName(pairedMetrics, spec); ok {
		return m, nil
	}
	name, id, ok := strings.Cut(spec, ":")
	if !ok || (name != "p_hit" && name != "value_lost") {
		return pairedMetric{}, badInput(fmt.Errorf("--metric %q: expected one of %s", spec, pairedMetricNames()))
	}
	var ids []string
	for _, a := range st.Scenario().Assets {
		ids = append(ids, a.ID)
	}
	if !slices.Contains(ids, id) {
		return pairedMetric{}, badInput(fmt.Errorf("--metric %q: no %q here; expected one of %s", spec, id, strings.Join(ids, ", ")))
	}
	asset := func(c *mc.AssetComparison) string { return c.ID }
	if name == "p_hit" {
		return pairedMetric{label: fmt.Sprintf("P(%s hit) (points of %%)", id), scale: 100, get: func(c *mc.Comparison) mc.PairedResult {
			return pick(c.Assets, id, asset, func(a *mc.AssetComparison) mc.PairedResult { return a.Hit }, noPair())
		}}, nil
	}
	return pairedMetric{label: fmt.Sprintf("value lost at %s per replication", id), scale: 1, get: func(c *mc.Comparison) mc.PairedResult {
		return pick(c.Assets, id, asset, func(a *mc.AssetComparison) mc.PairedResult { return a.ValueLost }, noPair())
	}}, nil
}

// noPair is the paired result of a metric a comparison does not have.
func noPair() mc.PairedResult {
	return mc.PairedResult{Diff: nan(), P: math.NaN()}
}

func newSensitivityCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		f           mcFlags
		factors     []string
		assumptions bool
		frac        float64
		match       string
		metric      string
		outDir      string
		top         int
	)
	cmd := &cobra.Command{
		Use:   "sensitivity [SCENARIO] (--set PATH=LOW,HIGH ... | --assumptions) [--set PATH=VALUE ...]",
		Short: "Rank inputs by how much they move the outcome: one at a time, paired, with a tornado chart",
		Long: `Run the scenario as it is (the baseline) and, one factor at a time, with each factor set to
its low and to its high value, all on the same replications (common random numbers): each
variant is paired with the baseline replication by replication, as 'adsim compare' does. The
factors are ranked by their swing, the difference between the effects of their high and low
values on --metric, and printed as a table; --out DIR also writes sensitivity.csv,
sensitivity.json, tornado.png and tornado.svg (the --top factors).

SCENARIO is a scenario file or the name of an embedded example ('adsim example'); without
it the embedded "capital" is studied.

--set PATH=LOW,HIGH names a factor (repeatable; paths as in 'adsim sweep'; LOW and HIGH must
differ, numbers low first); --set PATH=VALUE, with one value, fixes a field for the whole
study, the baseline included (a bigger raid). Each field is given once, however spelled.
--assumptions makes a factor of every catalog figure that is an assumption (no published
source) in the classes the scenario uses, moved by ± --factor of its value (probabilities
kept in [0, 1], counts kept whole): which of the unpublished numbers does the answer hang on?
--match keeps the --assumptions factors whose path contains it (with factors given by --set,
--match and --factor are refused: those factors run as written). A variant the scenario
format refuses (a figure pushed out of its range) is skipped and said so. The table ends with
the air picture and the fields fixed by --set PATH=VALUE; the tornado chart's title names
them too.

Run again with the same --out, a study takes the factors saved in sensitivity.json and runs
only the others; saved factors no longer asked for are named on stderr and left out of the
file written. A sensitivity.json of another study (scenario, settings, seed, -n, adsim build)
is replaced, saying so; one no study could have written (edited by hand, damaged) stops the
study before it runs (exit 2, at the file's line and column) and is left as it is.`,
		Example: `  adsim sensitivity capital --assumptions --match pantsir -n 100 --out sens/
  adsim sensitivity capital --assumptions --picture perfect -n 200 --metric interceptors_fired
  adsim sensitivity capital --assumptions --match 2a38m --set 'raids[0].count=42' -n 200   # at a bigger raid
  adsim sensitivity capital --set c2.decision_period_s=0.5,2 --set 'catalog.threats[shahed-136].rcs_m2=0.01,0.5' -n 300`,
		Args:        argCount(0, 1),
		Annotations: interruptible(),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context() // cancelled by Ctrl-C or SIGTERM (main)
			// Before f.check, whose "at least 1" is not enough here.
			if err := checkPairs(f.n); err != nil {
				return err
			}
			if err := f.check(); err != nil {
				return err
			}
			// A --set with one value fixes a field for the whole study (the baseline too), as
			// in sweep; one with two values is a factor.
			setArgs, err := parseSetArgs("set", factors)
			if err != nil {
				return err
			}
			fixed, varied := splitSets(setArgs)
			var written []mc.Factor
			for _, a := range varied {
				if len(a.Values) != 2 {
					return badInput(fmt.Errorf("--set %s: expected one value (fixed) or two, LOW,HIGH (a factor), found %d", a.Path, len(a.Values)))
				}
				written = append(written, mc.Factor{Path: a.Path, Low: a.Values[0], High: a.Values[1]})
			}
			if (len(varied) > 0) == assumptions {
				return badInput(errors.New("give the factors with --set PATH=LOW,HIGH or --assumptions, one of the two"))
			}
			// --match, --factor pick and move the factors --assumptions makes; factors
			// written with --set are run as written, so without --assumptions these flags
			// would do nothing (--match would only drop factors the user asked for).
			if !assumptions {
				for _, name := range []string{"match", "factor"} {
					if cmd.Flags().Changed(name) {
						return badInput(fmt.Errorf("--%s applies to the factors --assumptions makes; the factors given with --set PATH=LOW,HIGH are run as written: leave --%s out, or drop the factors you do not want", name, name))
					}
				}
			}
			// --top is the number of bars of the tornado chart, which only --out draws.
			if cmd.Flags().Changed("top") && outDir == "" {
				return badInput(fmt.Errorf("--top %d sets the factors on the tornado chart, which only --out DIR writes (the table has them all): give --out too, or leave --top out", top))
			}
			if top < 1 {
				return badInput(fmt.Errorf("--top %d: expected at least 1 factor to plot", top))
			}
			st, err := f.studyWith(cmd, firstArg(args), setArgs, fixed, false)
			if err != nil {
				return err
			}
			for _, a := range setArgs {
				// A factor's low and high must differ, however written (5 and 5.0): equal, its
				// effects would be two runs of one variant and its swing zero by construction.
				if len(a.values) == 2 && st.CanonicalValue(a.path, a.values[0]) == st.CanonicalValue(a.path, a.values[1]) {
					return badInput(fmt.Errorf("%s: a factor needs two different values, LOW,HIGH; %s",
						a, sameValues(a.values[0], a.values[1], st.CanonicalPath(a.path))))
				}
				// Numbers come low first: the table and the tornado chart call the first the
				// low value, and a factor written high first would be drawn upside down.
				if len(a.values) == 2 {
					lo, errLo := strconv.ParseFloat(strings.TrimSpace(a.values[0]), 64)
					hi, errHi := strconv.ParseFloat(strings.TrimSpace(a.values[1]), 64)
					if errLo == nil && errHi == nil && lo > hi {
						return badInput(fmt.Errorf("%s: found LOW %s above HIGH %s; expected LOW,HIGH, the lower first (%s=%s,%s)",
							a, a.values[0], a.values[1], a.path, a.values[1], a.values[0]))
					}
				}
			}
			m, err := parsePairedMetric(metric, st)
			if err != nil {
				return err
			}
			fs := written
			if assumptions {
				if fs, err = mc.AssumptionFactors(st, frac, match); err != nil {
					return badInput(fmt.Errorf("--factor: %w", err))
				}
			}
			if len(fs) == 0 {
				return badInput(fmt.Errorf("--match %q: no factor's path contains it (of the --assumptions factors)", match))
			}
			label := "sensitivity " + st.Scenario().Name
			file := mc.SensitivityFile{Scenario: st.Scenario().Name, Seed: st.Seed, Baseline: st.Fingerprint(),
				Replications: f.n, Metric: metric, Planned: len(fs), Engine: mc.CurrentEngine()}
			var pr *progress
			start := time.Now()
			// Factors written with --set must all be valid; made ones may be skipped.
			hooks := mc.SensitivityHooks{Strict: !assumptions, Progress: func(done, total uint64) {
				if pr == nil {
					pr = newProgress(stderr, label, total, f.noProgress)
					pr.start = start // the rate counts from the study's start, not the first replication's end
				}
				pr.update(done)
			}}
			kept := "nothing to save" // if stopped before a factor runs
			if outDir != "" {
				// The directory is made with the first point or factor saved: a study
				// refused before it runs leaves nothing behind.
				lock := studyLock{dir: outDir}
				if err := lock.early(); err != nil {
					return err
				}
				defer lock.release()
				saved, dropped, err := readSavedStudy(outDir, &file, fs, stderr)
				if err != nil {
					return err
				}
				hooks.Saved = saved
				kept += ", and " + outDir + " is left as it was"
				if n := len(saved); n > 0 {
					kept += fmt.Sprintf(", with its %s: run the same command again to go on", mc.Count(n, "saved factor", "saved factors"))
				}
				if len(dropped) > 0 {
					// As sweep does: the file written now holds this study's factors only.
					fmt.Fprintf(stderr, "adsim: %s: %s not in this study and left out of the file written now: %s\n",
						outFile(outDir, mc.SensitivityJSON), mc.Count(len(dropped), "saved factor is", "saved factors are"), someOf(dropped, 3))
				}
				// Each factor is saved as it completes: a study stopped in any way keeps
				// them, and the same command run again goes on from there.
				hooks.Done = func(es []mc.Effect) error {
					if err := lock.take(); err != nil {
						return err
					}
					fl := file
					fl.Factors = es
					return mc.WriteSensitivityFile(outDir, &fl)
				}
			}
			if ctx.Err() != nil {
				// Stopped while the scenario or the saved factors were read: nothing written (a
				// directory made for the study is removed again, lock.release).
				return stoppedBeforeStart(ctx, label, "factor", kept)
			}
			effects, reused, err := mc.Sensitivity(ctx, st, fs, f.executor(stderr), mc.Range{End: f.n}, hooks)
			if pr != nil {
				pr.finish()
			}
			if errors.Is(err, mc.ErrInvalidSetting) {
				return badInput(fmt.Errorf("--set: %w", err))
			}
			in, fatal := runEnded(stderr, label, "factors", outFile(outDir, mc.SensitivityJSON), reused, len(effects), len(fs), err)
			if fatal != nil {
				return fatal
			}
			if pr != nil && in == nil {
				pr.sayRan(f.workersLabel())
			}
			for _, e := range effects {
				for _, s := range e.Skipped {
					fmt.Fprintf(stderr, "adsim: %s: skipped %s\n", e.Path, s)
				}
			}
			ranked := rankEffects(effects, m)
			if !f.quiet {
				if err := writeSensitivityTable(stdout, ranked, m, f.n, studyNotes(st, ranked, fixed)); err != nil {
					return err
				}
			}
			if outDir != "" {
				file.Factors, file.Complete = effects, len(effects) == len(fs)
				if err := mc.WriteSensitivityFile(outDir, &file); err != nil {
					return runError(err)
				}
				if err := writeSensitivityFiles(outDir, st, ranked, m, f.n, top, fixed); err != nil {
					return runError(err)
				}
				if !f.noProgress {
					fmt.Fprintf(stderr, "%s: wrote %s/{sensitivity.csv,sensitivity.json,tornado.png,tornado.svg}\n", label, outDir)
				}
			}
			if in != nil {
				return runError(err)
			}
			return nil
		},
	}
	f.register(cmd, 100)
	fl := cmd.Flags()
	fl.StringArrayVar(&factors, "set", nil, "PATH=LOW,HIGH: a factor and its two values; PATH=VALUE: a field fixed for the whole study (repeatable)")
	fl.BoolVar(&assumptions, "assumptions", false, "a factor for every catalog figure that is an assumption, in the classes the scenario uses")
	fl.Float64Var(&frac, "factor", 0.25, "with --assumptions: move each figure by ± this fraction of its value")
	fl.StringVar(&match, "match", "", "with --assumptions: keep only the factors whose path contains this (e.g. pantsir, pk0, rcs_m2)")
	fl.StringVar(&metric, "metric", "value_lost", "the metric that ranks the factors: "+pairedMetricNames())
	fl.StringVar(&outDir, "out", "", "write sensitivity.csv, sensitivity.json, tornado.png and tornado.svg into this directory")
	fl.IntVar(&top, "top", 20, "with --out: the number of factors on the tornado chart (the table has all)")
	return cmd
}

// rankedEffect is an effect with its swing on the ranking metric.
type rankedEffect struct {
	mc.Effect
	low, high mc.PairedResult // zero (P NaN) for a side not run
	qLow      float64         // Benjamini–Hochberg q-values of low and high over every variant run (NaN: not run)
	qHigh     float64
	swing     float64 // |high − low| of the paired mean differences, the side run alone if one was skipped
}

// rankEffects sorts the effects by swing, largest first (ties in the given order).
func rankEffects(effects []mc.Effect, m pairedMetric) []rankedEffect {
	none := noPair()
	out := make([]rankedEffect, len(effects))
	for i, e := range effects {
		r := rankedEffect{Effect: e, low: none, high: none}
		if e.Low != nil {
			r.low = m.get(e.Low)
		}
		if e.High != nil {
			r.high = m.get(e.High)
		}
		switch lo, hi := r.low.Diff.Est, r.high.Diff.Est; {
		case !math.IsNaN(lo) && !math.IsNaN(hi):
			r.swing = math.Abs(hi - lo)
		case !math.IsNaN(lo):
			r.swing = math.Abs(lo)
		case !math.IsNaN(hi):
			r.swing = math.Abs(hi)
		}
		r.swing *= m.scale
		out[i] = r
	}
	// Many variants are tested at once: the q-values control the false discovery rate.
	ps := make([]float64, 0, 2*len(out))
	for _, r := range out {
		ps = append(ps, r.low.P, r.high.P)
	}
	q := mc.BenjaminiHochberg(ps)
	for i := range out {
		out[i].qLow, out[i].qHigh = q[2*i], q[2*i+1]
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].swing > out[j].swing })
	return out
}

// diffText is a paired difference as "+1.2 [0.3, 2.1]*" ("*": p < 0.05; "**": also q < 0.05,
// significant once the false discovery rate over all variants is controlled), "-" if not run.
func diffText(p mc.PairedResult, q, scale float64) string {
	if math.IsNaN(p.Diff.Est) {
		return "-"
	}
	s := fmt.Sprintf("%+.3g [%.3g, %.3g]", scale*p.Diff.Est, scale*p.Diff.Lo, scale*p.Diff.Hi)
	if p.Significant() {
		s += "*"
		if q < 0.05 {
			s += "*"
		}
	}
	return s
}

// studyNotes is what the sensitivity table says under its footer, as a sweep's does: the
// air picture every run had, and the fields fixed for the whole study (--set PATH=VALUE),
// without which its effects cannot be read or reproduced.
func studyNotes(st *mc.Study, ranked []rankedEffect, fixed []mc.Setting) []string {
	pic := "air picture: " + st.Picture()
	if pc := st.Scenario().C2.PerfectCategories; len(pc) > 0 {
		pic += ", perfect for " + strings.Join(pc, ", ")
	}
	if !perfectRuns(st, ranked) && slices.ContainsFunc(ranked, func(r rankedEffect) bool { return r.Path == "c2.picture" }) {
		pic += " in the baseline (c2.picture is a factor)"
	}
	notes := []string{pic}
	if len(fixed) > 0 {
		notes = append(notes, "fixed: "+fixedText(fixed))
	}
	return notes
}

// fixedText lists the fixed settings as given: "raids[0].count=14, c2.salvo=2".
func fixedText(fixed []mc.Setting) string {
	fx := make([]string, len(fixed))
	for i, s := range fixed {
		fx[i] = s.String()
	}
	return strings.Join(fx, ", ")
}

func writeSensitivityTable(w io.Writer, ranked []rankedEffect, m pairedMetric, n uint64, notes []string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FACTOR\tBASE\tLOW\tHIGH\tEFFECT OF LOW (95 % CI)\tEFFECT OF HIGH (95 % CI)\tSWING")
	for _, r := range ranked {
		base := r.Base
		if base == "" {
			base = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%.3g\n", r.Path, base, r.Factor.Low, r.Factor.High,
			diffText(r.low, r.qLow, m.scale), diffText(r.high, r.qHigh, m.scale), r.swing)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nmetric: %s; effects are paired differences from the baseline over %s "+
		"(common random numbers); * p < 0.05 (%s); ** also q < 0.05, the false discovery rate over %s "+
		"controlled (Benjamini–Hochberg)\n", m.label, mc.Count(n, "replication", "replications"), testName(ranked), variantsText(variantsRun(ranked)))
	if err != nil {
		return err
	}
	for _, l := range notes {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}

// variantsText is "all 12 variants" ("the 1 variant") for the table's footer.
func variantsText(n int) string {
	if n == 1 {
		return "the 1 variant"
	}
	return fmt.Sprintf("all %d variants", n)
}

// readSavedStudy reads what an earlier run of a study saved in dir/sensitivity.json and
// returns what this study (want, of factors fs) can take of it: the saved effects, and the
// saved factors fs leaves out (to name them). A file that cannot be read or that no study
// could have written (edited by hand, damaged) stops the run, exit 2, as a sweep's does
// (readSavedSweep): replacing it would lose the factors its user may want back, and taking
// it would rank and plot its numbers as results. A whole file of another study (baseline
// scenario and settings, seed, -n, adsim build) is said on stderr and replaced.
func readSavedStudy(dir string, want *mc.SensitivityFile, fs []mc.Factor, stderr io.Writer) (map[string]*mc.Effect, []string, error) {
	old, err := mc.ReadSensitivityFile(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, badInput(fmt.Errorf("--out: %w\nnothing was run and the file is left as it is: correct it, or move it away to run the study afresh", err))
	}
	saved, why := old.SavedEffects(want)
	if saved == nil {
		fmt.Fprintf(stderr, "adsim: %s holds a study with %s: its factors are run again and the file replaced\n", filepath.Join(dir, mc.SensitivityJSON), why)
		return nil, nil, nil
	}
	return saved, old.NotIn(fs), nil
}

// variantsRun counts the variants with a p-value.
func variantsRun(ranked []rankedEffect) int {
	n := 0
	for _, r := range ranked {
		for _, p := range []float64{r.low.P, r.high.P} {
			if !math.IsNaN(p) {
				n++
			}
		}
	}
	return n
}

// testName names the tests of the ranking metric's differences: paired t, or McNemar's test,
// and the sign test where a variant differed from the baseline by the same amount in every
// replication (mc.Paired.P).
func testName(ranked []rankedEffect) string {
	var names []string
	sign := false
	for _, r := range ranked {
		for _, p := range []mc.PairedResult{r.low, r.high} {
			switch {
			case p.Test == "sign":
				sign = true
			case p.Test != "" && !slices.Contains(names, p.Test):
				names = append(names, p.Test)
			}
		}
	}
	if sign {
		names = append(names, "the sign test where a variant differs by the same amount in every replication")
	}
	if len(names) == 0 {
		return "paired t"
	}
	return strings.Join(names, "; ")
}

func writeSensitivityFiles(dir string, st *mc.Study, ranked []rankedEffect, m pairedMetric, n uint64, top int, fixed []mc.Setting) error {
	if err := writeSensitivityCSV(filepath.Join(dir, "sensitivity.csv"), ranked, m); err != nil {
		return err
	}
	var bars []report.TornadoBar
	for i, r := range ranked {
		if i == top {
			break
		}
		s := m.scale
		bars = append(bars, report.TornadoBar{Name: fmt.Sprintf("%s %s→%s", shortPath(r.Path), r.Factor.Low, r.Factor.High),
			Low: s * r.low.Diff.Est, LowLo: s * r.low.Diff.Lo, LowHi: s * r.low.Diff.Hi,
			High: s * r.high.Diff.Est, HighLo: s * r.high.Diff.Lo, HighHi: s * r.high.Diff.Hi,
			// The same effect in every replication has the bound of what the replications
			// cannot exclude (mc.Paired.CIWithin), not an interval from a spread.
			LowBound: r.low.Test == "sign", HighBound: r.high.Test == "sign"})
	}
	title := fmt.Sprintf("%s: effect on %s\n%s, common random numbers", st.Scenario().Name, m.label, mc.Count(n, "replication", "replications"))
	if perfectRuns(st, ranked) {
		title += ", perfect air picture"
	}
	if len(fixed) > 0 {
		// The chart is read apart from the table: it says what the study held fixed too.
		title += "; fixed: " + fixedText(fixed)
	}
	return report.PlotTornado(title, "change from the baseline, "+m.label, "low value", "high value", bars,
		filepath.Join(dir, "tornado.png"), filepath.Join(dir, "tornado.svg"))
}

// perfectRuns reports whether every run of the study was in the perfect air picture: the
// baseline's, and every variant's (a factor on c2.picture may leave it). The tornado chart
// says so, as a sweep's plots do (perfectPicture), since its effects are not the tracked
// picture's.
func perfectRuns(st *mc.Study, ranked []rankedEffect) bool {
	if st.Picture() != scenario.PicturePerfect {
		return false
	}
	for _, r := range ranked {
		if r.Path != "c2.picture" {
			continue
		}
		if (r.Low != nil && r.Factor.Low != scenario.PicturePerfect) || (r.High != nil && r.Factor.High != scenario.PicturePerfect) {
			return false
		}
	}
	return true
}

// shortPath is a factor's path for a chart's label: a catalog class's figures without the
// "catalog.systems"/"catalog.threats" before the class ("pantsir-s1: weapons[57e6].pk0.drone").
func shortPath(p string) string {
	for _, pre := range []string{"catalog.systems[", "catalog.threats["} {
		if rest, ok := strings.CutPrefix(p, pre); ok {
			if id, field, ok := strings.Cut(rest, "]."); ok {
				return id + ": " + field
			}
		}
	}
	return p
}

func writeSensitivityCSV(path string, ranked []rankedEffect, m pairedMetric) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	rows := [][]string{{"path", "base", "low", "high", "effect_low", "effect_low_lo", "effect_low_hi", "p_low", "q_low",
		"effect_high", "effect_high_lo", "effect_high_hi", "p_high", "q_high", "swing", "skipped"}}
	for _, r := range ranked {
		s := m.scale
		rows = append(rows, []string{r.Path, r.Base, r.Factor.Low, r.Factor.High,
			csvNum(s * r.low.Diff.Est), csvNum(s * r.low.Diff.Lo), csvNum(s * r.low.Diff.Hi), csvNum(r.low.P), csvNum(r.qLow),
			csvNum(s * r.high.Diff.Est), csvNum(s * r.high.Diff.Lo), csvNum(s * r.high.Diff.Hi), csvNum(r.high.P), csvNum(r.qHigh),
			csvNum(r.swing), strings.Join(r.Skipped, "; ")})
	}
	if err := w.WriteAll(rows); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
