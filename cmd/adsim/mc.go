package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
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

// withPicture returns the study with its c2.picture set to picture ("" leaves it as it is).
// The override is written into the study's scenario, so it travels with it to shards, remote
// workers and the output directory.
func withPicture(st *mc.Study, picture, flag string) (*mc.Study, error) {
	if picture == "" {
		return st, nil
	}
	if err := checkPicture(picture, flag); err != nil {
		return nil, err
	}
	if st.Scenario().C2.Picture == picture {
		return st, nil
	}
	c, err := st.With("c2.picture", picture)
	if err != nil {
		return nil, badInput(fmt.Errorf("--%s %s: %w", flag, picture, err))
	}
	return c, nil
}

// checkPicture checks the value of a --picture flag.
func checkPicture(picture, flag string) error {
	if picture != scenario.PictureTracked && picture != scenario.PicturePerfect {
		return badInput(fmt.Errorf("--%s %q: expected %q or %q", flag, picture, scenario.PictureTracked, scenario.PicturePerfect))
	}
	return nil
}

// study reads the scenario argument as a study with the flags' seed, settings (--set) and
// picture.
func (f *mcFlags) study(cmd *cobra.Command, arg string) (*mc.Study, error) {
	return f.studyWith(cmd, arg, nil, nil, false)
}

// studyWith is study for a sweep or a sensitivity study, whose --set arguments args, the
// fixed ones (one value) and the varied ones, are checked with the others against the
// scenario before anything is applied (checkSets; distinct: each one's values too), and whose
// fixed settings are applied as well.
func (f *mcFlags) studyWith(cmd *cobra.Command, arg string, args []setArg, fixed []mc.Setting, distinct bool) (*mc.Study, error) {
	sets, err := parseSettings(f.sets, "set")
	if err != nil {
		return nil, err
	}
	own, err := parseSetArgs("set", f.sets)
	if err != nil {
		return nil, err
	}
	args = append(own, args...)
	if err := refusePictureTwice("picture", f.picture, args); err != nil {
		return nil, err
	}
	if f.picture != "" {
		if err := checkPicture(f.picture, "picture"); err != nil {
			return nil, err
		}
	}
	st, err := newStudy(arg, f.seedPtr(cmd))
	if err != nil {
		return nil, err
	}
	if err := checkSets(st, args, distinct); err != nil {
		return nil, err
	}
	if st, err = st.WithSettings(append(sets, fixed...)); err != nil {
		return nil, badInput(fmt.Errorf("--set: %w", err))
	}
	return withPicture(st, f.picture, "picture")
}

// registerSet adds --set PATH=VALUE (repeatable) to a command that runs one scenario as
// given but for the fields it names.
func (f *mcFlags) registerSet(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&f.sets, "set", nil, setHelp)
}

// setHelp is the help of --set on the commands that take one value per field.
const setHelp = "PATH=VALUE: set a field of the scenario, e.g. raids[0].count=40 or c2.doctrine=salvo (repeatable; paths as in 'adsim sweep')"

// parseSettings reads --set arguments, each PATH=VALUE with one value.
func parseSettings(args []string, flag string) ([]mc.Setting, error) {
	var out []mc.Setting
	for _, a := range args {
		s, err := mc.ParseSetting(flag, a)
		if err != nil {
			return nil, badInput(err)
		}
		out = append(out, s)
	}
	return out, nil
}

// withSettings returns the study with the --set arguments applied (none: the study itself).
// Like withPicture, the settings are written into the study's scenario.
func withSettings(st *mc.Study, args []string, flag string) (*mc.Study, error) {
	sets, err := parseSettings(args, flag)
	if err != nil {
		return nil, err
	}
	c, err := st.WithSettings(sets)
	if err != nil {
		return nil, badInput(fmt.Errorf("--%s: %w", flag, err))
	}
	return c, nil
}

// mcFlags are the options shared by mc, compare and sweep.
type mcFlags struct {
	n          uint64
	workers    int
	seed       uint64
	natsURL    string
	natsAuth   natsAuthFlags
	picture    string
	sets       []string // --set PATH=VALUE (mc and compare)
	batch      uint64
	ackWait    time.Duration
	quiet      bool
	noProgress bool
	flags      *pflag.FlagSet // to tell flags given from defaults (check)
	served     *workerShares  // with --nats: the replications each remote worker computed
}

// workerShares counts the replications each remote worker computed, for the summary line;
// the coordinator adds to it from its own goroutine, hence the lock.
type workerShares struct {
	mu sync.Mutex
	n  map[string]int
}

func (f *mcFlags) register(cmd *cobra.Command, defaultN uint64) {
	fl := cmd.Flags()
	f.flags = fl
	fl.Uint64VarP(&f.n, "n", "n", defaultN, "number of replications")
	fl.IntVar(&f.workers, "workers", 0, "parallel workers in this process (default: GOMAXPROCS, all cores; not with --nats)")
	fl.Uint64Var(&f.seed, "seed", 0, "root random seed (default: the scenario's seed)")
	fl.StringVar(&f.picture, "picture", "", "the air picture C2 decides on, tracked or perfect (default: the scenario's c2.picture; docs/models.md); not with --set c2.picture. A mixed picture, perfect for some categories only: --set 'c2.perfect_categories=[drone]'")
	fl.StringVar(&f.natsURL, "nats", "", "run on remote adsim workers through the NATS JetStream server at this `URL` (e.g. nats://host:4222)")
	fl.Uint64Var(&f.batch, "batch", 10, "replications per work message (with --nats only)")
	fl.DurationVar(&f.ackWait, "ack-wait", mc.DefaultAckWait, "redeliver a batch whose worker is silent this long, at least 1s (with --nats only)")
	f.natsAuth.register(fl)
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

// checkNATSURL refuses a --nats URL whose scheme the NATS client does not speak, before
// anything runs: an http:// URL (a monitoring port's, say) would only fail when connecting, after
// the output directory was made. A comma-separated list of servers is checked server by
// server; a host:port without a scheme is the client's nats://.
func checkNATSURL(url string) error {
	for _, u := range strings.Split(url, ",") {
		u = strings.TrimSpace(u)
		if u == "" {
			return badInput(fmt.Errorf("--nats %q: found an empty server in the list; expected URLs such as nats://host:4222, separated by commas", mc.RedactURL(url)))
		}
		scheme, _, ok := strings.Cut(u, "://")
		if !ok {
			continue
		}
		switch strings.ToLower(scheme) {
		case "nats", "tls", "ws", "wss":
		default:
			return badInput(fmt.Errorf("--nats %q: found the scheme %q; expected nats://, tls://, ws:// or wss:// (e.g. nats://host:4222)", mc.RedactURL(url), scheme))
		}
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
	if f.natsURL == "" {
		// Without --nats they would be accepted and do nothing.
		for _, name := range []string{"batch", "ack-wait"} {
			if f.flags.Changed(name) {
				return badInput(fmt.Errorf("--%s applies to distributed runs only: give --nats URL too, or leave --%s out", name, name))
			}
		}
		return f.natsAuth.check("")
	}
	if err := checkNATSURL(f.natsURL); err != nil {
		return err
	}
	if err := f.natsAuth.check(f.natsURL); err != nil {
		return err
	}
	if f.flags.Changed("workers") {
		// The replications run on the adsim worker processes, each with its own --workers.
		return badInput(errors.New("--workers sets this process's parallel replications, but with --nats the replications run on 'adsim worker' processes: give --workers to them"))
	}
	if f.batch == 0 {
		return badInput(errors.New("--batch 0: expected at least 1 replication per work message"))
	}
	if f.ackWait < mc.MinAckWait {
		// Workers report progress every third of it: a shorter one would have batches
		// redelivered while they still run (and 0 or less means nothing).
		return badInput(fmt.Errorf("--ack-wait %v: expected at least %v (e.g. 60s, the default), the time a worker may stay silent before its batch goes to another", f.ackWait, mc.MinAckWait))
	}
	return nil
}

func (f *mcFlags) executor(stderr io.Writer) mc.Executor {
	if f.natsURL != "" {
		shares := &workerShares{n: map[string]int{}}
		f.served = shares
		return hintingNATS{mc.NATS{URL: f.natsURL, Auth: f.natsAuth.auth, Batch: f.batch, AckWait: f.ackWait,
			Log: func(s string) { fmt.Fprintln(stderr, "adsim:", s) },
			Served: func(worker string, n int) {
				shares.mu.Lock()
				defer shares.mu.Unlock()
				shares.n[worker] += n
			}}}
	}
	return mc.Local{Workers: f.workers}
}

// workersLabel says who ran the replications, for the summary line: the local workers, or
// the remote ones and how the replications were shared among them (a worker far below the
// others is a slow or late machine).
func (f *mcFlags) workersLabel() string {
	if f.natsURL != "" {
		label := "remote workers via " + mc.RedactURL(f.natsURL)
		if f.served == nil {
			return label
		}
		f.served.mu.Lock()
		defer f.served.mu.Unlock()
		lo, hi := math.MaxInt, 0
		for _, n := range f.served.n {
			lo, hi = min(lo, n), max(hi, n)
		}
		switch len(f.served.n) {
		case 0:
			return label
		case 1:
			return label + ": 1 worker"
		}
		return fmt.Sprintf("%s: %d workers, %d to %d replications each", label, len(f.served.n), lo, hi)
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
	offset   uint64 // replications done before this process (a resumed run): not in the rate
	bar      *progressbar.ProgressBar
	w        io.Writer
	start    time.Time
	lastLine time.Time
	lastPct  uint64
	taken    uint64 // replications skipped (saved) and not yet said (sayTaken)
	// saidTaken: sayTaken has said where the replications done so far came from.
	saidTaken bool
	last      uint64 // the count done at the last update
}

func newProgress(stderr io.Writer, label string, total uint64, off bool) *progress {
	return newProgressFrom(stderr, label, total, 0, off)
}

// newProgressFrom is newProgress for a run that starts with offset replications already done.
func newProgressFrom(stderr io.Writer, label string, total, offset uint64, off bool) *progress {
	p := &progress{label: label, total: total, offset: offset, w: stderr, start: time.Now()}
	if off {
		p.w = nil
		return p
	}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		// The bar counts this process's replications, so that its rate and ETA are right.
		p.bar = progressbar.NewOptions64(int64(total-offset), progressbar.OptionSetWriter(stderr),
			progressbar.OptionSetDescription(label), progressbar.OptionShowCount(), progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("rep"), progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish(),
			progressbar.OptionSetWidth(30),
			// Drawn at once, empty: the bar's clock starts now, not at the first replication
			// done (the first rate it showed was that one replication over microseconds).
			progressbar.OptionSetRenderBlankState(true))
	}
	return p
}

func (p *progress) update(done uint64) {
	p.last = done
	if p.w == nil {
		return
	}
	p.sayTaken()
	if p.bar != nil {
		_ = p.bar.Set64(int64(done - p.offset))
		return
	}
	pct := 100 * done / max(p.total, 1)
	now := time.Now()
	if done == p.total || (pct >= p.lastPct+10 && now.Sub(p.lastLine) >= time.Second) {
		el := now.Sub(p.start).Seconds()
		switch {
		case done <= p.offset && p.saidTaken:
			// Nothing has run here yet, and sayTaken said where what is done came from.
			return
		case done <= p.offset:
			// Nothing has run here yet: no rate to give.
			fmt.Fprintf(p.w, "%s: %d/%d replications (%d %%), saved by an earlier run\n", p.label, done, p.total, pct)
		default:
			rate := float64(done-p.offset) / el
			eta := float64(p.total-done) / rate
			fmt.Fprintf(p.w, "%s: %d/%d replications (%d %%), %.1f/s, ETA %.0f s\n", p.label, done, p.total, pct, rate, eta)
		}
		p.lastLine, p.lastPct = now, pct-pct%10
	}
}

// skip tells the progress that n replications of the total are done without running here
// (a sweep point saved by an earlier run): they count towards the total done, not towards
// the rate, and a bar shrinks by them. One line says so before the next work is counted
// (sayTaken), not throttled away however many points are taken.
func (p *progress) skip(n uint64) {
	p.offset += n
	p.taken += n
	if p.bar != nil {
		p.bar.ChangeMax64(int64(p.total - p.offset))
	}
}

// grow adds n replications to the total: work found on the way (a saved sweep point's
// replications run again to pair the next point with), which the rate and ETA count.
func (p *progress) grow(n uint64) {
	p.total += n
	if p.bar != nil {
		p.bar.ChangeMax64(int64(p.total - p.offset))
	}
}

// sayTaken says, once for each run of skipped replications, how many were taken from saved
// points: they are done, but not by this process.
func (p *progress) sayTaken() {
	if p.taken == 0 || p.w == nil {
		return
	}
	fmt.Fprintf(p.w, "%s: %d of %d replications taken from saved points, not run again\n", p.label, p.taken, p.total)
	p.taken, p.saidTaken = 0, true
}

// sayRan ends a run that went to its end (not interrupted) with the line sayRan writes: the
// replications run in this process (saved and taken ones left out, replayed ones counted),
// in the time since the progress began, on the workers who names (mcFlags.workersLabel). It
// says nothing with --no-progress, or when nothing ran here.
func (p *progress) sayRan(who string) {
	if p.w == nil || p.last <= p.offset {
		return
	}
	sayRan(p.w, p.label, p.last-p.offset, time.Since(p.start).Seconds(), who, "")
}

// sayRan writes the line a study ends with on stderr: ran replications in el seconds, their
// rate, who ran them (local workers, or the remote ones and how they shared the work), then
// more. A worker far below the others, or a rate far below docs/speed.md's, is worth a look.
func sayRan(w io.Writer, label string, ran uint64, el float64, who, more string) {
	fmt.Fprintf(w, "%s: %d replications in %.2f s (%.1f replications/s, %s)%s\n", label, ran, el, float64(ran)/el, who, more)
}

func (p *progress) finish() {
	p.sayTaken()
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

func newMCCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		f          mcFlags
		untilCI    float64
		checkEvery uint64
		outDir     string
		shardSpec  string
		jsonOut    bool
		resumeDir  string
	)
	cmd := &cobra.Command{
		Use:   "mc [SCENARIO]",
		Short: "Run many replications and report leakage, damage and expenditure with confidence intervals",
		Long: `Run N replications of a scenario (a file, or an embedded example name; default "capital")
on all cores and print statistics with 95 % confidence intervals: leak rate, probability of
any leaker and of each asset being hit (Wilson), leakers per replication and of them those
never tracked and those nothing was fired at, expected value lost, interceptors spent
(mean and percentiles), cost exchange ratio, kills per layer, per threat class, per asset
and per fire unit; which replications had a leaker, and the 'adsim run' command that replays
the first of them with its event log (with --out, 'adsim replay DIR' replays them all from
the saved rows).

Replication i draws from random streams keyed by (seed, i), so the rows and the statistics
are identical whatever --workers, in shards merged with 'adsim merge', or on remote workers
(--nats). --out DIR writes one row per replication (rows.parquet, rows.csv; columns in
docs/results.md), summary.json, manifest.json and a copy of the scenario.

--set PATH=VALUE (repeatable, once per field) changes a field of the scenario for this run,
as 'adsim sweep' does for each of its values: the changed scenario is re-validated, and it
is the one shards, remote workers and the output directory get. c2.picture is set with
--set or with --picture, not both.

Ctrl-C or SIGTERM stops the run and saves what is done: with --out, the directory holds the
replications completed so far (in order), and 'adsim mc --resume DIR' goes on from there to
the planned -n, giving the same files as one uninterrupted run. --out also saves a checkpoint
every 10 s, so that even a killed run can be resumed, and running the same command again
(a restarted pod, a requeued job) goes on from an unfinished run of the same study in DIR.
A run that fails keeps its rows for --resume too. A finished run in DIR is replaced; saved
rows that cannot be resumed or belong to another unfinished study never are: the command is
refused, and DIR left as it is.`,
		Example: `  adsim mc capital -n 1000
  adsim mc capital --set raids[0].count=22 --set raids[3].count=8 -n 1000   # 40 drones and 8 cruise missiles
  adsim mc my.yaml -n 100000 --until-ci 0.005 --out results/
  adsim mc capital -n 10000 --shard 3/8 --out shard3/     # then: adsim merge shard*/ --out all/
  adsim mc capital -n 10000 --shard auto/8 --out /data/$JOB_COMPLETION_INDEX
  adsim mc capital -n 10000 --nats nats://localhost:4222   # with 'adsim worker --nats ...' running
  adsim mc --resume results/                              # go on with an interrupted run`,
		Args:        argCount(0, 1),
		Annotations: interruptible(),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context() // cancelled by Ctrl-C or SIGTERM (main)
			if err := f.check(); err != nil {
				return err
			}
			if resumeDir != "" {
				// The --until-ci rule is checked there, against the one the directory recorded:
				// --check-every alone changes the recorded rule's checks.
				return resumeMC(ctx, cmd, args, resumeDir, &f, untilCI, checkEvery, jsonOut, stdout, stderr)
			}
			if err := checkUntilCI(cmd, untilCI, checkEvery); err != nil {
				return err
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
			}
			st, err := f.study(cmd, firstArg(args))
			if err != nil {
				return err
			}
			label := mcLabel(st.Scenario().Name, shard)
			if ctx.Err() != nil {
				// Stopped while the scenario was read: before anything is written.
				kept := "nothing to save"
				if outDir != "" {
					kept += ", and " + outDir + " is left as it was"
				}
				return stoppedBeforeStart(ctx, label, "replication", kept)
			}
			if reps.Len() == 0 && outDir == "" {
				return emptyShard(st, f.n, reps, *shard, outDir, stderr)
			}
			var out *mc.Output
			if outDir != "" {
				// Held to the end: another adsim writing here would interleave its rows with
				// ours and overwrite our manifest.
				lock, err := mc.LockDir(outDir, true)
				if err != nil {
					return dirError(fmt.Errorf("--out: %w", err))
				}
				defer lock.Unlock()
				rs, err := unfinished(ctx, outDir, st, f.n, reps, shard, untilCI, checkEvery, stderr)
				if err != nil {
					return err
				}
				if reps.Len() == 0 {
					// After the check above: an empty shard replaces what DIR holds as well.
					return emptyShard(st, f.n, reps, *shard, outDir, stderr)
				}
				if rs != nil {
					// The same command run again after an interruption or a kill (a Kubernetes
					// pod restarted, a Slurm job requeued) goes on instead of starting over: the
					// result is the same, row for row.
					return continueMC(ctx, rs, outDir, &f, untilCI, checkEvery, jsonOut, stdout, stderr)
				}
				if out, err = mc.Create(outDir, st); err != nil {
					return runError(err)
				}
				defer out.Close()
				out.SetUntilCI(untilCI, checkEvery)
				// Checkpoints from now on: even a hard kill leaves a resumable directory.
				if err := out.SetPlan(f.n, reps, shard); err != nil {
					return runError(err)
				}
			}
			file := firstArg(args)
			if file == "" {
				file = defaultScenario
			}
			replay := func(rep uint64) string {
				return runCommand(file, f.seedPtr(cmd), f.sets, f.picture, rep, fmt.Sprintf("rep%d.jsonl", rep))
			}
			return runMC(ctx, mcRun{st: st, reps: reps, total: f.n, planned: reps, shard: shard, out: out, outDir: outDir,
				label: label, untilCI: untilCI, checkEvery: checkEvery, jsonOut: jsonOut, replay: replay}, &f, stdout, stderr)
		},
	}
	f.register(cmd, 1000)
	f.registerSet(cmd)
	registerUntilCI(cmd, &untilCI, &checkEvery)
	fl := cmd.Flags()
	fl.StringVar(&outDir, "out", "", "write rows.parquet, rows.csv, summary.json and manifest.json into this directory")
	fl.StringVar(&shardSpec, "shard", "", "run only shard I/N of the replications (0 ≤ I < N), or auto/N from JOB_COMPLETION_INDEX or a Slurm array's SLURM_ARRAY_TASK_ID")
	fl.BoolVar(&jsonOut, "json", false, "print the summary as JSON (as summary.json) instead of tables")
	fl.StringVar(&resumeDir, "resume", "", "go on with the interrupted run saved in this --out directory (its scenario, seed, -n and shard)")
	return cmd
}

// emptyShard ends the run of a shard that -n leaves no replications (more shards than
// replications: an Indexed Job or Slurm array sized for a larger -n). It succeeds — a failed
// task would fail the whole job or array — and with --out it writes a complete shard of no
// rows, which 'adsim merge' takes with the others, so that merging every shard directory
// works whatever -n.
// No statistics are printed (there are none; --json prints nothing either), and the directory
// has no summary.json.
func emptyShard(st *mc.Study, total uint64, reps mc.Range, shard mc.Shard, outDir string, stderr io.Writer) error {
	msg := fmt.Sprintf("mc %s shard %s: -n %d leaves this shard no replications (of %d shards, those from %d on get none), so no statistics",
		st.Scenario().Name, shard, total, shard.Count, total)
	if outDir != "" {
		out, err := mc.Create(outDir, st)
		if err != nil {
			return runError(err)
		}
		defer out.Close()
		if err := out.Finish(mc.NewSummary(st), total, reps, &shard); err != nil {
			return runError(err)
		}
		msg += fmt.Sprintf("; %s holds an empty shard, which 'adsim merge' takes with the others", outDir)
	}
	fmt.Fprintln(stderr, msg)
	return nil
}

// registerUntilCI adds --until-ci and --check-every (mc, and sweep for each of its points).
func registerUntilCI(cmd *cobra.Command, untilCI *float64, checkEvery *uint64) {
	registerUntilCIOf(cmd, untilCI, checkEvery, "the leak rate's 95 % interval", "replications", "in replication order")
}

// registerUntilCIOf is registerUntilCI for a command whose stop watches interval (its
// words after "the half-width of") and checks after every --check-every units (order: how
// they run, which makes the stop deterministic).
func registerUntilCIOf(cmd *cobra.Command, untilCI *float64, checkEvery *uint64, interval, units, order string) {
	fl := cmd.Flags()
	if n := fl.Lookup("n"); n != nil {
		n.Usage += " (the maximum with --until-ci)"
	}
	fl.Float64Var(untilCI, "until-ci", 0, "stop once the half-width of "+interval+" is at most this, in (0, 1), checked every --check-every "+units+" (0: run all -n)")
	fl.Uint64Var(checkEvery, "check-every", mc.DefaultCheckEvery, "with --until-ci: "+units+" between its checks ("+order+", so the stop is deterministic)")
}

// checkUntilCI checks the values of --until-ci and --check-every: a --check-every without
// --until-ci would change nothing, so it is refused rather than ignored.
func checkUntilCI(cmd *cobra.Command, untilCI float64, checkEvery uint64) error {
	if untilCI < 0 || untilCI >= 1 || math.IsNaN(untilCI) {
		return badInput(fmt.Errorf("--until-ci %g: expected a half-width greater than 0 and less than 1 (e.g. 0.01 for an interval 2 points of leak rate wide), or 0 (the default) to run all -n replications", untilCI))
	}
	if checkEvery == 0 {
		// The library reads 0 as its default; from the command line it is a mistake.
		return badInput(errors.New("--check-every 0: expected at least 1 replication between --until-ci checks"))
	}
	if untilCI == 0 && cmd.Flags().Changed("check-every") {
		return badInput(fmt.Errorf("--check-every %d is given without --until-ci: it says how often --until-ci checks, and with no --until-ci (or 0) all -n replications run; give --until-ci too, or leave --check-every out", checkEvery))
	}
	return nil
}

// mcLabel begins the lines that say how an mc run of the scenario named name went.
func mcLabel(name string, shard *mc.Shard) string {
	if shard != nil {
		return "mc " + name + " shard " + shard.String()
	}
	return "mc " + name
}

// mcRun is one `adsim mc` run: a fresh one, or the rest of a resumed one.
type mcRun struct {
	st         *mc.Study
	reps       mc.Range // the replications to run now
	total      uint64   // -n of the whole study
	planned    mc.Range // the replications the output directory is for
	shard      *mc.Shard
	resume     *mc.Summary // the saved replications' summary, when resuming
	out        *mc.Output
	outDir     string
	label      string
	untilCI    float64
	checkEvery uint64
	jsonOut    bool
	// replay returns the adsim run command that replays replication rep of this study with
	// its event log; nil where no such command is known (a resumed run).
	replay func(rep uint64) string
}

// runMC runs the replications, saves the output (also when interrupted, by ctx: what is done
// so far, ready for --resume) and prints the summary.
func runMC(ctx context.Context, r mcRun, f *mcFlags, stdout, stderr io.Writer) error {
	pr := newProgressFrom(stderr, r.label, r.planned.Len(), r.reps.Start-r.planned.Start, f.noProgress)
	start := time.Now()
	sum, err := mc.Run(ctx, r.st, testExecutor(f.executor(stderr)), mc.Options{Reps: r.reps, UntilCI: r.untilCI,
		CheckEvery: r.checkEvery, Progress: pr.update, Resume: r.resume}, sinksOf(r.out)...)
	pr.finish()
	var in *mc.Interrupted
	if err != nil && !errors.As(err, &in) {
		if r.out == nil {
			return runError(err)
		}
		// The rows done so far are kept, with a manifest counting them, so that the run can
		// be resumed once the cause is dealt with (a worker of another build, a server gone).
		if serr := r.out.SaveProgress(); serr != nil {
			return runError(fmt.Errorf("%w; saving the rows done so far in %s failed too: %v", err, r.outDir, serr))
		}
		return runError(fmt.Errorf("%w\n%s: %s holds the %d replications done (of %d): 'adsim mc --resume %s' goes on from them",
			err, r.label, r.outDir, r.out.Done(), r.planned.Len(), r.outDir))
	}
	el := time.Since(start).Seconds()
	res := sum.Result()
	if !f.noProgress && in == nil {
		// The rate is of the replications run here: not -n (--until-ci stops short of it), not
		// those saved by an earlier run.
		saved := r.reps.Start - r.planned.Start
		ran := uint64(res.Replications) - saved
		switch {
		case ran == 0 && saved == r.planned.Len():
			fmt.Fprintf(stderr, "%s: no replication to run: all %d were saved\n", r.label, saved)
		case ran == 0:
			fmt.Fprintf(stderr, "%s: no replication to run: the %d saved ones already meet --until-ci %g\n", r.label, saved, r.untilCI)
		case saved > 0:
			sayRan(stderr, r.label, ran, el, f.workersLabel(), fmt.Sprintf(" after %d saved, %d in all", saved, res.Replications))
		default:
			sayRan(stderr, r.label, ran, el, f.workersLabel(), "")
		}
		if r.untilCI > 0 {
			how := "reached"
			if res.LeakRate.HalfWidth() > r.untilCI {
				how = "not reached"
			}
			fmt.Fprintf(stderr, "%s: --until-ci %g %s: the leak rate's interval has a half-width of %.4f after %d replications\n", r.label, r.untilCI, how, res.LeakRate.HalfWidth(), res.Replications)
		}
	}
	if r.out != nil {
		if err := r.out.Finish(sum, r.total, r.planned, r.shard); err != nil {
			return runError(err)
		}
		if !f.noProgress && in == nil {
			fmt.Fprintf(stderr, "%s: wrote %s/{%s,%s,%s,%s}\n", r.label, r.outDir, mc.RowsParquet, mc.RowsCSV, mc.SummaryJSON, mc.ManifestJSON)
		}
	}
	if in != nil {
		msg := fmt.Sprintf("%s: interrupted after %d of %d replications", r.label, in.Done, r.planned.Len())
		switch {
		case r.out != nil && in.Done == 0:
			msg += fmt.Sprintf("; %s holds none yet (no summary.json): 'adsim mc --resume %s' starts it", r.outDir, r.outDir)
		case r.out != nil:
			msg += fmt.Sprintf("; %s holds them: go on with 'adsim mc --resume %s'", r.outDir, r.outDir)
		}
		fmt.Fprintln(stderr, msg)
		if in.Done == 0 {
			return runError(err)
		}
	}
	if r.jsonOut {
		if werr := writeJSONTo(stdout, res); werr != nil {
			return werr
		}
	} else if !f.quiet {
		if werr := res.WriteText(stdout); werr != nil {
			return werr
		}
		if werr := r.writeReplayHints(stdout, res.Leaking); werr != nil {
			return werr
		}
	}
	if in != nil {
		return runError(err)
	}
	return nil
}

// writeReplayHints ends the summary of a run with leakers with the commands that replay them
// with their event logs: adsim run for the first (not for a resumed run, whose scenario
// argument and settings are not known), adsim replay for all of them when the rows are saved.
func (r *mcRun) writeReplayHints(w io.Writer, l mc.RepList) error {
	if len(l.First) == 0 {
		return nil
	}
	saved := "\nreplay the replications with a leaker, with their event logs, from the saved rows: "
	if r.replay != nil {
		if _, err := fmt.Fprintf(w, "\nreplay a replication with a leaker, with its event log: %s\n", r.replay(l.First[0])); err != nil {
			return err
		}
		saved = "or all of them, each checked against its saved row: "
	}
	if r.out == nil {
		return nil
	}
	_, err := fmt.Fprintf(w, "%sadsim replay %s\n", saved, shellWord(r.outDir))
	return err
}

// testExecutor wraps the executor of runMC; tests replace it to make a run fail part way.
var testExecutor = func(e mc.Executor) mc.Executor { return e }

func sinksOf(out *mc.Output) []mc.RowSink {
	if out == nil {
		return nil
	}
	return []mc.RowSink{out}
}

// resumeMC goes on with the run saved in dir: its scenario, seed, -n and shard come from the
// directory, so the flags that would set them again are refused.
func resumeMC(ctx context.Context, cmd *cobra.Command, args []string, dir string, f *mcFlags, untilCI float64, checkEvery uint64,
	jsonOut bool, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return badInput(fmt.Errorf("--resume %s: the scenario comes from %s/%s; give no SCENARIO argument", dir, dir, mc.ScenarioYAML))
	}
	for _, name := range []string{"n", "seed", "shard", "out", "picture", "set"} {
		if cmd.Flags().Changed(name) {
			from := mc.ManifestJSON
			if name == "picture" || name == "set" {
				from = mc.ScenarioYAML // the study's scenario, settings and picture written in
			}
			flag := "--" + name
			if len(name) == 1 {
				flag = "-" + name
			}
			return badInput(fmt.Errorf("--resume %s: %s comes from %s/%s and cannot be given again", dir, flag, dir, from))
		}
	}
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return badInput(fmt.Errorf("--resume: %s is not an adsim mc output directory: there is no such directory", dir))
	}
	lock, err := mc.LockDir(dir, false)
	if err != nil {
		return dirError(fmt.Errorf("--resume: %w", err))
	}
	defer lock.Unlock()
	m, err := mc.ReadManifest(dir)
	if err != nil {
		return dirError(err)
	}
	// The run goes on with its own --until-ci rule unless new values are given.
	if !cmd.Flags().Changed("until-ci") {
		untilCI = m.UntilCI
	}
	if !cmd.Flags().Changed("check-every") && m.CheckEvery > 0 {
		checkEvery = m.CheckEvery
	}
	// Checked with the rule that will apply: --check-every alone goes with a recorded
	// --until-ci, and is refused only when neither the flags nor the directory have one.
	if err := checkUntilCI(cmd, untilCI, checkEvery); err != nil {
		if untilCI == 0 && !cmd.Flags().Changed("until-ci") {
			err = fmt.Errorf("%w (the run saved in %s has no --until-ci either)", err, dir)
		}
		return err
	}
	if why := ruleMissedStop(m, untilCI, checkEvery); why != "" {
		return badInput(fmt.Errorf("--resume %s with --until-ci %g checked every %d: %s; resume it with its own rule (or a smaller --until-ci, or --until-ci 0 to run to -n), or start this rule afresh in another directory",
			dir, untilCI, checkEvery, why))
	}
	if m.Stopped != "" && sameRule(m, untilCI, checkEvery) {
		return badInput(fmt.Errorf("%s is complete: --until-ci %g stopped it after %d of its %d replications (%s); nothing to resume ('--until-ci H' with a smaller H goes on towards it, '--until-ci 0' to -n)",
			dir, m.UntilCI, m.Done, m.Reps.Len(), m.Stopped))
	}
	if ctx.Err() != nil {
		// Before the saved rows are read again (the longest part of the set-up) and anything
		// is written.
		return stoppedBeforeStart(ctx, mcLabel(m.Scenario, m.Shard), "replication", keptSaved(dir, m))
	}
	rs, err := mc.ResumeOutput(ctx, dir)
	if err != nil {
		if stopped := stoppedRereading(ctx, err, mcLabel(m.Scenario, m.Shard), dir); stopped != nil {
			return stopped
		}
		return dirError(err)
	}
	return continueMC(ctx, rs, dir, f, untilCI, checkEvery, jsonOut, stdout, stderr)
}

// stoppedRereading is the error (exit 1, as for any interruption) of a run that ctx stopped
// while mc.ResumeOutput read again the rows saved in dir (err, an *mc.ReadInterrupted), and
// nil for any other err: no replication ran, nothing was lost, and dir is left to be resumed
// as before. label begins the message as the run's other lines. The manifest is read again
// for the message: a killed resumption's rows taken before the stop count among the saved.
func stoppedRereading(ctx context.Context, err error, label, dir string) error {
	var ri *mc.ReadInterrupted
	if !errors.As(err, &ri) {
		return nil
	}
	kept := "'adsim mc --resume " + dir + "' goes on from the replications saved there"
	if m, merr := mc.ReadManifest(dir); merr == nil {
		kept = keptSaved(dir, m)
		if at := filepath.Dir(ri.Path); filepath.Clean(at) != filepath.Clean(dir) {
			// The rows being read were a killed resumption's checkpoint (DIR/.adsim-resume,
			// or an older adsim's DIR.resume), which dir's own count does not include.
			kept = fmt.Sprintf("%s holds its %d saved replications (of %d), and %s the %d rows of its killed resumption: 'adsim mc --resume %s' goes on from them",
				dir, m.Done, m.Reps.Len(), at, ri.Want, dir)
		}
	}
	return runError(fmt.Errorf("%s: stopped by %s while re-reading %s (%d of its %d saved rows read), before any replication ran; nothing was lost: %s",
		label, stopCause(ctx), ri.Path, ri.Read, ri.Want, kept))
}

// keptSaved says that dir holds the replications m counts, and how to go on.
func keptSaved(dir string, m *mc.Manifest) string {
	return fmt.Sprintf("%s holds its %d saved replications (of %d): 'adsim mc --resume %s' goes on from them",
		dir, m.Done, m.Reps.Len(), dir)
}

// ruleMissedStop says why going on from the rows a manifest counts, under the --until-ci rule
// untilCI with checkEvery, could give files no uninterrupted run with that rule gives: the
// rule may have held at one of its checks among the saved rows, where that run would have
// stopped. It cannot when no check of the new rule falls among them, when the rule is off
// (-n is run), or when it is the saved run's rule or a stricter one on the same checks (a
// smaller half-width holds at a check only where the saved one held, and the saved run
// stopped at the first of those). "" when going on is safe.
func ruleMissedStop(m *mc.Manifest, untilCI float64, checkEvery uint64) string {
	switch {
	case untilCI <= 0, checkEvery == 0 || m.Done < checkEvery:
		return ""
	case m.UntilCI > 0 && checkEvery == m.CheckEvery && untilCI <= m.UntilCI:
		return ""
	case m.UntilCI == 0:
		return fmt.Sprintf("its %d saved replications ran without --until-ci, and the rule may have held at a check among them, where a run with it stops", m.Done)
	}
	return fmt.Sprintf("its %d saved replications ran under --until-ci %g checked every %d, and the new rule may have held at one of its checks among them, where a run with it stops",
		m.Done, m.UntilCI, m.CheckEvery)
}

// sameRule reports whether a manifest's --until-ci rule is untilCI with checkEvery.
func sameRule(m *mc.Manifest, untilCI float64, checkEvery uint64) bool {
	if untilCI <= 0 {
		return m.UntilCI == 0
	}
	return m.UntilCI == untilCI && m.CheckEvery == checkEvery
}

// continueMC runs the rest of a resumed run.
func continueMC(ctx context.Context, rs *mc.Resumption, dir string, f *mcFlags, untilCI float64, checkEvery uint64,
	jsonOut bool, stdout, stderr io.Writer) error {
	defer rs.Out.Close() // removes the working directory unless the run finished
	m := rs.Manifest
	if m.Shard != nil && untilCI > 0 {
		return badInput(errors.New("--until-ci cannot be used with a shard: each shard must run its whole range"))
	}
	label := mcLabel(rs.Study.Scenario().Name, m.Shard)
	if ctx.Err() != nil {
		// Stopped while the saved rows were read: dir is as it was.
		return stoppedBeforeStart(ctx, label, "replication", keptSaved(dir, m))
	}
	rs.Out.SetUntilCI(untilCI, checkEvery)
	if !f.noProgress {
		if rs.Recovered > 0 {
			fmt.Fprintf(stderr, "%s: %s, left by a resumption that was killed, held more rows than %s: its %d are taken\n", label, rs.RecoveredFrom, dir, rs.Recovered)
		}
		rule := ""
		if untilCI > 0 {
			rule = fmt.Sprintf(" (or until --until-ci %g, checked every %d)", untilCI, checkEvery)
		}
		fmt.Fprintf(stderr, "%s: resuming %s: %d of %d replications saved, %d to go%s\n", label, dir, m.Done, m.Reps.Len(), rs.Reps.Len(), rule)
	}
	return runMC(ctx, mcRun{st: rs.Study, reps: rs.Reps, total: m.Total, planned: m.Reps, shard: m.Shard, resume: rs.Summary,
		out: rs.Out, outDir: dir, label: label, untilCI: untilCI, checkEvery: checkEvery, jsonOut: jsonOut}, f, stdout, stderr)
}

// unfinished looks at what dir holds before a run with --out writes there. It returns the
// resumption of an unfinished run of exactly this study (scenario, seed, -n and shard), which
// the caller goes on with; nil for a directory the run may replace: none, one with no saved
// rows, or a finished run (of this study or another; a run --until-ci stopped is finished for
// the same rule, and another rule goes on from it), with a line on stderr saying what is
// replaced. Saved rows that are neither finished nor resumable are never replaced: an
// unfinished run of another study, one of this study that cannot be resumed (another build's
// rows, a bad row, a directory it cannot write), rows without a readable manifest — each is an
// error saying why and what to do, and the directory is left as it is. ctx stopping the
// re-reading of the saved rows is an interruption (stoppedRereading), which leaves the
// directory to be resumed as before. The caller holds dir's lock.
func unfinished(ctx context.Context, dir string, st *mc.Study, total uint64, reps mc.Range, shard *mc.Shard, untilCI float64, checkEvery uint64, stderr io.Writer) (*mc.Resumption, error) {
	keep := fmt.Sprintf("nothing was changed in %s: give another --out, or delete %s (or what it holds) to start afresh there", dir, dir)
	m, err := savedManifest(dir, keep)
	if m == nil {
		return nil, err // nothing saved, or nothing that can be taken
	}
	same := m.Fingerprint == st.Fingerprint() && m.Total == total && m.Reps == reps &&
		(m.Shard == nil) == (shard == nil) && (shard == nil || *m.Shard == *shard)
	finished := m.Done >= m.Reps.Len() || (m.Stopped != "" && sameRule(m, untilCI, checkEvery))
	what := fmt.Sprintf("scenario %q, seed %d, -n %d", m.Scenario, m.Seed, m.Total)
	if m.Shard != nil {
		what += ", shard " + m.Shard.String()
	}
	switch {
	case finished:
		which := "another study (" + what + ")"
		if same {
			which = "a finished run of this study"
		}
		logs := ""
		if names, _ := mc.EventLogs(dir); len(names) > 0 {
			logs = fmt.Sprintf(" and the %s adsim replay wrote of it", plural(len(names), "event log"))
		}
		fmt.Fprintf(stderr, "adsim: %s held %s, with %d replications; this run replaces it%s\n", dir, which, m.Done, logs)
		return nil, nil
	case m.Done == 0:
		// Nothing saved in dir: an unfinished run killed before its first row. A resumption
		// of it that was killed after a checkpoint may have saved rows in its working
		// directory all the same (DIR/.adsim-resume), which ResumeOutput takes; else the run
		// starts afresh.
		if same {
			rs, err := mc.ResumeOutput(ctx, dir)
			if err == nil {
				if rs.Recovered > 0 {
					return rs, nil
				}
				rs.Out.Close()
			} else if stopped := stoppedRereading(ctx, err, mcLabel(st.Scenario().Name, shard), dir); stopped != nil {
				// Not a reason to start afresh: the working directory's rows are kept.
				return nil, stopped
			}
		}
		return nil, nil
	case !same:
		return nil, badInput(fmt.Errorf("--out %s holds an unfinished run of another study (%s: %d of %d replications saved); 'adsim mc --resume %s' finishes it; %s",
			dir, what, m.Done, m.Reps.Len(), dir, keep))
	}
	rs, err := mc.ResumeOutput(ctx, dir)
	if stopped := stoppedRereading(ctx, err, mcLabel(st.Scenario().Name, shard), dir); stopped != nil {
		return nil, stopped
	}
	if err != nil {
		return nil, dirError(fmt.Errorf("--out %s holds an unfinished run of this study (%d of %d replications saved) that cannot be resumed: %w; %s",
			dir, m.Done, m.Reps.Len(), err, keep))
	}
	return rs, nil
}

// savedManifest reads the manifest of the --out directory dir: nil and no error when dir
// holds no run (no manifest, no rows); an error, ending with keep (what to do), when it holds
// rows that no readable manifest describes.
func savedManifest(dir, keep string) (*mc.Manifest, error) {
	m, err := mc.ReadManifest(dir)
	if err == nil {
		return m, nil
	}
	if _, serr := os.Stat(filepath.Join(dir, mc.ManifestJSON)); !errors.Is(serr, os.ErrNotExist) {
		return nil, dirError(fmt.Errorf("--out %s holds rows of a run whose manifest cannot be read (%w); %s", dir, err, keep))
	}
	if n, rerr := savedRows(dir); rerr != nil {
		return nil, runError(fmt.Errorf("--out %s: %w", dir, rerr))
	} else if n > 0 {
		return nil, badInput(fmt.Errorf("--out %s holds rows (%s has lines after its header) but no %s saying which study they are of; %s",
			dir, mc.RowsCSV, mc.ManifestJSON, keep))
	}
	return nil, nil
}

// savedRows returns the number of lines of dir/rows.csv after its header, counting at most
// two: 0 when there is no file or no row.
func savedRows(dir string) (int, error) {
	f, err := os.Open(filepath.Join(dir, mc.RowsCSV))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	lines, n := 0, 0
	for lines < 3 {
		k, rerr := f.Read(buf)
		for _, b := range buf[:k] {
			n++
			if b == '\n' {
				lines++
				n = 0
			}
		}
		if rerr == io.EOF {
			if n > 0 {
				lines++ // a last line without its newline (cut short by a kill)
			}
			break
		}
		if rerr != nil {
			return 0, rerr
		}
	}
	return max(lines-1, 0), nil
}

// dirError is the exit error of a directory that cannot be resumed: a run error (exit 1) when
// the system refused an operation other than finding a file (permissions, a full disk, a
// read-only file system), which the user fixes outside adsim; bad input (exit 2) otherwise —
// what the directory holds is wrong (no manifest, another build's rows, an edited row).
func dirError(err error) error {
	var pe *os.PathError
	var le *os.LinkError
	switch {
	case errors.Is(err, os.ErrPermission), errors.Is(err, syscall.EROFS), errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EIO):
		return runError(err)
	case (errors.As(err, &pe) || errors.As(err, &le)) && !errors.Is(err, os.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
		return runError(err)
	}
	return badInput(err)
}

func writeJSONTo(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
