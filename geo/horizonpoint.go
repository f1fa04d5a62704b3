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
	h := hp.norm - f.radius
	if h < 0 || math.IsNaN(h) {
		hp.below = true
		return hp
	}
	re := RefractionK * f.radius
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
	re := RefractionK * f.radius
	theta := a.angle + RefractionK*math.Atan2(math.Sqrt(h*(2*re+h)), re)
	if !(theta < 1) {
		return math.Inf(1)
	}
	s := math.Sin(theta / 2)
	dist := func(r2 float64) float64 {
		return math.Sqrt((a.norm-r2)*(a.norm-r2) + 4*a.norm*r2*s*s)
	}
	d := math.Max(dist(f.radius), dist(f.radius+h))
	return d*(1+1e-4) + 100
}
