package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrackCommand: adsim track gen writes a data set, adsim track runs the tracker on it,
// writes tracks.csv and scores it against truth.csv; bad settings exit with bad input,
// including a setting written as 0, which would otherwise mean "the default".
func TestTrackCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bench")
	if code, _, errs := runCLI(t, "track", "gen", "--n", "10", "--steps", "15", "--seed", "3", dir); code != exitOK {
		t.Fatalf("track gen: exit %d: %s", code, errs)
	}
	code, out, errs := runCLI(t, "track", dir)
	if code != exitOK {
		t.Fatalf("track: exit %d: %s", code, errs)
	}
	for _, want := range []string{"15 steps", "tracks confirmed", "mean OSPA", "identity switches"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(errs, "warning") {
		t.Errorf("a warning for targets of 10 to 40 m/s: %s", errs)
	}
	// Targets faster than the velocity prior can start tracks on: a warning naming the bound
	// and a prior that covers them, and none with that prior.
	fast := filepath.Join(t.TempDir(), "fast")
	if code, _, errs := runCLI(t, "track", "gen", "--n", "5", "--steps", "10", "--speed-min", "200", "--speed-max", "300", fast); code != exitOK {
		t.Fatalf("track gen: exit %d: %s", code, errs)
	}
	want := filepath.Join(fast, "scenario.json") + ": its targets fly at up to 300 m/s (speed_max_mps), but a new track's velocity prior of 30 m/s per axis keeps in its gate only a target that moves at most 153 m/s between its first two looks: the faster ones will be confirmed late or never; give --sigma-v0 100 or more"
	if code, _, errs := runCLI(t, "track", fast); code != exitOK || !strings.Contains(errs, want) {
		t.Errorf("fast targets: exit %d, stderr %q; want 0 and %q", code, errs, want)
	}
	if code, _, errs := runCLI(t, "track", fast, "--sigma-v0", "100"); code != exitOK || strings.Contains(errs, "warning") {
		t.Errorf("fast targets, --sigma-v0 100: exit %d, stderr %q; want 0 and no warning", code, errs)
	}
	b, err := os.ReadFile(filepath.Join(dir, "tracks.csv"))
	if err != nil || !strings.HasPrefix(string(b), "step,time,track_id,x,vx,y,vy,is_update\n") {
		t.Errorf("tracks.csv: %v: %.80q", err, b)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--gate", "0"}, "--gate 0: expected a positive value"},
		{[]string{"--m", "0"}, "--m 0: expected a positive value"},
		{[]string{"--sigma-v0", "-0"}, "--sigma-v0 0: expected a positive value"},
		{[]string{"--m", "5", "--n", "4"}, "want 1 ≤ m ≤ n ≤ 64"},
		{[]string{"--gate", "-1"}, "--gate -1 must be positive"},
	} {
		code, _, errs := runCLI(t, append([]string{"track", dir}, c.args...)...)
		if code != exitBadInput || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %d and %q", c.args, code, errs, exitBadInput, c.want)
		}
	}
	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "none"), "none: found no such directory; expected a data set directory holding scenario.json and detections.csv"},
		{filepath.Join(dir, "tracks.csv"), "tracks.csv: found a file; expected a data set directory"},
		{t.TempDir(), "scenario.json: no such file"},
	} {
		if code, _, errs := runCLI(t, "track", c.path); code != exitBadInput || !strings.Contains(errs, c.want) {
			t.Errorf("track %s: exit %d, stderr %q; want %d and %q", c.path, code, errs, exitBadInput, c.want)
		}
	}
}
