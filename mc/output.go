package mc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/adsim/adsim/report"
)

// Files written in an output directory.
const (
	RowsCSV      = "rows.csv"
	RowsParquet  = "rows.parquet"
	SummaryJSON  = "summary.json"
	ManifestJSON = "manifest.json"
	ScenarioYAML = "scenario.yaml"
	CatalogYAML  = "catalog.yaml"
)

// ManifestFormat identifies the layout of an output directory.
const ManifestFormat = "adsim-mc/1"

// Manifest describes what an output directory holds, so that `adsim merge` can check that
// shards belong to one study and together cover it exactly once.
type Manifest struct {
	Format      string `json:"format"`
	Scenario    string `json:"scenario"`
	Fingerprint string `json:"fingerprint"`
	Seed        uint64 `json:"seed"`
	Total       uint64 `json:"total"` // replications of the whole study
	Reps        Range  `json:"reps"`  // the replications planned in this directory
	Done        uint64 `json:"done"`  // replications written (fewer with --until-ci)
	// UntilCI and CheckEvery are the run's --until-ci rule (absent without one), which
	// --resume goes on with; Stopped is StoppedIntervalReached when the rule stopped the run
	// after Done replications: the directory is then complete (Complete).
	UntilCI    float64  `json:"until_ci,omitempty"`
	CheckEvery uint64   `json:"check_every,omitempty"`
	Stopped    string   `json:"stopped,omitempty"`
	Shard      *Shard   `json:"shard"`   // nil when not sharded
	Columns    []string `json:"columns"` // the row columns, in file order
	HasCatalog bool     `json:"has_catalog"`
	// Engine is the build and platform that computed the rows; merge refuses to mix engines.
	Engine *Engine `json:"engine"`
}

// Output writes the rows of a run to DIR/rows.csv and DIR/rows.parquet as they come, and,
// on Finish, DIR/summary.json, DIR/manifest.json and a copy of the scenario (DIR/scenario.yaml).
type Output struct {
	dir      string
	st       *Study
	files    []*os.File
	writers  []report.RowWriter
	u        [2]uint64
	done     uint64
	finished bool
	engine   Engine // this binary's: local rows are its own, and merge and --nats accept no others
	// final, for a resumed run (ResumeOutput) or a merge (CreateStaged), is the directory
	// into which Finish moves the files of dir, a working directory; replace says that final
	// may hold another study's files (a merge's --out), whose manifest goes first.
	final   string
	replace bool
	// The --until-ci rule of the run (SetUntilCI), recorded in the manifest.
	untilCI    float64
	checkEvery uint64
	// The plan (SetPlan) that checkpoints write into the manifest, and when the last was.
	plan            *Manifest
	checkpointed    time.Time
	checkpointEvery time.Duration // CheckpointInterval (tests shorten it)
	// writeFile writes manifest.json and summary.json (nil: os.WriteFile; tests cut it short).
	writeFile fileWriter
}

// CheckpointInterval is how often (at most) a run with a plan saves a checkpoint: the CSV rows
// flushed and a manifest saying how many there are, so that even a hard kill (SIGKILL, out of
// memory, a lost node) leaves a directory that --resume can go on from.
const CheckpointInterval = 10 * time.Second

// SetPlan tells the output what the run is for — -n of the whole study, the replications
// planned here and the shard (nil when not sharded) — turns on checkpoints and saves the first
// at once: from now on the directory is one --resume goes on from, even after a kill before
// the next (which comes CheckpointInterval later). Call SetUntilCI first, so that it holds the
// run's --until-ci rule too.
func (o *Output) SetPlan(total uint64, reps Range, shard *Shard) error {
	o.plan = o.manifest(total, reps, shard)
	o.checkpointEvery = CheckpointInterval
	return o.checkpoint()
}

// SetUntilCI records the run's --until-ci rule (half-width and replications between checks;
// 0 for none) in the manifest, so that --resume goes on with it and a run it stopped counts as
// complete.
func (o *Output) SetUntilCI(untilCI float64, checkEvery uint64) {
	if untilCI <= 0 {
		untilCI, checkEvery = 0, 0
	} else if checkEvery == 0 {
		checkEvery = DefaultCheckEvery
	}
	o.untilCI, o.checkEvery = untilCI, checkEvery
	if o.plan != nil {
		o.plan.UntilCI, o.plan.CheckEvery = untilCI, checkEvery
	}
}

// manifest is the directory's manifest for the rows written so far.
func (o *Output) manifest(total uint64, reps Range, shard *Shard) *Manifest {
	return &Manifest{Format: ManifestFormat, Scenario: o.st.scen.Name, Fingerprint: o.st.Fingerprint(),
		Seed: o.st.Seed, Total: total, Reps: reps, Done: o.done, UntilCI: o.untilCI, CheckEvery: o.checkEvery,
		Shard: shard, Columns: o.st.Layout().Columns().Names(), HasCatalog: o.st.Catalog != nil, Engine: &o.engine}
}

// checkpoint flushes the CSV rows and writes a manifest saying how many there are (by rename,
// so that the manifest on disk is always whole); Create wrote the scenario copy. The Parquet
// file is complete only at Finish; --resume rebuilds it from the CSV rows.
func (o *Output) checkpoint() error {
	for _, w := range o.writers {
		if cw, ok := w.(*report.CSVWriter); ok {
			if err := cw.Flush(); err != nil {
				return fmt.Errorf("output checkpoint: %w", err)
			}
		}
	}
	m := *o.plan
	m.Done = o.done
	if err := writeWhole(o.writeFile, o.dir, ManifestJSON, m); err != nil {
		return err
	}
	o.checkpointed = time.Now()
	return nil
}

// Create creates dir (if needed), writes the scenario copy and opens the row files, replacing
// whatever an earlier run left there: the caller decides that it may (a fresh directory, or the
// files of a finished run or of none).
func Create(dir string, st *Study) (*Output, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	o := &Output{dir: dir, st: st, engine: CurrentEngine()}
	if err := o.openRows(); err != nil {
		return nil, err
	}
	// A manifest and summary left by an earlier run would describe rows the files no longer
	// hold. They go after the rows are truncated, not before: a kill in between leaves the old
	// manifest over no rows, which nothing takes for a run to resume, rather than the old rows
	// without a manifest. The scenario copy is written now, for the checkpoints' manifests.
	for _, name := range []string{ManifestJSON, SummaryJSON} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			o.abort()
			return nil, fmt.Errorf("output: %w", err)
		}
	}
	// So are the event logs adsim replay wrote of the earlier rows.
	if err := removeEventLogs(dir); err != nil {
		o.abort()
		return nil, fmt.Errorf("output: %w", err)
	}
	if err := o.writeScenario(); err != nil {
		o.abort()
		return nil, err
	}
	return o, nil
}

// openRows creates (or truncates) the row files and their writers.
func (o *Output) openRows() error {
	dir, st := o.dir, o.st
	cols := st.Layout().Columns()
	for _, name := range []string{RowsCSV, RowsParquet} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			o.abort()
			return fmt.Errorf("output: %w", err)
		}
		o.files = append(o.files, f)
		var w report.RowWriter
		if name == RowsCSV {
			w, err = report.NewCSVWriter(f, cols)
		} else {
			w, err = report.NewParquetWriter(f, cols)
		}
		if err != nil {
			o.abort()
			return fmt.Errorf("output %s: %w", name, err)
		}
		o.writers = append(o.writers, w)
	}
	return nil
}

func (o *Output) abort() {
	for _, f := range o.files {
		f.Close()
	}
}

// WriteRow implements RowSink.
func (o *Output) WriteRow(r *Row) error {
	o.u[0], o.u[1] = r.Rep, r.Seed
	for k, w := range o.writers {
		if err := w.WriteRow(o.u[:], r.Int, r.Float); err != nil {
			return fmt.Errorf("output %s: %w", o.files[k].Name(), err)
		}
	}
	o.done++
	// Not on the last planned row: Finish follows at once.
	if o.plan != nil && o.done < o.plan.Reps.Len() && time.Since(o.checkpointed) >= o.checkpointEvery {
		return o.checkpoint()
	}
	return nil
}

// Finish closes the row files and writes the summary, the manifest and the scenario.
// total is the number of replications of the whole study, reps those planned here, shard the
// shard (nil when not sharded). With no replication done (interrupted before the first) there
// are no statistics: the directory gets no summary.json, and its manifest says 0 done, from
// which --resume starts.
func (o *Output) Finish(sum *Summary, total uint64, reps Range, shard *Shard) error {
	if o.finished {
		return nil
	}
	o.finished = true
	if err := o.closeRows(); err != nil {
		return err
	}
	m := o.manifest(total, reps, shard)
	if m.UntilCI > 0 && m.Done > 0 && m.Done < reps.Len() && m.Done%m.CheckEvery == 0 &&
		sum.LeakRate().HalfWidth() <= m.UntilCI {
		// The rule holds at a check: where the run stopped, or would have (Run checks the same).
		m.Stopped = StoppedIntervalReached
	}
	// No replication (a run interrupted before its first, a shard that -n leaves empty): no
	// statistics, so no summary.json; merge and --resume read the manifest and rows.
	var result *Result
	if sum.N() > 0 {
		result = sum.Result()
	}
	return o.save(m, result)
}

// closeRows closes the row files (the Parquet one complete for the rows written).
func (o *Output) closeRows() error {
	var errs []error
	for k, w := range o.writers {
		errs = append(errs, w.Close(), o.files[k].Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	return nil
}

// save writes the summary (none, and an older one removed, when result is nil) and then the
// manifest m, which says what the directory holds, and moves a resumed run's files into its
// directory.
func (o *Output) save(m *Manifest, result *Result) error {
	// Each file whole (writeWhole): a run finishing in place rewrites the manifest of its
	// last checkpoint, and a kill in the middle of writing over it would leave rows that no
	// manifest describes, which nothing resumes.
	if result != nil {
		if err := writeWhole(o.writeFile, o.dir, SummaryJSON, result); err != nil {
			return err
		}
	} else if err := os.Remove(filepath.Join(o.dir, SummaryJSON)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("output: %w", err)
	}
	if err := writeWhole(o.writeFile, o.dir, ManifestJSON, m); err != nil {
		return err
	}
	if o.final != "" {
		return o.promote()
	}
	return nil
}

// SaveProgress ends an output whose run failed (an executor's or a sink's error, not an
// interruption, which Finish saves with its summary): the row files are closed (the Parquet one
// complete for the rows written), and the manifest counts the rows written, with no
// summary.json, so that --resume goes on from them rather than losing them; a resumed run's
// files are moved into its directory as by Finish. It needs a plan (SetPlan); without one it
// does what Close does.
func (o *Output) SaveProgress() error {
	if o.finished || o.plan == nil {
		o.Close()
		return nil
	}
	o.finished = true
	if err := o.closeRows(); err != nil {
		if o.final != "" {
			os.RemoveAll(o.dir) // the saved directory stays as it was
		}
		return err
	}
	m := *o.plan
	m.Done = o.done
	return o.save(&m, nil)
}

// Done is the number of rows written (with those a resumed run started with).
func (o *Output) Done() uint64 { return o.done }

// promote moves the files of the working directory into the final one, the manifest last,
// and removes the working directory. The manifest is what readers go by, and at every moment
// the final directory's manifest describes rows its files hold: a resumed run's old manifest
// counts a prefix of the new rows; a merge's target loses its old manifest first.
func (o *Output) promote() error {
	fail := func(err error) error {
		return fmt.Errorf("output: %w (the new files are in %s, to be moved into %s)", err, o.dir, o.final)
	}
	if o.replace {
		if err := os.Remove(filepath.Join(o.final, ManifestJSON)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fail(err)
		}
	}
	for _, name := range []string{RowsCSV, RowsParquet, ScenarioYAML, CatalogYAML, SummaryJSON, ManifestJSON} {
		src, dst := filepath.Join(o.dir, name), filepath.Join(o.final, name)
		err := os.Rename(src, dst)
		if errors.Is(err, os.ErrNotExist) {
			if _, serr := os.Stat(src); errors.Is(serr, os.ErrNotExist) {
				// Not written by this run (no catalog, no summary): an old one would not
				// describe these rows.
				err = os.Remove(dst)
				if errors.Is(err, os.ErrNotExist) {
					err = nil
				}
			}
		}
		if err != nil {
			return fail(err)
		}
	}
	// Nor would event logs adsim replay wrote of the rows a merge replaced (a resumed run
	// keeps its rows, and their logs stay true).
	if o.replace {
		if err := removeEventLogs(o.final); err != nil {
			return fail(err)
		}
	}
	// A file cut short by a kill while it was written whole in the final directory (a
	// checkpoint's manifest, a summary) is of no use now.
	for _, name := range []string{ManifestJSON, SummaryJSON} {
		_ = os.Remove(filepath.Join(o.final, name+".tmp"))
	}
	if err := os.RemoveAll(o.dir); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	return nil
}

// StagingDir is the working directory, inside the output directory, where CreateStaged
// writes until Finish.
const StagingDir = ".adsim-staging"

// CreateStaged is Create for a directory that must not change until the output is complete
// (adsim merge --out): the files are written in DIR/.adsim-staging and moved into dir by
// Finish, after every input has been read and checked; Close removes them. The caller holds
// dir's lock (LockDir).
func CreateStaged(dir string, st *Study) (*Output, error) {
	work := filepath.Join(dir, StagingDir)
	if err := os.RemoveAll(work); err != nil { // left by a merge that was killed
		return nil, fmt.Errorf("output: %w", err)
	}
	o, err := Create(work, st)
	if err != nil {
		return nil, err
	}
	o.final, o.replace = dir, true
	return o, nil
}

// writeScenario writes the copy of the scenario (and catalog) the rows were computed from.
func (o *Output) writeScenario() error {
	if err := os.WriteFile(filepath.Join(o.dir, ScenarioYAML), o.st.Source, 0o644); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if o.st.Catalog != nil {
		if err := os.WriteFile(filepath.Join(o.dir, CatalogYAML), o.st.Catalog, 0o644); err != nil {
			return fmt.Errorf("output: %w", err)
		}
	}
	return nil
}

// Close closes the row files without writing the summary (after an error, before any row: a
// run that fails later saves its rows with SaveProgress); a resumed run's working directory is
// removed, leaving the saved one as it was.
func (o *Output) Close() {
	if !o.finished {
		o.finished = true
		for k, w := range o.writers {
			w.Close()
			o.files[k].Close()
		}
		if o.final != "" {
			os.RemoveAll(o.dir)
		}
	}
}

// Resumption is an interrupted run saved in a directory, ready to go on (ResumeOutput).
type Resumption struct {
	Study    *Study
	Manifest *Manifest
	// Summary holds the saved replications, folded in order: pass it as Options.Resume.
	Summary *Summary
	// Out holds the saved rows and takes the new ones; its Finish replaces the directory.
	Out *Output
	// Reps are the replications still to run: from the first one not saved to the end of the
	// range the directory was planned for.
	Reps Range
	// Recovered, when not 0, is the number of rows taken from the checkpoint of an earlier
	// resumption that was killed (in RecoveredFrom), which held more than DIR.
	Recovered     uint64
	RecoveredFrom string
}

// ResumeDir is the working directory, inside the output directory, in which a resumed run
// writes until Finish moves its files into the output directory.
const ResumeDir = ".adsim-resume"

// legacyResumeDir is the working directory of a resumption by an adsim from before ResumeDir,
// beside the output directory: its checkpoint is still taken when it holds more rows.
func legacyResumeDir(dir string) string { return dir + ".resume" }

// ResumeOutput prepares the continuation of a run saved in dir that holds fewer replications
// than planned (interrupted, or stopped by --until-ci): it checks the manifest, the engine and
// the scenario copy, folds the saved rows into a summary, and opens an output in a working
// directory inside dir (DIR/.adsim-resume, ResumeDir) that already holds them. The run writes
// on into it, and Finish then moves its files into dir (renames within dir: nothing is written
// outside it, so that a directory whose parent this user cannot write — a container volume, a
// shared HPC directory — can be resumed), so that neither a second interruption nor a hard kill
// loses the saved rows. The result is that of one uninterrupted run, row for row. The caller
// holds dir's lock (LockDir).
//
// A resumption that was killed leaves its working directory with checkpoints that may hold
// more rows than dir: the newer of the two is taken (Resumption.Recovered); so is the
// DIR.resume of an older adsim.
//
// A cancellation of ctx (Ctrl-C while many saved rows are read again) stops the reading within
// ReadCheckRows rows: the error is a *ReadInterrupted, naming the file, that wraps ctx.Err().
// Nothing is lost, and dir is left to be resumed as before: the working directory made for
// this resumption is removed, and a killed resumption's checkpoint is either left where it was
// or, if it was taken before the stop, in dir with a manifest that counts its rows.
func ResumeOutput(ctx context.Context, dir string) (*Resumption, error) {
	dir = filepath.Clean(dir)
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	st, err := LoadStudy(dir, m) // checks the engine too
	if err != nil {
		return nil, err
	}
	if m.Done >= m.Reps.Len() {
		return nil, fmt.Errorf("%s already holds all %d replications it was planned for (%s): nothing to resume", dir, m.Reps.Len(), m.Reps)
	}
	work := filepath.Join(dir, ResumeDir)
	var recovered uint64
	var from string
	for _, w := range []string{work, legacyResumeDir(dir)} {
		n, err := recoverWork(ctx, dir, w, st, m)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			if m, err = ReadManifest(dir); err != nil {
				return nil, err
			}
			recovered, from = n, w
		}
	}
	if err := os.RemoveAll(work); err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	if from == legacyResumeDir(dir) {
		// Its rows are in dir now; what is left of it is not needed (and may not be removable:
		// the parent may be read-only, which an older --resume could not handle either).
		_ = os.RemoveAll(from)
	}
	out, err := Create(work, st)
	if err != nil {
		return nil, err
	}
	out.final = dir
	sum := NewSummary(st)
	if err := foldSaved(ctx, dir, st, m, sum, out); err != nil {
		out.Close() // removes the working directory
		return nil, resumeReadError(dir, err)
	}
	out.SetUntilCI(m.UntilCI, m.CheckEvery)
	if err := out.SetPlan(m.Total, m.Reps, m.Shard); err != nil {
		out.Close()
		return nil, err
	}
	return &Resumption{Study: st, Manifest: m, Summary: sum, Out: out, Reps: Range{Start: m.Reps.Start + m.Done, End: m.Reps.End},
		Recovered: recovered, RecoveredFrom: from}, nil
}

// resumeReadError is the error of ResumeOutput when reading the rows saved in dir (or in a
// killed resumption's working directory) failed with err.
func resumeReadError(dir string, err error) error {
	var ri *ReadInterrupted
	if errors.As(err, &ri) {
		return fmt.Errorf("resume: %w; nothing was lost: %s is left to be resumed as before", err, dir)
	}
	return fmt.Errorf("resume: %w", err)
}

// recoverWork takes the checkpoint of a killed resumption from work when it holds more rows
// of the same study than dir: its rows, checked, are moved into dir and then its manifest (so
// that dir's manifest always counts rows dir holds), and the number of rows is returned.
// Another study's, an older or an unreadable working directory is left to be replaced. A
// cancellation of ctx while its rows are read is an error (resumeReadError) that leaves work
// and dir as they were: were it taken for rows that cannot be read, the caller would replace
// the checkpoint.
func recoverWork(ctx context.Context, dir, work string, st *Study, m *Manifest) (uint64, error) {
	wm, err := ReadManifest(work)
	if err != nil || wm.Done <= m.Done || wm.Fingerprint != m.Fingerprint || wm.Total != m.Total ||
		wm.Reps != m.Reps || (wm.Shard == nil) != (m.Shard == nil) || (wm.Shard != nil && *wm.Shard != *m.Shard) {
		return 0, nil
	}
	if _, err := LoadStudy(work, wm); err != nil {
		return 0, nil
	}
	if err := foldSaved(ctx, work, st, wm, NewSummary(st)); err != nil {
		var ri *ReadInterrupted
		if errors.As(err, &ri) {
			return 0, resumeReadError(dir, err)
		}
		return 0, nil // its rows do not hold what its manifest says: keep dir's
	}
	// The summary of dir's rows no longer describes them.
	for _, step := range []struct{ from, to string }{{"", SummaryJSON}, {RowsCSV, RowsCSV}, {ManifestJSON, ManifestJSON}} {
		var err error
		if step.from == "" {
			err = os.Remove(filepath.Join(dir, step.to))
			if errors.Is(err, os.ErrNotExist) {
				err = nil
			}
		} else {
			err = os.Rename(filepath.Join(work, step.from), filepath.Join(dir, step.to))
		}
		if err != nil {
			return 0, fmt.Errorf("resume: taking the checkpoint of %s: %w", work, err)
		}
	}
	return wm.Done, nil
}

// fileWriter writes a whole file, as os.WriteFile does (the default when nil); tests give
// Output one that cuts a write short, as a kill does.
type fileWriter func(path string, data []byte, perm os.FileMode) error

// writeJSON writes v as indented JSON to path with write (nil: os.WriteFile).
func writeJSON(write fileWriter, path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if write == nil {
		write = os.WriteFile
	}
	if err := write(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	return nil
}

// readRowsCSV reads rows written by Output; the Row passed to fn is reused.
func readRowsCSV(r io.Reader, l *Layout, fn func(*Row) error) error {
	row := l.NewRow()
	return report.ReadCSV(r, l.Columns(), func(u []uint64, i []int64, f []float64) error {
		row.Rep, row.Seed = u[0], u[1]
		copy(row.Int, i)
		copy(row.Float, f)
		return fn(&row)
	})
}
