package mc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/adsim/adsim/scenario"
	"github.com/adsim/adsim/sim"
)

// A directory's lock is exclusive, names the holder's pid, and is free again after Unlock;
// a file where a directory is expected is refused.
func TestLockDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	l, err := LockDir(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	_, err = LockDir(dir, true)
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) {
		t.Errorf("second lock: %v", err)
	}
	l.Unlock()
	l.Unlock() // a second call does nothing
	l2, err := LockDir(dir, false)
	if err != nil {
		t.Errorf("lock after unlock: %v", err)
	}
	l2.Unlock()
	if _, err := LockDir(filepath.Join(dir, "missing"), false); err == nil {
		t.Error("locked a directory that does not exist without creating it")
	}
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{file, filepath.Join(file, "sub")} {
		if _, err := LockDir(d, true); err == nil || !strings.Contains(err.Error(), "is a file; expected a directory") {
			t.Errorf("LockDir(%s): %v", d, err)
		}
	}
}

// A broken or edited manifest is an error with its file, line and column and what was
// expected, never a bare decoding error.
func TestReadManifestErrors(t *testing.T) {
	st := loadSmall(t)
	good := writeRun(t, st, 2)
	data, err := os.ReadFile(filepath.Join(good, ManifestJSON))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	cases := []struct{ name, data, want string }{
		{"total a string", strings.Replace(text, `"total": 2`, `"total": "2"`, 1), `manifest.json:6:12: total: found a string; expected a whole number of at least 0`},
		{"cut short", text[:40], `manifest.json:3:`},
		{"empty", "", "manifest.json:1:1: the file is empty; expected a JSON object"},
		{"not JSON", "{\n  \"format\": x\n}", "manifest.json:2:13: invalid character 'x'"},
		{"done beyond the range", strings.Replace(text, `"done": 2`, `"done": 25`, 1), `manifest.json:11:3: the manifest is inconsistent: done 25, but the directory is planned for 2 replications [0, 2)`},
		{"another format", strings.Replace(text, ManifestFormat, "adsim-mc/9", 1), `manifest.json:2:3: the manifest is inconsistent: format "adsim-mc/9"; expected "adsim-mc/1"`},
		{"stopped without a rule", strings.Replace(text, `"done": 2,`, `"done": 2, "stopped": "interval reached",`, 1), "stopped \"interval reached\" after 2 replications, but that is not a check"},
		{"trailing data", text + "{}", "found more after the manifest's object"},
		// The position is that of what follows, not one past it.
		{"trailing data on a line", text + "\n{}", fmt.Sprintf("manifest.json:%d:1: found more after the manifest's object; expected the end of the file", strings.Count(text, "\n")+2)},
		{"trailing data after spaces", text + "  x", fmt.Sprintf("manifest.json:%d:3: found more", strings.Count(text, "\n")+1)},
		{"misspelt key", strings.Replace(text, `"done": 2,`, `"done": 2, "untilci": 0.1,`, 1), `manifest.json:11:14: found the key "untilci", which an adsim mc manifest does not have (misspelt?); expected only format, scenario,`},
		{"unknown key of the engine", strings.Replace(text, `"platform":`, `"arch": 1, "platform":`, 1), `found the key "arch"`},
	}
	// Not a directory at all: a file (a scenario given by mistake), or nothing there.
	file := filepath.Join(good, ScenarioYAML)
	for path, want := range map[string]string{
		file:                           file + " is a file; expected an adsim mc output directory",
		filepath.Join(good, "nothing"): "is not an adsim mc output directory: there is no such directory",
	} {
		if _, err := ReadManifest(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one containing %q", path, err, want)
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, ManifestJSON), []byte(c.data), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadManifest(dir)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// Rows edited into impossible values are refused by merge (and resume: the same reader) with
// the file, line, column, what was found and what was expected.
func TestMergeRefusesImpossibleRows(t *testing.T) {
	st := loadSmall(t)
	ref := writeRun(t, st, 4)
	data, err := os.ReadFile(filepath.Join(ref, RowsCSV))
	if err != nil {
		t.Fatal(err)
	}
	names := st.Layout().Columns().Names()
	col := func(name string) int {
		for k, n := range names {
			if n == name {
				return k
			}
		}
		t.Fatalf("no column %s", name)
		return 0
	}
	// edit sets one field of the second row (line 3) and says at which byte column it starts.
	edit := func(name, value string) (string, int) {
		lines := strings.Split(string(data), "\n")
		f := strings.Split(lines[2], ",")
		k := col(name)
		at := len(strings.Join(f[:k], ",")) + 1
		if k > 0 {
			at++
		}
		f[k] = value
		lines[2] = strings.Join(f, ",")
		return strings.Join(lines, "\n"), at
	}
	cases := []struct{ name, value, want string }{
		{"leaked", "99", "leaked: found 99; expected at most launched"},
		{"launched", "-1", "launched: found -1; expected a count of at least 0"},
		{"value_lost", "-5.0", "value_lost: found -5; expected a finite number of at least 0"},
		{"value_lost", "NaN", "value_lost: found NaN; expected a finite number"},
		{"value_lost", "151.0", "value_lost: found 151; expected at most 150, the value of all the scenario's assets"},
		{"lost_depot", "60.0", "lost_depot: found 60; expected at most 50, the asset's value"},
		{"fired_pantsir_57e6", "5", "fired_pantsir_57e6: found 5; expected at most the magazine of 4"},
		{"kills_pantsir", "99", "kills_pantsir: found 99; expected at most launched"},
		{"rep", "7", "rep: found replication 7; expected 1"},
		{"seed", "8", "seed: found 8; expected the study's seed 7"},
	}
	for _, c := range cases {
		t.Run(c.name+"="+c.value, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "d")
			if err := os.CopyFS(dir, os.DirFS(ref)); err != nil {
				t.Fatal(err)
			}
			text, at := edit(c.name, c.value)
			if err := os.WriteFile(filepath.Join(dir, RowsCSV), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			want := filepath.Join(dir, RowsCSV) + ": line 3, column " + strconv.Itoa(at) + ": " + c.want
			if _, _, _, err := Merge(context.Background(), []string{dir}); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("merge: %v\nwant %q", err, want)
			}
			// The same rows as the saved part of an interrupted run: --resume refuses them too.
			m, _ := ReadManifest(dir)
			m.Total, m.Reps.End = 8, 8
			if err := writeJSON(nil, filepath.Join(dir, ManifestJSON), m); err != nil {
				t.Fatal(err)
			}
			if _, err := ResumeOutput(context.Background(), dir); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("resume: %v\nwant %q", err, want)
			}
		})
	}
}

// A directory whose rows.csv is gone (deleted to save space, or not copied with the rest) is
// refused by merge, --resume and replay with the missing file named and what adsim reads
// instead of it: nothing, since rows.parquet is not read back.
func TestMissingRowsCSV(t *testing.T) {
	st := loadSmall(t)
	dir := filepath.Join(t.TempDir(), "d")
	if err := os.CopyFS(dir, os.DirFS(writeRun(t, st, 4))); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, RowsCSV)); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, RowsCSV) + " is missing, and its manifest says 4 rows were saved there"
	check := func(what string, err error) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "restore rows.csv from a copy") {
			t.Errorf("%s: %v\nwant %q", what, err, want)
		}
	}
	_, _, _, err := Merge(context.Background(), []string{dir})
	check("merge", err)
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	sel, err := ParseSelection("all", st.Layout())
	if err != nil {
		t.Fatal(err)
	}
	_, err = Replay(context.Background(), dir, st, m, sel, ReplayOptions{}, func(*Replayed) error { return nil })
	check("replay", err)
	m.Total, m.Reps.End = 8, 8 // the rows of an interrupted run
	if err := writeJSON(nil, filepath.Join(dir, ManifestJSON), m); err != nil {
		t.Fatal(err)
	}
	_, err = ResumeOutput(context.Background(), dir)
	check("resume", err)
	if _, err := os.Stat(filepath.Join(dir, RowsParquet)); err != nil {
		t.Errorf("the refusal touched the directory: %v", err)
	}
}

// A resumption killed after a checkpoint leaves its working directory (DIR/.adsim-resume; an
// older adsim's DIR.resume) holding more rows than DIR: the next --resume takes them instead of
// throwing them away, and still ends with the files of one uninterrupted run.
func TestResumeTakesTheKilledResumptionsCheckpoint(t *testing.T) {
	for _, c := range []struct {
		name string
		work func(dir string) string
	}{
		{"inside", func(dir string) string { return filepath.Join(dir, ResumeDir) }},
		{"an older adsim's, beside", func(dir string) string { return dir + ".resume" }},
	} {
		t.Run(c.name, func(t *testing.T) { testResumeTakesCheckpoint(t, c.work) })
	}
}

func testResumeTakesCheckpoint(t *testing.T, workOf func(dir string) string) {
	st := loadSmall(t)
	const total = 12
	ref := writeRun(t, st, total)
	dir := killedResumption(t, st, total, workOf)
	res, err := ResumeOutput(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if res.Recovered != 7 || res.RecoveredFrom != workOf(dir) || res.Reps != (Range{7, total}) || res.Summary.N() != 7 {
		t.Fatalf("recovered %d, reps %v, summary of %d; want the 7 checkpointed rows", res.Recovered, res.Reps, res.Summary.N())
	}
	resumeToEnd(t, res)
	sameFiles(t, ref, dir, RowsCSV, RowsParquet, SummaryJSON, ManifestJSON)
	for _, work := range []string{filepath.Join(dir, ResumeDir), dir + ".resume"} {
		if _, err := os.Stat(work); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("working directory %s left: %v", work, err)
		}
	}
}

// killedResumption makes the directory of a run of total replications interrupted after 2,
// and a resumption of it, checkpointing every row, killed after replication 7 (no Finish, no
// Close), whose working directory is moved to workOf(dir) (DIR/.adsim-resume, or an older
// adsim's DIR.resume); it returns the directory.
func killedResumption(t *testing.T, st *Study, total uint64, workOf func(dir string) string) string {
	t.Helper()
	all := Range{0, total}
	dir, out := createIn(t, st, "run")
	sum, err := Run(context.Background(), st, Local{Workers: 1}, Options{Reps: Range{0, 2}}, out)
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Finish(sum, total, all, nil); err != nil { // interrupted after 2
		t.Fatal(err)
	}
	res, err := ResumeOutput(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	res.Out.checkpointEvery = 0
	if _, err := Run(context.Background(), res.Study, Local{Workers: 1}, Options{Reps: Range{2, 7}, Resume: res.Summary}, res.Out); err != nil {
		t.Fatal(err)
	}
	if m, err := ReadManifest(filepath.Join(dir, ResumeDir)); err != nil || m.Done != 7 {
		t.Fatalf("the killed resumption's checkpoint: %+v, %v", m, err)
	}
	for k := range res.Out.files { // what the kernel does to a killed process's files
		res.Out.files[k].Close()
	}
	if work := workOf(dir); work != filepath.Join(dir, ResumeDir) {
		if err := os.Rename(filepath.Join(dir, ResumeDir), work); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Interrupted before the first replication: no summary.json (no statistics to give, and
// none with NaN in it), a manifest of 0 done, and --resume goes on from there.
func TestFinishWithNoReplications(t *testing.T) {
	st := loadSmall(t)
	const total = 5
	all := Range{0, total}
	ref := writeRun(t, st, total)
	dir, out := createIn(t, st, "run")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sum, err := Run(ctx, st, Local{Workers: 1}, Options{Reps: all}, out)
	var in *Interrupted
	if !errors.As(err, &in) || in.Done != 0 {
		t.Fatalf("Run cancelled before it started: %v", err)
	}
	if err := out.Finish(sum, total, all, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, SummaryJSON)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("summary.json of no replications: %v", err)
	}
	if m, err := ReadManifest(dir); err != nil || m.Done != 0 {
		t.Fatalf("manifest: %+v, %v", m, err)
	}
	res, err := ResumeOutput(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	resumeToEnd(t, res)
	sameFiles(t, ref, dir, RowsCSV, SummaryJSON, ManifestJSON)
	// Even the result of no replications encodes: null where there is no number.
	b, err := json.Marshal(NewSummary(st).Result())
	if err != nil || !bytes.Contains(b, []byte(`"p5":null`)) {
		t.Errorf("result of no replications: %v, %.200s", err, b)
	}
}

// A run --until-ci stopped records its rule and the stop: it is complete, merge takes it
// whole, and its manifest says where the rule was met.
func TestUntilCIRecorded(t *testing.T) {
	st := loadSmall(t)
	dir, out := createIn(t, st, "run")
	opt := Options{Reps: Range{0, 40}, UntilCI: 0.9, CheckEvery: 4}
	out.SetPlan(40, opt.Reps, nil)
	out.SetUntilCI(opt.UntilCI, opt.CheckEvery)
	sum, err := Run(context.Background(), st, Local{Workers: 2}, opt, out)
	if err != nil || sum.N() != 4 {
		t.Fatalf("run: %v, %d replications", err, sum.N())
	}
	if err := out.Finish(sum, 40, opt.Reps, nil); err != nil {
		t.Fatal(err)
	}
	m, err := ReadManifest(dir)
	if err != nil || m.UntilCI != 0.9 || m.CheckEvery != 4 || m.Stopped != StoppedIntervalReached || m.Done != 4 || !m.Complete() {
		t.Fatalf("manifest %+v, %v", m, err)
	}
	msum, _, mm, err := Merge(context.Background(), []string{dir})
	if err != nil || msum.N() != 4 || mm.Done != 4 || mm.Stopped != StoppedIntervalReached {
		t.Fatalf("merge of the stopped run: %v, %+v", err, mm)
	}
	if _, _, _, err := Merge(context.Background(), []string{dir, dir}); err == nil || !strings.Contains(err.Error(), "stopped after 4 replications") {
		t.Errorf("merge of a stopped run with another: %v", err)
	}
}

// With one replication a proportion's interval stays in [0, 1] (the zero-leak bound at 0),
// a bounded mean's in its bounds; only a quantity with no upper bound keeps an unbounded
// end, which summary.json writes as null beside the estimate and reads back as +∞.
func TestOneReplication(t *testing.T) {
	z2 := Z95 * Z95
	ratio := func(prop bool, pairs ...[2]float64) Interval {
		r := Ratio{Proportion: prop}
		for _, p := range pairs {
			r.Add(p[0], p[1])
		}
		return r.CI()
	}
	bounded := func(x, lo, hi float64) Interval {
		var m Moments
		m.Add(x)
		return m.BoundedCI(lo, hi)
	}
	inf := math.Inf(1)
	cases := []struct {
		name   string
		iv     Interval
		lo, hi float64
	}{
		{"no leaker", ratio(true, [2]float64{38, 0}), 0, z2 / (1 + z2)},
		{"every threat leaked", ratio(true, [2]float64{38, 38}), 1 - z2/(1+z2), 1},
		{"some leaked", ratio(true, [2]float64{38, 5}), 0, 1},
		{"exchange ratio", ratio(false, [2]float64{10, 7}), 0, inf},
		{"no value lost", bounded(0, 0, 550), 0, 550 * z2 / (1 + z2)},
		{"some value lost", bounded(80, 0, 550), 0, 550},
		{"everything destroyed", bounded(30, 0, 30), 30 - 30*z2/(1+z2), 30},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !near(c.iv.Lo, c.lo, 1e-12) || !(c.iv.Hi == c.hi || near(c.iv.Hi, c.hi, 1e-12)) {
				t.Errorf("%+v, want [%g, %g]", c.iv, c.lo, c.hi)
			}
		})
	}
	b, err := json.Marshal(ratio(false, [2]float64{8, 6}))
	if err != nil || string(b) != `{"est":0.75,"lo":0,"hi":null}` {
		t.Errorf("one replication's exchange ratio: %s, %v", b, err)
	}
	var back Interval
	if err := json.Unmarshal(b, &back); err != nil || back.Est != 0.75 || back.Lo != 0 || !math.IsInf(back.Hi, 1) {
		t.Errorf("read back: %+v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"est":null,"lo":null,"hi":null}`), &back); err != nil || !math.IsNaN(back.Est) || !math.IsNaN(back.Hi) {
		t.Errorf("undefined read back: %+v, %v", back, err)
	}
}

// The layout's bounds of the cost and launch statistics, by hand from the small scenario and
// the embedded catalog: a Pantsir with 4 57E6 missiles at $100,000 and 300 2A38M rounds at
// $4,000 a 40-round burst; 10 drones at $35,000 and 2 cruise missiles at $1.5 million.
func TestLayoutBounds(t *testing.T) {
	l := loadSmall(t).Layout()
	if l.maxCost != 4*100_000+300*4_000/40 || l.maxThreatCost != 10*35_000+2*1_500_000 || l.maxLaunched != 12 {
		t.Errorf("max cost %g, max threat cost %g, max launched %g; want 430,000, 3,350,000 and 12", l.maxCost, l.maxThreatCost, l.maxLaunched)
	}
}

// A replication that empties every magazine spends the layout's bound, summed burst by burst
// where the bound is a product, and the sum can be the larger by the last bit: with 19 rounds
// a burst at $1,000 a burst and a magazine of 19, one burst spends 1000 and the bound is
// 19·(1000/19) = 999.9999999999999. The summary's cost interval must still hold its estimate
// (sweep.json's reader refuses a crossed one, and a sweep could not go on from its file).
func TestCostAtTheBoundOfEveryMagazine(t *testing.T) {
	st, err := loadSmall(t).WithSettings([]Setting{{"fire_units[0].magazine.57e6", "0"}, {"fire_units[0].magazine.2a38m", "19"},
		{"catalog.systems[pantsir-s1].weapons[2a38m].burst_rounds", "19"}, {"catalog.systems[pantsir-s1].weapons[2a38m].cost_usd", "1000"}})
	if err != nil {
		t.Fatal(err)
	}
	l := st.Layout()
	if !(l.maxCost < 1000) {
		t.Fatalf("max cost %v: the test needs the product rounded below the sum", l.maxCost)
	}
	sum := NewSummary(st)
	for rep := range uint64(3) {
		r, err := st.Replicate(rep)
		if err != nil {
			t.Fatal(err)
		}
		if r.Float[fDefenceCost] != 1000 {
			t.Fatalf("replication %d spent %v; the test needs the one burst of the magazine fired", rep, r.Float[fDefenceCost])
		}
		sum.Add(&r)
	}
	w := Wilson(0, 3, Z95).Hi
	if iv := sum.Result().DefenceCostUSD; iv.Est != 1000 || iv.Hi != 1000 || !near(iv.Lo, 1000*(1-w), 1e-6) {
		t.Errorf("defence cost %+v, want [%g, 1000]", iv, 1000*(1-w))
	}
}

// An aircraft raid's stand-off weapons are threats of a class no raid names: they get their
// columns after the aircraft's, and count in the bounds (2 fighters with 2 stand-off missiles
// each at $1 million, 3 drones at $35,000, beside the aircraft at $50 million). adsim mc
// refused such a scenario: "threat class "standoff-asm" is not in the scenario's raids".
func TestAircraftRaid(t *testing.T) {
	st := loadStudy(t, "testdata/aircraft.yaml")
	l := st.Layout()
	if !slices.Equal(l.Classes, []string{"fighter", "standoff-asm", "shahed-136"}) || l.maxLaunched != 9 ||
		l.maxThreatCost != 2*50e6+4*1e6+3*35_000 {
		t.Errorf("classes %q, max launched %g, max threat cost %g", l.Classes, l.maxLaunched, l.maxThreatCost)
	}
	var rows rowsSink
	sum, err := Run(context.Background(), st, Local{}, Options{Reps: Range{0, 3}}, &rows)
	if err != nil {
		t.Fatal(err)
	}
	c := l.classIx["standoff-asm"]
	if len(rows.rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows.rows))
	}
	for _, r := range rows.rows {
		if n := r.Int[l.classLaunched(c)]; n < 1 || n > 4 {
			t.Errorf("replication %d: %d stand-off missiles launched, want 1 to 4", r.Rep, n)
		}
		if r.Int[iLaunched] > 9 {
			t.Errorf("replication %d: %d threats launched, at most 9 can be", r.Rep, r.Int[iLaunched])
		}
	}
	res := sum.Result()
	if len(res.Classes) != 3 || res.Classes[1].Class != "standoff-asm" || !(res.Classes[1].Launched > 0) ||
		res.Classes[0].Category != scenario.CategoryAircraft || res.Classes[1].Category != scenario.CategoryCruiseMissile {
		t.Errorf("summary classes %+v", res.Classes)
	}
	// The fighters that flew home are leakers of no damage: the table marks the class and says
	// what its leakers are, or the leak rate and P(at least one leaker) would read as hits.
	var b strings.Builder
	if err := res.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	if !strings.Contains(text, "\nfighter (aircraft) ") || !strings.Contains(text, "\n(aircraft) fighter: an aircraft not shot down is a leaker") ||
		strings.Contains(text, "standoff-asm (aircraft)") {
		t.Errorf("the class table:\n%s", text)
	}
	var small strings.Builder
	if err := loadSmallResult(t).WriteText(&small); err != nil || strings.Contains(small.String(), "(aircraft)") {
		t.Errorf("a scenario without aircraft: %v\n%s", err, small.String())
	}
}

// loadSmallResult is the summary of 2 replications of the small scenario.
func loadSmallResult(t *testing.T) *Result {
	t.Helper()
	sum, err := Run(context.Background(), loadSmall(t), Local{}, Options{Reps: Range{End: 2}})
	if err != nil {
		t.Fatal(err)
	}
	return sum.Result()
}

// Every total of a row is the sum of its parts (the engine counts each kill, launch and shot
// once in every table): a row whose parts do not add up, edited or of another file, is refused
// on reading back, naming the total and the sum.
func TestRowTotalsAreSums(t *testing.T) {
	st := loadSmall(t)
	l := st.Layout()
	var rows rowsSink
	if _, err := Run(context.Background(), st, Local{}, Options{Reps: Range{0, 4}}, &rows); err != nil {
		t.Fatal(err)
	}
	// A replication with kills and a loss, so that every edit below stays within its bounds.
	var r Row
	for _, x := range rows.rows {
		if x.Int[iDestroyed] > 0 && x.Int[iLeaked] > 0 && x.Float[fValueLost] > 0 {
			r = x
		}
	}
	if r.Int == nil {
		t.Fatal("no replication with kills, leakers and losses")
	}
	if err := l.Validate(&r); err != nil {
		t.Fatalf("the row as the engine wrote it: %v", err)
	}
	short := iLayer + layerIndex(scenario.LayerShort)
	c := l.classIx["shahed-136"]
	for _, c := range []struct {
		name string
		edit func(in []int64, fl []float64)
		want string
	}{
		{"a leaker moved to flying", func(in []int64, _ []float64) { in[iLeaked]--; in[iFlying]++ },
			fmt.Sprintf("leaked: found %d; expected the sum of leaked_<class>, %d", r.Int[iLeaked]-1, r.Int[iLeaked])},
		{"a class launching one more", func(in []int64, _ []float64) { in[l.classLaunched(c)]++; in[l.classLeaked(c)]++ },
			fmt.Sprintf("launched: found %d; expected the sum of launched_<class>, %d", r.Int[iLaunched], r.Int[iLaunched]+1)},
		{"a kill of no layer", func(in []int64, _ []float64) { in[short]-- },
			fmt.Sprintf("destroyed: found %d; expected the sum of kills_<layer> (each kill is a layer's), %d", r.Int[iDestroyed], r.Int[iDestroyed]-1)},
		{"a missile of no layer", func(in []int64, _ []float64) { in[iInterceptors]++ },
			fmt.Sprintf("interceptors_fired: found %d; expected the sum of interceptors_<layer>, %d", r.Int[iInterceptors]+1, r.Int[iInterceptors])},
		{"a layer's kill of no unit", func(in []int64, _ []float64) { in[short]--; in[iLayer]++ },
			fmt.Sprintf("kills_long: found %d; expected the sum of the kills of the long-range units, %d", r.Int[iLayer]+1, r.Int[iLayer])},
		{"gun rounds of no gun", func(in []int64, _ []float64) { in[iGunRounds] += 40 },
			fmt.Sprintf("gun_rounds: found %d; expected the sum of the units' gun rounds, %d", r.Int[iGunRounds]+40, r.Int[iGunRounds])},
		{"more leakers nothing fired at than leakers", func(in []int64, _ []float64) { in[iLeakedNoShot] = in[iLeaked] + 1 },
			fmt.Sprintf("leaked_no_shot: found %d; expected at most leaked (%d)", r.Int[iLeaked]+1, r.Int[iLeaked])},
		{"more leakers untracked than leakers", func(in []int64, _ []float64) { in[iLeakedUntracked] = in[iLeaked] + 1 },
			fmt.Sprintf("leaked_untracked: found %d; expected at most leaked (%d)", r.Int[iLeaked]+1, r.Int[iLeaked])},
		{"a loss of no asset", func(_ []int64, fl []float64) { fl[fValueLost] -= 1 },
			fmt.Sprintf("value_lost: found %g; expected the sum of lost_<asset>, %g", r.Float[fValueLost]-1, r.Float[fValueLost])},
	} {
		t.Run(c.name, func(t *testing.T) {
			bad := Row{Rep: r.Rep, Seed: r.Seed, Int: slices.Clone(r.Int), Float: slices.Clone(r.Float)}
			c.edit(bad.Int, bad.Float)
			if err := l.Validate(&bad); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%v, want %q", err, c.want)
			}
		})
	}
}

// The cost exchange ratio prints with two decimals, or two significant digits below 0.1: a
// fighter at $50 million shot down for a few missiles is 0.012, not 0.01 ± 0.00.
func TestExchangeRatioDecimals(t *testing.T) {
	for _, c := range []struct {
		iv   Interval
		want string
	}{
		{Interval{Est: 0.68, Lo: 0.65, Hi: 0.71}, "cost exchange ratio 0.68 ± 0.03 "},
		{Interval{Est: 0.0119, Lo: 0.0111, Hi: 0.0127}, "cost exchange ratio 0.012 ± 0.001 "},
		{Interval{Est: 0.00042, Lo: 0.0003, Hi: 0.0006}, "cost exchange ratio 0.00042 [0.00030, 0.00060] "},
		{Interval{Est: 2.5, Lo: 2.1, Hi: 2.9}, "cost exchange ratio 2.50 ± 0.40 "},
	} {
		var b strings.Builder
		r := &Result{ExchangeRatio: c.iv}
		if err := r.WriteText(&b); err != nil || !strings.Contains(b.String(), c.want) {
			t.Errorf("%+v: %v\n%s", c.iv, err, b.String())
		}
	}
}

// TestLeakedNoShot: leaked_no_shot counts a replication's leakers without a shot at them
// (sim.Leaker.Shots) and leaked_untracked those without a confirmed track
// (sim.Leaker.ConfirmedS), and the summary's LeakersNoShot and LeakersUntracked are their
// means.
func TestLeakedNoShot(t *testing.T) {
	st := loadSmall(t)
	l := st.Layout()
	shot := []sim.Shot{{Unit: "pantsir", Weapon: "57e6", Result: "miss"}}
	at := 12.0
	sum := NewSummary(st)
	for rep, leakers := range [][]sim.Leaker{
		{{Threat: "a"}, {Threat: "b", Shots: shot, ConfirmedS: &at}, {Threat: "c", ConfirmedS: &at}},
		{{Threat: "d", Shots: shot}},
		{},
	} {
		o := &sim.Outcome{Replication: uint64(rep), Launched: 3, Leaked: len(leakers), Destroyed: 3 - len(leakers), Leakers: leakers}
		r, err := l.FromOutcome(o)
		if err != nil {
			t.Fatal(err)
		}
		want := []int64{2, 0, 0}[rep]
		if got := r.Int[iLeakedNoShot]; got != want || l.cols.Int[iLeakedNoShot] != "leaked_no_shot" {
			t.Errorf("replication %d: %s = %d; want %d", rep, l.cols.Int[iLeakedNoShot], got, want)
		}
		want = []int64{1, 1, 0}[rep]
		if got := r.Int[iLeakedUntracked]; got != want || l.cols.Int[iLeakedUntracked] != "leaked_untracked" {
			t.Errorf("replication %d: %s = %d; want %d", rep, l.cols.Int[iLeakedUntracked], got, want)
		}
		sum.Add(&r)
	}
	res := sum.Result()
	if got := res.LeakersNoShot.Est; math.Abs(got-2.0/3) > 1e-12 {
		t.Errorf("LeakersNoShot %v; want 2/3", got)
	}
	if got := res.LeakersUntracked.Est; math.Abs(got-2.0/3) > 1e-12 {
		t.Errorf("LeakersUntracked %v; want 2/3", got)
	}
}
