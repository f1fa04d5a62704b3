package sim

import (
	"fmt"
	"math"
	"strings"

	"github.com/adsim/adsim/geo"
	"github.com/adsim/adsim/scenario"
)

// This file exports a missile's reach table (reach.go) and its fire-control radar's line of
// sight by target height, for `adsim reach`: how far out a fire unit can engage a target at
// a given height.

// reachOrigin returns the origin of the frame MissileReach and FireUnitSight measure on without a
// scenario: the embedded examples' (40° N, 35° W, sea level).
func reachOrigin() geo.LLA { return geo.LLADeg(40, -35, 0) }

// reachFrame is the frame of a run of s (scenarioFrame), or reachOrigin's for nil.
func reachFrame(s *scenario.Scenario) geo.Frame {
	if s == nil {
		return geo.NewFrame(reachOrigin())
	}
	return scenarioFrame(s)
}

// ReachRow is a missile's kinematic reach at one target height, as command and control plans
// with it (c2.Weapon.Reach): the slant ranges at which a shot from the ground hits a stationary
// target at that height within nine tenths of the missile's flight-time limit, with the
// catalog's loft law or a steeper loft fire control chooses where the law falls short
// (docs/c2.md, "Engagement planning").
type ReachRow struct {
	// Height is the target's height above the ground, m.
	Height float64
	// InEnvelope reports whether Height is within the weapon's altitude envelope (min_alt_m to
	// max_alt_m); outside it C2 does not fire and Spans is empty.
	InEnvelope bool
	// Spans are the intervals of slant range reached, ascending and disjoint. Ranges nearer
	// than the height, which no point at that height has, count as reached, so the first span
	// starts at 0 when the near ranges are reached.
	Spans []ReachSpan
}

// ReachSpan is an interval of slant range reached, with the loft at its far edge.
type ReachSpan struct {
	// From and To are the slant ranges from the launcher that bound the interval, m.
	From, To float64
	// Loft is the launch elevation above the line to the target (rad) that fire control
	// launches with at To: the catalog law's there (loft_deg scaled down linearly with the
	// range) when it reaches, else the first of the steeper lofts that does.
	Loft float64
	// Law reports whether Loft is the catalog law's.
	Law bool
}

// MissileReach returns the kinematic reach of missile weapon of system class system in cat at
// each of the target heights (m above the ground, positive), in their order. The table is the
// one a run of s flies (reachTable, from the missile's own flyout model, with the launcher on
// the ground at s's origin), its every cell and edge at the rows around each height flown; a
// point between two of its rows must be reached at both. A nil s stands for sea level at the
// embedded examples' origin (40° N, 35° W): at sea level the latitude changes nothing the
// table resolves, but on high ground the thinner air carries a missile farther.
//
// It fails for an unknown system or weapon, a gun, a missile without flyout figures (C2 plans
// it with its catalog range at every height) and a height that is not a positive number.
func MissileReach(cat *scenario.Catalog, s *scenario.Scenario, system, weapon string, heights []float64) ([]ReachRow, error) {
	wp, fly, err := catalogFlyout(cat, system, weapon)
	if err != nil {
		return nil, err
	}
	if err := positive("target height", heights); err != nil {
		return nil, err
	}
	minAlt, maxAlt := wp.MinAltM.Value, wp.MaxAltM.Value
	t := newReachTable(fly, reachFrame(s), minAlt, maxAlt)
	rows := make([]ReachRow, len(heights))
	for i, h := range heights {
		rows[i] = ReachRow{Height: h, InEnvelope: h >= minAlt && h <= maxAlt}
		if !rows[i].InEnvelope {
			continue
		}
		for _, sp := range t.reachedAt(h) {
			rows[i].Spans = append(rows[i].Spans, ReachSpan{From: sp[0], To: sp[1],
				Loft: t.loftFor(sp[1], h), Law: t.loftIndex(sp[1], h) == 0})
		}
	}
	return rows, nil
}

// FlightTime is one shot of a missile at a stationary target, flown as fire control launches
// it, beside the time of flight command and control plans for it.
type FlightTime struct {
	// Height and Range are the target's height above the ground and slant range from the
	// launcher, m.
	Height, Range float64
	// Reached reports whether the reach table holds the point (C2 may plan a shot there).
	Reached bool
	// Result is how the flyout ended: "detonate" (Miss from the target), "self_destruct" at
	// the flight-time limit, "ground_impact"; "no_point" for a slant range not beyond the
	// height, where no point exists and nothing is flown (Seconds and Planned 0).
	Result string
	// Miss is the closest approach of a detonation, m.
	Miss float64
	// Seconds is the flyout's time to its end, s.
	Seconds float64
	// Planned is the time of flight C2 and fire control plan with, s: the slant range over
	// the mean speed of the reach table's flyouts there (c2.Flight), or over speed_mps when
	// the scenario sets c2.time_of_flight "constant". Constant is the slant range over
	// speed_mps, s.
	Planned, Constant float64
	// Loft is the launch elevation above the line to the target, rad: the loft fire control
	// chooses there (ReachSpan.Loft), the law's where no loft reaches; Law reports the law's.
	Loft float64
	Law  bool
}

// MissileFlightTimes flies missile weapon of system class system in cat at a stationary target
// at every pair of heights and slant ranges (m), from the ground at s's origin (nil: sea level
// at the examples' origin), with the loft a run launches with (the reach table's choice), and
// returns the flyouts' times beside the times C2 plans with (Planned) and the catalog's
// constant planning speed gives (Constant; docs/c2.md, "Times of flight"), by height then
// range. It fails as MissileReach does, and for a range that is not a positive number.
func MissileFlightTimes(cat *scenario.Catalog, s *scenario.Scenario, system, weapon string, heights, ranges []float64) ([]FlightTime, error) {
	wp, fly, err := catalogFlyout(cat, system, weapon)
	if err != nil {
		return nil, err
	}
	if err := positive("target height", heights); err != nil {
		return nil, err
	}
	if err := positive("slant range", ranges); err != nil {
		return nil, err
	}
	t := newReachTable(fly, reachFrame(s), wp.MinAltM.Value, wp.MaxAltM.Value)
	var out []FlightTime
	for _, h := range heights {
		for _, r := range ranges {
			k := t.loftIndex(r, h)
			ft := FlightTime{Height: h, Range: r, Reached: k >= 0, Constant: r / wp.SpeedMps.Value, Law: k <= 0}
			if r <= h {
				// A launcher on the ground sees no point nearer than its height; flying one
				// would fly to the point overhead, at another range.
				ft.Result, ft.Constant, ft.Reached = "no_point", 0, false
				out = append(out, ft)
				continue
			}
			ft.Planned = ft.Constant
			if v, ok := t.MeanSpeed(r, h); ok && (s == nil || s.C2.TimeOfFlight != scenario.TimeOfFlightConstant) {
				ft.Planned = r / v
			}
			k = max(k, 0)
			ft.Loft = t.fly.loftAt(r)
			if k > 0 {
				ft.Loft = t.lofts[k-1]
			}
			ev, err := t.shot(k, r, h)
			if err != nil {
				return nil, fmt.Errorf("%s/%s at %g m, %g m: %w", system, weapon, h, r, err)
			}
			ft.Result, ft.Miss, ft.Seconds = ev.Kind.String(), ev.Miss, ev.FlightTime
			out = append(out, ft)
		}
	}
	return out, nil
}

// positive checks that every value is a positive, finite number of metres.
func positive(what string, vs []float64) error {
	for _, v := range vs {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("%s %g m: expected a positive number of metres", what, v)
		}
	}
	return nil
}

// catalogFlyout returns missile weapon of system class system in cat and its flyout model;
// it fails for an unknown system or weapon, a gun and a missile without flyout figures.
func catalogFlyout(cat *scenario.Catalog, system, weapon string) (*scenario.Weapon, *flyoutSpec, error) {
	sc, ok := cat.System(system)
	if !ok {
		return nil, nil, fmt.Errorf("no system class %q in the catalog (the classes: %s)", system, strings.Join(cat.SystemIDs(), ", "))
	}
	wp, ok := sc.Weapon(weapon)
	if !ok {
		var ids []string
		for _, w := range sc.Weapons {
			ids = append(ids, w.ID)
		}
		return nil, nil, fmt.Errorf("system class %s has no weapon %q (its weapons: %s)", system, weapon, strings.Join(ids, ", "))
	}
	if wp.Kind != scenario.KindMissile {
		return nil, nil, fmt.Errorf("%s/%s is a %s, not a missile: it has no flyout reach", system, weapon, wp.Kind)
	}
	if !wp.HasFlyout() {
		return nil, nil, fmt.Errorf("%s/%s has no flyout figures: C2 plans it with its catalog range at every height", system, weapon)
	}
	fly, err := flyoutFromCatalog(wp)
	if err != nil {
		return nil, nil, fmt.Errorf("%s/%s: %w", system, weapon, err)
	}
	return wp, fly, nil
}

// Sight is how far a fire unit's own radar sees a target at one height, by the limits the
// engine checks before the unit may fire at it (canSee); each a slant range from the antenna.
// Not applied: the radar's highest elevation, and its lowest near the unit (a target below
// the antenna is seen from some hundreds of metres out), which bound it from below.
type Sight struct {
	// Range is the nearest of the limits below: the unit's radar sees the target to there.
	Range float64
	// Horizon is the radio horizon over the 4/3 earth (geo.Frame.Visible), m.
	Horizon float64
	// MaxRange is the radar's instrumented range (max_range_km), m; +Inf without one.
	MaxRange float64
	// Elevation is the range beyond which the target is below the radar's lowest elevation
	// (min_elevation_deg, or the mask of the buildings around the site), m: +Inf where that
	// never happens before the horizon, 0 where the target is always below it.
	Elevation float64
	// Antenna is the antenna's height above the run's ground (its siting, on its site's
	// ground), m.
	Antenna float64
}

// FireUnitSight returns how far fire unit fu's own radar sees a target at height height (m
// above the ground) in a run of s, with the catalog cat s was validated against: its antenna
// sited as the unit says (height_agl_m or rooftop, surroundings, its site's alt_m), its radar
// the class's with the unit's overrides. A nil s stands for MissileReach's default earth, the
// unit on its ground. It fails for an unknown class or an invalid radar.
func FireUnitSight(cat *scenario.Catalog, s *scenario.Scenario, fu *scenario.FireUnit, height float64) (Sight, error) {
	cl, ok := cat.System(fu.Class)
	if !ok {
		return Sight{}, fmt.Errorf("fire unit %s: no system class %q in the catalog", fu.ID, fu.Class)
	}
	var spec scenario.RadarSpec
	if fu.Radar != nil {
		spec = *fu.Radar
	}
	m, _, err := radarModel(spec, &cl.Radar)
	if err != nil {
		return Sight{}, fmt.Errorf("fire unit %s: radar: %w", fu.ID, err)
	}
	f := reachFrame(s)
	h := antennaHeight(fu.Siting)
	antenna := h
	if fu.AltM != 0 { // the unit's site has its own ground elevation (World.site)
		antenna += fu.AltM - f.Ground()
	}
	out := Sight{Horizon: f.HorizonDistance(antenna, height), MaxRange: math.Inf(1), Elevation: math.Inf(1), Antenna: antenna}
	if m.MaxRange > 0 {
		out.MaxRange = m.MaxRange
	}
	if antenna < 0 || height < 0 {
		out.Horizon, out.Elevation = 0, 0
	}
	// The elevation e of a point at radius b seen at slant range d from the antenna at radius
	// a (radii from the sphere's centre): b² = a² + d² + 2ad·sin e; the elevation falls with
	// the range beyond the nearest points, so the farthest range at the lowest elevation is
	// the larger root of d² + 2ad·sin e − (b² − a²) = 0.
	a, b := f.Radius()+f.Ground()+antenna, f.Radius()+f.Ground()+height
	sinMin := math.Sin(math.Max(m.MinElevation, maskAngle(fu.Siting, h)))
	if disc := a*a*sinMin*sinMin + b*b - a*a; disc < 0 {
		out.Elevation = 0
	} else if d := -a*sinMin + math.Sqrt(disc); d < out.Horizon {
		out.Elevation = d
	}
	out.Range = math.Min(out.Horizon, math.Min(out.MaxRange, out.Elevation))
	return out, nil
}
