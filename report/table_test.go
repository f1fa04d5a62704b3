package report

import (
	"bytes"
	"math"
	"reflect"
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
func writeTestRows(t *testing.T, w rowWriter) {
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
