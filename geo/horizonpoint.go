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
