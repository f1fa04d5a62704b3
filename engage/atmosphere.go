package engage

import "math"

// Atmosphere is an isothermal, exponential model of air density, ρ(h) = Rho0·exp(−h/ScaleHeight),
// with h the altitude above mean sea level in metres. The zero value is a vacuum (no drag).
//
// Source: U.S. Standard Atmosphere, 1976 (NOAA/NASA/USAF, NOAA-S/T 76-1562), Table I, which
// gives ρ = 1.2250 kg/m³ at sea level and 0.41351, 0.088910 and 0.018410 kg/m³ at 10, 20 and
// 30 km. No single scale height fits all altitudes: the sea-level pressure scale height
// R·T₀/(M·g₀) is 8.434 km, the density fit through 0 and 20 km gives 7.62 km (the default
// here, for interceptors flying below 25 km), and 7.2 km fits 0–70 km within ±20 % (used by
// the threat package for re-entry).
type Atmosphere struct {
	// Rho0 is the density at sea level, kg/m³.
	Rho0 float64
	// ScaleHeight is the density scale height H, m.
	ScaleHeight float64
}

// StandardRho0 is the U.S. Standard Atmosphere 1976 sea-level density, kg/m³.
const StandardRho0 = 1.225

// InterceptorScaleHeight is the density scale height (m) of the exponential fit through the
// U.S. Standard Atmosphere 1976 densities at 0 and 20 km: 20000/ln(1.225/0.088910).
const InterceptorScaleHeight = 7624

// StandardAtmosphere returns the exponential atmosphere with ρ₀ = 1.225 kg/m³ and
// H = InterceptorScaleHeight (U.S. Standard Atmosphere 1976 fit; see Atmosphere).
func StandardAtmosphere() Atmosphere {
	return Atmosphere{Rho0: StandardRho0, ScaleHeight: InterceptorScaleHeight}
}

// Density returns ρ(h) in kg/m³; a non-positive scale height or density gives 0 (vacuum).
func (a Atmosphere) Density(h float64) float64 {
	if !(a.Rho0 > 0) || !(a.ScaleHeight > 0) {
		return 0
	}
	return a.Rho0 * math.Exp(-h/a.ScaleHeight)
}
