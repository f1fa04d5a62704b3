package engage

import "math"

// Lethality is a warhead's kill probability as a function of the miss distance at
// detonation. Two models are provided:
//
//   - Carleton damage function (Sigma > 0): Pk(r) = Pk0·exp(−r²/(2σ²)). The Carleton
//     function is the standard weaponeering damage function (M. R. Driels, Weaponeering:
//     Conventional Weapon System Effectiveness, AIAA, 2nd ed. 2013, ch. on damage functions),
//     there written D(x, y) = D₀·exp(−x²/WR_x² − y²/WR_y²) with weapon radii WR; the
//     circular form here has WR = √2·σ and lethal area ∫Pk dA = 2πσ²·Pk0 = π·WR²·Pk0.
//   - Cookie cutter (Sigma == 0): Pk(r) = Pk0 for r ≤ Radius, 0 beyond (Driels, ibid.;
//     Pk0 plays the role of warhead and fuze reliability).
//
// Pk0 is clamped to [0, 1]. The zero Lethality never kills.
type Lethality struct {
	// Pk0 is the kill probability at zero miss (reliability × peak lethality).
	Pk0 float64
	// Sigma is the Carleton spread σ, m; 0 selects the cookie cutter.
	Sigma float64
	// Radius is the cookie-cutter lethal radius, m.
	Radius float64
}

// Carleton returns the Carleton damage function with peak pk0 and spread sigma (m).
func Carleton(pk0, sigma float64) Lethality { return Lethality{Pk0: pk0, Sigma: sigma} }

// CookieCutter returns the cookie-cutter lethality: pk0 (reliability) inside radius (m).
func CookieCutter(radius, pk0 float64) Lethality { return Lethality{Pk0: pk0, Radius: radius} }

// Pk returns the kill probability at miss distance r (m). NaN or negative r gives 0 / Pk0
// respectively as if r were +Inf / 0.
func (l Lethality) Pk(r float64) float64 {
	p0 := math.Min(math.Max(l.Pk0, 0), 1)
	if !(p0 > 0) || math.IsNaN(r) {
		return 0
	}
	if r < 0 {
		r = 0
	}
	if l.Sigma > 0 {
		return p0 * math.Exp(-r*r/(2*l.Sigma*l.Sigma))
	}
	if r <= l.Radius {
		return p0
	}
	return 0
}

// LethalRadius returns the miss distance (m) at which Pk falls to frac·Pk0 (0 < frac < 1):
// σ·√(−2 ln frac) for the Carleton function, Radius for the cookie cutter.
func (l Lethality) LethalRadius(frac float64) float64 {
	if l.Sigma > 0 {
		if !(frac > 0 && frac < 1) {
			return 0
		}
		return l.Sigma * math.Sqrt(-2*math.Log(frac))
	}
	return l.Radius
}
