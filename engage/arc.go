package engage

import (
	"math"
	"sort"

	"github.com/adsim/adsim/geo"
)

// Globe is the round, non-rotating earth of a ballistic prediction: the centre of its sphere
// in the local frame (m), the sphere's radius (m, the reference of altitudes) and the
// gravitational parameter GM (m³/s²). It is the engine's earth (geo.Frame and the threat
// package's round earth), so that a prediction differs from the truth only through the track
// state and the assumed ballistic coefficient.
type Globe struct {
	Centre     geo.Vec3
	Radius, GM float64
}

// Valid reports whether the globe can be used: a positive radius and gravitational parameter.
func (g Globe) Valid() bool { return g.Radius > 0 && g.GM > 0 }

// Arc is the predicted path of a ballistic body from an estimated state: inverse-square
// gravity toward the globe's centre and, while the body descends, drag ρ(h)·|v|·v/(2β) in an
// exponential atmosphere (the engine's threat model: the boost phase is not modelled, so a
// climbing missile is treated as still leaving the dense air under thrust, without drag).
//
// Why: the drag-free arc (Falling) that C2 used for ballistic tracks predicts the impact of a
// re-entering missile kilometres long. At 25 km a β = 8,000 kg/m² body at 1,500 m/s
// decelerates by ρV²/(2β) ≈ 5 m/s² and at 10 km by ≈ 58 m/s², so over the one to two
// minutes between first track and impact the drag-free point lands 5–15 km beyond the aim —
// on another building. The arc is integrated with the classical fourth-order Runge–Kutta
// method on steps of a tenth of the drag time scale 2β/(ρ|v|) (between MinArcStep and
// MaxArcStep) and kept as samples, lazily extended as later times are asked for; between
// samples, positions come from cubic Hermite interpolation on position and velocity.
//
// C2 predicts where a ballistic track will land with it (c2.Planner.Evaluate). An Arc is not
// safe for concurrent use: At extends it.
type Arc struct {
	globe Globe
	atm   Atmosphere
	beta  float64
	// The state the arc was built from (Matches).
	p0, v0 geo.Vec3
	t0     float64
	// Samples at times ts (ts[0] = t0).
	ts   []float64
	ps   []geo.Vec3
	vs   []geo.Vec3
	done bool // integration stopped (horizon or non-finite state)
}

// Arc step bounds, s. The upper bound keeps the Hermite interpolation of the gravity arc
// accurate to centimetres; the lower one bounds the work near the ground.
const (
	MinArcStep = 0.05
	MaxArcStep = 4
	// ArcHorizon is how far past its start (s) an arc is integrated at most.
	ArcHorizon = 1800
)

// NewArc returns the arc through position p and velocity v at time t0 of a body with
// ballistic coefficient beta (kg/m², m/(Cd·A); 0 or less: drag-free) in atmosphere atm.
func NewArc(globe Globe, atm Atmosphere, beta float64, p, v geo.Vec3, t0 float64) *Arc {
	a := &Arc{}
	a.Reset(globe, atm, beta, p, v, t0)
	return a
}

// Reset makes a the arc NewArc would return, reusing its storage.
func (a *Arc) Reset(globe Globe, atm Atmosphere, beta float64, p, v geo.Vec3, t0 float64) {
	a.globe, a.atm, a.beta = globe, atm, beta
	a.p0, a.v0, a.t0 = p, v, t0
	a.ts, a.ps, a.vs = append(a.ts[:0], t0), append(a.ps[:0], p), append(a.vs[:0], v)
	a.done = !(p.IsFinite() && v.IsFinite() && isFinite(t0)) || !globe.Valid()
}

// Matches reports whether a was built from exactly this model and state.
func (a *Arc) Matches(globe Globe, atm Atmosphere, beta float64, p, v geo.Vec3, t0 float64) bool {
	return a.globe == globe && a.atm == atm && a.beta == beta && a.p0 == p && a.v0 == v && a.t0 == t0
}

// accel is the acceleration of the body at p with velocity v.
func (a *Arc) accel(p, v geo.Vec3) (acc geo.Vec3, dragTime float64) {
	d := p.Sub(a.globe.Centre)
	r2 := d.Norm2()
	r := math.Sqrt(r2)
	acc = d.Scale(-a.globe.GM / (r2 * r))
	dragTime = math.Inf(1)
	if a.beta > 0 && v.Dot(d) < 0 {
		rho := a.atm.Density(r - a.globe.Radius)
		if s := v.Norm(); rho > 0 && s > 0 {
			k := rho * s / (2 * a.beta) // 1/s
			acc = acc.Sub(v.Scale(k))
			dragTime = 1 / k
		}
	}
	return acc, dragTime
}

// extend integrates the arc until it covers time t (or stops).
func (a *Arc) extend(t float64) {
	for !a.done && a.ts[len(a.ts)-1] < t {
		n := len(a.ts) - 1
		tn, p, v := a.ts[n], a.ps[n], a.vs[n]
		if tn-a.t0 >= ArcHorizon {
			a.done = true
			return
		}
		k1v, tau := a.accel(p, v)
		h := min(max(0.1*tau, MinArcStep), MaxArcStep)
		k1p := v
		k2p := v.Add(k1v.Scale(h / 2))
		k2v, _ := a.accel(p.Add(k1p.Scale(h/2)), k2p)
		k3p := v.Add(k2v.Scale(h / 2))
		k3v, _ := a.accel(p.Add(k2p.Scale(h/2)), k3p)
		k4p := v.Add(k3v.Scale(h))
		k4v, _ := a.accel(p.Add(k3p.Scale(h)), k4p)
		p = p.Add(k1p.Add(k2p.Scale(2)).Add(k3p.Scale(2)).Add(k4p).Scale(h / 6))
		v = v.Add(k1v.Add(k2v.Scale(2)).Add(k3v.Scale(2)).Add(k4v).Scale(h / 6))
		if !p.IsFinite() || !v.IsFinite() {
			a.done = true
			return
		}
		a.ts, a.ps, a.vs = append(a.ts, tn+h), append(a.ps, p), append(a.vs, v)
	}
}

// state returns the predicted position and velocity at time t: Hermite interpolation between
// samples; before t0 and past the last sample, the drag-free extrapolation from the nearest
// end.
func (a *Arc) state(t float64) (geo.Vec3, geo.Vec3) {
	a.extend(t)
	n := len(a.ts) - 1
	var i int
	switch {
	case t <= a.t0:
		i = -1
	case t >= a.ts[n]:
		i = n
	default:
		i = sort.SearchFloat64s(a.ts, t) - 1 // ts[i] < t ≤ ts[i+1]
	}
	if i < 0 || i == n {
		e := max(i, 0)
		dt := t - a.ts[e]
		g, _ := a.accel(a.ps[e], geo.Vec3{}) // gravity only
		return a.ps[e].Add(a.vs[e].Scale(dt)).Add(g.Scale(0.5 * dt * dt)), a.vs[e].Add(g.Scale(dt))
	}
	h := a.ts[i+1] - a.ts[i]
	s := (t - a.ts[i]) / h
	p0, p1, m0, m1 := a.ps[i], a.ps[i+1], a.vs[i].Scale(h), a.vs[i+1].Scale(h)
	s2, s3 := s*s, s*s*s
	pos := p0.Scale(2*s3 - 3*s2 + 1).Add(m0.Scale(s3 - 2*s2 + s)).Add(p1.Scale(-2*s3 + 3*s2)).Add(m1.Scale(s3 - s2))
	vel := p0.Scale(6 * (s2 - s)).Add(m0.Scale(3*s2 - 4*s + 1)).Add(p1.Scale(6 * (s - s2))).Add(m1.Scale(3*s2 - 2*s)).Scale(1 / h)
	return pos, vel
}

// At returns the predicted position at time t (an engage.Predictor).
func (a *Arc) At(t float64) geo.Vec3 {
	p, _ := a.state(t)
	return p
}

// Velocity returns the predicted velocity at time t.
func (a *Arc) Velocity(t float64) geo.Vec3 {
	_, v := a.state(t)
	return v
}

func isFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
