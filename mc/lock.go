package mc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LockFile is the file in an output directory whose lock (DirLock) says that an adsim process
// is writing there. It holds that process's id; the file itself stays after the run (removing
// it would let a process that opened it just before lock a file no longer in the directory).
const LockFile = ".adsim.lock"

// ErrInUse is the error of LockDir when another process holds the directory's lock.
var ErrInUse = errors.New("in use by another adsim process")

// DirLock is the exclusive lock of an output directory, held for the whole of a run that
// writes there: two runs with the same --out would otherwise interleave their rows and
// overwrite each other's manifest, and both exit 0.
type DirLock struct {
	f *os.File
}

// LockDir takes the lock of the output directory dir, creating the directory first when
// create is set. It fails at once, with an error wrapping ErrInUse that names the holder's
// process id, when another process holds it. Where the platform has flock (Linux, the BSDs,
// macOS) the lock is the kernel's and dies with its process, so that a killed run leaves no
// stale lock.
func LockDir(dir string, create bool) (*DirLock, error) {
	if create {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, outDirError(dir, err)
		}
	}
	if fi, err := os.Stat(dir); err != nil {
		return nil, outDirError(dir, err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("%s is a file; expected a directory", dir)
	}
	l, err := lockFile(filepath.Join(dir, LockFile))
	if errors.Is(err, ErrInUse) {
		holder := "unknown pid"
		if b, rerr := os.ReadFile(filepath.Join(dir, LockFile)); rerr == nil {
			if pid, perr := strconv.Atoi(strings.TrimSpace(string(b))); perr == nil {
				holder = "pid " + strconv.Itoa(pid)
			}
		}
		return nil, fmt.Errorf("%s is %w (%s); wait for it to end, or give another directory", dir, ErrInUse, holder)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: cannot lock the directory: %w", dir, err)
	}
	return l, nil
}

// outDirError explains why dir cannot be an output directory.
func outDirError(dir string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		if fi, serr := os.Stat(pe.Path); serr == nil && !fi.IsDir() {
			return fmt.Errorf("%s cannot be an output directory: %s is a file; expected a directory", dir, pe.Path)
		}
		// Wrapped, so that the caller tells a permission (a run error) from bad input.
		return fmt.Errorf("%s cannot be an output directory: %s: %w; expected a directory this user can create and write", dir, pe.Path, pe.Err)
	}
	return fmt.Errorf("%s cannot be an output directory: %w", dir, err)
}

// Unlock releases the lock (nil-safe; a second call does nothing).
func (l *DirLock) Unlock() {
	if l == nil || l.f == nil {
		return
	}
	l.unlock()
	l.f = nil
}
