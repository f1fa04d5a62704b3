package geo

import "math"

// WGS84 defining parameters and derived constants (PHYSICS §7: EPSG:7030,
// NIMA TR8350.2).
const (
	// WGS84A is the semi-major axis a in metres.
	WGS84A = 6378137.0
	// WGS84F is the flattening f = 1/298.257223563.
	WGS84F = 1 / 298.257223563
	// WGS84B is the semi-minor axis b = a(1-f) in metres (6356752.314245 m, PHYSICS §7).
	WGS84B = WGS84A * (1 - WGS84F)
	// WGS84E2 is the first eccentricity squared e² = f(2-f) (6.69437999014e-3, PHYSICS §7).
	WGS84E2 = WGS84F * (2 - WGS84F)
	// WGS84EP2 is the second eccentricity squared e'² = e²/(1-e²).
	WGS84EP2 = WGS84E2 / (1 - WGS84E2)
	// WGS84GM is the geocentric gravitational constant GM in m³/s².
	WGS84GM = 3.986004418e14
	// WGS84Omega is the earth's angular velocity ω in rad/s.
	WGS84Omega = 7.292115e-5
	// MeanEarthRadius is the mean earth radius R = 6371 km used by the
	// horizon formulas of PHYSICS §1.
	MeanEarthRadius = 6371000.0
	// RefractionK is the effective-earth-radius factor k = 4/3 of the
	// standard-atmosphere refraction model (PHYSICS §1; Skolnik, Introduction
	// to Radar Systems 3e, via the MATLAB horizonrange docs).
	RefractionK = 4.0 / 3
)

// LLA is a geodetic position on the WGS84 ellipsoid: latitude and longitude
// in radians, altitude in metres above the ellipsoid.
type LLA struct{ Lat, Lon, Alt float64 }

// LLADeg builds an LLA from latitude and longitude in degrees and altitude in
// metres above the ellipsoid.
func LLADeg(latDeg, lonDeg, alt float64) LLA {
	return LLA{Lat: latDeg * (math.Pi / 180), Lon: lonDeg * (math.Pi / 180), Alt: alt}
}

// LatDeg returns the latitude in degrees.
func (p LLA) LatDeg() float64 { return p.Lat * (180 / math.Pi) }

// LonDeg returns the longitude in degrees.
func (p LLA) LonDeg() float64 { return p.Lon * (180 / math.Pi) }

// primeVertical returns N(φ) = a/√(1 - e² sin²φ), the prime-vertical radius
// of curvature (PHYSICS §7).
func primeVertical(sinLat float64) float64 {
	return WGS84A / math.Sqrt(1-WGS84E2*sinLat*sinLat)
}

// LLAToECEF converts a geodetic position to ECEF metres with the closed form
// of PHYSICS §7: X = (N+h)cosφcosλ, Y = (N+h)cosφsinλ, Z = (N(1-e²)+h)sinφ.
func LLAToECEF(p LLA) Vec3 {
	sl, cl := math.Sincos(p.Lat)
	so, co := math.Sincos(p.Lon)
	n := primeVertical(sl)
	return Vec3{
		X: (n + p.Alt) * cl * co,
		Y: (n + p.Alt) * cl * so,
		Z: (n*(1-WGS84E2) + p.Alt) * sl,
	}
}

// ECEFToLLA converts ECEF metres to a geodetic position. It uses Bowring's
// parametric-latitude iteration (B. R. Bowring, "Transformation from spatial
// to geographical coordinates", Survey Review 23(181), 1976),
//
//	tanφ = (Z + e'²b sin³β)/(p - e²a cos³β),  tanβ = (1-f)·tanφ,
//
// carried out on sines and cosines (no trigonometric calls inside the loop)
// and iterated to convergence: two or three iterations reach the float64
// limit, so round trips through LLAToECEF agree to a few nanometres (a few
// ulps of an ECEF coordinate). The height is the projection of the offset
// from the foot point on the normal, h = (p - N cosφ)·cosφ + (Z - N(1-e²)
// sinφ)·sinφ, well conditioned at every latitude. On the polar axis the
// latitude is ±π/2 (+π/2 at the centre) and the longitude 0. Within about
// e²a ≈ 43 km of the earth's centre the iteration is not guaranteed and the
// result is finite but approximate. No finite input smaller than 1e150 m
// produces NaN.
func ECEFToLLA(v Vec3) LLA {
	p := math.Hypot(v.X, v.Y)
	if p == 0 {
		lat := math.Pi / 2
		if v.Z < 0 {
			lat = -lat
		}
		return LLA{Lat: lat, Lon: 0, Alt: math.Abs(v.Z) - WGS84B}
	}
	lon := math.Atan2(v.Y, v.X)
	// (cb, sb) ∝ (cosβ, sinβ); (den, num) ∝ (cosφ, sinφ).
	cb, sb := (1-WGS84F)*p, v.Z // tanβ₀ = Z/((1-f)p) = aZ/(bp)
	var num, den float64
	for i := 0; i < 16; i++ {
		r := math.Sqrt(cb*cb + sb*sb)
		c, s := cb/r, sb/r
		num = v.Z + WGS84EP2*WGS84B*s*s*s
		den = p - WGS84E2*WGS84A*c*c*c
		if den <= 0 { // only possible deep inside the earth, near the axis
			den = 1e-9 * p
		}
		ncb, nsb := den, (1-WGS84F)*num
		r = math.Sqrt(ncb*ncb + nsb*nsb)
		ncb, nsb = ncb/r, nsb/r
		done := math.Abs(nsb*c-ncb*s) < 1e-10 // |sin(Δβ)|
		cb, sb = ncb, nsb
		if done {
			c, s = cb, sb
			num = v.Z + WGS84EP2*WGS84B*s*s*s
			den = math.Max(p-WGS84E2*WGS84A*c*c*c, 1e-9*p)
			break
		}
	}
	r := math.Sqrt(den*den + num*num)
	sl, cl := num/r, den/r
	n := primeVertical(sl)
	h := (p-n*cl)*cl + (v.Z-n*(1-WGS84E2)*sl)*sl
	return LLA{Lat: math.Atan2(num, den), Lon: lon, Alt: h}
}
