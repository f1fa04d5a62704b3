package sim

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/adsim/adsim/geo"
	"github.com/adsim/adsim/scenario"
)

// reachSitesScenario has one fire unit of each default class, on the ground at its origin
// (alt_m %g: the ground of the whole scenario), and no raid.
const reachSitesScenario = `version: 1
name: reach-sites
seed: 1
duration_s: 60
origin: {lat_deg: 40.0, lon_deg: -35.0, alt_m: %g}
assets: []
fire_units:
  - {id: s400, class: s400, lat_deg: 40.0, lon_deg: -35.0, height_agl_m: 25}
  - {id: pantsir, class: pantsir-s1, lat_deg: 40.01, lon_deg: -35.0, rooftop: {building_height_m: 70, mast_m: 4}}
  - {id: buk, class: buk-m3, lat_deg: 40.02, lon_deg: -35.0, height_agl_m: 20, radar: {max_range_km: 30}}
  - {id: tor, class: tor-m2, lat_deg: 40.03, lon_deg: -35.0, height_agl_m: 4, surroundings: {building_height_m: 30, distance_m: 150}}
  - {id: tor-hill, class: tor-m2, lat_deg: 40.04, lon_deg: -35.0, alt_m: %g, height_agl_m: 5}
raids: []
`

// reachSites parses reachSitesScenario with its ground at ground (m) and a hill of hill m
// above sea level under tor-hill, and builds its world.
func reachSites(t *testing.T, ground, hill float64) (*scenario.Scenario, *scenario.Catalog, *World) {
	t.Helper()
	base, err := scenario.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Parse("reach-sites.yaml", []byte(fmt.Sprintf(reachSitesScenario, ground, hill)), base)
	if err != nil {
		t.Fatal(err)
	}
	cat := s.EffectiveCatalog(base)
	w, err := New(s, cat, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s, cat, w
}

// reachTestHeights are heights on the tables' rows (25, 1000, 10000), between them (10, 60,
// 300, 3000), below the lowest of a missile's (5, its min_alt_m for the S-400's) and outside
// envelopes (5 for the Buk and the Tor, 20000 for the Pantsir and the Tor, 40000 for all).
var reachTestHeights = []float64{5, 10, 25, 60, 300, 1000, 3000, 10000, 20000, 40000}

// MissileReach gives the table a run flies, as the engine decides a point with it: for each
// missile of a scenario with a unit of each class, at sea level and on a 1,500 m plateau, the
// ends and middle of every span are reached (c2.Reach.Reaches of the world's own table), a
// metre beyond them and the middle of every gap are not, the loft at a span's far edge is
// the one the launch takes (loftFor), and heights outside the altitude envelope have no span.
// At sea level the default earth (a nil scenario) gives the same table.
func TestMissileReachIsTheEngines(t *testing.T) {
	for _, ground := range []float64{0, 1500} {
		s, cat, w := reachSites(t, ground, ground+300)
		seen := map[string]bool{}
		for _, u := range w.units {
			for _, we := range u.weapons {
				if we.fly == nil || seen[we.spec.ID] {
					continue
				}
				seen[we.spec.ID] = true
				rows, err := MissileReach(cat, s, u.class, we.spec.ID, reachTestHeights)
				if err != nil {
					t.Fatal(err)
				}
				tab := w.reachOf(we, NewCache()).(*reachTable)
				for i, r := range rows {
					h := reachTestHeights[i]
					in := h >= we.minAlt && h <= we.maxAlt
					if r.Height != h || r.InEnvelope != in || (!in && len(r.Spans) > 0) || (in && len(r.Spans) == 0) {
						t.Errorf("ground %g, %s at %g m: row %+v, envelope %g–%g m", ground, we.spec.ID, h, r, we.minAlt, we.maxAlt)
						continue
					}
					for k, sp := range r.Spans {
						for _, x := range []float64{sp.From, (sp.From + sp.To) / 2, sp.To} {
							if !tab.Reaches(x, h) {
								t.Errorf("ground %g, %s at %g m: span %.1f–%.1f km, but %.3f km is not reached", ground, we.spec.ID, h, sp.From/1000, sp.To/1000, x/1000)
							}
						}
						next := tab.fly.maxR
						if k+1 < len(r.Spans) {
							next = r.Spans[k+1].From
							if mid := (sp.To + next) / 2; tab.Reaches(mid, h) {
								t.Errorf("ground %g, %s at %g m: %.3f km, in a gap, is reached", ground, we.spec.ID, h, mid/1000)
							}
						}
						if beyond := sp.To + math.Min(1, (next-sp.To)/2); sp.To < next && tab.Reaches(beyond, h) {
							t.Errorf("ground %g, %s at %g m: span %.1f–%.1f km, but %.4f km beyond it is reached", ground, we.spec.ID, h, sp.From/1000, sp.To/1000, beyond/1000)
						}
						if before := sp.From - 1; sp.From > 0 && tab.Reaches(before, h) {
							t.Errorf("ground %g, %s at %g m: span %.1f–%.1f km, but %.4f km before it is reached", ground, we.spec.ID, h, sp.From/1000, sp.To/1000, before/1000)
						}
						if loft, law := tab.loftFor(sp.To, h), tab.loftIndex(sp.To, h) == 0; sp.Loft != loft || sp.Law != law {
							t.Errorf("ground %g, %s at %g m: far edge %.1f km with loft %.2f° (law %v), the launch takes %.2f° (law %v)",
								ground, we.spec.ID, h, sp.To/1000, sp.Loft*180/math.Pi, sp.Law, loft*180/math.Pi, law)
						}
					}
				}
				if ground == 0 {
					def, err := MissileReach(cat, nil, u.class, we.spec.ID, reachTestHeights)
					if err != nil || !reflect.DeepEqual(def, rows) {
						t.Errorf("%s: the default earth gives %+v (%v), the scenario at sea level %+v", we.spec.ID, def, err, rows)
					}
				}
			}
		}
		if len(seen) != 6 {
			t.Errorf("ground %g: %d missiles with a flyout model, want the catalog's 6", ground, len(seen))
		}
	}
}

// The reach table flies in the air of the frame's ground: over a 1,500 m plateau, where the
// air is a sixth thinner, a 9M317M flying the chord to a target 25 m up (dive_deg 0) reaches
// farther than at sea level (55.6 km, 62.3 on the plateau). With the catalog's dive shaping
// it reaches its whole 70 km at both.
func TestThinAirCarriesFarther(t *testing.T) {
	catalogMissiles(t, func(sys string, wp *scenario.Weapon, fly *flyoutSpec) {
		if wp.ID != "9m317m" {
			return
		}
		var reach [2]float64
		for gi, ground := range []float64{0, 1500} {
			frame := geo.NewFrame(reachOrigin()).WithGround(ground)
			chord := *fly
			chord.spec.DiveAngle = 0
			for _, f := range []*flyoutSpec{fly, &chord} {
				tab := newReachTable(f, frame, wp.MinAltM.Value, wp.MaxAltM.Value)
				spans := tab.reachedAt(25)
				if len(spans) != 1 || spans[0][0] != 0 {
					t.Fatalf("ground %g, dive %.0f°: reached %v, want one span from 0", ground, f.spec.DiveAngle*180/math.Pi, spans)
				}
				if f == fly {
					if spans[0][1] != fly.maxR {
						t.Errorf("ground %g, dive shaped: reaches %.1f km at 25 m, want the whole %.0f km", ground, spans[0][1]/1000, fly.maxR/1000)
					}
					continue
				}
				reach[gi] = spans[0][1]
			}
		}
		t.Logf("9M317M along the chord at 25 m reaches %.1f km at sea level, %.1f km on a 1,500 m plateau", reach[0]/1000, reach[1]/1000)
		if !(reach[1] > reach[0]+5000) {
			t.Errorf("9M317M along the chord at 25 m: %.1f km at sea level, %.1f km on a 1,500 m plateau: the thinner air should carry it farther", reach[0]/1000, reach[1]/1000)
		}
	})
}

// MissileReach refuses what has no reach table, naming what it found.
func TestMissileReachRefuses(t *testing.T) {
	cat, err := scenario.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	bare, err := scenario.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	tor, _ := bare.System("tor-m2")
	wp, _ := tor.Weapon("9m338")
	wp.MassLaunchKg = scenario.Figure{} // the first-fidelity model: no flyout figures
	for _, c := range []struct {
		cat            *scenario.Catalog
		system, weapon string
		heights        []float64
		want           string
	}{
		{cat, "s300", "48n6", []float64{10}, `no system class "s300" in the catalog (the classes: s400, pantsir-s1, buk-m3, tor-m2)`},
		{cat, "s400", "9m338", []float64{10}, `system class s400 has no weapon "9m338" (its weapons: 48n6, 40n6, 9m96)`},
		{cat, "pantsir-s1", "2a38m", []float64{10}, "pantsir-s1/2a38m is a gun, not a missile: it has no flyout reach"},
		{bare, "tor-m2", "9m338", []float64{10}, "tor-m2/9m338 has no flyout figures"},
		{cat, "tor-m2", "9m338", []float64{10, 0}, "target height 0 m: expected a positive number of metres"},
		{cat, "tor-m2", "9m338", []float64{-25}, "target height -25 m"},
		{cat, "tor-m2", "9m338", []float64{math.NaN()}, "target height NaN m"},
		{cat, "tor-m2", "9m338", []float64{math.Inf(1)}, "target height +Inf m"},
	} {
		rows, err := MissileReach(c.cat, nil, c.system, c.weapon, c.heights)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s/%s at %v m: %v, %v; want an error with %q", c.system, c.weapon, c.heights, rows, err, c.want)
		}
	}
}

// FireUnitSight is how far the engine lets a unit's radar see (canSee): for each unit of a
// scenario — on a mast, on a roof, with its radar's instrumented range cut to 30 km, masked by
// buildings, on a hill above the scenario's ground — and heights from 10 m to 20 km, a target
// 0.01 % nearer than the sight is seen and one 0.01 % farther is not, and the antenna's height
// is the unit's above the ground; each of the three limits sets some sight.
func TestFireUnitSight(t *testing.T) {
	for _, ground := range []float64{0, 800} {
		s, cat, w := reachSites(t, ground, ground+300)
		centre := w.frame.Centre()
		limits := map[string]bool{}
		for i, u := range w.units {
			fu := &s.FireUnits[i]
			if fu.ID != u.id {
				t.Fatalf("unit %d is %s, the scenario's %s", i, u.id, fu.ID)
			}
			for _, h := range []float64{10, 100, 3000, 20000} {
				sight, err := FireUnitSight(cat, s, fu, h)
				if err != nil {
					t.Fatal(err)
				}
				// The engine sites units on the ellipsoid and measures heights from its sphere:
				// a few km from the origin they differ by millimetres.
				if got := w.frame.Altitude(u.pos) - w.ground; math.Abs(sight.Antenna-got) > 0.01 {
					t.Errorf("ground %g, %s: antenna %.3f m, the unit is %.3f m above the ground", ground, u.id, sight.Antenna, got)
				}
				switch sight.Range {
				case sight.Horizon:
					limits["horizon"] = true
				case sight.MaxRange:
					limits["range"] = true
				case sight.Elevation:
					limits["elevation"] = true
				}
				// A point at slant range d and height h, due "north" of the unit: the central
				// angle from the sides a (the unit's radius), b (the point's) and d.
				up := u.pos.Sub(centre).Unit()
				east := geo.Vec3{X: 1}
				north := up.Cross(east.Sub(up.Scale(east.Dot(up))).Unit())
				a, b := u.pos.Sub(centre).Norm(), w.frame.Radius()+w.ground+h
				at := func(d float64) geo.Vec3 {
					cosT := math.Min(1, math.Max(-1, (a*a+b*b-d*d)/(2*a*b)))
					return centre.Add(up.Scale(b * cosT)).Add(north.Scale(b * math.Sqrt(1-cosT*cosT)))
				}
				// 0.01 %, and 5 cm for those millimetres at the masked unit's 35 m.
				margin := math.Max(1e-4*sight.Range, 0.05)
				if sight.Range > 0 && !w.canSee(u, at(sight.Range-margin)) {
					t.Errorf("ground %g, %s at %g m: sight %.3f km (%+v), but %.3f m nearer is not seen", ground, u.id, h, sight.Range/1000, sight, margin)
				}
				if w.canSee(u, at(sight.Range+margin)) {
					t.Errorf("ground %g, %s at %g m: sight %.3f km (%+v), but %.3f m farther is seen", ground, u.id, h, sight.Range/1000, sight, margin)
				}
			}
		}
		if len(limits) != 3 {
			t.Errorf("ground %g: the sights were limited by %v, want each of the horizon, the instrumented range and the elevation", ground, limits)
		}
	}
}

// The span algebra of reachedAt: intersections of two rows' spans, unions over the lofts
// (spans that touch are joined: both ends are reached).
func TestSpanAlgebra(t *testing.T) {
	type spans = [][2]float64
	for _, c := range []struct {
		a, b, and, or spans
	}{
		{nil, spans{{0, 5}}, nil, spans{{0, 5}}},
		{spans{{0, 5}}, spans{{0, 5}}, spans{{0, 5}}, spans{{0, 5}}},
		{spans{{0, 5}}, spans{{5, 9}}, spans{{5, 5}}, spans{{0, 9}}},
		{spans{{0, 4}, {6, 10}}, spans{{0, 7}}, spans{{0, 4}, {6, 7}}, spans{{0, 10}}},
		{spans{{0, 4}, {6, 10}}, spans{{0, 3}, {8, 12}}, spans{{0, 3}, {8, 10}}, spans{{0, 4}, {6, 12}}},
		{spans{{0, 1}, {2, 3}}, spans{{4, 5}}, nil, spans{{0, 1}, {2, 3}, {4, 5}}},
	} {
		if got := intersectSpans(c.a, c.b); !reflect.DeepEqual(got, c.and) {
			t.Errorf("%v ∩ %v = %v, want %v", c.a, c.b, got, c.and)
		}
		if got := unionSpans(append(append(spans{}, c.b...), c.a...)); !reflect.DeepEqual(got, c.or) {
			t.Errorf("%v ∪ %v = %v, want %v", c.a, c.b, got, c.or)
		}
	}
}

// MissileFlightTimes flies the shots the reach table decides: a point the table reaches is
// hit (a detonation within the warhead's spread) within nine tenths of the flight-time limit,
// and one beyond the catalog's maximum range by half is not reached; the planned time of a
// point reached, not near the vertical, is within 6 % of the flown one
// (TestMeanSpeedGivesTheFlownTime), and the
// time at speed_mps is the slant range over it; a scenario with c2.time_of_flight "constant"
// plans with the latter. It refuses what MissileReach refuses, and a range that is not a
// positive number of metres.
func TestMissileFlightTimes(t *testing.T) {
	cat, err := scenario.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	catalogMissiles(t, func(sys string, wp *scenario.Weapon, fly *flyoutSpec) {
		maxR := 1000 * wp.MaxRangeKm.Value
		heights := []float64{math.Max(30, wp.MinAltM.Value), 3000}
		ranges := []float64{0.2 * maxR, 0.5 * maxR, 1.5 * maxR}
		fts, err := MissileFlightTimes(cat, nil, sys, wp.ID, heights, ranges)
		if err != nil {
			t.Fatal(err)
		}
		if len(fts) != len(heights)*len(ranges) {
			t.Fatalf("%s: %d flight times, want %d", wp.ID, len(fts), len(heights)*len(ranges))
		}
		for i, ft := range fts {
			if ft.Height != heights[i/len(ranges)] || ft.Range != ranges[i%len(ranges)] {
				t.Errorf("%s: row %d is %g m at %g m, out of order", wp.ID, i, ft.Height, ft.Range)
			}
			if want := ft.Range / wp.SpeedMps.Value; ft.Range > ft.Height && math.Abs(ft.Constant-want) > 1e-9 {
				t.Errorf("%s: at speed_mps %g s, want %g", wp.ID, ft.Constant, want)
			}
			if ft.Reached && ft.Range >= 2*ft.Height && math.Abs(ft.Planned/ft.Seconds-1) > 0.06 {
				t.Errorf("%s at %g m, %.0f m: planned %.1f s, flown %.1f s", wp.ID, ft.Height, ft.Range, ft.Planned, ft.Seconds)
			}
			if ft.Reached && (ft.Result != "detonate" || ft.Miss > math.Max(fly.spec.Lethality.Sigma, fly.spec.Lethality.Radius) ||
				ft.Seconds > reachTimeShare*fly.spec.MaxFlightTime) {
				t.Errorf("%s at %g m, %.0f m: reached, but the shot %s (miss %.1f m) after %.1f s", wp.ID, ft.Height, ft.Range, ft.Result, ft.Miss, ft.Seconds)
			}
			if ft.Range > maxR*1.4 && ft.Reached {
				t.Errorf("%s at %g m: reached at %.0f m, 1.5 × its catalog range", wp.ID, ft.Height, ft.Range)
			}
		}
	})
	// No point lies nearer than its height: nothing is flown there.
	fts, err := MissileFlightTimes(cat, nil, "pantsir-s1", "57e6", []float64{3000}, []float64{2000, 3000, 5000})
	if err != nil {
		t.Fatal(err)
	}
	for i, ft := range fts {
		none := ft.Range <= ft.Height
		if none != (ft.Result == "no_point") || none && (ft.Reached || ft.Seconds != 0 || ft.Planned != 0 || ft.Constant != 0) {
			t.Errorf("57e6 3 km up at %g m (row %d): %+v", ft.Range, i, ft)
		}
	}
	if fts[2].Result != "detonate" {
		t.Errorf("57e6 3 km up at 5 km: %+v, want a detonation", fts[2])
	}
	for _, c := range []struct {
		heights, ranges []float64
		want            string
	}{
		{[]float64{30}, []float64{1000, 0}, "slant range 0 m: expected a positive number of metres"},
		{[]float64{30}, []float64{math.NaN()}, "slant range NaN m"},
		{[]float64{-1}, []float64{1000}, "target height -1 m"},
	} {
		if _, err := MissileFlightTimes(cat, nil, "tor-m2", "9m338", c.heights, c.ranges); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v, %v: %v; want an error with %q", c.heights, c.ranges, err, c.want)
		}
	}
	if _, err := MissileFlightTimes(cat, nil, "pantsir-s1", "2a38m", []float64{30}, []float64{1000}); err == nil {
		t.Error("a gun's flight times: no error")
	}
}
