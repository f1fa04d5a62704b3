//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/adsim/adsim/mc"
)

// TestStoppedWhileRereading stops each command that reads saved rows back (mc --resume, the
// same mc command again on an unfinished run, merge) while it reads them: the saved rows.csv
// is a named pipe, and the context is cancelled, as SIGTERM cancels main's, the moment the
// command opens it, before a row is written into it. Each stops at the first row (exit 1),
// saying what it was reading and that nothing was lost; the directories are left byte for
// byte as they were, with no working directory; and, the rows put back, a resumption ends with
// the files of an uninterrupted run. Before, the readers took no context: the command read
// every row, and said it was stopped only then. TestSIGTERMEarly sends real signals.
func TestStoppedWhileRereading(t *testing.T) {
	base := t.TempDir()
	ref := filepath.Join(base, "ref")
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "8", "-q", "--no-progress", "--out", ref); code != exitOK {
		t.Fatalf("reference: exit %d: %s", code, errs)
	}
	unfinished := filepath.Join(base, "unfinished")
	unfinishedDir(t, unfinished)
	var shards []string
	for i, s := range []string{"0/2", "1/2"} {
		d := filepath.Join(base, "shard"+strconv.Itoa(i))
		if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "8", "--shard", s, "-q", "--no-progress", "--out", d); code != exitOK {
			t.Fatalf("shard %s: exit %d: %s", s, code, errs)
		}
		shards = append(shards, d)
	}
	quiet := []string{"-q", "--no-progress"}
	for _, c := range []struct {
		name string
		from string // the saved directory, copied into tmp/dir
		// args is the command, given dir (the copy) and tmp.
		args func(dir, tmp string) []string
		// want is what it says on stderr, given dir and tmp.
		want func(dir, tmp string) string
		// resume: dir is an unfinished run, which 'adsim mc --resume' then finishes.
		resume bool
	}{
		{"mc --resume", unfinished, func(dir, _ string) []string {
			return append([]string{"mc", "--resume", dir}, quiet...)
		}, func(dir, _ string) string {
			return "adsim: mc small: stopped by SIGTERM while re-reading " + filepath.Join(dir, mc.RowsCSV) +
				" (0 of its 3 saved rows read), before any replication ran; nothing was lost: " + dir +
				" holds its 3 saved replications (of 8): 'adsim mc --resume " + dir + "' goes on from them\n"
		}, true},
		{"mc again", unfinished, func(dir, _ string) []string {
			return append([]string{"mc", smallScenario, "-n", "8", "--out", dir}, quiet...)
		}, func(dir, _ string) string {
			return "adsim: mc small: stopped by SIGTERM while re-reading " + filepath.Join(dir, mc.RowsCSV) +
				" (0 of its 3 saved rows read), before any replication ran; nothing was lost: " + dir +
				" holds its 3 saved replications (of 8): 'adsim mc --resume " + dir + "' goes on from them\n"
		}, true},
		{"merge", shards[0], func(dir, _ string) []string {
			return []string{"merge", dir, shards[1], "-q"}
		}, func(dir, _ string) string {
			return "adsim: merge: stopped by SIGTERM while reading " + filepath.Join(dir, mc.RowsCSV) +
				" (0 of its 4 saved rows read) before the merge was complete; the directories merged are unchanged and nothing was printed: run it again\n"
		}, false},
		{"merge --out", shards[0], func(dir, tmp string) []string {
			return []string{"merge", dir, shards[1], "-q", "--out", filepath.Join(tmp, "merged")}
		}, func(dir, tmp string) string {
			return "adsim: merge: stopped by SIGTERM while reading " + filepath.Join(dir, mc.RowsCSV) +
				" (0 of its 4 saved rows read) before the merge was complete; the directories merged are unchanged and " +
				filepath.Join(tmp, "merged") + " is left as it was: run it again\n"
		}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			tmp := t.TempDir()
			dir := copyDir(t, c.from, filepath.Join(tmp, "dir"))
			rowsPath := filepath.Join(dir, mc.RowsCSV)
			rows := readFile(t, rowsPath)
			before := dirFiles(t, dir)
			if err := os.Remove(rowsPath); err != nil {
				t.Fatal(err)
			}
			if err := syscall.Mkfifo(rowsPath, 0o600); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			ended, written := make(chan struct{}), make(chan struct{})
			go func() {
				defer close(written)
				// Opened without waiting: it fails until the command has opened its end.
				var w *os.File
				for {
					f, err := os.OpenFile(rowsPath, os.O_WRONLY|syscall.O_NONBLOCK, 0)
					if err == nil {
						w = f
						break
					}
					select {
					case <-ended:
						return // it never read the rows: said below
					case <-time.After(100 * time.Microsecond):
					}
				}
				cancel(errors.New(syscall.SIGTERM.String() + " signal received")) // as signalContext
				_, _ = w.Write(rows)                                              // fails if it stopped reading
				w.Close()
			}()
			var out, errb bytes.Buffer
			code := executeContext(ctx, nil, c.args(dir, tmp), &out, &errb)
			close(ended)
			<-written
			if want := c.want(dir, tmp); code != exitRunError || errb.String() != want || out.Len() > 0 {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 saying %q", code, out.String(), errb.String(), want)
			}
			// The rows put back: the directory is as it was, with no working directory.
			if err := os.Remove(rowsPath); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(rowsPath, rows, 0o644); err != nil {
				t.Fatal(err)
			}
			after := dirFiles(t, dir)
			delete(before, mc.LockFile) // holds the pid of the last process to lock the directory
			delete(after, mc.LockFile)
			if len(after) != len(before) {
				t.Errorf("%s holds %v; it held %d files", dir, names(dir), len(before))
			}
			for name, data := range before {
				if after[name] != data {
					t.Errorf("%s/%s changed", dir, name)
				}
			}
			if merged := filepath.Join(tmp, "merged"); c.name == "merge --out" {
				if _, err := os.Stat(merged); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s was made: %v", merged, names(merged))
				}
			}
			if c.resume {
				if code, _, errs := runCLI(t, append([]string{"mc", "--resume", dir}, quiet...)...); code != exitOK {
					t.Fatalf("mc --resume afterwards: exit %d: %s", code, errs)
				}
				sameOutputs(t, "resumed after the stop", ref, dir)
				return
			}
			if code, _, errs := runCLI(t, c.args(dir, tmp)...); code != exitOK {
				t.Fatalf("merge afterwards: exit %d: %s", code, errs)
			}
			if merged := filepath.Join(tmp, "merged"); c.name == "merge --out" {
				sameOutputs(t, "merged after the stop", ref, merged)
			}
		})
	}
}

// The message of a stop while a killed resumption's checkpoint was being read names the
// checkpoint and its rows: DIR's own count (the saved replications its manifest counts) does
// not include them, and "DIR holds its 3 saved replications" alone read as if the rows being
// read had been DIR's.
func TestStoppedRereadingNamesTheCheckpoint(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	unfinishedDir(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		name, path, want string
	}{
		{"saved rows", filepath.Join(dir, mc.RowsCSV),
			"mc small: stopped by a cancellation while re-reading " + filepath.Join(dir, mc.RowsCSV) + " (2 of its 3 saved rows read), before any replication ran; nothing was lost: " +
				dir + " holds its 3 saved replications (of 8): 'adsim mc --resume " + dir + "' goes on from them"},
		{"a killed resumption's checkpoint", filepath.Join(dir, mc.ResumeDir, mc.RowsCSV),
			"mc small: stopped by a cancellation while re-reading " + filepath.Join(dir, mc.ResumeDir, mc.RowsCSV) + " (2 of its 3 saved rows read), before any replication ran; nothing was lost: " +
				dir + " holds its 3 saved replications (of 8), and " + filepath.Join(dir, mc.ResumeDir) + " the 3 rows of its killed resumption: 'adsim mc --resume " + dir + "' goes on from them"},
	} {
		err := stoppedRereading(ctx, &mc.ReadInterrupted{Path: c.path, Read: 2, Want: 3, Err: context.Canceled}, "mc small", dir)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s:\n got %v\nwant %s", c.name, err, c.want)
		}
	}
}
