package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adsim/adsim/mc"
)

// outFiles are the files of an 'adsim mc --out' directory that compare --out writes per side.
var outFiles = []string{mc.RowsCSV, mc.RowsParquet, mc.SummaryJSON, mc.ManifestJSON, "scenario.yaml"}

// TestCompareOut: compare --out writes each side as 'adsim mc --out' writes it for the same
// scenario and seed, file for file, and comparison.json as --json prints it; run again it
// replaces its finished sides; an unfinished run in a side, or an mc directory given as DIR,
// is refused with nothing changed.
func TestCompareOut(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "cmp")
	args := []string{"compare", smallScenario, smallScenario, "--set-b", "c2.salvo=2", "-n", "8", "--no-progress"}
	code, _, errs := runCLI(t, append(args, "--out", dir)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	refA, refB := filepath.Join(base, "ref-a"), filepath.Join(base, "ref-b")
	for _, c := range [][]string{{"--out", refA}, {"--set", "c2.salvo=2", "--out", refB}} {
		if code, _, errs := runCLI(t, append([]string{"mc", smallScenario, "-n", "8", "-q", "--no-progress"}, c...)...); code != exitOK {
			t.Fatal(errs)
		}
	}
	for side, ref := range map[string]string{"a": refA, "b": refB} {
		for _, f := range outFiles {
			if !bytes.Equal(readFile(t, filepath.Join(ref, f)), readFile(t, filepath.Join(dir, side, f))) {
				t.Errorf("%s/%s differs from that of 'adsim mc'", side, f)
			}
		}
	}
	_, js, _ := runCLI(t, append(args, "--json")...)
	if got := string(readFile(t, filepath.Join(dir, ComparisonJSON))); got != js {
		t.Errorf("comparison.json is not what --json prints:\n%s\nwant\n%s", got, js)
	}
	var c mc.Comparison
	if err := json.Unmarshal([]byte(js), &c); err != nil || c.Replications != 8 {
		t.Fatalf("--json: %v, %d pairs", err, c.Replications)
	}

	// Again: both finished sides replaced, the same files.
	before := treeOf(t, dir)
	code, _, errs = runCLI(t, append(args, "--out", dir)...)
	if code != exitOK || strings.Count(errs, "held a finished run") != 2 {
		t.Fatalf("again: exit %d: %s", code, errs)
	}
	if after := treeOf(t, dir); !equalTrees(before, after) {
		t.Errorf("run again, the files changed")
	}

	// An unfinished run in b: refused, nothing changed (a's note not said either).
	unfinishedDir(t, filepath.Join(dir, "b"))
	before = treeOf(t, dir)
	code, _, errs = runCLI(t, append(args, "--out", dir)...)
	if code != exitBadInput || !strings.Contains(errs, "holds an unfinished run") || !strings.Contains(errs, "'adsim mc --resume "+filepath.Join(dir, "b")+"' finishes") ||
		strings.Contains(errs, "held a finished run") {
		t.Errorf("unfinished b: exit %d: %s", code, errs)
	}
	if after := treeOf(t, dir); !equalTrees(before, after) {
		t.Errorf("unfinished b: the files changed")
	}

	// An mc output directory as DIR: refused.
	if code, _, errs := runCLI(t, append(args, "--out", refA)...); code != exitBadInput || !strings.Contains(errs, "is an 'adsim mc' output directory") {
		t.Errorf("mc directory as --out: exit %d: %s", code, errs)
	}
}

// cancellingExecutor runs one worker and, after it has emitted `after` rows in all (A's and
// then B's), cancels the run's context, as Ctrl-C does, and stops.
type cancellingExecutor struct {
	after  int
	cancel func()
	n      *int
}

func (e cancellingExecutor) Execute(ctx context.Context, st *mc.Study, reps mc.Range, emit func(mc.Row) error) error {
	return mc.Local{Workers: 1}.Execute(ctx, st, reps, func(r mc.Row) error {
		if err := emit(r); err != nil {
			return err
		}
		if *e.n++; *e.n == e.after {
			e.cancel()
			return context.Canceled
		}
		return nil
	})
}

// TestCompareOutInterruptedOrFailed: a comparison interrupted while B runs, or whose executor
// fails, leaves each side the rows it ran — A's all 8 (complete) when interrupted in B, an
// unfinished 'adsim mc' directory otherwise, which 'adsim mc --resume' finishes — and every
// file ends as the uninterrupted comparison's.
func TestCompareOutInterruptedOrFailed(t *testing.T) {
	base := t.TempDir()
	ref := filepath.Join(base, "ref")
	args := []string{"compare", smallScenario, smallScenario, "--set-b", "c2.salvo=2", "-n", "8", "--no-progress", "-q"}
	if code, _, errs := runCLI(t, append(args, "--out", ref)...); code != exitOK {
		t.Fatal(errs)
	}
	defer func(old func(mc.Executor) mc.Executor) { testExecutor = old }(testExecutor)
	for _, c := range []struct {
		name  string
		exec  func(cancel func()) mc.Executor
		code  int
		say   string
		aDone uint64
		bDone uint64
	}{
		// A's 8 replications, then 3 of B's.
		{"interrupted", func(cancel func()) mc.Executor {
			n := 0
			return cancellingExecutor{after: 11, cancel: cancel, n: &n}
		}, exitRunError, "was interrupted", 8, 3},
		{"failed", func(func()) mc.Executor { return failingExecutor{after: 4} }, exitRunError, "failed", 4, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "cmp")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			testExecutor = func(mc.Executor) mc.Executor { return c.exec(cancel) }
			var out, errb bytes.Buffer
			code := executeContext(ctx, nil, append(args, "--out", dir), &out, &errb)
			testExecutor = func(e mc.Executor) mc.Executor { return e }
			if code != c.code || !strings.Contains(errb.String(), c.say) {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			for side, want := range map[string]uint64{"a": c.aDone, "b": c.bDone} {
				d := filepath.Join(dir, side)
				m, err := mc.ReadManifest(d)
				if err != nil || m.Done != want || m.Complete() != (want == 8) {
					t.Fatalf("%s: %v, %v; want %d of 8 done", side, m, err, want)
				}
				if want < 8 {
					if code, _, errs := runCLI(t, "mc", "--resume", d, "-q", "--no-progress"); code != exitOK {
						t.Fatalf("resume %s: exit %d: %s", side, code, errs)
					}
				}
				for _, f := range outFiles {
					if !bytes.Equal(readFile(t, filepath.Join(ref, side, f)), readFile(t, filepath.Join(d, f))) {
						t.Errorf("%s/%s, resumed, differs from the uninterrupted comparison's", side, f)
					}
				}
			}
		})
	}
}

// treeOf returns the contents of the files below dir, by path relative to dir, the lock file
// left out.
func treeOf(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == mc.LockFile {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		files[rel], err = io.ReadAll(f)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func equalTrees(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			return false
		}
	}
	return true
}
