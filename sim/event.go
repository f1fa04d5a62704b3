package sim

import (
	"bufio"
	"io"
	"math"
	"strconv"
)

// EventType names what happened. docs/events.md documents each type and its fields.
type EventType uint8

// Event types, in the order a threat usually meets them.
const (
	EvLaunch       EventType = iota + 1 // a threat is launched
	EvDetect                            // a radar detected a threat on a scan
	EvTrackInit                         // a track was started
	EvTrackConfirm                      // a track reached the confirmation count
	EvTrackDrop                         // a track was dropped (no updates, or its threat is gone)
	EvAssign                            // C2 assigned a fire unit and weapon to a track
	EvFire                              // an interceptor left its launcher
	EvBurst                             // a gun fired a burst
	EvIntercept                         // an interceptor reached closest approach (kill or miss)
	EvSelfDestruct                      // an interceptor destroyed itself (target gone, time out)
	EvKill                              // a threat was destroyed
	EvLeak                              // a threat reached its target or the end of its route
	EvImpact                            // a warhead's effect on an asset
	EvEnd                               // end of run: a threat still flying
	EvRetarget                          // an interceptor whose target died was given another
	EvCancel                            // an assigned engagement ended before its first shot
	evCount
)

var eventNames = [...]string{
	EvLaunch: "launch", EvDetect: "detect", EvTrackInit: "track_init",
	EvTrackConfirm: "track_confirm", EvTrackDrop: "track_drop", EvAssign: "assign",
	EvFire: "fire", EvBurst: "burst", EvIntercept: "intercept", EvSelfDestruct: "self_destruct",
	EvKill: "kill", EvLeak: "leak", EvImpact: "impact", EvEnd: "flying_at_end", EvRetarget: "retarget",
	EvCancel: "cancel",
}

// String returns the event type's name as written in the log.
func (t EventType) String() string {
	if t > 0 && t < evCount {
		return eventNames[t]
	}
	return "unknown"
}

// Num identifies a numeric field of an event.
type Num uint8

// Numeric event fields. Each is written only when set, so a zero is never confused with "absent".
const (
	NRangeM Num = iota
	NAltM
	NPd
	NSNRdB
	NPk
	NDraw
	NMissM
	NTimeToGoS
	NValue
	NValueLost
	NDamage
	NLatDeg
	NLonDeg
	NRounds
	NTOFS
	NCostUSD
	NSpeedMps
	numCount
)

var numNames = [...]string{
	NRangeM: "range_m", NAltM: "alt_m", NPd: "pd", NSNRdB: "snr_db", NPk: "pk", NDraw: "draw",
	NMissM: "miss_m", NTimeToGoS: "time_to_go_s", NValue: "value", NValueLost: "value_lost",
	NDamage: "damage", NLatDeg: "lat_deg", NLonDeg: "lon_deg", NRounds: "rounds", NTOFS: "tof_s",
	NCostUSD: "cost_usd", NSpeedMps: "speed_mps",
}

// Event is one entry of the event log. String fields are entity ids ("" = not relevant); numeric
// fields are set with Set and written only when set.
type Event struct {
	T           float64
	Type        EventType
	Threat      string
	Class       string
	Sensor      string
	Track       string
	Unit        string
	Weapon      string
	Layer       string
	Interceptor string
	Asset       string
	Launcher    string // the aircraft that released a stand-off weapon (launch events)
	Result      string // "kill", "miss", "target_gone", "timeout", ...
	has         uint32
	nums        [numCount]float64
}

// Set sets numeric field n and returns the event for chaining.
func (e *Event) Set(n Num, v float64) *Event {
	e.nums[n] = v
	e.has |= 1 << n
	return e
}

// Get returns numeric field n and whether it was set.
func (e *Event) Get(n Num) (float64, bool) {
	return e.nums[n], e.has&(1<<n) != 0
}

// AppendJSON appends the event as one JSON object (no newline). Field order is fixed, so the
// same run gives the same bytes.
func (e *Event) AppendJSON(b []byte) []byte {
	b = append(b, `{"t":`...)
	b = appendFloat(b, e.T)
	b = append(b, `,"type":"`...)
	b = append(b, e.Type.String()...)
	b = append(b, '"')
	for _, f := range [...]struct {
		k string
		v string
	}{{"threat", e.Threat}, {"class", e.Class}, {"sensor", e.Sensor}, {"track", e.Track},
		{"unit", e.Unit}, {"weapon", e.Weapon}, {"layer", e.Layer},
		{"interceptor", e.Interceptor}, {"asset", e.Asset}, {"launcher", e.Launcher}, {"result", e.Result}} {
		if f.v == "" {
			continue
		}
		b = append(b, ',', '"')
		b = append(b, f.k...)
		b = append(b, `":`...)
		b = strconv.AppendQuote(b, f.v)
	}
	for n := Num(0); n < numCount; n++ {
		if e.has&(1<<n) == 0 {
			continue
		}
		b = append(b, ',', '"')
		b = append(b, numNames[n]...)
		b = append(b, `":`...)
		b = appendFloat(b, e.nums[n])
	}
	return append(b, '}')
}

// appendFloat writes a float with enough digits to be readable and deterministic; non-finite
// values (which JSON cannot hold) are written as null.
func appendFloat(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	// Round to 1e-6 of the unit: micro-metres and micro-seconds are far below model fidelity
	// and keep logs short.
	r := math.Round(v*1e6) / 1e6
	return strconv.AppendFloat(b, r, 'f', -1, 64)
}

// Sink receives events as they happen. Sinks must not keep the *Event after returning.
type Sink interface {
	Record(e *Event)
}

// JSONLWriter writes each event as one JSON line.
type JSONLWriter struct {
	w   *bufio.Writer
	buf []byte
	err error
}

// NewJSONLWriter returns a sink writing JSON lines to w. Call Flush at the end.
func NewJSONLWriter(w io.Writer) *JSONLWriter {
	return &JSONLWriter{w: bufio.NewWriterSize(w, 64<<10)}
}

// Record implements Sink.
func (j *JSONLWriter) Record(e *Event) {
	if j.err != nil {
		return
	}
	j.buf = e.AppendJSON(j.buf[:0])
	j.buf = append(j.buf, '\n')
	_, j.err = j.w.Write(j.buf)
}

// Flush writes buffered events and returns the first write error.
func (j *JSONLWriter) Flush() error {
	if j.err != nil {
		return j.err
	}
	return j.w.Flush()
}

// multiSink fans events out to several sinks.
type multiSink []Sink

func (m multiSink) Record(e *Event) {
	for _, s := range m {
		s.Record(e)
	}
}
