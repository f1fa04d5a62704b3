package engage

import (
	"math"

	"github.com/adsim/adsim/geo"
)

// InterceptLinear is Intercept for a target in straight-line motion (position p at time t0,
// velocity v), solved in closed form and without allocating: the smallest τ > 0 with
// |p + v·(tLaunch + τ − t0) − launcher| = speed·τ, a quadratic
// (v·v − s²)τ² + 2(d·v)τ + d·d = 0 with d = p + v·(tLaunch − t0) − launcher.
func InterceptLinear(launcher geo.Vec3, tLaunch, speed, maxTOF float64, p, v geo.Vec3, t0 float64) (pip geo.Vec3, tof float64, ok bool) {
	if !(speed > 0) {
		return geo.Vec3{}, 0, false
	}
	d := p.Add(v.Scale(tLaunch - t0)).Sub(launcher)
	a := v.Norm2() - speed*speed
	b := 2 * d.Dot(v)
	c := d.Norm2()
	tau := math.Inf(1)
	if math.Abs(a) < 1e-9*speed*speed {
		if b < 0 {
			tau = -c / b
		}
	} else if disc := b*b - 4*a*c; disc >= 0 {
		sq := math.Sqrt(disc)
		for _, r := range [2]float64{(-b - sq) / (2 * a), (-b + sq) / (2 * a)} {
			if r >= 0 && r < tau {
				tau = r
			}
		}
	}
	if math.IsInf(tau, 1) {
		return geo.Vec3{}, 0, false
	}
	pip = p.Add(v.Scale(tLaunch + tau - t0))
	return pip, tau, tau <= maxTOF
}
