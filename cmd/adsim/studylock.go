package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/adsim/adsim/mc"
)

// studyLock is the lock (mc.LockDir) of a sweep's or sensitivity study's output directory,
// held for the whole run, so that two runs with the same --out cannot overwrite each other's
// saved units and files. It is taken before anything runs — a second run there is refused at
// once, not after its first point — making the directory if need be; a directory it made is
// removed again when the run ends with nothing saved (a study refused, or interrupted before
// its first unit), so that such a run leaves nothing behind.
type studyLock struct {
	dir     string
	l       *mc.DirLock
	created bool // the directory did not exist before the run
	saved   bool // a unit was saved: the directory is the user's now
}

// early takes the lock, making the directory if it does not exist.
func (s *studyLock) early() error {
	if _, err := os.Stat(s.dir); errors.Is(err, os.ErrNotExist) {
		s.created = true
	}
	l, err := mc.LockDir(s.dir, true)
	if err != nil {
		// In use, or a file: bad input (exit 2); refused by the system: a run error, as for mc.
		return dirError(fmt.Errorf("--out: %w", err))
	}
	s.l = l
	return nil
}

// take is called before each unit is saved: the lock is held since early, and the
// directory is kept from now on.
func (s *studyLock) take() error {
	if s.l == nil {
		return fmt.Errorf("--out %s: not locked", s.dir)
	}
	s.saved = true
	return nil
}

// release lets the lock go, and removes the directory if this run made it and saved nothing
// there (it then holds only the lock file).
func (s *studyLock) release() {
	if s.l == nil {
		return
	}
	s.l.Unlock()
	if s.created && !s.saved {
		_ = os.Remove(filepath.Join(s.dir, mc.LockFile))
		_ = os.Remove(s.dir) // fails, harmlessly, if anything else is there
	}
}
