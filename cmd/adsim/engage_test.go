package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEngageCommand(t *testing.T) {
	dir := t.TempDir()
	csv, png := filepath.Join(dir, "shot.csv"), filepath.Join(dir, "shot.png")
	code, out, errs := runCLI(t, "engage", "--trace", csv, "--plot", png)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"result          detonate", "miss distance", "Pk ", "time of flight", "why"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(csv)
	if err != nil || !strings.HasPrefix(string(b), "t,x,y,z,vx,vy,vz,ax_cmd") || strings.Count(string(b), "\n") < 50 {
		t.Errorf("trace CSV: %v, %.80q", err, b)
	}
	if st, err := os.Stat(png); err != nil || st.Size() < 1000 {
		t.Errorf("plot: %v", err)
	}
	// A receding fast target cannot be caught.
	if code, out, _ := runCLI(t, "engage", "--target-speed-mps", "700", "--heading-deg", "180", "--range-km", "8"); code != exitOK || !strings.Contains(out, "could not close") {
		t.Errorf("receding target: exit %d\n%s", code, out)
	}
	if code, _, errs := runCLI(t, "engage", "--frame-s", "1e-9"); code != exitBadInput || !strings.Contains(errs, "--frame-s 1e-09: expected a frame step in [0.001, 1] s") {
		t.Errorf("frame step of a nanosecond: exit %d: %s", code, errs)
	}
	if code, _, _ := runCLI(t, "engage", "--law", "magic"); code != exitBadInput {
		t.Errorf("bad law: exit %d", code)
	}
}
