package mc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/adsim/adsim/report"
)

// LoadStudy rebuilds the study of an output directory from its scenario (and catalog) copy
// and its manifest's seed, and checks its fingerprint.
func LoadStudy(dir string, m *Manifest) (*Study, error) {
	src, err := os.ReadFile(filepath.Join(dir, ScenarioYAML))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	var cat []byte
	if m.HasCatalog {
		if cat, err = os.ReadFile(filepath.Join(dir, CatalogYAML)); err != nil {
			return nil, fmt.Errorf("%s: %w", dir, err)
		}
	}
	seed := m.Seed
	st, err := NewStudy(filepath.Join(dir, ScenarioYAML), src, cat, &seed)
	if err != nil {
		return nil, err
	}
	if st.Fingerprint() != m.Fingerprint {
		return nil, fmt.Errorf("%s: the scenario copy does not match the manifest's fingerprint (edited after the run?)", dir)
	}
	if err := checkEngine(dir, m); err != nil {
		return nil, err
	}
	if !slices.Equal(st.Layout().Columns().Names(), m.Columns) {
		return nil, fmt.Errorf("%s: the manifest's columns differ from those of this adsim version; merge with the version that ran the shards", dir)
	}
	return st, nil
}

// checkEngine refuses a directory whose rows another build or platform computed: merging
// them would give a study that no single run reproduces (Engine).
func checkEngine(dir string, m *Manifest) error {
	if m.Engine == nil {
		return fmt.Errorf("%s: the manifest does not say which adsim build computed the rows (written by an older adsim); merge with that version, or run the shard again", dir)
	}
	if err := CurrentEngine().Check(*m.Engine); err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	return nil
}

// Merge reads the rows of shard directories (written by `adsim mc --shard I/N --out DIR`),
// checks that they belong to one study and cover its replications exactly once, and folds
// them in replication order into one summary, streaming the rows to sinks. The result is
// identical to that of one unsharded run. The rows are read from rows.csv, which holds every
// double exactly.
//
// A cancellation of ctx stops the reading within ReadCheckRows rows (a Ctrl-C while a merge
// reads millions of rows is acted on at once, not once they are read): the error is a
// *ReadInterrupted, naming the file, that wraps ctx.Err(). The directories are only read;
// nothing in them is changed, and the sinks have had only the rows read before the stop.
func Merge(ctx context.Context, dirs []string, sinks ...RowSink) (*Summary, *Study, *Manifest, error) {
	st, parts, err := checkShards(dirs)
	if err != nil {
		return nil, nil, nil, err
	}
	sum := NewSummary(st)
	for _, p := range parts {
		if err := foldSaved(ctx, p.dir, st, p.m, sum, sinks...); err != nil {
			var ri *ReadInterrupted
			if errors.As(err, &ri) {
				return nil, nil, nil, fmt.Errorf("merge: %w; the directories merged are only read: nothing in them was changed", err)
			}
			return nil, nil, nil, fmt.Errorf("merge: %w", err)
		}
	}
	total := *parts[0].m
	total.Shard, total.Reps, total.Done = nil, Range{0, total.Total}, uint64(sum.N())
	return sum, st, &total, nil
}

// CheckShards does the checks of Merge that need only the manifests and scenario copies: one
// study, one engine, every replication covered once by complete directories. It returns the
// study, so that `adsim merge --out` can refuse shards before it creates anything; Merge does
// them again, and checks the rows as it reads them.
func CheckShards(dirs []string) (*Study, error) {
	st, _, err := checkShards(dirs)
	return st, err
}

// shardPart is one directory of a merge and its manifest.
type shardPart struct {
	dir string
	m   *Manifest
}

// checkShards is CheckShards, with the directories sorted by their first replication.
func checkShards(dirs []string) (*Study, []shardPart, error) {
	if len(dirs) == 0 {
		return nil, nil, errors.New("merge: no directories given")
	}
	var parts []shardPart
	for _, d := range dirs {
		m, err := ReadManifest(d)
		if err != nil {
			return nil, nil, err
		}
		if err := checkEngine(d, m); err != nil {
			return nil, nil, fmt.Errorf("merge: %w", err)
		}
		parts = append(parts, shardPart{d, m})
	}
	first := parts[0].m
	for _, p := range parts[1:] {
		if p.m.Fingerprint != first.Fingerprint || p.m.Total != first.Total {
			why := fmt.Sprintf("scenario %q, seed %d, %d replications, fingerprint %s against scenario %q, seed %d, %d replications, fingerprint %s",
				first.Scenario, first.Seed, first.Total, first.Fingerprint, p.m.Scenario, p.m.Seed, p.m.Total, p.m.Fingerprint)
			switch {
			case p.m.Seed != first.Seed:
				why = fmt.Sprintf("seed %d against seed %d", first.Seed, p.m.Seed)
			case p.m.Total != first.Total:
				why = fmt.Sprintf("-n %d against -n %d", first.Total, p.m.Total)
			case p.m.Scenario == first.Scenario:
				why = fmt.Sprintf("scenario %q with fingerprints %s and %s: the scenario files, catalogs or settings differ", first.Scenario, first.Fingerprint, p.m.Fingerprint)
			}
			return nil, nil, fmt.Errorf("merge: %s and %s are not shards of one study (%s)", parts[0].dir, p.dir, why)
		}
	}
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].m.Reps.Start < parts[j].m.Reps.Start })
	next, prev := uint64(0), ""
	for _, p := range parts {
		if p.m.Stopped != "" && len(parts) > 1 {
			// --until-ci runs whole studies only; a stopped one is complete on its own.
			return nil, nil, fmt.Errorf("merge: %s is a whole study that --until-ci stopped after %d replications; it cannot be merged with other directories", p.dir, p.m.Done)
		}
		if !p.m.Complete() {
			return nil, nil, fmt.Errorf("merge: %s holds %d of its %d replications %s (an interrupted or killed run: 'adsim mc --resume %s' goes on)", p.dir, p.m.Done, p.m.Reps.Len(), p.m.Reps, p.dir)
		}
		switch {
		case p.m.Reps.Start < next && filepath.Clean(prev) == filepath.Clean(p.dir):
			return nil, nil, fmt.Errorf("merge: %s is given twice", p.dir)
		case p.m.Reps.Start < next:
			return nil, nil, fmt.Errorf("merge: %s holds replications %s, which overlap those of %s", p.dir, p.m.Reps, prev)
		case p.m.Reps.Start > next:
			return nil, nil, fmt.Errorf("merge: replications [%d, %d) are missing (no directory holds them)", next, p.m.Reps.Start)
		}
		next, prev = p.m.Reps.End, p.dir
	}
	if next != first.Total {
		return nil, nil, fmt.Errorf("merge: replications [%d, %d) are missing (no directory holds them)", next, first.Total)
	}
	st, err := LoadStudy(parts[0].dir, first)
	if err != nil {
		return nil, nil, err
	}
	return st, parts, nil
}

// ReadCheckRows is how many rows the readers of saved rows (ResumeOutput, Merge) fold between
// two looks at their context: a cancellation stops a reading of millions of rows at once,
// and a look per 1024 rows costs nothing beside the parsing of them.
const ReadCheckRows = 1024

// ReadInterrupted is the error of a reading of saved rows (ResumeOutput, Merge) that its
// context stopped: Path is the file being read, of which Read of the Want rows its manifest
// counts had been read. The reading itself writes nothing where it reads; ResumeOutput and
// Merge say what that leaves. It wraps the context's error, so that
// errors.Is(err, context.Canceled) holds.
type ReadInterrupted struct {
	Path       string
	Read, Want uint64
	Err        error // the context's: context.Canceled or context.DeadlineExceeded
}

// Error says which file was being read and why it stopped.
func (e *ReadInterrupted) Error() string {
	return fmt.Sprintf("reading %s stopped after %d of its %d saved rows (%v)", e.Path, e.Read, e.Want, e.Err)
}

// Unwrap returns the context's error that stopped the read.
func (e *ReadInterrupted) Unwrap() error { return e.Err }

// foldSaved reads the m.Done rows saved in dir/rows.csv (replications m.Reps.Start on, of the
// study's seed, in order), folds them into sum and hands them to the sinks. It reads no
// further: after a hard kill the file may hold rows written after the last checkpoint, the
// last of them cut short. ctx is looked at before the file is opened and every ReadCheckRows
// rows; once it is cancelled the error is a *ReadInterrupted.
func foldSaved(ctx context.Context, dir string, st *Study, m *Manifest, sum *Summary, sinks ...RowSink) error {
	path := filepath.Join(dir, RowsCSV)
	if m.Done == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return &ReadInterrupted{Path: path, Want: m.Done, Err: err}
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s is missing, and its manifest says %d rows were saved there; expected the rows beside %s: "+
			"adsim reads saved rows back from %s only (every double exactly, and whole up to the last checkpoint "+
			"after a hard kill), not from %s, which is for pandas, DuckDB and R; restore %s from a copy of the directory",
			path, m.Done, ManifestJSON, RowsCSV, RowsParquet, RowsCSV)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	if err := foldRows(ctx, f, st, m, sum, sinks...); err != nil {
		var ri *ReadInterrupted
		if errors.As(err, &ri) {
			ri.Path = path
			return ri
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// foldRows is foldSaved of the rows read from r; a *ReadInterrupted it returns has no Path.
func foldRows(ctx context.Context, r io.Reader, st *Study, m *Manifest, sum *Summary, sinks ...RowSink) error {
	want, end := m.Reps.Start, m.Reps.Start+m.Done
	errEnough := errors.New("enough rows")
	var stopped error // ctx's error, once it is seen
	l := st.Layout()
	err := readRowsCSV(r, l, func(r *Row) error {
		if (want-m.Reps.Start)%ReadCheckRows == 0 {
			if stopped = ctx.Err(); stopped != nil {
				return stopped
			}
		}
		if r.Rep != want {
			return &report.FieldError{Field: 0, Err: fmt.Errorf("rep: found replication %d; expected %d (the rows in order from %d)", r.Rep, want, m.Reps.Start)}
		}
		if r.Seed != st.Seed {
			return &report.FieldError{Field: 1, Err: fmt.Errorf("seed: found %d; expected the study's seed %d", r.Seed, st.Seed)}
		}
		if err := l.Validate(r); err != nil {
			return err
		}
		want++
		sum.Add(r)
		for _, s := range sinks {
			if err := s.WriteRow(r); err != nil {
				return err
			}
		}
		if want == end {
			return errEnough // stop before reading what follows
		}
		return nil
	})
	if stopped != nil {
		return &ReadInterrupted{Read: want - m.Reps.Start, Want: m.Done, Err: stopped}
	}
	if errors.Is(err, errEnough) {
		err = nil
	}
	if err == nil && want != end {
		err = fmt.Errorf("%d rows, the manifest says %d", want-m.Reps.Start, m.Done)
	}
	return err
}
