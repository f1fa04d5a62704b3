package c2_test

import (
	"fmt"

	"github.com/adsim/adsim/c2"
	"github.com/adsim/adsim/geo"
)

// accelerating is a missile whose mean speed grows with the range it flies: 400 m/s plus
// 0.02 /s times the range (600 m/s to 10 km, 1,400 m/s to 50 km), at any height.
type accelerating struct{}

func (accelerating) MeanSpeed(r, h float64) (float64, bool) { return 400 + 0.02*r, true }

// A drone 60 km out, 50 m up, flying straight at the launcher at 50 m/s: at a constant
// 800 m/s the missile would meet it after 70.0 s; at the mean speed of its own flight to the
// intercept point, which is faster over that range, after 37.1 s (checked: 57.6 km at 1,552
// m/s is 37.1 s).
func ExamplePlanner_InterceptFlight() {
	p := c2.Planner{Altitude: func(q geo.Vec3) float64 { return q.Z }}
	tr := c2.Track{Pos: geo.Vec3{X: 60000, Z: 50}, Vel: geo.Vec3{X: -50}}
	_, tof, _ := p.InterceptFlight(&tr, geo.Vec3{}, 10, 800, nil, 1000)
	fmt.Printf("at 800 m/s: %.1f s\n", tof)
	pip, tof, ok := p.InterceptFlight(&tr, geo.Vec3{}, 10, 800, accelerating{}, 1000)
	fmt.Printf("at its flown mean speed: %.1f s to %.1f km (feasible %v)\n", tof, pip.Norm()/1000, ok)
	// Output:
	// at 800 m/s: 70.0 s
	// at its flown mean speed: 37.1 s to 57.6 km (feasible true)
}
