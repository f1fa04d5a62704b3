package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPairedCommandsNeedTwoReplications: compare and sensitivity refuse -n 1 (and 0) with
// exit 2 and say why, before anything runs or any directory is made; -n 1 printed NaN and
// ±Inf, failed in encoding/json, and left sensitivity's --out holding only its lock.
func TestPairedCommandsNeedTwoReplications(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
	}{
		{"compare", []string{"compare", smallScenario, smallScenario}},
		{"compare --json", []string{"compare", smallScenario, smallScenario, "--json"}},
		{"sensitivity", []string{"sensitivity", smallScenario, "--set", "raids[0].count=2,3"}},
	} {
		for _, n := range []string{"0", "1"} {
			out := filepath.Join(t.TempDir(), "out")
			args := append(append([]string{}, c.args...), "-n", n, "--no-progress")
			if c.name == "sensitivity" {
				args = append(args, "--out", out)
			}
			code, stdout, errs := runCLI(t, args...)
			if code != exitBadInput || stdout != "" || !strings.Contains(errs, "-n "+n+": ") {
				t.Errorf("%s -n %s: exit %d, stdout %q: %s", c.name, n, code, stdout, errs)
			}
			if !strings.Contains(errs, "a paired comparison needs at least 2 replications") {
				t.Errorf("%s -n 1 does not say why: %s", c.name, errs)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s -n %s: the output directory was made (%v)", c.name, n, err)
			}
		}
	}
	// Two replications compare, and the header counts them.
	code, out, errs := runCLI(t, "compare", smallScenario, smallScenario, "-n", "2", "--no-progress")
	if code != exitOK || !strings.Contains(out, "2 paired replications") || strings.Contains(out, "NaN") {
		t.Errorf("compare -n 2: exit %d: %s\n%s", code, errs, out)
	}
}

// TestExitCodeSaysOnce: an error is printed once, with "adsim:", and gives its exit code; one
// the command printed already (an interrupted comparison, before its pairs so far) is not
// printed again.
func TestExitCodeSaysOnce(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		code int
		out  string
	}{
		{"none", nil, exitOK, ""},
		{"run error", runError(errors.New("disk full")), exitRunError, "adsim: disk full\n"},
		{"bad input", badInput(errors.New("-n 0")), exitBadInput, "adsim: -n 0\n"},
		{"said already", saidRunError(errors.New("stopped by Ctrl-C")), exitRunError, ""},
		{"cobra's own", errors.New("unknown flag: --x"), exitBadInput, "adsim: unknown flag: --x\n"},
	} {
		var b bytes.Buffer
		if code := exitCode(c.err, &b); code != c.code || b.String() != c.out {
			t.Errorf("%s: exit %d, printed %q; want %d and %q", c.name, code, b.String(), c.code, c.out)
		}
	}
}

// TestCompareSameStudy: comparing a study with itself runs (a check of common random numbers)
// but says on stderr that every difference is 0 by construction; a B that differs does not.
func TestCompareSameStudy(t *testing.T) {
	const warn = "A and B are the same study (scenario, catalog and seed)"
	for _, c := range []struct {
		name string
		args []string
		warn bool
	}{
		{"the same file", []string{"compare", smallScenario, smallScenario}, true},
		{"a setting of B", []string{"compare", smallScenario, smallScenario, "--set-b", "c2.salvo=2"}, false},
		{"another air picture for B", []string{"compare", smallScenario, smallScenario, "--picture-b", "perfect"}, false},
	} {
		code, out, errs := runCLI(t, append(c.args, "-n", "2", "--no-progress")...)
		if code != exitOK || !strings.Contains(out, "paired replications") || strings.Contains(errs, warn) != c.warn {
			t.Errorf("%s: exit %d, warning %v (want %v): %s", c.name, code, strings.Contains(errs, warn), c.warn, errs)
		}
	}
}
