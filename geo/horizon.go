package geo

import "math"

// Terrain is the hook for digital elevation models: Height returns the
// terrain height at p (p.Alt is ignored) in metres above the WGS84 ellipsoid.
type Terrain interface {
	Height(p LLA) float64
}

// SmoothEarth is the Terrain of a bare ellipsoid: height 0 everywhere.
type SmoothEarth struct{}

// Height returns 0.
func (SmoothEarth) Height(LLA) float64 { return 0 }

// HorizonRange returns the radio horizon distance d = √(2kRh) in metres of a
// point at height h metres, with k = RefractionK (4/3) and R = MeanEarthRadius
// (PHYSICS §1; MATLAB horizonrange after Skolnik). Heights ≤ 0 give 0.
func HorizonRange(h float64) float64 {
	return HorizonRangeR(h, MeanEarthRadius, RefractionK)
}

// HorizonRangeR returns √(2·k·radius·h), the small-height horizon distance
// over an effective earth of radius k·radius (PHYSICS §1). Non-positive or NaN
// h, radius or k give 0.
func HorizonRangeR(h, radius, k float64) float64 {
	if !(h > 0) || !(radius > 0) || !(k > 0) {
		return 0
	}
	return math.Sqrt(2 * k * radius * h)
}

// RadioHorizon returns the maximum line-of-sight ground distance between
// points at heights h1 and h2 metres: HorizonRange(h1) + HorizonRange(h2)
// (PHYSICS §1; FS-1037C "radio horizon range").
func RadioHorizon(h1, h2 float64) float64 {
	return HorizonRange(h1) + HorizonRange(h2)
}

// LineOfSight is the exact straight-ray visibility test over a smooth
// effective earth of radius Re = k·radius (the 4/3-earth refraction model of
// PHYSICS §1 when k = 4/3). The two points are placed at radii Re+h1 and
// Re+h2, separated by the central angle θ = groundRange/Re, and the chord
// between them must not pass below radius Re. Tangent rays (grazing) count as
// visible. It returns false for points below the surface, for θ ≥ π, and for
// NaN or non-positive radius or k. A negative groundRange is taken as its
// absolute value.
//
// It is consistent with RadioHorizon: for small heights the limiting ground
// range Re·(acos(Re/(Re+h1)) + acos(Re/(Re+h2))) equals √(2Re h1) + √(2Re h2)
// to relative order h/Re.
func LineOfSight(h1, h2, groundRange, radius, k float64) bool {
	if !(radius > 0) || !(k > 0) || math.IsNaN(h1) || math.IsNaN(h2) || math.IsNaN(groundRange) {
		return false
	}
	re := k * radius
	if h1 < 0 || h2 < 0 {
		return false
	}
	theta := math.Abs(groundRange) / re
	if theta >= math.Pi {
		return false
	}
	// The chord from P1 (angle 0, radius r1) to P2 (angle θ, radius r2) stays
	// at or above radius Re exactly when θ ≤ θ1 + θ2, where θi = acos(Re/ri)
	// is the central angle from point i to its tangent point (the line at
	// perpendicular distance p from the centre spans acos(p/r1) + acos(p/r2),
	// which grows as p shrinks). θi is evaluated as atan2(√(h(2Re+h)), Re),
	// which is well conditioned for small h.
	t1 := math.Atan2(math.Sqrt(h1*(2*re+h1)), re)
	t2 := math.Atan2(math.Sqrt(h2*(2*re+h2)), re)
	return theta <= t1+t2
}

// HorizonDistance returns the slant range (m) to which points at heights h1 and h2 above the
// frame's ground (WithGround) see each other: the radio horizon over the 4/3 earth, as
// Visible and HorizonPoint.Sees decide it; 0 when either is below the ground, +Inf beyond
// half the globe. The central angle between the two tangent points on the effective earth
// (LineOfSight's θ1 + θ2) is scaled back to the true one, and two points at radii a and b
// and central angle θ are √((a − b)² + 4ab·sin²(θ/2)) apart.
func (f Frame) HorizonDistance(h1, h2 float64) float64 {
	if !(h1 >= 0) || !(h2 >= 0) {
		return 0
	}
	rs := f.losRadius() // the sphere of the ground, which blocks the sight
	re := RefractionK * rs
	tangent := func(h float64) float64 { return math.Atan2(math.Sqrt(h*(2*re+h)), re) }
	theta := RefractionK * (tangent(h1) + tangent(h2))
	if theta >= math.Pi {
		return math.Inf(1)
	}
	a, b := rs+h1, rs+h2
	sin := math.Sin(theta / 2)
	return math.Sqrt((a-b)*(a-b) + 4*a*b*sin*sin)
}
