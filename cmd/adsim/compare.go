package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/adsim/adsim/mc"
)

func newCompareCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		f          mcFlags
		untilCI    float64
		checkEvery uint64
		jsonOut    bool
		pictureB   string
		setsB      []string
		outDir     string
	)
	cmd := &cobra.Command{
		Use:   "compare A B",
		Short: "Compare two scenarios on common random numbers, with paired confidence intervals",
		Long: `Run -n replications of scenarios A and B (files or embedded example names) with the same
seed (A's, or --seed) and replication indices: entities with the same ids draw the same random
numbers in both, so the differences B − A are measured replication by replication (paired)
and are far sharper than those of independent runs. Prints each metric under A and B, the
mean paired difference with its 95 % interval and p-value (paired t, or the exact sign test
where B − A is the same in every replication; McNemar's test for the chance of at least one
leaker and of each building being hit: the mid-p test with fewer than 25 discordant pairs,
the sign test where every replication changed the same way), each building's chance of
being hit and value lost under A and B, the replications in which only one of them let a
threat through (with the 'adsim run' commands that replay the first of them, under B and
under A, with their event logs), and a verdict in words. -n must be at least 2: one
pair has no spread to estimate an interval from. A (the first -n replications)
runs before B; Ctrl-C or SIGTERM while B runs prints the comparison of the pairs complete.
With --until-ci the replications run in batches of --check-every, A's then B's, and the run
stops after the first batch where the interval of the leak rate's difference is that narrow
and at least 20 pairs have different leak rates (-n is then the most it runs); an
interruption prints the comparison of the batches complete.

--out DIR keeps the rows: DIR/a and DIR/b are each what 'adsim mc --out' writes for the
scenario (rows.csv, rows.parquet, summary.json, manifest.json, scenario.yaml), with the same
seed and replication numbers, so rows joined on rep are the pairs; DIR/comparison.json is
what --json prints. A finished run in DIR/a or DIR/b is replaced; an unfinished one is
refused (finish it with 'adsim mc --resume'). Interrupted, each side keeps the replications
it ran, as an unfinished 'adsim mc' directory that --resume finishes.

--set PATH=VALUE sets a field in both scenarios, --set-b in B alone (after --set): a variant
of one scenario is compared with it without writing a second file. --picture sets the air
picture of both, --picture-b of B alone; a c2.picture given with --set or --set-b as well
is refused: give the picture one way.`,
		Example: `  adsim compare capital ground -n 500
  adsim compare capital ground -n 500 --out cmp/   # cmp/a/rows.csv, cmp/b/rows.csv: the pairs, row for row
  adsim compare capital capital --picture-b perfect   # what does imperfect tracking cost?
  adsim compare capital capital --set-b c2.doctrine=salvo -n 500   # salvo against shoot-look-shoot
  adsim compare capital capital --set-b c2.max_per_track=2 --set-b 'c2.max_per_track_categories=[ballistic_missile]' -n 1000   # two battalions at each Iskander
  adsim compare before.yaml after.yaml -n 2000 --json`,
		Args:        argCount(2, 2),
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
			if err := checkUntilCI(cmd, untilCI, checkEvery); err != nil {
				return err
			}
			a, err := f.study(cmd, args[0])
			if err != nil {
				return err
			}
			seed := a.Seed // common random numbers: B runs with A's seed
			b, err := newStudy(args[1], &seed)
			if err != nil {
				return err
			}
			// --set, checked against A by f.study, is checked against B too: an id may name
			// another element there. --set-b may set again a field of --set, for B alone.
			setA, err := parseSetArgs("set", f.sets)
			if err != nil {
				return err
			}
			if _, err := parseSettings(setsB, "set-b"); err != nil {
				return err
			}
			setB, err := parseSetArgs("set-b", setsB)
			if err != nil {
				return err
			}
			if err := refusePictureTwice("picture", f.picture, setB); err != nil {
				return err
			}
			if err := refusePictureTwice("picture-b", pictureB, setA, setB); err != nil {
				return err
			}
			if err := checkSets(b, setA, false); err != nil {
				return err
			}
			if err := checkSets(b, setB, false); err != nil {
				return err
			}
			if b, err = withSettings(b, f.sets, "set"); err != nil {
				return err
			}
			if b, err = withSettings(b, setsB, "set-b"); err != nil {
				return err
			}
			if b, err = withPicture(b, f.picture, "picture"); err != nil {
				return err
			}
			if b, err = withPicture(b, pictureB, "picture-b"); err != nil {
				return err
			}
			if ctx.Err() != nil {
				// Stopped while the scenarios were read.
				return stoppedBeforeStart(ctx, "compare", "replication", "nothing to compare")
			}
			if a.Fingerprint() == b.Fingerprint() {
				// Not an error (a check of common random numbers, a teaching example), but
				// seldom what was meant.
				fmt.Fprintf(stderr, "adsim: A and B are the same study (scenario, catalog and seed): B repeats A replication for replication, so every difference is 0\n")
			}
			var out *compareOut
			if outDir != "" {
				if out, err = openCompareOut(outDir, a, b, f.n, stderr); err != nil {
					return err
				}
				defer out.Close()
			}
			pr := newProgress(stderr, "compare", 2*f.n, f.noProgress)
			every := f.n // without --until-ci: A's replications, then B's
			if untilCI > 0 {
				every = checkEvery
			}
			c, err := mc.CompareWith(ctx, a, b, testExecutor(f.executor(stderr)), mc.Range{End: f.n}, mc.CompareOptions{UntilCI: untilCI,
				CheckEvery: every, Progress: pr.update, SinksA: out.sinks(0), SinksB: out.sinks(1)})
			pr.finish()
			if err == nil {
				pr.sayRan(f.workersLabel())
			}
			if out != nil {
				if ferr := out.finish(c, f.n, err); ferr != nil {
					return runError(errors.Join(err, fmt.Errorf("--out %s: %w", outDir, ferr)))
				}
				if err != nil || !f.noProgress {
					out.saved(stderr, c, err)
				}
			}
			if c == nil {
				return runError(err)
			}
			if err != nil { // interrupted: the pairs so far are printed
				fmt.Fprintf(stderr, "adsim: %v\n", err)
			} else if untilCI > 0 && !f.noProgress {
				h, how, why := c.LeakRate.Diff.HalfWidth(), "reached", ""
				switch {
				case h > untilCI:
					how = "not reached"
				case c.DifferingPairs < mc.MinDifferingPairs:
					how = "not reached"
					why = fmt.Sprintf(", but the leak rates differ in %s, and the stop needs at least %d (docs/results.md)",
						mc.Count(c.DifferingPairs, "pair", "pairs"), mc.MinDifferingPairs)
				}
				fmt.Fprintf(stderr, "compare: --until-ci %g %s: the interval of the leak rate's difference has a half-width of %.4f after %s%s\n",
					untilCI, how, h, mc.Count(c.Replications, "pair", "pairs"), why)
			}
			if werr := writeComparison(stdout, c, jsonOut, f.quiet); werr != nil {
				return werr
			}
			if !jsonOut && !f.quiet {
				replay := replayCommands(c, args, setA, setB, b.CanonicalPath, f.picture, pictureB)
				if replay != "" && outDir != "" && err == nil {
					replay += savedFlipsReplay(c, outDir)
				}
				if _, werr := io.WriteString(stdout, replay); werr != nil {
					return werr
				}
			}
			if err != nil {
				return saidRunError(err) // printed above, before the pairs
			}
			return nil
		},
	}
	f.register(cmd, 200)
	f.registerSet(cmd)
	registerUntilCIOf(cmd, &untilCI, &checkEvery, "the 95 % interval of the leak rate's difference B − A", "pairs",
		"A's batch, then B's, in replication order")
	cmd.Flags().StringArrayVar(&setsB, "set-b", nil, "PATH=VALUE: set a field of B alone, after --set (repeatable): 'compare capital capital --set-b c2.doctrine=salvo'")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print the comparison as JSON")
	cmd.Flags().StringVar(&outDir, "out", "", "keep the rows: write DIR/a and DIR/b, an 'adsim mc --out' directory per scenario (rows.csv, rows.parquet, summary.json, manifest.json; joined on rep they are the pairs), and DIR/comparison.json")
	cmd.Flags().StringVar(&pictureB, "picture-b", "", "the air picture of B alone, tracked or perfect: 'compare capital capital --picture-b perfect' measures what imperfect tracking costs (one category's: --set-b 'c2.perfect_categories=[ballistic_missile]'); not with a --set or --set-b of c2.picture")
	return cmd
}

// checkPairs refuses -n below mc.MinPairs for a paired comparison (compare, sensitivity):
// with one replication B − A has no spread, and the interval and p-value would be ±Inf and
// NaN.
func checkPairs(n uint64) error {
	if n < mc.MinPairs {
		return badInput(fmt.Errorf("-n %d: a paired comparison needs at least %d replications: with one pair the difference B − A has no spread, so neither its 95 %% interval nor a p-value exists; give -n %d or more (a few hundred for a clear verdict)",
			n, mc.MinPairs, mc.MinPairs))
	}
	return nil
}

// writeComparison prints the comparison as JSON, as its verdict lines (quiet) or as the
// table and the verdict.
func writeComparison(w io.Writer, c *mc.Comparison, jsonOut, quiet bool) error {
	if jsonOut {
		return writeJSONTo(w, c)
	}
	if quiet {
		for _, v := range c.Verdict() {
			if _, err := io.WriteString(w, v+"\n"); err != nil {
				return err
			}
		}
		return nil
	}
	return c.WriteText(w)
}

// replayCommands returns the lines that replay, with its event log, the first replication in
// which B had a leaker and A none (or else the other way round) under B and under A: the
// runs to read to see why the outcome flipped. The commands carry the comparison's seed and
// settings — B's are --set's less the fields --set-b sets again, then --set-b's, since run
// takes each field once — and picture. Nothing when no replication flipped.
func replayCommands(c *mc.Comparison, files []string, setA, setB []setArg, canon func(string) string, picture, pictureB string) string {
	var rep uint64
	switch f := c.LeakFlips; {
	case len(f.OnlyB.First) > 0:
		rep = f.OnlyB.First[0]
	case len(f.OnlyA.First) > 0:
		rep = f.OnlyA.First[0]
	default:
		return ""
	}
	again := make(map[string]bool, len(setB))
	for _, a := range setB {
		again[canon(a.path)] = true
	}
	var onB []setArg
	for _, a := range setA {
		if !again[canon(a.path)] {
			onB = append(onB, a)
		}
	}
	onB = append(onB, setB...)
	if pictureB == "" {
		pictureB = picture
	}
	seed := c.Seed
	return fmt.Sprintf("\nTo see why, replay replication %d under B and under A:\n", rep) +
		"  " + runCommand(files[1], &seed, texts(onB), pictureB, rep, fmt.Sprintf("b%d.jsonl", rep)) + "\n" +
		"  " + runCommand(files[0], &seed, texts(setA), picture, rep, fmt.Sprintf("a%d.jsonl", rep)) + "\n"
}

// savedFlipsReplay returns the lines that replay, from the rows compare --out saved in dir, the
// flipped replications replayCommands takes its first from (those listed as leaking under B
// only, or else under A only), under B and under A, each checked against its saved row.
func savedFlipsReplay(c *mc.Comparison, dir string) string {
	flips, what := c.LeakFlips.OnlyB, "B had a leaker and A none"
	if len(flips.First) == 0 {
		flips, what = c.LeakFlips.OnlyA, "A had a leaker and B none"
	}
	reps := flips.First
	list := make([]string, len(reps))
	for i, r := range reps {
		list[i] = strconv.FormatUint(r, 10)
	}
	sel := strings.Join(list, ",")
	head := "or from the saved rows, each side checked against its row:\n"
	switch {
	case int64(len(reps)) < flips.Count:
		head = fmt.Sprintf("or the first %d of the %d replications in which %s, from the saved rows:\n", len(reps), flips.Count, what)
	case len(reps) > 1:
		head = fmt.Sprintf("or all %d replications in which %s, from the saved rows:\n", len(reps), what)
	}
	return head +
		"  adsim replay " + shellWord(filepath.Join(dir, "b")) + " --reps " + sel + "\n" +
		"  adsim replay " + shellWord(filepath.Join(dir, "a")) + " --reps " + sel + "\n"
}

// texts returns the PATH=VALUE texts of --set arguments, as given.
func texts(args []setArg) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a.text
	}
	return out
}

// runCommand is the adsim run command line that replays replication rep of a study — its
// scenario file or example name, seed (nil: the scenario's own), --set texts and picture (""
// for the scenario's) — with its event log written to the file log.
func runCommand(file string, seed *uint64, sets []string, picture string, rep uint64, log string) string {
	words := []string{"adsim", "run", shellWord(file)}
	if seed != nil {
		words = append(words, "--seed", strconv.FormatUint(*seed, 10))
	}
	words = append(words, "--replication", strconv.FormatUint(rep, 10))
	for _, s := range sets {
		words = append(words, "--set", shellWord(s))
	}
	if picture != "" {
		words = append(words, "--picture", shellWord(picture))
	}
	return strings.Join(append(words, "--events", shellWord(log)), " ")
}

// shellWord quotes s for a POSIX shell when it holds anything but letters, digits and
// _ . / : = , + @ % - (a --set value in brackets, a file name with a space).
func shellWord(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_./:=,+@%-", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
