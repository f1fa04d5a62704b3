package geo

import "math"

// Vec3 is a Cartesian 3-vector in metres (ECEF or a local ENU frame,
// depending on context).
type Vec3 struct{ X, Y, Z float64 }

// Add returns a + b.
func (a Vec3) Add(b Vec3) Vec3 { return Vec3{a.X + b.X, a.Y + b.Y, a.Z + b.Z} }

// Sub returns a - b.
func (a Vec3) Sub(b Vec3) Vec3 { return Vec3{a.X - b.X, a.Y - b.Y, a.Z - b.Z} }

// Scale returns s·a.
func (a Vec3) Scale(s float64) Vec3 { return Vec3{s * a.X, s * a.Y, s * a.Z} }

// Dot returns the scalar product a·b.
func (a Vec3) Dot(b Vec3) float64 { return a.X*b.X + a.Y*b.Y + a.Z*b.Z }

// Cross returns the vector product a×b (right-handed).
func (a Vec3) Cross(b Vec3) Vec3 {
	return Vec3{a.Y*b.Z - a.Z*b.Y, a.Z*b.X - a.X*b.Z, a.X*b.Y - a.Y*b.X}
}

// Norm returns the Euclidean length |a|, computed without intermediate
// overflow for ordinary magnitudes.
func (a Vec3) Norm() float64 { return math.Sqrt(a.Norm2()) }

// Norm2 returns the squared length a·a.
func (a Vec3) Norm2() float64 { return a.X*a.X + a.Y*a.Y + a.Z*a.Z }

// IsFinite reports whether every component is a finite number (neither NaN nor ±Inf).
func (a Vec3) IsFinite() bool {
	return !math.IsNaN(a.X) && !math.IsInf(a.X, 0) && !math.IsNaN(a.Y) && !math.IsInf(a.Y, 0) &&
		!math.IsNaN(a.Z) && !math.IsInf(a.Z, 0)
}

// Unit returns a/|a|. The zero vector (and any vector whose length is not a
// positive finite number) is returned unchanged rather than producing NaN.
func (a Vec3) Unit() Vec3 {
	n := a.Norm()
	if !(n > 0) || math.IsInf(n, 0) {
		return a
	}
	return a.Scale(1 / n)
}
