package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/adsim/adsim/scenario"
	"github.com/adsim/adsim/sim"
)

// defaultReachHeightsM are the target heights `adsim reach` lists without --heights-m (m above
// the ground): sea-skimming and low cruise missiles and drones, aircraft, ballistic end games.
var defaultReachHeightsM = []float64{10, 25, 50, 100, 300, 1000, 3000, 10000, 20000}

// defaultAntennaM is the fire-control radar's antenna height (m above the ground) of `adsim
// reach` without --antenna-m and without a fire unit of the class in the scenario: an
// assumption (a radar on its vehicle or a low mast). The catalog gives no antenna height, and
// a scenario's fire unit without height_agl_m or rooftop stands on the ground (0 m).
const defaultAntennaM = 10

// reachJSON is the --json output of `adsim reach` (docs/c2.md, "Engagement planning").
type reachJSON struct {
	// Scenario is the scenario whose catalog, earth and fire units were used; empty for the
	// default catalog at sea level.
	Scenario string `json:"scenario,omitempty"`
	// Rows are one per missile and target height, in the table's order.
	Rows []reachRowJSON `json:"rows"`
	// NoFlyout lists the missiles ("system/weapon") without flyout figures: C2 plans them with
	// their catalog range at every height, and they have no reach table.
	NoFlyout []string `json:"no_flyout,omitempty"`
	// FlightTimes are the shots of --tof-km: per missile, height and slant range, the
	// flyout's time against the one C2 plans with (absent without --tof-km).
	FlightTimes []flightTimeJSON `json:"flight_times,omitempty"`
	// antennaNote says where the antenna heights come from, for the table's last line.
	antennaNote string
}

// flightTimeJSON is one shot of --tof-km (sim.FlightTime in the output's units).
type flightTimeJSON struct {
	System  string  `json:"system"`
	Weapon  string  `json:"weapon"`
	HeightM float64 `json:"height_m"`
	RangeKm float64 `json:"range_km"`
	// Reached reports whether the reach table holds the point (C2 may plan a shot there).
	Reached bool `json:"reached"`
	// Result is how the flyout ended: detonate, self_destruct or ground_impact (no_point for
	// a slant range not beyond the height: nothing flown, the times 0); MissM the
	// closest approach of a detonation.
	Result string  `json:"result"`
	MissM  float64 `json:"miss_m"`
	// FlownS is the flyout's time to its end, PlannedS the time of flight C2 plans with
	// (from the reach table's flyouts, or ConstantS under c2.time_of_flight "constant"),
	// ConstantS the slant range over speed_mps.
	FlownS    float64 `json:"flown_s"`
	PlannedS  float64 `json:"planned_s"`
	ConstantS float64 `json:"constant_s"`
	// LoftDeg is the launch loft above the line to the target, Lofted whether it is steeper
	// than the catalog's loft law.
	LoftDeg float64 `json:"loft_deg"`
	Lofted  bool    `json:"lofted"`
}

// reachRowJSON is one missile at one target height.
type reachRowJSON struct {
	System string `json:"system"`
	Weapon string `json:"weapon"`
	// FireUnit is the scenario's fire unit whose radar the sight is measured from; empty for
	// a radar of the class's figures at AntennaM (--antenna-m, or no unit of the class).
	FireUnit string  `json:"fire_unit,omitempty"`
	AntennaM float64 `json:"antenna_m"`
	HeightM  float64 `json:"height_m"`
	// InEnvelope is false for a height outside the weapon's min_alt_m–max_alt_m: SpansKm,
	// LoftDeg, Lofted and EngageSpansKm are empty and EngageKm null.
	InEnvelope bool         `json:"in_envelope"`
	SpansKm    [][2]float64 `json:"spans_km"`
	// LoftDeg and Lofted are per span: the loft above the line to the target at its far
	// edge, and whether it is steeper than the catalog's loft law.
	LoftDeg []float64 `json:"loft_deg"`
	Lofted  []bool    `json:"lofted"`
	// SightKm is the nearest of HorizonKm, RadarRangeKm and ElevationKm; the last two are
	// null where they set no limit.
	SightKm      float64  `json:"sight_km"`
	HorizonKm    float64  `json:"horizon_km"`
	RadarRangeKm *float64 `json:"radar_range_km"`
	ElevationKm  *float64 `json:"elevation_km"`
	// EngageSpansKm are SpansKm from the weapon's min_range_km to SightKm; EngageKm is their
	// far edge (0 when none).
	EngageSpansKm [][2]float64 `json:"engage_spans_km"`
	EngageKm      *float64     `json:"engage_km"`
}

func newReachCmd(stdout io.Writer) *cobra.Command {
	var (
		system, weapon, heightsArg string
		tofArg                     string
		antenna                    float64
		asJSON                     bool
		sets                       []string
	)
	cmd := &cobra.Command{
		Use:   "reach [SCENARIO]",
		Short: "How far out each missile reaches a target at each height, and how far its radar sees it",
		Long: `For each missile of each system class (of the default catalog, or of SCENARIO's: a file or
the name of an embedded example), at each target height: the slant ranges its flyout reaches,
how far the fire unit's own radar sees a target at that height, and the smaller of the two.
It answers "how far out can an S-400 engage a cruise missile flying at 30 m?".

Columns:
  ANTENNA m   the fire-control radar's antenna height above the ground
  HEIGHT m    the target's height above the ground
  REACH km    the slant ranges from the launcher at which the missile, launched from the ground,
              hits a stationary target at that height with a tenth of its flight-time limit in
              hand: the reach table command and control plans with (docs/c2.md, "Engagement
              planning"). After each span, the loft at its far edge: "law" where the catalog's
              loft law (loft_deg scaled down with the range) reaches, "lofted" where fire
              control launches steeper because the law falls short. Ranges nearer than the
              height count as reached. "-": the height is outside the weapon's altitude
              envelope (min_alt_m to max_alt_m, 'adsim catalog').
  SIGHT km    how far the radar sees a target at that height: the radio horizon over the
              4/3 earth from the antenna, or "max" its instrumented range, or "elev" its
              lowest elevation (min_elevation_deg, or buildings around the site), whichever
              is nearer
  ENGAGE km   REACH from the weapon's min_range_km to SIGHT: where command and control may
              plan an intercept of a target the unit sees. An upper bound on how far out
              an incoming target is met: C2 fires at a track its radar sees, and the target
              flies on to the intercept point during the reaction time and the missile's
              flight (docs/c2.md)

The antenna is --antenna-m for every class; else, with SCENARIO, the highest antenna of its fire
units of the class (sited as the file says: height_agl_m or rooftop, surroundings, the site's
alt_m, the unit's radar overrides); else 10 m, an assumption (the catalog gives no antenna
height; a fire unit sited without one stands on the ground).

Without SCENARIO the launcher stands at sea level at the embedded examples' origin (40° N,
35° W); a run flies its tables over its scenario's origin and ground. At sea level the
latitude changes nothing the tables resolve (their edges are bisected to 0.08 % of the
maximum range), but on high ground the thinner air carries a missile farther (the 9M317M's
reach at 25 m grows from 55.6 to 62.3 km on a 1,500 m plateau): give the scenario to see the
tables its runs use.

--set changes SCENARIO's figures first, as in 'adsim run': what a steeper loft, a longer burn or
a heavier missile would reach (the catalog's figures: 'adsim catalog --paths').

--tof-km R1,R2,... also flies each missile at those slant ranges (km) at each height, with the
loft fire control launches with, and prints a second table: the flyout's time of flight (FLOWN
s), the one command and control plans with (PLANNED s: interpolated from the missile's own
flyouts, or the slant range over speed_mps under c2.time_of_flight: constant), their ratio
(planning is optimistic where it is above 1), the time at the catalog's constant speed_mps (AT
speed_mps s), and how the shot ended; "no such point" where the slant range is not beyond the
height (docs/c2.md, "Times of flight").

Guns have no flyout reach: their range and burst kill probability by range are in 'adsim
catalog'. --json prints the rows with the units in the field names (docs/c2.md, "Engagement
planning", which shows this table for the default scenario).`,
		Example: `  adsim reach
  adsim reach --system s400 --heights-m 30
  adsim reach capital --system pantsir-s1
  adsim reach --weapon 9m317m --heights-m 25,60,100 --antenna-m 100 --json
  adsim reach --system s400 --heights-m 30,3000 --tof-km 20,40,60
  adsim reach capital --weapon 48n6 --set 'catalog.systems[s400].weapons[48n6].loft_deg=45'`,
		Args: argCount(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			heights, err := parseReachHeights(heightsArg)
			if err != nil {
				return err
			}
			var tofKm []float64
			if cmd.Flags().Changed("tof-km") {
				if tofKm, err = parsePositives("--tof-km", tofArg, "range", "expected positive slant ranges in km separated by commas, e.g. 10,20,40"); err != nil {
					return err
				}
			}
			antennaSet := cmd.Flags().Changed("antenna-m")
			if antennaSet && !(antenna >= 0 && !math.IsInf(antenna, 0)) {
				return badInput(fmt.Errorf("--antenna-m %g: expected a height above the ground in metres, ≥ 0", antenna))
			}
			var s *scenario.Scenario
			var cat *scenario.Catalog
			if len(sets) > 0 && len(args) == 0 {
				return badInput(fmt.Errorf("--set %s: found no SCENARIO; expected one to set it in, e.g. 'adsim reach capital --set ...'", sets[0]))
			}
			if len(args) == 1 {
				if s, cat, err = loadScenario(args[0], sets); err != nil {
					return err
				}
			} else if cat, err = scenario.DefaultCatalog(); err != nil {
				return runError(err)
			}
			sel, err := selectReachWeapons(cat, system, weapon)
			if err != nil {
				return err
			}
			antennaM := -1.0
			if antennaSet {
				antennaM = antenna
			}
			out, err := measureReach(cat, s, sel, heights, antennaM)
			if err != nil {
				return runError(err)
			}
			if tofKm != nil {
				if out.FlightTimes, err = measureFlightTimes(cat, s, sel, heights, tofKm); err != nil {
					return runError(err)
				}
			}
			switch {
			case antennaSet:
				out.antennaNote = "from --antenna-m"
			case s != nil:
				out.antennaNote = fmt.Sprintf("the highest of the class's fire units, else %g m, an assumption", float64(defaultAntennaM))
			default:
				out.antennaNote = fmt.Sprintf("%g m, an assumption (--antenna-m)", float64(defaultAntennaM))
			}
			if s != nil {
				out.Scenario = args[0]
			}
			if asJSON {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			}
			return writeReach(stdout, out)
		},
	}
	f := cmd.Flags()
	f.StringVar(&system, "system", "", "only this system class (default: all)")
	f.StringVar(&weapon, "weapon", "", "only this missile (of --system, or of any class)")
	f.StringVar(&heightsArg, "heights-m", formatHeights(defaultReachHeightsM), "target heights above the ground, m, separated by commas")
	f.StringVar(&tofArg, "tof-km", "", "also fly each missile at these slant ranges, km, separated by commas, and print its time of flight against the one C2 plans with (docs/c2.md)")
	f.Float64Var(&antenna, "antenna-m", 0, "the fire-control radar's antenna height above the ground, m, for every class (default: the scenario's fire units', else 10)")
	f.BoolVar(&asJSON, "json", false, "print the rows as JSON (docs/c2.md)")
	f.StringArrayVar(&sets, "set", nil, "PATH=VALUE: set a field of SCENARIO first, e.g. 'catalog.systems[s400].weapons[48n6].loft_deg=45' (repeatable; paths as in 'adsim sweep')")
	return cmd
}

// formatHeights writes heights as --heights-m takes them.
func formatHeights(hs []float64) string {
	var parts []string
	for _, h := range hs {
		parts = append(parts, strconv.FormatFloat(h, 'g', -1, 64))
	}
	return strings.Join(parts, ",")
}

// parseReachHeights reads --heights-m: positive numbers of metres separated by commas.
func parseReachHeights(arg string) ([]float64, error) {
	return parsePositives("--heights-m", arg, "height", "expected positive heights above the ground in metres separated by commas, e.g. 25,50,100")
}

// parsePositives reads the value arg of flag: positive numbers separated by commas; noun names
// one and want says what is expected, for the errors.
func parsePositives(flag, arg, noun, want string) ([]float64, error) {
	var vs []float64
	for _, p := range strings.Split(arg, ",") {
		p = strings.TrimSpace(p)
		v, err := strconv.ParseFloat(p, 64)
		switch {
		case p == "":
			return nil, badInput(fmt.Errorf("%s %q: found an empty %s; %s", flag, arg, noun, want))
		case err != nil:
			return nil, badInput(fmt.Errorf("%s %q: found %q, not a number; %s", flag, arg, p, want))
		case !(v > 0) || math.IsInf(v, 0):
			return nil, badInput(fmt.Errorf("%s %q: found %s, not a positive %s; %s", flag, arg, p, noun, want))
		}
		vs = append(vs, v)
	}
	return vs, nil
}

// measureFlightTimes flies the selected missiles with flyout figures at each height and slant
// range (km) of --tof-km.
func measureFlightTimes(cat *scenario.Catalog, s *scenario.Scenario, sel []reachWeapon, heights, rangesKm []float64) ([]flightTimeJSON, error) {
	ranges := make([]float64, len(rangesKm))
	for i, r := range rangesKm {
		ranges[i] = 1000 * r
	}
	out := []flightTimeJSON{}
	for _, w := range sel {
		if !w.flyout {
			continue
		}
		fts, err := sim.MissileFlightTimes(cat, s, w.system, w.weapon, heights, ranges)
		if err != nil {
			return nil, err
		}
		for _, ft := range fts {
			out = append(out, flightTimeJSON{System: w.system, Weapon: w.weapon, HeightM: ft.Height, RangeKm: ft.Range / 1000,
				Reached: ft.Reached, Result: ft.Result, MissM: ft.Miss, FlownS: ft.Seconds, PlannedS: ft.Planned, ConstantS: ft.Constant,
				LoftDeg: math.Round(ft.Loft*180/math.Pi*1e6) / 1e6, Lofted: !ft.Law})
		}
	}
	return out, nil
}

// reachWeapon is a missile `adsim reach` lists.
type reachWeapon struct {
	system, weapon string
	flyout         bool // has flyout figures, hence a reach table
}

// selectReachWeapons returns the missiles of cat that --system and --weapon select, in catalog
// order; a selection that names a class or weapon that does not exist, a gun, or a missile
// without flyout figures, or that holds no missile, is bad input.
func selectReachWeapons(cat *scenario.Catalog, system, weapon string) ([]reachWeapon, error) {
	if system != "" {
		if _, ok := cat.System(system); !ok {
			return nil, badInput(fmt.Errorf("--system %s: no such system class; expected one of %s", system, strings.Join(cat.SystemIDs(), ", ")))
		}
	}
	var sel, missiles, found []reachWeapon
	var foundKind string
	for i := range cat.Systems {
		sc := &cat.Systems[i]
		if system != "" && sc.ID != system {
			continue
		}
		for j := range sc.Weapons {
			wp := &sc.Weapons[j]
			rw := reachWeapon{system: sc.ID, weapon: wp.ID, flyout: wp.HasFlyout()}
			if wp.Kind == scenario.KindMissile {
				missiles = append(missiles, rw)
			}
			if weapon != "" && wp.ID != weapon {
				continue
			}
			if weapon != "" {
				found, foundKind = append(found, rw), wp.Kind
			}
			if wp.Kind == scenario.KindMissile {
				sel = append(sel, rw)
			}
		}
	}
	var names []string
	for _, m := range missiles {
		names = append(names, m.system+"/"+m.weapon)
	}
	of := ""
	if system != "" {
		of = " of " + system
	}
	switch {
	case weapon != "" && len(found) == 0:
		return nil, badInput(fmt.Errorf("--weapon %s: no such weapon%s; expected a missile: %s", weapon, of, orNone(names)))
	case weapon != "" && len(sel) == 0:
		return nil, badInput(fmt.Errorf("--weapon %s: %s/%s is a %s, which has no flyout reach (its range and burst kill probability by range: 'adsim catalog'); expected a missile%s: %s",
			weapon, found[0].system, found[0].weapon, foundKind, of, orNone(names)))
	case weapon != "":
		for _, w := range sel {
			if !w.flyout {
				return nil, badInput(fmt.Errorf("--weapon %s: %s/%s has no flyout figures (boost_thrust_n, mass_launch_kg, ...: docs/scenario.md), so no reach table: it flies the first-fidelity model, and C2 plans it with its catalog range at every height; expected a missile with flyout figures",
					weapon, w.system, w.weapon))
			}
		}
	case len(sel) == 0 && system != "":
		var with []string
		for _, sc := range cat.Systems {
			if slices.ContainsFunc(sc.Weapons, func(w scenario.Weapon) bool { return w.Kind == scenario.KindMissile }) {
				with = append(with, sc.ID)
			}
		}
		return nil, badInput(fmt.Errorf("--system %s: a class without a missile (its weapons: 'adsim catalog'); expected one with a missile: %s", system, orNone(with)))
	case len(sel) == 0:
		return nil, badInput(errors.New("the catalog has no missile; expected one (a scenario's catalog section may add classes: docs/scenario.md)"))
	}
	return sel, nil
}

// orNone joins names, or says there are none.
func orNone(names []string) string {
	if len(names) == 0 {
		return "the catalog has none"
	}
	return strings.Join(names, ", ")
}

// reachUnit returns the fire unit whose radar `adsim reach` measures the sight of class
// system from: a radar of the class's figures at antennaM (≥ 0), else the scenario's unit
// of the class with the highest antenna, else one at defaultAntennaM.
func reachUnit(cat *scenario.Catalog, s *scenario.Scenario, system string, antennaM float64) (*scenario.FireUnit, error) {
	virtual := &scenario.FireUnit{Class: system, Siting: scenario.Siting{HeightAGLM: antennaM}}
	if antennaM >= 0 {
		return virtual, nil
	}
	virtual.HeightAGLM = defaultAntennaM
	if s == nil {
		return virtual, nil
	}
	var best *scenario.FireUnit
	high := math.Inf(-1)
	for i := range s.FireUnits {
		fu := &s.FireUnits[i]
		if fu.Class != system {
			continue
		}
		sight, err := sim.FireUnitSight(cat, s, fu, 0)
		if err != nil {
			return nil, err
		}
		if sight.Antenna > high {
			best, high = fu, sight.Antenna
		}
	}
	if best == nil {
		return virtual, nil
	}
	return best, nil
}

// measureReach flies the reach tables of the selected missiles and measures their units' sight
// at each height (antennaM < 0: no --antenna-m).
func measureReach(cat *scenario.Catalog, s *scenario.Scenario, sel []reachWeapon, heights []float64, antennaM float64) (*reachJSON, error) {
	out := &reachJSON{Rows: []reachRowJSON{}}
	for _, w := range sel {
		if !w.flyout {
			out.NoFlyout = append(out.NoFlyout, w.system+"/"+w.weapon)
			continue
		}
		fu, err := reachUnit(cat, s, w.system, antennaM)
		if err != nil {
			return nil, err
		}
		rows, err := sim.MissileReach(cat, s, w.system, w.weapon, heights)
		if err != nil {
			return nil, err
		}
		sc, _ := cat.System(w.system)
		wp, _ := sc.Weapon(w.weapon)
		minR := 1000 * wp.MinRangeKm.Value
		for _, r := range rows {
			sight, err := sim.FireUnitSight(cat, s, fu, r.Height)
			if err != nil {
				return nil, err
			}
			out.Rows = append(out.Rows, reachRow(w, fu, r, sight, minR))
		}
	}
	return out, nil
}

// reachRow converts one height's reach and sight to the output's units, with the weapon's
// minimum range minR (m).
func reachRow(w reachWeapon, fu *scenario.FireUnit, r sim.ReachRow, sight sim.Sight, minR float64) reachRowJSON {
	km := func(m float64) float64 { return m / 1000 }
	finite := func(m float64) *float64 {
		if math.IsInf(m, 1) {
			return nil
		}
		v := km(m)
		return &v
	}
	row := reachRowJSON{System: w.system, Weapon: w.weapon, FireUnit: fu.ID, AntennaM: sight.Antenna,
		HeightM: r.Height, InEnvelope: r.InEnvelope, SpansKm: [][2]float64{}, LoftDeg: []float64{}, Lofted: []bool{},
		SightKm: km(sight.Range), HorizonKm: km(sight.Horizon), RadarRangeKm: finite(sight.MaxRange),
		ElevationKm: finite(sight.Elevation), EngageSpansKm: [][2]float64{}}
	far := 0.0
	for _, sp := range r.Spans {
		row.SpansKm = append(row.SpansKm, [2]float64{km(sp.From), km(sp.To)})
		row.LoftDeg = append(row.LoftDeg, math.Round(sp.Loft*180/math.Pi*1e6)/1e6) // 60, not 59.99999999999999
		row.Lofted = append(row.Lofted, !sp.Law)
		if lo, hi := math.Max(sp.From, minR), math.Min(sp.To, sight.Range); lo <= hi {
			row.EngageSpansKm = append(row.EngageSpansKm, [2]float64{km(lo), km(hi)})
			far = km(hi)
		}
	}
	if r.InEnvelope {
		row.EngageKm = &far
	}
	return row
}

// writeReach prints the rows as a table, the system and weapon on the first row of each.
func writeReach(w io.Writer, out *reachJSON) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SYSTEM\tANTENNA m\tWEAPON\tHEIGHT m\tREACH km (loft at the far edge)\tSIGHT km\tENGAGE km")
	for i, r := range out.Rows {
		sys, ant, wp := "", "", ""
		if i == 0 || r.System != out.Rows[i-1].System {
			sys = r.System
			ant = strconv.FormatFloat(math.Round(r.AntennaM*10)/10, 'f', -1, 64)
			if r.FireUnit != "" {
				ant += " (" + r.FireUnit + ")"
			}
		}
		if sys != "" || r.Weapon != out.Rows[i-1].Weapon {
			wp = r.Weapon
		}
		reach, engage := "-", "-"
		if r.InEnvelope {
			var parts []string
			for k, sp := range r.SpansKm {
				loft := "law"
				if r.Lofted[k] {
					loft = "lofted"
				}
				parts = append(parts, fmt.Sprintf("%s–%s (%s %.0f°)", kmText(sp[0]), kmText(sp[1]), loft, r.LoftDeg[k]))
			}
			reach = orText(strings.Join(parts, ", "), "none")
			parts = parts[:0]
			for _, sp := range r.EngageSpansKm {
				parts = append(parts, kmText(sp[0])+"–"+kmText(sp[1]))
			}
			engage = orText(strings.Join(parts, ", "), "none")
		}
		sight := kmText(r.SightKm)
		switch {
		case r.RadarRangeKm != nil && r.SightKm == *r.RadarRangeKm && r.SightKm < r.HorizonKm:
			sight += " max"
		case r.ElevationKm != nil && r.SightKm == *r.ElevationKm && r.SightKm < r.HorizonKm:
			sight += " elev"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", sys, ant, wp, strconv.FormatFloat(r.HeightM, 'g', -1, 64), reach, sight, engage)
	}
	where := "default catalog, launchers at sea level at 40° N 35° W"
	if out.Scenario != "" {
		where = "the catalog, earth and fire units of " + out.Scenario
	}
	fmt.Fprintf(tw, "%s; antenna %s; ENGAGE: REACH from the minimum range to SIGHT; the columns: adsim reach --help\n", where, out.antennaNote)
	if len(out.NoFlyout) > 0 {
		fmt.Fprintf(tw, "no flyout figures, so no reach table: %s (the first-fidelity model: C2 plans with the catalog range at every height)\n", strings.Join(out.NoFlyout, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if out.FlightTimes == nil {
		return nil
	}
	return writeFlightTimes(w, out.FlightTimes)
}

// writeFlightTimes prints the shots of --tof-km as a second table.
func writeFlightTimes(w io.Writer, fts []flightTimeJSON) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nSYSTEM\tWEAPON\tHEIGHT m\tRANGE km\tFLOWN s\tPLANNED s\tFLOWN ÷ PLANNED\tAT speed_mps s\tSHOT (loft)")
	for i, ft := range fts {
		sys, wp := "", ""
		if i == 0 || ft.System != fts[i-1].System || ft.Weapon != fts[i-1].Weapon {
			sys, wp = ft.System, ft.Weapon
		}
		h, r := strconv.FormatFloat(ft.HeightM, 'g', -1, 64), strconv.FormatFloat(ft.RangeKm, 'g', -1, 64)
		if ft.Result == "no_point" {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t-\t-\t-\t-\tno such point: the slant range is not beyond the height\n", sys, wp, h, r)
			continue
		}
		loft := "law"
		if ft.Lofted {
			loft = "lofted"
		}
		shot := fmt.Sprintf("%s (%s %.0f°)", ft.Result, loft, ft.LoftDeg)
		if ft.Result == "detonate" {
			shot = fmt.Sprintf("detonate, miss %.1f m (%s %.0f°)", ft.MissM, loft, ft.LoftDeg)
		}
		if !ft.Reached {
			shot += ", beyond the reach"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.1f\t%.1f\t%.2f\t%.1f\t%s\n", sys, wp, h, r,
			ft.FlownS, ft.PlannedS, ft.FlownS/ft.PlannedS, ft.ConstantS, shot)
	}
	fmt.Fprintln(tw, "a shot from the ground at a stationary target, with the loft fire control launches with; PLANNED: the time of flight C2 plans with, interpolated from the missile's flyouts (c2.time_of_flight); AT speed_mps: the slant range over the catalog's planning speed (docs/c2.md, \"Times of flight\")")
	return tw.Flush()
}

// kmText writes a distance in km to 0.1 km, without a trailing ".0".
func kmText(km float64) string {
	return strconv.FormatFloat(math.Round(km*10)/10, 'f', -1, 64)
}

// orText is s, or alt when s is empty.
func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
