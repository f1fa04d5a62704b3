package mc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// SweepJSON is the file of a sweep's results in its output directory.
const SweepJSON = "sweep.json"

// SweepFormat is the format tag of sweep.json.
const SweepFormat = "adsim-sweep/1"

// SweepFile is sweep.json: what a sweep set, how far it ran, and the result at each point
// complete so far. A sweep with an output directory rewrites it after every point (by
// rename, so the file on disk is always whole): a sweep stopped in any way — Ctrl-C, SIGTERM,
// a kill, a lost machine — keeps its complete points, and the same sweep run again takes them
// from the file instead of running them again (SavedPoints).
type SweepFile struct {
	Format   string    `json:"format"`
	Scenario string    `json:"scenario"`
	Seed     uint64    `json:"seed"`
	Axes     []Axis    `json:"axes"`
	Fixed    []Setting `json:"fixed"`
	Zip      bool      `json:"zip"`
	// Replications is -n: the replications of each point (the most, with UntilCI).
	Replications uint64  `json:"replications"`
	UntilCI      float64 `json:"until_ci"`
	CheckEvery   uint64  `json:"check_every"`
	// Planned is the number of points of the sweep; Complete says whether all have run.
	Planned  int          `json:"planned_points"`
	Complete bool         `json:"complete"`
	Engine   Engine       `json:"engine"`
	Points   []SweepPoint `json:"points"`
}

// WriteSweepFile writes dir/sweep.json whole: to a temporary file, then renamed over it.
func WriteSweepFile(dir string, f *SweepFile) error {
	f.Format = SweepFormat
	return writeWhole(nil, dir, SweepJSON, f)
}

// writeWhole writes v as JSON to dir/name (making dir if needed) with write (nil:
// os.WriteFile) through a temporary file renamed over it, so that the file on disk is always
// whole, whenever the process is killed.
func writeWhole(write fileWriter, dir, name string, v any) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	tmp := filepath.Join(dir, name+".tmp")
	if err := writeJSON(write, tmp, v); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("output: %w", err)
	}
	return nil
}

// readDoc reads dir/name as JSON into v and checks its format tag (format() after the read)
// against want. It returns the file's path and bytes, to place what a later check finds
// wrong (valueOffset); a missing file is an error wrapping os.ErrNotExist. A file that is
// not JSON or has a value of the wrong type is an error with the file, line and column and
// what was expected there (jsonErrorIn), as manifest.json's are.
func readDoc(dir, name string, v any, format func() string, want string) (string, []byte, error) {
	path := filepath.Join(dir, name)
	data, err := os.ReadFile(path)
	if err != nil {
		return path, nil, err
	}
	object := fmt.Sprintf("an adsim %s file", strings.TrimSuffix(want[len("adsim-"):], "/1"))
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return path, data, jsonErrorIn(path, object, "the file", data, dec.InputOffset(), err)
	}
	more := dec.InputOffset()
	for more < int64(len(data)) && strings.IndexByte(" \t\r\n", data[more]) >= 0 {
		more++
	}
	if _, err := dec.Token(); err != io.EOF {
		return path, data, fmt.Errorf("%s:%s: found more after the file's object; expected the end of the file", path, lineCol(data, more))
	}
	if got := format(); got != want {
		return path, data, fmt.Errorf("%s:%s: format %q, expected %q", path, lineCol(data, keyOffset(data, "format")), got, want)
	}
	return path, data, nil
}

// ReadSweepFile reads dir/sweep.json; a missing file is an error wrapping os.ErrNotExist.
// Every saved point is checked as it is read (SweepFile.check): a file edited by hand or
// damaged would otherwise be printed, plotted and written again as results. What is wrong is
// an error at the file's line and column, naming the field and what was expected.
func ReadSweepFile(dir string) (*SweepFile, error) {
	var f SweepFile
	path, data, err := readDoc(dir, SweepJSON, &f, func() string { return f.Format }, SweepFormat)
	if err != nil {
		return nil, err
	}
	if bad := f.check(); bad != nil {
		return nil, fmt.Errorf("%s:%s: %s: %s (was the file edited?)", path, lineCol(data, valueOffset(data, bad.at...)), jsonPath(bad.at), bad.msg)
	}
	return &f, nil
}

// badValue is what check finds wrong in a file read back: a message, and the JSON path of
// the value it is about ("points", 1, "result", "leak_rate", "est").
type badValue struct {
	at  []any
	msg string
}

// check returns the first value of the file that no sweep could have written, or nil: a
// header out of range, a point without a result or with settings that are not the file's
// axes, replications other than -n (or, under until_ci, than a check or -n), and intervals
// that are not ordered lo ≤ est ≤ hi or leave what their metric can be (a proportion in
// [0, 1], a count or cost at least 0; a step of a proportion in [−1, 1]).
func (f *SweepFile) check() *badValue {
	bad := func(msg string, at ...any) *badValue { return &badValue{at, msg} }
	switch {
	case f.Replications == 0:
		return bad("replications 0; expected -n, at least 1", "replications")
	case f.UntilCI < 0 || f.UntilCI >= 1 || math.IsNaN(f.UntilCI):
		return bad(fmt.Sprintf("until_ci %g; expected a half-width from 0 (none) to below 1", f.UntilCI), "until_ci")
	case f.UntilCI > 0 && f.CheckEvery == 0:
		return bad("check_every 0 with until_ci; expected at least 1 replication between checks", "check_every")
	case len(f.Points) > f.Planned:
		return bad(fmt.Sprintf("planned_points %d, but the file holds %d points; expected at least as many as it holds", f.Planned, len(f.Points)), "planned_points")
	}
	for i, p := range f.Points {
		if p.Result == nil {
			return bad("no result; expected the point's result", "points", i, "result")
		}
		if len(p.Set) != len(f.Axes) {
			return bad(fmt.Sprintf("%d settings; expected one per swept field (%d: %s)", len(p.Set), len(f.Axes), axesText(f.Axes)), "points", i, "set")
		}
		for k, s := range p.Set {
			if s.Path != f.Axes[k].Path || !slices.Contains(f.Axes[k].Values, s.Value) {
				return bad(fmt.Sprintf("%s; expected one of the values of the file's axis %s", s, f.Axes[k].Path), "points", i, "set", k)
			}
		}
		r := p.Result
		n := int64(f.Replications)
		switch {
		case f.UntilCI == 0 && r.Replications != n:
			return bad(fmt.Sprintf("%d; expected the file's -n, %d", r.Replications, n), "points", i, "result", "replications")
		case f.UntilCI > 0 && (r.Replications < 1 || r.Replications > n || (r.Replications != n && r.Replications%int64(f.CheckEvery) != 0)):
			return bad(fmt.Sprintf("%d; expected a multiple of check_every %d up to -n %d, or -n itself (until_ci stops only there)", r.Replications, f.CheckEvery, n), "points", i, "result", "replications")
		case r.Seed != f.Seed:
			return bad(fmt.Sprintf("%d; expected the file's seed %d", r.Seed, f.Seed), "points", i, "result", "seed")
		}
		if b := checkIntervals(resultIntervals(r), "points", i, "result"); b != nil {
			return b
		}
		if c := p.Step; c != nil {
			if c.Replications < 2 || c.Replications > r.Replications {
				return bad(fmt.Sprintf("%d; expected from 2 to the point's %d (the pairs of the two points)", c.Replications, r.Replications), "points", i, "step", "replications")
			}
			if b := pairedCheck(c, "points", i, "step"); b != nil {
				return b
			}
		}
	}
	return nil
}

// namedInterval is an interval of a saved result, where it is in the JSON (after the
// result's own path), and the least and most its metric can be.
type namedInterval struct {
	at     []any
	iv     Interval
	lo, hi float64
	what   string // what the bounds are, for the message
}

const (
	proportion = "a proportion, from 0 to 1"
	count      = "a count, cost or ratio of at least 0"
	diffOfProp = "a difference of proportions, from -1 to 1"
	diff       = "a difference"
)

// resultIntervals lists the intervals of a result with the range of each.
func resultIntervals(r *Result) []namedInterval {
	p := func(iv Interval, at ...any) namedInterval { return namedInterval{at, iv, 0, 1, proportion} }
	c := func(iv Interval, at ...any) namedInterval { return namedInterval{at, iv, 0, math.Inf(1), count} }
	out := []namedInterval{p(r.LeakRate, "leak_rate"), p(r.AnyLeak, "p_any_leak"), c(r.Leakers, "leakers"),
		c(r.LeakersNoShot, "leakers_no_shot"), c(r.LeakersUntracked, "leakers_untracked"), c(r.ValueLost, "value_lost"),
		c(r.Interceptors.Mean, "interceptors_fired", "mean"), c(r.GunRounds.Mean, "gun_rounds", "mean"),
		c(r.DefenceCostUSD, "defence_cost_usd"), c(r.ThreatCostUSD, "threat_cost_usd"), c(r.ExchangeRatio, "exchange_ratio")}
	for i, l := range r.Layers {
		out = append(out, c(l.Kills, "layers", i, "kills"), c(l.Interceptors, "layers", i, "interceptors_fired"))
	}
	for i, k := range r.Classes {
		out = append(out, c(k.Destroyed, "classes", i, "destroyed"), p(k.LeakRate, "classes", i, "leak_rate"), p(k.AnyLeak, "classes", i, "p_any_leak"))
	}
	for i, a := range r.Assets {
		out = append(out, p(a.Hit, "assets", i, "p_hit"), c(a.ValueLost, "assets", i, "value_lost"))
	}
	for i, u := range r.Units {
		out = append(out, c(u.Kills, "units", i, "kills"))
		for j, w := range u.Weapons {
			out = append(out, c(w.Fired, "units", i, "weapons", j, "fired"))
		}
	}
	return out
}

// stepIntervals lists the paired differences of a step with the range of each.
func stepIntervals(c *Comparison) []namedInterval {
	p := func(r PairedResult, at ...any) namedInterval {
		return namedInterval{append(at, "diff"), r.Diff, -1, 1, diffOfProp}
	}
	d := func(r PairedResult, at ...any) namedInterval {
		return namedInterval{append(at, "diff"), r.Diff, math.Inf(-1), math.Inf(1), diff}
	}
	out := []namedInterval{d(c.ValueLost, "value_lost"), d(c.Leakers, "leakers"),
		d(c.LeakersNoShot, "leakers_no_shot"), d(c.LeakersUntracked, "leakers_untracked"), p(c.LeakRate, "leak_rate"),
		d(c.Interceptors, "interceptors_fired"), d(c.DefenceCost, "defence_cost_usd"), p(c.AnyLeak, "p_any_leak")}
	for i, a := range c.Assets {
		out = append(out, p(a.Hit, "assets", i, "p_hit"), d(a.ValueLost, "assets", i, "value_lost"))
	}
	return out
}

// checkIntervals returns the first interval of ivs that is not ordered lo ≤ est ≤ hi within
// its metric's range, at its path after prefix. An undefined estimate (NaN: a rate of a class
// that no replication launched) is left as it is.
func checkIntervals(ivs []namedInterval, prefix ...any) *badValue {
	for _, n := range ivs {
		at := append(slices.Clip(prefix), n.at...)
		iv := n.iv
		switch {
		case math.IsNaN(iv.Est):
			continue
		case iv.Est < n.lo || iv.Est > n.hi:
			return &badValue{append(at, "est"), fmt.Sprintf("%g; expected %s", iv.Est, n.what)}
		case iv.Lo > iv.Est || math.IsNaN(iv.Lo) || iv.Lo < n.lo:
			return &badValue{append(at, "lo"), fmt.Sprintf("%g with est %g; expected a lower bound from %g to the estimate", iv.Lo, iv.Est, n.lo)}
		case iv.Hi < iv.Est || math.IsNaN(iv.Hi) || iv.Hi > n.hi:
			return &badValue{append(at, "hi"), fmt.Sprintf("%g with est %g; expected an upper bound from the estimate to %g", iv.Hi, iv.Est, n.hi)}
		}
	}
	return nil
}

// jsonPath writes a JSON path as the fields are written in the file: points[1].result.seed.
func jsonPath(at []any) string {
	var b strings.Builder
	for _, a := range at {
		switch a := a.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", a)
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, a)
		}
	}
	return b.String()
}

// valueOffset is the offset in data of the value at the JSON path at (object keys as
// strings, array indices as ints): as far down the path as data goes, 0 for the empty path.
func valueOffset(data []byte, at ...any) int64 {
	dec := json.NewDecoder(bytes.NewReader(data))
	found := int64(0)
	// start is where the value the decoder reads next begins: after the space and the ':' or
	// ',' before it.
	start := func() int64 {
		i := dec.InputOffset()
		for i < int64(len(data)) && strings.IndexByte(" \t\r\n:,", data[i]) >= 0 {
			i++
		}
		return i
	}
	for _, step := range at {
		tok, err := dec.Token()
		if err != nil {
			return found
		}
		ok := false
		switch k := step.(type) {
		case string:
			if tok != json.Delim('{') {
				return found
			}
			for dec.More() {
				key, err := dec.Token()
				if err != nil {
					return found
				}
				if key == k {
					ok = true
					break
				}
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					return found
				}
			}
		case int:
			if tok != json.Delim('[') {
				return found
			}
			for i := 0; dec.More(); i++ {
				if i == k {
					ok = true
					break
				}
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					return found
				}
			}
		}
		if !ok {
			return found
		}
		found = start()
	}
	return found
}

// SavedPoints returns the results of f that a sweep run now, asking for the replications,
// interval and checks of want, can take as they are, keyed by their settings
// ("raids[0].count=10, c2.salvo=2"). That needs the same engine (Engine), seed, -n, and
// --until-ci with its check period; Sweep takes a saved result only for a point whose study
// has the fingerprint the result records (the same scenario, settings and catalog), so a
// saved point of another scenario or with other fixed settings is never taken. why says why
// none can be taken ("" when some may).
func (f *SweepFile) SavedPoints(want *SweepFile) (saved map[string]*Result, why string) {
	switch {
	case CurrentEngine().Check(f.Engine) != nil:
		return nil, CurrentEngine().Check(f.Engine).Error()
	case f.Seed != want.Seed:
		return nil, fmt.Sprintf("seed %d, not %d", f.Seed, want.Seed)
	case f.Replications != want.Replications:
		return nil, fmt.Sprintf("-n %d, not %d", f.Replications, want.Replications)
	case f.UntilCI != want.UntilCI || (f.UntilCI > 0 && f.CheckEvery != want.CheckEvery):
		return nil, fmt.Sprintf("--until-ci %g every %d, not %g every %d", f.UntilCI, f.CheckEvery, want.UntilCI, want.CheckEvery)
	}
	saved = make(map[string]*Result, len(f.Points))
	for _, p := range f.Points {
		saved[settingsText(p.Set)] = p.Result
	}
	return saved, ""
}

// SavedSteps returns the steps of the file's points (SweepPoint.Step), keyed by the settings of
// each point and of the one before it in the file, for Sweep's SweepHooks.SavedSteps: a step
// is taken only where the point before is the same. Call it where SavedPoints accepts the file.
func (f *SweepFile) SavedSteps() map[string]*Comparison {
	steps := map[string]*Comparison{}
	for j := 1; j < len(f.Points); j++ {
		if s := f.Points[j].Step; s != nil {
			steps[stepKey(f.Points[j-1].Set, f.Points[j].Set)] = s
		}
	}
	return steps
}

// Dropped lists the file's points that are none of points (a sweep's Grid), by their
// settings ("raids[0].count=10, c2.salvo=2"): a sweep over other values writes its own file,
// without them.
func (f *SweepFile) Dropped(points [][]Setting) []string {
	in := make(map[string]bool, len(points))
	for _, p := range points {
		in[settingsText(p)] = true
	}
	var out []string
	for _, p := range f.Points {
		if !in[settingsText(p.Set)] {
			out = append(out, settingsText(p.Set))
		}
	}
	return out
}

// SweepHooks are what a caller of Sweep may do between and during points.
type SweepHooks struct {
	// Progress, if set, is called with the point index and the replications done there.
	Progress func(point int, done uint64)
	// Saved, if set, holds results of an earlier run of the same sweep (SavedPoints): a
	// point whose settings are there, with the fingerprint of the point's study, is taken as
	// it is instead of being run.
	Saved map[string]*Result
	// Done, if set, is called after each point is complete (run or saved) with the points
	// complete so far, in order: a caller saves them (WriteSweepFile). An error stops the
	// sweep.
	Done func(points []SweepPoint) error
	// Steps, if set, pairs each point run with the point run just before it, replication by
	// replication on their common random numbers (SweepPoint.Step): the paired difference of
	// one step of a one-field sweep, far sharper than the two points' own intervals. A point
	// taken from Saved takes its step from SavedSteps; a point run after one runs the saved
	// point's replications again to pair with (the same rows, by determinism), so that a
	// resumed sweep gives the steps of one uninterrupted run. A saved point with no saved step
	// from the point now before it (values added or reordered since, or saved by a run
	// without Steps) is run again, for its step.
	Steps bool
	// SavedSteps, with Saved, holds the saved points' steps (SweepFile.SavedSteps). Without
	// Steps they are kept all the same on the points taken from Saved, so that a sweep run
	// again for another plot does not lose them from its file.
	SavedSteps map[string]*Comparison
	// Reused, if set, is called instead of Progress for a point taken from Saved, with its
	// replications: none of them ran in this process (a progress rate must not count them).
	Reused func(point int, reps uint64)
	// Replay, if set, is called as the replications of a saved point are run again to pair
	// point with (Steps): with done 0 first, then as they complete, and with done equal to of
	// (how many run) once, when all are.
	// They are work this process does, which a progress count and its rate must include.
	Replay func(point int, done, of uint64)
	// Stale, if set, is called for a point that Saved holds with another fingerprint — the
	// scenario, catalog or engine changed since — and that is therefore run again.
	Stale func(point []Setting)
	// Rows, if set, keeps each point's rows (adsim sweep --rows): a point taken from Saved
	// must have them (Have), else it runs again; a point run hands them to Open's sink.
	Rows PointRows
}

// PointRows keeps the rows of a sweep's points (SweepHooks.Rows).
type PointRows interface {
	// Have reports whether the rows of point i (its study st), run for the saved result r,
	// are kept already.
	Have(point int, st *Study, r *Result) bool
	// Open returns the sink for the rows of point i, run now. The replications a step runs
	// again to pair with a saved point do not go to it.
	Open(point int, st *Study) (PointSink, error)
}

// PointSink receives the rows of one point in replication order, and then End with how its
// run ended: the summary and nil, or Run's error (with the summary so far when interrupted).
type PointSink interface {
	RowSink
	End(sum *Summary, err error) error
}

// typedOffset is the offset in data of the first value of JSON kind kind ("string",
// "number", "bool", "null", "object", "array") reached through the object keys fields
// (matched as encoding/json matches them, ignoring case), whatever array indices lie between
// them: where a value of the wrong type is, when a decoding error knows only its fields (one
// met inside a type's own UnmarshalJSON, whose offsets count from that value, not the file).
func typedOffset(data []byte, fields []string, kind string) (int64, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var walk func(fields []string) (int64, bool, error)
	walk = func(fields []string) (int64, bool, error) {
		at := dec.InputOffset()
		for at < int64(len(data)) && strings.IndexByte(" \t\r\n:,", data[at]) >= 0 {
			at++
		}
		tok, err := dec.Token()
		if err != nil {
			return 0, false, err
		}
		if len(fields) == 0 && jsonKind(tok) == kind {
			return at, true, nil
		}
		switch tok {
		case json.Delim('{'):
			for dec.More() {
				key, err := dec.Token()
				if err != nil {
					return 0, false, err
				}
				if k, _ := key.(string); len(fields) > 0 && strings.EqualFold(k, fields[0]) {
					if off, ok, err := walk(fields[1:]); ok || err != nil {
						return off, ok, err
					}
					continue
				}
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					return 0, false, err
				}
			}
		case json.Delim('['):
			for dec.More() {
				if off, ok, err := walk(fields); ok || err != nil {
					return off, ok, err
				}
			}
		default:
			return 0, false, nil
		}
		_, err = dec.Token() // the closing delimiter
		return 0, false, err
	}
	off, ok, _ := walk(fields)
	return off, ok
}

// jsonKind is the JSON kind of a token, as json.UnmarshalTypeError.Value names it.
func jsonKind(tok json.Token) string {
	switch tok.(type) {
	case json.Delim:
		if tok == json.Delim('{') {
			return "object"
		}
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "bool"
	}
	return "null"
}

// WriteJSONFile writes v as indented JSON to dir/name whole: to a temporary file first, then
// renamed, so that a kill leaves the old file or the new one, never a part.
func WriteJSONFile(dir, name string, v any) error { return writeWhole(nil, dir, name, v) }
