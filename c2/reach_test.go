package c2

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/adsim/adsim/geo"
)

// TestOutOfReachIsExact: the reach test that options runs before Feasible (unitReach.
// outOfReach) never drops a pair that Feasible accepts with some weapon, for straight-line and
// ballistic tracks of any age, missiles and guns; and the sample reaches the bound (pairs
// Feasible accepts beyond 95 % of it), so a bound too tight by the track's age, the gun's
// lead or the fall of a ballistic track fails it.
func TestOutOfReachIsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	units := capitalUnits()
	// Units whose missiles' time of flight just covers their range and whose ceiling is
	// their range, so that a shot at the edge of the bound is feasible (also straight up, at
	// a ballistic track falling onto the unit), and a gun alone, whose lead (1 s) exceeds
	// its flight.
	for _, u := range capitalUnits()[3:5] {
		for wi := range u.Weapons {
			w := &u.Weapons[wi]
			if !w.Gun {
				w.MaxTOF, w.MaxAlt = w.MaxRange/w.Speed, w.MaxRange
			}
		}
		units = append(units, u)
	}
	gun := capitalUnits()[5]
	gun.Weapons = gun.Weapons[1:]
	gun.Weapons[0].MaxTOF = 0.5
	units = append(units, gun)
	for i := range units {
		units[i].CanSee = nil
	}
	p := Planner{Config: Config{CheapUSD: 5e4}, Altitude: flatAlt, Up: func(geo.Vec3) geo.Vec3 { return geo.Vec3{Z: 1} },
		BallisticCategory: "ballistic_missile"}
	cats := []struct {
		name       string
		speed, alt float64
	}{{"drone", 50, 50}, {"cruise_missile", 250, 30}, {"aircraft", 300, 8000}, {"ballistic_missile", 2000, 25000}}
	const now = 100.0
	ev := Threat{Asset: 0, ValueAtRisk: 1, TimeToGo: 1e4}
	feasible, near, nearBallistic := 0, 0, 0
	for k := 0; k < 200000; k++ {
		ui := r.IntN(len(units))
		u := &units[ui]
		rc := reachOf(ui, u)
		c := cats[r.IntN(len(cats))]
		ballistic := c.name == "ballistic_missile"
		age := -2 + 12*r.Float64()
		if r.IntN(4) == 0 {
			age = 0
		}
		speed := c.speed * (0.5 + r.Float64())
		tau := rc.tof + math.Abs(age)
		bound := rc.rng + speed*tau
		if ballistic {
			bound += 0.5 * 9.80665 * tau * tau
		}
		// From just inside the unit's range to past the bound, at the category's height,
		// flying at the unit (the pairs that reach farthest) or across.
		d := rc.rng*0.9 + (bound*1.05-rc.rng*0.9)*r.Float64()
		h := c.alt * (0.5 + r.Float64())
		if d <= h {
			continue
		}
		a := 2 * math.Pi * r.Float64()
		rh := math.Sqrt(d*d - h*h)
		pos := u.Pos.Add(geo.Vec3{X: rh * math.Cos(a), Y: rh * math.Sin(a), Z: h - u.Pos.Z})
		to := u.Pos.Sub(pos)
		to.Z = 0
		dir := to.Unit()
		if r.IntN(3) == 0 {
			dir = geo.Vec3{X: -dir.Y, Y: dir.X}
		}
		vel := dir.Scale(speed)
		if ballistic {
			vel.Z = -0.3 * speed
			if r.IntN(2) == 0 { // falling onto the unit from straight above
				pos, vel = u.Pos.Add(geo.Vec3{Z: d}), geo.Vec3{Z: -speed}
			}
		}
		tr := Track{Category: c.name, WarheadKg: 50, CostUSD: 3e4, Pos: pos, Vel: vel, T: now - age}
		out := rc.outOfReach(tr.Pos.Sub(u.Pos).Norm(), tr.Vel.Norm(), now-tr.T, p.ballistic(&tr))
		for wi := range u.Weapons {
			if _, ok := p.Feasible(now, &tr, ev, u, wi); ok {
				feasible++
				if out {
					t.Fatalf("pair %d: %s at %.0f m (bound %.0f m), age %.2f s, weapon %d of unit %d: feasible but out of reach",
						k, c.name, d, bound, age, wi, ui)
				}
				if tr.Pos.Sub(u.Pos).Norm() > rc.rng+0.95*(bound-rc.rng) {
					near++
					if ballistic {
						nearBallistic++
					}
				}
			}
		}
	}
	t.Logf("%d feasible pairs, %d beyond 95 %% of the bound (%d ballistic)", feasible, near, nearBallistic)
	if near-nearBallistic < 20 || nearBallistic < 20 {
		t.Errorf("%d straight-line and %d ballistic feasible pairs beyond 95 %% of the bound: the test does not reach it",
			near-nearBallistic, nearBallistic)
	}
}
