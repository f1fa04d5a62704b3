package scenario

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/adsim/adsim/radar"
)

// validator runs the semantic checks on decoded values, reporting at the positions the
// decoder recorded.
type validator struct {
	d       *decoder
	threats int // threats launched by the raids checked so far (MaxThreats)
}

// present reports whether path was given in the file and decoded without error.
func (v *validator) present(path string) bool { return v.d.ix.has(path) && !v.d.bad[path] }

// given reports whether path was written in the file at all.
func (v *validator) given(path string) bool { return v.d.ix.has(path) }

// fail reports an error about path at its position.
func (v *validator) fail(path, found, expected, hint string) {
	v.d.add(v.d.ix.at(path), path, found, expected, hint)
}

// MinFrameStepS and MinScanPeriodS bound the engine's frame step and radars' scan periods
// from below (s): a run of 2,400 s at 0.01 s is already 240,000 frames, and a radar due more
// often than its frame scans several times within it, at the same instant; smaller values
// would only make a run that does not end. MaxThreats bounds the threats a scenario launches.
// MaxDurationS bounds duration_s: a week is 1.2 million frames at the default 0.5 s; much
// longer runs would not end (a raid launched late is waited for frame by frame), and beyond
// about 10¹⁸ s the frame count no longer fits an integer, which ran no frame at all.
const (
	MinFrameStepS  = 0.01
	MinScanPeriodS = 0.01
	MaxThreats     = 100000
	MaxDurationS   = 7 * 24 * 3600
)

// scanPeriodFloor is what a scan period below MinScanPeriodS is told: expected, and the hint.
func scanPeriodFloor() (expected, hint string) {
	return fmt.Sprintf("a period ≥ %g", MinScanPeriodS),
		fmt.Sprintf("adsim models radars that look at a target at most %g times a second", 1/MinScanPeriodS)
}

// num formats a number for messages.
func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// Range predicates with the text that describes them.
func positive(x float64) bool       { return x > 0 }
func scanPeriod(x float64) bool     { return x >= MinScanPeriodS }
func nonNegative(x float64) bool    { return x >= 0 }
func probOpen(x float64) bool       { return x > 0 && x < 1 }
func probClosed(x float64) bool     { return x >= 0 && x <= 1 }
func pfaRange(x float64) bool       { return x > 0 && x <= 0.1 }
func elevationRange(x float64) bool { return x >= -10 && x <= 90 }

// check reports path when it is present and its value x fails ok.
func (v *validator) check(path string, x float64, ok func(float64) bool, expected, hint string) {
	if v.present(path) && !ok(x) {
		v.fail(path, num(x), expected+unitSuffix(lastName(path)), hint)
	}
}

// need reports path as missing when it was not written.
func (v *validator) need(path, expected string) {
	if !v.given(path) {
		name := lastName(path)
		v.d.add(v.d.ix.at(path), path, fmt.Sprintf("no %q", name),
			fmt.Sprintf("the required field %q: %s%s", name, expected, unitSuffix(name)),
			"adsim has no default for physical figures")
	}
}

// point checks a geodetic position.
func (v *validator) point(path string, p Point) {
	v.check(joinPath(path, "lat_deg"), p.LatDeg, func(x float64) bool { return x >= -90 && x <= 90 },
		"a latitude in [-90, 90]", "")
	v.check(joinPath(path, "lon_deg"), p.LonDeg, func(x float64) bool { return x >= -180 && x <= 180 },
		"a longitude in [-180, 180]", "")
}

// scenario checks a decoded scenario against the effective catalog cat.
func (v *validator) scenario(s *Scenario, cat *Catalog) {
	if v.present("version") && s.Version != 1 {
		v.fail("version", strconv.Itoa(s.Version), "1", "this adsim reads scenario format version 1")
	}
	if v.present("name") && strings.TrimSpace(s.Name) == "" {
		v.fail("name", "empty text", "a non-empty name", "")
	}
	v.check("duration_s", s.DurationS, positive, "a positive duration", "")
	v.check("duration_s", s.DurationS, func(x float64) bool { return x <= MaxDurationS },
		fmt.Sprintf("a duration of at most a week, %d", MaxDurationS), "the run stops by itself once the raid is over")
	v.check("frame_step_s", s.FrameStepS, func(x float64) bool { return x >= MinFrameStepS && x <= 10 },
		fmt.Sprintf("a frame step in [%g, 10]", MinFrameStepS), fmt.Sprintf("leave it out for the default %g s", DefaultFrameStepS))
	if s.Origin != nil {
		v.point("origin", *s.Origin)
	}
	v.c2(&s.C2)

	ids := newIDs(v)
	assets := map[string]bool{}
	for i, a := range s.Assets {
		p := indexPath("assets", i)
		ids.add(p, a.ID, "asset")
		assets[a.ID] = true
		v.point(p, a.Point)
		v.check(p+".value", a.Value, positive, "a positive value", "values are relative weights, such as 1 to 100")
		v.check(p+".hardness_kg", a.HardnessKg, positive, "a positive warhead mass", "")
		v.check(p+".radius_m", a.RadiusM, nonNegative, "a radius ≥ 0", "")
	}
	for i := range s.Sensors {
		sn := &s.Sensors[i]
		p := indexPath("sensors", i)
		ids.add(p, sn.ID, "sensor")
		v.point(p, sn.Point)
		v.siting(p, &sn.Siting)
		v.radar(p, &sn.RadarSpec, nil)
		v.falseAlarms(p, &sn.RadarSpec, nil)
	}
	for i := range s.FireUnits {
		v.fireUnit(indexPath("fire_units", i), &s.FireUnits[i], cat, ids)
	}
	for i := range s.Raids {
		v.raid(indexPath("raids", i), &s.Raids[i], s, cat, ids, assets)
	}
	if s.Catalog != nil {
		v.catalog(s.Catalog, "catalog", false)
	}
}

// c2 checks the command-and-control settings.
func (v *validator) c2(c *C2) {
	doctrines := []string{"shoot-look-shoot", "salvo"}
	if v.present("c2.doctrine") && c.Doctrine != "" && !contains(doctrines, c.Doctrine) {
		v.fail("c2.doctrine", strconv.Quote(c.Doctrine), `"shoot-look-shoot" or "salvo"`,
			valueHint(c.Doctrine, doctrines))
	}
	v.check("c2.salvo", float64(c.Salvo), nonNegative, "a number of interceptors ≥ 0", "")
	v.check("c2.decision_period_s", c.DecisionPeriodS, nonNegative, "a period ≥ 0", "")
	v.check("c2.confirm_hits", float64(c.ConfirmHits), func(x float64) bool { return x >= 0 && x <= 63 },
		"a number of detections in [0, 63]", "a track is confirmed by confirm_hits of confirm_hits + 1 looks, and the tracker keeps 64 looks")
	v.check("c2.drop_after_s", c.DropAfterS, nonNegative, "a time ≥ 0", "")
	methods := []string{"wta", "greedy", "nearest"}
	if v.present("c2.assignment") && c.Assignment != "" && !contains(methods, c.Assignment) {
		v.fail("c2.assignment", strconv.Quote(c.Assignment), `"wta", "greedy" or "nearest"`,
			valueHint(c.Assignment, methods))
	}
	v.check("c2.max_per_track", float64(c.MaxPerTrack), func(x float64) bool { return x >= 0 && x <= MaxPerTrackLimit },
		fmt.Sprintf("a number of fire units in [0, %d]", MaxPerTrackLimit), "0 or 1: one engagement of a track at a time")
	v.categories("c2.max_per_track_categories", c.MaxPerTrackCategories)
	pictures := []string{PictureTracked, PicturePerfect}
	if v.present("c2.picture") && c.Picture != "" && !contains(pictures, c.Picture) {
		v.fail("c2.picture", strconv.Quote(c.Picture), `"tracked" or "perfect"`,
			valueHint(c.Picture, pictures))
	}
	v.categories("c2.perfect_categories", c.PerfectCategories)
	if c.Picture == PicturePerfect && len(c.PerfectCategories) > 0 && !v.d.bad["c2.perfect_categories"] {
		v.fail("c2.perfect_categories", "a list with c2.picture perfect", "it only with the tracked picture",
			"the perfect picture is perfect for every category already; leave one of the two out")
	}
	tofs := []string{TimeOfFlightFlyout, TimeOfFlightConstant}
	if v.present("c2.time_of_flight") && c.TimeOfFlight != "" && !contains(tofs, c.TimeOfFlight) {
		v.fail("c2.time_of_flight", strconv.Quote(c.TimeOfFlight), `"flyout" or "constant"`,
			valueHint(c.TimeOfFlight, tofs))
	}
	v.check("c2.layer_margin_s", c.LayerMarginS, nonNegative, "a time ≥ 0", "")
	v.check("c2.reserve", c.Reserve, func(x float64) bool { return x >= 0 && x < 1 }, "a share in [0, 1)", "")
	v.check("c2.high_value", c.HighValue, nonNegative, "a value ≥ 0", "")
	v.check("c2.cheap_usd", c.CheapUSD, nonNegative, "a cost ≥ 0", "")
	if c.GunOpenFirePk != nil {
		v.check("c2.gun_open_fire_pk", *c.GunOpenFirePk, func(x float64) bool { return x >= 0 && x < 1 },
			"a probability in [0, 1)", "0 opens fire at the gun's maximum range")
	}
}

// categories checks a list of threat categories at path: each known, and each once.
func (v *validator) categories(path string, list []string) {
	categories := []string{CategoryDrone, CategoryCruiseMissile, CategoryBallisticMissile, CategoryAircraft}
	seen := map[string]bool{}
	for i, c := range list {
		cp := indexPath(path, i)
		switch {
		case v.d.bad[cp]:
		case !contains(categories, c):
			hint := valueHint(c, categories)
			if hint == "" {
				hint = "categories: " + strings.Join(categories, ", ")
			}
			v.fail(cp, strconv.Quote(c), "drone, cruise_missile, ballistic_missile or aircraft", hint)
		case seen[c]:
			v.fail(cp, fmt.Sprintf("%q again", c), "each category once", "")
		}
		seen[c] = true
	}
}

// siting checks the installation of a sensor or fire unit at path.
func (v *validator) siting(path string, st *Siting) {
	h := joinPath(path, "height_agl_m")
	v.check(h, st.HeightAGLM, nonNegative, "a height ≥ 0", "")
	if st.Rooftop != nil {
		r := joinPath(path, "rooftop")
		if v.given(h) {
			later := r
			if a, b := v.d.ix.at(h), v.d.ix.at(r); a.line > b.line || a.line == b.line && a.col > b.col {
				later = h
			}
			v.fail(later, "both height_agl_m and rooftop", "one of them",
				"on a building use rooftop {building_height_m, mast_m}; on the ground use height_agl_m")
		}
		v.check(r+".building_height_m", st.Rooftop.BuildingHeightM, positive, "a positive building height", "")
		v.check(r+".mast_m", st.Rooftop.MastM, nonNegative, "a mast height ≥ 0", "")
	}
	if st.Surroundings != nil {
		r := joinPath(path, "surroundings")
		v.check(r+".building_height_m", st.Surroundings.BuildingHeightM, positive, "a positive building height", "")
		v.check(r+".distance_m", st.Surroundings.DistanceM, positive, "a positive distance", "")
	}
}

// radar checks a radar specification at path. For a stand-alone sensor (class == nil) the
// range, reference RCS and scan period are required; for a fire-unit override (class set)
// every field is optional and the elevation limits are compared with the class's.
func (v *validator) radar(path string, r *RadarSpec, class *RadarFigures) {
	f := func(name string) string { return joinPath(path, name) }
	if class == nil {
		v.need(f("ref_range_km"), "a positive number")
		v.need(f("ref_rcs_m2"), "a positive number")
		v.need(f("scan_period_s"), "a positive number")
	}
	v.check(f("ref_range_km"), r.RefRangeKm, positive, "a positive range", "")
	v.check(f("ref_rcs_m2"), r.RefRCSM2, positive, "a positive radar cross-section", "")
	v.check(f("ref_pd"), r.RefPd, probOpen, "a probability in (0, 1)", "")
	v.check(f("pfa"), r.Pfa, pfaRange, "a false-alarm probability in (0, 0.1]", "typical values are 1e-6 to 1e-4")
	v.check(f("max_range_km"), r.MaxRangeKm, positive, "a positive range", "")
	v.check(f("scan_period_s"), r.ScanPeriodS, positive, "a positive period", "")
	if r.ScanPeriodS > 0 {
		expected, hint := scanPeriodFloor()
		v.check(f("scan_period_s"), r.ScanPeriodS, scanPeriod, expected, hint)
	}
	v.check(f("sigma_range_m"), r.SigmaRangeM, nonNegative, "a standard deviation ≥ 0", "")
	v.check(f("sigma_azimuth_deg"), r.SigmaAzimuthDeg, nonNegative, "a standard deviation ≥ 0", "")
	v.check(f("sigma_elevation_deg"), r.SigmaElevationDeg, nonNegative, "a standard deviation ≥ 0", "")
	minOK, maxOK := true, true
	if r.MinElevationDeg != nil {
		minOK = v.present(f("min_elevation_deg")) && elevationRange(*r.MinElevationDeg)
		v.check(f("min_elevation_deg"), *r.MinElevationDeg, elevationRange, "an elevation in [-10, 90]", "")
	}
	if r.MaxElevationDeg != nil {
		maxOK = v.present(f("max_elevation_deg")) && elevationRange(*r.MaxElevationDeg)
		v.check(f("max_elevation_deg"), *r.MaxElevationDeg, elevationRange, "an elevation in [-10, 90]", "")
	}
	if !minOK || !maxOK {
		return
	}
	lo, hi, haveLo, haveHi := 0.0, 0.0, false, false
	if r.MinElevationDeg != nil {
		lo, haveLo = *r.MinElevationDeg, true
	} else if class != nil {
		lo, haveLo = class.MinElevationDeg.Value, true
	}
	if r.MaxElevationDeg != nil {
		hi, haveHi = *r.MaxElevationDeg, true
	} else if class != nil {
		hi, haveHi = class.MaxElevationDeg.Value, true
	}
	if haveLo && haveHi && lo >= hi && (r.MinElevationDeg != nil || r.MaxElevationDeg != nil) {
		at := f("max_elevation_deg")
		if r.MaxElevationDeg == nil {
			at = f("min_elevation_deg")
		}
		v.fail(at, fmt.Sprintf("min_elevation_deg %s ≥ max_elevation_deg %s", num(lo), num(hi)),
			"min_elevation_deg < max_elevation_deg", "")
	}
}

// falseAlarms checks that a radar makes at most radar.MaxFalseAlarmMean false alarms a scan
// on average, with the figures the engine will use: the spec's, else the class's (class may be
// nil), else radar.DefaultPfa. Figures out of their own ranges were reported already.
func (v *validator) falseAlarms(path string, spec *RadarSpec, class *RadarFigures) {
	var c RadarFigures
	if class != nil {
		c = *class
	}
	pick := func(x float64, f Figure) float64 {
		if x != 0 || class == nil {
			return x
		}
		return f.Value
	}
	pfa := pick(spec.Pfa, c.Pfa)
	if pfa == 0 {
		pfa = radar.DefaultPfa
	}
	maxR, refR := pick(spec.MaxRangeKm, c.MaxRangeKm), pick(spec.RefRangeKm, c.RefRangeKm)
	if !(pfaRange(pfa) && maxR >= 0 && refR > 0) || math.IsInf(maxR, 0) || math.IsInf(refR, 0) {
		return
	}
	coverage := radar.FalseAlarmCoverage(1000*maxR, 1000*refR)
	mean := radar.FalseAlarmMean(pfa, coverage)
	if mean <= radar.MaxFalseAlarmMean {
		return
	}
	at := path
	for _, f := range []string{"pfa", "max_range_km", "ref_range_km"} {
		if v.given(joinPath(path, f)) {
			at = joinPath(path, f)
			break
		}
	}
	cells := mean / pfa
	v.fail(at, fmt.Sprintf("pfa %s over %.3g range-azimuth cells out to %s km, %.0f false alarms a scan", num(pfa), cells, num(coverage/1000), mean),
		fmt.Sprintf("at most %d false alarms a scan", radar.MaxFalseAlarmMean),
		fmt.Sprintf("lower pfa to %.2g or less here (typical values are 1e-6 to 1e-4), or max_range_km", radar.MaxFalseAlarmMean/cells))
}

// fireUnit checks a fire unit against the catalog.
func (v *validator) fireUnit(p string, fu *FireUnit, cat *Catalog, ids *idSet) {
	ids.add(p, fu.ID, "fire unit")
	v.point(p, fu.Point)
	v.siting(p, &fu.Siting)
	class, ok := cat.System(fu.Class)
	if !ok && v.present(p+".class") {
		hint := idHint(fu.Class, cat.SystemIDs())
		if _, isThreat := cat.Threat(fu.Class); isThreat {
			hint = fmt.Sprintf("%q is a threat class; fire units use system classes; %s", fu.Class, hint)
		}
		v.fail(p+".class", strconv.Quote(fu.Class), "a system class of the catalog", hint)
	}
	v.check(p+".fire_channels", float64(fu.FireChannels), nonNegative, "a number of channels ≥ 0", "")
	v.check(p+".reaction_time_s", fu.ReactionTimeS, nonNegative, "a time ≥ 0", "")
	keys := make([]string, 0, len(fu.Magazine))
	for k := range fu.Magazine {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kp := p + ".magazine." + k
		v.check(kp, float64(fu.Magazine[k]), nonNegative, "a number of rounds ≥ 0", "")
		if ok {
			if _, isWeapon := class.Weapon(k); !isWeapon {
				weapons := make([]string, len(class.Weapons))
				for i, w := range class.Weapons {
					weapons[i] = w.ID
				}
				v.fail(kp, fmt.Sprintf("weapon %q", k), fmt.Sprintf("a weapon of class %q", fu.Class),
					idHint(k, weapons))
			}
		}
	}
	v.categories(p+".engage_categories", fu.EngageCategories)
	if fu.Radar != nil {
		var rf *RadarFigures
		if ok {
			rf = &class.Radar
		} else {
			rf = &RadarFigures{MinElevationDeg: Figure{Value: -10}, MaxElevationDeg: Figure{Value: 90}}
		}
		v.radar(p+".radar", fu.Radar, rf)
		if ok {
			v.falseAlarms(p+".radar", fu.Radar, &class.Radar)
		}
	}
}

// raid checks a raid.
func (v *validator) raid(p string, r *Raid, s *Scenario, cat *Catalog, ids *idSet, assets map[string]bool) {
	ids.add(p, r.ID, "raid")
	class, ok := cat.Threat(r.Class)
	if !ok && v.present(p+".class") {
		hint := idHint(r.Class, cat.ThreatIDs())
		if _, isSystem := cat.System(r.Class); isSystem {
			hint = fmt.Sprintf("%q is a system class; raids use threat classes; %s", r.Class, hint)
		}
		v.fail(p+".class", strconv.Quote(r.Class), "a threat class of the catalog", hint)
	}
	if v.present(p+".count") && r.Count < 1 {
		v.fail(p+".count", strconv.Itoa(r.Count), "at least 1 threat", "an empty raid: remove it or raise count")
	} else if v.present(p+".count") && r.Count > MaxThreats-v.threats {
		v.fail(p+".count", strconv.Itoa(r.Count), fmt.Sprintf("at most %d threats (a scenario launches at most %d in all; the raids before this one launch %d)", MaxThreats-v.threats, MaxThreats, v.threats),
			"about 5 KB of memory and more than linear time per threat: 10,000 threats take seconds a replication")
	} else if r.Count > 0 {
		v.threats += r.Count
	}
	v.check(p+".launch_start_s", r.LaunchStartS, nonNegative, "a launch time ≥ 0", "")
	if v.present(p+".launch_start_s") && v.present(p+".launch_end_s") && r.LaunchStartS >= 0 && r.LaunchEndS < r.LaunchStartS {
		v.fail(p+".launch_end_s", num(r.LaunchEndS),
			fmt.Sprintf("a time ≥ launch_start_s (%s s)", num(r.LaunchStartS)),
			"the launch window is reversed")
	}
	if v.present(p+".launch_start_s") && v.present("duration_s") && r.LaunchStartS >= 0 && r.LaunchStartS >= s.DurationS {
		v.fail(p+".launch_start_s", num(r.LaunchStartS),
			fmt.Sprintf("a time before the end of the scenario (duration_s %s s)", num(s.DurationS)), "")
	}
	spacings := []string{"even", "random"}
	if v.present(p+".spacing") && r.Spacing != "" && !contains(spacings, r.Spacing) {
		v.fail(p+".spacing", strconv.Quote(r.Spacing), `"even" or "random"`, valueHint(r.Spacing, spacings))
	}
	v.point(p+".from", r.From)
	v.check(p+".from_radius_km", r.FromRadiusKm, nonNegative, "a radius ≥ 0", "")
	v.check(p+".altitude_m", r.AltitudeM, nonNegative, "a height ≥ 0", "")
	v.check(p+".speed_kmh", r.SpeedKmh, nonNegative, "a speed ≥ 0", "")
	for i, t := range r.Targets {
		tp := indexPath(p+".targets", i)
		if assets[t] || v.d.bad[tp] {
			continue
		}
		known := make([]string, 0, len(s.Assets))
		for _, a := range s.Assets {
			known = append(known, a.ID)
		}
		hint := idHint(t, known)
		if kind, isOther := ids.kind[t]; isOther {
			hint = fmt.Sprintf("%q is a %s; raids target assets; %s", t, kind, hint)
		}
		v.fail(tp, strconv.Quote(t), "the id of an asset", hint)
	}
	for i, w := range r.Route {
		v.point(indexPath(p+".route", i), w)
	}
	if ok && class.StandOffClass != "" {
		if w, found := cat.Threat(class.StandOffClass); !found {
			v.fail(p+".class", strconv.Quote(r.Class), fmt.Sprintf("a class whose stand-off weapon class %q is in the catalog", class.StandOffClass),
				idHint(class.StandOffClass, cat.ThreatIDs()))
		} else if w.Category == CategoryAircraft {
			v.fail(p+".class", strconv.Quote(r.Class), "an aircraft whose stand-off weapons are not aircraft", "")
		}
	}
	if ok && class.Category == CategoryAircraft && class.StandOffClass != "" && len(r.Targets) == 0 && v.present(p+".route") {
		v.fail(p+".targets", "an aircraft with stand-off weapons and no targets", "targets (asset ids) to release its weapons at", "")
	}
	ballistic := ok && class.Category == CategoryBallisticMissile
	switch {
	case ballistic && len(r.Route) > 0:
		v.fail(p+".route", "a route for ballistic missiles", "no route",
			"a ballistic missile flies from its launch point straight to a target; remove the route")
	case ballistic && len(r.Targets) == 0 && !v.given(p+".targets"):
		v.fail(p, "a ballistic missile raid with no targets", "targets (asset ids)", "")
	case len(r.Targets) == 0 && len(r.Route) == 0 && !v.d.bad[p+".targets"] && !v.d.bad[p+".route"]:
		v.fail(p, "a raid with neither targets nor route", "targets (asset ids), a route, or both",
			"without targets the threats fly the route and leave")
	}
}

// idSet checks that ids are non-empty and unique across assets, sensors, fire units and raids.
type idSet struct {
	v     *validator
	first map[string]string // id -> path of its first use
	kind  map[string]string // id -> kind of its first use
}

func newIDs(v *validator) *idSet {
	return &idSet{v: v, first: map[string]string{}, kind: map[string]string{}}
}

func (s *idSet) add(path, id, kind string) {
	ip := path + ".id"
	if !s.v.present(ip) {
		return
	}
	if strings.TrimSpace(id) == "" {
		s.v.fail(ip, "an empty id", "a non-empty id", "")
		return
	}
	if first, dup := s.first[id]; dup {
		s.v.fail(ip, fmt.Sprintf("id %q again", id), "an id unique across assets, sensors, fire_units and raids",
			fmt.Sprintf("%q is already the id of %s at line %d", id, first, s.v.d.ix.at(first+".id").line))
		return
	}
	s.first[id] = path
	s.kind[id] = kind
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// figure checks a catalog figure at path: its value with ok, and its provenance when strict.
func (v *validator) figure(path string, f Figure, ok func(float64) bool, expected string, strict bool) {
	if !v.given(path) {
		return
	}
	vp := path
	if v.given(path + ".value") {
		vp = path + ".value"
	}
	if v.present(vp) && !ok(f.Value) {
		v.d.add(v.d.ix.at(vp), vp, num(f.Value), expected+unitSuffix(lastName(path)), "")
	}
	if strict && !v.d.bad[path] && strings.TrimSpace(f.Source) == "" && strings.TrimSpace(f.Assumption) == "" {
		found := "a figure with neither source nor assumption"
		if v.d.plainFigures[path] {
			found = "a plain number " + num(f.Value)
		}
		v.fail(path, found, "{value, source} or {value, assumption}",
			fmt.Sprintf("catalog figures record where they come from, e.g. {value: %s, assumption: \"why this value\"}", num(f.Value)))
	}
}

func integral(x float64) bool { return x == math.Trunc(x) }

// catalog checks catalog classes at prefix ("" for a catalog file, "catalog" in a scenario).
// strict requires every figure to carry a source or an assumption.
func (v *validator) catalog(c *Catalog, prefix string, strict bool) {
	fig := func(path string, f Figure, ok func(float64) bool, expected string) {
		v.figure(path, f, ok, expected, strict)
	}
	layers := []string{LayerLong, LayerMedium, LayerShort}
	categories := []string{CategoryDrone, CategoryCruiseMissile, CategoryBallisticMissile, CategoryAircraft}
	kinds := []string{KindMissile, KindGun}
	seen := map[string]string{}
	for i := range c.Systems {
		sc := &c.Systems[i]
		p := indexPath(joinPath(prefix, "systems"), i)
		v.classID(p, sc.ID, seen, "system")
		if v.present(p+".name") && strings.TrimSpace(sc.Name) == "" {
			v.fail(p+".name", "empty text", "a non-empty name", "")
		}
		if v.present(p+".layer") && !contains(layers, sc.Layer) {
			v.fail(p+".layer", strconv.Quote(sc.Layer), `"long", "medium" or "short"`, valueHint(sc.Layer, layers))
		}
		r, rp := &sc.Radar, p+".radar"
		fig(rp+".ref_range_km", r.RefRangeKm, positive, "a positive range")
		fig(rp+".ref_rcs_m2", r.RefRCSM2, positive, "a positive radar cross-section")
		fig(rp+".ref_pd", r.RefPd, probOpen, "a probability in (0, 1)")
		fig(rp+".pfa", r.Pfa, pfaRange, "a false-alarm probability in (0, 0.1]")
		fig(rp+".max_range_km", r.MaxRangeKm, positive, "a positive range")
		fig(rp+".scan_period_s", r.ScanPeriodS, positive, "a positive period")
		if r.ScanPeriodS.Value > 0 {
			expected, _ := scanPeriodFloor()
			fig(rp+".scan_period_s", r.ScanPeriodS, scanPeriod, expected)
		}
		v.falseAlarms(rp, &RadarSpec{}, r)
		fig(rp+".min_elevation_deg", r.MinElevationDeg, elevationRange, "an elevation in [-10, 90]")
		fig(rp+".max_elevation_deg", r.MaxElevationDeg, elevationRange, "an elevation in [-10, 90]")
		if v.present(rp+".min_elevation_deg") && v.present(rp+".max_elevation_deg") &&
			r.MinElevationDeg.Value >= r.MaxElevationDeg.Value {
			v.fail(rp+".max_elevation_deg", num(r.MaxElevationDeg.Value),
				fmt.Sprintf("more than min_elevation_deg (%s degrees)", num(r.MinElevationDeg.Value)), "")
		}
		fig(rp+".sigma_range_m", r.SigmaRangeM, nonNegative, "a standard deviation ≥ 0")
		fig(rp+".sigma_azimuth_deg", r.SigmaAzimuthDeg, nonNegative, "a standard deviation ≥ 0")
		fig(rp+".sigma_elevation_deg", r.SigmaElevationDeg, nonNegative, "a standard deviation ≥ 0")
		fig(p+".fire_channels", sc.FireChannels, func(x float64) bool { return x >= 1 && integral(x) },
			"a whole number of channels ≥ 1")
		fig(p+".reaction_time_s", sc.ReactionTimeS, nonNegative, "a time ≥ 0")
		if v.present(p+".weapons") && len(sc.Weapons) == 0 {
			v.fail(p+".weapons", "an empty list", "at least one weapon", "")
		}
		weapons := map[string]string{}
		for j := range sc.Weapons {
			w := &sc.Weapons[j]
			wp := indexPath(p+".weapons", j)
			v.classID(wp, w.ID, weapons, "weapon")
			if v.present(wp+".kind") && !contains(kinds, w.Kind) {
				v.fail(wp+".kind", strconv.Quote(w.Kind), `"missile" or "gun"`, valueHint(w.Kind, kinds))
			}
			fig(wp+".min_range_km", w.MinRangeKm, nonNegative, "a range ≥ 0")
			fig(wp+".max_range_km", w.MaxRangeKm, positive, "a positive range")
			if v.present(wp+".min_range_km") && v.present(wp+".max_range_km") && w.MinRangeKm.Value >= w.MaxRangeKm.Value {
				v.fail(wp+".max_range_km", num(w.MaxRangeKm.Value),
					fmt.Sprintf("more than min_range_km (%s km)", num(w.MinRangeKm.Value)), "")
			}
			fig(wp+".min_alt_m", w.MinAltM, nonNegative, "a height ≥ 0")
			fig(wp+".max_alt_m", w.MaxAltM, positive, "a positive height")
			if v.present(wp+".min_alt_m") && v.present(wp+".max_alt_m") && w.MinAltM.Value >= w.MaxAltM.Value {
				v.fail(wp+".max_alt_m", num(w.MaxAltM.Value),
					fmt.Sprintf("more than min_alt_m (%s m)", num(w.MinAltM.Value)), "")
			}
			fig(wp+".magazine", w.Magazine, func(x float64) bool { return x >= 0 && integral(x) },
				"a whole number of rounds ≥ 0")
			fig(wp+".speed_mps", w.SpeedMps, positive, "a positive speed")
			if w.Kind == KindGun {
				for _, name := range []string{"burst_rounds", "burst_period_s"} {
					if !v.given(wp + "." + name) {
						v.d.add(v.d.ix.at(wp), wp+"."+name, fmt.Sprintf("a gun with no %q", name),
							fmt.Sprintf("the field %q (a positive number%s), required for guns", name, unitSuffix(name)), "")
					}
				}
			}
			fig(wp+".burst_rounds", w.BurstRounds, func(x float64) bool { return x >= 1 && integral(x) },
				"a whole number of rounds ≥ 1")
			fig(wp+".burst_period_s", w.BurstPeriodS, positive, "a positive period")
			fig(wp+".cost_usd", w.CostUSD, nonNegative, "a cost ≥ 0")
			v.categoryFigures(wp+".pk", w.Pk, fig)
			v.weaponPhysics(wp, w, fig)
		}
	}
	seen = map[string]string{}
	for i := range c.Threats {
		tc := &c.Threats[i]
		p := indexPath(joinPath(prefix, "threats"), i)
		v.classID(p, tc.ID, seen, "threat")
		if v.present(p+".name") && strings.TrimSpace(tc.Name) == "" {
			v.fail(p+".name", "empty text", "a non-empty name", "")
		}
		if v.present(p+".category") && !contains(categories, tc.Category) {
			v.fail(p+".category", strconv.Quote(tc.Category), "drone, cruise_missile, ballistic_missile or aircraft",
				valueHint(tc.Category, categories))
		}
		fig(p+".speed_kmh", tc.SpeedKmh, positive, "a positive speed")
		fig(p+".cruise_alt_m", tc.CruiseAltM, nonNegative, "a height ≥ 0")
		fig(p+".range_km", tc.RangeKm, positive, "a positive range")
		fig(p+".rcs_m2", tc.RCSM2, positive, "a positive radar cross-section")
		fig(p+".warhead_kg", tc.WarheadKg, nonNegative, "a mass ≥ 0")
		fig(p+".flight_path_angle_deg", tc.FlightPathAngleDeg, func(x float64) bool { return x >= 0 && x < 90 },
			"an angle in [0, 90)")
		fig(p+".cost_usd", tc.CostUSD, nonNegative, "a cost ≥ 0")
		v.threatPhysics(p, tc, c, fig)
	}
}

// figFunc checks one catalog figure (validator.figure with the catalog's strictness).
type figFunc func(path string, f Figure, ok func(float64) bool, expected string)

var categories = []string{CategoryDrone, CategoryCruiseMissile, CategoryBallisticMissile, CategoryAircraft}

// categoryFigures checks a table of figures by threat category (pk, pk0, pk_given_hit).
func (v *validator) categoryFigures(path string, m map[string]Figure, fig figFunc) {
	cats := make([]string, 0, len(m))
	for k := range m {
		cats = append(cats, k)
	}
	sort.Strings(cats)
	for _, k := range cats {
		kp := path + "." + k
		if !contains(categories, k) {
			hint := valueHint(k, categories)
			if hint == "" {
				hint = "categories: " + strings.Join(categories, ", ")
			}
			v.fail(kp, fmt.Sprintf("threat category %q", k), "drone, cruise_missile, ballistic_missile or aircraft", hint)
			continue
		}
		fig(kp, m[k], probClosed, "a probability in [0, 1]")
	}
}

// group reports which of the named fields under path were written, and requires the
// fields of need when any of the group was: a set of physics figures is all or nothing.
func (v *validator) group(path, what string, all, need []string) bool {
	any := false
	for _, n := range all {
		if v.given(path + "." + n) {
			any = true
			break
		}
	}
	if !any {
		return false
	}
	for _, n := range need {
		if !v.given(path + "." + n) {
			v.d.add(v.d.ix.at(path), path+"."+n, fmt.Sprintf("%s without %q", what, n),
				fmt.Sprintf("the field %q%s: %s need it", n, unitSuffix(n), what),
				"give all the required figures of the group, or none (docs/scenario.md)")
		}
	}
	return true
}

// Missile and gun physics field names (docs/scenario.md).
var (
	missileFields = []string{"boost_thrust_n", "boost_time_s", "sustain_thrust_n", "sustain_time_s",
		"mass_launch_kg", "mass_burnout_kg", "diameter_m", "cd", "launch_speed_mps", "loft_deg",
		"dive_deg", "max_lateral_g", "nav_constant", "seeker_fov_deg", "lock_on_range_km", "max_flight_s",
		"fuze_range_m", "pk0", "carleton_sigma_m", "lethal_radius_m"}
	missileNeed = []string{"boost_thrust_n", "boost_time_s", "mass_launch_kg", "mass_burnout_kg",
		"diameter_m", "cd", "max_lateral_g", "nav_constant", "lock_on_range_km", "max_flight_s", "pk0"}
	gunFields = []string{"rate_of_fire_rps", "dispersion_mrad", "aim_error_mrad", "pk_given_hit", "drag_per_km"}
	gunNeed   = []string{"rate_of_fire_rps", "dispersion_mrad", "pk_given_hit"}
)

// weaponPhysics checks a weapon's flyout or gun figures: each positive or in range, given
// as a complete group, and only for the right kind of weapon.
func (v *validator) weaponPhysics(wp string, w *Weapon, fig figFunc) {
	fields, need, other := missileFields, missileNeed, gunFields
	if w.Kind == KindGun {
		fields, need, other = gunFields, gunNeed, missileFields
	}
	for _, n := range other {
		if v.given(wp + "." + n) {
			v.fail(wp+"."+n, fmt.Sprintf("%q on a %s", n, w.Kind), "figures of a "+w.Kind,
				"flyout figures belong to missiles, dispersion figures to guns")
		}
	}
	if !v.group(wp, "a "+w.Kind+" with physics figures", fields, need) {
		return
	}
	if w.Kind == KindGun {
		fig(wp+".rate_of_fire_rps", w.RateOfFireRps, positive, "a positive rate of fire")
		fig(wp+".dispersion_mrad", w.DispersionMrad, positive, "a positive dispersion")
		fig(wp+".aim_error_mrad", w.AimErrorMrad, nonNegative, "an aiming error ≥ 0")
		fig(wp+".drag_per_km", w.DragPerKm, func(x float64) bool { return x >= 0 && x <= 10 }, "a decay constant in [0, 10]")
		v.categoryFigures(wp+".pk_given_hit", w.PkGivenHit, fig)
		for k := range w.Pk {
			if _, ok := w.PkGivenHit[k]; !ok && contains(categories, k) {
				v.fail(wp+".pk_given_hit", fmt.Sprintf("no %q", k), "a kill probability given a hit for every category of pk",
					"the engine scores bursts from hits; a category without it could never be killed")
			}
		}
		if v.present(wp+".burst_rounds") && w.BurstRounds.Value > 0 && v.present(wp+".burst_period_s") && v.present(wp+".rate_of_fire_rps") &&
			w.RateOfFireRps.Value > 0 && (w.BurstRounds.Value-1)/w.RateOfFireRps.Value >= w.BurstPeriodS.Value {
			v.fail(wp+".burst_period_s", num(w.BurstPeriodS.Value),
				fmt.Sprintf("more than the burst's own duration (%s s)", num((w.BurstRounds.Value-1)/w.RateOfFireRps.Value)),
				"burst_period_s runs from the start of one burst to the start of the next")
		}
		return
	}
	fig(wp+".boost_thrust_n", w.BoostThrustN, positive, "a positive thrust")
	fig(wp+".boost_time_s", w.BoostTimeS, positive, "a positive burn time")
	fig(wp+".sustain_thrust_n", w.SustainThrustN, nonNegative, "a thrust ≥ 0")
	fig(wp+".sustain_time_s", w.SustainTimeS, nonNegative, "a burn time ≥ 0")
	fig(wp+".mass_launch_kg", w.MassLaunchKg, positive, "a positive mass")
	fig(wp+".mass_burnout_kg", w.MassBurnoutKg, positive, "a positive mass")
	if v.present(wp+".mass_launch_kg") && v.present(wp+".mass_burnout_kg") && w.MassBurnoutKg.Value >= w.MassLaunchKg.Value {
		v.fail(wp+".mass_burnout_kg", num(w.MassBurnoutKg.Value),
			fmt.Sprintf("less than mass_launch_kg (%s kg)", num(w.MassLaunchKg.Value)), "the motor burns propellant")
	}
	fig(wp+".diameter_m", w.DiameterM, func(x float64) bool { return x > 0 && x <= 5 }, "a diameter in (0, 5]")
	fig(wp+".cd", w.Cd, func(x float64) bool { return x > 0 && x <= 5 }, "a drag coefficient in (0, 5]")
	fig(wp+".launch_speed_mps", w.LaunchSpeedMps, nonNegative, "a speed ≥ 0")
	fig(wp+".loft_deg", w.LoftDeg, func(x float64) bool { return x >= 0 && x <= 90 }, "an angle in [0, 90]")
	fig(wp+".dive_deg", w.DiveDeg, func(x float64) bool { return x >= 0 && x < 90 }, "an angle in [0, 90) (0: along the chord)")
	fig(wp+".max_lateral_g", w.MaxLateralG, func(x float64) bool { return x > 0 && x <= 100 }, "a limit in (0, 100]")
	fig(wp+".nav_constant", w.NavConstant, func(x float64) bool { return x >= 2 && x <= 8 }, "a navigation constant in [2, 8]")
	fig(wp+".seeker_fov_deg", w.SeekerFOVDeg, func(x float64) bool { return x >= 0 && x <= 360 }, "a cone angle in [0, 360] (0: all round)")
	fig(wp+".lock_on_range_km", w.LockOnRangeKm, positive, "a positive range")
	fig(wp+".max_flight_s", w.MaxFlightS, positive, "a positive time")
	fig(wp+".fuze_range_m", w.FuzeRangeM, nonNegative, "a range ≥ 0 (0: always detonate at closest approach)")
	fig(wp+".carleton_sigma_m", w.CarletonSigmaM, positive, "a positive spread")
	fig(wp+".lethal_radius_m", w.LethalRadiusM, positive, "a positive radius")
	switch sigma, radius := v.given(wp+".carleton_sigma_m"), v.given(wp+".lethal_radius_m"); {
	case sigma && radius:
		v.fail(wp+".lethal_radius_m", "both carleton_sigma_m and lethal_radius_m", "one of them",
			"carleton_sigma_m selects the Carleton damage function, lethal_radius_m the cookie cutter")
	case !sigma && !radius:
		v.d.add(v.d.ix.at(wp), wp+".carleton_sigma_m", "a missile with physics figures and no lethality",
			"carleton_sigma_m (Carleton damage function, m) or lethal_radius_m (cookie cutter, m)", "")
	}
	v.categoryFigures(wp+".pk0", w.Pk0, fig)
	for k := range w.Pk {
		if _, ok := w.Pk0[k]; !ok && contains(categories, k) && v.given(wp+".pk0") {
			v.fail(wp+".pk0", fmt.Sprintf("no %q", k), "a kill probability at zero miss for every category of pk",
				"the engine draws kills from pk0 and the miss distance; a category without it could never be killed")
		}
	}
}

// threatPhysics checks a threat class's flight figures and its stand-off weapons.
func (v *validator) threatPhysics(p string, tc *ThreatClass, c *Catalog, fig figFunc) {
	fig(p+".ballistic_coefficient_kgm2", tc.BallisticCoefficientKgm2, nonNegative, "a ballistic coefficient ≥ 0 (0: no drag)")
	fig(p+".turn_rate_dps", tc.TurnRateDps, nonNegative, "a turn rate ≥ 0 (0: unlimited)")
	fig(p+".max_climb_deg", tc.MaxClimbDeg, func(x float64) bool { return x > 0 && x < 90 }, "an angle in (0, 90)")
	fig(p+".dive_angle_deg", tc.DiveAngleDeg, func(x float64) bool { return x > 0 && x <= 90 }, "an angle in (0, 90]")
	fig(p+".popup_height_m", tc.PopUpHeightM, positive, "a positive height")
	fig(p+".popup_range_km", tc.PopUpRangeKm, positive, "a positive range")
	fig(p+".presented_area_m2", tc.PresentedAreaM2, positive, "a positive area")
	fig(p+".standoff_count", tc.StandOffCount, func(x float64) bool { return x >= 1 && x <= 32 && integral(x) },
		"a whole number of weapons in [1, 32]")
	fig(p+".release_range_km", tc.ReleaseRangeKm, positive, "a positive range")
	v.group(p, "a pop-up end game", []string{"popup_height_m", "popup_range_km"}, []string{"popup_height_m", "popup_range_km"})
	so := []string{"standoff_class", "standoff_count", "release_range_km"}
	if v.group(p, "stand-off weapons", so, so) {
		if v.present(p+".category") && tc.Category != CategoryAircraft {
			v.fail(p+".standoff_class", fmt.Sprintf("stand-off weapons on a %s", tc.Category), "an aircraft class",
				"only aircraft release stand-off weapons")
		}
		v.standOffClass(p+".standoff_class", tc, c)
	}
}

// standOffClass checks that an aircraft's stand-off weapon class exists in c (when c has it;
// a scenario's catalog section may name a class of the base catalog, checked with the raid)
// and is not itself an aircraft.
func (v *validator) standOffClass(path string, tc *ThreatClass, c *Catalog) {
	if !v.present(path) {
		return
	}
	if strings.TrimSpace(tc.StandOffClass) == "" {
		v.fail(path, "empty text", "a threat class id", "")
		return
	}
	w, ok := c.Threat(tc.StandOffClass)
	if !ok && v.d.ix.has("threats") {
		// A catalog file: its classes are the whole catalog.
		v.fail(path, strconv.Quote(tc.StandOffClass), "a threat class of this catalog", idHint(tc.StandOffClass, c.ThreatIDs()))
		return
	}
	if ok && w.Category == CategoryAircraft {
		v.fail(path, fmt.Sprintf("%q, an aircraft", tc.StandOffClass), "a weapon class (drone, cruise or ballistic missile)", "")
	}
}

// classID checks that a catalog id is non-empty and unique within seen.
func (v *validator) classID(path, id string, seen map[string]string, kind string) {
	ip := path + ".id"
	if !v.present(ip) {
		return
	}
	if strings.TrimSpace(id) == "" {
		v.fail(ip, "an empty id", "a non-empty "+kind+" id", "")
		return
	}
	if first, dup := seen[id]; dup {
		v.fail(ip, fmt.Sprintf("%s id %q again", kind, id), "a unique "+kind+" id",
			fmt.Sprintf("already used by %s at line %d", first, v.d.ix.at(first+".id").line))
		return
	}
	seen[id] = path
}
