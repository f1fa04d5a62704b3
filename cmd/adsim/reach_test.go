package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/adsim/adsim/scenario"
	"github.com/adsim/adsim/sim"
)

// reachCLI runs `adsim reach args... --json` and decodes its output, which must re-encode to
// the same bytes (the documented structure holds all it prints).
func reachCLI(t *testing.T, args ...string) *reachJSON {
	t.Helper()
	code, out, errs := runCLI(t, append([]string{"reach", "--json"}, args...)...)
	if code != exitOK {
		t.Fatalf("reach %v: exit %d: %s", args, code, errs)
	}
	var got reachJSON
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("reach %v --json: %v\n%s", args, err, out)
	}
	var again bytes.Buffer
	enc := json.NewEncoder(&again)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&got); err != nil || again.String() != out {
		t.Errorf("reach %v --json does not round-trip (%v):\n%s\nagain:\n%s", args, err, out, again.String())
	}
	return &got
}

// checkReachRows checks each row against the engine's tables and sight: the spans and lofts of
// sim.MissileReach over the scenario's earth (nil: the default), the sight of the unit's
// radar (sim.FireUnitSight), and the engageable spans: the reach from the weapon's minimum
// range to the sight.
func checkReachRows(t *testing.T, cat *scenario.Catalog, s *scenario.Scenario, units map[string]*scenario.FireUnit, rows []reachRowJSON) {
	t.Helper()
	near := func(km, m float64) bool { return math.Abs(km*1000-m) <= 1e-9*math.Max(1, m) }
	for _, r := range rows {
		what := fmt.Sprintf("%s/%s at %g m", r.System, r.Weapon, r.HeightM)
		want, err := sim.MissileReach(cat, s, r.System, r.Weapon, []float64{r.HeightM})
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		w := want[0]
		if r.InEnvelope != w.InEnvelope || len(r.SpansKm) != len(w.Spans) || len(r.LoftDeg) != len(w.Spans) || len(r.Lofted) != len(w.Spans) {
			t.Errorf("%s: printed %+v, the table says %+v", what, r, w)
			continue
		}
		for k, sp := range w.Spans {
			if !near(r.SpansKm[k][0], sp.From) || !near(r.SpansKm[k][1], sp.To) ||
				math.Abs(r.LoftDeg[k]-sp.Loft*180/math.Pi) > 1e-6 || r.Lofted[k] == sp.Law {
				t.Errorf("%s: span %d printed %v km, loft %g° (lofted %v); the table has %+v", what, k, r.SpansKm[k], r.LoftDeg[k], r.Lofted[k], sp)
			}
		}
		fu := units[r.System]
		if fu.ID != r.FireUnit {
			t.Errorf("%s: sight from unit %q, want %q", what, r.FireUnit, fu.ID)
		}
		sight, err := sim.FireUnitSight(cat, s, fu, r.HeightM)
		if err != nil {
			t.Fatal(err)
		}
		if !near(r.SightKm, sight.Range) || !near(r.HorizonKm, sight.Horizon) || r.AntennaM != sight.Antenna ||
			(r.RadarRangeKm == nil) != math.IsInf(sight.MaxRange, 1) || (r.RadarRangeKm != nil && !near(*r.RadarRangeKm, sight.MaxRange)) {
			t.Errorf("%s: sight printed %+v, the unit's is %+v", what, r, sight)
		}
		sc, _ := cat.System(r.System)
		wp, _ := sc.Weapon(r.Weapon)
		var engage [][2]float64
		for _, sp := range w.Spans {
			if lo, hi := math.Max(sp.From, 1000*wp.MinRangeKm.Value), math.Min(sp.To, sight.Range); lo <= hi {
				engage = append(engage, [2]float64{lo, hi})
			}
		}
		ok := len(engage) == len(r.EngageSpansKm) && (r.EngageKm != nil) == w.InEnvelope
		for k := range engage {
			ok = ok && near(r.EngageSpansKm[k][0], engage[k][0]) && near(r.EngageSpansKm[k][1], engage[k][1])
		}
		if ok && len(engage) > 0 {
			ok = near(*r.EngageKm, engage[len(engage)-1][1])
		}
		if !ok {
			t.Errorf("%s: engage printed %v (%v), the reach from the minimum range to the sight %v", what, r.EngageSpansKm, r.EngageKm, engage)
		}
	}
}

// `adsim reach` prints the engine's tables: every missile of the default catalog at every
// default height, with the sight of a radar of its class 10 m up; the catalog's max_range_km,
// a published figure measured at altitude, is reached in full 10 km up by every missile.
func TestReachCommandIsTheEngines(t *testing.T) {
	cat, err := scenario.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	got := reachCLI(t)
	units := map[string]*scenario.FireUnit{}
	missiles := 0
	for _, sc := range cat.Systems {
		units[sc.ID] = &scenario.FireUnit{Class: sc.ID, Siting: scenario.Siting{HeightAGLM: defaultAntennaM}}
		for _, wp := range sc.Weapons {
			if wp.Kind == scenario.KindMissile {
				missiles++
			}
		}
	}
	if want := missiles * len(defaultReachHeightsM); len(got.Rows) != want || got.Scenario != "" || len(got.NoFlyout) > 0 {
		t.Fatalf("%d rows (scenario %q, no flyout %v), want %d: %d missiles at %d heights", len(got.Rows), got.Scenario, got.NoFlyout, want, missiles, len(defaultReachHeightsM))
	}
	checkReachRows(t, cat, nil, units, got.Rows)
	anchored := 0
	for _, r := range got.Rows {
		if r.HeightM != 10000 || !r.InEnvelope {
			continue
		}
		sc, _ := cat.System(r.System)
		wp, _ := sc.Weapon(r.Weapon)
		if len(r.SpansKm) != 1 || r.SpansKm[0] != [2]float64{0, wp.MaxRangeKm.Value} {
			t.Errorf("%s/%s 10 km up: reaches %v km, not 0–%g (max_range_km)", r.System, r.Weapon, r.SpansKm, wp.MaxRangeKm.Value)
		}
		anchored++
	}
	if anchored != missiles {
		t.Errorf("%d of %d missiles checked 10 km up", anchored, missiles)
	}
}

// The table prints the JSON's rows: for --system buk-m3, a line per height with the reach,
// the loft at the far edge, the sight and where the unit can engage; the system, the antenna
// and the weapon on the first.
func TestReachCommandText(t *testing.T) {
	args := []string{"--system", "buk-m3", "--heights-m", "10,25,3000"}
	rows := reachCLI(t, args...).Rows
	code, out, errs := runCLI(t, append([]string{"reach"}, args...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2+len(rows) || !strings.HasPrefix(lines[0], "SYSTEM") || !strings.Contains(lines[len(lines)-1], "10 m, an assumption (--antenna-m)") {
		t.Fatalf("want a header, %d rows and a note:\n%s", len(rows), out)
	}
	for i, r := range rows {
		want := []string{fmt.Sprint(r.HeightM), "-", kmText(r.SightKm), "-"}
		if r.SightKm < r.HorizonKm && r.RadarRangeKm != nil && r.SightKm == *r.RadarRangeKm {
			want[2] += " max"
		}
		if r.InEnvelope {
			loft := "law"
			if r.Lofted[0] {
				loft = "lofted"
			}
			want[1] = fmt.Sprintf("%s–%s (%s %.0f°)", kmText(r.SpansKm[0][0]), kmText(r.SpansKm[0][1]), loft, r.LoftDeg[0])
			want[3] = kmText(r.EngageSpansKm[0][0]) + "–" + kmText(r.EngageSpansKm[0][1])
		}
		if i == 0 {
			want = append([]string{"buk-m3", "10", "9m317m"}, want...)
		}
		if f := strings.Join(strings.Fields(lines[1+i]), " "); !strings.HasPrefix(f, strings.Join(want, " ")) {
			t.Errorf("row %d: %q, want %q", i, f, strings.Join(want, " "))
		}
	}
	if !strings.Contains(out, "0–70 (law 30°)") || !strings.Contains(out, "150 max") || rows[0].InEnvelope {
		t.Errorf("want 10 m outside the 9M317M's envelope, its whole 70 km at 25 m with the law's loft (dive shaping) and the radar's 150 km limiting the sight 3 km up:\n%s", out)
	}
}

// With a scenario, its catalog, earth and fire units: each class's sight from its unit with
// the highest antenna (the capital's S-400s are all 25 m up, the first taken; its highest
// Pantsir is on a 70 m roof), classes without a unit at 10 m; --antenna-m overrides them all. On
// a 1,500 m plateau the tables are flown over its ground.
func TestReachCommandScenario(t *testing.T) {
	base, err := scenario.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	capital, err := scenario.LoadExample("capital", base)
	if err != nil {
		t.Fatal(err)
	}
	src, err := scenario.ExampleFile("capital")
	if err != nil {
		t.Fatal(err)
	}
	const sea = "origin: {lat_deg: 40.0, lon_deg: -35.0, alt_m: 0}"
	if !bytes.Contains(src, []byte(sea)) {
		t.Fatalf("capital's origin is not %q", sea)
	}
	plateauFile := filepath.Join(t.TempDir(), "plateau.yaml")
	if err := os.WriteFile(plateauFile, bytes.Replace(src, []byte(sea), []byte("origin: {lat_deg: 40.0, lon_deg: -35.0, alt_m: 1500}"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	plateau, err := scenario.Load(plateauFile, base)
	if err != nil {
		t.Fatal(err)
	}
	unit := func(s *scenario.Scenario, id string) *scenario.FireUnit {
		for i := range s.FireUnits {
			if s.FireUnits[i].ID == id {
				return &s.FireUnits[i]
			}
		}
		t.Fatalf("no fire unit %s", id)
		return nil
	}
	tenUp := func(class string) *scenario.FireUnit {
		return &scenario.FireUnit{Class: class, Siting: scenario.Siting{HeightAGLM: 10}}
	}
	for _, c := range []struct {
		name  string
		args  []string
		s     *scenario.Scenario
		units map[string]*scenario.FireUnit
	}{
		{"capital", []string{"capital", "--heights-m", "30,300"}, capital, map[string]*scenario.FireUnit{
			"s400": unit(capital, "s400-north"), "pantsir-s1": unit(capital, "pantsir-defence"),
			"buk-m3": tenUp("buk-m3"), "tor-m2": tenUp("tor-m2")}},
		{"capital, --antenna-m 10", []string{"capital", "--system", "s400", "--heights-m", "30", "--antenna-m", "10"}, capital,
			map[string]*scenario.FireUnit{"s400": tenUp("s400")}},
		{"plateau", []string{plateauFile, "--weapon", "9m317m", "--heights-m", "25"}, plateau,
			map[string]*scenario.FireUnit{"buk-m3": tenUp("buk-m3")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := reachCLI(t, c.args...)
			if got.Scenario != c.args[0] || len(got.Rows) == 0 {
				t.Fatalf("scenario %q, %d rows", got.Scenario, len(got.Rows))
			}
			checkReachRows(t, c.s.EffectiveCatalog(base), c.s, c.units, got.Rows)
		})
	}
	// Flying the chord (dive_deg 0), the 9M317M reaches farther in the plateau's thinner air;
	// with its dive shaping it reaches its whole range at both.
	chord, err := scenario.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for i := range chord.Systems {
		for j := range chord.Systems[i].Weapons {
			if chord.Systems[i].Weapons[j].ID == "9m317m" {
				chord.Systems[i].Weapons[j].DiveDeg.Value = 0
			}
		}
	}
	sea25, err := sim.MissileReach(chord, nil, "buk-m3", "9m317m", []float64{25})
	if err != nil {
		t.Fatal(err)
	}
	if got := reachCLI(t, plateauFile, "--weapon", "9m317m", "--heights-m", "25", "--set", "catalog.systems[buk-m3].weapons[9m317m].dive_deg=0").Rows[0].SpansKm; got[0][1] <= sea25[0].Spans[0].To/1000 || sea25[0].Spans[0].To >= 70000 {
		t.Errorf("9M317M at 25 m on a 1,500 m plateau: %v km, at sea level 0–%.1f: the tables are not flown over the scenario's ground", got, sea25[0].Spans[0].To/1000)
	}
}

// reachNoFlyout is a scenario whose catalog adds a class with a missile without flyout figures
// (the first-fidelity model) and a gun, and a class with a gun only.
const reachNoFlyout = `version: 1
name: old-sam
seed: 1
duration_s: 60
origin: {lat_deg: 40.0, lon_deg: -35.0}
assets: []
raids: []
catalog:
  systems:
    - id: old-sam
      name: Old SAM
      layer: medium
      radar: {ref_range_km: 40, ref_rcs_m2: 1, ref_pd: 0.9, pfa: 1.0e-6, max_range_km: 60, scan_period_s: 2,
              min_elevation_deg: -2, max_elevation_deg: 70, sigma_range_m: 20, sigma_azimuth_deg: 0.2, sigma_elevation_deg: 0.2}
      fire_channels: 2
      reaction_time_s: 10
      weapons:
        - {id: oldie, kind: missile, min_range_km: 2, max_range_km: 30, min_alt_m: 50, max_alt_m: 15000, magazine: 4,
           speed_mps: 700, pk: {aircraft: 0.5}}
        - {id: cannon, kind: gun, min_range_km: 0.2, max_range_km: 2, min_alt_m: 5, max_alt_m: 1500, magazine: 500,
           speed_mps: 1000, burst_rounds: 20, burst_period_s: 2, pk: {drone: 0.2}}
    - id: flak
      name: Guns only
      layer: short
      radar: {ref_range_km: 10, ref_rcs_m2: 1, ref_pd: 0.9, pfa: 1.0e-6, max_range_km: 15, scan_period_s: 1,
              min_elevation_deg: -2, max_elevation_deg: 80, sigma_range_m: 10, sigma_azimuth_deg: 0.2, sigma_elevation_deg: 0.2}
      fire_channels: 1
      reaction_time_s: 3
      weapons:
        - {id: cannon, kind: gun, min_range_km: 0.2, max_range_km: 2, min_alt_m: 5, max_alt_m: 1500, magazine: 500,
           speed_mps: 1000, burst_rounds: 20, burst_period_s: 2, pk: {drone: 0.2}}
`

// Bad input is refused with exit 2 and a message naming what was found and what was expected.
func TestReachCommandBadInput(t *testing.T) {
	old := filepath.Join(t.TempDir(), "old.yaml")
	if err := os.WriteFile(old, []byte(reachNoFlyout), 0o644); err != nil {
		t.Fatal(err)
	}
	// The scenario's missile without flyout figures is listed apart, not refused.
	if got := reachCLI(t, old, "--system", "old-sam"); len(got.Rows) != 0 || len(got.NoFlyout) != 1 || got.NoFlyout[0] != "old-sam/oldie" {
		t.Errorf("old-sam: rows %v, no flyout %v", got.Rows, got.NoFlyout)
	}
	if code, out, _ := runCLI(t, "reach", old, "--system", "old-sam"); code != exitOK || !strings.Contains(out, "no flyout figures, so no reach table: old-sam/oldie") {
		t.Errorf("old-sam: exit %d\n%s", code, out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--system", "s300"}, "--system s300: no such system class; expected one of s400, pantsir-s1, buk-m3, tor-m2"},
		{[]string{"--weapon", "48n7"}, "--weapon 48n7: no such weapon; expected a missile: s400/48n6, s400/40n6, s400/9m96, pantsir-s1/57e6, buk-m3/9m317m, tor-m2/9m338"},
		{[]string{"--system", "s400", "--weapon", "57e6"}, "--weapon 57e6: no such weapon of s400; expected a missile: s400/48n6, s400/40n6, s400/9m96"},
		{[]string{"--weapon", "2a38m"}, "--weapon 2a38m: pantsir-s1/2a38m is a gun, which has no flyout reach (its range and burst kill probability by range: 'adsim catalog')"},
		{[]string{old, "--weapon", "oldie"}, "--weapon oldie: old-sam/oldie has no flyout figures"},
		{[]string{old, "--weapon", "cannon"}, "old-sam/cannon is a gun"},
		{[]string{old, "--system", "flak"}, "--system flak: a class without a missile (its weapons: 'adsim catalog'); expected one with a missile: s400, pantsir-s1, buk-m3, tor-m2, old-sam"},
		{[]string{"--heights-m", "10,abc"}, `--heights-m "10,abc": found "abc", not a number; expected positive heights above the ground in metres`},
		{[]string{"--heights-m", "0"}, `--heights-m "0": found 0, not a positive height`},
		{[]string{"--heights-m", "25,-5"}, `found -5, not a positive height`},
		{[]string{"--heights-m", "NaN"}, `found NaN, not a positive height`},
		{[]string{"--heights-m", "inf"}, `found inf, not a positive height`},
		{[]string{"--heights-m", "10,,20"}, `found an empty height`},
		{[]string{"--heights-m", ""}, `found an empty value`},
		{[]string{"--tof-km", "10,x"}, `--tof-km "10,x": found "x", not a number; expected positive slant ranges in km`},
		{[]string{"--tof-km", "0"}, `--tof-km "0": found 0, not a positive range`},
		{[]string{"--tof-km", "5,,10"}, `--tof-km "5,,10": found an empty range`},
		{[]string{"--antenna-m", "-3"}, "--antenna-m -3: expected a height above the ground in metres, ≥ 0"},
		{[]string{"--antenna-m", "NaN"}, "--antenna-m NaN: expected"},
		{[]string{"nosuch.yaml"}, `scenario "nosuch.yaml": no such file`},
		{[]string{"capital", "ground"}, `reach: found 2 arguments ("capital", "ground"), expected at most 1 argument (usage: adsim reach [SCENARIO] [flags])`},
		{[]string{"--set", "c2.salvo=2"}, "--set c2.salvo=2: found no SCENARIO; expected one to set it in"},
		{[]string{"capital", "--set", "catalog.systems[s400].weapons[48n6].loft_dg=45"}, "loft_dg"},
	} {
		code, out, errs := runCLI(t, append([]string{"reach"}, c.args...)...)
		if code != exitBadInput || !strings.Contains(errs, c.want) || out != "" {
			t.Errorf("reach %q: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, errs, c.want)
		}
	}
}

// The help explains the columns and where the tables are flown.
func TestReachCommandHelp(t *testing.T) {
	code, out, _ := runCLI(t, "reach", "--help")
	for _, want := range []string{"REACH km", "SIGHT km", "ENGAGE km", "ANTENNA m", "40° N", "scenario's origin and ground", "--heights-m", "--antenna-m", "10,25,50,100,300,1000,3000,10000,20000"} {
		if code != exitOK || !strings.Contains(out, want) {
			t.Errorf("exit %d; help lacks %q:\n%s", code, want, out)
		}
	}
}

// --set changes the scenario's figures before the tables are flown: a 9M317M whose flight
// time is cut from 110 s to 60 s no longer reaches its 70 km 10 km up (its flyout took 98 s
// there, TestCatalogKinematicRange), and the table is the one sim flies for the edited
// scenario.
func TestReachCommandSet(t *testing.T) {
	const set = "catalog.systems[buk-m3].weapons[9m317m].max_flight_s=60"
	args := []string{"capital", "--weapon", "9m317m", "--heights-m", "10000"}
	before := reachCLI(t, args...).Rows[0].SpansKm
	after := reachCLI(t, append(args, "--set", set)...).Rows[0].SpansKm
	if before[len(before)-1][1] != 70 {
		t.Fatalf("9M317M 10 km up reaches %v km, want its catalog 70", before)
	}
	s, cat, err := loadScenario("capital", []string{set})
	if err != nil {
		t.Fatal(err)
	}
	want, err := sim.MissileReach(cat, s, "buk-m3", "9m317m", []float64{10000})
	if err != nil {
		t.Fatal(err)
	}
	last := after[len(after)-1][1]
	if !(last < 70) || math.Abs(last-want[0].Spans[len(want[0].Spans)-1].To/1000) > 1e-9 {
		t.Errorf("with a 60 s flight 10 km up: %v km; want short of 70 and sim's %v", after, want[0].Spans)
	}
}

// FuzzParseReachHeights: --heights-m never panics; what it accepts is one positive, finite
// height per comma-separated field, and writing them back (formatHeights, the flag's default)
// reads back the same heights; what it refuses is bad input (exit 2) quoting the argument.
func FuzzParseReachHeights(f *testing.F) {
	for _, s := range []string{"10,25,50", " 30 ", "1e3,2E4", "0", "-5", "NaN", "inf", "10,,20", "", ",", "0x1p4", "1_000", "25,abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		hs, err := parseReachHeights(arg)
		if err != nil {
			var e *exitError
			if !errors.As(err, &e) || e.code != exitBadInput || !strings.Contains(err.Error(), "--heights-m") {
				t.Fatalf("%q: %v, not a --heights-m bad-input error", arg, err)
			}
			return
		}
		if len(hs) != strings.Count(arg, ",")+1 {
			t.Fatalf("%q: %d heights", arg, len(hs))
		}
		for _, h := range hs {
			if !(h > 0) || math.IsInf(h, 0) {
				t.Fatalf("%q: accepted %v", arg, h)
			}
		}
		again, err := parseReachHeights(formatHeights(hs))
		if err != nil || !slices.Equal(again, hs) {
			t.Fatalf("%q: %v written back as %q reads %v, %v", arg, hs, formatHeights(hs), again, err)
		}
	})
}

// --tof-km flies each selected missile at the given slant ranges and heights: the JSON's
// flight_times are the engine's (sim.MissileFlightTimes) in the output's units, and the
// text prints them as a second table; without the flag there are none. Under a scenario
// with c2.time_of_flight "constant" the planned time is the one at speed_mps.
func TestReachCommandFlightTimes(t *testing.T) {
	cat, err := scenario.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	if got := reachCLI(t, "--weapon", "57e6", "--heights-m", "30"); got.FlightTimes != nil {
		t.Errorf("flight times without --tof-km: %v", got.FlightTimes)
	}
	got := reachCLI(t, "--system", "pantsir-s1", "--heights-m", "30,3000", "--tof-km", "5,10,40")
	want, err := sim.MissileFlightTimes(cat, nil, "pantsir-s1", "57e6", []float64{30, 3000}, []float64{5000, 10000, 40000})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.FlightTimes) != len(want) {
		t.Fatalf("%d flight times, want %d", len(got.FlightTimes), len(want))
	}
	for i, w := range want {
		g := got.FlightTimes[i]
		if g.System != "pantsir-s1" || g.Weapon != "57e6" || g.HeightM != w.Height || g.RangeKm != w.Range/1000 ||
			g.Reached != w.Reached || g.Result != w.Result || g.MissM != w.Miss || g.FlownS != w.Seconds || g.PlannedS != w.Planned || g.ConstantS != w.Constant ||
			math.Abs(g.LoftDeg-w.Loft*180/math.Pi) > 1e-6 || g.Lofted == w.Law {
			t.Errorf("row %d: %+v, want %+v", i, g, w)
		}
	}
	constant := reachCLI(t, "capital", "--set", "c2.time_of_flight=constant", "--weapon", "57e6", "--heights-m", "30", "--tof-km", "10")
	if len(constant.FlightTimes) != 1 || constant.FlightTimes[0].PlannedS != constant.FlightTimes[0].ConstantS ||
		math.Abs(constant.FlightTimes[0].ConstantS-10000/want[1].Range*want[1].Constant) > 1e-9 {
		t.Errorf("c2.time_of_flight=constant: %+v, want planned at speed_mps", constant.FlightTimes)
	}
	code, out, errs := runCLI(t, "reach", "--weapon", "57e6", "--heights-m", "3000", "--tof-km", "2")
	if code != exitOK || !strings.Contains(out, "3000      2         -        -          -                -               no such point: the slant range is not beyond the height") {
		t.Errorf("a slant range under the height: exit %d, %s\n%s", code, errs, out)
	}
	// 40 km is twice the 57E6's range: not reached.
	if g := got.FlightTimes[2]; g.Reached {
		t.Errorf("57e6 reaches 40 km: %+v", g)
	}
	code, out, errs = runCLI(t, "reach", "--weapon", "57e6", "--heights-m", "30", "--tof-km", "10")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	w10 := want[1]
	line := fmt.Sprintf("pantsir-s1  57e6    30        10        %.1f      %.1f        %.2f             %.1f",
		w10.Seconds, w10.Planned, w10.Seconds/w10.Planned, w10.Constant)
	if !strings.Contains(out, "SYSTEM      WEAPON  HEIGHT m  RANGE km  FLOWN s  PLANNED s  FLOWN ÷ PLANNED  AT speed_mps s  SHOT (loft)") || !strings.Contains(out, line) {
		t.Errorf("the text has no flight-time table with %q:\n%s", line, out)
	}
}
