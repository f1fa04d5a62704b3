package track

import "math"

// truncCutoff is how far inside the half-space, in standard deviations, a mean must lie for
// TruncatedMean to leave it as it is: the shift there, σ·φ(8)/Φ(8), is 5·10⁻¹⁵ σ, under the
// rounding of any coordinate the engine keeps (σ of metres, positions of kilometres).
const truncCutoff = 8.0

// TruncatedMean writes to out (len(x)) the mean of the Gaussian N(x, P) truncated to the
// half-space Σₖ d[k]·x[idx[k]] ≥ b — a constraint on the coordinates idx, the others free —
// and reports whether it differs from x. P is len(x)×len(x), row-major.
//
// A filter's Gaussian puts some probability where the target cannot be — below the ground,
// for a drone 50 m up tracked with 25 m of height error — and its mean can lie there. Density
// truncation (Simon & Simon, "Constrained Kalman filtering via density function truncation",
// Int. J. Systems Science 41(2), 2010; Simon, IET Control Theory & Applications 4(8), 2010,
// §4) takes the estimate as the mean of the Gaussian restricted to where the constraint holds.
// For one linear constraint dᵀx ≥ b that mean is closed-form (Tallis, J. R. Stat. Soc. B 23,
// 1961): with m = dᵀx, σ² = dᵀPd and α = (b − m)/σ, the constrained coordinate's mean moves
// by σ·λ(α), λ(α) = φ(α)/(1 − Φ(α)) the inverse Mills ratio, and every other coordinate with
// it through its covariance with dᵀx:
//
//	x' = x + P·d·λ(α)/σ.
//
// The result always satisfies the constraint strictly. Where σ is zero (a state without
// covariance, or one known exactly along d) there is no density to truncate and x is returned
// as it is; so it is where the mean lies more than truncCutoff deviations inside.
func TruncatedMean(x, p []float64, idx []int, d []float64, b float64, out []float64) bool {
	n := len(x)
	copy(out[:n], x)
	if len(p) < n*n || len(d) < len(idx) {
		return false
	}
	var m, s2 float64
	for k, i := range idx {
		m += d[k] * x[i]
		row := p[i*n : i*n+n]
		for l, j := range idx {
			s2 += d[k] * row[j] * d[l]
		}
	}
	if !(s2 > 0) || math.IsInf(s2, 0) {
		return false
	}
	sigma := math.Sqrt(s2)
	alpha := (b - m) / sigma
	if !(alpha > -truncCutoff) {
		return false
	}
	g := millsInverse(alpha) / sigma
	for i := 0; i < n; i++ {
		var pd float64
		row := p[i*n : i*n+n]
		for k, j := range idx {
			pd += row[j] * d[k]
		}
		out[i] = x[i] + pd*g
	}
	return true
}

// millsInverse is λ(α) = φ(α)/(1 − Φ(α)), the mean of a standard normal truncated to
// [α, ∞) (the inverse Mills ratio), for α > −truncCutoff. It interpolates a table of λ and its
// derivative λ' = λ(λ − α) at steps of 1/32 with cubic Hermite polynomials (error under
// 10⁻⁹ of max(λ, 1), TestMillsTable) instead of evaluating φ and erfc, three exponentials,
// at each of the tens of thousands of constrained reads of a replication; beyond the table it
// is millsExact's asymptotic series.
func millsInverse(alpha float64) float64 {
	u := (alpha + truncCutoff) * millsPerUnit
	if !(u >= 0) || u >= millsSteps {
		return millsExact(alpha)
	}
	k := int(u)
	t := u - float64(k)
	y0, y1 := millsTab[2*k], millsTab[2*k+2]
	d0, d1 := millsTab[2*k+1]/millsPerUnit, millsTab[2*k+3]/millsPerUnit
	t2 := t * t
	t3 := t2 * t
	return (2*t3-3*t2+1)*y0 + (t3-2*t2+t)*d0 + (3*t2-2*t3)*y1 + (t3-t2)*d1
}

const (
	// millsPerUnit is the table's steps per unit of α.
	millsPerUnit = 32
	// millsSteps is the table's number of steps, from α = −truncCutoff to millsAsymptotic.
	millsSteps = (millsAsymptotic + truncCutoff) * millsPerUnit
	// millsAsymptotic is where millsExact takes the asymptotic series.
	millsAsymptotic = 30
)

// millsTab holds λ(α) and λ'(α) at the table's nodes, interleaved; it is computed once, when
// the package is initialised, and only read after.
var millsTab = func() []float64 {
	tab := make([]float64, 2*(millsSteps+1))
	for k := 0; k <= millsSteps; k++ {
		a := -truncCutoff + float64(k)/millsPerUnit
		l := millsExact(a)
		tab[2*k], tab[2*k+1] = l, l*(l-a)
	}
	return tab
}()

// millsExact is λ(α) from its definition. Beyond α = 30, before φ and 1 − Φ underflow (near
// α = 38), it takes the asymptotic series α + 1/α − 2/α³ + 10/α⁵, the reciprocal of
// Abramowitz & Stegun 26.2.12's series for (1 − Φ)/φ, whose next term is about 10⁻¹⁰ of λ
// there.
func millsExact(alpha float64) float64 {
	if alpha > millsAsymptotic {
		a2 := alpha * alpha
		return alpha + 1/alpha - 2/(a2*alpha) + 10/(a2*a2*alpha)
	}
	phi := math.Exp(-alpha*alpha/2) / math.Sqrt(2*math.Pi)
	return phi / (0.5 * math.Erfc(alpha/math.Sqrt2))
}
