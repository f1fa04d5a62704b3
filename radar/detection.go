package radar

import (
	"errors"
	"fmt"
	"math"
)

// PdSwerling1 returns the single-pulse detection probability of a Swerling 1
// (or 2) target with mean linear SNR snr under a square-law detector with
// false-alarm probability pfa: Pd = Pfa^(1/(1+SNR)) (PHYSICS §3; Mahafza,
// Radar Systems Analysis and Design Using MATLAB, eq. 2.75). A negative snr is
// taken as 0 (Pd = pfa); pfa is clamped to [0, 1]; NaN input gives NaN.
func PdSwerling1(snr, pfa float64) float64 {
	if math.IsNaN(snr) || math.IsNaN(pfa) {
		return math.NaN()
	}
	if pfa <= 0 {
		return 0
	}
	if pfa >= 1 {
		return 1
	}
	if snr < 0 {
		snr = 0
	}
	return math.Exp(math.Log(pfa) / (1 + snr))
}

// RequiredSNRSwerling1 returns the linear single-pulse SNR at which a
// Swerling 1 target is detected with probability pd at false-alarm
// probability pfa, the exact inverse of PdSwerling1:
// SNR = ln(pfa)/ln(pd) - 1 (PHYSICS §3). It returns 0 when pd ≤ pfa (noise
// alone achieves that), +Inf when pd ≥ 1, and NaN when pfa is not in (0, 1).
func RequiredSNRSwerling1(pd, pfa float64) float64 {
	if !(pfa > 0 && pfa < 1) || math.IsNaN(pd) {
		return math.NaN()
	}
	if pd <= pfa {
		return 0
	}
	if pd >= 1 {
		return math.Inf(1)
	}
	return math.Log(pfa)/math.Log(pd) - 1
}

// PdSwerling0 returns the single-pulse detection probability of a
// nonfluctuating (Swerling 0/5) target with linear SNR snr under a
// square-law (or, equivalently, linear) envelope detector with false-alarm
// probability pfa: Pd = Q1(√(2·SNR), √(-2·ln Pfa)) (PHYSICS §3). A negative
// snr is taken as 0; pfa is clamped to [0, 1]; NaN input gives NaN.
func PdSwerling0(snr, pfa float64) float64 {
	if math.IsNaN(snr) || math.IsNaN(pfa) {
		return math.NaN()
	}
	if pfa <= 0 {
		return 0
	}
	if pfa >= 1 {
		return 1
	}
	if snr < 0 {
		snr = 0
	}
	return MarcumQ1(math.Sqrt(2*snr), math.Sqrt(-2*math.Log(pfa)))
}

// MarcumQ1 returns the first-order Marcum Q function
//
//	Q1(a, b) = ∫_b^∞ x·exp(-(x²+a²)/2)·I0(a·x) dx.
//
// It uses the exact Poisson-mixture form of the noncentral χ² tail with two
// degrees of freedom, Q1(a, b) = P(M ≤ K) with independent K ~ Poisson(a²/2)
// and M ~ Poisson(b²/2) (i.e. Q1 = Σ_k e^(-λ)λ^k/k! · P(M ≤ k), the series of
// J. I. Marcum, "A statistical theory of target detection by pulsed radar",
// IRE Trans. IT-6, 1960, regrouped). Every term is positive, so the sum is
// accurate in relative terms; when a > b the complement P(M > K) is summed
// instead, so values near 1 are accurate too. Arguments beyond 40 standard
// deviations apart return 0 or 1 by the bounds Q1(a,b) ≤ exp(-(b-a)²/2) for
// b > a and 1 - Q1(a,b) ≤ exp(-(a-b)²/2) for a > b (M. K. Simon and M.-S.
// Alouini, IEEE Trans. Commun. 48(3), 2000). Negative arguments are taken by
// absolute value (Q1 depends only on a² and b²); NaN gives NaN.
func MarcumQ1(a, b float64) float64 {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.NaN()
	}
	a, b = math.Abs(a), math.Abs(b)
	switch {
	case math.IsInf(b, 1):
		return 0
	case math.IsInf(a, 1):
		return 1
	case b == 0:
		return 1
	case a == 0:
		return math.Exp(-b * b / 2)
	case b-a > 40:
		return 0
	case a-b > 40:
		return 1
	}
	lam, mu := a*a/2, b*b/2
	if b > a {
		return poissonLE(mu, lam, 0)
	}
	return 1 - poissonLE(lam, mu, 1)
}

// poissonLE returns P(X + shift ≤ Y) for independent X ~ Poisson(x) and
// Y ~ Poisson(y), x, y > 0, as Σ_k P(Y = k)·P(X ≤ k - shift).
func poissonLE(x, y float64, shift int) float64 {
	const tiny = 1e-17
	sd := math.Sqrt(y)
	k := int(math.Max(0, math.Floor(y-12*sd-10)))
	py := poissonPMF(k, y)
	fx := poissonCDF(k-shift, x)
	px := poissonPMF(k+1-shift, x) // P(X = k+1-shift), the next CDF increment
	sum := 0.0
	prev := math.Inf(1)
	for i := 0; i < 10_000_000; i++ {
		term := py * fx
		sum += term
		if float64(k) > y && term <= tiny*sum && term <= prev {
			break
		}
		prev = term
		k++
		py *= y / float64(k)
		if py == 0 {
			break
		}
		fx += px
		if fx > 1 {
			fx = 1
		}
		j := k + 1 - shift
		if px == 0 || j < 1 {
			px = poissonPMF(j, x)
		} else {
			px *= x / float64(j)
		}
	}
	return math.Min(sum, 1)
}

// poissonPMF returns e^(-x)·x^k/k!, computed in log space (0 for k < 0).
func poissonPMF(k int, x float64) float64 {
	if k < 0 {
		return 0
	}
	if x == 0 {
		if k == 0 {
			return 1
		}
		return 0
	}
	lg, _ := math.Lgamma(float64(k) + 1)
	return math.Exp(-x + float64(k)*math.Log(x) - lg)
}

// poissonCDF returns P(X ≤ n) for X ~ Poisson(x), summing the smaller side
// from its largest term outwards so that both tails are accurate.
func poissonCDF(n int, x float64) float64 {
	if n < 0 {
		return 0
	}
	if x == 0 {
		return 1
	}
	const tiny = 1e-17
	if float64(n) <= x {
		// Lower tail: terms increase with j up to n; sum downwards.
		t := poissonPMF(n, x)
		sum := 0.0
		for j := n; j >= 0; j-- {
			sum += t
			if t <= tiny*sum {
				break
			}
			t *= float64(j) / x
		}
		return math.Min(sum, 1)
	}
	// Upper tail: terms decrease from j = n+1; sum upwards and complement.
	t := poissonPMF(n+1, x)
	sum := 0.0
	for j := n + 1; t > 0; j++ {
		sum += t
		if t <= tiny*sum {
			break
		}
		t *= x / float64(j+1)
	}
	return math.Max(0, 1-sum)
}

// RequiredSNRSwerling0 returns the linear single-pulse SNR at which a
// nonfluctuating target is detected with probability pd at false-alarm
// probability pfa, by bracketed bisection in decibels on PdSwerling0 to
// 1e-9 dB (PHYSICS §3: 13.1835 dB for pd = 0.9, pfa = 1e-6). It returns 0
// when pd ≤ pfa, and an error when pd or pfa is not in (0, 1) or when pd
// needs more than 100 dB.
func RequiredSNRSwerling0(pd, pfa float64) (float64, error) {
	if !(pd > 0 && pd < 1) || !(pfa > 0 && pfa < 1) {
		return 0, fmt.Errorf("radar: RequiredSNRSwerling0 needs pd and pfa in (0, 1), got pd=%v pfa=%v", pd, pfa)
	}
	if pd <= pfa {
		return 0, nil
	}
	lo, hi := -60.0, 100.0
	if PdSwerling0(FromDB(hi), pfa) < pd {
		return 0, fmt.Errorf("radar: RequiredSNRSwerling0(pd=%v, pfa=%v) exceeds %v dB", pd, pfa, hi)
	}
	if PdSwerling0(FromDB(lo), pfa) >= pd {
		return FromDB(lo), nil
	}
	for hi-lo > 1e-9 {
		mid := (lo + hi) / 2
		if PdSwerling0(FromDB(mid), pfa) < pd {
			lo = mid
		} else {
			hi = mid
		}
	}
	return FromDB((lo + hi) / 2), nil
}

// errProb reports bad detection-probability arguments.
func errProb(fn string, pd, pfa float64, n int) error {
	var errs []error
	if !(pd > 0 && pd < 1) {
		errs = append(errs, fmt.Errorf("pd must be in (0, 1), got %v", pd))
	}
	if !(pfa > 0 && pfa < 1) {
		errs = append(errs, fmt.Errorf("pfa must be in (0, 1), got %v", pfa))
	}
	if n < 1 {
		errs = append(errs, fmt.Errorf("n must be ≥ 1, got %d", n))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("radar: %s: %w", fn, err)
	}
	return nil
}

// Albersheim returns the single-pulse SNR in dB needed per pulse to detect a
// nonfluctuating target with probability pd at false-alarm probability pfa
// after noncoherent integration of n pulses with a linear detector, by
// Albersheim's equation (PHYSICS §3; Richards, FRSP §6.3.3):
//
//	A = ln(0.62/Pfa), B = ln(Pd/(1-Pd)),
//	SNR_dB = -5·log10 N + (6.2 + 4.54/√(N+0.44))·log10(A + 0.12AB + 1.7B).
//
// Its stated accuracy is 0.2 dB for 1e-7 ≤ Pfa ≤ 1e-3, 0.1 ≤ Pd ≤ 0.9 and
// 1 ≤ N ≤ 8096; outside that domain the value is returned without an error
// but is an extrapolation. An error is returned when pd or pfa is not in
// (0, 1), n < 1, or A + 0.12AB + 1.7B ≤ 0 (where the formula is undefined).
func Albersheim(pd, pfa float64, n int) (float64, error) {
	if err := errProb("Albersheim", pd, pfa, n); err != nil {
		return 0, err
	}
	a := math.Log(0.62 / pfa)
	b := math.Log(pd / (1 - pd))
	arg := a + 0.12*a*b + 1.7*b
	if !(arg > 0) {
		return 0, fmt.Errorf("radar: Albersheim undefined for pd=%v pfa=%v (A+0.12AB+1.7B = %v ≤ 0)", pd, pfa, arg)
	}
	nf := float64(n)
	return -5*math.Log10(nf) + (6.2+4.54/math.Sqrt(nf+0.44))*math.Log10(arg), nil
}

// Shnidman returns the single-pulse SNR in dB needed per pulse to reach
// detection probability pd at false-alarm probability pfa after noncoherent
// integration of n pulses, for Swerling case swerling (0 = nonfluctuating,
// 1–4), by Shnidman's equation (PHYSICS §3; D. A. Shnidman, "Determination of
// required SNR values", IEEE Trans. AES 38(3), 2002, as in MATLAB shnidman):
//
//	K = ∞, 1, N, 2, 2N for Swerling 0–4; α = 0 if N ≤ 40 else 1/4;
//	η = √(-0.8 ln(4Pfa(1-Pfa))) + sgn(Pd-½)·√(-0.8 ln(4Pd(1-Pd)));
//	X∞ = η(η + 2√(N/2 + α - 1/4));
//	C1 = (((17.7006Pd - 18.4496)Pd + 14.5339)Pd - 3.525)/K;
//	C2 = (1/K)(e^(27.31Pd-25.14) + (Pd-0.8)(0.7 ln(1e-5/Pfa) + (2N-20)/80));
//	C_dB = C1 if Pd ≤ 0.872 else C1 + C2;  SNR_dB = 10 log10(X∞/N) + C_dB.
//
// Its stated accuracy is 0.5 dB for 0.1 ≤ Pd ≤ 0.99, 1e-9 ≤ Pfa ≤ 1e-3 and
// 1 ≤ N ≤ 100; outside that the value is an extrapolation. An error is
// returned when pd or pfa is not in (0, 1), n < 1 or swerling is not 0–4.
func Shnidman(pd, pfa float64, n int, swerling int) (float64, error) {
	if err := errProb("Shnidman", pd, pfa, n); err != nil {
		return 0, err
	}
	nf := float64(n)
	var invK float64
	switch swerling {
	case 0:
		invK = 0
	case 1:
		invK = 1
	case 2:
		invK = 1 / nf
	case 3:
		invK = 0.5
	case 4:
		invK = 1 / (2 * nf)
	default:
		return 0, fmt.Errorf("radar: Shnidman: swerling must be 0–4, got %d", swerling)
	}
	alpha := 0.0
	if n > 40 {
		alpha = 0.25
	}
	sgn := 0.0
	switch {
	case pd > 0.5:
		sgn = 1
	case pd < 0.5:
		sgn = -1
	}
	eta := math.Sqrt(-0.8*math.Log(4*pfa*(1-pfa))) + sgn*math.Sqrt(-0.8*math.Log(4*pd*(1-pd)))
	xInf := eta * (eta + 2*math.Sqrt(nf/2+alpha-0.25))
	c1 := (((17.7006*pd-18.4496)*pd+14.5339)*pd - 3.525) * invK
	c := c1
	if pd > 0.872 {
		c2 := invK * (math.Exp(27.31*pd-25.14) + (pd-0.8)*(0.7*math.Log(1e-5/pfa)+(2*nf-20)/80))
		c += c2
	}
	return 10*math.Log10(xInf/nf) + c, nil
}
