package sim

import (
	"fmt"
	"math"
)

// Run runs the world to the scenario's end and returns the outcome. A World runs once.
func (w *World) Run() (*Outcome, error) {
	end := w.scen.DurationS
	w.end = end
	steps := int(math.Ceil(end/w.dt - 1e-9))
	next := 0 // next threat to launch (threats are sorted by launch time)
	for k := 0; k < steps; k++ {
		t0 := float64(k) * w.dt
		t1 := math.Min(float64(k+1)*w.dt, end)
		dt := t1 - t0
		// Launch: a threat launched inside this frame starts at its launch time and flies the
		// rest of the frame.
		for next < len(w.threats) && w.threats[next].launchT < t1 {
			if w.threats[next].status == pending { // released weapons are launched by their aircraft
				if err := w.launch(w.threats[next]); err != nil {
					return nil, err
				}
			}
			next++
		}
		w.t = t1
		w.frameNo = k + 1
		if err := w.move(t0, dt); err != nil {
			return nil, err
		}
		w.fuze(t0, dt)
		w.arrivals()
		if err := w.sense(); err != nil {
			return nil, err
		}
		if t1 >= w.nextDecision-1e-9 {
			w.score()
			if w.aroundDecide != nil {
				w.aroundDecide(w.decide)
			} else {
				w.decide()
			}
			w.nextDecision += w.decision
		}
		if err := w.fire(); err != nil {
			return nil, err
		}
		if !w.full && next == len(w.threats) && w.raidOver() {
			// Nothing that is left can change the outcome: the rest of the duration would
			// only track false alarms.
			w.end = t1
			break
		}
	}
	w.flushBursts()
	for _, te := range w.threats {
		if te.status == flying {
			w.emit(w.newEvent(EvEnd, te))
		}
	}
	out := w.rec.outcome()
	out.EndS = w.end
	w.trackingOutcome(out)
	return out, nil
}

// raidOver reports whether the raid is over once every threat has been launched: no threat
// flies, no engagement is being prepared or under way, no interceptor and no gun burst is in
// flight.
func (w *World) raidOver() bool {
	for _, te := range w.threats {
		if te.status == pending || te.status == flying {
			return false
		}
	}
	for _, eg := range w.engagements {
		if eg.state != finished {
			return false
		}
	}
	for _, ic := range w.interceptors {
		if !ic.done {
			return false
		}
	}
	for i := range w.bursts {
		if !w.bursts[i].done {
			return false
		}
	}
	return true
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
	w.flyingGen++ // radars asleep until a later time must look at it (radarEnt.wake)
	te.prev, te.prevVel = f.Pos(), f.Vel()
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

// move is the dynamics phase: every threat and interceptor moves, and aircraft release
// their stand-off weapons (new threats, which fly the rest of the frame).
func (w *World) move(t0, dt float64) error {
	n := len(w.threats) // weapons released this frame are appended and already moved
	for _, te := range w.threats[:n] {
		if te.status != flying {
			continue
		}
		te.prev, te.prevVel = te.flight.Pos(), te.flight.Vel()
		step := dt
		if te.launchT > t0 {
			step = t0 + dt - te.launchT
		}
		te.flight.Step(step)
		if te.standoff != nil {
			if err := w.releases(te, t0+dt); err != nil {
				return err
			}
		}
	}
	w.moveInterceptors(t0, dt)
	return nil
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
		if te.egressed {
			// An aircraft that released its weapons and flew home: it survived; no damage.
			e.Result = EgressResult
			ll := w.frame.ToLLA(p)
			e.Set(NLatDeg, ll.LatDeg()).Set(NLonDeg, ll.LonDeg())
			w.emit(e)
			continue
		}
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
	}
}
