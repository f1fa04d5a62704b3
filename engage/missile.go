package engage

import (
	"errors"
	"fmt"
	"math"

	"github.com/adsim/adsim/geo"
)

// GuidanceLaw selects how a locked-on interceptor turns the seeker's line-of-sight (LOS) rate
// into a lateral acceleration command. In all the laws the command is then limited to the
// plane normal to the interceptor's velocity (an aerodynamic airframe can only turn) and to
// MaxLateralG. Source: P. Zarchan, Tactical and Strategic Missile Guidance (AIAA, 6th ed.
// 2012), ch. 2 (PN), 5 (augmented PN) and 8 (pure and true PN in three dimensions).
type GuidanceLaw int

const (
	// PurePN is pure proportional navigation: a_c = N′·(ω × v_M), magnitude N′·V_M·λ̇,
	// normal to the interceptor velocity (ω the LOS rotation rate vector). The default.
	PurePN GuidanceLaw = iota
	// TruePN is true proportional navigation: a_c = N′·V_c·(ω × r̂), magnitude N′·V_c·λ̇,
	// normal to the LOS (V_c the closing speed).
	TruePN
	// AugmentedPN is true PN plus N′/2 times the target acceleration normal to the LOS
	// (Zarchan ch. 5), which halves the command needed against a constant manoeuvre.
	AugmentedPN
	// Unguided flies without lateral commands (a rocket): useful for fuzing tests and as a
	// baseline.
	Unguided
)

// String returns the law's name as used in files and on the command line.
func (g GuidanceLaw) String() string {
	switch g {
	case PurePN:
		return "pure-pn"
	case TruePN:
		return "true-pn"
	case AugmentedPN:
		return "augmented-pn"
	case Unguided:
		return "unguided"
	}
	return fmt.Sprintf("GuidanceLaw(%d)", int(g))
}

// ParseGuidanceLaw is the inverse of GuidanceLaw.String.
func ParseGuidanceLaw(s string) (GuidanceLaw, error) {
	for _, g := range []GuidanceLaw{PurePN, TruePN, AugmentedPN, Unguided} {
		if g.String() == s {
			return g, nil
		}
	}
	return 0, fmt.Errorf("engage: unknown guidance law %q (pure-pn, true-pn, augmented-pn, unguided)", s)
}

// SpeedPoint is one knot of a speed profile: Speed (m/s) at T seconds after launch.
type SpeedPoint struct{ T, Speed float64 }

// MissileSpec is an interceptor class in SI units. The axial motion comes either from a thrust
// profile (boost, sustain, coast) with drag and gravity, or, when SpeedProfile is non-empty,
// from a prescribed speed-versus-time profile (a "speed profile" interceptor, for catalogs that
// only know speeds). Mass decreases linearly during each burn with one effective exhaust
// velocity c = total impulse / propellant mass, so the ideal Δv is c·ln(MassLaunch/MassBurnout)
// (Tsiolkovsky).
type MissileSpec struct {
	// BoostThrust (N) for BoostTime (s), then SustainThrust (N) for SustainTime (s), then coast.
	BoostThrust, BoostTime     float64
	SustainThrust, SustainTime float64
	// MassLaunch and MassBurnout are the masses (kg) at launch and after the last burn.
	MassLaunch, MassBurnout float64
	// RefArea (m²) and Cd (dimensionless, constant: no Mach dependence) give the drag force
	// ½·ρ·V²·Cd·RefArea.
	RefArea, Cd float64
	// LaunchSpeed is the speed at launch (m/s), e.g. off the rail or after a cold launch.
	LaunchSpeed float64
	// SpeedProfile, if non-empty, replaces the thrust/drag axial dynamics: the speed follows the
	// piecewise-linear profile (held constant after the last knot).
	SpeedProfile []SpeedPoint
	// MaxLateralG is the lateral acceleration limit in units of standard gravity (g₀).
	MaxLateralG float64
	// NavConstant is the effective navigation ratio N′ (typically 3–5).
	NavConstant float64
	// Law is the homing guidance law (default PurePN).
	Law GuidanceLaw
	// SeekerFOV is the seeker's full field-of-view cone angle (rad), about the velocity vector
	// (the body axis of a point mass). 0 means 2π: the seeker sees all round.
	SeekerFOV float64
	// DiveAngle (rad, below the horizontal, in [0, π/2); 0: off) shapes midcourse guidance
	// against a low, level target: the interceptor is steered to arrive at the predicted
	// intercept point diving at this angle, so it keeps its height in thin air and comes
	// down late, instead of flying the chord into dense air (Missile.diveAngle).
	DiveAngle float64
	// LockOnRange is the range (m) within which the seeker locks on a target in its field of
	// view; before lock-on the interceptor flies midcourse guidance toward the predicted
	// intercept point from the track.
	LockOnRange float64
	// MaxFlightTime is the self-destruct time after launch (s); 0 means none.
	MaxFlightTime float64
	// ArmTime is the fuze arming delay after launch (s).
	ArmTime float64
	// FuzeRange is the proximity fuze's detection radius (m): at closest approach the warhead
	// detonates if the miss is within it; otherwise the shot is a clean miss. 0 means always
	// detonate at closest approach (the lethality then decides).
	FuzeRange float64
	// Lethality gives Pk as a function of the miss distance.
	Lethality Lethality
	// BlindRange is the seeker's blind range (m): closer than this, or closer than two
	// internal steps to go, the homing command is held at its last value (the LOS rate
	// diverges at the end of every PN flight; real seekers stop updating there).
	BlindRange float64
	// Step is the internal integration step (s) in the end game, independent of the engine
	// frame; 0 means DefaultStep. Far from the target the step grows as t_go/StepsToGo, up to
	// MaxStep (0 means DefaultMaxStep; set MaxStep = Step for a fixed step).
	Step, MaxStep float64
}

// DefaultStep is the default end-game integration step (s): 100 Hz guidance updates.
const DefaultStep = 0.01

// DefaultMaxStep is the default integration step (s) far from the target: 10 Hz guidance
// updates while the time to go is more than StepsToGo·DefaultMaxStep = 2.5 s.
const DefaultMaxStep = 0.1

// StepsToGo is the number of internal steps kept in the time to go: the step is
// t_go/StepsToGo clamped to [Step, MaxStep], so the end game is always finely resolved.
const StepsToGo = 25

// exhaustVelocity returns c = total impulse / propellant (m/s), or +Inf when the mass does
// not change.
func (s *MissileSpec) exhaustVelocity() float64 {
	imp := s.BoostThrust*s.BoostTime + s.SustainThrust*s.SustainTime
	prop := s.MassLaunch - s.MassBurnout
	if !(imp > 0) || !(prop > 0) {
		return math.Inf(1)
	}
	return imp / prop
}

// IdealDeltaV returns the ideal velocity gain of the thrust profile (m/s): ∫T/m dt over the
// burns, which is c·ln(MassLaunch/MassBurnout) (Tsiolkovsky), or total impulse / mass when
// the mass is constant. It ignores drag and gravity, so launch speed + IdealDeltaV bounds the
// speed reached in level flight.
func (s MissileSpec) IdealDeltaV() float64 {
	c := s.exhaustVelocity()
	if math.IsInf(c, 1) {
		if s.MassLaunch > 0 {
			return (s.BoostThrust*s.BoostTime + s.SustainThrust*s.SustainTime) / s.MassLaunch
		}
		return 0
	}
	return c * math.Log(s.MassLaunch/s.MassBurnout)
}

// Validate reports the first inconsistency in the spec (negative times, masses, limits).
func (s MissileSpec) Validate() error {
	bad := func(f string, v float64) bool { return v < 0 || math.IsNaN(v) || math.IsInf(v, 0) }
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"BoostThrust", s.BoostThrust}, {"BoostTime", s.BoostTime}, {"SustainThrust", s.SustainThrust},
		{"SustainTime", s.SustainTime}, {"RefArea", s.RefArea}, {"Cd", s.Cd}, {"LaunchSpeed", s.LaunchSpeed},
		{"MaxLateralG", s.MaxLateralG}, {"NavConstant", s.NavConstant}, {"SeekerFOV", s.SeekerFOV},
		{"LockOnRange", s.LockOnRange}, {"MaxFlightTime", s.MaxFlightTime}, {"ArmTime", s.ArmTime},
		{"FuzeRange", s.FuzeRange}, {"BlindRange", s.BlindRange}, {"Step", s.Step}, {"MaxStep", s.MaxStep},
		{"DiveAngle", s.DiveAngle},
	} {
		if bad(f.name, f.v) {
			return fmt.Errorf("engage: MissileSpec.%s = %v: must be a finite number ≥ 0", f.name, f.v)
		}
	}
	if !(s.MassLaunch > 0) || math.IsInf(s.MassLaunch, 0) {
		return errors.New("engage: MissileSpec.MassLaunch must be positive")
	}
	if !(s.MassBurnout > 0) || s.MassBurnout > s.MassLaunch {
		return errors.New("engage: MissileSpec.MassBurnout must be positive and at most MassLaunch")
	}
	if s.Law < PurePN || s.Law > Unguided {
		return fmt.Errorf("engage: unknown guidance law %d", int(s.Law))
	}
	if s.Law != Unguided && !(s.NavConstant > 0 && s.MaxLateralG > 0) {
		return errors.New("engage: a guided interceptor needs NavConstant > 0 and MaxLateralG > 0")
	}
	if s.DiveAngle >= math.Pi/2 {
		return fmt.Errorf("engage: MissileSpec.DiveAngle = %v: must be below π/2", s.DiveAngle)
	}
	if s.Step > 1 || s.MaxStep > 1 {
		return errors.New("engage: MissileSpec.Step or MaxStep above 1 s")
	}
	if s.MaxStep > 0 && s.MaxStep < s.Step {
		return errors.New("engage: MissileSpec.MaxStep below Step")
	}
	for i, p := range s.SpeedProfile {
		if bad("", p.T) || bad("", p.Speed) || (i > 0 && p.T <= s.SpeedProfile[i-1].T) {
			return fmt.Errorf("engage: SpeedProfile[%d] must have increasing T ≥ 0 and Speed ≥ 0", i)
		}
	}
	return nil
}

// Env is the environment an interceptor flies in. The zero Env is a vacuum without gravity
// or ground (useful for guidance tests); use DefaultEnv for real flyouts.
type Env struct {
	// Frame, if non-nil, gives altitude and local vertical on the engine's round earth
	// (geo.Frame.Altitude, geo.Frame.Up); otherwise altitude is the component along Up.
	Frame *geo.Frame
	// Up is the flat-earth vertical (unit) used without Frame; zero means (0, 0, 1).
	Up geo.Vec3
	// Gravity is the gravitational acceleration (m/s²), pointing down.
	Gravity float64
	// Atmosphere gives the air density for drag.
	Atmosphere Atmosphere
	// HasGround enables the ground-impact event below GroundAlt (m).
	HasGround bool
	GroundAlt float64
}

// DefaultEnv returns standard gravity, the standard exponential atmosphere and a ground at
// altitude 0 on frame's round earth (frame may be nil: flat earth, z up).
func DefaultEnv(frame *geo.Frame) Env {
	return Env{Frame: frame, Gravity: Gravity, Atmosphere: StandardAtmosphere(), HasGround: true}
}

// TargetState is a target's true position (m) and velocity (m/s) at one instant, as the engine
// knows it at the start and end of a frame.
type TargetState struct{ Pos, Vel geo.Vec3 }

// EventKind says how a flyout ended.
type EventKind int

const (
	// NoEvent: the interceptor is still flying.
	NoEvent EventKind = iota
	// Detonate: the proximity fuze fired at closest approach; Miss and Pk are set.
	Detonate
	// Missed: the interceptor passed its closest approach outside the fuze range (or before
	// arming, or ran out of energy and fell behind); Miss is set, Pk is 0.
	Missed
	// SelfDestruct: the maximum flight time was reached, or Destroy was called.
	SelfDestruct
	// GroundImpact: the interceptor hit the ground.
	GroundImpact
)

// String names the event kind as in the event log.
func (k EventKind) String() string {
	switch k {
	case NoEvent:
		return "none"
	case Detonate:
		return "detonate"
	case Missed:
		return "missed"
	case SelfDestruct:
		return "self_destruct"
	case GroundImpact:
		return "ground_impact"
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is the end of a flyout: what happened, when (absolute time, s, exact inside the
// frame), the miss distance (m) and the kill probability the engine should draw against.
type Event struct {
	Kind EventKind
	// T is the absolute time of the event; FlightTime the time since launch (s).
	T, FlightTime float64
	// Miss is the closest-approach distance (m) for Detonate and Missed.
	Miss float64
	// Pk is the kill probability from the lethality at Miss (Detonate only).
	Pk float64
	// Pos and TargetPos are the interceptor and target positions at T.
	Pos, TargetPos geo.Vec3
	// RelSpeed is the relative speed at T (m/s).
	RelSpeed float64
}

// Sample is one point of a flyout trace: the interceptor and target states after each
// internal step, for plots and CSV (see Missile.SetTrace).
type Sample struct {
	T                   float64
	Pos, Vel            geo.Vec3
	Accel               geo.Vec3 // lateral acceleration command applied during the step, m/s²
	TargetPos           geo.Vec3
	Range, ClosingSpeed float64
	Locked              bool
}

// Missile is a guided interceptor in flight: a 3-DOF point mass integrated with RK4 at a fixed
// internal step, independent of the engine frame. The engine calls Step once per frame with the
// target's true state at the frame's start and end; Step returns the event that ends the flyout
// (Detonate, Missed, SelfDestruct, GroundImpact) or NoEvent. Step does not allocate.
//
// Guidance: until the seeker locks on (range ≤ LockOnRange and the target inside the field of
// view), midcourse guidance steers toward the predicted intercept point (PIP) given by the
// track's predictor, using the zero-effort-miss form of PN, a_c = N′·ZEM⊥/t_go² with
// ZEM = PIP − (p_M + v_M·t_go) (Zarchan ch. 2 and 8: for a constant-velocity target it is PN).
// After lock-on it homes on the true target with the selected GuidanceLaw. Gravity is
// compensated within the g limit (the airframe adds lift to cancel gravity's normal component).
//
// Fuzing: after each internal step the closest approach is located between the step's ends
// (missile: cubic Hermite through positions and velocities; target: straight line within the
// frame), by Newton iteration on d|r|²/dt = 0 from the straight-line solution, which it equals
// exactly for straight-line relative motion. So the miss distance does not depend on the frame
// step (Orekit-style event detection).
type Missile struct {
	spec      MissileSpec
	env       Env
	up        geo.Vec3
	c         float64 // effective exhaust velocity, m/s (+Inf: constant mass)
	kDrag     float64 // ½·Cd·A, m²
	aMax      float64 // lateral limit, m/s²
	step      float64
	maxStep   float64
	tgo       float64 // time to go estimated by the last guidance update, s
	nextGuide float64 // time of the next guidance update, s
	pipT      float64 // predicted intercept time, s
	vExp      float64 // mean speed expected for the rest of the flight (per frame), m/s
	alt       float64 // altitude (m) and local vertical at pos, valid when haveAlt
	upv       geo.Vec3
	haveAlt   bool
	cosFOV    float64 // cos(SeekerFOV/2); −2 when all-round

	hasFrame bool
	centre   geo.Vec3 // frame sphere centre and radius, when hasFrame
	radius   float64

	tLaunch, t float64
	pos, vel   geo.Vec3
	dir        geo.Vec3 // launch direction, for thrust from rest
	cmd        geo.Vec3
	dv         float64
	pip        geo.Vec3
	dive       float64 // the dive midcourse shapes the flight to at the PIP (rad; diveAngle)
	havePIP    bool
	locked     bool
	closing    bool
	done       bool
	trace      func(Sample)
}

// NewMissile launches an interceptor of class spec at pos (m) along dir (any length) at time t
// (s), in env.
func NewMissile(spec MissileSpec, env Env, pos, dir geo.Vec3, t float64) (*Missile, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if !(dir.Norm2() > 0) || math.IsNaN(dir.Norm2()) || math.IsInf(dir.Norm2(), 0) {
		return nil, errors.New("engage: launch direction must be a non-zero vector")
	}
	up := env.Up.Unit()
	if !(up.Norm2() > 0) {
		up = geo.Vec3{Z: 1}
	}
	m := &Missile{spec: spec, env: env, up: up, tLaunch: t, t: t, pos: pos, dir: dir.Unit()}
	m.c = spec.exhaustVelocity()
	m.kDrag = 0.5 * spec.Cd * spec.RefArea
	m.aMax = spec.MaxLateralG * Gravity
	m.step, m.maxStep = spec.Step, spec.MaxStep
	if m.step == 0 {
		m.step = DefaultStep
	}
	if m.maxStep == 0 {
		m.maxStep = max(DefaultMaxStep, m.step)
	}
	m.tgo = math.Inf(1)
	m.cosFOV = -2
	if fov := spec.SeekerFOV; fov > 0 && fov < 2*math.Pi {
		m.cosFOV = math.Cos(fov / 2)
	}
	if env.Frame != nil {
		m.hasFrame, m.centre, m.radius = true, env.Frame.Centre(), env.Frame.Radius()
	}
	v0 := spec.LaunchSpeed
	if len(spec.SpeedProfile) > 0 {
		v0 = spec.SpeedProfile[0].Speed
	}
	m.vel = m.dir.Scale(v0)
	return m, nil
}

// SetTrace installs fn, called with the launch state and after every internal step (nil
// removes it). Tracing costs one call per step; without it Step does no extra work.
func (m *Missile) SetTrace(fn func(Sample)) { m.trace = fn }

// Pos returns the interceptor's position (m).
func (m *Missile) Pos() geo.Vec3 { return m.pos }

// Vel returns the interceptor's velocity (m/s).
func (m *Missile) Vel() geo.Vec3 { return m.vel }

// Time returns the interceptor's current time (s, absolute).
func (m *Missile) Time() float64 { return m.t }

// FlightTime returns the time since launch (s).
func (m *Missile) FlightTime() float64 { return m.t - m.tLaunch }

// Mass returns the current mass (kg).
func (m *Missile) Mass() float64 { _, mass := m.thrustMass(m.t - m.tLaunch); return mass }

// Command returns the lateral acceleration command (m/s²) applied during the last step.
func (m *Missile) Command() geo.Vec3 { return m.cmd }

// LateralDeltaV returns ∫|a_c| dt (m/s), the velocity spent on steering so far.
func (m *Missile) LateralDeltaV() float64 { return m.dv }

// Locked reports whether the seeker is locked on.
func (m *Missile) Locked() bool { return m.locked }

// Done reports that the flyout has ended (an event was returned or Destroy was called).
func (m *Missile) Done() bool { return m.done }

// PIP returns the last predicted intercept point of midcourse guidance, if any.
func (m *Missile) PIP() (geo.Vec3, bool) { return m.pip, m.havePIP }

// Spec returns the interceptor's class.
func (m *Missile) Spec() MissileSpec { return m.spec }

// Retarget tells the interceptor that from the next Step it is given another target (its
// target was killed by another shot and doctrine re-assigns it): the seeker drops lock and
// the fuze forgets the old target's approach.
func (m *Missile) Retarget() {
	m.locked, m.closing, m.havePIP = false, false, false
	m.nextGuide = m.t
}

// Destroy ends the flyout now (the doctrine's answer when the target died and no retarget is
// wanted) and returns the SelfDestruct event; it returns NoEvent if the flyout already ended.
func (m *Missile) Destroy() Event {
	if m.done {
		return Event{}
	}
	m.done = true
	return Event{Kind: SelfDestruct, T: m.t, FlightTime: m.t - m.tLaunch, Pos: m.pos}
}

// thrustMass returns the thrust (N) and mass (kg) at tf seconds after launch.
func (m *Missile) thrustMass(tf float64) (thrust, mass float64) { return m.thrustMassIn(tf, tf) }

// thrustMassIn is thrustMass in the burn phase that contains ref: a step that ends exactly at
// burnout evaluates its last RK stage with the thrust of the phase it integrates.
func (m *Missile) thrustMassIn(tf, ref float64) (thrust, mass float64) {
	s := &m.spec
	mass = s.MassLaunch
	burned := 0.0
	switch {
	case ref < s.BoostTime:
		thrust = s.BoostThrust
		burned = s.BoostThrust * tf
	case ref < s.BoostTime+s.SustainTime:
		thrust = s.SustainThrust
		burned = s.BoostThrust*s.BoostTime + s.SustainThrust*(tf-s.BoostTime)
	default:
		return 0, s.MassBurnout
	}
	if !math.IsInf(m.c, 1) {
		mass -= burned / m.c
	}
	return thrust, mass
}

// profileSlope returns the slope (m/s²) of the speed-profile segment that contains ref.
func (m *Missile) profileSlope(ref float64) float64 {
	p := m.spec.SpeedProfile
	for i := 1; i < len(p); i++ {
		if ref < p[i].T {
			if ref < p[i-1].T {
				return 0
			}
			return (p[i].Speed - p[i-1].Speed) / (p[i].T - p[i-1].T)
		}
	}
	return 0
}

// nextBreak returns the next time after launch (s) at which the axial dynamics change
// discontinuously, after tf; +Inf if none. Steps end there so RK4 never straddles a jump.
func (m *Missile) nextBreak(tf float64) float64 {
	const eps = 1e-12
	if p := m.spec.SpeedProfile; len(p) > 0 {
		for _, k := range p {
			if k.T > tf+eps {
				return k.T
			}
		}
		return math.Inf(1)
	}
	if b := m.spec.BoostTime; b > tf+eps {
		return b
	}
	if b := m.spec.BoostTime + m.spec.SustainTime; b > tf+eps {
		return b
	}
	return math.Inf(1)
}

// accel returns the acceleration at velocity v with the lateral command held (re-projected
// normal to v), for an axial specific force fa (thrust/mass, or the profile's dv/dt), a drag
// factor kd = ½·ρ·Cd·A/m and gravity g. Written as a + v·k to need one square root:
// a = g + c + v·(fa/|v| − kd·|v| − (c·v)/|v|²), which is g + c⊥ + v̂·(fa − kd·|v|²).
// With a speed profile, gravity's axial component is removed too (prof true).
func (m *Missile) accel(v geo.Vec3, fa, kd float64, g geo.Vec3, prof bool) geo.Vec3 {
	c := m.cmd
	if prof {
		c = c.Add(g)
		g = geo.Vec3{}
	}
	s2 := v.Norm2()
	if !(s2 > 1e-18) {
		d := m.dir
		return g.Add(c).Add(d.Scale(fa - c.Dot(d)))
	}
	s := math.Sqrt(s2)
	inv := 1 / s
	k := fa*inv - kd*s - c.Dot(v)*inv*inv
	return g.Add(c).Add(v.Scale(k))
}

// altitudeUp returns the altitude (m) and local vertical at p.
func (m *Missile) altitudeUp(p geo.Vec3) (float64, geo.Vec3) {
	if m.hasFrame { // geo.Frame.Altitude and Up, inlined
		d := p.Sub(m.centre)
		n := d.Norm()
		if !(n > 0) {
			return -m.radius, geo.Vec3{Z: 1}
		}
		return n - m.radius, d.Scale(1 / n)
	}
	return p.Dot(m.up), m.up
}

// expectedSpeed is the mean speed assumed for the rest of the flight when predicting the
// intercept point: the current speed plus half the ideal Δv still to come (a heuristic that
// is exact for a constant-speed interceptor).
func (m *Missile) expectedSpeed() float64 {
	v := m.vel.Norm()
	tf := m.t - m.tLaunch
	if len(m.spec.SpeedProfile) == 0 && !math.IsInf(m.c, 1) {
		if _, mass := m.thrustMass(tf); mass > m.spec.MassBurnout {
			v += 0.5 * m.c * math.Log(mass/m.spec.MassBurnout)
		}
	}
	return max(v, 1)
}

// inFOV reports whether r lies inside the seeker cone about the velocity.
func (m *Missile) inFOV(r geo.Vec3, rn float64) bool {
	if m.cosFOV < -1 {
		return true
	}
	ax := m.vel
	if ax.Norm2() < 1e-18 {
		ax = m.dir
	}
	return r.Dot(ax) >= rn*ax.Norm()*m.cosFOV
}

// predictPIP updates the predicted intercept point from the track: the first root of
// F(t_go) = |track(t + t_go) − p_M|/v̄ − t_go, with v̄ from expectedSpeed, by Newton steps on a
// finite-difference slope (a few cold, two warm-started from the last frame's solution). The
// classic fixed-point form t_go ← |track(t + t_go) − p_M|/v̄ has the slope (r̂·v_T)/v̄ and so
// diverges, oscillating, once the target closes faster than the interceptor flies — a
// ballistic missile in its dive — and leaves a PIP that may lie behind the interceptor. The
// cold start divides the range by the closing speed, exact for a straight-line target. The
// track changes only once per engine frame, so this runs once per Step.
func (m *Missile) predictPIP(track Predictor) {
	v := m.expectedSpeed()
	m.vExp = v
	var tgo float64
	iters := 3
	if m.havePIP && m.pipT > m.t {
		tgo, iters = m.pipT-m.t, 2 // warm start from the last frame's solution
	} else {
		p0 := track(m.t)
		r := p0.Sub(m.pos)
		rn := r.Norm()
		closing := 0.0
		if rn > 0 {
			closing = -r.Dot(track(m.t+1).Sub(p0)) / rn
		}
		// A receding target (closing < 0) is caught, if at all, later than range/v̄; half
		// the speed keeps the guess finite and positive.
		tgo = rn / max(v+closing, 0.5*v)
	}
	for i := 0; i < iters; i++ {
		f := track(m.t+tgo).Sub(m.pos).Norm()/v - tgo
		h := 1e-3 * max(1, tgo)
		slope := (track(m.t+tgo+h).Sub(m.pos).Norm()/v - tgo - h - f) / h
		if slope < -0.05 {
			tgo -= f / slope
		} else {
			// The target recedes about as fast as the interceptor closes (F barely falls):
			// the fixed-point step, which converges there.
			tgo += f
		}
		tgo = max(tgo, 0)
	}
	m.pip = track(m.t + tgo)
	m.dive = 0
	if m.spec.DiveAngle > 0 {
		m.dive = m.diveAngle(track(m.t + tgo + 1).Sub(m.pip))
	}
	m.pipT = m.t + tgo
	m.havePIP = true
}

// Dive shaping (MissileSpec.DiveAngle) applies in full to an intercept point up to
// diveFullM above the ground, fades out linearly to none at diveTopM, and only against a
// target whose predicted path at the intercept point is within diveLevelSlope (tan 15°) of
// level. Higher, the air is thin enough for the chord; a diving target — a ballistic
// missile — is met head-on, and an interceptor made to arrive diving on it would come from
// above with the target outside its seeker's cone (it raised the Iskander leak rate of the
// default scenario from 6.7 % to 8.7 % over 300 replications when it applied to them).
const (
	diveFullM      = 5000.0
	diveTopM       = 8000.0
	diveLevelSlope = 0.268
)

// diveAngle is the dive angle midcourse guidance shapes the flight to (rad), 0 for none: the
// spec's DiveAngle, faded out with the PIP's height above the ground between diveFullM and
// diveTopM, and 0 against a target whose velocity at the PIP, pipVel, climbs or dives more
// than diveLevelSlope. The PIP changes once a frame (predictPIP), so this runs once a frame,
// not at every guidance update.
func (m *Missile) diveAngle(pipVel geo.Vec3) float64 {
	alt, up := m.altitudeUp(m.pip)
	if m.env.HasGround {
		alt -= m.env.GroundAlt
	}
	if alt >= diveTopM {
		return 0
	}
	if vz := pipVel.Dot(up); math.Abs(vz) > diveLevelSlope*pipVel.Norm() {
		return 0
	}
	return m.spec.DiveAngle * min(1, (diveTopM-alt)/(diveTopM-diveFullM))
}

// midcourseAim is the point midcourse guidance steers to: the PIP, raised over a round earth
// by its drop below the interceptor's horizontal plane over the horizontal distance to go,
// d²/2R. Guidance then flies toward the PIP in the interceptor's local level frame, as over a
// flat earth, and the path keeps its height above the curved one; the raise shrinks to
// nothing as d does. Steering at the PIP itself flew the straight chord, which passes below
// the surface when a low target is beyond the geometric horizon of the launcher (d > √(2Rh),
// 18 km for a target 25 m up): catalog missiles launched at a stationary target 25 m up hit
// the ground over part of their range — the 9M317M from 21 to 45 km, the 48N6 from 37 to 60
// km — while nearer and farther shots hit (sim's TestCatalogReachIsContiguous).
func (m *Missile) midcourseAim() geo.Vec3 {
	if m.env.Frame == nil || !m.env.HasGround || !m.haveAlt {
		return m.pip
	}
	d := m.pip.Sub(m.pos)
	dv := d.Dot(m.upv)
	dh2 := d.Norm2() - dv*dv
	return m.pip.Add(m.upv.Scale(dh2 / (2 * m.env.Frame.Radius())))
}

// guide computes the lateral command for the coming step from the target's true position and
// velocity pT, vT (for the seeker) and its acceleration aT; before lock-on it steers to the PIP.
func (m *Missile) guide(pT, vT, aT, g geo.Vec3, seeker bool) {
	r := pT.Sub(m.pos)
	r2 := r.Norm2()
	rn := math.Sqrt(r2)
	m.tgo = math.Inf(1)
	if rd := r.Dot(vT.Sub(m.vel)); rd < 0 && seeker {
		m.tgo = -r2 / rd // range / closing speed
	}
	if m.spec.Law == Unguided {
		m.cmd = geo.Vec3{}
		return
	}
	n := m.spec.NavConstant
	seen := seeker && rn <= m.spec.LockOnRange && m.inFOV(r, rn)
	if seeker && m.locked && !seen && rn > m.spec.LockOnRange {
		seen = m.inFOV(r, rn) // keep lock beyond lock-on range while in view
	}
	m.locked = seen
	var a geo.Vec3
	switch {
	case m.locked && r2 > 0:
		vr := vT.Sub(m.vel)
		if rn < m.spec.BlindRange || -r.Dot(vr) > 0 && rn*rn < -2*m.step*r.Dot(vr) {
			return // blind: hold the last command
		}
		w := r.Cross(vr).Scale(1 / r2) // LOS rotation rate, rad/s
		switch m.spec.Law {
		case PurePN:
			a = w.Cross(m.vel).Scale(n)
		default:
			vc := -r.Dot(vr) / rn
			a = w.Cross(r).Scale(n * vc / rn)
			if m.spec.Law == AugmentedPN {
				rh := r.Scale(1 / rn)
				a = a.Add(aT.Sub(rh.Scale(aT.Dot(rh))).Scale(n / 2))
			}
		}
	case m.havePIP:
		if m.vExp == 0 {
			m.vExp = m.expectedSpeed()
		}
		tgo := max(m.pip.Sub(m.pos).Norm()/m.vExp, m.step)
		m.tgo = min(m.tgo, tgo)
		aim := m.midcourseAim()
		zem := aim.Sub(m.pos.Add(m.vel.Scale(tgo)))
		a = zem.Scale(n / (tgo * tgo))
		if dive := m.dive; dive > 0 && m.haveAlt {
			// Arrive at the aim point with the velocity v_f diving at the angle toward it:
			// the energy-optimal law with a terminal position and velocity, a = 6·ZEM/t_go² −
			// 2·(v_f − v)/t_go (Bryson & Ho 1975, §5.3; Ryoo, Cho & Tahk 2005), of which
			// the plain law is the case without the velocity (N′ = 3). It takes over only
			// while the chord descends less steeply than the dive, so the interceptor holds
			// its height over most of a long shot, and near the end flies the plain law.
			d := aim.Sub(m.pos)
			dv := d.Dot(m.upv)
			hv := d.Sub(m.upv.Scale(dv))
			if hn := hv.Norm(); hn > 0 && math.Atan2(-dv, hn) < dive {
				sd, cd := math.Sincos(dive)
				vf := hv.Scale(cd / hn).Sub(m.upv.Scale(sd)).Scale(m.vel.Norm())
				a = zem.Scale(6 / (tgo * tgo)).Sub(vf.Sub(m.vel).Scale(2 / tgo))
			}
		}
	}
	a = a.Sub(g) // gravity compensation: lift cancels gravity's normal component
	if sp := m.vel.Norm(); sp > 1e-9 {
		vh := m.vel.Scale(1 / sp)
		a = a.Sub(vh.Scale(a.Dot(vh)))
	}
	if an := a.Norm(); an > m.aMax {
		a = a.Scale(m.aMax / an)
	}
	m.cmd = a
}

// Step advances the interceptor by one engine frame of dt seconds. from and to are the
// target's true states at the frame's start (the interceptor's current time) and end; the
// target moves on the straight line between them. track predicts the target from the track
// (for midcourse guidance; nil keeps the last predicted intercept point). Step returns the
// event that ended the flyout inside the frame, at its exact time, or NoEvent. It never
// allocates (unless a trace function does).
func (m *Missile) Step(dt float64, from, to TargetState, track Predictor) Event {
	return m.advance(dt, from, to, track, true)
}

// StepMidcourse advances the interceptor by one engine frame with no target in its seeker's
// reach: midcourse guidance toward the intercept point predicted from track (nil keeps the
// last one), no lock-on and no fuzing. Only SelfDestruct (maximum flight time) and
// GroundImpact can end the flyout. The engine uses it before the seeker has acquired a
// real target near the track (and, for a false track, until the interceptor gives up).
func (m *Missile) StepMidcourse(dt float64, track Predictor) Event {
	var at TargetState
	if m.havePIP {
		at.Pos = m.pip
	}
	return m.advance(dt, at, at, track, false)
}

func (m *Missile) advance(dt float64, from, to TargetState, track Predictor, seeker bool) Event {
	if m.done || !(dt > 0) || math.IsInf(dt, 0) {
		return Event{}
	}
	if !seeker {
		m.locked = false
	}
	t0, tEnd := m.t, m.t+dt
	vT := to.Pos.Sub(from.Pos).Scale(1 / dt)
	aT := to.Vel.Sub(from.Vel).Scale(1 / dt)
	if m.trace != nil && m.t == m.tLaunch {
		m.emitSample(from.Pos, vT)
	}
	if track != nil && !m.locked && m.spec.Law != Unguided {
		m.predictPIP(track)
	}
	expiry := math.Inf(1)
	if m.spec.MaxFlightTime > 0 {
		expiry = m.tLaunch + m.spec.MaxFlightTime
	}
	for m.t < tEnd-1e-12 {
		tf := m.t - m.tLaunch
		if expiry-m.t <= 0 {
			return m.end(Event{Kind: SelfDestruct, T: m.t, FlightTime: tf, Pos: m.pos,
				TargetPos: from.Pos.Add(vT.Scale(m.t - t0))})
		}
		pT0 := from.Pos.Add(vT.Scale(m.t - t0))
		if !m.haveAlt {
			m.alt, m.upv = m.altitudeUp(m.pos)
			m.haveAlt = true
		}
		alt, up := m.alt, m.upv
		g := up.Scale(-m.env.Gravity)
		if m.t >= m.nextGuide-1e-9 {
			// Guidance updates on its own grid, so frame boundaries only split
			// integration steps and the command history does not depend on the frame.
			m.guide(pT0, vT, aT, g, seeker)
			m.nextGuide = m.t + min(max(m.tgo/StepsToGo, m.step), m.maxStep)
		}
		h := min(m.nextGuide-m.t, tEnd-m.t)
		h = min(h, m.tLaunch+m.nextBreak(tf)-m.t)
		h = min(h, expiry-m.t)
		rho := m.env.Atmosphere.Density(alt)

		p0, v0 := m.pos, m.vel
		// Axial specific force and drag factor at the RK4 stage times; the step never
		// straddles a burn-phase change (nextBreak), and ref selects its phase.
		ref := tf + h/2
		var fa0, fa1, fa2, kd0, kd1, kd2 float64
		prof := len(m.spec.SpeedProfile) > 0
		if prof {
			fa0 = m.profileSlope(ref)
			fa1, fa2 = fa0, fa0
		} else {
			th, ms := m.thrustMassIn(tf, ref)
			fa0, kd0 = th/ms, m.kDrag*rho/ms
			th, ms = m.thrustMassIn(ref, ref)
			fa1, kd1 = th/ms, m.kDrag*rho/ms
			th, ms = m.thrustMassIn(tf+h, ref)
			fa2, kd2 = th/ms, m.kDrag*rho/ms
		}
		k1 := m.accel(v0, fa0, kd0, g, prof)
		v2 := v0.Add(k1.Scale(h / 2))
		k2 := m.accel(v2, fa1, kd1, g, prof)
		v3 := v0.Add(k2.Scale(h / 2))
		k3 := m.accel(v3, fa1, kd1, g, prof)
		v4 := v0.Add(k3.Scale(h))
		k4 := m.accel(v4, fa2, kd2, g, prof)
		m.vel = v0.Add(k1.Add(k2.Scale(2)).Add(k3.Scale(2)).Add(k4).Scale(h / 6))
		m.pos = p0.Add(v0.Add(v2.Scale(2)).Add(v3.Scale(2)).Add(v4).Scale(h / 6))
		m.dv += m.cmd.Norm() * h
		m.t += h
		if tEnd-m.t < 1e-12 {
			m.t = tEnd // no drift of the frame grid
		}
		pT1 := from.Pos.Add(vT.Scale(m.t - t0))
		if m.trace != nil {
			m.emitSample(pT1, vT)
		}

		if seeker { // without a target there is nothing to fuze on
			if ev, ok := m.fuze(p0, v0, pT0, pT1, vT, h); ok {
				return m.end(ev)
			}
		}
		m.alt, m.upv = m.altitudeUp(m.pos)
		if m.env.HasGround {
			if alt1 := m.alt; alt1 < m.env.GroundAlt && alt >= m.env.GroundAlt {
				f := (alt - m.env.GroundAlt) / (alt - alt1)
				tg := m.t - h + f*h
				return m.end(Event{Kind: GroundImpact, T: tg, FlightTime: tg - m.tLaunch,
					Pos: p0.Add(m.pos.Sub(p0).Scale(f)), TargetPos: pT0.Add(vT.Scale(f * h))})
			}
		}
		if m.t >= expiry-1e-12 {
			return m.end(Event{Kind: SelfDestruct, T: m.t, FlightTime: m.t - m.tLaunch, Pos: m.pos, TargetPos: pT1})
		}
	}
	return Event{}
}

func (m *Missile) end(e Event) Event {
	m.done = true
	return e
}

func (m *Missile) emitSample(pT, vT geo.Vec3) {
	r := pT.Sub(m.pos)
	rn := r.Norm()
	vc := 0.0
	if rn > 0 {
		vc = -r.Dot(vT.Sub(m.vel)) / rn
	}
	m.trace(Sample{T: m.t, Pos: m.pos, Vel: m.vel, Accel: m.cmd, TargetPos: pT, Range: rn, ClosingSpeed: vc, Locked: m.locked})
}

// fuze looks for the closest approach inside the step just taken, from (p0, v0) to the
// current state over h seconds, with the target moving from pT0 to pT1 at vT.
func (m *Missile) fuze(p0, v0, pT0, pT1, vT geo.Vec3, h float64) (Event, bool) {
	r0 := pT0.Sub(p0)
	r1 := pT1.Sub(m.pos)
	rd0 := r0.Dot(vT.Sub(v0))
	rd1 := r1.Dot(vT.Sub(m.vel))
	if rd0 < 0 {
		m.closing = true
	}
	if !m.closing || rd1 < 0 {
		return Event{}, false
	}
	tau := 0.0
	if rd0 < 0 {
		tau = closestHermite(p0, v0, m.pos, m.vel, pT0, vT, h)
	}
	pm, vm := hermite(p0, v0, m.pos, m.vel, h, tau)
	pt := pT0.Add(vT.Scale(tau))
	miss := pt.Sub(pm).Norm()
	t := m.t - h + tau
	ev := Event{Kind: Missed, T: t, FlightTime: t - m.tLaunch, Miss: miss, Pos: pm, TargetPos: pt,
		RelSpeed: vT.Sub(vm).Norm()}
	if ev.FlightTime >= m.spec.ArmTime && (m.spec.FuzeRange == 0 || miss <= m.spec.FuzeRange) {
		ev.Kind = Detonate
		ev.Pk = m.spec.Lethality.Pk(miss)
	}
	return ev, true
}

// hermite returns the cubic Hermite position and velocity at tau ∈ [0, h] through
// (p0, v0) at 0 and (p1, v1) at h.
func hermite(p0, v0, p1, v1 geo.Vec3, h, tau float64) (p, v geo.Vec3) {
	s := tau / h
	s2, s3 := s*s, s*s*s
	h00, h10, h01, h11 := 2*s3-3*s2+1, s3-2*s2+s, -2*s3+3*s2, s3-s2
	p = p0.Scale(h00).Add(v0.Scale(h * h10)).Add(p1.Scale(h01)).Add(v1.Scale(h * h11))
	d00, d10, d01, d11 := 6*s2-6*s, 3*s2-4*s+1, -6*s2+6*s, 3*s2-2*s
	v = p0.Scale(d00 / h).Add(v0.Scale(d10)).Add(p1.Scale(d01 / h)).Add(v1.Scale(d11))
	return p, v
}

// closestHermite returns tau ∈ [0, h] minimising |pT0 + vT·tau − hermite(tau)|: the
// straight-line (chord) solution refined by Newton iterations on r·ṙ = 0.
func closestHermite(p0, v0, p1, v1, pT0, vT geo.Vec3, h float64) float64 {
	r0 := pT0.Sub(p0)
	vr := pT0.Add(vT.Scale(h)).Sub(p1).Sub(r0).Scale(1 / h)
	tau := 0.0
	if v2 := vr.Norm2(); v2 > 0 {
		tau = min(max(-r0.Dot(vr)/v2, 0), h)
	}
	dist := func(t float64) float64 {
		p, _ := hermite(p0, v0, p1, v1, h, t)
		return pT0.Add(vT.Scale(t)).Sub(p).Norm2()
	}
	best, bestD := tau, dist(tau)
	for i := 0; i < 6; i++ {
		s := tau / h
		p, v := hermite(p0, v0, p1, v1, h, tau)
		acc := p0.Scale((12*s - 6) / (h * h)).Add(v0.Scale((6*s - 4) / h)).
			Add(p1.Scale((6 - 12*s) / (h * h))).Add(v1.Scale((6*s - 2) / h))
		r := pT0.Add(vT.Scale(tau)).Sub(p)
		rd := vT.Sub(v)
		gv := r.Dot(rd)
		gd := rd.Norm2() - r.Dot(acc)
		if !(gd > 0) {
			break
		}
		next := min(max(tau-gv/gd, 0), h)
		if math.Abs(next-tau) < 1e-13*h {
			tau = next
			break
		}
		tau = next
	}
	if d := dist(tau); d < bestD {
		best, bestD = tau, d
	}
	for _, t := range [2]float64{0, h} {
		if d := dist(t); d < bestD {
			best, bestD = t, d
		}
	}
	return best
}
