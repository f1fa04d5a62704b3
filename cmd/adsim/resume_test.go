package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/adsim/adsim/mc"
)

// unfinishedDir writes what an interruption after 3 of 8 replications of smallScenario leaves
// in dir: the rows of a finished -n 3 run, with a manifest saying 3 of 8.
func unfinishedDir(t *testing.T, dir string) {
	t.Helper()
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "3", "-q", "--no-progress", "--out", dir); code != exitOK {
		t.Fatalf("part: exit %d: %s", code, errs)
	}
	mpath := filepath.Join(dir, "manifest.json")
	m := string(readFile(t, mpath))
	m = strings.Replace(m, `"total": 3`, `"total": 8`, 1)
	m = strings.Replace(m, `"end": 3`, `"end": 8`, 1)
	if err := os.WriteFile(mpath, []byte(m), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "summary.json")); err != nil {
		t.Fatal(err)
	}
}

// dirFiles returns the contents of the files in dir, by name.
func dirFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[rel] = string(readFile(t, p))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// Saved rows are never wiped by running a command with --out again: an unfinished run that
// cannot be resumed (an edited row, another build's rows), an unfinished run of another study,
// rows without a manifest or with a broken one — each is refused (exit 2) with why and what to
// do, and every file stays as it was. Before, an unfinished run of the same study that failed
// to resume was started afresh ("starting afresh"), truncating rows.csv, and another study's
// unfinished run was replaced. A finished run, of another study or this one, is replaced, with
// a line saying so.
func TestMCNeverWipesSavedRows(t *testing.T) {
	edit := func(name, old, new string) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			p := filepath.Join(dir, name)
			data := readFile(t, p)
			if !bytes.Contains(data, []byte(old)) {
				t.Fatalf("%s has no %q", name, old)
			}
			if err := os.WriteFile(p, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	cases := []struct {
		name   string
		spoil  func(t *testing.T, dir string)
		n      string // -n of the command run again (and other flags)
		want   string
		wantRC int
	}{
		{"an edited row", edit("rows.csv", "\n1,", "\n5,"), "8", "holds an unfinished run of this study (3 of 8 replications saved) that cannot be resumed", exitBadInput},
		{"another build's rows", edit("manifest.json", `"platform": "`, `"platform": "arm64/`), "8", "cannot join rows from", exitBadInput},
		{"an unfinished run of another study", func(*testing.T, string) {}, "9", "holds an unfinished run of another study (scenario \"small\", seed", exitBadInput},
		{"rows without a manifest", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "manifest.json")); err != nil {
				t.Fatal(err)
			}
		}, "8", "holds rows (rows.csv has lines after its header) but no manifest.json", exitBadInput},
		{"a broken manifest", edit("manifest.json", `"done": 3`, `"done": "3"`), "8", "whose manifest cannot be read", exitBadInput},
		// A shard that -n leaves no replications writes an empty shard: not over these rows.
		{"an empty shard over another study's unfinished run", func(*testing.T, string) {}, "2 --shard 3/4", "holds an unfinished run of another study", exitBadInput},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			unfinishedDir(t, dir)
			c.spoil(t, dir)
			before := dirFiles(t, dir)
			code, _, errs := runCLI(t, append([]string{"mc", smallScenario, "-q", "--no-progress", "--out", dir, "-n"}, strings.Fields(c.n)...)...)
			if code != c.wantRC || !strings.Contains(errs, c.want) || !strings.Contains(errs, "nothing was changed in "+dir+": give another --out, or delete") {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, c.wantRC, c.want)
			}
			if strings.Contains(errs, "afresh;") || strings.Contains(errs, "starting afresh") {
				t.Errorf("stderr %q", errs)
			}
			after := dirFiles(t, dir)
			delete(after, ".adsim.lock")
			delete(before, ".adsim.lock")
			if len(after) != len(before) {
				t.Errorf("files before %d, after %d", len(before), len(after))
			}
			for name, data := range before {
				if after[name] != data {
					t.Errorf("%s changed", name)
				}
			}
		})
	}

	// A finished run is replaced, and stderr says so.
	dir := filepath.Join(t.TempDir(), "out")
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "3", "-q", "--no-progress", "--out", dir); code != exitOK {
		t.Fatal(errs)
	}
	for _, c := range []struct{ n, want string }{
		{"3", "held a finished run of this study, with 3 replications; this run replaces it"},
		{"2", "held another study (scenario \"small\", seed"},
	} {
		if code, _, errs := runCLI(t, "mc", smallScenario, "-n", c.n, "-q", "--no-progress", "--out", dir); code != exitOK || !strings.Contains(errs, c.want) {
			t.Errorf("-n %s over a finished run: exit %d, stderr %q; want %q", c.n, code, errs, c.want)
		}
	}
}

// A run killed before its first row leaves a manifest of 0 done; a resumption of it killed
// after a checkpoint leaves its rows in DIR/.adsim-resume. The same command run again (a
// requeued job) takes them, as --resume does, rather than starting afresh and running them
// again.
func TestMCTakesAKilledResumptionOfAnEmptyRun(t *testing.T) {
	dir := t.TempDir()
	ref := filepath.Join(dir, "ref")
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "8", "-q", "--no-progress", "--out", ref); code != exitOK {
		t.Fatalf("reference: exit %d: %s", code, errs)
	}
	for _, c := range []struct {
		name string
		args []string
	}{
		{"the same command again", []string{"mc", smallScenario, "-n", "8", "-q"}},
		{"--resume", []string{"mc", "-q", "--resume"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			part := filepath.Join(t.TempDir(), "part")
			work := filepath.Join(part, mc.ResumeDir)
			// The killed resumption's checkpoint: 3 of 8 rows.
			unfinishedDir(t, work)
			if err := os.Remove(filepath.Join(work, ".adsim.lock")); err != nil {
				t.Fatal(err)
			}
			// The run it resumed: 0 of 8 done, no row.
			for _, name := range []string{"manifest.json", "scenario.yaml"} {
				if err := os.WriteFile(filepath.Join(part, name), readFile(t, filepath.Join(work, name)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			edit(t, filepath.Join(part, "manifest.json"), `"done": 3`, `"done": 0`)
			csv := readFile(t, filepath.Join(work, "rows.csv"))
			if err := os.WriteFile(filepath.Join(part, "rows.csv"), csv[:bytes.IndexByte(csv, '\n')+1], 0o644); err != nil {
				t.Fatal(err)
			}
			args := c.args
			if args[len(args)-1] == "--resume" {
				args = append(args, part)
			} else {
				args = append(args, "--out", part)
			}
			code, _, errs := runCLI(t, args...)
			if code != exitOK || !strings.Contains(errs, "left by a resumption that was killed, held more rows than "+part+": its 3 are taken") ||
				!strings.Contains(errs, "resuming "+part+": 3 of 8 replications saved, 5 to go") {
				t.Fatalf("exit %d, stderr %q; want the 3 rows of %s taken", code, errs, work)
			}
			for _, f := range []string{"rows.csv", "rows.parquet", "summary.json", "manifest.json"} {
				if !bytes.Equal(readFile(t, filepath.Join(ref, f)), readFile(t, filepath.Join(part, f))) {
					t.Errorf("%s differs from the uninterrupted run's", f)
				}
			}
			if _, err := os.Stat(work); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s left: %v", work, err)
			}
		})
	}
}

// edit replaces old with new, once, in the file at path.
func edit(t *testing.T, path, old, new string) {
	t.Helper()
	data := readFile(t, path)
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s has no %q", path, old)
	}
	if err := os.WriteFile(path, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

// --resume writes nothing outside DIR, so that a directory whose parent this user cannot
// write (a container volume mounted at /out, an HPC directory) is resumed: the working copy is
// DIR/.adsim-resume. Run as another user with setpriv when the test runs as root (root ignores
// permissions), else in this process.
func TestResumeUnderAReadOnlyParent(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the adsim binary")
	}
	base := t.TempDir()
	parent := filepath.Join(base, "parent")
	dir := filepath.Join(parent, "out")
	unfinishedDir(t, dir)
	ref := filepath.Join(base, "ref")
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "8", "-q", "--no-progress", "--out", ref); code != exitOK {
		t.Fatal(errs)
	}
	run := func(args ...string) (int, string) {
		code, _, errs := runCLI(t, args...)
		return code, errs
	}
	if os.Geteuid() == 0 {
		setpriv, err := exec.LookPath("setpriv")
		if err != nil {
			t.Skip("runs as root, which ignores permissions, and has no setpriv to run as another user")
		}
		bin := filepath.Join(base, "adsim")
		if out, err := exec.Command("go", "build", "-buildvcs=false", "-o", bin, ".").CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		// nobody owns the directory and the parent, and may reach them; the parent is then
		// made read-only below. The scenario copy is read from DIR.
		for _, p := range []string{filepath.Dir(base), base} {
			if err := os.Chmod(p, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if err := filepath.WalkDir(parent, func(p string, _ fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			return os.Lchown(p, 65534, 65534)
		}); err != nil {
			t.Fatal(err)
		}
		run = func(args ...string) (int, string) {
			cmd := exec.Command(setpriv, append([]string{"--reuid=65534", "--regid=65534", "--clear-groups", bin}, args...)...)
			var errb bytes.Buffer
			cmd.Stderr = &errb
			err := cmd.Run()
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				return ee.ExitCode(), errb.String()
			} else if err != nil {
				t.Fatal(err)
			}
			return 0, errb.String()
		}
	}
	if err := os.Chmod(parent, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(parent, 0o755) })
	// The parent is really read-only for the user who resumes (an older adsim failed here,
	// creating DIR.resume).
	if code, errs := run("mc", smallScenario, "-n", "2", "-q", "--no-progress", "--out", filepath.Join(parent, "new")); code != exitRunError ||
		!strings.Contains(errs, "permission denied") {
		t.Fatalf("a new directory in the read-only parent: exit %d, %s", code, errs)
	}
	if code, errs := run("mc", "--resume", dir, "-q"); code != exitOK {
		t.Fatalf("resume: exit %d: %s", code, errs)
	}
	for _, f := range []string{"rows.csv", "rows.parquet", "summary.json", "manifest.json"} {
		if !bytes.Equal(readFile(t, filepath.Join(ref, f)), readFile(t, filepath.Join(dir, f))) {
			t.Errorf("%s differs from the uninterrupted run's", f)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".adsim-resume")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("working directory left: %v", err)
	}
}

// An error of the system (permission, read-only file system) while resuming is a run error
// (exit 1), which the user fixes outside adsim; what the directory holds being wrong, a missing
// file included, is bad input (exit 2).
func TestDirErrorExitCodes(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want int
	}{
		{"permission", &fs.PathError{Op: "mkdir", Path: "p/out/.adsim-resume", Err: syscall.EACCES}, exitRunError},
		{"read-only file system", &os.LinkError{Op: "rename", Old: "a", New: "b", Err: syscall.EROFS}, exitRunError},
		{"a missing file", &fs.PathError{Op: "open", Path: "p/out/scenario.yaml", Err: syscall.ENOENT}, exitBadInput},
		{"a permission, wrapped in words", fmt.Errorf("out cannot be an output directory: out: %w; expected a directory this user can create and write", syscall.EACCES), exitRunError},
		{"a file where a directory is expected", &fs.PathError{Op: "mkdir", Path: "afile/d", Err: syscall.ENOTDIR}, exitBadInput},
		{"an edited row", errors.New("rows.csv: line 3, column 1: rep: found replication 5; expected 1"), exitBadInput},
	} {
		var ee *exitError
		if !errors.As(dirError(c.err), &ee) || ee.code != c.want {
			t.Errorf("%s: %v, want exit %d", c.name, dirError(c.err), c.want)
		}
	}
}

// failingExecutor runs replications with Local on one worker and fails after emitting after
// rows, as a NATS run does when its server goes away or a worker reports an error.
type failingExecutor struct{ after int }

func (e failingExecutor) Execute(ctx context.Context, st *mc.Study, reps mc.Range, emit func(mc.Row) error) error {
	n := 0
	errStop := errors.New("the executor failed on purpose")
	err := mc.Local{Workers: 1}.Execute(ctx, st, reps, func(r mc.Row) error {
		if n == e.after {
			return errStop
		}
		n++
		return emit(r)
	})
	if err == nil {
		return errors.New("the executor ran out of replications before failing")
	}
	return errStop
}

// A run that fails (not interrupted: an executor's error, exit 1) keeps the rows done so far
// in --out with a manifest counting them, fresh or resumed, and --resume then ends with the
// files of one uninterrupted run. Before, a fresh run left rows.csv without a manifest ("not
// an adsim mc output directory") and a resumed one threw its new rows away.
func TestMCRunErrorLeavesAResumableDirectory(t *testing.T) {
	base := t.TempDir()
	ref := filepath.Join(base, "ref")
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "8", "-q", "--no-progress", "--out", ref); code != exitOK {
		t.Fatal(errs)
	}
	defer func(old func(mc.Executor) mc.Executor) { testExecutor = old }(testExecutor)
	for _, c := range []struct {
		name  string
		setup func(dir string) []string // the failing command
		done  string                    // what stderr says the directory holds
	}{
		{"a fresh run", func(dir string) []string {
			return []string{"mc", smallScenario, "-n", "8", "-q", "--no-progress", "--out", dir}
		}, "holds the 4 replications done (of 8)"},
		{"a resumed run", func(dir string) []string {
			unfinishedDir(t, dir)
			return []string{"mc", "--resume", dir, "-q", "--no-progress"}
		}, "holds the 7 replications done (of 8)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			args := c.setup(dir)
			testExecutor = func(mc.Executor) mc.Executor { return failingExecutor{after: 4} }
			code, _, errs := runCLI(t, args...)
			testExecutor = func(e mc.Executor) mc.Executor { return e }
			if code != exitRunError || !strings.Contains(errs, "failed on purpose") || !strings.Contains(errs, c.done) ||
				!strings.Contains(errs, "'adsim mc --resume "+dir+"' goes on") {
				t.Fatalf("the failing run: exit %d: %s", code, errs)
			}
			if _, err := os.Stat(filepath.Join(dir, mc.ResumeDir)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("working directory left: %v", err)
			}
			if code, _, errs := runCLI(t, "mc", "--resume", dir, "-q", "--no-progress"); code != exitOK {
				t.Fatalf("resume: exit %d: %s", code, errs)
			}
			for _, f := range []string{"rows.csv", "rows.parquet", "summary.json", "manifest.json"} {
				if !bytes.Equal(readFile(t, filepath.Join(ref, f)), readFile(t, filepath.Join(dir, f))) {
					t.Errorf("%s differs from the uninterrupted run's", f)
				}
			}
		})
	}
}
