package geo

import (
	"math"

	"github.com/tidwall/geodesic"
)

// Inverse solves the inverse geodesic problem on the WGS84 ellipsoid with
// tidwall/geodesic, a Go port of GeographicLib (Karney 2013, "Algorithms for
// geodesics", J. Geodesy 87:43–55): the length s12 in metres of the shortest
// geodesic from a to b and the forward azimuths azi1 at a and azi2 at b, in
// radians clockwise from north in (-π, π]. Altitudes are ignored. Latitudes
// outside [-π/2, π/2] or non-finite input give NaN.
func Inverse(a, b LLA) (s12, azi1, azi2 float64) {
	lat1, lon1 := rad2deg(a.Lat), rad2deg(a.Lon)
	lat2, lon2 := rad2deg(b.Lat), rad2deg(b.Lon)
	if !(math.Abs(lat1) <= 90) || !(math.Abs(lat2) <= 90) || !finite(lon1) || !finite(lon2) {
		return math.NaN(), math.NaN(), math.NaN()
	}
	geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2, &s12, &azi1, &azi2)
	return s12, azi1 * (math.Pi / 180), azi2 * (math.Pi / 180)
}

// Direct solves the direct geodesic problem on the WGS84 ellipsoid (Karney
// 2013 §3, through tidwall/geodesic): the point reached from a by travelling s
// metres along the geodesic that leaves a at azimuth azi (radians clockwise
// from north). The result keeps a.Alt; its longitude is in (-π, π].
// Non-finite input or a latitude outside [-π/2, π/2] gives NaN coordinates.
func Direct(a LLA, azi, s float64) LLA {
	lat1, lon1, azi1 := rad2deg(a.Lat), rad2deg(a.Lon), rad2deg(azi)
	if !(math.Abs(lat1) <= 90) || !finite(lon1) || !finite(azi1) || !finite(s) {
		return LLA{Lat: math.NaN(), Lon: math.NaN(), Alt: a.Alt}
	}
	var lat2, lon2, azi2 float64
	geodesic.WGS84.Direct(lat1, lon1, azi1, s, &lat2, &lon2, &azi2)
	return LLA{Lat: lat2 * (math.Pi / 180), Lon: lon2 * (math.Pi / 180), Alt: a.Alt}
}

// rad2deg converts radians to degrees so that π maps exactly to 180.
func rad2deg(x float64) float64 { return x / math.Pi * 180 }

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
