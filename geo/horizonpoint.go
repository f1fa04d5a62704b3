package geo

import "math"

// HorizonPoint is a position prepared for many line-of-sight tests against other prepared
// positions, as a radar scan needs: the same 4/3-earth test as Frame.Visible, with the
// trigonometry done once per point instead of once per pair. Two points see each other when
// their central angle θ on the frame's sphere satisfies θ/k ≤ θ1 + θ2 (θi the angle from point i
// to its tangent point on the effective earth of radius kR; see LineOfSight), that is when
// cos θ ≥ cos(k·θ1 + k·θ2), which needs only a dot product per pair.
type HorizonPoint struct {
	r      Vec3    // position from the sphere's centre
	norm   float64 // |r|
	cosA   float64 // cos(k·θi)
	sinA   float64 // sin(k·θi)
	below  bool    // under the surface: sees nothing
	tooFar bool    // k·θi ≥ π/2: the cosine-sum test is not used, fall back to angles
	angle  float64 // k·θi
}

// HorizonPoint prepares p for line-of-sight tests (4/3-earth refraction, smooth earth).
func (f Frame) HorizonPoint(p Vec3) HorizonPoint {
	r := p.Sub(f.centre)
	hp := HorizonPoint{r: r, norm: r.Norm()}
	// A radar scan prepares every target each frame: the altitude reuses the norm (it is
	// f.Altitude(p), computed the same way), and Sincos gives what Cos and Sin give.
	h := hp.norm - f.losRadius()
	if h < 0 || math.IsNaN(h) {
		hp.below = true
		return hp
	}
	re := RefractionK * f.losRadius()
	hp.angle = RefractionK * math.Atan2(math.Sqrt(h*(2*re+h)), re)
	hp.sinA, hp.cosA = math.Sincos(hp.angle)
	hp.tooFar = hp.angle >= math.Pi/2
	return hp
}

// Sees reports whether a and b have line of sight; it agrees with Frame.Visible.
func (a HorizonPoint) Sees(b HorizonPoint) bool {
	if a.below || b.below {
		return false
	}
	cosTheta := a.r.Dot(b.r) / (a.norm * b.norm)
	if a.tooFar || b.tooFar {
		theta := math.Acos(math.Max(-1, math.Min(1, cosTheta)))
		return theta <= a.angle+b.angle && theta < math.Pi
	}
	// cos is decreasing on [0, π]; both angles are below π/2, so their sum is below π.
	return cosTheta >= a.cosA*b.cosA-a.sinA*b.sinA
}

// SightRange returns a distance beyond which a sees no point of altitude at most h: if
// a.Sees(HorizonPoint(p)) and Altitude(p) ≤ h, then |p − a's position| ≤ SightRange(a, h),
// whatever the rounding. It is +Inf where no useful bound is known (a below the surface, NaN
// or negative h, horizon angles of a radian or more). A radar scan uses it to skip targets
// of bounded altitude that are beyond the radio horizon.
//
// Sees needs θ ≤ θa + θb (θ the central angle, θi = k·atan2(√(h(2kR+h)), kR), which grows
// with the height), so θ ≤ θa + θ(h) =: Θ. Two points at radii r1 = |a.r| and r2 and angle θ
// are d apart with d² = (r1 − r2)² + 4·r1·r2·sin²(θ/2), which grows with θ (Θ < 1 rad here)
// and is convex in r2, so over r2 ∈ [R, R+h] and θ ≤ Θ it is largest at r2 = R or R+h and
// θ = Θ. The rounding of Sees's cosines (a few 1e-16) moves the angle by at most
// √(2·1e-15) ≈ 5e-8 rad, 0.3 m on the ground; the bound adds 1e-4 relative and 100 m.
func (f Frame) SightRange(a HorizonPoint, h float64) float64 {
	if a.below || !(h >= 0) || math.IsInf(h, 0) {
		return math.Inf(1)
	}
	// h is an altitude above the sphere; the horizon is the ground's (WithGround). A point
	// below the ground sees nothing, so any bound holds for it.
	rs := f.losRadius()
	h = math.Max(h-f.ground, 0)
	re := RefractionK * rs
	theta := a.angle + RefractionK*math.Atan2(math.Sqrt(h*(2*re+h)), re)
	if !(theta < 1) {
		return math.Inf(1)
	}
	s := math.Sin(theta / 2)
	dist := func(r2 float64) float64 {
		return math.Sqrt((a.norm-r2)*(a.norm-r2) + 4*a.norm*r2*s*s)
	}
	d := math.Max(dist(rs), dist(rs+h))
	return d*(1+1e-4) + 100
}

// MovingPoint is a HorizonPoint for a point that moves a little between uses, as a threat
// does between radar scans: Frame.Move places it (a subtraction and a square root), and
// Frame.SeesMoving decides most line-of-sight tests from the trigonometry of an earlier
// position, computing the position's own (an atan2 and a sincos, most of HorizonPoint's
// cost) only when the test is too close to call. SeesMoving(a, m) is always exactly
// a.Sees(f.HorizonPoint(p)), p the point last placed by Move. The zero value is ready.
type MovingPoint struct {
	cur   HorizonPoint // r, norm and below of the position; its angles only when exact
	h     float64      // altitude of the position (cur.norm − R)
	exact bool         // cur is what HorizonPoint gives for the position
	// slack is how far cos θ must be from the threshold at h0 for SeesMoving to decide
	// without the angles at h (+Inf: never; negative: not yet worked out since Move).
	slack float64
	// The angle, cosine and sine of HorizonPoint at an earlier position of altitude h0
	// (has0: there is one).
	has0                   bool
	h0, angle0, cos0, sin0 float64
}

// movingMargin covers, many times over, the rounding of the numbers SeesMoving compares
// (cosines and products of numbers ≤ 1, each within a few 1e-16; angles of at most 2 rad
// within a few 1e-16 relative).
const movingMargin = 1e-12

// Move places m at p, the same way HorizonPoint would: the angles are computed only when a
// test needs them (SeesMoving).
func (f *Frame) Move(m *MovingPoint, p Vec3) {
	r := p.Sub(f.centre)
	m.cur = HorizonPoint{r: r, norm: r.Norm()}
	m.h = m.cur.norm - f.losRadius()
	m.cur.below = m.h < 0 || math.IsNaN(m.h)
	m.exact = m.cur.below // below: nothing more to prepare
	m.slack = -1
}

// Point returns the HorizonPoint of m's position, exactly as HorizonPoint gives it.
func (f *Frame) Point(m *MovingPoint) HorizonPoint {
	f.exactMoving(m)
	return m.cur
}

// exactMoving completes m.cur as HorizonPoint does (the same operations on the same altitude)
// and keeps its angles for the next positions.
func (f *Frame) exactMoving(m *MovingPoint) {
	if m.exact {
		return
	}
	h := m.h
	re := RefractionK * f.losRadius()
	m.cur.angle = RefractionK * math.Atan2(math.Sqrt(h*(2*re+h)), re)
	m.cur.sinA, m.cur.cosA = math.Sincos(m.cur.angle)
	m.cur.tooFar = m.cur.angle >= math.Pi/2
	m.exact = true
	m.has0, m.h0, m.angle0, m.cos0, m.sin0 = true, h, m.cur.angle, m.cur.cosA, m.cur.sinA
}

// SeesMoving is a.Sees(HorizonPoint of m's position), with the same answer for every input.
//
// Sees compares cos θ with cos(αa + αm), αm = k·atan2(√(h(2kR+h)), kR) the point's horizon
// angle at altitude h. The angle's derivative, k·kR/((kR+h)·√(h(2kR+h))), is at most
// k/√(2kR·h) and decreases with h, so between altitudes h0 and h (both positive)
// |αm(h) − αm(h0)| ≤ k·|h − h0|/√(2kR·min(h, h0)), and cos(αa + α) moves by at most as much
// as α (its slope is a sine). When cos θ is farther than that (plus movingMargin for the
// rounding of both sides) from the threshold at h0, the threshold at h is on the same side:
// Sees would answer the same. Otherwise, or when an angle may reach π/2 (where Sees takes
// its other test), the angles at h are computed and Sees decides.
func (f *Frame) SeesMoving(a *HorizonPoint, m *MovingPoint) bool {
	b := &m.cur
	if a.below || b.below {
		return false
	}
	if !m.exact && !a.tooFar {
		if m.slack < 0 {
			m.slack = f.movingSlack(m) // once per position, for all the radars
		}
		cosTheta := a.r.Dot(b.r) / (a.norm * b.norm)
		t0 := a.cosA*m.cos0 - a.sinA*m.sin0
		switch {
		case cosTheta-t0 > m.slack:
			return true
		case t0-cosTheta > m.slack:
			return false
		}
	}
	f.exactMoving(m)
	return a.Sees(*b)
}

// movingSlack is MovingPoint.slack for m's position: the bound on the horizon angle's change
// since h0 plus movingMargin, or +Inf when there is no earlier angle, an altitude is not
// positive or the angle may reach π/2.
func (f *Frame) movingSlack(m *MovingPoint) float64 {
	hmin := math.Min(m.h, m.h0)
	if !m.has0 || !(hmin > 0) {
		return math.Inf(1)
	}
	re := RefractionK * f.losRadius()
	d := RefractionK * math.Abs(m.h-m.h0) / math.Sqrt(2*re*hmin) * (1 + 1e-6)
	if !(m.angle0+d < math.Pi/2-movingMargin) {
		return math.Inf(1)
	}
	return d + movingMargin
}
