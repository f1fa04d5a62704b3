package engage

import (
	"math"

	"github.com/adsim/adsim/geo"
)

// InterceptBallistic is the intercept of a target on the Falling arc (position p and velocity
// v at time t0, gravity along −up) by an interceptor launched from launcher at tLaunch and
// flying at a constant mean speed: the smallest τ ≥ 0 with |target(tLaunch+τ) − launcher| =
// speed·τ, its point and ok = τ ≤ maxTOF. ok is false when no such τ exists (the target
// outruns the interceptor) or the inputs are not finite and positive where they must be.
//
// Why a polynomial: with d and w the target's position relative to the launcher and its
// velocity at tLaunch, and a = g/2, the squared condition is the quartic
//
//	Q(τ) = |d + wτ − aτ²·up|² − speed²τ² = c₄τ⁴ + c₃τ³ + c₂τ² + c₁τ + c₀,
//
// c₄ = a²|up|², c₃ = −2a(w·up), c₂ = |w|² − 2a(d·up) − speed², c₁ = 2d·w, c₀ = |d|².
// Q(0) = |d|² ≥ 0 and Q → +∞, so the first root is found exactly by walking Q's critical
// points (the roots of the cubic Q′) from τ = 0: the first one where Q ≤ 0 closes a bracket
// on which Q is monotone, and a safeguarded Newton iteration finds the root in it. A
// fixed-point iteration τ ← |target(τ) − launcher|/speed, the textbook predicted-intercept
// loop, converges only while the target's closing speed is well below the interceptor's; a
// ballistic missile diving at 2 km/s on a launcher whose missiles average 1.2 km/s is exactly
// the case where it fails, and where the intercept matters most.
func InterceptBallistic(launcher geo.Vec3, tLaunch, speed, maxTOF float64, p, v, up geo.Vec3, t0 float64) (pip geo.Vec3, tof float64, ok bool) {
	if !(speed > 0) || math.IsInf(speed, 1) {
		return geo.Vec3{}, 0, false
	}
	a := 0.5 * Gravity
	dt := tLaunch - t0
	d := fall(p, v, up, t0, tLaunch).Sub(launcher)
	w := v.Sub(up.Scale(Gravity * dt))
	uu := up.Norm2()
	if !(uu > 0) {
		// No gravity direction: the straight line.
		return InterceptLinear(launcher, tLaunch, speed, maxTOF, p, v, t0)
	}
	q := quartic{a * a * uu, -2 * a * w.Dot(up), w.Norm2() - 2*a*d.Dot(up) - speed*speed, 2 * d.Dot(w), d.Norm2()}
	if !q.finite() {
		return geo.Vec3{}, 0, false
	}
	tau, found := q.firstRoot()
	if !found {
		return geo.Vec3{}, 0, false
	}
	return fall(p, v, up, t0, tLaunch+tau), tau, tau <= maxTOF
}

// fall is Falling(p, v, up, t0)(t), with the predictor's arithmetic.
func fall(p, v, up geo.Vec3, t0, t float64) geo.Vec3 {
	dt := t - t0
	return p.Add(v.Scale(dt)).Sub(up.Scale(0.5 * Gravity * dt * dt))
}

// quartic is c[0]τ⁴ + c[1]τ³ + c[2]τ² + c[3]τ + c[4] with c[0] > 0 and c[4] ≥ 0.
type quartic [5]float64

func (q *quartic) finite() bool {
	for _, c := range q {
		if math.IsNaN(c) || math.IsInf(c, 0) {
			return false
		}
	}
	return q[0] > 0
}

func (q *quartic) at(x float64) float64 {
	return (((q[0]*x+q[1])*x+q[2])*x+q[3])*x + q[4]
}

// slope is Q′(x) = 4c₀x³ + 3c₁x² + 2c₂x + c₃.
func (q *quartic) slope(x float64) float64 {
	return ((4*q[0]*x+3*q[1])*x+2*q[2])*x + q[3]
}

// curve is Q″(x) = 12c₀x² + 6c₁x + 2c₂.
func (q *quartic) curve(x float64) float64 {
	return (12*q[0]*x+6*q[1])*x + 2*q[2]
}

// firstRoot is the smallest τ ≥ 0 with Q(τ) = 0, if any.
func (q *quartic) firstRoot() (float64, bool) {
	if q[4] <= 0 {
		return 0, true // the target is at the launcher
	}
	// Q′ is a cubic that is monotone between the roots of the quadratic Q″: split (0, ∞)
	// there, and each piece holds at most one critical point of Q. Walking them in order
	// from τ = 0, where Q > 0, the first critical point with Q ≤ 0 closes a bracket on which
	// Q falls monotonically through its first root; if none, Q stays positive (Q → +∞).
	var ends [3]float64
	n := 0
	for _, r := range quadRoots(12*q[0], 6*q[1], 2*q[2]) {
		if r > 0 {
			ends[n] = r
			n++
		}
	}
	ends[n] = math.Inf(1)
	n++
	prev, lo := 0.0, 0.0 // Q(prev) > 0
	for _, hi := range ends[:n] {
		sLo := q.slope(lo)
		if math.IsInf(hi, 1) {
			// Beyond Q″'s roots Q′ rises to +∞: no critical point left if it is not negative
			// yet; otherwise double out to a point where it is positive.
			if sLo >= 0 {
				break
			}
			step := math.Max(1, lo)
			for hi = lo + step; q.slope(hi) < 0; hi = lo + step {
				if step *= 2; step > 1e15 {
					return 0, false
				}
			}
		}
		if sHi := q.slope(hi); (sLo < 0) != (sHi < 0) {
			c := monotoneRoot(q.slope, q.curve, lo, hi, sLo < 0)
			if q.at(c) <= 0 {
				return monotoneRoot(q.at, q.slope, prev, c, false), true
			}
			prev = c
		}
		lo = hi
	}
	return 0, false
}

// quadRoots returns the real roots of a·x² + b·x + c (a > 0), smallest first; NaN for a root
// that does not exist.
func quadRoots(a, b, c float64) [2]float64 {
	disc := b*b - 4*a*c
	if disc < 0 {
		return [2]float64{math.NaN(), math.NaN()}
	}
	sq := math.Sqrt(disc)
	// The stable pair: q = −(b + sign(b)·√disc)/2, roots q/a and c/q.
	qq := -0.5 * (b + math.Copysign(sq, b))
	r1, r2 := qq/a, qq/a // b = disc = 0: a double root at 0
	if qq != 0 {
		r2 = c / qq
	}
	if r2 < r1 {
		r1, r2 = r2, r1
	}
	return [2]float64{r1, r2}
}

// monotoneRoot finds the root of f on [lo, hi], where f is monotone and changes sign (f(lo)
// and f(hi) of opposite signs, or one of them 0): Newton steps with the derivative df, and a
// bisection whenever a step would leave the bracket or not halve it (Press et al.,
// Numerical Recipes, rtsafe). rising says whether f increases on the bracket.
func monotoneRoot(f, df func(float64) float64, lo, hi float64, rising bool) float64 {
	// Keep f(lo) on the side of the start: f(lo) < 0 when rising, > 0 when falling.
	x := 0.5 * (lo + hi)
	dxOld := hi - lo
	dx := dxOld
	for i := 0; i < 100; i++ {
		fx := f(x)
		if fx == 0 {
			return x
		}
		if (fx < 0) == rising {
			lo = x
		} else {
			hi = x
		}
		d := df(x)
		next := x - fx/d
		if d == 0 || !(next > lo && next < hi) || math.Abs(2*(next-x)) > math.Abs(dxOld) {
			dxOld = dx
			dx = 0.5 * (hi - lo)
			next = lo + dx
		} else {
			dxOld = dx
			dx = next - x
		}
		if next == x || hi-lo <= 4e-16*math.Max(1, math.Abs(x)) {
			return next
		}
		x = next
	}
	return x
}
