package sim

import (
	"fmt"
	"testing"

	"github.com/adsim/adsim/geo"
	"github.com/adsim/adsim/scenario"
)

// The radio horizon is measured from the ground, not from sea level: the engine's ground is
// flat at the origin's alt_m, and a plateau at 1,200 m lifts a radar 10 m above it and a
// drone 50 m above it together, so they see each other no farther than on a coast
// (√(2kR·10) + √(2kR·50) ≈ 42 km). Until the horizon's sphere was put at the ground, the
// engine measured both heights from the sphere at sea level (1,210 and 1,250 m) and the radar
// saw the drone at its launch point, 167 km away. Without an origin the ground is the
// assets' mean alt_m (their centroid): it was sea level, and the drone flew 50 m above the
// sea, 1,150 m below the plateau its target stands on, seen from 172 km.
func TestHorizonMeasuredFromTheGround(t *testing.T) {
	limit := geo.RadioHorizon(10, 50)
	for _, c := range []struct {
		alt    float64
		origin bool
	}{{0, true}, {1200, true}, {1200, false}} {
		alt := c.alt
		origin := fmt.Sprintf("origin: {lat_deg: 50.0, lon_deg: 20.0, alt_m: %g}", alt)
		if !c.origin {
			origin = "# no origin: the assets' centroid"
		}
		src := fmt.Sprintf(`version: 1
name: horizon
seed: 5
duration_s: 3500
%[2]s
assets:
  - {id: hq, lat_deg: 50.0, lon_deg: 20.0, alt_m: %[1]g, value: 100, hardness_kg: 150, radius_m: 80}
sensors:
  - {id: r, lat_deg: 50.0, lon_deg: 20.0, alt_m: %[1]g, height_agl_m: 10, ref_range_km: 500, ref_rcs_m2: 1, scan_period_s: 1}
raids:
  - {id: drones, class: shahed-136, count: 1, launch_start_s: 0, launch_end_s: 0, from: {lat_deg: 48.5, lon_deg: 20.0}, altitude_m: 50, targets: [hq]}
`, alt, origin)
		base, err := scenario.DefaultCatalog()
		if err != nil {
			t.Fatal(err)
		}
		s, err := scenario.Parse("horizon.yaml", []byte(src), base)
		if err != nil {
			t.Fatal(err)
		}
		s.C2.Picture = scenario.PicturePerfect
		cs := &captureSink{}
		w, err := New(s, s.EffectiveCatalog(base), Options{Sink: cs, DetectEvents: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Run(); err != nil {
			t.Fatal(err)
		}
		first := -1.0
		for _, e := range cs.events {
			if e.Type == EvDetect {
				first, _ = e.Get(NRangeM)
				break
			}
		}
		t.Logf("ground at %g m (origin given: %v): first detection at %.1f km (horizon %.1f km)", alt, c.origin, first/1000, limit/1000)
		if first < 0 || first > limit*1.01 {
			t.Errorf("ground at %g m (origin given: %v): the 10 m radar first detected the 50 m drone at %.1f km, beyond the %.1f km radio horizon", alt, c.origin, first/1000, limit/1000)
		}
	}
}
