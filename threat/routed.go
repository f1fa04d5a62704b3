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
	switch r.spec.Terrain.(type) {
	case nil, geo.SmoothEarth, *geo.SmoothEarth:
		return 0
	}
	return r.spec.Terrain.Height(r.frame.ToLLA(p))
}

func (r *Routed) horizontalTo(p geo.Vec3) geo.Vec3 {
	d := p.Sub(r.pos)
	up := r.frame.Up(r.pos)
	return d.Sub(up.Scale(d.Dot(up))).Unit()
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
	n := int(math.Ceil(dt / r.spec.Step))
	h := dt / float64(n)
	for i := 0; i < n && r.phase != Arrived; i++ {
		r.substep(h)
	}
}

func (r *Routed) substep(h float64) {
	s := &r.spec
	v := s.Speed
	target := r.route[r.next]
	last := r.next == len(r.route)-1
	terminal := last && s.Terminal.Mode != NoTerminal
	f := r.frame
	up := f.Up(r.pos)
	alt := f.Altitude(r.pos)
	g := f.GroundRange(r.pos, target)
	aimAlt := f.Altitude(target)

	if terminal && r.phase != Diving {
		if s.Terminal.Mode == PopUp && g <= s.Terminal.PopUpRange {
			r.phase = Climb
		}
		if g*math.Tan(s.Terminal.DiveAngle) <= alt-aimAlt {
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
	c := hv.Unit()
	if hv.Norm2() == 0 {
		c = r.horizontalTo(target)
	}
	want := r.horizontalTo(target)
	if want.Norm2() > 0 {
		ang := math.Atan2(c.Cross(want).Dot(up), c.Dot(want))
		if lim := s.MaxTurnRate * h; s.MaxTurnRate > 0 && math.Abs(ang) > lim {
			ang = math.Copysign(lim, ang)
		}
		sn, cs := math.Sincos(ang)
		c = c.Scale(cs).Add(up.Cross(c).Scale(sn))
	}
	// Vertical: first-order height hold, limited flight-path angle.
	hcmd := r.ground(r.pos) + s.Height
	if r.phase == Climb {
		hcmd = r.ground(r.pos) + s.Terminal.PopUpHeight
	}
	vmax := v * math.Sin(s.MaxClimbAngle)
	vz := math.Min(math.Max((hcmd-alt)/s.HeightLag, -vmax), vmax)
	r.vel = c.Scale(math.Sqrt(v*v - vz*vz)).Add(up.Scale(vz))
	r.pos = r.pos.Add(r.vel.Scale(h))

	// Waypoints count as reached within a turn radius (or a step).
	capture := v * h
	if s.MaxTurnRate > 0 {
		capture = math.Max(capture, v/s.MaxTurnRate)
	}
	if !terminal && f.GroundRange(r.pos, target) <= capture {
		if last {
			r.phase = Arrived
			return
		}
		r.next++
	}
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
	pending  []Release
	home     geo.Vec3
	egress   bool
}

// NewAircraft returns an aircraft flying route (no terminal dive) from start with weapons.
func NewAircraft(frame *geo.Frame, start geo.Vec3, route []geo.Vec3, spec RouteSpec, weapons []StandOff) (*Aircraft, error) {
	spec.Terminal = Terminal{}
	r, err := NewRouted(frame, start, route, spec)
	if err != nil {
		return nil, err
	}
	for _, w := range weapons {
		if !(w.ReleaseRange >= 0) {
			return nil, errors.New("threat: negative release range")
		}
	}
	return &Aircraft{Routed: r, weapons: weapons, released: make([]bool, len(weapons)),
		pending: make([]Release, 0, len(weapons)), home: start}, nil
}

// Step implements Flight and records the releases of this step.
func (a *Aircraft) Step(dt float64) {
	a.pending = a.pending[:0]
	if a.phase == Arrived || !(dt > 0) {
		return
	}
	n := int(math.Ceil(dt / a.spec.Step))
	h := dt / float64(n)
	for i := 0; i < n && a.phase != Arrived; i++ {
		a.substep(h)
		left := 0
		for k, w := range a.weapons {
			if a.released[k] {
				continue
			}
			if a.frame.GroundRange(a.pos, w.Target) <= w.ReleaseRange {
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

// Releases returns the weapons released during the last Step (valid until the next Step).
func (a *Aircraft) Releases() []Release { return a.pending }

// Egressing reports that all weapons are gone and the aircraft is heading home.
func (a *Aircraft) Egressing() bool { return a.egress }
