package mc

import (
	"encoding/json"
	"math"
)

// Summary holds the running statistics of a Monte Carlo run: a fixed amount of memory per
// column (moments, ratio sums, and for integer counts of interceptors and gun rounds an exact
// histogram of distinct values), never the rows themselves. Rows must be added in
// replication-index order for bit-identical results (floating-point sums depend on order).
type Summary struct {
	st      *Study
	l       *Layout
	first   uint64
	n       int64
	anyLeak int64
	leaking RepList // the replications with at least one leaker

	leak                                Ratio // leaked / launched
	exchange                            Ratio // defence cost / threat cost destroyed
	leaked, valueLost, cost, threatCost Moments
	leakedNoShot                        Moments // leakers nothing was fired at
	leakedUntracked                     Moments // leakers never tracked
	interceptors, gunRounds             Moments
	interceptorCounts, gunCounts        Counts
	layerKills, layerFired              [len(layers)]Moments
	classLeak                           []Ratio
	classAny                            []int64
	classLaunched, classDestroyed       []Moments
	assetHit                            []int64
	assetLost                           []Moments
	unitKills                           []Moments
	weaponFired                         [][]Moments
}

// NewSummary returns an empty summary for the study's layout.
func NewSummary(st *Study) *Summary {
	l := st.Layout()
	s := &Summary{st: st, l: l, leak: Ratio{Proportion: true}}
	nc := len(l.Classes)
	s.classLeak, s.classAny = make([]Ratio, nc), make([]int64, nc)
	for c := range s.classLeak {
		s.classLeak[c].Proportion = true
	}
	s.classLaunched, s.classDestroyed = make([]Moments, nc), make([]Moments, nc)
	s.assetHit, s.assetLost = make([]int64, len(l.Assets)), make([]Moments, len(l.Assets))
	s.unitKills, s.weaponFired = make([]Moments, len(l.Units)), make([][]Moments, len(l.Units))
	for u := range l.Units {
		s.weaponFired[u] = make([]Moments, len(l.Units[u].Weapons))
	}
	return s
}

// WriteRow is Add as a RowSink (a Summary of a side of a comparison, CompareOptions).
func (s *Summary) WriteRow(r *Row) error {
	s.Add(r)
	return nil
}

// Add folds one row in. Call it in replication-index order.
func (s *Summary) Add(r *Row) {
	l := s.l
	if s.n == 0 {
		s.first = r.Rep
	}
	s.n++
	in, fl := r.Int, r.Float
	if in[iLeaked] > 0 {
		s.anyLeak++
		s.leaking.Add(r.Rep)
	}
	s.leak.Add(float64(in[iLaunched]), float64(in[iLeaked]))
	s.exchange.Add(fl[fThreatCost], fl[fDefenceCost])
	s.leaked.Add(float64(in[iLeaked]))
	s.leakedNoShot.Add(float64(in[iLeakedNoShot]))
	s.leakedUntracked.Add(float64(in[iLeakedUntracked]))
	s.valueLost.Add(fl[fValueLost])
	s.cost.Add(fl[fDefenceCost])
	s.threatCost.Add(fl[fThreatCost])
	s.interceptors.Add(float64(in[iInterceptors]))
	s.gunRounds.Add(float64(in[iGunRounds]))
	s.interceptorCounts.Add(in[iInterceptors])
	s.gunCounts.Add(in[iGunRounds])
	for k := range layers {
		s.layerKills[k].Add(float64(in[iLayer+k]))
		s.layerFired[k].Add(float64(in[iLayer+len(layers)+k]))
	}
	for c := range l.Classes {
		launched, leaked := in[l.classLaunched(c)], in[l.classLeaked(c)]
		s.classLeak[c].Add(float64(launched), float64(leaked))
		if leaked > 0 {
			s.classAny[c]++
		}
		s.classLaunched[c].Add(float64(launched))
		s.classDestroyed[c].Add(float64(in[l.classDestroyed(c)]))
	}
	for a := range l.Assets {
		lost := fl[fAsset+a]
		if lost > 0 {
			s.assetHit[a]++
		}
		s.assetLost[a].Add(lost)
	}
	for u := range l.Units {
		base := l.unitOff[u]
		s.unitKills[u].Add(float64(in[base]))
		for w := range l.Units[u].Weapons {
			s.weaponFired[u][w].Add(float64(in[base+1+w]))
		}
	}
}

// N is the number of replications folded in.
func (s *Summary) N() int64 { return s.n }

// LeakRate is leakers per threat launched (ratio estimator over replications, 95 %
// Korn–Graubard interval: Ratio.CI).
func (s *Summary) LeakRate() Interval { return s.leak.CI() }

// ValueLost is the mean asset value lost per replication with its 95 % interval, bounded by 0
// and the assets' value (Moments.BoundedCI).
func (s *Summary) ValueLost() Interval { return s.valueLost.BoundedCI(0, valueTotal(s.l)) }

// Result is the summary of a Monte Carlo run as written to summary.json and printed. Every
// Interval is a 95 % confidence interval; docs/results.md says how each is computed.
type Result struct {
	Scenario     string `json:"scenario"`
	Fingerprint  string `json:"fingerprint"`
	Seed         uint64 `json:"seed"`
	Replications int64  `json:"replications"`
	FirstRep     uint64 `json:"first_replication"`
	// Picture is the air picture C2 decided on: "tracked" or "perfect" (scenario c2.picture).
	Picture string `json:"picture"`
	// PerfectCategories are the threat categories C2 saw perfectly within the tracked
	// picture (scenario c2.perfect_categories, the mixed picture); absent: none.
	PerfectCategories []string `json:"perfect_categories,omitempty"`

	// LeakRate: leakers per threat launched (ratio estimator, Korn–Graubard interval).
	LeakRate Interval `json:"leak_rate"`
	// AnyLeak: probability that a replication has at least one leaker (Wilson).
	AnyLeak Interval `json:"p_any_leak"`
	// Leakers: mean leakers per replication (Moments.BoundedCI).
	Leakers Interval `json:"leakers"`
	// LeakersNoShot: mean leakers per replication that nothing was fired at (no interceptor
	// or gun burst at any of their tracks), as Leakers: the leakers the defence never
	// engaged, as against those its shots missed.
	LeakersNoShot Interval `json:"leakers_no_shot"`
	// LeakersUntracked: mean leakers per replication that never had a confirmed track, as
	// Leakers: the leakers the sensors and the tracker missed.
	LeakersUntracked Interval `json:"leakers_untracked"`
	// Leaking: how many replications had at least one leaker, and the lowest MaxRepsListed
	// of them, to replay with adsim run --replication.
	Leaking    RepList `json:"leaking_replications"`
	ValueTotal float64 `json:"value_total"`
	// ValueLost: mean asset value lost per replication (Moments.BoundedCI).
	ValueLost    Interval `json:"value_lost"`
	Interceptors Dist     `json:"interceptors_fired"`
	GunRounds    Dist     `json:"gun_rounds"`
	// DefenceCostUSD and ThreatCostUSD: means per replication; ExchangeRatio: Σ defence cost /
	// Σ cost of threats destroyed (ratio estimator).
	DefenceCostUSD Interval      `json:"defence_cost_usd"`
	ThreatCostUSD  Interval      `json:"threat_cost_usd"`
	ExchangeRatio  Interval      `json:"exchange_ratio"`
	Layers         []LayerResult `json:"layers"`
	Classes        []ClassResult `json:"classes"`
	Assets         []AssetResult `json:"assets"`
	Units          []UnitResult  `json:"units"`
}

// Dist describes an integer count per replication: mean with interval, and exact
// nearest-rank percentiles.
type Dist struct {
	Mean Interval `json:"mean"`
	P5   float64  `json:"p5"`
	P50  float64  `json:"p50"`
	P95  float64  `json:"p95"`
	Max  float64  `json:"max"`
}

// LayerResult is the mean work of one layer per replication.
type LayerResult struct {
	Layer string `json:"layer"`
	// Units is the number of fire units of the layer in the scenario.
	Units        int      `json:"units"`
	Kills        Interval `json:"kills"`
	Interceptors Interval `json:"interceptors_fired"`
}

// ClassResult is the fate of one threat class.
type ClassResult struct {
	Class string `json:"class"`
	// Category is the class's threat category (drone, cruise_missile, ballistic_missile,
	// aircraft): an aircraft's leakers are aircraft not shot down, those with stand-off
	// weapons after releasing them and flying home (docs/models.md).
	Category  string   `json:"category,omitempty"`
	Launched  float64  `json:"launched"`
	Destroyed Interval `json:"destroyed"`
	LeakRate  Interval `json:"leak_rate"`
	AnyLeak   Interval `json:"p_any_leak"`
}

// AssetResult is the damage to one asset.
type AssetResult struct {
	ID        string   `json:"id"`
	Value     float64  `json:"value"`
	Hit       Interval `json:"p_hit"`
	ValueLost Interval `json:"value_lost"`
}

// UnitResult is one fire unit's kills and expenditure per replication.
type UnitResult struct {
	ID      string         `json:"id"`
	Kills   Interval       `json:"kills"`
	Weapons []WeaponResult `json:"weapons"`
}

// WeaponResult is one weapon's expenditure per replication (missiles or gun rounds).
type WeaponResult struct {
	Weapon string   `json:"weapon"`
	Fired  Interval `json:"fired"`
}

// dist is the distribution of a count of at most top per replication.
func dist(m *Moments, c *Counts, top float64) Dist {
	return Dist{Mean: m.BoundedCI(0, top), P5: c.Quantile(0.05), P50: c.Quantile(0.5), P95: c.Quantile(0.95), Max: c.Quantile(1)}
}

// Result computes the summary's statistics.
func (s *Summary) Result() *Result {
	l := s.l
	r := &Result{Scenario: s.st.scen.Name, Fingerprint: s.st.Fingerprint(), Seed: s.st.Seed, Picture: s.st.Picture(),
		PerfectCategories: s.st.Scenario().C2.PerfectCategories,
		Replications:      s.n, FirstRep: s.first,
		LeakRate: s.leak.CI(), AnyLeak: Wilson(s.anyLeak, s.n, Z95), Leakers: s.leaked.BoundedCI(0, s.leak.maxX),
		LeakersNoShot: s.leakedNoShot.BoundedCI(0, s.leak.maxX), LeakersUntracked: s.leakedUntracked.BoundedCI(0, s.leak.maxX),
		Leaking:   s.leaking.clone(),
		ValueLost: s.ValueLost(), Interceptors: dist(&s.interceptors, &s.interceptorCounts, l.magazines("", false)),
		GunRounds: dist(&s.gunRounds, &s.gunCounts, l.magazines("", true)), DefenceCostUSD: s.cost.BoundedCI(0, l.maxCost),
		ThreatCostUSD: s.threatCost.BoundedCI(0, l.maxThreatCost), ExchangeRatio: s.exchange.CI()}
	r.ValueTotal = valueTotal(l)
	// Counts have bounds of their own: kills the threats launched (the most of any
	// replication), what was fired the magazines. A unit that never fired in n replications
	// then gets the bound through P(fired > 0) of BoundedCI, not the point 0.
	launched := s.leak.maxX
	for k, ly := range layers {
		n := 0
		for _, u := range l.Units {
			if u.Layer == ly {
				n++
			}
		}
		r.Layers = append(r.Layers, LayerResult{Layer: ly, Units: n, Kills: s.layerKills[k].BoundedCI(0, launched),
			Interceptors: s.layerFired[k].BoundedCI(0, l.magazines(ly, false))})
	}
	for c, id := range l.Classes {
		category := ""
		if tc, ok := s.st.cat.Threat(id); ok {
			category = tc.Category
		}
		r.Classes = append(r.Classes, ClassResult{Class: id, Category: category, Launched: s.classLaunched[c].Mean(),
			Destroyed: s.classDestroyed[c].BoundedCI(0, s.classLaunched[c].Max), LeakRate: s.classLeak[c].CI(), AnyLeak: Wilson(s.classAny[c], s.n, Z95)})
	}
	for a, id := range l.Assets {
		r.Assets = append(r.Assets, AssetResult{ID: id, Value: l.Values[a], Hit: Wilson(s.assetHit[a], s.n, Z95),
			ValueLost: s.assetLost[a].BoundedCI(0, l.Values[a])})
	}
	for u, uc := range l.Units {
		ur := UnitResult{ID: uc.ID, Kills: s.unitKills[u].BoundedCI(0, launched)}
		for w, id := range uc.Weapons {
			ur.Weapons = append(ur.Weapons, WeaponResult{Weapon: id, Fired: s.weaponFired[u][w].BoundedCI(0, l.rounds[u][w])})
		}
		r.Units = append(r.Units, ur)
	}
	return r
}

// valueTotal is the value of all the assets, the most a replication can lose.
func valueTotal(l *Layout) float64 {
	var v float64
	for _, x := range l.Values {
		v += x
	}
	return v
}

// MarshalJSON writes what JSON cannot hold as null: an estimate that is undefined (NaN: a rate
// with nothing launched) as null with null bounds, and a bound that does not exist — the
// upper end of a mean cost or of the exchange ratio from one replication, which nothing bounds
// — as null beside a number. Every bound with a finite value (a proportion's clip to [0, 1], a
// count's bound by its magazine or the threats launched) is written as that number.
func (iv Interval) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Est *float64 `json:"est"`
		Lo  *float64 `json:"lo"`
		Hi  *float64 `json:"hi"`
	}{finite(iv.Est), finite(iv.Lo), finite(iv.Hi)})
}

// UnmarshalJSON reads what MarshalJSON writes: a null estimate as NaN throughout, a null
// bound beside an estimate as −∞ (lo) or +∞ (hi).
func (iv *Interval) UnmarshalJSON(b []byte) error {
	var v struct{ Est, Lo, Hi *float64 }
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if v.Est == nil {
		*iv = Interval{Est: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
		return nil
	}
	*iv = Interval{Est: *v.Est, Lo: orInf(v.Lo, -1), Hi: orInf(v.Hi, 1)}
	return nil
}

// distJSON is Dist as written: its percentiles are NaN only with no replications, null then.
type distJSON struct {
	Mean Interval `json:"mean"`
	P5   *float64 `json:"p5"`
	P50  *float64 `json:"p50"`
	P95  *float64 `json:"p95"`
	Max  *float64 `json:"max"`
}

// MarshalJSON writes a percentile of no replications (NaN) as null.
func (d Dist) MarshalJSON() ([]byte, error) {
	return json.Marshal(distJSON{d.Mean, finite(d.P5), finite(d.P50), finite(d.P95), finite(d.Max)})
}

// UnmarshalJSON reads null percentiles back as NaN.
func (d *Dist) UnmarshalJSON(b []byte) error {
	var v distJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*d = Dist{Mean: v.Mean, P5: orNaN(v.P5), P50: orNaN(v.P50), P95: orNaN(v.P95), Max: orNaN(v.Max)}
	return nil
}

// classJSON is ClassResult as written: Launched, a mean, is NaN only with no replications.
type classJSON struct {
	Class     string   `json:"class"`
	Launched  *float64 `json:"launched"`
	Destroyed Interval `json:"destroyed"`
	LeakRate  Interval `json:"leak_rate"`
	AnyLeak   Interval `json:"p_any_leak"`
}

// MarshalJSON writes the mean launched of no replications (NaN) as null.
func (c ClassResult) MarshalJSON() ([]byte, error) {
	return json.Marshal(classJSON{c.Class, finite(c.Launched), c.Destroyed, c.LeakRate, c.AnyLeak})
}

// UnmarshalJSON reads a null mean launched back as NaN.
func (c *ClassResult) UnmarshalJSON(b []byte) error {
	var v classJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*c = ClassResult{Class: v.Class, Launched: orNaN(v.Launched), Destroyed: v.Destroyed, LeakRate: v.LeakRate, AnyLeak: v.AnyLeak}
	return nil
}

func finite(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

func orNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func orInf(p *float64, sign int) float64 {
	if p == nil {
		return math.Inf(sign)
	}
	return *p
}
