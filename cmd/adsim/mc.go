package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/adsim/adsim/mc"
	"github.com/adsim/adsim/scenario"
)

// readScenarioSource returns the bytes of a scenario given as a file path or the name of an
// embedded example ("" is the default scenario). A file wins over an example of the same name.
func readScenarioSource(arg string) (name string, src []byte, err error) {
	if arg == "" {
		arg = defaultScenario
	}
	if data, ferr := os.ReadFile(arg); ferr == nil {
		return arg, data, nil
	} else if !errors.Is(ferr, os.ErrNotExist) {
		return "", nil, badInput(fmt.Errorf("scenario: %w", ferr))
	}
	if slices.Contains(scenario.ExampleNames(), arg) {
		data, err := scenario.ExampleFile(arg)
		if err != nil {
			return "", nil, runError(err)
		}
		return arg, data, nil
	}
	return "", nil, badInput(fmt.Errorf("scenario %q: no such file, and no embedded example of that name (examples: %s)",
		arg, strings.Join(scenario.ExampleNames(), ", ")))
}

// firstArg is the optional positional argument of a command ("" when absent).
func firstArg(args []string) string {
	if len(args) == 1 {
		return args[0]
	}
	return ""
}

// newStudy loads a scenario for Monte Carlo runs; an invalid one is bad input.
func newStudy(arg string, seed *uint64) (*mc.Study, error) {
	name, src, err := readScenarioSource(arg)
	if err != nil {
		return nil, err
	}
	st, err := mc.NewStudy(name, src, nil, seed)
	if err != nil {
		return nil, badInput(err)
	}
	return st, nil
}

// mcFlags are the options shared by mc, compare and sweep.
type mcFlags struct {
	n          uint64
	workers    int
	seed       uint64
	natsURL    string
	batch      uint64
	ackWait    time.Duration
	quiet      bool
	noProgress bool
}

func (f *mcFlags) register(cmd *cobra.Command, defaultN uint64) {
	fl := cmd.Flags()
	fl.Uint64VarP(&f.n, "n", "n", defaultN, "number of replications (the maximum with --until-ci)")
	fl.IntVar(&f.workers, "workers", 0, "parallel workers in this process (default: GOMAXPROCS, all cores)")
	fl.Uint64Var(&f.seed, "seed", 0, "root random seed (default: the scenario's seed)")
	fl.StringVar(&f.natsURL, "nats", "", "run on remote `adsim worker`s through this NATS JetStream server (e.g. nats://host:4222)")
	fl.Uint64Var(&f.batch, "batch", 10, "replications per work message with --nats")
	fl.DurationVar(&f.ackWait, "ack-wait", mc.DefaultAckWait, "with --nats: redeliver a batch whose worker is silent this long")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print no summary table")
	fl.BoolVar(&f.noProgress, "no-progress", false, "print no progress on stderr")
}

func (f *mcFlags) seedPtr(cmd *cobra.Command) *uint64 {
	if cmd.Flags().Changed("seed") {
		s := f.seed
		return &s
	}
	return nil
}

func (f *mcFlags) check() error {
	if f.n == 0 {
		return badInput(errors.New("-n: the number of replications must be at least 1"))
	}
	if f.workers < 0 {
		return badInput(fmt.Errorf("--workers %d: must be 0 (all cores) or more", f.workers))
	}
	if f.natsURL != "" && f.batch == 0 {
		return badInput(errors.New("--batch: must be at least 1"))
	}
	return nil
}

func (f *mcFlags) executor(stderr io.Writer) mc.Executor {
	if f.natsURL != "" {
		return mc.NATS{URL: f.natsURL, Batch: f.batch, AckWait: f.ackWait,
			Log: func(s string) { fmt.Fprintln(stderr, "adsim:", s) }}
	}
	return mc.Local{Workers: f.workers}
}

func (f *mcFlags) workersLabel() string {
	if f.natsURL != "" {
		return "remote workers via " + f.natsURL
	}
	w := f.workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	return fmt.Sprintf("%d workers", w)
}

// progress reports replications done on stderr: a bar with rate and ETA on a terminal, a
// plain line every 10 % (at most one per second) otherwise.
type progress struct {
	label    string
	total    uint64
	bar      *progressbar.ProgressBar
	w        io.Writer
	start    time.Time
	lastLine time.Time
	lastPct  uint64
}

func newProgress(stderr io.Writer, label string, total uint64, off bool) *progress {
	p := &progress{label: label, total: total, w: stderr, start: time.Now()}
	if off {
		p.w = nil
		return p
	}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions64(int64(total), progressbar.OptionSetWriter(stderr),
			progressbar.OptionSetDescription(label), progressbar.OptionShowCount(), progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("rep"), progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish(),
			progressbar.OptionSetWidth(30))
	}
	return p
}

func (p *progress) update(done uint64) {
	if p.w == nil {
		return
	}
	if p.bar != nil {
		_ = p.bar.Set64(int64(done))
		return
	}
	pct := 100 * done / max(p.total, 1)
	now := time.Now()
	if done == p.total || (pct >= p.lastPct+10 && now.Sub(p.lastLine) >= time.Second) {
		el := now.Sub(p.start).Seconds()
		rate := float64(done) / el
		eta := float64(p.total-done) / rate
		fmt.Fprintf(p.w, "%s: %d/%d replications (%d %%), %.1f/s, ETA %.0f s\n", p.label, done, p.total, pct, rate, eta)
		p.lastLine, p.lastPct = now, pct-pct%10
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

// signalContext is cancelled by Ctrl-C.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

func newMCCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		f          mcFlags
		untilCI    float64
		checkEvery uint64
		outDir     string
		shardSpec  string
		jsonOut    bool
	)
	cmd := &cobra.Command{
		Use:   "mc [SCENARIO]",
		Short: "Run many replications and report leakage, damage and expenditure with confidence intervals",
		Long: `Run N replications of a scenario (a file, or an embedded example name; default "capital")
on all cores and print statistics with 95 % confidence intervals: leak rate, probability of
any leaker and of each asset being hit (Wilson), expected value lost, interceptors spent
(mean and percentiles), cost exchange ratio, kills per layer, per threat class, per asset
and per fire unit.

Replication i draws from random streams keyed by (seed, i), so the rows and the statistics
are identical whatever --workers, in shards merged with 'adsim merge', or on remote workers
(--nats). --out DIR writes one row per replication (rows.parquet, rows.csv; columns in
docs/results.md), summary.json, manifest.json and a copy of the scenario.`,
		Example: `  adsim mc capital -n 1000
  adsim mc my.yaml -n 100000 --until-ci 0.005 --out results/
  adsim mc capital -n 10000 --shard 3/8 --out shard3/     # then: adsim merge shard*/ --out all/
  adsim mc capital -n 10000 --shard auto/8 --out /data/$JOB_COMPLETION_INDEX
  adsim mc capital -n 10000 --nats nats://localhost:4222   # with 'adsim worker --nats ...' running`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.check(); err != nil {
				return err
			}
			if untilCI < 0 || untilCI >= 1 {
				return badInput(fmt.Errorf("--until-ci %g: expected a half-width between 0 and 1 (e.g. 0.01 for ±1 point of leak rate)", untilCI))
			}
			var shard *mc.Shard
			reps := mc.Range{Start: 0, End: f.n}
			if shardSpec != "" {
				s, err := mc.ParseShard(shardSpec, os.Getenv)
				if err != nil {
					return badInput(fmt.Errorf("--shard: %w", err))
				}
				if untilCI > 0 {
					return badInput(errors.New("--until-ci cannot be used with --shard: each shard must run its whole range"))
				}
				shard, reps = &s, s.Range(f.n)
				if reps.Len() == 0 {
					return badInput(fmt.Errorf("--shard %s: -n %d leaves this shard no replications", s, f.n))
				}
			}
			st, err := newStudy(firstArg(args), f.seedPtr(cmd))
			if err != nil {
				return err
			}
			var sinks []mc.RowSink
			var out *mc.Output
			if outDir != "" {
				if out, err = mc.Create(outDir, st); err != nil {
					return runError(err)
				}
				defer out.Close()
				sinks = append(sinks, out)
			}
			ctx, cancel := signalContext()
			defer cancel()
			label := "mc " + st.Scenario().Name
			if shard != nil {
				label += " shard " + shard.String()
			}
			pr := newProgress(stderr, label, reps.Len(), f.noProgress)
			start := time.Now()
			sum, err := mc.Run(ctx, st, f.executor(stderr), mc.Options{Reps: reps, UntilCI: untilCI,
				CheckEvery: checkEvery, Progress: pr.update}, sinks...)
			pr.finish()
			if err != nil {
				return runError(err)
			}
			el := time.Since(start).Seconds()
			res := sum.Result()
			if !f.noProgress {
				fmt.Fprintf(stderr, "%s: %d replications in %.2f s (%.1f replications/s, %s)\n",
					label, res.Replications, el, float64(res.Replications)/el, f.workersLabel())
				if untilCI > 0 {
					how := "reached"
					if res.LeakRate.HalfWidth() > untilCI {
						how = "not reached"
					}
					fmt.Fprintf(stderr, "%s: --until-ci %g %s: leak rate ± %.4f after %d replications\n", label, untilCI, how, res.LeakRate.HalfWidth(), res.Replications)
				}
			}
			if out != nil {
				if err := out.Finish(sum, f.n, reps, shard); err != nil {
					return runError(err)
				}
				if !f.noProgress {
					fmt.Fprintf(stderr, "%s: wrote %s/{%s,%s,%s,%s}\n", label, outDir, mc.RowsParquet, mc.RowsCSV, mc.SummaryJSON, mc.ManifestJSON)
				}
			}
			if jsonOut {
				return writeJSONTo(stdout, res)
			}
			if !f.quiet {
				return res.WriteText(stdout)
			}
			return nil
		},
	}
	f.register(cmd, 1000)
	fl := cmd.Flags()
	fl.Float64Var(&untilCI, "until-ci", 0, "stop once the 95 % interval of the leak rate is within ± this (checked every --check-every replications)")
	fl.Uint64Var(&checkEvery, "check-every", mc.DefaultCheckEvery, "replications between --until-ci checks (in replication order, so the stop is deterministic)")
	fl.StringVar(&outDir, "out", "", "write rows.parquet, rows.csv, summary.json and manifest.json into this directory")
	fl.StringVar(&shardSpec, "shard", "", "run only shard I/N of the replications (0 ≤ I < N), or auto/N from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID")
	fl.BoolVar(&jsonOut, "json", false, "print the summary as JSON (as summary.json) instead of tables")
	return cmd
}

func writeJSONTo(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
