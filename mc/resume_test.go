package mc

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/adsim/adsim/report"
)

// An interrupted run saves the replications done so far; resuming it gives, file for file,
// the directory of one uninterrupted run.
func TestInterruptAndResume(t *testing.T) {
	st := loadSmall(t)
	const total = 20
	all := Range{0, total}
	ref := writeRun(t, st, total)

	// Interrupted after the third replication (the executor stops soon after).
	dir, out := createIn(t, st, "run")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sum, err := Run(ctx, st, Local{Workers: 1}, Options{Reps: all, Progress: func(d uint64) {
		if d == 3 {
			cancel()
		}
	}}, out)
	var in *Interrupted
	if !errors.As(err, &in) || !errors.Is(err, context.Canceled) || sum == nil {
		t.Fatalf("Run after cancel: %v (summary %v)", err, sum != nil)
	}
	if in.Done < 3 || in.Done >= total || in.Next != in.Done || uint64(sum.N()) != in.Done {
		t.Fatalf("interrupted: %+v, summary of %d", in, sum.N())
	}
	if err := out.Finish(sum, total, all, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := Merge(context.Background(), []string{dir}); err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("merge of the interrupted directory: %v", err)
	}

	res, err := ResumeOutput(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if res.Reps != (Range{in.Done, total}) || uint64(res.Summary.N()) != in.Done {
		t.Fatalf("resumption: reps %v, summary of %d, interrupted %+v", res.Reps, res.Summary.N(), in)
	}
	var first uint64
	sum, err = Run(context.Background(), res.Study, Local{Workers: 2}, Options{Reps: res.Reps, Resume: res.Summary,
		Progress: func(d uint64) {
			if first == 0 {
				first = d
			}
		}}, res.Out)
	if err != nil {
		t.Fatal(err)
	}
	if first != in.Done+1 {
		t.Errorf("progress resumed at %d, want %d", first, in.Done+1)
	}
	if err := res.Out.Finish(sum, res.Manifest.Total, res.Manifest.Reps, res.Manifest.Shard); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, ref, dir, RowsCSV, RowsParquet, SummaryJSON, ManifestJSON, ScenarioYAML)
	for _, gone := range []string{filepath.Join(dir, ResumeDir), dir + ".resume", dir + ".old"} {
		if _, err := os.Stat(gone); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind: %v", gone, err)
		}
	}
	if _, err := ResumeOutput(context.Background(), dir); err == nil || !strings.Contains(err.Error(), "nothing to resume") {
		t.Errorf("resuming a complete directory: %v", err)
	}
}

// A resumption that fails (or is killed) leaves the saved directory as it was.
func TestResumeCloseKeepsTheSavedRun(t *testing.T) {
	st := loadSmall(t)
	dir, out := createIn(t, st, "run")
	sum, err := Run(context.Background(), st, Local{Workers: 1}, Options{Reps: Range{0, 2}}, out)
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Finish(sum, 5, Range{0, 5}, nil); err != nil { // planned 5, saved 2
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, RowsCSV))
	res, err := ResumeOutput(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if res.Reps != (Range{2, 5}) {
		t.Fatalf("reps %v", res.Reps)
	}
	res.Out.Close()
	after, _ := os.ReadFile(filepath.Join(dir, RowsCSV))
	if !bytes.Equal(before, after) {
		t.Error("the saved rows changed")
	}
	if _, err := os.Stat(filepath.Join(dir, ResumeDir)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("working directory left behind: %v", err)
	}
}

// A hard kill (no Finish, no Close) after checkpoints leaves a directory that --resume goes
// on from, even with rows written after the last checkpoint and a line cut short at the end.
func TestResumeAfterHardKill(t *testing.T) {
	st := loadSmall(t)
	const total = 12
	all := Range{0, total}
	ref := writeRun(t, st, total)

	dir, out := createIn(t, st, "killed")
	out.SetPlan(total, all, nil)
	out.checkpointEvery = 0 // a checkpoint after every row
	var rows rowsSink
	if _, err := Run(context.Background(), st, Local{Workers: 1}, Options{Reps: Range{0, 5}}, out, &rows); err != nil {
		t.Fatal(err)
	}
	// Killed: the last checkpoint counted 5 rows; one more row reached the file after it,
	// then half of another.
	out.checkpointEvery = time.Hour
	if err := out.WriteRow(&rows.rows[0]); err != nil { // any row: resume must not read it
		t.Fatal(err)
	}
	for _, w := range out.writers {
		if cw, ok := w.(*report.CSVWriter); ok {
			_ = cw.Flush()
		}
	}
	f, err := os.OpenFile(filepath.Join(dir, RowsCSV), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString("6,2026,3")
	f.Close()
	m, err := ReadManifest(dir)
	if err != nil || m.Done != 5 {
		t.Fatalf("checkpoint manifest: %+v, %v", m, err)
	}
	if _, _, _, err := Merge(context.Background(), []string{dir}); err == nil {
		t.Error("merge accepted a killed run")
	}

	res, err := ResumeOutput(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if res.Reps != (Range{5, total}) {
		t.Fatalf("resume from %v", res.Reps)
	}
	resumeToEnd(t, res)
	sameFiles(t, ref, dir, RowsCSV, RowsParquet, SummaryJSON, ManifestJSON)
}

// A run killed while Finish writes its summary or manifest in place (SIGKILL a moment after
// the last row, or after Ctrl-C) leaves a directory --resume goes on from: the file being
// written is cut short, and the manifest on disk is still the last checkpoint's, whole.
// Before, Finish wrote manifest.json over the checkpoint's, and a kill in between left an
// empty or half manifest beside every row, which --resume and the same command again refused.
func TestKilledWhileFinishing(t *testing.T) {
	st := loadSmall(t)
	const total = 12
	all := Range{0, total}
	ref := writeRun(t, st, total)
	for _, c := range []struct {
		name string
		ran  uint64 // rows written before Finish: all, or fewer (interrupted)
		cut  string // the file whose write the kill cuts short
	}{
		{"finished, killed writing the manifest", total, ManifestJSON},
		{"finished, killed writing the summary", total, SummaryJSON},
		{"interrupted, killed writing the manifest", 5, ManifestJSON},
		{"interrupted, killed writing the summary", 5, SummaryJSON},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir, out := createIn(t, st, "run")
			if err := out.SetPlan(total, all, nil); err != nil {
				t.Fatal(err)
			}
			sum, err := Run(context.Background(), st, Local{Workers: 1}, Options{Reps: Range{0, c.ran}}, out)
			if err != nil {
				t.Fatal(err)
			}
			killed := errors.New("killed")
			out.writeFile = func(path string, data []byte, perm os.FileMode) error {
				if strings.HasPrefix(filepath.Base(path), c.cut) {
					_ = os.WriteFile(path, data[:len(data)/2], perm)
					return killed
				}
				return os.WriteFile(path, data, perm)
			}
			err = out.Finish(sum, total, all, nil)
			if !errors.Is(err, killed) {
				t.Fatalf("Finish: %v; want the kill", err)
			}
			m, err := ReadManifest(dir)
			if err != nil || m.Done != 0 {
				t.Fatalf("manifest after the kill: %+v, %v; want the first checkpoint's, 0 done", m, err)
			}
			res, err := ResumeOutput(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			resumeToEnd(t, res)
			sameFiles(t, ref, dir, RowsCSV, RowsParquet, SummaryJSON, ManifestJSON)
			for _, name := range []string{ManifestJSON + ".tmp", SummaryJSON + ".tmp", ResumeDir} {
				if _, err := os.Stat(filepath.Join(dir, name)); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s left in the directory: %v", name, err)
				}
			}
		})
	}
}

// A resumption killed after its Finish wrote the working directory's manifest, before its
// files were moved into DIR, leaves every row there: the next one takes them all and has
// nothing to run. Before, Run refused the empty range, and the CLI saved DIR with a manifest
// of every row done and no summary.json, which --resume then called complete.
func TestResumeAfterAKilledPromotion(t *testing.T) {
	st := loadSmall(t)
	const total = 12
	all := Range{0, total}
	ref := writeRun(t, st, total)
	dir, out := createIn(t, st, "run")
	sum, err := Run(context.Background(), st, Local{Workers: 1}, Options{Reps: Range{0, 4}}, out)
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Finish(sum, total, all, nil); err != nil { // interrupted after 4
		t.Fatal(err)
	}
	res, err := ResumeOutput(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	sum, err = Run(context.Background(), res.Study, Local{Workers: 2}, Options{Reps: res.Reps, Resume: res.Summary}, res.Out)
	if err != nil {
		t.Fatal(err)
	}
	res.Out.final = "" // killed before promote: the files stay in DIR/.adsim-resume
	if err := res.Out.Finish(sum, total, all, nil); err != nil {
		t.Fatal(err)
	}
	res, err = ResumeOutput(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if res.Recovered != total || res.Reps.Len() != 0 {
		t.Fatalf("recovered %d, reps %v; want all %d rows and nothing to run", res.Recovered, res.Reps, total)
	}
	resumeToEnd(t, res)
	sameFiles(t, ref, dir, RowsCSV, RowsParquet, SummaryJSON, ManifestJSON)
}

// A run that --until-ci stopped, resumed with the same rule, stays stopped: the same result
// as the run that was not interrupted.
func TestResumeUntilCIStaysStopped(t *testing.T) {
	st := loadSmall(t)
	dir, out := createIn(t, st, "run")
	opt := Options{Reps: Range{0, 40}, UntilCI: 0.9, CheckEvery: 4}
	sum, err := Run(context.Background(), st, Local{Workers: 2}, opt, out)
	if err != nil {
		t.Fatal(err)
	}
	if sum.N() != 4 {
		t.Fatalf("stopped after %d, want 4", sum.N())
	}
	if err := out.Finish(sum, 40, opt.Reps, nil); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, SummaryJSON))
	res, err := ResumeOutput(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	opt.Reps, opt.Resume = res.Reps, res.Summary
	sum, err = Run(context.Background(), res.Study, Local{Workers: 2}, opt, res.Out)
	if err != nil || sum.N() != 4 {
		t.Fatalf("resumed: %v, %d replications", err, sum.N())
	}
	if err := res.Out.Finish(sum, 40, res.Manifest.Reps, nil); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, SummaryJSON))
	if !bytes.Equal(before, after) {
		t.Error("the resumed --until-ci run changed its result")
	}
}

// A cancellation while the saved rows are read again (Ctrl-C as --resume re-reads a large
// rows.csv) stops ResumeOutput before it folds a row, with an error that names the file being
// read, says nothing was lost and wraps ctx's; and it changes nothing: the directory, with a
// killed resumption's checkpoint (inside, or an older adsim's beside) when there is one, is
// left byte for byte as it was — no working directory that a later --resume could take for a
// checkpoint — and resuming it with a live context ends with the files of one uninterrupted
// run. Before, ResumeOutput took no context and read every row first.
func TestResumeStopsRereadingWhenCancelled(t *testing.T) {
	st := loadSmall(t)
	const total = 12
	ref := writeRun(t, st, total)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		name   string
		workOf func(dir string) string // a killed resumption's working directory; nil: none
		// recovered is the number of rows a live resumption then takes from it.
		recovered uint64
	}{
		{"saved rows", nil, 0},
		{"a killed resumption's checkpoint", func(dir string) string { return filepath.Join(dir, ResumeDir) }, 7},
		{"an older adsim's checkpoint beside", func(dir string) string { return dir + ".resume" }, 7},
	} {
		t.Run(c.name, func(t *testing.T) {
			var dir, reading string
			if c.workOf == nil {
				var out *Output
				dir, out = createIn(t, st, "run")
				sum, err := Run(context.Background(), st, Local{Workers: 1}, Options{Reps: Range{0, 4}}, out)
				if err != nil {
					t.Fatal(err)
				}
				if err := out.Finish(sum, total, Range{0, total}, nil); err != nil { // interrupted after 4
					t.Fatal(err)
				}
				reading = filepath.Join(dir, RowsCSV)
			} else {
				dir = killedResumption(t, st, total, c.workOf)
				reading = filepath.Join(c.workOf(dir), RowsCSV) // the checkpoint is read first
			}
			// The parent: an older adsim's working directory is beside dir.
			before := treeFiles(t, filepath.Dir(dir))
			res, err := ResumeOutput(cancelled, dir)
			if err == nil {
				res.Out.Close()
				t.Fatal("ResumeOutput with a cancelled context read every row")
			}
			var ri *ReadInterrupted
			if !errors.Is(err, context.Canceled) || !errors.As(err, &ri) || ri.Path != reading || ri.Read != 0 ||
				!strings.Contains(err.Error(), "nothing was lost") {
				t.Errorf("ResumeOutput with a cancelled context: %v; want a ReadInterrupted of %s after 0 rows, wrapping context.Canceled", err, reading)
			}
			sameTree(t, filepath.Dir(dir), before)

			res, err = ResumeOutput(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			if res.Recovered != c.recovered {
				t.Errorf("recovered %d rows; want %d", res.Recovered, c.recovered)
			}
			resumeToEnd(t, res)
			sameFiles(t, ref, dir, RowsCSV, RowsParquet, SummaryJSON, ManifestJSON, ScenarioYAML)
		})
	}
}

// A cancellation while merge reads the shards stops it before it folds or hands on a row,
// with an error that names the file and wraps ctx's; the shards are left as they were, and a
// merge with a live context then gives the rows of one run.
func TestMergeStopsReadingWhenCancelled(t *testing.T) {
	st := loadSmall(t)
	const total = 12
	dirs := writeShards(t, st, total, 2)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	before := treeFiles(t, filepath.Dir(dirs[0]))
	var rs rowsSink
	_, _, _, err := Merge(cancelled, dirs, &rs)
	var ri *ReadInterrupted
	if !errors.Is(err, context.Canceled) || !errors.As(err, &ri) || ri.Path != filepath.Join(dirs[0], RowsCSV) || len(rs.rows) != 0 ||
		!strings.Contains(err.Error(), "nothing in them was changed") {
		t.Fatalf("Merge with a cancelled context: %v, %d rows handed on; want a ReadInterrupted of the first shard's rows, wrapping context.Canceled, and no row", err, len(rs.rows))
	}
	sameTree(t, filepath.Dir(dirs[0]), before)
	sum, _, _, err := Merge(context.Background(), dirs, &rs)
	if err != nil || sum.N() != total || len(rs.rows) != total {
		t.Fatalf("Merge: %v, summary of %v, %d rows", err, sum != nil && sum.N() == total, len(rs.rows))
	}
}

// The readers of saved rows look at their context every ReadCheckRows rows: cancelled while
// they read (by a sink, here, after row 1500 of 3000), they stop at the next look, row 2048,
// not at the end of the file; with a live context they read every row.
func TestRereadingLooksAtTheContextEveryReadCheckRows(t *testing.T) {
	st := loadSmall(t)
	ref := writeRun(t, st, 4)
	var saved rowsSink
	m, err := ReadManifest(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := foldSaved(context.Background(), ref, st, m, NewSummary(st), &saved); err != nil {
		t.Fatal(err)
	}
	// 3000 rows, the four real ones over and over, numbered as replications 0 to 2999: each
	// one is a possible replication, which is all the reader checks beside the numbering.
	const n = 3000
	var buf bytes.Buffer
	w, err := report.NewCSVWriter(&buf, st.Layout().Columns())
	if err != nil {
		t.Fatal(err)
	}
	for k := uint64(0); k < n; k++ {
		r := saved.rows[k%4]
		if err := w.WriteRow([]uint64{k, r.Seed}, r.Int, r.Float); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	m = &Manifest{Reps: Range{0, n}, Done: n}
	for _, c := range []struct {
		name     string
		cancelAt uint64 // the sink cancels the context when handed this row; n: never
		wantRead uint64 // the rows read and handed on
	}{
		{"never cancelled", n, n},
		{"cancelled at row 0", 0, ReadCheckRows},
		{"cancelled at row 1500", 1500, 2 * ReadCheckRows},
		// After the look at row 2048, and there is none after it: the rest is read.
		{"cancelled at row 2048", 2 * ReadCheckRows, n},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var read uint64
			sink := rowFunc(func(r *Row) error {
				if r.Rep == c.cancelAt {
					cancel()
				}
				read++
				return nil
			})
			err := foldRows(ctx, bytes.NewReader(buf.Bytes()), st, m, NewSummary(st), sink)
			if c.wantRead == n {
				if err != nil || read != n {
					t.Fatalf("foldRows: %v after %d rows; want all %d", err, read, n)
				}
				return
			}
			var ri *ReadInterrupted
			if !errors.As(err, &ri) || !errors.Is(err, context.Canceled) || ri.Read != c.wantRead || read != c.wantRead || ri.Want != n {
				t.Fatalf("foldRows: %v after %d rows handed on; want a ReadInterrupted after %d of %d", err, read, c.wantRead, n)
			}
		})
	}
}

// treeFiles returns the contents of the files under root, by path relative to it.
func treeFiles(t *testing.T, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files[rel] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// sameTree checks that the files under root are those of before (treeFiles), byte for byte,
// with none added and none removed.
func sameTree(t *testing.T, root string, before map[string]string) {
	t.Helper()
	after := treeFiles(t, root)
	if maps.Equal(before, after) {
		return
	}
	for _, name := range slices.Sorted(maps.Keys(before)) {
		if a, ok := after[name]; !ok {
			t.Errorf("%s was removed", name)
		} else if a != before[name] {
			t.Errorf("%s changed", name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(after)) {
		if _, ok := before[name]; !ok {
			t.Errorf("%s was added", name)
		}
	}
}

// sameFiles checks that each of files in dir is byte for byte that of the uninterrupted run
// in ref, and that both exist.
func sameFiles(t testing.TB, ref, dir string, files ...string) {
	t.Helper()
	for _, f := range files {
		a, err1 := os.ReadFile(filepath.Join(ref, f))
		b, err2 := os.ReadFile(filepath.Join(dir, f))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs from the uninterrupted run's (%v, %v)", f, err1, err2)
		}
	}
}

// createIn creates the output directory name in a new temporary directory for the study.
func createIn(t testing.TB, st *Study, name string) (string, *Output) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	out, err := Create(dir, st)
	if err != nil {
		t.Fatal(err)
	}
	return dir, out
}

// writeRun writes an uninterrupted run of the study's first total replications into a new
// directory and returns it: the reference the resumed runs must equal file for file.
func writeRun(t testing.TB, st *Study, total uint64) string {
	t.Helper()
	dir, out := createIn(t, st, "ref")
	all := Range{0, total}
	sum, err := Run(context.Background(), st, Local{Workers: 2}, Options{Reps: all}, out)
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Finish(sum, total, all, nil); err != nil {
		t.Fatal(err)
	}
	return dir
}

// resumeToEnd runs the replications a resumption has left and finishes its directory, as
// 'adsim mc --resume' does.
func resumeToEnd(t *testing.T, res *Resumption) {
	t.Helper()
	sum, err := Run(context.Background(), res.Study, Local{Workers: 2}, Options{Reps: res.Reps, Resume: res.Summary}, res.Out)
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Out.Finish(sum, res.Manifest.Total, res.Manifest.Reps, res.Manifest.Shard); err != nil {
		t.Fatal(err)
	}
}
