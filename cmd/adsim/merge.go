package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/adsim/adsim/mc"
)

// newMergeCmd merges the output directories of sharded `adsim mc --shard I/N` runs.
func newMergeCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		outDir  string
		quiet   bool
		jsonOut bool
	)
	cmd := &cobra.Command{
		Use:   "merge DIR...",
		Short: "Merge the output directories of sharded 'adsim mc --shard I/N' runs",
		Long: `Merge the output directories written by 'adsim mc --shard I/N --out DIR': check that they
are shards of one study (same scenario, seed and -n) that cover every replication exactly
once, and print the statistics of the whole study. They are identical to those of one
unsharded run. --out writes the merged rows, summary.json and manifest.json. Shards must
have been computed by this adsim build on this platform (the engine in each manifest is
checked), and complete: an interrupted shard is finished with 'adsim mc --resume DIR'.`,
		Example:     `  adsim merge shard0 shard1 shard2 --out all/`,
		Args:        argCount(1, -1),
		Annotations: interruptible(),
		RunE: func(cmd *cobra.Command, args []string) (rerr error) {
			ctx := cmd.Context() // cancelled by Ctrl-C or SIGTERM (main)
			// A merge stopped by a signal writes nothing: mc.Merge stops reading within
			// mc.ReadCheckRows rows of it, and a new --out is removed again. err is the
			// merge's error, which names the file being read (nil: stopped before reading).
			stop := func(err error) error {
				kept := "nothing was printed"
				if outDir != "" {
					kept = outDir + " is left as it was"
				}
				while := ""
				var ri *mc.ReadInterrupted
				if errors.As(err, &ri) {
					while = fmt.Sprintf(" while reading %s (%d of its %d saved rows read)", ri.Path, ri.Read, ri.Want)
				}
				return runError(fmt.Errorf("merge: stopped by %s%s before the merge was complete; the directories merged are unchanged and %s: run it again", stopCause(ctx), while, kept))
			}
			var sinks []mc.RowSink
			var out *mc.Output
			if outDir != "" {
				// Checked before anything is written: merging into one of the shards would
				// replace the rows being read.
				if err := checkNotAnInput(outDir, args); err != nil {
					return badInput(err)
				}
				// The shards' manifests are checked before --out is created or locked: a
				// refused merge leaves no trace there (the rows are checked as they are read,
				// below, and a new --out is removed again if one is refused).
				st, err := mc.CheckShards(args)
				if err != nil {
					return badInput(err)
				}
				if ctx.Err() != nil {
					return stop(nil)
				}
				_, statErr := os.Stat(outDir)
				created := errors.Is(statErr, os.ErrNotExist)
				lock, err := mc.LockDir(outDir, true)
				if err != nil {
					return dirError(fmt.Errorf("--out: %w", err))
				}
				defer lock.Unlock()
				// Written aside and moved into --out only once every shard is read and checked.
				if out, err = mc.CreateStaged(outDir, st); err != nil {
					return runError(err)
				}
				defer out.Close()
				sinks = append(sinks, out)
				defer func() {
					if rerr != nil && created {
						removeNewOut(outDir, lock, out)
					}
				}()
			}
			sum, _, m, err := mc.Merge(ctx, args, sinks...)
			if ctx.Err() != nil {
				// Also after the last row: the reading looks at ctx only every
				// mc.ReadCheckRows rows, and nothing is written yet.
				return stop(err)
			}
			if err != nil {
				return badInput(err)
			}
			if out != nil {
				out.SetUntilCI(m.UntilCI, m.CheckEvery)
				if err := out.Finish(sum, m.Total, m.Reps, nil); err != nil {
					return runError(err)
				}
				if !quiet {
					fmt.Fprintf(stderr, "merged %d directories (%d replications) into %s\n", len(args), sum.N(), outDir)
				}
			}
			if jsonOut {
				return writeJSONTo(stdout, sum.Result())
			}
			if !quiet {
				return sum.Result().WriteText(stdout)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&outDir, "out", "", "write the merged rows.parquet, rows.csv, summary.json and manifest.json here")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "print no summary table")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print the summary as JSON instead of tables")
	return cmd
}

// removeNewOut removes an --out directory this merge created, after the merge failed: the
// staging directory, the lock file and then the directory itself, which is then empty (were it
// not, os.Remove would leave it and what another process put there).
func removeNewOut(dir string, lock *mc.DirLock, out *mc.Output) {
	out.Close() // removes the staging directory
	_ = os.Remove(filepath.Join(dir, mc.LockFile))
	lock.Unlock()
	_ = os.Remove(dir)
}

// checkNotAnInput refuses an --out that is one of the directories to merge (the same path, or
// the same directory by another path or link).
func checkNotAnInput(out string, inputs []string) error {
	oa, err := filepath.Abs(out)
	if err != nil {
		return fmt.Errorf("--out %s: %w", out, err)
	}
	ofi, oerr := os.Stat(out)
	for _, in := range inputs {
		ia, err := filepath.Abs(in)
		if err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
		same := ia == oa
		if ifi, ierr := os.Stat(in); !same && oerr == nil && ierr == nil {
			same = os.SameFile(ofi, ifi)
		}
		if same {
			return fmt.Errorf("--out %s is %s, one of the directories to merge: merging into it would replace the rows being read; give another directory", out, in)
		}
	}
	return nil
}
