package dataset

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// GenParams sets up Generate. The generative model (docs/tracking.md):
//
//   - Targets targets all exist from step 0 to step Steps−1 (times k·DT). Each starts at a
//     position uniform over the central 80% of the square [−L/2, L/2]² (L = AreaSide), with a
//     heading uniform in [0, 2π) and a speed uniform in [SpeedMin, SpeedMax].
//   - Between steps each axis follows the nearly-constant-velocity model with continuous
//     white-noise acceleration: x ← F x + w, F = [[1, dt], [0, 1]],
//     w ~ N(0, q·[[dt³/3, dt²/2], [dt²/2, dt]]).
//   - Each target is detected with probability PD per step; a linear detection is the
//     position plus N(0, σ²) per axis; a rangebearing one is (atan2(dy, dx) + N(0, σb²),
//     wrapped to (−π, π]; hypot(dx, dy) + N(0, σr²), floored at 0) from SensorPos.
//   - False alarms: Poisson(ClutterPerScan) per step, uniform over the square, reported
//     through the same sensor (converted to bearing and range for rangebearing).
//   - A step's detections are shuffled and numbered 0, 1, … (det_id), so their order says
//     nothing about their origin.
//
// Random numbers come from PCG streams derived from (Seed, purpose): truth motion,
// detection draws and clutter each have their own, so changing PD or the clutter rate does
// not change the trajectories.
type GenParams struct {
	Scenario           Scenario
	Targets, Steps     int
	Seed               uint64
	SpeedMin, SpeedMax float64
}

// DefaultScenario returns the generator's default scenario: dt 1 s, q 1 m²/s³, Pd 0.9, a
// linear sensor with σ 20 m, 250 false alarms per scan over a 20 km square.
func DefaultScenario() Scenario {
	return Scenario{DT: 1, PD: 0.9, Q: 1, Sensor: Linear, Sigma: 20, SigmaRange: 20, SigmaBearingDeg: 0.2,
		ClutterPerScan: 250, AreaSide: 20000, StateOrder: []string{"x", "vx", "y", "vy"}}
}

// Validate checks p.
func (p *GenParams) Validate() error {
	s := &p.Scenario
	data, err := MarshalScenario(s)
	if err != nil {
		return err
	}
	if _, err := ParseScenario("scenario", data); err != nil {
		return err
	}
	switch {
	case !(s.AreaSide > 0):
		return errors.New("area_side_m must be positive")
	case p.Targets < 0 || p.Steps < 1:
		return fmt.Errorf("want targets ≥ 0 and steps ≥ 1 (got %d, %d)", p.Targets, p.Steps)
	case int64(p.Targets)*int64(p.Steps) > 1e8 || s.ClutterPerScan*float64(p.Steps) > 1e8:
		return errors.New("data set too large (over 1e8 rows)")
	case !(p.SpeedMin >= 0) || !(p.SpeedMax >= p.SpeedMin) || math.IsInf(p.SpeedMax, 0):
		return fmt.Errorf("want 0 ≤ speed-min ≤ speed-max (got %v, %v)", p.SpeedMin, p.SpeedMax)
	}
	if _, ok := map[string]bool{Linear: true, RangeBearing: true}[s.Sensor]; !ok {
		return fmt.Errorf("unknown sensor %q", s.Sensor)
	}
	return nil
}

// Stream purposes.
const (
	streamTruth = iota + 1
	streamDetect
	streamClutter
	streamShuffle
)

// Generate draws a data set. Detections come in step order; clutter has TargetID −1.
func Generate(p GenParams) ([]Detection, []Truth, error) {
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	s := p.Scenario
	rt := rand.New(rand.NewPCG(p.Seed, streamTruth))
	rd := rand.New(rand.NewPCG(p.Seed, streamDetect))
	rc := rand.New(rand.NewPCG(p.Seed, streamClutter))
	rs := rand.New(rand.NewPCG(p.Seed, streamShuffle))
	L := s.AreaSide
	type st struct{ x, vx, y, vy float64 }
	tg := make([]st, p.Targets)
	for i := range tg {
		h := rt.Float64() * 2 * math.Pi
		v := p.SpeedMin + (p.SpeedMax-p.SpeedMin)*rt.Float64()
		tg[i] = st{x: (rt.Float64() - 0.5) * 0.8 * L, y: (rt.Float64() - 0.5) * 0.8 * L, vx: v * math.Cos(h), vy: v * math.Sin(h)}
	}
	dt := s.DT
	// Cholesky factor of q·[[dt³/3, dt²/2], [dt²/2, dt]].
	a := math.Sqrt(s.Q * dt * dt * dt / 3)
	var b, c float64
	if a > 0 {
		b = s.Q * dt * dt / 2 / a
		c = math.Sqrt(math.Max(0, s.Q*dt-b*b))
	}
	sb := s.SigmaBearingDeg * math.Pi / 180
	meas := func(x, y float64, r *rand.Rand, noisy bool) (float64, float64) {
		if s.Sensor == Linear {
			if noisy {
				return x + s.Sigma*r.NormFloat64(), y + s.Sigma*r.NormFloat64()
			}
			return x, y
		}
		dx, dy := x-s.SensorPos[0], y-s.SensorPos[1]
		br, rg := math.Atan2(dy, dx), math.Hypot(dx, dy)
		if noisy {
			br += sb * r.NormFloat64()
			rg += s.SigmaRange * r.NormFloat64()
		}
		br = wrapPi(br)
		return br, math.Max(rg, 0)
	}
	var dets []Detection
	truth := make([]Truth, 0, p.Targets*p.Steps)
	for k := 0; k < p.Steps; k++ {
		t := float64(k) * dt
		if k > 0 {
			for i := range tg {
				g := &tg[i]
				for _, ax := range [2]struct{ p, v *float64 }{{&g.x, &g.vx}, {&g.y, &g.vy}} {
					n1, n2 := rt.NormFloat64(), rt.NormFloat64()
					*ax.p += dt**ax.v + a*n1
					*ax.v += b*n1 + c*n2
				}
			}
		}
		first := len(dets)
		for i, g := range tg {
			truth = append(truth, Truth{Step: k, Time: t, TargetID: i, X: g.x, VX: g.vx, Y: g.y, VY: g.vy})
			if rd.Float64() < s.PD {
				z0, z1 := meas(g.x, g.y, rd, true)
				dets = append(dets, Detection{Step: k, Time: t, Z0: z0, Z1: z1, TargetID: i})
			}
		}
		nc := poisson(rc, s.ClutterPerScan)
		for j := 0; j < nc; j++ {
			x, y := (rc.Float64()-0.5)*L, (rc.Float64()-0.5)*L
			z0, z1 := meas(x, y, rc, false)
			dets = append(dets, Detection{Step: k, Time: t, Z0: z0, Z1: z1, TargetID: -1})
		}
		step := dets[first:]
		rs.Shuffle(len(step), func(i, j int) { step[i], step[j] = step[j], step[i] })
		for j := range step {
			step[j].DetID = j
		}
	}
	return dets, truth, nil
}

func wrapPi(a float64) float64 {
	a = math.Mod(a, 2*math.Pi)
	if a <= -math.Pi {
		a += 2 * math.Pi
	} else if a > math.Pi {
		a -= 2 * math.Pi
	}
	return a
}

// poisson draws a Poisson(lambda) count by counting exponential arrivals in [0, lambda].
func poisson(r *rand.Rand, lambda float64) int {
	if !(lambda > 0) {
		return 0
	}
	n := 0
	for t := r.ExpFloat64(); t <= lambda; t += r.ExpFloat64() {
		n++
	}
	return n
}

// WriteDir writes scenario.json, detections.csv and truth.csv into dir (created if needed).
func WriteDir(dir string, s *Scenario, dets []Detection, truth []Truth) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	data, err := MarshalScenario(s)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "scenario.json"), data, 0o644); err != nil {
		return err
	}
	err = writeCSV(filepath.Join(dir, "detections.csv"), "step,time,det_id,z0,z1,target_id\n", len(dets), func(b []byte, i int) []byte {
		d := dets[i]
		b = strconv.AppendInt(b, int64(d.Step), 10)
		b = append(b, ',')
		b = strconv.AppendFloat(b, d.Time, 'g', -1, 64)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(d.DetID), 10)
		b = append(b, ',')
		b = strconv.AppendFloat(b, d.Z0, 'g', 12, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, d.Z1, 'g', 12, 64)
		b = append(b, ',')
		return strconv.AppendInt(b, int64(d.TargetID), 10)
	})
	if err != nil {
		return err
	}
	return writeCSV(filepath.Join(dir, "truth.csv"), "step,time,target_id,x,vx,y,vy\n", len(truth), func(b []byte, i int) []byte {
		r := truth[i]
		b = strconv.AppendInt(b, int64(r.Step), 10)
		b = append(b, ',')
		b = strconv.AppendFloat(b, r.Time, 'g', -1, 64)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(r.TargetID), 10)
		for _, v := range [...]float64{r.X, r.VX, r.Y, r.VY} {
			b = append(b, ',')
			b = strconv.AppendFloat(b, v, 'f', 4, 64)
		}
		return b
	})
}

func writeCSV(path, header string, n int, row func([]byte, int) []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<16)
	w.WriteString(header)
	var b []byte
	for i := 0; i < n; i++ {
		b = row(b[:0], i)
		b = append(b, '\n')
		w.Write(b)
	}
	err = w.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
