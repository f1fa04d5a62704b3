// Package threat owns the flight of air threats: waypoint flight at a cruise height (Waypoint)
// and drag-free ballistic flight over a round earth (Ballistic), and the upgraded models:
// BallisticDrag (round or flat non-rotating earth, inverse-square gravity, drag in an
// exponential atmosphere, re-entry phase, burnout speed solved to land on the aim), Routed
// (drones, cruise missiles and aircraft with turn-rate limits, terrain-following height over a
// geo.Terrain and a dive or pop-up end game) and Aircraft (releases stand-off weapons for the
// engine to spawn). It works in the engine's local frame (geo.Frame) and must not know about
// sensors, tracks or weapons: a flight model only says where the threat is.
package threat

import (
	"errors"
	"fmt"
	"math"

	"github.com/adsim/adsim/geo"
)

// Flight is a threat's flight model, advanced by the engine once per frame.
type Flight interface {
	// Step advances the flight by dt seconds.
	Step(dt float64)
	// Pos and Vel are the current position (m, local frame) and velocity (m/s).
	Pos() geo.Vec3
	Vel() geo.Vec3
	// Done reports that the flight ended: the threat reached its aim point (or the ground, for a
	// ballistic missile), or the end of its route.
	Done() bool
}

// Waypoint flies a route at constant ground speed and constant height above a smooth earth,
// then, if the last point is an aim point on the ground, dives at DiveAngle onto it. Legs
// follow great circles of the frame's sphere: the model steers towards the next waypoint in the
// local horizontal plane and keeps the height by moving radially after each step.
type Waypoint struct {
	frame     *geo.Frame
	pos, vel  geo.Vec3
	route     []geo.Vec3 // waypoints; the last is the aim point when terminal
	alt       float64    // cruise altitude above the sphere, m
	speed     float64    // m/s
	next      int
	done      bool
	terminal  bool
	diveRange float64 // ground range at which the terminal dive starts, m
}

// DefaultDiveAngle is the terminal dive angle below the horizontal used by NewWaypoint (an
// assumption; issue 5 brings class-specific terminal manoeuvres).
const DefaultDiveAngle = 30 * math.Pi / 180

// NewWaypoint returns a waypoint flight starting at start, flying through route at altitude alt
// (above the frame's sphere, m) and speed (m/s). If terminal is true the last route point is an
// aim point that the threat dives onto; otherwise the flight ends on reaching it.
func NewWaypoint(frame *geo.Frame, start geo.Vec3, route []geo.Vec3, alt, speed float64, terminal bool) (*Waypoint, error) {
	if len(route) == 0 {
		return nil, errors.New("threat: waypoint flight needs at least one route point")
	}
	if !(speed > 0) {
		return nil, errors.New("threat: speed must be positive")
	}
	w := &Waypoint{frame: frame, route: route, alt: alt, speed: speed, terminal: terminal}
	w.pos = frame.AtAltitude(start, alt)
	aimAlt := frame.Altitude(route[len(route)-1])
	if h := alt - aimAlt; h > 0 {
		w.diveRange = h / math.Tan(DefaultDiveAngle)
	}
	w.vel = w.headingTo(route[0]).Scale(speed)
	return w, nil
}

// headingTo returns the unit horizontal direction from the current position towards p.
func (w *Waypoint) headingTo(p geo.Vec3) geo.Vec3 {
	d := p.Sub(w.pos)
	up := w.frame.Up(w.pos)
	return d.Sub(up.Scale(d.Dot(up))).Unit()
}

// legEps is the distance (m) under which a waypoint counts as reached.
const legEps = 1e-3

// Step implements Flight.
func (w *Waypoint) Step(dt float64) {
	if w.done {
		return
	}
	prev := w.pos
	remaining := w.speed * dt
	for remaining > 0 && !w.done {
		p := w.route[w.next]
		last := w.next == len(w.route)-1
		g := w.frame.GroundRange(w.pos, p)
		if last && w.terminal {
			if g <= w.diveRange+legEps {
				// Terminal dive: a straight line onto the aim point.
				d := p.Sub(w.pos)
				dist := d.Norm()
				if dist <= remaining {
					w.pos, w.done = p, true
					break
				}
				w.pos = w.pos.Add(d.Scale(remaining / dist))
				break
			}
			g -= w.diveRange // fly level up to the start of the dive
		}
		if g <= remaining {
			w.pos = w.frame.AtAltitude(w.pos.Add(w.headingTo(p).Scale(g)), w.alt)
			remaining -= g
			if !(last && w.terminal) {
				w.pos = w.frame.AtAltitude(p, w.alt)
				if last {
					w.done = true
				} else {
					w.next++
				}
			}
			continue
		}
		w.pos = w.frame.AtAltitude(w.pos.Add(w.headingTo(p).Scale(remaining)), w.alt)
		remaining = 0
	}
	if dt > 0 {
		w.vel = w.pos.Sub(prev).Scale(1 / dt)
	}
}

// Pos implements Flight.
func (w *Waypoint) Pos() geo.Vec3 { return w.pos }

// Vel implements Flight.
func (w *Waypoint) Vel() geo.Vec3 { return w.vel }

// Done implements Flight.
func (w *Waypoint) Done() bool { return w.done }

// Ballistic is drag-free flight in an inverse-square gravity field centred on the frame's
// sphere (a round, non-rotating earth), from burnout at the launch point to impact on the
// ground. The boost phase is not modelled: the missile appears at burnout speed.
type Ballistic struct {
	frame     *geo.Frame
	pos, vel  geo.Vec3
	groundAlt float64
	done      bool
	rising    bool
	mu        float64
}

// maxSubstep bounds the integration step (s): RK4 at 0.05 s keeps the impact point within
// metres over a 500 km flight.
const maxSubstep = 0.05

// BurnoutSpeedForRange returns the burnout speed (m/s) that carries a drag-free missile over a
// central angle psi (rad) when launched at flight-path angle phi (rad) from radius r, for
// gravitational parameter mu. It inverts the free-flight range equation of Bate, Mueller &
// White, Fundamentals of Astrodynamics §6.2 (PHYSICS §5), for launch and impact at one radius:
// Q = v²r/μ = (1 − cos Ψ) / (cos φ · (cos φ − cos(φ + Ψ))).
func BurnoutSpeedForRange(psi, phi, r, mu float64) (float64, error) {
	den := math.Cos(phi) * (math.Cos(phi) - math.Cos(phi+psi))
	if !(psi > 0) || !(den > 0) {
		return 0, fmt.Errorf("threat: no ballistic trajectory over %.0f km at a flight-path angle of %.4g°", psi*r/1000, phi*180/math.Pi)
	}
	q := (1 - math.Cos(psi)) / den
	if q >= 2 {
		return 0, fmt.Errorf("threat: %.0f km at a flight-path angle of %.4g° needs escape speed", psi*r/1000, phi*180/math.Pi)
	}
	return math.Sqrt(q * mu / r), nil
}

// FreeFlightRangeAngle is the BMW range equation (PHYSICS §5): the central angle Ψ covered by
// a drag-free flight with Q = v²r/μ and flight-path angle φ, from
// cos(Ψ/2) = (1 − Q cos²φ)/√(1 + Q(Q−2)cos²φ).
func FreeFlightRangeAngle(q, phi float64) float64 {
	c2 := math.Cos(phi) * math.Cos(phi)
	return 2 * math.Acos((1-q*c2)/math.Sqrt(1+q*(q-2)*c2))
}

// OptimalFlightPathAngle is the flight-path angle of maximum range (minimum energy) for a
// central angle psi: φ = (π − Ψ)/4 (BMW §6.2).
func OptimalFlightPathAngle(psi float64) float64 { return (math.Pi - psi) / 4 }

// NewBallistic returns a ballistic flight from launch to aim (both in the local frame; their
// altitudes are taken as ground level), launched at flight-path angle phi (rad; 0 selects the
// minimum-energy angle).
func NewBallistic(frame *geo.Frame, launch, aim geo.Vec3, phi float64) (*Ballistic, error) {
	launch = frame.AtAltitude(launch, frame.Altitude(aim))
	r := frame.Radius() + frame.Altitude(launch)
	psi := frame.GroundRange(launch, aim) / frame.Radius()
	if phi == 0 {
		phi = OptimalFlightPathAngle(psi)
	}
	v, err := BurnoutSpeedForRange(psi, phi, r, geo.WGS84GM)
	if err != nil {
		return nil, err
	}
	up := frame.Up(launch)
	d := aim.Sub(launch)
	h := d.Sub(up.Scale(d.Dot(up))).Unit()
	vel := h.Scale(v * math.Cos(phi)).Add(up.Scale(v * math.Sin(phi)))
	return &Ballistic{frame: frame, pos: launch, vel: vel, groundAlt: frame.Altitude(aim), rising: true, mu: geo.WGS84GM}, nil
}

func (b *Ballistic) accel(p geo.Vec3) geo.Vec3 {
	r := b.frame.Radius() + b.frame.Altitude(p)
	return b.frame.Up(p).Scale(-b.mu / (r * r))
}

// Step implements Flight with fixed-step RK4 sub-steps; the impact point is interpolated
// linearly inside the last sub-step.
func (b *Ballistic) Step(dt float64) {
	if b.done || dt <= 0 {
		return
	}
	n := int(math.Ceil(dt / maxSubstep))
	h := dt / float64(n)
	for i := 0; i < n; i++ {
		p0, v0 := b.pos, b.vel
		a1 := b.accel(p0)
		p2, v2 := p0.Add(v0.Scale(h/2)), v0.Add(a1.Scale(h/2))
		a2 := b.accel(p2)
		p3, v3 := p0.Add(v2.Scale(h/2)), v0.Add(a2.Scale(h/2))
		a3 := b.accel(p3)
		p4, v4 := p0.Add(v3.Scale(h)), v0.Add(a3.Scale(h))
		a4 := b.accel(p4)
		b.pos = p0.Add(v0.Add(v2.Scale(2)).Add(v3.Scale(2)).Add(v4).Scale(h / 6))
		b.vel = v0.Add(a1.Add(a2.Scale(2)).Add(a3.Scale(2)).Add(a4).Scale(h / 6))
		alt := b.frame.Altitude(b.pos)
		if b.rising && b.vel.Dot(b.frame.Up(b.pos)) < 0 {
			b.rising = false
		}
		if !b.rising && alt <= b.groundAlt {
			alt0 := b.frame.Altitude(p0)
			f := 1.0
			if alt0 != alt {
				f = (alt0 - b.groundAlt) / (alt0 - alt)
			}
			b.pos = b.frame.AtAltitude(p0.Add(b.pos.Sub(p0).Scale(f)), b.groundAlt)
			b.done = true
			return
		}
	}
}

// Pos implements Flight.
func (b *Ballistic) Pos() geo.Vec3 { return b.pos }

// Vel implements Flight.
func (b *Ballistic) Vel() geo.Vec3 { return b.vel }

// Done implements Flight.
func (b *Ballistic) Done() bool { return b.done }
