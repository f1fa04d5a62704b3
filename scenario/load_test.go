package scenario

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
)

// base is a small valid scenario; the broken cases edit single lines of it, so line numbers
// below refer to this text.
const base = `version: 1
name: t
seed: 1
duration_s: 600
assets:
  - id: hq
    lat_deg: 50
    lon_deg: 30
    value: 10
    hardness_kg: 100
sensors:
  - id: ew
    lat_deg: 50
    lon_deg: 30
    ref_range_km: 300
    ref_rcs_m2: 1
    scan_period_s: 10
fire_units:
  - id: sam
    class: test-sam
    lat_deg: 50
    lon_deg: 30
    magazine: {test-missile: 4}
raids:
  - id: r1
    class: test-drone
    count: 4
    launch_start_s: 0
    launch_end_s: 60
    from: {lat_deg: 51, lon_deg: 31}
    targets: [hq]
`

// testCatalog parses testdata/catalog.yaml, the tests' stable base catalog.
func testCatalog(t testing.TB) *Catalog {
	t.Helper()
	data, err := os.ReadFile("testdata/catalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCatalog("testdata/catalog.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// edit replaces the lines of base that equal old (whole lines, pairs old/new) with new.
func edit(t *testing.T, pairs ...string) string {
	t.Helper()
	s := base
	for i := 0; i+1 < len(pairs); i += 2 {
		old := pairs[i] + "\n"
		if !strings.Contains(s, old) {
			t.Fatalf("base has no line %q", pairs[i])
		}
		s = strings.Replace(s, old, pairs[i+1]+"\n", 1)
	}
	return s
}

func TestParseValid(t *testing.T) {
	cat := testCatalog(t)
	s, err := Parse("base.yaml", []byte(base), cat)
	if err != nil {
		t.Fatalf("base scenario: %v", err)
	}
	if s.Name != "t" || len(s.Raids) != 1 || s.Raids[0].Count != 4 || s.FireUnits[0].Magazine["test-missile"] != 4 {
		t.Errorf("decoded wrongly: %+v", s)
	}
	if _, err := Load("testdata/valid.yaml", cat); err != nil {
		t.Fatalf("testdata/valid.yaml: %v", err)
	}
	// The boolean fields (until December 2026 the decoder refused every one of them).
	s, err = Parse("bools.yaml", []byte(edit(t, "seed: 1", "seed: 1\nc2: {layered: true, guns_first: true, cueing: true, picture: perfect}")), cat)
	if err != nil {
		t.Fatalf("boolean fields: %v", err)
	}
	if c := s.C2; !c.Layered || !c.GunsFirst || !c.Cueing || c.Picture != PicturePerfect {
		t.Errorf("c2 decoded wrongly: %+v", c)
	}
}

func TestParseBroken(t *testing.T) {
	cat := testCatalog(t)
	tests := []struct {
		name string
		yaml string
		// want holds "line:col substring" per expected error, in order.
		want []string
	}{
		{"syntax error", edit(t, "    from: {lat_deg: 51, lon_deg: 31}", "    from: {lat_deg: 51, lon_deg: 31"),
			[]string{"31:5 invalid YAML"}},
		{"tab indentation", edit(t, "    value: 10", "\tvalue: 10"),
			[]string{"9:1 invalid YAML"}},
		{"empty file", "",
			[]string{"1:1 found an empty file"}},
		{"blank file", " \n\n\t\n",
			[]string{"1:1 found an empty file"}},
		{"comments only", "# nothing here\n",
			[]string{"1:1 found a file of comments only, expected a scenario"}},
		{"unknown top-level field", edit(t, "seed: 1", "sede: 1"),
			[]string{`1:1 required field "seed"`, "3:1 unknown field \"sede\", expected a field of a scenario; hint: did you mean `seed`?"}},
		{"unknown nested field, did you mean", edit(t, "    ref_range_km: 300", "    ref_rang_km: 300"),
			[]string{`12:5 sensors[0].ref_range_km: found no "ref_range_km"`, "15:5 sensors[0].ref_rang_km: found unknown field \"ref_rang_km\", expected a field of a sensor; hint: did you mean `ref_range_km`?"}},
		{"unit suffix hint", edit(t, "    ref_range_km: 300", "    ref_range_m: 300000"),
			[]string{`12:5 found no "ref_range_km"`, "15:5 hint: `ref_range_m` has the wrong unit: this field is `ref_range_km` (km)"}},
		{"unit suffix missing", edit(t, "    hardness_kg: 100", "    hardness: 100"),
			[]string{`6:5 required field "hardness_kg"`, "10:5 did you mean `hardness_kg`? field names carry their unit (kg)"}},
		{"negative range", edit(t, "    ref_range_km: 300", "    ref_range_km: -300"),
			[]string{"15:5 sensors[0].ref_range_km: found -300, expected a positive range (km)"}},
		{"missing raid target", edit(t, "    targets: [hq]", "    targets: [hq, depot]"),
			[]string{`31:19 raids[0].targets[1]: found "depot", expected the id of an asset; hint: known: hq`}},
		{"target is a sensor", edit(t, "    targets: [hq]", "    targets: [ew]"),
			[]string{`31:15 "ew" is a sensor; raids target assets`}},
		{"unknown fire unit class", edit(t, "    class: test-sam", "    class: test-sm"),
			[]string{`20:5 fire_units[0].class: found "test-sm", expected a system class of the catalog; hint: did you mean "test-sam"? known: test-gun, test-sam`}},
		{"raid class is a system", edit(t, "    class: test-drone", "    class: test-gun"),
			[]string{`26:5 "test-gun" is a system class; raids use threat classes`}},
		{"string for integer", edit(t, "    count: 4", "    count: many"),
			[]string{`27:5 raids[0].count: found text "many", expected an integer`}},
		{"quoted number", edit(t, "    value: 10", `    value: "10"`),
			[]string{`9:5 assets[0].value: found text "10", expected a number; hint: remove the quotes`}},
		{"number with unit", edit(t, "    hardness_kg: 100", `    hardness_kg: 100 kg`),
			[]string{`10:5 found text "100 kg", expected a number (kg); hint: write the number alone (100)`}},
		{"duration beyond a week", edit(t, "duration_s: 600", "duration_s: 1e300"),
			[]string{"4:1 duration_s: found 1e+300, expected a duration of at most a week, 604800 (s)"}},
		{"duration whose frames overflow", edit(t, "duration_s: 600", "duration_s: 1e19"),
			[]string{"4:1 duration_s: found 1e+19, expected a duration of at most a week"}},
		{"frame step too small", edit(t, "duration_s: 600", "duration_s: 600\nframe_step_s: 1e-3"),
			[]string{"5:1 frame_step_s: found 0.001, expected a frame step in [0.01, 10] (s)"}},
		{"scan period too small", edit(t, "    scan_period_s: 10", "    scan_period_s: 0.000001"),
			[]string{"17:5 sensors[0].scan_period_s: found 1e-06, expected a period ≥ 0.01 (s); hint: adsim models radars that look at a target at most 100 times a second"}},
		{"raid too large", edit(t, "    count: 4", "    count: 100001"),
			[]string{"27:5 raids[0].count: found 100001, expected at most 100000 threats"}},
		{"raids too large together", edit(t, "    targets: [hq]", "    targets: [hq]\n  - id: r2\n    class: test-drone\n    count: 99999\n    launch_start_s: 0\n    launch_end_s: 60\n    from: {lat_deg: 51, lon_deg: 31}\n    targets: [hq]"),
			[]string{"34:5 raids[1].count: found 99999, expected at most 99996 threats (a scenario launches at most 100000 in all; the raids before this one launch 4)"}},
		{"confirmation beyond the tracker's history", edit(t, "duration_s: 600", "duration_s: 600\nc2:\n  confirm_hits: 64"),
			[]string{"6:3 c2.confirm_hits: found 64, expected a number of detections in [0, 63]"}},
		{"false alarms a scan", edit(t, "    scan_period_s: 10", "    scan_period_s: 10\n    pfa: 0.01"),
			[]string{"18:5 sensors[0].pfa: found pfa 0.01 over 7.2e+05 range-azimuth cells out to 600 km, 7200 false alarms a scan, expected at most 1000 false alarms a scan; hint: lower pfa to 0.0014 or less here"}},
		{"false alarms a scan over a long range", edit(t, "    scan_period_s: 10", "    scan_period_s: 10\n    max_range_km: 1000000"),
			[]string{"18:5 sensors[0].max_range_km: found pfa 1e-06 over 1.2e+09 range-azimuth cells out to 1e+06 km, 1200 false alarms a scan"}},
		{"quoted exponent", edit(t, "    value: 10", `    value: '1e1'`),
			[]string{`9:5 assets[0].value: found text "1e1", expected a number; hint: remove the quotes`}},
		{"exponent beyond float64", edit(t, "    value: 10", "    value: 1e999"),
			[]string{`9:5 assets[0].value: found 1e999, expected a finite number`}},
		{"plain inf is text", edit(t, "    value: 10", "    value: inf"),
			[]string{`9:5 assets[0].value: found text "inf", expected a number`}},
		{"float for integer", edit(t, "    count: 4", "    count: 4.0"),
			[]string{`27:5 found 4.0, expected an integer; hint: write it without a decimal point`}},
		{"list for number", edit(t, "    value: 10", "    value: [10]"),
			[]string{`9:5 found a list, expected a number`}},
		{"empty raid", edit(t, "    count: 4", "    count: 0"),
			[]string{"27:5 raids[0].count: found 0, expected at least 1 threat; hint: an empty raid"}},
		{"duplicate id", edit(t, "  - id: ew", "  - id: hq"),
			[]string{`12:5 sensors[0].id: found id "hq" again, expected an id unique across assets, sensors, fire_units and raids; hint: "hq" is already the id of assets[0] at line 6`}},
		{"duplicate key", edit(t, "seed: 1", "seed: 1\nseed: 2"),
			[]string{`4:1 seed: found a second "seed" key, expected each key once per mapping; hint: first given at line 3`}},
		{"latitude out of range", edit(t, "    lat_deg: 50", "    lat_deg: 95"),
			[]string{"7:5 assets[0].lat_deg: found 95, expected a latitude in [-90, 90] (degrees)"}},
		{"launch window reversed", edit(t, "    launch_start_s: 0", "    launch_start_s: 100", "    launch_end_s: 60", "    launch_end_s: 50"),
			[]string{"29:5 raids[0].launch_end_s: found 50, expected a time ≥ launch_start_s (100 s); hint: the launch window is reversed"}},
		{"launch after the end", edit(t, "    launch_start_s: 0", "    launch_start_s: 600", "    launch_end_s: 60", "    launch_end_s: 700"),
			[]string{"28:5 raids[0].launch_start_s: found 600, expected a time before the end of the scenario (duration_s 600 s)"}},
		{"bad doctrine", edit(t, "seed: 1", "seed: 1\nc2: {doctrine: salvos}"),
			[]string{`4:6 c2.doctrine: found "salvos", expected "shoot-look-shoot" or "salvo"; hint: did you mean "salvo"?`}},
		{"open-fire Pk of one", edit(t, "seed: 1", "seed: 1\nc2: {gun_open_fire_pk: 1}"),
			[]string{`4:6 c2.gun_open_fire_pk: found 1, expected a probability in [0, 1); hint: 0 opens fire at the gun's maximum range`}},
		{"too many units per track", edit(t, "seed: 1", "seed: 1\nc2: {max_per_track: 5}"),
			[]string{`4:6 c2.max_per_track: found 5, expected a number of fire units in [0, 4]; hint: 0 or 1: one engagement of a track at a time`}},
		{"bad category for several units", edit(t, "seed: 1", "seed: 1\nc2: {max_per_track: 2, max_per_track_categories: [ballistic_misile]}"),
			[]string{`4:51 c2.max_per_track_categories[0]: found "ballistic_misile", expected drone, cruise_missile, ballistic_missile or aircraft; hint: did you mean "ballistic_missile"?`}},
		{"units per track as text", edit(t, "seed: 1", "seed: 1\nc2: {max_per_track: two}"),
			[]string{`4:6 c2.max_per_track: found text "two", expected an integer`}},
		{"bad picture", edit(t, "seed: 1", "seed: 1\nc2: {picture: perfekt}"),
			[]string{`4:6 c2.picture: found "perfekt", expected "tracked" or "perfect"; hint: did you mean "perfect"?`}},
		{"bad perfect category", edit(t, "seed: 1", "seed: 1\nc2: {perfect_categories: [drones]}"),
			[]string{`4:27 c2.perfect_categories[0]: found "drones", expected drone, cruise_missile, ballistic_missile or aircraft; hint: did you mean "drone"?`}},
		{"perfect category twice", edit(t, "seed: 1", "seed: 1\nc2: {perfect_categories: [drone, drone]}"),
			[]string{`4:34 c2.perfect_categories[1]: found "drone" again, expected each category once`}},
		{"perfect categories in the perfect picture", edit(t, "seed: 1", "seed: 1\nc2: {picture: perfect, perfect_categories: [drone]}"),
			[]string{`4:24 c2.perfect_categories: found a list with c2.picture perfect, expected it only with the tracked picture; hint: the perfect picture is perfect for every category already; leave one of the two out`}},
		{"bad time of flight", edit(t, "seed: 1", "seed: 1\nc2: {time_of_flight: flyouts}"),
			[]string{`4:6 c2.time_of_flight: found "flyouts", expected "flyout" or "constant"; hint: did you mean "flyout"?`}},
		{"boolean as text", edit(t, "seed: 1", "seed: 1\nc2: {layered: \"true\", cueing: 1}"),
			[]string{`4:6 c2.layered: found text "true", expected true or false; hint: write it without quotes`, `4:23 c2.cueing: found 1, expected true or false`}},
		{"bad spacing", edit(t, "    count: 4", "    count: 4\n    spacing: uniform"),
			[]string{`28:5 raids[0].spacing: found "uniform", expected "even" or "random"`}},
		{"magazine key not a weapon of the class", edit(t, "    magazine: {test-missile: 4}", "    magazine: {test-misile: 4, test-cannon: 2}"),
			[]string{`23:16 fire_units[0].magazine.test-misile: found weapon "test-misile", expected a weapon of class "test-sam"; hint: did you mean "test-missile"?`,
				`23:32 fire_units[0].magazine.test-cannon: found weapon "test-cannon"`}},
		{"bad engage category", edit(t, "    magazine: {test-missile: 4}", "    magazine: {test-missile: 4}\n    engage_categories: [aircraft, drones]"),
			[]string{`24:35 fire_units[0].engage_categories[1]: found "drones", expected drone, cruise_missile, ballistic_missile or aircraft; hint: did you mean "drone"?`}},
		{"negative magazine", edit(t, "    magazine: {test-missile: 4}", "    magazine: {test-missile: -1}"),
			[]string{`23:16 found -1, expected a number of rounds ≥ 0`}},
		{"ballistic raid with route", edit(t, "    class: test-drone", "    class: test-bm", "    targets: [hq]", "    targets: [hq]\n    route: [{lat_deg: 50.5, lon_deg: 30.5}]"),
			[]string{"32:5 raids[0].route: found a route for ballistic missiles, expected no route"}},
		{"ballistic raid without targets", edit(t, "    class: test-drone", "    class: test-bm", "    targets: [hq]", ""),
			[]string{"25:5 raids[0]: found a ballistic missile raid with no targets, expected targets"}},
		{"raid with neither targets nor route", edit(t, "    targets: [hq]", ""),
			[]string{"25:5 raids[0]: found a raid with neither targets nor route"}},
		{"rooftop and height_agl_m", edit(t, "    scan_period_s: 10", "    scan_period_s: 10\n    height_agl_m: 10\n    rooftop: {building_height_m: 20}"),
			[]string{"19:5 sensors[0].rooftop: found both height_agl_m and rooftop, expected one of them"}},
		{"surroundings distance", edit(t, "    scan_period_s: 10", "    scan_period_s: 10\n    surroundings: {building_height_m: 20, distance_m: 0}"),
			[]string{"18:43 sensors[0].surroundings.distance_m: found 0, expected a positive distance (m)"}},
		{"elevation limits reversed", edit(t, "    scan_period_s: 10", "    scan_period_s: 10\n    min_elevation_deg: 30\n    max_elevation_deg: 5"),
			[]string{"19:5 min_elevation_deg 30 ≥ max_elevation_deg 5"}},
		{"pfa out of range", edit(t, "    scan_period_s: 10", "    scan_period_s: 10\n    pfa: 0.5"),
			[]string{"18:5 sensors[0].pfa: found 0.5, expected a false-alarm probability in (0, 0.1]"}},
		{"two errors in one file", edit(t, "    lat_deg: 50", "    lat_deg: 95", "    count: 4", "    count: 0", "duration_s: 600", "duration_s: 600\nframe_step_s: 30"),
			[]string{"5:1 frame_step_s: found 30, expected a frame step in [0.01, 10] (s)", "8:5 assets[0].lat_deg: found 95", "28:5 raids[0].count: found 0"}},
		{"unknown field in flow mapping", edit(t, "    from: {lat_deg: 51, lon_deg: 31}", "    from: {lat_deg: 51, lon_deg: 31, alt_ft: 300}"),
			[]string{"30:38 raids[0].from.alt_ft: found unknown field \"alt_ft\", expected a field of a point (lat_deg, lon_deg, alt_m); hint: `alt_ft` has the wrong unit: this field is `alt_m` (m)"}},
		{"wrong version", edit(t, "version: 1", "version: 2"),
			[]string{"1:1 version: found 2, expected 1"}},
		{"missing name", edit(t, "name: t", ""),
			[]string{`1:1 name: found no "name", expected the required field "name": text`}},
		{"null list", edit(t, "    targets: [hq]", "    targets:"),
			[]string{"31:5 raids[0].targets: found no value (null), expected a list of ids; hint: write [] for an empty list"}},
		{"second document", base + "---\nversion: 1\n",
			[]string{"32:1 found a second YAML document"}},
		{"alias without anchor", edit(t, "    targets: [hq]", "    targets: *t"),
			[]string{"31:5 raids[0].targets: found alias *t with no anchor before it"}},
		{"catalog plain numbers and bad category", edit(t, "    targets: [hq]", "    targets: [hq]\ncatalog:\n  threats:\n    - id: x\n      name: X\n      category: drones\n      speed_kmh: 0\n      cruise_alt_m: 100\n      range_km: 100\n      rcs_m2: 1\n      warhead_kg: 10"),
			[]string{`36:7 catalog.threats[0].category: found "drones", expected drone, cruise_missile, ballistic_missile or aircraft; hint: did you mean "drone"?`,
				"37:7 catalog.threats[0].speed_kmh: found 0, expected a positive speed (km/h)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse("broken.yaml", []byte(tc.yaml), cat)
			if err == nil {
				t.Fatalf("no error; parsed %+v", s)
			}
			if s != nil {
				t.Errorf("scenario returned with an error")
			}
			list := Errors(err)
			if len(list) == 0 {
				t.Fatalf("error is not an ErrorList: %v", err)
			}
			if len(list) != len(tc.want) {
				t.Errorf("got %d errors, want %d:\n%v", len(list), len(tc.want), err)
			}
			for i, want := range tc.want {
				if i >= len(list) {
					break
				}
				at, sub, _ := strings.Cut(want, " ")
				e := list[i]
				if got := fmt.Sprintf("%d:%d", e.Line, e.Col); got != at {
					t.Errorf("error %d at %s, want %s: %v", i, got, at, e)
				}
				if !strings.Contains(e.Error(), sub) {
					t.Errorf("error %d = %q, want it to contain %q", i, e.Error(), sub)
				}
				if e.File != "broken.yaml" || !strings.HasPrefix(e.Error(), "broken.yaml:"+at+": ") {
					t.Errorf("error %d does not start with file:line:col: %q", i, e.Error())
				}
			}
		})
	}
}

func TestErrorsAs(t *testing.T) {
	_, err := Parse("x.yaml", []byte("version: 2\n"), testCatalog(t))
	var list ErrorList
	if !errors.As(err, &list) || len(list) < 2 {
		t.Fatalf("errors.As ErrorList: %v", err)
	}
	var e *Error
	if !errors.As(err, &e) || e != list[0] {
		t.Fatalf("errors.As *Error did not give the first error: %v", e)
	}
	for i := 1; i < len(list); i++ {
		a, b := list[i-1], list[i]
		if a.Line > b.Line || a.Line == b.Line && a.Col > b.Col {
			t.Errorf("not sorted: %v before %v", a, b)
		}
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != len(list) {
		t.Errorf("Error() has %d lines for %d errors", n, len(list))
	}
	if _, err := Load("testdata/does-not-exist.yaml", testCatalog(t)); err == nil || Errors(err) != nil {
		t.Errorf("missing file: %v", err)
	}
}

func TestParseCatalogBroken(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"plain number without provenance", "threats:\n  - id: d\n    name: D\n    category: drone\n    speed_kmh: 100\n    cruise_alt_m: {value: 50, assumption: a}\n    range_km: {value: 100, source: s}\n    rcs_m2: {value: 0.1}\n    warhead_kg: {value: 10, assumption: a}\n",
			[]string{"5:5 threats[0].speed_kmh: found a plain number 100, expected {value, source} or {value, assumption}",
				"8:5 threats[0].rcs_m2: found a figure with neither source nor assumption"}},
		{"unknown key in figure", "threats:\n  - id: d\n    name: D\n    category: drone\n    speed_kmh: {value: 100, sorce: s}\n    cruise_alt_m: {value: 50, assumption: a}\n    range_km: {value: 100, source: s}\n    rcs_m2: {value: 0.1, source: s}\n    warhead_kg: {value: 10, assumption: a}\n",
			[]string{"5:5 threats[0].speed_kmh: found a figure with neither", "5:29 threats[0].speed_kmh.sorce: found unknown field \"sorce\", expected a field of a figure (value, source, assumption); hint: did you mean `source`?"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCatalog("cat.yaml", []byte(tc.yaml))
			list := Errors(err)
			if len(list) != len(tc.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(list), len(tc.want), err)
			}
			for i, want := range tc.want {
				at, sub, _ := strings.Cut(want, " ")
				if got := fmt.Sprintf("%d:%d", list[i].Line, list[i].Col); got != at || !strings.Contains(list[i].Error(), sub) {
					t.Errorf("error %d = %q, want at %s containing %q", i, list[i].Error(), at, sub)
				}
			}
		})
	}
	// Weapon-level checks on a copy of the test catalog.
	data, err := os.ReadFile("testdata/catalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.NewReplacer(
		"          ballistic_missile: {value: 0.5, assumption: test}", "          balistic_missile: {value: 1.5, assumption: test}",
		"        burst_rounds: {value: 20, assumption: test}\n", "",
		"    layer: short", "    layer: very-short",
	).Replace(string(data))
	_, err = ParseCatalog("cat.yaml", []byte(broken))
	for _, sub := range []string{
		`cat.yaml:31:11: systems[0].weapons[0].pk.balistic_missile: found threat category "balistic_missile"`,
		`did you mean "ballistic_missile"?`,
		`cat.yaml:34:5: systems[1].layer: found "very-short", expected "long", "medium" or "short"`,
		`cat.yaml:50:9: systems[1].weapons[0].burst_rounds: found a gun with no "burst_rounds"`,
	} {
		if err == nil || !strings.Contains(err.Error(), sub) {
			t.Errorf("want an error containing %q, got:\n%v", sub, err)
		}
	}
	// A burst of a fraction of a round: the engine fires whole rounds (it used to truncate
	// 0.5 to no round and fail at run time).
	half := strings.Replace(string(data), "        burst_rounds: {value: 20, assumption: test}", "        burst_rounds: {value: 0.5, assumption: test}", 1)
	if _, err := ParseCatalog("cat.yaml", []byte(half)); err == nil || !strings.Contains(err.Error(),
		"cat.yaml:58:24: systems[1].weapons[0].burst_rounds.value: found 0.5, expected a whole number of rounds ≥ 1") {
		t.Errorf("burst_rounds 0.5: %v", err)
	}
}

func TestEffectiveCatalog(t *testing.T) {
	cat := testCatalog(t)
	src := edit(t, "    targets: [hq]", "    targets: [hq]\ncatalog:\n  threats:\n    - id: test-drone\n      name: Faster drone\n      category: drone\n      speed_kmh: 400\n      cruise_alt_m: 100\n      range_km: 100\n      rcs_m2: 1\n      warhead_kg: 10")
	s, err := Parse("s.yaml", []byte(src), cat)
	if err != nil {
		t.Fatal(err)
	}
	eff := s.EffectiveCatalog(cat)
	th, ok := eff.Threat("test-drone")
	if !ok || th.SpeedKmh.Value != 400 || !th.SpeedKmh.Assumed() {
		t.Errorf("scenario class did not replace the base class: %+v", th)
	}
	if len(eff.Threats) != len(cat.Threats) {
		t.Errorf("replacement appended: %d threats, base has %d", len(eff.Threats), len(cat.Threats))
	}
	if base, _ := cat.Threat("test-drone"); base.SpeedKmh.Value != 180 {
		t.Errorf("merge modified the base catalog")
	}
	if _, ok := eff.System("test-sam"); !ok {
		t.Errorf("base system lost")
	}
	if _, ok := eff.System("nope"); ok {
		t.Errorf("found a system that does not exist")
	}
}

func TestDefaultCatalog(t *testing.T) {
	c, err := DefaultCatalog()
	if err != nil {
		t.Fatalf("embedded catalog.yaml is invalid:\n%v", err)
	}
	if len(c.Systems) == 0 || len(c.Threats) == 0 {
		t.Fatalf("default catalog is empty")
	}
	for _, s := range c.Systems {
		if got, ok := c.System(s.ID); !ok || got.ID != s.ID {
			t.Errorf("System(%q) failed", s.ID)
		}
	}
}

func TestExamples(t *testing.T) {
	names := ExampleNames()
	if len(names) == 0 {
		t.Log("no embedded examples yet")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			if _, err := LoadExample(name, nil); err != nil {
				t.Errorf("example %s:\n%v", name, err)
			}
		})
	}
	if _, err := ExampleFile("no-such-example"); err == nil || !strings.Contains(err.Error(), "unknown example") {
		t.Errorf("unknown example: %v", err)
	}
	if _, err := ExampleFile("../catalog"); err == nil {
		t.Errorf("path escape accepted")
	}
}

func TestFieldHint(t *testing.T) {
	known := []string{"ref_range_km", "ref_rcs_m2", "scan_period_s", "lat_deg"}
	for key, want := range map[string]string{
		"ref_range_m":    "wrong unit",
		"ref_range":      "did you mean `ref_range_km`?",
		"scan_perod_s":   "did you mean `scan_period_s`?",
		"latitude":       "known fields:",
		"ref_rcs_dbsm":   "this field is `ref_rcs_m2`",
		"scan_period_ms": "this field is `scan_period_s`",
	} {
		if got := fieldHint(key, known); !strings.Contains(got, want) {
			t.Errorf("fieldHint(%q) = %q, want it to contain %q", key, got, want)
		}
	}
}

// TestAliasBomb checks that merge keys and aliases that expand exponentially are cut off with
// an error instead of exhausting time and memory.
func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("x0: &m0 {value: 1}\n")
	for i := 1; i < 12; i++ {
		fmt.Fprintf(&b, "x%d: &m%d {<<: [", i, i)
		for j := 0; j < 10; j++ {
			fmt.Fprintf(&b, "*m%d, ", i-1)
		}
		b.WriteString("]}\n")
	}
	b.WriteString("assets: [*m11, *m11]\n")
	_, err := Parse("bomb.yaml", []byte(b.String()), testCatalog(t))
	if err == nil || !strings.Contains(err.Error(), "expands to too many nodes") {
		t.Errorf("want a too-many-nodes error, got:\n%v", err)
	}
}

// TestHugeDocuments checks that documents too big or too deep for the decoder are refused
// quickly, with one error that says what was found: brackets nested past what the YAML parser
// takes in reasonable memory (its cost grows with the square of the depth), and a document of
// more values than the decoder reads, with no alias to blame and no error for the values that
// were then left undecoded.
func TestHugeDocuments(t *testing.T) {
	manyTargets := edit(t, "    targets: [hq]", "    targets: ["+strings.Repeat("hq, ", maxNodeVisits)+"hq]")
	tests := []struct {
		name string
		yaml string
		at   string // line:col of the one error, "" for any
		want string // a substring of it
	}{
		{"flow sequences nested 100000 deep", "version: 1\nname: " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n",
			"2:" + strconv.Itoa(len("name: ")+maxFlowDepth+1), "found [ and { nested more than 256 levels deep, expected a scenario (nested at most 64 levels)"},
		// Columns count characters: "Ω" is two bytes of UTF-8 and one column.
		{"flow sequences nested deep after a non-ASCII name", "version: 1\nname: Ω" + strings.Repeat("[", 300) + "\n",
			"2:" + strconv.Itoa(len("name: Ω")-1+maxFlowDepth+1), "found [ and { nested more than 256 levels deep"},
		{"flow mappings nested 100000 deep", "version: 1\nname: " + strings.Repeat("{a: ", 100000) + "x" + strings.Repeat("}", 100000) + "\n",
			"2:" + strconv.Itoa(len("name: ")+4*maxFlowDepth+1), "found [ and { nested more than 256 levels deep"},
		{"a file of 16 MiB and a byte", base + strings.Repeat("#", maxFileBytes+1-len(base)),
			"1:1", "found a file of 16777217 bytes, expected a file of at most 16777216 bytes (16 MiB)"},
		{"a document of too many values", manyTargets,
			"", "found a document of more than 1048576 values, expected a smaller file (at most 1048576 values)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := Parse("huge.yaml", []byte(tc.yaml), testCatalog(t))
			if d := time.Since(start); d > 30*time.Second {
				t.Errorf("took %v", d)
			}
			list := Errors(err)
			if len(list) != 1 {
				t.Fatalf("got %d errors, want 1: %v", len(list), err)
			}
			if got := fmt.Sprintf("%d:%d", list[0].Line, list[0].Col); tc.at != "" && got != tc.at {
				t.Errorf("error at %s, want %s: %v", got, tc.at, list[0])
			}
			if !strings.Contains(list[0].Error(), tc.want) || strings.Contains(list[0].Error(), "alias") {
				t.Errorf("error = %q, want it to contain %q and blame no alias", list[0].Error(), tc.want)
			}
		})
	}
	// Brackets in comments and quoted text are no nesting.
	deepText := strings.Replace(base, "name: t\n", "name: '"+strings.Repeat("[", 1000)+"'\n# "+strings.Repeat("{", 1000)+"\n", 1)
	if _, err := Parse("text.yaml", []byte(deepText), testCatalog(t)); err != nil {
		t.Errorf("brackets in quoted text and comments: %v", err)
	}
}

// TestAnchorsAndMerge checks that anchors, aliases and merge keys decode as YAML defines them.
func TestAnchorsAndMerge(t *testing.T) {
	src := edit(t,
		"    ref_range_km: 300", "    <<: &radar {ref_range_km: 300, ref_rcs_m2: 2}",
		"    ref_rcs_m2: 1", "    ref_rcs_m2: 1",
		"    targets: [hq]", "    targets: &tg [hq]\n  - {id: r2, class: test-drone, count: 1, launch_start_s: 0, launch_end_s: 0, from: {lat_deg: 1, lon_deg: 1}, targets: *tg}")
	s, err := Parse("anchors.yaml", []byte(src), testCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if sn := s.Sensors[0]; sn.RefRangeKm != 300 || sn.RefRCSM2 != 1 {
		t.Errorf("merge: got range %v rcs %v, want 300 and the explicit 1", sn.RefRangeKm, sn.RefRCSM2)
	}
	if got := s.Raids[1].Targets; len(got) != 1 || got[0] != "hq" {
		t.Errorf("alias: targets %v", got)
	}
}

func TestFigureUnmarshalers(t *testing.T) {
	var w struct {
		A Figure `yaml:"a" json:"a"`
		B Figure `yaml:"b" json:"b"`
	}
	if err := yaml.Unmarshal([]byte("a: 3.5\nb: {value: 2, source: s}\n"), &w); err != nil {
		t.Fatal(err)
	}
	if w.A.Value != 3.5 || !w.A.Assumed() || w.B.Value != 2 || w.B.Source != "s" {
		t.Errorf("yaml: %+v", w)
	}
	if err := yaml.Unmarshal([]byte("a: {value: 2, sorce: s}\n"), &w); err == nil {
		t.Errorf("yaml: unknown key accepted")
	}
	if err := json.Unmarshal([]byte(`{"a": 4, "b": {"value": 5, "assumption": "x"}}`), &w); err != nil {
		t.Fatal(err)
	}
	if w.A.Value != 4 || w.B.Value != 5 || w.B.Assumption != "x" {
		t.Errorf("json: %+v", w)
	}
	if err := json.Unmarshal([]byte(`{"a": {"value": 1, "x": 2}}`), &w); err == nil {
		t.Errorf("json: unknown key accepted")
	}
}

// TestExponentNumbers: numbers in exponent form without a dot (1e-6, 2E3), floats in YAML 1.2's
// core schema and in JSON, which the YAML parser reads as text, are read as numbers.
func TestExponentNumbers(t *testing.T) {
	cat := testCatalog(t)
	for _, c := range []struct {
		text string
		want float64
	}{
		{"1e1", 10}, {"1E1", 10}, {"1e+1", 10}, {"100e-1", 10}, {".1e2", 10}, {"1.e1", 10}, {"+1e1", 10},
	} {
		s, err := Parse("exp.yaml", []byte(edit(t, "    value: 10", "    value: "+c.text,
			"duration_s: 600", "duration_s: 6e2", "    scan_period_s: 10", "    scan_period_s: 1e1")), cat)
		if err != nil {
			t.Errorf("%s: %v", c.text, err)
			continue
		}
		if s.Assets[0].Value != c.want || s.DurationS != 600 || s.Sensors[0].ScanPeriodS != 10 {
			t.Errorf("%s: value %v, duration %v, scan %v", c.text, s.Assets[0].Value, s.DurationS, s.Sensors[0].ScanPeriodS)
		}
	}
}
