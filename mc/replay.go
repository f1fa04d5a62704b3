package mc

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/adsim/adsim/sim"
)

// A Monte Carlo run keeps no event log (its memory stays flat with N); a row's replication is
// run again, on the same random streams, when its log is asked for. Replay does that for the
// rows of an output directory that a Selection picks, writes each log, and checks that every
// replication gives its saved row again bit for bit — so that a log is known to tell the story
// of the row it stands beside, and a directory's rows are audited against this build.

// Selection picks rows of an output directory by their outcome or their index: what
// `adsim replay --reps` parses.
type Selection struct {
	kind  selKind
	index int     // the class (selLeaked) or asset (selHit) named, -1 for any
	spans []Range // selList: ascending, disjoint, half-open
	spec  string
}

type selKind uint8

const (
	selAll selKind = iota
	selLeaked
	selHit
	selList
	selNoShot    // a leaker nothing was fired at
	selUntracked // a leaker never tracked
)

// SelectionHelp says what ParseSelection reads, for flag help and errors.
const SelectionHelp = "leaked (a threat got through), leaked:CLASS, no-shot (a leaker nothing was fired at), untracked (a leaker never tracked), hit (an asset was hit), hit:ASSET, all, or replication indices such as 7,12,100-199"

// ParseSelection reads a selection of replications: "leaked" (at least one leaker),
// "leaked:CLASS" (a threat of that class leaked), "no-shot" and "untracked" (a leaker nothing
// was fired at, one never tracked: the columns leaked_no_shot and leaked_untracked), "hit"
// (an asset lost value), "hit:ASSET", "all", or a comma-separated list of indices and inclusive ranges ("7,12,100-199"). Class
// and asset ids are the layout's (the scenario's).
func ParseSelection(spec string, l *Layout) (Selection, error) {
	s := strings.TrimSpace(spec)
	sel := Selection{index: -1, spec: s}
	word, arg, hasArg := strings.Cut(s, ":")
	switch word {
	case "all", "no-shot", "untracked":
		if hasArg {
			return sel, fmt.Errorf("%q: %s takes no id; expected %s", spec, word, SelectionHelp)
		}
		sel.kind = map[string]selKind{"all": selAll, "no-shot": selNoShot, "untracked": selUntracked}[word]
		return sel, nil
	case "leaked", "hit":
		sel.kind = selLeaked
		ids, what := l.Classes, "threat class"
		if word == "hit" {
			sel.kind, ids, what = selHit, l.Assets, "asset"
		}
		if !hasArg {
			return sel, nil
		}
		sel.index = indexOf(ids, arg)
		if sel.index < 0 {
			return sel, fmt.Errorf("%q: the scenario has no %s %q; expected one of %s", spec, what, arg, strings.Join(ids, ", "))
		}
		return sel, nil
	}
	if s == "" {
		return sel, fmt.Errorf("found nothing; expected %s", SelectionHelp)
	}
	sel.kind = selList
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		lo, hi, isRange := strings.Cut(item, "-")
		a, errA := strconv.ParseUint(strings.TrimSpace(lo), 10, 64)
		b, errB := a, error(nil)
		if isRange {
			b, errB = strconv.ParseUint(strings.TrimSpace(hi), 10, 64)
		}
		if errA != nil || errB != nil {
			return sel, fmt.Errorf("%q: found %q; expected %s", spec, item, SelectionHelp)
		}
		if b < a {
			return sel, fmt.Errorf("%q: range %q runs backwards; expected %d-%d", spec, item, b, a)
		}
		if b == math.MaxUint64 {
			return sel, fmt.Errorf("%q: replication %d is beyond any run", spec, b)
		}
		sel.spans = addSpan(sel.spans, Range{a, b + 1})
	}
	return sel, nil
}

// addSpan adds r to spans (ascending, disjoint), merging what overlaps or touches.
func addSpan(spans []Range, r Range) []Range {
	out := spans[:0:0]
	for _, s := range spans {
		switch {
		case s.End < r.Start:
			out = append(out, s)
		case r.End < s.Start:
			out = append(out, r)
			r = s
		default:
			r = Range{min(r.Start, s.Start), max(r.End, s.End)}
		}
	}
	return append(out, r)
}

// Match says whether the selection picks row r.
func (s Selection) Match(l *Layout, r *Row) bool {
	switch s.kind {
	case selLeaked:
		if s.index < 0 {
			return r.Int[iLeaked] > 0
		}
		return r.Int[l.classLeaked(s.index)] > 0
	case selHit:
		if s.index < 0 {
			return r.Float[fValueLost] > 0
		}
		return r.Float[fAsset+s.index] > 0
	case selNoShot:
		return r.Int[iLeakedNoShot] > 0
	case selUntracked:
		return r.Int[iLeakedUntracked] > 0
	case selList:
		for _, sp := range s.spans {
			if r.Rep < sp.Start {
				return false
			}
			if r.Rep < sp.End {
				return true
			}
		}
		return false
	}
	return true
}

// String is the selection as it was given.
func (s Selection) String() string { return s.spec }

// Leaked is the row's number of leakers (column leaked).
func (r *Row) Leaked() int64 { return r.Int[iLeaked] }

// ValueLost is the asset value the row's replication lost (column value_lost).
func (r *Row) ValueLost() float64 { return r.Float[fValueLost] }

// Describe is a row's outcome in words: its leakers by class and how many of them nothing
// was fired at or were never tracked, and the value its assets lost, e.g. "2 leakers (1
// shahed-136, 1 iskander-m, 1 nothing fired at), value lost 124.3 (parliament 95.9,
// presidency 28.3)".
func (l *Layout) Describe(r *Row) string {
	var b strings.Builder
	switch n := r.Leaked(); n {
	case 0:
		b.WriteString("no leaker")
	case 1:
		b.WriteString("1 leaker")
	default:
		fmt.Fprintf(&b, "%d leakers", n)
	}
	var parts []string
	for c, id := range l.Classes {
		if k := r.Int[l.classLeaked(c)]; k > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", k, id))
		}
	}
	if k := r.Int[iLeakedNoShot]; k > 0 {
		parts = append(parts, fmt.Sprintf("%d nothing fired at", k))
	}
	if k := r.Int[iLeakedUntracked]; k > 0 {
		parts = append(parts, fmt.Sprintf("%d never tracked", k))
	}
	if len(parts) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
	}
	fmt.Fprintf(&b, ", value lost %.1f", r.ValueLost())
	parts = parts[:0]
	for a, id := range l.Assets {
		if v := r.Float[fAsset+a]; v > 0 {
			parts = append(parts, fmt.Sprintf("%s %.1f", id, v))
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
	}
	return b.String()
}

// RowDiff is nil when replayed is saved bit for bit (NaNs of one payload alike), else an
// error naming the first column that differs and both values.
func (l *Layout) RowDiff(saved, replayed *Row) error {
	if saved.Rep != replayed.Rep || saved.Seed != replayed.Seed {
		return fmt.Errorf("rep/seed: saved %d/%d, replayed %d/%d", saved.Rep, saved.Seed, replayed.Rep, replayed.Seed)
	}
	for k, v := range saved.Int {
		if replayed.Int[k] != v {
			return fmt.Errorf("%s: saved %d, replayed %d", l.cols.Int[k], v, replayed.Int[k])
		}
	}
	for k, v := range saved.Float {
		if math.Float64bits(replayed.Float[k]) != math.Float64bits(v) {
			return fmt.Errorf("%s: saved %s, replayed %s", l.cols.Float[k],
				strconv.FormatFloat(v, 'g', -1, 64), strconv.FormatFloat(replayed.Float[k], 'g', -1, 64))
		}
	}
	return nil
}

// Replayed is one replication run again by Replay.
type Replayed struct {
	Row     Row          // the saved row, which the replay reproduced
	Outcome *sim.Outcome // the replication's outcome, adsim run --replication's (air picture scored)
	Events  int64        // events in its log
	Path    string       // the log's file; "" when Replay wrote none
}

// NotReproduced is Replay's error when a replication does not give its saved row again.
type NotReproduced struct {
	Rep uint64
	Err error // RowDiff's: the first column that differs
}

// Error names the replication and the column that differs.
func (e *NotReproduced) Error() string {
	return fmt.Sprintf("replication %d does not reproduce its saved row: %v", e.Rep, e.Err)
}

// Unwrap returns the column's difference.
func (e *NotReproduced) Unwrap() error { return e.Err }

// SavedRowsError is Replay's error when the saved rows cannot be read: a file cut short, a
// row out of order or one that no replication of the study can give (Layout.Validate). The
// directory is at fault, not the replay.
type SavedRowsError struct {
	Err error
}

// Error is the reading's error, which names the file, line and column.
func (e *SavedRowsError) Error() string { return e.Err.Error() }

// Unwrap returns the reading's error.
func (e *SavedRowsError) Unwrap() error { return e.Err }

// ReplayOptions control Replay.
type ReplayOptions struct {
	// EventsDir receives each replication's event log as rep-I.jsonl (docs/events.md); "":
	// none is written, the replications are only checked against their rows.
	EventsDir string
	// Detections adds every radar detection to the logs.
	Detections bool
	// Max is the most replications replayed (the first selected, in index order); 0: all.
	Max uint64
	// Workers replay side by side; 0 or less: runtime.GOMAXPROCS(0).
	Workers int
}

// ReplayStats counts what Replay read and ran.
type ReplayStats struct {
	Rows     uint64 // rows read
	Selected uint64 // rows the selection picked
	Replayed uint64 // replications run again (at most Max of the selected; after a stop, those begun)
}

// EventsDir is where, in an output directory, adsim replay writes event logs by default.
const EventsDir = "events"

// EventLogs returns the names of the event logs Replay wrote in dir's EventsDir (rep-I.jsonl,
// and what a killed replay left aside), none if there is no such directory.
func EventLogs(dir string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(dir, EventsDir))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return nil, nil
		}
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && isEventLogName(e.Name()) {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// removeEventLogs removes the EventLogs of dir, and its EventsDir if that empties it. A run
// that replaces dir's rows calls it: the logs told the stories of rows that are gone. Files
// of any other name are the user's and stay, and so does the directory then.
func removeEventLogs(dir string) error {
	names, err := EventLogs(dir)
	if err != nil {
		return err
	}
	ev := filepath.Join(dir, EventsDir)
	for _, name := range names {
		if err := os.Remove(filepath.Join(ev, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	_ = os.Remove(ev) // fails, harmlessly, if anything else is there
	return nil
}

// isEventLogName says whether name is one Replay gives a log (EventLogName) or a log it is
// writing.
func isEventLogName(name string) bool {
	if rest, ok := strings.CutPrefix(name, ".rep-"); ok {
		return strings.HasSuffix(rest, ".jsonl.tmp")
	}
	num, ok := strings.CutPrefix(name, "rep-")
	if !ok {
		return false
	}
	num, ok = strings.CutSuffix(num, ".jsonl")
	if !ok {
		return false
	}
	rep, err := strconv.ParseUint(num, 10, 64)
	return err == nil && EventLogName(rep) == name
}

// EventLogName is the name of replication rep's event log in ReplayOptions.EventsDir.
func EventLogName(rep uint64) string { return "rep-" + strconv.FormatUint(rep, 10) + ".jsonl" }

// Replay runs again the replications of output directory dir (study st, manifest m: LoadStudy)
// whose saved rows sel picks, at most opt.Max of them, each with its event log, on opt.Workers
// goroutines, and checks that each gives its saved row bit for bit. done is called once for
// each, in index order (after a stop too, for those done before it). The first replication
// that does not reproduce its row stops the replay with a *NotReproduced; saved rows that
// cannot be read give a *SavedRowsError. A log is written aside and renamed into place once
// its replication has reproduced its row, so that EventsDir never holds a partial log, nor
// one of a replication that did not reproduce. The rows are read as they are needed: memory
// does not grow with their number.
func Replay(ctx context.Context, dir string, st *Study, m *Manifest, sel Selection, opt ReplayOptions, done func(*Replayed) error) (ReplayStats, error) {
	var stats ReplayStats
	if opt.EventsDir != "" {
		if err := os.MkdirAll(opt.EventsDir, 0o755); err != nil {
			return stats, err
		}
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	type job struct {
		seq uint64
		row Row
	}
	type result struct {
		seq uint64
		r   Replayed
	}
	jobs := make(chan job, workers)
	results := make(chan result, workers)
	// At most window replications are handed out and not yet reported: those done ahead of a
	// slow one wait in order, and this bounds how many.
	window := make(chan struct{}, 4*workers)

	// Read the rows and hand out the selected ones.
	var readErr error
	go func() {
		defer close(jobs)
		l := st.Layout()
		readErr = foldSaved(ctx, dir, st, m, NewSummary(st), rowFunc(func(r *Row) error {
			stats.Rows++
			if !sel.Match(l, r) {
				return nil
			}
			stats.Selected++
			if opt.Max > 0 && stats.Replayed >= opt.Max {
				return nil // counted only
			}
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return context.Cause(ctx)
			}
			j := job{seq: stats.Replayed, row: Row{Rep: r.Rep, Seed: r.Seed,
				Int: append([]int64(nil), r.Int...), Float: append([]float64(nil), r.Float...)}}
			stats.Replayed++
			select {
			case jobs <- j:
				return nil
			case <-ctx.Done():
				return context.Cause(ctx)
			}
		}))
	}()

	// Replay them.
	var wg sync.WaitGroup
	for k := 0; k < workers; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var own *Study
			for j := range jobs {
				if ctx.Err() != nil {
					continue // drain
				}
				if own == nil {
					var err error
					if own, err = st.clone(); err != nil {
						cancel(err)
						continue
					}
				}
				r, err := own.replayOne(&j.row, opt)
				if err != nil {
					cancel(err)
					continue
				}
				select {
				case results <- result{j.seq, r}:
				case <-ctx.Done():
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	// Report them in index order; after a stop, those done before it up to the first not done.
	pending := map[uint64]Replayed{}
	var next uint64
	var doneErr error
	for res := range results {
		pending[res.seq] = res.r
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-window
			if doneErr == nil {
				if doneErr = done(&r); doneErr != nil {
					cancel(doneErr)
				}
			}
		}
	}
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return stats, err
	}
	if readErr != nil && !errors.Is(readErr, context.Canceled) {
		return stats, &SavedRowsError{Err: readErr}
	}
	if err := ctx.Err(); err != nil {
		return stats, context.Cause(ctx)
	}
	return stats, nil
}

// rowFunc is a RowSink of a function.
type rowFunc func(r *Row) error

func (f rowFunc) WriteRow(r *Row) error { return f(r) }

// replayOne runs saved's replication again with its event log (opt.EventsDir) and checks it
// against saved.
func (st *Study) replayOne(saved *Row, opt ReplayOptions) (Replayed, error) {
	rep := saved.Rep
	out := Replayed{Row: *saved}
	var counter countingSink
	var f *os.File
	var log *sim.JSONLWriter
	if opt.EventsDir != "" {
		var err error
		f, err = os.CreateTemp(opt.EventsDir, ".rep-*.jsonl.tmp")
		if err != nil {
			return out, err
		}
		defer func() {
			if f != nil {
				f.Close()
				os.Remove(f.Name())
			}
		}()
		log = sim.NewJSONLWriter(f)
		counter.next = log
	}
	seed := st.Seed
	// Scored as adsim run scores it (the rows do not hold the score, and it changes nothing
	// else), so that Outcome is what adsim run --replication gives.
	w, err := sim.New(st.scen, st.cat, sim.Options{Replication: rep, Seed: &seed, Cache: st.cache,
		Sink: &counter, DetectEvents: opt.Detections})
	if err != nil {
		return out, fmt.Errorf("replication %d: %w", rep, err)
	}
	o, err := w.Run()
	if err != nil {
		return out, fmt.Errorf("replication %d: %w", rep, err)
	}
	got, err := st.layout.FromOutcome(o)
	if err != nil {
		return out, err
	}
	if err := st.layout.RowDiff(saved, &got); err != nil {
		return out, &NotReproduced{Rep: rep, Err: err}
	}
	out.Events, out.Outcome = counter.n, o
	if f != nil {
		if err := log.Flush(); err != nil {
			return out, fmt.Errorf("replication %d: event log: %w", rep, err)
		}
		if err := f.Close(); err != nil {
			return out, fmt.Errorf("replication %d: event log: %w", rep, err)
		}
		out.Path = filepath.Join(opt.EventsDir, EventLogName(rep))
		if err := os.Rename(f.Name(), out.Path); err != nil {
			return out, fmt.Errorf("replication %d: event log: %w", rep, err)
		}
		f = nil
	}
	return out, nil
}

// countingSink counts events and passes them on to next (if any).
type countingSink struct {
	n    int64
	next sim.Sink
}

func (c *countingSink) Record(e *sim.Event) {
	c.n++
	if c.next != nil {
		c.next.Record(e)
	}
}
