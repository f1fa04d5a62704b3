package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/adsim/adsim/mc"
)

// TestStudyLock: a sweep's or sensitivity study's directory is locked before anything runs
// (another process is refused at once, not after the first point); a directory the run made
// is removed when it saved nothing, and kept once it saved a unit; one that existed before
// is never removed.
func TestStudyLock(t *testing.T) {
	for _, c := range []struct {
		name          string
		exists, saves bool
		kept          bool
	}{
		{"made, nothing saved", false, false, false},
		{"made, a point saved", false, true, true},
		{"there before, nothing saved", true, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if c.exists {
				if err := os.Mkdir(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			s := studyLock{dir: dir}
			if err := s.early(); err != nil {
				t.Fatal(err)
			}
			if _, err := mc.LockDir(dir, false); !errors.Is(err, mc.ErrInUse) {
				t.Errorf("another lock of the directory while the study runs: %v, want ErrInUse", err)
			}
			if c.saves {
				if err := s.take(); err != nil {
					t.Fatal(err)
				}
			}
			s.release()
			if _, err := os.Stat(dir); (err == nil) != c.kept {
				t.Errorf("directory kept: %v, want %v", err == nil, c.kept)
			}
			if c.kept {
				l, err := mc.LockDir(dir, false)
				if err != nil {
					t.Fatalf("after the run: %v", err)
				}
				l.Unlock()
			}
		})
	}
}
