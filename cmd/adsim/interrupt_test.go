package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/adsim/adsim/mc"
)

// sigtermContext is a context cancelled as main's signalContext is by SIGTERM.
func sigtermContext() context.Context {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errors.New(syscall.SIGTERM.String() + " signal received"))
	return ctx
}

// TestStoppedBeforeStart runs each command that stops cleanly on a signal with a context that
// SIGTERM has cancelled already, as one that comes while the command reads its scenario or
// what an earlier run saved: each stops before it runs anything, exit 1 with a message that
// says so and what is kept (a worker, stopped, exits 0), and leaves its output directory as
// it was — not made, or with the files it held. TestSIGTERMEarly sends real signals.
func TestStoppedBeforeStart(t *testing.T) {
	base := t.TempDir()
	unfinished := filepath.Join(base, "unfinished")
	unfinishedDir(t, unfinished)
	saved := filepath.Join(base, "saved-sweep")
	if code, _, errs := runCLI(t, "sweep", smallScenario, "--set", "raids[0].count=2,4", "-n", "2", "-q", "--no-progress", "--out", saved); code != exitOK {
		t.Fatalf("the saved sweep: exit %d: %s", code, errs)
	}
	shard := filepath.Join(base, "shard")
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "2", "-q", "--no-progress", "--out", shard); code != exitOK {
		t.Fatalf("the shard: exit %d: %s", code, errs)
	}
	fresh := filepath.Join(base, "fresh") // never made
	for _, c := range []struct {
		args []string
		dir  string // the output directory, as it must be left
		code int
		want string
	}{
		{[]string{"mc", smallScenario, "-n", "4", "--out", fresh}, fresh, exitRunError,
			"mc small: stopped by SIGTERM before any replication ran; nothing to save, and " + fresh + " is left as it was\n"},
		{[]string{"mc", smallScenario, "-n", "8", "--out", unfinished}, unfinished, exitRunError,
			"mc small: stopped by SIGTERM before any replication ran; nothing to save, and " + unfinished + " is left as it was\n"},
		{[]string{"mc", "--resume", unfinished}, unfinished, exitRunError,
			"mc small: stopped by SIGTERM before any replication ran; " + unfinished + " holds its 3 saved replications (of 8): 'adsim mc --resume " + unfinished + "' goes on from them\n"},
		{[]string{"mc", smallScenario, "-n", "4"}, "", exitRunError,
			"mc small: stopped by SIGTERM before any replication ran; nothing to save\n"},
		{[]string{"sweep", smallScenario, "--set", "raids[0].count=2,4", "-n", "2", "--out", fresh}, fresh, exitRunError,
			"sweep raids[0].count: stopped by SIGTERM before any point ran; nothing to save, and " + fresh + " is left as it was\n"},
		{[]string{"sweep", smallScenario, "--set", "raids[0].count=2,4,6", "-n", "2", "--out", saved}, saved, exitRunError,
			"nothing to save, and " + saved + " is left as it was, with its 2 saved points: run the same command again to go on\n"},
		{[]string{"sensitivity", smallScenario, "--set", "c2.salvo=1,2", "-n", "2", "--out", fresh}, fresh, exitRunError,
			"sensitivity small: stopped by SIGTERM before any factor ran; nothing to save, and " + fresh + " is left as it was\n"},
		{[]string{"compare", smallScenario, smallScenario, "--set-b", "c2.salvo=2", "-n", "2"}, "", exitRunError,
			"compare: stopped by SIGTERM before any replication ran; nothing to compare"},
		{[]string{"merge", shard, "--out", fresh}, fresh, exitRunError,
			"merge: stopped by SIGTERM before the merge was complete; the directories merged are unchanged and " + fresh + " is left as it was: run it again\n"},
		{[]string{"merge", shard}, "", exitRunError,
			"merge: stopped by SIGTERM while reading " + filepath.Join(shard, mc.RowsCSV) + " (0 of its 2 saved rows read) before the merge was complete; the directories merged are unchanged and nothing was printed: run it again\n"},
		{[]string{"worker", "--nats", "nats://127.0.0.1:1", "--name", "w"}, "", exitOK,
			"adsim worker w: stopped by SIGTERM before it served any batch"},
	} {
		t.Run(strings.Join(c.args[:2], " "), func(t *testing.T) {
			var before map[string]string
			if _, err := os.Stat(c.dir); err == nil {
				before = dirFiles(t, c.dir)
			}
			var out, errb bytes.Buffer
			code := executeContext(sigtermContext(), nil, c.args, &out, &errb)
			if code != c.code || !strings.Contains(errb.String(), c.want) || out.Len() > 0 {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d saying %q", code, out.String(), errb.String(), c.code, c.want)
			}
			if c.dir == "" {
				return
			}
			if before == nil {
				if _, err := os.Stat(c.dir); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s was made: %v", c.dir, names(c.dir))
				}
				return
			}
			after := dirFiles(t, c.dir)
			delete(before, mc.LockFile) // holds the pid of the last process to lock the directory
			delete(after, mc.LockFile)
			if len(after) != len(before) {
				t.Errorf("%s holds %v; it held %v", c.dir, names(c.dir), before)
			}
			for name, data := range before {
				if after[name] != data {
					t.Errorf("%s/%s changed", c.dir, name)
				}
			}
		})
	}
}

// TestSignalsGivenBack: a command that does not stop cleanly on Ctrl-C or SIGTERM gives them
// their default action back before it runs, and does not run when one came already.
func TestSignalsGivenBack(t *testing.T) {
	for _, c := range []struct {
		args     []string
		restored bool // the default action given back
	}{
		{[]string{"validate", smallScenario}, true},
		{[]string{"version"}, true},
		{[]string{"mc", smallScenario, "-n", "2", "-q"}, false}, // keeps them
	} {
		for _, stopped := range []bool{false, true} {
			ctx := context.Background()
			if stopped {
				ctx = sigtermContext()
			}
			restored := false
			var out, errb bytes.Buffer
			code := executeContext(ctx, func() { restored = true }, c.args, &out, &errb)
			if restored != c.restored {
				t.Errorf("%s: default action given back %v; want %v", c.args[0], restored, c.restored)
			}
			switch {
			case !stopped && code != exitOK:
				t.Errorf("%s: exit %d: %s", c.args[0], code, errb.String())
			case stopped && (code != exitRunError || !strings.Contains(errb.String(), "stopped by SIGTERM") || (c.restored && out.Len() > 0)):
				t.Errorf("%s after SIGTERM: exit %d, stdout %q, stderr %q; want exit 1, stopped by SIGTERM before it ran", c.args[0], code, out.String(), errb.String())
			}
		}
	}
}
