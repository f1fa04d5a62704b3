package track

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/adsim/adsim/lap"
)

// Detection is one report of one sensor scan: the raw measurement Z interpreted by its own
// measurement model (a position with covariance, or a polar radar report). Tag is the
// caller's identifier, carried through untouched (the tracker never reads it).
type Detection struct {
	Z     [3]float64
	Model MeasurementModel
	Tag   int
}

// Scan is a batch of detections from one scan (or dwell) of one sensor at time T. Scans
// from several sensors must reach the tracker in time order (central fusion). Covers, if not
// nil, tells whether the sensor could have seen a target at a position; tracks outside are
// predicted but neither associated nor charged a miss. CoversAll, if not nil, is used
// instead of Covers: it answers for every track of the scan in one call (in[i] for
// pos[i]), which spares a function call per track; it must give Covers's answers.
//
// LookPd, if not nil, is the probability that the sensor detected, at this scan, a target at
// a position: 0 where it cannot see it (below its horizon, behind a mask), the range
// equation's Pd for the target the caller expects elsewhere. A tentative track that the scan
// covered but did not update is charged a miss weighted by it (Record.Missed): a look by a
// sensor that could hardly have seen the target is little evidence against it. Without it,
// every miss weighs one.
//
// ClutterAt, if not nil, is the density of the sensor's false alarms at a position (per m³,
// or m² in 2-D, per scan). It replaces TrackerConfig.ClutterDensity in the score of a
// tentative track's hits (Record.Score), so that a hit where false alarms are dense, or in
// a wide gate, is weak evidence (ScoreGate).
type Scan struct {
	T          float64
	Sensor     int
	Detections []Detection
	Covers     func(pos [3]float64) bool
	CoversAll  func(pos [][3]float64, in []bool)
	LookPd     func(pos [3]float64) float64
	ClutterAt  func(pos [3]float64) float64
}

// Status is a track's stage in its life cycle.
type Status uint8

// Track statuses.
const (
	StatusTentative Status = iota
	StatusConfirmed
)

// String is the status's name: "tentative" or "confirmed".
func (s Status) String() string {
	if s == StatusConfirmed {
		return "confirmed"
	}
	return "tentative"
}

// Record is one track of the Tracker's track file.
type Record struct {
	// ID is unique within a tracker, from 1.
	ID     int
	State  *State
	Status Status
	// Born, ConfirmedAt and LastUpdate are times (s); ConfirmedAt is NaN while tentative.
	Born, ConfirmedAt, LastUpdate float64
	// Hits counts detections used; Looks counts scans that covered the track; Misses counts
	// consecutive covered scans without a detection.
	Hits, Looks, Misses int
	// Missed is the evidence against a tentative track from its looks without a detection,
	// in misses at the configured detection probability PD: each adds
	// min(1, ln(1 − Pd)/ln(1 − PD)), Pd the look's (Scan.LookPd; PD without it), so a look
	// at PD or better counts one miss and a look that could not have seen the target none.
	// For a confirmed track (and a tentative one without LookPd) it counts every miss as one.
	Missed float64
	// History holds the last 64 looks, bit 0 the latest (1 = hit).
	History uint64
	// Score is the track's log-likelihood ratio (Blackman & Popoli 1999, §6.2): each hit adds
	// ln(Pd / (β·(2π)^(D/2)·√|S|)) − d²/2 and each miss ln(1 − Pd), β the clutter density.
	// Higher means more likely a real target; it is the track-quality figure.
	Score float64
	// Updated is true when the last scan that looked at the track updated it.
	Updated bool
	// LastSensor is the sensor of the last update.
	LastSensor int
}

// Pos returns the position estimate (axes beyond the filter's are zero).
func (r *Record) Pos(f Filter) [3]float64 {
	var p [3]float64
	for a := 0; a < f.Axes(); a++ {
		p[a] = r.State.X[f.PosIndex(a)]
	}
	return p
}

// Vel returns the velocity estimate.
func (r *Record) Vel(f Filter) [3]float64 {
	var v [3]float64
	for a := 0; a < f.Axes(); a++ {
		v[a] = r.State.X[f.VelIndex(a)]
	}
	return v
}

// Edge is a permitted track–detection pair (Row = track, Col = detection) with its cost, an
// edge of the assignment graph solved by package lap.
type Edge = lap.Edge

// Hypothesiser finds the permitted track–detection pairs (Stone Soup's Hypothesiser role,
// for all tracks at once): for each track in tracks (already predicted to the scan time),
// the detections among dets (skip[j] true excludes detection j) whose innovation passes the
// gate, as edges with cost d² + ln|S|. It also returns, per track, the cost of the
// missed-detection hypothesis in miss and whether any detection j fell in a gate (inGate).
type Hypothesiser interface {
	Hypothesise(f Filter, tracks []*Record, dets []Position, skip []bool, edges []Edge, miss []float64, inGate []bool) []Edge
}

// Associator chooses at most one detection per track and one track per detection,
// minimising the summed costs (Stone Soup's DataAssociator role).
type Associator interface {
	Associate(nTracks, nDets int, edges []Edge, miss []float64, trackToDet []int)
}

// Initiator starts a tentative track state from a detection that no track claimed.
type Initiator interface {
	Initiate(f Filter, t float64, z *Position) *State
}

// Verdict is a Confirmer's decision on a tentative track.
type Verdict uint8

// Confirmer verdicts.
const (
	Keep Verdict = iota
	Confirm
	Drop
)

// Confirmer decides, after each look, whether a tentative track is confirmed or dropped.
type Confirmer interface {
	Decide(r *Record) Verdict
}

// Deleter decides, after each look, whether a confirmed track is deleted.
type Deleter interface {
	Delete(f Filter, r *Record) bool
}

// ChiSquare999 returns the 99.9% quantile of the chi-square distribution with dof degrees of
// freedom (1 to 3), the default gate: the true detection falls outside the gate 0.1% of the
// time (Blackman & Popoli 1999, §6.3).
func ChiSquare999(dof int) float64 {
	switch dof {
	case 1:
		return 10.828
	case 2:
		return 13.816
	default:
		return 16.266
	}
}

// GridGater is the default Hypothesiser: chi-square gating on the innovation, d² ≤ Gate,
// with candidate detections found through a spatial hash of cell size near the median gate
// size, so gating costs O(tracks + detections) for evenly spread targets.
type GridGater struct {
	Gate   float64
	g      grid
	buf    []int32
	all    []int32 // 0, 1, …: every detection
	box    []float64
	widths []float64
	zs     [][3]float64 // free detections' positions and indices (gatePairs3)
	js     []int32
	// inv[k−first] is S⁻¹ of edges[k] of the last call (first: the length of the edges it
	// was given), for the Tracker's update of the chosen pairs (invUpdater).
	inv   [][3][3]float64
	first int
}

// edgeInv returns S⁻¹ of edge k of the edges the last Hypothesise returned, nil when it
// is not known.
func (h *GridGater) edgeInv(k int) *[3][3]float64 {
	if h == nil {
		return nil
	}
	if k -= h.first; k >= 0 && k < len(h.inv) {
		return &h.inv[k]
	}
	return nil
}

// posIndices returns where filter f keeps each axis's position in State.X (read once per
// scan, so the inner loops make no interface calls).
func posIndices(f Filter) (pi [3]int, na int) {
	na = f.Axes()
	for a := 0; a < na; a++ {
		pi[a] = f.PosIndex(a)
	}
	return pi, na
}

// posCov returns the position block H P Hᵀ of a state's covariance.
func posCov(s *State, pi *[3]int, na int) (c [3][3]float64) {
	n := len(s.X)
	for a := 0; a < na; a++ {
		row := s.P[pi[a]*n:]
		for b := a; b < na; b++ {
			v := row[pi[b]]
			c[a][b], c[b][a] = v, v
		}
	}
	return c
}

// Hypothesise implements Hypothesiser.
func (h *GridGater) Hypothesise(f Filter, tracks []*Record, dets []Position, skip []bool, edges []Edge, miss []float64, inGate []bool) []Edge {
	pi, na := posIndices(f)
	st := measStats(dets, na)
	return h.hypothesise(tracks, dets, skip, edges, miss, inGate, &st, &pi, na)
}

// detStats are the per-axis largest and the mean measurement covariances of a scan's
// detections (skipped ones included), which bound the gate boxes and set the miss costs.
type detStats struct {
	rmax  [3]float64
	rmean [3][3]float64
}

// measStats returns the detStats of dets over na axes. They depend on the detections alone,
// so the Tracker computes them once per scan for both of its associations.
func measStats(dets []Position, na int) (st detStats) {
	if na == 3 {
		return measStats3(dets)
	}
	nd := float64(len(dets))
	for j := range dets {
		r := &dets[j].R
		for a := 0; a < na; a++ {
			st.rmax[a] = max(st.rmax[a], r[a][a]) // the builtin is math.Max (NaN wins), inlined
			for b := 0; b < na; b++ {
				st.rmean[a][b] += r[a][b] / nd
			}
		}
	}
	return st
}

// measStats3 is measStats for three axes (the engine's case, once per scan), in scalars and
// with two savings that leave every value as it was. Only the upper triangle of the mean is
// summed, then mirrored: for three axes nothing reads its lower triangle (gatePairs3 and
// invSym3u read the upper one, and detSym, through logDetPos, too). And when the number of
// detections is a power of two (one detection, the commonest scan, included), r/n is computed
// as r·(1/n): 1/n is then exact and both are the correctly rounded value of the same real
// number, so the same double, without a division.
func measStats3(dets []Position) (st detStats) {
	var x0, x1, x2 float64
	var m00, m01, m02, m11, m12, m22 float64
	n := len(dets)
	nd := float64(n)
	if n&(n-1) == 0 {
		inv := 1 / nd
		for j := range dets {
			r := &dets[j].R
			x0, x1, x2 = max(x0, r[0][0]), max(x1, r[1][1]), max(x2, r[2][2])
			m00 += r[0][0] * inv
			m01 += r[0][1] * inv
			m02 += r[0][2] * inv
			m11 += r[1][1] * inv
			m12 += r[1][2] * inv
			m22 += r[2][2] * inv
		}
	} else {
		for j := range dets {
			r := &dets[j].R
			x0, x1, x2 = max(x0, r[0][0]), max(x1, r[1][1]), max(x2, r[2][2])
			m00 += r[0][0] / nd
			m01 += r[0][1] / nd
			m02 += r[0][2] / nd
			m11 += r[1][1] / nd
			m12 += r[1][2] / nd
			m22 += r[2][2] / nd
		}
	}
	st.rmax = [3]float64{x0, x1, x2}
	st.rmean = [3][3]float64{{m00, m01, m02}, {m01, m11, m12}, {m02, m12, m22}}
	return st
}

// hypothesise is Hypothesise with the detections' statistics and the filter's position
// indices (posIndices) given.
func (h *GridGater) hypothesise(tracks []*Record, dets []Position, skip []bool, edges []Edge, miss []float64, inGate []bool, st *detStats,
	pi *[3]int, na int) []Edge {
	h.inv, h.first = h.inv[:0], len(edges)
	if len(tracks) == 0 || len(dets) == 0 {
		for i, tr := range tracks {
			miss[i] = h.Gate + logDetPos(posCov(tr.State, pi, na), nil, na)
		}
		return edges
	}
	// Largest and mean measurement variance per axis bound the gate boxes.
	rmax, rmean := &st.rmax, &st.rmean
	// Small scans (a few detections against a few tracks) are cheaper to gate pair by pair
	// than through the spatial hash, which only pays for itself at scale.
	if na == 3 {
		if len(dets)*len(tracks) <= smallGate {
			return h.gatePairs3(tracks, dets, skip, edges, miss, inGate, pi, rmax, rmean)
		}
		return h.gateGrid3(tracks, dets, skip, edges, miss, inGate, pi, rmax, rmean)
	}
	return h.gateBoxes(tracks, dets, skip, edges, miss, inGate, pi, na, rmax, rmean)
}

// gateBoxes is Hypothesise's general path: any number of axes, and the spatial hash for
// large scans.
func (h *GridGater) gateBoxes(tracks []*Record, dets []Position, skip []bool, edges []Edge, miss []float64, inGate []bool,
	pi *[3]int, na int, rmax *[3]float64, rmean *[3][3]float64) []Edge {
	// The gate box: for S positive definite, d² = νᵀS⁻¹ν ≥ ν_a²/S_aa for every axis a (the
	// Mahalanobis distance is at least that of any marginal), and S_aa ≤ P_aa + max R_aa, so a
	// detection with ν_a² > Gate·(P_aa + max R_aa) on some axis cannot pass the gate. The box
	// is kept squared: the square roots are only needed for the spatial hash.
	h.box = resize(h.box, len(tracks)*3)
	box := h.box
	for i, tr := range tracks {
		n := len(tr.State.X)
		for a := 0; a < na; a++ {
			box[i*3+a] = h.Gate * (tr.State.P[pi[a]*n+pi[a]] + rmax[a])
		}
		miss[i] = math.NaN() // computed below for tracks that gate a detection
	}
	first := len(edges)
	brute := len(dets)*len(tracks) <= smallGate
	if !brute {
		h.index(dets, len(tracks), na)
	}
	h.all = resize(h.all, len(dets))
	for j := range h.all {
		h.all[j] = int32(j)
	}
	for i, tr := range tracks {
		x := tr.State.X
		cand := h.all
		if !brute {
			px, py := x[pi[0]], 0.0
			hx, hy := math.Sqrt(box[i*3]), math.Inf(1)
			if na > 1 {
				py, hy = x[pi[1]], math.Sqrt(box[i*3+1])
			}
			var all bool
			h.buf, all = h.g.query(px-hx, px+hx, py-hy, py+hy, h.buf[:0])
			if !all {
				cand = h.buf
			}
		}
		var xp [3]float64
		for a := 0; a < na; a++ {
			xp[a] = x[pi[a]]
		}
		var pc [3][3]float64 // H P Hᵀ, read on the first candidate in the box
		read := false
		for _, j := range cand {
			if skip != nil && skip[j] {
				continue
			}
			z := &dets[j]
			var nu [3]float64
			out := false
			for a := 0; a < na; a++ {
				nu[a] = z.Z[a] - xp[a]
				if nu[a]*nu[a] > box[i*3+a] {
					out = true
					break
				}
			}
			if out {
				continue
			}
			if !read {
				pc, read = posCov(tr.State, pi, na), true
			}
			// S = H P Hᵀ + R (Bar-Shalom, Li & Kirubarajan 2001, eq. 5.2.3-9).
			var S [3][3]float64
			for a := 0; a < na; a++ {
				for b := 0; b < na; b++ {
					S[a][b] = pc[a][b] + z.R[a][b]
				}
			}
			si, det, ok := invSym(S, na)
			if !ok {
				continue
			}
			var d2 float64
			for a := 0; a < na; a++ {
				var v float64
				for b := 0; b < na; b++ {
					v += si[a][b] * nu[b]
				}
				d2 += nu[a] * v
			}
			if d2 <= h.Gate {
				edges = append(edges, Edge{Row: int32(i), Col: j, Cost: d2 + math.Log(det)})
				h.inv = append(h.inv, si)
				if inGate != nil {
					inGate[j] = true
				}
			}
		}
	}
	// The missed-detection cost matters only where a track competes for a detection; a track
	// that gated nothing is missed whatever it costs, so its determinant is not computed.
	for k := first; k < len(edges); k++ {
		i := edges[k].Row
		if math.IsNaN(miss[i]) {
			miss[i] = h.Gate + logDetPos(posCov(tracks[i].State, pi, na), rmean, na)
		}
	}
	for i := range tracks {
		if math.IsNaN(miss[i]) {
			miss[i] = h.Gate
		}
	}
	return edges
}

// index builds the spatial hash of dets for the gate boxes h.box of nt tracks (squared
// half-widths, three a track): cells of twice the median half-width in the plane, so a
// typical box overlaps a few cells.
func (h *GridGater) index(dets []Position, nt, na int) {
	box := h.box
	widths := h.widths[:0]
	for i := 0; i < nt; i++ {
		w := box[i*3]
		if na > 1 {
			w = math.Max(w, box[i*3+1])
		}
		widths = append(widths, math.Sqrt(w))
	}
	h.widths = widths
	h.g.build(dets, 2*nthElement(widths, len(widths)/2)) // the median, as a sort would give it
}

// gateGrid3 is gateBoxes for three axes (the engine's large scans: a raid of a hundred
// drones seen by one radar): the same candidates from the spatial hash in the same order,
// the same tests and arithmetic, so the same edges, costs and miss costs to the bit
// (TestGateGrid3MatchesGeneral), but each pair through gatePairs3's kernel (S and its
// inverse in registers, only their upper triangles) and each track's miss cost computed
// once its candidates are scanned. The general path's 3×3 loops were half the time of a
// 200-drone replication.
func (h *GridGater) gateGrid3(tracks []*Record, dets []Position, skip []bool, edges []Edge, miss []float64, inGate []bool,
	pi *[3]int, rmax *[3]float64, rmean *[3][3]float64) []Edge {
	g := h.Gate
	p0, p1, p2 := pi[0], pi[1], pi[2]
	h.box = resize(h.box, len(tracks)*3)
	box := h.box
	for i, tr := range tracks {
		p := tr.State.P
		n := len(tr.State.X)
		box[i*3] = g * (p[p0*n+p0] + rmax[0])
		box[i*3+1] = g * (p[p1*n+p1] + rmax[1])
		box[i*3+2] = g * (p[p2*n+p2] + rmax[2])
	}
	h.index(dets, len(tracks), 3)
	h.all = resize(h.all, len(dets))
	for j := range h.all {
		h.all[j] = int32(j)
	}
	for i, tr := range tracks {
		x, p := tr.State.X, tr.State.P
		n := len(x)
		x0, x1, x2 := x[p0], x[p1], x[p2]
		b0, b1, b2 := box[i*3], box[i*3+1], box[i*3+2]
		cand := h.all
		var all bool
		if h.buf, all = h.g.query(x0-math.Sqrt(b0), x0+math.Sqrt(b0), x1-math.Sqrt(b1), x1+math.Sqrt(b1), h.buf[:0]); !all {
			cand = h.buf
		}
		c := [6]float64{p[p0*n+p0], p[p0*n+p1], p[p0*n+p2], p[p1*n+p1], p[p1*n+p2], p[p2*n+p2]}
		gated := false
		for _, j := range cand {
			if skip != nil && skip[j] {
				continue
			}
			// inBox's test, written out: through a shared function, even inlined,
			// gatePairs3's benchmark took 7 % longer.
			z := &dets[j].Z
			n0 := z[0] - x0
			if n0*n0 > b0 {
				continue
			}
			n1 := z[1] - x1
			if n1*n1 > b1 {
				continue
			}
			n2 := z[2] - x2
			if n2*n2 > b2 {
				continue
			}
			var ok bool
			if edges, ok = h.pair3(edges, i, j, n0, n1, n2, &c, &dets[j].R, inGate); ok {
				gated = true
			}
		}
		miss[i] = h.miss3(gated, &c, rmean)
	}
	return edges
}

// pair3 is the gate's test of one pair in a gate box, for three axes: with c the upper
// triangle of the track's H P Hᵀ, r the detection's covariance and n its innovation, it
// appends the edge and keeps S⁻¹ when d² = νᵀS⁻¹ν passes the gate, and reports whether it did.
// gatePairs3 does the same inline: through this call its benchmark (go test ./track -bench
// GatePairs3) took 13–28 % longer (307–325 ns against 367–398, alternated), and it is the
// default scenario's gate.
func (h *GridGater) pair3(edges []Edge, i int, j int32, n0, n1, n2 float64, c *[6]float64, r *[3][3]float64, inGate []bool) ([]Edge, bool) {
	// S = H P Hᵀ + R (Bar-Shalom, Li & Kirubarajan 2001, eq. 5.2.3-9).
	i00, i01, i02, i11, i12, i22, det, ok := invSym3u(c[0]+r[0][0], c[1]+r[0][1], c[2]+r[0][2], c[3]+r[1][1], c[4]+r[1][2], c[5]+r[2][2])
	if !ok {
		return edges, false
	}
	// d² = νᵀS⁻¹ν, summed in the general path's order (so bit-identical: its sums start
	// from zero, which can change only the sign of a zero d², and neither the test nor the
	// cost d² + ln|S| tells the signs of zero apart).
	v0 := i00*n0 + i01*n1 + i02*n2
	v1 := i01*n0 + i11*n1 + i12*n2
	v2 := i02*n0 + i12*n1 + i22*n2
	d2 := n0*v0 + n1*v1 + n2*v2
	if !(d2 <= h.Gate) {
		return edges, false
	}
	edges = append(edges, Edge{Row: int32(i), Col: j, Cost: d2 + math.Log(det)})
	// Stored in place, entry by entry (a composite literal is built on the stack and copied).
	h.inv = slices.Grow(h.inv, 1)
	h.inv = h.inv[:len(h.inv)+1]
	si := &h.inv[len(h.inv)-1]
	si[0][0], si[0][1], si[0][2] = i00, i01, i02
	si[1][0], si[1][1], si[1][2] = i01, i11, i12
	si[2][0], si[2][1], si[2][2] = i02, i12, i22
	if inGate != nil {
		inGate[j] = true
	}
	return edges, true
}

// miss3 is a track's missed-detection cost for three axes, c the upper triangle of its
// H P Hᵀ. It matters only where the track competes for a detection; a track that gated
// nothing is missed whatever it costs, so its determinant is not computed.
func (h *GridGater) miss3(gated bool, c *[6]float64, rmean *[3][3]float64) float64 {
	if !gated {
		return h.Gate
	}
	return h.Gate + logDet3u(c[0]+rmean[0][0], c[1]+rmean[0][1], c[2]+rmean[0][2], c[3]+rmean[1][1], c[4]+rmean[1][2], c[5]+rmean[2][2])
}

// gatePairs3 is Hypothesise's pair-by-pair gating for three axes (the engine's case, a few
// detections against a few dozen tracks): the same tests, in the same order and with the same
// arithmetic, so the same edges and costs, but with the free detections' positions packed
// once into a contiguous slice (the per-pair loop touches neither skip nor the 96-byte
// Positions until a pair passes the box), the box computed per track in registers, S and its
// inverse kept in registers too (only the upper triangles, which is all invSym reads), the
// inverse stored only for the pairs that pass, and each track's miss cost computed as soon
// as its detections are scanned (its edges are contiguous), which spares the general path's
// NaN sentinels and second pass.
func (h *GridGater) gatePairs3(tracks []*Record, dets []Position, skip []bool, edges []Edge, miss []float64, inGate []bool,
	pi *[3]int, rmax *[3]float64, rmean *[3][3]float64) []Edge {
	// The positions are copied component by component into slots sized beforehand: an
	// append of the [3]float64 went through a stack temporary written by two overlapping
	// 16-byte stores and read back by a 16-byte load, which the store buffer cannot forward
	// (a stall per detection that cost more than the rest of the packing).
	zs, js := resize(h.zs, len(dets)), resize(h.js, len(dets))
	nz := 0
	for j := range dets {
		if skip != nil && skip[j] {
			continue
		}
		d, q := &dets[j].Z, &zs[nz]
		q[0], q[1], q[2] = d[0], d[1], d[2]
		js[nz] = int32(j)
		nz++
	}
	h.zs, h.js = zs, js
	zs, js = zs[:nz], js[:nz] // js[:len(zs)] lets the compiler drop the bounds check on js[k]
	g := h.Gate
	p0, p1, p2 := pi[0], pi[1], pi[2]
	for i, tr := range tracks {
		x, p := tr.State.X, tr.State.P
		n := len(x)
		x0, x1, x2 := x[p0], x[p1], x[p2]
		// The gate box of the general path (see Hypothesise).
		b0 := g * (p[p0*n+p0] + rmax[0])
		b1 := g * (p[p1*n+p1] + rmax[1])
		b2 := g * (p[p2*n+p2] + rmax[2])
		k := inBox(zs, 0, x0, x1, x2, b0, b1, b2)
		if k == len(zs) {
			miss[i] = g // nothing in the gate: see below
			continue
		}
		// The upper triangle of H P Hᵀ (posCov), which is all that S's inverse and
		// determinant read (invSym3u).
		c00, c01, c02 := p[p0*n+p0], p[p0*n+p1], p[p0*n+p2]
		c11, c12, c22 := p[p1*n+p1], p[p1*n+p2], p[p2*n+p2]
		gated := false
		for ; k < len(zs); k = inBox(zs, k+1, x0, x1, x2, b0, b1, b2) {
			z := &zs[k]
			n0, n1, n2 := z[0]-x0, z[1]-x1, z[2]-x2
			j := js[k]
			r := &dets[j].R
			// S = H P Hᵀ + R (Bar-Shalom, Li & Kirubarajan 2001, eq. 5.2.3-9).
			i00, i01, i02, i11, i12, i22, det, ok := invSym3u(c00+r[0][0], c01+r[0][1], c02+r[0][2], c11+r[1][1], c12+r[1][2], c22+r[2][2])
			if !ok {
				continue
			}
			// d² = νᵀS⁻¹ν, summed in the general path's order (so bit-identical: its sums
			// start from zero, which can change only the sign of a zero d², and neither
			// the test nor the cost d² + ln|S| tells the signs of zero apart).
			v0 := i00*n0 + i01*n1 + i02*n2
			v1 := i01*n0 + i11*n1 + i12*n2
			v2 := i02*n0 + i12*n1 + i22*n2
			if d2 := n0*v0 + n1*v1 + n2*v2; d2 <= g {
				edges = append(edges, Edge{Row: int32(i), Col: j, Cost: d2 + math.Log(det)})
				// Stored in place, entry by entry (a composite literal is built on the stack and
				// copied).
				h.inv = slices.Grow(h.inv, 1)
				h.inv = h.inv[:len(h.inv)+1]
				si := &h.inv[len(h.inv)-1]
				si[0][0], si[0][1], si[0][2] = i00, i01, i02
				si[1][0], si[1][1], si[1][2] = i01, i11, i12
				si[2][0], si[2][1], si[2][2] = i02, i12, i22
				if inGate != nil {
					inGate[j] = true
				}
				gated = true
			}
		}
		// The missed-detection cost matters only where a track competes for a detection; a
		// track that gated nothing is missed whatever it costs, so its determinant is not
		// computed.
		if gated {
			miss[i] = g + logDet3u(c00+rmean[0][0], c01+rmean[0][1], c02+rmean[0][2], c11+rmean[1][1], c12+rmean[1][2], c22+rmean[2][2])
		} else {
			miss[i] = g
		}
	}
	return edges
}

// inBox returns the first k ≥ from whose zs[k] lies in the gate box of half-widths² b
// around x (ν_a² ≤ b_a on every axis; see Hypothesise), or len(zs). Most pairs fail the box,
// so this loop is kept apart, with everything it needs in registers.
func inBox(zs [][3]float64, from int, x0, x1, x2, b0, b1, b2 float64) int {
	for k := from; k < len(zs); k++ {
		z := &zs[k]
		n0 := z[0] - x0
		if n0*n0 > b0 {
			continue
		}
		n1 := z[1] - x1
		if n1*n1 > b1 {
			continue
		}
		n2 := z[2] - x2
		if n2*n2 > b2 {
			continue
		}
		return k
	}
	return len(zs)
}

// logDet3u is logDetPos for three axes on the upper triangle s_ab (a ≤ b) of P_pos + R,
// which is all detSym reads: ln|S|, or 0 when S is not positive definite.
func logDet3u(s00, s01, s02, s11, s12, s22 float64) float64 {
	// detSym's products in detSym's order, so the same value.
	det := s00*(s11*s22-s12*s12) + s01*(s12*s02-s01*s22) + s02*(s01*s12-s11*s02)
	if !(det > 0) || math.IsInf(det, 0) {
		return 0
	}
	return math.Log(det)
}

// smallGate is the number of track–detection pairs up to which GridGater tests every pair
// instead of building its spatial hash.
const smallGate = 512

// logDetPos is ln|P_pos + R| (R optional) for the position block P_pos of a covariance, or
// 0 when that is not positive definite.
func logDetPos(S [3][3]float64, r *[3][3]float64, na int) float64 {
	if r != nil {
		for a := 0; a < na; a++ {
			for b := 0; b < na; b++ {
				S[a][b] += r[a][b]
			}
		}
	}
	det, ok := detSym(S, na)
	if !ok {
		return 0
	}
	return math.Log(det)
}

// GNN is global nearest neighbour association: the single most likely joint assignment,
// solved exactly per gating cluster with the Jonker–Volgenant solver (Blackman & Popoli
// 1999, §6.4; Jonker & Volgenant 1987).
type GNN struct {
	s lap.Sparse
}

// Associate implements Associator.
func (g *GNN) Associate(nTracks, nDets int, edges []Edge, miss []float64, trackToDet []int) {
	g.s.Solve(nTracks, nDets, edges, miss, trackToDet)
}

// OnePoint is the one-point Initiator: position from the detection, velocity from the prior
// V0 ± SigmaV (m/s) per axis (Blackman & Popoli 1999, §3.3; Bar-Shalom, Li & Kirubarajan
// 2001, §5.5.3).
type OnePoint struct {
	V0     [3]float64
	SigmaV float64
}

// Initiate implements Initiator.
func (o OnePoint) Initiate(f Filter, t float64, z *Position) *State {
	return f.Initiate(t, z, o.V0, o.SigmaV)
}

// MofN confirms a tentative track once M of its last N looks were hits, and drops it when it
// has had N looks without that (Blackman & Popoli 1999, §6.2.1). The initiating detection
// counts as the first hit.
type MofN struct{ M, N int }

// Decide implements Confirmer.
func (c MofN) Decide(r *Record) Verdict {
	n := min(c.N, 64)
	mask := uint64(1)<<uint(n) - 1
	if n == 64 {
		mask = ^uint64(0)
	}
	if bits.OnesCount64(r.History&mask) >= c.M {
		return Confirm
	}
	if r.Looks >= c.N {
		return Drop
	}
	return Keep
}

// PdMofN is MofN for looks of unequal worth: it confirms a tentative track once it has M
// hits, and drops it once the evidence of its misses reaches N − M + 1 misses at the
// configured detection probability (Record.Missed, weighted by Scan.LookPd). With every look
// at that probability (or without LookPd) its verdicts are MofN's, at the same looks when
// M = 2 and never later otherwise: it drops a track as soon as M hits are out of reach,
// where MofN waits for the N-th look (TestPdMofNAgreesWithMofN). Its point is the many-sensor
// picture: a tentative track is covered by every radar whose coverage holds its predicted
// position, and a distant radar below whose horizon a low drone flies, or one whose Pd for a
// small target is a few per cent, would drop it with misses it could not help.
type PdMofN struct{ M, N int }

// Decide implements Confirmer.
func (c PdMofN) Decide(r *Record) Verdict {
	if r.Hits >= c.M {
		return Confirm
	}
	if r.Missed >= float64(c.N-c.M+1) {
		return Drop
	}
	return Keep
}

// ScoreGate holds a Confirmer's Confirm until the track's score (Record.Score, the
// log-likelihood ratio of its looks after the initiating detection) reaches MinScore: Wald's
// sequential probability ratio test, whose threshold ln((1 − β)/α) confirms a false track with
// probability about α and misses a true one with probability about β (Blackman & Popoli
// 1999, §6.2.2, eq. 6.17). With the sensors' own clutter densities (Scan.ClutterAt), a second
// hit that falls in the kilometres-wide gate of a tentative track not updated for seconds,
// or where false alarms are dense, does not confirm it alone; a hit close to a fresh
// prediction does.
type ScoreGate struct {
	Confirmer Confirmer
	MinScore  float64
}

// Decide implements Confirmer.
func (g ScoreGate) Decide(r *Record) Verdict {
	v := g.Confirmer.Decide(r)
	if v == Confirm && r.Score < g.MinScore {
		return Keep
	}
	return v
}

// MissDeleter deletes a confirmed track after Misses consecutive covered scans without a
// detection, or when the standard deviation of its position along any axis exceeds
// MaxPosSigma (m, 0 disables) (Blackman & Popoli 1999, §6.2.3).
type MissDeleter struct {
	Misses      int
	MaxPosSigma float64
}

// Delete implements Deleter.
func (d MissDeleter) Delete(f Filter, r *Record) bool {
	if d.Misses > 0 && r.Misses >= d.Misses {
		return true
	}
	if d.MaxPosSigma > 0 {
		n := len(r.State.X)
		for a := 0; a < f.Axes(); a++ {
			p := f.PosIndex(a)
			if r.State.P[p*n+p] > d.MaxPosSigma*d.MaxPosSigma {
				return true
			}
		}
	}
	return false
}

// TrackerConfig configures a Tracker. Zero values take the defaults given.
type TrackerConfig struct {
	// Filter estimates each track (required), e.g. NewKalman(CVModel{N: 3, Q: 1}) or
	// NewIMMCVCT(...). The tracker owns it: do not share it with another tracker.
	Filter Filter
	// Gate is the chi-square threshold on the innovation's d² (default ChiSquare999(axes)).
	Gate float64
	// ConfirmM of ConfirmN looks confirm a tentative track (default 3 of 4).
	ConfirmM, ConfirmN int
	// DeleteMisses consecutive misses delete a confirmed track (default 4).
	DeleteMisses int
	// MaxPosSigma deletes a track whose position sigma exceeds it, m (0: off).
	MaxPosSigma float64
	// SigmaV0 is the velocity prior of a new track, m/s (default 100).
	SigmaV0 float64
	// PD and ClutterDensity (false alarms per m² or m³ per scan) feed the track score only
	// (defaults 0.9 and 1e-6).
	PD, ClutterDensity float64
	// InitiateInGates lets a detection that fell in a confirmed track's gate but was not
	// assigned start a new track. Off by default: such detections are mostly clutter or
	// split returns, and starting tracks on them makes duplicate tracks.
	InitiateInGates bool
	// Admit, if not nil, decides whether a detection that no track took may start a
	// tentative track (nil: every one may), e.g. an altitude gate that keeps tracks from
	// starting on plots below the ground. It does not stop a detection from updating a track.
	Admit func(z *Position) bool
	// TentativeTimeout drops a tentative track not updated for this long (s; 0: never by
	// time). Without it a tentative track that no sensor covers any more — a false alarm at
	// the edge of one radar's coverage — lingers, since the Confirmer only decides on looks.
	TentativeTimeout float64
	// ReuseRecords lets the tracker reuse a deleted track's Record and State for a track
	// initiated from the Process call after the one that deleted it on: most tracks are
	// tentative tracks on false alarms, and their allocation, one per new track, is most of
	// what a run of the engine allocates. Set it only if no Record or State is kept past the
	// Process call that follows its deletion (ScanResult.Deleted is still valid until then).
	// It applies to the Kalman filter with the OnePoint initiator; the track file is the
	// same with or without it.
	ReuseRecords bool

	// Roles; nil takes the defaults built from the settings above (GridGater, GNN, OnePoint,
	// MofN, MissDeleter).
	Hypothesiser Hypothesiser
	Associator   Associator
	Initiator    Initiator
	Confirmer    Confirmer
	Deleter      Deleter
}

// Tracker is a multi-sensor, multi-target tracker with central fusion: one track file
// updated, in time order, by scans of any number of sensors. Each scan runs predict →
// gate (Hypothesiser) → associate (Associator; confirmed tracks first, then tentative ones on
// the remaining detections) → update → confirm/delete → initiate on the leftovers. It is
// not safe for concurrent use.
type Tracker struct {
	cfg    TrackerConfig
	recs   []*Record
	nextID int
	t      float64
	begun  bool

	// scratch
	pos     []Position
	ok      []bool
	used    []bool
	inGate  []bool
	edges   []Edge
	miss    []float64
	t2d     []int
	hitCost []float64
	hitEdge []int
	conf    []*Record
	gconf   []*Record    // covered confirmed tracks of the scan
	gtent   []*Record    // covered tentative tracks of the scan
	cpos    [][3]float64 // predicted positions of the tracks (Scan.CoversAll)
	cin     []bool       // and whether the scan covers them
	polar   polarCache
	res     ScanResult
	stats   detStats // of the scan's detections, for GridGater
	statsOK bool     // stats computed for this scan

	// gg, du and iu are the roles' fast paths, when they have them (the Hypothesiser as a
	// GridGater, the Filter as a detUpdater and an invUpdater), asserted once.
	gg *GridGater
	du detUpdater
	iu invUpdater

	// hitLLR and missLLR are the constant parts of a hit's and a miss's score increments
	// (see associate), computed once.
	hitLLR, missLLR float64

	// reuse is ReuseRecords where it applies (the Kalman filter and OnePoint); the records
	// deleted by the last Process call (retired, still readable through its result) and
	// those free for reuse (spare).
	reuse          bool
	retired, spare []*Record
}

// NewTracker returns a tracker, or an error for an invalid configuration.
func NewTracker(cfg TrackerConfig) (*Tracker, error) {
	if cfg.Filter == nil {
		return nil, errors.New("track: TrackerConfig.Filter is required")
	}
	if imm, ok := cfg.Filter.(*IMM); ok {
		if err := imm.Validate(); err != nil {
			return nil, err
		}
	}
	na := cfg.Filter.Axes()
	if na < 1 || na > 3 {
		return nil, fmt.Errorf("track: filter has %d axes, want 1 to 3", na)
	}
	if cfg.Gate == 0 {
		cfg.Gate = ChiSquare999(na)
	}
	if cfg.ConfirmM == 0 {
		cfg.ConfirmM = 3
	}
	if cfg.ConfirmN == 0 {
		cfg.ConfirmN = max(4, cfg.ConfirmM)
	}
	if cfg.DeleteMisses == 0 {
		cfg.DeleteMisses = 4
	}
	if cfg.SigmaV0 == 0 {
		cfg.SigmaV0 = 100
	}
	if cfg.PD == 0 {
		cfg.PD = 0.9
	}
	if cfg.ClutterDensity == 0 {
		cfg.ClutterDensity = 1e-6
	}
	switch {
	case !(cfg.Gate > 0) || math.IsInf(cfg.Gate, 0):
		return nil, fmt.Errorf("track: gate %v must be positive and finite", cfg.Gate)
	case cfg.ConfirmM < 1 || cfg.ConfirmN < cfg.ConfirmM || cfg.ConfirmN > 64:
		return nil, fmt.Errorf("track: M-of-N %d of %d: want 1 ≤ M ≤ N ≤ 64", cfg.ConfirmM, cfg.ConfirmN)
	case cfg.DeleteMisses < 1:
		return nil, fmt.Errorf("track: delete-misses %d must be at least 1", cfg.DeleteMisses)
	case !(cfg.SigmaV0 > 0) || math.IsInf(cfg.SigmaV0, 0):
		return nil, fmt.Errorf("track: velocity prior %v m/s must be positive", cfg.SigmaV0)
	case !(cfg.PD > 0 && cfg.PD < 1):
		return nil, fmt.Errorf("track: PD %v must be in (0, 1)", cfg.PD)
	case !(cfg.ClutterDensity > 0):
		return nil, fmt.Errorf("track: clutter density %v must be positive", cfg.ClutterDensity)
	case cfg.MaxPosSigma < 0:
		return nil, fmt.Errorf("track: MaxPosSigma %v must not be negative", cfg.MaxPosSigma)
	}
	if cfg.Hypothesiser == nil {
		cfg.Hypothesiser = &GridGater{Gate: cfg.Gate}
	}
	if cfg.Associator == nil {
		cfg.Associator = &GNN{}
	}
	if cfg.Initiator == nil {
		cfg.Initiator = OnePoint{SigmaV: cfg.SigmaV0}
	}
	if cfg.Confirmer == nil {
		cfg.Confirmer = MofN{M: cfg.ConfirmM, N: cfg.ConfirmN}
	}
	if cfg.Deleter == nil {
		cfg.Deleter = MissDeleter{Misses: cfg.DeleteMisses, MaxPosSigma: cfg.MaxPosSigma}
	}
	// A hit adds ln(Pd / (β·(2π)^(D/2)·√|S|)) − d²/2 to the score and a miss ln(1 − Pd)
	// (Blackman & Popoli 1999, §6.2); hitLLR is the part without |S| and d².
	hitLLR := math.Log(cfg.PD/cfg.ClutterDensity) - float64(na)/2*math.Log(2*math.Pi)
	_, kf := cfg.Filter.(*Kalman)
	_, op := cfg.Initiator.(OnePoint)
	t := &Tracker{cfg: cfg, hitLLR: hitLLR, missLLR: math.Log(1 - cfg.PD), reuse: cfg.ReuseRecords && kf && op}
	t.gg, _ = cfg.Hypothesiser.(*GridGater)
	t.du, _ = cfg.Filter.(detUpdater)
	t.iu, _ = cfg.Filter.(invUpdater)
	return t, nil
}

// Config returns the configuration with defaults filled in.
func (t *Tracker) Config() TrackerConfig { return t.cfg }

// Filter returns the tracker's filter (for Record.Pos and Record.Vel).
func (t *Tracker) Filter() Filter { return t.cfg.Filter }

// ScanResult says what one scan did.
type ScanResult struct {
	// TrackOf holds, per detection of the scan, the ID of the track it updated or started,
	// 0 when it was discarded (it fell in a confirmed track's gate, or its measurement was
	// invalid).
	TrackOf []int
	// Initiated, Confirmed and Deleted list the tracks that started, were confirmed, or were
	// deleted (tentative or confirmed) in this scan.
	Initiated, Confirmed, Deleted []*Record
	// Invalid counts detections whose measurement model rejected them.
	Invalid int
}

// Process runs one scan. Scans must come in non-decreasing time; an earlier scan, or a
// non-finite time, is an error and changes nothing. The result is owned by the tracker and
// valid until the next call.
func (t *Tracker) Process(s Scan) (*ScanResult, error) {
	if math.IsNaN(s.T) || math.IsInf(s.T, 0) {
		return nil, fmt.Errorf("track: scan time %v is not finite", s.T)
	}
	if t.begun && s.T < t.t {
		return nil, fmt.Errorf("track: scan at t = %g s is earlier than the previous one at %g s (out-of-sequence scans are not supported)", s.T, t.t)
	}
	t.begun, t.t = true, s.T
	if len(t.retired) > 0 {
		t.spare = append(t.spare, t.retired...)
		clear(t.retired)
		t.retired = t.retired[:0]
	}
	f := t.cfg.Filter
	res := &t.res
	res.TrackOf = resize(res.TrackOf, len(s.Detections))
	clear(res.TrackOf)
	res.Initiated, res.Confirmed, res.Deleted, res.Invalid = res.Initiated[:0], res.Confirmed[:0], res.Deleted[:0], 0
	nd := len(s.Detections)
	t.pos = slices.Grow(t.pos[:0], nd)[:nd]
	t.ok = resize(t.ok, nd)
	t.used = resize(t.used, nd)
	t.inGate = resize(t.inGate, nd)
	// A scan's detections mostly share one RangeAzEl: its angle factors are looked up in
	// the cache once per run of detections with the same model, not once per detection. The
	// entry cannot be replaced meanwhile (only a lookup replaces entries), and the model's
	// fields cannot change during the call.
	var lastM *RangeAzEl
	var lastF *polarFactors
	for j := range s.Detections {
		d := &s.Detections[j]
		t.used[j], t.inGate[j] = false, false
		var err error
		if m, ok := d.Model.(*RangeAzEl); ok && m != nil {
			if m != lastM {
				lastM, lastF = m, t.polar.factors(m)
			}
			if !m.convert(&d.Z, lastF, &t.pos[j]) {
				t.pos[j] = Position{} // as polarCache.convert leaves it
				err = errNonFinite
			}
		} else if d.Model == nil {
			err = errors.New("no model")
			t.pos[j] = Position{} // not left from an earlier scan: every position feeds the scan's detStats
		} else {
			err = t.polar.convert(d, &t.pos[j])
		}
		t.ok[j] = err == nil
		if err != nil {
			t.used[j] = true // never associate nor initiate
			res.Invalid++
		}
	}
	t.statsOK = false
	// Predict every track; collect the covered ones by status.
	// posIndices inlined: its returned array was copied twice through 16-byte moves, the
	// second reading back the first before it could be forwarded.
	var pi [3]int
	na := f.Axes()
	for a := 0; a < na; a++ {
		pi[a] = f.PosIndex(a)
	}
	confirmed, tentative := t.gconf[:0], t.gtent[:0]
	if s.CoversAll != nil {
		t.predictAll(s.T, &pi, na)
		s.CoversAll(t.cpos, t.cin)
	}
	for i, r := range t.recs {
		if s.CoversAll != nil {
			if !t.cin[i] {
				continue
			}
		} else {
			f.Predict(r.State, s.T)
			if s.Covers != nil {
				var in bool
				if x := r.State.X; na == 3 {
					// The position is built in the call's arguments rather than in a local
					// array that the call then copies: that copy's 16-byte loads cannot be
					// forwarded from the 8-byte stores just made and wait for them to retire
					// (a quarter of the loop's time on the engine's scans).
					in = s.Covers([3]float64{x[pi[0]], x[pi[1]], x[pi[2]]})
				} else {
					var p [3]float64
					for a := 0; a < na; a++ {
						p[a] = x[pi[a]]
					}
					in = s.Covers(p)
				}
				if !in {
					continue
				}
			}
		}
		if r.Status == StatusConfirmed {
			confirmed = append(confirmed, r)
		} else {
			tentative = append(tentative, r)
		}
	}
	t.associate(s, confirmed, res, true, &pi, na)
	t.associate(s, tentative, res, false, &pi, na)
	// Keep the scratch, but not the records (deleted ones must not be kept alive).
	clear(confirmed)
	clear(tentative)
	t.gconf, t.gtent = confirmed[:0], tentative[:0]
	// Life cycle.
	keep := t.recs[:0]
	for i, r := range t.recs {
		drop := false
		if r.Status == StatusTentative && t.cfg.TentativeTimeout > 0 && s.T-r.LastUpdate > t.cfg.TentativeTimeout {
			drop = true
		} else if r.Status == StatusTentative && r.Looks > 0 && r.Born != s.T {
			// First decided at a scan after the instant the track was born (a track born in
			// this scan is not in t.recs yet): the hits of other sensors at that instant give
			// it a position but no velocity, and confirming on them confirmed duplicate tracks
			// at once (docs/tracking.md, "First decision after the birth instant";
			// TestNoDecisionAtTheBirthInstant).
			switch t.cfg.Confirmer.Decide(r) {
			case Confirm:
				r.Status, r.ConfirmedAt = StatusConfirmed, s.T
				res.Confirmed = append(res.Confirmed, r)
			case Drop:
				drop = true
			}
		} else if r.Status == StatusConfirmed && t.cfg.Deleter.Delete(f, r) {
			drop = true
		}
		if drop {
			res.Deleted = append(res.Deleted, r)
			if t.reuse {
				t.retired = append(t.retired, r)
			}
			continue
		}
		// Until a track is dropped, keep is the start of t.recs: the record is in place
		// (most scans drop nothing, and a store of a pointer costs a write barrier check).
		if len(keep) != i {
			keep = append(keep, r)
		} else {
			keep = keep[:i+1]
		}
	}
	clear(t.recs[len(keep):])
	t.recs = keep
	// Initiate on the leftovers.
	for j := range s.Detections {
		if t.used[j] || (t.inGate[j] && !t.cfg.InitiateInGates) || (t.cfg.Admit != nil && !t.cfg.Admit(&t.pos[j])) {
			continue
		}
		r := t.reinitiate(s.T, &t.pos[j])
		if r == nil {
			st := t.cfg.Initiator.Initiate(f, s.T, &t.pos[j])
			if st == nil {
				continue
			}
			r = &Record{State: st}
		}
		t.nextID++
		*r = Record{ID: t.nextID, State: r.State, Born: s.T, ConfirmedAt: math.NaN(), LastUpdate: s.T,
			Hits: 1, Looks: 1, History: 1, Updated: true, LastSensor: s.Sensor}
		if t.cfg.ConfirmM <= 1 {
			r.Status, r.ConfirmedAt = StatusConfirmed, s.T
			res.Confirmed = append(res.Confirmed, r)
		}
		t.recs = append(t.recs, r)
		res.Initiated = append(res.Initiated, r)
		res.TrackOf[j] = r.ID
	}
	return res, nil
}

// predictAll predicts every track to time tt and gathers their positions (axes beyond the
// filter's zero) in t.cpos, with t.cin sized to match, for Scan.CoversAll. The Kalman
// filter's Predict is called directly rather than through the Filter interface, and not at
// all for a track already at tt (most tracks at most scans: the radars that scan at the same
// instant), where it would return at once.
func (t *Tracker) predictAll(tt float64, pi *[3]int, na int) {
	f := t.cfg.Filter
	kf, _ := f.(*Kalman)
	var cv CVModel
	cv3 := false
	if kf != nil {
		cv, cv3 = kf.Model.(CVModel)
		cv3 = cv3 && cv.N == 3
	}
	cpos := slices.Grow(t.cpos[:0], len(t.recs))[:len(t.recs)]
	for i, r := range t.recs {
		if kf != nil {
			// Kalman.Predict leaves a state at or after tt as it is: skip the call. For the
			// three-axis CV model, do what it would do without the call (predictCV3).
			if st := r.State; st.T < tt {
				if cv3 && len(st.X) == 6 && len(st.P) == 36 {
					predictCV3(cv, st, tt, tt-st.T)
				} else {
					kf.Predict(st, tt)
				}
			}
		} else {
			f.Predict(r.State, tt)
		}
		x := r.State.X
		if na == 3 {
			cpos[i] = [3]float64{x[pi[0]], x[pi[1]], x[pi[2]]}
			continue
		}
		var p [3]float64
		for a := 0; a < na; a++ {
			p[a] = x[pi[a]]
		}
		cpos[i] = p
	}
	t.cpos = cpos
	t.cin = resize(t.cin, len(cpos))
}

// reinitiate is Initiate into a spare record's State (ReuseRecords), or nil when there is no
// spare record or the roles are not the Kalman filter and OnePoint. The State is set as
// Kalman.Initiate sets a new one: zeroed, then initiateInto.
func (t *Tracker) reinitiate(tt float64, z *Position) *Record {
	if !t.reuse || len(t.spare) == 0 {
		return nil
	}
	kf, op := t.cfg.Filter.(*Kalman), t.cfg.Initiator.(OnePoint)
	r := t.spare[len(t.spare)-1]
	t.spare[len(t.spare)-1] = nil
	t.spare = t.spare[:len(t.spare)-1]
	st, n := r.State, kf.Model.Dim()
	if st == nil || len(st.X) != n || len(st.P) != n*n || st.Modes != nil {
		return nil // not a state Kalman.Initiate makes (the caller replaced it): drop it
	}
	clear(st.X)
	clear(st.P)
	st.T, st.QScale, st.Accel = tt, 0, [3]float64{}
	initiateInto(kf.Model, z, op.V0, op.SigmaV, st.X, st.P)
	return r
}

// associate gates, assigns and updates one group of tracks against the unused detections.
// pi and na are the filter's position indices (posIndices), found once per scan.
func (t *Tracker) associate(s Scan, group []*Record, res *ScanResult, markGates bool, pi *[3]int, na int) {
	if len(group) == 0 {
		return
	}
	f := t.cfg.Filter
	nd := len(s.Detections)
	t.miss = resize(t.miss, len(group))
	t.t2d = resize(t.t2d, len(group))
	var inGate []bool
	if markGates {
		inGate = t.inGate
	}
	gg := t.gg
	free := 0
	for j := 0; j < nd; j++ {
		if !t.used[j] {
			free++
		}
	}
	if free == 0 {
		// Nothing to associate: every track of the group is charged a miss.
		for i := range t.t2d {
			t.t2d[i] = -1
		}
	} else {
		if gg != nil {
			if !t.statsOK {
				t.stats, t.statsOK = measStats(t.pos[:nd], na), true
			}
			t.edges = gg.hypothesise(group, t.pos[:nd], t.used[:nd], t.edges[:0], t.miss, inGate, &t.stats, pi, na)
		} else {
			t.edges = t.cfg.Hypothesiser.Hypothesise(f, group, t.pos[:nd], t.used[:nd], t.edges[:0], t.miss, inGate)
		}
		t.cfg.Associator.Associate(len(group), nd, t.edges, t.miss, t.t2d)
	}
	// GridGater's edge costs are d² + ln|S| of the predicted state, the very terms of the
	// score: keep those of the chosen pairs rather than computing ln|S| again (NaN: none),
	// and the edges themselves, whose S⁻¹ the gate kept for the update (−1: none).
	t.hitCost = resize(t.hitCost, len(group))
	t.hitEdge = resize(t.hitEdge, len(group))
	for i := range t.hitCost {
		t.hitCost[i] = math.NaN()
		t.hitEdge[i] = -1
	}
	if gg != nil && free > 0 {
		for k, e := range t.edges {
			if t.t2d[e.Row] == int(e.Col) {
				t.hitCost[e.Row] = e.Cost
				t.hitEdge[e.Row] = k
			}
		}
	}
	// A hit adds ln(Pd / (β·(2π)^(D/2)·√|S|)) − d²/2 to the score (Blackman & Popoli 1999,
	// §6.2), written as hit − (ln|S| + d²)/2 with the constant part computed once (NewTracker).
	hit := t.hitLLR
	du, iu := t.du, t.iu
	for i, r := range group {
		j := t.t2d[i]
		r.Looks++
		r.History <<= 1
		if j >= 0 && j < nd && !t.used[j] {
			// cost = d² + ln|S| of the innovation before the update.
			var cost float64
			var ok bool
			switch {
			case !math.IsNaN(t.hitCost[i]):
				// The gate found S positive definite, so the update succeeds as Update
				// would (it inverts the same S).
				if si := gg.edgeInv(t.hitEdge[i]); iu != nil && si != nil && iu.updateInv(r.State, &t.pos[j], si) {
					ok = true
				} else {
					_, ok = f.Update(r.State, &t.pos[j])
				}
				cost = t.hitCost[i]
			case du != nil:
				// The update computes S anyway: take |S| from it.
				d2, det, uok := du.update(r.State, &t.pos[j])
				cost, ok = d2+math.Log(det), uok
			default:
				_, S := Innovation(f, r.State, &t.pos[j])
				_, det, _ := invSym(S, na)
				d2, uok := f.Update(r.State, &t.pos[j])
				cost, ok = d2+math.Log(det), uok
			}
			if ok {
				t.used[j] = true
				res.TrackOf[j] = r.ID
				r.Hits++
				r.Misses = 0
				r.History |= 1
				r.Updated = true
				r.LastUpdate = s.T
				r.LastSensor = s.Sensor
				if r.Status == StatusTentative && s.ClutterAt != nil {
					r.Score += t.localHitLLR(&s, &t.pos[j].Z, na) - cost/2
				} else {
					r.Score += hit - cost/2
				}
				continue
			}
		}
		r.Misses++
		r.Updated = false
		w := 1.0
		if s.LookPd != nil && r.Status == StatusTentative {
			w = t.missWeight(s.LookPd(r.Pos(f)))
		}
		r.Missed += w
		r.Score += w * t.missLLR
	}
}

// minClutterDensity bounds the clutter density of a hit's score below (per m³ or m² and
// scan): where a sensor makes no false alarms the score would be infinite.
const minClutterDensity = 1e-30

// localHitLLR is the constant part of a tentative track's hit at z, ln(Pd/β) − (D/2)·ln 2π,
// with the scan's own clutter density β at z (Scan.ClutterAt) and detection probability
// (Scan.LookPd; the configured PD without it, or where it gives 0: the sensor did detect
// something there).
func (t *Tracker) localHitLLR(s *Scan, z *[3]float64, na int) float64 {
	pd := t.cfg.PD
	if s.LookPd != nil {
		if p := s.LookPd(*z); p > 0 {
			pd = p
		}
	}
	beta := math.Max(s.ClutterAt(*z), minClutterDensity)
	return math.Log(pd/beta) - float64(na)/2*math.Log(2*math.Pi)
}

// missWeight is the weight of a miss on a look with detection probability pd, in misses at
// the configured PD: the log-likelihood ratio of a miss, ln(1 − pd) (Blackman & Popoli 1999,
// §6.2), over that of a miss at PD, at most one. A track's predicted position is uncertain,
// so a look by a sensor sure to see it is not taken as stronger evidence than a look at PD;
// a NaN counts one.
func (t *Tracker) missWeight(pd float64) float64 {
	if !(pd < t.cfg.PD) {
		return 1
	}
	if pd <= 0 {
		return 0
	}
	return math.Log1p(-pd) / t.missLLR
}

// Tracks returns every track (tentative and confirmed) in creation order. The slice is owned
// by the tracker and valid until the next Process.
func (t *Tracker) Tracks() []*Record { return t.recs }

// ReserveID returns an ID that no track of this tracker will have, for a track kept outside
// it that must not share an ID with the tracker's own (the engine's mixed air picture): IDs
// stay unique and ascending across both.
func (t *Tracker) ReserveID() int {
	t.nextID++
	return t.nextID
}

// Confirmed returns the confirmed tracks in creation order, in a slice owned by the tracker
// and valid until the next call.
func (t *Tracker) Confirmed() []*Record {
	t.conf = t.conf[:0]
	for _, r := range t.recs {
		if r.Status == StatusConfirmed {
			t.conf = append(t.conf, r)
		}
	}
	return t.conf
}
