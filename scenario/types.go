package scenario

// Scenario is the in-memory form of a scenario file, format version 1. Field names in YAML carry
// their unit (`range_km`, `speed_kmh`); the engine converts to SI when it builds its world.
// docs/scenario.md documents every field; schema/scenario.schema.json is the editor schema.
type Scenario struct {
	Version     int     `yaml:"version" json:"version"`
	Name        string  `yaml:"name" json:"name"`
	Description string  `yaml:"description,omitempty" json:"description,omitempty"`
	Seed        uint64  `yaml:"seed" json:"seed"`
	DurationS   float64 `yaml:"duration_s" json:"duration_s"`
	// FrameStepS is the engine frame step; 0 means the default (DefaultFrameStepS).
	FrameStepS float64 `yaml:"frame_step_s,omitempty" json:"frame_step_s,omitempty"`
	// Origin of the engine's local frame, whose AltM is the (flat) ground; nil means the
	// centroid of the assets, with their mean AltM.
	Origin    *Point     `yaml:"origin,omitempty" json:"origin,omitempty"`
	C2        C2         `yaml:"c2,omitempty" json:"c2,omitempty"`
	Assets    []Asset    `yaml:"assets" json:"assets"`
	Sensors   []Sensor   `yaml:"sensors,omitempty" json:"sensors,omitempty"`
	FireUnits []FireUnit `yaml:"fire_units,omitempty" json:"fire_units,omitempty"`
	Raids     []Raid     `yaml:"raids" json:"raids"`
	// Catalog optionally adds or replaces system and threat classes for this scenario only.
	Catalog *Catalog `yaml:"catalog,omitempty" json:"catalog,omitempty"`
}

// DefaultFrameStepS is the frame step used when a scenario gives none.
const DefaultFrameStepS = 0.5

// Point is a geodetic position on or above the ground: degrees and metres above mean sea level
// (the ground elevation under a site; sites add their own height above ground).
type Point struct {
	LatDeg float64 `yaml:"lat_deg" json:"lat_deg"`
	LonDeg float64 `yaml:"lon_deg" json:"lon_deg"`
	AltM   float64 `yaml:"alt_m,omitempty" json:"alt_m,omitempty"`
}

// C2 holds the command-and-control settings of the whole defence.
type C2 struct {
	// Doctrine: "shoot-look-shoot" (default) or "salvo".
	Doctrine string `yaml:"doctrine,omitempty" json:"doctrine,omitempty"`
	// Salvo is the number of interceptors per engagement under the "salvo" doctrine (default 2).
	Salvo int `yaml:"salvo,omitempty" json:"salvo,omitempty"`
	// DecisionPeriodS is the interval between decision cycles (default 1 s).
	DecisionPeriodS float64 `yaml:"decision_period_s,omitempty" json:"decision_period_s,omitempty"`
	// ConfirmHits is the number of detections before a track may be engaged (default 2).
	ConfirmHits int `yaml:"confirm_hits,omitempty" json:"confirm_hits,omitempty"`
	// DropAfterS drops a track not updated for this long (default 20 s).
	DropAfterS float64 `yaml:"drop_after_s,omitempty" json:"drop_after_s,omitempty"`
	// Assignment is the weapon-target assignment method: "wta" (default: minimise the
	// expected value lost), "greedy" (priority order, best Pk) or "nearest" (each fire unit
	// engages the nearest track it can: the naive baseline).
	Assignment string `yaml:"assignment,omitempty" json:"assignment,omitempty"`
	// MaxPerTrack is the number of fire units C2 may assign one track in the same decision
	// cycle (default 1: one engagement at a time). With more, the "wta" assignment may send
	// two units at once at a track whose value warrants it (docs/c2.md); "greedy" and
	// "nearest" assign one.
	MaxPerTrack int `yaml:"max_per_track,omitempty" json:"max_per_track,omitempty"`
	// MaxPerTrackCategories, if not empty, limits MaxPerTrack to tracks identified as these
	// threat categories (e.g. [ballistic_missile]); the others get one unit at a time.
	MaxPerTrackCategories []string `yaml:"max_per_track_categories,omitempty" json:"max_per_track_categories,omitempty"`
	// Layered makes the outer layers engage first while the inner layer still has time: the
	// short-range layer holds fire on a track an outer unit can engage, unless the track is
	// less than LayerMarginS from its asset (default 60 s).
	Layered      bool    `yaml:"layered,omitempty" json:"layered,omitempty"`
	LayerMarginS float64 `yaml:"layer_margin_s,omitempty" json:"layer_margin_s,omitempty"`
	// Reserve is the share of each fire unit's missiles kept for high-value threats (expected
	// value at risk ≥ HighValue); 0 keeps none.
	Reserve   float64 `yaml:"reserve,omitempty" json:"reserve,omitempty"`
	HighValue float64 `yaml:"high_value,omitempty" json:"high_value,omitempty"`
	// GunsFirst engages cheap threats (class cost ≤ CheapUSD) with guns whenever a unit's gun
	// can engage them, keeping its missiles.
	GunsFirst bool    `yaml:"guns_first,omitempty" json:"guns_first,omitempty"`
	CheapUSD  float64 `yaml:"cheap_usd,omitempty" json:"cheap_usd,omitempty"`
	// Cueing lets C2 assign a fire unit a track its own radar does not see yet, when the radar
	// will see it at the time the unit fires (its reaction runs on the network's picture).
	Cueing bool `yaml:"cueing,omitempty" json:"cueing,omitempty"`
	// WeighLooks weighs each miss of a tentative track by the probability that the radar
	// could have detected it there (0 below its horizon or behind a mask), and starts no track
	// on a plot below the ground (docs/tracking.md). Off by default: a miss of any radar whose
	// coverage holds the track counts one.
	WeighLooks bool `yaml:"weigh_looks,omitempty" json:"weigh_looks,omitempty"`
	// Picture is the air picture C2 decides on: "tracked" (default: the tracker's estimates,
	// from noisy detections and false alarms) or "perfect" (each threat's true position and
	// velocity from its first detection by any radar, kept while radars see it: the
	// value-of-perfect-tracking excursion, and about three times faster).
	Picture string `yaml:"picture,omitempty" json:"picture,omitempty"`
	// PerfectCategories, in the tracked picture, are threat categories C2 sees as the perfect
	// picture does (their true states from their first detection, no tracker), while the
	// tracker follows the others and the false alarms: a mixed picture, to find which
	// category's tracking moves the answer, and a faster screening mode when the category
	// tracked perfectly is not the one in question (docs/models.md, "Air picture").
	PerfectCategories []string `yaml:"perfect_categories,omitempty" json:"perfect_categories,omitempty"`
	// TimeOfFlight is how C2 and fire control plan a missile's time of flight to the
	// intercept point: "flyout" (default: the mean speed of the missile's own flyouts to that
	// range and height, from its reach table) or "constant" (the catalog's speed_mps
	// everywhere, as adsim planned before December 2026).
	TimeOfFlight string `yaml:"time_of_flight,omitempty" json:"time_of_flight,omitempty"`
	// GunOpenFirePk is the kill probability one burst of a gun must have, at the range the
	// target is predicted at, for the gun to open fire on a target that will come that close
	// (default 0.3; one that will not is fired at from the maximum range; 0: always from the
	// maximum range, as adsim did before December 2026). It applies to guns with dispersion
	// figures, against threat classes with a presented area.
	GunOpenFirePk *float64 `yaml:"gun_open_fire_pk,omitempty" json:"gun_open_fire_pk,omitempty"`
}

// MaxPerTrackLimit is the most fire units C2.MaxPerTrack may allow on one track in a cycle:
// C2 searches the sets of units exactly, and four is already more than any doctrine asks.
const MaxPerTrackLimit = 4

// Air pictures (C2.Picture).
const (
	PictureTracked = "tracked"
	PicturePerfect = "perfect"
)

// Time-of-flight models (C2.TimeOfFlight).
const (
	TimeOfFlightFlyout   = "flyout"
	TimeOfFlightConstant = "constant"
)

// Asset is a defended building or site.
type Asset struct {
	ID    string `yaml:"id" json:"id"`
	Name  string `yaml:"name,omitempty" json:"name,omitempty"`
	Point `yaml:",inline" json:",inline"`
	Value float64 `yaml:"value" json:"value"`
	// HardnessKg is the warhead mass (kg) whose impact destroys 1−1/e ≈ 63 % of the asset's
	// remaining value: damage share = 1 − exp(−warhead/hardness).
	HardnessKg float64 `yaml:"hardness_kg" json:"hardness_kg"`
	// RadiusM is the footprint: an impact within it counts against this asset (default 100 m).
	RadiusM float64 `yaml:"radius_m,omitempty" json:"radius_m,omitempty"`
}

// Siting places an antenna or launcher: on a mast above the ground, or on a rooftop.
type Siting struct {
	// HeightAGLM is the antenna/launcher height above the ground. Ignored when Rooftop is set.
	HeightAGLM float64 `yaml:"height_agl_m,omitempty" json:"height_agl_m,omitempty"`
	// Rooftop installs the system on a building: height = building height + mast height.
	Rooftop *Rooftop `yaml:"rooftop,omitempty" json:"rooftop,omitempty"`
	// Surroundings are the buildings around the site; they mask low elevations for antennas
	// below their tops (mask angle = atan((building − antenna)/distance)).
	Surroundings *Surroundings `yaml:"surroundings,omitempty" json:"surroundings,omitempty"`
}

// Rooftop describes a rooftop installation.
type Rooftop struct {
	BuildingHeightM float64 `yaml:"building_height_m" json:"building_height_m"`
	MastM           float64 `yaml:"mast_m,omitempty" json:"mast_m,omitempty"`
}

// Surroundings is the nearest ring of obstructing buildings around a site.
type Surroundings struct {
	BuildingHeightM float64 `yaml:"building_height_m" json:"building_height_m"`
	DistanceM       float64 `yaml:"distance_m" json:"distance_m"`
}

// RadarSpec is a radar's performance, in file units. In a fire-unit override every field is
// optional and replaces the class value only where given.
type RadarSpec struct {
	RefRangeKm        float64  `yaml:"ref_range_km,omitempty" json:"ref_range_km,omitempty"`
	RefRCSM2          float64  `yaml:"ref_rcs_m2,omitempty" json:"ref_rcs_m2,omitempty"`
	RefPd             float64  `yaml:"ref_pd,omitempty" json:"ref_pd,omitempty"`
	Pfa               float64  `yaml:"pfa,omitempty" json:"pfa,omitempty"`
	MaxRangeKm        float64  `yaml:"max_range_km,omitempty" json:"max_range_km,omitempty"`
	ScanPeriodS       float64  `yaml:"scan_period_s,omitempty" json:"scan_period_s,omitempty"`
	MinElevationDeg   *float64 `yaml:"min_elevation_deg,omitempty" json:"min_elevation_deg,omitempty"`
	MaxElevationDeg   *float64 `yaml:"max_elevation_deg,omitempty" json:"max_elevation_deg,omitempty"`
	SigmaRangeM       float64  `yaml:"sigma_range_m,omitempty" json:"sigma_range_m,omitempty"`
	SigmaAzimuthDeg   float64  `yaml:"sigma_azimuth_deg,omitempty" json:"sigma_azimuth_deg,omitempty"`
	SigmaElevationDeg float64  `yaml:"sigma_elevation_deg,omitempty" json:"sigma_elevation_deg,omitempty"`
}

// Sensor is a stand-alone radar (early warning, surveillance) feeding the common air picture.
type Sensor struct {
	ID        string `yaml:"id" json:"id"`
	Point     `yaml:",inline" json:",inline"`
	Siting    `yaml:",inline" json:",inline"`
	RadarSpec `yaml:",inline" json:",inline"`
}

// FireUnit is one battery or launcher group of a catalog system class.
type FireUnit struct {
	ID     string `yaml:"id" json:"id"`
	Class  string `yaml:"class" json:"class"`
	Point  `yaml:",inline" json:",inline"`
	Siting `yaml:",inline" json:",inline"`
	// Overrides of the class figures; zero/absent keeps the class value.
	FireChannels  int     `yaml:"fire_channels,omitempty" json:"fire_channels,omitempty"`
	ReactionTimeS float64 `yaml:"reaction_time_s,omitempty" json:"reaction_time_s,omitempty"`
	// Magazine maps a weapon id of the class to the rounds (missiles, or gun rounds) held.
	Magazine map[string]int `yaml:"magazine,omitempty" json:"magazine,omitempty"`
	// Radar overrides fields of the class's organic engagement radar.
	Radar *RadarSpec `yaml:"radar,omitempty" json:"radar,omitempty"`
	// EngageCategories restricts the threat categories this unit may engage (rules of
	// engagement, e.g. a long-range battery told to leave drones to the inner layers). Empty
	// means every category its weapons have a kill probability for.
	EngageCategories []string `yaml:"engage_categories,omitempty" json:"engage_categories,omitempty"`
}

// Raid is a group of threats of one class launched over a time window.
type Raid struct {
	ID    string `yaml:"id" json:"id"`
	Class string `yaml:"class" json:"class"`
	Count int    `yaml:"count" json:"count"`
	// Launch times are spread over [LaunchStartS, LaunchEndS]: evenly, or uniformly at random
	// when Spacing is "random".
	LaunchStartS float64 `yaml:"launch_start_s" json:"launch_start_s"`
	LaunchEndS   float64 `yaml:"launch_end_s" json:"launch_end_s"`
	Spacing      string  `yaml:"spacing,omitempty" json:"spacing,omitempty"`
	// From is the launch point; with FromRadiusKm > 0, the centre of a circular launch area.
	From         Point   `yaml:"from" json:"from"`
	FromRadiusKm float64 `yaml:"from_radius_km,omitempty" json:"from_radius_km,omitempty"`
	// Targets lists asset ids; the raid's threats are dealt to them in turn. Empty with a Route
	// means the threats fly the route and leave (aircraft) or crash at its end.
	Targets []string `yaml:"targets,omitempty" json:"targets,omitempty"`
	// Route waypoints flown after launch, before turning to the target.
	Route []Point `yaml:"route,omitempty" json:"route,omitempty"`
	// AltitudeM overrides the class cruise altitude (height above ground, m).
	AltitudeM float64 `yaml:"altitude_m,omitempty" json:"altitude_m,omitempty"`
	// SpeedKmh overrides the class cruise speed.
	SpeedKmh float64 `yaml:"speed_kmh,omitempty" json:"speed_kmh,omitempty"`
}

// Figure is one catalog number with its provenance: a public source, or an assumption that the
// user is expected to change. In YAML it is either a plain number (scenario overrides) or a
// mapping {value, source} / {value, assumption}.
type Figure struct {
	Value      float64 `yaml:"value" json:"value"`
	Source     string  `yaml:"source,omitempty" json:"source,omitempty"`
	Assumption string  `yaml:"assumption,omitempty" json:"assumption,omitempty"`
}

// Assumed reports whether the figure is an assumption rather than a published value.
func (f Figure) Assumed() bool { return f.Source == "" }

// Catalog holds system and threat classes.
type Catalog struct {
	Systems []SystemClass `yaml:"systems,omitempty" json:"systems,omitempty"`
	Threats []ThreatClass `yaml:"threats,omitempty" json:"threats,omitempty"`
}

// Threat categories: the keys of kill-probability tables.
const (
	CategoryDrone            = "drone"
	CategoryCruiseMissile    = "cruise_missile"
	CategoryBallisticMissile = "ballistic_missile"
	CategoryAircraft         = "aircraft"
)

// Layers of the defence.
const (
	LayerLong   = "long"
	LayerMedium = "medium"
	LayerShort  = "short"
)

// SystemClass is a class of fire unit (a SAM system or a gun/missile system).
type SystemClass struct {
	ID          string `yaml:"id" json:"id"`
	Name        string `yaml:"name" json:"name"`
	Layer       string `yaml:"layer" json:"layer"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Radar is the organic engagement (fire-control) radar.
	Radar         RadarFigures `yaml:"radar" json:"radar"`
	FireChannels  Figure       `yaml:"fire_channels" json:"fire_channels"`
	ReactionTimeS Figure       `yaml:"reaction_time_s" json:"reaction_time_s"`
	Weapons       []Weapon     `yaml:"weapons" json:"weapons"`
}

// RadarFigures is a radar's performance with provenance.
type RadarFigures struct {
	RefRangeKm        Figure `yaml:"ref_range_km" json:"ref_range_km"`
	RefRCSM2          Figure `yaml:"ref_rcs_m2" json:"ref_rcs_m2"`
	RefPd             Figure `yaml:"ref_pd" json:"ref_pd"`
	Pfa               Figure `yaml:"pfa" json:"pfa"`
	MaxRangeKm        Figure `yaml:"max_range_km" json:"max_range_km"`
	ScanPeriodS       Figure `yaml:"scan_period_s" json:"scan_period_s"`
	MinElevationDeg   Figure `yaml:"min_elevation_deg" json:"min_elevation_deg"`
	MaxElevationDeg   Figure `yaml:"max_elevation_deg" json:"max_elevation_deg"`
	SigmaRangeM       Figure `yaml:"sigma_range_m" json:"sigma_range_m"`
	SigmaAzimuthDeg   Figure `yaml:"sigma_azimuth_deg" json:"sigma_azimuth_deg"`
	SigmaElevationDeg Figure `yaml:"sigma_elevation_deg" json:"sigma_elevation_deg"`
}

// Weapon kinds.
const (
	KindMissile = "missile"
	KindGun     = "gun"
)

// Weapon is one interceptor type or gun of a system class.
type Weapon struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	Kind string `yaml:"kind" json:"kind"` // "missile" or "gun"
	// Engagement envelope.
	MinRangeKm Figure `yaml:"min_range_km" json:"min_range_km"`
	MaxRangeKm Figure `yaml:"max_range_km" json:"max_range_km"`
	MinAltM    Figure `yaml:"min_alt_m" json:"min_alt_m"`
	MaxAltM    Figure `yaml:"max_alt_m" json:"max_alt_m"`
	// Magazine is the default number of rounds per fire unit.
	Magazine Figure `yaml:"magazine" json:"magazine"`
	// Missiles: mean flyout speed; guns: muzzle velocity.
	SpeedMps Figure `yaml:"speed_mps" json:"speed_mps"`
	// Guns only: rounds per burst and time between bursts.
	BurstRounds  Figure `yaml:"burst_rounds,omitempty" json:"burst_rounds,omitempty"`
	BurstPeriodS Figure `yaml:"burst_period_s,omitempty" json:"burst_period_s,omitempty"`
	// Pk is the kill probability of one missile (or one gun burst) by threat category: the
	// planning figure of command and control (and the engine's kill probability for a weapon
	// without the physics figures below).
	Pk map[string]Figure `yaml:"pk" json:"pk"`
	// CostUSD per round (missile) or per burst (gun).
	CostUSD Figure `yaml:"cost_usd,omitempty" json:"cost_usd,omitempty"`

	// Missile flyout physics (engage.MissileSpec, docs/engagement.md). Optional as a group:
	// a missile that gives none of them flies the first-fidelity constant-speed model; one
	// that gives any must give all the required ones (see docs/scenario.md).
	BoostThrustN   Figure `yaml:"boost_thrust_n,omitempty" json:"boost_thrust_n,omitempty"`
	BoostTimeS     Figure `yaml:"boost_time_s,omitempty" json:"boost_time_s,omitempty"`
	SustainThrustN Figure `yaml:"sustain_thrust_n,omitempty" json:"sustain_thrust_n,omitempty"`
	SustainTimeS   Figure `yaml:"sustain_time_s,omitempty" json:"sustain_time_s,omitempty"`
	MassLaunchKg   Figure `yaml:"mass_launch_kg,omitempty" json:"mass_launch_kg,omitempty"`
	MassBurnoutKg  Figure `yaml:"mass_burnout_kg,omitempty" json:"mass_burnout_kg,omitempty"`
	// DiameterM gives the drag reference area π·d²/4; Cd the (constant) drag coefficient.
	DiameterM      Figure `yaml:"diameter_m,omitempty" json:"diameter_m,omitempty"`
	Cd             Figure `yaml:"cd,omitempty" json:"cd,omitempty"`
	LaunchSpeedMps Figure `yaml:"launch_speed_mps,omitempty" json:"launch_speed_mps,omitempty"`
	// LoftDeg raises the launch direction above the line to the predicted intercept point.
	LoftDeg Figure `yaml:"loft_deg,omitempty" json:"loft_deg,omitempty"`
	// DiveDeg shapes midcourse guidance against a low, level target: the interceptor arrives
	// diving at this angle below the horizontal, holding its height until then (0 or
	// absent: it flies the chord; docs/engagement.md).
	DiveDeg       Figure `yaml:"dive_deg,omitempty" json:"dive_deg,omitempty"`
	MaxLateralG   Figure `yaml:"max_lateral_g,omitempty" json:"max_lateral_g,omitempty"`
	NavConstant   Figure `yaml:"nav_constant,omitempty" json:"nav_constant,omitempty"`
	SeekerFOVDeg  Figure `yaml:"seeker_fov_deg,omitempty" json:"seeker_fov_deg,omitempty"`
	LockOnRangeKm Figure `yaml:"lock_on_range_km,omitempty" json:"lock_on_range_km,omitempty"`
	MaxFlightS    Figure `yaml:"max_flight_s,omitempty" json:"max_flight_s,omitempty"`
	FuzeRangeM    Figure `yaml:"fuze_range_m,omitempty" json:"fuze_range_m,omitempty"`
	// Pk0 is the warhead's kill probability at zero miss, by threat category; the miss
	// distance lowers it through the Carleton damage function (CarletonSigmaM) or a cookie
	// cutter (LethalRadiusM).
	Pk0            map[string]Figure `yaml:"pk0,omitempty" json:"pk0,omitempty"`
	CarletonSigmaM Figure            `yaml:"carleton_sigma_m,omitempty" json:"carleton_sigma_m,omitempty"`
	LethalRadiusM  Figure            `yaml:"lethal_radius_m,omitempty" json:"lethal_radius_m,omitempty"`

	// Gun physics (engage.GunSpec): optional as a group like the missile's.
	RateOfFireRps  Figure `yaml:"rate_of_fire_rps,omitempty" json:"rate_of_fire_rps,omitempty"`
	DispersionMrad Figure `yaml:"dispersion_mrad,omitempty" json:"dispersion_mrad,omitempty"`
	AimErrorMrad   Figure `yaml:"aim_error_mrad,omitempty" json:"aim_error_mrad,omitempty"`
	// PkGivenHit is the probability that one hit kills, by threat category.
	PkGivenHit map[string]Figure `yaml:"pk_given_hit,omitempty" json:"pk_given_hit,omitempty"`
	// DragPerKm is the projectile's velocity decay constant k (v = v₀·exp(−k·s)), per km.
	DragPerKm Figure `yaml:"drag_per_km,omitempty" json:"drag_per_km,omitempty"`
}

// HasFlyout reports whether the weapon is a missile with flyout physics figures.
func (w *Weapon) HasFlyout() bool { return w.Kind == KindMissile && w.MassLaunchKg.Value > 0 }

// HasGunPhysics reports whether the weapon is a gun with its dispersion figures.
func (w *Weapon) HasGunPhysics() bool { return w.Kind == KindGun && w.DispersionMrad.Value > 0 }

// ThreatClass is a class of air threat.
type ThreatClass struct {
	ID          string `yaml:"id" json:"id"`
	Name        string `yaml:"name" json:"name"`
	Category    string `yaml:"category" json:"category"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	SpeedKmh    Figure `yaml:"speed_kmh" json:"speed_kmh"`
	// CruiseAltM is the height above ground in cruise (not used by ballistic missiles).
	CruiseAltM Figure `yaml:"cruise_alt_m" json:"cruise_alt_m"`
	RangeKm    Figure `yaml:"range_km" json:"range_km"`
	RCSM2      Figure `yaml:"rcs_m2" json:"rcs_m2"`
	WarheadKg  Figure `yaml:"warhead_kg" json:"warhead_kg"`
	// Ballistic missiles: launch flight-path angle above the horizontal; 0 means the
	// minimum-energy angle for the range.
	FlightPathAngleDeg Figure `yaml:"flight_path_angle_deg,omitempty" json:"flight_path_angle_deg,omitempty"`
	// CostUSD of one threat, for the cost exchange ratio.
	CostUSD Figure `yaml:"cost_usd,omitempty" json:"cost_usd,omitempty"`

	// Flight physics (package threat; all optional, docs/scenario.md gives the defaults).
	// Ballistic missiles: the ballistic coefficient m/(Cd·A) of the re-entering body, kg/m²
	// (0 or absent: drag-free).
	BallisticCoefficientKgm2 Figure `yaml:"ballistic_coefficient_kgm2,omitempty" json:"ballistic_coefficient_kgm2,omitempty"`
	// Drones, cruise missiles and aircraft: the heading's turn-rate limit (absent: turns
	// instantly), the climb/descent angle limit while holding height (absent: 30°) and the
	// terminal dive angle (absent: 30°); with PopUpHeightM and PopUpRangeKm the threat climbs
	// to that height at that ground range from its aim point before diving.
	TurnRateDps  Figure `yaml:"turn_rate_dps,omitempty" json:"turn_rate_dps,omitempty"`
	MaxClimbDeg  Figure `yaml:"max_climb_deg,omitempty" json:"max_climb_deg,omitempty"`
	DiveAngleDeg Figure `yaml:"dive_angle_deg,omitempty" json:"dive_angle_deg,omitempty"`
	PopUpHeightM Figure `yaml:"popup_height_m,omitempty" json:"popup_height_m,omitempty"`
	PopUpRangeKm Figure `yaml:"popup_range_km,omitempty" json:"popup_range_km,omitempty"`
	// PresentedAreaM2 is the area a gun's rounds must hit, m² (guns with dispersion figures
	// need it; without it they use the catalog's per-burst Pk).
	PresentedAreaM2 Figure `yaml:"presented_area_m2,omitempty" json:"presented_area_m2,omitempty"`
	// Aircraft: StandOffCount weapons of threat class StandOffClass, each released at
	// ReleaseRangeKm (ground range) from the raid's target; the aircraft then flies home.
	StandOffClass  string `yaml:"standoff_class,omitempty" json:"standoff_class,omitempty"`
	StandOffCount  Figure `yaml:"standoff_count,omitempty" json:"standoff_count,omitempty"`
	ReleaseRangeKm Figure `yaml:"release_range_km,omitempty" json:"release_range_km,omitempty"`
}
