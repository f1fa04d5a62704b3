package sim

import (
	"encoding/json"
	"fmt"
	"testing"
)

// discardSink takes every event and keeps none: with it, the engine builds track events in
// full (World.logTracks).
type discardSink struct{ n int }

func (d *discardSink) Record(*Event) { d.n++ }

// TestOutcomeWithoutSink runs examples without a sink of the caller's, where trackEvent
// leaves out what only the event log reads, and with one, where it builds every track
// event: the outcomes must be byte-identical (the recorder must read nothing left out).
func TestOutcomeWithoutSink(t *testing.T) {
	for _, tc := range []struct {
		name string
		seed uint64
	}{{"capital", 1}, {"capital", 7}, {"ground", 20261124}} {
		t.Run(fmt.Sprintf("%s/seed=%d", tc.name, tc.seed), func(t *testing.T) {
			var outs [2][]byte
			for k, sink := range []*discardSink{nil, {}} {
				s, cat := example(t, tc.name, nil)
				opt := Options{Seed: &tc.seed}
				if sink != nil {
					opt.Sink = sink
				}
				w, err := New(s, cat, opt)
				if err != nil {
					t.Fatal(err)
				}
				if w.logTracks != (sink != nil) {
					t.Fatalf("logTracks %v with sink %v", w.logTracks, sink != nil)
				}
				o, err := w.Run()
				if err != nil {
					t.Fatal(err)
				}
				if outs[k], err = json.Marshal(o); err != nil {
					t.Fatal(err)
				}
				if o.Detected == 0 {
					t.Fatal("nothing detected: the test compares nothing")
				}
			}
			if string(outs[0]) != string(outs[1]) {
				t.Errorf("outcome without a sink differs:\n%s\n%s", outs[0], outs[1])
			}
		})
	}
}
