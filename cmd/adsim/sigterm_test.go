//go:build unix

package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/adsim/adsim/mc"
)

// TestSIGTERMEarly sends SIGTERM to adsim processes at the earliest moments of their runs —
// while they read their scenario, and 0 to 50 ms after — and checks that each one ends as
// docs/results.md says an interrupted run ends: exit 1 with a message naming the signal (or
// exit 0, having finished), never killed by the signal (exit 143, nothing said) as they were
// when the signal came before their set-up was done; and that what --out holds afterwards is
// nothing, or what it held before, or a state that goes on to the files of an uninterrupted
// run. Which of these happens depends on the timing and is not asserted.
//
// The moment is taken from the process itself, not from its start, so that the test does not
// depend on how loaded the machine is: the scenario is a named pipe, and a process that has
// opened it is reading its scenario (mc --resume and merge take no scenario: the moment is
// when they have locked their directory). A signal before the Go runtime has started (the
// first milliseconds after exec) has its default action in any Go program, and is not tried.
func TestSIGTERMEarly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the adsim binary and starts processes")
	}
	base := t.TempDir()
	bin := filepath.Join(base, "adsim")
	// Without version-control stamping, like this test binary: the saved rows and points carry
	// the engine that computed them, and only the same engine's are taken.
	if out, err := exec.Command("go", "build", "-buildvcs=false", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	quiet := []string{"-q", "--no-progress", "--workers", "1"}
	mcArgs := func(scen, dir string) []string {
		return append([]string{"mc", scen, "-n", "8", "--out", dir}, quiet...)
	}
	sweepArgs := func(scen, dir, values string) []string {
		return append([]string{"sweep", scen, "--set", "raids[0].count=" + values, "-n", "4", "--out", dir}, quiet...)
	}
	sensArgs := func(scen, dir string) []string {
		return append([]string{"sensitivity", scen, "--set", "c2.salvo=1,2", "-n", "4", "--out", dir}, quiet...)
	}
	// The uninterrupted runs.
	ref := func(name string, args []string) string {
		t.Helper()
		if code, _, errs := runCLI(t, args...); code != exitOK {
			t.Fatalf("reference %s: exit %d: %s", name, code, errs)
		}
		return args[len(args)-len(quiet)-1]
	}
	refMC := ref("mc", mcArgs(smallScenario, filepath.Join(base, "ref-mc")))
	refSweep := ref("sweep", sweepArgs(smallScenario, filepath.Join(base, "ref-sweep"), "2,4,6"))
	refSens := ref("sensitivity", sensArgs(smallScenario, filepath.Join(base, "ref-sens")))
	cmpArgs := func(scen, dir string) []string {
		return append([]string{"compare", scen, smallScenario, "--set-b", "c2.salvo=2", "-n", "4", "--out", dir}, quiet...)
	}
	refCmp := ref("compare --out", cmpArgs(smallScenario, filepath.Join(base, "ref-cmp")))
	// What the runs go on from, made once and copied for each.
	unfinishedMC := filepath.Join(base, "unfinished-mc")
	unfinishedDir(t, unfinishedMC)
	savedSweep := filepath.Join(base, "saved-sweep")
	if code, _, errs := runCLI(t, sweepArgs(smallScenario, savedSweep, "2,4")...); code != exitOK {
		t.Fatalf("the saved sweep: exit %d: %s", code, errs)
	}
	shards := []string{filepath.Join(base, "shard0"), filepath.Join(base, "shard1")}
	for i, s := range shards {
		if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "8", "--shard", strconv.Itoa(i)+"/2", "-q", "--no-progress", "--out", s); code != exitOK {
			t.Fatalf("shard %d: exit %d: %s", i, code, errs)
		}
	}

	// wentOn holds the contents of the directories found to go on to the reference's files:
	// the same contents go on the same way, and are not run again.
	wentOn := map[string]bool{}
	contents := func(t *testing.T, dir string) string {
		files := dirFiles(t, dir)
		delete(files, mc.LockFile)
		return fmt.Sprint(files) // in the order of the names
	}
	// finishMC checks that dir holds an mc run that goes on to the reference's files: nothing
	// when mayBeEmpty, else a manifest of at least saved replications.
	finishMC := func(t *testing.T, dir string, saved uint64, mayBeEmpty bool) {
		t.Helper()
		if _, err := os.Stat(dir); mayBeEmpty && errors.Is(err, os.ErrNotExist) {
			return
		}
		m, err := mc.ReadManifest(dir)
		if err != nil {
			t.Fatalf("%s holds no run that can be resumed: %v (%v)", dir, err, names(dir))
		}
		if m.Done < saved {
			t.Fatalf("%s holds %d replications; it held %d before", dir, m.Done, saved)
		}
		key := contents(t, dir)
		if wentOn[key] {
			return
		}
		defer func() { wentOn[key] = !t.Failed() }()
		if !m.Complete() {
			if code, _, errs := runCLI(t, "mc", "--resume", dir, "-q", "--no-progress"); code != exitOK {
				t.Fatalf("mc --resume %s: exit %d: %s", dir, code, errs)
			}
		}
		sameOutputs(t, dir, refMC, dir)
	}
	// again checks that dir is nothing (mayBeEmpty) or the saved units (sweep points or
	// sensitivity factors, file) of the study args, of which the same command run again
	// finishes to the reference's files.
	again := func(t *testing.T, dir, file, refDir string, args []string, mayBeEmpty bool, files ...string) {
		t.Helper()
		if _, err := os.Stat(dir); mayBeEmpty && errors.Is(err, os.ErrNotExist) {
			return
		}
		if _, err := os.Stat(filepath.Join(dir, file)); err != nil {
			t.Fatalf("%s holds no %s: %v (%v)", dir, file, err, names(dir))
		}
		key := contents(t, dir)
		if wentOn[key] {
			return
		}
		defer func() { wentOn[key] = !t.Failed() }()
		if code, _, errs := runCLI(t, args...); code != exitOK {
			t.Fatalf("run again: exit %d: %s", code, errs)
		}
		for _, f := range files {
			if !bytes.Equal(readFile(t, filepath.Join(refDir, f)), readFile(t, filepath.Join(dir, f))) {
				t.Errorf("%s differs from that of the uninterrupted run", f)
			}
		}
	}

	type setUp struct {
		args  []string // the command; fifo stands for the scenario
		dir   string   // its --out (or --resume) directory, "" for none
		check func(t *testing.T)
		// pipe, when not "", is the named pipe the moment is taken from instead of fifo (a
		// saved rows.csv), with what is written into it and what it is, for messages.
		pipe, what string
		data       []byte
	}
	cases := []struct {
		name string
		lock bool // the moment is when dir is locked, not when the scenario is read
		make func(t *testing.T, fifo, tmp string) setUp
	}{
		{"mc", false, func(t *testing.T, fifo, tmp string) setUp {
			dir := filepath.Join(tmp, "out")
			return setUp{args: mcArgs(fifo, dir), dir: dir, check: func(t *testing.T) { finishMC(t, dir, 0, true) }}
		}},
		{"mc again on an unfinished run", false, func(t *testing.T, fifo, tmp string) setUp {
			dir := copyDir(t, unfinishedMC, filepath.Join(tmp, "out"))
			return setUp{args: mcArgs(fifo, dir), dir: dir, check: func(t *testing.T) { finishMC(t, dir, 3, false) }}
		}},
		{"mc --resume", true, func(t *testing.T, fifo, tmp string) setUp {
			dir := copyDir(t, unfinishedMC, filepath.Join(tmp, "out"))
			return setUp{args: append([]string{"mc", "--resume", dir}, quiet...), dir: dir, check: func(t *testing.T) { finishMC(t, dir, 3, false) }}
		}},
		// While it reads the saved rows again: rows.csv is the named pipe. Stopped there, it
		// says so (TestStoppedWhileRereading checks the message); a moment later, before any
		// replication ran; later still, after some. The pipe is then given the rows back.
		{"mc --resume, re-reading", false, func(t *testing.T, fifo, tmp string) setUp {
			dir := copyDir(t, unfinishedMC, filepath.Join(tmp, "out"))
			rows := filepath.Join(dir, mc.RowsCSV)
			data := readFile(t, rows)
			if err := os.Remove(rows); err != nil {
				t.Fatal(err)
			}
			if err := syscall.Mkfifo(rows, 0o600); err != nil {
				t.Fatal(err)
			}
			return setUp{args: append([]string{"mc", "--resume", dir}, quiet...), dir: dir, pipe: rows, what: "its saved rows", data: data,
				check: func(t *testing.T) {
					if fi, err := os.Lstat(rows); err == nil && fi.Mode()&os.ModeNamedPipe != 0 {
						if err := os.Remove(rows); err != nil {
							t.Fatal(err)
						}
						if err := os.WriteFile(rows, data, 0o644); err != nil {
							t.Fatal(err)
						}
					}
					finishMC(t, dir, 3, false)
				}}
		}},
		{"sweep", false, func(t *testing.T, fifo, tmp string) setUp {
			dir := filepath.Join(tmp, "out")
			return setUp{args: sweepArgs(fifo, dir, "2,4,6"), dir: dir, check: func(t *testing.T) {
				again(t, dir, mc.SweepJSON, refSweep, sweepArgs(smallScenario, dir, "2,4,6"), true, "sweep.csv", mc.SweepJSON)
			}}
		}},
		{"sweep with saved points", false, func(t *testing.T, fifo, tmp string) setUp {
			dir := copyDir(t, savedSweep, filepath.Join(tmp, "out"))
			return setUp{args: sweepArgs(fifo, dir, "2,4,6"), dir: dir, check: func(t *testing.T) {
				again(t, dir, mc.SweepJSON, refSweep, sweepArgs(smallScenario, dir, "2,4,6"), false, "sweep.csv", mc.SweepJSON)
			}}
		}},
		{"sensitivity", false, func(t *testing.T, fifo, tmp string) setUp {
			dir := filepath.Join(tmp, "out")
			return setUp{args: sensArgs(fifo, dir), dir: dir, check: func(t *testing.T) {
				again(t, dir, mc.SensitivityJSON, refSens, sensArgs(smallScenario, dir), true, "sensitivity.csv", mc.SensitivityJSON)
			}}
		}},
		{"compare", false, func(t *testing.T, fifo, tmp string) setUp {
			return setUp{args: append([]string{"compare", fifo, smallScenario, "-n", "4"}, quiet...), dir: "", check: func(*testing.T) {}}
		}},
		// Each side that was opened holds what 'adsim mc --resume' finishes to the files of the
		// uninterrupted comparison's side.
		{"compare --out", false, func(t *testing.T, fifo, tmp string) setUp {
			dir := filepath.Join(tmp, "out")
			return setUp{args: cmpArgs(fifo, dir), dir: dir, check: func(t *testing.T) {
				for _, side := range []string{"a", "b"} {
					d := filepath.Join(dir, side)
					if _, err := os.Stat(d); errors.Is(err, os.ErrNotExist) {
						continue // stopped before the sides were opened
					}
					m, err := mc.ReadManifest(d)
					if err != nil {
						t.Fatalf("%s holds no run that can be resumed: %v (%v)", d, err, names(d))
					}
					if !m.Complete() {
						if code, _, errs := runCLI(t, "mc", "--resume", d, "-q", "--no-progress"); code != exitOK {
							t.Fatalf("mc --resume %s: exit %d: %s", d, code, errs)
						}
					}
					for _, f := range []string{mc.RowsCSV, mc.RowsParquet, mc.SummaryJSON, mc.ManifestJSON} {
						if !bytes.Equal(readFile(t, filepath.Join(refCmp, side, f)), readFile(t, filepath.Join(d, f))) {
							t.Errorf("%s/%s differs from the uninterrupted comparison's", side, f)
						}
					}
				}
			}}
		}},
		{"merge", true, func(t *testing.T, fifo, tmp string) setUp {
			dir := filepath.Join(tmp, "out")
			return setUp{args: []string{"merge", shards[0], shards[1], "-q", "--out", dir}, dir: dir, check: func(t *testing.T) {
				if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
					return // stopped: the directory it made is removed
				}
				if _, err := mc.ReadManifest(dir); err != nil {
					t.Fatalf("%s holds no merged run: %v (%v)", dir, err, names(dir))
				}
				sameOutputs(t, dir, refMC, dir)
			}}
		}},
	}
	// -1: while it reads its scenario; each moment twice.
	var delays []time.Duration
	for range 2 {
		delays = append(delays, -1, 0, 2*time.Millisecond, 5*time.Millisecond, 10*time.Millisecond, 20*time.Millisecond, 50*time.Millisecond)
	}
	scen := readFile(t, smallScenario)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, d := range delays {
				if c.lock && d < 0 {
					continue // no scenario to read
				}
				tmp := t.TempDir()
				fifo := filepath.Join(tmp, "scenario.yaml")
				if err := syscall.Mkfifo(fifo, 0o600); err != nil {
					t.Fatal(err)
				}
				s := c.make(t, fifo, tmp)
				pipe, data, what := fifo, scen, "its scenario"
				if s.pipe != "" {
					pipe, data, what = s.pipe, s.data, s.what
				}
				cmd := exec.Command(bin, s.args...)
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				done := make(chan struct{})
				go func() { _ = cmd.Wait(); close(done) }()
				t.Cleanup(func() { _ = cmd.Process.Kill(); <-done }) // should the test stop first
				when := "while it reads " + what
				if c.lock {
					when = "once it has locked " + s.dir
					waitFor(t, done, func() bool {
						b, err := os.ReadFile(filepath.Join(s.dir, mc.LockFile))
						return err == nil && strings.TrimSpace(string(b)) == strconv.Itoa(cmd.Process.Pid)
					})
					time.Sleep(max(d, 0))
				} else {
					// Opened without waiting: it fails until the process has opened its end.
					var w *os.File
					waitFor(t, done, func() bool {
						f, err := os.OpenFile(pipe, os.O_WRONLY|syscall.O_NONBLOCK, 0)
						w = f
						return err == nil
					})
					if d < 0 {
						_ = cmd.Process.Signal(syscall.SIGTERM)
					}
					_, _ = w.Write(data) // fails if the process died (or stopped reading): it is said below
					w.Close()
					if d >= 0 {
						when = "after it has read " + what
						time.Sleep(d)
					}
				}
				if d >= 0 {
					_ = cmd.Process.Signal(syscall.SIGTERM)
					when += " and " + d.String()
				}
				select {
				case <-done:
				case <-time.After(time.Minute):
					_ = cmd.Process.Kill()
					t.Fatalf("SIGTERM %s: still running after a minute", when)
				}
				st := cmd.ProcessState.Sys().(syscall.WaitStatus)
				code, errs := cmd.ProcessState.ExitCode(), stderr.String()
				switch {
				case st.Signaled():
					t.Fatalf("SIGTERM %s: killed by the signal (exit %d in a shell), stderr %q; want exit 1 saying it was stopped", when, 128+int(st.Signal()), errs)
				case strings.Contains(errs, "panic") || strings.Contains(errs, "goroutine "):
					t.Fatalf("SIGTERM %s: exit %d, stderr %q", when, code, errs)
				case code == exitRunError && strings.Contains(errs, "SIGTERM"), code == exitOK:
				default:
					t.Fatalf("SIGTERM %s: exit %d, stderr %q; want exit 1 saying SIGTERM stopped it (or 0: it finished first)", when, code, errs)
				}
				if s.dir != "" {
					for _, leftover := range []string{mc.ResumeDir, mc.StagingDir} {
						if _, err := os.Stat(filepath.Join(s.dir, leftover)); err == nil {
							t.Errorf("SIGTERM %s: %s left in %s", when, leftover, s.dir)
						}
					}
				}
				t.Logf("SIGTERM %s: exit %d: %s", when, code, strings.ReplaceAll(strings.TrimSpace(errs), "\n", " | "))
				if s.check(t); t.Failed() {
					return
				}
			}
		})
	}

	// A command that saves nothing on an interruption keeps the signal's default action:
	// adsim takes SIGTERM from its start, and gives it back to them.
	t.Run("run", func(t *testing.T) {
		fifo := filepath.Join(t.TempDir(), "scenario.yaml")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "run", fifo)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		t.Cleanup(func() { _ = cmd.Process.Kill(); <-done })
		var w *os.File
		waitFor(t, done, func() bool {
			f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0)
			w = f
			return err == nil
		})
		defer w.Close()
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(time.Minute):
			t.Fatal("adsim run: still running a minute after SIGTERM")
		}
		if st := cmd.ProcessState.Sys().(syscall.WaitStatus); !st.Signaled() || st.Signal() != syscall.SIGTERM {
			t.Errorf("adsim run: %v; want killed by SIGTERM, its default action", cmd.ProcessState)
		}
	})
}

// waitFor polls cond until it holds, failing the test if the process ends (done) first or
// it does not hold within a minute.
func waitFor(t *testing.T, done <-chan struct{}, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		select {
		case <-done:
			t.Fatal("the process ended before the moment to signal it")
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the moment to signal the process did not come within a minute")
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// copyDir copies the files of the directory from into a new directory to, and returns to.
func copyDir(t *testing.T, from, to string) string {
	t.Helper()
	if err := os.Mkdir(to, 0o755); err != nil {
		t.Fatal(err)
	}
	es, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.Type().IsRegular() {
			if err := os.WriteFile(filepath.Join(to, e.Name()), readFile(t, filepath.Join(from, e.Name())), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return to
}

// names lists what dir holds, for messages.
func names(dir string) []string {
	var out []string
	es, _ := os.ReadDir(dir)
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}
