package engage

import (
	"math"

	"github.com/adsim/adsim/geo"
)

// FallingLaunch is one launch whose intercept InterceptFalling solves: the interceptor's
// speed and time-of-flight limit in, and what Intercept returns for them out.
type FallingLaunch struct {
	// Speed and MaxTOF are Intercept's speed and maxTOF.
	Speed, MaxTOF float64
	// PIP, TOF and OK are Intercept's results.
	PIP geo.Vec3
	TOF float64
	OK  bool
}

// fallingLanes is the number of launches InterceptFalling iterates side by side.
const fallingLanes = 4

// InterceptFalling sets, for every launch l of ls, l.PIP, l.TOF and l.OK to what
// Intercept(launcher, tLaunch, l.Speed, l.MaxTOF, Falling(p, v, up, t0)) returns, bit for bit:
// the same fixed-point iteration with the same arithmetic, without the predictor's closure.
//
// Why side by side: each step of the iteration waits on the previous one (a square root and a
// division on the chain), so one iteration alone leaves the processor mostly idle, and when
// the target is faster than the interceptor the iteration often runs its full 50 steps without
// converging. The launches of one launcher at one time (a fire unit's missiles at one track)
// are independent chains: iterating up to fallingLanes of them in one loop overlaps their
// latencies. Each lane still stops exactly where Intercept would.
func InterceptFalling(launcher geo.Vec3, tLaunch float64, p, v, up geo.Vec3, t0 float64, ls []FallingLaunch) {
	for len(ls) > 0 {
		n := min(len(ls), fallingLanes)
		interceptFallingLanes(launcher, tLaunch, p, v, up, t0, ls[:n])
		ls = ls[n:]
	}
}

// fall is Falling(p, v, up, t0)(t), with the predictor's arithmetic.
func fall(p, v, up geo.Vec3, t0, t float64) geo.Vec3 {
	dt := t - t0
	return p.Add(v.Scale(dt)).Sub(up.Scale(0.5 * Gravity * dt * dt))
}

// interceptFallingLanes is InterceptFalling for at most fallingLanes launches.
func interceptFallingLanes(launcher geo.Vec3, tLaunch float64, p, v, up geo.Vec3, t0 float64, ls []FallingLaunch) {
	var tof [fallingLanes]float64
	var pip [fallingLanes]geo.Vec3
	var live [fallingLanes]bool
	ls = ls[:min(len(ls), fallingLanes)]
	d0 := -1.0 // |target(tLaunch) − launcher|, the same for every lane; < 0 until computed
	n := 0
	for j := range ls {
		l := &ls[j]
		if !(l.Speed > 0) {
			l.PIP, l.TOF, l.OK = geo.Vec3{}, 0, false
			continue
		}
		if d0 < 0 {
			d0 = fall(p, v, up, t0, tLaunch).Sub(launcher).Norm()
		}
		tof[j], live[j] = d0/l.Speed, true
		n++
	}
	for i := 0; i < 50 && n > 0; i++ {
		for j := range ls {
			if !live[j] {
				continue
			}
			l := &ls[j]
			pip[j] = fall(p, v, up, t0, tLaunch+tof[j])
			next := pip[j].Sub(launcher).Norm() / l.Speed
			if math.Abs(next-tof[j]) < 1e-7 {
				l.PIP, l.TOF, l.OK = fall(p, v, up, t0, tLaunch+next), next, next <= l.MaxTOF
				live[j] = false
				n--
				continue
			}
			if next > 2*l.MaxTOF+60 {
				l.PIP, l.TOF, l.OK = pip[j], next, false
				live[j] = false
				n--
				continue
			}
			tof[j] = next
		}
	}
	for j := range ls {
		if live[j] { // no convergence in 50 steps: Intercept's last point and estimate
			ls[j].PIP, ls[j].TOF, ls[j].OK = pip[j], tof[j], false
		}
	}
}
