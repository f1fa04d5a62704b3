package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/adsim/adsim/mc"
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

// The replay commands compare prints reproduce the replication they name: run as printed
// (B's settings being --set's less the field --set-b sets again, then --set-b's), B's has a
// leaker and A's none, as the flip line says; and they are not printed with --json or -q.
func TestCompareReplayCommands(t *testing.T) {
	args := []string{"compare", smallScenario, smallScenario, "--set", "fire_units[0].magazine.57e6=12",
		"--set-b", "c2.doctrine=salvo", "--set-b", "fire_units[0].magazine.57e6=4", "-n", "20", "--no-progress"}
	code, out, errs := runCLI(t, args...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	_, replay, ok := strings.Cut(out, "To see why, replay replication ")
	if !ok || !strings.Contains(out, "at least one leaker under B only: ") {
		t.Fatalf("no flips or no replay commands:\n%s", out)
	}
	lines := strings.Split(strings.TrimSpace(replay), "\n")
	if len(lines) != 3 {
		t.Fatalf("replay lines: %q", lines)
	}
	dir := t.TempDir()
	for k, line := range lines[1:] {
		if leaked, wantLeak := runReplay(t, dir, shellSplit(t, strings.TrimSpace(line))), k == 0; (leaked > 0) != wantLeak {
			t.Errorf("%s: %d leaked; the comparison says %s", line, leaked, map[bool]string{true: "some", false: "none"}[wantLeak])
		}
	}
	for _, flag := range []string{"--json", "-q"} {
		if _, out, _ := runCLI(t, append(args, flag)...); strings.Contains(out, "replay") {
			t.Errorf("%s prints the replay commands", flag)
		}
	}
}

// runReplay runs a printed replay command (its words, "adsim run ... --events FILE"), the
// event log and outcome written in dir, and returns how many threats leaked.
func runReplay(t *testing.T, dir string, words []string) int {
	t.Helper()
	if len(words) < 4 || words[0] != "adsim" || words[1] != "run" || words[len(words)-2] != "--events" {
		t.Fatalf("not a replay command: %q", words)
	}
	js := filepath.Join(dir, "out.json")
	args := append(words[1:len(words)-1:len(words)-1], filepath.Join(dir, words[len(words)-1]), "--json", js, "-q")
	if code, _, errs := runCLI(t, args...); code != exitOK {
		t.Fatalf("%q: exit %d: %s", words, code, errs)
	}
	var o struct{ Leaked int }
	if err := json.Unmarshal(readFile(t, js), &o); err != nil {
		t.Fatal(err)
	}
	return o.Leaked
}

// shellSplit splits a command line as a POSIX shell would for the words shellWord writes:
// plain words and single-quoted ones, with '\” for a quote inside.
func shellSplit(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var w strings.Builder
	quoted, word := false, false
	for i := 0; i < len(line); i++ {
		switch ch := line[i]; {
		case quoted:
			if ch == '\'' {
				quoted = false
			} else {
				w.WriteByte(ch)
			}
		case ch == '\'':
			quoted, word = true, true
		case ch == '\\' && i+1 < len(line):
			i++
			w.WriteByte(line[i])
			word = true
		case ch == ' ':
			if word {
				words = append(words, w.String())
				w.Reset()
			}
			word = false
		default:
			w.WriteByte(ch)
			word = true
		}
	}
	if quoted {
		t.Fatalf("unterminated quote in %q", line)
	}
	if word {
		words = append(words, w.String())
	}
	return words
}

// shellWord leaves plain words alone and single-quotes the others so that a shell reads them
// back as they were.
func TestShellWord(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"capital", "capital"},
		{"raids[0].count=4", "'raids[0].count=4'"},
		{"c2.doctrine=salvo", "c2.doctrine=salvo"},
		{"my scenario.yaml", "'my scenario.yaml'"},
		{"it's.yaml", `'it'\''s.yaml'`},
		{"", "''"},
		{"c2.max_per_track_categories=[ballistic_missile]", "'c2.max_per_track_categories=[ballistic_missile]'"},
	} {
		got := shellWord(c.in)
		if got != c.want {
			t.Errorf("shellWord(%q) = %s, want %s", c.in, got, c.want)
		}
		if back := shellSplit(t, got); len(back) != 1 || back[0] != c.in {
			t.Errorf("%s reads back as %q", got, back)
		}
	}
}

// adsim mc lists the replications with a leaker and prints the command that replays the first
// with its seed, settings and picture; run as printed, it leaks. --json and -q print no
// command.
func TestMCReplayCommand(t *testing.T) {
	args := []string{"mc", smallScenario, "--seed", "11", "--set", "fire_units[0].magazine.57e6=12", "--picture", "perfect", "-n", "30", "--no-progress"}
	code, out, errs := runCLI(t, args...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "replications with a leaker:              ") {
		t.Errorf("no list of the replications with a leaker:\n%s", out)
	}
	_, line, ok := strings.Cut(out, "replay a replication with a leaker, with its event log: ")
	if !ok {
		t.Fatalf("no replay command:\n%s", out)
	}
	words := shellSplit(t, strings.TrimSpace(line))
	for _, want := range []string{"--seed", "11", "--set", "fire_units[0].magazine.57e6=12", "--picture", "perfect", "--replication"} {
		if !slices.Contains(words, want) {
			t.Errorf("%q lacks %s", line, want)
		}
	}
	if runReplay(t, t.TempDir(), words) == 0 {
		t.Errorf("%s: nothing leaked", line)
	}
	for _, flag := range []string{"--json", "-q"} {
		if _, out, _ := runCLI(t, append(args, flag)...); strings.Contains(out, "replay") {
			t.Errorf("%s prints the replay command", flag)
		}
	}
}

// compare --until-ci stops at a multiple of --check-every pairs once the leak rate's
// difference is known that well, says so, and refuses what mc refuses.
func TestCompareUntilCI(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	code, out, errs := runCLI(t, "compare", smallScenario, smallScenario, "--set-b", "fire_units[0].magazine.57e6=12",
		"-n", "400", "--until-ci", "0.05", "--check-every", "10", "--out", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var n int
	if _, err := fmt.Sscanf(out[strings.Index(out, "seed "):], "seed 7, %d paired replications", &n); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if n >= 400 || n%10 != 0 || !strings.Contains(errs, "--until-ci 0.05 reached: the interval of the leak rate's difference has a half-width of 0.0") ||
		!strings.Contains(errs, fmt.Sprintf("after %d pairs", n)) {
		t.Errorf("stopped after %d pairs; stderr %q", n, errs)
	}
	// --out: each side a complete directory of the n replications run (not an unfinished
	// one of 400), as 'adsim mc -n n' would write it.
	for _, side := range []string{"a", "b"} {
		m, err := mc.ReadManifest(filepath.Join(dir, side))
		if err != nil || m.Done != uint64(n) || m.Total != uint64(n) || m.Reps != (mc.Range{End: uint64(n)}) || !m.Complete() {
			t.Errorf("%s/manifest.json: %+v, %v; want %d of %d replications, complete", side, m, err, n, n)
		}
	}
	ref := filepath.Join(t.TempDir(), "ref")
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", fmt.Sprint(n), "-q", "--no-progress", "--out", ref); code != exitOK {
		t.Fatal(errs)
	}
	for _, f := range []string{mc.RowsCSV, mc.ManifestJSON, mc.SummaryJSON} {
		if !bytes.Equal(readFile(t, filepath.Join(ref, f)), readFile(t, filepath.Join(dir, "a", f))) {
			t.Errorf("a/%s differs from that of 'adsim mc -n %d'", f, n)
		}
	}
	// A study against itself: no pair differs, so no stop, however wide the bound.
	code, out, errs = runCLI(t, "compare", smallScenario, smallScenario, "-n", "40", "--until-ci", "0.9", "--check-every", "10")
	if code != exitOK || !strings.Contains(out, "40 paired replications") ||
		!strings.Contains(errs, "--until-ci 0.9 not reached") || !strings.Contains(errs, "the leak rates differ in 0 pairs, and the stop needs at least 20") {
		t.Errorf("A against A: exit %d, stderr %q", code, errs)
	}
	for _, bad := range [][]string{{"--until-ci", "1.5"}, {"--until-ci", "0.1", "--check-every", "0"}, {"--check-every", "5"}} {
		args := append([]string{"compare", smallScenario, smallScenario, "-n", "4"}, bad...)
		if code, _, errs := runCLI(t, args...); code != exitBadInput || !strings.Contains(errs, bad[len(bad)-2]) {
			t.Errorf("%v: exit %d: %s", bad, code, errs)
		}
	}
}
