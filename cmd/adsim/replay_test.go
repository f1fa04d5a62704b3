package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestReplayCommand runs adsim replay on the directory of an adsim mc run: the logs it
// writes are those adsim run --replication writes, byte for byte; it says what it replayed;
// bad input is refused with exit 2 and nothing written; and a run that replaces the rows
// takes their logs away.
func TestReplayCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "runs")
	code, out, errs := runCLI(t, "mc", smallScenario, "-n", "6", "--no-progress", "--out", dir)
	if code != exitOK {
		t.Fatalf("mc: exit %d: %s", code, errs)
	}
	if want := "or all of them, each checked against its saved row: adsim replay " + dir + "\n"; !strings.Contains(out, want) {
		t.Errorf("mc's summary does not say %q:\n%s", want, out)
	}
	code, out, errs = runCLI(t, "replay", dir, "--reps", "hit:depot", "--max", "2")
	if code != exitOK {
		t.Fatalf("replay: exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[2], "rows picked by --reps hit:depot; 2 replayed, each reproduced its saved row bit for bit (the first 2: --max 0 for all)") {
		t.Fatalf("replay printed:\n%s", out)
	}
	for _, line := range lines[:2] {
		// "replication I: … (depot N) — DIR/events/rep-I.jsonl (N events)"
		rep, rest, _ := strings.Cut(strings.TrimPrefix(line, "replication "), ":")
		if !strings.Contains(rest, "depot ") {
			t.Errorf("line %q does not name the depot", line)
		}
		log := filepath.Join(dir, "events", "rep-"+rep+".jsonl")
		if !strings.Contains(line, "— "+log+" (") {
			t.Fatalf("line %q does not name %s", line, log)
		}
		ref := filepath.Join(t.TempDir(), "ref.jsonl")
		if code, _, errs := runCLI(t, "run", smallScenario, "-q", "--replication", rep, "--events", ref); code != exitOK {
			t.Fatalf("run: exit %d: %s", code, errs)
		}
		if !bytes.Equal(readFile(t, ref), readFile(t, log)) {
			t.Errorf("replication %s: the replayed log differs from adsim run's", rep)
		}
	}
	// --check writes nothing more.
	before, _ := os.ReadDir(filepath.Join(dir, "events"))
	if code, out, errs := runCLI(t, "replay", dir, "--reps", "all", "--max", "0", "--check"); code != exitOK ||
		!strings.Contains(out, "6 of 6 rows picked by --reps all; 6 checked") {
		t.Fatalf("--check: exit %d: %s%s", code, out, errs)
	}
	if after, _ := os.ReadDir(filepath.Join(dir, "events")); len(after) != len(before) {
		t.Errorf("--check wrote logs: %d files, %d before", len(after), len(before))
	}
	// --stories: under each replication, a line for each of its leakers with its story, as
	// adsim run prints them.
	code, out, errs = runCLI(t, "replay", dir, "--reps", "leaked", "--max", "1", "--stories", "--check")
	storyLines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	var leakers int
	if code == exitOK {
		_, err := fmt.Sscanf(storyLines[0], "replication 0: %d leakers", &leakers)
		if err != nil {
			t.Fatalf("--stories: first line %q", storyLines[0])
		}
	}
	if code != exitOK || leakers < 2 {
		t.Fatalf("--stories: exit %d: %s%s", code, out, errs)
	}
	var heads, stories int
	for _, l := range storyLines[1:] {
		switch {
		case strings.HasPrefix(l, "  t="):
			heads++
		case strings.HasPrefix(l, "      launched at "):
			stories++
		}
	}
	if heads != leakers || stories != leakers {
		t.Errorf("--stories: %d leaker lines and %d stories for %d leakers:\n%s", heads, stories, leakers, out)
	}
	// --json: a line per replication, its outcome adsim run --json's; the count on stderr.
	code, out, errs = runCLI(t, "replay", dir, "--reps", "0,4", "--json")
	jsonLines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if code != exitOK || len(jsonLines) != 2 || !strings.Contains(errs, "2 of 6 rows picked by --reps 0,4; 2 replayed") {
		t.Fatalf("--json: exit %d: %s%s", code, out, errs)
	}
	for i, rep := range []string{"0", "4"} {
		var got struct {
			Replication int
			Log         string
			Events      int
			Outcome     map[string]any
		}
		if err := json.Unmarshal([]byte(jsonLines[i]), &got); err != nil {
			t.Fatalf("--json line %d: %v", i, err)
		}
		code, runOut, errs := runCLI(t, "run", smallScenario, "--replication", rep, "--json", "-")
		var want map[string]any
		if code != exitOK || json.Unmarshal([]byte(runOut), &want) != nil {
			t.Fatalf("run --json -: exit %d: %s", code, errs)
		}
		if strconv.Itoa(got.Replication) != rep || got.Log != filepath.Join(dir, "events", "rep-"+rep+".jsonl") || got.Events == 0 ||
			!reflect.DeepEqual(got.Outcome, want) {
			t.Errorf("--json line %d: replication %d, log %q, %d events; outcome equal to adsim run's: %v", i, got.Replication, got.Log, got.Events, reflect.DeepEqual(got.Outcome, want))
		}
	}
	if code, _, errs := runCLI(t, "replay", dir, "--json", "--stories"); code != exitBadInput || !strings.Contains(errs, "give --json or --stories, not both") {
		t.Errorf("--json --stories: exit %d: %s", code, errs)
	}
	if code, out, _ := runCLI(t, "replay", dir, "--reps", "leaked:kalibr-3m14", "--check"); code != exitOK || !strings.Contains(out, "none of the 6 rows is picked") {
		t.Errorf("nothing picked: exit %d: %s", code, out)
	}
	// Bad input.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"replay", dir, "--reps", "hit:parliament"}, `--reps "hit:parliament": the scenario has no asset "parliament"; expected one of hq, depot`},
		{[]string{"replay", dir, "--reps", "3-1"}, `range "3-1" runs backwards`},
		{[]string{"replay", dir, "--check", "--events", "x"}, "give --check or --events, not both"},
		{[]string{"replay", dir, "--check", "--detections"}, "--check writes none"},
		{[]string{"replay", dir, "--workers", "-2"}, "--workers -2"},
		{[]string{"replay", filepath.Join(dir, "events")}, "is not an adsim mc output directory: it has no manifest.json"},
		{[]string{"replay"}, "found no arguments, expected 1 argument"},
		{[]string{"replay", dir, "--events", filepath.Join(dir, "rows.csv")}, "rows.csv is a file; expected a directory"},
	} {
		code, out, errs := runCLI(t, tc.args...)
		if code != exitBadInput || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", tc.args[1:], code, out, errs, tc.want)
		}
	}
	// The directories compare and sweep write are replayed as they are.
	base := t.TempDir()
	cmp, sw := filepath.Join(base, "cmp"), filepath.Join(base, "sw")
	code, out, errs = runCLI(t, "compare", smallScenario, smallScenario, "--set-b", "fire_units[pantsir].magazine.57e6=12", "-n", "4", "--no-progress", "--out", cmp)
	if code != exitOK {
		t.Fatalf("compare: exit %d: %s", code, errs)
	}
	// It ends with the adsim replay commands of the replications that flipped, which run.
	_, hint, ok := strings.Cut(out, "or from the saved rows, each side checked against its row:\n")
	hints := strings.Split(strings.TrimRight(hint, "\n"), "\n")
	if !ok || len(hints) != 2 || !strings.HasPrefix(hints[0], "  adsim replay "+filepath.Join(cmp, "b")+" --reps ") {
		t.Fatalf("compare's summary does not end with the adsim replay commands:\n%s", out)
	}
	for _, h := range hints {
		args := strings.Fields(h)[1:]
		if code, out, errs := runCLI(t, append(args, "--check")...); code != exitOK || !strings.Contains(out, "1 of 4 rows picked") {
			t.Errorf("%s: exit %d: %s%s", h, code, out, errs)
		}
	}
	if code, _, errs := runCLI(t, "sweep", smallScenario, "--set", "raids[drones].count=4,8", "-n", "3", "-q", "--no-progress", "--rows", "--out", sw); code != exitOK {
		t.Fatalf("sweep: exit %d: %s", code, errs)
	}
	for _, tc := range []struct{ dir, want string }{
		{filepath.Join(cmp, "b"), "4 of 4 rows picked by --reps all; 4 checked"},
		{filepath.Join(sw, "rows", "raids_0_.count=8"), "3 of 3 rows picked by --reps all; 3 checked"},
	} {
		if code, out, errs := runCLI(t, "replay", tc.dir, "--reps", "all", "--check"); code != exitOK || !strings.Contains(out, tc.want) {
			t.Errorf("replay %s: exit %d: %s%s", tc.dir, code, out, errs)
		}
	}
	// A saved row no replication can give is bad input, at its line and column.
	rows := filepath.Join(cmp, "a", "rows.csv")
	csvLines := strings.Split(string(readFile(t, rows)), "\n")
	col := slices.Index(strings.Split(csvLines[0], ","), "detected")
	fields := strings.Split(csvLines[2], ",")
	fields[col] = "99"
	csvLines[2] = strings.Join(fields, ",")
	if err := os.WriteFile(rows, []byte(strings.Join(csvLines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCLI(t, "replay", filepath.Join(cmp, "a"), "--reps", "all"); code != exitBadInput ||
		!strings.Contains(errs, fmt.Sprintf("rows.csv: line 3, column %d: detected: found 99; expected at most launched", len(strings.Join(fields[:col], ","))+2)) {
		t.Errorf("a bad saved row: exit %d: %s%s", code, out, errs)
	}
	// An unfinished run's rows replay; resumed, it names adsim replay alone (it does not know
	// the scenario argument adsim run would need), and keeps the logs of the rows it keeps.
	part := filepath.Join(t.TempDir(), "part")
	unfinishedDir(t, part)
	if code, out, errs := runCLI(t, "replay", part, "--reps", "all"); code != exitOK || !strings.Contains(out, "3 of 3 rows picked by --reps all; 3 replayed") {
		t.Fatalf("replay of an unfinished run: exit %d: %s%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "mc", "--resume", part, "--no-progress")
	if code != exitOK {
		t.Fatalf("resume: exit %d: %s", code, errs)
	}
	if want := "\nreplay the replications with a leaker, with their event logs, from the saved rows: adsim replay " + part + "\n"; !strings.Contains(out, want) || strings.Contains(out, "adsim run") {
		t.Errorf("the resumed run's summary does not end with %q alone:\n%s", want, out)
	}
	if logs, _ := os.ReadDir(filepath.Join(part, "events")); len(logs) != 3 {
		t.Errorf("%d logs after the resumption; want the 3 of the rows it kept", len(logs))
	}
	// A run that replaces the rows takes their logs, and says so.
	logs, _ := os.ReadDir(filepath.Join(dir, "events"))
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "3", "-q", "--no-progress", "--out", dir); code != exitOK || len(logs) < 2 ||
		!strings.Contains(errs, fmt.Sprintf("this run replaces it and the %d event logs adsim replay wrote of it", len(logs))) {
		t.Fatalf("mc again: exit %d: %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "events")); !os.IsNotExist(err) {
		t.Errorf("the logs of the replaced rows are still there (%v)", err)
	}
	// So does a merge into the directory.
	if code, _, errs := runCLI(t, "replay", dir, "--reps", "all", "-q"); code != exitOK {
		t.Fatalf("replay: exit %d: %s", code, errs)
	}
	var shards []string
	for _, s := range []string{"0/2", "1/2"} {
		sd := filepath.Join(t.TempDir(), "shard")
		if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "4", "--shard", s, "-q", "--no-progress", "--out", sd); code != exitOK {
			t.Fatalf("mc --shard %s: exit %d: %s", s, code, errs)
		}
		shards = append(shards, sd)
	}
	if code, _, errs := runCLI(t, append([]string{"merge", "-q", "--out", dir}, shards...)...); code != exitOK {
		t.Fatalf("merge: exit %d: %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "events")); !os.IsNotExist(err) {
		t.Errorf("the logs of the rows a merge replaced are still there (%v)", err)
	}
}

// TestReplayUnlockableDirectory: a directory this user cannot lock (here its lock file is a
// directory, as a read-only volume would refuse it) is replayed when nothing is written
// into it, and refused when the logs would go there.
func TestReplayUnlockableDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "runs")
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "2", "-q", "--no-progress", "--out", dir); code != exitOK {
		t.Fatalf("mc: exit %d: %s", code, errs)
	}
	lock := filepath.Join(dir, ".adsim.lock")
	if err := os.Remove(lock); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(lock, 0o755); err != nil {
		t.Fatal(err)
	}
	elsewhere := filepath.Join(t.TempDir(), "logs")
	for _, tc := range []struct {
		args []string
		ok   bool
	}{
		{[]string{"--check"}, true},
		{[]string{"--events", elsewhere}, true},
		{nil, false},
		{[]string{"--events", filepath.Join(dir, "mine")}, false},
	} {
		code, out, errs := runCLI(t, append([]string{"replay", dir, "--reps", "all"}, tc.args...)...)
		switch {
		case tc.ok && (code != exitOK || !strings.Contains(out, "2 of 2 rows picked")):
			t.Errorf("%v: exit %d: %s%s", tc.args, code, out, errs)
		case !tc.ok && (code == exitOK || !strings.Contains(errs, "cannot lock the directory")):
			t.Errorf("%v: exit %d, stderr %q; want the lock refused", tc.args, code, errs)
		}
	}
}

func TestWithin(t *testing.T) {
	for _, tc := range []struct {
		dir, path string
		want      bool
	}{
		{"runs", "", true},
		{"runs", "runs", true},
		{"runs", "runs/events", true},
		{"runs/", "./runs/a/b", true},
		{"runs", "runs2", false},
		{"runs", "..runs", false},
		{"runs", "logs", false},
		{"runs/a", "runs", false},
		{"runs", "/elsewhere", false},
	} {
		if got := within(tc.dir, tc.path); got != tc.want {
			t.Errorf("within(%q, %q) = %v; want %v", tc.dir, tc.path, got, tc.want)
		}
	}
}
