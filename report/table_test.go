package report

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

var testCols = Columns{Uint: []string{"rep", "seed"}, Int: []string{"launched", "leaked"}, Float: []string{"value_lost", "z"}}

var testRows = []struct {
	u []uint64
	i []int64
	f []float64
}{
	{[]uint64{0, math.MaxUint64}, []int64{38, 1}, []float64{95.91234567891234, 0}},
	{[]uint64{1, 7}, []int64{38, -2}, []float64{0.1 + 0.2, 1e-300}},
}

// rowWriter is what the CSV and Parquet writers have in common.
type rowWriter interface {
	WriteRow(u []uint64, i []int64, f []float64) error
	Close() error
}

// writeTestRows writes testRows to w and closes it.
func writeTestRows(t testing.TB, w rowWriter) {
	t.Helper()
	for _, r := range testRows {
		if err := w.WriteRow(r.u, r.i, r.f); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestCSVRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewCSVWriter(&buf, testCols)
	if err != nil {
		t.Fatal(err)
	}
	writeTestRows(t, w)
	k := 0
	err = ReadCSV(bytes.NewReader(buf.Bytes()), testCols, func(u []uint64, i []int64, f []float64) error {
		r := testRows[k]
		if !reflect.DeepEqual(u, r.u) || !reflect.DeepEqual(i, r.i) || !reflect.DeepEqual(f, r.f) {
			t.Errorf("row %d: read %v %v %v, wrote %v %v %v", k, u, i, f, r.u, r.i, r.f)
		}
		k++
		return nil
	})
	if err != nil || k != len(testRows) {
		t.Fatalf("read %d rows, err %v", k, err)
	}
	bad := Columns{Uint: []string{"rep"}}
	if err := ReadCSV(bytes.NewReader(buf.Bytes()), bad, nil); err == nil {
		t.Error("a header mismatch was not reported")
	}
}

func TestParquetColumnsAndValues(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewParquetWriter(&buf, testCols)
	if err != nil {
		t.Fatal(err)
	}
	writeTestRows(t, w)
	f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, fl := range f.Schema().Fields() {
		names = append(names, fl.Name())
	}
	if !reflect.DeepEqual(names, testCols.Names()) {
		t.Fatalf("columns %v, want %v", names, testCols.Names())
	}
	rd := parquet.NewReader(f)
	rows := make([]parquet.Row, 4)
	n, _ := rd.ReadRows(rows)
	if n != len(testRows) {
		t.Fatalf("read %d rows, want %d", n, len(testRows))
	}
	for k, r := range testRows {
		got := rows[k]
		if uint64(got[1].Int64()) != r.u[1] || got[3].Int64() != r.i[1] || got[4].Double() != r.f[0] {
			t.Errorf("row %d: %v", k, got)
		}
	}
}

func TestDuplicateColumns(t *testing.T) {
	c := Columns{Int: []string{"a"}, Float: []string{"a"}}
	if _, err := NewCSVWriter(&bytes.Buffer{}, c); err == nil {
		t.Error("duplicate columns accepted by the CSV writer")
	}
	if _, err := NewParquetWriter(&bytes.Buffer{}, c); err == nil {
		t.Error("duplicate columns accepted by the Parquet writer")
	}
}

// Bad rows files give the line and column of what is wrong, what was found and what was
// expected.
func TestReadCSVErrors(t *testing.T) {
	const head = "rep,seed,launched,leaked,value_lost,z\n"
	cases := []struct{ name, data, want string }{
		{"empty", "", "line 1: the file is empty; expected a header line"},
		{"renamed column", "rep,seed,launched,lost,value_lost,z\n", `line 1, column 19: found column "lost"; expected "leaked" (column 4`},
		{"short header", "rep,seed\n", `line 1: the header ends after 2 columns; expected 6, the next "launched"`},
		{"extra column", head[:len(head)-1] + ",x\n", `line 1, column 39: found an extra column "x"; expected 6 columns`},
		{"negative replication", head + "-1,7,38,1,0.5,0\n", `line 2, column 1 (rep): found "-1"; expected an unsigned integer`},
		{"integer", head + "0,7,38,1,0.5,0\n1,7,3x,1,0.5,0\n", `line 3, column 5 (launched): found "3x"; expected an integer`},
		{"number", head + "0,7,38,1,half,0\n", `line 2, column 10 (value_lost): found "half"; expected a number`},
		{"missing field", head + "0,7,38,1,0.5\n", `line 2: found 5 fields; expected 6, as the header (the row ends before "z")`},
		{"field too many", head + "0,7,38,1,0.5,0\n1,7,38,1,0.5,0,9\n", `line 3, column 16: found 7 fields; expected 6, as the header (an extra "9")`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := ReadCSV(strings.NewReader(c.data), testCols, func([]uint64, []int64, []float64) error { return nil })
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
	// An error of the row's consumer gets the row's line.
	err := ReadCSV(strings.NewReader(head+"0,7,38,1,0.5,0\n1,7,38,1,0.5,0\n"), testCols, func(u []uint64, _ []int64, _ []float64) error {
		if u[0] == 1 {
			return errors.New("not wanted")
		}
		return nil
	})
	if err == nil || err.Error() != "line 3: not wanted" {
		t.Errorf("consumer error: %v", err)
	}
}

// FuzzReadCSV: whatever the bytes, ReadCSV returns rows or an error, never panics, and a row it
// accepts written back reads back the same.
func FuzzReadCSV(f *testing.F) {
	var buf bytes.Buffer
	w, err := NewCSVWriter(&buf, testCols)
	if err != nil {
		f.Fatal(err)
	}
	writeTestRows(f, w)
	f.Add(buf.Bytes())
	f.Add([]byte("rep,seed,launched,leaked,value_lost,z\n1,2,3,4,NaN,-Inf\n"))
	f.Add([]byte("rep,seed\n\"1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = ReadCSV(bytes.NewReader(data), testCols, func(u []uint64, i []int64, fl []float64) error {
			var out bytes.Buffer
			w, err := NewCSVWriter(&out, testCols)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.WriteRow(u, i, fl); err != nil {
				t.Fatal(err)
			}
			_ = w.Close()
			return ReadCSV(&out, testCols, func(u2 []uint64, i2 []int64, f2 []float64) error {
				if !reflect.DeepEqual(u, u2) || !reflect.DeepEqual(i, i2) || len(fl) != len(f2) {
					t.Fatalf("round trip %v %v %v -> %v %v %v", u, i, fl, u2, i2, f2)
				}
				for k := range fl {
					if math.Float64bits(fl[k]) != math.Float64bits(f2[k]) && !(math.IsNaN(fl[k]) && math.IsNaN(f2[k])) {
						t.Fatalf("float %d: %v -> %v", k, fl[k], f2[k])
					}
				}
				return nil
			})
		})
	})
}

// TestCSVFloatsLookLikeFloats: whole values of float columns are written with a decimal point,
// so that readers guessing types from the values (pandas, R, DuckDB) read a float column as
// floats even when every value in it is whole; every value reads back exactly.
func TestCSVFloatsLookLikeFloats(t *testing.T) {
	cases := []struct {
		v    float64
		want string
	}{
		{0, "0.0"}, {math.Copysign(0, -1), "-0.0"}, {-3, "-3.0"}, {48.66, "48.66"},
		{1e21, "1e+21"}, {1e-300, "1e-300"}, {123456789, "1.23456789e+08"}, {math.Inf(1), "+Inf"}, {math.NaN(), "NaN"},
	}
	cols := Columns{Float: []string{"x"}}
	for _, c := range cases {
		var buf bytes.Buffer
		w, err := NewCSVWriter(&buf, cols)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteRow(nil, nil, []float64{c.v}); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimPrefix(buf.String(), "x\n"); got != c.want+"\n" {
			t.Errorf("%v written as %q, want %q", c.v, got, c.want)
		}
		err = ReadCSV(bytes.NewReader(buf.Bytes()), cols, func(_ []uint64, _ []int64, f []float64) error {
			if math.Float64bits(f[0]) != math.Float64bits(c.v) && !(math.IsNaN(c.v) && math.IsNaN(f[0])) {
				t.Errorf("%v read back as %v", c.v, f[0])
			}
			return nil
		})
		if err != nil {
			t.Errorf("%v: %v", c.v, err)
		}
	}
}
