package sim

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/adsim/adsim/engage"
	"github.com/adsim/adsim/geo"
	"github.com/adsim/adsim/scenario"
)

// catalogMissiles calls f with every missile of the default catalog and its flyout model;
// a missile without flyout figures is an error.
func catalogMissiles(t *testing.T, f func(sys string, wp *scenario.Weapon, fly *flyoutSpec)) {
	t.Helper()
	cat, err := scenario.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range cat.Systems {
		for i := range sc.Weapons {
			wp := &sc.Weapons[i]
			if wp.Kind != scenario.KindMissile {
				continue
			}
			if !wp.HasFlyout() {
				t.Errorf("%s/%s: no flyout figures", sc.ID, wp.ID)
				continue
			}
			fly, err := flyoutFromCatalog(wp)
			if err != nil {
				t.Fatal(err)
			}
			f(sc.ID, wp, fly)
		}
	}
}

// Near the ground, no catalog missile flies into the ground short of a range at which it
// hits a stationary target at the same height: the shots at 25 m and 200 m, in steps of
// 2.5 % of the maximum range with the catalog's loft law, have no ground impact before their
// last hit. Before midcourse guidance allowed for the earth's curvature
// (engage.Missile.midcourseAim) the 9M317M hit a target 25 m up at 19 km and at 47–56 km but
// flew into the ground at every range between, and the 48N6 likewise between 37 and 60 km:
// the straight chord to a low point beyond the launcher's geometric horizon passes below the
// surface. The law's loft alone may leave runs of self-destructs (the 40N6 at 25 m times out
// from 190 to 340 km and hits beyond, where the law lofts it higher); the reach table lofts
// those shots more (TestReachTableFindsTheEdges), and the test logs the rows.
func TestCatalogReachIsContiguous(t *testing.T) {
	catalogMissiles(t, func(sys string, wp *scenario.Weapon, fly *flyoutSpec) {
		maxR := 1000 * wp.MaxRangeKm.Value
		for _, h := range []float64{25, 200} {
			if h < wp.MinAltM.Value || h > wp.MaxAltM.Value {
				continue
			}
			var row strings.Builder
			broken := false
			impact := false
			for f := 0.025; f <= 1.0001; f += 0.025 {
				ev := reachShot(t, fly, f*maxR, h)
				switch {
				case hitsWithin(fly, ev):
					row.WriteByte('#')
					broken = broken || impact
				default:
					row.WriteString(ev.Kind.String()[:1])
					impact = impact || ev.Kind == engage.GroundImpact
				}
			}
			t.Logf("%s/%s at %g m: %s", sys, wp.ID, h, row.String())
			if broken {
				t.Errorf("%s/%s at %g m: a ground impact (g) before a hit (#) (2.5 %% steps of %g km; s self-destruct, d detonation out of reach): %s",
					sys, wp.ID, h, maxR/1000, row.String())
			}
		}
	})
}

// The reach table finds the edges of each catalog missile's reach with each loft: a shot 1 %
// inside a span it gives at a height hits within the flight time C2 allows
// (reachTimeShare), one 2 % outside it does not (for the steeper lofts, at the edges beyond
// the law's reach, the only ones used: steep shots at short range have structure finer than
// the grid, and the law reaches there). At 10 km up and above, with the lofts fire
// control may choose (reachLofts), every missile reaches every range to its catalog maximum
// (max_range_km is measured at up to 10 km: TestCatalogKinematicRange); and a point the
// catalog's loft law reaches is launched at with the law's loft.
func TestReachTableFindsTheEdges(t *testing.T) {
	frame := geo.NewFrame(geo.LLADeg(40, -35, 0))
	catalogMissiles(t, func(sys string, wp *scenario.Weapon, fly *flyoutSpec) {
		tab := newReachTable(fly, frame, wp.MinAltM.Value, wp.MaxAltM.Value)
		maxR := fly.maxR
		for k := range tab.grids {
			var line strings.Builder
			for j, h := range tab.heights {
				spans := tab.spans(k, j)
				fmt.Fprintf(&line, " %g m:", h)
				for _, s := range spans {
					fmt.Fprintf(&line, " %.1f–%.1f", s[0]/1000, s[1]/1000)
					for _, in := range []float64{1.01 * s[0], 0.99 * s[1]} {
						if k > 0 && tab.reachesAt(0, j, in) {
							continue
						}
						if in > h && !tab.hits(k, in, h) {
							t.Errorf("%s/%s loft %d at %g m: spans %v, but a shot at %.2f km misses", sys, wp.ID, k, h, spans, in/1000)
						}
					}
					for _, out := range []float64{0.98 * s[0], 1.02 * s[1]} {
						if k > 0 && tab.reachesAt(0, j, out) {
							continue
						}
						if out > h && out < maxR && tab.hits(k, out, h) {
							t.Errorf("%s/%s loft %d at %g m: spans %v, but a shot at %.2f km hits", sys, wp.ID, k, h, spans, out/1000)
						}
					}
				}
				fmt.Fprintf(&line, " km;")
				for i := 0; i <= reachSteps; i++ {
					r := float64(i) * tab.step
					law := tab.loftIndex(r, h) == 0
					if law != tab.reachesAt(0, j, r) {
						t.Errorf("%s/%s at %g m, %.1f km: the law's loft reaches: %v, chosen: %v", sys, wp.ID, h, r/1000, tab.reachesAt(0, j, r), law)
					}
					if h >= 10000 && r > h && !tab.Reaches(r, h) {
						t.Errorf("%s/%s at %g m: %.1f km, within its catalog %.0f km, not reached with any loft", sys, wp.ID, h, r/1000, maxR/1000)
					}
				}
			}
			loft := "the law"
			if k > 0 {
				loft = fmt.Sprintf("%.0f°", tab.lofts[k-1]*180/math.Pi)
			}
			t.Logf("%s/%s reach, loft %s:%s", sys, wp.ID, loft, line.String())
		}
	})
}

// bukLowScenario is a Buk-class launcher on a 100 m mast, whose radar sees drones 60 m up
// from about 70 km, alone against twelve of them: the catalog's 70 km range was measured 10
// km up, and a 9M317M reaches about 55 km at 60 m (TestReachTableFindsTheEdges).
const bukLowScenario = `version: 1
name: buk-low
seed: %d
duration_s: 2400
frame_step_s: 1
origin: {lat_deg: 40.0, lon_deg: -35.0, alt_m: 0}
assets:
  - {id: hq, lat_deg: 40.0, lon_deg: -35.0, value: 100, hardness_kg: 150, radius_m: 80}
fire_units:
  - {id: buk, class: buk-m3, lat_deg: 40.0, lon_deg: -35.0, height_agl_m: 100}
raids:
  - {id: drones, class: shahed-136, count: 12, altitude_m: 60, launch_start_s: 0, launch_end_s: 600, from: {lat_deg: 40.9, lon_deg: -35.0}, targets: [hq]}
`

// Command and control fires a missile only where its flyout reaches (c2.Weapon.Reach): a
// Buk-class launcher against drones 60 m up loses no missile at its flight-time limit or in
// the ground. Planned with its catalog range alone, it fired 36 missiles a run at drones 58–70
// km out, 20–23 of which destroyed themselves at their 110 s limit and 1–3 hit the ground,
// and killed 6–9 of the 12 drones (seeds 1–3).
func TestC2FiresWithinReach(t *testing.T) {
	for seed := 1; seed <= 3; seed++ {
		_, out, events, _ := runYAML(t, fmt.Sprintf(bukLowScenario, seed))
		checkConservation(t, out)
		fired, lost := 0, map[string]int{}
		for _, e := range events {
			switch {
			case e.Type == EvFire:
				fired++
			case e.Type == EvSelfDestruct && (e.Result == "timeout" || e.Result == "ground_impact"):
				lost[e.Result]++
			}
		}
		if fired == 0 {
			t.Errorf("seed %d: the Buk never fired", seed)
		}
		if len(lost) > 0 {
			t.Errorf("seed %d: of %d missiles fired, lost %v", seed, fired, lost)
		}
	}
}

// Where the catalog's loft law does not reach, fire control lofts the shot more
// (reachTable.loftFor) and C2 may fire: a 48N6 reaches a fighter 10 km up 147 km out only
// lofted (the law's reach there ends at 142 km, TestReachTableFindsTheEdges). Four fighters
// fly south to an asset 153 km east of an S-400, never nearer to it than that: its first
// 48N6 goes to an intercept point beyond 142.2 km and ends in a detonation, not at its
// flight-time limit. With the law's loft alone it could not fire at them at all. (Until
// C2 planned times of flight from the flyouts, the fighters flew at the S-400 itself and its
// first shot, planned at 1,200 m/s, went beyond 142.2 km; at the flown mean speed, about 800
// m/s that far out, the fighters come nearer before the missile meets them.)
func TestC2LoftsLongShots(t *testing.T) {
	src := `version: 1
name: jets-high
seed: 1
duration_s: 900
frame_step_s: 1
origin: {lat_deg: 40.0, lon_deg: -35.0, alt_m: 0}
assets:
  - {id: hq, lat_deg: 40.0, lon_deg: -33.2, value: 100, hardness_kg: 150, radius_m: 80}
fire_units:
  - {id: sam, class: s400, lat_deg: 40.0, lon_deg: -35.0, height_agl_m: 25}
raids:
  - {id: jets, class: fighter, count: 4, altitude_m: 10000, launch_start_s: 0, launch_end_s: 60, from: {lat_deg: 41.65, lon_deg: -33.2}, targets: [hq]}
`
	_, out, events, _ := runYAML(t, src)
	checkConservation(t, out)
	first := ""
	for _, e := range events {
		if first == "" && e.Type == EvFire && e.Weapon == "48n6" {
			first = e.Interceptor
			r, _ := e.Get(NRangeM)
			t.Logf("first 48N6 at %.0f s, %.1f km out", e.T, r/1000)
			if r <= 142.2e3 {
				t.Errorf("first 48N6 fired at an intercept point %.1f km out, within the law's reach", r/1000)
			}
		}
		if first != "" && e.Interceptor == first && (e.Type == EvIntercept || e.Type == EvSelfDestruct) {
			if e.Type != EvIntercept {
				t.Errorf("the first 48N6 ended in %s %q", e.Type, e.Result)
			}
			return
		}
	}
	t.Errorf("no 48N6 fired and ended (first %q)", first)
}

// BenchmarkReachTable asks a warm table (its cells flown by the first asks, as a Cache keeps
// them for a study) C2's two questions: Reaches, for every missile option it plans, and
// MeanSpeed, the time-of-flight question (c2.Flight), two or three times an option.
func BenchmarkReachTable(b *testing.B) {
	tab, pts := warmTable(b)
	// Steep points (slant under steepRatio heights): MeanSpeed blends in the vertical shots.
	steep := [][2]float64{{12e3, 8000}, {22e3, 18000}, {5e3, 3000}, {30e3, 25000}}
	for _, p := range steep {
		tab.MeanSpeed(p[0], p[1])
	}
	for _, c := range []struct {
		name string
		pts  [][2]float64
		ask  func(r, h float64)
	}{
		{"Reaches", pts, func(r, h float64) { tab.Reaches(r, h) }},
		{"MeanSpeed", pts, func(r, h float64) { tab.MeanSpeed(r, h) }},
		{"MeanSpeedSteep", steep, func(r, h float64) { tab.MeanSpeed(r, h) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				p := c.pts[i%len(c.pts)]
				c.ask(p[0], p[1])
			}
		})
	}
}

// warmTable returns the 9M96's reach table with the cells and flight times of a few points
// flown, and the points (slant range, height; m).
func warmTable(b *testing.B) (*reachTable, [][2]float64) {
	b.Helper()
	cat, err := scenario.DefaultCatalog()
	if err != nil {
		b.Fatal(err)
	}
	var wp *scenario.Weapon
	for i := range cat.Systems {
		for j := range cat.Systems[i].Weapons {
			if cat.Systems[i].Weapons[j].ID == "9m96" {
				wp = &cat.Systems[i].Weapons[j]
			}
		}
	}
	if wp == nil {
		b.Fatal("no 9m96 in the catalog")
	}
	fly, err := flyoutFromCatalog(wp)
	if err != nil {
		b.Fatal(err)
	}
	tab := newReachTable(fly, geo.NewFrame(geo.LLADeg(40, -35, 0)), wp.MinAltM.Value, wp.MaxAltM.Value)
	pts := [][2]float64{{20e3, 50}, {35e3, 30}, {60e3, 3000}, {95e3, 60}, {110e3, 12000}}
	for _, p := range pts {
		tab.Reaches(p[0], p[1])
		tab.MeanSpeed(p[0], p[1])
	}
	return tab, pts
}
