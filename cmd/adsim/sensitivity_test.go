package main

import (
	"os"
	"path/filepath"
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
}
