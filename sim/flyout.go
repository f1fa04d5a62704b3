package sim

import (
	"fmt"
	"math"
	"sort"

	"github.com/adsim/adsim/engage"
	"github.com/adsim/adsim/geo"
	"github.com/adsim/adsim/scenario"
	"github.com/adsim/adsim/threat"
	"github.com/adsim/adsim/track"
)

// This file wires the engagement physics of package engage (interceptor flyouts, fuzing,
// kill probability from the miss distance, gun bursts) and the threat flight models of
// package threat (routed flight with turn limits, ballistic flight with drag, aircraft that
// release stand-off weapons) into the frame. docs/engagement.md ("Engine integration") has
// the rules; weapons without physics figures keep the first-fidelity model of engagement.go.

// armTime is the fuze arming delay after launch (s): an assumption, the same for every
// interceptor (a few hundred metres of flight keep the launcher safe).
const armTime = 0.5

// routeStep is the internal step of routed threat flights (s): a turn-rate-limited heading
// and the height lag are integrated at 4 Hz (a drone turning at 6°/s turns 1.5° per step).
const routeStep = 0.25

// flyoutSpec is a missile class's flyout model in SI units, built once per weapon.
type flyoutSpec struct {
	spec   engage.MissileSpec // with a unit peak lethality: Pk0 comes from pk0 by category
	pk0    map[string]float64
	loft   float64 // rad, at the maximum range
	maxR   float64 // m
	cosFOV float64 // cos(FOV/2), −2 when all-round
}

// lookLimit is the seeker half-angle C2 plans a missile's shots with (c2.Weapon.LookLimit):
// 0 for a weapon without a flyout model or with an all-round seeker.
func (we *weaponEnt) lookLimit() float64 {
	if we.fly == nil || we.fly.cosFOV < -1 {
		return 0
	}
	return we.fly.spec.SeekerFOV / 2
}

// loftAt is the launch loft (rad) for an intercept point at range r (m): the catalog loft at
// the maximum range, scaled down linearly with the range (a short shot flies direct).
func (f *flyoutSpec) loftAt(r float64) float64 {
	if !(f.maxR > 0) {
		return f.loft
	}
	return f.loft * math.Min(1, r/f.maxR)
}

// flyoutFromCatalog converts a weapon's catalog figures to the flyout model.
func flyoutFromCatalog(wp *scenario.Weapon) (*flyoutSpec, error) {
	d := wp.DiameterM.Value
	spec := engage.MissileSpec{
		BoostThrust: wp.BoostThrustN.Value, BoostTime: wp.BoostTimeS.Value,
		SustainThrust: wp.SustainThrustN.Value, SustainTime: wp.SustainTimeS.Value,
		MassLaunch: wp.MassLaunchKg.Value, MassBurnout: wp.MassBurnoutKg.Value,
		RefArea: math.Pi * d * d / 4, Cd: wp.Cd.Value, LaunchSpeed: wp.LaunchSpeedMps.Value,
		MaxLateralG: wp.MaxLateralG.Value, NavConstant: wp.NavConstant.Value, Law: engage.PurePN,
		SeekerFOV: deg(wp.SeekerFOVDeg.Value), LockOnRange: 1000 * wp.LockOnRangeKm.Value,
		MaxFlightTime: wp.MaxFlightS.Value, ArmTime: armTime, FuzeRange: wp.FuzeRangeM.Value,
		DiveAngle: deg(wp.DiveDeg.Value),
	}
	if wp.CarletonSigmaM.Value > 0 {
		spec.Lethality = engage.Carleton(1, wp.CarletonSigmaM.Value)
	} else {
		spec.Lethality = engage.CookieCutter(wp.LethalRadiusM.Value, 1)
	}
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if !(spec.LockOnRange > 0) || !(spec.MaxFlightTime > 0) || !(spec.Lethality.Sigma > 0 || spec.Lethality.Radius > 0) {
		return nil, fmt.Errorf("flyout needs lock_on_range_km, max_flight_s and a lethality")
	}
	f := &flyoutSpec{spec: spec, pk0: map[string]float64{}, loft: deg(wp.LoftDeg.Value),
		maxR: 1000 * wp.MaxRangeKm.Value, cosFOV: -2}
	if fov := spec.SeekerFOV; fov > 0 && fov < 2*math.Pi {
		f.cosFOV = math.Cos(fov / 2)
	}
	for k, v := range wp.Pk0 {
		f.pk0[k] = v.Value
	}
	return f, nil
}

// gunFromCatalog converts a gun's catalog figures to engage's gun with its magazine.
func gunFromCatalog(wp *scenario.Weapon, rounds int) (*engage.Gun, map[string]float64, error) {
	spec := GunSpec(wp)
	spec.Ammunition = rounds
	g, err := engage.NewGun(spec)
	if err != nil {
		return nil, nil, err
	}
	pkh := map[string]float64{}
	for k, v := range wp.PkGivenHit {
		pkh[k] = v.Value
	}
	return g, pkh, nil
}

// DefaultGunOpenFirePk is the kill probability per burst from which a gun opens fire on a
// track that will come that close (scenario c2.gun_open_fire_pk): a doctrine assumption. It is the catalog's own figure for one
// burst of the Pantsir-class gun at a drone "at effective range"; a kill then costs at most
// 1/0.3 ≈ 3.3 bursts in expectation, where the same gun's bursts at its 4 km maximum (0.12
// against a 1 m² drone) would cost 8.
const DefaultGunOpenFirePk = 0.3

// gunCurves is the kill probability per burst of a gun with dispersion figures by threat
// category over range (c2.Weapon.Curves), against each category's mean presented area; nil
// for other weapons. The curves are kept in c: they depend on the catalog only.
func (w *World) gunCurves(we *weaponEnt, c *Cache) map[string]*engage.BurstCurve {
	if we.mount == nil {
		return nil
	}
	spec := we.mount.Spec()
	spec.Ammunition = 0 // what is left does not change a burst
	curves := map[string]*engage.BurstCurve{}
	for i, cat := range categories {
		area, pkh := w.catFig[i].area, we.pkh[cat]
		if !(area > 0) || !(pkh > 0) {
			continue
		}
		curves[cat] = c.gunCurve(spec, area, pkh)
	}
	return curves
}

// GunSpec is the gun model of a catalog gun with dispersion figures (scenario.Weapon
// HasGunPhysics), in SI units, with no ammunition and a kill given a hit of 1 (the engine
// applies each category's pk_given_hit).
func GunSpec(wp *scenario.Weapon) engage.GunSpec {
	n := int(wp.BurstRounds.Value)
	rof := wp.RateOfFireRps.Value
	return engage.GunSpec{
		MuzzleVelocity: wp.SpeedMps.Value, DragPerMetre: wp.DragPerKm.Value / 1000,
		RateOfFire: rof, BurstRounds: n,
		// burst_period_s runs from burst start to burst start; the gun's interval from the
		// end of one burst.
		BurstInterval: math.Max(wp.BurstPeriodS.Value-float64(n-1)/rof, 0),
		Dispersion:    wp.DispersionMrad.Value / 1000, AimError: wp.AimErrorMrad.Value / 1000,
		PkGivenHit: 1,
		MaxRange:   1000 * wp.MaxRangeKm.Value, MinRange: 1000 * wp.MinRangeKm.Value,
	}
}

// addPhysics attaches the flyout or gun model to a weapon that has the figures.
func (w *World) addPhysics(we *weaponEnt, wp *scenario.Weapon) error {
	var err error
	switch {
	case wp.HasFlyout():
		we.fly, err = flyoutFromCatalog(wp)
		if err == nil {
			// What C2 may plan with: no intercept later than the self-destruct.
			we.maxTOF = math.Min(we.maxTOF, we.fly.spec.MaxFlightTime)
		}
	case wp.HasGunPhysics():
		we.mount, we.pkh, err = gunFromCatalog(wp, we.rounds)
	}
	return err
}

// routeSpec is the routed flight of a threat class at speed (m/s) and altitude alt (m above
// the frame's sphere; the ground is flat at the origin's altitude, so the height above
// ground is folded into it and the terrain left smooth).
func (w *World) routeSpec(cl *scenario.ThreatClass, speed, alt float64, terminal bool) threat.RouteSpec {
	spec := threat.RouteSpec{Speed: speed, Height: alt, MaxTurnRate: deg(cl.TurnRateDps.Value),
		MaxClimbAngle: deg(cl.MaxClimbDeg.Value), Step: routeStep}
	if terminal {
		spec.Terminal = threat.Terminal{Mode: threat.Dive, DiveAngle: deg(cl.DiveAngleDeg.Value)}
		if cl.PopUpHeightM.Value > 0 && cl.PopUpRangeKm.Value > 0 {
			spec.Terminal.Mode = threat.PopUp
			spec.Terminal.PopUpHeight = w.ground + cl.PopUpHeightM.Value
			spec.Terminal.PopUpRange = 1000 * cl.PopUpRangeKm.Value
		}
	}
	return spec
}

// trackView is the state of the track an interceptor is guided on, as it last saw it: the
// fire-control's prediction for midcourse guidance (a gravity arc for tracks identified as
// ballistic, a straight line otherwise).
type trackView struct {
	pos, vel, up geo.Vec3
	t            float64
	ballistic    bool
}

// at predicts the track's position at time t (an engage.Predictor).
func (v *trackView) at(t float64) geo.Vec3 {
	dt := t - v.t
	p := v.pos.Add(v.vel.Scale(dt))
	if v.ballistic {
		p = p.Sub(v.up.Scale(0.5 * engage.Gravity * dt * dt))
	}
	return p
}

// view refreshes a track view from the tracker's record.
func (w *World) view(v *trackView, rec *track.Record) {
	v.pos, v.vel, v.t = w.recordState(rec)
	v.up = w.frame.Up(v.pos)
	v.ballistic = classify(v.vel.Norm(), w.altitude(v.pos), v.vel.Dot(v.up)) == w.ballistic
	if !v.ballistic {
		v.vel = w.levelled(v.pos, v.vel)
	}
}

// launchDir is the launch direction toward aim from pos, raised by loft (rad) in the
// vertical plane, at most vertical.
func launchDir(frame *geo.Frame, pos, aim geo.Vec3, loft float64) geo.Vec3 {
	d := aim.Sub(pos)
	up := frame.Up(pos)
	h := d.Sub(up.Scale(d.Dot(up)))
	hn := h.Norm()
	if !(hn > 1e-9) {
		return up
	}
	el := math.Atan2(d.Dot(up), hn) + loft
	if el >= math.Pi/2 {
		return up
	}
	s, c := math.Sincos(el)
	return h.Scale(c / hn).Add(up.Scale(s))
}

// launchMissile puts a flyout interceptor in the air toward aim.
func (w *World) launchMissile(ic *interceptorEnt, we *weaponEnt, from, aim geo.Vec3, rec *track.Record) error {
	r := aim.Sub(from).Norm()
	loft := we.fly.loftAt(r)
	if we.reach != nil {
		loft = we.reach.loftFor(r, w.altitude(aim))
	}
	m, err := engage.NewMissile(we.fly.spec, w.env, from, launchDir(&w.frame, from, aim, loft), w.t)
	if err != nil {
		return err
	}
	ic.mis, ic.fly = m, we.fly
	w.view(&ic.trk, rec)
	ic.pred = ic.trk.at
	ic.prev = from
	return nil
}

// seekerFinds returns the flying threat nearest to the track's predicted position p that the
// interceptor's seeker can lock on now — within the acquisition radius of p, within lock-on
// range and inside the field of view — or −1.
func (w *World) seekerFinds(ic *interceptorEnt, p geo.Vec3) int {
	best, bestD := -1, acquisitionRadius
	pos, vel := ic.mis.Pos(), ic.mis.Vel()
	lock := ic.fly.spec.LockOnRange
	for i, te := range w.threats {
		if te.status != flying {
			continue
		}
		d := te.prev.Sub(p).Norm()
		if d >= bestD {
			continue
		}
		r := te.prev.Sub(pos)
		rn := r.Norm()
		if rn > lock {
			continue
		}
		if ic.fly.cosFOV > -1 && vel.Norm2() > 0 && r.Dot(vel) < rn*vel.Norm()*ic.fly.cosFOV {
			continue
		}
		best, bestD = i, d
	}
	return best
}

// moveMissile flies one flyout interceptor through the frame [t0, t0+dt] (the threats have
// moved already: te.prev is where a threat was at t0). Before its seeker acquires a real
// threat it flies midcourse on the track; once acquired it homes on and fuzes against the
// true target. The flyout's end, if any, is kept for the fuze phase.
func (w *World) moveMissile(ic *interceptorEnt, t0, dt float64) {
	eg := w.engagements[ic.eng]
	ic.prev = ic.mis.Pos()
	ic.ev = engage.Event{}
	if rec := w.record(eg.track); rec != nil {
		w.view(&ic.trk, rec)
	}
	if ic.target >= 0 && w.threats[ic.target].status != flying {
		// Its target was destroyed by another shot (or arrived): doctrine retargets it on
		// another threat of the same track, if the track now follows one, else destroys it.
		info := w.info(eg.track)
		if info != nil && info.truth >= 0 && info.truth != ic.target && w.threats[info.truth].status == flying {
			ic.mis.Retarget()
			ic.target = -1
			e := w.newEvent(EvRetarget, w.threats[info.truth])
			u := w.units[eg.unit]
			e.Unit, e.Weapon, e.Layer, e.Interceptor, e.Track = u.id, u.weapons[eg.weapon].spec.ID, u.layer, ic.id, eg.trackName
			w.emit(e)
		} else {
			ic.ev = ic.mis.Destroy()
			ic.ev.Kind = engage.NoEvent // resolved right here
			w.selfDestruct(ic, "target_gone")
			return
		}
	}
	if ic.target < 0 {
		ic.target = w.seekerFinds(ic, ic.pred(t0))
	}
	if ic.target < 0 {
		ic.ev = ic.mis.StepMidcourse(dt, ic.pred)
		if k := ic.ev.Kind; k == engage.NoEvent || k == engage.GroundImpact {
			// Past the intercept point with nothing in view: a false or lost track. One that
			// passed it inside the frame and flew on into the ground — a shot diving on a low
			// point (dive_deg) reaches the ground a fraction of a second later — was past it
			// before the impact, and destroys itself all the same.
			pos := ic.mis.Pos()
			if k == engage.GroundImpact {
				pos = ic.ev.Pos
			}
			if pip, ok := ic.mis.PIP(); ok && pip.Sub(pos).Dot(ic.mis.Vel()) < 0 {
				if k == engage.NoEvent {
					ic.ev = ic.mis.Destroy()
				}
				ic.ev.Kind = engage.NoEvent
				w.selfDestruct(ic, "no_target")
			}
		}
		return
	}
	te := w.threats[ic.target]
	from := engage.TargetState{Pos: te.prev, Vel: te.prevVel}
	to := engage.TargetState{Pos: te.flight.Pos(), Vel: te.flight.Vel()}
	ic.ev = ic.mis.Step(dt, from, to, ic.pred)
}

// resolution is one flyout end or burst arrival of the frame, resolved in time order.
type resolution struct {
	t     float64
	ic    *interceptorEnt // a flyout's end, or
	burst int             // index into w.bursts
}

// pendingBurst is a gun burst whose rounds are in flight: its kill is decided when its
// middle round arrives.
type pendingBurst struct {
	eg   *engagementEnt
	te   *threatEnt // nil: the burst was aimed at nothing
	b    engage.Burst
	pk   float64
	cost float64
	done bool
}

// fuzePhysics resolves, in time order, the frame's flyout ends (detonations, clean misses,
// time-outs, ground impacts) and burst arrivals up to the frame's end.
func (w *World) fuzePhysics(t1 float64) {
	w.resolve = w.resolve[:0]
	for _, ic := range w.interceptors {
		if ic.mis != nil && !ic.done && ic.ev.Kind != engage.NoEvent {
			w.resolve = append(w.resolve, resolution{t: ic.ev.T, ic: ic, burst: -1})
		}
	}
	for i := range w.bursts {
		if !w.bursts[i].done && w.bursts[i].b.Impact <= t1 {
			w.resolve = append(w.resolve, resolution{t: w.bursts[i].b.Impact, burst: i})
		}
	}
	if len(w.resolve) == 0 {
		return
	}
	sort.SliceStable(w.resolve, func(i, j int) bool { return w.resolve[i].t < w.resolve[j].t })
	for _, r := range w.resolve {
		if r.ic != nil {
			w.endFlyout(r.ic)
		} else {
			w.arriveBurst(&w.bursts[r.burst])
		}
	}
	// Forget resolved bursts.
	k := 0
	for _, b := range w.bursts {
		if !b.done {
			w.bursts[k] = b
			k++
		}
	}
	w.bursts = w.bursts[:k]
}

// endFlyout logs a flyout's end and applies its kill.
func (w *World) endFlyout(ic *interceptorEnt) {
	ev := ic.ev
	switch ev.Kind {
	case engage.SelfDestruct:
		w.atTime(ev.T, func() { w.selfDestruct(ic, "timeout") })
		return
	case engage.GroundImpact:
		w.atTime(ev.T, func() { w.selfDestruct(ic, "ground_impact") })
		return
	}
	te := w.threats[ic.target]
	if te.status != flying {
		// Another shot killed it earlier in this frame: this warhead went off on debris.
		w.atTime(ev.T, func() { w.selfDestruct(ic, "target_gone") })
		return
	}
	pk := 0.0
	if ev.Kind == engage.Detonate {
		pk = ic.fly.pk0[te.category] * ev.Pk
	}
	w.detonate(ic, te, ev.T, ev.Miss, pk, func(e *Event) {
		e.Set(NSpeedMps, ic.mis.Vel().Norm()).Set(NTOFS, ev.FlightTime)
	})
}

// atTime runs f with the clock set to t (exact event times inside the frame).
func (w *World) atTime(t float64, f func()) {
	saved := w.t
	w.t = t
	f()
	w.t = saved
}

// burstPhysics fires one burst of a gun with dispersion figures at the threat the track
// follows. The gun's own fire-control radar tracks the target it shoots at (its error is
// the burst-common aiming error), so the burst is aimed along the target's true motion
// when the track is on a threat (within gunAimTolerance), and at the track otherwise (the
// rounds then hit nothing). The kill is drawn when the middle round arrives.
func (w *World) burstPhysics(eg *engagementEnt, u *unitEnt, we *weaponEnt, rec *track.Record) {
	g := we.mount
	eg.state = gunFiring
	if g.Ammo() > 0 && w.t < g.ReadyAt()-1e-9 {
		eg.nextAt = g.ReadyAt() // the mount is busy with another engagement's burst
		return
	}
	pos, vel, t0 := w.recordState(rec)
	p := pos.Add(vel.Scale(w.t - t0))
	var te *threatEnt
	if info := w.info(eg.track); info.truth >= 0 && w.threats[info.truth].status == flying {
		te = w.threats[info.truth]
		if te.flight.Pos().Sub(p).Norm() > gunAimTolerance {
			te = nil
		}
	}
	aimP, aimV := p, vel
	area := 0.0
	if te != nil {
		aimP, aimV, area = te.flight.Pos(), te.flight.Vel(), te.area
	}
	why := ""
	if alt := w.altitude(p); alt < we.minAlt || alt > we.maxAlt {
		why = "out_of_envelope"
	} else if !w.canSee(u, p) {
		why = "out_of_view"
	} else if d := p.Sub(u.pos); eg.openRange > 0 && d.Norm() > eg.openRange {
		// Not yet where a burst kills with the open-fire Pk (the plan's straight-line
		// prediction ran ahead of the track by a frame or two): wait while the track closes
		// and gets there within a burst period; past it, or receding, the engagement ends.
		closing := -d.Dot(vel) / d.Norm()
		if closing > 0 && d.Norm()-eg.openRange <= closing*we.burstPeriod {
			return
		}
		why = "out_of_envelope"
	}
	if why != "" {
		w.cancel(eg, why, &p)
		w.endEngagement(eg)
		return
	}
	pkh := 0.0
	if te != nil {
		pkh = we.pkh[te.category]
	}
	b, ok := g.FireKill(w.t, u.pos, engage.Linear(aimP, aimV, w.t), area, pkh)
	if !ok {
		why := "out_of_envelope"
		if g.Ammo() <= 0 {
			why = "no_ammunition"
		}
		w.cancel(eg, why, &p)
		w.endEngagement(eg) // out of range or out of ammunition
		return
	}
	eg.fired = true
	we.rounds = g.Ammo()
	eg.nextAt = w.t + we.burstPeriod
	pb := pendingBurst{eg: eg, te: te, b: b}
	if te != nil {
		switch {
		case area > 0:
			pb.pk = b.PKill
		default:
			// No presented area for this class: the catalog's per-burst Pk, scaled to the
			// rounds fired.
			pb.pk = 1 - math.Pow(1-eg.pk, float64(b.Rounds)/float64(we.burstRounds))
		}
	}
	if c := we.spec.CostUSD.Value; c > 0 {
		pb.cost = c * float64(b.Rounds) / float64(we.burstRounds)
	}
	w.bursts = append(w.bursts, pb)
}

// arriveBurst decides a burst's kill when its rounds arrive.
func (w *World) arriveBurst(pb *pendingBurst) {
	pb.done = true
	eg := pb.eg
	u := w.units[eg.unit]
	we := u.weapons[eg.weapon]
	saved := w.t
	w.t = pb.b.Impact
	defer func() { w.t = saved }()
	e := w.newEvent(EvBurst, pb.te)
	e.Unit, e.Weapon, e.Layer, e.Track = u.id, we.spec.ID, u.layer, eg.trackName
	e.Set(NRangeM, pb.b.Range).Set(NRounds, float64(pb.b.Rounds)).Set(NTOFS, pb.b.TOF)
	if pb.cost > 0 {
		e.Set(NCostUSD, pb.cost)
	}
	e.Result = "miss"
	switch {
	case pb.te == nil:
		e.Set(NPk, 0)
	case pb.te.status != flying:
		e.Set(NPk, 0)
		e.Result = "target_gone"
	default:
		draw := w.killDraw(pb.te)
		e.Set(NPk, pb.pk).Set(NDraw, draw)
		if draw < pb.pk {
			e.Result = "kill"
		}
	}
	w.emit(e)
	if e.Result == "kill" {
		w.kill(pb.te, eg, w.t)
		w.endEngagement(eg)
	}
}

// flushBursts logs, at the end of the run, the bursts whose rounds are still in flight, so
// that every round fired is in the log.
func (w *World) flushBursts() {
	for i := range w.bursts {
		pb := &w.bursts[i]
		if pb.done {
			continue
		}
		pb.done = true
		u := w.units[pb.eg.unit]
		we := u.weapons[pb.eg.weapon]
		e := w.newEvent(EvBurst, pb.te)
		e.Unit, e.Weapon, e.Layer, e.Track = u.id, we.spec.ID, u.layer, pb.eg.trackName
		e.Set(NRangeM, pb.b.Range).Set(NRounds, float64(pb.b.Rounds)).Set(NTOFS, pb.b.TOF).Set(NPk, 0)
		if pb.cost > 0 {
			e.Set(NCostUSD, pb.cost)
		}
		e.Result = "in_flight"
		w.emit(e)
	}
	w.bursts = w.bursts[:0]
}

// releases spawns the stand-off weapons an aircraft released during this frame's step as
// threats of their own: id "<aircraft>/w<k>", launched at the release, flying the rest of
// the frame toward the aircraft's target.
func (w *World) releases(te *threatEnt, t1 float64) error {
	a, ok := te.flight.(*threat.Aircraft)
	if !ok {
		return nil
	}
	for _, rel := range a.Releases() {
		so := te.standoff
		te.released++
		ne := &threatEnt{id: fmt.Sprintf("%s/w%d", te.id, rel.Index+1), raid: te.raid, class: so, category: so.Category, perfect: w.inPerfect(so.Category),
			rcs: so.RCSM2.Value, warhead: so.WarheadKg.Value, target: te.target, area: so.PresentedAreaM2.Value,
			launchT: te.launchT + rel.T, maxSpeed: so.SpeedKmh.Value / 3.6}
		spec := w.routeSpec(so, ne.maxSpeed, w.ground+so.CruiseAltM.Value, true)
		f, err := threat.NewRoutedFrom(&w.frame, rel.Pos, rel.Vel, []geo.Vec3{rel.Target}, spec)
		if err != nil {
			return fmt.Errorf("threat %q: %w", ne.id, err)
		}
		ne.flight, ne.status, ne.prev, ne.prevVel = f, flying, rel.Pos, f.Vel()
		w.threats = append(w.threats, ne)
		w.flyingGen++ // radarEnt.wake
		w.atTime(ne.launchT, func() {
			e := w.newEvent(EvLaunch, ne)
			ll := w.frame.ToLLA(rel.Pos)
			e.Set(NLatDeg, ll.LatDeg()).Set(NLonDeg, ll.LonDeg()).Set(NAltM, w.altitude(rel.Pos))
			if ne.target >= 0 {
				e.Asset = w.assets[ne.target].id
			}
			e.Launcher = te.id
			w.emit(e)
		})
		if rest := t1 - ne.launchT; rest > 0 {
			f.Step(rest)
		}
	}
	if a.Egressing() {
		te.egressed = true
	}
	return nil
}
