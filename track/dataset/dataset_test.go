package dataset

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseScenarioErrorsHavePositions(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"syntax", "{\n  \"dt\": 1,\n  \"pd\": ,\n}", "s.json:3:"},
		{"type", "{\n  \"dt\": \"one\"\n}", "s.json:2:9: \"dt\""},
		{"range", "{\"dt\": 1, \"sensor\": \"linear\", \"sigma\": 1,\n \"pd\": 2}", "s.json:2:8: \"pd\""},
		{"sensor", "{\"dt\": 1,\n\"sensor\": \"sonar\"}", "s.json:2:11: \"sensor\": unknown sensor"},
		{"missing dt", "{}", "\"dt\": missing"},
		{"not object", "[1]", "want a JSON object"},
		{"trailing", "{\"dt\":1,\"sensor\":\"linear\",\"sigma\":1} x", "data after"},
		{"state order", "{\"dt\":1,\"sensor\":\"linear\",\"sigma\":1,\"state_order\":[\"x\",\"y\"]}", "state_order"},
		{"tracker", "{\"dt\":1,\"sensor\":\"linear\",\"sigma\":1,\"tracker\":{\"m\":5,\"n\":3}}", "tracker"},
		{"top speed", "{\"dt\":1,\"sensor\":\"linear\",\"sigma\":1,\n\"speed_max_mps\": -40}", "s.json:2:18: \"speed_max_mps\": must be non-negative and finite (got -40)"},
	}
	for _, c := range tests {
		_, err := ParseScenario("s.json", []byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
	}
	s, err := ParseScenario("s.json", []byte(`{"dt": 0.5, "pd": 0.8, "q": 2, "sensor": "rangebearing", "sigma_range": 10,
		"sigma_bearing_deg": 0.5, "sensor_pos": [1, 2], "clutter_per_scan": 3, "area_side_m": 1000, "other": {"x": [1]}}`))
	if err != nil || s.DT != 0.5 || s.SensorPos != [2]float64{1, 2} || s.Sensor != RangeBearing {
		t.Errorf("valid scenario: %+v, %v", s, err)
	}
}

func TestReadCSVErrorsHavePositions(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "d.csv:1:1: found an empty file; expected a header line"},
		{"missing column", "step,time,det_id,z0\n", "d.csv:1:1: found the columns step,time,det_id,z0; expected a column \"z1\""},
		{"bad number", "step,time,det_id,z0,z1\n0,0,0,1,abc\n", "d.csv:2:9: z1: found \"abc\"; expected a finite number"},
		{"NaN", "step,time,det_id,z0,z1\n0,0,0,NaN,1\n", "d.csv:2:7: z0: found \"NaN\"; expected a finite number"},
		{"short row", "step,time,det_id,z0,z1\n0,0,0\n", "d.csv:2:5: found 3 fields, no \"z0\"; expected 5, as the header has"},
		{"order", "step,time,det_id,z0,z1\n1,1,0,0,0\n0,0,0,0,0\n", "d.csv:3:1: step: found step 0 after step 1; expected the rows in step order"},
		{"two times", "step,time,det_id,z0,z1\n1,1,0,0,0\n1,2,1,0,0\n", "d.csv:3:3: time: found time 2 in step 1, which has time 1; expected one time per step"},
		{"quote", "step,time,det_id,z0,z1\n0,0,0,\"1,1\n", "d.csv:2:12: extraneous or missing \" in quoted-field"},
	}
	for _, c := range tests {
		_, err := ReadDetections("d.csv", strings.NewReader(c.in), false)
		var pe *PosError
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.As(err, &pe) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
	}
	// Columns in any order; target_id is not read unless asked.
	d, err := ReadDetections("d.csv", strings.NewReader("target_id,z1,z0,det_id,time,step\n7,2,1,0,0.5,0\n"), false)
	if err != nil || len(d) != 1 || d[0].Z0 != 1 || d[0].Z1 != 2 || d[0].TargetID != -1 {
		t.Errorf("reordered: %+v %v", d, err)
	}
	if _, err := ReadTruth("t.csv", strings.NewReader("step,time,target_id,x,vx,y\n")); err == nil {
		t.Error("truth without vy accepted")
	}
}

// Generate → write → read → run round trip, for both sensors; the tracker must reach a
// good OSPA on clean data.
func TestGenerateAndRun(t *testing.T) {
	for _, sensor := range []string{Linear, RangeBearing} {
		sc := DefaultScenario()
		sc.Sensor = sensor
		sc.ClutterPerScan = 50
		sc.SensorPos = [2]float64{0, -12000}
		p := GenParams{Scenario: sc, Targets: 20, Steps: 40, Seed: 3, SpeedMin: 10, SpeedMax: 40}
		p.Scenario.SpeedMax = p.SpeedMax
		dets, truth, err := Generate(p)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if err := WriteDir(dir, &p.Scenario, dets, truth); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(filepath.Join(dir, "scenario.json"))
		s, err := ParseScenario("scenario.json", data)
		if err != nil {
			t.Fatal(err)
		}
		if s.SpeedMax != 40 {
			t.Errorf("speed_max_mps read back as %v, want 40", s.SpeedMax)
		}
		f, _ := os.Open(filepath.Join(dir, "detections.csv"))
		d2, err := ReadDetections("detections.csv", f, true)
		f.Close()
		if err != nil || len(d2) != len(dets) {
			t.Fatalf("read back %d of %d detections: %v", len(d2), len(dets), err)
		}
		f, _ = os.Open(filepath.Join(dir, "truth.csv"))
		t2, err := ReadTruth("truth.csv", f)
		f.Close()
		if err != nil || len(t2) != 20*40 {
			t.Fatalf("truth: %d rows, %v", len(t2), err)
		}
		var out bytes.Buffer
		res, err := Run(s, Settings{}, d2, t2, NewTrackWriter(&out))
		if err != nil {
			t.Fatal(err)
		}
		m := res.Summary
		t.Logf("%s: OSPA %.1f m, GOSPA %.1f, switches %d, false %d", sensor, m.MeanOSPA, m.MeanGOSPA, m.IDSwitches, m.FalseTracks)
		if m.MeanOSPA > 30 || m.TruthsConfirmed != 20 {
			t.Errorf("%s: mean OSPA %.1f m, %d truths tracked", sensor, m.MeanOSPA, m.TruthsConfirmed)
		}
		if !strings.HasPrefix(out.String(), "step,time,track_id,x,vx,y,vy,is_update\n") || res.Rows == 0 {
			t.Errorf("%s: output %q…", sensor, out.String()[:min(80, out.Len())])
		}
	}
}

func FuzzParseScenario(f *testing.F) {
	f.Add([]byte(`{"dt": 1, "pd": 0.9, "q": 1, "sensor": "linear", "sigma": 20, "clutter_per_scan": 10, "area_side_m": 1000}`))
	f.Add([]byte(`{"dt": 1, "sensor": "rangebearing", "sigma_range": 1, "sigma_bearing_deg": 1, "sensor_pos": [0, 0], "tracker": {"m": 2}}`))
	f.Add([]byte(`{"dt": -1}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseScenario("f.json", data)
		if err != nil {
			var pe *PosError
			if !errors.As(err, &pe) || pe.Line < 1 || pe.Column < 1 {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		if !(s.DT > 0) {
			t.Fatalf("accepted dt %v", s.DT)
		}
		if _, err := Tracker(s, Settings{}); err != nil {
			t.Fatalf("valid scenario gives no tracker: %v", err)
		}
	})
}

func FuzzReadDetections(f *testing.F) {
	f.Add("step,time,det_id,z0,z1,target_id\n0,0,0,1.5,2.5,-1\n0,0,1,3,4,0\n1,1,0,5,6,0\n")
	f.Add("step,time,det_id,z0,z1\n0,0,0,\"1\",2\n")
	f.Add("z1,z0,step,time,det_id\n")
	f.Fuzz(func(t *testing.T, in string) {
		dets, err := ReadDetections("f.csv", strings.NewReader(in), false)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.csv") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		// Whatever was accepted must run through the tracker without failing.
		s := DefaultScenario()
		if _, err := Run(&s, Settings{}, dets, nil, nil); err != nil {
			t.Fatalf("run on accepted detections: %v", err)
		}
	})
}

func FuzzReadTruth(f *testing.F) {
	f.Add("step,time,target_id,x,vx,y,vy\n0,0,1,0,1,0,1\n1,1,1,1,1,1,1\n")
	f.Fuzz(func(t *testing.T, in string) {
		if _, err := ReadTruth("t.csv", strings.NewReader(in)); err != nil && !strings.HasPrefix(err.Error(), "t.csv") {
			t.Fatalf("error without the file name: %v", err)
		}
	})
}
