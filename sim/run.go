package sim

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/adsim/adsim/c2"
	"github.com/adsim/adsim/engage"
	"github.com/adsim/adsim/geo"
	"github.com/adsim/adsim/radar"
	"github.com/adsim/adsim/track"
)

// Run runs the world to the scenario's end and returns the outcome. A World runs once.
func (w *World) Run() (*Outcome, error) {
	end := w.scen.DurationS
	steps := int(math.Ceil(end/w.dt - 1e-9))
	next := 0 // next threat to launch (threats are sorted by launch time)
	for k := 0; k < steps; k++ {
		t0 := float64(k) * w.dt
		t1 := math.Min(float64(k+1)*w.dt, end)
		dt := t1 - t0
		// Launch: a threat launched inside this frame starts at its launch time and flies the
		// rest of the frame.
		for next < len(w.threats) && w.threats[next].launchT < t1 {
			if err := w.launch(w.threats[next]); err != nil {
				return nil, err
			}
			next++
		}
		w.t = t1
		w.frameNo = k + 1
		w.move(t0, dt)
		w.fuze(t0, dt)
		w.arrivals()
		w.sense()
		w.prune()
		if t1 >= w.nextDecision-1e-9 {
			w.decide()
			w.nextDecision += w.decision
		}
		w.fire()
	}
	for _, te := range w.threats {
		if te.status == flying {
			w.emit(w.newEvent(EvEnd, te))
		}
	}
	return w.rec.outcome(), nil
}

func (w *World) newEvent(typ EventType, te *threatEnt) *Event {
	w.ev = Event{T: w.t, Type: typ}
	if te != nil {
		w.ev.Threat, w.ev.Class = te.id, te.class.ID
	}
	return &w.ev
}

func (w *World) emit(e *Event) { w.sink.Record(e) }

func (w *World) launch(te *threatEnt) error {
	f, err := te.build()
	if err != nil {
		return fmt.Errorf("threat %q: %w", te.id, err)
	}
	te.flight, te.build = f, nil
	te.status = flying
	te.prev = f.Pos()
	saved := w.t
	w.t = te.launchT
	e := w.newEvent(EvLaunch, te)
	ll := w.frame.ToLLA(f.Pos())
	e.Set(NLatDeg, ll.LatDeg()).Set(NLonDeg, ll.LonDeg())
	if te.target >= 0 {
		e.Asset = w.assets[te.target].id
	}
	w.emit(e)
	w.t = saved
	return nil
}

// move is the dynamics phase: every threat and interceptor moves; nothing else happens.
func (w *World) move(t0, dt float64) {
	for _, te := range w.threats {
		if te.status != flying {
			continue
		}
		te.prev = te.flight.Pos()
		step := dt
		if te.launchT > t0 {
			step = t0 + dt - te.launchT
		}
		te.flight.Step(step)
	}
	for _, ic := range w.interceptors {
		if ic.done {
			continue
		}
		ic.prev = ic.m.Pos
		eg := w.engagements[ic.eng]
		te := w.threats[eg.threat]
		// Guidance: within seeker range, home on the true target; otherwise fly to the
		// intercept point predicted from the track (command guidance).
		// Threats have already moved this frame: te.prev is where the target was at t0.
		if te.status == flying && te.prev.Sub(ic.m.Pos).Norm() < seekerRange {
			if pip, _, ok := engage.InterceptLinear(ic.m.Pos, t0, ic.m.Speed, math.Inf(1), te.prev, te.flight.Vel(), t0); ok {
				ic.m.Steer(pip)
			}
		} else if tr := w.trackOf(eg.threat); tr != nil {
			if pip, ok := w.aimFromTrack(tr, ic.m.Pos, t0, ic.m.Speed, math.Inf(1)); ok {
				ic.m.Steer(pip)
			}
		}
		ic.m.Step(dt)
	}
}

// aimFromTrack is the intercept point, predicted from a track, of an interceptor at from
// flying at speed from time t: a gravity arc for ballistic tracks, a straight line otherwise.
func (w *World) aimFromTrack(tr *track.Track, from geo.Vec3, t, speed, maxTOF float64) (geo.Vec3, bool) {
	if tr.Class == w.ballistic {
		pip, _, ok := engage.Intercept(from, t, speed, maxTOF,
			w.planner.Predictor(&c2.Track{Category: tr.Class, Pos: tr.Filter.Pos(), Vel: tr.Filter.Vel(), T: tr.Filter.T}))
		return pip, ok
	}
	pip, _, ok := engage.InterceptLinear(from, t, speed, maxTOF, tr.Filter.Pos(), tr.Filter.Vel(), tr.Filter.T)
	return pip, ok
}

func (w *World) trackOf(threat int) *track.Track {
	for _, tr := range w.picture.Tracks() {
		if tr.Truth == threat {
			return tr
		}
	}
	return nil
}

// fuze finds, for every interceptor, the closest approach to its target inside this frame;
// when it happens before the frame's end (they are separating) the interceptor detonates.
func (w *World) fuze(t0, dt float64) {
	for _, ic := range w.interceptors {
		if ic.done {
			continue
		}
		eg := w.engagements[ic.eng]
		te := w.threats[eg.threat]
		if te.status != flying {
			w.selfDestruct(ic, "target_gone")
			continue
		}
		if w.t >= ic.m.Expires {
			w.selfDestruct(ic, "timeout")
			continue
		}
		vt := te.flight.Pos().Sub(te.prev).Scale(1 / dt)
		r0 := te.prev.Sub(ic.prev)
		vr := vt.Sub(ic.m.Pos.Sub(ic.prev).Scale(1 / dt))
		tStar, miss := engage.ClosestApproach(r0, vr, dt)
		if tStar >= dt || r0.Norm() > seekerRange {
			continue // still closing
		}
		ic.done = true
		e := w.newEvent(EvIntercept, te)
		e.T = t0 + tStar
		u := w.units[eg.unit]
		e.Unit, e.Weapon, e.Layer, e.Interceptor, e.Track = u.id, u.weapons[eg.weapon].spec.ID, u.layer, ic.id, eg.track
		pk := 0.0
		if miss <= lethalRadius {
			pk = eg.pk
		}
		draw := ic.rng.Float64()
		kill := draw < pk
		e.Set(NMissM, miss).Set(NPk, pk).Set(NDraw, draw)
		e.Result = "miss"
		if kill {
			e.Result = "kill"
		}
		w.emit(e)
		if kill {
			w.kill(te, eg, e.T)
		}
		w.endEngagement(eg)
	}
}

func (w *World) selfDestruct(ic *interceptorEnt, why string) {
	ic.done = true
	eg := w.engagements[ic.eng]
	u := w.units[eg.unit]
	e := w.newEvent(EvSelfDestruct, w.threats[eg.threat])
	e.Unit, e.Weapon, e.Layer, e.Interceptor, e.Result = u.id, u.weapons[eg.weapon].spec.ID, u.layer, ic.id, why
	w.emit(e)
	w.endEngagement(eg)
}

// endEngagement frees the engagement's fire channel once its last interceptor is resolved.
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
	w.threats[eg.threat].engaged--
}

func (w *World) kill(te *threatEnt, eg *engagementEnt, t float64) {
	te.status = destroyed
	u := w.units[eg.unit]
	e := w.newEvent(EvKill, te)
	e.T = t
	e.Unit, e.Weapon, e.Layer, e.Track = u.id, u.weapons[eg.weapon].spec.ID, u.layer, eg.track
	ll := w.frame.ToLLA(te.flight.Pos())
	e.Set(NLatDeg, ll.LatDeg()).Set(NLonDeg, ll.LonDeg()).Set(NAltM, w.altitude(te.flight.Pos()))
	w.emit(e)
	w.dropTrack(te, "target_destroyed")
}

func (w *World) dropTrack(te *threatEnt, why string) {
	idx := w.threatIndex(te)
	if tr, ok := w.picture.Drop(idx); ok {
		e := w.newEvent(EvTrackDrop, te)
		e.Track, e.Result = tr.ID, why
		w.emit(e)
	}
}

func (w *World) threatIndex(te *threatEnt) int {
	for i, x := range w.threats {
		if x == te {
			return i
		}
	}
	return -1
}

// arrivals handles threats whose flight ended this frame: a leak, and the warhead's effect on
// every asset whose footprint contains the impact point.
func (w *World) arrivals() {
	for _, te := range w.threats {
		if te.status != flying || !te.flight.Done() {
			continue
		}
		te.status = leaked
		p := te.flight.Pos()
		e := w.newEvent(EvLeak, te)
		if te.target >= 0 {
			e.Asset = w.assets[te.target].id
		}
		ll := w.frame.ToLLA(p)
		e.Set(NLatDeg, ll.LatDeg()).Set(NLonDeg, ll.LonDeg())
		w.emit(e)
		for ai := range w.assets {
			a := &w.assets[ai]
			if w.frame.GroundRange(p, a.pos) > a.radius || te.warhead <= 0 {
				continue
			}
			// Damage share 1 − exp(−W/H): a warhead of the asset's hardness takes 63 %.
			share := 1 - math.Exp(-te.warhead/a.hardness)
			lost := a.remaining * share
			a.remaining -= lost
			ie := w.newEvent(EvImpact, te)
			ie.Asset = a.id
			ie.Set(NDamage, share).Set(NValueLost, lost).Set(NValue, a.remaining)
			w.emit(ie)
		}
		w.dropTrack(te, "impact")
	}
}

// sense is the sensing phase: each radar due for a scan looks at the world as it now stands.
func (w *World) sense() {
	for _, r := range w.radars {
		for w.t >= r.nextScan-1e-9 {
			w.scan(r)
			r.nextScan += r.period
		}
	}
}

func (w *World) scan(r *radarEnt) {
	if r.streams == nil {
		r.streams = make([]*rand.Rand, len(w.threats))
	}
	for i, te := range w.threats {
		if te.status != flying {
			continue
		}
		p := te.flight.Pos()
		d := p.Sub(r.pos)
		rng := d.Norm()
		if r.model.MaxRange > 0 && rng > r.model.MaxRange {
			continue
		}
		// Elevation limits by their sines, then line of sight over the 4/3 earth with the
		// trigonometry of both ends prepared once (geo.HorizonPoint).
		sinEl := d.Dot(r.up) / rng
		if sinEl < r.sinMin || sinEl > r.sinMax {
			continue
		}
		if te.hpFrame != w.frameNo {
			te.hp, te.hpFrame = w.frame.HorizonPoint(p), w.frameNo
		}
		if !r.hp.Sees(te.hp) {
			continue
		}
		pd := r.det.Pd(rng, te.rcs)
		s := r.streams[i]
		if s == nil {
			s = w.streams.Stream("detect", r.id, te.id)
			r.streams[i] = s
		}
		if s.Float64() >= pd {
			continue
		}
		az := math.Atan2(d.Dot(r.east), d.Dot(r.north))
		z := r.model.Measure(radar.Measurement{Range: rng, Azimuth: az, Elevation: math.Asin(sinEl)}, s)
		x, y, zu, cov := r.model.Cartesian(z)
		pos := r.pos.Add(r.east.Scale(x)).Add(r.north.Scale(y)).Add(r.up.Scale(zu))
		cw := rotateCov(cov, r.east, r.north, r.up)
		if w.detects {
			e := w.newEvent(EvDetect, te)
			e.Sensor = r.id
			e.Set(NRangeM, rng).Set(NPd, pd)
			w.emit(e)
		}
		tr, ch := w.picture.Update(w.t, i, te.category, pos, cw)
		switch ch {
		case track.Initiated:
			e := w.newEvent(EvTrackInit, te)
			e.Sensor, e.Track = r.id, tr.ID
			e.Set(NRangeM, rng)
			w.emit(e)
		case track.Confirmed:
			e := w.newEvent(EvTrackConfirm, te)
			e.Sensor, e.Track = r.id, tr.ID
			e.Set(NRangeM, rng)
			w.emit(e)
		}
	}
}

// rotateCov expresses a covariance given in the (east, north, up) basis of a sensor in the
// frame's axes: C' = B C Bᵀ with B's columns the basis vectors.
func rotateCov(c [3][3]float64, e, n, u geo.Vec3) [3][3]float64 {
	b := [3][3]float64{{e.X, n.X, u.X}, {e.Y, n.Y, u.Y}, {e.Z, n.Z, u.Z}}
	var bc, out [3][3]float64
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			bc[i][j] = b[i][0]*c[0][j] + b[i][1]*c[1][j] + b[i][2]*c[2][j]
		}
	}
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			out[i][j] = bc[i][0]*b[j][0] + bc[i][1]*b[j][1] + bc[i][2]*b[j][2]
		}
	}
	return out
}

func (w *World) prune() {
	w.picture.Prune(w.t, func(tr *track.Track) {
		e := w.newEvent(EvTrackDrop, w.threats[tr.Truth])
		e.Track, e.Result = tr.ID, "no_update"
		w.emit(e)
	})
}

// canSee reports whether unit u's fire-control radar has a point in view.
func (w *World) canSee(u *unitEnt, p geo.Vec3) bool {
	r := w.radars[u.radar]
	d := p.Sub(r.pos)
	rng := d.Norm()
	if r.model.MaxRange > 0 && rng > r.model.MaxRange {
		return false
	}
	if sinEl := d.Dot(r.up) / rng; sinEl < r.sinMin || sinEl > r.sinMax {
		return false
	}
	return r.hp.Sees(w.frame.HorizonPoint(p))
}

// decide is the C2 phase: threat evaluation and weapon-target assignment on confirmed tracks.
func (w *World) decide() {
	w.c2tracks, w.c2trackT = w.c2tracks[:0], w.c2trackT[:0]
	for _, tr := range w.picture.Tracks() {
		if !tr.Confirmed {
			continue
		}
		tr.Filter.Predict(w.t)
		w.c2tracks = append(w.c2tracks, c2.Track{Category: tr.Class, Pos: tr.Filter.Pos(), Vel: tr.Filter.Vel(),
			T: w.t, Engaged: w.threats[tr.Truth].engaged})
		w.c2trackT = append(w.c2trackT, tr)
	}
	if len(w.c2tracks) == 0 {
		return
	}
	if w.c2assets == nil {
		for _, a := range w.assets {
			w.c2assets = append(w.c2assets, c2.Asset{Pos: a.pos, Value: a.value, Radius: a.radius})
		}
	}
	for i := range w.assets {
		w.c2assets[i].Value = w.assets[i].remaining
	}
	if w.c2units == nil {
		// Built once; each cycle refreshes what changes (free channels, rounds).
		for _, u := range w.units {
			cu := c2.Unit{Pos: u.pos, Reaction: u.reaction, Altitude: w.altitude, Engages: u.engages}
			uu := u
			cu.CanSee = func(p geo.Vec3) bool { return w.canSee(uu, p) }
			for _, we := range u.weapons {
				cu.Weapons = append(cu.Weapons, c2.Weapon{Gun: we.gun, MinRange: we.minR, MaxRange: we.maxR,
					MinAlt: we.minAlt, MaxAlt: we.maxAlt, Speed: we.speed, MaxTOF: we.maxTOF, Pk: we.pk})
			}
			w.c2units = append(w.c2units, cu)
		}
	}
	for i, u := range w.units {
		cu := &w.c2units[i]
		cu.FreeChannels = u.channels - u.busy
		for j, we := range u.weapons {
			rounds := we.rounds - we.reserved
			if we.gun {
				rounds = we.rounds / we.burstRounds
			}
			cu.Weapons[j].Rounds = rounds
		}
	}
	for _, a := range w.planner.Plan(w.t, w.c2tracks, w.c2assets, w.c2units) {
		tr := w.c2trackT[a.Track]
		te := w.threats[tr.Truth]
		u := w.units[a.Unit]
		we := u.weapons[a.Weapon]
		eg := &engagementEnt{unit: a.Unit, weapon: a.Weapon, threat: tr.Truth, track: tr.ID,
			shotsLeft: a.Shots, nextAt: a.FireAt, pk: a.Pk}
		if we.gun {
			eg.shotsLeft = 0
		} else {
			we.reserved += a.Shots
		}
		w.engagements = append(w.engagements, eg)
		u.busy++
		te.engaged++
		e := w.newEvent(EvAssign, te)
		e.Unit, e.Weapon, e.Layer, e.Track = u.id, we.spec.ID, u.layer, tr.ID
		e.Set(NPk, a.Pk).Set(NTOFS, a.TOF).Set(NRangeM, a.PIP.Sub(u.pos).Norm()).Set(NRounds, float64(a.Shots))
		if a.Threat.Asset >= 0 {
			e.Asset = w.assets[a.Threat.Asset].id
			e.Set(NTimeToGoS, a.Threat.TimeToGo).Set(NValue, a.Threat.ValueAtRisk)
		}
		w.emit(e)
	}
}

// fire is the engagement phase: launches whose reaction time has passed, and gun bursts.
func (w *World) fire() {
	for ei, eg := range w.engagements {
		if eg.state == finished || eg.state == inFlight || w.t < eg.nextAt-1e-9 {
			continue
		}
		u := w.units[eg.unit]
		we := u.weapons[eg.weapon]
		te := w.threats[eg.threat]
		if te.status != flying {
			if !we.gun {
				we.reserved -= eg.shotsLeft
			}
			eg.shotsLeft = 0
			w.endEngagement(eg)
			continue
		}
		if we.gun {
			w.burst(eg, u, we, te)
			continue
		}
		for eg.shotsLeft > 0 && we.rounds > 0 {
			eg.shotsLeft--
			we.rounds--
			we.reserved--
			u.shots++
			id := fmt.Sprintf("%s/%s/%d", u.id, we.spec.ID, u.shots)
			aim := te.flight.Pos()
			if tr := w.trackOf(eg.threat); tr != nil {
				if pip, ok := w.aimFromTrack(tr, u.pos, w.t, we.speed, we.maxTOF); ok {
					aim = pip
				}
			}
			ic := &interceptorEnt{id: id, eng: ei, m: engage.Launch(u.pos, aim, we.speed, w.t, we.maxTOF),
				rng: w.streams.Stream("intercept", id)}
			ic.prev = ic.m.Pos
			w.interceptors = append(w.interceptors, ic)
			e := w.newEvent(EvFire, te)
			e.Unit, e.Weapon, e.Layer, e.Interceptor, e.Track = u.id, we.spec.ID, u.layer, id, eg.track
			e.Set(NRangeM, te.flight.Pos().Sub(u.pos).Norm())
			if we.spec.CostUSD.Value > 0 {
				e.Set(NCostUSD, we.spec.CostUSD.Value)
			}
			w.emit(e)
		}
		eg.shotsLeft = 0
		eg.state = inFlight
	}
}

// burst fires one gun burst if the target is inside the gun's envelope and in view; otherwise
// the engagement ends and the channel is freed for the next decision.
func (w *World) burst(eg *engagementEnt, u *unitEnt, we *weaponEnt, te *threatEnt) {
	p := te.flight.Pos()
	rng := p.Sub(u.pos).Norm()
	alt := w.altitude(p)
	n := min(we.burstRounds, we.rounds)
	if n <= 0 || rng > we.maxR || rng < we.minR || alt < we.minAlt || alt > we.maxAlt || !w.canSee(u, p) {
		eg.state = gunFiring
		w.endEngagement(eg)
		return
	}
	eg.state = gunFiring
	we.rounds -= n
	eg.nextAt = w.t + we.burstPeriod
	// A short burst (fewer rounds than a full one) has proportionally fewer chances.
	pk := 1 - math.Pow(1-eg.pk, float64(n)/float64(we.burstRounds))
	if eg.rng == nil {
		u.shots++
		eg.rng = w.streams.Stream("gun", u.id, we.spec.ID, fmt.Sprint(u.shots))
	}
	draw := eg.rng.Float64()
	e := w.newEvent(EvBurst, te)
	e.Unit, e.Weapon, e.Layer, e.Track = u.id, we.spec.ID, u.layer, eg.track
	e.Set(NRangeM, rng).Set(NRounds, float64(n)).Set(NPk, pk).Set(NDraw, draw)
	if we.spec.CostUSD.Value > 0 {
		e.Set(NCostUSD, we.spec.CostUSD.Value*float64(n)/float64(we.burstRounds))
	}
	kill := draw < pk
	e.Result = "miss"
	if kill {
		e.Result = "kill"
	}
	w.emit(e)
	if kill {
		w.kill(te, eg, w.t)
		w.endEngagement(eg)
	}
}
