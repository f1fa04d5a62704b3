package mc

import (
	"context"
	"errors"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestParseValues(t *testing.T) {
	cases := []struct {
		spec string
		want []string
		err  string
	}{
		{"10:50:10", []string{"10", "20", "30", "40", "50"}, ""},
		{"10:55:10", []string{"10", "20", "30", "40", "50"}, ""},
		{"0.1:0.5:0.1", []string{"0.1", "0.2", "0.3", "0.4", "0.5"}, ""},
		{"5:1:-2", []string{"5", "3", "1"}, ""},
		{"7:7:1", []string{"7"}, ""},
		{"salvo,shoot-look-shoot", []string{"salvo", "shoot-look-shoot"}, ""},
		// A value that is a list stays one value.
		{"[],[ballistic_missile],[ballistic_missile, aircraft]", []string{"[]", "[ballistic_missile]", "[ballistic_missile, aircraft]"}, ""},
		{"42", []string{"42"}, ""},
		{"10:200:0", nil, "zero steps"},
		{"200:10:10", nil, "zero steps"},
		{"1:2", nil, "START:STOP:STEP"},
		{"a:2:1", nil, "not a number"},
		{"1,,2", nil, "empty value"},
		{"", nil, "no values"},
		{"0:1e9:1", nil, "at most"},
		// Whole numbers in full, which an integer field (a seed, a count) reads: not 1e+06.
		{"1000000:3000000:1000000", []string{"1000000", "2000000", "3000000"}, ""},
		{"-2e6:-1e6:1e6", []string{"-2000000", "-1000000"}, ""},
		{"1e15:2e15:1e15", []string{"1e+15", "2e+15"}, ""},
		// Steps too small to tell the values apart.
		{"3000:3000.000000001:1e-12", nil, `range "3000:3000.000000001:1e-12": a STEP of 1e-12 is lost in the 12 significant digits values keep (3000, then 3000 again); expected a larger STEP`},
		{"1000:2000:1e-300", nil, `range "1000:2000:1e-300" has 1e+303 steps; at most 10000`},
	}
	for _, c := range cases {
		got, err := ParseValues(c.spec)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseValues(%q) error %v, want one containing %q", c.spec, err, c.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseValues(%q) = %q, %v; want %q", c.spec, got, err, c.want)
		}
	}
}

func TestStudyWith(t *testing.T) {
	st := loadSmall(t)
	cases := []struct {
		path, value string
		check       func(*Study) bool
		err         string
	}{
		{"raids[0].count", "3", func(s *Study) bool { return s.Scenario().Raids[0].Count == 3 }, ""},
		{"fire_units[0].magazine.57e6", "9", func(s *Study) bool { return s.Scenario().FireUnits[0].Magazine["57e6"] == 9 }, ""},
		{"c2.salvo", "3", func(s *Study) bool { return s.Scenario().C2.Salvo == 3 }, ""},
		{"c2.doctrine", "salvo", func(s *Study) bool { return s.Scenario().C2.Doctrine == "salvo" }, ""},
		{"sensors[0].ref_range_km", "80", func(s *Study) bool { return s.Scenario().Sensors[0].RefRangeKm == 80 }, ""},
		// An inline field (a sensor's position) and an absent optional section (a unit's radar override).
		{"sensors[0].lat_deg", "40.01", func(s *Study) bool { return s.Scenario().Sensors[0].LatDeg == 40.01 }, ""},
		{"fire_units[0].radar.ref_range_km", "25", func(s *Study) bool { return s.Scenario().FireUnits[0].Radar.RefRangeKm == 25 }, ""},
		// Elements by id, and catalog classes by id, copied into the scenario's catalog section.
		{"raids[cruise].count", "5", func(s *Study) bool { return s.Scenario().Raids[1].Count == 5 }, ""},
		{"fire_units[pantsir].magazine.57e6", "9", func(s *Study) bool { return s.Scenario().FireUnits[0].Magazine["57e6"] == 9 }, ""},
		{"catalog.threats[shahed-136].rcs_m2", "0.01", func(s *Study) bool {
			c, ok := s.cat.Threat("shahed-136")
			own := s.Scenario().Catalog
			return ok && c.RCSM2.Value == 0.01 && c.RCSM2.Source == "" && c.RCSM2.Assumption == figureAssumption &&
				c.SpeedKmh.Value > 0 && own != nil && len(own.Threats) == 1 && len(own.Systems) == 0
		}, ""},
		{"catalog.systems[pantsir-s1].weapons[57e6].pk0.drone", "0.3", func(s *Study) bool {
			c, ok := s.cat.System("pantsir-s1")
			return ok && c.Weapons[0].ID == "57e6" && c.Weapons[0].Pk0["drone"].Value == 0.3 && c.Weapons[0].Pk0["cruise_missile"].Value > 0.3
		}, ""},
		{"catalog.threats[nope].rcs_m2", "1", nil, `the catalog has no threat class "nope"; its threats are shahed-136,`},
		{"catalog.systems[pantsir-s1].weapons[9m96].pk0.drone", "0.3", nil, `has no element with id "9m96"; its ids are 57e6, 2a38m`},
		{"raids[nope].count", "3", nil, `raids has no element with id "nope"; its ids are drones, cruise`},
		{"assets[hq].value", "3", func(s *Study) bool { return s.Scenario().Assets[0].Value == 3 }, ""},
		{"raids[drones].targets[hq]", "x", nil, "have no id"},
		{"raids[0.count", "3", nil, "a [ without its ]"},
		{"raids[].count", "3", nil, "expected an index [N] or an id [name]"},
		{"raids[-1].count", "3", nil, "negative"},
		{"raids[0].cnt", "3", nil, `has no field "cnt"`},
		{"raids[9].count", "3", nil, "there is no [9]"},
		{"raids.count", "3", nil, "raids is a list: name one element, e.g. raids[0].count"},
		{"c2[0].salvo", "3", nil, "not a list"},
		{"raids[0].count", "many", nil, "expected an integer"},
		{"raids[0].count", "2.5", nil, `expected an integer, found "2.5"`},
		{"raids[0].count", "99999999999999999999", nil, `found "99999999999999999999", expected an integer of at most 9007199254740992 in size`},
		{"raids[0].count", "-1e30", nil, `found "-1e30", expected an integer of at most`},
		{"raids[0].count", "-4", nil, "makes the scenario invalid"},
		{"raids[0]", "4", nil, "not a single value"},
		// A list of single values, whole, in brackets.
		{"raids[0].targets", "[depot]", func(s *Study) bool { return slices.Equal(s.Scenario().Raids[0].Targets, []string{"depot"}) }, ""},
		{"fire_units[0].engage_categories", "[drone, cruise_missile]", func(s *Study) bool {
			return slices.Equal(s.Scenario().FireUnits[0].EngageCategories, []string{"drone", "cruise_missile"})
		}, ""},
		{"c2.max_per_track_categories", "[]", func(s *Study) bool { return len(s.Scenario().C2.MaxPerTrackCategories) == 0 }, ""},
		{"raids[0].targets", "hq", nil, `names a list: expected its elements in brackets, e.g. [a, b] ([] for none), found "hq"`},
		{"raids[0].targets", "[hq,]", nil, `element 1 of "[hq,]" is empty`},
		{"raids[0].targets", "[[hq]]", nil, "expected its elements in brackets"},
		{"raids[0].targets", "hq]", nil, "expected its elements in brackets"},
		{"raids[0].targets", "[hq", nil, "expected its elements in brackets"},
		{"raids[0].targets", "[nowhere]", nil, "makes the scenario invalid"},
		{"raids", "[a]", nil, "names a list of sections"},
		{"c2.max_per_track_categories[0]", "drone", nil, `c2.max_per_track_categories is empty; there is no [0]; set the whole list in brackets, e.g. c2.max_per_track_categories=[a, b]`},
		{"raids[0].targets[5]", "hq", nil, `raids[0].targets has 2 elements (indices 0 to 1); there is no [5]; set the whole list in brackets`},
		{"c2.doctrine", "charge", nil, "makes the scenario invalid"},
		{"", "1", nil, "empty path"},
	}
	for _, c := range cases {
		s, err := st.With(c.path, c.value)
		if c.check == nil {
			if err == nil {
				t.Errorf("With(%q, %q): no error", c.path, c.value)
			} else if c.err != "" && !strings.Contains(err.Error(), c.err) {
				t.Errorf("With(%q, %q) error %q, want one containing %q", c.path, c.value, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("With(%q, %q): %v", c.path, c.value, err)
			continue
		}
		if !c.check(s) || s.Seed != st.Seed {
			t.Errorf("With(%q, %q) did not set the field (or changed the seed)", c.path, c.value)
		}
	}
	// The base study is untouched, its catalog too.
	if st.Scenario().Raids[0].Count != 10 || st.Scenario().Catalog != nil {
		t.Error("With changed the base study")
	}
	if c, _ := st.cat.Threat("shahed-136"); c.RCSM2.Value == 0.01 || c.RCSM2.Assumption == figureAssumption {
		t.Error("With changed the base catalog")
	}
	// Two settings of one class: the second edits the copy the first made.
	c, err := st.WithSettings([]Setting{{"catalog.threats[shahed-136].rcs_m2", "0.02"}, {"catalog.threats[shahed-136].speed_kmh", "150"}})
	if err != nil {
		t.Fatal(err)
	}
	if own := c.Scenario().Catalog; len(own.Threats) != 1 || own.Threats[0].RCSM2.Value != 0.02 || own.Threats[0].SpeedKmh.Value != 150 {
		t.Errorf("two settings of one class: %+v", own.Threats)
	}
}

func TestSweepSharesRandomNumbers(t *testing.T) {
	st := loadSmall(t)
	pts, _, err := Sweep(context.Background(), st, axis(t, "fire_units[0].magazine.57e6", "4", "4", "12"), Local{}, Options{Reps: Range{0, 8}}, SweepHooks{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 3 || pts[0].X[0] != 4 || pts[2].X[0] != 12 {
		t.Fatalf("points %+v", pts)
	}
	if pts[0].Result.ValueLost != pts[1].Result.ValueLost {
		t.Error("the same value gave different results: the points do not share random numbers")
	}
	if pts[2].Result.Interceptors.Mean.Est <= pts[0].Result.Interceptors.Mean.Est {
		t.Error("a larger magazine fired no more interceptors")
	}
	if _, _, err := Sweep(context.Background(), st, axis(t, "raids[0].count", "2", "x"), Local{}, Options{Reps: Range{0, 2}}, SweepHooks{}); err == nil {
		t.Error("a bad value was not reported before running")
	}
}

// axis is the points of a one-field sweep.
func axis(t *testing.T, path string, values ...string) [][]Setting {
	t.Helper()
	pts, err := Grid([]Axis{{path, values}}, false)
	if err != nil {
		t.Fatal(err)
	}
	return pts
}

func TestGrid(t *testing.T) {
	a := Axis{"raids[0].count", []string{"10", "20", "30"}}
	b := Axis{"c2.salvo", []string{"1", "2"}}
	text := func(pts [][]Setting) []string {
		var out []string
		for _, p := range pts {
			out = append(out, settingsText(p))
		}
		return out
	}
	cases := []struct {
		name string
		axes []Axis
		zip  bool
		want []string
		err  string
	}{
		{"one axis", []Axis{a}, false, []string{"raids[0].count=10", "raids[0].count=20", "raids[0].count=30"}, ""},
		{"grid, the last axis fastest", []Axis{a, b}, false, []string{
			"raids[0].count=10, c2.salvo=1", "raids[0].count=10, c2.salvo=2",
			"raids[0].count=20, c2.salvo=1", "raids[0].count=20, c2.salvo=2",
			"raids[0].count=30, c2.salvo=1", "raids[0].count=30, c2.salvo=2"}, ""},
		{"zipped", []Axis{a, {"raids[1].count", []string{"2", "4", "6"}}}, true, []string{
			"raids[0].count=10, raids[1].count=2", "raids[0].count=20, raids[1].count=4", "raids[0].count=30, raids[1].count=6"}, ""},
		{"zipped, unequal lengths", []Axis{a, b}, true, nil, "zipped fields need as many values each"},
		{"a path twice", []Axis{a, a}, false, nil, "raids[0].count is swept twice"},
		{"nothing", nil, false, nil, "nothing to sweep"},
		{"too many points", []Axis{{"a", make([]string, 200)}, {"b", make([]string, 60)}}, false, nil, "more than 10000 points"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Grid(c.axes, c.zip)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(text(got), c.want) {
				t.Fatalf("Grid = %q, %v; want %q", text(got), err, c.want)
			}
		})
	}
}

func TestParseSetting(t *testing.T) {
	cases := []struct {
		arg  string
		want Setting
		err  string
	}{
		{"c2.salvo=3", Setting{"c2.salvo", "3"}, ""},
		{" raids[0].count = 40 ", Setting{"raids[0].count", "40"}, ""},
		{"c2.doctrine=salvo", Setting{"c2.doctrine", "salvo"}, ""},
		{"raids[0].count=10:200:10", Setting{}, "expected one value, found 20"},
		{"c2.doctrine=salvo,shoot-look-shoot", Setting{}, "expected one value, found 2"},
		// One value, so the messages show PATH=VALUE, not the sweep's ranges.
		{"c2.salvo", Setting{}, `--set-b "c2.salvo": expected PATH=VALUE, e.g. raids[0].count=40`},
		{"c2.salvo=", Setting{}, `--set-b "c2.salvo=": no value; expected PATH=VALUE`},
		{"=3", Setting{}, `--set-b "=3": expected PATH=VALUE`},
	}
	for _, c := range cases {
		got, err := ParseSetting("set-b", c.arg)
		if c.err != "" {
			// Past the flag and the argument quoted, neither is named again, nor a sweep range.
			if err == nil {
				t.Errorf("ParseSetting(%q) = %+v, want an error", c.arg, got)
				continue
			}
			rest := strings.TrimPrefix(err.Error(), "--set-b "+strconv.Quote(c.arg))
			if !strings.Contains(err.Error(), c.err) || len(rest) == len(err.Error()) || strings.Contains(rest, "--set") || strings.Contains(rest, "10:200:10") {
				t.Errorf("ParseSetting(%q) error %v, want one naming --set-b once and containing %q", c.arg, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseSetting(%q) = %+v, %v; want %+v", c.arg, got, err, c.want)
		}
	}
}

// Settings are applied together and validated once: a pair valid only together is accepted,
// and the changed scenario is what the study runs and carries as its source.
func TestStudyWithSettings(t *testing.T) {
	st := loadSmall(t)
	both := []Setting{{"raids[0].count", "4"}, {"c2.doctrine", "salvo"}, {"c2.salvo", "3"}}
	c, err := st.WithSettings(both)
	if err != nil {
		t.Fatal(err)
	}
	s := c.Scenario()
	if s.Raids[0].Count != 4 || s.C2.Doctrine != "salvo" || s.C2.Salvo != 3 || c.Seed != st.Seed {
		t.Errorf("settings not all applied: count %d, doctrine %q, salvo %d", s.Raids[0].Count, s.C2.Doctrine, s.C2.Salvo)
	}
	if !strings.Contains(c.Name, "raids[0].count=4, c2.doctrine=salvo, c2.salvo=3") {
		t.Errorf("name %q does not say what was set", c.Name)
	}
	again, err := NewStudy("copy", c.Source, nil, nil)
	if err != nil || again.Scenario().Raids[0].Count != 4 || again.Scenario().C2.Salvo != 3 {
		t.Errorf("the source does not carry the settings: %v", err)
	}
	// Later settings win, in the scenario and in the name, which names each path once (as
	// compare's B, --set then --set-b then --picture-b, is named); the first bad one is named.
	if c, err := st.WithSettings([]Setting{{"c2.salvo", "2"}, {"c2.salvo", "3"}}); err != nil || c.Scenario().C2.Salvo != 3 {
		t.Errorf("the later setting did not win: %v", err)
	}
	a, err := st.WithSettings([]Setting{{"raids[0].count", "4"}, {"c2.doctrine", "salvo"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := a.WithSettings([]Setting{{"raids[0].count", "6"}, {"c2.picture", "perfect"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := st.Name + " with raids[0].count=6, c2.doctrine=salvo, c2.picture=perfect"; b.Name != want || b.Scenario().Raids[0].Count != 6 {
		t.Errorf("settings on settings: name %q, count %d; want %q, 6", b.Name, b.Scenario().Raids[0].Count, want)
	}
	if cl, err := b.clone(); err != nil || cl.Name != b.Name || !slices.Equal(cl.sets, b.sets) {
		t.Errorf("clone: %q %v, %v", cl.Name, cl.sets, err)
	}
	if _, err := st.WithSettings([]Setting{{"c2.salvo", "2"}, {"raids[0].cnt", "3"}}); err == nil || !strings.Contains(err.Error(), `"cnt"`) {
		t.Errorf("a bad second setting: %v", err)
	}
	if _, err := st.WithSettings([]Setting{{"raids[0].count", "-4"}}); err == nil || !strings.Contains(err.Error(), "raids[0].count=-4 makes the scenario invalid") {
		t.Errorf("an invalid value: %v", err)
	}
	if c, err := st.WithSettings(nil); err != nil || c != st {
		t.Error("no settings should give the study itself")
	}
}

// A grid sweep runs every combination on common random numbers: the points that share a
// value of the field that matters give the same results.
func TestSweepGrid(t *testing.T) {
	st := loadSmall(t)
	pts, err := Grid([]Axis{{"fire_units[0].magazine.57e6", []string{"4", "12"}}, {"description", []string{"a", "b"}}}, false)
	if err != nil {
		t.Fatal(err)
	}
	res, _, err := Sweep(context.Background(), st, pts, Local{}, Options{Reps: Range{0, 6}}, SweepHooks{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 4 || res[1].Set[1].Value != "b" || !math.IsNaN(res[1].X[1]) || res[2].X[0] != 12 {
		t.Fatalf("points %+v", res)
	}
	same := func(a, b *Result) bool {
		return a.ValueLost == b.ValueLost && a.LeakRate == b.LeakRate && a.Interceptors.Mean == b.Interceptors.Mean
	}
	if !same(res[0].Result, res[1].Result) || !same(res[2].Result, res[3].Result) {
		t.Error("a field that changes nothing changed the results: the points do not share random numbers")
	}
	if res[2].Result.Interceptors.Mean.Est <= res[0].Result.Interceptors.Mean.Est {
		t.Error("a larger magazine fired no more interceptors")
	}
}

// An interrupted sweep keeps the points already complete.
func TestSweepInterruptedKeepsCompletePoints(t *testing.T) {
	st := loadSmall(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pts, _, err := Sweep(ctx, st, axis(t, "fire_units[0].magazine.57e6", "4", "8", "12"), Local{Workers: 1}, Options{Reps: Range{0, 8}},
		SweepHooks{Progress: func(point int, done uint64) {
			if point == 1 && done == 2 {
				cancel()
			}
		}})
	var in *Interrupted
	if !errors.As(err, &in) || !strings.Contains(err.Error(), "=8") {
		t.Fatalf("error %v, want an interruption at the second value", err)
	}
	if len(pts) != 1 || pts[0].Set[0].Value != "4" || pts[0].Result.Replications != 8 {
		t.Fatalf("kept %d points (%+v), want the first, complete", len(pts), pts)
	}
}

// An interrupted comparison compares the pairs complete so far.
func TestCompareInterruptedComparesCompletePairs(t *testing.T) {
	st := loadSmall(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, err := Compare(ctx, st, st, Local{Workers: 1}, Range{0, 12}, func(done uint64) {
		if done == 12+4 { // the fourth replication of B
			cancel()
		}
	})
	var in *Interrupted
	if !errors.As(err, &in) || c == nil {
		t.Fatalf("Compare: %v, comparison %v", err, c != nil)
	}
	if c.Replications < 4 || c.Replications >= 12 || !strings.Contains(err.Error(), "pairs") {
		t.Errorf("%d pairs compared, error %v", c.Replications, err)
	}
	// Interrupted while running A: nothing is paired, no comparison.
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	c, err = Compare(ctx2, st, st, Local{Workers: 1}, Range{0, 12}, func(done uint64) {
		if done == 2 {
			cancel2()
		}
	})
	if c != nil || !errors.As(err, &in) {
		t.Errorf("interrupted in A: comparison %v, error %v", c != nil, err)
	}
}

func TestCompareIdenticalAndDifferent(t *testing.T) {
	st := loadSmall(t)
	c, err := Compare(context.Background(), st, st, Local{}, Range{0, 10}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// No difference in any replication: the estimate 0 with p = 1, and the bound of what 10
	// replications cannot exclude (Paired.CIWithin), as P(at least one leaker) has its own.
	if w := Wilson(0, 10, Z95).Hi; c.ValueLost.Diff.Est != 0 || !near(c.ValueLost.Diff.Lo, -w*150, 1e-9) ||
		!near(c.ValueLost.Diff.Hi, w*150, 1e-9) || c.ValueLost.P != 1 || c.ValueLost.Test != "sign" || c.AnyLeak.P != 1 ||
		!near(c.AnyLeak.Diff.Hi, w, 1e-12) {
		t.Errorf("a scenario against itself: %+v %+v", c.ValueLost, c.AnyLeak)
	}
	more, err := st.With("fire_units[0].magazine.57e6", "12")
	if err != nil {
		t.Fatal(err)
	}
	c, err = Compare(context.Background(), st, more, Local{}, Range{0, 30}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Interceptors.Diff.Est <= 0 || !c.ValueLost.Significant() || c.ValueLost.Diff.Est >= 0 {
		t.Errorf("a bigger magazine: interceptors %+v, value lost %+v", c.Interceptors, c.ValueLost)
	}
	v := c.Verdict()
	if !strings.HasPrefix(v[0], "B loses ") || !strings.Contains(v[0], " less asset value than A (95 % CI), significant") {
		t.Errorf("verdict %q", v[0])
	}
	other := *st
	other.Seed++
	if _, err := Compare(context.Background(), st, &other, Local{}, Range{0, 2}, nil); err == nil {
		t.Error("different seeds were not refused")
	}
}

// TestSweepSteps: with Steps, each point after the first carries its paired comparison with
// the point before, which is exactly what Compare of the two points gives (same replications,
// same common random numbers); the first point has none. Resumed, run again without steps,
// with a value added, or over a point saved from another scenario, the sweep gives the same
// points and steps as one uninterrupted run. Under --until-ci the points stop at different counts, and a step pairs the replications
// both ran.
func TestSweepSteps(t *testing.T) {
	st := loadSmall(t)
	points := axis(t, "fire_units[0].magazine.57e6", "2", "4", "12")
	reps := Range{0, 12}
	res, _, err := Sweep(context.Background(), st, points, Local{Workers: 2}, Options{Reps: reps}, SweepHooks{Steps: true})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Step != nil || res[1].Step == nil || res[2].Step == nil {
		t.Fatalf("steps: %v %v %v; want none on the first point only", res[0].Step, res[1].Step, res[2].Step)
	}
	for i := 1; i < len(points); i++ {
		a, err := st.WithSettings(points[i-1])
		if err != nil {
			t.Fatal(err)
		}
		b, err := st.WithSettings(points[i])
		if err != nil {
			t.Fatal(err)
		}
		want, err := Compare(context.Background(), a, b, Local{Workers: 1}, reps, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := res[i].Step
		if !reflect.DeepEqual(got, want) {
			t.Errorf("step %d:\n got %+v\nwant %+v", i, got, want)
		}
	}
	if d := res[2].Step.Interceptors.Diff.Est; !(d > 0) {
		t.Errorf("a magazine of 12 instead of 4 fired %+v more interceptors", d)
	}
	// Resumed: the saved point takes its step from SavedSteps, and the point after it runs the
	// saved point's replications again to pair with: the steps of one uninterrupted sweep.
	file := &SweepFile{Points: res[:2]}
	saved := map[string]*Result{settingsText(points[0]): res[0].Result, settingsText(points[1]): res[1].Result}
	res2, reused, err := Sweep(context.Background(), st, points, Local{Workers: 2}, Options{Reps: reps},
		SweepHooks{Steps: true, Saved: saved, SavedSteps: file.SavedSteps()})
	if err != nil || reused != 2 || !reflect.DeepEqual(res2, res) {
		t.Errorf("resumed after two saved points: reused %d, err %v, steps %v %v, want %v %v", reused, err,
			res2[1].Step, res2[2].Step, res[1].Step, res[2].Step)
	}
	// Run again without Steps (for a plot of a metric with no paired form): the saved points
	// keep their saved steps, so that the file written next does not lose them.
	file = &SweepFile{Points: res}
	all := map[string]*Result{}
	for _, p := range res {
		all[settingsText(p.Set)] = p.Result
	}
	res2, reused, err = Sweep(context.Background(), st, points, Local{Workers: 2}, Options{Reps: reps},
		SweepHooks{Saved: all, SavedSteps: file.SavedSteps()})
	if err != nil || reused != 3 || !reflect.DeepEqual(res2, res) {
		t.Errorf("run again without steps: reused %d, err %v, steps %v %v, want %v %v", reused, err,
			res2[1].Step, res2[2].Step, res[1].Step, res[2].Step)
	}
	// A value added between two saved points: the point after it has no saved step from it
	// and is run again, so the sweep is still that of one uninterrupted run; the first point
	// is taken as saved, and the bar hears of it through Reused, not Progress.
	ends := [][]Setting{points[0], points[2]}
	short, _, err := Sweep(context.Background(), st, ends, Local{Workers: 2}, Options{Reps: reps}, SweepHooks{Steps: true})
	if err != nil {
		t.Fatal(err)
	}
	file = &SweepFile{Points: short}
	saved = map[string]*Result{settingsText(ends[0]): short[0].Result, settingsText(ends[1]): short[1].Result}
	var reusedAt []int
	res2, reused, err = Sweep(context.Background(), st, points, Local{Workers: 2}, Options{Reps: reps},
		SweepHooks{Steps: true, Saved: saved, SavedSteps: file.SavedSteps(), Reused: func(i int, n uint64) { reusedAt = append(reusedAt, i) },
			Progress: func(i int, _ uint64) {
				if i == 0 {
					t.Error("Progress for a point taken from Saved")
				}
			}})
	if err != nil || reused != 1 || !reflect.DeepEqual(reusedAt, []int{0}) || !reflect.DeepEqual(res2, res) {
		t.Errorf("a value added: reused %d at %v, err %v, steps %v %v, want %v %v", reused, reusedAt, err,
			res2[1].Step, res2[2].Step, res[1].Step, res[2].Step)
	}
	// A saved point of another scenario (its fingerprint differs) is named through Stale and
	// run again.
	other := *res[1].Result
	other.Fingerprint = "another scenario"
	var stale []string
	res2, reused, err = Sweep(context.Background(), st, points, Local{Workers: 2}, Options{Reps: reps},
		SweepHooks{Steps: true, Saved: map[string]*Result{settingsText(points[1]): &other},
			Stale: func(set []Setting) { stale = append(stale, settingsText(set)) }})
	if err != nil || reused != 0 || !reflect.DeepEqual(stale, []string{settingsText(points[1])}) || !reflect.DeepEqual(res2, res) {
		t.Errorf("a stale point: reused %d, stale %v, err %v", reused, stale, err)
	}
	// --until-ci: each point stops on its own; the step pairs the common replications.
	res3, _, err := Sweep(context.Background(), st, points, Local{Workers: 2},
		Options{Reps: Range{0, 40}, UntilCI: 0.12, CheckEvery: 4}, SweepHooks{Steps: true})
	if err != nil {
		t.Fatal(err)
	}
	if r := []int64{res3[0].Result.Replications, res3[1].Result.Replications, res3[2].Result.Replications}; r[0] == r[1] && r[1] == r[2] {
		t.Fatalf("until-ci: every point ran %d replications; the test needs points that stop apart", r[0])
	}
	for i := 1; i < len(res3); i++ {
		n := min(res3[i-1].Result.Replications, res3[i].Result.Replications)
		if s := res3[i].Step; s == nil || s.Replications != n {
			t.Errorf("until-ci step %d: %+v, want %d pairs", i, s, n)
		}
	}
}
