package c2

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/adsim/adsim/engage"
	"github.com/adsim/adsim/geo"
	"github.com/adsim/adsim/threat"
)

func flatAlt(p geo.Vec3) float64 { return p.Z }

func TestDamage(t *testing.T) {
	if got := Damage(150, 150); math.Abs(got-(1-math.Exp(-1))) > 1e-12 {
		t.Errorf("Damage(H, H) = %v, want 1 − 1/e", got)
	}
	if Damage(0, 100) != 1 || Damage(100, 0) != 1 {
		t.Error("unknown figures must count as full damage")
	}
}

func TestEvaluatePicksAssetOnPath(t *testing.T) {
	p := Planner{Altitude: flatAlt}
	assets := []Asset{
		{Pos: geo.Vec3{X: 0, Y: 0}, Value: 100, Radius: 100, HardnessKg: 50},
		{Pos: geo.Vec3{X: 0, Y: 20000}, Value: 50, Radius: 100},
	}
	// Heading north at 50 m/s from 10 km south of asset 0: it threatens asset 0 in 200 s.
	tr := Track{Pos: geo.Vec3{Y: -10000, Z: 50}, Vel: geo.Vec3{Y: 50}, WarheadKg: 50}
	ev := p.Evaluate(&tr, assets)
	if ev.Asset != 0 {
		t.Fatalf("asset %d, want 0", ev.Asset)
	}
	if want := 100 * (1 - math.Exp(-1)); math.Abs(ev.TimeToGo-200) > 1e-9 || math.Abs(ev.ValueAtRisk-want) > 1e-9 {
		t.Errorf("time to go %v, value at risk %v (want %v)", ev.TimeToGo, ev.ValueAtRisk, want)
	}
	// Moving away from everything: no asset threatened.
	away := Track{Pos: geo.Vec3{Y: -10000}, Vel: geo.Vec3{Y: -50}}
	if ev := p.Evaluate(&away, assets); ev.Asset != -1 || ev.Priority != 0 {
		t.Errorf("receding track rated %+v", ev)
	}
}

func TestEvaluateBallisticImpact(t *testing.T) {
	p := Planner{Altitude: flatAlt, Up: func(geo.Vec3) geo.Vec3 { return geo.Vec3{Z: 1} }, BallisticCategory: "ballistic_missile"}
	// Falling from 10 km at 1 km/s horizontal, 0 vertical: lands after √(2h/g) s at x = v·t.
	tf := math.Sqrt(2 * 10000 / 9.80665)
	assets := []Asset{{Pos: geo.Vec3{X: 1000 * tf}, Value: 10, Radius: 50}, {Pos: geo.Vec3{X: 500}, Value: 10, Radius: 50}}
	ev := p.Evaluate(&Track{Category: "ballistic_missile", Pos: geo.Vec3{Z: 10000}, Vel: geo.Vec3{X: 1000}}, assets)
	if ev.Asset != 0 || math.Abs(ev.TimeToGo-tf) > 1e-3 {
		t.Errorf("got asset %d at %v s, want 0 at %v s", ev.Asset, ev.TimeToGo, tf)
	}
}

func missileUnit(channels, rounds int) Unit {
	return Unit{Pos: geo.Vec3{X: 1000}, Layer: LayerShort, FreeChannels: channels, Reaction: 5,
		Weapons: []Weapon{{MinRange: 1000, MaxRange: 20000, MinAlt: 5, MaxAlt: 15000, Speed: 800,
			MaxTOF: 40, Rounds: rounds, Magazine: 12, Pk: map[string]float64{"drone": 0.7}, CostUSD: 1e5}}}
}

func drone(y float64) Track {
	return Track{Category: "drone", Pos: geo.Vec3{Y: y, Z: 50}, Vel: geo.Vec3{Y: 50}, CostUSD: 3e4}
}

func TestPlanRespectsEnvelopeChannelsAndDoctrine(t *testing.T) {
	assets := []Asset{{Pos: geo.Vec3{}, Value: 100, Radius: 100}}
	cases := []struct {
		name     string
		doctrine string
		tracks   []Track
		unit     Unit
		want     []int // shots per assignment
	}{
		{"one shot each, two channels", ShootLookShoot, []Track{drone(-10000), drone(-12000), drone(-14000)}, missileUnit(2, 12), []int{1, 1}},
		{"salvo of two", Salvo, []Track{drone(-10000)}, missileUnit(4, 12), []int{2}},
		{"salvo limited by magazine", Salvo, []Track{drone(-10000)}, missileUnit(4, 1), []int{1}},
		{"no time to look: shoot-shoot", ShootLookShoot, []Track{{Category: "drone", Pos: geo.Vec3{Y: -3000, Z: 50}, Vel: geo.Vec3{Y: 250}}}, missileUnit(2, 12), []int{2}},
		{"already engaged", ShootLookShoot, []Track{{Category: "drone", Pos: geo.Vec3{Y: -10000, Z: 50}, Vel: geo.Vec3{Y: 50}, Engaged: 1}}, missileUnit(2, 12), nil},
		{"out of range", ShootLookShoot, []Track{drone(-60000)}, missileUnit(2, 12), nil},
		{"too low", ShootLookShoot, []Track{{Category: "drone", Pos: geo.Vec3{Y: -10000, Z: 2}, Vel: geo.Vec3{Y: 50}}}, missileUnit(2, 12), nil},
		{"no Pk against the category", ShootLookShoot, []Track{{Category: "aircraft", Pos: geo.Vec3{Y: -10000, Z: 500}, Vel: geo.Vec3{Y: 200}}}, missileUnit(2, 12), nil},
	}
	for _, method := range []string{MethodWTA, MethodGreedy, MethodNearest} {
		for _, c := range cases {
			t.Run(method+"/"+c.name, func(t *testing.T) {
				p := Planner{Config: Config{Doctrine: c.doctrine, Salvo: 2, Method: method}, Altitude: flatAlt}
				units := []Unit{c.unit}
				units[0].Weapons = append([]Weapon(nil), c.unit.Weapons...) // Plan consumes rounds
				got := p.Plan(0, c.tracks, assets, units)
				if len(got) != len(c.want) {
					t.Fatalf("%d assignments, want %d: %+v", len(got), len(c.want), got)
				}
				for i, a := range got {
					if a.Shots != c.want[i] {
						t.Errorf("assignment %d: %d shots, want %d", i, a.Shots, c.want[i])
					}
					if r := a.PIP.Sub(c.unit.Pos).Norm(); r < 1000 || r > 20000 {
						t.Errorf("PIP at %v m, outside the envelope", r)
					}
					if a.FireAt != 5 {
						t.Errorf("fire at %v, want the reaction time 5 s", a.FireAt)
					}
					if want := 1 - math.Pow(0.3, float64(a.Shots)); math.Abs(a.Pk-want) > 1e-12 {
						t.Errorf("engagement Pk %v, want %v", a.Pk, want)
					}
				}
				if units[0].FreeChannels != c.unit.FreeChannels-len(got) {
					t.Errorf("channels not consumed: %d left", units[0].FreeChannels)
				}
			})
		}
	}
}

// With one channel and two threats, each rule picks differently: WTA the larger expected
// loss, greedy the higher priority (value over time to go), nearest the closer track.
func TestMethodsChooseDifferently(t *testing.T) {
	assets := []Asset{{Pos: geo.Vec3{}, Value: 10, Radius: 100}, {Pos: geo.Vec3{X: 30000}, Value: 100, Radius: 100}}
	near := drone(-6000)                                                                             // threatens the small asset soon
	far := Track{Category: "drone", Pos: geo.Vec3{X: 30000, Y: -12000, Z: 50}, Vel: geo.Vec3{Y: 50}} // the big one later
	u := Unit{Pos: geo.Vec3{X: 15000, Y: -3000}, FreeChannels: 1, Reaction: 5, Layer: LayerShort,
		Weapons: []Weapon{{MaxRange: 20000, MaxAlt: 15000, Speed: 800, MaxTOF: 40, Rounds: 12, Pk: map[string]float64{"drone": 0.7}}}}
	cases := map[string]int{MethodWTA: 1, MethodGreedy: 1, MethodNearest: 0}
	for method, want := range cases {
		p := Planner{Config: Config{Method: method}, Altitude: flatAlt}
		got := p.Plan(0, []Track{near, far}, assets, []Unit{u})
		if len(got) != 1 || got[0].Track != want {
			t.Errorf("%s: got %+v, want track %d", method, got, want)
		}
	}
}

func TestLayeredLeavesTrackToOuterLayer(t *testing.T) {
	assets := []Asset{{Pos: geo.Vec3{}, Value: 100, Radius: 100}}
	outer := Unit{Pos: geo.Vec3{X: -20000}, Layer: LayerLong, FreeChannels: 4, Reaction: 10,
		Weapons: []Weapon{{MinRange: 3000, MaxRange: 120000, MinAlt: 5, MaxAlt: 30000, Speed: 1200, MaxTOF: 150, Rounds: 8, Pk: map[string]float64{"drone": 0.6}}}}
	inner := missileUnit(4, 12)
	for _, layered := range []bool{false, true} {
		p := Planner{Config: Config{Method: MethodGreedy, Layered: layered}, Altitude: flatAlt}
		got := p.Plan(0, []Track{drone(-15000)}, assets, []Unit{outer, inner})
		if len(got) != 1 {
			t.Fatalf("layered=%v: %d assignments", layered, len(got))
		}
		// Unlayered, the inner unit's higher Pk wins; layered, the outer unit fires first.
		if want := map[bool]int{false: 1, true: 0}[layered]; got[0].Unit != want {
			t.Errorf("layered=%v: unit %d, want %d", layered, got[0].Unit, want)
		}
	}
	// Close to its asset, the inner layer fires even under the layered doctrine.
	p := Planner{Config: Config{Method: MethodGreedy, Layered: true, LayerMargin: 200}, Altitude: flatAlt}
	if got := p.Plan(0, []Track{drone(-8000)}, assets, []Unit{outer, inner}); len(got) != 1 || got[0].Unit != 1 {
		t.Errorf("inside the margin: %+v", got)
	}
	// The margin counts from the decision's time: a track last updated 20 s before it is 20 s
	// nearer its asset than its time to go (from the track's time) says.
	d := drone(-15000)
	p = Planner{Config: Config{Method: MethodGreedy, Layered: true}, Altitude: flatAlt}
	p.LayerMargin = p.Evaluate(&d, assets).TimeToGo - 10
	for _, c := range []struct{ t, unit float64 }{{d.T, 0}, {d.T + 20, 1}} {
		if got := p.Plan(c.t, []Track{d}, assets, []Unit{outer, inner}); len(got) != 1 || float64(got[0].Unit) != c.unit {
			t.Errorf("margin 10 s inside the time to go, decided %g s after the track's time: %+v, want unit %g", c.t-d.T, got, c.unit)
		}
	}
}

func TestGunsFirstAndReserve(t *testing.T) {
	assets := []Asset{{Pos: geo.Vec3{}, Value: 100, Radius: 100}}
	u := missileUnit(4, 12)
	u.Pos = geo.Vec3{X: 300}
	u.Weapons = append(u.Weapons, Weapon{Gun: true, MinRange: 200, MaxRange: 4000, MinAlt: 5, MaxAlt: 3000,
		Speed: 960, MaxTOF: 6, Rounds: 35, Magazine: 35, BurstPeriod: 1.5, Pk: map[string]float64{"drone": 0.3}, CostUSD: 2000})
	tr := drone(-6000)
	cases := []struct {
		name      string
		gunsFirst bool
		track     Track
		want      int // weapon index, -1 for none
	}{
		{"missile by Pk", false, tr, 0},
		{"gun will get its chance: missiles hold fire", true, tr, -1},
		{"gun in range", true, drone(-3800), 1},
		{"not cheap: the best engagement Pk, here the gun's compounded bursts", true, Track{Category: "drone", Pos: geo.Vec3{Y: -3800, Z: 50}, Vel: geo.Vec3{Y: 50}, CostUSD: 5e5}, 1},
	}
	for _, c := range cases {
		p := Planner{Config: Config{Method: MethodGreedy, GunsFirst: c.gunsFirst, CheapUSD: 1e5}, Altitude: flatAlt}
		units := []Unit{u}
		units[0].Weapons = append([]Weapon(nil), u.Weapons...)
		got := p.Plan(0, []Track{c.track}, assets, units)
		switch {
		case c.want < 0 && len(got) != 0:
			t.Errorf("%s: %+v, want none", c.name, got)
		case c.want >= 0 && (len(got) != 1 || got[0].Weapon != c.want):
			t.Errorf("%s: %+v, want weapon %d", c.name, got, c.want)
		}
		if c.want == 1 && len(got) == 1 && !(got[0].Pk > got[0].PkShot) {
			t.Errorf("%s: gun engagement Pk %v should compound the bursts (%v each)", c.name, got[0].Pk, got[0].PkShot)
		}
	}
	// Reserve: with 3 of 12 missiles left and a 50 % reserve, a low-value threat gets none.
	r := missileUnit(4, 3)
	p := Planner{Config: Config{Method: MethodGreedy, Reserve: 0.5, HighValue: 1000}, Altitude: flatAlt}
	if got := p.Plan(0, []Track{tr}, assets, []Unit{r}); len(got) != 0 {
		t.Errorf("reserve not kept: %+v", got)
	}
	p.HighValue = 50
	if got := p.Plan(0, []Track{tr}, assets, []Unit{missileUnit(4, 3)}); len(got) != 1 {
		t.Errorf("high-value threat refused the reserve: %+v", got)
	}
}

// benchmarkPlan is one decision cycle with n tracks converging on two assets and units×4 fire
// channels.
func benchmarkPlan(b *testing.B, n, units int, method string) {
	benchmarkPlanPer(b, n, units, method, 1)
}

// benchmarkPlanPer is benchmarkPlan with up to maxPer units on one track.
func benchmarkPlanPer(b *testing.B, n, units int, method string, maxPer int) {
	assets := []Asset{{Pos: geo.Vec3{}, Value: 100, Radius: 100}, {Pos: geo.Vec3{X: 5000}, Value: 50, Radius: 100}}
	var tracks []Track
	for i := 0; i < n; i++ {
		a := float64(i) * 2 * math.Pi / float64(n)
		r := 12000 + 100*float64(i%7)
		tracks = append(tracks, Track{Category: "drone", Pos: geo.Vec3{X: r * math.Cos(a), Y: r * math.Sin(a), Z: 50},
			Vel: geo.Vec3{X: -50 * math.Cos(a), Y: -50 * math.Sin(a)}, WarheadKg: 50})
	}
	mk := func() []Unit {
		var us []Unit
		for i := 0; i < units; i++ {
			a := float64(i) * 2 * math.Pi / float64(units)
			us = append(us, Unit{Pos: geo.Vec3{X: 3000 * math.Cos(a), Y: 3000 * math.Sin(a)}, FreeChannels: 4, Layer: LayerShort,
				Weapons: []Weapon{{MinRange: 1000, MaxRange: 20000, MinAlt: 5, MaxAlt: 15000, Speed: 800, MaxTOF: 40, Rounds: 12,
					Pk: map[string]float64{"drone": 0.5 + 0.04*float64(i)}}}})
		}
		return us
	}
	p := Planner{Config: Config{Method: method, MaxPerTrack: maxPer}, Altitude: flatAlt}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		p.Plan(0, tracks, assets, mk())
	}
	if maxPer > 1 {
		nodes, cut := p.MultiStats()
		b.ReportMetric(float64(nodes), "max_nodes")
		b.ReportMetric(float64(cut)/float64(b.N), "cut/op")
		b.ReportMetric(100*p.MultiGap(), "gap_%")
	}
}

// BenchmarkDecisionCycle: 100 tracks and 40 fire channels (10 units × 4), the target.
func BenchmarkDecisionCycle(b *testing.B) {
	for _, m := range []string{MethodWTA, MethodGreedy, MethodNearest} {
		b.Run(fmt.Sprintf("%s-100x40", m), func(b *testing.B) { benchmarkPlan(b, 100, 10, m) })
	}
	// Two units allowed on a track (c2.max_per_track: 2): the exact search of solveMulti.
	b.Run("wta-100x40-two-per-track", func(b *testing.B) { benchmarkPlanPer(b, 100, 10, MethodWTA, 2) })
	b.Run("wta-12x12-two-per-track", func(b *testing.B) { benchmarkPlanPer(b, 12, 3, MethodWTA, 2) })
}

// capitalAssets are eight assets laid out like the capital example's, in local metres
// (x east, y north, z up) around its parliament.
func capitalAssets() []Asset {
	return []Asset{
		{Pos: geo.Vec3{}, Value: 100, Radius: 80, HardnessKg: 150},
		{Pos: geo.Vec3{X: -1100, Y: 300}, Value: 100, Radius: 80, HardnessKg: 150},
		{Pos: geo.Vec3{X: 500, Y: 800}, Value: 80, Radius: 100, HardnessKg: 400},
		{Pos: geo.Vec3{X: 700, Y: -600}, Value: 60, Radius: 60, HardnessKg: 150},
		{Pos: geo.Vec3{Y: 4000}, Value: 30, Radius: 50, HardnessKg: 100},
		{Pos: geo.Vec3{X: 14000}, Value: 70, Radius: 200, HardnessKg: 100},
		{Pos: geo.Vec3{X: -3000, Y: -16000}, Value: 50, Radius: 800, HardnessKg: 200},
		{Pos: geo.Vec3{X: -12000, Y: 5000}, Value: 60, Radius: 300, HardnessKg: 80},
	}
}

// raidTracks returns n tracks from 10 to 80 km out, each heading within ±1.5° of an asset at
// 40 to 240 m/s, most of them drones; every 16th is ballistic, falling from 25 km.
func raidTracks(n int, r *rand.Rand) []Track {
	assets := capitalAssets()
	cats := []string{"drone", "drone", "drone", "drone", "drone", "drone", "drone", "drone", "cruise_missile", "aircraft"}
	var ts []Track
	for i := 0; i < n; i++ {
		a := r.Float64() * 2 * math.Pi
		d := 10000 + 70000*r.Float64()
		pos := geo.Vec3{X: d * math.Cos(a), Y: d * math.Sin(a), Z: 50}
		dir := assets[r.IntN(len(assets))].Pos.Sub(pos)
		h := math.Atan2(dir.Y, dir.X) + 0.05*(r.Float64()-0.5)
		s := 40 + 200*r.Float64()
		tr := Track{Category: cats[r.IntN(len(cats))], WarheadKg: 50, CostUSD: 3e4, Pos: pos,
			Vel: geo.Vec3{X: s * math.Cos(h), Y: s * math.Sin(h)}, T: 10}
		if i%16 == 15 {
			tr.Category, tr.WarheadKg, tr.CostUSD = "ballistic_missile", 480, 3e6
			tr.Pos.Z, tr.Vel = 25000, tr.Vel.Unit().Scale(1200).Add(geo.Vec3{Z: -800})
		}
		ts = append(ts, tr)
	}
	return ts
}

// capitalUnits are a long-range ring that leaves drones to the inner layer and short-range
// units beside the assets with a missile and a gun, as in the capital example.
func capitalUnits() []Unit {
	var us []Unit
	for i := 0; i < 4; i++ {
		a := float64(i) * math.Pi / 2
		us = append(us, Unit{Pos: geo.Vec3{X: 35000 * math.Cos(a), Y: 35000 * math.Sin(a), Z: 25}, Layer: LayerLong,
			FreeChannels: 6, Reaction: 10,
			Engages: map[string]bool{"ballistic_missile": true, "cruise_missile": true, "aircraft": true},
			Weapons: []Weapon{
				{MinRange: 3000, MaxRange: 120000, MinAlt: 10, MaxAlt: 30000, Speed: 1350, MaxTOF: 320, Rounds: 8, Magazine: 8,
					Pk: map[string]float64{"ballistic_missile": 0.6, "cruise_missile": 0.8, "aircraft": 0.9}, CostUSD: 2e6},
				{MinRange: 1000, MaxRange: 40000, MinAlt: 5, MaxAlt: 20000, Speed: 830, MaxTOF: 165, Rounds: 8, Magazine: 8,
					Pk: map[string]float64{"cruise_missile": 0.7, "aircraft": 0.7}, CostUSD: 5e5},
			}})
	}
	for i, a := range capitalAssets()[:7] {
		us = append(us, Unit{Pos: a.Pos.Add(geo.Vec3{X: 150, Y: 150 * float64(i%3), Z: 50}), Layer: LayerShort,
			FreeChannels: 4, Reaction: 5,
			Weapons: []Weapon{
				{MinRange: 1000, MaxRange: 20000, MinAlt: 5, MaxAlt: 15000, Speed: 1000, MaxTOF: 24, Rounds: 12, Magazine: 12,
					Pk: map[string]float64{"drone": 0.7, "cruise_missile": 0.6, "aircraft": 0.6}, CostUSD: 1e5},
				{Gun: true, MinRange: 200, MaxRange: 4000, MinAlt: 5, MaxAlt: 3000, Speed: 960, MaxTOF: 6, Rounds: 35, Magazine: 35,
					BurstPeriod: 1.5, Pk: map[string]float64{"drone": 0.3, "cruise_missile": 0.2}, CostUSD: 2000},
			}})
	}
	for i := range us {
		us[i].CanSee = horizon(us[i].Pos)
	}
	return us
}

// horizon is a fire-control radar at pos that sees to the radio horizon of a 4/3 Earth
// (4.12 km·(√h₁ + √h₂) with heights in metres) and up to 150 km.
func horizon(pos geo.Vec3) func(p geo.Vec3) bool {
	return func(p geo.Vec3) bool {
		d := math.Hypot(p.X-pos.X, p.Y-pos.Y)
		return d < 150000 && d < 4120*(math.Sqrt(max(pos.Z, 0))+math.Sqrt(max(p.Z, 0)))
	}
}

// BenchmarkPlanCapital is one decision cycle shaped like the capital example's: 18 tracks,
// mostly drones, 8 assets, 11 units in two layers with line of sight to the radio horizon.
func BenchmarkPlanCapital(b *testing.B) { benchPlanCapital(b, false) }

// BenchmarkPlanCapitalGunCurves is BenchmarkPlanCapital with the guns planned along their
// kill-probability curves and opening fire at burst Pk 0.3, as the engine's are.
func BenchmarkPlanCapitalGunCurves(b *testing.B) { benchPlanCapital(b, true) }

func benchPlanCapital(b *testing.B, curves bool) {
	r := rand.New(rand.NewPCG(1, 2))
	cycles := make([][]Track, 64) // varied cycles, as the engine's tracks move
	for i := range cycles {
		cycles[i] = raidTracks(18, r)
	}
	assets, units := capitalAssets(), capitalUnits()
	p := Planner{Altitude: flatAlt, Up: func(geo.Vec3) geo.Vec3 { return geo.Vec3{Z: 1} }, BallisticCategory: "ballistic_missile"}
	if curves {
		spec := engage.GunSpec{MuzzleVelocity: 960, DragPerMetre: 3.3e-4, RateOfFire: 80, BurstRounds: 40,
			BurstInterval: 1, Dispersion: 1e-3, AimError: 0.7e-3, PkGivenHit: 1, MaxRange: 4000, MinRange: 200}
		drone, cruise := spec.Curve(1, 0.5), spec.Curve(0.5, 0.3)
		for ui := range units {
			for wi := range units[ui].Weapons {
				if units[ui].Weapons[wi].Gun {
					units[ui].Weapons[wi].Curves = map[string]*engage.BurstCurve{"drone": &drone, "cruise_missile": &cruise}
				}
			}
		}
		p.GunOpenFirePk = 0.3
	}
	work := make([]Unit, len(units))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for ui := range units {
			work[ui] = units[ui]
			work[ui].Weapons = append(work[ui].Weapons[:0:0], units[ui].Weapons...)
		}
		p.Plan(0, cycles[i%len(cycles)], assets, work)
	}
}

// evaluateLinearRef is evaluate of a straight-line track as it was before the closest
// approaches were computed in chunks: asset by asset, skipping those behind the track.
func evaluateLinearRef(p *Planner, tr *Track, assets []Asset) Threat {
	radius := p.ThreatRadius
	if radius == 0 {
		radius = 2000
	}
	best := Threat{Asset: -1, TimeToGo: math.Inf(1)}
	bestD := math.Inf(1)
	v2 := tr.Vel.Norm2()
	for i, a := range assets {
		rel := a.Pos.Sub(tr.Pos)
		tc := 0.0
		if v2 > 0 {
			tc = rel.Dot(tr.Vel) / v2
		}
		if tc < 0 {
			continue // moving away
		}
		d := rel.Sub(tr.Vel.Scale(tc)).Norm() - a.Radius
		if d < bestD {
			bestD, best.Asset, best.TimeToGo = d, i, tc
		}
	}
	if best.Asset >= 0 {
		w := 1.0
		if bestD > radius {
			w = math.Exp(-(bestD - radius) / 10000)
		}
		a := assets[best.Asset]
		best.ValueAtRisk = a.Value * Damage(tr.WarheadKg, a.HardnessKg) * w
		best.Priority = best.ValueAtRisk / math.Max(best.TimeToGo, 10)
	}
	return best
}

// sameThreat reports whether two threats are equal to the bit.
func sameThreat(a, b Threat) bool {
	bits := math.Float64bits
	return a.Asset == b.Asset && bits(a.ValueAtRisk) == bits(b.ValueAtRisk) &&
		bits(a.TimeToGo) == bits(b.TimeToGo) && bits(a.Priority) == bits(b.Priority)
}

// The chunked closest approach of evaluate must choose the same asset with the same numbers,
// to the bit, as the asset-by-asset loop: for any number of assets around a chunk's size,
// ties between assets, tracks at rest, receding, inside an asset, far from the origin.
func TestEvaluateChunkedMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	manyAssets := func(n int) []Asset {
		as := capitalAssets()
		for len(as) < n {
			a := as[len(as)%8]
			a.Pos = a.Pos.Add(geo.Vec3{X: 3000 * r.NormFloat64(), Y: 3000 * r.NormFloat64()})
			as = append(as, a)
		}
		return as[:n]
	}
	twin := capitalAssets()[:2]
	twin[1] = twin[0] // a tie: the first asset must win
	ecef := geo.Vec3{X: 4.9e6, Y: -3.4e6, Z: 4.1e6}
	far := capitalAssets()
	for i := range far {
		far[i].Pos = far[i].Pos.Add(ecef)
	}
	farTracks := raidTracks(200, r)
	for i := range farTracks {
		farTracks[i].Pos = farTracks[i].Pos.Add(ecef)
	}
	special := []Track{
		{Pos: geo.Vec3{Y: -10000, Z: 50}},                           // at rest
		{Pos: geo.Vec3{Y: -10000, Z: 50}, Vel: geo.Vec3{Y: -50}},    // receding from all
		{Pos: geo.Vec3{X: 10, Z: 50}, Vel: geo.Vec3{X: 30, Y: 40}},  // inside an asset
		{Pos: geo.Vec3{Y: -10000, Z: 50}, Vel: geo.Vec3{Y: 1e-300}}, // tiny speed
		{Pos: geo.Vec3{Y: -10000, Z: 50}, Vel: geo.Vec3{Y: math.NaN()}},
	}
	cases := []struct {
		name   string
		assets []Asset
		tracks []Track
	}{
		{"no assets", nil, raidTracks(50, r)},
		{"one asset", manyAssets(1), raidTracks(200, r)},
		{"seven assets", manyAssets(7), raidTracks(200, r)},
		{"eight assets", manyAssets(8), raidTracks(500, r)},
		{"nine assets", manyAssets(9), raidTracks(200, r)},
		{"seventeen assets", manyAssets(17), raidTracks(200, r)},
		{"tied assets", twin, raidTracks(200, r)},
		{"special tracks", manyAssets(9), special},
		{"far from the origin", far, farTracks},
	}
	for _, c := range cases {
		p := Planner{Altitude: flatAlt, ThreatRadius: 1500}
		for i := range c.tracks {
			got, want := p.Evaluate(&c.tracks[i], c.assets), evaluateLinearRef(&p, &c.tracks[i], c.assets)
			if !sameThreat(got, want) {
				t.Errorf("%s, track %d: got %+v, want %+v", c.name, i, got, want)
			}
		}
	}
}

// sortCandidates must give the order of slices.SortStableFunc with cmp.Compare: by
// decreasing priority, ties and NaN in their order, on both sides of insertionMax.
func TestSortCandidatesMatchesStableSort(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	random := func(n, distinct int) []float64 {
		ps := make([]float64, n)
		for i := range ps {
			ps[i] = float64(r.IntN(distinct)) / 4
		}
		return ps
	}
	nan, inf, negZero := math.NaN(), math.Inf(1), math.Copysign(0, -1)
	cases := []struct {
		name string
		pri  []float64
	}{
		{"empty", nil},
		{"one", []float64{3}},
		{"all equal", []float64{1, 1, 1, 1}},
		{"descending", []float64{4, 3, 2, 1}},
		{"ascending", []float64{1, 2, 3, 4}},
		{"special values", []float64{nan, 0, inf, negZero, -inf, nan, 2, 0, negZero, inf}},
		{"ties", random(30, 4)},
		{"distinct", random(40, 1000)},
		{"at the limit", random(insertionMax, 10)},
		{"above the limit", random(insertionMax+1, 10)},
		{"many", random(300, 50)},
	}
	for _, c := range cases {
		var s planScratch
		for i, p := range c.pri {
			s.evals = append(s.evals, Threat{Priority: p})
			s.cand = append(s.cand, i)
		}
		// Candidates are a subset of the tracks, in track order: drop every fifth.
		s.cand = slices.DeleteFunc(s.cand, func(i int) bool { return i%5 == 4 })
		want := slices.Clone(s.cand)
		slices.SortStableFunc(want, func(a, b int) int { return cmp.Compare(s.evals[b].Priority, s.evals[a].Priority) })
		s.sortCandidates()
		if !slices.Equal(s.cand, want) {
			t.Errorf("%s: got %v, want %v", c.name, s.cand, want)
		}
	}
}

// BenchmarkEvaluate rates 4096 varied tracks against the capital's eight assets (so many that
// the branch predictor cannot learn them, as in the engine), with evaluate and with the
// asset-by-asset reference.
func BenchmarkEvaluate(b *testing.B) {
	assets := capitalAssets()
	tracks := raidTracks(4096, rand.New(rand.NewPCG(1, 2)))
	for i := range tracks {
		tracks[i].Category = "drone" // every one along a straight line
	}
	p := Planner{Altitude: flatAlt}
	b.Run("chunked", func(b *testing.B) {
		var m damageMemo
		for i := 0; i < b.N; i++ {
			for k := range tracks {
				p.evaluate(&tracks[k], assets, &m)
			}
		}
	})
	b.Run("reference", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for k := range tracks {
				evaluateLinearRef(&p, &tracks[k], assets)
			}
		}
	})
}

// ballisticUnit is a long-range unit with three missiles (as an S-400 battalion) and a gun.
func ballisticUnit(pos geo.Vec3) Unit {
	pk := map[string]float64{"ballistic_missile": 0.6, "aircraft": 0.9}
	return Unit{Pos: pos, Layer: LayerLong, FreeChannels: 4, Reaction: 10, Weapons: []Weapon{
		{MinRange: 3000, MaxRange: 380000, MinAlt: 10, MaxAlt: 30000, Speed: 1350, MaxTOF: 320, Rounds: 8, Magazine: 8, Pk: pk, CostUSD: 2e6},
		{MinRange: 3000, MaxRange: 250000, MinAlt: 10, MaxAlt: 27000, Speed: 1200, MaxTOF: 240, Rounds: 8, Magazine: 8, Pk: pk, CostUSD: 1e6},
		{Gun: true, MinRange: 200, MaxRange: 4000, MinAlt: 5, MaxAlt: 3000, Speed: 960, MaxTOF: 6, Rounds: 35, Magazine: 35,
			BurstPeriod: 1.5, Pk: map[string]float64{"ballistic_missile": 0.1}, CostUSD: 2000},
		{MinRange: 1500, MaxRange: 120000, MinAlt: 5, MaxAlt: 25000, Speed: 830, MaxTOF: 165, Rounds: 8, Magazine: 8, Pk: pk, CostUSD: 5e5},
	}}
}

// A ballistic missile diving on the unit faster than any of its missiles flies is still
// engageable head-on: BestOption plans a missile whose intercept point lies on the predicted
// arc, is reached at the missile's mean speed, and is inside its envelope. (The fixed-point
// intercept iteration C2 used before found none here: it diverges when the target closes
// faster than the interceptor.)
func TestBestOptionEngagesAFasterBallisticMissile(t *testing.T) {
	upv := geo.Vec3{Z: 1}
	p := Planner{Altitude: flatAlt, Up: func(geo.Vec3) geo.Vec3 { return upv }, BallisticCategory: "ballistic_missile"}
	u := ballisticUnit(geo.Vec3{Z: 25})
	// Each arc comes down on the unit: from x, z at speed vx, T = x/|vx| to impact and the
	// vertical speed that brings it to the ground then.
	for _, c := range []struct{ x, z, vx float64 }{
		{90000, 40000, -2000},
		{60000, 25000, -2000},
		{120000, 45000, -1800},
		{70000, 35000, -1500},
	} {
		tImp := -c.x / c.vx
		vz := (0.5*engage.Gravity*tImp*tImp - c.z) / tImp
		tr := Track{Category: "ballistic_missile", WarheadKg: 480, CostUSD: 3e6,
			Pos: geo.Vec3{X: c.x, Z: c.z}, Vel: geo.Vec3{X: c.vx, Z: vz}, T: 10}
		ev := Threat{Asset: 0, ValueAtRisk: 100, TimeToGo: tImp}
		o, ok := p.BestOption(10, &tr, ev, &u)
		if !ok {
			t.Errorf("%+v: no option", c)
			continue
		}
		w := u.Weapons[o.Weapon]
		if w.Gun || w.Speed >= tr.Vel.Norm() {
			t.Errorf("%+v: weapon %d (gun %v, %v m/s) is not a missile slower than the target", c, o.Weapon, w.Gun, w.Speed)
		}
		if e := o.PIP.Sub(u.Pos).Norm() - w.Speed*o.TOF; math.Abs(e) > 1e-3 {
			t.Errorf("%+v: |PIP − unit| − speed·TOF = %v m", c, e)
		}
		if e := o.PIP.Sub(engage.Falling(tr.Pos, tr.Vel, upv, tr.T)(o.FireAt + o.TOF)).Norm(); e > 1e-6 {
			t.Errorf("%+v: PIP %v m off the predicted arc", c, e)
		}
	}
}

// BenchmarkBestOptionBallistic is a long-range unit's option on a ballistic missile faster
// than its missiles.
func BenchmarkBestOptionBallistic(b *testing.B) {
	p := Planner{Altitude: flatAlt, Up: func(geo.Vec3) geo.Vec3 { return geo.Vec3{Z: 1} }, BallisticCategory: "ballistic_missile"}
	u := ballisticUnit(geo.Vec3{X: 30000, Z: 25})
	tr := Track{Category: "ballistic_missile", WarheadKg: 480, Pos: geo.Vec3{X: 180000, Z: 40000}, Vel: geo.Vec3{X: -1600, Z: -300}}
	ev := Threat{Asset: 0, ValueAtRisk: 100, TimeToGo: 120}
	for i := 0; i < b.N; i++ {
		p.BestOption(10, &tr, ev, &u)
	}
}

// solveWTA takes each unit's number of options from planScratch.nok, kept by options and
// layer; it must be the count of the unit's ok entries, layered or not.
func TestOptionCountsMatchOK(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for k := 0; k < 200; k++ {
		p := Planner{Config: Config{Layered: k%2 == 0, LayerMargin: 30 + float64(k%5)*30}, Altitude: flatAlt,
			Up: func(geo.Vec3) geo.Vec3 { return geo.Vec3{Z: 1} }, BallisticCategory: "ballistic_missile"}
		units := capitalUnits()
		units[k%len(units)].FreeChannels = 0
		p.Plan(float64(k), raidTracks(5+r.IntN(40), r), capitalAssets(), units)
		s := &p.scratch
		for ui := range units {
			n := 0
			for _, ok := range s.ok[ui] {
				if ok {
					n++
				}
			}
			if n != s.nok[ui] {
				t.Fatalf("case %d, unit %d: %d options ok, nok %d", k, ui, n, s.nok[ui])
			}
		}
	}
}

// A missile shot is feasible only if its seeker will find the target: the look angle on the
// collision course (between the interceptor's velocity and its line of sight to the target)
// must lie inside Weapon.LookLimit. The angle is measured here by flying both bodies at
// constant velocity to one second before the intercept, for a crossing, a head-on and a
// diving ballistic target; a limit just above it keeps the option, just below drops it, and
// an all-round seeker (0) always keeps it.
func TestFeasibleLookAngle(t *testing.T) {
	upv := geo.Vec3{Z: 1}
	p := Planner{Altitude: flatAlt, Up: func(geo.Vec3) geo.Vec3 { return upv }, BallisticCategory: "ballistic_missile"}
	pk := map[string]float64{"cruise_missile": 0.7, "ballistic_missile": 0.6}
	for _, c := range []struct {
		name string
		tr   Track
		ttg  float64
	}{
		{"crossing", Track{Category: "cruise_missile", Pos: geo.Vec3{X: 20000, Y: 15000, Z: 2000}, Vel: geo.Vec3{X: -600}, T: 0}, 200},
		{"head-on", Track{Category: "cruise_missile", Pos: geo.Vec3{X: 40000, Y: 100, Z: 2000}, Vel: geo.Vec3{X: -250}, T: 0}, 200},
		{"diving ballistic", Track{Category: "ballistic_missile", Pos: geo.Vec3{X: 60000, Y: 20000, Z: 30000}, Vel: geo.Vec3{X: -1500, Z: -200}, T: 0}, 60},
	} {
		u := Unit{Pos: geo.Vec3{Z: 25}, Layer: LayerLong, FreeChannels: 1, Reaction: 5, Weapons: []Weapon{
			{MinRange: 1000, MaxRange: 120000, MinAlt: 10, MaxAlt: 40000, Speed: 900, MaxTOF: 100, Rounds: 8, Magazine: 8, Pk: pk, CostUSD: 5e5}}}
		ev := Threat{Asset: 0, ValueAtRisk: 100, TimeToGo: c.ttg}
		o, ok := p.Feasible(0, &c.tr, ev, &u, 0)
		if !ok {
			t.Fatalf("%s: infeasible with an all-round seeker", c.name)
		}
		// Fly both to one second before the intercept, at constant velocity: the missile on
		// the planner's chord at its mean speed, the target on its predicted path.
		vM := o.PIP.Sub(u.Pos).Scale(1 / o.TOF)
		tb := o.FireAt + o.TOF - 1
		pM := u.Pos.Add(vM.Scale(tb - o.FireAt))
		vT := c.tr.Vel
		pT := c.tr.Pos.Add(c.tr.Vel.Scale(tb - c.tr.T))
		if c.tr.Category == "ballistic_missile" {
			pT = pT.Sub(upv.Scale(0.5 * engage.Gravity * (tb - c.tr.T) * (tb - c.tr.T)))
			vT = vT.Sub(upv.Scale(engage.Gravity * (tb + 1 - c.tr.T)))
		}
		los := pT.Sub(pM)
		look := math.Acos(los.Dot(vM) / (los.Norm() * vM.Norm()))
		// One second out the line of sight is along v_M − v_T to within the curvature
		// of the arc over that second.
		if want := math.Acos(vM.Dot(vM.Sub(vT)) / (vM.Norm() * vM.Sub(vT).Norm())); math.Abs(look-want) > 0.02 {
			t.Errorf("%s: look angle %.4f rad one second out, %.4f rad from the velocities", c.name, look, want)
		}
		for _, lim := range []struct {
			limit float64
			want  bool
		}{{look + 0.03, true}, {look - 0.03, false}, {0, true}} {
			if lim.limit <= 0 && lim.limit != 0 {
				continue // head-on: nothing below the angle
			}
			u.Weapons[0].LookLimit = lim.limit
			if _, ok := p.Feasible(0, &c.tr, ev, &u, 0); ok != lim.want {
				t.Errorf("%s: look angle %.1f°, limit %.1f°: feasible %v, want %v", c.name, look*180/math.Pi, lim.limit*180/math.Pi, ok, lim.want)
			}
		}
		t.Logf("%s: look angle %.1f°", c.name, look*180/math.Pi)
	}
}

// Plan's probe (Plan returns nothing when no free unit has a feasible option, before any
// track is evaluated) must give what the full cycle gives: the same assignments, to the bit,
// and the same rounds and channels consumed, over cycles of few or many tracks near and
// far, with units busy or out of rounds, under every method and doctrine option. Both
// outcomes of the probe must occur.
func TestPlanProbeMatchesFullPlan(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	methods := []string{MethodWTA, MethodGreedy, MethodNearest}
	none, some := 0, 0
	for k := 0; k < 600; k++ {
		cfg := Config{Method: methods[k%3], Layered: k%2 == 0, GunsFirst: k%5 == 0, CheapUSD: 5e4}
		if k%7 == 0 {
			cfg.Doctrine = Salvo
		}
		tracks := raidTracks(1+r.IntN(12), r)
		for i := range tracks {
			if r.IntN(3) == 0 {
				tracks[i].Engaged = 1
			}
			if r.IntN(2) == 0 { // farther out: beyond the short-range units' reach
				tracks[i].Pos = tracks[i].Pos.Scale(1 + 2*r.Float64())
			}
		}
		units := capitalUnits()
		for ui := range units {
			switch r.IntN(4) {
			case 0:
				units[ui].FreeChannels = 0
			case 1:
				for wi := range units[ui].Weapons {
					units[ui].Weapons[wi].Rounds = 0
				}
			}
		}
		plan := func(noProbe bool) ([]Assignment, []Unit) {
			p := Planner{Config: cfg, Altitude: flatAlt, Up: func(geo.Vec3) geo.Vec3 { return geo.Vec3{Z: 1} },
				BallisticCategory: "ballistic_missile", noProbe: noProbe}
			us := make([]Unit, len(units))
			for ui := range units {
				us[ui] = units[ui]
				us[ui].Weapons = slices.Clone(units[ui].Weapons)
			}
			return p.Plan(float64(k), tracks, capitalAssets(), us), us
		}
		got, gotU := plan(false)
		want, wantU := plan(true)
		if len(got) == 0 && len(want) == 0 {
			none++
		} else {
			some++
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("cycle %d: probe %+v, full %+v", k, got, want)
		}
		for ui := range gotU {
			if gotU[ui].FreeChannels != wantU[ui].FreeChannels || !reflect.DeepEqual(gotU[ui].Weapons, wantU[ui].Weapons) {
				t.Fatalf("cycle %d, unit %d: consumed differently", k, ui)
			}
		}
	}
	if none < 100 || some < 100 {
		t.Errorf("cycles without assignments %d, with %d: both must be exercised", none, some)
	}
	t.Logf("cycles without assignments %d, with %d", none, some)
}

// A unit whose rules of engagement exclude a category holds fire at a track that may still
// be one (Track.Also); a unit without such rules, or one allowing every category the track
// may be, engages it.
func TestRulesOfEngagementAndAmbiguousTracks(t *testing.T) {
	p := Planner{Altitude: flatAlt}
	pk := map[string]float64{"drone": 0.7, "cruise_missile": 0.7}
	tr := Track{Category: "cruise_missile", Also: []string{"drone"}, Pos: geo.Vec3{X: 20000, Z: 50}, Vel: geo.Vec3{X: -95}}
	ev := Threat{Asset: 0, ValueAtRisk: 100, TimeToGo: 200}
	for _, c := range []struct {
		engages map[string]bool
		also    []string
		want    bool
	}{
		{map[string]bool{"cruise_missile": true}, []string{"drone"}, false},
		{map[string]bool{"cruise_missile": true}, nil, true},
		{map[string]bool{"cruise_missile": true, "drone": true}, []string{"drone"}, true},
		{nil, []string{"drone"}, true},
	} {
		u := Unit{Pos: geo.Vec3{Z: 10}, Layer: LayerLong, FreeChannels: 1, Reaction: 5, Engages: c.engages, Weapons: []Weapon{
			{MinRange: 500, MaxRange: 60000, MinAlt: 5, MaxAlt: 20000, Speed: 800, MaxTOF: 80, Rounds: 4, Magazine: 4, Pk: pk, CostUSD: 5e5}}}
		tr.Also = c.also
		if _, ok := p.BestOption(0, &tr, ev, &u); ok != c.want {
			t.Errorf("engages %v, also %v: option %v, want %v", c.engages, c.also, ok, c.want)
		}
		plan := p.Plan(0, []Track{tr}, []Asset{{Pos: geo.Vec3{}, Value: 100, Radius: 100}}, []Unit{u})
		if got := len(plan) > 0; got != c.want {
			t.Errorf("engages %v, also %v: %d assignments, want any %v", c.engages, c.also, len(plan), c.want)
		}
	}
}

// TestGunWindowDeadZone checks the gun's firing window against hand-worked straight-line
// geometry: a gun at the origin with a 200 m dead zone, a 4 km range and a burst every 1.5 s,
// tracks at 50 m/s. Bursts = ⌊(end − start)/1.5⌋ + 1.
func TestGunWindowDeadZone(t *testing.T) {
	u := Unit{}
	w := Weapon{Gun: true, MinRange: 200, MaxRange: 4000, BurstPeriod: 1.5, Rounds: 1000}
	cases := []struct {
		name     string
		pos, vel geo.Vec3
		deadline float64
		start    float64
		bursts   int
	}{
		// In range at |y| = 4000 (τ = 20), into the dead zone at |y| = 200 (τ = 96).
		{"inbound over the gun", geo.Vec3{Y: -5000}, geo.Vec3{Y: 50}, 1000, 20, 51},
		// Out of the dead zone at y = 200 (τ = 6), out of range at y = 4000 (τ = 82).
		{"outbound from inside the dead zone", geo.Vec3{Y: -100}, geo.Vec3{Y: 50}, 1000, 6, 51},
		{"arrives before leaving the dead zone", geo.Vec3{Y: -100}, geo.Vec3{Y: 50}, 4, 0, 0},
		// Abeam at 150 m: in range now, into the dead zone at |y| = √(200² − 150²) = 132.29
		// (τ = 17.354).
		{"abeam inside the dead zone's radius", geo.Vec3{X: 150, Y: -1000}, geo.Vec3{Y: 50}, 1000, 0, 12},
		// Abeam at 300 m: never in the dead zone; out of range at y = √(4000² − 300²) =
		// 3988.73 (τ = 99.775).
		{"abeam outside it", geo.Vec3{X: 300, Y: -1000}, geo.Vec3{Y: 50}, 1000, 0, 67},
		{"hovering in the dead zone", geo.Vec3{X: 100}, geo.Vec3{}, 1000, 0, 0},
		{"hovering in range", geo.Vec3{X: 1000}, geo.Vec3{}, 30, 0, 21},
		{"out of range, flying away", geo.Vec3{Y: 5000}, geo.Vec3{Y: 50}, 1000, 0, 0},
	}
	var p Planner
	for _, c := range cases {
		tr := Track{Pos: c.pos, Vel: c.vel}
		start, bursts, _ := p.gunWindow(&tr, &u, &w, 0, c.deadline)
		if bursts != c.bursts || (bursts > 0 && math.Abs(start-c.start) > 1e-9) {
			t.Errorf("%s: start %.6g s, %d bursts; want %g s, %d", c.name, start, bursts, c.start, c.bursts)
		}
	}
}

// TestCueing: a gun whose radar sees only within some radius (buildings round it), a drone at
// 50 m/s and 50 m flying at it, 5 s of reaction, a 200 m dead zone. Uncued, C2 waits until the
// radar sees the drone; cued, it assigns the gun as soon as the radar will see the drone when
// the gun fires.
func TestCueing(t *testing.T) {
	assets := []Asset{{Pos: geo.Vec3{Y: 100}, Value: 100, Radius: 100}}
	cases := []struct {
		name   string
		cueing bool
		sees   float64 // the radar's radius of view, m
		y      float64 // the drone's position now; it flies +y at 50 m/s
		fireAt float64 // the assignment's time of the first burst; 0: no assignment
	}{
		{"uncued, not seen yet", false, 400, -600, 0},
		{"cued: seen at 350 m when it fires", true, 400, -600, 5},
		{"cued, still masked when it would fire", true, 400, -1200, 0},
		{"uncued, seen now, in the dead zone when it could fire", false, 400, -390, 0},
		{"uncued, seen now", false, 1000, -600, 5},
	}
	for _, c := range cases {
		gun := Unit{Layer: LayerShort, FreeChannels: 1, Reaction: 5,
			CanSee: func(p geo.Vec3) bool { return p.Norm() < c.sees },
			Weapons: []Weapon{{Gun: true, MinRange: 200, MaxRange: 4000, MinAlt: 5, MaxAlt: 3000, Speed: 960, MaxTOF: 6,
				Rounds: 35, Magazine: 35, BurstPeriod: 1.5, Pk: map[string]float64{"drone": 0.3}, CostUSD: 2000}}}
		p := Planner{Config: Config{Method: MethodGreedy, Cueing: c.cueing}, Altitude: flatAlt}
		got := p.Plan(0, []Track{drone(c.y)}, assets, []Unit{gun})
		switch {
		case c.fireAt == 0 && len(got) != 0:
			t.Errorf("%s: %+v, want none", c.name, got)
		case c.fireAt > 0 && (len(got) != 1 || got[0].FireAt != c.fireAt):
			t.Errorf("%s: %+v, want one firing at %g s", c.name, got, c.fireAt)
		}
	}
}

// TestWTATieGoesToTheEarlierIntercept: two identical units with the same engagement Pk on one
// drone; the assignment goes to the one whose intercept comes first, whichever is listed
// first, as the greedy rule does (it leaves the most time for a second engagement).
func TestWTATieGoesToTheEarlierIntercept(t *testing.T) {
	assets := []Asset{{Pos: geo.Vec3{}, Value: 100, Radius: 100}}
	near, far := missileUnit(1, 12), missileUnit(1, 12)
	near.Pos, far.Pos = geo.Vec3{X: 2000, Y: -4000}, geo.Vec3{X: 2000, Y: 4000}
	tr := drone(-12000) // flies +y at 50 m/s: near meets it sooner
	for _, method := range []string{MethodWTA, MethodGreedy} {
		for _, order := range [][2]Unit{{far, near}, {near, far}} {
			p := Planner{Config: Config{Method: method}, Altitude: flatAlt}
			got := p.Plan(0, []Track{tr}, assets, order[:])
			if len(got) != 1 {
				t.Fatalf("%s: %d assignments, want 1", method, len(got))
			}
			o := got[0]
			other := 1 - o.Unit
			alt, ok := p.BestOption(0, &tr, p.Evaluate(&tr, assets), &order[other])
			if !ok || alt.Pk != o.Pk {
				t.Fatalf("%s: the other unit's option %+v is not a tie with %+v", method, alt, o)
			}
			if order[o.Unit].Pos != near.Pos || !(o.FireAt+o.TOF < alt.FireAt+alt.TOF) {
				t.Errorf("%s, units %v then %v: unit at %v intercepts at %g s, the other at %g s",
					method, order[0].Pos, order[1].Pos, order[o.Unit].Pos, o.FireAt+o.TOF, alt.FireAt+alt.TOF)
			}
		}
	}
}

// TestGunOpenFire: a gun with a kill-probability curve (engage.GunSpec.Curve: the
// Pantsir-class figures, a 1 m² drone, kill given a hit 0.5) opens fire where one burst kills
// with GunOpenFirePk on a track that will come that close, from its maximum range on one that
// will not, and plans the engagement's Pk and cost burst by burst along the curve. Hand
// geometry: the gun at the origin, a drone along y at 50 m/s, abeam at x, so burst k is at
// range √(x² + (y₀ + 75k)²).
func TestGunOpenFire(t *testing.T) {
	spec := engage.GunSpec{MuzzleVelocity: 960, DragPerMetre: 3.3e-4, RateOfFire: 80, BurstRounds: 40,
		BurstInterval: 1, Dispersion: 1e-3, AimError: 0.7e-3, PkGivenHit: 1, MaxRange: 4000, MinRange: 200}
	curve := spec.Curve(1, 0.5)
	r03, ok := curve.RangeFor(0.3)
	if !ok {
		t.Fatal("curve never reaches 0.3")
	}
	w := Weapon{Gun: true, MinRange: 200, MaxRange: 4000, MinAlt: -1, MaxAlt: 3000, Speed: 960, MaxTOF: 6,
		Rounds: 35, Magazine: 35, BurstPeriod: 1.5, CostUSD: 4000,
		Pk: map[string]float64{"drone": 0.3, "cruise_missile": 0.25}, Curves: map[string]*engage.BurstCurve{"drone": &curve}}
	u := Unit{Weapons: []Weapon{w}, FreeChannels: 1}
	ev := Threat{Asset: 0, TimeToGo: 1000}
	cases := []struct {
		name     string
		openPk   float64
		category string
		x        float64 // abeam distance, m
		reach    float64 // the range the gun opens fire at, m
		curve    bool    // planned along the curve (else the catalog's 0.25 a burst)
	}{
		{"inbound, open-fire Pk 0.3", 0.3, "drone", 0, r03, true},
		{"inbound, open-fire Pk 0: from the maximum range", 0, "drone", 0, 4000, true},
		{"no burst reaches 0.999: from the maximum range", 0.999, "drone", 0, 4000, true},
		{"passing at 3 km, never within the open-fire range: from the maximum range", 0.3, "drone", 3000, 4000, true},
		{"passing at 1 km: from the open-fire range", 0.3, "drone", 1000, r03, true},
		{"no curve for the category: the catalog Pk from the maximum range", 0.3, "cruise_missile", 0, 4000, false},
	}
	for _, c := range cases {
		p := Planner{Config: Config{GunOpenFirePk: c.openPk}}
		// The track enters the reach at t = 0 (the reaction time is 0).
		y0 := -math.Sqrt(c.reach*c.reach - c.x*c.x)
		tr := Track{Category: c.category, Pos: geo.Vec3{X: c.x, Y: y0 - 1}, Vel: geo.Vec3{Y: 50}, T: -1.0 / 50}
		o, ok := p.Feasible(0, &tr, ev, &u, 0)
		if !ok {
			t.Fatalf("%s: not feasible", c.name)
		}
		if math.Abs(o.FireAt) > 1e-6 || math.Abs(o.OpenRange-c.reach) > 1e-9 {
			t.Errorf("%s: fires at %.6g s within %.1f m, want 0 s within %.1f m", c.name, o.FireAt, o.OpenRange, c.reach)
		}
		// Bursts until the dead zone or out of reach, at most the 35 left.
		survive, expected := 1.0, 0.0
		n := 0
		for k := 0; n < 35; k++ {
			y := y0 + 75*float64(k)
			r := math.Hypot(c.x, y)
			if r > c.reach+1e-6 || r < 200 {
				break
			}
			pk := 0.25
			if c.curve {
				pk = curve.At(r)
			}
			expected += survive
			survive *= 1 - pk
			n++
		}
		// Feasible stops adding bursts once the survival is under 1e-9.
		if math.Abs(o.Pk-(1-survive)) > 1e-8 || math.Abs(o.CostUSD-4000*expected) > 1e-3 {
			t.Errorf("%s: Pk %.12g, cost %.6g; want %.12g, %.6g (%d bursts)", c.name, o.Pk, o.CostUSD, 1-survive, 4000*expected, n)
		}
	}
}

// Threat evaluation predicts a re-entering ballistic missile's impact with drag: from exact
// states on the engine's own missile (package threat) aimed at asset 0, a planner with the
// globe and the class's ballistic coefficient names asset 0 all the way down, with the time
// to go within a second of the flight's, while the drag-free arc (β = 0) names asset 1 —
// where the missile would land if the air did not slow it — above 28 km, and predicts the
// impact 5–12 s early above 10 km.
func TestEvaluateBallisticWithDrag(t *testing.T) {
	f := geo.NewFrame(geo.LLADeg(40, -35, 0))
	aimLLA := geo.LLADeg(40, -35, 0)
	earth := threat.RoundEarth(&f)
	spec := threat.BallisticSpec{Beta: 8000, Phi: 25 * math.Pi / 180, DescentDrag: true}
	b, err := threat.NewBallisticDrag(earth, f.ToLocal(geo.Direct(aimLLA, 0.8, 280000)), f.ToLocal(aimLLA), spec)
	if err != nil {
		t.Fatal(err)
	}
	type state struct {
		t        float64
		pos, vel geo.Vec3
	}
	var states []state
	for !b.Done() {
		if b.Vel().Dot(f.Up(b.Pos())) < 0 && b.Altitude() > 1000 && int(b.Time()*20)%200 == 0 {
			states = append(states, state{b.Time(), b.Pos(), b.Vel()}) // every 10 s on the descent
		}
		b.Step(0.05)
	}
	impactT := b.Time()
	a := threat.StandardAtmosphere()
	p := Planner{Altitude: f.Altitude, Up: f.Up, BallisticCategory: "ballistic_missile",
		Globe:      engage.Globe{Centre: f.Centre(), Radius: f.Radius(), GM: geo.WGS84GM},
		Atmosphere: engage.Atmosphere{Rho0: a.Rho0, ScaleHeight: a.ScaleHeight}}
	// Asset 1 where the drag-free arc from the first state lands.
	s0 := states[0]
	free := p.Evaluate(&Track{Category: "ballistic_missile", Pos: s0.pos, Vel: s0.vel, T: s0.t},
		[]Asset{{Pos: f.ToLocal(aimLLA), Value: 1}})
	freeImpact := engage.Falling(s0.pos, s0.vel, f.Up(s0.pos), s0.t)(s0.t + free.TimeToGo)
	assets := []Asset{{Pos: f.ToLocal(aimLLA), Value: 100, Radius: 100}, {Pos: freeImpact, Value: 100, Radius: 100}}
	if d := freeImpact.Sub(assets[0].Pos).Norm(); d < 3000 {
		t.Fatalf("the drag-free impact is only %.0f m from the aim: no test", d)
	}
	for _, s := range states {
		tr := Track{Category: "ballistic_missile", BallisticCoef: spec.Beta, Pos: s.pos, Vel: s.vel, T: s.t}
		ev := p.Evaluate(&tr, assets)
		if ev.Asset != 0 || math.Abs(s.t+ev.TimeToGo-impactT) > 1 {
			t.Errorf("from %.1f km up: asset %d, impact at %.1f s, want asset 0 at %.1f s", f.Altitude(s.pos)/1000, ev.Asset, s.t+ev.TimeToGo, impactT)
		}
		tr.BallisticCoef = 0
		evf := p.Evaluate(&tr, assets)
		if alt := f.Altitude(s.pos); alt > 28000 && evf.Asset != 1 || alt > 10000 && impactT-s.t-evf.TimeToGo < 5 {
			t.Errorf("drag-free from %.1f km up: asset %d, impact %.1f s early; want asset 1 above 28 km and 5 s early or more above 10 km",
				alt/1000, evf.Asset, impactT-s.t-evf.TimeToGo)
		}
	}
	if len(states) < 5 {
		t.Fatalf("%d states", len(states))
	}
}

// reachBelow is a kinematic reach that shrinks near the ground: full range from height
// above m up, a fraction low of it below.
type reachBelow struct{ full, above, low float64 }

func (r reachBelow) Reaches(s, h float64) bool {
	if h >= r.above {
		return s <= r.full
	}
	return s <= r.low*r.full
}

// A missile is planned only where its kinematic reach at the intercept point's height takes
// it (Weapon.Reach), not to its envelope's MaxRange at every height; the second shot of
// shoot-look-shoot too, which against a target going away is the farther.
func TestFeasibleWithinReach(t *testing.T) {
	p := Planner{Altitude: flatAlt}
	pk := map[string]float64{"drone": 0.7}
	reach := reachBelow{full: 70000, above: 5000, low: 0.8}
	for _, c := range []struct {
		name       string
		x, z, vx   float64 // the track's range, height and speed along the range, m, m/s
		reach      Reach
		ok, second bool
	}{
		{"low, beyond the reach", 64000, 60, -50, reach, false, false},
		{"low, without a reach", 64000, 60, -50, nil, true, true},
		{"low, coming in to the reach", 58000, 60, -50, reach, true, true},
		{"low, going out: the second shot beyond the reach", 50000, 60, 50, reach, true, false},
		{"low, going out: both in reach", 45000, 60, 50, reach, true, true},
		{"high, as far", 64000, 8000, -50, reach, true, true},
	} {
		u := Unit{Pos: geo.Vec3{}, Layer: LayerMedium, FreeChannels: 1, Reaction: 5, Weapons: []Weapon{
			{MinRange: 1000, MaxRange: 70000, MinAlt: 15, MaxAlt: 35000, Speed: 710, MaxTOF: 110, Rounds: 8,
				Magazine: 8, Pk: pk, CostUSD: 8e5, Reach: c.reach}}}
		tr := Track{Category: "drone", Pos: geo.Vec3{X: c.x, Z: c.z}, Vel: geo.Vec3{X: c.vx}}
		o, ok := p.Feasible(0, &tr, Threat{Asset: 0, ValueAtRisk: 100, TimeToGo: 1000}, &u, 0)
		if ok != c.ok || ok && o.SecondShot != c.second {
			t.Errorf("%s: feasible %v, second shot %v; want %v, %v (intercept at %.1f km)",
				c.name, ok, o.SecondShot, c.ok, c.second, o.PIP.Norm()/1000)
		}
	}
}

// linearFlight is a Flight whose mean speed changes linearly with the range, and is absent
// beyond maxR.
type linearFlight struct{ v0, slope, maxR float64 }

func (f linearFlight) MeanSpeed(r, h float64) (float64, bool) {
	if r > f.maxR {
		return 0, false
	}
	return f.v0 + f.slope*r, true
}

// InterceptFlight's intercept point is the first point of the track's predicted path that the
// missile reaches at the mean speed Flight gives to that very point: checked against the
// first root of |P(τ) − from| − τ·v(|P(τ) − from|), found by scanning and bisection, for
// missiles that speed up and slow down with range, on straight and ballistic tracks. With no
// Flight, or none at the point, it is Intercept at the planning speed.
func TestInterceptFlight(t *testing.T) {
	up := func(geo.Vec3) geo.Vec3 { return geo.Vec3{Z: 1} }
	p := Planner{Altitude: flatAlt, Up: up, BallisticCategory: "ballistic_missile"}
	from := geo.Vec3{}
	const fire = 10.0
	accel := linearFlight{v0: 400, slope: 0.02, maxR: 1e6}   // 600 m/s at 10 km, 1,400 at 50 km
	slows := linearFlight{v0: 1400, slope: -0.01, maxR: 1e6} // 1,000 m/s at 40 km
	for _, c := range []struct {
		name   string
		tr     Track
		flight linearFlight
	}{
		{"drone coming in, accelerating missile", Track{Pos: geo.Vec3{X: 60000, Z: 50}, Vel: geo.Vec3{X: -50}}, accel},
		{"cruise missile crossing, slowing missile", Track{Pos: geo.Vec3{X: 40000, Y: -20000, Z: 30}, Vel: geo.Vec3{Y: 250}}, slows},
		{"going away", Track{Pos: geo.Vec3{X: 20000, Z: 3000}, Vel: geo.Vec3{X: 200}}, accel},
		{"going away faster than the planning speed", Track{Pos: geo.Vec3{X: 30000, Z: 3000}, Vel: geo.Vec3{X: 900}}, accel},
		{"ballistic", Track{Category: "ballistic_missile", Pos: geo.Vec3{X: 80000, Z: 40000}, Vel: geo.Vec3{X: -1500, Z: -800}}, slows},
	} {
		path := func(tau float64) geo.Vec3 { // the track's predicted position at fire + τ
			d := fire + tau - c.tr.T
			q := c.tr.Pos.Add(c.tr.Vel.Scale(d))
			if c.tr.Category == "ballistic_missile" {
				q.Z -= 0.5 * engage.Gravity * d * d
			}
			return q
		}
		g := func(tau float64) float64 {
			r := path(tau).Sub(from).Norm()
			v, _ := c.flight.MeanSpeed(r, 0)
			return r - tau*v
		}
		lo, hi := 0.0, 0.0
		for hi = 0.5; g(hi) > 0; hi += 0.5 {
			if hi > 600 {
				t.Fatalf("%s: no root", c.name)
			}
			lo = hi
		}
		for range 60 {
			if mid := (lo + hi) / 2; g(mid) > 0 {
				lo = mid
			} else {
				hi = mid
			}
		}
		pip, tof, ok := p.InterceptFlight(&c.tr, from, fire, 800, c.flight, 1000)
		if !ok || math.Abs(tof-hi) > 1e-3*hi {
			t.Errorf("%s: time of flight %.4f s (ok %v), want %.4f", c.name, tof, ok, hi)
		}
		if d := pip.Sub(path(tof)).Norm(); d > 1 {
			t.Errorf("%s: intercept point %.1f m off the predicted path", c.name, d)
		}
		at800, tof800, ok800 := p.Intercept(&c.tr, from, fire, 800, 1000)
		t.Logf("%s: %.2f s to %.1f km (at a constant 800 m/s: %.2f s to %.1f km)", c.name, tof, pip.Norm()/1000, tof800, at800.Norm()/1000)
		for _, f := range []Flight{nil, linearFlight{v0: 1, maxR: 0}} {
			gp, gt, gok := p.InterceptFlight(&c.tr, from, fire, 800, f, 1000)
			if gp != at800 || gt != tof800 || gok != ok800 {
				t.Errorf("%s, flight %v: %v %.3f s, want Intercept's %v %.3f s", c.name, f, gp, gt, at800, tof800)
			}
		}
	}
}

// Feasible plans with the flight's time of flight: a shot the planning speed says arrives in
// time but the missile, slower at that range, would not, is not an option.
func TestFeasibleWithFlightTime(t *testing.T) {
	p := Planner{Altitude: flatAlt}
	pk := map[string]float64{"cruise_missile": 0.7}
	tr := Track{Category: "cruise_missile", Pos: geo.Vec3{X: 60000, Z: 30}, Vel: geo.Vec3{X: -250}}
	// Without reaction time: at 1,450 m/s the intercept is 40.6 s out, at 51.6 km; a
	// missile averaging 1,000 m/s there meets the target at 48.0 km after 48.0 s.
	ev := Threat{Asset: 0, ValueAtRisk: 100, TimeToGo: 45}
	for _, c := range []struct {
		flight Flight
		ok     bool
	}{{nil, true}, {linearFlight{v0: 1000, maxR: 1e6}, false}} {
		u := Unit{Pos: geo.Vec3{}, Layer: LayerLong, FreeChannels: 1, Weapons: []Weapon{
			{MinRange: 1000, MaxRange: 400000, MinAlt: 10, MaxAlt: 30000, Speed: 1450, MaxTOF: 300, Rounds: 4,
				Magazine: 4, Pk: pk, CostUSD: 2e6, Flight: c.flight}}}
		o, ok := p.Feasible(0, &tr, ev, &u, 0)
		if ok != c.ok {
			t.Errorf("flight %v: feasible %v (time of flight %.1f s), want %v", c.flight, ok, o.TOF, c.ok)
		}
	}
}

// BenchmarkInterceptFlight is the intercept C2 solves for every missile option, with a
// mean-speed model (two or three solutions; the table lookups are
// sim's BenchmarkReachTable/MeanSpeed) and without (one).
func BenchmarkInterceptFlight(b *testing.B) {
	p := Planner{Altitude: flatAlt}
	tr := Track{Pos: geo.Vec3{X: 40000, Y: -20000, Z: 30}, Vel: geo.Vec3{Y: 250}}
	for _, c := range []struct {
		name   string
		flight Flight
	}{{"constant", nil}, {"flight", linearFlight{v0: 1400, slope: -0.01, maxR: 1e6}}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				p.InterceptFlight(&tr, geo.Vec3{}, 10, 800, c.flight, 1000)
			}
		})
	}
}
