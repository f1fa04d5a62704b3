package report

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// Columns names the flat columns of a table of rows, grouped by type. In files the columns
// come in this order: the Uint columns, then the Int columns, then the Float columns. Every
// column is required (no nulls), so pandas, DuckDB and R read the files without a schema.
type Columns struct {
	Uint  []string // unsigned 64-bit integers (replication index, seed)
	Int   []string // signed 64-bit integers (counts)
	Float []string // IEEE 754 doubles
}

// Names returns every column name in file order.
func (c Columns) Names() []string {
	out := make([]string, 0, len(c.Uint)+len(c.Int)+len(c.Float))
	out = append(out, c.Uint...)
	out = append(out, c.Int...)
	return append(out, c.Float...)
}

// Check reports a duplicate or empty column name.
func (c Columns) Check() error {
	seen := map[string]bool{}
	for _, n := range c.Names() {
		if n == "" {
			return errors.New("report: empty column name")
		}
		if seen[n] {
			return fmt.Errorf("report: duplicate column name %q", n)
		}
		seen[n] = true
	}
	return nil
}

func (c Columns) checkRow(u []uint64, i []int64, f []float64) error {
	if len(u) != len(c.Uint) || len(i) != len(c.Int) || len(f) != len(c.Float) {
		return fmt.Errorf("report: row has %d+%d+%d values, the table %d+%d+%d columns",
			len(u), len(i), len(f), len(c.Uint), len(c.Int), len(c.Float))
	}
	return nil
}

// RowWriter writes rows of a table. Close flushes what is buffered; it does not close the
// underlying writer.
type RowWriter interface {
	WriteRow(u []uint64, i []int64, f []float64) error
	Close() error
}

// CSVWriter writes rows as RFC 4180 CSV with a header line. Floats are written in the
// shortest form that reads back to the same double (strconv 'g', -1), so a CSV file holds
// exactly what a Parquet file holds.
type CSVWriter struct {
	cols Columns
	w    *bufio.Writer
	buf  []byte
}

// NewCSVWriter writes the header line and returns a writer for the rows.
func NewCSVWriter(w io.Writer, cols Columns) (*CSVWriter, error) {
	if err := cols.Check(); err != nil {
		return nil, err
	}
	cw := &CSVWriter{cols: cols, w: bufio.NewWriter(w)}
	cw.buf = cw.buf[:0]
	for k, n := range cols.Names() {
		if k > 0 {
			cw.buf = append(cw.buf, ',')
		}
		cw.buf = appendCSVField(cw.buf, n)
	}
	cw.buf = append(cw.buf, '\n')
	_, err := cw.w.Write(cw.buf)
	return cw, err
}

func appendCSVField(b []byte, s string) []byte {
	for _, r := range s {
		if r == ',' || r == '"' || r == '\n' || r == '\r' {
			b = append(b, '"')
			for _, r := range s {
				if r == '"' {
					b = append(b, '"')
				}
				b = append(b, string(r)...)
			}
			return append(b, '"')
		}
	}
	return append(b, s...)
}

// WriteRow writes one row.
func (cw *CSVWriter) WriteRow(u []uint64, i []int64, f []float64) error {
	if err := cw.cols.checkRow(u, i, f); err != nil {
		return err
	}
	b := cw.buf[:0]
	sep := false
	for _, v := range u {
		if sep {
			b = append(b, ',')
		}
		b, sep = strconv.AppendUint(b, v, 10), true
	}
	for _, v := range i {
		if sep {
			b = append(b, ',')
		}
		b, sep = strconv.AppendInt(b, v, 10), true
	}
	for _, v := range f {
		if sep {
			b = append(b, ',')
		}
		b, sep = appendFloatCol(b, v), true
	}
	b = append(b, '\n')
	cw.buf = b
	_, err := cw.w.Write(b)
	return err
}

// appendFloatCol appends v as the shortest decimal that reads back exactly, with a decimal
// point when it is a whole number ("0.0", not "0"): readers that guess a column's type from its
// values (pandas, R's read.csv, DuckDB's read_csv_auto) would otherwise read a float column
// whose values all happen to be whole — no value lost in any replication — as integers.
func appendFloatCol(b []byte, v float64) []byte {
	start := len(b)
	b = strconv.AppendFloat(b, v, 'g', -1, 64)
	for _, c := range b[start:] {
		if (c < '0' || c > '9') && c != '-' {
			return b // a point, an exponent, NaN or ±Inf
		}
	}
	return append(b, '.', '0')
}

// Close flushes the buffered lines.
func (cw *CSVWriter) Close() error { return cw.w.Flush() }

// Flush writes the buffered rows to the underlying writer, so that the file holds every row
// written so far, each whole (a checkpoint).
func (cw *CSVWriter) Flush() error { return cw.w.Flush() }

// FieldError is an error of ReadCSV's row function about one field of the row (Field counts
// the file's columns from 0): ReadCSV gives it that field's line and column.
type FieldError struct {
	Field int
	Err   error
}

// Error is the underlying error's message (ReadCSV adds the position).
func (e *FieldError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *FieldError) Unwrap() error { return e.Err }

// ReadCSV reads a file written by CSVWriter with exactly the columns cols (the header must
// match name for name) and calls fn for each row. The slices passed to fn are reused. Errors
// give the line and column (1-based, as csv.Reader counts them) of what is wrong, what was found
// and what was expected.
func ReadCSV(r io.Reader, cols Columns, fn func(u []uint64, i []int64, f []float64) error) error {
	cr := csv.NewReader(bufio.NewReader(r))
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return errors.New("line 1: the file is empty; expected a header line")
		}
		return fmt.Errorf("reading the header: %w", err)
	}
	names := cols.Names()
	for k := 0; k < max(len(head), len(names)); k++ {
		switch {
		case k >= len(head):
			return fmt.Errorf("line 1: the header ends after %d columns; expected %d, the next %q", len(head), len(names), names[k])
		case k >= len(names):
			line, col := cr.FieldPos(k)
			return fmt.Errorf("line %d, column %d: found an extra column %q; expected %d columns", line, col, head[k], len(names))
		case head[k] != names[k]:
			line, col := cr.FieldPos(k)
			return fmt.Errorf("line %d, column %d: found column %q; expected %q (column %d of this adsim version's rows)", line, col, head[k], names[k], k+1)
		}
	}
	u := make([]uint64, len(cols.Uint))
	iv := make([]int64, len(cols.Int))
	f := make([]float64, len(cols.Float))
	field := func(rec []string, k int, what string) error {
		line, col := cr.FieldPos(k)
		return fmt.Errorf("line %d, column %d (%s): found %q; expected %s", line, col, names[k], rec[k], what)
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if errors.Is(err, csv.ErrFieldCount) {
			// csv.Reader's own message gives neither what it found nor what it expected.
			line, _ := cr.FieldPos(0)
			if len(rec) > len(names) {
				_, col := cr.FieldPos(len(names))
				return fmt.Errorf("line %d, column %d: found %d fields; expected %d, as the header (an extra %q)", line, col, len(rec), len(names), rec[len(names)])
			}
			return fmt.Errorf("line %d: found %d fields; expected %d, as the header (the row ends before %q)", line, len(rec), len(names), names[len(rec)])
		}
		if err != nil {
			return err
		}
		k := 0
		for j := range u {
			if u[j], err = strconv.ParseUint(rec[k], 10, 64); err != nil {
				return field(rec, k, "an unsigned integer")
			}
			k++
		}
		for j := range iv {
			if iv[j], err = strconv.ParseInt(rec[k], 10, 64); err != nil {
				return field(rec, k, "an integer")
			}
			k++
		}
		for j := range f {
			if f[j], err = strconv.ParseFloat(rec[k], 64); err != nil {
				return field(rec, k, "a number")
			}
			k++
		}
		if err := fn(u, iv, f); err != nil {
			var fe *FieldError
			if errors.As(err, &fe) && fe.Field >= 0 && fe.Field < len(rec) {
				line, col := cr.FieldPos(fe.Field)
				return fmt.Errorf("line %d, column %d: %w", line, col, err)
			}
			line, _ := cr.FieldPos(0)
			return fmt.Errorf("line %d: %w", line, err)
		}
	}
}

// ParquetRowGroupRows is the number of rows per Parquet row group: the writer holds at most
// one row group in memory, so memory does not grow with the number of rows.
const ParquetRowGroupRows = 8192

// ParquetWriter writes rows to a Parquet file (Snappy-compressed, one required column per
// name: UINT_64 and INT_64 logical types on INT64, and DOUBLE), with the columns in the same
// order as the CSV file.
type ParquetWriter struct {
	cols Columns
	pw   *parquet.GenericWriter[any]
	row  []parquet.Row
}

// NewParquetWriter returns a writer of rows with the columns cols.
func NewParquetWriter(w io.Writer, cols Columns) (*ParquetWriter, error) {
	if err := cols.Check(); err != nil {
		return nil, err
	}
	g := orderedGroup{Group: parquet.Group{}}
	for _, n := range cols.Uint {
		g.add(n, parquet.Uint(64))
	}
	for _, n := range cols.Int {
		g.add(n, parquet.Int(64))
	}
	for _, n := range cols.Float {
		g.add(n, parquet.Leaf(parquet.DoubleType))
	}
	schema := parquet.NewSchema("replication", g)
	pw := parquet.NewGenericWriter[any](w, schema, parquet.Compression(&parquet.Snappy),
		parquet.MaxRowsPerRowGroup(ParquetRowGroupRows))
	return &ParquetWriter{cols: cols, pw: pw, row: []parquet.Row{make(parquet.Row, 0, len(g.fields))}}, nil
}

// WriteRow writes one row.
func (p *ParquetWriter) WriteRow(u []uint64, i []int64, f []float64) error {
	if err := p.cols.checkRow(u, i, f); err != nil {
		return err
	}
	r := p.row[0][:0]
	for _, v := range u {
		r = append(r, parquet.Int64Value(int64(v)).Level(0, 0, len(r)))
	}
	for _, v := range i {
		r = append(r, parquet.Int64Value(v).Level(0, 0, len(r)))
	}
	for _, v := range f {
		r = append(r, parquet.DoubleValue(v).Level(0, 0, len(r)))
	}
	p.row[0] = r
	_, err := p.pw.WriteRows(p.row)
	return err
}

// Close writes the last row group and the file footer.
func (p *ParquetWriter) Close() error { return p.pw.Close() }

// orderedGroup is a Parquet group whose fields keep the order they were added in
// (parquet.Group sorts them by name), so Parquet and CSV files list columns alike.
type orderedGroup struct {
	parquet.Group
	fields []parquet.Field
}

func (g *orderedGroup) add(name string, n parquet.Node) {
	n = parquet.Required(n)
	g.Group[name] = n
	g.fields = append(g.fields, &namedField{Node: n, name: name})
}

// Fields implements parquet.Node.
func (g orderedGroup) Fields() []parquet.Field { return g.fields }

type namedField struct {
	parquet.Node
	name string
}

func (f *namedField) Name() string { return f.name }

func (f *namedField) Value(base reflect.Value) reflect.Value {
	if base.Kind() == reflect.Map {
		return base.MapIndex(reflect.ValueOf(f.name))
	}
	return reflect.Value{}
}
