package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/adsim/adsim/mc"
	"github.com/adsim/adsim/report"
	"github.com/adsim/adsim/sim"
)

// newReplayCmd runs again the replications of an `adsim mc --out` directory that a selection
// picks, writing their event logs and checking them against their saved rows.
func newReplayCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		which      string
		eventsDir  string
		check      bool
		detections bool
		maxReps    uint64
		workers    int
		quiet      bool
		stories    bool
		jsonOut    bool
	)
	cmd := &cobra.Command{
		Use:   "replay DIR",
		Short: "Replay the replications of an 'adsim mc --out' directory with their event logs",
		Long: `A Monte Carlo run keeps no event log: its memory stays flat however many replications it
runs. replay runs again, on the same random streams, the replications of DIR (written by
'adsim mc --out', 'adsim merge --out', 'adsim compare --out' (DIR/a, DIR/b) or 'adsim sweep
--rows' (DIR/rows/POINT)) that --reps picks by their saved rows, writes each one's event log
(docs/events.md) as DIR/events/rep-I.jsonl (or in --events EVENTS), and checks that each
gives its saved row again bit for bit. A replication that does not is an error (exit 1)
naming the first column that differs: its log would not tell the story of its row.

--reps picks the rows with a leaker (leaked, the default), with a leaker of one threat class
(leaked:CLASS), with a leaker nothing was fired at (no-shot) or one never tracked
(untracked), with an asset hit (hit) or one asset hit (hit:ASSET), every row (all), or the
replications listed (7,12,100-199: ranges inclusive). At most --max of them are
replayed, the first in index order (0: all); the count of all the rows picked is printed at
the end. --check writes no log: it only checks that the rows are
reproduced (an audit of a directory, e.g. one computed by remote workers, against this build).
DIR must have been computed by this adsim build on this platform (its manifest's engine is
checked); DIR is locked meanwhile, as 'adsim mc' locks it (a DIR this user cannot lock, on a
read-only volume, is read unlocked when nothing is written into it: --check, or --events
elsewhere).`,
		Example: `  adsim mc capital -n 1000 --out runs/capital
  adsim replay runs/capital                          # the first 10 replications with a leaker
  adsim replay runs/capital --reps hit:parliament --max 0 --events parliament-logs/
  adsim replay runs/capital --reps 7,100-119
  adsim replay runs/capital --reps all --max 0 --check   # does this build reproduce every row?`,
		Args:        argCount(1, 1),
		Annotations: interruptible(),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context() // cancelled by Ctrl-C or SIGTERM (main)
			dir := args[0]
			if check && cmd.Flags().Changed("events") {
				return badInput(errors.New("--check writes no event log: give --check or --events, not both"))
			}
			if check && detections {
				return badInput(errors.New("--detections adds to the event logs, and --check writes none: leave one out"))
			}
			if jsonOut && stories {
				return badInput(errors.New("--json holds the leakers' stories already (outcome.leakers[].shots): give --json or --stories, not both"))
			}
			if workers < 0 {
				return badInput(fmt.Errorf("--workers %d: must be 0 (all cores) or more", workers))
			}
			m, err := mc.ReadManifest(dir)
			if err != nil {
				return badInput(err)
			}
			st, err := mc.LoadStudy(dir, m)
			if err != nil {
				return badInput(err)
			}
			sel, err := mc.ParseSelection(which, st.Layout())
			if err != nil {
				return badInput(fmt.Errorf("--reps %w", err))
			}
			// The lock keeps another adsim from writing rows while they are read (an mc still
			// running there is refused at once), and two replays from writing one log. A
			// directory this user cannot lock (a read-only volume of results) is read unlocked
			// when nothing is written into it: only the rows its manifest counts are read.
			lock, err := mc.LockDir(dir, false)
			if err != nil && (errors.Is(err, mc.ErrInUse) || (!check && within(dir, eventsDir))) {
				return dirError(err)
			}
			defer lock.Unlock()
			opt := mc.ReplayOptions{Detections: detections, Max: maxReps, Workers: workers}
			if !check {
				opt.EventsDir = eventsDir
				if opt.EventsDir == "" {
					opt.EventsDir = filepath.Join(dir, mc.EventsDir)
				}
				if fi, err := os.Stat(opt.EventsDir); err == nil && !fi.IsDir() {
					return badInput(fmt.Errorf("--events %s is a file; expected a directory", opt.EventsDir))
				}
				if err := os.MkdirAll(opt.EventsDir, 0o755); err != nil {
					return runError(fmt.Errorf("--events: %w", err))
				}
			}
			var replayed int
			stats, err := mc.Replay(ctx, dir, st, m, sel, opt, func(r *mc.Replayed) error {
				replayed++
				if jsonOut {
					return writeReplayedJSON(stdout, r)
				}
				if quiet {
					return nil
				}
				line := fmt.Sprintf("replication %d: %s", r.Row.Rep, st.Layout().Describe(&r.Row))
				if r.Path != "" {
					line += fmt.Sprintf(" — %s (%s)", r.Path, plural(int(r.Events), "event"))
				}
				if _, err := fmt.Fprintln(stdout, line); err != nil || !stories {
					return err
				}
				return report.WriteLeakers(stdout, r.Outcome)
			})
			if ctx.Err() != nil {
				return runError(fmt.Errorf("replay: stopped by %s after %s; every log written is complete, none partial", stopCause(ctx), plural(replayed, "replication")))
			}
			var nr *mc.NotReproduced
			var bad *mc.SavedRowsError
			if errors.As(err, &bad) {
				return badInput(err)
			}
			if errors.As(err, &nr) {
				return runError(fmt.Errorf("%s: %w (this build: %s)", dir, err, mc.CurrentEngine()))
			}
			if err != nil {
				return runError(fmt.Errorf("%s: %w", dir, err))
			}
			if quiet {
				return nil
			}
			if jsonOut {
				stdout = stderr // the JSON lines alone on standard output
			}
			what := "replayed"
			if check {
				what = "checked"
			}
			if stats.Selected == 0 {
				_, err := fmt.Fprintf(stdout, "none of the %d rows is picked by --reps %s: nothing to replay\n", stats.Rows, sel)
				return err
			}
			fmt.Fprintf(stdout, "%d of %d rows picked by --reps %s; %d %s, each reproduced its saved row bit for bit", stats.Selected, stats.Rows, sel, stats.Replayed, what)
			if stats.Replayed < stats.Selected {
				fmt.Fprintf(stdout, " (the first %d: --max 0 for all)", stats.Replayed)
			}
			fmt.Fprintln(stdout)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&which, "reps", "leaked", "which replications, `WHICH`: "+mc.SelectionHelp)
	f.StringVar(&eventsDir, "events", "", "write the event logs into directory `EVENTS` (default DIR/events)")
	f.BoolVar(&check, "check", false, "write no event log; only check that the replications reproduce their rows")
	f.BoolVar(&detections, "detections", false, "also log every radar detection (large)")
	f.Uint64Var(&maxReps, "max", 10, "replay at most this many of the replications picked, the first in index order (0: all)")
	f.IntVar(&workers, "workers", 0, "replications replayed side by side (default: GOMAXPROCS, all cores)")
	f.BoolVar(&stories, "stories", false, "under each replication, its leakers as 'adsim run' lists them: launch, first confirmed track, every shot at each with its result")
	f.BoolVar(&jsonOut, "json", false, "print each replication as a line of JSON (replication, log, events, and the outcome 'adsim run --json' writes), the count on stderr")
	f.BoolVarP(&quiet, "quiet", "q", false, "print nothing on success")
	return cmd
}

// replayedJSON is a replayed replication as adsim replay --json prints it.
type replayedJSON struct {
	Replication uint64       `json:"replication"`
	Log         string       `json:"log,omitempty"`
	Events      int64        `json:"events"`
	Outcome     *sim.Outcome `json:"outcome"`
}

// writeReplayedJSON writes r as one line of JSON.
func writeReplayedJSON(w io.Writer, r *mc.Replayed) error {
	data, err := json.Marshal(replayedJSON{Replication: r.Row.Rep, Log: r.Path, Events: r.Events, Outcome: r.Outcome})
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// within says whether path, a directory given to --events ("": the default, DIR/events), is
// dir or inside it.
func within(dir, path string) bool {
	if path == "" {
		return true
	}
	ad, err1 := filepath.Abs(dir)
	ap, err2 := filepath.Abs(path)
	if err1 != nil || err2 != nil {
		return true
	}
	rel, err := filepath.Rel(ad, ap)
	return err != nil || rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)))
}
