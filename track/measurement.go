package track

import (
	"errors"
	"math"
)

// MeasurementModel says how a detection's raw measurement relates to the target's position;
// every detection carries its own, which is how several sensors of different kinds and
// accuracies feed one tracker. Cartesian reduces the raw measurement z to a position
// measurement in the tracking frame.
//
// Why converted measurements for radar (range, azimuth, elevation) rather than an EKF or a
// UKF: once every detection is a Cartesian position with its covariance, the filters stay
// linear, gating and association run in one Cartesian space for all sensors (which is what
// lets a spatial grid find candidate pairs without scoring every track against every
// detection), and the conversion is done once per detection instead of once per candidate
// pair. The classical conversion is biased when r·σθ²/σr is not small (Bar-Shalom, Li &
// Kirubarajan 2001, §10.4.3 give r·σθ²/σr < 0.4 as the limit); the unbiased converted
// measurement of Mo, Song, Zhou, Sun & Bar-Shalom (IEEE TAES 34(3), 1998) removes the bias
// multiplicatively and gives a consistent covariance, so it is used here (2-D and 3-D; the
// 3-D moments follow the same derivation with independent azimuth and elevation errors).
type MeasurementModel interface {
	Cartesian(z [3]float64) (Position, error)
}

// PositionModel is a direct position measurement (z = position + noise, noise covariance R),
// e.g. the `linear` sensor of the benchmark format, or a radar report already converted.
type PositionModel struct {
	R [3][3]float64
}

// Cartesian implements MeasurementModel.
func (m *PositionModel) Cartesian(z [3]float64) (Position, error) {
	for _, v := range z {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Position{}, errNonFinite
		}
	}
	return Position{Z: z, R: m.R}, nil
}

var errNonFinite = errors.New("track: non-finite measurement")

// RangeBearing is a 2-D polar sensor at Origin: z = [range (m), bearing (rad, atan2(dy, dx)
// from the +x axis), 0] with independent Gaussian errors of standard deviations SigmaRange
// and SigmaBearing. Cartesian returns the unbiased converted measurement.
type RangeBearing struct {
	Origin       [2]float64
	SigmaRange   float64
	SigmaBearing float64
}

// Cartesian implements MeasurementModel.
func (m *RangeBearing) Cartesian(z [3]float64) (Position, error) {
	r, b := z[0], z[1]
	if math.IsNaN(r) || math.IsInf(r, 0) || math.IsNaN(b) || math.IsInf(b, 0) || r < 0 {
		return Position{}, errNonFinite
	}
	var p [3]float64
	var c [3][3]float64
	unbiasedPolar(r, b, 0, m.SigmaRange, angleFactor(m.SigmaBearing), 1, false, &p, &c)
	p[0] += m.Origin[0]
	p[1] += m.Origin[1]
	return Position{Z: p, R: c}, nil
}

// RangeAzEl is a 3-D radar at Origin with local east, north and up unit vectors (expressed
// in the tracking frame): z = [range (m), azimuth (rad, clockwise from north),
// elevation (rad above the local horizontal)], the convention of package radar, with
// independent Gaussian errors. Cartesian returns the unbiased converted measurement rotated
// into the tracking frame (R' = B R Bᵀ, B's columns east, north, up).
type RangeAzEl struct {
	Origin                       [3]float64
	East, North, Up              [3]float64
	SigmaRange, SigmaAz, SigmaEl float64
}

// NewRangeAzEl returns a radar model whose local axes are the tracking frame's (x east,
// y north, z up).
func NewRangeAzEl(origin [3]float64, sigmaRange, sigmaAz, sigmaEl float64) *RangeAzEl {
	return &RangeAzEl{Origin: origin, East: [3]float64{1, 0, 0}, North: [3]float64{0, 1, 0}, Up: [3]float64{0, 0, 1},
		SigmaRange: sigmaRange, SigmaAz: sigmaAz, SigmaEl: sigmaEl}
}

// Cartesian implements MeasurementModel.
func (m *RangeAzEl) Cartesian(z [3]float64) (Position, error) {
	return m.cartesian(z, angleFactor(m.SigmaAz), angleFactor(m.SigmaEl))
}

// cartesian is Cartesian with the angle factors λaz = exp(−σaz²/2) and λel = exp(−σel²/2)
// given: they depend on the model alone, so the tracker computes them once per model
// (polarCache) instead of twice per detection.
func (m *RangeAzEl) cartesian(z [3]float64, lAz, lEl float64) (Position, error) {
	var out Position
	if !m.convert(&z, newPolarFactors(m, lAz, lEl), &out) {
		return Position{}, errNonFinite
	}
	return out, nil
}

// convert is cartesian writing into out (the tracker converts every detection of every
// scan, so the 96-byte Position is neither copied through return values nor zeroed twice); it
// reports false, leaving out unspecified, for a non-finite measurement or a negative range.
//
// It is unbiasedPolar in 3-D followed by the rotation into the tracking frame, written out
// in scalars with the model's constant factors (λ⁴ of each angle, λaz·λel) taken from pf:
// the loops over small arrays, the zeroed 3×3 temporaries and the two-dimensional branches
// cost as much as the arithmetic on every detection of every scan. Every value is computed
// by the same operations on the same operands, in the same order, as unbiasedPolar and the
// rotation loops, so the results are the same to the bit (TestRangeAzElConvertMatchesLoops).
func (m *RangeAzEl) convert(z *[3]float64, pf *polarFactors, out *Position) bool {
	r, az, el := z[0], z[1], z[2]
	// v − v is 0 for finite v and NaN for NaN and ±Inf: one test per component.
	if !(r-r == 0 && az-az == 0 && el-el == 0) || r < 0 {
		return false
	}
	// Azimuth clockwise from north is the mathematical angle π/2 − az from east; the error
	// distribution is symmetric, so the moments are unchanged.
	lt, lp := pf.lAz, pf.lEl
	st, ct := math.Sincos(math.Pi/2 - az)
	sp, cp := math.Sincos(el)
	// Conditional moments (unbiasedPolar).
	eCt, eSt := lt*ct, lt*st
	l4t := pf.l4Az
	c2t := 2*ct*ct - 1
	eCt2, eSt2, eCSt := (1+l4t*c2t)/2, (1-l4t*c2t)/2, l4t*st*ct
	l4p := pf.l4El
	eCp, eSp := lp*cp, lp*sp
	c2p := 2*cp*cp - 1
	eCp2, eSp2, eCSp := (1+l4p*c2p)/2, (1-l4p*c2p)/2, l4p*sp*cp
	sr := m.SigmaRange
	r2 := r*r + sr*sr
	ep0, ep1, ep2 := r*eCp*eCt, r*eCp*eSt, r*eSp
	ltp := pf.lAzEl
	l0, l1, l2 := r*cp*ct/ltp, r*cp*st/ltp, r*sp/lp
	d0, d1, d2 := l0-ep0, l1-ep1, l2-ep2
	c00 := r2*eCp2*eCt2 - ep0*ep0 + d0*d0
	c01 := r2*eCp2*eCSt - ep0*ep1 + d0*d1
	c02 := r2*eCSp*eCt - ep0*ep2 + d0*d2
	c11 := r2*eCp2*eSt2 - ep1*ep1 + d1*d1
	c12 := r2*eCSp*eSt - ep1*ep2 + d1*d2
	c22 := r2*eSp2 - ep2*ep2 + d2*d2
	// Rotation into the tracking frame by B = [East North Up] (columns): z = Origin + B loc,
	// R = B C Bᵀ. Row i of B is (East[i], North[i], Up[i]); C is symmetric.
	e, n, u := &m.East, &m.North, &m.Up
	e0, e1, e2 := e[0], e[1], e[2]
	n0, n1, n2 := n[0], n[1], n[2]
	u0, u1, u2 := u[0], u[1], u[2]
	o := &m.Origin
	out.Z[0] = o[0] + e0*l0 + n0*l1 + u0*l2
	out.Z[1] = o[1] + e1*l0 + n1*l1 + u1*l2
	out.Z[2] = o[2] + e2*l0 + n2*l1 + u2*l2
	// bc = B C, row by row, then the upper triangle of (B C) Bᵀ, mirrored (it is symmetric).
	b00, b01, b02 := e0*c00+n0*c01+u0*c02, e0*c01+n0*c11+u0*c12, e0*c02+n0*c12+u0*c22
	b10, b11, b12 := e1*c00+n1*c01+u1*c02, e1*c01+n1*c11+u1*c12, e1*c02+n1*c12+u1*c22
	b20, b21, b22 := e2*c00+n2*c01+u2*c02, e2*c01+n2*c11+u2*c12, e2*c02+n2*c12+u2*c22
	R := &out.R
	R[0][0] = b00*e0 + b01*n0 + b02*u0
	v := b00*e1 + b01*n1 + b02*u1
	R[0][1], R[1][0] = v, v
	v = b00*e2 + b01*n2 + b02*u2
	R[0][2], R[2][0] = v, v
	R[1][1] = b10*e1 + b11*n1 + b12*u1
	v = b10*e2 + b11*n2 + b12*u2
	R[1][2], R[2][1] = v, v
	R[2][2] = b20*e2 + b21*n2 + b22*u2
	return true
}

// angleFactor is λ = exp(−σ²/2) = E[cos w] for an angle error w ~ N(0, σ²) (Mo et al.
// 1998), the factor by which the classical polar-to-Cartesian conversion is biased.
func angleFactor(sigma float64) float64 { return math.Exp(-sigma * sigma / 2) }

// polarCache holds the angle factors of the last few RangeAzEl models seen, keyed by the
// model and its standard deviations (so a model whose fields change is recomputed).
// Detections of one scan share one model, and the engine's radars scan in turn, so a handful
// of entries saves two exponentials per detection and per scan. It lives in the Tracker, not
// in the model, because a model may be shared by trackers on several goroutines.
type polarCache struct {
	e    [polarEntries]polarFactors
	last int // entry of the latest hit, tried first
	next int // entry replaced next (round robin)
}

// polarEntries is the number of models polarCache remembers.
const polarEntries = 8

// polarFactors are one model's angle factors and the products of them that the conversion
// uses (RangeAzEl.convert), which depend on the model alone.
type polarFactors struct {
	m          *RangeAzEl
	sAz, sEl   float64
	lAz, lEl   float64
	l4Az, l4El float64 // λ⁴, as unbiasedPolar computes it (λ·λ·λ·λ)
	lAzEl      float64 // λaz·λel
}

// newPolarFactors returns the factors of m for angle factors lAz and lEl.
func newPolarFactors(m *RangeAzEl, lAz, lEl float64) *polarFactors {
	return &polarFactors{m: m, sAz: m.SigmaAz, sEl: m.SigmaEl, lAz: lAz, lEl: lEl,
		l4Az: lAz * lAz * lAz * lAz, l4El: lEl * lEl * lEl * lEl, lAzEl: lAz * lEl}
}

// factors returns m's angle factors, from the cache when it holds them.
func (c *polarCache) factors(m *RangeAzEl) *polarFactors {
	if e := &c.e[c.last]; e.m == m && e.sAz == m.SigmaAz && e.sEl == m.SigmaEl {
		return e
	}
	for i := range c.e {
		if e := &c.e[i]; e.m == m && e.sAz == m.SigmaAz && e.sEl == m.SigmaEl {
			c.last = i
			return e
		}
	}
	i := c.next
	c.next = (i + 1) % polarEntries
	c.e[i] = *newPolarFactors(m, angleFactor(m.SigmaAz), angleFactor(m.SigmaEl))
	c.last = i
	return &c.e[i]
}

// cartesian converts a detection's measurement, through the cache for a RangeAzEl.
func (c *polarCache) cartesian(d *Detection) (Position, error) {
	var p Position
	err := c.convert(d, &p)
	return p, err
}

// convert is cartesian writing into p.
func (c *polarCache) convert(d *Detection, p *Position) error {
	m, ok := d.Model.(*RangeAzEl)
	if !ok {
		var err error
		*p, err = d.Model.Cartesian(d.Z)
		return err
	}
	if !m.convert(&d.Z, c.factors(m), p) {
		*p = Position{} // as Cartesian returns on error
		return errNonFinite
	}
	return nil
}

// unbiasedPolar converts a polar measurement (r, θ from +x toward +y, φ elevation) to the
// unbiased converted position and its covariance given the measurement (Mo et al. 1998).
// lt and lp are the angle factors λ of θ and φ (angleFactor; lp is unused in 2-D).
// With angle errors w ~ N(0, σ²), E[cos(a−w)] = λ cos a with λ = exp(−σ²/2), and
// E[cos²(a−w)] = (1 + λ⁴ cos 2a)/2. The converted position divides the classical one by λθλφ
// (λφ for z); its covariance is E[p pᵀ] − E[p]E[p]ᵀ + (z_u − E[p])(z_u − E[p])ᵀ, where p is
// the true position seen as random given the measurement. In 2-D this reduces to Mo et
// al.'s equations, e.g. R11 = (λ⁻² − 2) r² cos²θ + ½(r² + σr²)(1 + λ⁴ cos 2θ). The position
// is written to zu and the covariance to c, whose entries beyond the axes are left as they
// were (zero for a fresh array); outputs by pointer spare copying 96 bytes per detection.
func unbiasedPolar(r, th, ph, sr, lt, lp float64, threeD bool, zu *[3]float64, c *[3][3]float64) {
	if !threeD {
		lp = 1
	}
	st, ct := math.Sincos(th)
	sp, cp := math.Sincos(ph)
	// Conditional moments of the true angles' functions given the measured ones.
	eCt, eSt := lt*ct, lt*st
	l4t := lt * lt * lt * lt
	eCt2, eSt2, eCSt := (1+l4t*(2*ct*ct-1))/2, (1-l4t*(2*ct*ct-1))/2, l4t*st*ct
	eCp, eSp, eCp2, eSp2, eCSp := 1.0, 0.0, 1.0, 0.0, 0.0
	if threeD {
		l4p := lp * lp * lp * lp
		eCp, eSp = lp*cp, lp*sp
		eCp2, eSp2, eCSp = (1+l4p*(2*cp*cp-1))/2, (1-l4p*(2*cp*cp-1))/2, l4p*sp*cp
	}
	r2 := r*r + sr*sr
	// E[p] and E[p pᵀ].
	ep := [3]float64{r * eCp * eCt, r * eCp * eSt, r * eSp}
	epp := [3][3]float64{
		{r2 * eCp2 * eCt2, r2 * eCp2 * eCSt, r2 * eCSp * eCt},
		{0, r2 * eCp2 * eSt2, r2 * eCSp * eSt},
		{0, 0, r2 * eSp2},
	}
	*zu = [3]float64{r * cp * ct / (lt * lp), r * cp * st / (lt * lp), r * sp / lp}
	if !threeD {
		zu[2], ep[2] = 0, 0
	}
	na := 2
	if threeD {
		na = 3
	}
	for i := 0; i < na; i++ {
		for j := i; j < na; j++ {
			v := epp[i][j] - ep[i]*ep[j] + (zu[i]-ep[i])*(zu[j]-ep[j])
			c[i][j], c[j][i] = v, v
		}
	}
}
