package main

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/adsim/adsim/mc"
)

// RowsDir is the directory of sweep --out DIR --rows that holds each point's rows.
const RowsDir = "rows"

// DroppedRowsDir is the directory of sweep --out DIR --rows that the rows of points no longer
// in the sweep are moved to (sweepRows.setAside).
const DroppedRowsDir = "rows-dropped"

// sweepRows is sweep --rows: the rows of each point in DIR/rows/NAME, an 'adsim mc --out'
// directory (rows.csv, rows.parquet, summary.json, manifest.json, scenario.yaml), NAME the
// point's settings (pointDirName). It implements mc.PointRows.
type sweepRows struct {
	dir     string   // DIR/rows
	names   []string // by point
	grid    [][]mc.Setting
	missing []string // saved points run again because their rows were not kept (Have)
	n       uint64   // -n
	untilCI float64
	every   uint64
	lock    *studyLock
	setDone bool // setAside has run
}

// newSweepRows names the points' directories, refusing a grid in which two points would
// share one.
func newSweepRows(outDir string, grid [][]mc.Setting, n uint64, untilCI float64, every uint64, lock *studyLock) (*sweepRows, error) {
	r := &sweepRows{dir: filepath.Join(outDir, RowsDir), grid: grid, n: n, untilCI: untilCI, every: every, lock: lock}
	if fi, err := os.Stat(r.dir); err == nil && !fi.IsDir() {
		return nil, badInput(fmt.Errorf("--rows: %s is a file; expected a directory (or none) for the points' rows", r.dir))
	}
	seen := map[string]string{}
	for _, pt := range grid {
		name := pointDirName(pt)
		if other, ok := seen[name]; ok {
			return nil, badInput(fmt.Errorf("--rows: the points %s and %s would share the directory %s", other, pointText(pt), filepath.Join(r.dir, name)))
		}
		seen[name] = pointText(pt)
		r.names = append(r.names, name)
	}
	return r, nil
}

// pointDirName is the directory name of a point's rows: its settings as PATH=VALUE, every
// character other than a letter, digit, '.', '=', '-' or '+' written '_' (raids[0].count=30
// is raids_0_.count=30), joined by commas, so that the same point has the same directory in
// every run of the sweep; past 120 bytes, the first 100 and a hash of the settings.
func pointDirName(pt []mc.Setting) string {
	parts := make([]string, len(pt))
	for i, s := range pt {
		parts[i] = strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '=', r == '-', r == '+':
				return r
			}
			return '_'
		}, s.String())
	}
	name := strings.Join(parts, ",")
	if len(name) > 120 {
		h := fnv.New64a()
		for _, s := range pt {
			h.Write([]byte(s.String()))
			h.Write([]byte{0})
		}
		name = fmt.Sprintf("%s~%016x", name[:100], h.Sum64())
	}
	return name
}

// Have implements mc.PointRows: the point's directory holds the finished run of its study
// with the saved result's number of replications.
func (r *sweepRows) Have(point int, st *mc.Study, res *mc.Result) bool {
	m, err := mc.ReadManifest(filepath.Join(r.dir, r.names[point]))
	if err == nil && m.Complete() && m.Fingerprint == st.Fingerprint() && m.Done == uint64(res.Replications) {
		return true
	}
	r.missing = append(r.missing, pointText(r.grid[point]))
	return false
}

// sayMissing says on stderr which saved points ran again for their rows.
func (r *sweepRows) sayMissing(stderr io.Writer) {
	if n := len(r.missing); n > 0 {
		fmt.Fprintf(stderr, "adsim: %s: %s (%s) had no finished rows there: run again for them\n",
			r.dir, mc.Count(n, "saved point", "saved points"), someOf(r.missing, 3))
	}
}

// Open implements mc.PointRows: the point's directory, made afresh, as 'adsim mc --out'
// makes it for -n, --until-ci and --check-every.
func (r *sweepRows) Open(point int, st *mc.Study) (mc.PointSink, error) {
	if err := r.lock.take(); err != nil {
		return nil, err
	}
	out, err := mc.Create(filepath.Join(r.dir, r.names[point]), st)
	if err != nil {
		return nil, err
	}
	out.SetUntilCI(r.untilCI, r.every)
	if err := out.SetPlan(r.n, mc.Range{End: r.n}, nil); err != nil {
		out.Close()
		return nil, err
	}
	return &pointOut{Output: out, n: r.n}, nil
}

// pointOut is the rows of one point being run.
type pointOut struct {
	*mc.Output
	n uint64
}

// End implements mc.PointSink: a point run to its end gets its summary and manifest, as
// 'adsim mc' writes them; one that failed or was interrupted keeps the rows it ran with a
// manifest counting them (the sweep runs that point again when run again).
func (p *pointOut) End(sum *mc.Summary, err error) error {
	if err != nil {
		return p.SaveProgress()
	}
	return p.Finish(sum, p.n, mc.Range{End: p.n}, nil)
}

// setAside moves the directories in DIR/rows that are no point of this sweep to
// DIR/rows-dropped (NAME, or NAME.2, NAME.3, ... when a directory of that name was set aside
// before), once, when the sweep first saves: from then on sweep.json holds this sweep's
// points only (the saved points it dropped are left out of it), and so does DIR/rows, which
// a glob over DIR/rows/*/rows.parquet reads whole. Nothing is deleted. It returns the names
// moved.
func (r *sweepRows) setAside() ([]string, error) {
	if r.setDone {
		return nil, nil
	}
	r.setDone = true
	entries, err := os.ReadDir(r.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	keep := make(map[string]bool, len(r.names))
	for _, n := range r.names {
		keep[n] = true
	}
	dropped := filepath.Join(filepath.Dir(r.dir), DroppedRowsDir)
	var moved []string
	for _, e := range entries {
		if !e.IsDir() || keep[e.Name()] {
			continue
		}
		if err := os.MkdirAll(dropped, 0o755); err != nil {
			return moved, err
		}
		to := filepath.Join(dropped, e.Name())
		for k := 2; ; k++ {
			if _, err := os.Lstat(to); errors.Is(err, fs.ErrNotExist) {
				break
			}
			to = filepath.Join(dropped, fmt.Sprintf("%s.%d", e.Name(), k))
		}
		if err := os.Rename(filepath.Join(r.dir, e.Name()), to); err != nil {
			return moved, err
		}
		moved = append(moved, e.Name())
	}
	return moved, nil
}
