package threat

import (
	"errors"
	"math"

	"github.com/adsim/adsim/geo"
)

// Atmosphere is the exponential air density ρ(h) = Rho0·exp(−h/ScaleHeight) (kg/m³, h in m
// above sea level). The zero value is a vacuum. Source: U.S. Standard Atmosphere, 1976
// (NOAA-S/T 76-1562), Table I; see ReentryScaleHeight for the fit.
type Atmosphere struct{ Rho0, ScaleHeight float64 }

// ReentryScaleHeight is a density scale height (m) that fits the U.S. Standard Atmosphere 1976
// densities from 0 to 70 km within about ±20 % (1.225 kg/m³ at 0 km, 8.28e−5 at 70 km), the
// span that matters for a re-entering warhead.
const ReentryScaleHeight = 7200

// StandardAtmosphere returns ρ₀ = 1.225 kg/m³ and H = ReentryScaleHeight.
func StandardAtmosphere() Atmosphere { return Atmosphere{Rho0: 1.225, ScaleHeight: ReentryScaleHeight} }

// Density returns ρ(h); a non-positive ρ₀ or H gives 0.
func (a Atmosphere) Density(h float64) float64 {
	if !(a.Rho0 > 0) || !(a.ScaleHeight > 0) {
		return 0
	}
	return a.Rho0 * math.Exp(-h/a.ScaleHeight)
}

// Earth is the gravity and ground model of a ballistic flight: either a round, non-rotating
// earth (a sphere of Radius about Centre with inverse-square gravity μ/r², Bate, Mueller &
// White, Fundamentals of Astrodynamics, ch. 1 and 6) or a flat earth with uniform gravity G
// along Up (for short ranges and for the textbook flat-earth checks).
type Earth struct {
	Flat       bool
	Centre     geo.Vec3
	Radius, Mu float64
	G          float64
	Up         geo.Vec3 // flat only; zero means (0, 0, 1)
}

// RoundEarth returns the round earth of the engine's frame: its sphere and the WGS84
// gravitational parameter.
func RoundEarth(f *geo.Frame) Earth {
	return Earth{Centre: f.Centre(), Radius: f.Radius(), Mu: geo.WGS84GM}
}

// FlatEarth returns a flat earth (the plane z = 0 of the local frame) with uniform gravity g.
func FlatEarth(g float64) Earth { return Earth{Flat: true, G: g, Up: geo.Vec3{Z: 1}} }

func (e *Earth) up(p geo.Vec3) geo.Vec3 {
	if e.Flat {
		if e.Up.Norm2() == 0 {
			return geo.Vec3{Z: 1}
		}
		return e.Up.Unit()
	}
	d := p.Sub(e.Centre)
	if n := d.Norm(); n > 0 {
		return d.Scale(1 / n)
	}
	return geo.Vec3{Z: 1}
}

// Altitude returns the height of p above the ground surface (the sphere or the plane), m.
func (e *Earth) Altitude(p geo.Vec3) float64 {
	if e.Flat {
		return p.Dot(e.up(p))
	}
	return p.Sub(e.Centre).Norm() - e.Radius
}

// GroundRange returns the distance along the surface between the foot points of a and b, m.
func (e *Earth) GroundRange(a, b geo.Vec3) float64 {
	if e.Flat {
		up := e.up(a)
		d := b.Sub(a)
		return d.Sub(up.Scale(d.Dot(up))).Norm()
	}
	u, w := a.Sub(e.Centre), b.Sub(e.Centre)
	return e.Radius * math.Atan2(u.Cross(w).Norm(), u.Dot(w))
}

func (e *Earth) gravity(p geo.Vec3) geo.Vec3 {
	if e.Flat {
		return e.up(p).Scale(-e.G)
	}
	d := p.Sub(e.Centre)
	r2 := d.Norm2()
	if !(r2 > 0) {
		return geo.Vec3{}
	}
	r := math.Sqrt(r2)
	return d.Scale(-e.Mu / (r2 * r))
}

// BallisticPhase is the phase of a ballistic flight.
type BallisticPhase int

const (
	// Ascent: climbing after burnout.
	Ascent BallisticPhase = iota
	// Midcourse: descending above TerminalAlt.
	Midcourse
	// Reentry: the terminal phase, descending below TerminalAlt (drag builds up).
	Reentry
	// Impacted: on the ground.
	Impacted
)

// String names the phase.
func (p BallisticPhase) String() string {
	return [...]string{"ascent", "midcourse", "reentry", "impacted"}[min(max(int(p), 0), 3)]
}

// BallisticSpec parameterises a ballistic threat after burnout.
type BallisticSpec struct {
	// Beta is the ballistic coefficient m/(Cd·A), kg/m²: drag deceleration ρ·V²/(2β).
	// 0 means drag-free. Re-entry vehicles have β of a few thousand kg/m² (Zarchan, Tactical
	// and Strategic Missile Guidance, ch. on ballistic targets, uses 500–5000 lb/ft²,
	// about 2400–24000 kg/m²).
	Beta float64
	// Atmosphere for drag; the zero value with Beta > 0 means StandardAtmosphere.
	Atmosphere Atmosphere
	// Phi is the flight-path angle at burnout, rad; 0 means the drag-free minimum-energy
	// angle for the range (BMW §6.2).
	Phi float64
	// TerminalAlt is the altitude (m) below which a descending missile is in its terminal
	// phase; 0 means 30 km.
	TerminalAlt float64
	// Step is the internal RK4 step (s); 0 means 0.05.
	Step float64
	// DescentDrag applies drag only once the missile descends (after apogee). The boost
	// phase is not modelled: the flight starts at burnout speed at the launch point, and
	// drag on the way up would make it lose in the dense lower air the speed that a real
	// missile gains above it; with DescentDrag the ascent is drag-free, like the burnout
	// state of a missile that left the atmosphere's dense layers under thrust, and the
	// re-entry carries the full drag. The engine sets it.
	DescentDrag bool
}

// BallisticDrag is ballistic flight after burnout over a round (or flat) non-rotating earth
// with inverse-square gravity and drag in an exponential atmosphere, from burnout to impact
// on the ground (the altitude of the launch point). It implements Flight.
type BallisticDrag struct {
	earth     Earth
	spec      BallisticSpec
	pos, vel  geo.Vec3
	groundAlt float64
	phase     BallisticPhase
	t         float64
}

// LaunchBallistic returns a ballistic flight from a given burnout state (position and
// velocity in the local frame); the ground is at the altitude of pos.
func LaunchBallistic(earth Earth, pos, vel geo.Vec3, spec BallisticSpec) *BallisticDrag {
	if spec.Step <= 0 {
		spec.Step = defaultBallisticStep
	}
	if spec.TerminalAlt <= 0 {
		spec.TerminalAlt = 30000
	}
	if spec.Beta > 0 && spec.Atmosphere == (Atmosphere{}) {
		spec.Atmosphere = StandardAtmosphere()
	}
	return &BallisticDrag{earth: earth, spec: spec, pos: pos, vel: vel, groundAlt: earth.Altitude(pos)}
}

// NewBallisticDrag returns a ballistic flight from launch to aim (the ground is at the aim's
// altitude) at burnout flight-path angle spec.Phi, with the burnout speed solved (secant
// iterations on the simulated range, starting from the drag-free BMW speed; see
// solveDragSpeed) so that the impact lands on the aim despite drag. It fails when no speed below escape reaches it.
func NewBallisticDrag(earth Earth, launch, aim geo.Vec3, spec BallisticSpec) (*BallisticDrag, error) {
	l, err := SolveBallisticDrag(earth, launch, aim, spec)
	if err != nil {
		return nil, err
	}
	return LaunchBallistic(earth, l.Pos, l.Vel, spec), nil
}

// BallisticLaunch is a solved burnout state: where the flight starts and its velocity.
type BallisticLaunch struct{ Pos, Vel geo.Vec3 }

// SolveBallisticDrag is the burnout state NewBallisticDrag flies from: the launch point
// brought to the aim's ground altitude, and the velocity at spec.Phi whose drag trajectory
// lands on the aim. It is a pure function of its inputs and costs several whole simulated
// flights, so callers that launch the same missile many times (replications of a scenario)
// may keep its result.
func SolveBallisticDrag(earth Earth, launch, aim geo.Vec3, spec BallisticSpec) (BallisticLaunch, error) {
	gAlt := earth.Altitude(aim)
	up := earth.up(launch)
	launch = launch.Add(up.Scale(gAlt - earth.Altitude(launch)))
	want := earth.GroundRange(launch, aim)
	if !(want > 0) {
		return BallisticLaunch{}, errors.New("threat: ballistic aim point is at the launch point")
	}
	phi := spec.Phi
	var v float64
	if earth.Flat {
		if phi == 0 {
			phi = math.Pi / 4
		}
		if s := math.Sin(2 * phi); s > 0 {
			v = math.Sqrt(want * earth.G / s)
		}
	} else {
		r := earth.Radius + gAlt
		psi := want / earth.Radius
		if phi == 0 {
			phi = OptimalFlightPathAngle(psi)
		}
		var err error
		if v, err = BurnoutSpeedForRange(psi, phi, r, earth.Mu); err != nil {
			return BallisticLaunch{}, err
		}
	}
	if !(v > 0) {
		return BallisticLaunch{}, errors.New("threat: no ballistic trajectory for that range and angle")
	}
	d := aim.Sub(launch)
	h := d.Sub(up.Scale(d.Dot(up))).Unit()
	dir := h.Scale(math.Cos(phi)).Add(up.Scale(math.Sin(phi)))
	if spec.Beta > 0 {
		var err error
		coarse := coarseStepFactor * spec.Step
		if spec.Step <= 0 {
			coarse = coarseStepFactor * defaultBallisticStep
		}
		if coarse > maxCoarseStep {
			coarse = 0
		}
		if v, err = solveDragSpeed(earth, launch, dir, want, v, spec, coarse); err != nil {
			return BallisticLaunch{}, err
		}
	}
	return BallisticLaunch{Pos: launch, Vel: dir.Scale(v)}, nil
}

// coarseStepFactor is the ratio of the coarse integration step of the burnout speed solve to
// the flight's own step (see solveDragSpeed), and maxCoarseStep (s) the largest coarse step
// used: at 5 × 0.05 s the RK4 range of a 50–500 km drag trajectory is within a few metres of
// the fine one (measured: 0–6 m, TestBallisticDragSolveTolerance), inside the solve's
// tolerance of 1e-4 of the range + 1 m, and smooth in the speed (it is the RK4 truncation
// error, O(h⁴)), so one fine flight at the coarse solution usually confirms it.
const (
	coarseStepFactor = 5
	maxCoarseStep    = 0.5
)

// defaultBallisticStep is the RK4 step (s) of a BallisticSpec with Step 0.
const defaultBallisticStep = 0.05

// solveDragSpeed returns the burnout speed along dir (unit) from launch whose drag trajectory,
// flown at spec's step, lands within 1e-4·want + 1 m of the ground range want, starting from
// the drag-free speed v: secant iterations on the simulated range.
//
// Each trial is a whole flight, so with a coarse step > 0 (NewBallisticDrag uses
// coarseStepFactor times the fine one, ~5 × cheaper per flight) the iterations run at that
// step to a tenth of the tolerance; the range difference between the steps is a smooth
// function of the speed (the RK4 truncation error), so the coarse solution is within it of
// the fine one and one fine flight usually confirms it (3–4 fine flights before, 1 now plus
// ~4 coarse ones). Otherwise the fine iterations continue from there with the coarse slope
// dR/dv, as the secant would. The speed returned always meets the tolerance with the fine step (or is
// the last fine iterate when the secant stalls, as before), so the trajectory flown is the
// fine one; only which speed within the tolerance is found changes.
func solveDragSpeed(earth Earth, launch, dir geo.Vec3, want, v float64, spec BallisticSpec, coarse float64) (float64, error) {
	step := spec.Step
	if step <= 0 {
		step = defaultBallisticStep
	}
	rangeAt := func(h float64) func(float64) float64 {
		sp := spec
		sp.Step = h
		return func(v float64) float64 {
			b := LaunchBallistic(earth, launch, dir.Scale(v), sp)
			for i := 0; i < 100000 && !b.Done(); i++ {
				b.Step(1)
			}
			return earth.GroundRange(launch, b.Pos())
		}
	}
	fine := rangeAt(step)
	tol := 1e-4*want + 1
	first := func(f func(float64) float64) (v0, r0, v1 float64) {
		r0 = f(v)
		return v, r0, v * math.Sqrt(want/math.Max(r0, 1)) // range ∝ v² to first order
	}
	if coarse > 0 {
		rc := rangeAt(coarse)
		v0, r0, v1 := first(rc)
		vc, _, slope, err := secant(rc, want, tol/10, v0, r0, v1)
		if err == nil && slope > 0 && !math.IsInf(slope, 0) {
			rf := fine(vc)
			if math.Abs(rf-want) < tol {
				return vc, nil
			}
			v, _, _, err := secant(fine, want, tol, vc, rf, vc+(want-rf)/slope)
			return v, err
		}
	}
	v0, r0, v1 := first(fine)
	v, _, _, err := secant(fine, want, tol, v0, r0, v1)
	return v, err
}

// secant iterates v1 ← v1 + (want − r1)·(v1 − v0)/(r1 − r0) on the range function f from
// (v0, r0 = f(v0)) and v1 until |f(v1) − want| < tol, the range stalls, or 30 flights; it
// returns the last v1, its range and the last slope (r1 − r0)/(v1 − v0) (0 if none).
func secant(f func(float64) float64, want, tol, v0, r0, v1 float64) (v, r, slope float64, err error) {
	var r1 float64
	for i := 0; i < 30; i++ {
		r1 = f(v1)
		if math.Abs(r1-want) < tol || r1 == r0 {
			break
		}
		slope = (r1 - r0) / (v1 - v0)
		v0, r0, v1 = v1, r1, v1+(want-r1)*(v1-v0)/(r1-r0)
		if !(v1 > 0) || math.IsNaN(v1) {
			return 0, 0, 0, errors.New("threat: no drag trajectory reaches the aim point")
		}
	}
	return v1, r1, slope, nil
}

func (b *BallisticDrag) accel(p, v geo.Vec3) geo.Vec3 {
	drag := b.spec.Beta > 0 && (!b.spec.DescentDrag || b.phase != Ascent)
	e := &b.earth
	if e.Flat {
		a := e.gravity(p)
		if drag {
			rho := b.spec.Atmosphere.Density(e.Altitude(p))
			a = a.Sub(v.Scale(rho * v.Norm() / (2 * b.spec.Beta)))
		}
		return a
	}
	// Round earth: gravity and the altitude share |p - centre| (the same arithmetic as
	// gravity and Altitude, one square root fewer).
	d := p.Sub(e.Centre)
	r2 := d.Norm2()
	r := math.Sqrt(r2)
	var a geo.Vec3
	if r2 > 0 {
		a = d.Scale(-e.Mu / (r2 * r))
	}
	if drag {
		rho := b.spec.Atmosphere.Density(r - e.Radius)
		a = a.Sub(v.Scale(rho * v.Norm() / (2 * b.spec.Beta)))
	}
	return a
}

// Step implements Flight: RK4 sub-steps of at most spec.Step; the impact point is found by
// interpolating altitude linearly inside the last sub-step.
func (b *BallisticDrag) Step(dt float64) {
	if b.phase == Impacted || !(dt > 0) {
		return
	}
	n := int(math.Ceil(dt / b.spec.Step))
	h := dt / float64(n)
	for i := 0; i < n; i++ {
		p0, v0 := b.pos, b.vel
		a1 := b.accel(p0, v0)
		p2, v2 := p0.Add(v0.Scale(h/2)), v0.Add(a1.Scale(h/2))
		a2 := b.accel(p2, v2)
		p3, v3 := p0.Add(v2.Scale(h/2)), v0.Add(a2.Scale(h/2))
		a3 := b.accel(p3, v3)
		p4, v4 := p0.Add(v3.Scale(h)), v0.Add(a3.Scale(h))
		a4 := b.accel(p4, v4)
		b.pos = p0.Add(v0.Add(v2.Scale(2)).Add(v3.Scale(2)).Add(v4).Scale(h / 6))
		b.vel = v0.Add(a1.Add(a2.Scale(2)).Add(a3.Scale(2)).Add(a4).Scale(h / 6))
		b.t += h
		alt := b.earth.Altitude(b.pos)
		if b.phase == Ascent && b.vel.Dot(b.earth.up(b.pos)) < 0 {
			b.phase = Midcourse
		}
		if b.phase == Midcourse && alt < b.spec.TerminalAlt {
			b.phase = Reentry
		}
		if b.phase != Ascent && alt <= b.groundAlt {
			alt0 := b.earth.Altitude(p0)
			f := 1.0
			if alt0 != alt {
				f = (alt0 - b.groundAlt) / (alt0 - alt)
			}
			b.pos = p0.Add(b.pos.Sub(p0).Scale(f))
			b.vel = v0.Add(b.vel.Sub(v0).Scale(f))
			b.t += (f - 1) * h
			b.phase = Impacted
			return
		}
	}
}

// Pos implements Flight.
func (b *BallisticDrag) Pos() geo.Vec3 { return b.pos }

// Vel implements Flight.
func (b *BallisticDrag) Vel() geo.Vec3 { return b.vel }

// Done implements Flight: the missile hit the ground.
func (b *BallisticDrag) Done() bool { return b.phase == Impacted }

// Phase returns the flight phase.
func (b *BallisticDrag) Phase() BallisticPhase { return b.phase }

// Time returns the time since burnout (s); after impact, the exact impact time.
func (b *BallisticDrag) Time() float64 { return b.t }

// Altitude returns the height above the ground surface, m.
func (b *BallisticDrag) Altitude() float64 { return b.earth.Altitude(b.pos) }
