package c2

import (
	"math"
	"testing"

	"github.com/adsim/adsim/geo"
)

func flatAlt(p geo.Vec3) float64 { return p.Z }

func TestEvaluatePicksAssetOnPath(t *testing.T) {
	p := Planner{Altitude: flatAlt}
	assets := []Asset{
		{Pos: geo.Vec3{X: 0, Y: 0}, Value: 100, Radius: 100},
		{Pos: geo.Vec3{X: 0, Y: 20000}, Value: 50, Radius: 100},
	}
	// Heading north at 50 m/s from 10 km south of asset 0: it threatens asset 0 in 200 s.
	tr := Track{Pos: geo.Vec3{Y: -10000, Z: 50}, Vel: geo.Vec3{Y: 50}}
	ev := p.Evaluate(&tr, assets)
	if ev.Asset != 0 {
		t.Fatalf("asset %d, want 0", ev.Asset)
	}
	if math.Abs(ev.TimeToGo-200) > 1e-9 || ev.ValueAtRisk != 100 {
		t.Errorf("time to go %v, value at risk %v", ev.TimeToGo, ev.ValueAtRisk)
	}
	// Moving away from everything: no asset threatened.
	away := Track{Pos: geo.Vec3{Y: -10000}, Vel: geo.Vec3{Y: -50}}
	if ev := p.Evaluate(&away, assets); ev.Asset != -1 || ev.Priority != 0 {
		t.Errorf("receding track rated %+v", ev)
	}
}

func TestPlanRespectsEnvelopeChannelsAndDoctrine(t *testing.T) {
	assets := []Asset{{Pos: geo.Vec3{}, Value: 100, Radius: 100}}
	newUnit := func(channels, rounds int) Unit {
		return Unit{Pos: geo.Vec3{X: 1000}, FreeChannels: channels, Reaction: 5, Altitude: flatAlt,
			Weapons: []Weapon{{MinRange: 1000, MaxRange: 20000, MinAlt: 5, MaxAlt: 15000, Speed: 800,
				MaxTOF: 40, Rounds: rounds, Pk: map[string]float64{"drone": 0.7}}}}
	}
	drone := func(y float64) Track {
		return Track{Category: "drone", Pos: geo.Vec3{Y: y, Z: 50}, Vel: geo.Vec3{Y: 50}}
	}
	cases := []struct {
		name     string
		doctrine string
		tracks   []Track
		unit     Unit
		want     []int // shots per assignment
	}{
		{"one shot each, two channels", ShootLookShoot, []Track{drone(-10000), drone(-12000), drone(-14000)}, newUnit(2, 12), []int{1, 1}},
		{"salvo of two", Salvo, []Track{drone(-10000)}, newUnit(4, 12), []int{2}},
		{"salvo limited by magazine", Salvo, []Track{drone(-10000)}, newUnit(4, 1), []int{1}},
		{"already engaged", ShootLookShoot, []Track{{Category: "drone", Pos: geo.Vec3{Y: -10000, Z: 50}, Vel: geo.Vec3{Y: 50}, Engaged: 1}}, newUnit(2, 12), nil},
		{"out of range", ShootLookShoot, []Track{drone(-60000)}, newUnit(2, 12), nil},
		{"too low", ShootLookShoot, []Track{{Category: "drone", Pos: geo.Vec3{Y: -10000, Z: 2}, Vel: geo.Vec3{Y: 50}}}, newUnit(2, 12), nil},
		{"no Pk against the category", ShootLookShoot, []Track{{Category: "aircraft", Pos: geo.Vec3{Y: -10000, Z: 500}, Vel: geo.Vec3{Y: 200}}}, newUnit(2, 12), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := Planner{Doctrine: c.doctrine, Salvo: 2, Altitude: flatAlt}
			units := []Unit{c.unit}
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
			}
			// The nearest (most urgent) track is served first.
			if len(got) > 1 && got[0].Threat.TimeToGo > got[1].Threat.TimeToGo {
				t.Error("assignments not in priority order")
			}
		})
	}
}

func TestPlanPrefersHigherPk(t *testing.T) {
	assets := []Asset{{Pos: geo.Vec3{}, Value: 100, Radius: 100}}
	mk := func(pk float64) Unit {
		return Unit{Pos: geo.Vec3{X: 1000}, FreeChannels: 1, Altitude: flatAlt,
			Weapons: []Weapon{{MaxRange: 20000, MaxAlt: 15000, Speed: 800, MaxTOF: 40, Rounds: 4, Pk: map[string]float64{"drone": pk}}}}
	}
	p := Planner{Altitude: flatAlt}
	got := p.Plan(0, []Track{{Category: "drone", Pos: geo.Vec3{Y: -8000, Z: 50}, Vel: geo.Vec3{Y: 50}}}, assets, []Unit{mk(0.3), mk(0.8)})
	if len(got) != 1 || got[0].Unit != 1 {
		t.Fatalf("got %+v, want unit 1 (Pk 0.8)", got)
	}
}

func BenchmarkPlan100x40(b *testing.B) {
	assets := []Asset{{Pos: geo.Vec3{}, Value: 100, Radius: 100}, {Pos: geo.Vec3{X: 5000}, Value: 50, Radius: 100}}
	var tracks []Track
	for i := 0; i < 100; i++ {
		a := float64(i) * 0.0628
		tracks = append(tracks, Track{Category: "drone", Pos: geo.Vec3{X: 15000 * math.Cos(a), Y: 15000 * math.Sin(a), Z: 50},
			Vel: geo.Vec3{X: -50 * math.Cos(a), Y: -50 * math.Sin(a)}})
	}
	mk := func() []Unit {
		var us []Unit
		for i := 0; i < 10; i++ {
			us = append(us, Unit{Pos: geo.Vec3{X: float64(i) * 1000}, FreeChannels: 4, Altitude: flatAlt,
				Weapons: []Weapon{{MinRange: 1000, MaxRange: 20000, MinAlt: 5, MaxAlt: 15000, Speed: 800, MaxTOF: 40, Rounds: 12, Pk: map[string]float64{"drone": 0.7}}}})
		}
		return us
	}
	p := Planner{Altitude: flatAlt}
	for i := 0; i < b.N; i++ {
		p.Plan(0, tracks, assets, mk())
	}
}
