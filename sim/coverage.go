package sim

import (
	"math"

	"github.com/adsim/adsim/geo"
)

// coverage is a radar's coverage as the tracker sees it: which tracks a scan may update or
// charge a miss. It is generous by a margin, since a track's estimate scatters around the
// target: a drone at 50 m whose first measurement put it below the horizon must still be
// updated. The tracker asks it for every live track at every non-empty scan.
type coverage struct {
	frame       geo.Frame
	pos, up     geo.Vec3
	sinMinCover float64 // sine of the lowest elevation less coverMarginAngle
	sinMax      float64 // sine of the highest elevation
	maxCover2   float64 // (1.05 × instrumented range)², +Inf without one
	horizon     float64 // the antenna's distance to the radio horizon, m
	twoKR       float64 // 2kR of the 4/3 earth
	// Precomputed for covers's shortcuts (see there): the squared range within which the
	// horizon test passes at any altitude, and the squared elevation limits with
	// coverRelMargin to spare (lowIn2 for sinMinCover > 0, lowOut2 for sinMinCover < 0,
	// highIn2 for sinMax > 0), each used only when its limit is at least minSinShortcut
	// away from 0 (flags lowNeg, lowPos, highPos).
	horizonFree2             float64
	lowIn2, lowOut2, highIn2 float64
	lowNeg, lowPos, highPos  bool
}

// coverRelMargin is the relative margin of covers's squared comparisons: the exact test
// rounds a handful of times (a square root, a division, a subtraction, a product, each
// within 2⁻⁵³ relative), so a value that passes a bound tightened by 1e-9 passes the exact
// test too, whatever the rounding; inputs between the bound and the limit are left to the
// exact formula.
const coverRelMargin = 1e-9

// minSinShortcut is how far from 0 an elevation limit's sine must be for covers to decide it
// by a sign or by squares: a limit at the horizontal would make the sign of a rounded d·up
// decisive, and a tiny one would underflow when squared.
const minSinShortcut = 1e-6

func newCoverage(frame geo.Frame, pos, up geo.Vec3, minElev, maxElev, maxRange float64) *coverage {
	c := &coverage{frame: frame, pos: pos, up: up, maxCover2: math.Inf(1),
		twoKR: 2 * geo.RefractionK * (frame.Radius() + frame.Ground())}
	if maxRange > 0 {
		c.maxCover2 = (maxRange * 1.05) * (maxRange * 1.05)
	}
	// Heights from the ground (geo.Frame.WithGround), as the radar's line of sight measures them.
	c.horizon = math.Sqrt(c.twoKR * math.Max(frame.Altitude(pos)-frame.Ground(), 0))
	c.sinMinCover = math.Sin(minElev - coverMarginAngle)
	c.sinMax = math.Sin(maxElev)
	// The horizon test, rng − horizon ≤ √(2kR(max(alt, 0) + margin)), holds for every
	// altitude when rng − horizon ≤ √(2kR·margin): the right side only grows with the
	// altitude. Most covered tracks are within that range (tens of km for a 300 m margin),
	// and the bound is taken smaller by the relative margin so that the rounded range of
	// the exact test is certainly within it.
	free := (c.horizon + math.Sqrt(c.twoKR*coverMargin)) * (1 - coverRelMargin)
	c.horizonFree2 = free * free
	s, sm := c.sinMinCover, c.sinMax
	c.lowNeg, c.lowPos, c.highPos = s <= -minSinShortcut, s >= minSinShortcut, sm >= minSinShortcut
	c.lowIn2, c.lowOut2, c.highIn2 = s*s*(1+coverRelMargin), s*s*(1-coverRelMargin), sm*sm*(1-coverRelMargin)
	return c
}

// exact is the coverage test: instrumented range with a 5 % margin, the elevation limits
// with coverMarginAngle below the lowest, and the radio horizon with coverMargin of height:
// rng ≤ √(2kRh₁) + √(2kR(h₂ + margin)) (PHYSICS §1), squared on the target's side. covers
// gives the same answer for every input; this is its reference (and its fallback).
func (c *coverage) exact(p [3]float64) bool {
	q := geo.Vec3{X: p[0], Y: p[1], Z: p[2]}
	d := q.Sub(c.pos)
	r2 := d.Norm2()
	if r2 > c.maxCover2 {
		return false
	}
	rng := math.Sqrt(r2)
	if sinEl := d.Dot(c.up) / rng; sinEl < c.sinMinCover || sinEl > c.sinMax {
		return false
	}
	beyond := rng - c.horizon
	return beyond <= 0 || beyond*beyond <= c.twoKR*(math.Max(c.frame.Altitude(q)-c.frame.Ground(), 0)+coverMargin)
}

// covers is exact without its square roots where bounds decide: within horizonFree2 the
// horizon test passes whatever the altitude, and the elevation limits are decided by the
// sign of d·up (the usual limits lie below and above the horizontal) or by comparing
// squares, (d·up)² against sin²·r², with coverRelMargin to spare. Anything else — farther
// targets, points near a limit, within a metre of the antenna, NaNs — takes the exact
// formula, so covers and exact agree on every input (TestCoverageShortcut). It is coversAll
// on one position.
func (c *coverage) covers(p [3]float64) bool {
	var in [1]bool
	c.coversAll([][3]float64{p}, in[:])
	return in[0]
}

// coversAll sets in[i] to covers(pos[i]) for every position (track.Scan.CoversAll): the
// tracker asks about every live track at every non-empty scan, and one call per scan, with
// the shortcuts in the loop, spares it a call per track.
func (c *coverage) coversAll(pos [][3]float64, in []bool) {
	in = in[:len(pos)]
	for i := range pos {
		p := &pos[i]
		d := geo.Vec3{X: p[0] - c.pos.X, Y: p[1] - c.pos.Y, Z: p[2] - c.pos.Z}
		r2 := d.Norm2()
		if r2 > c.maxCover2 {
			in[i] = false
			continue
		}
		// r2 ≥ 1 keeps the range far from 0, where exact divides by it (±Inf, NaN).
		if !(r2 >= 1 && r2 <= c.horizonFree2) {
			in[i] = c.exact(*p)
			continue
		}
		// With rng > 0, sinEl = dot/rng has dot's sign and |sinEl| ≷ |s| as dot² ≷ s²·r².
		dot := d.Dot(c.up)
		var low, high bool
		switch {
		case dot >= 0:
			low = c.lowNeg || (c.lowPos && dot*dot >= c.lowIn2*r2)
		default:
			low = c.lowNeg && dot*dot <= c.lowOut2*r2
		}
		switch {
		case dot <= 0:
			high = c.highPos
		default:
			high = c.highPos && dot*dot <= c.highIn2*r2
		}
		in[i] = (low && high) || c.exact(*p)
	}
}
