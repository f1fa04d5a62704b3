package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/adsim/adsim/mc"
	"github.com/adsim/adsim/report"
)

// sweepMetric is a metric a sweep can plot: its label, the factor to its plotted unit and
// how to read it from a result.
type sweepMetric struct {
	label string
	scale float64
	get   func(*mc.Result) mc.Interval
}

// sweepMetrics are the metrics a sweep can plot, by name.
var sweepMetrics = map[string]sweepMetric{
	"leak_rate":          {"leak rate (% of threats launched)", 100, func(r *mc.Result) mc.Interval { return r.LeakRate }},
	"p_any_leak":         {"P(at least one leaker) (%)", 100, func(r *mc.Result) mc.Interval { return r.AnyLeak }},
	"value_lost":         {"asset value lost per replication", 1, func(r *mc.Result) mc.Interval { return r.ValueLost }},
	"leakers":            {"leakers per replication", 1, func(r *mc.Result) mc.Interval { return r.Leakers }},
	"interceptors_fired": {"interceptors fired per replication", 1, func(r *mc.Result) mc.Interval { return r.Interceptors.Mean }},
	"exchange_ratio":     {"cost exchange ratio", 1, func(r *mc.Result) mc.Interval { return r.ExchangeRatio }},
}

func metricNames() string {
	return "leak_rate, p_any_leak, value_lost, leakers, interceptors_fired, exchange_ratio"
}

func newSweepCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		f      mcFlags
		set    string
		outDir string
		metric string
	)
	cmd := &cobra.Command{
		Use:   "sweep [SCENARIO] --set PATH=START:STOP:STEP",
		Short: "Run Monte Carlo over the values of one scenario field and plot the outcome with confidence bands",
		Long: `Set one field of the scenario to each value in turn, re-validate the scenario, run -n
replications at each value (all with the same seed: common random numbers) and report the
outcome per value as a table; --out DIR also writes sweep.csv, sweep.json, sweep.png and
sweep.svg (the --metric with its 95 % confidence band). Ctrl-C or SIGTERM keeps the values
already complete: they are printed and written.

PATH uses the scenario file's field names: raids[0].count, fire_units[2].magazine.57e6,
c2.salvo, sensors[1].ref_range_km. VALUES is START:STOP:STEP (10:200:10) or a list (a,b,c).`,
		Example: `  adsim sweep capital --set raids[0].count=10:200:10 -n 200 --out sweep/
  adsim sweep my.yaml --set c2.doctrine=shoot-look-shoot,salvo -n 500`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.check(); err != nil {
				return err
			}
			if set == "" {
				return badInput(fmt.Errorf("--set PATH=VALUES is required, e.g. --set raids[0].count=10:200:10"))
			}
			m, ok := sweepMetrics[metric]
			if !ok {
				return badInput(fmt.Errorf("--metric %q: expected one of %s", metric, metricNames()))
			}
			path, values, err := mc.ParseSet(set)
			if err != nil {
				return badInput(err)
			}
			st, err := f.study(cmd, firstArg(args))
			if err != nil {
				return err
			}
			// Check every value before running anything.
			for _, v := range values {
				if _, err := st.With(path, v); err != nil {
					return badInput(fmt.Errorf("--set: %w", err))
				}
			}
			ctx, cancel := signalContext()
			defer cancel()
			label := fmt.Sprintf("sweep %s", path)
			pr := newProgress(stderr, label, f.n*uint64(len(values)), f.noProgress)
			points, err := mc.Sweep(ctx, st, path, values, f.executor(stderr), mc.Options{Reps: mc.Range{End: f.n}},
				func(i int, done uint64) { pr.update(uint64(i)*f.n + done) })
			pr.finish()
			var in *mc.Interrupted
			if err != nil && (!errors.As(err, &in) || len(points) == 0) {
				return runError(err)
			}
			if in != nil {
				// Keep the values already complete: print and write them, then fail.
				fmt.Fprintf(stderr, "%s: interrupted; the first %d of %d values are complete and kept\n", label, len(points), len(values))
				if werr := finishSweep(points, path, outDir, st, m, f, stdout, stderr, label); werr != nil {
					return werr
				}
				return runError(err)
			}
			return finishSweep(points, path, outDir, st, m, f, stdout, stderr, label)
		},
	}
	f.register(cmd, 100)
	cmd.Flags().StringVar(&set, "set", "", "PATH=VALUES: the field to sweep and its values (START:STOP:STEP or a,b,c)")
	cmd.Flags().StringVar(&outDir, "out", "", "write sweep.csv, sweep.json, sweep.png and sweep.svg into this directory")
	cmd.Flags().StringVar(&metric, "metric", "leak_rate", "the metric to plot: "+metricNames())
	return cmd
}

// finishSweep prints the sweep's table and, with --out, writes its CSV, JSON and plots.
func finishSweep(points []mc.SweepPoint, path, outDir string, st *mc.Study, m sweepMetric, f mcFlags,
	stdout, stderr io.Writer, label string) error {
	if !f.quiet {
		if err := writeSweepTable(stdout, path, points); err != nil {
			return err
		}
	}
	if outDir == "" {
		return nil
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return runError(err)
	}
	if err := writeSweepCSV(filepath.Join(outDir, "sweep.csv"), points); err != nil {
		return runError(err)
	}
	if err := writeJSONFile(filepath.Join(outDir, "sweep.json"), map[string]any{"scenario": st.Scenario().Name,
		"seed": st.Seed, "path": path, "replications": f.n, "points": points}); err != nil {
		return runError(err)
	}
	var b report.Band
	for _, p := range points {
		if math.IsNaN(p.X) {
			fmt.Fprintf(stderr, "adsim: %s=%s is not a number: no plot (see sweep.csv)\n", path, p.Value)
			return nil
		}
		iv := m.get(p.Result)
		b.X = append(b.X, p.X)
		b.Y, b.Lo, b.Hi = append(b.Y, m.scale*iv.Est), append(b.Lo, m.scale*iv.Lo), append(b.Hi, m.scale*iv.Hi)
	}
	b.Name = fmt.Sprintf("%s, %d replications per point", st.Scenario().Name, f.n)
	err := report.PlotBands(fmt.Sprintf("%s over %s", m.label, path), path, m.label, []report.Band{b},
		filepath.Join(outDir, "sweep.png"), filepath.Join(outDir, "sweep.svg"))
	if err != nil {
		return runError(err)
	}
	if !f.noProgress {
		fmt.Fprintf(stderr, "%s: wrote %s/{sweep.csv,sweep.json,sweep.png,sweep.svg}\n", label, outDir)
	}
	return nil
}

func writeSweepTable(w io.Writer, path string, points []mc.SweepPoint) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\tLEAK RATE\tP(ANY LEAK)\tVALUE LOST\tINTERCEPTORS\tEXCHANGE RATIO\n", path)
	for _, p := range points {
		r := p.Result
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.Value, pct(r.LeakRate), pct(r.AnyLeak), pm(r.ValueLost, 1),
			pm(r.Interceptors.Mean, 1), pm(r.ExchangeRatio, 2))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d replications per value, common random numbers; intervals 95 %%\n", pointsReps(points))
	return err
}

func pointsReps(p []mc.SweepPoint) int64 {
	if len(p) == 0 {
		return 0
	}
	return p[0].Result.Replications
}

func pct(iv mc.Interval) string {
	if math.IsNaN(iv.Est) {
		return "-"
	}
	return fmt.Sprintf("%.1f %% [%.1f, %.1f]", 100*iv.Est, 100*iv.Lo, 100*iv.Hi)
}

func pm(iv mc.Interval, d int) string {
	if math.IsNaN(iv.Est) {
		return "-"
	}
	h := iv.HalfWidth()
	if math.IsInf(h, 0) || math.IsNaN(h) {
		return strconv.FormatFloat(iv.Est, 'f', d, 64)
	}
	return fmt.Sprintf("%.*f ± %.*f", d, iv.Est, d, h)
}

func writeSweepCSV(path string, points []mc.SweepPoint) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	head := []string{"value", "replications"}
	ivs := []struct {
		name string
		get  func(*mc.Result) mc.Interval
	}{
		{"leak_rate", func(r *mc.Result) mc.Interval { return r.LeakRate }},
		{"p_any_leak", func(r *mc.Result) mc.Interval { return r.AnyLeak }},
		{"leakers", func(r *mc.Result) mc.Interval { return r.Leakers }},
		{"value_lost", func(r *mc.Result) mc.Interval { return r.ValueLost }},
		{"interceptors_fired", func(r *mc.Result) mc.Interval { return r.Interceptors.Mean }},
		{"gun_rounds", func(r *mc.Result) mc.Interval { return r.GunRounds.Mean }},
		{"defence_cost_usd", func(r *mc.Result) mc.Interval { return r.DefenceCostUSD }},
		{"exchange_ratio", func(r *mc.Result) mc.Interval { return r.ExchangeRatio }},
	}
	for _, iv := range ivs {
		head = append(head, iv.name, iv.name+"_lo", iv.name+"_hi")
	}
	if err := w.Write(head); err != nil {
		f.Close()
		return err
	}
	num := func(x float64) string {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "" // NA in R and pandas
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	for _, p := range points {
		rec := []string{p.Value, strconv.FormatInt(p.Result.Replications, 10)}
		for _, iv := range ivs {
			v := iv.get(p.Result)
			rec = append(rec, num(v.Est), num(v.Lo), num(v.Hi))
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

func writeJSONFile(path string, v any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := writeJSONTo(f, v); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
