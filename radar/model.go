package radar

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// DefaultRefPd and DefaultPfa are the reference detection probability and
// false-alarm probability that NewModel uses.
const (
	DefaultRefPd = 0.9
	DefaultPfa   = 1e-6
)

// Model is a surveillance or fire-control radar at first fidelity. Its SNR is
// scaled from a reference detection range for a reference RCS with
// SNR ∝ σ/R⁴ (PHYSICS §2), and targets fluctuate scan to scan as Swerling 1
// (PHYSICS §3). A Model is a plain value: it holds no state, allocates
// nothing and is safe for concurrent use.
type Model struct {
	RefRange float64 // m: range at which a target of RefRCS is detected with probability RefPd
	RefRCS   float64 // m²: reference radar cross section
	RefPd    float64 // detection probability at RefRange (NewModel uses 0.9)
	Pfa      float64 // false-alarm probability per resolution cell (NewModel uses 1e-6)
	MaxRange float64 // m: instrumented range, beyond which Pd is 0 (0 = none)

	MinElevation, MaxElevation float64 // rad: elevation coverage, checked by Covers

	SigmaRange     float64 // m: 1-σ range measurement noise
	SigmaAzimuth   float64 // rad: 1-σ azimuth measurement noise
	SigmaElevation float64 // rad: 1-σ elevation measurement noise
}

// NewModel returns a Model detecting a target of refRCS m² at refRange m
// with probability DefaultRefPd (0.9) at DefaultPfa (1e-6), with no
// instrumented-range limit, elevation coverage [-π/2, π/2] and no
// measurement noise.
func NewModel(refRange, refRCS float64) Model {
	return Model{
		RefRange: refRange, RefRCS: refRCS,
		RefPd: DefaultRefPd, Pfa: DefaultPfa,
		MinElevation: -math.Pi / 2, MaxElevation: math.Pi / 2,
	}
}

// Validate reports every field that is out of its domain: RefRange and
// RefRCS positive and finite; 0 < Pfa < RefPd < 1; MaxRange ≥ 0 and finite;
// elevations finite with MinElevation ≤ MaxElevation; sigmas ≥ 0 and finite.
func (m Model) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("radar: "+format, args...))
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	if !(m.RefRange > 0) || !finite(m.RefRange) {
		bad("RefRange must be positive and finite, got %v", m.RefRange)
	}
	if !(m.RefRCS > 0) || !finite(m.RefRCS) {
		bad("RefRCS must be positive and finite, got %v", m.RefRCS)
	}
	if !(m.Pfa > 0 && m.Pfa < 1) {
		bad("Pfa must be in (0, 1), got %v", m.Pfa)
	}
	if !(m.RefPd > 0 && m.RefPd < 1) {
		bad("RefPd must be in (0, 1), got %v", m.RefPd)
	} else if !(m.RefPd > m.Pfa) {
		bad("RefPd (%v) must exceed Pfa (%v)", m.RefPd, m.Pfa)
	}
	if !(m.MaxRange >= 0) || !finite(m.MaxRange) {
		bad("MaxRange must be ≥ 0 and finite (0 = no limit), got %v", m.MaxRange)
	}
	if !finite(m.MinElevation) || !finite(m.MaxElevation) || m.MinElevation > m.MaxElevation {
		bad("elevation coverage [%v, %v] rad must be finite with Min ≤ Max", m.MinElevation, m.MaxElevation)
	}
	for _, s := range []struct {
		name string
		v    float64
	}{{"SigmaRange", m.SigmaRange}, {"SigmaAzimuth", m.SigmaAzimuth}, {"SigmaElevation", m.SigmaElevation}} {
		if !(s.v >= 0) || !finite(s.v) {
			bad("%s must be ≥ 0 and finite, got %v", s.name, s.v)
		}
	}
	return errors.Join(errs...)
}

// RefSNR returns the mean linear SNR at RefRange for RefRCS:
// RequiredSNRSwerling1(RefPd, Pfa) (PHYSICS §3; 130.13, i.e. 21.1436 dB, for
// the defaults 0.9 and 1e-6).
func (m Model) RefSNR() float64 { return RequiredSNRSwerling1(m.RefPd, m.Pfa) }

// SNR returns the mean linear SNR of a target of rcs m² at rng m:
// RefSNR·(rcs/RefRCS)·(RefRange/rng)⁴ (PHYSICS §2, SNR ∝ σ/R⁴). A
// non-positive range gives +Inf and a non-positive rcs gives 0.
func (m Model) SNR(rng, rcs float64) float64 {
	if !(rcs > 0) {
		if math.IsNaN(rcs) {
			return math.NaN()
		}
		return 0
	}
	if !(rng > 0) {
		if math.IsNaN(rng) {
			return math.NaN()
		}
		return math.Inf(1)
	}
	q := m.RefRange / rng
	q *= q
	return m.RefSNR() * (rcs / m.RefRCS) * q * q
}

// Pd returns the single-scan detection probability of a Swerling 1 target
// of mean rcs m² at rng m: PdSwerling1(SNR(rng, rcs), Pfa) (PHYSICS §3), so
// Pd(RefRange, RefRCS) = RefPd. It is 0 beyond MaxRange (when MaxRange > 0)
// and Pfa for a non-positive rcs. It does not apply elevation limits or line
// of sight: see Covers and package geo.
func (m Model) Pd(rng, rcs float64) float64 {
	if m.MaxRange > 0 && rng > m.MaxRange {
		return 0
	}
	return PdSwerling1(m.SNR(rng, rcs), m.Pfa)
}

// Measurement is a polar measurement from the sensor: range (m), azimuth
// (rad, clockwise from north, [0, 2π)) and elevation (rad above the local
// horizontal).
type Measurement struct{ Range, Azimuth, Elevation float64 }

// Covers reports whether a target at the true polar position z lies in the
// radar's coverage: range within MaxRange (when MaxRange > 0) and elevation
// within [MinElevation, MaxElevation].
func (m Model) Covers(z Measurement) bool {
	if m.MaxRange > 0 && z.Range > m.MaxRange {
		return false
	}
	return z.Elevation >= m.MinElevation && z.Elevation <= m.MaxElevation
}

// Measure returns truth plus independent zero-mean Gaussian noise with
// standard deviations SigmaRange, SigmaAzimuth and SigmaElevation, drawn
// from rng (math/rand/v2; the caller owns the stream, so each sensor can have
// its own). The azimuth is wrapped to [0, 2π) and a noisy range below 0 is
// clamped to 0. A nil rng returns truth unchanged.
func (m Model) Measure(truth Measurement, rng *rand.Rand) Measurement {
	if rng == nil {
		return truth
	}
	z := Measurement{
		Range:     truth.Range + m.SigmaRange*rng.NormFloat64(),
		Azimuth:   truth.Azimuth + m.SigmaAzimuth*rng.NormFloat64(),
		Elevation: truth.Elevation + m.SigmaElevation*rng.NormFloat64(),
	}
	if z.Range < 0 {
		z.Range = 0
	}
	// math.Mod returns x itself for 0 ≤ x < 2π (−0 included), the usual case: a radar
	// measures every detection, so the call is skipped there (wrapAzimuth gives the same
	// result either way; TestWrapAzimuthShortcut).
	z.Azimuth = wrapAzimuth(z.Azimuth)
	return z
}

// wrapAzimuth is Measure's reduction of an azimuth to [0, 2π).
func wrapAzimuth(az float64) float64 {
	if !(az >= 0 && az < 2*math.Pi) {
		az = wrapAzimuthMod(az)
	}
	return az
}

// wrapAzimuthMod is wrapAzimuth without the shortcut: math.Mod, then into [0, 2π).
func wrapAzimuthMod(az float64) float64 {
	az = math.Mod(az, 2*math.Pi)
	if az < 0 {
		az += 2 * math.Pi
	}
	if az >= 2*math.Pi {
		az = 0
	}
	return az
}

// Cartesian converts a polar measurement to local east-north-up offsets from
// the sensor, x = r·cosE·sinA (east), y = r·cosE·cosA (north),
// zUp = r·sinE, and returns the first-order covariance of that converted
// measurement, cov = J·diag(σr², σA², σE²)·Jᵀ with J = ∂(x, y, z)/∂(r, A, E)
// evaluated at the measurement (the standard linearised, first-order
// conversion of polar measurements used by Cartesian Kalman filters, as in
// Bar-Shalom, Li and Kirubarajan, Estimation with Applications to Tracking
// and Navigation, 2001). It is accurate while the conversion bias r·σ_angle²/2
// is small against the cross-range sigma r·σ_angle, i.e. for angle sigmas of
// a few tens of milliradians or less.
func (m Model) Cartesian(z Measurement) (x, y, zUp float64, cov [3][3]float64) {
	sa, ca := math.Sincos(z.Azimuth)
	se, ce := math.Sincos(z.Elevation)
	r := z.Range
	x, y, zUp = r*ce*sa, r*ce*ca, r*se
	j := [3][3]float64{
		{ce * sa, r * ce * ca, -r * se * sa},
		{ce * ca, -r * ce * sa, -r * se * ca},
		{se, 0, r * ce},
	}
	v := [3]float64{m.SigmaRange * m.SigmaRange, m.SigmaAzimuth * m.SigmaAzimuth, m.SigmaElevation * m.SigmaElevation}
	for i := 0; i < 3; i++ {
		for k := i; k < 3; k++ {
			s := 0.0
			for l := 0; l < 3; l++ {
				s += j[i][l] * v[l] * j[k][l]
			}
			cov[i][k], cov[k][i] = s, s
		}
	}
	return x, y, zUp, cov
}
