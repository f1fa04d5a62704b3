package mc

import (
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
	Format      string   `json:"format"`
	Scenario    string   `json:"scenario"`
	Fingerprint string   `json:"fingerprint"`
	Seed        uint64   `json:"seed"`
	Total       uint64   `json:"total"`   // replications of the whole study
	Reps        Range    `json:"reps"`    // the replications planned in this directory
	Done        uint64   `json:"done"`    // replications written (fewer with --until-ci)
	Shard       *Shard   `json:"shard"`   // nil when not sharded
	Columns     []string `json:"columns"` // the row columns, in file order
	HasCatalog  bool     `json:"has_catalog"`
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
	// final, for a resumed run (ResumeOutput), is the directory that Finish replaces by dir,
	// a working directory beside it.
	final string
	// The plan (SetPlan) that checkpoints write into the manifest, and when the last was.
	plan            *Manifest
	checkpointed    time.Time
	checkpointEvery time.Duration // CheckpointInterval (tests shorten it)
}

// CheckpointInterval is how often (at most) a run with a plan saves a checkpoint: the CSV rows
// flushed and a manifest saying how many there are, so that even a hard kill (SIGKILL, out of
// memory, a lost node) leaves a directory that --resume can go on from.
const CheckpointInterval = 10 * time.Second

// SetPlan tells the output what the run is for — -n of the whole study, the replications
// planned here and the shard (nil when not sharded) — and turns on checkpoints.
func (o *Output) SetPlan(total uint64, reps Range, shard *Shard) {
	o.plan = o.manifest(total, reps, shard)
	o.checkpointed, o.checkpointEvery = time.Now(), CheckpointInterval
}

// manifest is the directory's manifest for the rows written so far.
func (o *Output) manifest(total uint64, reps Range, shard *Shard) *Manifest {
	return &Manifest{Format: ManifestFormat, Scenario: o.st.scen.Name, Fingerprint: o.st.Fingerprint(),
		Seed: o.st.Seed, Total: total, Reps: reps, Done: o.done, Shard: shard,
		Columns: o.st.Layout().Columns().Names(), HasCatalog: o.st.Catalog != nil, Engine: &o.engine}
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
	tmp := filepath.Join(o.dir, ManifestJSON+".tmp")
	if err := writeJSON(tmp, m); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(o.dir, ManifestJSON)); err != nil {
		return fmt.Errorf("output checkpoint: %w", err)
	}
	o.checkpointed = time.Now()
	return nil
}

// Create creates dir (if needed), writes the scenario copy and opens the row files.
func Create(dir string, st *Study) (*Output, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	o := &Output{dir: dir, st: st, engine: CurrentEngine()}
	// A manifest and summary left by an earlier run would describe rows the files no longer
	// hold; the scenario copy is written now, for the checkpoints' manifests.
	for _, name := range []string{ManifestJSON, SummaryJSON} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("output: %w", err)
		}
	}
	if err := o.writeScenario(); err != nil {
		return nil, err
	}
	cols := st.Layout().Columns()
	for _, name := range []string{RowsCSV, RowsParquet} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			o.abort()
			return nil, fmt.Errorf("output: %w", err)
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
			return nil, fmt.Errorf("output %s: %w", name, err)
		}
		o.writers = append(o.writers, w)
	}
	return o, nil
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
// shard (nil when not sharded).
func (o *Output) Finish(sum *Summary, total uint64, reps Range, shard *Shard) error {
	if o.finished {
		return nil
	}
	o.finished = true
	var errs []error
	for k, w := range o.writers {
		errs = append(errs, w.Close(), o.files[k].Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	if err := writeJSON(filepath.Join(o.dir, ManifestJSON), o.manifest(total, reps, shard)); err != nil {
		return err
	}
	// A shard that -n leaves no replications has no statistics (JSON could not hold their NaN):
	// no summary.json; merge reads the manifest and rows.
	if sum.N() > 0 {
		if err := writeJSON(filepath.Join(o.dir, SummaryJSON), sum.Result()); err != nil {
			return err
		}
	}
	if o.final != "" {
		// The resumed run's directory replaces the saved one: a rename each, so that at every
		// moment one complete directory holds the rows.
		old := o.final + ".old"
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		if err := os.Rename(o.final, old); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		if err := os.Rename(o.dir, o.final); err != nil {
			return fmt.Errorf("output: %w (the saved rows are in %s, the new ones in %s)", err, old, o.dir)
		}
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("output: %w", err)
		}
	}
	return nil
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

// Close closes the row files without writing the summary (after an error); a resumed run's
// working directory is removed, leaving the saved one as it was.
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
}

// ResumeOutput prepares the continuation of a run saved in dir that holds fewer replications
// than planned (interrupted, or stopped by --until-ci): it checks the manifest, the engine and
// the scenario copy, folds the saved rows into a summary, and opens an output in a working
// directory beside dir ("DIR.resume") that already holds them. The run writes on into it, and
// Finish then replaces dir by it, so that neither a second interruption nor a hard kill loses
// the saved rows. The result is that of one uninterrupted run, row for row.
func ResumeOutput(dir string) (*Resumption, error) {
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
	work := dir + ".resume"
	if err := os.RemoveAll(work); err != nil { // left by a resumption that was killed
		return nil, fmt.Errorf("resume: %w", err)
	}
	out, err := Create(work, st)
	if err != nil {
		return nil, err
	}
	out.final = dir
	sum := NewSummary(st)
	if err := foldSaved(dir, st, m, sum, out); err != nil {
		out.Close()
		return nil, fmt.Errorf("resume: %w", err)
	}
	out.SetPlan(m.Total, m.Reps, m.Shard)
	return &Resumption{Study: st, Manifest: m, Summary: sum, Out: out, Reps: Range{Start: m.Reps.Start + m.Done, End: m.Reps.End}}, nil
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
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
