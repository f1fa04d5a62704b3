package radar

import "math"

// Detector is a Model prepared for the engine's inner loop: the reference SNR and ln Pfa are
// computed once, so a detection probability costs one division and one exp. It gives the same
// Pd as Model.Pd (tested).
type Detector struct {
	// snrK = RefSNR·RefRange⁴/RefRCS, so SNR = snrK·σ/R⁴.
	snrK     float64
	lnPfa    float64
	maxRange float64
}

// Detector returns the prepared detection model of m.
func (m Model) Detector() Detector {
	r2 := m.RefRange * m.RefRange
	return Detector{snrK: m.RefSNR() * r2 * r2 / m.RefRCS, lnPfa: math.Log(m.Pfa), maxRange: m.MaxRange}
}

// Pd returns the Swerling 1 single-scan detection probability of a target of mean rcs (m²) at
// rng (m): Pfa^(1/(1+SNR)) = exp(ln Pfa/(1+SNR)) (Mahafza eq. 2.75), 0 beyond MaxRange.
func (d Detector) Pd(rng, rcs float64) float64 {
	if d.maxRange > 0 && rng > d.maxRange {
		return 0
	}
	return math.Exp(d.exponent(rng, rcs))
}

// exponent is ln Pd = ln Pfa/(1+SNR) within MaxRange; Pd and Detects share it so that they
// decide on the same number.
func (d Detector) exponent(rng, rcs float64) float64 {
	r2 := rng * rng
	return d.lnPfa / (1 + d.snrK*rcs/(r2*r2))
}

// detectsMargin covers the rounding of the bounds in Detects and of math.Exp (a few units in
// the last place of numbers ≤ 1, about 1e-15) many times over.
const detectsMargin = 1e-12

// Detects reports whether a detection draw u detects a target of mean rcs (m²) at rng (m),
// that is u < Pd(rng, rcs), with exactly the outcome of that comparison. A scan makes this
// test for every target in view, and the exp of Pd dominates it; but for x = ln Pd ≤ 0 the
// bounds (1 + x/8)⁸ ≤ eˣ (for x ≥ −8) and eˣ ≤ (1 − x/8)⁻⁸ decide most draws with three
// squarings, and only a draw within about x²/16 of Pd (or within detectsMargin of a bound)
// computes the exp.
func (d Detector) Detects(rng, rcs, u float64) bool {
	if d.maxRange > 0 && rng > d.maxRange {
		return u < 0 // Pd is 0
	}
	x := d.exponent(rng, rcs)
	if x <= 0 { // false for NaN, which goes to the exp as in Pd
		if x >= -8 {
			lo := 1 + x/8
			lo *= lo
			lo *= lo
			lo *= lo
			if u < lo-detectsMargin {
				return true
			}
		}
		hi := 1 - x/8
		hi *= hi
		hi *= hi
		hi *= hi
		if u >= 1/hi+detectsMargin {
			return false
		}
	}
	return u < math.Exp(x)
}
