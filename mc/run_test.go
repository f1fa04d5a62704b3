package mc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/adsim/adsim/scenario"
)

func loadSmall(t testing.TB) *Study { return loadStudy(t, "testdata/small.yaml") }

// loadExample is an embedded example scenario as a study with its own seed.
func loadExample(t testing.TB, name string) *Study {
	t.Helper()
	src, err := scenario.ExampleFile(name)
	if err != nil {
		t.Fatal(err)
	}
	st, err := NewStudy(name, src, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// loadStudy reads a scenario file as a study with the scenario's own seed.
func loadStudy(t testing.TB, path string) *Study {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := NewStudy(path, src, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// rowsSink keeps the rows it is given (tests only: mc itself never keeps rows).
type rowsSink struct{ rows []Row }

func (s *rowsSink) WriteRow(r *Row) error {
	c := Row{Rep: r.Rep, Seed: r.Seed, Int: append([]int64(nil), r.Int...), Float: append([]float64(nil), r.Float...)}
	s.rows = append(s.rows, c)
	return nil
}

func resultJSON(t testing.TB, s *Summary) string {
	t.Helper()
	b, err := json.Marshal(s.Result())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func runLocal(t testing.TB, st *Study, workers int, opt Options) ([]Row, *Summary) {
	t.Helper()
	var rs rowsSink
	sum, err := Run(context.Background(), st, Local{Workers: workers}, opt, &rs)
	if err != nil {
		t.Fatal(err)
	}
	return rs.rows, sum
}

func TestSameRowsWhateverWorkers(t *testing.T) {
	st := loadSmall(t)
	opt := Options{Reps: Range{0, 24}}
	rows1, sum1 := runLocal(t, st, 1, opt)
	if len(rows1) != 24 {
		t.Fatalf("%d rows, want 24", len(rows1))
	}
	for i, r := range rows1 {
		if r.Rep != uint64(i) || r.Seed != st.Seed {
			t.Fatalf("row %d is replication %d seed %d", i, r.Rep, r.Seed)
		}
	}
	for _, w := range []int{2, 3} {
		rows, sum := runLocal(t, st, w, opt)
		if !reflect.DeepEqual(rows, rows1) {
			t.Errorf("%d workers: rows differ from 1 worker", w)
		}
		if a, b := resultJSON(t, sum), resultJSON(t, sum1); a != b {
			t.Errorf("%d workers: summary differs:\n%s\n%s", w, a, b)
		}
	}
	// Replications differ from one another (the streams depend on the index).
	same := 0
	for _, r := range rows1[1:] {
		if reflect.DeepEqual(r.Int, rows1[0].Int) && reflect.DeepEqual(r.Float, rows1[0].Float) {
			same++
		}
	}
	if same == len(rows1)-1 {
		t.Error("every replication gave the same row")
	}
}

func TestRowMatchesOutcome(t *testing.T) {
	st := loadSmall(t)
	r, err := st.Replicate(3)
	if err != nil {
		t.Fatal(err)
	}
	in := r.Int
	if in[iLaunched] != in[iDestroyed]+in[iLeaked]+in[iFlying] {
		t.Errorf("launched %d != destroyed %d + leaked %d + flying %d", in[iLaunched], in[iDestroyed], in[iLeaked], in[iFlying])
	}
	l := st.Layout()
	var byClass, kills int64
	var assetLost float64
	for c := range l.Classes {
		byClass += in[l.classLeaked(c)]
	}
	for k := range layers {
		kills += in[iLayer+k]
	}
	for a := range l.Assets {
		assetLost += r.Float[fAsset+a]
	}
	if byClass != in[iLeaked] || kills != in[iDestroyed] || !near(assetLost, r.Float[fValueLost], 1e-9) {
		t.Errorf("per-class leaks %d (total %d), layer kills %d (destroyed %d), asset losses %g (total %g)",
			byClass, in[iLeaked], kills, in[iDestroyed], assetLost, r.Float[fValueLost])
	}
}

// writeShards runs the study's total replications as count shards (`adsim mc --shard I/count
// --out DIR`) and returns the directories, in shard order.
func writeShards(t *testing.T, st *Study, total, count uint64) []string {
	t.Helper()
	dir := t.TempDir()
	var dirs []string
	for i := uint64(0); i < count; i++ {
		sh := Shard{Index: i, Count: count}
		d := filepath.Join(dir, fmt.Sprintf("shard%d", i))
		out, err := Create(d, st)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Run(context.Background(), st, Local{Workers: 1}, Options{Reps: sh.Range(total)}, out)
		if err != nil {
			t.Fatal(err)
		}
		if err := out.Finish(s, total, sh.Range(total), &sh); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, d)
	}
	return dirs
}

func TestShardsMergeToTheSameRun(t *testing.T) {
	st := loadSmall(t)
	const total = 20
	rows, sum := runLocal(t, st, 2, Options{Reps: Range{0, total}})
	dirs := writeShards(t, st, total, 3)
	// Given in any order.
	var rs rowsSink
	msum, _, m, err := Merge(context.Background(), []string{dirs[2], dirs[0], dirs[1]}, &rs)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rs.rows, rows) {
		t.Error("merged rows differ from one run")
	}
	if a, b := resultJSON(t, msum), resultJSON(t, sum); a != b {
		t.Errorf("merged summary differs:\n%s\n%s", a, b)
	}
	if m.Done != total || m.Reps != (Range{0, total}) {
		t.Errorf("merged manifest %+v", m)
	}
	// A missing shard and a duplicated one are refused.
	if _, _, _, err := Merge(context.Background(), []string{dirs[0], dirs[2]}); err == nil {
		t.Error("a missing shard was not reported")
	}
	if _, _, _, err := Merge(context.Background(), []string{dirs[0], dirs[1], dirs[1], dirs[2]}); err == nil {
		t.Error("a duplicated shard was not reported")
	}
}

func TestUntilCIIsDeterministic(t *testing.T) {
	st := loadSmall(t)
	opt := Options{Reps: Range{0, 200}, UntilCI: 0.08, CheckEvery: 10}
	rows1, sum1 := runLocal(t, st, 1, opt)
	rows2, sum2 := runLocal(t, st, 2, opt)
	if n := len(rows1); n == 0 || n%10 != 0 || n == 200 {
		t.Fatalf("stopped after %d replications; want a multiple of 10 below 200", n)
	}
	if !reflect.DeepEqual(rows1, rows2) || resultJSON(t, sum1) != resultJSON(t, sum2) {
		t.Error("--until-ci stopped differently with 1 and 2 workers")
	}
	if h := sum1.LeakRate().HalfWidth(); h > 0.08 {
		t.Errorf("stopped with half-width %g > 0.08", h)
	}
}

func TestShardRanges(t *testing.T) {
	for _, total := range []uint64{0, 1, 7, 20, 1000} {
		for n := uint64(1); n <= 8; n++ {
			next := uint64(0)
			for i := uint64(0); i < n; i++ {
				r := Shard{Index: i, Count: n}.Range(total)
				if r.Start != next || r.Len() > total/n+1 || r.Len()+1 < total/n+1 {
					t.Fatalf("total %d, shard %d/%d: %v after %d", total, i, n, r, next)
				}
				next = r.End
			}
			if next != total {
				t.Fatalf("total %d, %d shards end at %d", total, n, next)
			}
		}
	}
}

func TestParseShard(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		spec string
		env  map[string]string
		want Shard
		bad  bool
	}{
		{"0/3", nil, Shard{0, 3}, false},
		{"2/3", nil, Shard{2, 3}, false},
		{"3/3", nil, Shard{}, true},
		{"4/3", nil, Shard{}, true},
		{"1/0", nil, Shard{}, true},
		{"x/3", nil, Shard{}, true},
		{"3", nil, Shard{}, true},
		{"auto/8", map[string]string{EnvKubernetesIndex: "5"}, Shard{5, 8}, false},
		{"auto/8", map[string]string{EnvSlurmTask: "7"}, Shard{7, 8}, false},
		{"auto/8", map[string]string{EnvSlurmTask: "8", EnvSlurmTaskMin: "1"}, Shard{7, 8}, false},
		{"auto/8", map[string]string{EnvSlurmTask: "9", EnvSlurmTaskMin: "1"}, Shard{}, true},
		{"auto/8", nil, Shard{}, true},
		{"auto/8", map[string]string{EnvKubernetesIndex: "-1"}, Shard{}, true},
	}
	for _, c := range cases {
		got, err := ParseShard(c.spec, env(c.env))
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("ParseShard(%q, %v) = %v, %v", c.spec, c.env, got, err)
		}
	}
}

func TestOutputFiles(t *testing.T) {
	st := loadSmall(t)
	dir, out := createIn(t, st, "run")
	sum, err := Run(context.Background(), st, Local{}, Options{Reps: Range{0, 5}}, out)
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Finish(sum, 5, Range{0, 5}, nil); err != nil {
		t.Fatal(err)
	}
	csv, err := os.ReadFile(filepath.Join(dir, RowsCSV))
	if err != nil {
		t.Fatal(err)
	}
	if lines := bytes.Count(csv, []byte("\n")); lines != 6 {
		t.Errorf("rows.csv has %d lines, want a header and 5 rows", lines)
	}
	if !bytes.HasPrefix(csv, []byte("rep,seed,launched,detected,engaged,destroyed,leaked,flying,interceptors_fired,gun_rounds,leaked_no_shot,leaked_untracked,kills_long,")) {
		t.Errorf("rows.csv header: %s", csv[:bytes.IndexByte(csv, '\n')])
	}
	for _, f := range []string{RowsParquet, SummaryJSON, ManifestJSON, ScenarioYAML} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	var res Result
	data, _ := os.ReadFile(filepath.Join(dir, SummaryJSON))
	if err := json.Unmarshal(data, &res); err != nil || res.Replications != 5 {
		t.Errorf("summary.json: %v, %d replications", err, res.Replications)
	}
}

func ExampleRun() {
	src, err := os.ReadFile("testdata/small.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	st, err := NewStudy("small.yaml", src, nil, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	sum, err := Run(context.Background(), st, Local{Workers: 2}, Options{Reps: Range{Start: 0, End: 10}})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := sum.Result()
	fmt.Println("replications:", r.Replications)
	fmt.Println("leak rate inside its interval:", r.LeakRate.Lo <= r.LeakRate.Est && r.LeakRate.Est <= r.LeakRate.Hi)
	// Output:
	// replications: 10
	// leak rate inside its interval: true
}
