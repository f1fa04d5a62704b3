package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/adsim/adsim/mc"
)

// What an output directory can be, and who may write it: a file, a directory another adsim
// process writes, and a merge into one of its own inputs are refused (exit 2) before anything
// is written; the shard merged into stays as it was.
func TestOutDirRefused(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "afile")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	var shards []string
	for i := 0; i < 2; i++ {
		d := filepath.Join(dir, "s"+strconv.Itoa(i))
		if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "4", "-q", "--no-progress", "--shard", strconv.Itoa(i)+"/2", "--out", d); code != exitOK {
			t.Fatalf("shard %d: %s", i, errs)
		}
		shards = append(shards, d)
	}
	before := readFile(t, filepath.Join(shards[1], "rows.csv"))
	busy := filepath.Join(dir, "busy")
	lock, err := mc.LockDir(busy, true)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Unlock()
	inUse := "busy is in use by another adsim process (pid " + strconv.Itoa(os.Getpid()) + ")"
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"mc into a file", []string{"mc", smallScenario, "-n", "2", "--out", file}, "afile is a file; expected a directory"},
		{"mc under a file", []string{"mc", smallScenario, "-n", "2", "--out", filepath.Join(file, "d")}, "afile is a file; expected a directory"},
		{"merge into a file", []string{"merge", shards[0], shards[1], "--out", file}, "afile is a file; expected a directory"},
		{"merge into an input", []string{"merge", shards[0], shards[1], "--out", shards[1]}, "one of the directories to merge"},
		{"merge into an input by another path", []string{"merge", shards[0], shards[1], "--out", shards[1] + "/../s1/"}, "one of the directories to merge"},
		{"mc into a directory in use", []string{"mc", smallScenario, "-n", "2", "--out", busy}, inUse},
		{"resume of a directory in use", []string{"mc", "--resume", busy}, inUse},
		{"merge into a directory in use", []string{"merge", shards[0], shards[1], "--out", busy}, inUse},
		{"sweep into a directory in use", []string{"sweep", smallScenario, "--set", "raids[drones].count=2,4", "-n", "2", "--picture", "perfect", "--out", busy}, inUse},
		{"sensitivity into a directory in use", []string{"sensitivity", smallScenario, "--set", "raids[drones].count=2,4", "-n", "2", "--picture", "perfect", "--out", busy}, inUse},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := runCLI(t, c.args...)
			if code != exitBadInput || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, exitBadInput, c.want)
			}
		})
	}
	if !bytes.Equal(before, readFile(t, filepath.Join(shards[1], "rows.csv"))) {
		t.Error("the shard merged into changed")
	}
	if _, err := os.Stat(filepath.Join(shards[1], "manifest.json")); err != nil {
		t.Errorf("the shard merged into lost its manifest: %v", err)
	}
}

// An --until-ci run records its rule: --resume after an interruption goes on with it and stops
// where the uninterrupted run stopped, the finished run counts as complete, and the rate is of
// the replications run, not of -n.
func TestMCUntilCISaved(t *testing.T) {
	dir := t.TempDir()
	ref, part := filepath.Join(dir, "ref"), filepath.Join(dir, "part")
	args := []string{"mc", smallScenario, "-n", "200", "-q", "--until-ci", "0.1", "--check-every", "4"}
	code, _, errs := runCLI(t, append(args, "--out", ref)...)
	if code != exitOK {
		t.Fatalf("reference: exit %d: %s", code, errs)
	}
	m, err := mc.ReadManifest(ref)
	if err != nil || m.Stopped != mc.StoppedIntervalReached || m.UntilCI != 0.1 || m.CheckEvery != 4 || m.Done >= 200 {
		t.Fatalf("manifest %+v, %v", m, err)
	}
	if !strings.Contains(errs, strconv.FormatUint(m.Done, 10)+" replications in ") {
		t.Errorf("stderr does not count the %d replications run:\n%s", m.Done, errs)
	}
	if code, _, errs := runCLI(t, "mc", "--resume", ref); code != exitBadInput || !strings.Contains(errs, "is complete: --until-ci 0.1 stopped it") {
		t.Errorf("resume of the finished run: exit %d: %s", code, errs)
	}
	if code, _, errs := runCLI(t, "merge", ref, "-q"); code != exitOK {
		t.Errorf("merge of the finished run: exit %d: %s", code, errs)
	}
	// A looser rule, or other checks, may have held among the saved rows, where a run with it
	// stops: going on would give files no uninterrupted run gives.
	for _, extra := range [][]string{{"--until-ci", "0.5"}, {"--check-every", "2"}} {
		code, _, errs := runCLI(t, append([]string{"mc", "--resume", ref}, extra...)...)
		if code != exitBadInput || !strings.Contains(errs, "may have held at one of its checks among them") {
			t.Errorf("resume %v: exit %d: %s", extra, code, errs)
		}
	}
	// What an interruption after 4 replications leaves (the rows of the first 4; the rule
	// recorded, not met).
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "4", "-q", "--no-progress", "--out", part); code != exitOK {
		t.Fatalf("part: %s", errs)
	}
	mpath := filepath.Join(part, "manifest.json")
	pm := string(readFile(t, mpath))
	pm = strings.Replace(pm, `"total": 4`, `"total": 200`, 1)
	pm = strings.Replace(pm, `"end": 4`, `"end": 200`, 1)
	pm = strings.Replace(pm, `"done": 4,`, `"done": 4, "until_ci": 0.1, "check_every": 4,`, 1)
	if err := os.WriteFile(mpath, []byte(pm), 0o644); err != nil {
		t.Fatal(err)
	}
	if m.Done == 4 {
		t.Skip("the rule was met at the first check: nothing left to resume")
	}
	// --check-every alone goes with the recorded --until-ci (here its own value, so that the
	// files stay those of the uninterrupted run); it was once refused as given "without
	// --until-ci", checked before the manifest was read.
	code, _, errs = runCLI(t, "mc", "--resume", part, "-q", "--check-every", "4")
	if code != exitOK || !strings.Contains(errs, "or until --until-ci 0.1, checked every 4") {
		t.Fatalf("resume: exit %d: %s", code, errs)
	}
	for _, f := range []string{"rows.csv", "summary.json", "manifest.json"} {
		if !bytes.Equal(readFile(t, filepath.Join(ref, f)), readFile(t, filepath.Join(part, f))) {
			t.Errorf("%s differs from the uninterrupted --until-ci run's", f)
		}
	}
}

// TestRuleMissedStop: going on from saved rows under an --until-ci rule is safe only where no
// uninterrupted run with that rule could have stopped among them.
func TestRuleMissedStop(t *testing.T) {
	saved := func(done uint64, untilCI float64, every uint64) *mc.Manifest {
		return &mc.Manifest{Done: done, UntilCI: untilCI, CheckEvery: every}
	}
	for _, c := range []struct {
		name    string
		m       *mc.Manifest
		untilCI float64
		every   uint64
		safe    bool
	}{
		{"rule off: -n is run", saved(320, 0.01, 20), 0, 0, true},
		{"the saved rule", saved(320, 0.01, 20), 0.01, 20, true},
		{"a stricter rule on the same checks", saved(320, 0.01, 20), 0.005, 20, true},
		{"no check among the saved rows", saved(15, 0, 0), 0.01, 20, true},
		{"a looser rule", saved(320, 0.01, 20), 0.05, 20, false},
		{"other checks", saved(320, 0.01, 20), 0.01, 10, false},
		{"a rule added to a run without one", saved(320, 0, 0), 0.01, 20, false},
	} {
		if got := ruleMissedStop(c.m, c.untilCI, c.every) == ""; got != c.safe {
			t.Errorf("%s: safe %v, want %v", c.name, got, c.safe)
		}
	}
}
