package threat

import (
	"errors"
	"math"

	"github.com/adsim/adsim/geo"
)

// TerminalMode is the end of a route onto an aim point.
type TerminalMode int

const (
	// NoTerminal: the flight ends at the last waypoint (drones on patrol, aircraft).
	NoTerminal TerminalMode = iota
	// Dive: fly at cruise height, then dive at DiveAngle onto the aim point.
	Dive
	// PopUp: at PopUpRange from the aim, climb to PopUpHeight above the ground, then dive at
	// DiveAngle (the classic anti-ship and land-attack end game of cruise missiles).
	PopUp
)

// Terminal describes the end game of a route flown onto its last point.
type Terminal struct {
	Mode TerminalMode
	// DiveAngle below the horizontal, rad; 0 means DefaultDiveAngle.
	DiveAngle float64
	// PopUpHeight above the ground (m) and PopUpRange, the ground range to the aim (m) at
	// which the climb starts.
	PopUpHeight, PopUpRange float64
}

// RouteSpec is a point-mass flight at constant airspeed along waypoints, with a heading that
// turns at no more than MaxTurnRate and a height that follows its command with a first-order
// lag limited by MaxClimbAngle. The height is above the terrain (geo.Terrain; nil is smooth
// earth), so the same model flies a terrain-following cruise missile, a drone or an aircraft.
type RouteSpec struct {
	// Speed, m/s.
	Speed float64
	// Height above ground to hold, m.
	Height float64
	// MaxTurnRate, rad/s; 0 means unlimited (turn instantly). A coordinated turn at bank φ
	// gives ω = g·tan φ / V (e.g. 3.9°/s for 2 g at 150 m/s; a Shahed-type drone ~5–10°/s).
	MaxTurnRate float64
	// MaxClimbAngle limits the flight-path angle while holding height, rad; 0 means 30°.
	MaxClimbAngle float64
	// HeightLag is the height-hold time constant, s; 0 means 2 s.
	HeightLag float64
	// Terminal is the end game onto the last waypoint.
	Terminal Terminal
	// Terrain gives the ground height (m above the ellipsoid); nil is smooth earth.
	Terrain geo.Terrain
	// Step is the internal step, s; 0 means 0.1.
	Step float64
}

// RoutePhase is the phase of a routed flight.
type RoutePhase int

const (
	// Cruise: following the route at height.
	Cruise RoutePhase = iota
	// Climb: the terminal pop-up.
	Climb
	// Diving onto the aim point.
	Diving
	// Arrived: the flight has ended (aim reached or route finished).
	Arrived
)

// Routed is the flight of a drone, cruise missile or aircraft along a route (see RouteSpec).
// It implements Flight. Waypoints count as reached within one turn radius V/ω (or one step),
// so a turn-limited flight never circles a waypoint.
type Routed struct {
	frame    *geo.Frame
	spec     RouteSpec
	pos, vel geo.Vec3
	route    []geo.Vec3
	next     int
	phase    RoutePhase
	t        float64

	// The rest are caches that make a substep cheap (a few hundred thousand substeps per
	// run); they never change the result beyond rounding.

	smooth  bool    // the terrain is smooth earth: ground() is 0 without a ToLLA
	vmax    float64 // climb-rate limit V·sin(MaxClimbAngle), m/s
	tanDive float64 // tan(Terminal.DiveAngle)
	popUp2  float64 // chord2 of Terminal.PopUpRange

	// substeps of the last step length subDt: their number and length (see substeps).
	subDt, subH float64
	subN        int

	// radial at posAt: the unit radial up (frame.Up) and the altitude (frame.Altitude),
	// which share one square root and are reused by the next substep.
	posAt, up geo.Vec3
	alt       float64

	// target at tgtAt (the waypoint flown to): its unit radial and altitude, constant for a
	// leg. Keyed by the point rather than by next, as Aircraft replaces the route.
	tgtAt, tgtUp geo.Vec3
	tgtAlt       float64

	// per substep length hAt: chord2 of the waypoint capture distance, and the turn limit
	// MaxTurnRate·h with its cosine and sine (limited is false when the turn is not limited
	// within a step).
	hAt            float64
	capture        float64 // the waypoint capture distance, m (ground range)
	capture2       float64
	limited        bool
	cosLim, sinLim float64

	// closed-form cruise (see cruise): per step arcDt of substeps arcH, the substeps' steady
	// altitude arcEq (arcEqOff above Height), the decay of its deviation over the step and
	// over all but its last substep, the arc's angle and one substep's angle, and the ground
	// range flown plus cruiseMargin; while arcOn, the state at arcPos flying to arcTgt: unit
	// radial, heading and the altitude's deviation from arcEq.
	arcDt, arcH      float64
	arcEq, arcEqOff  float64
	arcKn, arcKn1    float64
	arcCos, arcSin   float64
	arcCosD, arcSinD float64
	arcReach         float64
	arcOn            bool
	arcPos, arcTgt   geo.Vec3
	arcUp, arcE      geo.Vec3
	arcD             float64
}

// NewRouted starts a routed flight at start (its height is set to spec.Height above the
// ground), heading for route[0].
func NewRouted(frame *geo.Frame, start geo.Vec3, route []geo.Vec3, spec RouteSpec) (*Routed, error) {
	if frame == nil {
		return nil, errors.New("threat: routed flight needs a frame")
	}
	if len(route) == 0 {
		return nil, errors.New("threat: routed flight needs at least one route point")
	}
	if !(spec.Speed > 0) || math.IsInf(spec.Speed, 0) {
		return nil, errors.New("threat: speed must be positive")
	}
	if spec.MaxTurnRate < 0 || spec.MaxClimbAngle < 0 || spec.HeightLag < 0 || spec.Step < 0 {
		return nil, errors.New("threat: negative turn rate, climb angle, lag or step")
	}
	if spec.MaxClimbAngle == 0 {
		spec.MaxClimbAngle = 30 * math.Pi / 180
	}
	if spec.HeightLag == 0 {
		spec.HeightLag = 2
	}
	if spec.Step == 0 {
		spec.Step = 0.1
	}
	if spec.Terminal.DiveAngle == 0 {
		spec.Terminal.DiveAngle = DefaultDiveAngle
	}
	r := &Routed{frame: frame, spec: spec, route: route}
	switch spec.Terrain.(type) {
	case nil, geo.SmoothEarth, *geo.SmoothEarth:
		r.smooth = true
	}
	r.vmax = spec.Speed * math.Sin(spec.MaxClimbAngle)
	r.tanDive = math.Tan(spec.Terminal.DiveAngle)
	r.popUp2 = chord2(spec.Terminal.PopUpRange, frame.Radius())
	r.pos = frame.AtAltitude(start, r.ground(start)+spec.Height)
	r.vel = r.horizontalTo(route[0]).Scale(spec.Speed)
	if r.vel.Norm2() == 0 {
		r.vel = geo.Vec3{X: spec.Speed}
	}
	return r, nil
}

// NewRoutedFrom starts a routed flight from a given state, e.g. a weapon released from an
// aircraft: at pos (its own height, which then converges on spec.Height with the height
// lag), heading along the horizontal part of vel (toward route[0] if vel is vertical or
// zero), at spec.Speed.
func NewRoutedFrom(frame *geo.Frame, pos, vel geo.Vec3, route []geo.Vec3, spec RouteSpec) (*Routed, error) {
	r, err := NewRouted(frame, pos, route, spec)
	if err != nil {
		return nil, err
	}
	r.pos = pos
	up := frame.Up(pos)
	if h := vel.Sub(up.Scale(vel.Dot(up))); h.Norm2() > 1e-12 {
		r.vel = h.Unit().Scale(r.spec.Speed)
	}
	return r, nil
}

// ground returns the terrain height under p (m).
func (r *Routed) ground(p geo.Vec3) float64 {
	if r.smooth {
		return 0
	}
	return r.spec.Terrain.Height(r.frame.ToLLA(p))
}

// horizontalTo is the unit horizontal direction from r.pos toward p.
func (r *Routed) horizontalTo(p geo.Vec3) geo.Vec3 {
	d := p.Sub(r.pos)
	up := r.radial()
	return d.Sub(up.Scale(d.Dot(up))).Unit()
}

// radial returns frame.Up(r.pos) and sets r.alt to frame.Altitude(r.pos), from one norm of
// r.pos - centre (the same arithmetic as geo.Frame, so the same bits), cached while r.pos
// does not move.
func (r *Routed) radial() geo.Vec3 {
	if r.pos != r.posAt || r.up == (geo.Vec3{}) {
		r.posAt = r.pos
		r.up, r.alt = r.frame.Radial(r.pos)
	}
	return r.up
}

// chord2 returns the squared chord of the unit sphere that subtends a ground range g on the
// frame's sphere of the given radius: two points are within ground range g (geo.Frame's
// GroundRange R·θ ≤ g) exactly when their unit radials û, ŵ have |û - ŵ|² ≤ chord2(g), as the
// chord 2·sin(θ/2) grows with θ on [0, π]. The difference of unit vectors is accurate to
// ~1e-16, i.e. nanometres of ground range, where an atan2 per test costs more than the
// rest of the substep. Negative or NaN g gives -1 (nothing within), g ≥ πR gives +Inf.
func chord2(g, radius float64) float64 {
	th := g / radius
	switch {
	case !(th >= 0):
		return -1
	case th >= math.Pi:
		return math.Inf(1)
	}
	c := 2 * math.Sin(th/2)
	return c * c
}

// target returns the waypoint flown to and caches its radial and altitude.
func (r *Routed) target() geo.Vec3 {
	p := r.route[r.next]
	if p != r.tgtAt || r.tgtUp == (geo.Vec3{}) {
		r.tgtAt = p
		r.tgtUp, r.tgtAlt = r.frame.Radial(p)
	}
	return p
}

// setStep caches what depends on the substep length h.
func (r *Routed) setStep(h float64) {
	if h == r.hAt {
		return
	}
	s := &r.spec
	r.hAt = h
	capture := s.Speed * h
	if s.MaxTurnRate > 0 {
		capture = math.Max(capture, s.Speed/s.MaxTurnRate)
	}
	r.capture = capture
	r.capture2 = chord2(capture, r.frame.Radius())
	lim := s.MaxTurnRate * h
	// A limit of π or more never binds (|angle| ≤ π).
	r.limited = s.MaxTurnRate > 0 && lim < math.Pi
	r.sinLim, r.cosLim = math.Sincos(lim)
}

// Pos implements Flight.
func (r *Routed) Pos() geo.Vec3 { return r.pos }

// Vel implements Flight.
func (r *Routed) Vel() geo.Vec3 { return r.vel }

// Done implements Flight.
func (r *Routed) Done() bool { return r.phase == Arrived }

// Phase returns the flight phase.
func (r *Routed) Phase() RoutePhase { return r.phase }

// Time returns the time flown, s.
func (r *Routed) Time() float64 { return r.t }

// Step implements Flight.
func (r *Routed) Step(dt float64) {
	if r.phase == Arrived || !(dt > 0) {
		return
	}
	n, h := r.substeps(dt)
	if r.cruise(dt, h, n) {
		return
	}
	for i := 0; i < n && r.phase != Arrived; i++ {
		r.substep(h)
	}
}

// substeps returns the number n of substeps of a step dt, ⌈dt/Step⌉, and their length dt/n,
// cached for the last dt: the engine steps every flight by the same frame step, and the two
// divisions were a fifth of a closed-form cruise step.
func (r *Routed) substeps(dt float64) (int, float64) {
	if dt != r.subDt || r.subN == 0 {
		r.subN = int(math.Ceil(dt / r.spec.Step))
		r.subDt, r.subH = dt, dt/float64(r.subN)
	}
	return r.subN, r.subH
}

// cruiseMargin is the ground range (m) the closed-form cruise keeps from every threshold
// (waypoint capture, pop-up, dive point, weapon release) beyond the distance flown in the
// step: far more than the rounding of the chords (nanometres) and than the difference to the
// substepped position (well under a millimetre; the dive point moves with the height by
// 1/tan(dive angle) times that), so no threshold is crossed within a closed-form step.
const cruiseMargin = 1.0

// cruiseAltTol is how close (m) the altitude must be to the substeps' steady cruise altitude
// (see cruise) for the closed form to take over; it bounds the vertical difference to the
// substeps when it does (it is relaxed at the height lag's rate, like the substeps do).
const cruiseAltTol = 0.01

// cruise advances a step dt of n substeps of length h in closed form and reports whether it
// did; it does so only in steady cruise, where the substeps fly a constant-speed arc of the
// great circle through the position and the waypoint at (almost) constant altitude:
//
//   - the phase is Cruise over smooth earth (no terrain to follow, no pop-up climb or dive);
//   - the first substep ends its turn on the wanted heading (the turn is unlimited or within
//     the limit): from there every substep's wanted heading lies in the same plane through
//     the centre, the position and the waypoint (horizontalTo projects within it), so the
//     substeps stay on that great circle;
//   - the altitude is within cruiseAltTol of the substeps' fixed point: a tangent step of
//     length V·h at radius r rises by (V·h)²/(2r), which the height hold cancels at
//     alt − Height = HeightLag·h·V²/(2r) (2.5 mm for 250 m/s and h = 0.25 s), and
//     deviations from it decay by (1 − h/HeightLag) per substep, as the linearised
//     substep does;
//   - no threshold can be reached in the step: the ground range to the waypoint exceeds
//     the capture distance (or the pop-up range and the dive point GroundRange·tan(dive) =
//     height above the aim) by more than V·dt + cruiseMargin. The ground range flown is at
//     most V·dt (each substep subtends atan(V·h/r) ≤ V·h/r at a radius r ≥ R), so every
//     transition happens in a substepped step, at the substep where it happens without
//     the closed form unless the state (which differs by well under a millimetre) puts a
//     threshold between two substep positions it would otherwise not separate.
//
// The rotation by the angle φ = V_h·dt/r about the great circle's axis replaces the n chord
// steps: the along-track difference is the chord-versus-arc term (V·h/r)³/3 per substep,
// ~1e-9 m, so the closed form is within cruiseAltTol of the substeps (measured against the
// substepped flight in TestRoutedCruiseClosedForm). The velocity is the substeps' last one:
// the heading at the start of the last substep (φ less one substep's angle) and the height
// hold's climb rate there.
//
// Consecutive closed-form steps carry the radial and heading of the arc (arcUp, arcE) and
// the altitude's deviation from the fixed point (arcD) rather than recomputing them from the
// position, and φ uses the fixed point's radius and speed (cached per step, see setArcStep;
// the deviation of at most cruiseAltTol changes φ by 1.6e-9 relative while it decays),
// so a steady stretch costs no square root or sincos per step.
func (r *Routed) cruise(dt, h float64, n int) bool {
	s := &r.spec
	if !r.smooth || r.phase != Cruise {
		return false
	}
	r.setStep(h)
	r.setArcStep(dt, h, n)
	target := r.target()
	var up, e geo.Vec3
	var d float64
	if r.arcOn && r.pos == r.arcPos && target == r.arcTgt {
		up, e, d = r.arcUp, r.arcE, r.arcD
	} else {
		r.arcOn = false
		up = r.radial()
		d = r.alt - r.arcEq
		if !(r.alt >= 0) || !(math.Abs(d) <= cruiseAltTol) {
			return false
		}
		if vz := (s.Height - r.alt) / s.HeightLag; !(math.Abs(vz)+cruiseAltTol/s.HeightLag < r.vmax) {
			return false // the climb limit would bind: not the linear height hold
		}
		// Heading: the first substep must land on the wanted heading (see substep).
		e = r.horizontalTo(target)
		hv := r.vel.Sub(up.Scale(r.vel.Dot(up)))
		if e.Norm2() == 0 || hv.Norm2() == 0 {
			return false
		}
		if r.limited {
			sn, cs := hv.Cross(e).Dot(up), hv.Dot(e)
			if cs < r.cosLim*math.Sqrt(sn*sn+cs*cs) {
				return false
			}
		}
	}

	// Thresholds: the ground range g to the waypoint at which something happens.
	var g float64
	if r.next == len(r.route)-1 && s.Terminal.Mode != NoTerminal {
		if !(r.tanDive > 0) || math.IsInf(r.tanDive, 0) {
			r.arcOn = false
			return false
		}
		g = max0(r.arcEq+d-r.tgtAlt) / r.tanDive
		if s.Terminal.Mode == PopUp {
			g = math.Max(g, s.Terminal.PopUpRange)
		}
	} else {
		g = r.capture
	}
	if !beyond(up, r.tgtUp, g+r.arcReach, r.frame.Radius()) {
		r.arcOn = false
		return false
	}

	// Height: the deviation from the fixed point decays by k per substep; the climb rate of
	// the last substep is the height hold's at its start.
	vz := -(r.arcEqOff + d*r.arcKn1) / s.HeightLag
	vh := math.Sqrt(s.Speed*s.Speed - vz*vz)
	d *= r.arcKn
	for i := 0; i < n; i++ {
		r.t += h // the same sum as the substeps
	}

	// Along the great circle: û' = û·cos φ + ê·sin φ, ê' = ê·cos φ − û·sin φ, and back by
	// one substep's angle for the last substep's heading and radial.
	cp, sp := r.arcCos, r.arcSin
	u1 := up.Scale(cp).Add(e.Scale(sp))
	e1 := e.Scale(cp).Sub(up.Scale(sp))
	r.pos = r.frame.Centre().Add(u1.Scale(r.frame.Radius() + r.arcEq + d))
	cd, sd := r.arcCosD, r.arcSinD
	eL := e1.Scale(cd).Add(u1.Scale(sd))
	uL := u1.Scale(cd).Sub(e1.Scale(sd))
	r.vel = eL.Scale(vh).Add(uL.Scale(vz))
	r.arcOn, r.arcPos, r.arcTgt, r.arcUp, r.arcE, r.arcD = true, r.pos, target, u1, e1, d
	return true
}

// setArcStep caches what the closed-form cruise needs per step dt of n substeps of h.
func (r *Routed) setArcStep(dt, h float64, n int) {
	if dt == r.arcDt && h == r.arcH {
		return
	}
	s := &r.spec
	r.arcDt, r.arcH = dt, h
	v := s.Speed
	rad := r.frame.Radius() + s.Height
	r.arcEqOff = s.HeightLag * h * v * v / (2 * rad)
	r.arcEq = s.Height + r.arcEqOff
	k := 1 - h/s.HeightLag
	r.arcKn1 = 1.0
	for i := 1; i < n; i++ {
		r.arcKn1 *= k
	}
	r.arcKn = r.arcKn1 * k
	vz := r.arcEqOff / s.HeightLag
	vh := math.Sqrt(v*v - vz*vz)
	r.arcSin, r.arcCos = math.Sincos(vh * dt / rad)
	r.arcSinD, r.arcCosD = math.Sincos(vh * h / rad)
	r.arcReach = v*dt + cruiseMargin
}

// beyond reports that unit radials u and w are more than the ground range g apart on the
// sphere of the given radius, without an atan2: the angle θ between them is at least their
// chord |u − w| (θ ≥ 2·sin(θ/2)), so |u − w|² > (g/radius)² implies R·θ > g. Conservative
// by R·θ³/24 (0.06 m at 40 km, 1 m at 100 km): the closed form starts that much later.
func beyond(u, w geo.Vec3, g, radius float64) bool {
	c := g / radius
	return u.Sub(w).Norm2() > c*c
}

func (r *Routed) substep(h float64) {
	s := &r.spec
	v := s.Speed
	r.setStep(h)
	target := r.target()
	last := r.next == len(r.route)-1
	terminal := last && s.Terminal.Mode != NoTerminal
	up := r.radial()
	alt := r.alt

	if terminal && r.phase != Diving {
		dc := up.Sub(r.tgtUp).Norm2()
		if s.Terminal.Mode == PopUp && dc <= r.popUp2 {
			r.phase = Climb
		}
		if r.diveNow(dc, alt-r.tgtAlt) {
			r.phase = Diving
		}
	}
	r.t += h
	if r.phase == Diving {
		d := target.Sub(r.pos)
		dist := d.Norm()
		if dist <= v*h {
			r.pos, r.phase = target, Arrived
			return
		}
		r.vel = d.Scale(v / dist)
		r.pos = r.pos.Add(r.vel.Scale(h))
		return
	}

	// Horizontal: turn toward the target at no more than the turn rate.
	hv := r.vel.Sub(up.Scale(r.vel.Dot(up)))
	want := r.horizontalTo(target)
	c := want
	switch {
	case want.Norm2() == 0:
		c = hv.Unit() // right over the target: hold the heading
	case hv.Norm2() > 0:
		// The turn angle from the heading hv to want is atan2(sn, cs) about up. Within the
		// limit the turn ends on want (both horizontal), so no angle is needed; beyond it
		// the heading turns by the limit, whose cosine and sine are cached:
		// |angle| > lim ⟺ cos(angle) < cos(lim), which needs no unit heading.
		sn, cs := hv.Cross(want).Dot(up), hv.Dot(want)
		if r.limited && cs < r.cosLim*math.Sqrt(sn*sn+cs*cs) {
			sl := r.sinLim
			if math.Signbit(sn) {
				sl = -sl
			}
			c = hv.Unit()
			c = c.Scale(r.cosLim).Add(up.Cross(c).Scale(sl))
		}
	}
	// Vertical: first-order height hold, limited flight-path angle.
	hcmd := r.ground(r.pos) + s.Height
	if r.phase == Climb {
		hcmd = r.ground(r.pos) + s.Terminal.PopUpHeight
	}
	vz := math.Min(math.Max((hcmd-alt)/s.HeightLag, -r.vmax), r.vmax)
	r.vel = c.Scale(math.Sqrt(v*v - vz*vz)).Add(up.Scale(vz))
	r.pos = r.pos.Add(r.vel.Scale(h))

	// Waypoints count as reached within a turn radius (or a step).
	if !terminal && r.radial().Sub(r.tgtUp).Norm2() <= r.capture2 {
		if last {
			r.phase = Arrived
			return
		}
		r.next++
	}
}

// diveNow is the dive test GroundRange·tan(DiveAngle) ≤ dh (dh the height above the aim) for
// unit radials at squared chord dc. The ground range is at least R·chord, so most calls
// are decided without the atan2 of GroundRange: only those within a hair of the dive
// point (the margin covers the rounding of the chord) compute it.
func (r *Routed) diveNow(dc, dh float64) bool {
	if k := r.tanDive * r.frame.Radius(); k > 0 && !math.IsInf(k, 0) {
		if dh < 0 {
			return false // the ground range and tan are not negative
		}
		if lo := dh*(1+1e-9) + 1e-6; dc*k*k > lo*lo {
			return false
		}
	}
	return r.frame.GroundRange(r.pos, r.tgtAt)*r.tanDive <= dh
}

// StandOff is a weapon an aircraft carries to release at ReleaseRange (ground range, m) from
// its Target.
type StandOff struct {
	Target       geo.Vec3
	ReleaseRange float64
}

// Release is a stand-off weapon leaving the aircraft: which one (index into the weapons),
// when (s since the flight started) and the aircraft's state then. The engine spawns the
// weapon's own flight from it.
type Release struct {
	Index    int
	T        float64
	Pos, Vel geo.Vec3
	Target   geo.Vec3
}

// Aircraft is a routed flight that releases stand-off weapons and, once all are gone, turns
// for home (the start point). It implements Flight; after each Step, Releases lists the
// weapons released during that step.
type Aircraft struct {
	*Routed
	weapons  []StandOff
	released []bool
	// per weapon: the target's unit radial and chord2 of the release range, so the release
	// test of every substep is a chord comparison (see chord2) rather than a GroundRange.
	wUp     []geo.Vec3
	wCh2    []float64
	pending []Release
	home    geo.Vec3
	egress  bool
}

// NewAircraft returns an aircraft flying route (no terminal dive) from start with weapons.
func NewAircraft(frame *geo.Frame, start geo.Vec3, route []geo.Vec3, spec RouteSpec, weapons []StandOff) (*Aircraft, error) {
	spec.Terminal = Terminal{}
	r, err := NewRouted(frame, start, route, spec)
	if err != nil {
		return nil, err
	}
	wUp, wCh2 := make([]geo.Vec3, len(weapons)), make([]float64, len(weapons))
	for k, w := range weapons {
		if !(w.ReleaseRange >= 0) {
			return nil, errors.New("threat: negative release range")
		}
		wUp[k], _ = frame.Radial(w.Target)
		wCh2[k] = chord2(w.ReleaseRange, frame.Radius())
	}
	return &Aircraft{Routed: r, weapons: weapons, released: make([]bool, len(weapons)),
		wUp: wUp, wCh2: wCh2, pending: make([]Release, 0, len(weapons)), home: start}, nil
}

// Step implements Flight and records the releases of this step.
func (a *Aircraft) Step(dt float64) {
	a.pending = a.pending[:0]
	if a.phase == Arrived || !(dt > 0) {
		return
	}
	n, h := a.substeps(dt)
	if a.noRelease(dt) && a.cruise(dt, h, n) {
		return
	}
	for i := 0; i < n && a.phase != Arrived; i++ {
		a.substep(h)
		left := 0
		up := a.radial()
		for k, w := range a.weapons {
			if a.released[k] {
				continue
			}
			if up.Sub(a.wUp[k]).Norm2() <= a.wCh2[k] {
				a.released[k] = true
				a.pending = append(a.pending, Release{Index: k, T: a.t, Pos: a.pos, Vel: a.vel, Target: w.Target})
				continue
			}
			left++
		}
		if left == 0 && len(a.weapons) > 0 && !a.egress {
			a.egress = true
			a.route, a.next = []geo.Vec3{a.home}, 0
		}
	}
}

// noRelease reports that no weapon can be released within a step dt: every weapon left is
// more than its release range plus V·dt + cruiseMargin away (see Routed.cruise and beyond),
// so the step may be flown in closed form.
func (a *Aircraft) noRelease(dt float64) bool {
	up := a.arcUp // the radial of the closed-form arc, to rounding (see Routed.cruise)
	if !a.arcOn || a.pos != a.arcPos {
		up = a.radial()
	}
	reach := a.spec.Speed*dt + cruiseMargin
	for k, w := range a.weapons {
		if !a.released[k] && !beyond(up, a.wUp[k], w.ReleaseRange+reach, a.frame.Radius()) {
			return false
		}
	}
	return true
}

// Releases returns the weapons released during the last Step (valid until the next Step).
func (a *Aircraft) Releases() []Release { return a.pending }

// Egressing reports that all weapons are gone and the aircraft is heading home.
func (a *Aircraft) Egressing() bool { return a.egress }

// max0 is math.Max(x, 0), inline: the closed-form cruise asks it at every frame of every
// threat, and math.Max is an assembly call. Equal arguments (±0) and NaN go to math.Max,
// so the answers are its own.
func max0(x float64) float64 {
	if x > 0 {
		return x
	}
	if x < 0 {
		return 0
	}
	return math.Max(x, 0)
}
