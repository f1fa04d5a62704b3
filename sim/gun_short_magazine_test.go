package sim

import "testing"

// A gun whose magazine holds less than one burst fires what it has: 30 rounds of the
// Pantsir's 40-round bursts. Command and control counted the gun's full bursts only, found
// none, and never assigned it, so the rounds stayed in the magazine while the drones flew
// past (a remainder of a burst was fired only inside an engagement already running).
func TestGunFiresAMagazineShorterThanABurst(t *testing.T) {
	src := rooftopPantsirScenario("short-magazine", ", magazine: {57e6: 0, 2a38m: 30}")
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
