package sim

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/adsim/adsim/engage"
	"github.com/adsim/adsim/scenario"
)

// captureSink keeps every event.
type captureSink struct{ events []Event }

func (c *captureSink) Record(e *Event) { c.events = append(c.events, *e) }

// runYAML loads a scenario from YAML against the default catalog, runs it and returns the
// world (for its entities), the outcome, the events and the JSON log.
func runYAML(t testing.TB, src string) (*World, *Outcome, []Event, []byte) {
	t.Helper()
	base, err := scenario.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Parse("test.yaml", []byte(src), base)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	js := NewJSONLWriter(&buf)
	cs := &captureSink{}
	w, err := New(s, s.EffectiveCatalog(base), Options{Sink: multiSink{js, cs}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := w.Run()
	if err != nil {
		t.Fatal(err)
	}
	if err := js.Flush(); err != nil {
		t.Fatal(err)
	}
	return w, out, cs.events, buf.Bytes()
}

// checkConservation asserts launched = destroyed + leaked + flying, overall and per class.
func checkConservation(t *testing.T, out *Outcome) {
	t.Helper()
	if out.Launched != out.Destroyed+out.Leaked+out.Flying {
		t.Errorf("launched %d != destroyed %d + leaked %d + flying %d", out.Launched, out.Destroyed, out.Leaked, out.Flying)
	}
	n := 0
	for _, c := range out.Classes {
		n += c.Launched
		if c.Launched != c.Destroyed+c.Leaked+c.Flying {
			t.Errorf("class %s does not conserve: %+v", c.Class, c)
		}
	}
	if n != out.Launched {
		t.Errorf("classes launched %d, run %d", n, out.Launched)
	}
}

// Every flyout interceptor's intercept event carries the miss distance and Pk that engage
// computed: miss_m is the distance between the interceptor and the target at the fuze's
// closest approach, and pk is pk0 of the target's category times the warhead's damage
// function at that miss (engage.Lethality.Pk with the catalog's Carleton spread).
func TestInterceptEventMatchesEngage(t *testing.T) {
	cs := &captureSink{}
	base, _ := scenario.DefaultCatalog()
	s, err := scenario.LoadExample("capital", base)
	if err != nil {
		t.Fatal(err)
	}
	w, err := New(s, s.EffectiveCatalog(base), Options{Sink: cs})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Run(); err != nil {
		t.Fatal(err)
	}
	byID := map[string]*interceptorEnt{}
	for _, ic := range w.interceptors {
		byID[ic.id] = ic
	}
	n := 0
	for _, e := range cs.events {
		if e.Type != EvIntercept {
			continue
		}
		ic := byID[e.Interceptor]
		if ic == nil || ic.mis == nil {
			t.Fatalf("%s: intercept of an interceptor without a flyout", e.Interceptor)
		}
		ev := ic.ev
		miss, _ := e.Get(NMissM)
		pk, _ := e.Get(NPk)
		if d := ev.Pos.Sub(ev.TargetPos).Norm(); math.Abs(d-ev.Miss) > 1e-9 || math.Abs(miss-ev.Miss) > 1e-9 {
			t.Errorf("%s: logged miss %v, engage's %v, distance at closest approach %v", ic.id, miss, ev.Miss, d)
		}
		te := w.threats[ic.target]
		want := 0.0
		if ev.Kind == engage.Detonate {
			want = engage.Carleton(ic.fly.pk0[te.category], ic.fly.spec.Lethality.Sigma).Pk(ev.Miss)
		}
		if math.Abs(pk-want) > 1e-12 {
			t.Errorf("%s: logged pk %v, engage's %v (%v at %v m)", ic.id, pk, want, ev.Kind, ev.Miss)
		}
		if draw, _ := e.Get(NDraw); (draw < pk) != (e.Result == "kill") {
			t.Errorf("%s: draw %v, pk %v, result %s", ic.id, draw, pk, e.Result)
		}
		n++
	}
	if n < 10 {
		t.Fatalf("only %d intercepts", n)
	}
}

// crossing is a scenario of one short-range SAM (a copy of the Tor-M2 class with its g limit
// set) against one supersonic target crossing 4 km from it at 2 km height.
func crossing(maxG float64, reaction float64) string {
	return strings.NewReplacer("MAXG", fmtF(maxG), "REACT", fmtF(reaction)).Replace(`
version: 1
name: crossing
seed: 7
duration_s: 200
frame_step_s: 0.1
assets:
  - {id: site, lat_deg: 50.0, lon_deg: 30.0, value: 10, hardness_kg: 100, radius_m: 100}
fire_units:
  - {id: sam, class: test-tor, lat_deg: 50.0, lon_deg: 30.0, height_agl_m: 5, reaction_time_s: REACT}
raids:
  - id: jet
    class: test-jet
    count: 1
    launch_start_s: 0
    launch_end_s: 0
    from: {lat_deg: 50.036, lon_deg: 30.42}
    altitude_m: 2000
    route:
      - {lat_deg: 50.036, lon_deg: 29.58}
catalog:
  threats:
    - id: test-jet
      name: supersonic crossing target
      category: aircraft
      speed_kmh: {value: 2000, assumption: test}
      cruise_alt_m: {value: 2000, assumption: test}
      range_km: {value: 500, assumption: test}
      rcs_m2: {value: 5, assumption: test}
      warhead_kg: {value: 0, assumption: test}
  systems:
    - id: test-tor
      name: test SAM
      layer: short
      radar:
        ref_range_km: {value: 40, assumption: test}
        ref_rcs_m2: {value: 1, assumption: test}
        ref_pd: {value: 0.9, assumption: test}
        pfa: {value: 1.0e-9, assumption: test}
        max_range_km: {value: 40, assumption: test}
        scan_period_s: {value: 0.5, assumption: test}
        min_elevation_deg: {value: -2, assumption: test}
        max_elevation_deg: {value: 80, assumption: test}
        sigma_range_m: {value: 5, assumption: test}
        sigma_azimuth_deg: {value: 0.05, assumption: test}
        sigma_elevation_deg: {value: 0.05, assumption: test}
      fire_channels: {value: 1, assumption: test}
      reaction_time_s: {value: 1, assumption: test}
      weapons:
        - id: test-missile
          kind: missile
          min_range_km: {value: 0.5, assumption: test}
          max_range_km: {value: 15, assumption: test}
          min_alt_m: {value: 10, assumption: test}
          max_alt_m: {value: 10000, assumption: test}
          magazine: {value: 1, assumption: test}
          speed_mps: {value: 700, assumption: test}
          pk: {aircraft: {value: 0.8, assumption: test}}
          boost_thrust_n: {value: 35000, assumption: test}
          boost_time_s: {value: 5, assumption: test}
          mass_launch_kg: {value: 165, assumption: test}
          mass_burnout_kg: {value: 90, assumption: test}
          diameter_m: {value: 0.24, assumption: test}
          cd: {value: 0.3, assumption: test}
          launch_speed_mps: {value: 25, assumption: test}
          max_lateral_g: {value: MAXG, assumption: test}
          nav_constant: {value: 4, assumption: test}
          lock_on_range_km: {value: 15, assumption: test}
          max_flight_s: {value: 30, assumption: test}
          fuze_range_m: {value: 15, assumption: test}
          pk0: {aircraft: {value: 0.9, assumption: test}}
          carleton_sigma_m: {value: 5, assumption: test}
`)
}

func fmtF(x float64) string { b, _ := json.Marshal(x); return string(b) }

// intercepts returns the intercept events of a run.
func intercepts(events []Event) []Event {
	var out []Event
	for _, e := range events {
		if e.Type == EvIntercept {
			out = append(out, e)
		}
	}
	return out
}

// A supersonic target crossing 4 km from a short-range SAM: launched late (40 s reaction,
// the target nearly abeam), a 10 g interceptor cannot turn enough and the log shows a miss
// by hundreds of metres with Pk 0; a 40 g one, or the 10 g one launched 10 s earlier, hits.
func TestLateLaunchCrossingGLimit(t *testing.T) {
	one := func(maxG, reaction float64) Event {
		t.Helper()
		_, out, events, _ := runYAML(t, crossing(maxG, reaction))
		checkConservation(t, out)
		ic := intercepts(events)
		if len(ic) != 1 {
			t.Fatalf("g %v, reaction %v s: %d intercepts, want 1", maxG, reaction, len(ic))
		}
		return ic[0]
	}
	late := one(10, 40)
	miss, _ := late.Get(NMissM)
	pk, _ := late.Get(NPk)
	t.Logf("late launch, 10 g: %s, miss %.1f m, pk %v", late.Result, miss, pk)
	if late.Result != "miss" || miss < 100 || pk != 0 {
		t.Errorf("late 10 g shot: %s, miss %.1f m, pk %v; want a miss by more than 100 m with pk 0", late.Result, miss, pk)
	}
	for _, c := range []struct{ g, reaction float64 }{{40, 40}, {10, 30}} {
		e := one(c.g, c.reaction)
		m, _ := e.Get(NMissM)
		t.Logf("%v g, reaction %v s: %s, miss %.2f m", c.g, c.reaction, e.Result, m)
		if m > 5 {
			t.Errorf("%v g, reaction %v s: miss %.1f m, want a hit", c.g, c.reaction, m)
		}
	}
}

// gunOnly is drones flying at a gun-only point-defence unit (the Pantsir class without its
// missiles) that hit it rarely enough (p_k|h 0.01) for many bursts from 4 km inward: the
// gun opens fire at its maximum range (gun_open_fire_pk 0).
const gunOnly = `
version: 1
name: gun range
seed: 11
duration_s: 900
c2: {gun_open_fire_pk: 0}
assets:
  - {id: site, lat_deg: 50.0, lon_deg: 30.0, value: 10, hardness_kg: 100, radius_m: 100}
fire_units:
  - {id: gun, class: gun-only, lat_deg: 50.0, lon_deg: 30.0, height_agl_m: 5}
raids:
  - id: drones
    class: shahed-136
    count: 6
    launch_start_s: 0
    launch_end_s: 300
    from: {lat_deg: 50.3, lon_deg: 30.0}
    altitude_m: 300
    targets: [site]
catalog:
  systems:
    - id: gun-only
      name: gun-only point defence
      layer: short
      radar:
        ref_range_km: {value: 20, assumption: test}
        ref_rcs_m2: {value: 1, assumption: test}
        ref_pd: {value: 0.9, assumption: test}
        pfa: {value: 1.0e-9, assumption: test}
        max_range_km: {value: 36, assumption: test}
        scan_period_s: {value: 1, assumption: test}
        min_elevation_deg: {value: -2, assumption: test}
        max_elevation_deg: {value: 80, assumption: test}
        sigma_range_m: {value: 10, assumption: test}
        sigma_azimuth_deg: {value: 0.1, assumption: test}
        sigma_elevation_deg: {value: 0.1, assumption: test}
      fire_channels: {value: 1, assumption: test}
      reaction_time_s: {value: 3, assumption: test}
      weapons:
        - id: cannon
          kind: gun
          min_range_km: {value: 0.2, assumption: test}
          max_range_km: {value: 4, assumption: test}
          min_alt_m: {value: 5, assumption: test}
          max_alt_m: {value: 3000, assumption: test}
          magazine: {value: 20000, assumption: test}
          speed_mps: {value: 960, assumption: test}
          burst_rounds: {value: 40, assumption: test}
          burst_period_s: {value: 1.5, assumption: test}
          pk: {drone: {value: 0.3, assumption: test}}
          rate_of_fire_rps: {value: 80, assumption: test}
          dispersion_mrad: {value: 1, assumption: test}
          aim_error_mrad: {value: 0.7, assumption: test}
          pk_given_hit: {drone: {value: 0.01, assumption: test}}
          drag_per_km: {value: 0.33, assumption: test}
`

// Gun effectiveness falls with range through the engine: bursts logged near 1.5 km carry a
// higher kill probability than bursts near 4 km, and so does the round hit probability of
// the engine's gun model (1 m² drone).
func TestGunEffectivenessFallsWithRange(t *testing.T) {
	w, out, events, _ := runYAML(t, gunOnly)
	checkConservation(t, out)
	var near, far []float64
	for _, e := range events {
		if e.Type != EvBurst || e.Threat == "" {
			continue
		}
		r, _ := e.Get(NRangeM)
		pk, _ := e.Get(NPk)
		tof, _ := e.Get(NTOFS)
		if !(tof > 0) {
			t.Errorf("burst without a time of flight: %+v", e)
		}
		switch {
		case r > 1200 && r < 1800:
			near = append(near, pk)
		case r > 3400:
			far = append(far, pk)
		}
	}
	mean := func(x []float64) float64 {
		s := 0.0
		for _, v := range x {
			s += v
		}
		return s / float64(len(x))
	}
	if len(near) == 0 || len(far) == 0 {
		t.Fatalf("bursts near 1.5 km: %d, near 4 km: %d", len(near), len(far))
	}
	t.Logf("burst Pk: %.3f at ~1.5 km (%d bursts), %.3f beyond 3.4 km (%d bursts)", mean(near), len(near), mean(far), len(far))
	if !(mean(near) > 2*mean(far)) {
		t.Errorf("burst Pk near 1.5 km %.3f not well above that near 4 km %.3f", mean(near), mean(far))
	}
	g := w.units[0].weapons[0].mount.Spec()
	p15, p4 := g.RoundHitProbability(1, 1500), g.RoundHitProbability(1, 4000)
	t.Logf("round hit probability on 1 m²: %.4f at 1.5 km, %.4f at 4 km", p15, p4)
	if !(p15 > p4) {
		t.Errorf("hit probability %v at 1.5 km, %v at 4 km", p15, p4)
	}
	// Every round fired is in the log, and the magazine balances.
	wo := out.Units[0].Weapons[0]
	if wo.Fired+wo.Remaining != 20000 || wo.Fired != out.GunRounds {
		t.Errorf("magazine: fired %d + remaining %d, gun rounds %d", wo.Fired, wo.Remaining, out.GunRounds)
	}
}

// The gun opens fire where one burst kills with the open-fire Pk (c2.gun_open_fire_pk), not
// at its maximum range: on the gun-only scenario with the catalog's kill given a hit for a
// drone (0.5), no burst is fired beyond the range where the gun model's burst Pk falls to 0.3,
// the assignments plan with that curve, and each kill costs fewer rounds than with fire from
// the maximum range (0), which does fire beyond it.
func TestGunOpensFireAtOpenFirePk(t *testing.T) {
	type result struct {
		maxRange, rounds, kills, assignPk float64
		assigns                           int
	}
	run := func(openPk string) (result, float64) {
		src := strings.Replace(gunOnly, "gun_open_fire_pk: 0", "gun_open_fire_pk: "+openPk, 1)
		src = strings.Replace(src, "pk_given_hit: {drone: {value: 0.01,", "pk_given_hit: {drone: {value: 0.5,", 1)
		src = strings.Replace(src, "count: 6", "count: 30", 1)
		w, out, events, _ := runYAML(t, src)
		checkConservation(t, out)
		var r result
		for _, e := range events {
			switch {
			case e.Type == EvBurst && e.Threat != "":
				rng, _ := e.Get(NRangeM)
				n, _ := e.Get(NRounds)
				r.maxRange, r.rounds = math.Max(r.maxRange, rng), r.rounds+n
			case e.Type == EvKill:
				r.kills++
			case e.Type == EvAssign:
				pk, _ := e.Get(NPk)
				r.assignPk += pk
				r.assigns++
			}
		}
		spec := w.units[0].weapons[0].mount.Spec()
		c := spec.Curve(w.catFig[catDrone].area, 0.5)
		open, ok := c.RangeFor(0.3)
		if !ok {
			t.Fatal("the drone curve never reaches 0.3")
		}
		return r, open
	}
	held, open := run("0.3")
	free, _ := run("0")
	t.Logf("open-fire range %.0f m; Pk 0.3: farthest burst %.0f m, %.0f rounds for %.0f kills, mean planned Pk %.3f; "+
		"Pk 0: farthest %.0f m, %.0f rounds for %.0f kills, mean planned Pk %.3f", open,
		held.maxRange, held.rounds, held.kills, held.assignPk/float64(held.assigns),
		free.maxRange, free.rounds, free.kills, free.assignPk/float64(free.assigns))
	if !(open > 1500 && open < 3500) {
		t.Errorf("open-fire range %.0f m: the catalog gun should reach 0.3 between 1.5 and 3.5 km", open)
	}
	if held.kills == 0 || free.kills == 0 {
		t.Fatalf("kills: %v with Pk 0.3, %v from the maximum range", held.kills, free.kills)
	}
	// Track error: the burst range is the middle round's at impact, the open-fire test uses
	// the track's prediction at the burst's start.
	if held.maxRange > open+50 {
		t.Errorf("burst at %.0f m, beyond the open-fire range %.0f m", held.maxRange, open)
	}
	if !(free.maxRange > open+500) {
		t.Errorf("from the maximum range the farthest burst is at %.0f m, not well beyond %.0f m", free.maxRange, open)
	}
	if !(held.rounds/held.kills < free.rounds/free.kills) {
		t.Errorf("rounds per kill %.1f with Pk 0.3, %.1f from the maximum range", held.rounds/held.kills, free.rounds/free.kills)
	}
}

// aircraftRaid is two fighters that release their stand-off missiles at a city defended by
// one Pantsir-class unit and one Buk-class battalion.
const aircraftRaid = `
version: 1
name: stand-off raid
seed: 5
duration_s: 1500
assets:
  - {id: city, lat_deg: 50.0, lon_deg: 30.0, value: 100, hardness_kg: 300, radius_m: 300}
sensors:
  - {id: ew, lat_deg: 50.0, lon_deg: 30.0, height_agl_m: 30, ref_range_km: 250, ref_rcs_m2: 1, scan_period_s: 5, max_range_km: 400}
fire_units:
  - {id: pd, class: pantsir-s1, lat_deg: 50.0, lon_deg: 30.01, height_agl_m: 4}
  - {id: buk, class: buk-m3, lat_deg: 50.05, lon_deg: 30.0, height_agl_m: 10}
raids:
  - id: strike
    class: fighter
    count: 2
    launch_start_s: 0
    launch_end_s: 60
    from: {lat_deg: 52.2, lon_deg: 30.0}
    targets: [city]
`

// Aircraft release their stand-off weapons, which the engine spawns as threats of their own
// class ("<aircraft>/w<k>", with a launch event naming the aircraft), and the outcome's
// conservation holds per class with the released weapons counted as launched threats.
func TestAircraftReleasesStandOffWeapons(t *testing.T) {
	_, out, events, _ := runYAML(t, aircraftRaid)
	checkConservation(t, out)
	released := 0
	for _, e := range events {
		if e.Type != EvLaunch || e.Class != "standoff-asm" {
			continue
		}
		released++
		if !strings.HasPrefix(e.Threat, e.Launcher+"/w") || e.Launcher == "" || e.Asset != "city" {
			t.Errorf("release event %+v", e)
		}
	}
	want := 0
	for _, c := range out.Classes {
		if c.Class == "standoff-asm" {
			want = c.Launched
		}
	}
	t.Logf("%d weapons released; outcome: %d launched, %d destroyed, %d leaked, %d flying", released, out.Launched, out.Destroyed, out.Leaked, out.Flying)
	if released != 4 || want != 4 || out.Launched != 6 {
		t.Errorf("released %d (class count %d), launched %d; want 4 weapons from 2 aircraft, 6 threats", released, want, out.Launched)
	}
}

// The same scenario with aircraft, released weapons, flyouts and gun bursts twice gives a
// byte-identical event log.
func TestPhysicsDeterministic(t *testing.T) {
	for _, src := range []string{aircraftRaid, gunOnly, crossing(10, 40)} {
		_, _, _, a := runYAML(t, src)
		_, _, _, b := runYAML(t, src)
		if !bytes.Equal(a, b) || len(a) == 0 {
			t.Fatal("two runs gave different event logs")
		}
	}
}

// The outcome's leakers keep the leak event's result: an aircraft that released its weapons
// and flew home is "egress" (Outcome.Egressed counts them), so that a summary can tell it
// from a threat that reached its target.
func TestEgressLeakersAreMarked(t *testing.T) {
	_, out, events, _ := runYAML(t, aircraftRaid)
	egress := 0
	for _, e := range events {
		if e.Type == EvLeak && e.Result == EgressResult {
			egress++
		}
	}
	if egress == 0 {
		t.Fatal("no aircraft egressed in the stand-off raid")
	}
	if got := out.Egressed(); got != egress {
		t.Errorf("Outcome.Egressed %d, egress events %d", got, egress)
	}
	for _, l := range out.Leakers {
		if (l.Class == "fighter") != (l.Result == EgressResult) {
			t.Errorf("leaker %+v", l)
		}
	}
}
