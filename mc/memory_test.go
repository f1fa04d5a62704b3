package mc

import (
	"context"
	"runtime"
	"testing"

	"github.com/adsim/adsim/report"
)

// cycled is an Executor that hands out real rows without simulating: replication i gets a
// fresh copy of base[i mod len(base)], as a worker's row would be a fresh allocation, and
// the replications come in blocks of eight in reverse order, so that Run's reorder buffer
// holds up to seven rows at a time.
type cycled struct{ base []Row }

func (c cycled) Execute(ctx context.Context, st *Study, reps Range, emit func(Row) error) error {
	const block = 8
	for lo := reps.Start; lo < reps.End; lo += block {
		hi := min(lo+block, reps.End)
		for rep := hi; rep > lo; rep-- {
			if err := ctx.Err(); err != nil {
				return err
			}
			b := c.base[(rep-1)%uint64(len(c.base))]
			r := Row{Rep: rep - 1, Seed: st.Seed, Int: append([]int64(nil), b.Int...), Float: append([]float64(nil), b.Float...)}
			if err := emit(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// heapProbe is a RowSink that records the live heap (after a collection) when it receives the
// rows of the given replications.
type heapProbe struct {
	at   map[uint64]bool
	heap map[uint64]uint64
}

func (p *heapProbe) WriteRow(r *Row) error {
	if p.at[r.Rep] {
		// Twice: the first collection only moves the sync.Pools' buffers (the Parquet
		// writer's among them) to their victim caches, the second frees them.
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		p.heap[r.Rep] = ms.HeapAlloc
	}
	return nil
}

// TestMemoryFlatWithN checks issue 6's "memory stays flat with N": the live heap of a run does
// not grow with the number of replications, with only the summary and with the rows written
// to Parquet and CSV. Rows kept in memory would show: a row of the small scenario is a few
// hundred bytes, so the 30,000 rows between the two probes of the first case and the 32,768
// of the second would hold several MB. The Parquet writer holds a row group (8,192 rows)
// before it writes it, so the second case probes at the same point of a row group; what
// it keeps after that is each row group's metadata for the file's footer, about 30 KB a
// row group of the small scenario's 30 columns (a few bytes a row).
func TestMemoryFlatWithN(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 43,000 replications' rows through Run")
	}
	st := loadSmall(t)
	base, _ := runLocal(t, st, 1, Options{Reps: Range{0, 16}})
	rowBytes := 8 * (len(base[0].Int) + len(base[0].Float))
	const groups = report.ParquetRowGroupRows
	for _, tc := range []struct {
		name   string
		out    bool
		early  uint64 // probes, at the same fill of the Parquet row group when out
		late   uint64
		growth uint64 // the most the live heap may grow between them, bytes
	}{
		{"summary only", false, 2000, 32000, 256 << 10},
		{"rows to Parquet and CSV", true, groups + 1024, 5*groups + 1024, 512 << 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			probe := &heapProbe{at: map[uint64]bool{tc.early: true, tc.late: true}, heap: map[uint64]uint64{}}
			sinks := []RowSink{}
			var o *Output
			if tc.out {
				var err error
				if o, err = Create(t.TempDir(), st); err != nil {
					t.Fatal(err)
				}
				defer o.Close()
				sinks = append(sinks, o)
			}
			sinks = append(sinks, probe)
			n := tc.late + 1000
			sum, err := Run(context.Background(), st, cycled{base}, Options{Reps: Range{0, n}}, sinks...)
			if err != nil {
				t.Fatal(err)
			}
			if sum.N() != int64(n) {
				t.Fatalf("summary of %d replications, want %d", sum.N(), n)
			}
			if o != nil {
				if err := o.Finish(sum, n, Range{0, n}, nil); err != nil {
					t.Fatal(err)
				}
			}
			early, late := probe.heap[tc.early], probe.heap[tc.late]
			kept := (tc.late - tc.early) * uint64(rowBytes)
			t.Logf("live heap %.2f MB at replication %d, %.2f MB at %d (rows of %d B: keeping them would add %.1f MB)",
				mb(early), tc.early, mb(late), tc.late, rowBytes, mb(kept))
			if kept < 4*tc.growth {
				t.Fatalf("the test cannot tell: kept rows would add %d B, the allowance is %d B", kept, tc.growth)
			}
			if late > early+tc.growth {
				t.Errorf("live heap grew by %.2f MB over %d replications (allowed %.2f MB)",
					mb(late-early), tc.late-tc.early, mb(tc.growth))
			}
		})
	}
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }
