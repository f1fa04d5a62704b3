package dataset

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/adsim/adsim/track"
)

// Settings are the tracker settings of a benchmark run; zero fields take the value from
// scenario.json's "tracker" object, then the defaults below.
type Settings struct {
	// Gate is the chi-square threshold on d² (default 13.816, the 99.9% gate in 2-D).
	Gate float64
	// M of N looks confirm a track (default 3 of 4).
	M, N int
	// DeleteMisses consecutive misses delete a confirmed track (default 4).
	DeleteMisses int
	// SigmaV0 is the velocity prior of a new track, m/s (default 30).
	SigmaV0 float64
}

// Metric settings of the benchmark: OSPA and GOSPA with c = 100 m and p = 1, on positions.
const (
	MetricC = 100.0
	MetricP = 1.0
)

// Result is what a benchmark run measured.
type Result struct {
	// Scored is true when truth was given; Summary is then filled.
	Scored  bool
	Summary track.Summary
	// Steps processed, detections read, tracks ever confirmed, rows written.
	Steps, Detections, TracksConfirmed, Rows int
	// TrackSeconds is the wall time spent in the tracker alone.
	TrackSeconds float64
}

// DefaultSigmaV0 is the velocity prior of a new track, m/s per axis, when neither the
// settings nor scenario.json give one.
const DefaultSigmaV0 = 30

// Tracker builds the tracker a run uses, from the scenario and settings.
func Tracker(s *Scenario, set Settings) (*track.Tracker, error) {
	set = resolve(s, set)
	cfg := track.TrackerConfig{
		Filter:       track.NewKalman(track.CVModel{N: 2, Q: s.Q}),
		Gate:         set.Gate,
		ConfirmM:     set.M,
		ConfirmN:     set.N,
		DeleteMisses: set.DeleteMisses,
		SigmaV0:      set.SigmaV0,
	}
	if s.PD > 0 && s.PD < 1 {
		cfg.PD = s.PD
	}
	if s.AreaSide > 0 && s.ClutterPerScan > 0 {
		cfg.ClutterDensity = s.ClutterPerScan / (s.AreaSide * s.AreaSide)
	}
	return track.NewTracker(cfg)
}

// resolve fills the settings left at zero from scenario.json's "tracker" object, and the
// velocity prior from DefaultSigmaV0 (the other defaults are the tracker's own).
func resolve(s *Scenario, set Settings) Settings {
	if t := s.Tracker; t != nil {
		if set.Gate == 0 {
			set.Gate = t.Gate
		}
		if set.M == 0 {
			set.M = t.M
		}
		if set.N == 0 {
			set.N = t.N
		}
		if set.DeleteMisses == 0 {
			set.DeleteMisses = t.DeleteMisses
		}
		if set.SigmaV0 == 0 {
			set.SigmaV0 = t.SigmaV0
		}
	}
	if set.SigmaV0 == 0 {
		set.SigmaV0 = DefaultSigmaV0
	}
	return set
}

// VelocityPriorTooNarrow reports whether targets at the data set's top speed (speed_max_mps,
// written by 'adsim track gen'; 0 when unknown) move out of a new track's gate between its first two
// looks, and the speed from which they do. A new track starts at rest with a velocity prior
// σv0 per axis, so its second plot, dt later, is gated on an innovation of variance
// 2σ² + σv0²·dt² per axis (two measurements of error σ, and the unknown velocity); a target
// v·dt away falls outside the gate G when (v·dt)² > G·(2σ² + σv0²·dt²). Such targets are
// confirmed late or never: with the generator's defaults (σ = 20 m, dt = 1 s, G = 13.816) and
// σv0 = 30 m/s the bound is 153 m/s, and 40 targets at 100 m/s were all confirmed in 2.4 s on
// average, at 160 m/s in 7.2 s, at 200 m/s 17 of 40 (adsim track gen --speed-min V --speed-max
// V --n 40 --steps 60 --seed 5). For a range–bearing sensor σ is its range error, the
// smaller of its two at the ranges of the area, so the bound errs low.
func VelocityPriorTooNarrow(s *Scenario, set Settings) (limit float64, tooNarrow bool) {
	set = resolve(s, set)
	g, sigma := gateAndSigma(s, set)
	dt, sv := s.DT, set.SigmaV0
	limit = math.Sqrt(g*(2*sigma*sigma+sv*sv*dt*dt)) / dt
	return limit, s.SpeedMax > limit
}

// EffectiveSigmaV0 is the velocity prior a run with these settings uses, m/s per axis: the
// settings', else scenario.json's, else DefaultSigmaV0.
func EffectiveSigmaV0(s *Scenario, set Settings) float64 { return resolve(s, set).SigmaV0 }

// SigmaV0For returns the velocity prior, m/s per axis, whose bound (VelocityPriorTooNarrow)
// is the speed v: √(v²/G − 2σ²/dt²), or 0 when the measurement error alone covers v.
func SigmaV0For(s *Scenario, set Settings, v float64) float64 {
	g, sigma := gateAndSigma(s, resolve(s, set))
	dt := s.DT
	return math.Sqrt(math.Max(0, v*v/g-2*sigma*sigma/(dt*dt)))
}

// gateAndSigma are the gate and the measurement error VelocityPriorTooNarrow takes.
func gateAndSigma(s *Scenario, set Settings) (g, sigma float64) {
	g = set.Gate
	if g == 0 {
		g = track.ChiSquare999(2)
	}
	sigma = s.Sigma
	if s.Sensor == RangeBearing {
		sigma = s.SigmaRange
	}
	return g, sigma
}

// MeasurementModel returns the scenario's sensor model; detections' (z0, z1) map to its
// measurement vector through Measurement.
func MeasurementModel(s *Scenario) track.MeasurementModel {
	if s.Sensor == RangeBearing {
		return &track.RangeBearing{Origin: s.SensorPos, SigmaRange: s.SigmaRange, SigmaBearing: s.SigmaBearingDeg * math.Pi / 180}
	}
	v := s.Sigma * s.Sigma
	return &track.PositionModel{R: [3][3]float64{{v, 0, 0}, {0, v, 0}, {0, 0, 0}}}
}

// Measurement maps a row's (z0, z1) to the model's measurement vector: linear (x, y);
// rangebearing (range = z1, bearing = z0).
func Measurement(s *Scenario, d *Detection) [3]float64 {
	if s.Sensor == RangeBearing {
		return [3]float64{d.Z1, d.Z0, 0}
	}
	return [3]float64{d.Z0, d.Z1, 0}
}

// Run tracks dets (in step order) and writes each step's confirmed tracks to out (nil: no
// output); with truth (may be nil) it scores every step with OSPA and GOSPA.
func Run(s *Scenario, set Settings, dets []Detection, truth []Truth, out *TrackWriter) (Result, error) {
	var res Result
	tr, err := Tracker(s, set)
	if err != nil {
		return res, err
	}
	f := tr.Filter()
	model := MeasurementModel(s)
	// Steps present in either file, with their times.
	type stepT struct {
		step int
		t    float64
	}
	var steps []stepT
	for i := range dets {
		if i == 0 || dets[i].Step != dets[i-1].Step {
			steps = append(steps, stepT{dets[i].Step, dets[i].Time})
		}
	}
	for i := range truth {
		if i == 0 || truth[i].Step != truth[i-1].Step {
			steps = append(steps, stepT{truth[i].Step, truth[i].Time})
		}
	}
	slices.SortStableFunc(steps, func(a, b stepT) int { return a.step - b.step })
	steps = slices.CompactFunc(steps, func(a, b stepT) bool { return a.step == b.step })
	for i := 1; i < len(steps); i++ {
		if steps[i].t < steps[i-1].t {
			return res, fmt.Errorf("step %d at t = %v s is earlier than step %d at t = %v s (detections and truth disagree?)",
				steps[i].step, steps[i].t, steps[i-1].step, steps[i-1].t)
		}
	}
	scorer := track.Scorer{Metric: track.Metric{C: MetricC, P: MetricP}}
	res.Scored = truth != nil
	var scan []track.Detection
	var truthIDs, trackIDs []int
	var truthPos, trackPos [][3]float64
	di, ti := 0, 0
	var spent time.Duration
	for _, st := range steps {
		scan = scan[:0]
		for ; di < len(dets) && dets[di].Step == st.step; di++ {
			scan = append(scan, track.Detection{Z: Measurement(s, &dets[di]), Model: model, Tag: dets[di].DetID})
		}
		t0 := time.Now()
		sr, err := tr.Process(track.Scan{T: st.t, Detections: scan})
		if err != nil {
			return res, err
		}
		res.TracksConfirmed += len(sr.Confirmed)
		spent += time.Since(t0)
		res.Steps++
		res.Detections += len(scan)
		trackIDs, trackPos = trackIDs[:0], trackPos[:0]
		for _, r := range tr.Confirmed() {
			p, v := r.Pos(f), r.Vel(f)
			trackIDs = append(trackIDs, r.ID)
			trackPos = append(trackPos, [3]float64{p[0], p[1], 0})
			if out != nil {
				row := TrackRow{Step: st.step, Time: st.t, TrackID: r.ID, X: p[0], VX: v[0], Y: p[1], VY: v[1],
					IsUpdate: r.Updated && r.LastUpdate == st.t}
				if err := out.Write(row); err != nil {
					return res, err
				}
				res.Rows++
			}
		}
		if res.Scored {
			truthIDs, truthPos = truthIDs[:0], truthPos[:0]
			for ; ti < len(truth) && truth[ti].Step == st.step; ti++ {
				truthIDs = append(truthIDs, truth[ti].TargetID)
				truthPos = append(truthPos, [3]float64{truth[ti].X, truth[ti].Y, 0})
			}
			if _, err := scorer.Add(st.t, truthIDs, truthPos, trackIDs, trackPos); err != nil {
				return res, err
			}
		}
	}
	res.TrackSeconds = spent.Seconds()
	if res.Scored {
		res.Summary = scorer.Summary()
	}
	return res, nil
}
