package radar

import (
	"errors"
	"fmt"
	"math"
)

// Boltzmann is the Boltzmann constant k in J/K (SI 2019 exact value).
const Boltzmann = 1.380649e-23

// DB returns 10·log10(x), the decibel value of the power ratio x.
func DB(x float64) float64 { return 10 * math.Log10(x) }

// FromDB returns 10^(db/10), the power ratio of db decibels.
func FromDB(db float64) float64 { return math.Pow(10, db/10) }

// RangeEquation holds the parameters of the monostatic radar range equation
// for a single pulse (PHYSICS §2; Richards, Fundamentals of Radar Signal
// Processing, eq. 2.84):
//
//	SNR = Pt·τ·G²·λ²·σ / ((4π)³·k·Ts·L·R⁴)
//
// with the same antenna gain G on transmit and receive. The zero value is not
// usable; see Validate.
type RangeEquation struct {
	PeakPower  float64 // Pt, peak transmitted power, W
	PulseWidth float64 // τ, pulse width, s (the matched-filter bandwidth is 1/τ)
	GainDB     float64 // G, antenna gain (transmit = receive), dB
	Wavelength float64 // λ, m
	RCS        float64 // σ, target radar cross section, m²
	SystemTemp float64 // Ts, system noise temperature, K
	LossDB     float64 // L, total system losses, dB (≥ 0 for a loss)
}

// Validate reports whether the parameters are physically meaningful:
// positive finite power, pulse width, wavelength, RCS and temperature, and
// finite gain and loss.
func (r RangeEquation) Validate() error {
	var errs []error
	pos := func(name string, v float64) {
		if !(v > 0) || math.IsInf(v, 0) {
			errs = append(errs, fmt.Errorf("radar: %s must be positive and finite, got %v", name, v))
		}
	}
	fin := func(name string, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			errs = append(errs, fmt.Errorf("radar: %s must be finite, got %v", name, v))
		}
	}
	pos("PeakPower", r.PeakPower)
	pos("PulseWidth", r.PulseWidth)
	pos("Wavelength", r.Wavelength)
	pos("RCS", r.RCS)
	pos("SystemTemp", r.SystemTemp)
	fin("GainDB", r.GainDB)
	fin("LossDB", r.LossDB)
	return errors.Join(errs...)
}

// snrR4 returns SNR·R⁴, the range-independent part of the range equation.
func (r RangeEquation) snrR4() float64 {
	g := FromDB(r.GainDB)
	num := r.PeakPower * r.PulseWidth * g * g * r.Wavelength * r.Wavelength * r.RCS
	fourPi := 4 * math.Pi
	den := fourPi * fourPi * fourPi * Boltzmann * r.SystemTemp * FromDB(r.LossDB)
	return num / den
}

// SNR returns the linear single-pulse signal-to-noise ratio at range rangeM
// metres (PHYSICS §2). A non-positive range gives +Inf.
func (r RangeEquation) SNR(rangeM float64) float64 {
	if !(rangeM > 0) {
		if math.IsNaN(rangeM) {
			return math.NaN()
		}
		return math.Inf(1)
	}
	r2 := rangeM * rangeM
	return r.snrR4() / (r2 * r2)
}

// SNRdB returns SNR(rangeM) in decibels.
func (r RangeEquation) SNRdB(rangeM float64) float64 { return DB(r.SNR(rangeM)) }

// MaxRange returns the range in metres at which the SNR equals snrDB
// decibels: R = (Pt·τ·G²·λ²·σ / ((4π)³·k·Ts·L·SNR))^(1/4) (PHYSICS §2, the
// MATLAB radareqrng form). It follows R ∝ σ^(1/4).
func (r RangeEquation) MaxRange(snrDB float64) float64 {
	return math.Sqrt(math.Sqrt(r.snrR4() / FromDB(snrDB)))
}
