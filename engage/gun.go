package engage

import (
	"errors"
	"math"

	"github.com/adsim/adsim/geo"
)

// GunSpec is an air-defence gun class in SI units.
//
// Exterior ballistics are flat fire with velocity-squared drag at a constant density: the
// projectile slows as v(s) = v₀·exp(−k·s) along its path s, so the time of flight to slant
// range s is t(s) = (exp(k·s) − 1)/(k·v₀) (s/v₀ when k = 0). Gravity drop is taken as
// compensated by the fire-control superelevation, so it changes the aim but not the time.
// k = ρ·Cd·A/(2·m) per metre for a projectile of mass m, reference area A and drag
// coefficient Cd (R. L. McCoy, Modern Exterior Ballistics, Schiffer 1999, ch. 2: the flat-fire
// point-mass approximation).
//
// Hit probability per round is a circular-normal dispersion integral over the target's
// presented area A, taken as a disc of radius a = √(A/π) centred on the aim point:
// P_hit = 1 − exp(−a²/(2σ²)) with σ = range·Dispersion (Driels, Weaponeering, 2nd ed.,
// ch. on delivery accuracy: the circular normal distribution). A burst-common aiming error
// (AimError, the fire-control and tracking error that all rounds of a burst share) makes the
// rounds' hits correlated: given an aim offset b the per-round probability is approximated by
// P_hit·exp(−b²/(2(σ² + a²/2))) (a Gaussian target of equal area), and the burst's kill
// probability is averaged over b ~ circular normal(AimError·range). Kill given hits is
// 1 − (1 − PkGivenHit)^hits, i.e. each round independently kills with PkGivenHit once it hits.
type GunSpec struct {
	// MuzzleVelocity, m/s.
	MuzzleVelocity float64
	// DragPerMetre is k (1/m) above; 0 for drag-free flight. A 30 mm round (0.39 kg,
	// Cd ≈ 0.3 at Mach 2–3, A = 7.1e−4 m²) at sea level has k ≈ 3.3e−4 /m.
	DragPerMetre float64
	// RateOfFire, rounds/s; BurstRounds per burst; BurstInterval the time from the end of a
	// burst until the next may start (re-laying), s.
	RateOfFire    float64
	BurstRounds   int
	BurstInterval float64
	// Dispersion is the round-to-round angular dispersion, 1σ per axis, rad (1 mil ≈ 1e−3 rad).
	Dispersion float64
	// AimError is the burst-common aiming error, 1σ per axis, rad.
	AimError float64
	// Ammunition is the number of rounds carried.
	Ammunition int
	// PkGivenHit is the probability that one hit kills the target.
	PkGivenHit float64
	// MaxRange is the maximum effective slant range, m; MinRange the minimum.
	MaxRange, MinRange float64
}

// Validate reports an inconsistent gun spec.
func (s GunSpec) Validate() error {
	for _, v := range []float64{s.MuzzleVelocity, s.DragPerMetre, s.RateOfFire, s.BurstInterval,
		s.Dispersion, s.AimError, s.PkGivenHit, s.MaxRange, s.MinRange} {
		if !(v >= 0) || math.IsInf(v, 0) {
			return errors.New("engage: GunSpec fields must be finite and ≥ 0")
		}
	}
	switch {
	case !(s.MuzzleVelocity > 0):
		return errors.New("engage: GunSpec.MuzzleVelocity must be positive")
	case !(s.RateOfFire > 0) || s.BurstRounds < 1:
		return errors.New("engage: GunSpec needs RateOfFire > 0 and BurstRounds ≥ 1")
	case s.PkGivenHit > 1:
		return errors.New("engage: GunSpec.PkGivenHit above 1")
	case s.Ammunition < 0:
		return errors.New("engage: GunSpec.Ammunition negative")
	case !(s.Dispersion > 0):
		return errors.New("engage: GunSpec.Dispersion must be positive")
	}
	return nil
}

// TimeOfFlight returns the projectile's time of flight to slant range s (m), and false if it
// would never get there (the drag law slows it without stopping it, so this is only for
// s < 0 or NaN).
func (s GunSpec) TimeOfFlight(rng float64) (float64, bool) {
	if !(rng >= 0) || !(s.MuzzleVelocity > 0) {
		return 0, false
	}
	k := s.DragPerMetre
	if k*rng < 1e-9 {
		return rng / s.MuzzleVelocity, true
	}
	return math.Expm1(k*rng) / (k * s.MuzzleVelocity), true
}

// RoundHitProbability returns the single-round hit probability 1 − exp(−a²/(2σ²)) on a target of
// presented area area (m²) at slant range rng (m), for an unbiased aim.
func (s GunSpec) RoundHitProbability(area, rng float64) float64 {
	sigma := s.Dispersion * rng
	if !(area > 0) {
		return 0
	}
	if !(sigma > 0) {
		return 1
	}
	return -math.Expm1(-area / math.Pi / (2 * sigma * sigma))
}

// Burst is the outcome of one burst for the engine to draw against.
type Burst struct {
	// Fire is when the burst starts, Impact when its middle round arrives (s); the engine
	// draws the kill at Impact.
	Fire, Impact float64
	// Rounds fired; Range (m) and TOF (s) of the middle round; Aim the predicted point.
	Rounds     int
	Range, TOF float64
	Aim        geo.Vec3
	// PHit is the mean single-round hit probability, ExpectedHits the mean number of hits and
	// PKill the probability that the burst kills.
	PHit, ExpectedHits, PKill float64
}

// Gun is one gun with its ammunition and its readiness; it does not draw random numbers (the
// engine draws the kill against Burst.PKill from its own stream).
type Gun struct {
	spec    GunSpec
	ammo    int
	readyAt float64
}

// NewGun returns a loaded gun ready to fire at time 0.
func NewGun(spec GunSpec) (*Gun, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	return &Gun{spec: spec, ammo: spec.Ammunition, readyAt: math.Inf(-1)}, nil
}

// Ammo returns the rounds left.
func (g *Gun) Ammo() int { return g.ammo }

// ReadyAt returns the earliest time the next burst may start, s.
func (g *Gun) ReadyAt() float64 { return g.readyAt }

// Spec returns the gun's class.
func (g *Gun) Spec() GunSpec { return g.spec }

// Solve returns the fire-control solution against a predicted target for a round fired from
// pos at time t: the aim point and slant range where the projectile meets the target, and the
// time of flight, iterating τ ← TOF(|target(t+τ) − pos|). ok is false outside [MinRange,
// MaxRange] or if the iteration does not settle.
func (s GunSpec) Solve(pos geo.Vec3, t float64, target Predictor) (aim geo.Vec3, rng, tof float64, ok bool) {
	if target == nil {
		return geo.Vec3{}, 0, 0, false
	}
	for i := 0; i < 30; i++ {
		aim = target(t + tof)
		rng = aim.Sub(pos).Norm()
		next, good := s.TimeOfFlight(rng)
		if !good {
			return aim, rng, tof, false
		}
		if math.Abs(next-tof) < 1e-6 {
			tof = next
			return target(t + tof), rng, tof, rng <= s.MaxRange && rng >= s.MinRange
		}
		tof = next
	}
	return aim, rng, tof, false
}

// Fire fires one burst at time t (not before ReadyAt and only with ammunition left) from pos
// against the predicted target with presented area area (m²). Each round's range comes from
// its own fire-control solution; the kill probability averages over the burst-common aiming
// error (see GunSpec). It returns false, firing nothing, when the gun is not ready, is empty,
// or the target is outside the gun's range at the burst's start.
func (g *Gun) Fire(t float64, pos geo.Vec3, target Predictor, area float64) (Burst, bool) {
	return g.FireKill(t, pos, target, area, g.spec.PkGivenHit)
}

// FireKill is Fire with the kill probability given a hit set for this target (pkHit in
// [0, 1]) instead of the spec's PkGivenHit: the engine's guns score each threat category
// with its own.
func (g *Gun) FireKill(t float64, pos geo.Vec3, target Predictor, area, pkHit float64) (Burst, bool) {
	s := &g.spec
	pkHit = min(max(pkHit, 0), 1)
	if g.ammo <= 0 || t < g.readyAt {
		return Burst{}, false
	}
	if _, _, _, ok := s.Solve(pos, t, target); !ok {
		return Burst{}, false
	}
	n := min(s.BurstRounds, g.ammo)
	const maxRounds = 256 // rounds scored individually; more share the last's geometry
	var p, q [maxRounds]float64
	b := Burst{Fire: t, Rounds: n}
	for i := 0; i < n && i < maxRounds; i++ {
		ti := t + float64(i)/s.RateOfFire
		aim, rng, tof, _ := s.Solve(pos, ti, target)
		p[i], q[i] = s.roundAt(area, rng)
		if i == (n-1)/2 {
			b.Impact, b.Range, b.TOF, b.Aim = ti+tof, rng, tof, aim
		}
		b.ExpectedHits += p[i]
	}
	if n > maxRounds {
		b.ExpectedHits += float64(n-maxRounds) * p[maxRounds-1]
	}
	b.PHit = b.ExpectedHits / float64(n)
	m := min(n, maxRounds)
	ps := burstSurvival(n, p[:m], q[:m], pkHit, s.AimError != 0)
	b.PKill = min(max(1-ps, 0), 1)
	g.ammo -= n
	g.readyAt = t + float64(n-1)/s.RateOfFire + s.BurstInterval
	return b, true
}

// roundAt is one round's geometry at slant range rng against presented area area: its hit
// probability p for an unbiased aim, and the exponent q = σ_a²/(σ² + a²/2) of the aim factor
// (see GunSpec), 0 without aim error.
func (s GunSpec) roundAt(area, rng float64) (p, q float64) {
	sigma := s.Dispersion * rng
	p = s.RoundHitProbability(area, rng)
	if T := sigma*sigma + area/math.Pi/2; T > 0 {
		sa := s.AimError * rng
		q = sa * sa / T
	}
	return p, q
}

// burstSurvival is the probability that a target survives a burst of n rounds whose i-th round
// hits with probability p[i]·x^q[i] and kills with pkHit once it hits, x = exp(−|b|²/(2σ_a²))
// the burst-common aim factor (see GunSpec): P(survive) = E_x[Π_i (1 − pkHit·p_i·x^{q_i})]
// with x ~ U(0, 1) for a circular-normal aim offset b (x = 1 when the aim is exact). Rounds
// from len(p) on share the last round's geometry.
func burstSurvival(n int, p, q []float64, pkHit float64, aimed bool) float64 {
	last := len(p) - 1
	return overAim(aimed, func(x float64) float64 {
		prod := 1.0
		for i := 0; i < n; i++ {
			j := min(i, last)
			f := 1.0
			if q[j] > 0 {
				f = math.Pow(x, q[j])
			}
			prod *= 1 - pkHit*p[j]*f
		}
		return prod
	})
}

// overAim is E_x[survive(x)] for the aim factor x ~ U(0, 1) by Simpson's rule on 64
// intervals, or survive(1) when the aim is exact.
func overAim(aimed bool, survive func(x float64) float64) float64 {
	if !aimed {
		return survive(1)
	}
	const m = 64
	ps := survive(0) + survive(1)
	for k := 1; k < m; k++ {
		w := 2.0
		if k%2 == 1 {
			w = 4
		}
		ps += w * survive(float64(k)/m)
	}
	return ps / (3 * m)
}

// BurstKill is the kill probability of one full burst against a target that stays at slant
// range rng (m) with presented area area (m²), each hit killing with pkHit: FireKill's
// integral with every round at the same range, so the product over the rounds is a power.
// Fire control plans with it (BurstCurve); the engine scores bursts with FireKill, which
// follows the target round by round.
func (s GunSpec) BurstKill(area, pkHit, rng float64) float64 {
	if s.BurstRounds < 1 || !(area > 0) || !(rng >= 0) {
		return 0
	}
	pkHit = min(max(pkHit, 0), 1)
	p, q := s.roundAt(area, rng)
	n := float64(s.BurstRounds)
	survive := overAim(s.AimError != 0, func(x float64) float64 {
		f := 1.0
		if q > 0 {
			f = math.Pow(x, q)
		}
		return math.Pow(1-pkHit*p*f, n)
	})
	return min(max(1-survive, 0), 1)
}

// BurstCurve is a gun's kill probability per burst against one kind of target, tabulated
// over slant range from MinRange to MaxRange for fire control, which asks for it many times
// a second: At interpolates linearly between curvePoints ranges. The kill probability falls
// with range (dispersion and aim error both grow with it), so the curve is monotone and
// RangeFor inverts it.
type BurstCurve struct {
	r0, dr float64
	pk     [curvePoints]float64
}

// curvePoints is the number of ranges of a BurstCurve: for the Pantsir-class gun (0.2–4 km)
// one every 119 m, where a burst's kill probability at a 1 m² drone changes by up to 0.063
// between ranges and the interpolation is at most 0.002 off half-way (TestGunBurstCurve
// allows 0.01).
const curvePoints = 33

// Curve tabulates BurstKill(area, pkHit, ·) over the gun's ranges.
func (s GunSpec) Curve(area, pkHit float64) BurstCurve {
	c := BurstCurve{r0: s.MinRange, dr: (s.MaxRange - s.MinRange) / (curvePoints - 1)}
	for i := range c.pk {
		c.pk[i] = s.BurstKill(area, pkHit, c.r0+float64(i)*c.dr)
	}
	return c
}

// At returns the kill probability of a burst at slant range rng (m), held at the end values
// outside the tabulated ranges.
func (c *BurstCurve) At(rng float64) float64 {
	if !(c.dr > 0) || !(rng > c.r0) {
		return c.pk[0]
	}
	x := (rng - c.r0) / c.dr
	i := int(x)
	if i >= curvePoints-1 {
		return c.pk[curvePoints-1]
	}
	f := x - float64(i)
	return c.pk[i] + f*(c.pk[i+1]-c.pk[i])
}

// RangeFor returns the longest slant range (m) at which a burst kills with at least
// probability pk (the curve's maximum range when it does everywhere), and false when no
// tabulated range reaches it.
func (c *BurstCurve) RangeFor(pk float64) (float64, bool) {
	if !(c.pk[0] >= pk) {
		return 0, false
	}
	for i := 1; i < curvePoints; i++ {
		if c.pk[i] < pk {
			// Between ranges i−1 and i, where the interpolated curve crosses pk.
			f := (c.pk[i-1] - pk) / (c.pk[i-1] - c.pk[i])
			return c.r0 + (float64(i-1)+f)*c.dr, true
		}
	}
	return c.r0 + float64(curvePoints-1)*c.dr, true
}
