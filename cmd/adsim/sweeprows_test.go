package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adsim/adsim/mc"
)

// TestSweepRows: sweep --out DIR --rows keeps each point's rows in DIR/rows/PATH=VALUE, file
// for file what 'adsim mc --set PATH=VALUE --out' writes; run again it takes the saved points
// with their rows, and runs again a point whose rows are missing or unfinished.
func TestSweepRows(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "sweep")
	args := []string{"sweep", smallScenario, "--set", "raids[drones].count=2,6", "-n", "6", "-q", "--out", dir, "--rows"}
	code, _, errs := runCLI(t, args...)
	if code != exitOK || !strings.Contains(errs, "each point's rows in "+filepath.Join(dir, RowsDir)+"/{raids_0_.count=2,raids_0_.count=6}/") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	check := func(when string) {
		t.Helper()
		for _, v := range []string{"2", "6"} {
			ref := filepath.Join(base, "ref"+v)
			if _, err := os.Stat(ref); err != nil {
				if code, _, errs := runCLI(t, "mc", smallScenario, "--set", "raids[drones].count="+v, "-n", "6", "-q", "--no-progress", "--out", ref); code != exitOK {
					t.Fatal(errs)
				}
			}
			for _, f := range outFiles {
				if !bytes.Equal(readFile(t, filepath.Join(ref, f)), readFile(t, filepath.Join(dir, RowsDir, "raids_0_.count="+v, f))) {
					t.Errorf("%s: rows/raids_0_.count=%s/%s differs from that of 'adsim mc'", when, v, f)
				}
			}
		}
	}
	check("first run")

	before := treeOf(t, filepath.Join(dir, RowsDir))
	code, _, errs = runCLI(t, args...)
	if code != exitOK || !strings.Contains(errs, "2 of 2 points taken from") {
		t.Fatalf("again: exit %d: %s", code, errs)
	}
	if !equalTrees(before, treeOf(t, filepath.Join(dir, RowsDir))) {
		t.Errorf("run again, the rows changed")
	}

	// Rows missing for one point, unfinished for the other: both run again.
	if err := os.RemoveAll(filepath.Join(dir, RowsDir, "raids_0_.count=2")); err != nil {
		t.Fatal(err)
	}
	mpath := filepath.Join(dir, RowsDir, "raids_0_.count=6", mc.ManifestJSON)
	var m map[string]any
	if err := json.Unmarshal(readFile(t, mpath), &m); err != nil {
		t.Fatal(err)
	}
	m["done"] = 3
	b, _ := json.Marshal(m)
	if err := os.WriteFile(mpath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runCLI(t, args...)
	if code != exitOK || strings.Contains(errs, "points taken from") ||
		!strings.Contains(errs, "2 saved points (raids[0].count=2; raids[0].count=6) had no finished rows there: run again for them") {
		t.Fatalf("rows gone: exit %d: %s", code, errs)
	}
	check("run again for the rows")

	// Interrupted in the second point (after 8 rows: 6 of the first, 2 of the second, as
	// Ctrl-C): the first point's rows complete, the second's unfinished; run again, the
	// second runs again and both end as 'adsim mc' writes them.
	fresh := filepath.Join(base, "fresh")
	fargs := append(append([]string(nil), args[:len(args)-3]...), "--out", fresh, "--rows", "--no-progress")
	defer func(old func(mc.Executor) mc.Executor) { testExecutor = old }(testExecutor)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	testExecutor = func(mc.Executor) mc.Executor { return cancellingExecutor{after: 8, cancel: cancel, n: &n} }
	var out, errb bytes.Buffer
	code = executeContext(ctx, nil, fargs, &out, &errb)
	testExecutor = func(e mc.Executor) mc.Executor { return e }
	cancel()
	if code != exitRunError {
		t.Fatalf("interrupted: exit %d: %s", code, errb.String())
	}
	for v, done := range map[string]uint64{"2": 6, "6": 2} {
		m, err := mc.ReadManifest(filepath.Join(fresh, RowsDir, "raids_0_.count="+v))
		if err != nil || m.Done != done || m.Complete() != (done == 6) {
			t.Fatalf("interrupted, point %s: %v, %v; want %d of 6 done", v, m, err, done)
		}
	}
	if code, _, errs := runCLI(t, fargs...); code != exitOK || !strings.Contains(errs, "1 of 2 points taken from") {
		t.Fatalf("after the interruption: exit %d: %s", code, errs)
	}
	dir = fresh
	check("after the interruption")

	// Without --rows the saved points are taken whatever their rows; --rows needs --out.
	if code, _, errs := runCLI(t, args[:len(args)-1]...); code != exitOK || !strings.Contains(errs, "2 of 2 points taken from") {
		t.Errorf("without --rows: exit %d: %s", code, errs)
	}
	if code, _, errs := runCLI(t, "sweep", smallScenario, "--set", "raids[drones].count=2,6", "-n", "2", "--rows"); code != exitBadInput ||
		!strings.Contains(errs, "--rows keeps each point's rows in DIR/rows: it needs --out DIR") {
		t.Errorf("--rows without --out: exit %d: %s", code, errs)
	}
}

func TestPointDirName(t *testing.T) {
	long := strings.Repeat("x", 200)
	for _, c := range []struct {
		pt   []mc.Setting
		want string
	}{
		{[]mc.Setting{{Path: "raids[0].count", Value: "30"}}, "raids_0_.count=30"},
		{[]mc.Setting{{Path: "raids[0].count", Value: "30"}, {Path: "c2.doctrine", Value: "salvo"}}, "raids_0_.count=30,c2.doctrine=salvo"},
		{[]mc.Setting{{Path: "c2.max_per_track_categories", Value: "[ballistic_missile, drone]"}}, "c2.max_per_track_categories=_ballistic_missile__drone_"},
		{[]mc.Setting{{Path: "catalog.systems[s400].radar.ref_range_km", Value: "-1.5e+2"}}, "catalog.systems_s400_.radar.ref_range_km=-1.5e+2"},
		{[]mc.Setting{{Path: "a/../b", Value: "x y"}}, "a_.._b=x_y"},
	} {
		if got := pointDirName(c.pt); got != c.want {
			t.Errorf("%v: %q, want %q", c.pt, got, c.want)
		}
	}
	a, b := pointDirName([]mc.Setting{{Path: "p", Value: long + "a"}}), pointDirName([]mc.Setting{{Path: "p", Value: long + "b"}})
	if len(a) > 120 || a == b || !strings.HasPrefix(a, "p="+long[:98]) {
		t.Errorf("long names %q and %q: want at most 120 bytes, distinct", a, b)
	}
	file := t.TempDir()
	if err := os.WriteFile(filepath.Join(file, RowsDir), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := newSweepRows(file, nil, 2, 0, 0, nil); err == nil || !strings.Contains(err.Error(), "rows is a file; expected a directory") {
		t.Errorf("DIR/rows a file: %v", err)
	}
	if _, err := newSweepRows(t.TempDir(), [][]mc.Setting{{{Path: "p", Value: "x y"}}, {{Path: "p", Value: "x_y"}}}, 2, 0, 0, nil); err == nil ||
		!strings.Contains(err.Error(), "would share the directory") {
		t.Errorf("two points, one directory name: %v", err)
	}
}

// TestSweepRowsSetAside: a sweep run again over fewer points moves the rows of the points it
// no longer has to DIR/rows-dropped, intact, so that DIR/rows holds its points as sweep.json
// does; a name set aside before gets a suffix.
func TestSweepRowsSetAside(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sweep")
	sweep := func(values string) string {
		t.Helper()
		code, _, errs := runCLI(t, "sweep", smallScenario, "--set", "raids[drones].count="+values, "-n", "4", "-q", "--no-progress", "--out", dir, "--rows")
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", values, code, errs)
		}
		return errs
	}
	list := func(sub string) []string {
		t.Helper()
		es, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		return names
	}
	sweep("2,4,6")
	two := treeOf(t, filepath.Join(dir, RowsDir, "raids_0_.count=2"))
	errs := sweep("4,6") // both points saved: nothing runs, and the files are written again
	want := "adsim: " + filepath.Join(dir, RowsDir) + ": 1 directory of points not in this sweep (raids_0_.count=2) moved to " + filepath.Join(dir, DroppedRowsDir)
	if !strings.Contains(errs, want) {
		t.Errorf("stderr %q; want %q", errs, want)
	}
	if got := strings.Join(list(RowsDir), " "); got != "raids_0_.count=4 raids_0_.count=6" {
		t.Errorf("rows: %s", got)
	}
	if !equalTrees(two, treeOf(t, filepath.Join(dir, DroppedRowsDir, "raids_0_.count=2"))) {
		t.Errorf("the rows set aside differ from the point's rows")
	}
	// The point back: run again (sweep.json no longer has it), then set aside again.
	sweep("2,4,6")
	if got := strings.Join(list(RowsDir), " "); got != "raids_0_.count=2 raids_0_.count=4 raids_0_.count=6" {
		t.Errorf("rows after the point came back: %s", got)
	}
	sweep("4,6")
	if got := strings.Join(list(DroppedRowsDir), " "); got != "raids_0_.count=2 raids_0_.count=2.2" {
		t.Errorf("rows-dropped: %s", got)
	}
	// Run again with the same points, nothing more moves.
	if errs := sweep("4,6"); strings.Contains(errs, "moved to") {
		t.Errorf("nothing to set aside, yet: %s", errs)
	}
}
