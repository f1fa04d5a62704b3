package c2

import (
	"math"

	"github.com/adsim/adsim/engage"
	"github.com/adsim/adsim/geo"
)

// intercept predicts the intercept point of a launch of weapon w at time fire from the
// unit: a gravity arc for ballistic tracks, the closed-form straight line otherwise, at the
// weapon's mean speed to that point (InterceptFlight).
func (p *Planner) intercept(tr *Track, from geo.Vec3, fire float64, w *Weapon) (geo.Vec3, float64, bool) {
	return p.InterceptFlight(tr, from, fire, w.Speed, w.Flight, w.MaxTOF)
}

// flightIterations bounds InterceptFlight's secant steps; flightTolerance is the
// relative change of the mean speed at which it stops.
const (
	flightIterations = 6
	flightTolerance  = 1e-3
)

// InterceptFlight is Intercept at the mean speed flight gives to the intercept point itself
// (nil flight, or no altitude function: at speed). The speed and the point depend on each
// other: it solves v = flight.MeanSpeed(|pip(v) − from|, h(pip(v))) for the speed v, from the
// planning speed (or, when no intercept exists at it, from the mean speed to where the track
// is at the launch), by secant steps, until v changes by less than flightTolerance. The plain
// fixed-point step v ← MeanSpeed(pip(v)) converges against a closing target, where its gain
// — the speed's slope in range (about 0.005 /s for the catalog's missiles) times the
// intercept range's slope in speed (range·v_T/(v+v_T)², under 10 s at 40 km) — is a few
// hundredths, but diverges against one receding almost as fast as the missile flies, where
// the intercept range's slope, range·v_T/(v−v_T)², is large; the secant converges in both.
func (p *Planner) InterceptFlight(tr *Track, from geo.Vec3, fire, speed float64, flight Flight, maxTOF float64) (geo.Vec3, float64, bool) {
	pip, tof, ok := p.Intercept(tr, from, fire, speed, maxTOF)
	if flight == nil || p.Altitude == nil {
		return pip, tof, ok
	}
	v0 := speed
	if !ok && !(tof > 0) {
		// No intercept at the planning speed (a target receding faster): start from the
		// speed to where the track is predicted at the launch, the nearest the intercept
		// can be. A target that outruns that too is taken as out of reach.
		at := tr.Pos.Add(tr.Vel.Scale(fire - tr.T))
		s, has := flight.MeanSpeed(at.Sub(from).Norm(), p.Altitude(at))
		if !has {
			return pip, tof, ok
		}
		v0 = s
		if pip, tof, ok = p.Intercept(tr, from, fire, v0, maxTOF); !ok && !(tof > 0) {
			return pip, tof, ok
		}
	}
	n0, has := flight.MeanSpeed(pip.Sub(from).Norm(), p.Altitude(pip))
	if !has || math.Abs(n0-v0) <= flightTolerance*v0 {
		return pip, tof, ok
	}
	h0 := n0 - v0 // the residual MeanSpeed(pip(v)) − v at v0
	v1 := n0      // a fixed-point step first
	for range flightIterations {
		if pip, tof, ok = p.Intercept(tr, from, fire, v1, maxTOF); !ok && !(tof > 0) {
			return pip, tof, false // no intercept at that speed
		}
		n1, has := flight.MeanSpeed(pip.Sub(from).Norm(), p.Altitude(pip))
		if !has {
			break
		}
		h1 := n1 - v1
		if math.Abs(h1) <= flightTolerance*v1 {
			break
		}
		next := n1
		if d := h1 - h0; d != 0 {
			if s := v1 - h1*(v1-v0)/d; s > 0 {
				next = s
			}
		}
		v0, h0, v1 = v1, h1, next
	}
	return pip, tof, ok
}

// Intercept is the predicted intercept point, time of flight and feasibility (within maxTOF)
// of an interceptor at the given mean speed launched from `from` at time fire, on the track's
// predicted path (Predictor): the exact first solution on a gravity arc for ballistic
// tracks (engage.InterceptBallistic), on the straight line otherwise (engage.InterceptLinear).
func (p *Planner) Intercept(tr *Track, from geo.Vec3, fire, speed, maxTOF float64) (geo.Vec3, float64, bool) {
	if p.ballistic(tr) && p.Up != nil {
		return engage.InterceptBallistic(from, fire, speed, maxTOF, tr.Pos, tr.Vel, p.Up(tr.Pos), tr.T)
	}
	return engage.InterceptLinear(from, fire, speed, maxTOF, tr.Pos, tr.Vel, tr.T)
}

// inEnvelope reports whether an intercept point is inside the weapon's range and altitude
// envelope, and within its kinematic reach at the point's height (Weapon.Reach).
func (p *Planner) inEnvelope(u *Unit, w *Weapon, pip geo.Vec3) bool {
	r := pip.Sub(u.Pos).Norm()
	if r < w.MinRange || r > w.MaxRange {
		return false
	}
	if p.Altitude != nil {
		alt := p.Altitude(pip)
		if alt < w.MinAlt || alt > w.MaxAlt {
			return false
		}
		if w.Reach != nil && !w.Reach.Reaches(r, alt) {
			return false
		}
	}
	return true
}

// seekerSees is the look-angle test of a missile shot: whether, on the collision course to
// the intercept point pip at time tHit, the target lies inside the seeker's cone about the
// interceptor's velocity (Weapon.LookLimit). Two bodies on a collision course at constant
// velocities see each other along a fixed line: r(t) = (v_M − v_T)(t_go − t), so the line of
// sight from the interceptor is along v_M − v_T and the look angle is the angle between v_M
// and v_M − v_T — the lead angle, large when the target crosses or dives faster than the
// interceptor flies. The interceptor's velocity is the planner's own model, the chord from the
// unit to pip at the weapon's mean speed; the target's is the track's, with gravity for a
// ballistic track. A shot outside the cone would fly to the intercept point with its seeker
// never finding the target, and destroy itself there. The interceptor's mean speed is the
// chord over the planned time of flight tof.
func (p *Planner) seekerSees(tr *Track, u *Unit, w *Weapon, pip geo.Vec3, tHit, tof float64) bool {
	if !(w.LookLimit > 0) || w.LookLimit >= math.Pi {
		return true
	}
	chord := pip.Sub(u.Pos)
	cn := chord.Norm()
	if !(cn > 0) || !(tof > 0) {
		return true
	}
	speed := cn / tof
	vM := chord.Scale(1 / tof)
	vT := tr.Vel
	if p.ballistic(tr) && p.Up != nil {
		vT = vT.Sub(p.Up(tr.Pos).Scale(engage.Gravity * (tHit - tr.T)))
	}
	los := vM.Sub(vT)
	ln := los.Norm()
	if !(ln > 0) {
		return true
	}
	return vM.Dot(los) >= speed*ln*math.Cos(w.LookLimit)
}

// mayFire reports whether weapon w of unit u may fire at the track at all (rounds left, a
// kill probability, the rules of engagement), and its kill probability.
func mayFire(tr *Track, u *Unit, w *Weapon) (pk float64, ok bool) {
	pk = w.Pk[tr.Category]
	if w.Rounds <= 0 || pk <= 0 || !u.allows(tr) {
		return pk, false
	}
	return pk, true
}

// gunLead is how soon (s) after the unit's reaction time a gun's window must open for
// Feasible to engage now.
const gunLead = 1

// Feasible plans the engagement of track tr (evaluated as ev) by weapon wi of unit u at time t:
// the intercept point of a launch after the unit's reaction time must be inside the envelope
// and reached before the threat reaches its asset. For a missile it also says whether a look
// and a second shot fit before then, which sets the number of interceptors under
// shoot-look-shoot; for a gun, the engagement lasts while the target is inside the gun's range
// and the kill probability compounds over the bursts that fit.
func (p *Planner) Feasible(t float64, tr *Track, ev Threat, u *Unit, wi int) (Option, bool) {
	w := &u.Weapons[wi]
	pk, may := mayFire(tr, u, w)
	if !may {
		return Option{}, false
	}
	fire := t + u.Reaction
	deadline := arrival(tr, ev)
	if w.Gun {
		start, bursts, reach := p.gunWindow(tr, u, w, fire, deadline)
		// A gun engages only when the target is about to enter its range; earlier the
		// channel would sit idle (GunLater tells whether it will be able to).
		if bursts <= 0 || start > fire+gunLead {
			return Option{}, false
		}
		pip, tof, _ := p.intercept(tr, u.Pos, start, w)
		if p.Altitude != nil {
			if alt := p.Altitude(pip); alt < w.MinAlt || alt > w.MaxAlt {
				return Option{}, false
			}
		}
		o := Option{Weapon: wi, PIP: pip, FireAt: start, TOF: tof, PkShot: pk, Shots: 1, OpenRange: reach}
		if c := w.Curves[tr.Category]; c != nil {
			// Each burst at the range the straight-line prediction gives at its time.
			d := tr.Pos.Add(tr.Vel.Scale(start - tr.T)).Sub(u.Pos)
			survive, expected := 1.0, 0.0
			for k := 0; k < bursts && survive > 1e-9; k++ {
				pkk := c.At(d.Add(tr.Vel.Scale(float64(k) * w.BurstPeriod)).Norm())
				if k == 0 {
					o.PkShot = pkk
				}
				expected += survive
				survive *= 1 - pkk
			}
			o.Pk = 1 - survive
			o.CostUSD = w.CostUSD * expected
			return o, o.Pk > 0
		}
		o.Pk = 1 - math.Pow(1-pk, float64(bursts))
		o.CostUSD = w.CostUSD * o.Pk / pk // expected bursts until a kill or the end
		return o, true
	}
	pip, tof, ok := p.intercept(tr, u.Pos, fire, w)
	if !ok || fire+tof > deadline || !p.inEnvelope(u, w, pip) || !p.seekerSees(tr, u, w, pip, fire+tof, tof) {
		return Option{}, false
	}
	o := Option{Weapon: wi, PIP: pip, FireAt: fire, TOF: tof, PkShot: pk}
	// Time for a look (the reaction time again) and a second shot?
	fire2 := fire + tof + u.Reaction
	if pip2, tof2, ok := p.intercept(tr, u.Pos, fire2, w); ok && fire2+tof2 <= deadline && p.inEnvelope(u, w, pip2) &&
		p.seekerSees(tr, u, w, pip2, fire2+tof2, tof2) {
		o.SecondShot = true
	}
	switch {
	case p.Doctrine == Salvo:
		o.Shots = max(p.Salvo, 1)
	case !o.SecondShot:
		o.Shots = 2 // shoot-look-shoot with no time to look: shoot-shoot
	default:
		o.Shots = 1
	}
	o.Shots = min(o.Shots, w.Rounds)
	// The conservation reserve: below it, missiles go only to high-value threats.
	if p.Reserve > 0 && float64(w.Rounds-o.Shots) < p.Reserve*float64(w.Magazine) && ev.ValueAtRisk < p.HighValue {
		return Option{}, false
	}
	o.Pk = 1 - math.Pow(1-pk, float64(o.Shots))
	o.CostUSD = w.CostUSD * float64(o.Shots)
	return o, true
}

// gunWindow is when a gun can fire at the track between fire and the deadline: the first
// time from fire on that the straight-line prediction is inside the gun's range reach,
// outside its minimum (the dead zone around the mount, where the gun cannot fire:
// GunSpec.Solve), and the number of bursts that fit before it leaves that interval — out of
// range, or into the dead zone — or reaches its asset, limited by the bursts left. A track
// inside the dead zone now is fired at once it is out of it again, if that is before the
// deadline.
//
// The range is the open-fire range (openRange) when the track will come inside it before
// the deadline: the gun waits for the better shots. A track that will not (a drone flying
// past at 3 km, one that reaches its asset first) is fired at from the gun's maximum range,
// since no better shot is coming.
func (p *Planner) gunWindow(tr *Track, u *Unit, w *Weapon, fire, deadline float64) (start float64, bursts int, reach float64) {
	if !(w.BurstPeriod > 0) {
		return 0, 0, 0
	}
	// |d + v τ|² = aτ² + bτ + |d|², d the track's position relative to the unit at time fire.
	d := tr.Pos.Add(tr.Vel.Scale(fire - tr.T)).Sub(u.Pos)
	a, b, d2 := tr.Vel.Norm2(), 2*d.Dot(tr.Vel), d.Norm2()
	if r, ok := p.openRange(w, tr.Category); ok && r < w.MaxRange {
		if start, bursts := w.window(a, b, d2, r, fire, deadline); bursts > 0 {
			return start, bursts, r
		}
	}
	start, bursts = w.window(a, b, d2, w.MaxRange, fire, deadline)
	return start, bursts, w.MaxRange
}

// window is gunWindow within range reach of a track at |d + v τ|² = aτ² + bτ + d2, τ from
// fire on.
func (w *Weapon) window(a, b, d2, reach, fire, deadline float64) (start float64, bursts int) {
	// Within reach: τ in [enter, exit].
	enter, exit, ok := within(a, b, d2, reach)
	if !ok {
		return 0, 0
	}
	enter = math.Max(0, enter)
	if w.MinRange > 0 {
		// Within the dead zone: τ in [in, out]; the window is the part of [enter, exit]
		// outside it that comes first.
		if in, out, ok := within(a, b, d2, w.MinRange); ok && out > enter && in < exit {
			if enter >= in {
				enter = out // in the dead zone at the start: wait until the track is out of it
			} else {
				exit = in // the track enters the dead zone before leaving the range
			}
		}
	}
	if math.IsInf(enter, 1) {
		return 0, 0 // a track that stays in the dead zone
	}
	start = fire + enter
	end := math.Min(fire+exit, deadline)
	if !(end >= start) {
		return 0, 0
	}
	return start, min(int((end-start)/w.BurstPeriod)+1, w.Rounds)
}

// openRange is the longest slant range (m) at which one burst of gun w kills a track of the
// category with GunOpenFirePk (Weapon.Curves), and false when no range does (or there is no
// curve, or no open-fire Pk).
func (p *Planner) openRange(w *Weapon, category string) (float64, bool) {
	c := w.Curves[category]
	if c == nil || !(p.GunOpenFirePk > 0) {
		return 0, false
	}
	return c.RangeFor(p.GunOpenFirePk)
}

// within returns the interval of τ where aτ² + bτ + c ≤ r² (a ≥ 0; τ unbounded for a = 0),
// and false when it is empty.
func within(a, b, c, r float64) (lo, hi float64, ok bool) {
	c -= r * r
	if a > 0 {
		disc := b*b - 4*a*c
		if disc < 0 {
			return 0, 0, false
		}
		sq := math.Sqrt(disc)
		return (-b - sq) / (2 * a), (-b + sq) / (2 * a), true
	}
	if c > 0 {
		return 0, 0, false
	}
	return math.Inf(-1), math.Inf(1), true
}

// arrival is when the track evaluated as ev reaches its asset: Evaluate's time to go counts
// from the track's own time, not the decision's (until December 2026 Feasible and GunLater
// added it to the decision's time, a second late for a track that coasted a scan).
func arrival(tr *Track, ev Threat) float64 { return tr.T + ev.TimeToGo }

// GunLater reports whether one of the unit's guns will be able to engage the track before it
// reaches its asset, even if not yet.
func (p *Planner) GunLater(t float64, tr *Track, ev Threat, u *Unit) bool {
	for wi := range u.Weapons {
		w := &u.Weapons[wi]
		if _, may := mayFire(tr, u, w); !w.Gun || !may {
			continue
		}
		if _, n, _ := p.gunWindow(tr, u, w, t+u.Reaction, arrival(tr, ev)); n > 0 {
			return true
		}
	}
	return false
}

// BestOption is the unit's engagement of the track under the doctrine: with GunsFirst a cheap
// threat is left to the unit's gun whenever the gun can engage it before it arrives (the
// missiles hold fire until then); otherwise the weapon with the highest engagement kill
// probability, ties going to the cheaper one.
func (p *Planner) BestOption(t float64, tr *Track, ev Threat, u *Unit) (Option, bool) {
	var best Option
	found := false
	cheap := p.GunsFirst && tr.CostUSD <= p.CheapUSD
	if cheap && p.GunLater(t, tr, ev, u) {
		// The unit's gun will get its chance: its missiles hold fire on this cheap threat.
		for wi := range u.Weapons {
			if u.Weapons[wi].Gun {
				if o, ok := p.Feasible(t, tr, ev, u, wi); ok {
					return o, true
				}
			}
		}
		return Option{}, false
	}
	for wi := range u.Weapons {
		o, ok := p.Feasible(t, tr, ev, u, wi)
		if !ok {
			continue
		}
		if !found || o.Pk > best.Pk || (o.Pk == best.Pk && o.CostUSD < best.CostUSD) {
			best, found = o, true
		}
	}
	return best, found
}
