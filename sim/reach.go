package sim

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/adsim/adsim/c2"
	"github.com/adsim/adsim/engage"
	"github.com/adsim/adsim/geo"
)

// This file gives command and control each missile's kinematic reach by target height, from
// the flyout model itself (c2.Weapon.Reach). The catalog's max_range_km and its planning
// speed were measured against a target at medium altitude (TestCatalogKinematicRange); a
// missile that must fly through the dense air near the ground to reach a low target goes
// less far: the Buk-class 9M317M reaches about 80 % of its 70 km against a drone at 25 m. C2
// without this fired it at drones 58–70 km out and most of its missiles destroyed
// themselves at their flight-time limit (TestC2FiresWithinReach).

// reachFrameS is the engine frame step of the flyouts that measure a reach (s); the missile
// integrates on its own finer grid inside a frame (engage.Missile.Step), so the frame only
// sets how often midcourse guidance re-solves the intercept point.
const reachFrameS = 0.5

// reachSteps is the number of ranges, up to the maximum, at which a reach row flies a shot;
// between a hit and a miss it bisects reachBisection times, to 1/2⁶ of the spacing
// (0.08 % of the maximum range).
const (
	reachSteps     = 20
	reachBisection = 6
)

// reachTimeShare is the share of a missile's flight-time limit a shot at the edge of its
// reach may take (an assumption): a shot that only just reaches a stationary target before
// it destroys itself runs out of time against a real one, whose track is noisy, which turns,
// and which the missile meets from a launcher above the ground; C2 keeps a tenth of the
// flight time in hand. With all of it, a Buk-class launcher fired at drones 60 m up on the
// edge of its reach and 2 of its 11 missiles timed out (TestC2FiresWithinReach).
const reachTimeShare = 0.9

// reachHeights returns the target heights (m above ground) of a reach table's rows, those
// within the weapon's altitude envelope kept; a point between two rows must be reached at
// both. They are dense near the ground, where the air's density changes the reach most.
func reachHeights() []float64 {
	return []float64{25, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 30000}
}

// reachTable is a missile class's kinematic reach by target height: the slant ranges at
// which its flyout, launched from the ground as the engine launches it (launchDir), hits a
// stationary target at that height in time (hits), and the loft it is launched with there.
//
// The catalog's loft law (flyoutSpec.loftAt: loft_deg at the maximum range, scaled down
// linearly with the range) comes first. Where it falls short, fire control lofts the shot
// more: the full catalog loft, then halfway from it to the vertical (reachLofts). The law
// alone left the long-range missiles gaps: the 48N6 reached a target 10 km up at 140 km and
// at 220 km but not between, flying too flat through air too dense to arrive in time; fully
// lofted, it reaches it at every range (TestReachTableFindsTheEdges logs every row). A shot
// the law reaches keeps the law's loft, so the tables change nothing where it sufficed.
//
// Each loft's reach is a grid of heights (rows) by ranges (every reachSteps-th of the maximum
// range), each cell flown when first asked for, and the edge between a hit and a miss next to
// it bisected when first asked for: a study pays for the few heights and ranges its threats
// are engaged at, and a Cache keeps the table for the next replications. It implements
// c2.Reach.
type reachTable struct {
	fly     *flyoutSpec
	frame   geo.Frame
	env     engage.Env
	from    geo.Vec3  // the launcher, on the ground at the frame's origin
	north   geo.Vec3  // horizontal unit vector at from: targets are placed along it
	heights []float64 // m above ground, ascending
	step    float64   // m between the ranges of a row
	lofts   []float64 // rad, the lofts tried after the law's (reachLofts)
	grids   [][]reachRow
	// vertical[n] is the flight time of a shot straight up to verticalRange(n) (0 not flown
	// yet, −1 no hit): MeanSpeed's steep shots.
	vertical []float64
}

// reachRow is one height's cells for one loft: cell[i] says whether range i·step is reached
// (0 not yet flown, +1 reached, −1 not), edge[i] the range between cells i and i+1 where
// that changes (NaN until bisected), tof[i] the flight time of cell i's hit (NaN for a cell
// not flown yet, missed, or counted reached without a flight). near[n] is the flight time of
// a hit at nearShares[n]·step (0 not flown yet, −1 no hit): the mean speed changes most over
// the first step, where the missile is still accelerating (MeanSpeed).
type reachRow struct {
	cell []int8
	edge []float64
	tof  []float64
	near [len(nearShares)]float64
	// edgeTOF[i] is the flight time of the hit at edge[i] (NaN until bisected, or when the
	// hit side has no flight: nearer than the height). A missile is slowest at the edge of
	// its reach, which it reaches with the least energy left: the 40N6 takes 161 s to 100 km
	// 10 km up and 210 s to 108 km, near the edge of its loft law's reach.
	edgeTOF []float64
}

// nearShares are the ranges, in steps, of the flight times a row keeps inside its first step.
var nearShares = [...]float64{0.25, 0.5}

// reachLofts are the lofts fire control tries, in order, where the catalog's loft law falls
// short: the catalog's loft_deg itself, then halfway from it to the vertical (an assumption:
// a fire-control computer picks the loft that reaches; these two fill every gap of the
// catalog's long-range missiles 10 km up and above).
func reachLofts(loft float64) []float64 {
	if !(loft > 0) {
		return nil
	}
	return []float64{loft, (loft + math.Pi/2) / 2}
}

// reachKey identifies a reach table: the missile's figures and the earth it flies over.
type reachKey struct {
	spec           string // the flyout spec, printed (MissileSpec holds a slice: not comparable)
	loft, maxR     float64
	minAlt         float64
	maxAlt         float64
	radius, ground float64 // the frame's sphere and its ground height
}

// newReachTable returns the (empty) reach table of a missile with flyout fly, altitude
// envelope [minAlt, maxAlt] and range maxR, over the frame's earth with its ground.
func newReachTable(fly *flyoutSpec, frame geo.Frame, minAlt, maxAlt float64) *reachTable {
	t := &reachTable{fly: fly, frame: frame}
	t.env = engage.DefaultEnv(&t.frame)
	t.env.GroundAlt = frame.Ground()
	t.from = frame.AtAltitude(geo.Vec3{}, frame.Ground())
	t.north = geo.Vec3{Y: 1}  // the frame is east-north-up at its origin
	lo := math.Max(minAlt, 1) // a target on the ground is not a target
	t.heights = append(t.heights, lo)
	for _, h := range reachHeights() {
		if h > lo && h < maxAlt {
			t.heights = append(t.heights, h)
		}
	}
	if maxAlt > lo {
		t.heights = append(t.heights, maxAlt)
	}
	t.step = fly.maxR / reachSteps
	t.lofts = reachLofts(fly.loft)
	t.grids = make([][]reachRow, 1+len(t.lofts))
	return t
}

// Reaches reports whether the missile reaches a point at slant range r (m) from its launcher
// and height h (m above ground), with one of its lofts.
func (t *reachTable) Reaches(r, h float64) bool { return t.loftIndex(r, h) >= 0 }

// loftFor returns the loft (rad) to launch at a point at slant range r and height h: the
// catalog law's where it reaches, else the first of reachLofts that does, else the law's.
func (t *reachTable) loftFor(r, h float64) float64 {
	if k := t.loftIndex(r, h); k > 0 {
		return t.lofts[k-1]
	}
	return t.fly.loftAt(r)
}

// MeanSpeed is the missile's mean speed (m/s) over its flight to a stationary point at slant
// range r (m) and height h (m above ground), launched with the loft fire control picks there
// (loftFor): range over flight time, interpolated linearly in range and then in height
// between the table's shots at the rows that decide h — its cells, and nearShares of the
// first step, where the missile is still accelerating. Where a bracketing shot missed, the
// nearest shot of the same row that hit stands in; false when a row holds none. A steep shot
// (slant under steepRatio heights) blends that toward a shot straight up over the same
// slant (verticalSpeed). It
// implements c2.Flight: C2 plans a missile's time of flight with it. The catalog's single
// planning speed (speed_mps, the mean of a flyout to the maximum range at medium altitude)
// was 20–30 % optimistic for the 40N6 against low targets at every range and pessimistic for
// the 9M317M inside 30 km (docs/c2.md, "Times of flight").
func (t *reachTable) MeanSpeed(r, h float64) (float64, bool) {
	if !(r < steepRatio*h) {
		return t.rowsSpeed(r, h)
	}
	// A steep shot: between the rows' speed where the slant is steepRatio times the height
	// and the vertical shot over the same slant (verticalSpeed), linearly in the sine of the
	// elevation. The rows' interpolation alone was up to 35 % optimistic here: a row's
	// cells nearer than its height do not exist, so it stood in the speed of a shallower,
	// longer shot, flown farther out of the boost and with less of its thrust spent
	// against gravity (docs/c2.md, "Times of flight").
	vs, oks := t.rowsSpeed(r, r/steepRatio)
	vv, okv := t.verticalSpeed(r)
	switch {
	case oks && okv:
		w := (math.Min(h/r, 1) - 1/steepRatio) / (1 - 1/steepRatio)
		return vs + w*(vv-vs), true
	case okv:
		return vv, true
	case oks:
		return vs, true
	}
	return t.rowsSpeed(r, h)
}

// steepRatio is the slant range, in heights, nearer than which MeanSpeed counts a shot steep
// (elevation above 23.6°). Measured over the catalog's missiles (TestSteepShotsAreFlown):
// with 2 the blend's anchor itself sat where the rows are up to 9 % optimistic (the 40N6 6 km
// out, 3 km up), with 3 or 4 the blend spans too much and is up to 5 or 9 % pessimistic;
// with 2.5 every steep point is within 4.3 % (the worst next to the anchor, where the rows
// themselves are 4 % pessimistic).
const steepRatio = 2.5

// verticalFirst is the shortest climb of the vertical shots (m); the next are √2 times
// longer each, up to maxVertical nodes.
const (
	verticalFirst = 25
	maxVertical   = 28 // 25 m · √2²⁷ ≈ 290 km
)

// verticalSpeed is the mean speed (m/s) of a shot straight up over slant r (m), from the
// vertical shots at verticalFirst·√2ⁿ, flown when first asked for: interpolated as a power
// of the range between the two that bracket r (a mean speed ∝ √range while the missile is
// accelerating steadily), ∝ √r below the first, the last hit's beyond the last; false when
// none of the two bracketing shots hits.
func (t *reachTable) verticalSpeed(r float64) (float64, bool) {
	if !(r > 0) {
		return 0, false
	}
	hi := 0
	if r >= verticalFirst {
		// The first node beyond r: 2·log₂(r/verticalFirst), from the float's exponent and a
		// comparison rather than a logarithm.
		hi = min(sqrt2Index(r/verticalFirst)+1, maxVertical)
	}
	if hi == 0 {
		v, ok := t.verticalNode(0)
		return v * math.Sqrt(r/verticalFirst), ok
	}
	lo := hi - 1
	vl, okl := t.verticalNode(lo)
	vh, okh := t.verticalNode(hi)
	switch {
	case okl && okh:
		// Nodes are √2 apart: v = vl·(r/xl)^α with α = ln(vh/vl)/ln√2.
		return vl * math.Exp(math.Log(vh/vl)/(0.5*math.Ln2)*math.Log(r/verticalRange(lo))), true
	case okl:
		return vl, true
	case okh:
		return vh, true
	}
	return 0, false
}

// verticalRange is the climb (m) of vertical shot n.
func verticalRange(n int) float64 {
	x := math.Ldexp(verticalFirst, n/2)
	if n%2 == 1 {
		x *= math.Sqrt2
	}
	return x
}

// sqrt2Index returns ⌊2·log₂ x⌋ for x ≥ 1: the n with √2ⁿ ≤ x < √2ⁿ⁺¹.
func sqrt2Index(x float64) int {
	frac, exp := math.Frexp(x) // x = frac·2^exp, frac in [0.5, 1)
	n := 2 * (exp - 1)
	if frac >= math.Sqrt2/2 {
		n++
	}
	return n
}

// verticalNode is the mean speed of vertical shot n, flying it the first time (with the
// catalog's loft law: overhead, every loft launches straight up); false for a shot out of the
// table or one that does not hit in time.
func (t *reachTable) verticalNode(n int) (float64, bool) {
	if n < 0 || n >= maxVertical {
		return 0, false
	}
	if t.vertical == nil {
		t.vertical = make([]float64, maxVertical)
	}
	c := &t.vertical[n]
	x := verticalRange(n)
	if *c == 0 {
		*c = -1
		if s, ok := t.hit(0, x, x); ok && s > 0 {
			*c = s
		}
	}
	if !(*c > 0) {
		return 0, false
	}
	return x / *c, true
}

// rowsSpeed is MeanSpeed from the rows that decide height h.
func (t *reachTable) rowsSpeed(r, h float64) (float64, bool) {
	k := max(t.loftIndex(r, h), 0)
	j, both := t.rowsAt(h)
	v, ok := t.rowSpeed(k, j, r)
	if both {
		v1, ok1 := t.rowSpeed(k, j+1, r)
		switch {
		case ok && ok1:
			v += (h - t.heights[j]) / (t.heights[j+1] - t.heights[j]) * (v1 - v)
		case ok1:
			v, ok = v1, true
		}
	}
	return v, ok
}

// rowSpeed is MeanSpeed along row j of loft k. Its nodes are nearShares·step, then step,
// 2·step, … up to the maximum range (the cells but range 0); beyond the last node, the last
// node's speed.
func (t *reachTable) rowSpeed(k, j int, r float64) (float64, bool) {
	n := len(nearShares) + reachSteps
	hi := 0 // the first node beyond r
	if x := r / t.step; x >= 1 {
		hi = min(len(nearShares)+int(x), n)
	} else {
		for hi < len(nearShares) && nearShares[hi] <= x {
			hi++
		}
	}
	lo := hi - 1
	vl, okl := t.nodeSpeed(k, j, lo)
	vh, okh := t.nodeSpeed(k, j, hi)
	if hi == 0 && okh {
		// Nearer than the first node the missile is still accelerating from its launch:
		// at a constant acceleration, range ∝ time², so the mean speed ∝ √range.
		return vh * math.Sqrt(max(r, 0)/t.nodeRange(0)), true
	}
	if okl != okh && lo >= len(nearShares) && hi < n {
		// Cells on either side of an edge of the reach: interpolate between the hit side
		// and the hit at the edge, and beyond the edge (a point this loft does not reach)
		// take the edge's speed.
		il := lo - len(nearShares) + 1 // lo's cell
		if t.cellAt(k, j, il) != t.cellAt(k, j, il+1) {
			e := t.edgeAt(k, j, il)
			if te := t.row(k, j).edgeTOF[il]; te > 0 {
				ve := e / te
				xl, xh := t.nodeRange(lo), t.nodeRange(hi)
				switch {
				case okl && r < e && e > xl:
					return vl + (r-xl)/(e-xl)*(ve-vl), true
				case okh && r > e && xh > e:
					return ve + (r-e)/(xh-e)*(vh-ve), true
				}
				return ve, true
			}
		}
	}
	switch {
	case okl && okh:
		xl, xh := t.nodeRange(lo), t.nodeRange(hi)
		return vl + (r-xl)/(xh-xl)*(vh-vl), true
	case okl:
		return vl, true
	case okh:
		return vh, true
	}
	for d := 1; lo-d >= 0 || hi+d < n; d++ {
		if v, ok := t.nodeSpeed(k, j, lo-d); ok {
			return v, true
		}
		if v, ok := t.nodeSpeed(k, j, hi+d); ok {
			return v, true
		}
	}
	return 0, false
}

// nodeRange is the slant range (m) of rowSpeed's node n.
func (t *reachTable) nodeRange(n int) float64 {
	if n < len(nearShares) {
		return nearShares[n] * t.step
	}
	return float64(n-len(nearShares)+1) * t.step
}

// nodeSpeed is the mean speed of the hit at node n of row j with loft k, flying it the first
// time, and false for a node out of the row, a miss, or a cell counted reached without a
// flight (nearer than the height).
func (t *reachTable) nodeSpeed(k, j, n int) (float64, bool) {
	if n < 0 || n >= len(nearShares)+reachSteps {
		return 0, false
	}
	x := t.nodeRange(n)
	row := t.row(k, j)
	var tof float64
	if n < len(nearShares) {
		c := &row.near[n]
		if *c == 0 {
			*c = -1
			if h := t.heights[j]; x > h {
				if s, ok := t.hit(k, x, h); ok && s > 0 {
					*c = s
				}
			}
		}
		tof = *c
	} else {
		i := n - len(nearShares) + 1
		t.cellAt(k, j, i)
		tof = row.tof[i]
	}
	if !(tof > 0) {
		return 0, false
	}
	return x / tof, true
}

// loftIndex is the first loft that reaches (r, h): 0 the law, k the k-th of lofts; −1 none.
func (t *reachTable) loftIndex(r, h float64) int {
	j, both := t.rowsAt(h)
	for k := range t.grids {
		if t.reachesAt(k, j, r) && (!both || t.reachesAt(k, j+1, r)) {
			return k
		}
	}
	return -1
}

// rowsAt returns the row that decides height h: the highest at or below it (the lowest for a
// height below every row), and whether h is between that row and the next, where a point must
// be reached at both.
func (t *reachTable) rowsAt(h float64) (j int, both bool) {
	for j < len(t.heights)-1 && t.heights[j+1] <= h {
		j++
	}
	return j, j+1 < len(t.heights) && h > t.heights[j]
}

// reachedAt returns the intervals of slant range reached at height h with one of the lofts,
// ascending and disjoint: the union over the lofts of each one's spans at the row that decides
// h, intersected with the next row's where h is between two (as loftIndex decides a point).
// It flies every cell and edge of those rows (MissileReach).
func (t *reachTable) reachedAt(h float64) [][2]float64 {
	j, both := t.rowsAt(h)
	var all [][2]float64
	for k := range t.grids {
		s := t.spans(k, j)
		if both {
			s = intersectSpans(s, t.spans(k, j+1))
		}
		all = append(all, s...)
	}
	return unionSpans(all)
}

// intersectSpans returns the intersection of two ascending lists of disjoint closed intervals.
func intersectSpans(a, b [][2]float64) [][2]float64 {
	var out [][2]float64
	for i, j := 0, 0; i < len(a) && j < len(b); {
		lo, hi := math.Max(a[i][0], b[j][0]), math.Min(a[i][1], b[j][1])
		if lo <= hi {
			out = append(out, [2]float64{lo, hi})
		}
		if a[i][1] < b[j][1] {
			i++
		} else {
			j++
		}
	}
	return out
}

// unionSpans returns the union of closed intervals, ascending and disjoint (intervals that
// touch are joined).
func unionSpans(s [][2]float64) [][2]float64 {
	s = append([][2]float64(nil), s...)
	slices.SortFunc(s, func(a, b [2]float64) int { return cmp.Compare(a[0], b[0]) })
	var out [][2]float64
	for _, iv := range s {
		if n := len(out); n > 0 && iv[0] <= out[n-1][1] {
			out[n-1][1] = math.Max(out[n-1][1], iv[1])
			continue
		}
		out = append(out, iv)
	}
	return out
}

// row returns row j of loft k's grid, allocating the grid the first time.
func (t *reachTable) row(k, j int) *reachRow {
	if t.grids[k] == nil {
		g := make([]reachRow, len(t.heights))
		for j := range g {
			g[j] = reachRow{cell: make([]int8, reachSteps+1), edge: make([]float64, reachSteps),
				tof: make([]float64, reachSteps+1), edgeTOF: make([]float64, reachSteps)}
			for i := range g[j].edge {
				g[j].edge[i], g[j].edgeTOF[i] = math.NaN(), math.NaN()
			}
			for i := range g[j].tof {
				g[j].tof[i] = math.NaN()
			}
		}
		t.grids[k] = g
	}
	return &t.grids[k][j]
}

// reachesAt reports whether range r is reached at heights[j] with loft k: when the cells on
// either side of r agree, what they say; when they differ, which side of their edge r is on.
func (t *reachTable) reachesAt(k, j int, r float64) bool {
	i := int(r / t.step)
	if i >= reachSteps {
		return t.cellAt(k, j, reachSteps) && r <= t.fly.maxR
	}
	i = max(i, 0)
	a, b := t.cellAt(k, j, i), t.cellAt(k, j, i+1)
	if a == b {
		return a
	}
	e := t.edgeAt(k, j, i)
	if a {
		return r <= e
	}
	return r >= e
}

// cellAt reports whether range i·step is reached at heights[j] with loft k, flying the shot
// the first time. Range 0, and ranges nearer than the height (which do not exist), count as
// reached.
func (t *reachTable) cellAt(k, j, i int) bool {
	row := t.row(k, j)
	c := &row.cell[i]
	if *c == 0 {
		*c = -1
		r, h := float64(i)*t.step, t.heights[j]
		if r <= h {
			*c = 1
		} else if tof, ok := t.hit(k, r, h); ok {
			*c, row.tof[i] = 1, tof
		}
	}
	return *c > 0
}

// edgeAt is the edge between cells i and i+1 of row j of loft k, which differ: the last range
// reached going out from a reached cell, or the first coming in from one that is not,
// bisected the first time to 1/2^reachBisection of the step.
func (t *reachTable) edgeAt(k, j, i int) float64 {
	row := t.row(k, j)
	e := &row.edge[i]
	if math.IsNaN(*e) {
		h := t.heights[j]
		a, b := float64(i)*t.step, float64(i+1)*t.step
		aHit := t.cellAt(k, j, i)
		t.cellAt(k, j, i+1)
		ta, tb := row.tof[i], row.tof[i+1] // the flight times at a and b, NaN for none
		for n := 0; n < reachBisection; n++ {
			mid := (a + b) / 2
			tm, hit := math.NaN(), mid <= h
			if !hit {
				if s, ok := t.hit(k, mid, h); ok {
					tm, hit = s, true
				}
			}
			if hit == aHit {
				a, ta = mid, tm
			} else {
				b, tb = mid, tm
			}
		}
		*e, row.edgeTOF[i] = b, tb
		if aHit {
			*e, row.edgeTOF[i] = a, ta
		}
	}
	return *e
}

// spans returns the intervals of range reached at heights[j] with loft k, ascending and
// disjoint, flying every cell and edge (for reachedAt, the tests and the documentation's
// table).
func (t *reachTable) spans(k, j int) [][2]float64 {
	var out [][2]float64
	open := 0.0
	for i := 0; i < reachSteps; i++ {
		a, b := t.cellAt(k, j, i), t.cellAt(k, j, i+1)
		switch {
		case a && !b:
			out = append(out, [2]float64{open, t.edgeAt(k, j, i)})
		case !a && b:
			open = t.edgeAt(k, j, i)
		}
	}
	if t.cellAt(k, j, reachSteps) {
		out = append(out, [2]float64{open, t.fly.maxR})
	}
	return out
}

// hits flies one shot with loft k at a stationary target at slant range s and height h above
// the ground and reports a detonation within the warhead's spread (the Carleton σ or the lethal radius)
// within reachTimeShare of the flight-time limit.
func (t *reachTable) hits(k int, s, h float64) bool {
	_, ok := t.hit(k, s, h)
	return ok
}

// hit is hits with the hit's flight time (s).
func (t *reachTable) hit(k int, s, h float64) (float64, bool) {
	ev, err := t.shot(k, s, h)
	if err == nil && hitsWithin(t.fly, ev) && ev.FlightTime <= reachTimeShare*t.fly.spec.MaxFlightTime {
		return ev.FlightTime, true
	}
	return 0, false
}

// shot flies one shot with loft k (0 the law's) at a stationary target at slant range s and
// height h above the ground, and returns how its flyout ended.
func (t *reachTable) shot(k int, s, h float64) (engage.Event, error) {
	target := t.target(s, h)
	// NewMissile fails only on a spec flyoutFromCatalog has validated, or a zero launch
	// direction, which launchDir never returns: a shot that cannot start is no hit.
	loft := t.fly.loftAt(s)
	if k > 0 {
		loft = t.lofts[k-1]
	}
	return flyStationary(t.fly, &t.frame, t.env, t.from, target, loft)
}

// target is the point at slant range s and height h above the ground from the table's
// launcher, along its north. The central angle θ of a point at height h and slant range s
// from a launcher on the ground of a sphere of radius a = R + ground: s² = a² + b² −
// 2ab·cosθ, b = a + h.
func (t *reachTable) target(s, h float64) geo.Vec3 {
	a := t.frame.Radius() + t.frame.Ground()
	b := a + h
	cosT := math.Min(1, math.Max(-1, (a*a+b*b-s*s)/(2*a*b)))
	sinT := math.Sqrt(1 - cosT*cosT)
	centre := t.frame.Centre()
	up := t.from.Sub(centre).Unit()
	return centre.Add(up.Scale(b * cosT)).Add(t.north.Scale(b * sinT))
}

// flyStationary flies fly from `from` toward a stationary target at target, launched as the
// engine launches it with the given loft (rad), in frames of reachFrameS, and returns how the
// flyout ended.
func flyStationary(fly *flyoutSpec, frame *geo.Frame, env engage.Env, from, target geo.Vec3, loft float64) (engage.Event, error) {
	m, err := engage.NewMissile(fly.spec, env, from, launchDir(frame, from, target, loft), 0)
	if err != nil {
		return engage.Event{}, err
	}
	st := engage.TargetState{Pos: target}
	pred := engage.Linear(target, geo.Vec3{}, 0)
	for m.Time() < fly.spec.MaxFlightTime+10*reachFrameS {
		if ev := m.Step(reachFrameS, st, st, pred); ev.Kind != engage.NoEvent {
			return ev, nil
		}
	}
	return engage.Event{}, nil
}

// hitsWithin reports a detonation within the Carleton spread (or the lethal radius).
func hitsWithin(fly *flyoutSpec, ev engage.Event) bool {
	return ev.Kind == engage.Detonate && ev.Miss <= math.Max(fly.spec.Lethality.Sigma, fly.spec.Lethality.Radius)
}

// flight is the mean-speed model C2 and fire control plan weapon we's times of flight with:
// its reach table (reachOf sets it), or nil — the catalog's speed everywhere — for a gun, a
// missile without a flyout model, or under c2.time_of_flight "constant".
func (w *World) flight(we *weaponEnt) c2.Flight {
	if we.reach == nil || w.constantTOF {
		return nil
	}
	return we.reach
}

// reachOf returns the reach C2 plans weapon we with, and keeps it for the weapon's launches
// (launchMissile's loft): its table, from c when c holds one for the same missile over the
// same earth, or nil (the envelope's range at every height) for a gun or a missile without a
// flyout model.
func (w *World) reachOf(we *weaponEnt, c *Cache) c2.Reach {
	if we.gun || we.fly == nil {
		return nil
	}
	spec, ok := c.specKeys[we.spec]
	if !ok {
		spec = fmt.Sprintf("%+v", we.fly.spec)
		if len(c.specKeys) < maxCached {
			c.specKeys[we.spec] = spec
		}
	}
	k := reachKey{spec: spec, loft: we.fly.loft, maxR: we.fly.maxR,
		minAlt: we.minAlt, maxAlt: we.maxAlt, radius: w.frame.Radius(), ground: w.frame.Ground()}
	t, ok := c.reach[k]
	if !ok {
		t = newReachTable(we.fly, w.frame, we.minAlt, we.maxAlt)
		if len(c.reach) < maxCached {
			c.reach[k] = t
		}
	}
	we.reach = t
	return t
}
