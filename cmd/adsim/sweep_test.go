package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/adsim/adsim/mc"
	"github.com/adsim/adsim/report"
)

// TestSweepGoesOn: a sweep with --out saves each point as it completes, so that the same
// command run again after a partial run takes the saved points and runs the rest, to files
// identical to those of one uninterrupted sweep.
func TestSweepGoesOn(t *testing.T) {
	dir := t.TempDir()
	sweep := func(out, values string, extra ...string) (string, string) {
		t.Helper()
		args := append([]string{"sweep", smallScenario, "--set", "raids[0].count=" + values, "-n", "8", "--no-progress", "--out", filepath.Join(dir, out)}, extra...)
		code, stdout, errs := runCLI(t, args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		return stdout, errs
	}
	refOut, _ := sweep("ref", "2,4,6")
	sweep("part", "2,4") // as if stopped after two points
	out, errs := sweep("part", "2,4,6")
	if !strings.Contains(errs, "2 of 3 points taken from") {
		t.Errorf("the saved points were not taken: %s", errs)
	}
	if out != refOut {
		t.Errorf("the table differs from one uninterrupted sweep:\n%s\nwant\n%s", out, refOut)
	}
	for _, f := range []string{"sweep.csv", mc.SweepJSON} {
		if !bytes.Equal(readFile(t, filepath.Join(dir, "ref", f)), readFile(t, filepath.Join(dir, "part", f))) {
			t.Errorf("%s differs from that of one uninterrupted sweep", f)
		}
	}
	// Another -n runs every point again, and says why.
	_, errs = sweep("part", "2,4,6", "-n", "5")
	if !strings.Contains(errs, "holds a sweep with -n 8, not 5: its points are run again") {
		t.Errorf("a sweep with another -n: %s", errs)
	}
}

// TestSweepCanonicalNames: a sweep's points are named one way, whichever way the user wrote
// the field (by index or by id) and the values (4, 4.0, 04): the files are the same, a sweep
// run again under another spelling takes every saved point, and what it drops is named.
func TestSweepCanonicalNames(t *testing.T) {
	dir := t.TempDir()
	sweep := func(out, set string, extra ...string) (int, string, string) {
		t.Helper()
		args := append([]string{"sweep", smallScenario, "--set", set, "-n", "4", "--no-progress", "--out", filepath.Join(dir, out)}, extra...)
		return runCLI(t, args...)
	}
	_, refOut, _ := sweep("a", "raids[0].count=2:6:2")
	_, out, _ := sweep("b", "raids[drones].count=2.0,04,6")
	if out != refOut {
		t.Errorf("the tables differ with the spelling:\n%s\nwant\n%s", out, refOut)
	}
	if !strings.Contains(out, "raids[0].count") || strings.Contains(out, "drones]") || strings.Contains(out, "04") {
		t.Errorf("the table keeps the user's spelling:\n%s", out)
	}
	for _, f := range []string{"sweep.csv", mc.SweepJSON} {
		if !bytes.Equal(readFile(t, filepath.Join(dir, "a", f)), readFile(t, filepath.Join(dir, "b", f))) {
			t.Errorf("%s differs with the spelling", f)
		}
	}
	for _, c := range []struct{ set, want, not string }{
		{"raids[drones].count=2:6:2", "3 of 3 points taken", "not in this sweep"},
		{"raids[0].count=02,4.0,6", "3 of 3 points taken", "not in this sweep"},
		{"raids[0].count=2,4", "1 saved point is not in this sweep (raids[0].count=6)", "points are"},
	} {
		code, _, errs := sweep("a", c.set)
		if code != exitOK || !strings.Contains(errs, c.want) || strings.Contains(errs, c.not) {
			t.Errorf("%s: exit %d, stderr %q; want %q and not %q", c.set, code, errs, c.want, c.not)
		}
	}
	if code, _, errs := sweep("c", "raids[0].count=2,4", "--zip"); code != exitBadInput || !strings.Contains(errs, "--zip with one swept field") {
		t.Errorf("--zip with one field: exit %d, %q; want it refused", code, errs)
	}
}

func TestSomeOf(t *testing.T) {
	for _, c := range []struct {
		xs   []string
		want string
	}{
		{[]string{"a"}, "a"},
		{[]string{"a", "b", "c"}, "a; b; c"},
		{[]string{"a", "b", "c", "d", "e"}, "a; b; c; and 2 more"},
	} {
		if got := someOf(c.xs, 3); got != c.want {
			t.Errorf("someOf(%v) = %q, want %q", c.xs, got, c.want)
		}
	}
}

// TestSweepRefusesABadSavedFile: a sweep.json no sweep could have written (edited by hand)
// stops the sweep with exit 2 before anything runs, saying where and what is wrong, and is
// left as it is: it may hold points its user wants back.
func TestSweepRefusesABadSavedFile(t *testing.T) {
	dir := t.TempDir()
	args := []string{"sweep", smallScenario, "--set", "raids[0].count=2,4", "-n", "8", "--no-progress", "--out", dir}
	if code, _, errs := runCLI(t, args...); code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	path := filepath.Join(dir, mc.SweepJSON)
	for _, c := range []struct{ old, new, want string }{
		{`"replications": 8,`, `"replications": "x",`, `: replications: found a string; expected a whole number`},
		{`"replications": 8,
        "first_replication"`, `"replications": 3,
        "first_replication"`, `: points[0].result.replications: 3; expected the file's -n, 8`},
	} {
		good := readFile(t, path)
		bad := bytes.Replace(good, []byte(c.old), []byte(c.new), 1)
		if err := os.WriteFile(path, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errs := runCLI(t, args...)
		if code != exitBadInput || out != "" || !strings.Contains(errs, path+":") || !strings.Contains(errs, c.want) || !strings.Contains(errs, "nothing was run and the file is left as it is") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2 saying %q", c.new, code, out, errs, c.want)
		}
		if !bytes.Equal(readFile(t, path), bad) {
			t.Errorf("%s: the file was replaced", c.new)
		}
		if err := os.WriteFile(path, good, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSweepKilledGoesOn kills an adsim sweep process (SIGKILL: no chance to save anything on
// the way out) after its first point, runs the same command again, and checks that it took
// the saved points and ended with the files of an uninterrupted sweep.
func TestSweepKilledGoesOn(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the adsim binary and starts a process")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "adsim")
	// Without version-control stamping, like this test binary: the saved points carry the
	// engine that computed them, and only the same engine's are taken.
	if out, err := exec.Command("go", "build", "-buildvcs=false", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	args := func(out string) []string {
		return []string{"sweep", smallScenario, "--set", "raids[0].count=2,4,6", "-n", "60", "--workers", "1", "--no-progress", "-q", "--out", out}
	}
	ref := filepath.Join(dir, "ref")
	if code, _, errs := runCLI(t, args(ref)...); code != exitOK {
		t.Fatalf("reference sweep: exit %d: %s", code, errs)
	}
	killed := filepath.Join(dir, "killed")
	cmd := exec.Command(bin, args(killed)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// Kill it once the first point is saved and before the last.
	deadline := time.Now().Add(60 * time.Second)
	for {
		if f, err := mc.ReadSweepFile(killed); err == nil && len(f.Points) >= 1 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the sweep ended (%v) before it could be killed", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("no point saved within a minute")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-done
	f, err := mc.ReadSweepFile(killed)
	if err != nil {
		t.Fatalf("the file a killed sweep left: %v", err)
	}
	if f.Complete || len(f.Points) == 0 || len(f.Points) >= 3 {
		t.Fatalf("killed sweep: complete %v with %d points; want incomplete with 1 or 2 (the process was too fast to kill mid-sweep?)", f.Complete, len(f.Points))
	}
	code, _, errs := runCLI(t, args(killed)...)
	if code != exitOK || !strings.Contains(errs, "points taken from") {
		t.Fatalf("the sweep run again: exit %d: %s", code, errs)
	}
	for _, name := range []string{"sweep.csv", mc.SweepJSON} {
		if !bytes.Equal(readFile(t, filepath.Join(ref, name)), readFile(t, filepath.Join(killed, name))) {
			t.Errorf("%s differs from that of one uninterrupted sweep", name)
		}
	}
	if _, err := os.Stat(filepath.Join(killed, mc.SweepJSON+".tmp")); err == nil {
		t.Error("a temporary file was left behind")
	}
}

// TestParseMetric reads each metric of one asset, class, layer and unit from a result, and
// refuses names and ids the study does not have.
func TestParseMetric(t *testing.T) {
	st, err := newStudy(smallScenario, nil)
	if err != nil {
		t.Fatal(err)
	}
	iv := func(x float64) mc.Interval { return mc.Interval{Est: x, Lo: x - 1, Hi: x + 1} }
	r := &mc.Result{
		LeakRate: iv(0.5), DefenceCostUSD: iv(2e6), GunRounds: mc.Dist{Mean: iv(120)},
		Assets:  []mc.AssetResult{{ID: "hq", Hit: iv(0.25), ValueLost: iv(30)}, {ID: "depot", Hit: iv(0.75), ValueLost: iv(40)}},
		Classes: []mc.ClassResult{{Class: "shahed-136", LeakRate: iv(0.1), AnyLeak: iv(0.2)}, {Class: "kalibr-3m14", LeakRate: iv(0.3), AnyLeak: iv(0.4)}},
		Layers:  []mc.LayerResult{{Layer: "short", Kills: iv(7)}},
		Units:   []mc.UnitResult{{ID: "pantsir", Kills: iv(6)}},
	}
	cases := []struct {
		spec  string
		want  float64 // the estimate, in the plotted unit
		label string
		err   string
	}{
		{"leak_rate", 50, "leak rate", ""},
		{"defence_cost_usd", 2e6, "defence cost per replication ($)", ""},
		{"gun_rounds", 120, "gun rounds fired", ""},
		{"p_hit:depot", 75, "P(depot hit) (%)", ""},
		{"value_lost:hq", 30, "asset value lost at hq", ""},
		{"leak_rate:kalibr-3m14", 30, "leak rate of kalibr-3m14", ""},
		{"p_any_leak:shahed-136", 20, "P(at least one shahed-136 leaks)", ""},
		{"kills:short", 7, "kills by short", ""},
		{"kills:pantsir", 6, "kills by pantsir", ""},
		{"p_hit:nowhere", 0, "", `no "nowhere" here; expected one of hq, depot`},
		{"leak_rate:iskander-m", 0, "", `expected one of shahed-136, kalibr-3m14`},
		{"kills:s400", 0, "", "expected one of long, medium, short, pantsir"},
		{"exchange_ratio:hq", 0, "", `"exchange_ratio" takes no id`},
		{"leak", 0, "", "expected one of leak_rate"},
	}
	for _, c := range cases {
		m, err := parseMetric(c.spec, st)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want one containing %q", c.spec, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.spec, err)
			continue
		}
		if got := m.scale * m.get(r).Est; got != c.want || !strings.Contains(m.label, c.label) {
			t.Errorf("%s: %g with label %q, want %g and %q", c.spec, got, m.label, c.want, c.label)
		}
	}
	// A class the result does not have (no raid of that point flies it) is no value, not 0.
	m, err := parseMetric("leak_rate:kalibr-3m14", st)
	if err != nil {
		t.Fatal(err)
	}
	if v := m.get(&mc.Result{}).Est; !math.IsNaN(v) {
		t.Errorf("a missing class gave %g, want NaN", v)
	}
}

// TestSensitivityCommand ranks two written factors and the assumptions of one weapon, writes
// its files, and refuses bad input with exit code 2.
func TestSensitivityCommand(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI(t, "sensitivity", smallScenario, "-n", "10", "--no-progress", "--out", dir,
		"--set", "description=a,b", "--set", "catalog.systems[pantsir-s1].weapons[57e6].pk0.drone=0.05,0.95")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(out, "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "FACTOR") || !strings.HasPrefix(lines[1], "catalog.systems[pantsir-s1].weapons[57e6].pk0.drone") ||
		!strings.HasPrefix(lines[2], "description") {
		t.Errorf("the factors are not ranked by swing:\n%s", out)
	}
	for _, f := range []string{"sensitivity.csv", "sensitivity.json", "tornado.png", "tornado.svg"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	// A written factor's BASE is the scenario's value (the embedded catalog's 0.75 here); the
	// small scenario has no description, so that one has none.
	if f := strings.Fields(lines[1]); len(f) < 4 || f[1] != "0.75" || strings.Fields(lines[2])[1] != "-" {
		t.Errorf("BASE of the written factors:\n%s", out)
	}
	if !strings.Contains(lines[1], "]**") || !strings.Contains(out, "** also q < 0.05") {
		t.Errorf("the strong effect of pk0 0.05 is not marked significant after the false discovery rate control:\n%s", out)
	}
	csv := strings.Split(strings.TrimSpace(string(readFile(t, filepath.Join(dir, "sensitivity.csv")))), "\n")
	if len(csv) != 3 || !strings.HasPrefix(csv[0], "path,base,low,high,effect_low,") || !strings.HasPrefix(csv[2], "description,,a,b,0,-41.62991997943338,41.62991997943338,1,") ||
		!strings.HasPrefix(csv[1], "catalog.systems[pantsir-s1].weapons[57e6].pk0.drone,0.75,0.05,0.95,") {
		t.Errorf("sensitivity.csv:\n%s", strings.Join(csv, "\n"))
	}
	// The same study again takes both factors from sensitivity.json and prints the same table;
	// with another --metric it only ranks them again.
	args := []string{"sensitivity", smallScenario, "-n", "10", "--no-progress", "--out", dir,
		"--set", "description=a,b", "--set", "catalog.systems[pantsir-s1].weapons[57e6].pk0.drone=0.05,0.95"}
	code, again, errs := runCLI(t, args...)
	if code != exitOK || again != out || !strings.Contains(errs, "2 of 2 factors taken from") {
		t.Errorf("run again: exit %d, same table %v: %s", code, again == out, errs)
	}
	code, again, errs = runCLI(t, append(args, "--metric", "interceptors_fired")...)
	if code != exitOK || !strings.Contains(errs, "2 of 2 factors taken from") || !strings.Contains(again, "metric: interceptors fired") {
		t.Errorf("another metric: exit %d: %s\n%s", code, errs, again)
	}
	if f, err := mc.ReadSensitivityFile(dir); err != nil || !f.Complete || len(f.Factors) != 2 || f.Factors[1].Low == nil || f.Factors[1].Factor.Low != "0.05" {
		t.Errorf("sensitivity.json: %v", err)
	}
	code, out, errs = runCLI(t, "sensitivity", smallScenario, "-n", "4", "--no-progress", "--assumptions", "--match", "weapons[57e6].pk0",
		"--factor", "0.2", "--metric", "interceptors_fired")
	drone := ""
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) > 3 && strings.HasSuffix(f[0], "pk0.drone") {
			drone = strings.Join(f[1:4], " ")
		}
	}
	if code != exitOK || strings.Count(out, "pk0.") != 4 || drone != "0.75 0.6 0.9" {
		t.Errorf("--assumptions --match: exit %d, pk0.drone %q\n%s%s", code, drone, out, errs)
	}
	// One asset's value lost ranks the factors.
	code, out, errs = runCLI(t, append(args, "--metric", "value_lost:hq")...)
	if code != exitOK || !strings.Contains(out, "metric: value lost at hq per replication") {
		t.Errorf("--metric value_lost:hq: exit %d: %s\n%s", code, errs, out)
	}
	// A field fixed for the whole study: the baseline is the scenario with it.
	fixedDir := filepath.Join(dir, "fixed")
	code, out, errs = runCLI(t, "sensitivity", smallScenario, "-n", "4", "--no-progress", "--assumptions", "--match", "pk0.drone",
		"--set", "raids[drones].count=4", "--out", fixedDir)
	if code != exitOK || !strings.Contains(out, "pk0.drone") {
		t.Fatalf("--assumptions with a fixed field: exit %d\n%s%s", code, out, errs)
	}
	st, err := newStudy(smallScenario, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st, err = st.With("raids[drones].count", "4"); err != nil {
		t.Fatal(err)
	}
	if f, err := mc.ReadSensitivityFile(fixedDir); err != nil || f.Baseline != st.Fingerprint() {
		t.Errorf("the baseline is not the scenario with the fixed field (%v)", err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no factors", []string{"sensitivity", smallScenario}, "--set PATH=LOW,HIGH or --assumptions"},
		{"both", []string{"sensitivity", smallScenario, "--assumptions", "--set", "c2.salvo=1,2"}, "one of the two"},
		{"only a fixed field", []string{"sensitivity", smallScenario, "--set", "c2.salvo=2"}, "--set PATH=LOW,HIGH or --assumptions"},
		{"three values", []string{"sensitivity", smallScenario, "--set", "c2.salvo=1,2,3"}, "expected one value (fixed) or two, LOW,HIGH (a factor), found 3"},
		{"a factor fixed too", []string{"sensitivity", smallScenario, "--set", "c2.salvo=1,3", "--set", "c2.salvo=2"}, "--set c2.salvo=1,3 and --set c2.salvo=2 both set c2.salvo: give each field once"},
		{"a fixed value refused", []string{"sensitivity", smallScenario, "--assumptions", "--set", "raids[0].count=-2"}, "raids[0].count=-2 makes the scenario invalid"},
		{"invalid value", []string{"sensitivity", smallScenario, "--set", "raids[0].count=-4,2"}, "raids[0].count=-4 makes the scenario invalid"},
		{"no such metric", []string{"sensitivity", smallScenario, "--assumptions", "--metric", "fun"}, `--metric "fun": expected one of value_lost`},
		{"no such asset", []string{"sensitivity", smallScenario, "--assumptions", "--metric", "p_hit:nowhere"}, `no "nowhere" here; expected one of hq, depot`},
		{"factor of 1", []string{"sensitivity", smallScenario, "--assumptions", "--factor", "1"}, "expected a fraction in (0, 1)"},
		{"nothing matched", []string{"sensitivity", smallScenario, "--assumptions", "--match", "nothing-like-it"}, `--match "nothing-like-it": no factor`},
		{"top 0", []string{"sensitivity", smallScenario, "--assumptions", "--top", "0"}, "--top 0"},
	}
	for _, c := range cases {
		code, _, errs := runCLI(t, c.args...)
		if code != exitBadInput || !strings.Contains(errs, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", c.name, code, errs, exitBadInput, c.want)
		}
	}
}

// TestSweepHeatmap: a grid of two numeric fields also gets a heat map whose cells carry the
// points' values, in one format; a grid over a field of words does not.
func TestSweepHeatmap(t *testing.T) {
	dir := t.TempDir()
	num, words := filepath.Join(dir, "num"), filepath.Join(dir, "words")
	code, _, errs := runCLI(t, "sweep", smallScenario, "--set", "raids[drones].count=2,6", "--set", "fire_units[pantsir].magazine.57e6=2,8",
		"-n", "4", "--picture", "perfect", "--metric", "value_lost", "--no-progress", "-q", "--out", num)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	svg := string(readFile(t, filepath.Join(num, "sweep-heatmap.svg")))
	var sw mc.SweepFile
	if f, err := mc.ReadSweepFile(num); err != nil || len(f.Points) != 4 {
		t.Fatalf("sweep.json: %v", err)
	} else {
		sw = *f
	}
	// Every cell's value, all written with one number of decimals (report.PlotHeatmap's
	// format; TestHeatFormat has how many).
	written := -1
	for d := 0; d <= 6 && written < 0; d++ {
		all := true
		for _, p := range sw.Points {
			all = all && strings.Contains(svg, fmt.Sprintf(">%.*f<", d, p.Result.ValueLost.Est))
		}
		if all {
			written = d
		}
	}
	if written < 0 {
		for _, p := range sw.Points {
			t.Logf("%v: value lost %g", p.Set, p.Result.ValueLost.Est)
		}
		t.Error("the heat map lacks a value, or writes them with different decimals")
	}
	// A metric in dollars is written as money, not 9.6e+06.
	money := filepath.Join(dir, "money")
	code, _, errs = runCLI(t, "sweep", smallScenario, "--set", "raids[drones].count=2,6", "--set", "fire_units[pantsir].magazine.57e6=2,8",
		"-n", "2", "--picture", "perfect", "--metric", "defence_cost_usd", "--no-progress", "-q", "--out", money)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if svg := string(readFile(t, filepath.Join(money, "sweep-heatmap.svg"))); !strings.Contains(svg, ">$") || strings.Contains(svg, "e+0") {
		t.Error("the heat map of defence_cost_usd does not write dollars as money")
	}
	code, _, errs = runCLI(t, "sweep", smallScenario, "--set", "raids[drones].count=2,6", "--set", "c2.doctrine=shoot-look-shoot,salvo",
		"-n", "2", "--picture", "perfect", "--no-progress", "-q", "--out", words)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(words, "sweep-heatmap.png")); err == nil {
		t.Error("a heat map over a field of words")
	}
	// The curves' plot of a grid puts the scenario and replications on a line of their own
	// (one long line was cut off at both ends).
	if svg := string(readFile(t, filepath.Join(words, "sweep.svg"))); !strings.Contains(svg, ">small, 2 replications per point, perfect air picture<") {
		t.Error("sweep.svg of a grid: the title's second line is not a line of its own")
	}
	if _, err := os.Stat(filepath.Join(num, "sweep-steps.png")); err == nil {
		t.Error("a grid has a steps plot: its points are not on one line")
	}
}

// TestSweepStepsPlot: along one line of points, the steps plot gets each point's step from
// the point before in the table's units (points of per cent for a rate), with its
// significance; points without a step (the first, one saved by an earlier run) or off the
// number line have none; a sweep without steps draws none. From the command, one field
// swept with --out writes sweep-steps.png and .svg, and a run into the same directory that
// draws no steps removes them.
func TestSweepStepsPlot(t *testing.T) {
	pm, err := parsePairedMetric("p_any_leak", nil)
	if err != nil {
		t.Fatal(err)
	}
	point := func(x float64, step *mc.Comparison) mc.SweepPoint {
		return mc.SweepPoint{X: []float64{x}, Result: &mc.Result{}, Step: step}
	}
	up := &mc.Comparison{AnyLeak: mc.PairedResult{Diff: mc.Interval{Est: 0.21, Lo: 0.1683, Hi: 0.2553}, P: 1e-17, Test: "McNemar"}}
	flat := &mc.Comparison{AnyLeak: mc.PairedResult{Diff: mc.Interval{Est: -0.01, Lo: -0.03, Hi: 0.01}, P: 0.32, Test: "McNemar"}}
	points := []mc.SweepPoint{point(10, nil), point(40, up), point(70, flat), point(100, nil), point(math.NaN(), up)}
	sw := sweepSpec{axes: []mc.Axis{{Path: "raids[0].count"}}, step: &pm, stepName: "p_any_leak"}
	got := sweepSteps(points, sw)
	want := []report.Step{{X: 40, Est: 21, Lo: 16.83, Hi: 25.53, Significant: true}, {X: 70, Est: -1, Lo: -3, Hi: 1}}
	if len(got) != len(want) {
		t.Fatalf("steps %+v, want %+v", got, want)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.X != w.X || g.Significant != w.Significant || math.Abs(g.Est-w.Est) > 1e-9 || math.Abs(g.Lo-w.Lo) > 1e-9 || math.Abs(g.Hi-w.Hi) > 1e-9 {
			t.Errorf("step %d: %+v, want %+v", i, g, w)
		}
	}
	if s := sweepSteps(points, sweepSpec{axes: sw.axes}); s != nil {
		t.Errorf("a sweep without steps has steps to draw: %+v", s)
	}

	out := filepath.Join(t.TempDir(), "out")
	code, _, errs := runCLI(t, "sweep", smallScenario, "--set", "raids[drones].count=2,6,10", "-n", "4", "--picture", "perfect",
		"--metric", "value_lost", "--no-progress", "-q", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	svg := string(readFile(t, filepath.Join(out, "sweep-steps.svg")))
	if !strings.Contains(svg, "step of asset value lost per replication from the point before") {
		t.Errorf("the steps plot's title is not in its SVG")
	}
	if _, err := os.Stat(filepath.Join(out, "sweep-steps.png")); err != nil {
		t.Error(err)
	}
	// The same directory again, for a metric without steps and with a value fewer: the steps
	// plot of the run before is removed rather than left as if it were this run's, and stderr
	// says which saved point the new file leaves out.
	code, _, errs = runCLI(t, "sweep", smallScenario, "--set", "raids[drones].count=2,10", "-n", "4", "--picture", "perfect",
		"--metric", "exchange_ratio", "--no-progress", "-q", "--out", out)
	if code != exitOK || !strings.Contains(errs, "1 saved point is not in this sweep (raids[0].count=6)") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, f := range []string{"sweep-steps.png", "sweep-steps.svg"} {
		if _, err := os.Stat(filepath.Join(out, f)); !os.IsNotExist(err) {
			t.Errorf("%s of the run before is still there (%v)", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "sweep.png")); err != nil {
		t.Error(err)
	}
}

// A sweep or sensitivity study refused for a bad value stops before it runs, with exit code
// 2, and leaves no output directory behind.
func TestRefusedStudyLeavesNothing(t *testing.T) {
	for _, cmd := range []string{"sweep", "sensitivity"} {
		out := filepath.Join(t.TempDir(), "out")
		code, _, errs := runCLI(t, cmd, smallScenario, "--set", "raids[0].count=-1,4", "-n", "2", "--no-progress", "--out", out)
		if code != exitBadInput || !strings.Contains(errs, "raids[0].count=-1 makes the scenario invalid") {
			t.Errorf("%s: exit %d: %s", cmd, code, errs)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s: the output directory was made (%v)", cmd, err)
		}
	}
}

// TestSweepTableIntervals: the sweep table writes intervals as adsim mc's summary does — an
// interval clipped at a bound (value lost cannot go below 0) as [lo, hi], never as a "±"
// that would put its lower end below the bound.
func TestSweepTableIntervals(t *testing.T) {
	r := &mc.Result{
		LeakRate:      mc.Interval{Est: 0, Lo: 0, Hi: 0.658},
		AnyLeak:       mc.Interval{Est: 0.25, Lo: 0.1, Hi: 0.5},
		ValueLost:     mc.Interval{Est: 0, Lo: 0, Hi: 361.7},
		ExchangeRatio: mc.Interval{Est: 0.68, Lo: 0.42, Hi: 0.94},
	}
	r.Interceptors.Mean = mc.Interval{Est: 55.5, Lo: 36.4, Hi: 74.6}
	sw := sweepSpec{axes: []mc.Axis{{Path: "raids[0].count", Values: []string{"10"}}}}
	var b bytes.Buffer
	if err := writeSweepTable(&b, sw, []mc.SweepPoint{{Set: []mc.Setting{{Path: "raids[0].count", Value: "10"}}, Result: r}}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"0.0 % [0.0, 65.8]", "25.0 % [10.0, 50.0]", "0.0 [0.0, 361.7]", "55.5 ± 19.1", "0.68 ± 0.26"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}

// TestSweepTableNamesPerfectPicture: a sweep whose every point ran in the perfect air picture,
// or in the same mixed one, says so under its table, as adsim mc's summary does; a sweep over
// the picture itself shows it as its axis and says nothing more.
func TestSweepTableNamesPerfectPicture(t *testing.T) {
	point := func(v, picture string, perfect ...string) mc.SweepPoint {
		return mc.SweepPoint{Set: []mc.Setting{{Path: "c2.picture", Value: v}}, Result: &mc.Result{Picture: picture, PerfectCategories: perfect}}
	}
	sw := sweepSpec{axes: []mc.Axis{{Path: "raids[0].count"}}}
	for _, c := range []struct {
		points []mc.SweepPoint
		want   string // the footer's air picture, "" for none
	}{
		{[]mc.SweepPoint{point("10", "perfect"), point("20", "perfect")}, "perfect"},
		{[]mc.SweepPoint{point("10", "tracked"), point("20", "tracked")}, ""},
		{[]mc.SweepPoint{point("tracked", "tracked"), point("perfect", "perfect")}, ""},
		{[]mc.SweepPoint{point("10", "tracked", "drone"), point("20", "tracked", "drone")}, "tracked, perfect for drone"},
		{[]mc.SweepPoint{point("[]", "tracked"), point("[drone]", "tracked", "drone")}, ""},
	} {
		var b bytes.Buffer
		if err := writeSweepTable(&b, sw, c.points); err != nil {
			t.Fatal(err)
		}
		got := ""
		if _, after, ok := strings.Cut(b.String(), "; air picture: "); ok {
			got, _, _ = strings.Cut(after, "\n")
		}
		if got != c.want {
			t.Errorf("pictures %s %v, %s %v: footer names the picture %q, want %q:\n%s",
				c.points[0].Result.Picture, c.points[0].Result.PerfectCategories, c.points[1].Result.Picture,
				c.points[1].Result.PerfectCategories, got, c.want, b.String())
		}
	}
}

// TestSweepTableSteps: with a paired metric, the table gives each point after the first its
// step from the point before — the paired difference with its interval, in points of per cent
// for a rate, "*" when significant, "-" where there is none — and says what the column is.
func TestSweepTableSteps(t *testing.T) {
	pm, err := parsePairedMetric("p_any_leak", nil) // a metric of the whole defence: no study needed
	if err != nil {
		t.Fatal(err)
	}
	point := func(v string, step *mc.Comparison) mc.SweepPoint {
		return mc.SweepPoint{Set: []mc.Setting{{Path: "raids[0].count", Value: v}}, Result: &mc.Result{}, Step: step}
	}
	up := &mc.Comparison{AnyLeak: mc.PairedResult{Diff: mc.Interval{Est: 0.21, Lo: 0.1683, Hi: 0.2553}, P: 1e-17, Test: "McNemar"}}
	flat := &mc.Comparison{AnyLeak: mc.PairedResult{Diff: mc.Interval{Est: -0.01, Lo: -0.03, Hi: 0.01}, P: 0.32, Test: "McNemar"}}
	sw := sweepSpec{axes: []mc.Axis{{Path: "raids[0].count"}}, step: &pm, stepName: "p_any_leak"}
	var b bytes.Buffer
	if err := writeSweepTable(&b, sw, []mc.SweepPoint{point("10", nil), point("40", up), point("70", flat), point("100", nil)}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	for i, want := range []string{"STEP p_any_leak", "", "+21.0 [16.8, 25.5] *", "-1.0 ± 2.0", "-"} {
		if !strings.HasSuffix(strings.TrimRight(lines[i], " "), want) || (i == 1 && strings.Contains(lines[i], "-")) {
			t.Errorf("line %d %q: want it to end with %q", i, lines[i], want)
		}
	}
	if !strings.Contains(b.String(), "STEP p_any_leak: P(at least one leaker) (points of %), each value minus the one before") {
		t.Errorf("no line says what the step is:\n%s", b.String())
	}
}

// TestRunEndedSaysHowToGoOn: a sweep or sensitivity study interrupted with some units
// complete says where they are saved and that the same command goes on, or, without --out,
// that they are not saved; one interrupted before any unit completed, or failed, is an error.
func TestRunEndedSaysHowToGoOn(t *testing.T) {
	in := fmt.Errorf("point x: %w", &mc.Interrupted{Done: 3, Err: context.Canceled})
	for _, c := range []struct {
		name, file string
		done       int
		err        error
		want       string
		fatal      bool
	}{
		{"saved", "out/sweep.json", 2, in, "the first 2 of 5 points are complete and saved in out/sweep.json: run the same command again to run the other 3", false},
		{"not saved", "", 2, in, "the first 2 of 5 points are complete and printed, not saved (no --out)", false},
		{"nothing complete", "out/sweep.json", 0, in, "", true},
		{"failed", "out/sweep.json", 2, errors.New("disk full"), "", true},
	} {
		var b bytes.Buffer
		got, fatal := runEnded(&b, "sweep x", "points", c.file, 0, c.done, 5, c.err)
		if (fatal != nil) != c.fatal || (!c.fatal && got == nil) || !strings.Contains(b.String(), c.want) {
			t.Errorf("%s: interrupted %v, fatal %v, stderr %q; want %q", c.name, got, fatal, b.String(), c.want)
		}
	}
}

// TestSweepMetricColumn: a --metric the table has no column for (one asset, a unit's kills,
// leakers) gets one in the table, named by the metric and said in a line under it, and in
// sweep.csv (in its own units: a fraction for a probability) once, holding the values
// sweep.json saved; the metrics the table always shows get no second column.
func TestSweepMetricColumn(t *testing.T) {
	for _, c := range []struct {
		metric, header string
		get            func(*mc.Result) mc.Interval
	}{
		{"p_hit:hq", "P_HIT:HQ", func(r *mc.Result) mc.Interval { return r.Assets[0].Hit }},
		{"kills:pantsir", "KILLS:PANTSIR", func(r *mc.Result) mc.Interval { return r.Units[0].Kills }},
		{"leakers", "LEAKERS", func(r *mc.Result) mc.Interval { return r.Leakers }},
		{"value_lost", "", nil},
	} {
		out := filepath.Join(t.TempDir(), "out")
		code, table, errs := runCLI(t, "sweep", smallScenario, "--set", "raids[drones].count=2,8", "-n", "6", "--picture", "perfect",
			"--metric", c.metric, "--no-progress", "--out", out)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", c.metric, code, errs)
		}
		head := strings.Fields(strings.SplitN(table, "\n", 2)[0])
		if c.header == "" {
			if n := strings.Count(table, "VALUE LOST"); n != 1 {
				t.Errorf("%s: %d VALUE LOST columns, want 1", c.metric, n)
			}
			continue
		}
		if head[len(head)-3] != c.header && head[len(head)-1] != c.header {
			t.Errorf("%s: header %q lacks %s before the step", c.metric, head, c.header)
		}
		if !strings.Contains(table, c.header+": ") {
			t.Errorf("%s: no line says what %s is:\n%s", c.metric, c.header, table)
		}
		f, err := mc.ReadSweepFile(out)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(readFile(t, filepath.Join(out, "sweep.csv")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col, n := slices.Index(rows[0], c.metric), 0
		for _, h := range rows[0] {
			if h == c.metric {
				n++
			}
		}
		if col < 0 || n != 1 {
			t.Fatalf("%s: sweep.csv has %d columns %q, want 1: %q", c.metric, n, c.metric, rows[0])
		}
		for i, p := range f.Points {
			if got, want := rows[i+1][col], strconv.FormatFloat(c.get(p.Result).Est, 'g', -1, 64); got != want {
				t.Errorf("%s point %d: sweep.csv %s, sweep.json %s", c.metric, i, got, want)
			}
		}
	}
}

// TestSweepProgressOnResume: the plain progress lines of a resumed sweep say once how many
// replications were taken from saved points, and count the saved point's replications run
// again to pair the next point with as work: in the total, in what is done, in the rate.
func TestSweepProgressOnResume(t *testing.T) {
	dir := t.TempDir()
	sweep := func(values string, progress bool) string {
		t.Helper()
		args := []string{"sweep", smallScenario, "--set", "raids[0].count=" + values, "-n", "8", "-q", "--out", dir}
		if !progress {
			args = append(args, "--no-progress")
		}
		code, _, errs := runCLI(t, args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		return errs
	}
	sweep("2,4", false)
	errs := sweep("2,4,6", true)
	// 3 points of 8, and point 4's 8 again to pair 6 with: 32; 16 of them saved.
	for _, c := range []struct {
		want  string
		times int
	}{
		{"sweep raids[0].count: 16 of 32 replications taken from saved points, not run again\n", 1},
		{"sweep raids[0].count: 32/32 replications (100 %), ", 1},
		{"saved by an earlier run\n", 1}, // runEnded's line of points, not a progress line
		{"/24 replications", 0},
	} {
		if n := strings.Count(errs, c.want); n != c.times {
			t.Errorf("%q %d times, want %d, in:\n%s", c.want, n, c.times, errs)
		}
	}
	var b bytes.Buffer
	p := newProgress(&b, "x", 30, false)
	p.skip(10)
	p.skip(10)
	p.grow(10)
	p.update(40)
	p.finish()
	if got := b.String(); !strings.HasPrefix(got, "x: 20 of 40 replications taken from saved points, not run again\nx: 40/40 replications (100 %), ") {
		t.Errorf("progress lines:\n%s", got)
	}
}

// TestSweepNumberWords: decimals from the interval (a significant step is never -0.0 ± 0.0),
// money as adsim writes it, the replications run under --until-ci against -n, and the order
// of a sweep that does not ascend.
func TestSweepNumberWords(t *testing.T) {
	for _, c := range []struct {
		h    float64
		want int
	}{{0.038, 3}, {2.9, 1}, {0.5, 2}, {780, 0}, {0, 2}, {math.Inf(1), 2}, {math.NaN(), 2}, {1e-12, 6}} {
		if got := mc.Decimals(c.h, 2); got != c.want {
			t.Errorf("Decimals(%g) = %d, want %d", c.h, got, c.want)
		}
	}
	for _, c := range []struct {
		iv   mc.Interval
		want string
	}{
		{mc.Interval{Est: 9.8e6, Lo: 9.8e6 - 781454.43, Hi: 9.8e6 + 781454.43}, "$9.80M ± 0.78M"},
		{mc.Interval{Est: 545e3, Lo: 500e3, Hi: 590e3}, "$545k ± 45k"},
		{mc.Interval{Est: -545e3, Lo: -590e3, Hi: -500e3}, "-$545k ± 45k"},
		{mc.Interval{Est: 900, Lo: 0, Hi: 2000}, "$900 [0, 2000]"},
		{mc.Interval{Est: 0, Lo: -32447384, Hi: 32515057}, "$0M [-32M, 33M]"},
		{mc.Interval{Est: 0, Lo: 0, Hi: 0}, "$0.00 ± 0.00"},
		{mc.Interval{Est: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}, "-"},
	} {
		if got := moneyInterval(c.iv); got != c.want {
			t.Errorf("moneyInterval(%v) = %q, want %q", c.iv, got, c.want)
		}
	}
	lr := mc.Interval{Est: -0.00039, Lo: -0.00077, Hi: -0.00001}
	step := &pairedMetric{scale: 100, get: func(*mc.Comparison) mc.PairedResult { return mc.PairedResult{Diff: lr, P: 0.044} }}
	if got := stepCell(step, false, &mc.Comparison{}); got != "-0.039 ± 0.038 *" {
		t.Errorf("a significant step of -0.039 points: %q", got)
	}
	pts := func(reps ...int64) []mc.SweepPoint {
		var out []mc.SweepPoint
		for _, r := range reps {
			out = append(out, mc.SweepPoint{Result: &mc.Result{Replications: r}})
		}
		return out
	}
	for _, c := range []struct {
		p    []mc.SweepPoint
		want string
	}{
		{pts(20, 40, 20), "20–40 of at most 120 replications"},
		{pts(40, 40), "40 of at most 120 replications"},
		{nil, "at most 120 replications"},
	} {
		if got := repsRun(c.p, 120); got != c.want {
			t.Errorf("repsRun = %q, want %q", got, c.want)
		}
	}
	for _, c := range []struct {
		values []string
		want   string
	}{
		{[]string{"4", "8", "12"}, ""},
		{[]string{"12", "8", "4"}, "swept from 12 down to 4"},
		{[]string{"4", "12", "8"}, "in the order given: 4, 12, 8"},
		{[]string{"salvo", "shoot-look-shoot"}, "in the order given: salvo, shoot-look-shoot"},
	} {
		if got := sweptOrder(mc.Axis{Path: "x", Values: c.values}); got != c.want {
			t.Errorf("sweptOrder(%v) = %q, want %q", c.values, got, c.want)
		}
	}
}

// FuzzParseMetric: any --metric of sweep or sensitivity is a metric with a label, which reads
// an empty result without a panic, or an error that names --metric.
func FuzzParseMetric(f *testing.F) {
	st, err := newStudy(smallScenario, nil)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"leak_rate", "p_hit:depot", "kills:short", "kills:pantsir", "leak_rate:kalibr-3m14", "value_lost:", ":", "p_hit:depot:x", "exchange_ratio:hq"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		m, err := parseMetric(spec, st)
		checkFuzzedMetric(t, "metric", spec, err, m.label, m.scale, func() { m.get(&mc.Result{}) })
		pm, err := parsePairedMetric(spec, st)
		checkFuzzedMetric(t, "paired metric", spec, err, pm.label, pm.scale, func() { pm.get(&mc.Comparison{}) })
	})
}

// checkFuzzedMetric: a --metric that did not parse names --metric; one that did has a label
// and a scale, and read reads an empty result with it without a panic.
func checkFuzzedMetric(t *testing.T, what, spec string, err error, label string, scale float64, read func()) {
	t.Helper()
	switch {
	case err != nil:
		if !strings.Contains(err.Error(), "--metric") {
			t.Fatalf("%q: error %v does not name --metric", spec, err)
		}
	case label == "" || scale == 0:
		t.Fatalf("%q: %s with label %q, scale %v", spec, what, label, scale)
	default:
		read()
	}
}
