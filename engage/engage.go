// Package engage owns what happens between a fire unit's decision to shoot and the outcome:
// where to aim (predicted intercept point), how an interceptor flies there, when it passes
// closest to its target (fuzing), and the probability of kill. It must not know about
// tracking internals or how targets were detected: it is handed the target's true state at
// frame boundaries (for the seeker) and a Predictor from the track (for midcourse).
//
// Missile is a 3-DOF point-mass interceptor (thrust profile, drag in an exponential
// Atmosphere, gravity, lateral g limit, proportional navigation after seeker lock-on,
// midcourse toward the predicted intercept point) integrated with RK4 on its own step,
// independent of the engine frame; its fuze locates the closest approach between steps, and
// its Lethality (Carleton damage function or cookie cutter) turns the miss into a Pk. Gun
// scores bursts from time of flight, dispersion and presented area. docs/engagement.md has
// the equations and their sources (Zarchan, Tactical and Strategic Missile Guidance; Driels,
// Weaponeering; U.S. Standard Atmosphere 1976).
//
// The first-fidelity helpers (Interceptor, Launch, Steer, Step: a constant-speed interceptor
// steered at an aim point, and ClosestApproach for straight-line fuzing within a frame) serve
// the engine's weapons that have no flyout figures in their catalog. Nothing here draws random numbers: events
// carry probabilities and the engine draws from its own streams.
package engage

import "github.com/adsim/adsim/geo"

// Predictor gives a target's predicted position at absolute time t (s).
type Predictor func(t float64) geo.Vec3

// Linear returns the constant-velocity predictor through p at time t0 with velocity v.
func Linear(p, v geo.Vec3, t0 float64) Predictor {
	return func(t float64) geo.Vec3 { return p.Add(v.Scale(t - t0)) }
}

// Gravity is standard gravity, m/s² (CGPM 1901), used for short ballistic predictions.
const Gravity = 9.80665

// Falling returns a predictor with constant velocity plus gravity along -up: the drag-free,
// flat-earth arc that C2 uses for ballistic tracks over the few tens of seconds that matter.
func Falling(p, v, up geo.Vec3, t0 float64) Predictor {
	return func(t float64) geo.Vec3 {
		dt := t - t0
		return p.Add(v.Scale(dt)).Sub(up.Scale(0.5 * Gravity * dt * dt))
	}
}

// ClosestApproach returns the time t* in [0, dt] at which two points with relative position r0
// (target minus interceptor, at the start of the frame) and constant relative velocity vr come
// closest, and the distance then. With straight-line motion within a frame this is exact: the
// miss distance does not depend on the frame step (Orekit-style event location).
func ClosestApproach(r0, vr geo.Vec3, dt float64) (tStar, miss float64) {
	v2 := vr.Norm2()
	if v2 > 0 {
		tStar = -r0.Dot(vr) / v2
	}
	if tStar < 0 {
		tStar = 0
	}
	if tStar > dt {
		tStar = dt
	}
	return tStar, r0.Add(vr.Scale(tStar)).Norm()
}

// Interceptor is a missile in flight at first fidelity: constant speed, steered each frame
// straight at an aim point.
type Interceptor struct {
	Pos, Vel geo.Vec3
	Speed    float64
	// Launched is the launch time and Expires the self-destruct time, s.
	Launched, Expires float64
}

// Launch returns an interceptor at launcher heading for aim.
func Launch(launcher, aim geo.Vec3, speed, t, maxFlight float64) *Interceptor {
	return &Interceptor{Pos: launcher, Vel: aim.Sub(launcher).Unit().Scale(speed), Speed: speed, Launched: t, Expires: t + maxFlight}
}

// Steer points the velocity at aim, keeping the speed.
func (m *Interceptor) Steer(aim geo.Vec3) {
	if d := aim.Sub(m.Pos); d.Norm2() > 0 {
		m.Vel = d.Unit().Scale(m.Speed)
	}
}

// Step moves the interceptor along its velocity for dt seconds.
func (m *Interceptor) Step(dt float64) { m.Pos = m.Pos.Add(m.Vel.Scale(dt)) }
