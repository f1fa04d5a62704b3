package mc

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

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
}

// Create creates dir (if needed) and opens the row files.
func Create(dir string, st *Study) (*Output, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output directory: %w", err)
	}
	o := &Output{dir: dir, st: st, engine: CurrentEngine()}
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
	m := Manifest{Format: ManifestFormat, Scenario: o.st.scen.Name, Fingerprint: o.st.Fingerprint(),
		Seed: o.st.Seed, Total: total, Reps: reps, Done: o.done, Shard: shard,
		Columns: o.st.Layout().Columns().Names(), HasCatalog: o.st.Catalog != nil, Engine: &o.engine}
	if err := writeJSON(filepath.Join(o.dir, ManifestJSON), m); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(o.dir, SummaryJSON), sum.Result()); err != nil {
		return err
	}
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

// Close closes the row files without writing the summary (after an error).
func (o *Output) Close() {
	if !o.finished {
		o.finished = true
		for k, w := range o.writers {
			w.Close()
			o.files[k].Close()
		}
	}
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
