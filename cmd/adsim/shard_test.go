package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// More shards than replications (an Indexed Job or a Slurm array sized for a larger -n): the
// shards with none succeed, each with a note and an empty shard directory, and merging all
// the directories gives the files of one unsharded run. Before, such a shard exited 2, which
// failed the whole job or array.
func TestMCEmptyShardMerges(t *testing.T) {
	dir := t.TempDir()
	ref := filepath.Join(dir, "ref")
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "2", "-q", "--no-progress", "--out", ref); code != exitOK {
		t.Fatalf("reference: exit %d: %s", code, errs)
	}
	var shards []string
	for i := 0; i < 4; i++ {
		d := filepath.Join(dir, fmt.Sprintf("s%d", i))
		code, out, errs := runCLI(t, "mc", smallScenario, "-n", "2", "-q", "--no-progress", "--shard", fmt.Sprintf("%d/4", i), "--out", d)
		if code != exitOK {
			t.Fatalf("shard %d/4 of -n 2: exit %d: %s", i, code, errs)
		}
		empty := strings.Contains(errs, "leaves this shard no replications")
		if empty != (i >= 2) || (empty && (!strings.Contains(errs, d+" holds an empty shard") || out != "")) {
			t.Errorf("shard %d/4 of -n 2: stdout %q, stderr %q", i, out, errs)
		}
		shards = append(shards, d)
	}
	// The empty shards first: merge takes the directories in any order.
	merged := filepath.Join(dir, "merged")
	args := append([]string{"merge", "-q", "--out", merged}, shards[3], shards[2], shards[1], shards[0])
	if code, _, errs := runCLI(t, args...); code != exitOK {
		t.Fatalf("merge: exit %d: %s", code, errs)
	}
	sameOutputs(t, "4 shards of -n 2 merged", ref, merged)
	// A shard with replications left out is still caught: the empty ones hide no gap.
	if code, _, errs := runCLI(t, "merge", "-q", shards[0], shards[2], shards[3]); code != exitBadInput || !strings.Contains(errs, "[1, 2) are missing") {
		t.Errorf("merge without shard 1: exit %d: %s", code, errs)
	}
	// A refused merge leaves no --out behind (README: nothing is written there until every
	// shard is read): refused on the manifests, before --out is made, or on a row, after.
	bad := filepath.Join(dir, "bad")
	if err := os.CopyFS(bad, os.DirFS(shards[0])); err != nil {
		t.Fatal(err)
	}
	rows := filepath.Join(bad, "rows.csv")
	if err := os.WriteFile(rows, bytes.Replace(readFile(t, rows), []byte("\n0,"), []byte("\n7,"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		inputs []string
		want   string
	}{
		{"a shard missing", []string{shards[0], shards[2], shards[3]}, "[1, 2) are missing"},
		{"a row edited", []string{bad, shards[1], shards[2], shards[3]}, "found replication 7; expected 0"},
	} {
		newOut := filepath.Join(dir, "new-"+strings.ReplaceAll(c.name, " ", "-"))
		code, _, errs := runCLI(t, append([]string{"merge", "-q", "--out", newOut}, c.inputs...)...)
		if code != exitBadInput || !strings.Contains(errs, c.want) {
			t.Errorf("%s: exit %d: %s", c.name, code, errs)
		}
		if _, err := os.Stat(newOut); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: the refused merge left %s (%v)", c.name, newOut, err)
		}
	}
}

// --shard auto/N: a Slurm array with a step maps its task ids to shards 0 … N−1; the
// environments of both Kubernetes and Slurm at once are refused, naming both.
func TestMCShardFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	run := func(out string, args ...string) (int, string) {
		t.Helper()
		code, _, errs := runCLI(t, append([]string{"mc", smallScenario, "-n", "6", "-q", "--no-progress", "--out", out}, args...)...)
		return code, errs
	}
	explicit := filepath.Join(dir, "explicit")
	if code, errs := run(explicit, "--shard", "2/3"); code != exitOK {
		t.Fatalf("--shard 2/3: exit %d: %s", code, errs)
	}
	// sbatch --array=0-8:4: task ids 0, 4, 8.
	t.Setenv("SLURM_ARRAY_TASK_ID", "8")
	t.Setenv("SLURM_ARRAY_TASK_MIN", "0")
	t.Setenv("SLURM_ARRAY_TASK_STEP", "4")
	t.Setenv("SLURM_ARRAY_TASK_COUNT", "3")
	stepped := filepath.Join(dir, "stepped")
	if code, errs := run(stepped, "--shard", "auto/3"); code != exitOK {
		t.Fatalf("--shard auto/3 as task 8 of --array=0-8:4: exit %d: %s", code, errs)
	}
	if string(readFile(t, filepath.Join(stepped, "rows.csv"))) != string(readFile(t, filepath.Join(explicit, "rows.csv"))) {
		t.Error("task 8 of --array=0-8:4 with --shard auto/3 did not run shard 2/3")
	}
	t.Setenv("JOB_COMPLETION_INDEX", "1")
	code, errs := run(filepath.Join(dir, "both"), "--shard", "auto/3")
	if code != exitBadInput || !strings.Contains(errs, "JOB_COMPLETION_INDEX=1") || !strings.Contains(errs, "SLURM_ARRAY_TASK_ID=8") {
		t.Errorf("both environments: exit %d: %s", code, errs)
	}
}
