package csvtable

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// readAll reads every row of in as columns a (text), x (number) and n (whole number), each
// row as "a x n".
func readAll(in string) (rows []string, err error) {
	t, err := Open("t.csv", strings.NewReader(in), []string{"a", "x", "n"})
	if err != nil {
		return nil, err
	}
	for {
		ok, err := t.Next()
		if err != nil || !ok {
			return rows, err
		}
		a, err := t.Text("a")
		if err != nil {
			return nil, err
		}
		x, err := t.Float("x")
		if err != nil {
			return nil, err
		}
		n, err := t.Int("n")
		if err != nil {
			return nil, err
		}
		rows = append(rows, fmt.Sprintf("%s %v %d", a, x, n))
	}
}

func TestTable(t *testing.T) {
	tests := []struct {
		name, in string
		rows     []string // "a x n" of each row
		err      string
	}{
		{"rows", "a,x,n\np,1.5,2\nq, -3 ,4\n", []string{"p 1.5 2", "q -3 4"}, ""},
		{"any order, other columns, BOM, CRLF", "\ufeffn , other, x,a\r\n7,z,0.25,r\r\n", []string{"r 0.25 7"}, ""},
		{"header only", "a,x,n\n", nil, ""},
		{"long row", "a,x,n\np,1,2,extra\n", []string{"p 1 2"}, ""},
		{"empty", "", nil, "t.csv:1:1: found an empty file; expected a header line with the columns a,x,n"},
		{"missing column", "a,n\n", nil, `t.csv:1:1: found the columns a,n; expected a column "x" (the header needs a,x,n)`},
		{"column twice", "a,x,n,x\n", nil, `t.csv:1:7: found the column "x" twice; expected each column once`},
		{"not a number", "a,x,n\np,1e,2\n", nil, `t.csv:2:3: x: found "1e"; expected a finite number`},
		{"not finite", "a,x,n\np,+Inf,2\n", nil, `t.csv:2:3: x: found "+Inf"; expected a finite number`},
		{"not whole", "a,x,n\np,1,2.5\n", nil, `t.csv:2:5: n: found "2.5"; expected a whole number`},
		{"short row", "a,x,n\np,1\n", nil, `t.csv:2:3: found 2 fields, no "n"; expected 3, as the header has`},
		{"quote", "a,x,n\np,\"1,2\n", nil, `t.csv:2:`},
		{"second row", "a,x,n\np,1,2\nq,x,2\n", nil, `t.csv:3:3: x: found "x"`},
	}
	for _, c := range tests {
		t.Run(c.name, func(t *testing.T) {
			rows, err := readAll(c.in)
			if c.err != "" {
				var pe *PosError
				if err == nil || !strings.HasPrefix(err.Error(), c.err) || !errors.As(err, &pe) {
					t.Fatalf("error %v; want a *PosError starting %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(c.rows) {
				t.Fatalf("%d rows; want %d", len(rows), len(c.rows))
			}
			for i, r := range rows {
				if r != c.rows[i] {
					t.Errorf("row %d: %q; want %q", i, r, c.rows[i])
				}
			}
		})
	}
}

// FuzzTable: any input gives rows or an error at a line and column of t.csv, never a panic.
func FuzzTable(f *testing.F) {
	for _, s := range []string{"a,x,n\np,1.5,2\n", "a,x,n\np,1\n", "n,x,a\n1,2,3\n4\n", "a,x,n\n\"p\n", "", "a,a\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if _, err := readAll(in); err != nil {
			var pe *PosError
			if !errors.As(err, &pe) || pe.File != "t.csv" || pe.Line < 1 || pe.Column < 1 || !strings.HasPrefix(err.Error(), "t.csv:") {
				t.Fatalf("error without a position in t.csv: %v", err)
			}
		}
	})
}
