package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/adsim/adsim/engage"
	"github.com/adsim/adsim/mc"
	"github.com/adsim/adsim/scenario"
	"github.com/adsim/adsim/sim"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = execute(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestRunDefaultScenario(t *testing.T) {
	dir := t.TempDir()
	ev, js := filepath.Join(dir, "ev.jsonl"), filepath.Join(dir, "out.json")
	code, out, errs := runCLI(t, "run", "--events", ev, "--json", js)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"scenario capital", "threats:", "LAYER", "FIRE UNIT", "ASSET"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var o struct {
		Launched, Destroyed, Leaked, Flying int
	}
	if err := json.Unmarshal(data, &o); err != nil {
		t.Fatal(err)
	}
	if o.Launched == 0 || o.Launched != o.Destroyed+o.Leaked+o.Flying {
		t.Errorf("outcome does not conserve threats: %+v", o)
	}
	log, err := os.ReadFile(ev)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(log, []byte(`"type":"launch"`)); n != o.Launched {
		t.Errorf("%d launch events for %d launched", n, o.Launched)
	}
}

func TestRunQuietAndSeed(t *testing.T) {
	code, out, _ := runCLI(t, "run", "--quiet", "--seed", "5")
	if code != exitOK || out != "" {
		t.Fatalf("exit %d, output %q", code, out)
	}
	_, a, _ := runCLI(t, "run", "--seed", "5")
	_, b, _ := runCLI(t, "run", "--seed", "5")
	if a != b {
		t.Error("same seed, different summaries")
	}
	if !strings.Contains(a, "seed 5 ") {
		t.Errorf("summary does not show the seed: %s", a[:80])
	}
}

// TestRunEndsEarlyUnlessFullDuration: the run stops when the raid is over and says so;
// --full-duration runs to duration_s.
func TestRunEndsEarlyUnlessFullDuration(t *testing.T) {
	dir := t.TempDir()
	var ends [2]struct {
		DurationS float64 `json:"duration_s"`
		EndS      float64 `json:"end_s"`
	}
	for k, extra := range [][]string{nil, {"--full-duration"}} {
		js := filepath.Join(dir, "out.json")
		code, out, errs := runCLI(t, append([]string{"run", "--json", js}, extra...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", extra, code, errs)
		}
		data, err := os.ReadFile(js)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &ends[k]); err != nil {
			t.Fatal(err)
		}
		if said := strings.Contains(out, "raid over at"); said != (k == 0) {
			t.Errorf("%v: summary says raid over: %v\n%s", extra, said, out[:120])
		}
	}
	if !(ends[0].EndS > 0 && ends[0].EndS < ends[0].DurationS) || ends[1].EndS != ends[1].DurationS {
		t.Errorf("end_s %g and %g (--full-duration) of duration %g", ends[0].EndS, ends[1].EndS, ends[1].DurationS)
	}
}

func TestExampleRoundTrip(t *testing.T) {
	code, list, _ := runCLI(t, "example")
	if code != exitOK || !strings.Contains(list, "capital") || !strings.Contains(list, "ground") {
		t.Fatalf("example list: exit %d\n%s", code, list)
	}
	code, yml, _ := runCLI(t, "example", "capital")
	want, _ := scenario.ExampleFile("capital")
	if code != exitOK || yml != string(want) {
		t.Fatal("example capital differs from the embedded file")
	}
	// The printed file runs as it is, as the README shows.
	p := filepath.Join(t.TempDir(), "my.yaml")
	if err := os.WriteFile(p, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCLI(t, "run", "-q", p); code != exitOK {
		t.Fatalf("run my.yaml: exit %d: %s", code, errs)
	}
	if code, _, _ := runCLI(t, "example", "nope"); code != exitBadInput {
		t.Errorf("unknown example: exit %d", code)
	}
}

func TestBadInputExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	yml, _ := scenario.ExampleFile("capital")
	broken := strings.Replace(string(yml), "ref_range_km: 300", "ref_range_km: -300", 1)
	broken = strings.Replace(broken, "scan_period_s: 10", "scan_period: 10", 1)
	if err := os.WriteFile(bad, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		code int
		msg  []string
	}{
		{"run bad file", []string{"run", bad}, exitBadInput, []string{"bad.yaml:", "ref_range_km", "scan_period"}},
		{"validate bad file", []string{"validate", bad}, exitBadInput, []string{"bad.yaml:"}},
		{"missing file", []string{"run", filepath.Join(dir, "none.yaml")}, exitBadInput, []string{"none.yaml"}},
		{"unknown command", []string{"fly"}, exitBadInput, []string{"unknown command"}},
		{"unknown flag", []string{"run", "--speed", "3"}, exitBadInput, []string{"unknown flag"}},
		{"too many args", []string{"run", "a", "b"}, exitBadInput, []string{`run: found 2 arguments ("a", "b"), expected at most 1 argument (usage: adsim run [FILE] [flags])`}},
		{"too few args", []string{"compare", "capital"}, exitBadInput, []string{`compare: found 1 argument ("capital"), expected 2 arguments (usage: adsim compare A B [flags])`}},
		{"no args", []string{"validate"}, exitBadInput, []string{"validate: found no arguments, expected at least 1 argument (usage: adsim validate FILE... [flags])"}},
		{"args where none", []string{"engage", "x"}, exitBadInput, []string{`engage: found 1 argument ("x"), expected no arguments`}},
		{"sub-command args", []string{"track", "gen"}, exitBadInput, []string{"track gen: found no arguments, expected 1 argument"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := runCLI(t, c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d: %s", code, c.code, errs)
			}
			for _, m := range c.msg {
				if !strings.Contains(errs, m) {
					t.Errorf("stderr lacks %q:\n%s", m, errs)
				}
			}
		})
	}
	// Both errors are reported in one go, each with line:column.
	_, _, errs := runCLI(t, "validate", bad)
	if strings.Count(errs, "bad.yaml:") < 2 {
		t.Errorf("want both errors reported at once:\n%s", errs)
	}
}

func TestValidateGood(t *testing.T) {
	p := filepath.Join(t.TempDir(), "g.yaml")
	yml, _ := scenario.ExampleFile("ground")
	os.WriteFile(p, yml, 0o644)
	code, out, errs := runCLI(t, "validate", p)
	if code != exitOK || !strings.Contains(out, "ok") {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
}

func TestCatalog(t *testing.T) {
	code, out, _ := runCLI(t, "catalog")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, id := range []string{"s400", "pantsir-s1", "shahed-136", "iskander-m", "assumption"} {
		if !strings.Contains(out, id) {
			t.Errorf("catalog lacks %q", id)
		}
	}
	// The gun table: the Pantsir-class gun against the drone, its burst Pk at each range as
	// the gun model gives it, falling with range, and the open-fire range where it crosses
	// the default open-fire Pk.
	var row []string
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) > 2 && (f[0] == "shahed-136" || f[1] == "shahed-136") && strings.Contains(l, " / ") {
			row = f
			if f[0] != "shahed-136" {
				row = f[1:]
			}
		}
	}
	base, err := scenario.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	var spec engage.GunSpec
	for _, s := range base.Systems {
		for i := range s.Weapons {
			if s.ID == "pantsir-s1" && s.Weapons[i].ID == "2a38m" {
				spec = sim.GunSpec(&s.Weapons[i])
			}
		}
	}
	if len(row) != 12 || row[len(row)-1] != "km" {
		t.Fatalf("gun row for shahed-136: %q\n%s", row, out)
	}
	prev := 2.0
	for i, r := range []float64{500, 1000, 2000, 3000, 4000} {
		got, err := strconv.ParseFloat(row[1+2*i], 64)
		if err != nil || math.Abs(got-spec.BurstKill(1, 0.5, r)) > 0.005 || !(got < prev) {
			t.Errorf("burst Pk at %g m: %q, gun model %.4f, after %.2f", r, row[1+2*i], spec.BurstKill(1, 0.5, r), prev)
		}
		prev = got
	}
	open, err := strconv.ParseFloat(row[len(row)-2], 64)
	if err != nil || !(spec.BurstKill(1, 0.5, 1000*open-60) > sim.DefaultGunOpenFirePk && spec.BurstKill(1, 0.5, 1000*open+60) < sim.DefaultGunOpenFirePk) {
		t.Errorf("opens fire at %q km: not where the burst Pk crosses %g", row[len(row)-2], sim.DefaultGunOpenFirePk)
	}
	// --paths: every path it lists is one --set takes, with the class's value there.
	code, paths, errs := runCLI(t, "catalog", "--paths", "shahed-136")
	if n := strings.Count(paths, "\n"); code != exitOK || n < 8 || !strings.HasPrefix(paths, "PATH") || strings.Contains(paths, "catalog.systems") {
		t.Fatalf("catalog --paths shahed-136: exit %d\n%s%s", code, paths, errs)
	}
	code, paths, errs = runCLI(t, "catalog", "--paths")
	lines := strings.Split(strings.TrimSpace(paths), "\n")
	if code != exitOK || len(lines) < 300 {
		t.Fatalf("catalog --paths: exit %d, %d lines: %s", code, len(lines), errs)
	}
	src, err := scenario.ExampleFile("capital")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if !strings.HasPrefix(f[0], "catalog.") || (!strings.HasPrefix(f[2], "source:") && !strings.HasPrefix(f[2], "assumption:")) {
			t.Errorf("catalog --paths line %q", l)
			continue
		}
		if _, err := mc.ApplySettings("capital", src, base, []mc.Setting{{Path: f[0], Value: f[1]}}); err != nil {
			t.Errorf("--set %s=%s, the catalog's own value: %v", f[0], f[1], err)
		}
	}
	if code, _, errs := runCLI(t, "catalog", "--paths", "shahed"); code != exitBadInput || !strings.Contains(errs, "no such class") {
		t.Errorf("catalog --paths shahed: exit %d: %s", code, errs)
	}
	code, js, _ := runCLI(t, "catalog", "--json")
	var cat scenario.Catalog
	if code != exitOK || json.Unmarshal([]byte(js), &cat) != nil || len(cat.Systems) == 0 {
		t.Fatalf("catalog --json: exit %d", code)
	}
	// Every figure in the catalog says where it comes from.
	for _, s := range cat.Systems {
		for _, w := range s.Weapons {
			for k, f := range w.Pk {
				if f.Source == "" && f.Assumption == "" {
					t.Errorf("%s/%s pk[%s] has neither source nor assumption", s.ID, w.ID, k)
				}
			}
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	if code != exitOK || !strings.HasPrefix(out, "adsim ") {
		t.Fatalf("exit %d: %q", code, out)
	}
}

func TestSchemaIsJSON(t *testing.T) {
	code, out, _ := runCLI(t, "schema")
	var m map[string]any
	if code != exitOK || json.Unmarshal([]byte(out), &m) != nil || m["$schema"] == nil {
		t.Fatalf("schema: exit %d, not a JSON Schema", code)
	}
}

// TestRunReplicatesAnMCRow: `run --replication I` replays row I of `mc --out` (same streams,
// same seed), here on an example named like mc takes it; each row's figures must match.
func TestRunReplicatesAnMCRow(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := runCLI(t, "mc", "ground", "-n", "3", "-q", "--no-progress", "--out", dir); code != exitOK {
		t.Fatalf("mc: exit %d: %s", code, errs)
	}
	f, err := os.Open(filepath.Join(dir, "rows.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for rep := 0; rep < 3; rep++ {
		row := rows[1+rep]
		js := filepath.Join(dir, "out.json")
		if code, _, errs := runCLI(t, "run", "ground", "-q", "--replication", strconv.Itoa(rep), "--json", js); code != exitOK {
			t.Fatalf("run --replication %d: exit %d: %s", rep, code, errs)
		}
		var o map[string]any
		if err := json.Unmarshal(readFile(t, js), &o); err != nil {
			t.Fatal(err)
		}
		if got := row[col["rep"]]; got != strconv.Itoa(rep) {
			t.Fatalf("row %d has rep %s", rep, got)
		}
		for _, k := range []string{"launched", "destroyed", "leaked", "interceptors_fired", "gun_rounds", "value_lost"} {
			want, err := strconv.ParseFloat(row[col[k]], 64)
			if err != nil {
				t.Fatalf("rows.csv %s: %v", k, err)
			}
			if got, _ := o[k].(float64); got != want {
				t.Errorf("replication %d: %s = %v from run, %v in mc's row", rep, k, o[k], want)
			}
		}
	}
}

// TestFlagPlaceholders: a word in backquotes in a flag's usage becomes the placeholder of its
// value in --help ("--nats URL"), so a backquoted phrase that is not a placeholder turns the
// help line into nonsense ("--nats adsim worker", which mc, compare, sweep and sensitivity
// printed). Placeholders are upper case; the rest are pflag's type names.
func TestFlagPlaceholders(t *testing.T) {
	types := map[string]bool{"": true, "string": true, "int": true, "uint": true, "float": true, "duration": true,
		"stringArray": true, "strings": true, "int64": true, "uint64": true, "float64": true}
	placeholder := regexp.MustCompile(`^[A-Z][A-Z0-9_=/,]*$`)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if name, _ := pflag.UnquoteUsage(f); !types[name] && !placeholder.MatchString(name) {
				t.Errorf("%s --%s: help shows the value as %q", c.CommandPath(), f.Name, name)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRoot(io.Discard, io.Discard, nil))
}

// TestFlagValueErrors: a flag value that does not parse is reported as what was found and
// what the flag expects, not as Go's parser error, and exits 2.
func TestFlagValueErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"mc", "-n", "-5"}, `adsim: -n: found "-5", expected a whole number, 0 or more (e.g. 200)`},
		{[]string{"run", "--seed", "1e3"}, `adsim: --seed: found "1e3", expected a whole number, 0 or more (e.g. 200)`},
		{[]string{"mc", "--n", "99999999999999999999999"}, `adsim: -n: found "99999999999999999999999", expected a whole number from 0 to 18446744073709551615`},
		{[]string{"mc", "--workers", "two"}, `adsim: --workers: found "two", expected a whole number (e.g. 2)`},
		{[]string{"sweep", "--until-ci", "1%"}, `adsim: --until-ci: found "1%", expected a number (e.g. 0.01 or 1e-3)`},
		{[]string{"mc", "--until-ci=1e999"}, `adsim: --until-ci: found "1e999", expected a number of magnitude at most 1.8e308`},
		{[]string{"mc", "--ack-wait", "5"}, `adsim: --ack-wait: found "5", expected a duration with its unit (e.g. 90s, 2m or 1h30m)`},
		{[]string{"mc", "--quiet=maybe"}, `adsim: -q/--quiet: found "maybe", expected true or false`},
		{[]string{"track", "gen", "--sensor-pos", "a,b"}, `expected numbers separated by commas (e.g. 0,0)`},
		{[]string{"nats-config", "--out", "x", "--tls-host", `"a`}, `--tls-host: found "\"a", expected values separated by commas`},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, _, errs := runCLI(t, c.args...)
			if code != exitBadInput {
				t.Fatalf("exit %d, want %d: %s", code, exitBadInput, errs)
			}
			if !strings.Contains(errs, c.want) {
				t.Errorf("stderr:\n%s\nwant it to contain:\n%s", errs, c.want)
			}
			if strings.Contains(errs, "strconv") || strings.Contains(errs, "invalid syntax") {
				t.Errorf("stderr still names Go's parser:\n%s", errs)
			}
		})
	}
}

// TestEveryFlagTypeHasAnExpectation: every flag type in the command tree that can fail to
// parse has its words in expectedOf, so a new flag's bad value is not reported in Go's terms.
func TestEveryFlagTypeHasAnExpectation(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			switch typ := f.Value.Type(); typ {
			case "string", "stringArray": // any text parses
			default:
				if expectedOf(typ) == "" {
					t.Errorf("%s --%s: flag type %q has no words in expectedOf", c.CommandPath(), f.Name, typ)
				}
			}
		})
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(newRoot(io.Discard, io.Discard, nil))
}

// TestRunToStandardOutput: --json - and --events - write the outcome or the log to standard
// output, in place of the summary, the same bytes as to a file; both there is refused.
func TestRunToStandardOutput(t *testing.T) {
	dir := t.TempDir()
	js, ev := filepath.Join(dir, "o.json"), filepath.Join(dir, "e.jsonl")
	if code, _, errs := runCLI(t, "run", "ground", "-q", "--json", js, "--events", ev); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "ground", "--json", "-"}, js},
		{[]string{"run", "ground", "--events", "-", "--json", filepath.Join(dir, "o2.json")}, ev},
	} {
		code, out, errs := runCLI(t, tc.args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", tc.args, code, errs)
		}
		if want := string(readFile(t, tc.want)); out != want {
			t.Errorf("%v: standard output is not %s (%d bytes against %d)", tc.args, filepath.Base(tc.want), len(out), len(want))
		}
	}
	if _, err := os.Stat("-"); !os.IsNotExist(err) {
		t.Error(`a file named "-" was written`)
	}
	code, out, errs := runCLI(t, "run", "ground", "--json", "-", "--events", "-")
	if code != exitBadInput || out != "" || !strings.Contains(errs, "both name standard output") {
		t.Errorf("both on standard output: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}
