// Package geo owns the geometry of the earth for adsim: WGS84 geodetic
// coordinates (LLA), earth-centred earth-fixed (ECEF) and local east-north-up
// (ENU) Cartesian frames, geodesics on the ellipsoid, earth curvature, the
// 4/3-earth refraction model, radio horizons and line of sight, and the hook
// for terrain models.
//
// Units are SI throughout: metres, seconds and radians. Degrees appear only
// in the helpers whose names say so (LLADeg, LatDeg, LonDeg).
//
// The package must not know about radars, threats, weapons or the engine: it
// answers purely geometric questions. Sources for every formula are cited on
// the declarations and collected in the project's reference/PHYSICS.md
// (§1 radar horizon, §7 geodesy).
package geo
