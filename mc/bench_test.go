package mc

import (
	"testing"
)

// The per-replication bookkeeping of a study — folding a row into the summary and writing it
// to rows.csv and rows.parquet — must stay negligible next to the replication itself
// (~0.1 s for the default scenario): `go test ./mc -bench Row`.

func benchRows(b *testing.B) (*Study, []Row) {
	st := loadSmall(b)
	rows, _ := runLocal(b, st, 1, Options{Reps: Range{0, 8}})
	return st, rows
}

func BenchmarkSummaryAddRow(b *testing.B) {
	st, rows := benchRows(b)
	s := NewSummary(st)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		s.Add(&rows[i%len(rows)])
	}
}

func BenchmarkOutputWriteRow(b *testing.B) {
	st, rows := benchRows(b)
	out, err := Create(b.TempDir(), st)
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := out.WriteRow(&rows[i%len(rows)]); err != nil {
			b.Fatal(err)
		}
	}
}
