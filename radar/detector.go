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
	r2 := rng * rng
	return math.Exp(d.lnPfa / (1 + d.snrK*rcs/(r2*r2)))
}
