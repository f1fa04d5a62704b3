// Package scengen draws random variants of the default scenario for the tests that run many
// scenarios (sim's invariants, mc's rows and statistics): doctrines, assignment methods, air
// pictures (the mixed one too), frame steps and decision periods; sensors and fire units removed, channels and
// reaction times changed, fire units of other classes; raids of other classes (aircraft with
// stand-off weapons among them), sizes (up to 200), altitudes (down to 1 m), launch points
// (on top of the city) and windows; very short runs; a city on a plateau without an origin.
// It knows nothing of the engine: a variant is a scenario file's content, which the
// validator may still refuse.
package scengen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"

	"github.com/goccy/go-yaml"

	"github.com/adsim/adsim/scenario"
)

// classes are the threat classes a raid may be given instead of its own.
var classes = []string{"shahed-136", "kalibr-3m14", "tomahawk", "iskander-m", "fighter"}

// unitClasses are the fire-unit classes a fire unit may be given instead of its own.
var unitClasses = []string{"s400", "pantsir-s1", "buk-m3", "tor-m2"}

// Variant returns the YAML of the i-th variant (the same i gives the same file) and a name
// for it, soak-I.yaml. base is the catalog the default scenario is loaded with.
func Variant(i int, base *scenario.Catalog) (name string, data []byte, err error) {
	r := rand.New(rand.NewPCG(uint64(i), 99))
	s, err := scenario.LoadExample("capital", base)
	if err != nil {
		return "", nil, err
	}
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
	// The mixed picture, from a stream of its own so that the variants drawn before it came
	// in stay what they were.
	if rm := rand.New(rand.NewPCG(uint64(i), 100)); s.C2.Picture == "tracked" && rm.Float64() < 0.6 {
		for _, c := range []string{scenario.CategoryDrone, scenario.CategoryCruiseMissile, scenario.CategoryBallisticMissile, scenario.CategoryAircraft} {
			if rm.Float64() < 0.5 {
				s.C2.PerfectCategories = append(s.C2.PerfectCategories, c)
			}
		}
	}
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
	// Drawn after the rest, so that the variants above stay what they were: other fire-unit
	// classes (their missiles' reach by height and lofts, sim/reach.go), and a scenario on a
	// plateau without an origin (the ground is then the assets' mean alt_m).
	for k := range s.FireUnits {
		if pick(0.3) {
			s.FireUnits[k].Class = unitClasses[r.IntN(len(unitClasses))]
			s.FireUnits[k].Magazine = nil // its weapons are the new class's
			s.FireUnits[k].EngageCategories = nil
		}
	}
	if pick(0.1) {
		ground := r.Float64() * 2000
		s.Origin = nil
		for k := range s.Assets {
			s.Assets[k].AltM = ground
		}
		for k := range s.Sensors {
			s.Sensors[k].AltM = ground
		}
		for k := range s.FireUnits {
			s.FireUnits[k].AltM = ground
		}
	}
	data, err = yaml.Marshal(s)
	if err != nil {
		return "", nil, err
	}
	return fmt.Sprintf("soak-%d.yaml", i), data, nil
}

// Count is the number of variants a test runs: def, or N when the environment sets
// ADSIM_SOAK=N (a soak run).
func Count(def int) (int, error) {
	v := os.Getenv("ADSIM_SOAK")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("ADSIM_SOAK=%q: expected a number of scenarios ≥ 1", v)
	}
	return n, nil
}

// File is one variant: its name and its YAML.
type File struct {
	Name string
	Data []byte
}

// All returns the variants a test runs: Count(def) of them, drawn from the default scenario
// with the default catalog.
func All(def int) ([]File, error) {
	n, err := Count(def)
	if err != nil {
		return nil, err
	}
	base, err := scenario.DefaultCatalog()
	if err != nil {
		return nil, err
	}
	out := make([]File, n)
	for i := range out {
		if out[i].Name, out[i].Data, err = Variant(i, base); err != nil {
			return nil, err
		}
	}
	return out, nil
}
