package mc

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseShard: any spec and environment give a shard inside its count, or an error; a shard
// read back from its own spelling is the same shard.
func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"0/3", "4/3", "auto/8", "x/3", " 1 / 2 ", "18446744073709551615/18446744073709551615"} {
		f.Add(s, "5", "", "", "", "")
	}
	f.Add("auto/8", "", "9", "", "", "")
	f.Add("auto/4", "", "12", "0", "4", "4")
	f.Add("auto/4", "", "13", "1", "4", "4")
	f.Add("auto/4", "2", "2", "", "", "")
	f.Add("auto/3", "", "18446744073709551615", "18446744073709551614", "0", "3")
	f.Fuzz(func(t *testing.T, spec, k8s, slurm, slurmMin, slurmStep, slurmCount string) {
		env := func(k string) string {
			switch k {
			case EnvKubernetesIndex:
				return k8s
			case EnvSlurmTask:
				return slurm
			case EnvSlurmTaskMin:
				return slurmMin
			case EnvSlurmTaskStep:
				return slurmStep
			case EnvSlurmTaskCount:
				return slurmCount
			}
			return ""
		}
		sh, err := ParseShard(spec, env)
		if err != nil {
			return
		}
		if sh.Count == 0 || sh.Index >= sh.Count {
			t.Fatalf("%q gave shard %+v", spec, sh)
		}
		if again, err := ParseShard(sh.String(), env); err != nil || again != sh {
			t.Fatalf("%q: %+v read back as %+v, %v", spec, sh, again, err)
		}
		r := sh.Range(1000)
		if r.Start > r.End || r.End > 1000 {
			t.Fatalf("shard %+v of 1000: range %v", sh, r)
		}
	})
}

// FuzzParseSet: a --set argument gives a path and between 1 and 10000 non-empty values, or an
// error that quotes the argument.
func FuzzParseSet(f *testing.F) {
	for _, s := range []string{"raids[0].count=10:200:10", "c2.doctrine=salvo,shoot-look-shoot", "x=1:2", "=3",
		"a=0.1:0.5:0.1", "a=5:1:-2", "a=-1e308:1e308:1e-300", "a=1,,2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		path, values, err := ParseSet(arg)
		if err != nil {
			if !strings.Contains(err.Error(), "--set") {
				t.Fatalf("%q: error %v does not name --set", arg, err)
			}
			return
		}
		if path == "" || len(values) == 0 || len(values) > 10000 {
			t.Fatalf("%q: path %q, %d values", arg, path, len(values))
		}
		for _, v := range values {
			if v == "" {
				t.Fatalf("%q: an empty value", arg)
			}
		}
	})
}

// FuzzStudyWith: setting any path to any value gives a valid study or an error, never a panic.
func FuzzStudyWith(f *testing.F) {
	st := loadSmall(f)
	for _, s := range [][2]string{{"raids[0].count", "12"}, {"raids[0].count", "-1"}, {"raids[9].count", "1"},
		{"raids[0].cnt", "1"}, {"c2.doctrine", "salvo"}, {"fire_units[0].rooftop.building_height_m", "30"},
		{"assets", "1"}, {"duration_s", "NaN"}, {"raids[0].targets[0]", "nowhere"}, {"seed", "18446744073709551616"},
		{"raids[drones].count", "3"}, {"catalog.threats[shahed-136].rcs_m2", "0.01"}, {"catalog.systems[pantsir-s1].weapons[57e6].pk0.drone", "2"},
		{"catalog.threats[x.y].rcs_m2", "1"}, {"catalog[0]", "1"}, {"catalog.systems[pantsir-s1].weapons[2a38m].pk_given_hit.drone", "0.5"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, path, value string) {
		c, err := st.With(path, value)
		if err == nil && c.Scenario() == nil {
			t.Fatalf("%s=%s: no scenario and no error", path, value)
		}
	})
}

// FuzzReadManifest: any manifest.json bytes give a manifest of the current format or an error
// naming the file.
func FuzzReadManifest(f *testing.F) {
	f.Add([]byte(`{"format":"adsim-mc/1","scenario":"s","fingerprint":"ab","seed":1,"total":4,"reps":{"start":0,"end":4},"done":4,"shard":null,"columns":["rep"],"has_catalog":false,"engine":{"platform":"amd64/v1","go":"go1.26.8","build":"(devel)"}}`))
	f.Add([]byte(`{"format":"adsim-mc/0"}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, data []byte) {
		// From memory: a directory and a file per input made the fuzzer stall for a minute at
		// a time when the machine was busy, and one 60 s run failed that way. ReadManifest's
		// reading of the file is TestReadManifest*'s.
		path := filepath.Join("out", ManifestJSON)
		m, err := parseManifest(path, data)
		switch {
		case err != nil:
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error %v does not name the file", err)
			}
		case m.Format != ManifestFormat:
			t.Fatalf("accepted format %q", m.Format)
		}
	})
}

// FuzzFoldSaved: any rows.csv bytes behind a manifest that says some rows are saved are
// either read as that many rows, each one a possible replication (Layout.Validate), or an
// error — never a panic, never a row folded that no run could produce.
func FuzzFoldSaved(f *testing.F) {
	st := loadSmall(f)
	good, err := os.ReadFile(filepath.Join(writeRun(f, st, 3), RowsCSV))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good, uint8(3))
	f.Add(good[:len(good)-7], uint8(3))
	f.Add(bytes.Replace(good, []byte(",0,"), []byte(",-1,"), 1), uint8(2))
	f.Add([]byte("rep,seed\n"), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, done uint8) {
		// foldSaved's reading, from memory: a file per input made the fuzzer crawl (the
		// file's name in the errors is foldSaved's, tested in TestMergeRefusesImpossibleRows).
		m := &Manifest{Reps: Range{0, 255}, Done: uint64(done)}
		sum := NewSummary(st)
		var rows int
		if err := foldRows(context.Background(), bytes.NewReader(data), st, m, sum, rowCounter{&rows, st.Layout()}); err != nil {
			return
		}
		if uint64(rows) != m.Done || uint64(sum.N()) != m.Done {
			t.Fatalf("read %d rows (summary %d) of %d", rows, sum.N(), m.Done)
		}
	})
}

// rowCounter is a RowSink that counts the rows it is handed, and fails on one that no
// replication of the layout's scenario could produce.
type rowCounter struct {
	n *int
	l *Layout
}

func (c rowCounter) WriteRow(r *Row) error {
	if err := c.l.Validate(r); err != nil {
		panic(fmt.Sprintf("a row folded that Validate refuses: %v", err))
	}
	*c.n++
	return nil
}

// FuzzParseSetting: a --set argument of mc or compare gives a path and one non-empty value,
// or an error that quotes the flag.
func FuzzParseSetting(f *testing.F) {
	for _, s := range []string{"raids[0].count=40", "c2.doctrine=salvo", "x=1,2", "=3", "a=", "a=1:3:1", "a=[x, y]", "a= 2 ", "a=1:1:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		s, err := ParseSetting("set-b", arg)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "--set-b ") {
				t.Fatalf("%q: error %v does not name --set-b", arg, err)
			}
			return
		}
		if s.Path == "" || s.Value == "" || s.Path != strings.TrimSpace(s.Path) || s.Value != strings.TrimSpace(s.Value) {
			t.Fatalf("%q: path %q, value %q", arg, s.Path, s.Value)
		}
	})
}
