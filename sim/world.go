package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/adsim/adsim/c2"
	"github.com/adsim/adsim/engage"
	"github.com/adsim/adsim/geo"
	"github.com/adsim/adsim/radar"
	"github.com/adsim/adsim/scenario"
	"github.com/adsim/adsim/threat"
	"github.com/adsim/adsim/track"
)

// Defaults for settings a scenario may leave out. Each is documented in docs/scenario.md.
const (
	defaultDecisionPeriod = 1.0
	defaultConfirmHits    = 2
	defaultDropAfter      = 20.0
	defaultAssetRadius    = 100.0
	defaultSalvo          = 2
	// trackQ is the tracker's process-noise density, m²/s³: about 3 m/s² of unmodelled
	// acceleration over a second, enough for waypoint turns of drones and cruise missiles.
	trackQ = 10.0
	// ballisticQScale multiplies trackQ for the tracks identified as ballistic (from the next
	// prediction on), which also get the local gravity as a known input (track.State.Accel).
	// Re-entry drag, tens of m/s² below 40 km, is still unmodelled acceleration that a filter
	// tuned for 3 m/s² lags behind until a detection falls outside its gate and a second
	// track starts on the same missile, orphaning the interceptors guided on the first (6.7
	// interceptors a replication of the default scenario before either). q = a²·T for the
	// white-noise acceleration model (Bar-Shalom, Li & Kirubarajan 2001, §6.2.2) with
	// a ≈ 17 m/s² and T = 1 s gives 300 m²/s³. Measured on the default scenario
	// (docs/tracking.md): 10 to 50 all but end the orphaned interceptors with the same leak
	// rate; 100 and 300 make the estimates so noisy that more Iskanders leak.
	ballisticQScale = 30.0
	// trackSigmaV0 is the velocity prior of a new track, m/s (covers ballistic speeds).
	trackSigmaV0 = 1000.0
	// maxTrackSigma deletes a track whose position standard deviation exceeds it, m.
	maxTrackSigma = 5000.0
	// scoreCutoff is the OSPA/GOSPA cut-off c of the engine's air-picture metrics, m (p = 1).
	scoreCutoff = 1000.0
	// Coverage margins: a track counts as covered up to this height (m) below the radar's
	// horizon and this angle below its lowest elevation.
	coverMargin      = 300.0
	coverMarginAngle = 1 * math.Pi / 180
	// tentativeTimeout drops a tentative track not updated for this long, s.
	tentativeTimeout = 5.0
	// Measurement-noise floors: the tracker needs a non-singular covariance.
	minSigmaRange = 1.0
	minSigmaAngle = 1e-4
	// seekerRange is the range (m) within which an interceptor homes on the true target
	// (terminal seeker); farther out it flies to the intercept point predicted from the track.
	seekerRange = 10000.0
	// lethalRadius is the miss distance (m) within which a warhead can kill; beyond it Pk is 0.
	lethalRadius = 20.0
	// maxTOFFactor: an interceptor self-destructs after this many times the flight time to
	// its maximum range at mean speed.
	maxTOFFactor = 1.5
)

type threatStatus uint8

const (
	pending threatStatus = iota
	flying
	destroyed
	leaked
)

type assetEnt struct {
	id               string
	pos              geo.Vec3
	value, remaining float64
	hardness, radius float64
}

type threatEnt struct {
	id, raid string
	class    *scenario.ThreatClass
	category string
	rcs      float64
	warhead  float64
	launchT  float64
	status   threatStatus
	flight   threat.Flight
	build    func() (threat.Flight, error)
	prev     geo.Vec3        // position at the start of the frame
	mp       geo.MovingPoint // prepared for line-of-sight tests, placed in frame hpFrame
	hpFrame  int
	// seenFrame is the frame of the threat's last detection in the perfect air picture
	// (perfectPicture): the other radars' scans of that frame need not look for it.
	seenFrame int
	// perfect: the threat is in the perfect picture (every threat with c2.picture perfect,
	// those of c2.perfect_categories in the mixed picture), not seen by the tracker.
	perfect bool
	kill    *rand.Rand // draws that decide kills against this threat (killDraw)
	target  int        // asset index, -1 for none
	prevVel geo.Vec3   // velocity at the start of the frame
	area    float64    // presented area to gun fire, m² (0: unknown)
	// Aircraft with stand-off weapons: the class they release and how many so far.
	standoff *scenario.ThreatClass
	released int
	egressed bool // an aircraft that released its weapons and flew home
	// maxSpeed bounds the threat's speed over its whole flight (m/s; 0: no bound known). A
	// routed flight keeps its constant airspeed in every phase, so a radar scan can tell when
	// a threat beyond its instrumented range cannot yet be back inside it (radarEnt.notBefore).
	maxSpeed float64
	// maxAlt bounds the threat's altitude above the frame's sphere over its whole flight (m;
	// 0: no bound known), and maxNorm2 is (R + maxAlt)², R the sphere's radius. The bound
	// comes from the flight's definition (routed flights hold their cruise or pop-up height
	// and dive straight onto their aim), but sense checks it at every frame with a scan and
	// drops it (dropAltitudeBound) if a position ever exceeds it: a scan skips a threat
	// beyond the radio horizon only while it holds (radarEnt.limit).
	maxAlt, maxNorm2 float64
	pos              geo.Vec3 // position during this frame's sensing phase (sense)
}

type radarEnt struct {
	id              string
	unit            int // fire-unit index, -1 for a stand-alone sensor
	pos             geo.Vec3
	east, north, up geo.Vec3
	model           radar.Model
	period          float64
	nextScan        float64
	minElev         float64 // max of the radar's limit and the surroundings mask, rad
	det             radar.Detector
	// Precomputed for the scan's cheap rejections: sines of the elevation limits and the
	// antenna prepared for line-of-sight tests.
	sinMin, sinMax float64
	hp             geo.HorizonPoint
	streams        []*rand.Rand // per threat, created on first use
	// notBefore, per threat, is a time before which the threat cannot be inside limit: the
	// scan skips it until then (see scan).
	notBefore []float64
	// limit, per threat, is the range beyond which the radar cannot see the threat: the
	// instrumented range, or less when the threat's altitude is bounded and the radio
	// horizon for that altitude is nearer (geo.Frame.SightRange); +Inf for none, 0 until
	// the scan first computes it (radarLimit).
	limit []float64
	// wake is a time before which the scan skips every threat (the least notBefore of the
	// threats flying at its last full pass, see scan), valid while wakeGen is
	// World.flyingGen: a launch, a release or a dropped altitude bound may put a threat in
	// reach earlier. Short-range radars spend most of a raid with every threat far out.
	wake    float64
	wakeGen int
	// check, in tests only, has sense look at every pair a scan skipped and count the skips
	// that missed a threat in view (checkSkips); nil in runs.
	check *skipCheck
	// The tracker's view of the radar: its measurement model, its coverage, and the
	// detections of the current scan.
	tmodel    *track.RangeAzEl
	coversAll func(pos [][3]float64, in []bool)
	lookPd    func(pos [3]float64) float64 // World.lookPd of this radar (track.Scan.LookPd)
	clutterAt func(pos [3]float64) float64 // World.clutterAt of this radar (track.Scan.ClutterAt)
	dets      []track.Detection
	pdets     []track.Detection // the scan's detections of threats in the perfect picture
	// False alarms per scan (Poisson mean Pfa × resolution cells, and exp(−mean) for the
	// draw) and the range over which they fall.
	faMean, faExp, faRange float64
	faStream               *rand.Rand
}

// skipCheck counts, for a test, the threat–radar pairs scans skipped (radarEnt.check):
// skipped in all, inRange of them within the instrumented range and the elevation limits
// (skipped for the radio horizon of their altitude bound), and wrong, those the radar would
// have seen — which must be none. asleep counts the scans that skipped every threat at once
// (radarEnt.wake); wrong counts too the flying threats such a scan skipped before their
// notBefore, which scanThreats would have looked at.
type skipCheck struct {
	skipped, inRange, wrong, asleep int
	before                          []float64 // notBefore before the scan
}

type weaponEnt struct {
	spec           *scenario.Weapon
	gun            bool
	minR, maxR     float64
	minAlt, maxAlt float64
	speed          float64
	maxTOF         float64
	rounds         int
	burstRounds    int
	burstPeriod    float64
	pk             map[string]float64
	reserved       int // missiles assigned but not yet launched
	// Physics (nil: the first-fidelity model): the missile's flyout, or the gun.
	fly   *flyoutSpec
	mount *engage.Gun
	pkh   map[string]float64 // gun: kill probability given a hit, by category
	// reach is the missile's kinematic reach and lofts (reachOf), once C2 has asked.
	reach *reachTable
}

type unitEnt struct {
	id, class, layer string
	pos              geo.Vec3
	radar            int
	channels, busy   int
	reaction         float64
	weapons          []*weaponEnt
	shots            int // interceptors and gun engagements so far (names streams)
	engages          map[string]bool
}

type engagementState uint8

const (
	preparing engagementState = iota
	inFlight
	gunFiring
	finished
)

type engagementEnt struct {
	unit, weapon int
	track        int // tracker ID of the track engaged
	trackName    string
	state        engagementState
	shotsLeft    int     // missiles still to launch (salvo)
	nextAt       float64 // next launch or burst time
	pk           float64
	fired        bool    // a shot (interceptor or burst) was fired
	openRange    float64 // gun: the range within which it fires at the track (c2.Option.OpenRange), m; 0: its maximum
}

type interceptorEnt struct {
	id     string
	eng    int
	m      *engage.Interceptor // first fidelity (weapons without flyout figures)
	prev   geo.Vec3
	done   bool
	target int      // threat its seeker acquired, -1 before acquisition
	aim    geo.Vec3 // intercept point predicted from the track
	// Flyout physics (weapons with flyout figures).
	mis  *engage.Missile
	fly  *flyoutSpec
	trk  trackView        // the track it is guided on, as last seen
	pred engage.Predictor // trk.at, bound once
	ev   engage.Event     // this frame's end of flyout, resolved in the fuze phase
}

// Options tune one run.
type Options struct {
	// Replication selects the random streams (0 for a single run).
	Replication uint64
	// Seed overrides the scenario seed when non-nil.
	Seed *uint64
	// Sink receives every event (nil: none beyond the outcome).
	Sink Sink
	// DetectEvents also logs every radar detection (many events; off for Monte Carlo).
	DetectEvents bool
	// FullDuration runs to the scenario's duration_s even after the raid is over (the
	// tracking statistics then include the false alarms tracked in the quiet time).
	FullDuration bool
	// Cache, when not nil, keeps what replications of the same scenario share (Cache); the
	// results are the same with or without it.
	Cache *Cache
	// NoPictureScore skips scoring the air picture against the truth each decision cycle
	// (OSPA, GOSPA, track breaks, identity switches: track.Scorer). The score only reads the
	// engine's state, so nothing else changes; Outcome.Tracking then holds only the engine's
	// own counts (false alarms, false-track engagements, interceptors wasted), its other
	// fields 0. Monte Carlo rows do not hold the score, and it is about 8 % of a tracked
	// replication of the default scenario.
	NoPictureScore bool
}

// World is one replication of a scenario, ready to run.
type World struct {
	scen    *scenario.Scenario
	frame   geo.Frame
	ground  float64
	dt      float64
	t       float64
	end     float64 // when the run ended: the end of the duration, or earlier when the raid was over
	frameNo int     // frames run so far; 0 before the first
	streams Streams
	cache   *Cache // shared with other replications of the scenario (nil: none)
	seed    uint64

	assets       []assetEnt
	threats      []*threatEnt
	radars       []*radarEnt
	units        []*unitEnt
	engagements  []*engagementEnt
	interceptors []*interceptorEnt
	bursts       []pendingBurst // gun bursts whose rounds are still in flight
	resolve      []resolution   // scratch: this frame's flyout ends and burst arrivals
	env          engage.Env     // interceptors' environment: gravity, atmosphere, ground
	tracker      *track.Tracker
	perfect      *perfectPicture // the perfect air picture (scenario c2.picture), nil: tracked
	// perfectAll: the perfect picture for every threat (c2.picture perfect). Otherwise, with
	// perfect set, the mixed picture (c2.perfect_categories): the threats of those categories
	// in the perfect picture, the others and the false alarms in the tracker's.
	perfectAll  bool
	mixed       []*track.Record // scratch of confirmed in the mixed picture
	perfectCats []string        // c2.perfect_categories
	tinfo       infoTable       // by track ID (IDs count up from 1)
	// The track filter's state indices of the position and velocity axes, looked up once
	// (recordState and velocitySigma run for every confirmed track at every decision).
	posIdx, velIdx []int
	// truncOut is inTheAir's scratch: the constrained mean.
	truncOut    []float64
	dropAfter   float64
	scorer      track.Scorer
	falseAlarms int
	// catFigures are the mean warhead and cost per threat category over the scenario's
	// classes: what C2 assumes once it has identified a track's category.
	catFigures map[string]categoryFigures
	// weighLooks is c2.weigh_looks: the tracker weighs misses by World.lookPd.
	weighLooks bool
	// constantTOF is c2.time_of_flight "constant": missiles' times of flight are planned at
	// the catalog's speed, not from their reach tables' flyouts (weaponEnt.flight).
	constantTOF bool
	// trackRCS is the cross-section (m²) for which the tracker expects its radars' looks to
	// detect a target: the smallest of the scenario's threat classes (World.lookPd).
	trackRCS float64
	// catFig is catFigures of each of classify's categories, indexed as categories.
	catFig       [len(categories)]categoryFigures
	planner      c2.Planner
	nextDecision float64
	decision     float64
	doctrine     string
	salvo        int
	ballistic    string

	sink Sink
	rec  *recorder
	// logTracks: the caller's sink (Options.Sink) gets track life-cycle events in full;
	// without one only the recorder reads them (trackEvent).
	logTracks bool
	detects   bool
	full      bool
	noScore   bool // Options.NoPictureScore
	// aroundDecide, when set (tests and benchmarks only), is called with the decision phase
	// instead of it, to time it or record its input; it must call decide once.
	aroundDecide func(decide func())
	ev           Event
	// flyingGen counts the events that can bring a threat within a scan's reach before its
	// notBefore: launches, releases and dropped altitude bounds (radarEnt.wake). It starts
	// at 1 so that a radar's zero wakeGen is never current.
	flyingGen int
	// noWake, in tests only, has every scan look at the threats (radarEnt.wake unused).
	noWake bool

	// scratch for decisions
	c2tracks   []c2.Track
	c2trackIDs []int
	c2units    []c2.Unit
	c2assets   []c2.Asset
	// alsoSets[m] lists the categories of the bit set m (alsoMask), for c2.Track.Also.
	alsoSets [1 << len(categories)][]string
	// the last point prepared for line-of-sight tests by canSee
	hpKey   geo.Vec3
	hpVal   geo.HorizonPoint
	hpValid bool
	// scratch for scoring
	sTruthIDs, sTrackIDs []int
	sTruths, sTracks     [][3]float64
}

// categoryFigures are what C2 assumes of a threat of a category: mean warhead (kg), cost (USD)
// and presented area to gun fire (m², over the classes that have one; 0: none has).
type categoryFigures struct{ warhead, cost, area, beta float64 }

// New builds the world of a scenario. cat is the catalog the scenario was validated against
// (its own catalog section merged in).
func New(s *scenario.Scenario, cat *scenario.Catalog, opt Options) (*World, error) {
	w := &World{scen: s, detects: opt.DetectEvents, full: opt.FullDuration, noScore: opt.NoPictureScore, cache: opt.Cache, flyingGen: 1}
	w.seed = s.Seed
	if opt.Seed != nil {
		w.seed = *opt.Seed
	}
	w.streams = Streams{Seed: w.seed, Replication: opt.Replication}
	w.dt = s.FrameStepS
	if w.dt == 0 {
		w.dt = scenario.DefaultFrameStepS
	}
	w.frame = scenarioFrame(s)
	w.ground = w.frame.Ground()
	w.env = engage.DefaultEnv(&w.frame)
	w.env.GroundAlt = w.ground
	w.alsoSets = alsoSetsFor()

	w.decision = orDefault(s.C2.DecisionPeriodS, defaultDecisionPeriod)
	w.doctrine = s.C2.Doctrine
	if w.doctrine == "" {
		w.doctrine = c2.ShootLookShoot
	}
	w.salvo = s.C2.Salvo
	if w.salvo == 0 {
		w.salvo = defaultSalvo
	}
	w.ballistic = scenario.CategoryBallisticMissile
	confirm := int(orDefault(float64(s.C2.ConfirmHits), defaultConfirmHits))
	filter := track.NewKalman(track.CVModel{N: 3, Q: trackQ})
	// The state indices of position and velocity, looked up once: the deleter, C2 and the
	// scoring read them for every track at every scan or cycle.
	for a := 0; a < filter.Axes(); a++ {
		w.posIdx = append(w.posIdx, filter.PosIndex(a))
		w.velIdx = append(w.velIdx, filter.VelIndex(a))
	}
	w.dropAfter = orDefault(s.C2.DropAfterS, defaultDropAfter)
	if s.C2.Picture == scenario.PicturePerfect || len(s.C2.PerfectCategories) > 0 {
		n := 0
		for a := range w.posIdx {
			n = max(n, w.posIdx[a]+1, w.velIdx[a]+1)
		}
		w.perfect = &perfectPicture{n: n}
		w.perfectAll = s.C2.Picture == scenario.PicturePerfect
		w.perfectCats = slices.Clone(s.C2.PerfectCategories)
	}
	cfg := track.TrackerConfig{
		Filter:   filter,
		ConfirmM: confirm, ConfirmN: confirm + 1,
		SigmaV0: trackSigmaV0, TentativeTimeout: tentativeTimeout,
		// The engine refers to tracks by ID (World.record) and reads a deleted record only
		// in the scan that deletes it (trackEvent), so the tracker may reuse it afterwards.
		ReuseRecords: true,
		Deleter:      &staleDeleter{after: w.dropAfter, maxVar: maxTrackSigma * maxTrackSigma, pos: w.posIdx},
	}
	w.constantTOF = s.C2.TimeOfFlight == scenario.TimeOfFlightConstant
	if s.C2.WeighLooks {
		// A tentative track's misses weighted by what each radar could have seen
		// (World.lookPd): a dozen radars cover a track, and a low drone flies below the
		// horizon of most of them. Without plots below the ground (World.aboveGround),
		// which no radar can see and no miss would weigh against.
		w.weighLooks = true
		cfg.Confirmer = track.ScoreGate{Confirmer: track.PdMofN{M: confirm, N: confirm + 1}, MinScore: confirmScore}
		cfg.Admit = w.aboveGround
	}
	tr, err := track.NewTracker(cfg)
	if err != nil {
		return nil, fmt.Errorf("tracker: %w", err)
	}
	w.tracker = tr
	if w.perfect != nil && !w.perfectAll {
		w.perfect.ids = tr // one ID space for the tracks of both pictures
	}
	w.scorer = track.Scorer{Metric: track.Metric{C: scoreCutoff, P: 1}}
	w.planner = c2.Planner{Config: c2.Config{Doctrine: w.doctrine, Salvo: w.salvo, Method: s.C2.Assignment,
		Layered: s.C2.Layered, LayerMargin: s.C2.LayerMarginS, Reserve: s.C2.Reserve, HighValue: s.C2.HighValue,
		GunsFirst: s.C2.GunsFirst, CheapUSD: s.C2.CheapUSD, Cueing: s.C2.Cueing, MaxPerTrack: s.C2.MaxPerTrack,
		GunOpenFirePk: DefaultGunOpenFirePk},
		Up: w.frame.Up, Altitude: w.altitude, BallisticCategory: w.ballistic,
		// C2 predicts ballistic tracks with the engine's own earth and re-entry atmosphere:
		// what it does not know is the track's true state and the class's true β.
		Globe:      engage.Globe{Centre: w.frame.Centre(), Radius: w.frame.Radius(), GM: geo.WGS84GM},
		Atmosphere: reentryAtmosphere()}

	if s.C2.GunOpenFirePk != nil {
		w.planner.GunOpenFirePk = *s.C2.GunOpenFirePk
	}
	w.planner.MultiCategories = setOf(s.C2.MaxPerTrackCategories)
	for _, a := range s.Assets {
		w.assets = append(w.assets, assetEnt{id: a.ID, pos: w.site(a.Point, 0), value: a.Value,
			remaining: a.Value, hardness: a.HardnessKg, radius: orDefault(a.RadiusM, defaultAssetRadius)})
	}
	for i := range s.Sensors {
		sn := &s.Sensors[i]
		m, period, err := radarModel(sn.RadarSpec, nil)
		if err != nil {
			return nil, fmt.Errorf("sensor %q: %w", sn.ID, err)
		}
		w.addRadar(sn.ID, -1, sn.Point, sn.Siting, m, period)
	}
	for i := range s.FireUnits {
		fu := &s.FireUnits[i]
		if err := w.addUnit(fu, cat); err != nil {
			return nil, fmt.Errorf("fire unit %q: %w", fu.ID, err)
		}
	}
	for i := range s.Raids {
		if err := w.addRaid(&s.Raids[i], cat); err != nil {
			return nil, fmt.Errorf("raid %q: %w", s.Raids[i].ID, err)
		}
	}
	// What C2 assumes of a track once identified: the mean warhead and cost of the scenario's
	// threat classes of that category, and their mean drag: the ballistic coefficient whose
	// 1/β is the mean of the classes' 1/β (a drag-free class counting 0), since drag
	// deceleration goes with 1/β.
	// Stand-off weapons an aircraft will release count with the weapons' category.
	w.catFigures = map[string]categoryFigures{}
	count, areaCount := map[string]float64{}, map[string]float64{}
	add := func(c *scenario.ThreatClass, n float64) {
		f := w.catFigures[c.Category]
		f.warhead += n * c.WarheadKg.Value
		f.cost += n * c.CostUSD.Value
		if b := c.BallisticCoefficientKgm2.Value; b > 0 {
			f.beta += n / b // the sum of 1/β until the mean below
		}
		if a := c.PresentedAreaM2.Value; a > 0 {
			f.area += n * a
			areaCount[c.Category] += n
		}
		w.catFigures[c.Category] = f
		count[c.Category] += n
	}
	for _, te := range w.threats {
		add(te.class, 1)
		if te.standoff != nil {
			add(te.standoff, te.class.StandOffCount.Value)
		}
	}
	// With c2.weigh_looks the tracker weighs a miss by the radar's Pd for the smallest
	// cross-section of the scenario's threat classes (World.lookPd): the target it must not
	// lose.
	w.trackRCS = math.Inf(1)
	for _, te := range w.threats {
		w.trackRCS = math.Min(w.trackRCS, te.class.RCSM2.Value)
		if te.standoff != nil {
			w.trackRCS = math.Min(w.trackRCS, te.standoff.RCSM2.Value)
		}
	}
	for c, f := range w.catFigures {
		f = categoryFigures{warhead: f.warhead / count[c], cost: f.cost / count[c]}
		if drag := w.catFigures[c].beta / count[c]; drag > 0 {
			f.beta = 1 / drag
		}
		if n := areaCount[c]; n > 0 {
			f.area = w.catFigures[c].area / n
		}
		w.catFigures[c] = f
	}
	for i, c := range categories {
		w.catFig[i] = w.catFigures[c]
	}
	// Launch order is by time, then by id, so the frame loop can launch from the front.
	sort.SliceStable(w.threats, func(i, j int) bool { return w.threats[i].launchT < w.threats[j].launchT })
	w.rec = newRecorder(w)
	if opt.Sink != nil {
		w.sink = multiSink{w.rec, opt.Sink}
		w.logTracks = true
	} else {
		w.sink = w.rec
	}
	return w, nil
}

// scenarioFrame is the frame a run of s works in: at its origin, or without one at its assets'
// centroid, the ground flat at the origin's altitude.
func scenarioFrame(s *scenario.Scenario) geo.Frame {
	origin := s.Origin
	if origin == nil {
		var o scenario.Point
		// The assets' centroid, its altitude theirs too: alt_m is a site's ground elevation,
		// and the engine's ground is flat at the origin's (sea level under assets on a
		// plateau sent low threats through the plateau).
		for _, a := range s.Assets {
			o.LatDeg += a.LatDeg / float64(len(s.Assets))
			o.LonDeg += a.LonDeg / float64(len(s.Assets))
			o.AltM += a.AltM / float64(len(s.Assets))
		}
		origin = &o
	}
	// Line of sight over the ground, not over the sea level below it: heights above a
	// plateau set the radio horizon (geo.Frame.WithGround).
	return geo.NewFrame(geo.LLADeg(origin.LatDeg, origin.LonDeg, origin.AltM)).WithGround(origin.AltM)
}

// reentryAtmosphere is the threat package's atmosphere of ballistic flight
// (threat.StandardAtmosphere), as C2's predictions take it.
func reentryAtmosphere() engage.Atmosphere {
	a := threat.StandardAtmosphere()
	return engage.Atmosphere{Rho0: a.Rho0, ScaleHeight: a.ScaleHeight}
}

func orDefault(v, d float64) float64 {
	if v == 0 {
		return d
	}
	return v
}

// altitude is the height above the (flat, at origin altitude) ground of a point, m.
func (w *World) altitude(p geo.Vec3) float64 { return w.frame.Altitude(p) - w.ground }

// site returns the local position of a point at height h above its ground.
func (w *World) site(p scenario.Point, h float64) geo.Vec3 {
	g := p.AltM
	if g == 0 {
		g = w.ground
	}
	return w.frame.ToLocal(geo.LLADeg(p.LatDeg, p.LonDeg, g+h))
}

// antennaHeight is the height above ground of a sited antenna or launcher.
func antennaHeight(s scenario.Siting) float64 {
	if s.Rooftop != nil {
		return s.Rooftop.BuildingHeightM + s.Rooftop.MastM
	}
	return s.HeightAGLM
}

// maskAngle is the elevation below which the surrounding buildings hide the sky from an
// antenna at height h: atan((building − h)/distance), or −π/2 when the antenna is above them.
func maskAngle(s scenario.Siting, h float64) float64 {
	if s.Surroundings == nil || s.Surroundings.BuildingHeightM <= h || s.Surroundings.DistanceM <= 0 {
		return -math.Pi / 2
	}
	return math.Atan((s.Surroundings.BuildingHeightM - h) / s.Surroundings.DistanceM)
}

func deg(d float64) float64 { return d * math.Pi / 180 }

// radarModel converts a file radar spec to the model, with optional class figures underneath.
func radarModel(spec scenario.RadarSpec, class *scenario.RadarFigures) (radar.Model, float64, error) {
	pick := func(v float64, f func() scenario.Figure) float64 {
		if v != 0 || class == nil {
			return v
		}
		return f().Value
	}
	var c scenario.RadarFigures
	if class != nil {
		c = *class
	}
	m := radar.Model{
		RefRange:       1000 * pick(spec.RefRangeKm, func() scenario.Figure { return c.RefRangeKm }),
		RefRCS:         pick(spec.RefRCSM2, func() scenario.Figure { return c.RefRCSM2 }),
		RefPd:          pick(spec.RefPd, func() scenario.Figure { return c.RefPd }),
		Pfa:            pick(spec.Pfa, func() scenario.Figure { return c.Pfa }),
		MaxRange:       1000 * pick(spec.MaxRangeKm, func() scenario.Figure { return c.MaxRangeKm }),
		SigmaRange:     pick(spec.SigmaRangeM, func() scenario.Figure { return c.SigmaRangeM }),
		SigmaAzimuth:   deg(pick(spec.SigmaAzimuthDeg, func() scenario.Figure { return c.SigmaAzimuthDeg })),
		SigmaElevation: deg(pick(spec.SigmaElevationDeg, func() scenario.Figure { return c.SigmaElevationDeg })),
	}
	if m.RefPd == 0 {
		m.RefPd = radar.DefaultRefPd
	}
	if m.Pfa == 0 {
		m.Pfa = radar.DefaultPfa
	}
	// No limit unless the class or the file sets one (docs/scenario.md).
	m.MinElevation, m.MaxElevation = -math.Pi/2, math.Pi/2
	if class != nil {
		m.MinElevation, m.MaxElevation = deg(c.MinElevationDeg.Value), deg(c.MaxElevationDeg.Value)
		if c.MaxElevationDeg.Value == 0 {
			m.MaxElevation = deg(90)
		}
	}
	if spec.MinElevationDeg != nil {
		m.MinElevation = deg(*spec.MinElevationDeg)
	}
	if spec.MaxElevationDeg != nil {
		m.MaxElevation = deg(*spec.MaxElevationDeg)
	}
	period := pick(spec.ScanPeriodS, func() scenario.Figure { return c.ScanPeriodS })
	if err := m.Validate(); err != nil {
		return m, 0, err
	}
	if !(period > 0) {
		return m, 0, fmt.Errorf("scan period must be positive, got %v s", period)
	}
	return m, period, nil
}

// confirmScore is the score a tentative track needs to be confirmed with c2.weigh_looks
// (track.ScoreGate): Wald's threshold ln((1 − β)/α) for a false-track probability α = 10⁻³
// per tentative track and a probability β = 0.01 of dropping a true one. About 4,400 false
// alarms a replication start tentative tracks in the default scenario.
var confirmScore = math.Log((1 - 0.01) / 1e-3)

func (w *World) addRadar(id string, unit int, p scenario.Point, s scenario.Siting, m radar.Model, period float64) int {
	h := antennaHeight(s)
	pos := w.site(p, h)
	up := w.frame.Up(pos)
	ex := geo.Vec3{X: 1}
	east := ex.Sub(up.Scale(ex.Dot(up))).Unit()
	r := &radarEnt{id: id, unit: unit, pos: pos, up: up, east: east, north: up.Cross(east),
		model: m, period: period, minElev: math.Max(m.MinElevation, maskAngle(s, h)), det: m.Detector()}
	r.sinMin, r.sinMax = math.Sin(r.minElev), math.Sin(m.MaxElevation)
	r.hp = w.frame.HorizonPoint(pos)
	r.tmodel = &track.RangeAzEl{Origin: [3]float64{pos.X, pos.Y, pos.Z},
		East: [3]float64{east.X, east.Y, east.Z}, North: [3]float64{r.north.X, r.north.Y, r.north.Z}, Up: [3]float64{up.X, up.Y, up.Z},
		SigmaRange: math.Max(m.SigmaRange, minSigmaRange), SigmaAz: math.Max(m.SigmaAzimuth, minSigmaAngle),
		SigmaEl: math.Max(m.SigmaElevation, minSigmaAngle)}
	// Coverage as the tracker sees it (see coverage): asked about every track at every
	// non-empty scan, in one call per scan.
	r.coversAll = newCoverage(w.frame, pos, up, r.minElev, m.MaxElevation, m.MaxRange).coversAll
	r.lookPd = func(p [3]float64) float64 { return w.lookPd(r, p) }
	r.clutterAt = func(p [3]float64) float64 { return w.clutterAt(r, p) }
	// False alarms: Pfa per resolution cell and scan over the range cells × azimuth beams of
	// the coverage (radar.FalseAlarmMean).
	r.faRange = radar.FalseAlarmCoverage(m.MaxRange, m.RefRange)
	r.faMean = radar.FalseAlarmMean(m.Pfa, r.faRange)
	r.faExp = math.Exp(-r.faMean)
	w.radars = append(w.radars, r)
	return len(w.radars) - 1
}

func (w *World) addUnit(fu *scenario.FireUnit, cat *scenario.Catalog) error {
	cl, ok := cat.System(fu.Class)
	if !ok {
		return fmt.Errorf("unknown system class %q", fu.Class)
	}
	u := &unitEnt{id: fu.ID, class: cl.ID, layer: cl.Layer, pos: w.site(fu.Point, antennaHeight(fu.Siting)),
		channels: fu.FireChannels, reaction: fu.ReactionTimeS}
	u.engages = setOf(fu.EngageCategories)
	if u.channels == 0 {
		u.channels = int(cl.FireChannels.Value)
	}
	if u.reaction == 0 {
		u.reaction = cl.ReactionTimeS.Value
	}
	var spec scenario.RadarSpec
	if fu.Radar != nil {
		spec = *fu.Radar
	}
	m, period, err := radarModel(spec, &cl.Radar)
	if err != nil {
		return fmt.Errorf("radar: %w", err)
	}
	u.radar = w.addRadar(fu.ID, len(w.units), fu.Point, fu.Siting, m, period)
	for i := range cl.Weapons {
		wp := &cl.Weapons[i]
		we := &weaponEnt{spec: wp, gun: wp.Kind == scenario.KindGun,
			minR: 1000 * wp.MinRangeKm.Value, maxR: 1000 * wp.MaxRangeKm.Value,
			minAlt: wp.MinAltM.Value, maxAlt: wp.MaxAltM.Value, speed: wp.SpeedMps.Value,
			rounds: int(wp.Magazine.Value), burstRounds: int(wp.BurstRounds.Value),
			burstPeriod: wp.BurstPeriodS.Value, pk: map[string]float64{}}
		if n, ok := fu.Magazine[wp.ID]; ok {
			we.rounds = n
		}
		for k, f := range wp.Pk {
			we.pk[k] = f.Value
		}
		if we.speed > 0 {
			we.maxTOF = maxTOFFactor * we.maxR / we.speed
		}
		if we.gun && we.burstRounds <= 0 {
			return fmt.Errorf("gun %q: burst_rounds must be positive", wp.ID)
		}
		if err := w.addPhysics(we, wp); err != nil {
			return fmt.Errorf("weapon %q: %w", wp.ID, err)
		}
		u.weapons = append(u.weapons, we)
	}
	w.units = append(w.units, u)
	return nil
}

func (w *World) addRaid(r *scenario.Raid, cat *scenario.Catalog) error {
	cl, ok := cat.Threat(r.Class)
	if !ok {
		return fmt.Errorf("unknown threat class %q", r.Class)
	}
	rng := w.streams.Stream("raid", r.ID, "launch")
	speed := orDefault(r.SpeedKmh, cl.SpeedKmh.Value) / 3.6
	alt := w.ground + orDefault(r.AltitudeM, cl.CruiseAltM.Value)
	centre := geo.LLADeg(r.From.LatDeg, r.From.LonDeg, 0)
	var route []geo.Vec3
	for _, p := range r.Route {
		route = append(route, w.site(p, 0))
	}
	for i := 0; i < r.Count; i++ {
		te := &threatEnt{id: fmt.Sprintf("%s-%02d", r.ID, i+1), raid: r.ID, class: cl, category: cl.Category, perfect: w.inPerfect(cl.Category),
			rcs: cl.RCSM2.Value, warhead: cl.WarheadKg.Value, target: -1, area: cl.PresentedAreaM2.Value}
		if cl.StandOffClass != "" {
			so, ok := cat.Threat(cl.StandOffClass)
			if !ok || so.Category == scenario.CategoryAircraft {
				return fmt.Errorf("class %q: stand-off weapon class %q is not a weapon class of the catalog", cl.ID, cl.StandOffClass)
			}
			te.standoff = so
		}
		switch {
		case r.Count == 1:
			te.launchT = r.LaunchStartS
		case r.Spacing == "random":
			te.launchT = r.LaunchStartS + rng.Float64()*(r.LaunchEndS-r.LaunchStartS)
		default:
			te.launchT = r.LaunchStartS + (r.LaunchEndS-r.LaunchStartS)*float64(i)/float64(r.Count-1)
		}
		// Launch point: uniform over the launch disc (radius·√u for uniform area).
		from := centre
		if r.FromRadiusKm > 0 {
			d := 1000 * r.FromRadiusKm * math.Sqrt(rng.Float64())
			from = geo.Direct(centre, 2*math.Pi*rng.Float64(), d)
		}
		start := w.frame.ToLocal(geo.LLA{Lat: from.Lat, Lon: from.Lon, Alt: w.ground})
		legs := append([]geo.Vec3(nil), route...)
		terminal := false
		if len(r.Targets) > 0 {
			ai := w.assetIndex(r.Targets[i%len(r.Targets)])
			if ai < 0 {
				return fmt.Errorf("unknown target asset %q", r.Targets[i%len(r.Targets)])
			}
			te.target = ai
			legs = append(legs, w.assets[ai].pos)
			terminal = true
		}
		if len(legs) == 0 {
			return fmt.Errorf("needs targets or a route")
		}
		if cl.Category == scenario.CategoryBallisticMissile {
			if te.target < 0 {
				return fmt.Errorf("a ballistic raid needs targets")
			}
			aim := w.assets[te.target].pos
			spec := threat.BallisticSpec{Beta: cl.BallisticCoefficientKgm2.Value, Phi: deg(cl.FlightPathAngleDeg.Value),
				DescentDrag: true}
			// Solved now rather than at launch, so that a class that cannot reach its target
			// (a flight-path angle too steep for the range) is an error before the run.
			earth := threat.RoundEarth(&w.frame)
			l, err := w.cache.ballisticLaunch(earth, start, aim, spec)
			if err != nil {
				return fmt.Errorf("threat %q (class %q, flight_path_angle_deg %g) cannot reach asset %q: %w; lower the class's flight_path_angle_deg (0: the minimum-energy angle)",
					te.id, cl.ID, cl.FlightPathAngleDeg.Value, w.assets[te.target].id, err)
			}
			te.build = func() (threat.Flight, error) { return threat.LaunchBallistic(earth, l.Pos, l.Vel, spec), nil }
		} else {
			te.maxSpeed = speed
			spec := w.routeSpec(cl, speed, alt, terminal)
			w.setAltitudeBound(te, spec)
			if te.standoff != nil && te.target >= 0 {
				weapons := make([]threat.StandOff, int(cl.StandOffCount.Value))
				for k := range weapons {
					weapons[k] = threat.StandOff{Target: w.assets[te.target].pos, ReleaseRange: 1000 * cl.ReleaseRangeKm.Value}
				}
				te.build = func() (threat.Flight, error) {
					return threat.NewAircraft(&w.frame, start, legs, spec, weapons)
				}
			} else {
				te.build = func() (threat.Flight, error) { return threat.NewRouted(&w.frame, start, legs, spec) }
			}
		}
		w.threats = append(w.threats, te)
	}
	return nil
}

// altitudeMargin is what setAltitudeBound adds to a routed flight's highest commanded
// altitude (m): the height hold neither overshoots (its step is well within its lag) nor
// rises by more than millimetres with the earth's curvature. It only needs to keep the bound
// from being dropped at run time (sense checks it); a smaller bound skips more scans.
const altitudeMargin = 10

// setAltitudeBound sets the altitude bound of a routed threat (threatEnt.maxAlt): a routed
// flight starts at its cruise height, holds it or climbs to its pop-up height (over the
// engine's smooth earth), and dives along a straight line — below the higher of its two ends
// on the sphere — onto its aim point (the target asset); aircraft fly no terminal.
func (w *World) setAltitudeBound(te *threatEnt, spec threat.RouteSpec) {
	if spec.Terrain != nil {
		return // terrain following: no bound known
	}
	h := spec.Height
	if spec.Terminal.Mode == threat.PopUp {
		h = math.Max(h, spec.Terminal.PopUpHeight)
	}
	if spec.Terminal.Mode != threat.NoTerminal && te.target >= 0 {
		h = math.Max(h, w.frame.Altitude(w.assets[te.target].pos))
	}
	if !(h >= 0) || math.IsInf(h, 0) {
		return
	}
	te.maxAlt = h + altitudeMargin
	n := w.frame.Radius() + te.maxAlt
	te.maxNorm2 = n * n
}

func (w *World) assetIndex(id string) int {
	for i := range w.assets {
		if w.assets[i].id == id {
			return i
		}
	}
	return -1
}

// staleDeleter deletes a confirmed track not updated for `after` seconds, or whose position
// standard deviation exceeds maxSigma. With many radars of different reach looking at the same
// airspace, counting consecutive misses (track.MissDeleter) deletes live tracks whenever a few
// distant radars with a low Pd look in turn; the time since the last update does not depend on
// how many radars look. The tracker asks it about every confirmed track at every scan, so it
// is used by pointer (an interface holding the struct itself would copy it at every call).
type staleDeleter struct {
	after, maxVar float64
	pos           []int // state indices of the position axes (World.posIdx)
}

// Delete implements track.Deleter.
func (d *staleDeleter) Delete(_ track.Filter, r *track.Record) bool {
	if r.State.T-r.LastUpdate > d.after {
		return true
	}
	n := len(r.State.X)
	for _, p := range d.pos {
		if r.State.P[p*n+p] > d.maxVar {
			return true
		}
	}
	return false
}

// setOf is the set of a scenario's list of categories, nil (no restriction) when it is empty.
func setOf(list []string) map[string]bool {
	if len(list) == 0 {
		return nil
	}
	m := make(map[string]bool, len(list))
	for _, c := range list {
		m[c] = true
	}
	return m
}
