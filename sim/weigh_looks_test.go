package sim

import (
	"math"
	"testing"

	"github.com/adsim/adsim/geo"
	"github.com/adsim/adsim/scenario"
	"github.com/adsim/adsim/track"
)

// radarByID returns the engine's radar with the given id.
func radarByID(t *testing.T, w *World, id string) *radarEnt {
	t.Helper()
	for _, r := range w.radars {
		if r.id == id {
			return r
		}
	}
	t.Fatalf("no radar %q", id)
	return nil
}

// at returns the point d metres from radar r along its north, at altitude alt.
func at(w *World, r *radarEnt, d, alt float64) [3]float64 {
	p := r.pos.Add(r.north.Scale(d))
	p = p.Add(w.frame.Up(p).Scale(alt - w.frame.Altitude(p)))
	return [3]float64{p.X, p.Y, p.Z}
}

// TestLookPd checks World.lookPd against the radar's own figures: the Swerling 1 Pd of the
// range equation for the smallest threat cross-section of the scenario where the radar sees
// the point, and 0 below its radio horizon (PHYSICS §1: an antenna ~20 m up and a target at
// 50 m see each other to about 47 km on the 4/3 earth), beyond its instrumented range, and
// below its lowest elevation.
func TestLookPd(t *testing.T) {
	s, cat := example(t, "capital", func(s *scenario.Scenario) { s.C2.WeighLooks = true })
	w, err := New(s, cat, Options{})
	if err != nil {
		t.Fatal(err)
	}
	isk, ok := cat.Threat("iskander-m")
	if !ok {
		t.Fatal("no iskander-m class")
	}
	if w.trackRCS != isk.RCSM2.Value {
		t.Fatalf("tracker's cross-section %v m², want the Iskander class's %v (the smallest in capital)", w.trackRCS, isk.RCSM2.Value)
	}
	r := radarByID(t, w, "s400-north")
	in := at(w, r, 30e3, 8000)
	d := geo.Vec3{X: in[0], Y: in[1], Z: in[2]}.Sub(r.pos).Norm()
	if got, want := w.lookPd(r, in), r.model.Pd(d, isk.RCSM2.Value); !(want > 0.5) || math.Abs(got-want) > 1e-12 {
		t.Errorf("in view at %.0f m: lookPd %v, want the model's Pd %v (> 0.5)", d, got, want)
	}
	for _, c := range []struct {
		name string
		p    [3]float64
	}{
		{"50 m up, 150 km out: below the horizon", at(w, r, 150e3, 50)},
		{"beyond the instrumented range", at(w, r, r.model.MaxRange*1.02, 20e3)},
		{"below the ground", at(w, r, 20e3, -500)},
	} {
		if got := w.lookPd(r, c.p); got != 0 {
			t.Errorf("%s: lookPd %v, want 0", c.name, got)
		}
	}
	// The point of the weights: 70 km out at 50 m the drone is below the radar's horizon, yet
	// inside its coverage, whose 300 m of height margin reaches about 95 km at that altitude.
	low := at(w, r, 70e3, 50)
	if !covers(r, low) || w.lookPd(r, low) != 0 {
		t.Errorf("50 m up, 70 km out: covered %v (want true), lookPd %v (want 0)", covers(r, low), w.lookPd(r, low))
	}
}

// covers is the radar's coverage (with its margins) at one point.
func covers(r *radarEnt, p [3]float64) bool {
	in := []bool{false}
	r.coversAll([][3]float64{p}, in)
	return in[0]
}

// TestAboveGround checks the altitude gate on new tracks: a plot within three standard
// deviations of its vertical error below the ground starts a track, one farther down none.
func TestAboveGround(t *testing.T) {
	s, cat := example(t, "capital", nil)
	w, err := New(s, cat, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := w.radars[0]
	const sigma = 50.0
	for _, c := range []struct {
		alt  float64
		want bool
	}{{100, true}, {0, true}, {-140, true}, {-160, false}, {-1000, false}} {
		z := track.Position{Z: at(w, r, 30e3, c.alt)}
		for a := 0; a < 3; a++ {
			z.R[a][a] = sigma * sigma
		}
		if got := w.aboveGround(&z); got != c.want {
			t.Errorf("plot at %v m (σ %v m): admitted %v, want %v", c.alt, sigma, got, c.want)
		}
	}
}

// TestWeighLooksConfirmsSooner runs the default scenario with and without c2.weigh_looks
// and reads, per drone and cruise missile, the number of tracks started on it and the time
// from the first to a confirmed one. Without the weights most tentative tracks on a low
// drone are dropped by the misses of radars below whose horizon it flies (about 12 tracks a
// drone, docs/tracking.md); with them it must take at most half as many, confirmation must
// come sooner on average, and no more than two more false tracks may be confirmed.
func TestWeighLooksConfirmsSooner(t *testing.T) {
	type stats struct{ inits, threats, lag, falseTracks float64 }
	measure := func(weigh bool) stats {
		var st stats
		for _, seed := range []uint64{1, 2, 3, 4} {
			seed := seed
			_, log := runExample(t, "capital", &seed, func(s *scenario.Scenario) { s.C2.WeighLooks = weigh })
			first, conf, inits := map[string]float64{}, map[string]float64{}, map[string]int{}
			for _, e := range logEvents(t, log) {
				if e.Type == "track_confirm" && e.Result == "false_alarm" {
					st.falseTracks++
				}
				if e.Threat == "" || (e.Class != "shahed-136" && e.Class != "kalibr-3m14") {
					continue
				}
				switch e.Type {
				case "track_init":
					inits[e.Threat]++
					if _, ok := first[e.Threat]; !ok {
						first[e.Threat] = e.T
					}
				case "track_confirm":
					if _, ok := conf[e.Threat]; !ok {
						conf[e.Threat] = e.T
					}
				}
			}
			for th, n := range inits {
				st.inits += float64(n)
				st.threats++
				if c, ok := conf[th]; ok {
					st.lag += c - first[th]
				}
			}
		}
		return st
	}
	off, on := measure(false), measure(true)
	if off.threats == 0 || on.threats != off.threats {
		t.Fatalf("threats tracked: %v without, %v with", off.threats, on.threats)
	}
	t.Logf("tracks per threat %.2f → %.2f, mean time to confirm %.1f → %.1f s, false tracks %v → %v",
		off.inits/off.threats, on.inits/on.threats, off.lag/off.threats, on.lag/on.threats, off.falseTracks, on.falseTracks)
	if on.inits > off.inits/2 {
		t.Errorf("tracks started: %v with weighted looks, %v without: want at most half", on.inits, off.inits)
	}
	// The score gate (track.ScoreGate) keeps false tracks about as rare as before: without it
	// they were some 25 times as many (docs/tracking.md).
	if on.falseTracks > off.falseTracks+2 {
		t.Errorf("false tracks confirmed: %v with weighted looks, %v without: want about as many", on.falseTracks, off.falseTracks)
	}
	if on.lag >= off.lag {
		t.Errorf("summed time to confirm %v s with weighted looks, %v s without: want less", on.lag, off.lag)
	}
}

// TestClutterAtIntegratesToFalseAlarmMean integrates World.clutterAt over each radar's
// false-alarm volume in range, azimuth and elevation, with the volume element r²·cos el: the
// integral must be the radar's mean number of false alarms per scan (Pfa × cells).
func TestClutterAtIntegratesToFalseAlarmMean(t *testing.T) {
	s, cat := example(t, "capital", nil)
	w, err := New(s, cat, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range w.radars {
		const nr, naz, nel = 200, 8, 40
		var sum float64
		dr, daz := r.faRange/nr, 2*math.Pi/naz
		for i := 0; i < nr; i++ {
			rng := (float64(i) + 0.5) * dr
			lo, hi := r.minElev, w.falseAlarmEl(r, rng)
			del := (hi - lo) / nel
			for k := 0; k < naz; k++ {
				az := (float64(k) + 0.5) * daz
				for m := 0; m < nel; m++ {
					el := lo + (float64(m)+0.5)*del
					d := r.north.Scale(math.Cos(el) * math.Cos(az)).Add(r.east.Scale(math.Cos(el) * math.Sin(az))).Add(r.up.Scale(math.Sin(el)))
					p := r.pos.Add(d.Scale(rng))
					sum += w.clutterAt(r, [3]float64{p.X, p.Y, p.Z}) * rng * rng * math.Cos(el) * dr * daz * del
				}
			}
		}
		if math.Abs(sum-r.faMean) > 1e-3*r.faMean {
			t.Errorf("radar %s: ∫ clutter density = %v, want the false-alarm mean %v", r.id, sum, r.faMean)
		}
	}
}

// BenchmarkRunCapitalWeighLooks is BenchmarkRunCapitalNoScore with c2.weigh_looks.
func BenchmarkRunCapitalWeighLooks(b *testing.B) {
	benchCapital(b, func(s *scenario.Scenario) { s.C2.WeighLooks = true }, func(w *World) { w.noScore = true })
}
