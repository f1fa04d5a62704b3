package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/adsim/adsim/mc"
)

// TestSensitivityTestName: the table's footer names every test behind its "*": the metric's
// own (paired t or McNemar's), and the sign test when some variant differed from the baseline
// by the same amount in every replication (mc.Paired.P), whichever factor ranks first.
func TestSensitivityTestName(t *testing.T) {
	const sign = "the sign test where a variant differs by the same amount in every replication"
	eff := func(low, high string) rankedEffect {
		return rankedEffect{low: mc.PairedResult{Test: low}, high: mc.PairedResult{Test: high}}
	}
	cases := []struct {
		name   string
		ranked []rankedEffect
		want   string
	}{
		{"paired t only", []rankedEffect{eff("paired t", "paired t")}, "paired t"},
		{"sign first, then paired t", []rankedEffect{eff("sign", "sign"), eff("paired t", "")}, "paired t; " + sign},
		{"sign only", []rankedEffect{eff("sign", "")}, sign},
		{"McNemar", []rankedEffect{eff("", "McNemar")}, "McNemar"},
		{"nothing run", []rankedEffect{eff("", "")}, "paired t"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := testName(c.ranked); got != c.want {
				t.Errorf("testName = %q, want %q", got, c.want)
			}
		})
	}
}

// TestPerfectRuns: the tornado chart's title says "perfect air picture" only when the
// baseline and every variant run ran in it; a factor on c2.picture with a side run in the
// tracked picture makes it false, a side not run (skipped) does not count.
func TestPerfectRuns(t *testing.T) {
	src, err := os.ReadFile(smallScenario)
	if err != nil {
		t.Fatal(err)
	}
	tracked, err := mc.NewStudy("small", src, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	perfect, err := tracked.With("c2.picture", "perfect")
	if err != nil {
		t.Fatal(err)
	}
	ran := &mc.Comparison{}
	factor := func(path, low, high string, lowRan, highRan bool) rankedEffect {
		e := rankedEffect{Effect: mc.Effect{Factor: mc.Factor{Path: path, Low: low, High: high}}}
		if lowRan {
			e.Low = ran
		}
		if highRan {
			e.High = ran
		}
		return e
	}
	salvo := factor("c2.salvo", "1", "2", true, true)
	cases := []struct {
		name   string
		st     *mc.Study
		ranked []rankedEffect
		want   bool
	}{
		{"tracked baseline", tracked, []rankedEffect{salvo}, false},
		{"perfect baseline", perfect, []rankedEffect{salvo}, true},
		{"a variant in the tracked picture", perfect, []rankedEffect{salvo, factor("c2.picture", "tracked", "perfect", true, true)}, false},
		{"the tracked side skipped", perfect, []rankedEffect{factor("c2.picture", "tracked", "perfect", false, true)}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := perfectRuns(c.st, c.ranked); got != c.want {
				t.Errorf("perfectRuns = %v, want %v", got, c.want)
			}
		})
	}
}

// TestSensitivityIdleFlags: a flag that would do nothing in the combination given is refused
// with exit 2 and says what it needs: --match and --factor act on the factors --assumptions
// makes (with --set factors, --match silently dropped factors the user wrote), --top on the
// tornado chart, which only --out draws. Where they act, they are taken.
func TestSensitivityIdleFlags(t *testing.T) {
	base := []string{"sensitivity", smallScenario, "-n", "2", "--no-progress"}
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"--match with --set factors", []string{"--set", "c2.salvo=1,2", "--match", "salvo"}, exitBadInput, "--match applies to the factors --assumptions makes"},
		{"--factor with --set factors", []string{"--set", "c2.salvo=1,2", "--factor", "0.1"}, exitBadInput, "--factor applies to the factors --assumptions makes"},
		{"--top without --out", []string{"--set", "c2.salvo=1,2", "--top", "3"}, exitBadInput, "--top 3 sets the factors on the tornado chart, which only --out DIR writes"},
		{"--match with --assumptions", []string{"--assumptions", "--match", "weapons[57e6].pk0.drone"}, exitOK, ""},
		{"--factor with --assumptions", []string{"--assumptions", "--match", "weapons[57e6].pk0.drone", "--factor", "0.1"}, exitOK, ""},
		{"--top with --out", []string{"--set", "c2.salvo=1,2", "--top", "3", "--out", "OUT"}, exitOK, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append(append([]string{}, base...), c.args...)
			for i, a := range args {
				if a == "OUT" {
					args[i] = filepath.Join(t.TempDir(), "out")
				}
			}
			code, _, errs := runCLI(t, args...)
			if code != c.code || !strings.Contains(errs, c.msg) {
				t.Errorf("exit %d, want %d: %s", code, c.code, errs)
			}
		})
	}
}

// TestSensitivitySaysWhatItHeld: the table ends with the air picture and the fields fixed for
// the whole study, as a sweep's does, and the tornado chart's title names them; a study run
// again into its --out with fewer factors names the saved ones it leaves out of the file.
func TestSensitivitySaysWhatItHeld(t *testing.T) {
	dir := t.TempDir()
	args := []string{"sensitivity", smallScenario, "-n", "2", "--no-progress", "--out", dir,
		"--set", "raids[0].count=3", "--set", "c2.salvo=1,2"}
	code, out, errs := runCLI(t, append(args, "--set", "c2.decision_period_s=0.5,2", "--picture", "perfect")...)
	if code != exitOK || !strings.Contains(out, "\nair picture: perfect\nfixed: raids[0].count=3\n") {
		t.Fatalf("exit %d: %s\n%s", code, errs, out)
	}
	if svg := string(readFile(t, filepath.Join(dir, "tornado.svg"))); !strings.Contains(svg, "fixed: raids[0].count=3") {
		t.Errorf("the tornado chart does not name the fixed field")
	}
	code, _, errs = runCLI(t, append(args, "--picture", "perfect")...)
	want := "1 saved factor is not in this study and left out of the file written now: c2.decision_period_s=0.5,2"
	if code != exitOK || !strings.Contains(errs, want) {
		t.Errorf("run again with fewer factors: exit %d: %s", code, errs)
	}
	if f, err := mc.ReadSensitivityFile(dir); err != nil || len(f.Factors) != 1 || f.Factors[0].Path != "c2.salvo" {
		t.Errorf("sensitivity.json after the smaller study: %v", err)
	}
	// The scenario's own picture is named too; a study that fixes nothing has no "fixed:".
	code, out, errs = runCLI(t, "sensitivity", smallScenario, "-n", "2", "--no-progress", "--set", "c2.salvo=1,2")
	if code != exitOK || !strings.Contains(out, "\nair picture: tracked\n") || strings.Contains(out, "fixed:") {
		t.Errorf("exit %d: %s\n%s", code, errs, out)
	}
	// The mixed picture names its perfect categories.
	code, out, errs = runCLI(t, "sensitivity", smallScenario, "-n", "2", "--no-progress", "--set", "c2.salvo=1,2", "--set", "c2.perfect_categories=[drone]")
	if code != exitOK || !strings.Contains(out, "\nair picture: tracked, perfect for drone\nfixed: c2.perfect_categories=[drone]\n") {
		t.Errorf("mixed picture: exit %d: %s\n%s", code, errs, out)
	}
}

// TestSensitivityRefusesABadSavedFile: a sensitivity.json no study could have written (edited
// by hand, damaged) stops the study with exit 2 before anything runs, saying where and what
// is wrong, and is left as it is, as a sweep's file is; one of another study (-n, seed) is
// replaced, with a line on stderr saying why.
func TestSensitivityRefusesABadSavedFile(t *testing.T) {
	dir := t.TempDir()
	args := []string{"sensitivity", smallScenario, "--set", "c2.salvo=1,2", "-n", "4", "--no-progress", "-q", "--out", dir}
	if code, _, errs := runCLI(t, args...); code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	path := filepath.Join(dir, mc.SensitivityJSON)
	good := readFile(t, path)
	for _, c := range []struct{ name, old, new, want string }{
		{"a string for -n", `"replications": 4,
  "metric"`, `"replications": "x",
  "metric"`, `: replications: found a string; expected a whole number`},
		{"a p-value of 7", `"p": 1,`, `"p": 7,`, `: factors[0].effect_low.value_lost.p: 7; expected a p-value, from 0 to 1`},
		{"fewer replications than -n", `"seed": 7,
        "replications": 4,`, `"seed": 7,
        "replications": 3,`, `: factors[0].effect_low.replications: 3; expected the file's -n, 4`},
		// Salvo 1 is the small scenario's own: no difference in any replication, and the
		// bound of what 4 replications cannot exclude, ±73.48 of the 150 the assets are worth.
		{"an interval out of order", `"lo": -73.4836254681896,`, `"lo": 73.4836254681896,`, `: factors[0].effect_low.value_lost.diff.lo: 73.4836254681896 with est 0; expected a lower bound`},
		{"cut short", `"factors": [`, `"factors": [ {`, `the file ends in the middle of the JSON`},
	} {
		t.Run(c.name, func(t *testing.T) {
			bad := bytes.Replace(good, []byte(c.old), []byte(c.new), 1)
			if c.name == "cut short" {
				bad = bad[:bytes.Index(bad, []byte(c.new))+len(c.new)]
			}
			if bytes.Equal(bad, good) {
				t.Fatalf("%q is not in the file", c.old)
			}
			if err := os.WriteFile(path, bad, 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errs := runCLI(t, args...)
			if code != exitBadInput || out != "" || !strings.Contains(errs, path+":") || !strings.Contains(errs, c.want) ||
				!strings.Contains(errs, "nothing was run and the file is left as it is") {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 saying %q", code, out, errs, c.want)
			}
			if !bytes.Equal(readFile(t, path), bad) {
				t.Error("the file was replaced")
			}
		})
	}
	// A whole file of another study is its own: said, and replaced.
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"another -n", []string{"-n", "5"}, "holds a study with -n 4, not 5: its factors are run again and the file replaced"},
		{"another seed", []string{"--seed", "8"}, "holds a study with another baseline (scenario, settings or seed): its factors are run again"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := os.WriteFile(path, good, 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, errs := runCLI(t, append(slices.Clone(args), c.args...)...)
			if code != exitOK || !strings.Contains(errs, path+" "+c.want) {
				t.Errorf("exit %d, stderr %q; want exit 0 saying %q", code, errs, c.want)
			}
			if bytes.Equal(readFile(t, path), good) {
				t.Error("the file of another study was kept")
			}
			if _, err := mc.ReadSensitivityFile(dir); err != nil {
				t.Errorf("the file written: %v", err)
			}
		})
	}
}
