package sim

import (
	"fmt"
	"math"

	"github.com/adsim/adsim/c2"
	"github.com/adsim/adsim/engage"
	"github.com/adsim/adsim/geo"
	"github.com/adsim/adsim/scenario"
	"github.com/adsim/adsim/track"
)

// acquisitionRadius is how far from its predicted intercept point an interceptor's seeker
// finds a target (m); a track with nothing there (a false track, or a track gone wrong)
// leaves the interceptor to self-destruct.
const acquisitionRadius = 2000.0

// aimFromRecord is the intercept point, predicted from a track, of an interceptor at from
// launched at time t at the mean speed flight gives to that point (nil: speed; C2's
// InterceptFlight): a gravity arc for tracks identified as ballistic, a straight line
// otherwise.
func (w *World) aimFromRecord(rec *track.Record, from geo.Vec3, t, speed float64, flight c2.Flight, maxTOF float64) (geo.Vec3, bool) {
	pos, vel, t0 := w.recordState(rec)
	tr := c2.Track{Pos: pos, Vel: vel, T: t0}
	if w.classifyState(pos, vel) == w.ballistic {
		tr.Category = w.ballistic
	} else {
		tr.Vel = w.levelled(pos, vel)
	}
	pip, _, ok := w.planner.InterceptFlight(&tr, from, t, speed, flight, maxTOF)
	return pip, ok
}

// moveInterceptors flies every interceptor for the frame. Midcourse, it flies to the
// intercept point predicted from its track (command guidance); within seeker range of that
// point it acquires the nearest threat actually there and homes on it.
func (w *World) moveInterceptors(t0, dt float64) {
	for _, ic := range w.interceptors {
		if ic.done {
			continue
		}
		if ic.mis != nil {
			w.moveMissile(ic, t0, dt)
			continue
		}
		ic.prev = ic.m.Pos
		eg := w.engagements[ic.eng]
		if ic.target < 0 {
			if rec := w.record(eg.track); rec != nil {
				if pip, ok := w.aimFromRecord(rec, ic.m.Pos, t0, ic.m.Speed, nil, math.Inf(1)); ok {
					ic.aim = pip
				}
			}
			if ic.aim.Sub(ic.m.Pos).Norm() < seekerRange {
				ic.target = w.acquire(ic.aim)
			}
		}
		// Threats have already moved this frame: te.prev is where the target was at t0.
		if ic.target >= 0 && w.threats[ic.target].status == flying {
			te := w.threats[ic.target]
			if pip, _, ok := engage.InterceptLinear(ic.m.Pos, t0, ic.m.Speed, math.Inf(1), te.prev, te.flight.Vel(), t0); ok {
				ic.m.Steer(pip)
			}
		} else {
			ic.m.Steer(ic.aim)
		}
		ic.m.Step(dt)
	}
}

// acquire returns the flying threat nearest to p within the acquisition radius, or −1.
func (w *World) acquire(p geo.Vec3) int {
	best, bestD := -1, acquisitionRadius
	for i, te := range w.threats {
		if te.status != flying {
			continue
		}
		if d := te.prev.Sub(p).Norm(); d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

// fuze finds, for every interceptor homing on a target, the closest approach inside this
// frame; when it happens before the frame's end (they are separating) the warhead goes off.
// An interceptor that reaches its aim point without a target, or outlives its flight time,
// destroys itself.
func (w *World) fuze(t0, dt float64) {
	w.fuzePhysics(t0 + dt)
	for _, ic := range w.interceptors {
		if ic.done || ic.mis != nil {
			continue
		}
		eg := w.engagements[ic.eng]
		if w.t >= ic.m.Expires {
			w.selfDestruct(ic, "timeout")
			continue
		}
		if ic.target < 0 {
			if ic.passedAim() {
				w.selfDestruct(ic, "no_target")
			}
			continue
		}
		te := w.threats[ic.target]
		if te.status != flying {
			w.selfDestruct(ic, "target_gone")
			continue
		}
		vt := te.flight.Pos().Sub(te.prev).Scale(1 / dt)
		r0 := te.prev.Sub(ic.prev)
		vr := vt.Sub(ic.m.Pos.Sub(ic.prev).Scale(1 / dt))
		tStar, miss := engage.ClosestApproach(r0, vr, dt)
		if tStar >= dt {
			continue // still closing
		}
		pk := 0.0
		if miss <= lethalRadius {
			pk = eg.pk
		}
		w.detonate(ic, te, t0+tStar, miss, pk)
	}
}

// detonate resolves an interceptor's warhead at time t against its target: the kill is decided
// by the threat's kill stream against pk and logged as an intercept event with the miss
// distance (extra adds model-specific fields before it is emitted); the engagement ends.
func (w *World) detonate(ic *interceptorEnt, te *threatEnt, t, miss, pk float64, extra ...func(*Event)) {
	ic.done = true
	eg := w.engagements[ic.eng]
	e := w.newEvent(EvIntercept, te)
	e.T = t
	u := w.units[eg.unit]
	e.Unit, e.Weapon, e.Layer, e.Interceptor, e.Track = u.id, u.weapons[eg.weapon].spec.ID, u.layer, ic.id, eg.trackName
	draw := w.killDraw(te)
	kill := draw < pk
	e.Set(NMissM, miss).Set(NPk, pk).Set(NDraw, draw)
	for _, f := range extra {
		f(e)
	}
	e.Result = "miss"
	if kill {
		e.Result = "kill"
	}
	w.emit(e)
	if kill {
		w.kill(te, eg, t)
	}
	w.endEngagement(eg)
}

// passedAim reports that an interceptor without a target has flown past its aim point.
func (ic *interceptorEnt) passedAim() bool {
	return ic.aim.Sub(ic.m.Pos).Dot(ic.m.Vel) < 0
}

func (w *World) selfDestruct(ic *interceptorEnt, why string) {
	ic.done = true
	eg := w.engagements[ic.eng]
	u := w.units[eg.unit]
	var te *threatEnt
	if ic.target >= 0 {
		te = w.threats[ic.target]
	}
	e := w.newEvent(EvSelfDestruct, te)
	e.Unit, e.Weapon, e.Layer, e.Interceptor, e.Track, e.Result = u.id, u.weapons[eg.weapon].spec.ID, u.layer, ic.id, eg.trackName, why
	w.emit(e)
	w.endEngagement(eg)
}

// endEngagement frees the engagement's fire channel once its last interceptor is resolved,
// and marks the track as waiting for a fresh look before it may be engaged again.
func (w *World) endEngagement(eg *engagementEnt) {
	if eg.state == finished {
		return
	}
	for _, ic := range w.interceptors {
		if !ic.done && w.engagements[ic.eng] == eg {
			return
		}
	}
	if eg.state == preparing && eg.shotsLeft > 0 {
		return
	}
	eg.state = finished
	w.units[eg.unit].busy--
	if info := w.info(eg.track); info != nil {
		info.engaged--
		info.looked = w.t
	}
}

func (w *World) kill(te *threatEnt, eg *engagementEnt, t float64) {
	te.status = destroyed
	u := w.units[eg.unit]
	e := w.newEvent(EvKill, te)
	e.T = t
	e.Unit, e.Weapon, e.Layer, e.Track = u.id, u.weapons[eg.weapon].spec.ID, u.layer, eg.trackName
	ll := w.frame.ToLLA(te.flight.Pos())
	e.Set(NLatDeg, ll.LatDeg()).Set(NLonDeg, ll.LonDeg()).Set(NAltM, w.altitude(te.flight.Pos()))
	w.emit(e)
}

// decide is the C2 phase: identification, threat evaluation and weapon-target assignment on
// the confirmed tracks that are current (updated within drop_after_s) and, after an
// engagement, freshly looked at.
func (w *World) decide() {
	w.c2tracks, w.c2trackIDs = w.c2tracks[:0], w.c2trackIDs[:0]
	for _, rec := range w.confirmed() {
		info := w.info(rec.ID)
		if info == nil || w.t-rec.LastUpdate > w.dropAfter {
			continue
		}
		sv := w.velocitySigma(rec)
		if !info.identified {
			if sv > idVelocitySigma {
				continue // identification waits for a settled velocity estimate
			}
			// Identification is kept: a ballistic track's covariance, inflated on purpose
			// (ballisticQScale), would otherwise hide it from C2 for tens of seconds.
			info.identified = true
		}
		pos, vel, t0 := w.recordState(rec)
		ci := w.classifyStateIndex(pos, vel)
		cat, fig := categories[ci], w.catFig[ci]
		if ci == catBallistic {
			rec.State.QScale = ballisticQScale
			g := w.frame.Up(pos).Scale(-engage.Gravity)
			rec.State.Accel = [3]float64{g.X, g.Y, g.Z}
		} else {
			rec.State.QScale, rec.State.Accel = 0, [3]float64{}
		}
		engaged := info.engaged
		if rec.LastUpdate <= info.looked {
			engaged++ // no look since the last result: wait for one (shoot-LOOK-shoot)
		}
		also := w.alsoSets[w.alsoMask(pos, vel, ci, sv)]
		if ci != catBallistic {
			vel = w.levelled(pos, vel)
		}
		w.c2tracks = append(w.c2tracks, c2.Track{Category: cat, Also: also,
			WarheadKg: fig.warhead, CostUSD: fig.cost, BallisticCoef: fig.beta, Pos: pos, Vel: vel, T: t0, Engaged: engaged})
		w.c2trackIDs = append(w.c2trackIDs, rec.ID)
	}
	if len(w.c2tracks) == 0 {
		return
	}
	w.refreshC2Views()
	for _, a := range w.planner.Plan(w.t, w.c2tracks, w.c2assets, w.c2units) {
		id := w.c2trackIDs[a.Track]
		info := w.info(id)
		u := w.units[a.Unit]
		we := u.weapons[a.Weapon]
		eg := &engagementEnt{unit: a.Unit, weapon: a.Weapon, track: id, trackName: trackName(id),
			shotsLeft: a.Shots, nextAt: a.FireAt, pk: a.PkShot}
		if we.gun {
			eg.shotsLeft = 0
			// The catalog's per-burst Pk scores bursts at a class without a presented area;
			// a burst beyond the open-fire range is not fired.
			eg.pk, eg.openRange = we.pk[w.c2tracks[a.Track].Category], a.OpenRange
		} else {
			we.reserved += a.Shots
		}
		w.engagements = append(w.engagements, eg)
		u.busy++
		info.engaged++
		var te *threatEnt
		if info.truth >= 0 {
			te = w.threats[info.truth]
		}
		e := w.newEvent(EvAssign, te)
		e.Unit, e.Weapon, e.Layer, e.Track = u.id, we.spec.ID, u.layer, eg.trackName
		if te == nil {
			e.Result = "false_track"
		}
		e.Set(NPk, a.Pk).Set(NTOFS, a.TOF).Set(NRangeM, a.PIP.Sub(u.pos).Norm()).Set(NRounds, float64(a.Shots))
		if a.Threat.Asset >= 0 {
			e.Asset = w.assets[a.Threat.Asset].id
			e.Set(NTimeToGoS, a.Threat.TimeToGo).Set(NValue, a.Threat.ValueAtRisk)
		}
		w.emit(e)
	}
}

// refreshC2Views builds C2's view of the assets and units once, and refreshes what changes
// between cycles: remaining asset values, free channels and rounds.
func (w *World) refreshC2Views() {
	if w.c2assets == nil {
		curves := w.cache
		if curves == nil {
			curves = NewCache() // the units of one class share their gun's curves
		}
		for _, a := range w.assets {
			w.c2assets = append(w.c2assets, c2.Asset{Pos: a.pos, Value: a.value, Radius: a.radius, HardnessKg: a.hardness})
		}
		for _, u := range w.units {
			cu := c2.Unit{Pos: u.pos, Layer: layerIndex(u.layer), Reaction: u.reaction, Engages: u.engages}
			uu := u
			cu.CanSee = func(p geo.Vec3) bool { return w.canSee(uu, p) }
			for _, we := range u.weapons {
				reach := w.reachOf(we, curves)
				magazine := we.rounds
				if we.gun {
					magazine = bursts(we.rounds, we.burstRounds)
				}
				cu.Weapons = append(cu.Weapons, c2.Weapon{Gun: we.gun, MinRange: we.minR, MaxRange: we.maxR,
					MinAlt: we.minAlt, MaxAlt: we.maxAlt, Speed: we.speed, MaxTOF: we.maxTOF, Pk: we.pk,
					Magazine: magazine, BurstPeriod: we.burstPeriod, CostUSD: we.spec.CostUSD.Value, LookLimit: we.lookLimit(),
					Curves: w.gunCurves(we, curves), Reach: reach, Flight: w.flight(we)})
			}
			w.c2units = append(w.c2units, cu)
		}
	}
	for i := range w.assets {
		w.c2assets[i].Value = w.assets[i].remaining
	}
	for i, u := range w.units {
		cu := &w.c2units[i]
		cu.FreeChannels = u.channels - u.busy
		for j, we := range u.weapons {
			rounds := we.rounds - we.reserved
			if we.gun {
				rounds = bursts(we.rounds, we.burstRounds)
			}
			cu.Weapons[j].Rounds = rounds
		}
	}
}

// bursts is how many bursts a gun's rounds make, the last one short when they do not divide
// (the gun fires what is left: World.burst, engage.Gun). Counting only full bursts left a gun whose magazine
// (or remainder) was under one burst never assigned, its rounds never fired.
func bursts(rounds, burstRounds int) int {
	return (rounds + burstRounds - 1) / burstRounds
}

// fire is the engagement phase: launches whose reaction time has passed, and gun bursts.
func (w *World) fire() error {
	for ei, eg := range w.engagements {
		if eg.state == finished || eg.state == inFlight || w.t < eg.nextAt-1e-9 {
			continue
		}
		u := w.units[eg.unit]
		we := u.weapons[eg.weapon]
		rec := w.record(eg.track)
		if rec != nil && w.t-rec.LastUpdate > fireStaleRevisits*w.radars[u.radar].period {
			// The unit's radar has not seen the target for several looks: it is gone (most
			// often destroyed by another shot) or lost, and a shot would fly at nothing. The
			// engagement is dropped; C2 may assign the track again after a fresh update.
			rec = nil
		}
		if rec == nil {
			// The track was deleted before the shot: nothing to shoot at.
			if !we.gun {
				we.reserved -= eg.shotsLeft
			}
			eg.shotsLeft = 0
			w.cancel(eg, "track_lost", nil)
			w.endEngagement(eg)
			continue
		}
		if we.gun {
			if we.mount != nil {
				w.burstPhysics(eg, u, we, rec)
			} else {
				w.burst(eg, u, we, rec)
			}
			continue
		}
		aim, ok := w.aimFromRecord(rec, u.pos, w.t, we.speed, w.flight(we), we.maxTOF)
		if !ok {
			aim, _, _ = w.recordState(rec)
		}
		info := w.info(eg.track)
		var te *threatEnt
		if info.truth >= 0 {
			te = w.threats[info.truth]
		}
		for eg.shotsLeft > 0 && we.rounds > 0 {
			eg.shotsLeft--
			we.rounds--
			we.reserved--
			u.shots++
			id := fmt.Sprintf("%s/%s/%d", u.id, we.spec.ID, u.shots)
			ic := &interceptorEnt{id: id, eng: ei, target: -1, aim: aim}
			if we.fly != nil {
				if err := w.launchMissile(ic, we, u.pos, aim, rec); err != nil {
					return fmt.Errorf("interceptor %s: %w", id, err)
				}
			} else {
				ic.m = engage.Launch(u.pos, aim, we.speed, w.t, we.maxTOF)
				ic.prev = ic.m.Pos
			}
			w.interceptors = append(w.interceptors, ic)
			eg.fired = true
			e := w.newEvent(EvFire, te)
			e.Unit, e.Weapon, e.Layer, e.Interceptor, e.Track = u.id, we.spec.ID, u.layer, id, eg.trackName
			e.Set(NRangeM, aim.Sub(u.pos).Norm())
			if we.spec.CostUSD.Value > 0 {
				e.Set(NCostUSD, we.spec.CostUSD.Value)
			}
			w.emit(e)
			if we.fly != nil && eg.shotsLeft > 0 && we.rounds > 0 {
				break // flyout missiles of a salvo leave one by one (salvoRipple)
			}
		}
		if we.fly != nil && eg.shotsLeft > 0 && we.rounds > 0 {
			eg.nextAt = w.t + salvoRipple
			continue
		}
		if we.fly != nil && eg.shotsLeft > 0 {
			we.reserved -= eg.shotsLeft // the magazine ran dry
		}
		eg.shotsLeft = 0
		eg.state = inFlight
	}
	return nil
}

// salvoRipple is the interval between the launches of one salvo of flyout missiles (s): an
// assumption (launchers ripple-fire so that the missiles do not fly into each other's
// debris and their seekers see the target from slightly different geometries).
const salvoRipple = 1.0

// gunAimTolerance is how far (m) the track may be from the threat it follows for a burst
// aimed at the track to have its kill probability; farther, the burst misses.
const gunAimTolerance = 50.0

// burst fires one gun burst at the track if it is inside the gun's envelope and in view;
// otherwise the engagement ends and the channel is freed for the next decision. The burst's
// kill probability applies to the threat the track follows when the track is within
// gunAimTolerance of it.
func (w *World) burst(eg *engagementEnt, u *unitEnt, we *weaponEnt, rec *track.Record) {
	pos, vel, t0 := w.recordState(rec)
	p := pos.Add(vel.Scale(w.t - t0))
	rng := p.Sub(u.pos).Norm()
	alt := w.altitude(p)
	n := min(we.burstRounds, we.rounds)
	eg.state = gunFiring
	why := ""
	switch {
	case n <= 0:
		why = "no_ammunition"
	case rng > we.maxR || rng < we.minR || alt < we.minAlt || alt > we.maxAlt:
		why = "out_of_envelope"
	case !w.canSee(u, p):
		why = "out_of_view"
	}
	if why != "" {
		w.cancel(eg, why, &p)
		w.endEngagement(eg)
		return
	}
	eg.fired = true
	we.rounds -= n
	eg.nextAt = w.t + we.burstPeriod
	var te *threatEnt
	if info := w.info(eg.track); info.truth >= 0 && w.threats[info.truth].status == flying {
		te = w.threats[info.truth]
	}
	// A short burst (fewer rounds than a full one) has proportionally fewer chances.
	pk := 1 - math.Pow(1-eg.pk, float64(n)/float64(we.burstRounds))
	if te == nil || te.flight.Pos().Sub(p).Norm() > gunAimTolerance {
		pk = 0
	}
	e := w.newEvent(EvBurst, te)
	e.Unit, e.Weapon, e.Layer, e.Track = u.id, we.spec.ID, u.layer, eg.trackName
	e.Set(NRangeM, rng).Set(NRounds, float64(n)).Set(NPk, pk)
	if we.spec.CostUSD.Value > 0 {
		e.Set(NCostUSD, we.spec.CostUSD.Value*float64(n)/float64(we.burstRounds))
	}
	e.Result = "miss"
	kill := false
	if te != nil {
		draw := w.killDraw(te)
		e.Set(NDraw, draw)
		if kill = draw < pk; kill {
			e.Result = "kill"
		}
	}
	w.emit(e)
	if kill {
		w.kill(te, eg, w.t)
		w.endEngagement(eg)
	}
}

// cancel logs the end of an engagement that fired nothing (EvCancel), with why: the unit
// could not fire at its firing instant. p is where the unit aimed, when it got that far. A
// gun's engagement that ends after its bursts (the target left the envelope) is not a
// cancellation.
func (w *World) cancel(eg *engagementEnt, why string, p *geo.Vec3) {
	if eg.fired {
		return
	}
	u := w.units[eg.unit]
	var te *threatEnt
	if info := w.info(eg.track); info != nil && info.truth >= 0 {
		te = w.threats[info.truth]
	}
	e := w.newEvent(EvCancel, te)
	e.Unit, e.Weapon, e.Layer, e.Track, e.Result = u.id, u.weapons[eg.weapon].spec.ID, u.layer, eg.trackName, why
	if p != nil {
		e.Set(NRangeM, p.Sub(u.pos).Norm())
	}
	w.emit(e)
}

// layerIndex maps a catalog layer name to c2's layer order.
func layerIndex(layer string) int {
	switch layer {
	case scenario.LayerLong:
		return c2.LayerLong
	case scenario.LayerMedium:
		return c2.LayerMedium
	}
	return c2.LayerShort
}

// killDraw is the next uniform of the threat's own kill stream: the k-th interceptor or burst
// that reaches a threat draws the k-th number of that threat's stream, whichever unit fired
// it. Two defences compared on the same seed therefore give every threat the same luck (common
// random numbers), and the comparison measures the defences, not the dice.
func (w *World) killDraw(te *threatEnt) float64 {
	if te.kill == nil {
		te.kill = w.streams.Stream("kill", te.id)
	}
	return te.kill.Float64()
}

// levelMaxTan is the tangent of the flight-path angle under which C2 takes an air-breathing
// track to fly level (levelled): tan 10°, steeper than any cruise but shallower than a
// terminal dive or a pop-up (an assumption, docs/c2.md).
const levelMaxTan = 0.17632698070846498

// levelled is the velocity C2 plans an air-breathing track on: the horizontal part of vel when
// its flight-path angle is under 10° (levelMaxTan), vel itself when the track dives or climbs. A
// low drone's filtered vertical velocity is noise of a metre or two a second, which the
// straight-line prediction carries a minute ahead: −1.5 m/s put a drone flying at 50 m 11 m
// underground at the time of a second shot 40 s later, outside every weapon's altitude band,
// so C2 judged there was no time for shoot-look-shoot and fired pairs (a tenth of the
// replication's interceptors, the second of each pair destroying itself when the first
// killed).
func (w *World) levelled(pos, vel geo.Vec3) geo.Vec3 {
	up := w.frame.Up(pos)
	vu := vel.Dot(up)
	h := vel.Sub(up.Scale(vu))
	if math.Abs(vu) < levelMaxTan*h.Norm() {
		return h
	}
	return vel
}

// fireStaleRevisits is how many revisit periods of its own radar a fire unit waits for a
// track update before it drops a shot it was about to fire (an assumption, docs/c2.md): at a
// Pd of 0.9 a live target escapes three looks in a row one time in a thousand.
const fireStaleRevisits = 3.0

// idVelocitySigma is the velocity uncertainty (m/s, largest axis) under which C2 identifies and
// may engage a track (an assumption, docs/models.md).
const idVelocitySigma = 30.0

// idSigmas is how many velocity standard deviations identification looks either side of a
// track's estimated speed for the categories it may still be (alsoMask).
const idSigmas = 2.0

// alsoMask returns, as a bit set of category indices, the categories other than ci that a
// track at pos with velocity estimate vel, each component uncertain by at most sigma (m/s),
// falls into at its speed idSigmas·sigma lower or higher (same direction; the vertical-speed
// threshold scales with it): a drone of 50 m/s whose first estimates say 95 ± 25 m/s may be a
// cruise missile or a drone. C2 hands them to the units as c2.Track.Also, and a unit whose
// rules of engagement exclude one of them holds fire. Without it, the S-400 battalions, told
// to leave drones alone, fired 0.7 interceptors a replication at drones misidentified on their
// first looks (default scenario, replications 0–29).
func (w *World) alsoMask(pos, vel geo.Vec3, ci int, sigma float64) uint8 {
	speed := vel.Norm()
	if !(speed > 0) || !(sigma > 0) {
		return 0
	}
	var m uint8
	for _, k := range [2]float64{-idSigmas, idSigmas} {
		if c := w.classifyStateIndex(pos, vel.Scale(max(0, speed+k*sigma)/speed)); c != ci {
			m |= 1 << c
		}
	}
	return m
}

// alsoSetsFor returns, for every bit set of category indices, the categories in it (the
// c2.Track.Also of each alsoMask), built once per World so that decide does not allocate
// them: every set is a slice of one backing array (each category is in half the sets).
func alsoSetsFor() (sets [1 << len(categories)][]string) {
	all := make([]string, 0, len(sets)*len(categories)/2)
	for m := range sets {
		start := len(all)
		for c, name := range categories {
			if m&(1<<c) != 0 {
				all = append(all, name)
			}
		}
		if len(all) > start {
			sets[m] = all[start:len(all):len(all)]
		}
	}
	return sets
}

// velocitySigma is the largest standard deviation of a track's velocity components.
func (w *World) velocitySigma(r *track.Record) float64 {
	n := len(r.State.X)
	var m float64 // +0
	for _, v := range w.velIdx {
		// mathMax(m, p) without its call to math.Max on equal arguments (the perfect
		// picture's variances are all 0): m is never −0, so p ≤ m leaves it as mathMax would,
		// and NaNs still go to mathMax.
		if p := r.State.P[v*n+v]; p > m {
			m = p
		} else if !(p <= m) {
			m = mathMax(m, p)
		}
	}
	return math.Sqrt(m)
}

// mathMax is math.Max, decided inline where one argument is greater (small enough to be
// inlined itself; math.Max calls an assembly function, and the builtin max differs from it on
// max(+Inf, NaN)).
func mathMax(x, y float64) float64 {
	if x > y {
		return x
	}
	if y > x {
		return y
	}
	return math.Max(x, y) // equal (±0 included), or a NaN
}

// classifyState is classify of a track's estimate: its speed, altitude and vertical speed.
func (w *World) classifyState(pos, vel geo.Vec3) string {
	return categories[w.classifyStateIndex(pos, vel)]
}

// classifyStateIndex is classifyState as an index of categories. The altitude and the local
// vertical come from one norm (geo.Frame.Radial), and only when the speed does not decide:
// from 700 m/s classifyIndex answers ballistic whatever they are, and under 90 m/s the
// vertical speed v·up cannot reach its 300 m/s test (|v·up| ≤ |v| for the unit vector up, up
// to rounding far below that gap; a NaN from a non-finite position fails the test too), so
// it answers drone: most tracks are drones.
func (w *World) classifyStateIndex(pos, vel geo.Vec3) int {
	speed := vel.Norm()
	if speed >= 700 {
		return catBallistic
	}
	if speed < 90 {
		return catDrone
	}
	up, alt := w.frame.Radial(pos)
	return classifyIndex(speed, alt-w.ground, vel.Dot(up))
}
