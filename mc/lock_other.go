//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package mc

import (
	"errors"
	"os"
	"strconv"
)

// lockFile, without flock, creates path exclusively (O_EXCL) and removes it on unlock. A
// process killed with the lock leaves the file behind: the error then names its pid, and the
// file must be removed by hand once that process is known to be gone.
func lockFile(path string) (*DirLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, ErrInUse
	}
	if err != nil {
		return nil, err
	}
	_, _ = f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	return &DirLock{f: f}, nil
}

func (l *DirLock) unlock() {
	name := l.f.Name()
	l.f.Close()
	_ = os.Remove(name)
}
