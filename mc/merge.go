package mc

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
)

// ReadManifest reads DIR/manifest.json.
func ReadManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestJSON))
	if err != nil {
		return nil, fmt.Errorf("%s is not an adsim mc output directory: %w", dir, err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestJSON), err)
	}
	if m.Format != ManifestFormat {
		return nil, fmt.Errorf("%s: format %q, expected %q", filepath.Join(dir, ManifestJSON), m.Format, ManifestFormat)
	}
	return &m, nil
}

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
func Merge(dirs []string, sinks ...RowSink) (*Summary, *Study, *Manifest, error) {
	if len(dirs) == 0 {
		return nil, nil, nil, errors.New("merge: no directories given")
	}
	type part struct {
		dir string
		m   *Manifest
	}
	var parts []part
	for _, d := range dirs {
		m, err := ReadManifest(d)
		if err != nil {
			return nil, nil, nil, err
		}
		if err := checkEngine(d, m); err != nil {
			return nil, nil, nil, fmt.Errorf("merge: %w", err)
		}
		parts = append(parts, part{d, m})
	}
	first := parts[0].m
	for _, p := range parts[1:] {
		if p.m.Fingerprint != first.Fingerprint || p.m.Total != first.Total {
			return nil, nil, nil, fmt.Errorf("merge: %s (scenario %q, %d replications, fingerprint %s) and %s (scenario %q, %d, %s) are not shards of one study",
				parts[0].dir, first.Scenario, first.Total, first.Fingerprint, p.dir, p.m.Scenario, p.m.Total, p.m.Fingerprint)
		}
	}
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].m.Reps.Start < parts[j].m.Reps.Start })
	next := uint64(0)
	for _, p := range parts {
		if p.m.Done != p.m.Reps.Len() {
			return nil, nil, nil, fmt.Errorf("merge: %s holds %d of its %d replications %s (an interrupted, killed or --until-ci run: 'adsim mc --resume %s' goes on)", p.dir, p.m.Done, p.m.Reps.Len(), p.m.Reps, p.dir)
		}
		switch {
		case p.m.Reps.Start < next:
			return nil, nil, nil, fmt.Errorf("merge: %s holds replications %s, which overlap those of another directory", p.dir, p.m.Reps)
		case p.m.Reps.Start > next:
			return nil, nil, nil, fmt.Errorf("merge: replications [%d, %d) are missing (no directory holds them)", next, p.m.Reps.Start)
		}
		next = p.m.Reps.End
	}
	if next != first.Total {
		return nil, nil, nil, fmt.Errorf("merge: replications [%d, %d) are missing (no directory holds them)", next, first.Total)
	}
	st, err := LoadStudy(parts[0].dir, first)
	if err != nil {
		return nil, nil, nil, err
	}
	sum := NewSummary(st)
	for _, p := range parts {
		if err := foldSaved(p.dir, st, p.m, sum, sinks...); err != nil {
			return nil, nil, nil, fmt.Errorf("merge: %w", err)
		}
	}
	total := *first
	total.Shard, total.Reps, total.Done = nil, Range{0, first.Total}, first.Total
	return sum, st, &total, nil
}

// foldSaved reads the m.Done rows saved in dir/rows.csv (replications m.Reps.Start on, of the
// study's seed, in order), folds them into sum and hands them to the sinks. It reads no
// further: after a hard kill the file may hold rows written after the last checkpoint, the
// last of them cut short.
func foldSaved(dir string, st *Study, m *Manifest, sum *Summary, sinks ...RowSink) error {
	path := filepath.Join(dir, RowsCSV)
	if m.Done == 0 {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	want, end := m.Reps.Start, m.Reps.Start+m.Done
	errEnough := errors.New("enough rows")
	err = readRowsCSV(f, st.Layout(), func(r *Row) error {
		if r.Rep != want || r.Seed != st.Seed {
			return fmt.Errorf("row of replication %d (seed %d) where replication %d (seed %d) was expected", r.Rep, r.Seed, want, st.Seed)
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
	if errors.Is(err, errEnough) {
		err = nil
	}
	if err == nil && want != end {
		err = fmt.Errorf("%d rows, the manifest says %d", want-m.Reps.Start, m.Done)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
