package mc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sweepJSON is the points' results as JSON, to compare runs bit for bit.
func sweepJSON(t *testing.T, pts []SweepPoint) string {
	t.Helper()
	b, err := json.Marshal(pts)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A sweep saves each point as it completes; stopped part-way and run again, it takes the saved
// points and runs the rest, to the results of an uninterrupted sweep.
func TestSweepResumesFromItsFile(t *testing.T) {
	st := loadSmall(t)
	grid := axis(t, "fire_units[0].magazine.57e6", "4", "8", "12")
	opt := Options{Reps: Range{0, 6}}
	want, _, err := Sweep(context.Background(), st, grid, Local{}, opt, SweepHooks{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	spec := SweepFile{Scenario: "small", Seed: st.Seed, Axes: []Axis{{"fire_units[0].magazine.57e6", []string{"4", "8", "12"}}},
		Replications: 6, Planned: len(grid), Engine: CurrentEngine()}
	save := func(pts []SweepPoint) error {
		f := spec
		f.Points = pts
		return WriteSweepFile(dir, &f)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, _, err = Sweep(ctx, st, grid, Local{Workers: 1}, opt, SweepHooks{Done: save, Progress: func(point int, done uint64) {
		if point == 2 && done == 1 {
			cancel()
		}
	}})
	var in *Interrupted
	if !errors.As(err, &in) {
		t.Fatalf("error %v, want an interruption", err)
	}
	f, err := ReadSweepFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Points) != 2 {
		t.Fatalf("the file holds %d points, want the 2 complete", len(f.Points))
	}
	saved, why := f.SavedPoints(&spec)
	if why != "" {
		t.Fatal(why)
	}
	got, reused, err := Sweep(context.Background(), st, grid, Local{}, opt, SweepHooks{Saved: saved, Done: save})
	if err != nil {
		t.Fatal(err)
	}
	if reused != 2 || sweepJSON(t, got) != sweepJSON(t, want) {
		t.Errorf("resumed: %d points reused, results equal %v; want 2 and equal", reused, sweepJSON(t, got) == sweepJSON(t, want))
	}
	if got[1].X[0] != 8 {
		t.Errorf("a saved point's value as a number: %v", got[1].X)
	}

	// A saved point is taken only for the same study: other fixed settings run it again.
	other, err := st.With("c2.salvo", "3")
	if err != nil {
		t.Fatal(err)
	}
	if _, reused, err := Sweep(context.Background(), other, grid, Local{}, opt, SweepHooks{Saved: saved}); err != nil || reused != 0 {
		t.Errorf("another study took %d saved points (%v)", reused, err)
	}
	// Nor for another -n, --until-ci, seed or engine.
	for _, c := range []struct {
		name string
		edit func(*SweepFile)
		want string
	}{
		{"-n", func(w *SweepFile) { w.Replications = 7 }, "-n 6, not 7"},
		{"--until-ci", func(w *SweepFile) { w.UntilCI, w.CheckEvery = 0.01, 100 }, "--until-ci 0 every 0, not 0.01 every 100"},
		{"seed", func(w *SweepFile) { w.Seed++ }, "seed"},
	} {
		w := spec
		c.edit(&w)
		if s, why := f.SavedPoints(&w); s != nil || !strings.Contains(why, c.want) {
			t.Errorf("%s: saved %v, why %q; want none and %q", c.name, s != nil, why, c.want)
		}
	}
	old := *f
	old.Engine.Build = "v0.0.0-other"
	if s, why := old.SavedPoints(&spec); s != nil || why == "" {
		t.Errorf("another build's points were taken (%q)", why)
	}
}

func TestReadSweepFileErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, SweepJSON)
	if _, err := ReadSweepFile(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
	for _, c := range []struct{ data, want string }{
		{`{`, ":1:2: the file ends in the middle of the JSON; expected the rest of the file"},
		{`{"format":"adsim-sweep/0"}`, `format "adsim-sweep/0", expected "adsim-sweep/1"`},
		{`{"format":"adsim-sweep/1","replications":1,"planned_points":1,"points":[{"set":[]}]}`, ":1:73: points[0].result: no result"},
		{`{"format":"adsim-sweep/1","points":[{"result":{"leak_rate":{"est":"x"}}}]}`, ":1:67: points.result.leak_rate.Est: found a string; expected a number"},
		{`{"format":"adsim-sweep/1",
"replications":"x"}`, ":2:16: replications: found a string; expected a whole number of at least 0"},
		{`{"format":"adsim-sweep/1"} {}`, ":1:28: found more after the file's object"},
		{``, ":1:1: the file is empty; expected a JSON object (an adsim sweep file)"},
	} {
		if err := os.WriteFile(path, []byte(c.data), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadSweepFile(dir); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming the file and containing %q", c.data, err, c.want)
		}
	}
}

// A saved point is checked as it is read: a value no sweep could have written (a file edited
// by hand or damaged) is an error at its line and column naming the field and what was
// expected, and the file is never taken as results.
func TestReadSweepFileChecksPoints(t *testing.T) {
	st := loadSmall(t)
	const path = "fire_units[0].magazine.57e6"
	grid := axis(t, path, "4", "8")
	pts, _, err := Sweep(context.Background(), st, grid, Local{}, Options{Reps: Range{0, 6}}, SweepHooks{Steps: true})
	if err != nil {
		t.Fatal(err)
	}
	if pts[1].Step == nil {
		t.Fatal("no step to check")
	}
	dir := t.TempDir()
	valid := SweepFile{Scenario: "small", Seed: st.Seed, Axes: []Axis{{path, []string{"4", "8"}}}, Replications: 6, Planned: 2,
		Engine: CurrentEngine(), Points: pts}
	if err := WriteSweepFile(dir, &valid); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadSweepFile(dir); err != nil {
		t.Fatalf("a sweep's own file: %v", err)
	}
	for _, c := range []struct {
		name  string
		edit  func(f *SweepFile)
		field string // the JSON path named
		want  string // what the message says
		found string // the text at the line and column given
	}{
		{"a rate of 700 %", func(f *SweepFile) { f.Points[1].Result.LeakRate.Est = 7 }, "points[1].result.leak_rate.est", "7; expected a proportion, from 0 to 1", "7"},
		{"fewer replications than -n", func(f *SweepFile) { f.Points[1].Result.Replications = 3 }, "points[1].result.replications", "3; expected the file's -n, 6", "3"},
		{"more than -n under until_ci", func(f *SweepFile) { f.UntilCI, f.CheckEvery, f.Points[0].Result.Replications = 0.01, 2, 8 },
			"points[0].result.replications", "8; expected a multiple of check_every 2 up to -n 6", "8"},
		{"not a check under until_ci", func(f *SweepFile) { f.UntilCI, f.CheckEvery, f.Points[0].Result.Replications = 0.01, 4, 3 },
			"points[0].result.replications", "3; expected a multiple of check_every 4", "3"},
		{"a step outside its interval", func(f *SweepFile) { f.Points[1].Step.LeakRate.Diff.Est = 0.5 }, "points[1].step.leak_rate.diff.hi", "with est 0.5; expected an upper bound from the estimate to 1", "-0."},
		{"a step of a rate beyond 1", func(f *SweepFile) { f.Points[1].Step.LeakRate.Diff.Est = 5 }, "points[1].step.leak_rate.diff.est", "5; expected a difference of proportions, from -1 to 1", "5"},
		{"a step's p-value beyond 1", func(f *SweepFile) { f.Points[1].Step.AnyLeak.P = 7 }, "points[1].step.p_any_leak.p", "7; expected a p-value, from 0 to 1", "7"},
		{"a step's mean rate beyond 1", func(f *SweepFile) { f.Points[1].Step.LeakRate.A = 2 }, "points[1].step.leak_rate.a", "2; expected", "2"},
		{"lo above est", func(f *SweepFile) { f.Points[0].Result.ValueLost.Lo = f.Points[0].Result.ValueLost.Est + 1 }, "points[0].result.value_lost.lo", "expected a lower bound from 0 to the estimate", ""},
		{"hi below est", func(f *SweepFile) { f.Points[0].Result.AnyLeak.Hi = -0.5 }, "points[0].result.p_any_leak.hi", "expected an upper bound from the estimate to 1", "-0.5"},
		{"a negative count", func(f *SweepFile) { f.Points[0].Result.Units[0].Weapons[0].Fired = Interval{-2, -3, -1} },
			"points[0].result.units[0].weapons[0].fired.est", "-2; expected a count, cost or ratio of at least 0", "-2"},
		{"a class rate beyond 1", func(f *SweepFile) { f.Points[0].Result.Classes[0].LeakRate.Hi = 1.5 }, "points[0].result.classes[0].leak_rate.hi", "1.5", "1.5"},
		{"another seed", func(f *SweepFile) { f.Points[1].Result.Seed++ }, "points[1].result.seed", "expected the file's seed", ""},
		{"a value not swept", func(f *SweepFile) { f.Points[1].Set[0].Value = "9" }, "points[1].set[0]", "=9; expected one of the values of the file's axis", "{"},
		{"a point without settings", func(f *SweepFile) { f.Points[1].Set = nil }, "points[1].set", "0 settings; expected one per swept field", "null"},
		{"more points than planned", func(f *SweepFile) { f.Planned = 1 }, "planned_points", "planned_points 1, but the file holds 2 points", "1"},
		{"no -n", func(f *SweepFile) { f.Replications = 0 }, "replications", "replications 0; expected -n", "0"},
		{"until_ci of 1", func(f *SweepFile) { f.UntilCI = 1 }, "until_ci", "until_ci 1; expected a half-width", "1"},
	} {
		f, err := ReadSweepFile(dir)
		if err != nil {
			t.Fatal(err)
		}
		c.edit(f)
		bad := t.TempDir()
		if err := WriteSweepFile(bad, f); err != nil {
			t.Fatal(err)
		}
		_, err = ReadSweepFile(bad)
		errorAt(t, c.name, err, filepath.Join(bad, SweepJSON), c.field, c.want, c.found)
	}
}

// errorAt checks that err is an error of file at the line:column where the file holds found,
// naming the field and saying want: what a reader of a saved JSON file must give for a value
// no run could have written.
func errorAt(t *testing.T, name string, err error, file, field, want, found string) {
	t.Helper()
	if err == nil || !strings.HasPrefix(err.Error(), file+":") || !strings.Contains(err.Error(), ": "+field+": ") || !strings.Contains(err.Error(), want) {
		t.Errorf("%s: error %v; want one at %s naming %s and saying %q", name, err, file, field, want)
		return
	}
	var line, col int
	if _, serr := fmt.Sscanf(strings.TrimPrefix(err.Error(), file+":"), "%d:%d:", &line, &col); serr != nil {
		t.Errorf("%s: no line:column in %v", name, err)
		return
	}
	data, _ := os.ReadFile(file)
	lines := strings.Split(string(data), "\n")
	if line < 1 || line > len(lines) || col < 1 || col > len(lines[line-1]) || !strings.HasPrefix(lines[line-1][col-1:], found) {
		t.Errorf("%s: %d:%d is not the value %q (%v)", name, line, col, found, err)
	}
}

// readFuzzed writes data as dir/name and reads it back with read: the file read, or nil after
// checking that the error names the file.
func readFuzzed[F any](t *testing.T, name string, data []byte, read func(string) (*F, error)) *F {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := read(dir)
	if err != nil {
		if !strings.Contains(err.Error(), dir) {
			t.Fatalf("error %v does not name the file", err)
		}
		return nil
	}
	return f
}

// FuzzReadSweepFile: any sweep.json bytes give a file of the current format whose points
// all have results, or an error naming the file; never a panic.
func FuzzReadSweepFile(f *testing.F) {
	f.Add([]byte(`{"format":"adsim-sweep/1","seed":7,"replications":4,"points":[{"set":[{"path":"c2.salvo","value":"2"}],"result":{"fingerprint":"ab","replications":4}}]}`))
	f.Add([]byte(`{"format":"adsim-sweep/1","points":[null]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sf := readFuzzed(t, SweepJSON, data, ReadSweepFile)
		if sf == nil {
			return
		}
		for _, p := range sf.Points {
			if p.Result == nil {
				t.Fatal("a point without a result was accepted")
			}
		}
		if saved, _ := sf.SavedPoints(sf); len(saved) > len(sf.Points) {
			t.Fatal("more saved points than points")
		}
	})
}
