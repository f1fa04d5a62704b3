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
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/adsim/adsim/mc"
	"github.com/adsim/adsim/report"
	"github.com/adsim/adsim/scenario"
)

// metric is a named quantity of a result R: its name (for --metric, and a column of the
// CSV files), its label, the factor to its printed and plotted unit, and how to read it (a
// V: an interval, or a paired difference).
type metric[R, V any] struct {
	name  string
	label string
	scale float64
	get   func(*R) V
}

// metricByName finds the metric of ms named name.
func metricByName[R, V any](ms []metric[R, V], name string) (metric[R, V], bool) {
	for _, m := range ms {
		if m.name == name {
			return m, true
		}
	}
	return metric[R, V]{}, false
}

// metricList is the names of ms, in order, for help and messages.
func metricList[R, V any](ms []metric[R, V]) string {
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.name
	}
	return strings.Join(names, ", ")
}

// sweepMetric is a metric a sweep can plot.
type sweepMetric = metric[mc.Result, mc.Interval]

// sweepMetrics are the metrics of the whole defence a sweep can plot, in the order of their
// columns in sweep.csv, which has every one of them: one list, so that --metric offers every
// column.
var sweepMetrics = []sweepMetric{
	{"leak_rate", "leak rate (% of threats launched)", 100, func(r *mc.Result) mc.Interval { return r.LeakRate }},
	{"p_any_leak", "P(at least one leaker) (%)", 100, func(r *mc.Result) mc.Interval { return r.AnyLeak }},
	{"leakers", "leakers per replication", 1, func(r *mc.Result) mc.Interval { return r.Leakers }},
	{"leakers_untracked", "leakers never tracked, per replication", 1, func(r *mc.Result) mc.Interval { return r.LeakersUntracked }},
	{"leakers_no_shot", "leakers nothing was fired at, per replication", 1, func(r *mc.Result) mc.Interval { return r.LeakersNoShot }},
	{"value_lost", "asset value lost per replication", 1, func(r *mc.Result) mc.Interval { return r.ValueLost }},
	{"interceptors_fired", "interceptors fired per replication", 1, func(r *mc.Result) mc.Interval { return r.Interceptors.Mean }},
	{"gun_rounds", "gun rounds fired per replication", 1, func(r *mc.Result) mc.Interval { return r.GunRounds.Mean }},
	{"defence_cost_usd", "defence cost per replication ($)", 1, func(r *mc.Result) mc.Interval { return r.DefenceCostUSD }},
	{"exchange_ratio", "cost exchange ratio", 1, func(r *mc.Result) mc.Interval { return r.ExchangeRatio }},
}

func metricNames() string {
	return metricList(sweepMetrics) + "; p_hit:ASSET, value_lost:ASSET, leak_rate:CLASS, p_any_leak:CLASS, kills:LAYER, kills:UNIT"
}

// parseMetric reads --metric: a metric of the whole defence (sweepMetrics), or NAME:ID, one
// of an asset (p_hit, value_lost), a threat class (leak_rate, p_any_leak), a layer or a fire
// unit (kills). The id is checked against the study: an asset, a class raided, a layer name
// or a unit of the scenario.
func parseMetric(spec string, st *mc.Study) (sweepMetric, error) {
	if m, ok := metricByName(sweepMetrics, spec); ok {
		return m, nil
	}
	name, id, ok := strings.Cut(spec, ":")
	if !ok {
		return sweepMetric{}, badInput(fmt.Errorf("--metric %q: expected one of %s", spec, metricNames()))
	}
	s := st.Scenario()
	var ids []string
	var m sweepMetric
	switch name {
	case "p_hit", "value_lost":
		for _, a := range s.Assets {
			ids = append(ids, a.ID)
		}
		m = sweepMetric{label: fmt.Sprintf("asset value lost at %s per replication", id), scale: 1, get: func(r *mc.Result) mc.Interval {
			return pick(r.Assets, id, func(a *mc.AssetResult) string { return a.ID }, func(a *mc.AssetResult) mc.Interval { return a.ValueLost }, nan())
		}}
		if name == "p_hit" {
			m = sweepMetric{label: fmt.Sprintf("P(%s hit) (%%)", id), scale: 100, get: func(r *mc.Result) mc.Interval {
				return pick(r.Assets, id, func(a *mc.AssetResult) string { return a.ID }, func(a *mc.AssetResult) mc.Interval { return a.Hit }, nan())
			}}
		}
	case "leak_rate", "p_any_leak":
		for _, r := range s.Raids {
			if !slices.Contains(ids, r.Class) {
				ids = append(ids, r.Class)
			}
		}
		class := func(c *mc.ClassResult) string { return c.Class }
		m = sweepMetric{label: fmt.Sprintf("P(at least one %s leaks) (%%)", id), scale: 100, get: func(r *mc.Result) mc.Interval {
			return pick(r.Classes, id, class, func(c *mc.ClassResult) mc.Interval { return c.AnyLeak }, nan())
		}}
		if name == "leak_rate" {
			m = sweepMetric{label: fmt.Sprintf("leak rate of %s (%% launched)", id), scale: 100, get: func(r *mc.Result) mc.Interval {
				return pick(r.Classes, id, class, func(c *mc.ClassResult) mc.Interval { return c.LeakRate }, nan())
			}}
		}
	case "kills":
		ids = []string{scenario.LayerLong, scenario.LayerMedium, scenario.LayerShort}
		for _, u := range s.FireUnits {
			ids = append(ids, u.ID)
		}
		m = sweepMetric{label: fmt.Sprintf("kills by %s per replication", id), scale: 1, get: func(r *mc.Result) mc.Interval {
			if iv := pick(r.Layers, id, func(l *mc.LayerResult) string { return l.Layer }, func(l *mc.LayerResult) mc.Interval { return l.Kills }, nan()); !math.IsNaN(iv.Est) {
				return iv
			}
			return pick(r.Units, id, func(u *mc.UnitResult) string { return u.ID }, func(u *mc.UnitResult) mc.Interval { return u.Kills }, nan())
		}}
	default:
		return sweepMetric{}, badInput(fmt.Errorf("--metric %q: %q takes no id, or is not a metric; expected one of %s", spec, name, metricNames()))
	}
	if !slices.Contains(ids, id) {
		return sweepMetric{}, badInput(fmt.Errorf("--metric %q: no %q here; expected one of %s", spec, id, strings.Join(ids, ", ")))
	}
	return m, nil
}

// pick returns get of the element of xs whose key is id, or none when no element has it.
func pick[T, V any](xs []T, id string, key func(*T) string, get func(*T) V, none V) V {
	for i := range xs {
		if key(&xs[i]) == id {
			return get(&xs[i])
		}
	}
	return none
}

// nan is the interval of a metric a point does not have (a class no raid of the point flies).
func nan() mc.Interval { return mc.Interval{Est: math.NaN(), Lo: math.NaN(), Hi: math.NaN()} }

// maxSweepCurves is the most curves a sweep over two fields draws, one per value of the
// second field: more would hide one another (the table and sweep.csv have every point).
const maxSweepCurves = 8

func newSweepCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		f      mcFlags
		sets   []string
		zip    bool
		outDir string
		rows   bool
		metric string
		// --until-ci for each point
		untilCI    float64
		checkEvery uint64
	)
	cmd := &cobra.Command{
		Use:   "sweep [SCENARIO] --set PATH=START:STOP:STEP [--set PATH=VALUES ...]",
		Short: "Run Monte Carlo over the values of scenario fields and plot the outcome with confidence bands",
		Long: `Set scenario fields to each value in turn, re-validate the scenario, run -n replications
at each point (all with the same seed: common random numbers) and report the outcome per
point as a table. Along one line of points (one swept field, or --zip) the table also gives
each point's step: the paired difference of --metric from the point before, replication by
replication, with its 95 % interval (as 'adsim compare' of the two points). --out DIR also
writes sweep.csv, sweep.json, sweep.png and sweep.svg (the --metric with its 95 % confidence
band), sweep-steps.png/.svg (the steps, for numeric values) and sweep-heatmap.png/.svg (for
a grid of two numeric fields); with --rows, each point's rows in DIR/rows/PATH=VALUE, as
'adsim mc --out' writes them (those of points a later run no longer has are moved to
DIR/rows-dropped). With --out every point is saved as it completes: Ctrl-C,
SIGTERM or a kill keeps the points complete, and the same command run again (or with
another --metric) runs only the points not saved.

SCENARIO is a scenario file or the name of an embedded example ('adsim example'); without
it the embedded "capital" is swept.

PATH uses the scenario file's field names: raids[0].count, raids[drones-south].count,
fire_units[2].magazine.57e6, c2.salvo, sensors[1].ref_range_km, and catalog figures by class
id ('adsim catalog --paths'). VALUES is START:STOP:STEP (10:200:10), a list (a,b,c) or one
value. A field that is itself a list of single values (c2.max_per_track_categories,
fire_units[0].engage_categories) takes its whole list in brackets, [a, b] ([] for none);
commas inside brackets do not separate values: [],[ballistic_missile] is two.

--set may be given several times, once per field (raids[0] and raids[drones-south] are one
field when that raid comes first), and a swept field's values must differ (01 and 1 are one
value of a count). A --set with one value fixes that field for the whole sweep; each with
several values is swept. c2.picture is set with --set or with --picture, not both. Two
swept fields make a grid (every combination; the plot has a curve per value of the second),
or, with --zip, move together (the i-th values of each: a raid of N drones with N/5 cruise
missiles); --zip needs two or more swept fields. The table, files and plots name each field
and value one way, however --set spelled it: a list element by its index (raids[0], not
raids[drones-south]; catalog classes by id) and a value as the field reads it (8, not 08 or
8.0), so a sweep run again under another spelling takes the saved points.`,
		Example: `  adsim sweep capital --set raids[0].count=10:200:10 -n 200 --out sweep/
  adsim sweep capital --set raids[0].count=10:50:10 -n 200 --out sweep/ --rows   # and each point's rows
  adsim sweep my.yaml --set c2.doctrine=shoot-look-shoot,salvo -n 500
  adsim sweep capital --set raids[0].count=10:50:10 --set c2.doctrine=shoot-look-shoot,salvo -n 200 --out grid/
  adsim sweep capital --set raids[0].count=10:50:10 --set raids[3].count=2:10:2 --zip -n 200
  adsim sweep capital --set raids[0].count=10:50:10 --set c2.picture=perfect -n 200`,
		Args:        argCount(0, 1),
		Annotations: interruptible(),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context() // cancelled by Ctrl-C or SIGTERM (main)
			if err := f.check(); err != nil {
				return err
			}
			if err := checkUntilCI(cmd, untilCI, checkEvery); err != nil {
				return err
			}
			if len(sets) == 0 {
				return badInput(fmt.Errorf("--set PATH=VALUES is required, e.g. --set raids[0].count=10:200:10"))
			}
			setArgs, err := parseSetArgs("set", sets)
			if err != nil {
				return err
			}
			fixed, axes := splitSets(setArgs)
			if len(axes) == 0 {
				// A malformed value ("[x") is one value too: say what is wrong with it
				// before saying that one value sweeps nothing.
				if _, err := f.studyWith(cmd, firstArg(args), setArgs, fixed, !zip); err != nil {
					return err
				}
				return badInput(fmt.Errorf("--set: nothing to sweep: every --set has one value; give one field two or more values, e.g. --set raids[0].count=10:200:10"))
			}
			if zip && len(axes) < 2 {
				// Zipping one field would change nothing: a flag that does nothing is refused.
				return badInput(fmt.Errorf("--zip with one swept field (%s): --zip moves two or more swept fields together; give another --set with as many values, or leave --zip out", axes[0].Path))
			}
			// Zipped, a field may take a value twice (the others move on); the points must
			// differ (distinctPoints).
			st, err := f.studyWith(cmd, firstArg(args), setArgs, fixed, !zip)
			if err != nil {
				return err
			}
			grid, err := mc.Grid(axes, zip)
			if err != nil {
				return badInput(fmt.Errorf("--set: %w", err))
			}
			if zip {
				if err := distinctPoints(st, grid); err != nil {
					return err
				}
			}
			// One spelling of each field and value from here on — keys of saved points,
			// sweep.json, sweep.csv, the table and the plots — whichever the user typed
			// (raids[drones-south] or raids[0], 08 or 8.0 or 8): one study, one set of files.
			// (The errors above quote the user's own spelling.)
			axes, fixed = canonicalSets(st, axes), canonicalSettings(st, fixed)
			if grid, err = mc.Grid(axes, zip); err != nil {
				return runError(err) // the same grid, respelled: cannot fail where the first did not
			}
			m, err := parseMetric(metric, st)
			if err != nil {
				return err
			}
			sw := sweepSpec{axes: axes, fixed: fixed, zip: zip, untilCI: untilCI, file: mc.SweepFile{
				Scenario: st.Scenario().Name, Seed: st.Seed, Axes: axes, Fixed: fixed, Zip: zip, Replications: f.n,
				UntilCI: untilCI, CheckEvery: checkEvery, Planned: len(grid), Engine: mc.CurrentEngine()}}
			if !tableMetric[metric] {
				sw.extra, sw.extraName = &m, metric
			}
			if pm, err := parsePairedMetric(metric, st); err == nil && (len(axes) == 1 || zip) {
				sw.step, sw.stepName = &pm, metric
			}
			label := "sweep " + sw.paths(" × ")
			hooks := mc.SweepHooks{Steps: sw.step != nil}
			var pointRows *sweepRows  // --rows
			kept := "nothing to save" // if stopped before a point runs
			if outDir != "" {
				// The directory is made with the first point or factor saved: a study
				// refused before it runs leaves nothing behind.
				lock := studyLock{dir: outDir}
				if err := lock.early(); err != nil {
					return err
				}
				defer lock.release()
				saved, err := readSavedSweep(outDir, st, &sw.file, grid, stderr)
				if err != nil {
					return err
				}
				hooks.Saved, hooks.SavedSteps = saved.results, saved.steps
				kept += ", and " + outDir + " is left as it was"
				if n := len(saved.results); n > 0 {
					kept += fmt.Sprintf(", with its %s: run the same command again to go on", mc.Count(n, "saved point", "saved points"))
				}
				if n := len(saved.dropped); n > 0 {
					fmt.Fprintf(stderr, "adsim: %s: %s not in this sweep (%s): left out of the file written now\n",
						filepath.Join(outDir, mc.SweepJSON), mc.Count(n, "saved point is", "saved points are"), someOf(saved.dropped, 3))
				}
				var stale []string
				hooks.Stale = func(pt []mc.Setting) { stale = append(stale, pointText(pt)) }
				defer func() {
					if n := len(stale); n > 0 {
						fmt.Fprintf(stderr, "adsim: %s: %s (%s) came from another scenario, catalog or engine (the fingerprint differs): run again and replaced\n",
							filepath.Join(outDir, mc.SweepJSON), mc.Count(n, "saved point", "saved points"), someOf(stale, 3))
					}
				}()
				// Each point is saved as it completes: a sweep stopped in any way keeps them,
				// and the same command run again goes on from there.
				hooks.Done = func(pts []mc.SweepPoint) error {
					if err := lock.take(); err != nil {
						return err
					}
					if pointRows != nil {
						moved, err := pointRows.setAside()
						if n := len(moved); n > 0 {
							fmt.Fprintf(stderr, "adsim: %s: %s of points not in this sweep (%s) moved to %s, so that it holds this sweep's points, as %s does\n",
								pointRows.dir, mc.Count(n, "directory", "directories"), someOf(moved, 3), filepath.Join(outDir, DroppedRowsDir), mc.SweepJSON)
						}
						if err != nil {
							return fmt.Errorf("--rows: setting aside the rows of points not in this sweep: %w", err)
						}
					}
					return sw.save(outDir, pts)
				}
				if rows {
					var err error
					if pointRows, err = newSweepRows(outDir, grid, f.n, untilCI, checkEvery, &lock); err != nil {
						return err
					}
					hooks.Rows = pointRows
					defer pointRows.sayMissing(stderr)
				}
			} else if rows {
				return badInput(errors.New("--rows keeps each point's rows in DIR/rows: it needs --out DIR"))
			}
			if ctx.Err() != nil {
				// Stopped while the scenario or the saved points were read: nothing written (a
				// directory made for the run is removed again, lock.release).
				return stoppedBeforeStart(ctx, label, "point", kept)
			}
			pr := newProgress(stderr, label, f.n*uint64(len(grid)), f.noProgress)
			// replayed counts the replications of saved points run again to pair the next
			// point with: work done here, added to the total and to what is done.
			var replayed uint64
			hooks.Progress = func(i int, done uint64) { pr.update(uint64(i)*f.n + replayed + done) }
			hooks.Reused = func(i int, _ uint64) { pr.skip(f.n) }
			hooks.Replay = func(i int, done, of uint64) {
				if done == 0 {
					pr.grow(of)
				}
				pr.update(uint64(i)*f.n + replayed + done)
				if done == of {
					replayed += of
				}
			}
			points, reused, err := mc.Sweep(ctx, st, grid, testExecutor(f.executor(stderr)), mc.Options{Reps: mc.Range{End: f.n}, UntilCI: untilCI, CheckEvery: checkEvery}, hooks)
			pr.finish()
			if errors.Is(err, mc.ErrInvalidSetting) {
				// Every point is prepared before any runs: nothing ran.
				return badInput(fmt.Errorf("--set: %w", err))
			}
			var intr *mc.Interrupted
			if errors.As(err, &intr) && len(points) < len(grid) {
				// Said in words, not as a cancelled context.
				err = &stopped{fmt.Sprintf("stopped by %s while running %s: its %s so far are dropped (a point is kept only when complete)",
					stopCause(ctx), pointText(grid[len(points)]), mc.Count(intr.Done, "replication", "replications")), intr}
			}
			in, fatal := runEnded(stderr, label, "points", outFile(outDir, mc.SweepJSON), reused, len(points), len(grid), err)
			if fatal != nil {
				return fatal
			}
			if in != nil {
				// Keep the points already complete: print and write them, then fail.
				if werr := finishSweep(points, sw, outDir, st, m, f, stdout, stderr, label); werr != nil {
					return werr
				}
				return runError(err)
			}
			pr.sayRan(f.workersLabel())
			if err := finishSweep(points, sw, outDir, st, m, f, stdout, stderr, label); err != nil {
				return err
			}
			if pointRows != nil && !f.noProgress {
				fmt.Fprintf(stderr, "%s: each point's rows in %s/{%s}/ (as 'adsim mc --out' writes them)\n", label,
					pointRows.dir, strings.Join(pointRows.names, ","))
			}
			return nil
		},
	}
	f.register(cmd, 100)
	registerUntilCI(cmd, &untilCI, &checkEvery)
	cmd.Flags().StringArrayVar(&sets, "set", nil, "PATH=VALUES: a field and its values (START:STOP:STEP, a,b,c, or one value to fix it); repeatable")
	cmd.Flags().BoolVar(&zip, "zip", false, "move the swept fields together (their i-th values) instead of running every combination")
	cmd.Flags().StringVar(&outDir, "out", "", "write sweep.csv, sweep.json and the plots (sweep.png, .svg; sweep-steps, sweep-heatmap) into this directory")
	cmd.Flags().BoolVar(&rows, "rows", false, "with --out: keep each point's rows in DIR/rows/PATH=VALUE, an 'adsim mc --out' directory (rows.csv, rows.parquet, summary.json, manifest.json)")
	cmd.Flags().StringVar(&metric, "metric", "leak_rate", "the metric to plot: "+metricNames())
	return cmd
}

// savedSweep is what an earlier run of a sweep saved: its points' results and steps.
type savedSweep struct {
	results map[string]*mc.Result
	steps   map[string]*mc.Comparison
	dropped []string // saved points this sweep does not have, as settings
}

// canonicalSets is axes with each path and value written the one way the study reads it
// (mc.Study.CanonicalPath, CanonicalValue).
func canonicalSets(st *mc.Study, axes []mc.Axis) []mc.Axis {
	out := make([]mc.Axis, len(axes))
	for i, a := range axes {
		out[i] = mc.Axis{Path: st.CanonicalPath(a.Path), Values: make([]string, len(a.Values))}
		for k, v := range a.Values {
			out[i].Values[k] = st.CanonicalValue(a.Path, v)
		}
	}
	return out
}

// canonicalSettings is sets written as canonicalSets writes an axis.
func canonicalSettings(st *mc.Study, sets []mc.Setting) []mc.Setting {
	if sets == nil {
		return nil
	}
	out := make([]mc.Setting, len(sets))
	for i, s := range sets {
		out[i] = mc.Setting{Path: st.CanonicalPath(s.Path), Value: st.CanonicalValue(s.Path, s.Value)}
	}
	return out
}

// someOf lists the first k of xs, then says how many more there are.
func someOf(xs []string, k int) string {
	if len(xs) <= k {
		return strings.Join(xs, "; ")
	}
	return fmt.Sprintf("%s; and %d more", strings.Join(xs[:k], "; "), len(xs)-k)
}

// stopped is the error of a sweep stopped by a signal, said in words; it wraps the
// interruption, so that what is complete is kept (runEnded).
type stopped struct {
	msg string
	in  *mc.Interrupted
}

func (e *stopped) Error() string { return e.msg }
func (e *stopped) Unwrap() error { return e.in }

// readSavedSweep reads what an earlier run of a sweep saved in dir/sweep.json and returns
// what this sweep (want, over grid) can take of it. A file that cannot be read or that no
// sweep could have written (edited by hand, damaged) stops the run, exit 2: replacing it
// would lose points its user may want back, and taking it would print and plot its numbers
// as results. A whole file of another study (seed, -n, --until-ci, engine) is said on stderr
// and replaced, as a sweep over other values is its own.
func readSavedSweep(dir string, st *mc.Study, want *mc.SweepFile, grid [][]mc.Setting, stderr io.Writer) (savedSweep, error) {
	old, err := mc.ReadSweepFile(dir)
	if errors.Is(err, os.ErrNotExist) {
		return savedSweep{}, nil
	}
	if err != nil {
		return savedSweep{}, badInput(fmt.Errorf("--out: %w\nnothing was run and the file is left as it is: correct it, or move it away to run the sweep afresh", err))
	}
	// Points saved under another spelling (by an older adsim, or edited) are this sweep's
	// all the same: their keys are written as this sweep writes its points.
	for i := range old.Points {
		old.Points[i].Set = canonicalSettings(st, old.Points[i].Set)
	}
	r, why := old.SavedPoints(want)
	if r == nil {
		fmt.Fprintf(stderr, "adsim: %s holds a sweep with %s: its points are run again and the file replaced\n", filepath.Join(dir, mc.SweepJSON), why)
		return savedSweep{}, nil
	}
	return savedSweep{r, old.SavedSteps(), old.Dropped(grid)}, nil
}

// runEnded says how a run of units (points, factors) of which planned were asked ended:
// how many were taken from what an earlier run saved in file, and whether it was
// interrupted with done complete. fatal is the error to give up with: any error but an
// interruption that kept some units.
func runEnded(stderr io.Writer, label, unit, file string, reused, done, planned int, err error) (in *mc.Interrupted, fatal error) {
	if reused > 0 {
		fmt.Fprintf(stderr, "%s: %d of %d %s taken from %s, saved by an earlier run\n", label, reused, planned, unit, file)
	}
	if err != nil && (!errors.As(err, &in) || done == 0) {
		return nil, runError(err)
	}
	if in != nil {
		if file == "" {
			fmt.Fprintf(stderr, "%s: interrupted; the first %d of %d %s are complete and printed, not saved (no --out)\n", label, done, planned, unit)
		} else {
			fmt.Fprintf(stderr, "%s: interrupted; the first %d of %d %s are complete and saved in %s: run the same command again to run the other %d\n",
				label, done, planned, unit, file, planned-done)
		}
	}
	return in, nil
}

// outFile is dir/name, or "" without an output directory (nothing is saved).
func outFile(dir, name string) string {
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, name)
}

// splitSets sorts the --set arguments of a sweep or sensitivity study: one with a single value
// fixes that field for the whole run; one with several is varied (an axis). A field both
// fixed and varied is refused with the study's scenario at hand (checkSets), where an id
// and an index can be told to name one element.
func splitSets(args []setArg) (fixed []mc.Setting, varied []mc.Axis) {
	for _, a := range args {
		if len(a.values) == 1 {
			fixed = append(fixed, mc.Setting{Path: a.path, Value: a.values[0]})
		} else {
			varied = append(varied, mc.Axis{Path: a.path, Values: a.values})
		}
	}
	return fixed, varied
}

// sweepSpec is what a sweep sets: its swept fields (axes), its fixed settings, and whether
// the axes move together.
type sweepSpec struct {
	axes    []mc.Axis
	fixed   []mc.Setting
	zip     bool
	untilCI float64      // each point stops once its leak rate is this sharp (0: runs -n)
	file    mc.SweepFile // sweep.json but for its points
	// step is the paired form of --metric (stepName) that the table and sweep.csv give for
	// each point against the one before (mc.SweepPoint.Step); nil for a grid of two or more
	// fields, whose points are not one line, or a metric with no paired form.
	step     *pairedMetric
	stepName string
	// extra is --metric (extraName) where the table has no column of its own for it (per
	// asset, class, layer or unit; leakers): the table and sweep.csv add one, so that the
	// numbers the plot draws are also printed. nil for the metrics the table always shows.
	extra     *sweepMetric
	extraName string
}

// tableMetric names the metrics the sweep table always has a column for; any other --metric
// gets a column of its own (sweepSpec.extra).
var tableMetric = map[string]bool{"leak_rate": true, "p_any_leak": true, "value_lost": true, "interceptors_fired": true, "exchange_ratio": true}

// save writes the points complete so far into dir/sweep.json.
func (sw sweepSpec) save(dir string, pts []mc.SweepPoint) error {
	f := sw.file
	f.Points, f.Complete = pts, len(pts) == f.Planned
	return mc.WriteSweepFile(dir, &f)
}

func (sw sweepSpec) paths(sep string) string {
	p := make([]string, len(sw.axes))
	for i, a := range sw.axes {
		p[i] = a.Path
	}
	return strings.Join(p, sep)
}

// finishSweep prints the sweep's table and, with --out, writes its CSV, JSON and plots.
func finishSweep(points []mc.SweepPoint, sw sweepSpec, outDir string, st *mc.Study, m sweepMetric, f mcFlags,
	stdout, stderr io.Writer, label string) error {
	if !f.quiet {
		if err := writeSweepTable(stdout, sw, points); err != nil {
			return err
		}
	}
	if outDir == "" {
		return nil
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return runError(err)
	}
	if err := writeSweepCSV(filepath.Join(outDir, "sweep.csv"), sw, points); err != nil {
		return runError(err)
	}
	if err := sw.save(outDir, points); err != nil {
		return runError(err)
	}
	// The plots of an earlier run in the directory, of another metric or study, would sit
	// next to this run's files as if they were its own: each one this run does not draw
	// again is removed.
	for _, name := range []string{"sweep", "sweep-steps", "sweep-heatmap"} {
		for _, ext := range []string{".png", ".svg"} {
			if err := os.Remove(filepath.Join(outDir, name+ext)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return runError(err)
			}
		}
	}
	perPoint := mc.Count(f.n, "replication per point", "replications per point")
	if sw.untilCI > 0 {
		// Short, for the titles and a legend: "±" for the half-width, as the footer spells out.
		perPoint = fmt.Sprintf("each point until ± %g, %s", sw.untilCI, repsRun(points, sw.file.Replications))
	}
	switch pic := pictureNote(points); pic {
	case "":
	case scenario.PicturePerfect:
		perPoint += ", perfect air picture"
	default:
		perPoint += ", air picture " + pic
	}
	if g, ok := sweepGrid(points, sw, m); ok {
		// Two numeric fields in a grid: also a heat map, readable however many values.
		title := fmt.Sprintf("%s\n%s, %s", m.label, st.Scenario().Name, perPoint)
		if err := report.PlotHeatmap(title, sw.axes[0].Path, sw.axes[1].Path, heatUnit(m.name), g,
			filepath.Join(outDir, "sweep-heatmap.png"), filepath.Join(outDir, "sweep-heatmap.svg")); err != nil {
			fmt.Fprintf(stderr, "adsim: no heat map: %v\n", err)
		} else if !f.noProgress {
			fmt.Fprintf(stderr, "%s: wrote %s/{sweep-heatmap.png,sweep-heatmap.svg}\n", label, outDir)
		}
	}
	bands, why := sweepBands(points, sw, m)
	if why != "" {
		fmt.Fprintf(stderr, "adsim: %s: no plot (see sweep.csv)\n", why)
		return nil
	}
	if len(bands) == 1 {
		bands[0].Name = fmt.Sprintf("%s, %s", st.Scenario().Name, perPoint)
	}
	title := fmt.Sprintf("%s over %s", m.label, sw.axes[0].Path)
	xLabel := sw.axes[0].Path
	if sw.zip && len(sw.axes) > 1 {
		title = fmt.Sprintf("%s over %s", m.label, sw.paths(", "))
		xLabel = fmt.Sprintf("%s (with %s)", sw.axes[0].Path, sweepSpec{axes: sw.axes[1:]}.paths(", "))
	} else if len(sw.axes) == 2 {
		title = fmt.Sprintf("%s\n%s, %s", title, st.Scenario().Name, perPoint)
	}
	err := report.PlotBands(title, xLabel, m.label, bands, filepath.Join(outDir, "sweep.png"), filepath.Join(outDir, "sweep.svg"))
	if err != nil {
		return runError(err)
	}
	wrote := "sweep.csv,sweep.json,sweep.png,sweep.svg"
	if steps := sweepSteps(points, sw); len(steps) > 0 {
		title := fmt.Sprintf("step of %s from the point before\n%s, %s, paired", sw.step.label, st.Scenario().Name, perPoint)
		yLabel := "this point − the one before"
		if order := sweptOrder(sw.axes[0]); order != "" {
			// Drawn on an ascending axis, the steps of a descending sweep read backwards
			// unless the plot says which point comes before which.
			title += "\n" + order
			yLabel = "this point − the one before it in the sweep"
		}
		if err := report.PlotSteps(title, xLabel, yLabel, steps,
			filepath.Join(outDir, "sweep-steps.png"), filepath.Join(outDir, "sweep-steps.svg")); err != nil {
			return runError(err)
		}
		wrote += ",sweep-steps.png,sweep-steps.svg"
	}
	if !f.noProgress {
		fmt.Fprintf(stderr, "%s: wrote %s/{%s}\n", label, outDir, wrote)
	}
	return nil
}

// sweepSteps are the steps of a sweep along one line of points for its steps plot: each
// point's paired difference of --metric from the point before, at the point's first field
// value. None without steps (a grid, or a metric compare does not pair), and none to draw
// where a point has no step (a point saved by an earlier run, which kept none) or no value.
func sweepSteps(points []mc.SweepPoint, sw sweepSpec) []report.Step {
	if sw.step == nil {
		return nil
	}
	var steps []report.Step
	for _, p := range points[min(1, len(points)):] {
		if p.Step == nil || math.IsNaN(p.X[0]) {
			continue
		}
		d := sw.step.get(p.Step)
		if math.IsNaN(d.Diff.Est) {
			continue
		}
		k := sw.step.scale
		steps = append(steps, report.Step{X: p.X[0], Est: k * d.Diff.Est, Lo: k * d.Diff.Lo, Hi: k * d.Diff.Hi,
			Significant: d.Significant(), Bound: d.Test == "sign"})
	}
	return steps
}

// sweepGrid is the metric over a grid of two numeric swept fields (not zipped), for a heat
// map: Z[r][c] at the first field's c-th value and the second's r-th; false for any other
// sweep (the points of an interrupted grid leave NaN cells).
func sweepGrid(points []mc.SweepPoint, sw sweepSpec, m sweepMetric) (report.Grid, bool) {
	if sw.zip || len(sw.axes) != 2 {
		return report.Grid{}, false
	}
	num := func(vs []string) ([]float64, bool) {
		out := make([]float64, len(vs))
		for i, v := range vs {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, false
			}
			out[i] = x
		}
		return out, true
	}
	xs, okx := num(sw.axes[0].Values)
	ys, oky := num(sw.axes[1].Values)
	if !okx || !oky {
		return report.Grid{}, false
	}
	g := report.Grid{X: xs, Y: ys, Z: make([][]float64, len(ys))}
	for r := range g.Z {
		g.Z[r] = make([]float64, len(xs))
		for c := range g.Z[r] {
			g.Z[r][c] = math.NaN()
		}
	}
	// Grid order: the second field varies fastest (mc.Grid).
	for k, p := range points {
		c, r := k/len(ys), k%len(ys)
		g.Z[r][c] = m.scale * m.get(p.Result).Est
	}
	return g, true
}

// sweepBands are the curves of a sweep's plot: the metric over the first field's values,
// one curve (zipped, or one field) or one per value of the second field (a grid of two).
// why says why there is no plot: a first field that is not a number, more than two swept
// fields in a grid, or more than maxSweepCurves curves.
func sweepBands(points []mc.SweepPoint, sw sweepSpec, m sweepMetric) (bands []report.Band, why string) {
	grid2 := !sw.zip && len(sw.axes) == 2
	switch {
	case !sw.zip && len(sw.axes) > 2:
		return nil, fmt.Sprintf("a grid of %d fields", len(sw.axes))
	case grid2 && len(sw.axes[1].Values) > maxSweepCurves:
		return nil, fmt.Sprintf("%s has %d values, and the plot draws at most %d curves", sw.axes[1].Path, len(sw.axes[1].Values), maxSweepCurves)
	}
	curve := map[string]int{}
	for _, p := range points {
		if math.IsNaN(p.X[0]) {
			return nil, fmt.Sprintf("%s=%s is not a number", p.Set[0].Path, p.Set[0].Value)
		}
		key := ""
		if grid2 {
			key = p.Set[1].String()
		}
		k, ok := curve[key]
		if !ok {
			k = len(bands)
			curve[key] = k
			bands = append(bands, report.Band{Name: key})
		}
		b := &bands[k]
		// A point without the thing (a class none of its raids flies) is kept as NaN: the
		// plot leaves a gap there rather than drawing the curve through it.
		iv := m.get(p.Result)
		b.X = append(b.X, p.X[0])
		b.Y, b.Lo, b.Hi = append(b.Y, m.scale*iv.Est), append(b.Lo, m.scale*iv.Lo), append(b.Hi, m.scale*iv.Hi)
	}
	for _, b := range bands {
		for _, y := range b.Y {
			if !math.IsNaN(y) {
				return bands, ""
			}
		}
	}
	return nil, "the metric has no value at any point"
}

func writeSweepTable(w io.Writer, sw sweepSpec, points []mc.SweepPoint) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	reps := ""
	if sw.untilCI > 0 {
		reps = "\tREPLICATIONS" // each point stopped where its interval was sharp enough
	}
	step := ""
	if sw.step != nil {
		step = "\tSTEP " + sw.stepName
	}
	extra := ""
	if sw.extra != nil {
		extra = "\t" + strings.ToUpper(sw.extraName)
	}
	fmt.Fprintf(tw, "%s%s\tLEAK RATE\tP(ANY LEAK)\tVALUE LOST\tINTERCEPTORS\tEXCHANGE RATIO%s%s\n", sw.paths("\t"), reps, extra, step)
	for i, p := range points {
		r := p.Result
		vals := make([]string, len(p.Set))
		for i, s := range p.Set {
			vals[i] = s.Value
		}
		if sw.untilCI > 0 {
			vals = append(vals, strconv.FormatInt(r.Replications, 10))
		}
		cells := []string{r.LeakRate.Percent(), r.AnyLeak.Percent(), r.ValueLost.Format(1), r.Interceptors.Mean.Format(1), r.ExchangeRatio.Format(2)}
		if sw.extra != nil {
			iv := sw.extra.get(r)
			switch {
			case sw.extra.scale == 100:
				cells = append(cells, iv.Percent())
			case isMoney(sw.extraName):
				cells = append(cells, moneyInterval(iv))
			default:
				cells = append(cells, iv.Format(mc.Decimals(iv.HalfWidth(), 2)))
			}
		}
		if sw.step != nil && i > 0 {
			cells = append(cells, stepCell(sw.step, isMoney(sw.stepName), p.Step))
		}
		fmt.Fprintf(tw, "%s\t%s\n", strings.Join(vals, "\t"), strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	how := "value"
	if len(sw.axes) > 1 {
		how = "point"
	}
	head := mc.Count(pointsReps(points), "replication per "+how, "replications per "+how)
	if sw.untilCI > 0 {
		head = fmt.Sprintf("each %s run until its leak rate's interval has a half-width of at most %g: %s", how, sw.untilCI, repsRun(points, sw.file.Replications))
	}
	tail := ""
	if pic := pictureNote(points); pic != "" {
		tail = "; air picture: " + pic
	}
	if _, err := fmt.Fprintf(w, "\n%s, common random numbers; intervals 95 %%%s\n", head, tail); err != nil {
		return err
	}
	if sw.extra != nil {
		if _, err := fmt.Fprintf(w, "%s: %s\n", strings.ToUpper(sw.extraName), sw.extra.label); err != nil {
			return err
		}
	}
	if sw.step != nil {
		before := "the one before"
		if order := sweptOrder(sw.axes[0]); order != "" {
			before = fmt.Sprintf("the one before it in the sweep (%s)", order)
		}
		if _, err := fmt.Fprintf(w, "STEP %s: %s, each %s minus %s, paired replication by replication (* p < 0.05)\n",
			sw.stepName, sw.step.label, how, before); err != nil {
			return err
		}
	}
	if len(sw.fixed) > 0 {
		fx := make([]string, len(sw.fixed))
		for i, s := range sw.fixed {
			fx[i] = s.String()
		}
		_, err := fmt.Fprintf(w, "fixed: %s\n", strings.Join(fx, ", "))
		return err
	}
	return nil
}

// stepCell is a point's step in the table: the paired difference of the metric from the
// point before, with its 95 % interval and "*" when p < 0.05; "-" where there is none (after
// a point saved by an earlier run). The first point has no cell.
func stepCell(m *pairedMetric, money bool, c *mc.Comparison) string {
	if c == nil {
		return "-"
	}
	p := m.get(c)
	if math.IsNaN(p.Diff.Est) {
		return "-"
	}
	d := 2
	if m.scale == 100 {
		d = 1 // points of per cent
	}
	iv := mc.Interval{Est: p.Diff.Est * m.scale, Lo: p.Diff.Lo * m.scale, Hi: p.Diff.Hi * m.scale}
	// Decimals from the interval, so that a sharp step (-0.039 ± 0.038 points) is not
	// printed as -0.0 ± 0.0 beside its star.
	s := iv.Format(mc.Decimals(iv.HalfWidth(), d))
	if money {
		s = moneyInterval(iv)
	}
	if iv.Est > 0 {
		s = "+" + s
	}
	if p.Significant() {
		s += " *"
	}
	return s
}

// isMoney reports whether the metric named name is in dollars.
func isMoney(name string) bool { return strings.HasSuffix(name, "_usd") }

// heatUnit is the unit of a heat map of the metric named name: dollars ($9.6M) or a number.
func heatUnit(name string) report.Unit {
	if isMoney(name) {
		return report.Dollars
	}
	return report.Number
}

// moneyInterval formats an interval of dollars as adsim writes money (report.Money: 9.80M,
// 350k), the estimate and half-width in the unit of the estimate, with decimals from the
// half-width (mc.Decimals): "$9.80M ± 0.78M", not "9800000.00 ± 781454.43".
func moneyInterval(iv mc.Interval) string {
	if math.IsNaN(iv.Est) {
		return "-"
	}
	unit, k := "", 1.0
	a := math.Abs(iv.Est)
	if h := iv.HalfWidth(); a == 0 && !math.IsInf(h, 0) && !math.IsNaN(h) {
		// No difference seen: the unit of what could not be excluded, not raw dollars
		// ("$0M [-32M, 33M]", not "$0 [-32447384, 32515057]").
		a = h
	}
	switch {
	case a >= 1e9:
		unit, k = "B", 1e9
	case a >= 1e6:
		unit, k = "M", 1e6
	case a >= 1e3:
		unit, k = "k", 1e3
	}
	s := mc.Interval{Est: iv.Est / k, Lo: iv.Lo / k, Hi: iv.Hi / k}
	d := mc.Decimals(s.HalfWidth(), 2)
	sign := ""
	if s.Est < 0 {
		sign, s = "-", mc.Interval{Est: -s.Est, Lo: -s.Hi, Hi: -s.Lo}
	}
	h := s.HalfWidth()
	if math.IsInf(h, 0) || math.IsNaN(h) {
		return fmt.Sprintf("%s$%.*f%s", sign, d, s.Est, unit)
	}
	if !s.Symmetric(d) {
		if sign != "" {
			// Negated, the bounds swap: give them as they are.
			return fmt.Sprintf("-$%.*f%s [%.*f%s, %.*f%s]", d, s.Est, unit, d, -s.Hi, unit, d, -s.Lo, unit)
		}
		return fmt.Sprintf("$%.*f%s [%.*f%s, %.*f%s]", d, s.Est, unit, d, s.Lo, unit, d, s.Hi, unit)
	}
	return fmt.Sprintf("%s$%.*f%s ± %.*f%s", sign, d, s.Est, unit, d, h, unit)
}

// pictureNote names the air picture every point ran in when it is not the tracked one: the
// perfect picture (--picture perfect, a fixed c2.picture, or the scenario's own) as "perfect",
// the mixed one (c2.perfect_categories) as "tracked, perfect for drone"; "" otherwise. The
// table and the plots say so, as adsim mc's summary does, since its figures are not the
// tracked picture's. A sweep over the picture shows it as an axis instead (the points differ:
// "").
func pictureNote(points []mc.SweepPoint) string {
	note := ""
	for i, p := range points {
		if p.Result == nil {
			return ""
		}
		n := ""
		switch {
		case p.Result.Picture == scenario.PicturePerfect:
			n = "perfect"
		case len(p.Result.PerfectCategories) > 0:
			n = "tracked, perfect for " + strings.Join(p.Result.PerfectCategories, ", ")
		}
		if i > 0 && n != note {
			return ""
		}
		note = n
	}
	return note
}

// repsRun says how many replications the points ran under --until-ci, of at most n (-n):
// "20–40 of at most 120 replications", or "40 of ..." where every point ran as many.
func repsRun(p []mc.SweepPoint, n uint64) string {
	if len(p) == 0 {
		return fmt.Sprintf("at most %d replications", n)
	}
	lo, hi := p[0].Result.Replications, p[0].Result.Replications
	for _, q := range p {
		lo, hi = min(lo, q.Result.Replications), max(hi, q.Result.Replications)
	}
	if lo == hi {
		return fmt.Sprintf("%d of at most %d replications", lo, n)
	}
	return fmt.Sprintf("%d–%d of at most %d replications", lo, hi, n)
}

// sweptOrder says in which order a swept field's values run when a reader could not take
// it for ascending — "swept from 12 down to 4", "in the order given: 4, 12, 8" — and is ""
// for numbers that ascend. A step is "this point minus the one before it in the sweep".
func sweptOrder(a mc.Axis) string {
	asc, desc := true, true
	prev := math.NaN()
	for i, v := range a.Values {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			asc, desc = false, false
			break
		}
		if i > 0 {
			asc, desc = asc && x > prev, desc && x < prev
		}
		prev = x
	}
	switch {
	case asc:
		return ""
	case desc:
		return fmt.Sprintf("swept from %s down to %s", a.Values[0], a.Values[len(a.Values)-1])
	}
	return "in the order given: " + strings.Join(strings.Split(someOf(a.Values, 6), "; "), ", ")
}

func pointsReps(p []mc.SweepPoint) int64 {
	if len(p) == 0 {
		return 0
	}
	return p[0].Result.Replications
}

// csvNum is a number for a CSV cell: empty (NA in R and pandas) when not finite.
func csvNum(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

func writeSweepCSV(path string, sw sweepSpec, points []mc.SweepPoint) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	// A column per swept field, named by its path.
	head := append(strings.Split(sw.paths("\x00"), "\x00"), "replications")
	// A value and its interval for each metric --metric can plot, and --metric itself where
	// it is none of them (one asset, class, layer or unit), named by the metric, in its own
	// units (a fraction for rates).
	cols := sweepMetrics
	if sw.extra != nil {
		if _, ok := metricByName(sweepMetrics, sw.extraName); !ok {
			cols = append(slices.Clip(cols), sweepMetric{name: sw.extraName, get: sw.extra.get})
		}
	}
	for _, iv := range cols {
		head = append(head, iv.name, iv.name+"_lo", iv.name+"_hi")
	}
	if sw.step != nil {
		// The step of --metric from the point before, in the metric's own units (a fraction
		// for rates), empty for the first point and where there is none.
		n := "step_" + sw.stepName
		head = append(head, n, n+"_lo", n+"_hi", n+"_p")
	}
	if err := w.Write(head); err != nil {
		f.Close()
		return err
	}
	for _, p := range points {
		var rec []string
		for _, s := range p.Set {
			rec = append(rec, s.Value)
		}
		rec = append(rec, strconv.FormatInt(p.Result.Replications, 10))
		for _, iv := range cols {
			v := iv.get(p.Result)
			rec = append(rec, csvNum(v.Est), csvNum(v.Lo), csvNum(v.Hi))
		}
		if sw.step != nil {
			d := noPair()
			if p.Step != nil {
				d = sw.step.get(p.Step)
			}
			rec = append(rec, csvNum(d.Diff.Est), csvNum(d.Diff.Lo), csvNum(d.Diff.Hi), csvNum(d.P))
		}
		if err := w.Write(rec); err != nil {
			f.Close()
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
