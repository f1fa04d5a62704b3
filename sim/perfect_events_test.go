package sim

import (
	"fmt"
	"math"
	"testing"
)

// In the perfect picture a threat's track starts at its first detection with the threat's
// true state, so its track_init and track_confirm events carry the threat's altitude: the
// drones of this raid cruise at 50 m. They were logged before the state was set, at 0 m.
func TestPerfectTrackEventsCarryTheThreatsAltitude(t *testing.T) {
	src := rooftopPantsirScenario("perfect-alt", "")
	_, _, events, _ := runYAML(t, src)
	n := 0
	for _, e := range events {
		if e.Type != EvTrackInit && e.Type != EvTrackConfirm {
			continue
		}
		n++
		if alt, ok := e.Get(NAltM); !ok || math.Abs(alt-50) > 5 {
			t.Errorf("%s of %s at %.1f s: alt_m %v (set %v), want the drone's 50 m", e.Type, e.Threat, e.T, alt, ok)
		}
	}
	if n == 0 {
		t.Fatal("no track_init or track_confirm event")
	}
}

// rooftopPantsirScenario is a scenario of the perfect picture: a Pantsir on a 50 m roof beside
// one asset against 4 drones at 50 m, the fire unit with the YAML fields extra adds
// (", magazine: {…}").
func rooftopPantsirScenario(name, extra string) string {
	return fmt.Sprintf(`version: 1
name: %s
seed: 5
duration_s: 2000
c2: {picture: perfect}
origin: {lat_deg: 50.0, lon_deg: 20.0, alt_m: 0}
assets:
  - {id: hq, lat_deg: 50.0, lon_deg: 20.0, value: 100, hardness_kg: 150, radius_m: 80}
fire_units:
  - {id: pd, class: pantsir-s1, lat_deg: 50.001, lon_deg: 20.0, rooftop: {building_height_m: 50, mast_m: 4}%s}
raids:
  - {id: drones, class: shahed-136, count: 4, launch_start_s: 0, launch_end_s: 300, from: {lat_deg: 49.7, lon_deg: 20.0}, altitude_m: 50, targets: [hq]}
`, name, extra)
}
