package sim

import "testing"

// A gun whose magazine holds less than one burst fires what it has: 30 rounds of the
// Pantsir's 40-round bursts. Command and control counted the gun's full bursts only, found
// none, and never assigned it, so the rounds stayed in the magazine while the drones flew
// past (a remainder of a burst was fired only inside an engagement already running).
func TestGunFiresAMagazineShorterThanABurst(t *testing.T) {
	src := `version: 1
name: short-magazine
seed: 5
duration_s: 2000
c2: {picture: perfect}
origin: {lat_deg: 50.0, lon_deg: 20.0, alt_m: 0}
assets:
  - {id: hq, lat_deg: 50.0, lon_deg: 20.0, value: 100, hardness_kg: 150, radius_m: 80}
fire_units:
  - id: pd
    class: pantsir-s1
    lat_deg: 50.001
    lon_deg: 20.0
    rooftop: {building_height_m: 50, mast_m: 4}
    magazine: {57e6: 0, 2a38m: 30}
raids:
  - {id: drones, class: shahed-136, count: 4, launch_start_s: 0, launch_end_s: 300, from: {lat_deg: 49.7, lon_deg: 20.0}, altitude_m: 50, targets: [hq]}
`
	_, out, events, _ := runYAML(t, src)
	checkConservation(t, out)
	bursts := 0
	for _, e := range events {
		if e.Type == EvBurst {
			bursts++
			if n, _ := e.Get(NRounds); n != 30 {
				t.Errorf("burst of %v rounds, want the 30 in the magazine", n)
			}
		}
	}
	if out.GunRounds != 30 || bursts != 1 {
		t.Errorf("gun rounds fired %d in %d bursts, want the magazine's 30 in one", out.GunRounds, bursts)
	}
}
