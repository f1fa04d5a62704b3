// Package c2 owns command and control: threat evaluation (which asset a track threatens, the
// value at risk, the time to go), engagement feasibility (a predicted intercept point inside a
// weapon's envelope, early enough), and weapon-target assignment each decision cycle under a
// doctrine. It works on tracks, never on truth, and must not know how radars detect or how
// interceptors fly beyond the engage package's intercept prediction.
//
// This is the first fidelity: a greedy assignment in order of priority (value at risk over time
// to go) that gives each track the feasible weapon with the highest kill probability. The
// command-and-control issue replaces it with an optimising weapon-target assignment.
package c2

import (
	"math"
	"sort"

	"github.com/adsim/adsim/engage"
	"github.com/adsim/adsim/geo"
)

// Doctrines.
const (
	// ShootLookShoot fires one interceptor at a track and waits for the outcome before firing
	// again.
	ShootLookShoot = "shoot-look-shoot"
	// Salvo fires Planner.Salvo interceptors at once at a track.
	Salvo = "salvo"
)

// Track is C2's view of one confirmed track.
type Track struct {
	// Category is the threat category from identification (scenario.Category*).
	Category string
	// Pos and Vel are the estimate at time T.
	Pos, Vel geo.Vec3
	T        float64
	// Engaged counts interceptors in flight, guns firing and shots being prepared at it.
	Engaged int
}

// Asset is a defended asset as C2 sees it.
type Asset struct {
	Pos    geo.Vec3
	Value  float64
	Radius float64
}

// Weapon is one weapon of a fire unit with its remaining rounds.
type Weapon struct {
	Gun                bool
	MinRange, MaxRange float64 // m, slant range from the unit to the intercept point
	MinAlt, MaxAlt     float64 // m above ground
	Speed              float64 // m/s mean flyout speed (missile) or muzzle velocity (gun)
	MaxTOF             float64 // s
	// Rounds left: missiles, or gun bursts that can still be fired.
	Rounds int
	// Pk by threat category: one missile, or one gun burst.
	Pk map[string]float64
}

// Unit is a fire unit as C2 sees it.
type Unit struct {
	Pos          geo.Vec3
	FreeChannels int
	Reaction     float64 // s from decision to first shot
	Weapons      []Weapon
	// CanSee reports whether the unit's own fire-control radar sees a point (line of sight,
	// elevation mask, instrumented range).
	CanSee func(p geo.Vec3) bool
	// Altitude of a point above the ground, m (the unit's frame).
	Altitude func(p geo.Vec3) float64
	// Engages, when non-nil, lists the threat categories the unit may engage.
	Engages map[string]bool
}

// Threat is the result of threat evaluation for one track.
type Threat struct {
	Asset       int     // index of the asset most threatened, -1 if none
	ValueAtRisk float64 // expected value at risk
	TimeToGo    float64 // s until the threat reaches that asset (or +Inf)
	Priority    float64
}

// Assignment is one decision: fire Shots rounds of Weapon of Unit at Track.
type Assignment struct {
	Track, Unit, Weapon int
	Shots               int
	PIP                 geo.Vec3
	TOF, Pk             float64
	FireAt              float64
	Threat              Threat
}

// Planner makes assignments each decision cycle.
type Planner struct {
	Doctrine string
	Salvo    int
	// Up returns the local vertical at a point (for ballistic prediction).
	Up func(p geo.Vec3) geo.Vec3
	// Altitude returns the altitude of a point above the ground, m.
	Altitude func(p geo.Vec3) float64
	// BallisticCategory names the category predicted with a gravity arc.
	BallisticCategory string
	// ThreatRadius is the distance (m) within which a predicted path counts as aimed at an
	// asset (default 2 km, an assumption).
	ThreatRadius float64

	order []int
	evals []Threat
	reach []unitReach
}

// unitReach bounds what a unit can engage this cycle: the longest weapon range (m) and the
// longest reaction plus time of flight (s).
type unitReach struct{ rng, tof float64 }

// Predictor returns how C2 extrapolates a track: a gravity arc for ballistic tracks, a
// straight line otherwise.
func (p *Planner) Predictor(tr *Track) engage.Predictor {
	if p.ballistic(tr) && p.Up != nil {
		return engage.Falling(tr.Pos, tr.Vel, p.Up(tr.Pos), tr.T)
	}
	return engage.Linear(tr.Pos, tr.Vel, tr.T)
}

// Evaluate rates one track: the asset whose footprint the predicted path passes closest to
// (within ThreatRadius counts fully; farther, the value at risk decays as exp(−(d−r)/10 km), a
// heuristic assumption), and the time to go to that point. Ballistic tracks are propagated
// to the ground; others along the straight line of their velocity.
func (p *Planner) Evaluate(tr *Track, assets []Asset) Threat {
	radius := p.ThreatRadius
	if radius == 0 {
		radius = 2000
	}
	best := Threat{Asset: -1, TimeToGo: math.Inf(1)}
	bestD := math.Inf(1)
	if p.ballistic(tr) && p.Altitude != nil {
		pred := p.Predictor(tr)
		// Time to impact: step the arc until it reaches the ground.
		tImp := math.Inf(1)
		for dt := 1.0; dt < 900; dt++ {
			if p.Altitude(pred(tr.T+dt)) <= 0 {
				tImp = dt
				break
			}
		}
		if !math.IsInf(tImp, 1) {
			imp := pred(tr.T + tImp)
			for i, a := range assets {
				if d := imp.Sub(a.Pos).Norm() - a.Radius; d < bestD {
					bestD, best.Asset, best.TimeToGo = d, i, tImp
				}
			}
		}
	} else {
		v2 := tr.Vel.Norm2()
		for i, a := range assets {
			rel := a.Pos.Sub(tr.Pos)
			tc := 0.0
			if v2 > 0 {
				tc = rel.Dot(tr.Vel) / v2
			}
			if tc < 0 {
				continue // moving away
			}
			d := rel.Sub(tr.Vel.Scale(tc)).Norm() - a.Radius
			if d < bestD {
				bestD, best.Asset, best.TimeToGo = d, i, tc
			}
		}
	}
	if best.Asset >= 0 {
		w := 1.0
		if bestD > radius {
			w = math.Exp(-(bestD - radius) / 10000)
		}
		best.ValueAtRisk = assets[best.Asset].Value * w
		best.Priority = best.ValueAtRisk / math.Max(best.TimeToGo, 10)
	}
	return best
}

// Plan makes this cycle's assignments at time t. Tracks are taken in decreasing priority; each
// gets, if it is not already engaged (shoot-look-shoot) or not yet fully engaged (salvo), the
// feasible weapon with the highest Pk, ties broken by the earlier intercept. Units' free
// channels and rounds are consumed in place so later tracks see what is left.
func (p *Planner) Plan(t float64, tracks []Track, assets []Asset, units []Unit) []Assignment {
	p.order = p.order[:0]
	if cap(p.evals) < len(tracks) {
		p.evals = make([]Threat, len(tracks))
	}
	p.evals = p.evals[:len(tracks)]
	for i := range tracks {
		if tracks[i].Engaged > 0 {
			continue // only tracks that may be assigned are evaluated
		}
		p.order = append(p.order, i)
		p.evals[i] = p.Evaluate(&tracks[i], assets)
	}
	if len(p.order) == 0 {
		return nil
	}
	// Reach of each unit: no weapon can intercept a track farther than its longest range plus
	// the distance the track covers before the slowest possible intercept.
	if cap(p.reach) < len(units) {
		p.reach = make([]unitReach, len(units))
	}
	p.reach = p.reach[:len(units)]
	for ui := range units {
		r := unitReach{}
		for _, w := range units[ui].Weapons {
			if w.Rounds > 0 {
				r.rng = math.Max(r.rng, w.MaxRange)
				r.tof = math.Max(r.tof, w.MaxTOF)
			}
		}
		r.tof += units[ui].Reaction
		p.reach[ui] = r
	}
	sort.SliceStable(p.order, func(a, b int) bool {
		return p.evals[p.order[a]].Priority > p.evals[p.order[b]].Priority
	})
	shots := 1
	if p.Doctrine == Salvo {
		shots = max(p.Salvo, 1)
	}
	var out []Assignment
	for _, ti := range p.order {
		tr := &tracks[ti]
		ev := p.evals[ti]
		var pred engage.Predictor // built only for ballistic tracks (a closure allocates)
		if p.ballistic(tr) {
			pred = p.Predictor(tr)
		}
		speed := tr.Vel.Norm()
		best := Assignment{Unit: -1}
		for ui := range units {
			u := &units[ui]
			if u.FreeChannels <= 0 || (u.Engages != nil && !u.Engages[tr.Category]) {
				continue
			}
			rc := p.reach[ui]
			if tr.Pos.Sub(u.Pos).Norm()-speed*rc.tof-0.5*engage.Gravity*rc.tof*rc.tof > rc.rng {
				continue // out of reach of every weapon of the unit
			}
			if u.CanSee != nil && !u.CanSee(tr.Pos) {
				continue
			}
			fire := t + u.Reaction
			for wi := range u.Weapons {
				w := &u.Weapons[wi]
				if w.Rounds <= 0 {
					continue
				}
				pk := w.Pk[tr.Category]
				if pk <= 0 {
					continue
				}
				var pip geo.Vec3
				var tof float64
				var ok bool
				if pred != nil {
					pip, tof, ok = engage.Intercept(u.Pos, fire, w.Speed, w.MaxTOF, pred)
				} else {
					pip, tof, ok = engage.InterceptLinear(u.Pos, fire, w.Speed, w.MaxTOF, tr.Pos, tr.Vel, tr.T)
				}
				if !ok {
					continue
				}
				r := pip.Sub(u.Pos).Norm()
				if r < w.MinRange || r > w.MaxRange {
					continue
				}
				if u.Altitude != nil {
					if alt := u.Altitude(pip); alt < w.MinAlt || alt > w.MaxAlt {
						continue
					}
				}
				if fire+tof-t > ev.TimeToGo {
					continue // the threat would reach its asset first
				}
				if pk > best.Pk || (pk == best.Pk && best.Unit >= 0 && fire+tof < best.FireAt+best.TOF) {
					best = Assignment{Track: ti, Unit: ui, Weapon: wi, PIP: pip, TOF: tof, Pk: pk, FireAt: fire, Threat: ev}
				}
			}
		}
		if best.Unit < 0 {
			continue
		}
		u := &units[best.Unit]
		w := &u.Weapons[best.Weapon]
		best.Shots = min(shots, w.Rounds)
		if w.Gun {
			best.Shots = 1
		}
		w.Rounds -= best.Shots
		u.FreeChannels--
		out = append(out, best)
	}
	return out
}

// ballistic reports whether a track is predicted on a gravity arc.
func (p *Planner) ballistic(tr *Track) bool {
	return p.BallisticCategory != "" && tr.Category == p.BallisticCategory
}
