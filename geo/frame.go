package geo

import "math"

// Frame is the engine's local frame: an east-north-up (ENU) Cartesian frame
// whose origin is a geodetic point, together with a spherical earth for fast
// altitude, ground-range and visibility queries.
//
// The sphere has radius R = √(M·N), the Gaussian mean radius of curvature of
// the WGS84 ellipsoid at the origin's latitude (M the meridional and N the
// prime-vertical radius), and its centre is at (0, 0, -(R + origin.Alt)) in
// ENU, i.e. on the ellipsoid normal through the origin. So the sphere touches
// the ellipsoid at the origin's foot point, shares its normal there, and
// Altitude(ToLocal(origin)) == origin.Alt exactly.
//
// ToLocal and ToLLA are exact (ellipsoidal); Altitude, Up, AtAltitude,
// GroundRange, Elevation, Azimuth and Visible use the sphere. A Frame is an
// immutable value and safe for concurrent use.
type Frame struct {
	origin     LLA
	originECEF Vec3
	sLat, cLat float64
	sLon, cLon float64
	radius     float64
	centre     Vec3 // sphere centre in ENU
	axis       Vec3 // unit vector along the earth's rotation axis (north), in ENU
	// ground is the height of the smooth ground above the sphere (WithGround): line of sight
	// is blocked by the sphere of radius radius + ground, not by the sphere itself.
	ground float64
}

// NewFrame returns the local frame at origin (see Frame for the definition).
// The Gaussian radius is R = √(MN) = a√(1-e²)/W² with W² = 1 - e² sin²φ,
// from the principal radii of curvature M = a(1-e²)/W³ (meridian) and
// N = a/W (prime vertical, PHYSICS §7).
func NewFrame(origin LLA) Frame {
	sl, cl := math.Sincos(origin.Lat)
	so, co := math.Sincos(origin.Lon)
	w2 := 1 - WGS84E2*sl*sl
	r := WGS84A * math.Sqrt(1-WGS84E2) / w2
	return Frame{
		origin:     origin,
		originECEF: LLAToECEF(origin),
		sLat:       sl, cLat: cl, sLon: so, cLon: co,
		radius: r,
		centre: Vec3{0, 0, -(r + origin.Alt)},
		axis:   Vec3{0, cl, sl},
	}
}

// Origin returns the geodetic origin of the frame.
func (f Frame) Origin() LLA { return f.origin }

// WithGround returns the frame with its smooth ground at height h above the sphere (an
// altitude, as Altitude gives it): Visible, HorizonPoint, SightRange, MovingPoint and the
// radio horizon then measure heights from the ground, as the 4/3-earth model does, so that
// a radar 10 m above a plateau at 1,200 m sees a drone 50 m above it no farther than it
// would on a coast (≈ 42 km), not as if both stood 1,200 m above sea level (≈ 250 km). The
// other methods are unchanged. NewFrame's ground is 0: the sphere itself.
func (f Frame) WithGround(h float64) Frame {
	f.ground = h
	return f
}

// Ground returns the height of the frame's smooth ground above its sphere (WithGround).
func (f Frame) Ground() float64 { return f.ground }

// losRadius is the radius of the sphere that blocks line of sight: the ground's.
func (f Frame) losRadius() float64 { return f.radius + f.ground }

// Radius returns the radius R of the frame's sphere (the Gaussian mean radius
// at the origin), in metres.
func (f Frame) Radius() float64 { return f.radius }

// Centre returns the centre of the frame's sphere in local ENU coordinates.
func (f Frame) Centre() Vec3 { return f.centre }

// ToLocal converts a geodetic position to ENU metres in this frame, exactly:
// LLA→ECEF (PHYSICS §7) followed by the ECEF→ENU rotation
// E = -sinλ·dX + cosλ·dY, N = -sinφcosλ·dX - sinφsinλ·dY + cosφ·dZ,
// U = cosφcosλ·dX + cosφsinλ·dY + sinφ·dZ.
func (f Frame) ToLocal(p LLA) Vec3 {
	d := LLAToECEF(p).Sub(f.originECEF)
	t := f.cLon*d.X + f.sLon*d.Y
	return Vec3{
		X: -f.sLon*d.X + f.cLon*d.Y,
		Y: -f.sLat*t + f.cLat*d.Z,
		Z: f.cLat*t + f.sLat*d.Z,
	}
}

// ToLLA converts ENU metres in this frame to a geodetic position, exactly:
// the transpose of the ToLocal rotation, then ECEFToLLA.
func (f Frame) ToLLA(v Vec3) LLA {
	t := -f.sLat*v.Y + f.cLat*v.Z
	d := Vec3{
		X: -f.sLon*v.X + f.cLon*t,
		Y: f.cLon*v.X + f.sLon*t,
		Z: f.cLat*v.Y + f.sLat*v.Z,
	}
	return ECEFToLLA(f.originECEF.Add(d))
}

// Altitude returns the height of v above the frame's sphere, |v - centre| - R.
// It is the fast spherical approximation of the ellipsoidal height
// ToLLA(v).Alt: the two agree exactly at the origin and, because the sphere
// matches the ellipsoid's Gaussian curvature there, differ by about
// d²/2·|1/R_α - 1/R| at ground distance d in azimuth α (R_α the normal-section
// radius). The worst case (at the equator; it shrinks roughly as cos²φ) is
// 0.03 m at 10 km, 0.7 m at 50 km, 2.7 m at 100 km and 11 m at 200 km from
// the origin; the tests assert < 1 m at 50 km and < 3 m at 100 km.
func (f Frame) Altitude(v Vec3) float64 {
	return v.Sub(f.centre).Norm() - f.radius
}

// Up returns the unit radial vector of the frame's sphere at v (the local
// vertical of the spherical earth). At the sphere's centre, where it is
// undefined, it returns the origin's up (0, 0, 1).
func (f Frame) Up(v Vec3) Vec3 {
	d := v.Sub(f.centre)
	n := d.Norm()
	if !(n > 0) {
		return Vec3{0, 0, 1}
	}
	return d.Scale(1 / n)
}

// Radial returns Up(v) and Altitude(v) together, from one norm of v − centre, with the same
// arithmetic (so the same bits) as the two separately: hot paths need both.
func (f Frame) Radial(v Vec3) (up Vec3, alt float64) {
	d := v.Sub(f.centre)
	n := d.Norm()
	if !(n > 0) {
		return Vec3{0, 0, 1}, n - f.radius
	}
	return d.Scale(1 / n), n - f.radius
}

// AtAltitude returns v moved along the radial direction of the frame's sphere
// so that Altitude of the result is alt.
func (f Frame) AtAltitude(v Vec3, alt float64) Vec3 {
	return f.centre.Add(f.Up(v).Scale(f.radius + alt))
}

// GroundRange returns the great-circle distance R·θ on the frame's sphere
// between the radial projections of a and b, where θ = atan2(|u×w|, u·w) is
// the central angle (this form is accurate at all angles).
func (f Frame) GroundRange(a, b Vec3) float64 {
	u := a.Sub(f.centre)
	w := b.Sub(f.centre)
	return f.radius * math.Atan2(u.Cross(w).Norm(), u.Dot(w))
}

// Elevation returns the geometric elevation angle (no refraction), in
// radians, of `to` seen from `from`, relative to the local horizontal plane of
// the frame's sphere at `from`: atan2(d·û, |d - (d·û)û|) with d = to - from and
// û = Up(from). Coincident points give 0.
func (f Frame) Elevation(from, to Vec3) float64 {
	d := to.Sub(from)
	up := f.Up(from)
	vert := d.Dot(up)
	horiz := d.Sub(up.Scale(vert)).Norm()
	if vert == 0 && horiz == 0 {
		return 0
	}
	return math.Atan2(vert, horiz)
}

// Azimuth returns the azimuth of `to` seen from `from`, clockwise from north
// at `from`, in [0, 2π). North at `from` is the direction of the earth's
// rotation axis projected onto the local horizontal of the frame's sphere;
// east = north × up. On the sphere's polar axis, where north is undefined, the
// frame's own north (0, 1, 0) projected onto the horizontal is used instead.
// Coincident points give 0.
func (f Frame) Azimuth(from, to Vec3) float64 {
	up := f.Up(from)
	north := f.axis.Sub(up.Scale(f.axis.Dot(up)))
	if north.Norm2() < 1e-24 {
		y := Vec3{0, 1, 0}
		north = y.Sub(up.Scale(y.Dot(up)))
	}
	north = north.Unit()
	east := north.Cross(up)
	d := to.Sub(from)
	az := math.Atan2(d.Dot(east), d.Dot(north))
	if az < 0 {
		az += 2 * math.Pi
	}
	if az >= 2*math.Pi {
		az = 0
	}
	return az
}

// Visible reports whether a and b have line of sight over the frame's sphere
// with 4/3-earth refraction: LineOfSight(Altitude(a), Altitude(b),
// GroundRange(a, b), Radius(), RefractionK) (PHYSICS §1), with the heights
// measured from the ground and the sphere raised to it (WithGround). Terrain masking is
// not applied; use VisibleOver for that.
func (f Frame) Visible(a, b Vec3) bool {
	rs := f.losRadius()
	return LineOfSight(f.Altitude(a)-f.ground, f.Altitude(b)-f.ground, f.GroundRange(a, b)*(rs/f.radius), rs, RefractionK)
}

// VisibleOver is Visible with terrain: after the smooth-earth test it samples
// the straight 4/3-earth ray between a and b at the given spacing (metres of
// ground range; ≤ 0 means 100 m) and reports false if the terrain height at
// any sample reaches the ray. A nil terrain is smooth earth. The ray height at
// a sample is interpolated on the effective earth of radius kR, which is the
// standard way of drawing terrain profiles under the 4/3-earth model.
func (f Frame) VisibleOver(t Terrain, a, b Vec3, spacing float64) bool {
	if !f.Visible(a, b) {
		return false
	}
	if t == nil {
		return true
	}
	if _, ok := t.(SmoothEarth); ok {
		return true
	}
	if !(spacing > 0) {
		spacing = 100
	}
	ground := f.GroundRange(a, b)
	n := int(math.Ceil(ground / spacing))
	if n < 2 {
		return true
	}
	if n > 1_000_000 {
		n = 1_000_000
	}
	re := RefractionK * f.radius
	h1, h2 := f.Altitude(a), f.Altitude(b)
	theta := ground / re
	r1, r2 := re+h1, re+h2
	// Points on the effective earth: P1 at angle 0, P2 at angle θ (2-D).
	p1x, p1y := 0.0, r1
	s, c := math.Sincos(theta)
	p2x, p2y := r2*s, r2*c
	ua, ub := f.Up(a), f.Up(b)
	for i := 1; i < n; i++ {
		frac := float64(i) / float64(n)
		phi := frac * theta
		sp, cp := math.Sincos(phi)
		// Intersect the ray P1→P2 with the radial line at angle φ.
		dx, dy := p2x-p1x, p2y-p1y
		den := sp*dy - cp*dx
		if den == 0 {
			continue
		}
		tt := (cp*p1x - sp*p1y) / den
		rayR := math.Hypot(p1x+tt*dx, p1y+tt*dy)
		rayH := rayR - re
		// Geodetic position of the sample: slerp the radial directions.
		dir := slerp(ua, ub, frac)
		q := f.centre.Add(dir.Scale(f.radius))
		if t.Height(f.ToLLA(q)) >= rayH {
			return false
		}
	}
	return true
}

// slerp interpolates between unit vectors a and b along their great circle.
func slerp(a, b Vec3, t float64) Vec3 {
	omega := math.Atan2(a.Cross(b).Norm(), a.Dot(b))
	so := math.Sin(omega)
	if so < 1e-12 {
		return a.Scale(1 - t).Add(b.Scale(t)).Unit()
	}
	return a.Scale(math.Sin((1-t)*omega) / so).Add(b.Scale(math.Sin(t*omega) / so))
}
