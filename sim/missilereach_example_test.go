package sim_test

import (
	"fmt"
	"math"

	"github.com/adsim/adsim/scenario"
	"github.com/adsim/adsim/sim"
)

// A Buk-class 9M317M (catalog range 70 km, measured 10 km up) against a drone 25 m up and a
// fighter 10 km up: it reaches its whole range at both heights with the catalog's loft law
// (near the ground by its dive shaping, dive_deg; flying the chord it reached 56 km there,
// and only lofted steeper than the law), but a radar 20 m up sees the drone only to 39 km.
func ExampleMissileReach() {
	cat, err := scenario.DefaultCatalog()
	if err != nil {
		panic(err)
	}
	rows, err := sim.MissileReach(cat, nil, "buk-m3", "9m317m", []float64{25, 10000})
	if err != nil {
		panic(err)
	}
	for _, r := range rows {
		for _, s := range r.Spans {
			fmt.Printf("%g m: %.0f–%.0f km, loft at the far edge %.0f° (the catalog's law: %v)\n",
				r.Height, s.From/1000, s.To/1000, s.Loft*180/math.Pi, s.Law)
		}
	}
	buk := &scenario.FireUnit{ID: "buk", Class: "buk-m3", Siting: scenario.Siting{HeightAGLM: 20}}
	sight, err := sim.FireUnitSight(cat, nil, buk, 25)
	if err != nil {
		panic(err)
	}
	fmt.Printf("its radar 20 m up sees 25 m to %.0f km\n", sight.Range/1000)
	// Output:
	// 25 m: 0–70 km, loft at the far edge 30° (the catalog's law: true)
	// 10000 m: 0–70 km, loft at the far edge 30° (the catalog's law: true)
	// its radar 20 m up sees 25 m to 39 km
}
