package mc

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/adsim/adsim/sim"
)

func TestParseSelection(t *testing.T) {
	st := loadSmall(t)
	l := st.Layout()
	row := func(rep uint64, leaked map[string]int64, lost map[string]float64) *Row {
		r := l.NewRow()
		r.Rep = rep
		for c, id := range l.Classes {
			r.Int[l.classLeaked(c)] = leaked[id]
			r.Int[iLeaked] += leaked[id]
		}
		for a, id := range l.Assets {
			r.Float[fAsset+a] = lost[id]
			r.Float[fValueLost] += lost[id]
		}
		return &r
	}
	quiet := row(3, nil, nil)
	drone := row(8, map[string]int64{"shahed-136": 2}, map[string]float64{"depot": 20})
	cruise := row(150, map[string]int64{"kalibr-3m14": 1}, nil) // missed its target
	drone.Int[iLeakedNoShot] = 1
	cruise.Int[iLeakedNoShot], cruise.Int[iLeakedUntracked] = 1, 1
	rows := []*Row{quiet, drone, cruise}
	for _, tc := range []struct {
		spec string
		want []uint64 // reps of rows picked
	}{
		{"all", []uint64{3, 8, 150}},
		{" leaked ", []uint64{8, 150}},
		{"leaked:shahed-136", []uint64{8}},
		{"leaked:kalibr-3m14", []uint64{150}},
		{"hit", []uint64{8}},
		{"no-shot", []uint64{8, 150}},
		{"untracked", []uint64{150}},
		{"hit:depot", []uint64{8}},
		{"hit:hq", nil},
		{"3", []uint64{3}},
		{"4-149", []uint64{8}},
		{"150,3", []uint64{3, 150}},
		{"0-3, 9-7000", []uint64{3, 150}},
		{"8-8,1-2,4-7", []uint64{8}},
	} {
		sel, err := ParseSelection(tc.spec, l)
		if err != nil {
			t.Errorf("%q: %v", tc.spec, err)
			continue
		}
		var got []uint64
		for _, r := range rows {
			if sel.Match(l, r) {
				got = append(got, r.Rep)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q picks %v; want %v", tc.spec, got, tc.want)
		}
	}
	for _, tc := range []struct{ spec, want string }{
		{"", "found nothing; expected leaked"},
		{"leaks", `found "leaks"; expected leaked`},
		{"leaked:iskander-m", `no threat class "iskander-m"; expected one of shahed-136, kalibr-3m14`},
		{"hit:parliament", `no asset "parliament"; expected one of hq, depot`},
		{"all:hq", "all takes no id"},
		{"untracked:hq", "untracked takes no id"},
		{"7,", `found ""`},
		{"-3", `found "-3"`},
		{"9-3", `range "9-3" runs backwards; expected 3-9`},
		{"1.5", `found "1.5"`},
		{"18446744073709551615", "beyond any run"},
	} {
		_, err := ParseSelection(tc.spec, l)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v; want one containing %q", tc.spec, err, tc.want)
		}
	}
}

func TestAddSpan(t *testing.T) {
	var spans []Range
	for _, r := range []Range{{10, 12}, {0, 2}, {5, 6}, {2, 3}, {11, 20}, {6, 7}} {
		spans = addSpan(spans, r)
	}
	if want := []Range{{0, 3}, {5, 7}, {10, 20}}; !slices.Equal(spans, want) {
		t.Fatalf("spans %v; want %v", spans, want)
	}
}

// replayAll replays every row of dir into a new events directory, with the given workers.
func replayAll(t *testing.T, dir string, sel string, opt ReplayOptions) (ReplayStats, []Replayed) {
	t.Helper()
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := LoadStudy(dir, m)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseSelection(sel, st.Layout())
	if err != nil {
		t.Fatal(err)
	}
	var got []Replayed
	stats, err := Replay(context.Background(), dir, st, m, s, opt, func(r *Replayed) error {
		got = append(got, *r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return stats, got
}

// TestReplayWritesTheLogsOfTheRows replays the rows of a finished run and checks each log
// against its row: the leaks it records, in the order the rows came, whatever the workers,
// and byte for byte what a run of that replication with its log (adsim run --replication)
// writes.
func TestReplayWritesTheLogsOfTheRows(t *testing.T) {
	st := loadSmall(t)
	dir := writeRun(t, st, 24)
	ev1 := filepath.Join(t.TempDir(), "ev1")
	stats, got := replayAll(t, dir, "hit:depot", ReplayOptions{EventsDir: ev1, Workers: 1})
	if stats.Rows != 24 || stats.Selected == 0 || stats.Selected == 24 || stats.Replayed != stats.Selected || uint64(len(got)) != stats.Replayed {
		t.Fatalf("stats %+v, %d reported; want 24 rows read, some but not all picked, all of them replayed", stats, len(got))
	}
	for i, r := range got {
		if i > 0 && r.Row.Rep <= got[i-1].Row.Rep {
			t.Fatalf("reported out of index order: %d after %d", r.Row.Rep, got[i-1].Row.Rep)
		}
		if r.Row.Float[fAsset+1] <= 0 {
			t.Errorf("replication %d lost nothing of the depot but was picked by hit:depot", r.Row.Rep)
		}
		if r.Path != filepath.Join(ev1, EventLogName(r.Row.Rep)) {
			t.Errorf("log %s", r.Path)
		}
		data, err := os.ReadFile(r.Path)
		if err != nil {
			t.Fatal(err)
		}
		lines, leaks := int64(0), int64(0)
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines++
			if strings.Contains(sc.Text(), `"type":"leak"`) {
				leaks++
			}
		}
		if lines != r.Events || leaks != r.Row.Leaked() {
			t.Errorf("replication %d: log of %d lines with %d leaks; reported %d events, row has %d leakers", r.Row.Rep, lines, leaks, r.Events, r.Row.Leaked())
		}
		// The log a single run of the replication writes.
		var buf bytes.Buffer
		jw := sim.NewJSONLWriter(&buf)
		seed := st.Seed
		w, err := sim.New(st.Scenario(), st.cat, sim.Options{Replication: r.Row.Rep, Seed: &seed, Sink: jw})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Run(); err != nil {
			t.Fatal(err)
		}
		if err := jw.Flush(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), data) {
			t.Errorf("replication %d: the replayed log differs from a run's", r.Row.Rep)
		}
	}
	// Two workers, and at most two replications: the same first logs, byte for byte.
	ev2 := filepath.Join(t.TempDir(), "ev2")
	stats2, got2 := replayAll(t, dir, "hit:depot", ReplayOptions{EventsDir: ev2, Workers: 2, Max: 2})
	if stats2.Selected != stats.Selected || stats2.Replayed != 2 || len(got2) != 2 {
		t.Fatalf("with --max 2: %+v, %d reported", stats2, len(got2))
	}
	for i, r := range got2 {
		if r.Row.Rep != got[i].Row.Rep {
			t.Fatalf("with --max 2, replication %d; want %d", r.Row.Rep, got[i].Row.Rep)
		}
		a, _ := os.ReadFile(got[i].Path)
		b, _ := os.ReadFile(r.Path)
		if !bytes.Equal(a, b) {
			t.Errorf("replication %d: logs differ between 1 and 2 workers", r.Row.Rep)
		}
	}
	if files, _ := os.ReadDir(ev2); len(files) != 2 {
		t.Errorf("%d files in the events directory; want the 2 logs", len(files))
	}
	// Without a directory: checked, no log.
	_, got3 := replayAll(t, dir, "all", ReplayOptions{})
	if len(got3) != 24 || got3[23].Path != "" || got3[23].Events == 0 {
		t.Errorf("check only: %d reported, last %+v", len(got3), got3[len(got3)-1])
	}
}

// TestReplayRefusesARowNotReproduced edits a saved row into another possible outcome (one
// detection fewer): the replay must say which replication and column differ, and leave no
// log of it.
func TestReplayRefusesARowNotReproduced(t *testing.T) {
	st := loadSmall(t)
	dir := writeRun(t, st, 6)
	path := filepath.Join(dir, RowsCSV)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	header := strings.Split(lines[0], ",")
	col := slices.Index(header, "detected")
	f := strings.Split(lines[1+4], ",") // replication 4
	if f[col] == "0" {
		t.Fatal("replication 4 detected nothing: choose another")
	}
	f[col] = "0"
	lines[1+4] = strings.Join(f, ",")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	m, _ := ReadManifest(dir)
	st2, err := LoadStudy(dir, m)
	if err != nil {
		t.Fatal(err)
	}
	sel, _ := ParseSelection("all", st2.Layout())
	ev := filepath.Join(t.TempDir(), "ev")
	var reported []uint64
	_, err = Replay(context.Background(), dir, st2, m, sel, ReplayOptions{EventsDir: ev, Workers: 2}, func(r *Replayed) error {
		reported = append(reported, r.Row.Rep)
		return nil
	})
	var nr *NotReproduced
	if !errors.As(err, &nr) || nr.Rep != 4 || !strings.Contains(err.Error(), "detected: saved 0, replayed ") {
		t.Fatalf("error %v; want replication 4 not reproduced, in column detected", err)
	}
	if slices.Contains(reported, 4) {
		t.Error("replication 4 was reported as replayed")
	}
	if _, err := os.Stat(filepath.Join(ev, EventLogName(4))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a log of replication 4 was written (%v)", err)
	}
	files, _ := os.ReadDir(ev)
	for _, fi := range files {
		if strings.HasSuffix(fi.Name(), ".tmp") {
			t.Errorf("a partial log was left: %s", fi.Name())
		}
	}
}

// TestReplacedRowsTakeTheirLogs checks that a run replacing a directory's rows removes the
// logs adsim replay wrote of the old ones, and nothing else.
func TestReplacedRowsTakeTheirLogs(t *testing.T) {
	st := loadSmall(t)
	dir := writeRun(t, st, 4)
	replayAll(t, dir, "all", ReplayOptions{EventsDir: filepath.Join(dir, EventsDir)})
	mine := filepath.Join(dir, EventsDir, "notes.txt")
	left := filepath.Join(dir, EventsDir, ".rep-123.jsonl.tmp")
	for _, p := range []string{mine, left, filepath.Join(dir, EventsDir, "rep-07.jsonl")} {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := Create(dir, st)
	if err != nil {
		t.Fatal(err)
	}
	out.Close()
	files, err := os.ReadDir(filepath.Join(dir, EventsDir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name())
	}
	if want := []string{"notes.txt", "rep-07.jsonl"}; !slices.Equal(names, want) {
		t.Errorf("left %v; want only %v (not names replay gives)", names, want)
	}
	// With nothing of the user's there, the directory goes too.
	dir = writeRun(t, st, 2)
	replayAll(t, dir, "all", ReplayOptions{EventsDir: filepath.Join(dir, EventsDir)})
	if out, err = Create(dir, st); err != nil {
		t.Fatal(err)
	}
	out.Close()
	if _, err := os.Stat(filepath.Join(dir, EventsDir)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the events directory is still there (%v)", err)
	}
}

func FuzzParseSelection(f *testing.F) {
	st := loadSmall(f)
	for _, s := range []string{"all", "leaked", "hit:hq", "leaked:shahed-136", "7,12,100-199", "3-1", "", ",", "-", "1-", "hit:"} {
		f.Add(s, uint64(7))
	}
	l := st.Layout()
	f.Fuzz(func(t *testing.T, spec string, rep uint64) {
		sel, err := ParseSelection(spec, l)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		r := l.NewRow()
		r.Rep = rep
		picked := sel.Match(l, &r)
		if sel.kind == selList {
			// A list picks exactly its indices: check against the spans, which must be
			// ascending and disjoint.
			in := false
			for i, sp := range sel.spans {
				if sp.Start >= sp.End || (i > 0 && sel.spans[i-1].End >= sp.Start) {
					t.Fatalf("%q: spans %v not ascending and disjoint", spec, sel.spans)
				}
				in = in || (sp.Start <= rep && rep < sp.End)
			}
			if picked != in {
				t.Fatalf("%q: replication %d picked %v; in the spans %v", spec, rep, picked, in)
			}
		} else if sel.kind != selAll && picked {
			t.Fatalf("%q picks a row with no leaker and no loss", spec)
		}
	})
}

func TestDescribe(t *testing.T) {
	l := loadSmall(t).Layout()
	quiet := l.NewRow()
	two := l.NewRow()
	two.Int[iLeaked], two.Int[l.classLeaked(0)], two.Int[l.classLeaked(1)] = 2, 1, 1
	two.Int[iLeakedNoShot], two.Int[iLeakedUntracked] = 1, 2
	two.Float[fValueLost], two.Float[fAsset+1] = 12.25, 12.25
	for _, tc := range []struct {
		r    *Row
		want string
	}{
		{&quiet, "no leaker, value lost 0.0"},
		{&two, "2 leakers (1 shahed-136, 1 kalibr-3m14, 1 nothing fired at, 2 never tracked), value lost 12.2 (depot 12.2)"},
	} {
		if got := l.Describe(tc.r); got != tc.want {
			t.Errorf("got %q; want %q", got, tc.want)
		}
	}
}
