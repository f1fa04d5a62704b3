package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/adsim/adsim/mc"
)

// ComparisonJSON is the file of compare --out that holds the comparison (what --json prints).
const ComparisonJSON = "comparison.json"

// compareOut is compare --out DIR: the rows of each side in an adsim mc output directory of
// its own, DIR/a and DIR/b (rows.csv, rows.parquet, summary.json, manifest.json,
// scenario.yaml; the same replications, seed and rep numbers, so joined on rep they are the
// pairs), and the comparison in DIR/comparison.json.
type compareOut struct {
	dir   string
	sides [2]compareSide
}

// compareSide is one side's output directory, its lock and the summary of its rows.
type compareSide struct {
	dir  string
	out  *mc.Output
	sum  *mc.Summary
	lock *mc.DirLock
}

// openCompareOut checks DIR before anything is written — it must not be an mc output
// directory itself, and DIR/a and DIR/b may hold nothing, or finished runs (replaced, with a
// line on stderr), but not an unfinished run, which 'adsim mc --resume' can still finish
// (never lost work) — then locks and creates the two sides for n replications and removes a
// comparison.json an earlier run left.
func openCompareOut(dir string, a, b *mc.Study, n uint64, stderr io.Writer) (*compareOut, error) {
	if _, err := os.Stat(filepath.Join(dir, mc.ManifestJSON)); err == nil {
		return nil, badInput(fmt.Errorf("--out %s is an 'adsim mc' output directory (it holds %s); give compare a directory of its own, where it writes a/, b/ and %s",
			dir, mc.ManifestJSON, ComparisonJSON))
	}
	o := &compareOut{dir: dir}
	studies := [2]*mc.Study{a, b}
	var notes []string // said once both sides passed: nothing is replaced if one is refused
	for k, name := range []string{"a", "b"} {
		d := filepath.Join(dir, name)
		lock, err := mc.LockDir(d, true)
		if err != nil {
			o.Close()
			return nil, dirError(fmt.Errorf("--out: %w", err))
		}
		o.sides[k] = compareSide{dir: d, lock: lock}
		note, err := replaceable(d)
		if err != nil {
			o.Close()
			return nil, err
		}
		if note != "" {
			notes = append(notes, note)
		}
	}
	for _, n := range notes {
		fmt.Fprintln(stderr, n)
	}
	if err := os.Remove(filepath.Join(dir, ComparisonJSON)); err != nil && !errors.Is(err, os.ErrNotExist) {
		o.Close()
		return nil, runError(fmt.Errorf("--out: %w", err))
	}
	for k := range o.sides {
		s := &o.sides[k]
		out, err := mc.Create(s.dir, studies[k])
		if err != nil {
			o.Close()
			return nil, runError(err)
		}
		s.out, s.sum = out, mc.NewSummary(studies[k])
		// Checkpoints from now on: a kill leaves each side a directory 'adsim mc --resume'
		// finishes.
		if err := out.SetPlan(n, mc.Range{End: n}, nil); err != nil {
			o.Close()
			return nil, runError(err)
		}
	}
	return o, nil
}

// replaceable reports whether compare --out may write over what dir holds: nothing, or a
// finished run (with a note saying so); an unfinished run or rows no manifest describes are
// refused.
func replaceable(dir string) (note string, err error) {
	keep := fmt.Sprintf("nothing was changed in %s: give another --out, or delete %s to start afresh there", dir, dir)
	m, err := savedManifest(dir, keep)
	if m == nil {
		return "", err
	}
	if !m.Complete() {
		return "", badInput(fmt.Errorf("--out %s holds an unfinished run (scenario %q, seed %d: %d of %d replications saved), which 'adsim mc --resume %s' finishes; %s",
			dir, m.Scenario, m.Seed, m.Done, m.Reps.Len(), dir, keep))
	}
	return fmt.Sprintf("adsim: %s held a finished run (scenario %q, seed %d, %d replications); this comparison replaces it",
		dir, m.Scenario, m.Seed, m.Done), nil
}

// sinks returns the row sinks of side k (0: A, 1: B): its output and its summary.
func (o *compareOut) sinks(k int) []mc.RowSink {
	if o == nil {
		return nil
	}
	return []mc.RowSink{o.sides[k].out, o.sides[k].sum}
}

// finish saves both sides after the comparison c (nil when fewer than two pairs were
// complete) of n planned replications ended with err. A comparison that ended by itself —
// all n pairs, or the pairs before --until-ci stopped it — leaves each side a complete
// directory of the replications run; an interrupted one leaves each with the rows done of
// the n planned, which 'adsim mc --resume' finishes; one that failed saves the rows done the
// same way. comparison.json holds c whenever there is one.
func (o *compareOut) finish(c *mc.Comparison, n uint64, err error) error {
	var in *mc.Interrupted
	interrupted := errors.As(err, &in)
	var errs []error
	for k := range o.sides {
		s := &o.sides[k]
		switch {
		case err != nil && !interrupted:
			errs = append(errs, s.out.SaveProgress())
		case interrupted:
			errs = append(errs, s.out.Finish(s.sum, n, mc.Range{End: n}, nil))
		default:
			ran := uint64(c.Replications)
			errs = append(errs, s.out.Finish(s.sum, ran, mc.Range{End: ran}, nil))
		}
	}
	if c != nil {
		errs = append(errs, mc.WriteJSONFile(o.dir, ComparisonJSON, c))
	}
	return errors.Join(errs...)
}

// saved says on stderr what the directory holds after finish.
func (o *compareOut) saved(stderr io.Writer, c *mc.Comparison, err error) {
	var in *mc.Interrupted
	if err != nil || c == nil {
		how := "failed"
		if errors.As(err, &in) {
			how = "was interrupted"
		}
		fmt.Fprintf(stderr, "compare: %s; %s and %s hold the replications done (%d and %d): 'adsim mc --resume DIR' finishes each\n",
			how, o.sides[0].dir, o.sides[1].dir, o.sides[0].out.Done(), o.sides[1].out.Done())
		return
	}
	fmt.Fprintf(stderr, "compare: wrote %s/{a,b}/{%s,%s,%s,%s} (join the rows on rep for the pairs) and %s\n",
		o.dir, mc.RowsParquet, mc.RowsCSV, mc.SummaryJSON, mc.ManifestJSON, filepath.Join(o.dir, ComparisonJSON))
}

// Close releases the locks and closes the outputs (after finish, or instead of it).
func (o *compareOut) Close() {
	if o == nil {
		return
	}
	for k := range o.sides {
		s := &o.sides[k]
		if s.out != nil {
			s.out.Close()
		}
		if s.lock != nil {
			s.lock.Unlock()
		}
	}
}
