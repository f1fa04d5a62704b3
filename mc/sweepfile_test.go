package mc

import (
	"context"
	"encoding/json"
	"errors"
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
	spec := SweepFile{Scenario: "small", Seed: st.Seed, Replications: 6, Planned: len(grid), Engine: CurrentEngine()}
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
		{`{`, "unexpected end"},
		{`{"format":"adsim-sweep/0"}`, `format "adsim-sweep/0", expected "adsim-sweep/1"`},
		{`{"format":"adsim-sweep/1","points":[{"set":[]}]}`, "point 0 has no result"},
		{`{"format":"adsim-sweep/1","points":[{"result":{"leak_rate":{"est":"x"}}}]}`, "cannot unmarshal"},
	} {
		if err := os.WriteFile(path, []byte(c.data), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadSweepFile(dir); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming the file and containing %q", c.data, err, c.want)
		}
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
