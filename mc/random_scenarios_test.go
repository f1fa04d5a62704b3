package mc

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/adsim/adsim/internal/scengen"
)

// TestRandomScenariosThroughMC runs random variants of the default scenario (internal/scengen:
// other doctrines and pictures, units removed, raids of other classes — aircraft with stand-off
// weapons among them — sizes, altitudes and windows) through the Monte Carlo engine, which
// the engine's own invariants test (sim) does not reach: each variant the validator accepts
// must give rows that Layout.Validate accepts (what merge and --resume would read back), a
// summary and a comparison with itself whose intervals are ordered within their ranges (what
// sweep.json's reader checks), and JSON. adsim mc refused every scenario with an aircraft raid
// until the layout learned of stand-off weapons. Each row is replayed (Replay: an event log
// with detections, the picture scored) and must come out the same. CI runs 5 variants;
// ADSIM_SOAK=N runs N.
func TestRandomScenariosThroughMC(t *testing.T) {
	if raceDetector {
		t.Skip("single-threaded engine runs; covered by go test without -race")
	}
	files, err := scengen.All(5)
	if err != nil {
		t.Fatal(err)
	}
	invalid := 0
	for _, f := range files {
		name, data := f.Name, f.Data
		st, err := NewStudy(name, data, nil, nil)
		if err != nil {
			invalid++ // the validator refused it
			continue
		}
		var rows rowsSink
		sum, err := Run(context.Background(), st, Local{}, Options{Reps: Range{0, 2}}, &rows)
		if err != nil {
			t.Errorf("%s: %v\n%s", name, err, data)
			continue
		}
		var leaking RepList
		for _, r := range rows.rows {
			if err := st.Layout().Validate(&r); err != nil {
				t.Errorf("%s: replication %d: the row is refused on reading back: %v", name, r.Rep, err)
			}
			if r.Int[iLeaked] > 0 {
				leaking.Add(r.Rep)
			}
			// adsim replay runs it again with an event log and the picture scored: the same row.
			if _, err := st.replayOne(&r, ReplayOptions{Detections: true}); err != nil {
				t.Errorf("%s: replication %d: %v", name, r.Rep, err)
			}
		}
		res := sum.Result()
		if res.Leaking.Count != leaking.Count || !slices.Equal(res.Leaking.First, leaking.First) {
			t.Errorf("%s: the summary's replications with a leaker %v, the rows' %v", name, res.Leaking, leaking)
		}
		if bad := checkIntervals(resultIntervals(res)); bad != nil {
			t.Errorf("%s: summary %s: %s", name, jsonPath(bad.at), bad.msg)
		}
		if _, err := json.Marshal(res); err != nil {
			t.Errorf("%s: summary.json: %v", name, err)
		}
		c, err := Compare(context.Background(), st, st, Local{}, Range{0, 2}, nil)
		if err != nil {
			t.Errorf("%s: compare: %v", name, err)
			continue
		}
		if f := c.LeakFlips; f.OnlyA.Count != 0 || f.OnlyB.Count != 0 || c.DifferingPairs != 0 {
			t.Errorf("%s: a study against itself flipped: %+v, %d pairs differ", name, f, c.DifferingPairs)
		}
		if bad := checkIntervals(stepIntervals(c)); bad != nil {
			t.Errorf("%s: comparison %s: %s", name, jsonPath(bad.at), bad.msg)
		}
		if _, err := json.Marshal(c); err != nil {
			t.Errorf("%s: compare --json: %v", name, err)
		}
	}
	if invalid > len(files)/3 {
		t.Errorf("%d of %d variants invalid", invalid, len(files))
	}
}
