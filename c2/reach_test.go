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

// TestDeadlineFromTheTracksTime: a track's time to go counts from the track's own time, so a
// shot at a track 5 s old must arrive within TimeToGo − 5 s of the decision: a missile shot
// taking 10 s is infeasible with 12 s to go (it would arrive 3 s after the threat) and
// feasible with 20; a gun whose window opens at once fires with 20 s to go and not with 4.
// Feasible and GunLater once added the time to go to the decision's time.
func TestDeadlineFromTheTracksTime(t *testing.T) {
	const now, age = 100.0, 5.0
	missile := Unit{Pos: geo.Vec3{}, FreeChannels: 1, Weapons: []Weapon{{MinRange: 500, MaxRange: 20000, MaxAlt: 10000,
		Speed: 1000, MaxTOF: 30, Rounds: 4, Pk: map[string]float64{"drone": 0.7}}}}
	gun := Unit{Pos: geo.Vec3{}, FreeChannels: 1, Weapons: []Weapon{{Gun: true, MinRange: 200, MaxRange: 4000, MaxAlt: 3000,
		Speed: 960, MaxTOF: 6, Rounds: 35, BurstPeriod: 1.5, Pk: map[string]float64{"drone": 0.3}}}}
	p := Planner{Altitude: flatAlt}
	for _, c := range []struct {
		name     string
		u        Unit
		dist, tg float64
		feasible bool
	}{
		{"missile, 12 s to go", missile, 10000, 12, false},
		{"missile, 20 s to go", missile, 10000, 20, true},
		{"gun, 4 s to go", gun, 3000, 4, false},
		{"gun, 20 s to go", gun, 3000, 20, true},
	} {
		tr := Track{Category: "drone", Pos: geo.Vec3{X: c.dist, Z: 100}, T: now - age}
		ev := Threat{Asset: 0, ValueAtRisk: 1, TimeToGo: c.tg}
		_, ok := p.Feasible(now, &tr, ev, &c.u, 0)
		if ok != c.feasible {
			t.Errorf("%s: feasible %v, want %v", c.name, ok, c.feasible)
		}
		if c.u.Weapons[0].Gun {
			if later := p.GunLater(now, &tr, ev, &c.u); later != c.feasible {
				t.Errorf("%s: GunLater %v, want %v", c.name, later, c.feasible)
			}
		}
	}
}
