// Package csvtable reads CSV files with a header line, by column name, and says where a bad
// value stands: every error is a *PosError at the file's line and column, saying what was
// found and what was expected. It owns no file format: its callers name the columns they
// need and decide what the values mean.
package csvtable

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// PosError is a bad-input error at a position in a file (line and column from 1; the column
// counts bytes, as encoding/csv does).
type PosError struct {
	File         string
	Line, Column int
	Err          error
}

// Error is "FILE:LINE:COLUMN: what was found; what was expected".
func (e *PosError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %v", e.File, e.Line, e.Column, e.Err)
}

// Unwrap returns the error without its position.
func (e *PosError) Unwrap() error { return e.Err }

// Table reads the rows of a CSV file after its header.
type Table struct {
	name   string
	r      *csv.Reader
	header []string
	col    map[string]int
	rec    []string
}

// Open reads the header of the CSV file r (called name in errors), which must have every
// column of want, each column once (a byte-order mark and spaces around a name are
// ignored). Other columns are allowed. Rows may have any number of fields: a row too short
// for a column is an error only when that column is read.
func Open(name string, r io.Reader, want []string) (*Table, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	hdr, err := cr.Read()
	if err == io.EOF {
		return nil, &PosError{File: name, Line: 1, Column: 1, Err: fmt.Errorf("found an empty file; expected a header line with the columns %s", strings.Join(want, ","))}
	}
	if err != nil {
		return nil, parseError(name, err)
	}
	t := &Table{name: name, r: cr, header: make([]string, len(hdr)), col: make(map[string]int, len(hdr))}
	for i, h := range hdr {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		t.header[i] = h
		if _, dup := t.col[h]; dup {
			l, c := cr.FieldPos(i)
			return nil, &PosError{File: name, Line: l, Column: c, Err: fmt.Errorf("found the column %q twice; expected each column once", h)}
		}
		t.col[h] = i
	}
	for _, w := range want {
		if _, ok := t.col[w]; !ok {
			return nil, &PosError{File: name, Line: 1, Column: 1, Err: fmt.Errorf("found the columns %s; expected a column %q (the header needs %s)",
				strings.Join(t.header, ","), w, strings.Join(want, ","))}
		}
	}
	return t, nil
}

// parseError is an error of encoding/csv as a *PosError.
func parseError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &PosError{File: name, Line: pe.Line, Column: pe.Column, Err: pe.Err}
	}
	return fmt.Errorf("%s: %w", name, err)
}

// Next reads the next row; false at the end of the file.
func (t *Table) Next() (bool, error) {
	rec, err := t.r.Read()
	if err == io.EOF {
		return false, nil
	}
	if err != nil {
		return false, parseError(t.name, err)
	}
	t.rec = rec
	return true, nil
}

// Line is the line of the row read last.
func (t *Table) Line() int {
	l, _ := t.r.FieldPos(0)
	return l
}

// ErrAt is err at the field of column col in the row read last (at the row's last field when
// the row is too short to have col), prefixed with the column's name.
func (t *Table) ErrAt(col string, err error) error {
	i := t.col[col]
	if i >= len(t.rec) {
		l, c := t.r.FieldPos(len(t.rec) - 1)
		return &PosError{File: t.name, Line: l, Column: c, Err: fmt.Errorf("found %d fields, no %q; expected %d, as the header has", len(t.rec), col, len(t.header))}
	}
	l, c := t.r.FieldPos(i)
	return &PosError{File: t.name, Line: l, Column: c, Err: fmt.Errorf("%s: %w", col, err)}
}

// Text is the value of column col in the row read last.
func (t *Table) Text(col string) (string, error) {
	i := t.col[col]
	if i >= len(t.rec) {
		return "", t.ErrAt(col, nil)
	}
	return t.rec[i], nil
}

// Float is the value of column col in the row read last, a finite number.
func (t *Table) Float(col string) (float64, error) {
	s, err := t.Text(col)
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, t.ErrAt(col, fmt.Errorf("found %q; expected a finite number", s))
	}
	return v, nil
}

// Int is the value of column col in the row read last, a whole number.
func (t *Table) Int(col string) (int, error) {
	s, err := t.Text(col)
	if err != nil {
		return 0, err
	}
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, t.ErrAt(col, fmt.Errorf("found %q; expected a whole number", s))
	}
	return v, nil
}
