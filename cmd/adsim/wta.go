package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/adsim/adsim/internal/csvtable"
	"github.com/adsim/adsim/wta"
)

// newWTACmd is `adsim wta FILE` and its `gen` subcommand.
func newWTACmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		limit    time.Duration
		seed     uint64
		solution string
		asJSON   bool
	)
	cmd := &cobra.Command{
		Use:   "wta FILE",
		Short: "Solve a static weapon-target assignment instance with a proven gap",
		Long: `Solve a static weapon-target assignment problem in the benchmark format of Andersen,
Pavlikov and Toffolo (2022) (line 1 "W T mu", T target values, W·T lines "i j p_ij"):
minimise Σ_j V_j Π_i (1 − p_ij)^x_ij with at most mu units per weapon type. Prints the
objective, a proven lower bound, the gap and the time (docs/c2.md). When FILE's name is in
best_known.csv (next to FILE or in ../shared/benchmarks/wta/), also prints the best known
values and whether a new best known solution was found; a table that cannot be read is an
error at its line and column, given before the search.`,
		Example: `  adsim wta ../shared/benchmarks/wta/wta_100x200x2.txt --time 10s --solution x.txt
  adsim wta gen --scheme andersen --w 20 --mu 2 --seed 1 small.txt && adsim wta small.txt --json`,
		Args: argCount(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := args[0]
			f, err := os.Open(path)
			if err != nil {
				return badInput(err)
			}
			p, err := wta.Read(f, path)
			f.Close()
			if err != nil {
				return badInput(err)
			}
			if limit <= 0 {
				return badInput(fmt.Errorf("--time must be positive, have %v", limit))
			}
			// The table is read before the search, so that a broken one is said at once, not
			// after --time has been spent.
			bk, err := lookupBestKnown(path)
			if err != nil {
				return badInput(fmt.Errorf("best known values: %w", err))
			}
			res, err := wta.Solve(context.Background(), p, wta.Options{TimeLimit: limit, Seed: seed})
			if err != nil {
				return runError(err)
			}
			if solution != "" {
				if err := writeSolution(solution, res.X); err != nil {
					return runError(err)
				}
			}
			if asJSON {
				out := map[string]any{
					"objective":   res.Objective,
					"lower_bound": res.LowerBound,
					"gap_pct":     res.GapPct,
					"seconds":     res.Seconds,
				}
				if bk != nil {
					out["best_ub"], out["best_lb"] = bk.ub, bk.lb
					out["new_best_known"] = res.Objective < bk.ub-bk.tol
				}
				enc := json.NewEncoder(stdout)
				return enc.Encode(out)
			}
			fmt.Fprintf(stdout, "instance     %s (W=%d T=%d units=%d)\n", path, p.W, p.T, p.TotalUnits())
			fmt.Fprintf(stdout, "objective    %.6f\n", res.Objective)
			fmt.Fprintf(stdout, "lower bound  %.6f\n", res.LowerBound)
			fmt.Fprintf(stdout, "gap          %.4f %%\n", res.GapPct)
			fmt.Fprintf(stdout, "time         %.2f s (best found at %.2f s, %d iterations)\n", res.Seconds, res.BestSeconds, res.Iterations)
			if bk != nil {
				fmt.Fprintf(stdout, "best known   ub %.6f  lb %.6f  (%s)\n", bk.ub, bk.lb, bk.source)
				switch d := res.Objective - bk.ub; {
				case d < -bk.tol:
					fmt.Fprintf(stdout, "NEW BEST KNOWN: %.6f < %.6f (%.4f %% better)\n", res.Objective, bk.ub, -100*d/bk.ub)
				default:
					fmt.Fprintf(stdout, "vs best_ub    %+.4f %%\n", 100*d/bk.ub)
				}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.DurationVar(&limit, "time", 10*time.Second, "time budget")
	fl.Uint64Var(&seed, "seed", 1, "random seed (the search is deterministic for a seed and an iteration count)")
	fl.StringVar(&solution, "solution", "", `write the assignment to this file, lines "i j x_ij" (0-based, x_ij > 0)`)
	fl.BoolVar(&asJSON, "json", false, "print one JSON object: objective, lower_bound, gap_pct, seconds")
	cmd.AddCommand(newWTAGenCmd(stdout))
	return cmd
}

func newWTAGenCmd(stdout io.Writer) *cobra.Command {
	var (
		scheme   string
		w, t, mu int
		seed     uint64
	)
	cmd := &cobra.Command{
		Use:   "gen OUT",
		Short: "Write a random weapon-target assignment instance",
		Long: `Write a random instance in the benchmark format from one of the two schemes of the
literature: square (W = T, V ~ U[25,100], p ~ U[0.6,0.9]; Ahuja et al. 2007) or andersen
(T = 2W by default, V ~ uniform integer 1..100, p ~ U(0,1); Andersen et al. 2022).`,
		Args: argCount(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if w < 1 {
				return badInput(fmt.Errorf("--w must be at least 1, have %d", w))
			}
			if mu < 0 {
				return badInput(fmt.Errorf("--mu must be at least 0, have %d", mu))
			}
			if t < 0 {
				return badInput(fmt.Errorf("--t must be at least 1 (or 0 for the scheme's default), have %d", t))
			}
			p, err := wta.Generate(scheme, w, t, mu, seed)
			if err != nil {
				return badInput(err)
			}
			f, err := os.Create(args[0])
			if err != nil {
				return runError(err)
			}
			err = wta.Write(f, p)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return runError(fmt.Errorf("%s: %w", args[0], err))
			}
			fmt.Fprintf(stdout, "%s: %s instance, W=%d T=%d mu=%d seed=%d\n", args[0], scheme, p.W, p.T, mu, seed)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&scheme, "scheme", wta.SchemeAndersen, "square or andersen")
	fl.IntVar(&w, "w", 0, "number of weapon types (required)")
	fl.IntVar(&t, "t", 0, "number of targets (default: W for square, 2W for andersen)")
	fl.IntVar(&mu, "mu", 1, "units per weapon type")
	fl.Uint64Var(&seed, "seed", 1, "random seed")
	cmd.MarkFlagRequired("w")
	return cmd
}

func writeSolution(path string, x [][]int) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--solution: %w", err)
	}
	err = wta.WriteSolution(f, x)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("--solution %s: %w", path, err)
	}
	return nil
}

// bestKnown is an instance's row of best_known.csv: the best known objective (an upper
// bound, ub) and the best proven lower bound (lb), with the tolerance below which a smaller
// objective is the table's rounding rather than an improvement.
type bestKnown struct {
	ub, lb, tol float64
	source      string
}

// bestKnownColumns are the columns of best_known.csv that adsim reads (others are ignored).
var bestKnownColumns = []string{"instance", "best_ub", "best_lb"}

// lookupBestKnown finds FILE's instance name in best_known.csv next to FILE or in
// ../shared/benchmarks/wta/, the first table found. It returns nil, nil when no table is
// found or the instance is not listed, and an error naming the table's line and column when
// the table cannot be read.
func lookupBestKnown(path string) (*bestKnown, error) {
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	for _, dir := range []string{filepath.Dir(path), filepath.Join("..", "shared", "benchmarks", "wta")} {
		csvPath := filepath.Join(dir, "best_known.csv")
		f, err := os.Open(csvPath)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		bk, err := readBestKnown(csvPath, f, name)
		f.Close()
		return bk, err
	}
	return nil, nil
}

// readBestKnown reads a best_known.csv table (named file in messages) and returns the row of
// instance, or nil when the table does not list it. The whole table is checked: a header
// without the columns adsim reads, a row too short for them, a bound that is not a number,
// a lower bound above the best known objective, or an instance listed twice is an error at
// its line and column.
func readBestKnown(file string, r io.Reader, instance string) (*bestKnown, error) {
	t, err := csvtable.Open(file, r, bestKnownColumns)
	if err != nil {
		return nil, err
	}
	var out *bestKnown
	seen := map[string]int{}
	for {
		ok, err := t.Next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		inst, err := t.Text("instance")
		if err != nil {
			return nil, err
		}
		if first, ok := seen[inst]; ok {
			return nil, t.ErrAt("instance", fmt.Errorf("found %q again (first on line %d); expected each instance once", inst, first))
		}
		seen[inst] = t.Line()
		ub, err := t.Float("best_ub")
		if err != nil {
			return nil, err
		}
		lb, err := t.Float("best_lb")
		if err != nil {
			return nil, err
		}
		if lb > ub {
			return nil, t.ErrAt("best_lb", fmt.Errorf("found %v, above best_ub %v; expected a lower bound on the best known objective", lb, ub))
		}
		if inst == instance {
			// The table has 6 decimals: only a difference beyond rounding is an improvement.
			out = &bestKnown{ub: ub, lb: lb, tol: 1e-6, source: file}
		}
	}
}
