// Package dataset reads and writes the tracking benchmark interchange format of adsim
// (DESIGN.md, "Tracking benchmark data"): a folder with scenario.json, detections.csv,
// truth.csv and the tracker's output tracks.csv, and generates such folders from the
// documented generative model. It is the file side of package track: the tracker itself
// knows nothing of files.
//
// Readers never panic on bad input; they report the first problem as file:line:column.
package dataset

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/adsim/adsim/internal/csvtable"
)

// Sensor kinds.
const (
	Linear       = "linear"
	RangeBearing = "rangebearing"
)

// Scenario is scenario.json. Unknown keys are ignored.
type Scenario struct {
	// DT is the scan interval, s.
	DT float64 `json:"dt"`
	// PD is the detection probability.
	PD float64 `json:"pd"`
	// Q is the nearly-constant-velocity noise diffusion coefficient per axis, m²/s³:
	// Q = q·[[dt³/3, dt²/2], [dt²/2, dt]].
	Q float64 `json:"q"`
	// Sensor is "linear" or "rangebearing".
	Sensor string `json:"sensor"`
	// Sigma is the linear sensor's noise per axis, m.
	Sigma float64 `json:"sigma"`
	// SigmaRange (m) and SigmaBearingDeg (degrees) are the rangebearing sensor's noise.
	SigmaRange      float64 `json:"sigma_range"`
	SigmaBearingDeg float64 `json:"sigma_bearing_deg"`
	// SensorPos is the rangebearing sensor's position [x, y], m.
	SensorPos [2]float64 `json:"sensor_pos"`
	// ClutterPerScan is the Poisson mean of false alarms per scan, uniform over the square
	// [−AreaSide/2, AreaSide/2]².
	ClutterPerScan float64 `json:"clutter_per_scan"`
	AreaSide       float64 `json:"area_side_m"`
	// StateOrder must be ["x","vx","y","vy"] when given.
	StateOrder []string `json:"state_order,omitempty"`
	// SpeedMax is the top initial speed of the data set's targets, m/s (adsim extension,
	// written by 'adsim track gen' from GenParams.SpeedMax; other tools ignore it). The
	// tracker never reads it: it says what a track's velocity prior must cover
	// (VelocityPriorTooNarrow).
	SpeedMax float64 `json:"speed_max_mps,omitempty"`
	// Tracker holds optional tracker settings (adsim extension; other tools ignore it).
	Tracker *TrackerSettings `json:"tracker,omitempty"`
}

// TrackerSettings are the optional tracker settings in scenario.json's "tracker" object;
// zero fields take the tracker's defaults.
type TrackerSettings struct {
	// Gate is the chi-square threshold on the innovation d².
	Gate float64 `json:"gate,omitempty"`
	// M of N looks confirm a tentative track.
	M int `json:"m,omitempty"`
	N int `json:"n,omitempty"`
	// DeleteMisses consecutive misses delete a confirmed track.
	DeleteMisses int `json:"delete_misses,omitempty"`
	// SigmaV0 is the velocity prior of a new track, m/s.
	SigmaV0 float64 `json:"sigma_v0,omitempty"`
}

// PosError is a bad-input error at a position in a file: line and column from 1, and what
// was found and expected.
type PosError = csvtable.PosError

// lineCol converts a byte offset to a 1-based line and column (in bytes).
func lineCol(data []byte, off int64) (int, int) {
	if off < 0 {
		off = 0
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	pre := data[:off]
	line := bytes.Count(pre, []byte{'\n'}) + 1
	col := int(off) - (bytes.LastIndexByte(pre, '\n') + 1) + 1
	return line, col
}

// ParseScenario parses and validates scenario.json's contents; name labels errors.
func ParseScenario(name string, data []byte) (*Scenario, error) {
	perr := func(off int64, err error) error {
		l, c := lineCol(data, off)
		return &PosError{File: name, Line: l, Column: c, Err: err}
	}
	// Walk the top-level object to learn where each key's value starts.
	dec := json.NewDecoder(bytes.NewReader(data))
	at := map[string]int64{}
	tok, err := dec.Token()
	if err != nil {
		return nil, perr(dec.InputOffset(), jsonErr(err))
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, perr(0, errors.New("want a JSON object"))
	}
	raw := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, perr(dec.InputOffset(), jsonErr(err))
		}
		key, _ := tok.(string)
		var v json.RawMessage
		off := dec.InputOffset()
		if err := dec.Decode(&v); err != nil {
			return nil, perr(dec.InputOffset(), jsonErr(err))
		}
		// Skip the colon and white space to point at the value itself.
		for off < int64(len(data)) && (data[off] == ':' || data[off] == ' ' || data[off] == '\t' || data[off] == '\n' || data[off] == '\r') {
			off++
		}
		at[key] = off
		raw[key] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, perr(dec.InputOffset(), jsonErr(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, perr(dec.InputOffset(), errors.New("data after the JSON object"))
	}
	s := &Scenario{}
	for key, v := range raw {
		var dst any
		switch key {
		case "dt":
			dst = &s.DT
		case "pd":
			dst = &s.PD
		case "q":
			dst = &s.Q
		case "sensor":
			dst = &s.Sensor
		case "sigma":
			dst = &s.Sigma
		case "sigma_range":
			dst = &s.SigmaRange
		case "sigma_bearing_deg":
			dst = &s.SigmaBearingDeg
		case "sensor_pos":
			dst = &s.SensorPos
		case "clutter_per_scan":
			dst = &s.ClutterPerScan
		case "area_side_m":
			dst = &s.AreaSide
		case "state_order":
			dst = &s.StateOrder
		case "speed_max_mps":
			dst = &s.SpeedMax
		case "tracker":
			s.Tracker = &TrackerSettings{}
			dst = s.Tracker
		default:
			continue
		}
		if err := json.Unmarshal(v, dst); err != nil {
			return nil, perr(at[key], fmt.Errorf("%q: %v", key, jsonErr(err)))
		}
	}
	bad := func(key, msg string, args ...any) error {
		off, ok := at[key]
		if !ok {
			return perr(int64(len(data)), fmt.Errorf("%q: "+msg, append([]any{key}, args...)...))
		}
		return perr(off, fmt.Errorf("%q: "+msg, append([]any{key}, args...)...))
	}
	pos := func(key string, v float64) error {
		if !(v > 0) || math.IsInf(v, 0) {
			return bad(key, "must be positive and finite (got %v)", v)
		}
		return nil
	}
	if _, ok := at["dt"]; !ok {
		return nil, bad("dt", "missing")
	}
	if err := pos("dt", s.DT); err != nil {
		return nil, err
	}
	if _, ok := at["pd"]; ok && !(s.PD > 0 && s.PD <= 1) {
		return nil, bad("pd", "must be in (0, 1] (got %v)", s.PD)
	}
	if !(s.Q >= 0) || math.IsInf(s.Q, 0) {
		return nil, bad("q", "must be non-negative and finite (got %v)", s.Q)
	}
	if !(s.ClutterPerScan >= 0) || math.IsInf(s.ClutterPerScan, 0) {
		return nil, bad("clutter_per_scan", "must be non-negative and finite (got %v)", s.ClutterPerScan)
	}
	if _, ok := at["area_side_m"]; ok {
		if err := pos("area_side_m", s.AreaSide); err != nil {
			return nil, err
		}
	}
	switch s.Sensor {
	case Linear:
		if err := pos("sigma", s.Sigma); err != nil {
			return nil, err
		}
	case RangeBearing:
		if err := pos("sigma_range", s.SigmaRange); err != nil {
			return nil, err
		}
		if err := pos("sigma_bearing_deg", s.SigmaBearingDeg); err != nil {
			return nil, err
		}
		for _, v := range s.SensorPos {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, bad("sensor_pos", "must be finite")
			}
		}
	case "":
		return nil, bad("sensor", "missing (want %q or %q)", Linear, RangeBearing)
	default:
		return nil, bad("sensor", "unknown sensor %q (want %q or %q)", s.Sensor, Linear, RangeBearing)
	}
	if !(s.SpeedMax >= 0) || math.IsInf(s.SpeedMax, 0) {
		return nil, bad("speed_max_mps", "must be non-negative and finite (got %v)", s.SpeedMax)
	}
	if s.StateOrder != nil && strings.Join(s.StateOrder, ",") != "x,vx,y,vy" {
		return nil, bad("state_order", `must be ["x","vx","y","vy"]`)
	}
	if t := s.Tracker; t != nil {
		switch {
		case t.Gate < 0 || math.IsInf(t.Gate, 0) || math.IsNaN(t.Gate):
			return nil, bad("tracker", "gate must be positive")
		case t.M < 0 || t.N < 0 || t.N > 64 || (t.M > 0 && t.N > 0 && t.M > t.N):
			return nil, bad("tracker", "want 1 ≤ m ≤ n ≤ 64")
		case t.DeleteMisses < 0:
			return nil, bad("tracker", "delete_misses must be positive")
		case t.SigmaV0 < 0 || math.IsInf(t.SigmaV0, 0) || math.IsNaN(t.SigmaV0):
			return nil, bad("tracker", "sigma_v0 must be positive")
		}
	}
	return s, nil
}

func jsonErr(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return errors.New(se.Error())
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return errors.New("unexpected end of JSON")
	}
	return err
}

// MarshalScenario returns scenario.json's contents.
func MarshalScenario(s *Scenario) ([]byte, error) {
	if s.StateOrder == nil {
		c := *s
		c.StateOrder = []string{"x", "vx", "y", "vy"}
		s = &c
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Detection is one row of detections.csv. TargetID is the true origin (−1 for clutter),
// for scoring only: a tracker must not read it (ReadDetections leaves it −1 unless asked).
type Detection struct {
	Step     int
	Time     float64
	DetID    int
	Z0, Z1   float64
	TargetID int
}

// Truth is one row of truth.csv.
type Truth struct {
	Step         int
	Time         float64
	TargetID     int
	X, VX, Y, VY float64
}

// ReadDetections reads detections.csv. Rows must come in non-decreasing step, and one step
// has one time. target_id is not read (a tracker must not see it): TargetID is −1 in every
// row unless withTarget is set, for scoring tools.
func ReadDetections(name string, rd io.Reader, withTarget bool) ([]Detection, error) {
	want := []string{"step", "time", "det_id", "z0", "z1"}
	if withTarget {
		want = append(want, "target_id")
	}
	t, err := csvtable.Open(name, rd, want)
	if err != nil {
		return nil, err
	}
	var out []Detection
	for {
		ok, err := t.Next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		var d Detection
		d.TargetID = -1
		if d.Step, err = t.Int("step"); err != nil {
			return nil, err
		}
		if d.Time, err = t.Float("time"); err != nil {
			return nil, err
		}
		if d.DetID, err = t.Int("det_id"); err != nil {
			return nil, err
		}
		if d.Z0, err = t.Float("z0"); err != nil {
			return nil, err
		}
		if d.Z1, err = t.Float("z1"); err != nil {
			return nil, err
		}
		if withTarget {
			if d.TargetID, err = t.Int("target_id"); err != nil {
				return nil, err
			}
		}
		if err := checkOrder(t, len(out) > 0, prevStep(out), prevTime(out), d.Step, d.Time); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
}

func prevStep(d []Detection) int {
	if len(d) == 0 {
		return 0
	}
	return d[len(d)-1].Step
}

func prevTime(d []Detection) float64 {
	if len(d) == 0 {
		return 0
	}
	return d[len(d)-1].Time
}

func checkOrder(t *csvtable.Table, have bool, ps int, pt float64, s int, tm float64) error {
	if s < 0 {
		return t.ErrAt("step", fmt.Errorf("found %d; expected a step of 0 or more", s))
	}
	if !have {
		return nil
	}
	switch {
	case s < ps:
		return t.ErrAt("step", fmt.Errorf("found step %d after step %d; expected the rows in step order", s, ps))
	case s == ps && tm != pt:
		return t.ErrAt("time", fmt.Errorf("found time %v in step %d, which has time %v; expected one time per step", tm, s, pt))
	case s > ps && tm < pt:
		return t.ErrAt("time", fmt.Errorf("found time %v after time %v; expected times that do not go back", tm, pt))
	}
	return nil
}

// ReadTruth reads truth.csv, with the same ordering rules as ReadDetections.
func ReadTruth(name string, rd io.Reader) ([]Truth, error) {
	t, err := csvtable.Open(name, rd, []string{"step", "time", "target_id", "x", "vx", "y", "vy"})
	if err != nil {
		return nil, err
	}
	var out []Truth
	for {
		ok, err := t.Next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		var r Truth
		if r.Step, err = t.Int("step"); err != nil {
			return nil, err
		}
		if r.Time, err = t.Float("time"); err != nil {
			return nil, err
		}
		if r.TargetID, err = t.Int("target_id"); err != nil {
			return nil, err
		}
		for _, f := range []struct {
			c string
			p *float64
		}{{"x", &r.X}, {"vx", &r.VX}, {"y", &r.Y}, {"vy", &r.VY}} {
			if *f.p, err = t.Float(f.c); err != nil {
				return nil, err
			}
		}
		have := len(out) > 0
		var ps int
		var pt float64
		if have {
			ps, pt = out[len(out)-1].Step, out[len(out)-1].Time
		}
		if err := checkOrder(t, have, ps, pt, r.Step, r.Time); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
}

// TrackRow is one row of tracks.csv.
type TrackRow struct {
	Step         int
	Time         float64
	TrackID      int
	X, VX, Y, VY float64
	IsUpdate     bool
}

// TrackWriter writes tracks.csv.
type TrackWriter struct {
	w   io.Writer
	buf []byte
	err error
}

// NewTrackWriter writes the header to w.
func NewTrackWriter(w io.Writer) *TrackWriter {
	tw := &TrackWriter{w: w}
	_, tw.err = io.WriteString(w, "step,time,track_id,x,vx,y,vy,is_update\n")
	return tw
}

// Write writes one row (buffered by the caller's writer).
func (tw *TrackWriter) Write(r TrackRow) error {
	if tw.err != nil {
		return tw.err
	}
	b := tw.buf[:0]
	b = strconv.AppendInt(b, int64(r.Step), 10)
	b = append(b, ',')
	b = strconv.AppendFloat(b, r.Time, 'g', -1, 64)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.TrackID), 10)
	for _, v := range [...]float64{r.X, r.VX, r.Y, r.VY} {
		b = append(b, ',')
		b = strconv.AppendFloat(b, v, 'f', 3, 64)
	}
	if r.IsUpdate {
		b = append(b, ",1\n"...)
	} else {
		b = append(b, ",0\n"...)
	}
	tw.buf = b
	_, tw.err = tw.w.Write(b)
	return tw.err
}
