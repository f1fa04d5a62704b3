package sim

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/adsim/adsim/scenario"
)

// TestRandomScenariosKeepInvariants runs variants of the default scenario drawn at random —
// doctrines, assignment methods, pictures, frame steps and decision periods; sensors and fire
// units removed, channels and reaction times changed; raids of other classes, sizes (up to
// 200), altitudes (down to 1 m), launch points (on top of the city) and windows; very short
// runs — and checks that each one the scenario validator accepts runs without an error or a
// panic, conserves its threats (launched = destroyed + leaked + flying), loses a value within
// [0, the assets' value], and gives the same outcome twice. CI runs the first 10 variants;
// ADSIM_SOAK=N runs N (at commit 5e7545f, 400 ran clean, 74 of them refused by the validator
// with file:line:col errors; 600 of a milder draw before them, all valid, too).
func TestRandomScenariosKeepInvariants(t *testing.T) {
	nRuns := 10
	if v := os.Getenv("ADSIM_SOAK"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("ADSIM_SOAK=%q: expected a number of scenarios ≥ 1", v)
		}
		nRuns = n
	}
	base, _ := scenario.DefaultCatalog()
	classes := []string{"shahed-136", "kalibr-3m14", "tomahawk", "iskander-m", "fighter"}
	invalid := 0
	for i := 0; i < nRuns; i++ {
		r := rand.New(rand.NewPCG(uint64(i), 99))
		s, _ := scenario.LoadExample("capital", base)
		pick := func(p float64) bool { return r.Float64() < p }
		s.DurationS = 300 + r.Float64()*2500
		if pick(0.5) {
			s.FrameStepS = []float64{0.1, 0.25, 0.5, 1, 2}[r.IntN(5)]
		}
		s.C2.Doctrine = []string{"", "shoot-look-shoot", "salvo"}[r.IntN(3)]
		s.C2.Salvo = r.IntN(4)
		s.C2.DecisionPeriodS = []float64{0, 0.5, 1, 2, 5}[r.IntN(5)]
		s.C2.Assignment = []string{"", "wta", "greedy", "nearest"}[r.IntN(4)]
		s.C2.Layered, s.C2.GunsFirst, s.C2.Cueing = pick(0.5), pick(0.5), pick(0.5)
		s.C2.Picture = []string{"tracked", "perfect"}[r.IntN(2)]
		if pick(0.3) {
			s.C2.Reserve = r.Float64() * 0.5
		}
		s.C2.ConfirmHits = r.IntN(4)
		s.C2.DropAfterS = []float64{0, 5, 30, 120}[r.IntN(4)]
		// Drop some sensors and units.
		var sens []scenario.Sensor
		for _, x := range s.Sensors {
			if pick(0.7) {
				sens = append(sens, x)
			}
		}
		s.Sensors = sens
		var fus []scenario.FireUnit
		for _, x := range s.FireUnits {
			if pick(0.7) {
				if pick(0.3) {
					x.FireChannels = 1 + r.IntN(6)
				}
				if pick(0.3) {
					x.ReactionTimeS = r.Float64() * 20
				}
				if pick(0.2) {
					x.EngageCategories = nil
				}
				fus = append(fus, x)
			}
		}
		s.FireUnits = fus
		for k := range s.Raids {
			rd := &s.Raids[k]
			if pick(0.4) {
				rd.Class = classes[r.IntN(len(classes))]
				rd.Route = nil
				rd.AltitudeM = 0
			}
			rd.Count = 1 + r.IntN(25)
			rd.LaunchStartS = r.Float64() * 200
			rd.LaunchEndS = rd.LaunchStartS + r.Float64()*400
			if pick(0.3) && rd.Class != "iskander-m" {
				rd.AltitudeM = []float64{15, 50, 300, 3000, 9000}[r.IntN(5)]
			}
			if pick(0.3) {
				rd.From.LatDeg += (r.Float64() - 0.5) * 2
				rd.From.LonDeg += (r.Float64() - 0.5) * 2
			}
			if pick(0.1) { // launched from on top of the city
				rd.From = scenario.Point{LatDeg: s.Assets[r.IntN(len(s.Assets))].LatDeg + 0.01, LonDeg: s.Assets[0].LonDeg}
				rd.FromRadiusKm = 0
				rd.Route = nil
			}
			if pick(0.1) {
				rd.Count = 100 + r.IntN(100)
			}
			if pick(0.1) && rd.Class != "iskander-m" {
				rd.AltitudeM = 1 + r.Float64()*5
			}
			if pick(0.1) {
				rd.LaunchEndS = rd.LaunchStartS
			}
		}
		if pick(0.1) {
			s.DurationS = 1 + r.Float64()*30
		}
		if pick(0.1) {
			s.FrameStepS = 0.05
		}
		if pick(0.1) {
			for k := range s.Assets {
				s.Assets[k].Value = 0
			}
		}
		data, err := yaml.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("soak-%d.yaml", i)
		sc, err := scenario.Parse(name, data, base)
		if err != nil {
			invalid++ // the validator refused it (durations shorter than a launch, no value)
			continue
		}
		run := func() ([]byte, error) { return runInvariants(sc, base, uint64(i)) }
		a, err := run()
		if err != nil {
			t.Errorf("%s: %v\n%s", name, err, data)
			continue
		}
		b, err := run()
		if err != nil || string(a) != string(b) {
			t.Errorf("%s: not deterministic (%v)\n%s", name, err, data)
		}
	}
	// Most variants must be valid, or the test would check little.
	if invalid > nRuns/3 {
		t.Errorf("%d of %d variants invalid", invalid, nRuns)
	}
	t.Logf("%d variants, %d invalid", nRuns, invalid)
}

// runInvariants runs one replication of s and checks the outcome's invariants: no error and no
// panic, threats conserved (launched = destroyed + leaked + flying), value lost within [0,
// the assets' value], finite costs. It returns the outcome as JSON (which has no NaN).
func runInvariants(s *scenario.Scenario, base *scenario.Catalog, rep uint64) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	w, err := New(s, s.EffectiveCatalog(base), Options{Replication: rep})
	if err != nil {
		return nil, err
	}
	o, err := w.Run()
	if err != nil {
		return nil, err
	}
	if o.Launched != o.Destroyed+o.Leaked+o.Flying {
		return nil, fmt.Errorf("conservation: %d != %d+%d+%d", o.Launched, o.Destroyed, o.Leaked, o.Flying)
	}
	if !(o.ValueLost >= 0 && o.ValueLost <= o.ValueTotal+1e-9) {
		return nil, fmt.Errorf("value lost %v of %v", o.ValueLost, o.ValueTotal)
	}
	if math.IsNaN(o.DefenceCostUSD) || math.IsInf(o.DefenceCostUSD, 0) {
		return nil, fmt.Errorf("defence cost %v", o.DefenceCostUSD)
	}
	return json.Marshal(o)
}

// FuzzRun runs the engine on every scenario file the fuzzer makes that the validator accepts
// (scenario.FuzzParse covers the refusals), kept small enough to run in milliseconds: at most
// 300 s of simulated time, 5,000 frames and 100 threats. Each must pass runInvariants.
func FuzzRun(f *testing.F) {
	base, err := scenario.DefaultCatalog()
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range scenario.ExampleNames() {
		data, err := scenario.ExampleFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scenario.Parse("fuzz.yaml", data, base)
		if err != nil {
			return
		}
		s.DurationS = min(s.DurationS, 300)
		step := s.FrameStepS
		if step == 0 {
			step = scenario.DefaultFrameStepS
		}
		threats := 0
		for _, r := range s.Raids {
			threats += r.Count
		}
		if s.DurationS/step > 5000 || threats > 100 {
			return
		}
		if _, err := runInvariants(s, base, 0); err != nil {
			t.Fatal(err)
		}
	})
}
