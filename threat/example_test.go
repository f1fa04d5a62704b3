package threat_test

import (
	"fmt"

	"github.com/adsim/adsim/geo"
	"github.com/adsim/adsim/threat"
)

// A short-range ballistic missile with drag: the burnout speed is solved so that it still
// lands on the aim point 250 km away.
func ExampleNewBallisticDrag() {
	origin := geo.LLADeg(45, 30, 0)
	f := geo.NewFrame(origin)
	aim := f.ToLocal(geo.Direct(origin, 0, 250000))
	b, err := threat.NewBallisticDrag(threat.RoundEarth(&f), geo.Vec3{}, aim, threat.BallisticSpec{Beta: 4000})
	if err != nil {
		fmt.Println(err)
		return
	}
	for !b.Done() {
		b.Step(0.5)
	}
	fmt.Printf("impact within 100 m of the aim: %v, after %.0f s at %.0f m/s\n", f.GroundRange(b.Pos(), aim) < 100, b.Time(), b.Vel().Norm())
	// Output: impact within 100 m of the aim: true, after 246 s at 442 m/s
}

// An aircraft that releases a stand-off weapon 60 km from its target and turns for home.
func ExampleAircraft() {
	f := geo.NewFrame(geo.LLADeg(45, 30, 0))
	target := geo.Vec3{X: 150000}
	a, err := threat.NewAircraft(&f, geo.Vec3{}, []geo.Vec3{target},
		threat.RouteSpec{Speed: 240, Height: 9000, MaxTurnRate: 0.05},
		[]threat.StandOff{{Target: target, ReleaseRange: 60000}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for !a.Done() {
		a.Step(1)
		for _, r := range a.Releases() {
			fmt.Printf("weapon %d released at t = %.0f s, %.1f km from its target\n", r.Index, r.T, f.GroundRange(r.Pos, r.Target)/1000)
		}
	}
	fmt.Printf("home after %.0f s\n", a.Time())
	// Output:
	// weapon 0 released at t = 376 s, 60.0 km from its target
	// home after 796 s
}
