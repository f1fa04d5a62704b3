package main

import (
	"bufio"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/adsim/adsim/engage"
	"github.com/adsim/adsim/geo"
)

// engageOpts are the flags of `adsim engage`, in file units (km, deg, g, m/s).
type engageOpts struct {
	// Interceptor.
	boostN, boostS, sustainN, sustainS float64
	massLaunchKg, massBurnoutKg        float64
	diameterM, cd, launchSpeedMps      float64
	maxG, nav                          float64
	law                                string
	fovDeg, lockKm, maxFlightS, fuzeM  float64
	pk0, sigmaM                        float64
	headingErrDeg, loftDeg             float64
	// Target.
	rangeKm, crossingKm, altM, speedMps, headingDeg float64
	targetG, manoeuvreAtS                           float64
	// Run.
	frameS          float64
	trace, plotPath string
}

func newEngageCmd(stdout, _ io.Writer) *cobra.Command {
	var o engageOpts
	cmd := &cobra.Command{
		Use:   "engage",
		Short: "Fly one interceptor against one target and show why it hit or missed",
		Long: `Fly one guided interceptor (3-DOF point mass: boost/sustain/coast thrust, drag in an
exponential atmosphere, gravity, g limit, proportional navigation, seeker field of view and
lock-on range, midcourse toward the predicted intercept point of a perfect constant-velocity
track) against one target, and print the miss distance, the kill probability from the
warhead's Carleton damage function, the time of flight and what limited the shot.

The launcher is at the origin (x east, y north, z up, metres, flat earth). The target starts
--range-km down range (x), offset --crossing-km across (y), at --altitude-m, flying at
--target-speed-mps with heading --heading-deg (0: straight toward the launcher's side of the
plane x = 0, i.e. along −x; 90: crossing toward +y), and from --manoeuvre-at-s turns at
--target-g. The interceptor is launched toward the predicted intercept point, lofted by
--loft-deg and mis-aimed by --heading-error-deg.

--trace writes every internal step as CSV; --plot draws the top and side views (PNG) with
the closest approach marked. See docs/engagement.md for the equations and their sources.`,
		Example: `  adsim engage
  adsim engage --range-km 12 --crossing-km 4 --heading-deg 0 --target-g 6 --manoeuvre-at-s 8
  adsim engage --target-speed-mps 900 --altitude-m 15000 --trace shot.csv --plot shot.png`,
		Args: argCount(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runEngage(stdout, o)
		},
	}
	f := cmd.Flags()
	// Defaults: a generic medium-range interceptor (illustrative, not a real system).
	f.Float64Var(&o.boostN, "boost-thrust-n", 60000, "boost thrust, N")
	f.Float64Var(&o.boostS, "boost-time-s", 3, "boost burn time, s")
	f.Float64Var(&o.sustainN, "sustain-thrust-n", 8000, "sustain thrust, N")
	f.Float64Var(&o.sustainS, "sustain-time-s", 10, "sustain burn time, s")
	f.Float64Var(&o.massLaunchKg, "mass-launch-kg", 300, "launch mass, kg")
	f.Float64Var(&o.massBurnoutKg, "mass-burnout-kg", 180, "burnout mass, kg")
	f.Float64Var(&o.diameterM, "diameter-m", 0.2, "body diameter (drag reference area π·d²/4), m")
	f.Float64Var(&o.cd, "cd", 0.3, "drag coefficient")
	f.Float64Var(&o.launchSpeedMps, "launch-speed-mps", 30, "speed at launch, m/s")
	f.Float64Var(&o.maxG, "max-g", 30, "lateral acceleration limit, g")
	f.Float64Var(&o.nav, "nav-constant", 4, "navigation constant N′")
	f.StringVar(&o.law, "law", "pure-pn", "guidance law: pure-pn, true-pn, augmented-pn, unguided")
	f.Float64Var(&o.fovDeg, "seeker-fov-deg", 60, "seeker field of view (full cone), deg")
	f.Float64Var(&o.lockKm, "lock-on-range-km", 8, "seeker lock-on range, km")
	f.Float64Var(&o.maxFlightS, "max-flight-s", 40, "self-destruct time, s")
	f.Float64Var(&o.fuzeM, "fuze-range-m", 20, "proximity fuze radius, m")
	f.Float64Var(&o.pk0, "pk0", 0.9, "Carleton damage function peak (Pk at zero miss)")
	f.Float64Var(&o.sigmaM, "sigma-m", 7, "Carleton damage function spread σ, m")
	f.Float64Var(&o.headingErrDeg, "heading-error-deg", 0, "launch heading error (azimuth) from the predicted intercept point, deg")
	f.Float64Var(&o.loftDeg, "loft-deg", 15, "launch elevation above the line to the predicted intercept point, deg")
	f.Float64Var(&o.rangeKm, "range-km", 15, "target's initial down-range distance, km")
	f.Float64Var(&o.crossingKm, "crossing-km", -3, "target's initial cross-range offset, km")
	f.Float64Var(&o.altM, "altitude-m", 3000, "target altitude, m")
	f.Float64Var(&o.speedMps, "target-speed-mps", 250, "target speed, m/s")
	f.Float64Var(&o.headingDeg, "heading-deg", 90, "target heading: 0 inbound along −x, 90 crossing along +y, deg")
	f.Float64Var(&o.targetG, "target-g", 0, "target horizontal turn acceleration, g (positive turns left)")
	f.Float64Var(&o.manoeuvreAtS, "manoeuvre-at-s", 0, "time the target starts turning, s")
	f.Float64Var(&o.frameS, "frame-s", 0.1, "engine frame step, s, in [0.001, 1] (the miss distance does not depend on it, to about 1 cm; the midcourse aim point is updated once a frame, so times shift by milliseconds)")
	f.StringVar(&o.trace, "trace", "", "write the trajectories as CSV to this file")
	f.StringVar(&o.plotPath, "plot", "", "draw the top and side views as PNG to this file")
	return cmd
}

// targetMotion integrates the target: constant speed, heading turning at targetG·g/V after
// manoeuvreAt, at constant altitude. It steps finely and returns the state at any time.
type targetMotion struct {
	p0, v0             geo.Vec3
	omega, manoeuvreAt float64
}

func (tm targetMotion) at(t float64) engage.TargetState {
	if t <= tm.manoeuvreAt || tm.omega == 0 {
		return engage.TargetState{Pos: tm.p0.Add(tm.v0.Scale(t)), Vel: tm.v0}
	}
	// Straight until manoeuvreAt, then a circular arc (exact).
	p := tm.p0.Add(tm.v0.Scale(tm.manoeuvreAt))
	tau := t - tm.manoeuvreAt
	w := tm.omega
	s, c := math.Sincos(w * tau)
	vx, vy := tm.v0.X, tm.v0.Y
	p.X += (vx*s - vy*(1-c)) / w
	p.Y += (vy*s + vx*(1-c)) / w
	return engage.TargetState{Pos: p, Vel: geo.Vec3{X: vx*c - vy*s, Y: vy*c + vx*s, Z: tm.v0.Z}}
}

func (o engageOpts) spec() (engage.MissileSpec, error) {
	law, err := engage.ParseGuidanceLaw(o.law)
	if err != nil {
		return engage.MissileSpec{}, err
	}
	s := engage.MissileSpec{
		BoostThrust: o.boostN, BoostTime: o.boostS, SustainThrust: o.sustainN, SustainTime: o.sustainS,
		MassLaunch: o.massLaunchKg, MassBurnout: o.massBurnoutKg,
		RefArea: math.Pi * o.diameterM * o.diameterM / 4, Cd: o.cd, LaunchSpeed: o.launchSpeedMps,
		MaxLateralG: o.maxG, NavConstant: o.nav, Law: law, SeekerFOV: o.fovDeg * math.Pi / 180,
		LockOnRange: o.lockKm * 1000, MaxFlightTime: o.maxFlightS, ArmTime: 0.5, FuzeRange: o.fuzeM,
		Lethality: engage.Carleton(o.pk0, o.sigmaM),
	}
	return s, s.Validate()
}

func runEngage(stdout io.Writer, o engageOpts) error {
	spec, err := o.spec()
	if err != nil {
		return badInput(err)
	}
	if !(o.frameS >= 1e-3 && o.frameS <= 1) {
		// Below a millisecond the frames only cost time (the integration has its own
		// substeps); at 1e-9 s a shot was a billion frames and never ended.
		return badInput(fmt.Errorf("--frame-s %g: expected a frame step in [0.001, 1] s", o.frameS))
	}
	if !(o.speedMps >= 0) || !(o.altM >= 0) {
		return badInput(errors.New("--target-speed-mps and --altitude-m must be ≥ 0"))
	}
	hd := o.headingDeg * math.Pi / 180
	tm := targetMotion{
		p0: geo.Vec3{X: o.rangeKm * 1000, Y: o.crossingKm * 1000, Z: o.altM},
		v0: geo.Vec3{X: -o.speedMps * math.Cos(hd), Y: o.speedMps * math.Sin(hd)},
	}
	if o.targetG != 0 && o.speedMps > 0 {
		tm.omega, tm.manoeuvreAt = o.targetG*engage.Gravity/o.speedMps, o.manoeuvreAtS
	}

	// Launch toward the predicted intercept point for a mean speed of half the ideal Δv.
	mean := math.Max(o.launchSpeedMps+spec.IdealDeltaV()/2, 1)
	t0 := tm.at(0)
	pip, _, ok := engage.InterceptLinear(geo.Vec3{}, 0, mean, 1e4, t0.Pos, t0.Vel, 0)
	if !ok {
		pip = t0.Pos
	}
	az := math.Atan2(pip.Y, pip.X) + o.headingErrDeg*math.Pi/180
	el := math.Atan2(pip.Z, math.Hypot(pip.X, pip.Y)) + o.loftDeg*math.Pi/180
	ce := math.Cos(el)
	dir := geo.Vec3{X: ce * math.Cos(az), Y: ce * math.Sin(az), Z: math.Sin(el)}

	m, err := engage.NewMissile(spec, engage.DefaultEnv(nil), geo.Vec3{}, dir, 0)
	if err != nil {
		return badInput(err)
	}
	var trace []engage.Sample
	maxCmd, lockAt := 0.0, -1.0
	m.SetTrace(func(s engage.Sample) {
		trace = append(trace, s)
		maxCmd = math.Max(maxCmd, s.Accel.Norm())
		if s.Locked && lockAt < 0 {
			lockAt = s.T
		}
	})
	var ev engage.Event
	for ev.Kind == engage.NoEvent && m.Time() < 600 {
		t := m.Time()
		a, b := tm.at(t), tm.at(t+o.frameS)
		ev = m.Step(o.frameS, a, b, engage.Linear(a.Pos, a.Vel, t))
	}

	w := bufio.NewWriter(stdout)
	fmt.Fprintf(w, "result          %s\n", ev.Kind)
	fmt.Fprintf(w, "time of flight  %.3f s\n", ev.FlightTime)
	if ev.Kind == engage.Detonate || ev.Kind == engage.Missed {
		fmt.Fprintf(w, "miss distance   %.2f m (closest approach at t = %.4f s, relative speed %.0f m/s)\n", ev.Miss, ev.T, ev.RelSpeed)
	}
	fmt.Fprintf(w, "Pk              %.3f (Carleton: %.2f·exp(−miss²/(2·%.1f²)))\n", ev.Pk, o.pk0, o.sigmaM)
	fmt.Fprintf(w, "speed at end    %.0f m/s (ideal Δv of the motor %.0f m/s)\n", m.Vel().Norm(), spec.IdealDeltaV())
	fmt.Fprintf(w, "lateral Δv      %.0f m/s; peak command %.1f g of %.0f g\n", m.LateralDeltaV(), maxCmd/engage.Gravity, o.maxG)
	if lockAt >= 0 {
		fmt.Fprintf(w, "seeker lock     at t = %.2f s\n", lockAt)
	} else {
		fmt.Fprintf(w, "seeker lock     never (midcourse only)\n")
	}
	fmt.Fprintf(w, "why             %s\n", explain(ev, spec, maxCmd, lockAt, m))
	if err := w.Flush(); err != nil {
		return runError(err)
	}
	if o.trace != "" {
		if err := writeEngageCSV(o.trace, trace); err != nil {
			return runError(fmt.Errorf("--trace: %w", err))
		}
	}
	if o.plotPath != "" {
		if err := plotEngagement(o.plotPath, trace, ev); err != nil {
			return runError(fmt.Errorf("--plot: %w", err))
		}
	}
	return nil
}

// explain says in one line what decided the shot.
func explain(ev engage.Event, s engage.MissileSpec, maxCmd, lockAt float64, m *engage.Missile) string {
	saturated := maxCmd >= s.MaxLateralG*engage.Gravity*0.999
	switch ev.Kind {
	case engage.Detonate:
		switch {
		case ev.Pk >= 0.5*s.Lethality.Pk0:
			return "a hit: the miss is inside the warhead's lethal radius"
		case saturated:
			return "detonated but too far: the interceptor ran into its g limit (geometry or target manoeuvre demanded more)"
		default:
			return "detonated at a miss too large for the warhead"
		}
	case engage.Missed:
		if ev.RelSpeed < 50 {
			return "missed: the interceptor could not close (out of energy: it slowed to the target's speed)"
		}
		if saturated {
			return "missed outside the fuze range: the g limit was reached"
		}
		return "missed outside the fuze range"
	case engage.SelfDestruct:
		return "self-destructed at the maximum flight time before reaching the target"
	case engage.GroundImpact:
		return "flew into the ground"
	}
	if lockAt < 0 {
		return "still flying, seeker never locked"
	}
	return "still flying"
}

func writeEngageCSV(path string, trace []engage.Sample) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "t,x,y,z,vx,vy,vz,ax_cmd,ay_cmd,az_cmd,a_cmd_g,target_x,target_y,target_z,range,closing_speed,locked")
	for _, s := range trace {
		l := 0
		if s.Locked {
			l = 1
		}
		fmt.Fprintf(w, "%.4f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%d\n",
			s.T, s.Pos.X, s.Pos.Y, s.Pos.Z, s.Vel.X, s.Vel.Y, s.Vel.Z, s.Accel.X, s.Accel.Y, s.Accel.Z,
			s.Accel.Norm()/engage.Gravity, s.TargetPos.X, s.TargetPos.Y, s.TargetPos.Z, s.Range, s.ClosingSpeed, l)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// plotEngagement draws the top view (x–y) and the side view (x–z) of both paths in km, with
// the launch point and the closest approach marked.
func plotEngagement(path string, trace []engage.Sample, ev engage.Event) error {
	if len(trace) == 0 {
		return errors.New("nothing to plot")
	}
	views := []struct {
		title, ylabel string
		y             func(geo.Vec3) float64
	}{
		{"Top view", "y (km)", func(p geo.Vec3) float64 { return p.Y / 1000 }},
		{"Side view", "altitude (km)", func(p geo.Vec3) float64 { return p.Z / 1000 }},
	}
	plots := make([][]*plot.Plot, 2)
	for i, v := range views {
		p := plot.New()
		p.Title.Text = fmt.Sprintf("%s: %s, miss %.1f m, Pk %.2f", v.title, ev.Kind, ev.Miss, ev.Pk)
		p.X.Label.Text = "x, down range (km)"
		p.Y.Label.Text = v.ylabel
		p.Add(plotter.NewGrid())
		mi, tg := make(plotter.XYs, len(trace)), make(plotter.XYs, len(trace))
		for k, s := range trace {
			mi[k] = plotter.XY{X: s.Pos.X / 1000, Y: v.y(s.Pos)}
			tg[k] = plotter.XY{X: s.TargetPos.X / 1000, Y: v.y(s.TargetPos)}
		}
		lm, err := plotter.NewLine(mi)
		if err != nil {
			return err
		}
		lm.Color = color.RGBA{B: 200, A: 255}
		lm.Width = vg.Points(1.5)
		lt, err := plotter.NewLine(tg)
		if err != nil {
			return err
		}
		lt.Color = color.RGBA{R: 200, A: 255}
		lt.Width = vg.Points(1.5)
		lt.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(lm, lt)
		p.Legend.Add("interceptor", lm)
		p.Legend.Add("target", lt)
		if ev.Kind != engage.NoEvent {
			ca, err := plotter.NewScatter(plotter.XYs{
				{X: ev.Pos.X / 1000, Y: v.y(ev.Pos)}, {X: ev.TargetPos.X / 1000, Y: v.y(ev.TargetPos)}})
			if err != nil {
				return err
			}
			ca.GlyphStyle.Shape = draw.CrossGlyph{}
			ca.GlyphStyle.Radius = vg.Points(5)
			ca.GlyphStyle.Color = color.Black
			p.Add(ca)
			p.Legend.Add(strings.ReplaceAll(ev.Kind.String(), "_", " ")+" (closest approach)", ca)
		}
		p.Legend.Top, p.Legend.Left = true, true
		plots[i] = []*plot.Plot{p}
	}
	img := vgimg.New(vg.Points(720), vg.Points(900))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadTop: vg.Points(6), PadBottom: vg.Points(6), PadX: vg.Points(6), PadY: vg.Points(12)}
	canv := plot.Align(plots, tiles, dc)
	for i := range plots {
		plots[i][0].Draw(canv[i][0])
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
