// Package c2 owns command and control: threat evaluation (which asset a track threatens, the
// expected value at risk, the time to go), engagement planning (for each fire unit and weapon,
// whether an intercept is feasible — predicted intercept point inside the envelope, launch
// before the threat reaches its asset, time left for a second shot — and the kill probability
// of the engagement), and weapon-target assignment each decision cycle under a doctrine.
//
// It works on tracks, never on truth, and must not know how radars detect or how interceptors
// fly beyond the engage package's intercept prediction. The assignment itself is the static
// weapon-target assignment problem of package wta, solved afresh each cycle with the units'
// free fire channels as weapons and the tracks as targets (docs/c2.md).
package c2

import (
	"math"

	"github.com/adsim/adsim/engage"
	"github.com/adsim/adsim/geo"
)

// Doctrines: how many interceptors one engagement fires.
const (
	// ShootLookShoot fires one interceptor and waits for the outcome before the track may be
	// engaged again; when the geometry leaves no time for a second shot, it fires two at once.
	ShootLookShoot = "shoot-look-shoot"
	// Salvo fires Config.Salvo interceptors at once.
	Salvo = "salvo"
)

// Assignment methods.
const (
	// MethodWTA solves the asset-based weapon-target assignment (package wta) each cycle.
	MethodWTA = "wta"
	// MethodGreedy takes tracks by priority and gives each the best feasible weapon.
	MethodGreedy = "greedy"
	// MethodNearest is the naive baseline: each fire unit engages the nearest track it can.
	MethodNearest = "nearest"
)

// Layers, outermost first.
const (
	LayerLong = iota
	LayerMedium
	LayerShort
)

// Track is C2's view of one confirmed track.
type Track struct {
	// Category is the threat category from identification (scenario.Category*).
	Category string
	// Also lists the other categories identification cannot yet rule out (nil for none): a
	// unit whose rules of engagement (Unit.Engages) exclude any of them holds fire, so that
	// a unit told to leave drones alone does not fire at a track that may be one.
	Also []string
	// WarheadKg and CostUSD are the identified class's figures (0 when unknown).
	WarheadKg, CostUSD float64
	// BallisticCoef is the identified class's ballistic coefficient m/(Cd·A), kg/m², with
	// which threat evaluation predicts a ballistic track's impact (Planner.Globe); 0:
	// drag-free.
	BallisticCoef float64
	// Pos and Vel are the estimate at time T.
	Pos, Vel geo.Vec3
	T        float64
	// Engaged counts interceptors in flight, guns firing and shots being prepared at it.
	Engaged int

	// arc caches the ballistic prediction from this state (Planner.arcOf).
	arc *engage.Arc
}

// Asset is a defended asset as C2 sees it.
type Asset struct {
	Pos        geo.Vec3
	Value      float64
	Radius     float64
	HardnessKg float64
}

// Weapon is one weapon of a fire unit with its remaining rounds.
type Weapon struct {
	Gun                bool
	MinRange, MaxRange float64 // m, slant range from the unit to the intercept point
	MinAlt, MaxAlt     float64 // m above ground
	Speed              float64 // m/s mean flyout speed (missile) or muzzle velocity (gun)
	MaxTOF             float64 // s
	// Rounds left: missiles, or gun bursts that can still be fired. Magazine is the load at
	// the start (for the conservation reserve).
	Rounds, Magazine int
	// BurstPeriod is the time between gun bursts, s.
	BurstPeriod float64
	// Pk by threat category: one missile, or one gun burst.
	Pk map[string]float64
	// Curves, for a gun, is its kill probability per burst by threat category as a function
	// of slant range (engage.GunSpec.Curve). A category with a curve is planned with it and
	// fired at within the open-fire range (Config.GunOpenFirePk) when the track will come
	// that close; one without is planned with Pk at any range, from MaxRange in.
	Curves map[string]*engage.BurstCurve
	// CostUSD of one missile or one burst.
	CostUSD float64
	// LookLimit is the half-angle (rad) of the cone about the interceptor's velocity in
	// which its seeker must find the target (Feasible's look-angle test); 0 for an
	// all-round seeker, command guidance or a gun.
	LookLimit float64
	// Reach, for a missile with a flyout model, is its kinematic reach by the height of the
	// intercept point (inEnvelope); nil: MaxRange at every height.
	Reach Reach
	// Flight, for a missile with a flyout model, is its mean speed to the intercept point
	// by range and height, which sets the planned time of flight (InterceptFlight); nil:
	// Speed everywhere.
	Flight Flight
}

// Flight gives a missile's mean speed (m/s) over its flight to a point at slant range r (m)
// from its launcher and height h (m above ground), and false where it has none. A missile
// accelerates over its first kilometres and slows in dense air: one planning speed is
// optimistic for some shots and pessimistic for others.
type Flight interface {
	MeanSpeed(r, h float64) (float64, bool)
}

// Reach is a missile's kinematic reach: whether it flies to a point at slant range r (m)
// from its launcher and height h (m above ground) before its self-destruct time. A missile
// goes less far against a low target, through dense air, than against one at medium
// altitude, where catalogs measure MaxRange.
type Reach interface {
	Reaches(r, h float64) bool
}

// Unit is a fire unit as C2 sees it.
type Unit struct {
	Pos          geo.Vec3
	Layer        int // LayerLong, LayerMedium or LayerShort
	FreeChannels int
	Reaction     float64 // s from decision to first shot
	Weapons      []Weapon
	// CanSee reports whether the unit's own fire-control radar sees a point (line of sight,
	// elevation mask, instrumented range).
	CanSee func(p geo.Vec3) bool
	// Engages, when non-nil, lists the threat categories the unit may engage.
	Engages map[string]bool
}

// Threat is the result of threat evaluation for one track.
type Threat struct {
	Asset       int     // index of the asset most threatened, -1 if none
	ValueAtRisk float64 // expected value lost if the threat is not stopped
	TimeToGo    float64 // s from the track's time (Track.T) until the threat reaches that asset (or +Inf)
	Priority    float64 // value at risk per second of time to go
}

// Option is one feasible engagement of a track by one weapon of one unit.
type Option struct {
	Weapon int
	// Shots is the number of interceptors fired at once (gun: 1 engagement of many bursts).
	Shots int
	PIP   geo.Vec3
	// FireAt is the launch time, TOF the time of flight to the intercept point.
	FireAt, TOF float64
	// PkShot is the kill probability of one interceptor or burst; Pk that of the whole
	// engagement (Shots interceptors, or the bursts a gun can fire while the target is in
	// its envelope).
	PkShot, Pk float64
	// OpenRange, for a gun, is the slant range (m) within which it fires at the track: the
	// open-fire range (Config.GunOpenFirePk), or its maximum range when the track will not
	// come that close.
	OpenRange float64
	// SecondShot reports time for a look and a second engagement before the threat arrives.
	SecondShot bool
	// CostUSD of the engagement's expected expenditure.
	CostUSD float64
}

// Assignment is one decision: engage Track with Unit's Option.
type Assignment struct {
	Track, Unit int
	Option
	Threat Threat
}

// Config holds the doctrine of the defence (docs/c2.md, docs/scenario.md `c2`).
type Config struct {
	// Doctrine is ShootLookShoot (default) or Salvo.
	Doctrine string
	// Salvo is the number of interceptors of a salvo (default 2).
	Salvo int
	// Method is MethodWTA (default), MethodGreedy or MethodNearest.
	Method string
	// Layered: the outer layers engage first while the inner layer still has time — a track
	// that an outer unit can engage now is left to it unless its time to go is under
	// LayerMargin.
	Layered     bool
	LayerMargin float64 // s, default 60
	// Reserve is the share of each unit's missiles kept for high-value threats (value at risk
	// ≥ HighValue): below it, cheaper threats are not engaged with missiles.
	Reserve   float64
	HighValue float64
	// GunsFirst engages cheap threats (CostUSD ≤ CheapUSD) with a unit's gun rather than its
	// missiles whenever the gun can engage them.
	GunsFirst bool
	CheapUSD  float64
	// Cueing lets C2 assign a unit a track its own radar does not see yet, when the radar will
	// see the track's predicted position at the time the unit fires: the unit's reaction (laying
	// the launcher or the mount on the cue) runs on the network's picture. Without it a unit is
	// assigned only tracks its radar sees at the decision.
	Cueing bool
	// MaxPerTrack is the number of units that may be assigned one track in the same decision
	// cycle (default 1: one engagement at a time, the look of shoot-look-shoot coming after
	// it). With more, MethodWTA may send two fire units at once at a track whose value
	// warrants it (solveMulti); MethodGreedy and MethodNearest still assign one.
	MaxPerTrack int
	// MultiCategories, if not nil, limits MaxPerTrack to tracks of these categories
	// (Track.Category); the others get one unit at a time.
	MultiCategories map[string]bool
	// GunOpenFirePk is the kill probability a gun's burst must have at the predicted range
	// for the gun to open fire on a track that will come that close (0: from its maximum
	// range). A burst at longer range spends rounds for little: against a 1 m² drone the
	// catalog's Pantsir-class gun kills with 0.12 at 4 km and 0.40 at 2 km per 40-round burst
	// (Weapon.Curves). A track that will not come that close is fired at from the maximum
	// range: no better shot is coming.
	GunOpenFirePk float64
}

// Planner makes assignments each decision cycle.
type Planner struct {
	Config
	// Up returns the local vertical at a point (for ballistic prediction).
	Up func(p geo.Vec3) geo.Vec3
	// Altitude returns the altitude of a point above the ground, m.
	Altitude func(p geo.Vec3) float64
	// BallisticCategory names the category predicted with a gravity arc.
	BallisticCategory string
	// ThreatRadius is the distance (m) within which a predicted path counts as aimed at an
	// asset (default 2 km, an assumption).
	ThreatRadius float64
	// Globe and Atmosphere, when Globe is valid, predict where a ballistic track lands
	// (Evaluate) on an engage.Arc: inverse-square gravity and, on the descent, drag with the
	// track's BallisticCoef. With the zero Globe it follows the drag-free flat arc
	// (engage.Falling) along Up, as engagement planning always does (Predictor).
	Globe      engage.Globe
	Atmosphere engage.Atmosphere

	scratch planScratch
	// arcs is the pool of ballistic predictions handed out since the last Plan (arcOf).
	arcs    []*engage.Arc
	arcUsed int
	// noProbe, in tests only, has Plan work out every cycle in full, as it did before the
	// probe for a feasible option (Plan).
	noProbe bool
	// multiMax and multiCuts are the most nodes a search of solveMulti took and the number
	// of its searches cut short at multiNodeLimit (MultiStats).
	multiMax, multiCuts int
	multiGap            float64 // the largest proven relative gap of a search cut short
	// multiQuick, in tests only, replaces multiQuickNodes (negative: none, so that every
	// search runs with the Lagrangian bound).
	multiQuick int
}

// MultiStats reports, over the planner's cycles so far, the most nodes one search for several
// units per track took (MaxPerTrack > 1) and how many searches were cut short at the node
// limit, returning the best assignment found by then rather than a proven optimum.
func (p *Planner) MultiStats() (maxNodes, cut int) { return p.multiMax, p.multiCuts }

// MultiGap is the largest relative gap, (bound − gain)/bound, that a search cut short left
// between the assignment it returned and the Lagrangian bound on the best: 0 when none was cut.
func (p *Planner) MultiGap() float64 { return p.multiGap }

// Predictor returns how C2 extrapolates a track for engagement planning: a gravity arc for
// ballistic tracks, a straight line otherwise. Threat evaluation predicts a ballistic track's
// impact with drag (impactPredictor); planning keeps the drag-free arc, whose closed-form
// intercept (engage.InterceptBallistic) it is built on — docs/c2.md says what the drag arc
// did to planning when we tried it.
func (p *Planner) Predictor(tr *Track) engage.Predictor {
	if p.ballistic(tr) && p.Up != nil {
		return engage.Falling(tr.Pos, tr.Vel, p.Up(tr.Pos), tr.T)
	}
	return engage.Linear(tr.Pos, tr.Vel, tr.T)
}

// maxPooledArcs bounds the arcs pooled between two Plans: callers that predict outside Plan
// get fresh ones past it.
const maxPooledArcs = 256

// impactPredictor is how threat evaluation extrapolates a ballistic track to the ground: the
// engage.Arc with the track's ballistic coefficient when the planner has a Globe, else
// Predictor's drag-free arc.
func (p *Planner) impactPredictor(tr *Track) engage.Predictor {
	if a := p.arcOf(tr); a != nil {
		return a.At
	}
	return p.Predictor(tr)
}

// arcOf returns the ballistic prediction of a ballistic track when the planner has a Globe
// (nil otherwise), built once per track state. Arcs come from a pool that Plan recycles, and
// a track keeps the one built from its state; a track whose state changed since gets
// another, so that a Track value kept from an earlier cycle never sees (or changes) an arc
// another track now uses.
func (p *Planner) arcOf(tr *Track) *engage.Arc {
	if !p.ballistic(tr) || !p.Globe.Valid() {
		return nil
	}
	if tr.arc != nil && tr.arc.Matches(p.Globe, p.Atmosphere, tr.BallisticCoef, tr.Pos, tr.Vel, tr.T) {
		return tr.arc
	}
	var a *engage.Arc
	switch {
	case p.arcUsed < len(p.arcs):
		a = p.arcs[p.arcUsed]
		p.arcUsed++
	case len(p.arcs) < maxPooledArcs:
		a = &engage.Arc{}
		p.arcs = append(p.arcs, a)
		p.arcUsed++
	default:
		a = &engage.Arc{}
	}
	a.Reset(p.Globe, p.Atmosphere, tr.BallisticCoef, tr.Pos, tr.Vel, tr.T)
	tr.arc = a
	return a
}

// ballistic reports whether a track is predicted on a gravity arc.
func (p *Planner) ballistic(tr *Track) bool {
	return p.BallisticCategory != "" && tr.Category == p.BallisticCategory
}

// Damage is the expected share of an asset's value that a warhead of warheadKg destroys:
// 1 − exp(−W/H), the engine's damage model (docs/models.md); 1 when either figure is unknown.
func Damage(warheadKg, hardnessKg float64) float64 {
	if warheadKg <= 0 || hardnessKg <= 0 {
		return 1
	}
	return 1 - math.Exp(-warheadKg/hardnessKg)
}

// Evaluate rates one track: the asset whose footprint the predicted path passes closest to
// (within ThreatRadius counts fully; farther, the value at risk decays as exp(−(d−r)/10 km), a
// heuristic assumption), the expected value lost if it arrives (asset value × Damage), and the
// time to go. Ballistic tracks are propagated to the ground (with drag: impactPredictor),
// others along the straight line of their velocity.
func (p *Planner) Evaluate(tr *Track, assets []Asset) Threat {
	return p.evaluate(tr, assets, nil)
}

// damageMemo remembers Damage of the (warhead, hardness) pairs met so far. Plan evaluates
// every track at every cycle, but warheads come from a few identified categories and
// hardnesses from a few assets, so the exp of Damage is mostly a lookup.
type damageMemo []struct{ warhead, hardness, damage float64 }

// damage returns Damage(warheadKg, hardnessKg), from the memo when it has the pair.
func (m *damageMemo) damage(warheadKg, hardnessKg float64) float64 {
	if m == nil {
		return Damage(warheadKg, hardnessKg)
	}
	for _, e := range *m {
		if e.warhead == warheadKg && e.hardness == hardnessKg {
			return e.damage
		}
	}
	d := Damage(warheadKg, hardnessKg)
	if len(*m) < 64 { // a bound for pathological inputs; past it, compute
		*m = append(*m, struct{ warhead, hardness, damage float64 }{warheadKg, hardnessKg, d})
	}
	return d
}

// approachChunk is the number of assets whose closest approach evaluate computes before
// choosing among them.
const approachChunk = 8

// evaluate is Evaluate with Damage memoised in m (nil: none).
func (p *Planner) evaluate(tr *Track, assets []Asset, m *damageMemo) Threat {
	radius := p.ThreatRadius
	if radius == 0 {
		radius = 2000
	}
	best := Threat{Asset: -1, TimeToGo: math.Inf(1)}
	bestD := math.Inf(1)
	if p.ballistic(tr) && p.Altitude != nil {
		pred := p.impactPredictor(tr)
		// Time to impact: step the arc until it reaches the ground, then refine by bisection.
		lo, hi := 0.0, math.Inf(1)
		for dt := 4.0; dt < 1200; dt += 4 {
			if p.Altitude(pred(tr.T+dt)) <= 0 {
				lo, hi = dt-4, dt
				break
			}
		}
		if !math.IsInf(hi, 1) {
			for i := 0; i < 20; i++ {
				if mid := (lo + hi) / 2; p.Altitude(pred(tr.T+mid)) <= 0 {
					hi = mid
				} else {
					lo = mid
				}
			}
			imp := pred(tr.T + hi)
			for i, a := range assets {
				if d := imp.Sub(a.Pos).Norm() - a.Radius; d < bestD {
					bestD, best.Asset, best.TimeToGo = d, i, hi
				}
			}
		}
	} else {
		v2 := tr.Vel.Norm2()
		// The closest approach to an asset costs a division and a square root, and whether
		// the asset counts depends on them: deciding asset by asset stalls the processor on a
		// mispredicted branch at each. Computing a chunk of approaches first and choosing
		// among them after makes the same choice from the same numbers, faster.
		var tcs, ds [approachChunk]float64
		for i0 := 0; i0 < len(assets); i0 += approachChunk {
			chunk := assets[i0:min(i0+approachChunk, len(assets))]
			for j := range chunk {
				a := &chunk[j]
				rel := a.Pos.Sub(tr.Pos)
				tc := 0.0
				if v2 > 0 {
					tc = rel.Dot(tr.Vel) / v2
				}
				tcs[j], ds[j] = tc, rel.Sub(tr.Vel.Scale(tc)).Norm()-a.Radius
			}
			for j := range chunk {
				if tcs[j] < 0 {
					continue // moving away
				}
				if ds[j] < bestD {
					bestD, best.Asset, best.TimeToGo = ds[j], i0+j, tcs[j]
				}
			}
		}
	}
	if best.Asset >= 0 {
		w := 1.0
		if bestD > radius {
			w = math.Exp(-(bestD - radius) / 10000)
		}
		a := assets[best.Asset]
		best.ValueAtRisk = a.Value * m.damage(tr.WarheadKg, a.HardnessKg) * w
		best.Priority = best.ValueAtRisk / math.Max(best.TimeToGo, 10)
	}
	return best
}
