package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/adsim/adsim/geo"
	"github.com/adsim/adsim/radar"
	"github.com/adsim/adsim/scenario"
	"github.com/adsim/adsim/track"
)

// trackInfo is the engine's bookkeeping for one track of the tracker. truth is a label for
// analysis and scoring only — the threat whose detection last updated the track, −1 when that
// was a false alarm. Command and control never reads it.
type trackInfo struct {
	live    bool // the track exists (World.tinfo holds a slot for every ID seen)
	truth   int
	engaged int     // engagements under way against the track
	looked  float64 // time of the last engagement result: a new one waits for a fresh update
	// identified is set once C2 has identified the track (its velocity settled below
	// idVelocitySigma): from then on C2 sees it at every cycle.
	identified bool
}

// sense is the sensing phase: each radar due for a scan looks at the world as it now stands
// and hands its detections — threats seen and false alarms — to the tracker.
func (w *World) sense() error {
	due := false
	for _, r := range w.radars {
		if w.t >= r.nextScan-1e-9 {
			due = true
			break
		}
	}
	if !due {
		return nil // most frames: no scan reads the positions
	}
	// Where the threats are this frame, read once rather than once per radar and scan. The
	// altitude bounds the scans rely on are checked here, at every scan's positions.
	c := w.frame.Centre()
	for i, te := range w.threats {
		if te.status == flying {
			te.pos = te.flight.Pos()
			if te.maxAlt > 0 && !(te.pos.Sub(c).Norm2() <= te.maxNorm2) {
				w.dropAltitudeBound(i, te)
			}
		}
	}
	for ri, r := range w.radars {
		for w.t >= r.nextScan-1e-9 {
			if r.check != nil {
				r.check.before = append(r.check.before[:0], r.notBefore...)
			}
			if err := w.scan(ri, r); err != nil {
				return err
			}
			if r.check != nil {
				w.checkSkips(r)
			}
			r.nextScan += r.period
		}
	}
	return nil
}

// dropAltitudeBound forgets a threat's altitude bound once a position exceeds it (a flight
// the bound did not foresee; the scenarios' flights never do): the skips derived from it are
// undone before any scan reads the position, so no scan misses a threat it could see.
func (w *World) dropAltitudeBound(i int, te *threatEnt) {
	te.maxAlt, te.maxNorm2 = 0, 0
	w.flyingGen++ // the radars' wake times derive from the bound too
	for _, r := range w.radars {
		if i < len(r.limit) {
			r.limit[i], r.notBefore[i] = 0, 0
		}
	}
}

// radarLimit is radarEnt.limit for a threat: the instrumented range, or the radio horizon
// range for the threat's altitude bound (geo.Frame.SightRange) if nearer; +Inf for neither.
func (w *World) radarLimit(r *radarEnt, te *threatEnt) float64 {
	lim := math.Inf(1)
	if r.model.MaxRange > 0 {
		lim = r.model.MaxRange
	}
	if te.maxAlt > 0 {
		lim = math.Min(lim, w.frame.SightRange(r.hp, te.maxAlt))
	}
	return lim
}

// checkSkips is a test's look at the threat–radar pairs the radar's last scan skipped
// (radarEnt.check): those it found skipped (notBefore before the scan, in check.before,
// after the scan's time) and those it skipped from now on (notBefore changed). The general
// path — looksAt and Sees — must reject every one.
func (w *World) checkSkips(r *radarEnt) {
	c := r.check
	for i, te := range w.threats {
		if te.status != flying || i >= len(r.notBefore) {
			continue
		}
		var before float64
		if i < len(c.before) {
			before = c.before[i]
		}
		if !(w.t < before || r.notBefore[i] != before) {
			continue
		}
		c.skipped++
		if _, _, ok := w.looksAt(r, te.pos); !ok {
			continue
		}
		c.inRange++
		if r.hp.Sees(w.frame.HorizonPoint(te.pos)) {
			c.wrong++ // the skip missed a threat in view
		}
	}
}

// looksAt reports whether the radar could see a target at p: instrumented range, elevation
// limits (the surroundings mask included) and line of sight over the 4/3 earth.
func (w *World) looksAt(r *radarEnt, p geo.Vec3) (rng, sinEl float64, ok bool) {
	d := p.Sub(r.pos)
	rng = d.Norm()
	if r.model.MaxRange > 0 && rng > r.model.MaxRange {
		return rng, 0, false
	}
	sinEl = d.Dot(r.up) / rng
	if sinEl < r.sinMin || sinEl > r.sinMax {
		return rng, sinEl, false
	}
	return rng, sinEl, true
}

// lookPd is the probability that radar r detects, at a scan, a target of the tracker's
// expected cross-section (World.trackRCS) at p: 0 where the radar cannot see p — beyond its
// instrumented range, outside its elevation limits (the buildings' mask included), below its
// radio horizon — without the margins of its coverage (coverage), else the Swerling 1 Pd of
// the range equation. With c2.weigh_looks the tracker weighs a tentative track's misses by
// it (track.PdMofN). Every radar whose coverage holds a track's predicted position looks at
// it; without the weights, a drone at 50 m that one S-400 radar started a track on is
// dropped by the misses of another, below whose horizon it flies: about 300 times a
// replication of the default scenario (docs/tracking.md).
func (w *World) lookPd(r *radarEnt, p [3]float64) float64 {
	q := geo.Vec3{X: p[0], Y: p[1], Z: p[2]}
	rng, _, ok := w.looksAt(r, q)
	if !ok || !r.hp.Sees(w.frame.HorizonPoint(q)) {
		return 0
	}
	return r.det.Pd(rng, w.trackRCS)
}

// clutterAt is the density of radar r's false alarms at p, per m³ and scan: they are uniform
// in range over [0, faRange], in azimuth, and in elevation between the lowest elevation and
// falseAlarmEl (scanRest), so their density in (r, az, el) is faMean/(faRange·2π·Δel(r)),
// and in space that over the volume element r²·cos el.
func (w *World) clutterAt(r *radarEnt, p [3]float64) float64 {
	d := geo.Vec3{X: p[0] - r.pos.X, Y: p[1] - r.pos.Y, Z: p[2] - r.pos.Z}
	rng := d.Norm()
	if !(rng > 0) || rng > r.faRange {
		return 0
	}
	el := math.Asin(math.Max(-1, math.Min(1, d.Dot(r.up)/rng)))
	span := w.falseAlarmEl(r, rng) - r.minElev
	if !(span > 0) || el < r.minElev || el > r.minElev+span {
		return 0
	}
	return r.faMean / (r.faRange * 2 * math.Pi * span) / (rng * rng * math.Cos(el))
}

// falseAlarmEl is the highest elevation of radar r's false alarms at range rng: its highest
// elevation, or that of falseAlarmCeiling.
func (w *World) falseAlarmEl(r *radarEnt, rng float64) float64 {
	return math.Min(r.model.MaxElevation, math.Asin(math.Min(1, falseAlarmCeiling/math.Max(rng, 1))))
}

// belowGroundSigmas is how many standard deviations of its vertical error a plot may lie
// below the ground and still start a track (World.aboveGround).
const belowGroundSigmas = 3

// aboveGround is the tracker's altitude gate on new tracks (track.TrackerConfig.Admit): a plot
// more than belowGroundSigmas of its vertical error below the ground starts no track. A
// radar whose lowest elevation is below the horizontal (a Pantsir on a roof looks 2° down)
// makes false alarms below the ground at long range; no radar can see there, so no look
// would weigh against such a track (World.lookPd), and it would live until the tentative
// timeout with a gate grown by kilometres, into which another false alarm falls. A
// drone at 50 m measured below the ground by a few tens of metres still starts its track.
func (w *World) aboveGround(z *track.Position) bool {
	p := geo.Vec3{X: z.Z[0], Y: z.Z[1], Z: z.Z[2]}
	up := w.frame.Up(p)
	u := [3]float64{up.X, up.Y, up.Z}
	var v float64
	for a := 0; a < 3; a++ {
		for b := 0; b < 3; b++ {
			v += u[a] * z.R[a][b] * u[b]
		}
	}
	return w.frame.Altitude(p) >= -belowGroundSigmas*math.Sqrt(math.Max(v, 0))
}

func (w *World) scan(ri int, r *radarEnt) error {
	if r.streams == nil {
		r.streams = make([]*rand.Rand, len(w.threats))
		r.faStream = w.streams.Stream("false_alarms", r.id)
	}
	if n := len(w.threats) - len(r.streams); n > 0 { // stand-off weapons released since
		r.streams = append(r.streams, make([]*rand.Rand, n)...)
	}
	if n := len(w.threats) - len(r.notBefore); n > 0 {
		r.notBefore = append(r.notBefore, make([]float64, n)...)
		r.limit = append(r.limit, make([]float64, n)...)
	}
	r.dets = r.dets[:0]
	r.pdets = r.pdets[:0]
	if r.wakeGen != w.flyingGen || !(w.t < r.wake) || w.noWake {
		w.scanThreats(r)
	} else if r.check != nil {
		r.check.asleep++
		for i, te := range w.threats {
			if te.status == flying && !(w.t < r.notBefore[i]) {
				r.check.wrong++ // a threat the threat loop would have looked at
			}
		}
	}
	return w.scanRest(ri, r)
}

// scanThreats is the part of a scan that looks at the threats: it appends a detection to
// r.dets for each threat seen and sets r.wake, the least notBefore of the flying threats,
// when it skipped all of them (else it leaves a wake time that has passed). Until then —
// unless a threat starts flying or an altitude bound is dropped (World.flyingGen) — every
// threat would be skipped by its own notBefore test, so the scans need not look: they
// would find nothing and draw nothing.
func (w *World) scanThreats(r *radarEnt) {
	wake := math.Inf(1)
	for i, te := range w.threats {
		// notBefore first: most pairs are skipped by it, without reading the threat.
		if nb := r.notBefore[i]; w.t < nb || te.status != flying {
			if w.t < nb && nb < wake {
				wake = nb
			}
			continue
		}
		p := te.pos
		rng, sinEl, ok := w.looksAt(r, p)
		lim := r.limit[i]
		if lim == 0 {
			lim = w.radarLimit(r, te)
			r.limit[i] = lim
		}
		if rng > lim && te.maxSpeed > 0 {
			// Most threat–radar pairs are out of reach, most of them far out: beyond the
			// instrumented range (the short-range radars), or beyond the radio horizon for
			// the threat's bounded altitude (low drones and cruise missiles seen by the
			// long-range radars), where Sees would fail. A threat moves at most
			// maxSpeed·Δt, so it stays out of reach for (rng − lim)/maxSpeed; the relative
			// and absolute margins cover the rounding of the flight's steps and of the
			// range by orders of magnitude, so every skipped check would have failed: the
			// scan's outcome and its draws are unchanged (a threat out of reach draws
			// nothing). The altitude bound holds at every scan (sense checks it).
			nb := w.t + (rng-lim)/(te.maxSpeed*(1+1e-6)) - 1e-6
			r.notBefore[i] = nb
			if !(nb >= wake) { // NaN too: no wake time then
				wake = nb
			}
			continue
		}
		wake = w.t // a threat within reach: no wake time
		if !ok || te.seenFrame == w.frameNo {
			continue
		}
		// Line of sight with the trigonometry of the radar prepared once (geo.HorizonPoint),
		// and the threat's placed once per frame and mostly decided from its trigonometry at
		// an earlier scan (geo.MovingPoint): the same answers as r.hp.Sees(HorizonPoint(p)).
		if te.hpFrame != w.frameNo {
			w.frame.Move(&te.mp, p)
			te.hpFrame = w.frameNo
		}
		if !w.frame.SeesMoving(&r.hp, &te.mp) {
			continue
		}
		s := r.streams[i]
		if s == nil {
			s = w.streams.Stream("detect", r.id, te.id)
			r.streams[i] = s
		}
		// The same draw decides as Pd would (Detects mostly avoids the exp).
		if !r.det.Detects(rng, te.rcs, s.Float64()) {
			continue
		}
		if te.perfect {
			// No error to draw, and the track takes the same state from every radar that
			// sees the threat in this frame: the others need not look (perfectPicture).
			r.pdets = append(r.pdets, track.Detection{Tag: i})
			te.seenFrame = w.frameNo
		} else {
			d := p.Sub(r.pos)
			az := math.Atan2(d.Dot(r.east), d.Dot(r.north))
			z := r.model.Measure(radar.Measurement{Range: rng, Azimuth: az, Elevation: math.Asin(sinEl)}, s)
			r.dets = append(r.dets, track.Detection{Z: [3]float64{z.Range, z.Azimuth, z.Elevation}, Model: r.tmodel, Tag: i})
		}
		if w.detects {
			e := w.newEvent(EvDetect, te)
			e.Sensor = r.id
			e.Set(NRangeM, rng).Set(NPd, r.det.Pd(rng, te.rcs))
			w.emit(e)
		}
	}
	r.wake, r.wakeGen = wake, w.flyingGen
}

// scanRest is the rest of a scan after scanThreats: the false alarms, and the tracker's
// processing of the scan's detections (in the perfect picture, perfectScan instead; in the
// mixed one, perfectScan for the perfect categories' detections, then the rest).
func (w *World) scanRest(ri int, r *radarEnt) error {
	if w.perfect != nil {
		w.perfectScan(ri, r)
		if w.perfectAll {
			return nil // no false alarms, no tracker
		}
	}
	// False alarms: Poisson with mean Pfa × resolution cells, uniform over the cells.
	n := poissonExp(r.faStream, r.faMean, r.faExp)
	for k := 0; k < n; k++ {
		rng := r.faStream.Float64() * r.faRange
		az := 2 * math.Pi * r.faStream.Float64()
		elMax := w.falseAlarmEl(r, rng)
		el := r.minElev + r.faStream.Float64()*math.Max(0, elMax-r.minElev)
		r.dets = append(r.dets, track.Detection{Z: [3]float64{rng, az, el}, Model: r.tmodel, Tag: -1})
	}
	w.falseAlarms += n
	if len(r.dets) == 0 {
		// An empty scan would only charge misses; deletion is by time (staleDeleter) and
		// tentative tracks time out, so it is skipped: most scans of short-range radars are
		// empty, and this is where the tracker spent most of its time.
		return nil
	}
	scan := track.Scan{T: w.t, Sensor: ri, Detections: r.dets, CoversAll: r.coversAll}
	if w.weighLooks {
		scan.LookPd = r.lookPd
		scan.ClutterAt = r.clutterAt
	}
	res, err := w.tracker.Process(scan)
	if err != nil {
		return fmt.Errorf("radar %q: %w", r.id, err)
	}
	for i, id := range res.TrackOf {
		if id == 0 {
			continue
		}
		info := w.info(id)
		if info == nil {
			info = w.newInfo(id)
		}
		info.truth = r.dets[i].Tag
	}
	for _, rec := range res.Initiated {
		w.trackEvent(EvTrackInit, rec, r.id)
	}
	for _, rec := range res.Confirmed {
		w.trackEvent(EvTrackConfirm, rec, r.id)
	}
	for _, rec := range res.Deleted {
		w.trackEvent(EvTrackDrop, rec, r.id)
		w.dropInfo(rec.ID)
	}
	return nil
}

// trackName is a track's name in the event log, "T<ID>".
func trackName(id int) string { return "T" + strconv.Itoa(id) }

// info returns the engine's bookkeeping of a live track, nil for none. The pointer is valid
// until the track is dropped.
func (w *World) info(id int) *trackInfo { return w.tinfo.get(id) }

// newInfo starts the bookkeeping of a new track.
func (w *World) newInfo(id int) *trackInfo { return w.tinfo.add(id) }

// dropInfo ends the bookkeeping of a deleted track.
func (w *World) dropInfo(id int) { w.tinfo.drop(id) }

// infoPageBits sets the size of an infoTable page: 256 slots of trackInfo, 10 KB.
const infoPageBits = 8

// infoPage holds the bookkeeping of 256 consecutive track IDs.
type infoPage struct {
	live int // live slots
	slot [1 << infoPageBits]trackInfo
}

// infoTable is the engine's bookkeeping of live tracks by track ID. A replication of the
// default scenario starts thousands of tracks, most on false alarms that die within seconds,
// while the IDs keep counting up: a flat slice by ID grew to the last ID (half the
// replication's allocated bytes, and the garbage collector's work with them). The table is
// paged instead: a page whose slots are all dead, and past which IDs have moved on, goes back
// to a free list for the IDs to come. A page's slots do not move, so a slot's pointer stays
// valid until its track is dropped. Lookups and insertions in any order are correct; the
// tracker's ascending IDs are what keep the page count small.
type infoTable struct {
	pages []*infoPage // by ID >> infoPageBits; nil: no live slot
	free  []*infoPage // dead pages, every slot zero
	top   int         // the highest ID added
}

// get returns the slot of a live track, nil for none.
func (t *infoTable) get(id int) *trackInfo {
	if p := id >> infoPageBits; id > 0 && p < len(t.pages) && t.pages[p] != nil {
		if s := &t.pages[p].slot[id&(1<<infoPageBits-1)]; s.live {
			return s
		}
	}
	return nil
}

// add starts a live slot for id (> 0), replacing a live one of the same ID.
func (t *infoTable) add(id int) *trackInfo {
	p := id >> infoPageBits
	if p >= len(t.pages) {
		t.pages = append(t.pages, make([]*infoPage, p+1-len(t.pages))...)
	}
	pg := t.pages[p]
	if pg == nil {
		if n := len(t.free); n > 0 {
			pg, t.free[n-1] = t.free[n-1], nil
			t.free = t.free[:n-1]
		} else {
			pg = new(infoPage)
		}
		t.pages[p] = pg
	}
	s := &pg.slot[id&(1<<infoPageBits-1)]
	if !s.live {
		pg.live++
	}
	*s = trackInfo{live: true, looked: math.Inf(-1)}
	if q := t.top >> infoPageBits; p > q {
		// IDs have moved past the page of the last highest one: free it if it is dead.
		if old := t.pages[q]; old != nil && old.live == 0 {
			t.pages[q] = nil
			t.free = append(t.free, old)
		}
	}
	t.top = max(t.top, id)
	return s
}

// drop ends the slot of id, if live, and frees its page once no slot in it is live and
// every ID of the page has been added before.
func (t *infoTable) drop(id int) {
	s := t.get(id)
	if s == nil {
		return
	}
	*s = trackInfo{}
	p := id >> infoPageBits
	pg := t.pages[p]
	if pg.live--; pg.live == 0 && (p+1)<<infoPageBits-1 <= t.top {
		t.pages[p] = nil
		t.free = append(t.free, pg)
	}
}

// falseAlarmCeiling bounds the altitude of false alarms (m): radars do not report returns
// far above the airspace they are set to watch.
const falseAlarmCeiling = 30000

// trackEvent logs a track's life-cycle change with its truth label. Without a sink of the
// caller's (Options.Sink), the only reader is the outcome's recorder, which reads nothing of
// these events but the threat of an initiation (Outcome.Detected): the rest — the track's
// name, its state and altitude — is then left out, as are the confirmations and deletions.
// Monte Carlo replications start thousands of tracks each.
func (w *World) trackEvent(typ EventType, rec *track.Record, sensor string) {
	info := w.info(rec.ID)
	var te *threatEnt
	if info != nil && info.truth >= 0 {
		te = w.threats[info.truth]
	}
	if !w.logTracks {
		// Without a log, the recorder still counts the threats detected (a track started on
		// them) and keeps when each was first confirmed (a leaker's story).
		if typ == EvTrackInit || (typ == EvTrackConfirm && te != nil) {
			w.emit(w.newEvent(typ, te))
		}
		return
	}
	e := w.newEvent(typ, te)
	e.Sensor = sensor
	e.Track = trackName(rec.ID)
	if te == nil {
		e.Result = "false_alarm"
	}
	if typ == EvTrackDrop {
		e.Result = "deleted"
	}
	p, _, _ := w.recordState(rec)
	e.Set(NAltM, w.altitude(p))
	w.emit(e)
}

// poisson draws a Poisson variate of the given mean: Knuth's product of uniforms for small
// means, the normal approximation (rounded, clipped at 0) above 30.
func poisson(rng *rand.Rand, mean float64) int {
	return poissonExp(rng, mean, math.Exp(-mean))
}

// poissonExp is poisson with exp(−mean) given: a radar draws its false alarms at every scan
// with the same mean, so it computes the exponential once (radarEnt.faExp).
func poissonExp(rng *rand.Rand, mean, expNeg float64) int {
	if mean <= 0 {
		return 0
	}
	if mean > 30 {
		return max(0, int(math.Round(mean+math.Sqrt(mean)*rng.NormFloat64())))
	}
	l, k, p := expNeg, 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// canSee reports whether unit u's fire-control radar has a point in view.
func (w *World) canSee(u *unitEnt, p geo.Vec3) bool {
	r := w.radars[u.radar]
	if _, _, ok := w.looksAt(r, p); !ok {
		return false
	}
	// C2 asks about one track for every unit in turn: prepare its point once.
	if p != w.hpKey || !w.hpValid {
		w.hpKey, w.hpVal, w.hpValid = p, w.frame.HorizonPoint(p), true
	}
	return r.hp.Sees(w.hpVal)
}

// classify is C2's identification of a track from its kinematics alone (it never sees truth):
// fast or steeply climbing/diving tracks are ballistic missiles, slow ones drones, low and
// subsonic ones cruise missiles, the rest aircraft. The thresholds are assumptions
// (docs/models.md).
func classify(speed, altAGL, vUp float64) string {
	return categories[classifyIndex(speed, altAGL, vUp)]
}

// categories are classify's answers, indexed by classifyIndex.
var categories = [...]string{
	catBallistic: scenario.CategoryBallisticMissile,
	catDrone:     scenario.CategoryDrone,
	catCruise:    scenario.CategoryCruiseMissile,
	catAircraft:  scenario.CategoryAircraft,
}

// Indices of categories.
const (
	catBallistic = iota
	catDrone
	catCruise
	catAircraft
)

// classifyIndex is classify as an index of categories (an array lookup, not a map's, for the
// category's figures at every decision).
func classifyIndex(speed, altAGL, vUp float64) int {
	switch {
	case speed >= 700 || math.Abs(vUp) >= 300:
		return catBallistic
	case speed < 90:
		return catDrone
	case altAGL < 300 && speed < 350:
		return catCruise
	default:
		return catAircraft
	}
}

// recordState returns a track's position and velocity estimate and its time: what
// Record.Pos and Record.Vel give, read with the state indices looked up once in New, and
// constrained to the air (inTheAir). Everything that acts on a track — C2, fire control,
// interceptor guidance, the track events and the picture's scoring — reads it here. The
// perfect picture's states are exact (zero covariance), and a Gaussian of zero variance
// truncated is itself (track.TruncatedMean returns false for it), so they skip the
// constraint: 8 % of a perfect replication's time, for nothing.
func (w *World) recordState(rec *track.Record) (pos, vel geo.Vec3, t float64) {
	x := rec.State.X
	if !w.perfectAll && w.inTheAir(rec.State) {
		x = w.truncOut
	}
	var p, v [3]float64
	for a, i := range w.posIdx {
		p[a], v[a] = x[i], x[w.velIdx[a]]
	}
	return geo.Vec3{X: p[0], Y: p[1], Z: p[2]}, geo.Vec3{X: v[0], Y: v[1], Z: v[2]}, rec.State.T
}

// inTheAir puts in w.truncOut the track's estimate constrained to the air — the mean of
// its Gaussian truncated to heights above the ground (track.TruncatedMean, Simon 2010's
// density truncation) — and reports whether it differs from the filter's mean. The filter
// itself is left unconstrained (its mean stays unbiased and its gates as they are); what the
// engine acts on is the constrained estimate. A drone 50 m up tracked with about 25 m of
// height error was otherwise estimated underground in about one C2 look in 65, where C2
// planned no missile at it, and a missile whose seeker had not acquired could chase such a
// track into the ground. The ground is the engine's round earth at the ground altitude
// (World.altitude), linearised at the estimate: height ≈ h + up·(p − pos).
func (w *World) inTheAir(s *track.State) bool {
	n := len(s.X)
	if len(s.P) < n*n {
		return false
	}
	var p [3]float64
	for a, i := range w.posIdx {
		p[a] = s.X[i]
	}
	pos := geo.Vec3{X: p[0], Y: p[1], Z: p[2]}
	up, alt := w.frame.Radial(pos)
	h := alt - w.ground // World.altitude
	if cap(w.truncOut) < n {
		w.truncOut = make([]float64, n)
	}
	w.truncOut = w.truncOut[:n]
	u := [3]float64{up.X, up.Y, up.Z}
	return track.TruncatedMean(s.X, s.P, w.posIdx, u[:], up.Dot(pos)-h, w.truncOut)
}

// record returns the tracker's record with the given ID, or nil once it is deleted.
func (w *World) record(id int) *track.Record {
	if w.info(id) == nil {
		return nil
	}
	if w.perfect != nil {
		if rec := w.perfect.record(id); rec != nil || w.perfectAll {
			return rec
		}
	}
	for _, rec := range w.tracker.Tracks() {
		if rec.ID == id {
			return rec
		}
	}
	return nil
}

// score adds this decision cycle's air picture to the tracking metrics: OSPA and GOSPA
// between the flying threats and the confirmed, current tracks, track breaks and identity
// switches (track.Scorer).
func (w *World) score() {
	if w.perfectAll || w.noScore {
		return // the perfect picture is not scored: it is the truth, extrapolated
	}
	w.sTruthIDs, w.sTruths = w.sTruthIDs[:0], w.sTruths[:0]
	for i, te := range w.threats {
		if te.status == flying {
			p := te.flight.Pos()
			w.sTruthIDs = append(w.sTruthIDs, i+1)
			w.sTruths = append(w.sTruths, [3]float64{p.X, p.Y, p.Z})
		}
	}
	w.sTrackIDs, w.sTracks = w.sTrackIDs[:0], w.sTracks[:0]
	for _, rec := range w.confirmed() {
		if w.t-rec.LastUpdate > w.dropAfter {
			continue
		}
		pos, vel, t := w.recordState(rec)
		p := pos.Add(vel.Scale(w.t - t))
		w.sTrackIDs = append(w.sTrackIDs, rec.ID)
		w.sTracks = append(w.sTracks, [3]float64{p.X, p.Y, p.Z})
	}
	if len(w.sTruths) == 0 && len(w.sTracks) == 0 {
		return
	}
	// Errors here would be programming errors (the metric is configured in New).
	_, _ = w.scorer.Add(w.t, w.sTruthIDs, w.sTruths, w.sTrackIDs, w.sTracks)
}

// trackingOutcome copies the tracking metrics into the outcome.
func (w *World) trackingOutcome(o *Outcome) {
	if w.perfectAll {
		o.Tracking = TrackingOutcome{Picture: scenario.PicturePerfect, TracksConfirmed: w.perfect.started,
			FalseTrackEngagements: o.Tracking.FalseTrackEngagements, InterceptorsWasted: o.Tracking.InterceptorsWasted}
		return
	}
	if w.noScore {
		o.Tracking = TrackingOutcome{Picture: scenario.PictureTracked, PerfectCategories: w.perfectCats, FalseAlarms: w.falseAlarms,
			FalseTrackEngagements: o.Tracking.FalseTrackEngagements, InterceptorsWasted: o.Tracking.InterceptorsWasted}
		return
	}
	s := w.scorer.Summary()
	o.Tracking = TrackingOutcome{Picture: scenario.PictureTracked, PerfectCategories: w.perfectCats, CutoffM: w.scorer.Metric.C, MeanOSPA: s.MeanOSPA, MeanGOSPA: s.MeanGOSPA,
		MeanLocalisation: s.MeanLocalisation, MeanMissed: s.MeanMissed, MeanFalse: s.MeanFalse,
		TracksConfirmed: s.TracksConfirmed, FalseTracks: s.FalseTracks, TrackBreaks: s.TrackBreaks,
		IDSwitches: s.IDSwitches, TimeToConfirmS: s.TimeToConfirm, FalseTracksPerHour: s.FalseTracksPerHour,
		FalseAlarms: w.falseAlarms, FalseTrackEngagements: o.Tracking.FalseTrackEngagements,
		InterceptorsWasted: o.Tracking.InterceptorsWasted}
}
