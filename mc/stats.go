package mc

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// Z95 is the standard normal quantile for a two-sided 95 % interval, Φ⁻¹(0.975).
const Z95 = 1.959963984540054

// Interval is a point estimate with a two-sided 95 % confidence interval [Lo, Hi].
type Interval struct {
	Est float64 `json:"est"`
	Lo  float64 `json:"lo"`
	Hi  float64 `json:"hi"`
}

// HalfWidth is half the interval's width.
func (iv Interval) HalfWidth() float64 { return (iv.Hi - iv.Lo) / 2 }

// Excludes reports whether x lies outside the interval.
func (iv Interval) Excludes(x float64) bool { return x < iv.Lo || x > iv.Hi }

// Wilson returns the Wilson score interval for k successes in n trials with the normal
// quantile z (Wilson 1927, "Probable inference, the law of succession, and statistical
// inference", JASA 22:209-212; method 3 of Newcombe 1998, "Two-sided confidence intervals for
// the single proportion: comparison of seven methods", Stat. Med. 17:857-872):
//
//	centre = (p̂ + z²/2n) / (1 + z²/n),  half = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²).
//
// Unlike the Wald interval it stays inside [0, 1] and is not degenerate at k = 0 or k = n.
// With n = 0 the interval is [0, 1] around NaN.
func Wilson(k, n int64, z float64) Interval {
	if n <= 0 {
		return Interval{Est: math.NaN(), Lo: 0, Hi: 1}
	}
	nf := float64(n)
	p := float64(k) / nf
	z2 := z * z
	den := 1 + z2/nf
	c := (p + z2/(2*nf)) / den
	h := z / den * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	lo, hi := math.Max(0, c-h), math.Min(1, c+h)
	// Exact ends at the boundaries (rounding would leave 1e-17).
	if k == 0 {
		lo = 0
	}
	if k == n {
		hi = 1
	}
	return Interval{Est: p, Lo: lo, Hi: hi}
}

// TQuantile returns the p-quantile of Student's t distribution with df degrees of freedom
// (the normal quantile when df is infinite or very large).
func TQuantile(p, df float64) float64 {
	if df <= 0 || math.IsNaN(df) {
		return math.NaN()
	}
	if df > 1e6 {
		// t is the normal to 1e-6 here, and gonum's t quantile loses its accuracy beyond
		// (1.95994 at 1e12 degrees of freedom, 3.23 at 1e15).
		return distuv.UnitNormal.Quantile(p)
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(p)
}

// t975 is the 0.975 quantile of t with n−1 degrees of freedom, cached for small n.
func t975(n int64) float64 {
	if n < 2 {
		return math.NaN()
	}
	return TQuantile(0.975, float64(n-1))
}

// Moments accumulates the mean and variance of a sample one value at a time with Welford's
// algorithm (Welford 1962, Technometrics 4:419-420; Knuth TAOCP vol. 2 §4.2.2), which is
// stable where the naive sum of squares cancels. Fed in the same order it gives bit-identical
// results, which is why mc always feeds replications in index order.
type Moments struct {
	N    int64
	mean float64
	m2   float64
	Min  float64
	Max  float64
}

// Add adds one observation.
func (m *Moments) Add(x float64) {
	m.N++
	if m.N == 1 {
		m.Min, m.Max = x, x
	} else {
		m.Min, m.Max = math.Min(m.Min, x), math.Max(m.Max, x)
	}
	d := x - m.mean
	m.mean += d / float64(m.N)
	m.m2 += d * (x - m.mean)
}

// Mean is the sample mean (NaN with no observations).
func (m *Moments) Mean() float64 {
	if m.N == 0 {
		return math.NaN()
	}
	return m.mean
}

// Var is the unbiased sample variance (NaN with fewer than two observations).
func (m *Moments) Var() float64 {
	if m.N < 2 {
		return math.NaN()
	}
	return m.m2 / float64(m.N-1)
}

// SD is the sample standard deviation.
func (m *Moments) SD() float64 { return math.Sqrt(m.Var()) }

// SE is the standard error of the mean, s/√n.
func (m *Moments) SE() float64 { return m.SD() / math.Sqrt(float64(m.N)) }

// CI is the mean with its two-sided 95 % Student t interval, mean ± t₀.₉₇₅,ₙ₋₁ · s/√n.
// With one observation the interval is unbounded; with zero variance it is a point.
func (m *Moments) CI() Interval {
	mean := m.Mean()
	if m.N < 2 {
		return Interval{Est: mean, Lo: math.Inf(-1), Hi: math.Inf(1)}
	}
	h := t975(m.N) * m.SE()
	return Interval{Est: mean, Lo: mean - h, Hi: mean + h}
}

// BoundedCI is CI for a quantity known to lie in [lo, hi] in every replication (value lost
// between 0 and the assets' value, leakers and kills between 0 and the threats launched,
// rounds fired between 0 and the magazine, costs between 0 and those of every magazine
// emptied or of every threat launched).
//
// Such quantities are mostly at a bound with a few replications away from it — no value
// lost in nine replications of ten, then 56 or 96 — and their mean's symmetric t interval
// covered the true mean 86–91 % of the time instead of 95 % (TestBoundedCICoverageRareLosses;
// 59–93 % for rare counts, TestCountCoverage). So the interval is the Korn–Graubard one of the
// mean scaled to [0, 1], m̂ = (x̄ − lo)/(hi − lo), as for the leak rate (Ratio.CI):
// Clopper–Pearson at the effective sample size m̂(1 − m̂)/v, v the variance of m̂. A binomial
// count of that size has the skewness the mean of a quantity that is mostly zero has, about
// 1/√(n·P(V ≠ lo)), which is what the t interval lacks; as losses grow common it tends to the
// t interval (93.8–99.5 % coverage in those tests).
//
// When every observation is the same value c (at a bound or between them, to within rounding)
// the t interval, a point, is replaced by what the replications cannot exclude through
// P(V ≠ c): |E[V] − c| ≤ P(V ≠ c)·max(c − lo, hi − c), with the Wilson upper bound z²/(n + z²)
// for no such replication in n (the same reasoning as Ratio.CI's at a proportion of 0 or 1),
// so the interval is [c − w·(c − lo), c + w·(hi − c)]. A layer that killed the 30 drones in each
// of 60 replications gets 30.00 [28.19, 30.48] of 38 launched, as the drones' own row does
// (30.00 [28.19, 30.00] destroyed of 30), not the certainty 30.00 ± 0.00.
//
// An observation past a bound by no more than the rounding of a float sum (a relative 1e-12,
// as spread) is at that bound: a cost summed shot by shot can exceed the same cost computed
// as a product (Layout.maxCost) in the last bit, and a replication that empties every magazine
// spends its bound. An observation farther outside [lo, hi] (the caller's bounds were wrong)
// gives the t interval clipped to them, but never past the estimate; an infinite bound (one
// that overflowed) gives the t interval clipped at the finite one.
//
// With one observation the t interval is unbounded and the clip makes it [lo, hi], or the
// bound above when that one observation sits at lo or hi.
func (m *Moments) BoundedCI(lo, hi float64) Interval {
	iv := m.CI()
	if m.N == 0 || !(lo <= hi) {
		return iv
	}
	lo, hi = m.rounded(lo, hi)
	inside := m.Min >= lo && m.Max <= hi
	finite := !math.IsInf(lo, -1) && !math.IsInf(hi, 1)
	if finite && m.N >= 2 && hi > lo && m.spread() && inside {
		w := hi - lo
		p := (m.mean - lo) / w
		se := m.SE() / w
		e := kornGraubard(p, se, m.N, math.Inf(1))
		return Interval{Est: m.mean, Lo: lo + e.Lo*w, Hi: lo + e.Hi*w}
	}
	// Clipped, but not past the estimate: every observation past a bound puts it there.
	iv.Lo, iv.Hi = math.Min(math.Max(iv.Lo, lo), iv.Est), math.Max(math.Min(iv.Hi, hi), iv.Est)
	if !finite || hi == lo || !inside || (m.N == 1 && m.mean != lo && m.mean != hi) {
		return iv
	}
	// Every observation is c (no spread, or one observation at a bound): the t interval is
	// the point or unbounded, and the bound replaces it. The mean of values equal but for
	// rounding can lie an ulp past the bound c is clamped to.
	c := math.Min(hi, math.Max(lo, m.mean))
	w := Wilson(0, m.N, Z95).Hi
	return Interval{Est: m.mean, Lo: math.Min(c-w*(c-lo), m.mean), Hi: math.Max(c+w*(hi-c), m.mean)}
}

// rounded returns the bounds [lo, hi] moved out to the observations that lie past them by no
// more than the rounding of a float sum (a relative 1e-12 of the bounds, as spread): those
// are at the bound, as exactly as floats can say. Infinite bounds are returned as they are.
func (m *Moments) rounded(lo, hi float64) (float64, float64) {
	if m.N == 0 || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return lo, hi
	}
	tol := 1e-12 * math.Max(math.Abs(lo), math.Abs(hi))
	if m.Min < lo && lo-m.Min <= tol {
		lo = m.Min
	}
	if m.Max > hi && m.Max-hi <= tol {
		hi = m.Max
	}
	return lo, hi
}

// spread reports whether the observations differ by more than the rounding of a float sum
// (a relative 1e-12, as Paired.Constant): value lost adds an asset's losses in the order of
// the impacts, so replications that lost the same differ in the last bits, and a variance of
// rounding would read as an effective sample size of 1e30.
func (m *Moments) spread() bool {
	return m.Max-m.Min > 1e-12*math.Max(math.Abs(m.Min), math.Abs(m.Max))
}

// maxEffectiveCount is the effective count (events, or the smaller of successes and failures)
// beyond which the exact intervals give way to their limit, the t interval: their skewness is
// 1/√count, a thousandth of the half-width here, and the beta and gamma quantiles lose their
// accuracy far beyond (gonum's beta quantile gives NaN at 1e20 trials).
const maxEffectiveCount = 1e6

// Ratio estimates R = E[Y]/E[X] from pairs (x, y), such as leakers over threats launched per
// replication, with the ratio estimator R̂ = Σy/Σx and its linearisation (delta-method)
// variance v(R̂) = Σ(yᵢ − R̂xᵢ)² / ((n−1) n x̄²) (Cochran 1977, Sampling Techniques, 3rd ed.,
// §6.3-6.4). The replication, not the threat, is the independent unit: threats of one run
// share its fate, so treating them as independent trials would understate the interval.
type Ratio struct {
	// Proportion says that y ≤ x in every replication there can be (leakers of the threats
	// launched), so that R lies in [0, 1]. It is the caller's knowledge, not the sample's: a
	// cost exchange ratio whose replications all happened to spend less than they destroyed
	// can still exceed 1, and its interval must be free to say so.
	Proportion bool

	N                     int64
	sx, sy, sxx, syy, sxy float64
	maxX                  float64 // the largest x added
	// negative: some x or y was negative; over: some y exceeded its x. Without negative the
	// ratio lies in [0, ∞), and a Proportion without over in [0, 1].
	negative, over bool
}

// Add adds one replication's (x, y).
func (r *Ratio) Add(x, y float64) {
	r.N++
	r.sx += x
	r.sy += y
	r.sxx += x * x
	r.syy += y * y
	r.sxy += x * y
	if r.N == 1 || x > r.maxX {
		r.maxX = x
	}
	r.negative = r.negative || x < 0 || y < 0
	r.over = r.over || y > x
}

// CI is R̂ with a two-sided 95 % interval, clipped to the values the ratio can take: not
// below 0 when no x or y was negative, and not above 1 for a Proportion (when, besides, no y
// exceeded its x). In general it is the t interval of the delta method (n−1 degrees of
// freedom); the symmetric interval can cross those limits with few replications, and a leak
// rate of −0.2 % is not a possible value.
//
// A proportion strictly inside (0, 1) gets the Korn–Graubard interval instead (Korn & Graubard
// 1998, "Confidence intervals for proportions with small expected number of positive counts
// estimated from survey data", Survey Methodology 24(2):193-201): the Clopper–Pearson interval
// at the effective sample size n* = R̂(1−R̂)/v(R̂) — the threats launched divided by the design
// effect of leaking together — capped at Σx and scaled by (t₀.₉₇₅,Σx−1 / t₀.₉₇₅,n−1)² for the
// n−1 degrees of freedom v(R̂) rests on. Leaks are rare and come in a few replications: the
// symmetric t interval there covered 87–93 % instead of 95 % (TestRatioCoverageRareLeaks), and
// it said [0.0, 0.6] % of two leakers in 20 replications where it said [0.0, 16.1] % of none.
// The exact interval is skewed as the small count is, and tends to the t interval as leaks
// grow common.
//
// A proportion at a boundary (no leaker in any replication, or every threat leaking in every
// one) has no spread to estimate a variance from, and the t interval would collapse to the
// point — a claim of certainty that a run of 100 leak-free replications does not support, and
// that would stop --until-ci at its first check. Nor does it say how threats leak together,
// which the effective sample size needs. There the interval is bounded instead
// through the replications: with 0 ≤ y ≤ x, E[Y] ≤ P(Y > 0)·max x, so R ≤ P(Y > 0)·max x / x̄;
// P(Y > 0) gets the Wilson upper bound for no event in n replications, z²/(n + z²) (3.7 % for
// n = 100), and max x is the largest x seen. At R̂ = 1 the same bound applies to x − y.
func (r *Ratio) CI() Interval {
	if r.N == 0 || r.sx == 0 {
		return Interval{Est: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	}
	R := r.sy / r.sx
	n := float64(r.N)
	xbar := r.sx / n
	// One replication has no spread to estimate: the t interval is unbounded, and only what
	// the ratio can be (below) bounds it — for a proportion, never beyond [0, 1].
	h := math.Inf(1)
	if r.N >= 2 {
		ss := math.Max(0, r.syy-2*R*r.sxy+R*R*r.sxx) // Σ(y − R x)²
		se := math.Sqrt(ss/(n-1)) / (xbar * math.Sqrt(n))
		if r.Proportion && !r.negative && !r.over && R > 0 && R < 1 {
			return kornGraubard(R, se, r.N, r.sx)
		}
		h = t975(r.N) * se
	}
	iv := Interval{Est: R, Lo: R - h, Hi: R + h}
	if !r.negative {
		iv.Lo = math.Max(iv.Lo, 0)
		if r.Proportion && !r.over {
			iv.Hi = math.Min(iv.Hi, 1)
			// Boundaries: R̂ = 0 means every y was 0, R̂ = 1 every y equal to its x.
			// The t interval there is the point (n ≥ 2) or unbounded (n = 1): either way the
			// bound replaces it.
			if R == 0 || R == 1 {
				b := math.Min(1, Wilson(0, r.N, Z95).Hi*r.maxX/xbar)
				if R == 0 {
					iv.Hi = b
				} else {
					iv.Lo = 1 - b
				}
			}
		}
	}
	return iv
}

// kornGraubard is the interval of Korn & Graubard (1998) for a proportion p in (0, 1)
// estimated with standard error se on n−1 degrees of freedom (n replications) from at most
// trials Bernoulli trials (+Inf: a mean of a quantity in [0, 1], not a count of trials):
// Clopper–Pearson at the effective sample size n* = p(1−p)/se², capped at trials, times
// (t₀.₉₇₅,trials−1 / t₀.₉₇₅,n−1)² for the few degrees of freedom se rests on. A zero se
// (every replication the same proportion) leaves the trials alone, as independent.
func kornGraubard(p, se float64, n int64, trials float64) Interval {
	nEff := trials
	if v := se * se; v > 0 {
		nEff = p * (1 - p) / v
	}
	z := Z95
	if !math.IsInf(trials, 1) {
		z = TQuantile(0.975, math.Max(1, trials-1))
	}
	a := z / t975(n)
	// Capped at the trials before the adjustment (as the NCHS standard for proportions,
	// Parker et al. 2017, does) and after it: with fewer trials than replications (a rare
	// class launched in few of them) the factor exceeds 1, and n* may not exceed the trials.
	nEff = math.Min(trials, math.Min(trials, nEff)*a*a)
	if !(nEff*math.Min(p, 1-p) <= maxEffectiveCount) {
		h := t975(n) * se
		return Interval{Est: p, Lo: math.Max(0, p-h), Hi: math.Min(1, p+h)}
	}
	iv := ClopperPearson(p*nEff, nEff)
	iv.Est = p
	return iv
}

// ClopperPearson returns the exact interval for k successes in n trials (Clopper & Pearson
// 1934, Biometrika 26:404-413; method 5 of Newcombe 1998) through the beta quantiles
//
//	lo = B⁻¹(0.025; k, n − k + 1),  hi = B⁻¹(0.975; k + 1, n − k),
//
// with lo = 0 at k = 0 and hi = 1 at k = n. The beta form takes k and n that are not whole,
// as an effective sample size is (Korn & Graubard 1998). It needs 0 ≤ k ≤ n and n > 0; any
// other input gives NaN bounds.
func ClopperPearson(k, n float64) Interval {
	if !(n > 0) || !(k >= 0) || !(k <= n) {
		return Interval{Est: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	}
	iv := Interval{Est: k / n, Lo: 0, Hi: 1}
	if k > 0 {
		iv.Lo = distuv.Beta{Alpha: k, Beta: n - k + 1}.Quantile(0.025)
	}
	if k < n {
		iv.Hi = distuv.Beta{Alpha: k + 1, Beta: n - k}.Quantile(0.975)
	}
	return iv
}

// Counts is the exact distribution of an integer quantity (interceptors fired, gun rounds):
// one count per distinct value, so memory grows with the number of distinct values, not with
// the number of replications, and percentiles are exact.
type Counts struct {
	n int64
	m map[int64]int64
}

// Add adds one observation.
func (c *Counts) Add(v int64) {
	if c.m == nil {
		c.m = map[int64]int64{}
	}
	c.m[v]++
	c.n++
}

// Quantile returns the nearest-rank p-quantile: the smallest value v with at least ⌈p·n⌉
// observations ≤ v (Hyndman & Fan 1996, "Sample quantiles in statistical packages", Am.
// Stat. 50:361-365, definition 1). NaN with no observations.
func (c *Counts) Quantile(p float64) float64 {
	if c.n == 0 {
		return math.NaN()
	}
	keys := make([]int64, 0, len(c.m))
	for k := range c.m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	rank := int64(math.Ceil(p * float64(c.n)))
	if rank < 1 {
		rank = 1
	}
	var cum int64
	for _, k := range keys {
		cum += c.m[k]
		if cum >= rank {
			return float64(k)
		}
	}
	return float64(keys[len(keys)-1])
}

// Paired summarises paired differences dᵢ = bᵢ − aᵢ (common random numbers make them
// small): the mean difference with the paired Student t interval and its two-sided p-value
// (Student 1908; e.g. Montgomery, Design and Analysis of Experiments, §2.5.1) — or, when every
// difference is the same, the exact sign test (P, Test).
type Paired struct {
	Moments
}

// AddPair adds one pair.
func (p *Paired) AddPair(a, b float64) { p.Add(b - a) }

// T is the paired t statistic d̄ / (s_d/√n).
func (p *Paired) T() float64 {
	if p.N < 2 {
		return math.NaN()
	}
	return p.Mean() / (p.SD() / math.Sqrt(float64(p.N)))
}

// Constant reports whether there are at least two differences and all are the same, to
// within rounding: B − A computed from sums of asset values can differ in the last bits
// between replications whose true differences are equal, and a spread of 1e-15 would make t
// enormous.
func (p *Paired) Constant() bool { return p.N >= 2 && !p.spread() }

// CIWithin is CI for differences known to lie in [lo, hi] (B's bounds less A's). When every
// difference is the same value d (Constant), the t interval is the point d, a certainty n
// replications cannot give; the interval is then what they cannot exclude, through P(D ≠ d)
// as Moments.BoundedCI has it: [d − w·(d − lo), d + w·(hi − d)], w = z²/(n + z²). An asset
// whose losses did not differ in any of 30 replications then reads 0.00 [−11.35, 11.35] of
// its value of 100, as its chance of being hit reads 0.0 [−11.35, 11.35] points (McNemar.Diff
// with no discordant pair). Differences past a bound by no more than rounding are at it
// (Moments.BoundedCI: a cost summed shot by shot against one computed as a product).
// Otherwise it is the paired t interval, which inverts the t test P runs, cut to [lo, hi];
// with unknown or wrong bounds, the paired t interval itself (the point, for Constant
// differences with no finite bounds: nothing says how far they could go where they were not
// seen). The sign test, not this interval, decides
// whether Constant differences are significant (P).
func (p *Paired) CIWithin(lo, hi float64) Interval {
	if !(lo < hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return p.CI()
	}
	lo, hi = p.rounded(lo, hi)
	if p.Min < lo || p.Max > hi {
		return p.CI()
	}
	if !p.Constant() {
		// The mean difference lies in [lo, hi]: the t interval cut to it covers it at least
		// as often, and with few replications the t quantile (12.7 for two) reaches past
		// the bounds — a leak rate that differs by +0.08 ± 1.06 in a sweep of two
		// replications, which the sweep's own file check then refused (SweepFile.Validate).
		ci := p.CI()
		ci.Lo, ci.Hi = max(ci.Lo, lo), min(ci.Hi, hi)
		return ci
	}
	return p.BoundedCI(lo, hi)
}

// Test names the test P runs: "sign" when the differences are Constant, else "paired t".
func (p *Paired) Test() string {
	if p.Constant() {
		return "sign"
	}
	return "paired t"
}

// P is the two-sided p-value of a zero mean difference: the paired t test's, or, when every
// difference is the same (Constant), the exact sign test's. There s_d = 0 and t is undefined
// (d/0); the old answer, p = 0, claimed a certainty that a few replications cannot give. The
// sign test needs no variance: under "no difference" each non-zero dᵢ is positive or negative
// with probability ½ (Dixon & Mood 1946, "The statistical sign test", JASA 41:557–566;
// Conover, Practical Nonparametric Statistics, 3rd ed., 1999, §3.4), so n differences all of
// one sign have the two-sided p = min(1, 2·0.5ⁿ) — 0.25 for n = 3, below 0.05 only from
// n = 6. Differences that are all 0 are ties, which the sign test sets aside: no evidence of a
// difference, p = 1.
func (p *Paired) P() float64 {
	if p.N < 2 {
		return math.NaN()
	}
	if p.Constant() {
		if p.Min == 0 && p.Max == 0 {
			return 1
		}
		return math.Min(1, 2*math.Pow(0.5, float64(p.N)))
	}
	t := math.Abs(p.T())
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(p.N - 1)}.Survival(t)
}

// McNemar compares two paired binary outcomes (e.g. "at least one leaker" under layouts A
// and B, replication by replication): only the discordant pairs carry information.
// AOnly counts pairs where only A had the event, BOnly where only B had it; N counts all pairs.
type McNemar struct {
	N, AOnly, BOnly int64
}

// Add adds one pair of outcomes.
func (m *McNemar) Add(a, b bool) {
	m.N++
	switch {
	case a && !b:
		m.AOnly++
	case b && !a:
		m.BOnly++
	}
}

// Diff is p_B − p_A = (BOnly − AOnly)/N with Tango's score interval (Tango 1998, Statistics
// in Medicine 17:891–908): the Δ₀ that the score test of Δ = Δ₀ does not reject at 5 %,
// |T(Δ₀)| ≤ z with
//
//	T(Δ₀) = (BOnly − AOnly − NΔ₀) / √(N·(2q̃ + Δ₀(1 − Δ₀))),
//
// q̃ the maximum-likelihood estimate of P(A only) under Δ = Δ₀ (tangoStat). At Δ₀ = 0, T is
// McNemar's statistic, so the interval excludes 0 exactly when the asymptotic test's p is
// below 0.05 (P runs another test with few discordant pairs: see there): the two never
// disagree, as the Wald interval and the exact test did (Cavo et al.'s table in
// TestMcNemarReference: Wald excludes 0, exact p = 0.052). With no discordant pair the
// interval is ±z²/(N + z²), the Wilson bound at 0, not a point.
func (m *McNemar) Diff() Interval {
	if m.N == 0 {
		return Interval{Est: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	}
	n := float64(m.N)
	x, y := float64(m.BOnly), float64(m.AOnly)
	d := (x - y) / n
	// T decreases in Δ₀: the lower limit is where T = z below the estimate, the upper where
	// T = −z above it; a limit stays at ±1 if T never gets there.
	root := func(lo, hi, target float64) float64 {
		for k := 0; k < 200 && hi-lo > 1e-15; k++ {
			mid := 0.5 * (lo + hi)
			if tangoStat(x, y, n, mid) > target {
				lo = mid
			} else {
				hi = mid
			}
		}
		return 0.5 * (lo + hi)
	}
	iv := Interval{Est: d, Lo: -1, Hi: 1}
	if tangoStat(x, y, n, -1) > Z95 {
		iv.Lo = root(-1, d, Z95)
	}
	if tangoStat(x, y, n, 1) < -Z95 {
		iv.Hi = root(d, 1, -Z95)
	}
	return iv
}

// tangoStat is Tango's score statistic T(Δ₀) for x pairs with the event under B only and y
// under A only, of n: q̃ = (√(B² − 4AC) − B)/(2A) with A = 2n, B = −x − y + (2n − x + y)Δ₀,
// C = −yΔ₀(1 − Δ₀) (Tango 1998). Where its variance vanishes (Δ₀ = ±1, or no
// discordant pair at Δ₀ = 0) it is ±Inf by the sign of the numerator, 0 for 0/0.
func tangoStat(x, y, n, d0 float64) float64 {
	b := -x - y + (2*n-x+y)*d0
	c := -y * d0 * (1 - d0)
	sd := math.Sqrt(math.Max(0, b*b-8*n*c))
	q := (sd - b) / (4 * n)
	if b > 0 && sd+b > 0 {
		q = -2 * c / (b + sd) // the same root without the cancellation of sd − b
	}
	num, v := x-y-n*d0, n*(2*q+d0*(1-d0))
	if !(v > 0) {
		switch {
		case num > 0:
			return math.Inf(1)
		case num < 0:
			return math.Inf(-1)
		}
		return 0
	}
	return num / math.Sqrt(v)
}

// MidPBelow is the number of discordant pairs below which McNemar.P runs McNemar's mid-p
// test instead of the asymptotic one.
const MidPBelow = 25

// Test names the test P runs, by the discordant pairs AOnly + BOnly:
//
//   - "sign" when there are at least two pairs and every one of them is discordant in the
//     same direction: B − A is the same (+1 or −1) in every replication, the case Paired
//     hands to the exact sign test, and a binary metric gets the same test as any other;
//   - "McNemar mid-p" with 1 to MidPBelow − 1 discordant pairs, where the asymptotic test is
//     liberal (below);
//   - "McNemar", the asymptotic test, from MidPBelow discordant pairs on, and with none (p = 1).
func (m *McNemar) Test() string {
	nd := m.AOnly + m.BOnly
	switch {
	case m.N >= 2 && (m.AOnly == m.N || m.BOnly == m.N):
		return "sign"
	case nd > 0 && nd < MidPBelow:
		return "McNemar mid-p"
	}
	return "McNemar"
}

// P is the two-sided p-value of "no difference" by Test.
//
// The asymptotic McNemar test (McNemar 1947, Psychometrika 12:153–157), without continuity
// correction, is z = (BOnly − AOnly)/√(AOnly + BOnly), P = 2Φ(−|z|): the score test that
// Tango's interval (Diff) inverts, so that the two never disagree. Fagerland, Lydersen &
// Laake (2013, "The McNemar test for binary matched-pairs data: mid-p and asymptotic are
// better than exact conditional", BMC Med. Res. Methodol. 13:91) find it acceptable but with
// "small but frequent violations of the nominal level", and the mid-p test free of them in
// all their 9595 scenarios. The violations are worst with few discordant pairs: given 4 of
// them, all one way (z = 2, p = 0.046) has a 12.5 % chance under "no difference", not 5 %.
// Below MidPBelow discordant pairs P is therefore the mid-p test: with k = min(AOnly, BOnly)
// of nd = AOnly + BOnly ~ Binomial(nd, ½), P = 2·P(X < k) + P(X = k), computed exactly. From
// 25 on the two tests reach the same 5 % decision except on tables where they straddle it by
// a hair (asymptotic 0.048 to 0.050, mid-p 0.050 to 0.053: TestMcNemarMidPAgreement), so the asymptotic test, and its
// agreement with Tango's interval, is kept there. Below 25 the mid-p test and the interval
// disagree only on 4 to 0 and 15 to 6, where the interval excludes 0 and the test does not
// reject; the verdict says so.
//
// When every replication has the event under one layout only (Test "sign"), P is the exact
// sign test's min(1, 2·0.5ᴺ), as Paired.P: 0.0625 for 5 replications, although the mid-p
// test gives 0.031 and the asymptotic one 0.025. Given that every pair is discordant, the
// mid-p test rejects 5 to 0 with probability 1/16 under "no difference" — above 5 % — and a
// run of 5 replications all changed one way is the case where that bites. More replications,
// which a simulation has for the asking, settle it.
func (m *McNemar) P() float64 {
	nd := m.AOnly + m.BOnly
	switch m.Test() {
	case "sign":
		return math.Min(1, 2*math.Pow(0.5, float64(m.N)))
	case "McNemar mid-p":
		return midP(nd, min(m.AOnly, m.BOnly))
	}
	if nd == 0 {
		return 1
	}
	z := float64(m.BOnly-m.AOnly) / math.Sqrt(float64(nd))
	return math.Erfc(math.Abs(z) / math.Sqrt2)
}

// midP is the two-sided mid-p value of k ≤ n/2 successes of n ≤ 50 fair coin tosses,
// 2·P(X < k) + P(X = k) capped at 1, in exact integer arithmetic (C(n, j)·n < 2⁶⁴ there;
// P uses it below MidPBelow).
func midP(n, k int64) float64 {
	var below, c uint64 = 0, 1 // Σ C(n, j) for j < k; C(n, j)
	for j := int64(0); j < k; j++ {
		below += c
		c = c * uint64(n-j) / uint64(j+1)
	}
	return math.Min(1, float64(2*below+c)/math.Ldexp(1, int(n)))
}

// BenjaminiHochberg returns the Benjamini–Hochberg adjusted p-values (q-values) of a family
// of tests: q₍ᵢ₎ = min over j ≥ i of p₍ⱼ₎·m/j for the p-values sorted ascending, capped at 1.
// Rejecting every test with q ≤ α controls the false discovery rate at α (Benjamini &
// Hochberg 1995, J. R. Statist. Soc. B 57:289–300). NaN p-values (tests not run) stay NaN
// and do not count in m. A sensitivity study screens hundreds of factors; a few p < 0.05 are
// expected by chance alone, the q-values say which survive.
func BenjaminiHochberg(p []float64) []float64 {
	q := make([]float64, len(p))
	var idx []int
	for i, x := range p {
		if math.IsNaN(x) {
			q[i] = math.NaN()
			continue
		}
		idx = append(idx, i)
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	m := float64(len(idx))
	run := math.Inf(1)
	for k := len(idx) - 1; k >= 0; k-- {
		run = math.Min(run, p[idx[k]]*m/float64(k+1))
		q[idx[k]] = math.Min(1, run)
	}
	return q
}
