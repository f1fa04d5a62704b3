package sim

import (
	"sort"

	"github.com/adsim/adsim/scenario"
)

// Outcome is what happened in one run, folded from its event log.
type Outcome struct {
	Scenario    string  `json:"scenario"`
	Seed        uint64  `json:"seed"`
	Replication uint64  `json:"replication"`
	DurationS   float64 `json:"duration_s"`
	// EndS is when the run ended: DurationS, or earlier once the raid was over (every threat
	// launched and resolved, nothing engaging or in flight), after which nothing could change
	// the outcome.
	EndS float64 `json:"end_s"`

	// Conservation: Launched = Destroyed + Leaked + Flying.
	Launched  int `json:"launched"`
	Destroyed int `json:"destroyed"`
	Leaked    int `json:"leaked"`
	Flying    int `json:"flying"`
	// Detected counts threats that had a track at some time; Engaged, threats fired at.
	Detected int `json:"detected"`
	Engaged  int `json:"engaged"`

	ValueTotal float64 `json:"value_total"`
	ValueLost  float64 `json:"value_lost"`

	InterceptorsFired int     `json:"interceptors_fired"`
	GunRounds         int     `json:"gun_rounds"`
	DefenceCostUSD    float64 `json:"defence_cost_usd"`
	// ThreatCostUSD is the cost of the threats destroyed; ExchangeRatio = DefenceCostUSD /
	// ThreatCostUSD (below 1: the defence spends less than the attacker loses).
	ThreatCostUSD float64 `json:"threat_cost_usd"`
	ExchangeRatio float64 `json:"exchange_ratio,omitempty"`

	// Tracking is the quality of the air picture the defence fought with.
	Tracking TrackingOutcome `json:"tracking"`

	Classes []ClassOutcome `json:"classes"`
	Layers  []LayerOutcome `json:"layers"`
	Units   []UnitOutcome  `json:"units"`
	Assets  []AssetOutcome `json:"assets"`
	Leakers []Leaker       `json:"leakers"`
}

// TrackingOutcome measures the air picture against truth, once per decision cycle: OSPA
// (Schuhmacher, Vo & Vo 2008) and GOSPA with its decomposition (Rahmathullah et al. 2017),
// cut-off CutoffM, p = 1, positions only; track breaks, identity switches, time to confirm
// and false tracks (track.Scorer). It also counts what imperfect tracking cost.
type TrackingOutcome struct {
	// Picture is the air picture C2 decided on: "tracked", or "perfect" (scenario
	// c2.picture), which is not scored: its metrics are then 0 but for TracksConfirmed (the
	// picture's tracks), FalseTrackEngagements and InterceptorsWasted.
	Picture string `json:"picture"`
	// PerfectCategories are the categories in the perfect picture within the tracked one
	// (scenario c2.perfect_categories, the mixed picture): the metrics then score the whole
	// picture C2 decided on, those categories' perfect tracks with the tracker's.
	PerfectCategories []string `json:"perfect_categories,omitempty"`
	CutoffM           float64  `json:"cutoff_m"`
	MeanOSPA          float64  `json:"mean_ospa_m"`
	MeanGOSPA         float64  `json:"mean_gospa"`
	MeanLocalisation  float64  `json:"mean_gospa_localisation"`
	MeanMissed        float64  `json:"mean_gospa_missed"`
	MeanFalse         float64  `json:"mean_gospa_false"`
	TracksConfirmed   int      `json:"tracks_confirmed"`
	// FalseTracks are confirmed tracks never matched to a threat.
	FalseTracks        int     `json:"false_tracks"`
	FalseTracksPerHour float64 `json:"false_tracks_per_hour"`
	TrackBreaks        int     `json:"track_breaks"`
	IDSwitches         int     `json:"id_switches"`
	TimeToConfirmS     float64 `json:"time_to_confirm_s"`
	// FalseAlarms is the number of radar false alarms fed to the tracker.
	FalseAlarms int `json:"false_alarms"`
	// FalseTrackEngagements counts assignments to tracks that followed no threat; and
	// InterceptorsWasted the interceptors whose seekers found nothing to home on.
	FalseTrackEngagements int `json:"false_track_engagements"`
	InterceptorsWasted    int `json:"interceptors_wasted"`
}

// ClassOutcome is the fate of the threats of one class.
type ClassOutcome struct {
	Class     string `json:"class"`
	Category  string `json:"category"`
	Launched  int    `json:"launched"`
	Destroyed int    `json:"destroyed"`
	Leaked    int    `json:"leaked"`
	Flying    int    `json:"flying"`
}

// LayerOutcome is the work done by one layer of the defence.
type LayerOutcome struct {
	Layer             string `json:"layer"`
	Kills             int    `json:"kills"`
	InterceptorsFired int    `json:"interceptors_fired"`
	GunRounds         int    `json:"gun_rounds"`
}

// UnitOutcome is one fire unit's expenditure and kills.
type UnitOutcome struct {
	ID      string          `json:"id"`
	Class   string          `json:"class"`
	Layer   string          `json:"layer"`
	Kills   int             `json:"kills"`
	CostUSD float64         `json:"cost_usd"`
	Weapons []WeaponOutcome `json:"weapons"`
}

// WeaponOutcome is the expenditure of one weapon of a unit: missiles or gun rounds.
type WeaponOutcome struct {
	Weapon    string `json:"weapon"`
	Kind      string `json:"kind"`
	Fired     int    `json:"fired"`
	Remaining int    `json:"remaining"`
	Kills     int    `json:"kills"`
}

// AssetOutcome is the damage to one defended asset.
type AssetOutcome struct {
	ID        string  `json:"id"`
	Value     float64 `json:"value"`
	ValueLost float64 `json:"value_lost"`
	Impacts   int     `json:"impacts"`
}

// Leaker is a threat that reached its target or the end of its route, with what the defence
// did about it: when its first track was confirmed, and every shot at it.
type Leaker struct {
	Threat string `json:"threat"`
	Class  string `json:"class"`
	Asset  string `json:"asset,omitempty"`
	// Result is the leak event's: "egress" for an aircraft that released its stand-off
	// weapons and flew home (it survived and did no damage), else empty.
	Result string  `json:"result,omitempty"`
	T      float64 `json:"t"`
	// LaunchedS is its launch time, s; ConfirmedS the time the first track on it was
	// confirmed (nil: it never had a confirmed track).
	LaunchedS  float64  `json:"launched_s"`
	ConfirmedS *float64 `json:"confirmed_s,omitempty"`
	// Shots are the ends of the interceptors and gun bursts fired at its tracks, in the
	// order of the event log (those that ended after it arrived too).
	Shots []Shot `json:"shots"`
}

// Shot is how one interceptor or gun burst fired at a threat's track ended: its intercept,
// self-destruct or burst event (docs/events.md).
type Shot struct {
	T      float64 `json:"t"`
	Unit   string  `json:"unit"`
	Weapon string  `json:"weapon"`
	// Interceptor is the interceptor's id; empty for a gun burst.
	Interceptor string `json:"interceptor,omitempty"`
	// Result is the event's: kill or miss (intercept, burst); target_gone, no_target, timeout
	// or ground_impact (self-destruct); target_gone or in_flight (burst).
	Result string `json:"result"`
	// Pk and Draw decided a kill (kill when Draw < Pk); MissM is an interceptor's closest
	// approach. Nil when the event has none.
	Pk    *float64 `json:"pk,omitempty"`
	Draw  *float64 `json:"draw,omitempty"`
	MissM *float64 `json:"miss_m,omitempty"`
}

// Egressed counts the leakers that were aircraft flying home after releasing their stand-off
// weapons: they count as leaked (they survived) but did no damage.
func (o *Outcome) Egressed() int {
	n := 0
	for _, l := range o.Leakers {
		if l.Result == EgressResult {
			n++
		}
	}
	return n
}

// EgressResult is the result of the leak event of an aircraft that released its stand-off
// weapons and flew home.
const EgressResult = "egress"

// recorder folds events into an Outcome. It is the engine's own first sink.
type recorder struct {
	out      Outcome
	class    map[string]*ClassOutcome
	layer    map[string]*LayerOutcome
	unit     map[string]*UnitOutcome
	weapon   map[[2]string]*WeaponOutcome
	asset    map[string]*AssetOutcome
	detected map[string]bool
	engaged  map[string]bool
	cost     map[string]float64 // threat class → cost
	// For the leakers' stories: each threat's launch time, the time its first track was
	// confirmed, and the shots at it (a destroyed threat's are forgotten).
	launchedAt  map[string]float64
	confirmedAt map[string]float64
	shots       map[string][]Shot
}

func newRecorder(w *World) *recorder {
	r := &recorder{class: map[string]*ClassOutcome{}, layer: map[string]*LayerOutcome{},
		unit: map[string]*UnitOutcome{}, weapon: map[[2]string]*WeaponOutcome{},
		asset: map[string]*AssetOutcome{}, detected: map[string]bool{}, engaged: map[string]bool{},
		cost: map[string]float64{}, launchedAt: map[string]float64{}, confirmedAt: map[string]float64{},
		shots: map[string][]Shot{}}
	r.out.Scenario, r.out.Seed, r.out.Replication, r.out.DurationS = w.scen.Name, w.seed, w.streams.Replication, w.scen.DurationS
	addClass := func(c *scenario.ThreatClass) {
		if _, ok := r.class[c.ID]; !ok {
			r.out.Classes = append(r.out.Classes, ClassOutcome{Class: c.ID, Category: c.Category})
			r.cost[c.ID] = c.CostUSD.Value
		}
		r.class[c.ID] = nil
	}
	for _, te := range w.threats {
		addClass(te.class)
	}
	// Stand-off weapons that aircraft may release count in their own class.
	for _, te := range w.threats {
		if te.standoff != nil {
			addClass(te.standoff)
		}
	}
	for _, l := range []string{"long", "medium", "short"} {
		r.out.Layers = append(r.out.Layers, LayerOutcome{Layer: l})
	}
	for _, u := range w.units {
		uo := UnitOutcome{ID: u.id, Class: u.class, Layer: u.layer}
		for _, we := range u.weapons {
			uo.Weapons = append(uo.Weapons, WeaponOutcome{Weapon: we.spec.ID, Kind: we.spec.Kind, Remaining: we.rounds})
		}
		r.out.Units = append(r.out.Units, uo)
	}
	for _, a := range w.assets {
		r.out.Assets = append(r.out.Assets, AssetOutcome{ID: a.id, Value: a.value})
		r.out.ValueTotal += a.value
	}
	// Index into the slices (stable addresses: the slices are not appended to from here on).
	for i := range r.out.Classes {
		r.class[r.out.Classes[i].Class] = &r.out.Classes[i]
	}
	for i := range r.out.Layers {
		r.layer[r.out.Layers[i].Layer] = &r.out.Layers[i]
	}
	for i := range r.out.Units {
		u := &r.out.Units[i]
		r.unit[u.ID] = u
		for j := range u.Weapons {
			r.weapon[[2]string{u.ID, u.Weapons[j].Weapon}] = &u.Weapons[j]
		}
	}
	for i := range r.out.Assets {
		r.asset[r.out.Assets[i].ID] = &r.out.Assets[i]
	}
	r.out.Leakers = []Leaker{}
	return r
}

// Record implements Sink.
func (r *recorder) Record(e *Event) {
	o := &r.out
	switch e.Type {
	case EvLaunch:
		o.Launched++
		r.class[e.Class].Launched++
		r.launchedAt[e.Threat] = e.T
	case EvSelfDestruct:
		if e.Result == "no_target" {
			o.Tracking.InterceptorsWasted++
		}
		r.shot(e)
	case EvIntercept:
		r.shot(e)
	case EvTrackConfirm:
		if _, ok := r.confirmedAt[e.Threat]; e.Threat != "" && !ok {
			r.confirmedAt[e.Threat] = e.T
		}
	case EvTrackInit:
		if e.Threat != "" && !r.detected[e.Threat] {
			r.detected[e.Threat] = true
			o.Detected++
		}
	case EvAssign:
		if e.Result == "false_track" {
			o.Tracking.FalseTrackEngagements++
		}
		if e.Threat != "" && !r.engaged[e.Threat] {
			r.engaged[e.Threat] = true
			o.Engaged++
		}
	case EvFire:
		o.InterceptorsFired++
		r.layer[e.Layer].InterceptorsFired++
		r.weapon[[2]string{e.Unit, e.Weapon}].Fired++
		r.weapon[[2]string{e.Unit, e.Weapon}].Remaining--
		c, _ := e.Get(NCostUSD)
		r.unit[e.Unit].CostUSD += c
		o.DefenceCostUSD += c
	case EvBurst:
		r.shot(e)
		n, _ := e.Get(NRounds)
		o.GunRounds += int(n)
		r.layer[e.Layer].GunRounds += int(n)
		r.weapon[[2]string{e.Unit, e.Weapon}].Fired += int(n)
		r.weapon[[2]string{e.Unit, e.Weapon}].Remaining -= int(n)
		c, _ := e.Get(NCostUSD)
		r.unit[e.Unit].CostUSD += c
		o.DefenceCostUSD += c
	case EvKill:
		delete(r.shots, e.Threat) // no leaker
		o.Destroyed++
		r.class[e.Class].Destroyed++
		r.layer[e.Layer].Kills++
		r.unit[e.Unit].Kills++
		r.weapon[[2]string{e.Unit, e.Weapon}].Kills++
		o.ThreatCostUSD += r.cost[e.Class]
	case EvLeak:
		o.Leaked++
		r.class[e.Class].Leaked++
		o.Leakers = append(o.Leakers, Leaker{Threat: e.Threat, Class: e.Class, Asset: e.Asset, Result: e.Result, T: e.T,
			LaunchedS: r.launchedAt[e.Threat]})
	case EvImpact:
		lost, _ := e.Get(NValueLost)
		a := r.asset[e.Asset]
		a.ValueLost += lost
		a.Impacts++
		o.ValueLost += lost
	case EvEnd:
		o.Flying++
		r.class[e.Class].Flying++
	}
}

func (r *recorder) outcome() *Outcome {
	o := r.out
	if o.ThreatCostUSD > 0 {
		o.ExchangeRatio = o.DefenceCostUSD / o.ThreatCostUSD
	}
	sort.SliceStable(o.Leakers, func(i, j int) bool { return o.Leakers[i].T < o.Leakers[j].T })
	for i := range o.Leakers {
		l := &o.Leakers[i]
		if t, ok := r.confirmedAt[l.Threat]; ok {
			l.ConfirmedS = &t
		}
		l.Shots = append([]Shot{}, r.shots[l.Threat]...)
	}
	return &o
}

// shot keeps how an interceptor or burst fired at a threat's track ended (e is an intercept,
// self-destruct or burst event of a threat), for the story of a leaker.
func (r *recorder) shot(e *Event) {
	if e.Threat == "" {
		return // a false track's
	}
	opt := func(n Num) *float64 {
		if v, ok := e.Get(n); ok {
			return &v
		}
		return nil
	}
	r.shots[e.Threat] = append(r.shots[e.Threat], Shot{T: e.T, Unit: e.Unit, Weapon: e.Weapon, Interceptor: e.Interceptor,
		Result: e.Result, Pk: opt(NPk), Draw: opt(NDraw), MissM: opt(NMissM)})
}
