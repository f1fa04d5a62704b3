package mc

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// SweepJSON is the file of a sweep's results in its output directory.
const SweepJSON = "sweep.json"

// SweepFormat is the format tag of sweep.json.
const SweepFormat = "adsim-sweep/1"

// SweepFile is sweep.json: what a sweep set, how far it ran, and the result at each point
// complete so far. A sweep with an output directory rewrites it after every point (by
// rename, so the file on disk is always whole): a sweep stopped in any way — Ctrl-C, SIGTERM,
// a kill, a lost machine — keeps its complete points, and the same sweep run again takes them
// from the file instead of running them again (SavedPoints).
type SweepFile struct {
	Format   string    `json:"format"`
	Scenario string    `json:"scenario"`
	Seed     uint64    `json:"seed"`
	Axes     []Axis    `json:"axes"`
	Fixed    []Setting `json:"fixed"`
	Zip      bool      `json:"zip"`
	// Replications is -n: the replications of each point (the most, with UntilCI).
	Replications uint64  `json:"replications"`
	UntilCI      float64 `json:"until_ci"`
	CheckEvery   uint64  `json:"check_every"`
	// Planned is the number of points of the sweep; Complete says whether all have run.
	Planned  int          `json:"planned_points"`
	Complete bool         `json:"complete"`
	Engine   Engine       `json:"engine"`
	Points   []SweepPoint `json:"points"`
}

// WriteSweepFile writes dir/sweep.json whole: to a temporary file, then renamed over it.
func WriteSweepFile(dir string, f *SweepFile) error {
	f.Format = SweepFormat
	return writeWhole(dir, SweepJSON, f)
}

// writeWhole writes v as JSON to dir/name (making dir if needed) through a temporary file
// renamed over it, so that the file on disk is always whole, whenever the process is killed.
func writeWhole(dir, name string, v any) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	tmp := filepath.Join(dir, name+".tmp")
	if err := writeJSON(tmp, v); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	return nil
}

// readFormatted reads dir/name as JSON into v and checks its format tag (format() after the
// read) against want. It returns the file's path for further messages; a missing file is an
// error wrapping os.ErrNotExist.
func readFormatted(dir, name string, v any, format func() string, want string) (string, error) {
	path := filepath.Join(dir, name)
	data, err := os.ReadFile(path)
	if err != nil {
		return path, err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return path, fmt.Errorf("%s: %w", path, err)
	}
	if got := format(); got != want {
		return path, fmt.Errorf("%s: format %q, expected %q", path, got, want)
	}
	return path, nil
}

// ReadSweepFile reads dir/sweep.json; a missing file is an error wrapping os.ErrNotExist.
func ReadSweepFile(dir string) (*SweepFile, error) {
	var f SweepFile
	path, err := readFormatted(dir, SweepJSON, &f, func() string { return f.Format }, SweepFormat)
	if err != nil {
		return nil, err
	}
	for i, p := range f.Points {
		if p.Result == nil {
			return nil, fmt.Errorf("%s: point %d has no result", path, i)
		}
	}
	return &f, nil
}

// SavedPoints returns the results of f that a sweep run now, asking for the replications,
// interval and checks of want, can take as they are, keyed by their settings
// ("raids[0].count=10, c2.salvo=2"). That needs the same engine (Engine), seed, -n, and
// --until-ci with its check period; Sweep takes a saved result only for a point whose study
// has the fingerprint the result records (the same scenario, settings and catalog), so a
// saved point of another scenario or with other fixed settings is never taken. why says why
// none can be taken ("" when some may).
func (f *SweepFile) SavedPoints(want *SweepFile) (saved map[string]*Result, why string) {
	switch {
	case CurrentEngine().Check(f.Engine) != nil:
		return nil, CurrentEngine().Check(f.Engine).Error()
	case f.Seed != want.Seed:
		return nil, fmt.Sprintf("seed %d, not %d", f.Seed, want.Seed)
	case f.Replications != want.Replications:
		return nil, fmt.Sprintf("-n %d, not %d", f.Replications, want.Replications)
	case f.UntilCI != want.UntilCI || (f.UntilCI > 0 && f.CheckEvery != want.CheckEvery):
		return nil, fmt.Sprintf("--until-ci %g every %d, not %g every %d", f.UntilCI, f.CheckEvery, want.UntilCI, want.CheckEvery)
	}
	saved = make(map[string]*Result, len(f.Points))
	for _, p := range f.Points {
		saved[settingsText(p.Set)] = p.Result
	}
	return saved, ""
}

// SavedSteps returns the steps of the file's points (SweepPoint.Step), keyed by the settings of
// each point and of the one before it in the file, for Sweep's SweepHooks.SavedSteps: a step
// is taken only where the point before is the same. Call it where SavedPoints accepts the file.
func (f *SweepFile) SavedSteps() map[string]*Comparison {
	steps := map[string]*Comparison{}
	for j := 1; j < len(f.Points); j++ {
		if s := f.Points[j].Step; s != nil {
			steps[stepKey(f.Points[j-1].Set, f.Points[j].Set)] = s
		}
	}
	return steps
}

// Dropped counts the file's points that are none of points (a sweep's Grid): a sweep over
// other values writes its own file, without them.
func (f *SweepFile) Dropped(points [][]Setting) int {
	in := make(map[string]bool, len(points))
	for _, p := range points {
		in[settingsText(p)] = true
	}
	n := 0
	for _, p := range f.Points {
		if !in[settingsText(p.Set)] {
			n++
		}
	}
	return n
}

// SweepHooks are what a caller of Sweep may do between and during points.
type SweepHooks struct {
	// Progress, if set, is called with the point index and the replications done there.
	Progress func(point int, done uint64)
	// Saved, if set, holds results of an earlier run of the same sweep (SavedPoints): a
	// point whose settings are there, with the fingerprint of the point's study, is taken as
	// it is instead of being run.
	Saved map[string]*Result
	// Done, if set, is called after each point is complete (run or saved) with the points
	// complete so far, in order: a caller saves them (WriteSweepFile). An error stops the
	// sweep.
	Done func(points []SweepPoint) error
	// Steps, if set, pairs each point run with the point run just before it, replication by
	// replication on their common random numbers (SweepPoint.Step): the paired difference of
	// one step of a one-field sweep, far sharper than the two points' own intervals. A point
	// taken from Saved takes its step from SavedSteps; a point run after one runs the saved
	// point's replications again to pair with (the same rows, by determinism), so that a
	// resumed sweep gives the steps of one uninterrupted run. A saved point with no saved step
	// from the point now before it (values added or reordered since, or saved by a run
	// without Steps) is run again, for its step.
	Steps bool
	// SavedSteps, with Saved, holds the saved points' steps (SweepFile.SavedSteps). Without
	// Steps they are kept all the same on the points taken from Saved, so that a sweep run
	// again for another plot does not lose them from its file.
	SavedSteps map[string]*Comparison
	// Reused, if set, is called instead of Progress for a point taken from Saved, with its
	// replications: none of them ran in this process (a progress rate must not count them).
	Reused func(point int, reps uint64)
	// Stale, if set, is called for a point that Saved holds with another fingerprint — the
	// scenario, catalog or engine changed since — and that is therefore run again.
	Stale func(point []Setting)
}
