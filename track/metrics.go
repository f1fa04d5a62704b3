package track

import (
	"errors"
	"math"
	"slices"

	"github.com/adsim/adsim/lap"
)

// Match is the optimal matching between a set of truths and a set of tracks under the OSPA
// and GOSPA cost with cut-off C and order P: only pairs closer than C are matched (a pair at
// C or farther costs as much as leaving both unmatched), so the problem is sparse and is
// solved per cluster of the pairs closer than C, found with a spatial grid — no O(n²) cost
// matrix even for thousands of objects.
type Match struct {
	// TruthToTrack holds each truth's matched track index, or −1.
	TruthToTrack []int
	// Matched is the number of matched pairs; SumDP is Σ d^P over them.
	Matched int
	SumDP   float64
	NTruth  int
	NTrack  int
}

// Metric computes OSPA and GOSPA distances between point sets (positions), reusing buffers
// between calls; the zero value with C and P set is ready. Not safe for concurrent use.
type Metric struct {
	// C is the cut-off distance (m) and P the order (≥ 1; OSPA also accepts +Inf).
	C, P  float64
	s     lap.Sparse
	g     grid
	edges []Edge
	buf   []int32
	pos   []Position
	miss  []float64
}

// smallMatch is the number of truth–track pairs up to which Match tests every pair.
const smallMatch = 4096

func dist(a, b [3]float64) float64 {
	dx, dy, dz := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return math.Sqrt(dx*dx + dy*dy + dz*dz)
}

// Match returns the optimal matching of truths to tracks (see Match).
func (m *Metric) Match(truths, tracks [][3]float64) Match {
	return m.match(truths, tracks, make([]int, len(truths)))
}

// match is Match with the result's TruthToTrack in buf (resized): Scorer.Add, called once
// per scan, reuses one.
func (m *Metric) match(truths, tracks [][3]float64, buf []int) Match {
	res := Match{TruthToTrack: resize(buf, len(truths)), NTruth: len(truths), NTrack: len(tracks)}
	for i := range res.TruthToTrack {
		res.TruthToTrack[i] = -1
	}
	if len(truths) == 0 || len(tracks) == 0 {
		return res
	}
	cp := m.powC()
	// Up to a few thousand pairs, testing each pair (a few ns) is cheaper than building and
	// querying the spatial hash (a map lookup per cell when the points are spread out).
	brute := len(truths)*len(tracks) <= smallMatch
	if !brute {
		m.pos = slices.Grow(m.pos[:0], len(tracks))[:len(tracks)]
		for j, p := range tracks {
			m.pos[j].Z = p
		}
		m.g.build(m.pos, m.C)
	}
	m.edges = m.edges[:0]
	c2 := m.C * m.C
	for i := range truths {
		p := &truths[i] // not a copy, which goes through overlapping 16-byte moves
		if brute {
			m.edges = m.pairsWithin(m.edges, int32(i), p, tracks, c2, cp)
			continue
		}
		var all bool
		m.buf, all = m.g.query(p[0]-m.C, p[0]+m.C, p[1]-m.C, p[1]+m.C, m.buf[:0])
		if all {
			m.buf = m.buf[:0]
			for j := range tracks {
				m.buf = append(m.buf, int32(j))
			}
		}
		for _, j := range m.buf {
			d := dist(*p, tracks[j])
			if d < m.C {
				m.edges = append(m.edges, Edge{Row: int32(i), Col: j, Cost: m.pow(d) - cp})
			}
		}
	}
	m.miss = resize(m.miss, len(truths))
	clear(m.miss)
	m.s.Solve(len(truths), len(tracks), m.edges, m.miss, res.TruthToTrack)
	for i, j := range res.TruthToTrack {
		if j >= 0 {
			res.Matched++
			res.SumDP += m.pow(dist(truths[i], tracks[j]))
		}
	}
	return res
}

// pairsWithin appends to edges, for truth i at p, an edge to every track closer than the
// cut-off (d² < c2), with cost d^P − C^P, in track order. Most pairs are far apart, so the
// squared distance is summed in steps and a pair is dropped as soon as a partial sum reaches
// c2: the terms are non-negative and rounding is monotonic, so the full sum, computed in the
// same order, would be at least that partial sum and fail the test too (a NaN fails every
// test and reaches the last one, as before). The edges are exactly those of the one-step
// test (TestPairsWithinMatchesOneStep).
func (m *Metric) pairsWithin(edges []Edge, i int32, p *[3]float64, tracks [][3]float64, c2, cp float64) []Edge {
	px, py, pz := p[0], p[1], p[2]
	for j := range tracks {
		q := &tracks[j]
		dx := px - q[0]
		sx := dx * dx
		if sx >= c2 {
			continue
		}
		dy := py - q[1]
		sxy := sx + dy*dy
		if sxy >= c2 {
			continue
		}
		dz := pz - q[2]
		if d2 := sxy + dz*dz; d2 < c2 {
			edges = append(edges, Edge{Row: i, Col: int32(j), Cost: m.pow(math.Sqrt(d2)) - cp})
		}
	}
	return edges
}

func (m *Metric) pow(d float64) float64 {
	if m.P == 1 {
		return d
	}
	if m.P == 2 {
		return d * d
	}
	return math.Pow(d, m.P)
}

func (m *Metric) powC() float64 { return m.pow(m.C) }

func (m *Metric) check() error {
	if !(m.C > 0) || math.IsInf(m.C, 0) {
		return errors.New("track: metric cut-off C must be positive and finite")
	}
	if !(m.P >= 1) {
		return errors.New("track: metric order P must be at least 1")
	}
	return nil
}

// OSPA is the optimal sub-pattern assignment distance (Schuhmacher, Vo & Vo, IEEE TSP 56(8),
// 2008): for |X| = m ≤ n = |Y|,
// d = [(1/n)(min_π Σ_{i≤m} min(C, d(x_i, y_π(i)))^P + C^P (n − m))]^(1/P); 0 for two empty
// sets. For P = +Inf it is C when m ≠ n, else the bottleneck distance capped at C.
func (m *Metric) OSPA(truths, tracks [][3]float64) (float64, error) {
	if err := m.check(); err != nil {
		return 0, err
	}
	n := max(len(truths), len(tracks))
	if n == 0 {
		return 0, nil
	}
	if math.IsInf(m.P, 1) {
		return m.ospaInf(truths, tracks), nil
	}
	r := m.Match(truths, tracks)
	cp := m.powC()
	v := (float64(n)*cp + r.SumDP - float64(r.Matched)*cp) / float64(n)
	return math.Pow(math.Max(v, 0), 1/m.P), nil
}

func (m *Metric) ospaInf(truths, tracks [][3]float64) float64 {
	if len(truths) != len(tracks) {
		return m.C
	}
	n := len(truths)
	var ds []float64
	for _, a := range truths {
		for _, b := range tracks {
			if d := dist(a, b); d < m.C {
				ds = append(ds, d)
			}
		}
	}
	slices.Sort(ds)
	cost := make([]float64, n*n)
	r2c := make([]int, n)
	var d lap.Dense
	feasible := func(th float64) bool {
		for i, a := range truths {
			for j, b := range tracks {
				cost[i*n+j] = lap.Forbidden
				if dist(a, b) <= th {
					cost[i*n+j] = 0
				}
			}
		}
		_, err := d.Solve(cost, n, n, r2c)
		return err == nil
	}
	lo, hi := 0, len(ds)
	for lo < hi {
		mid := (lo + hi) / 2
		if feasible(ds[mid]) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if lo == len(ds) {
		return m.C
	}
	return ds[lo]
}

// GOSPA is the generalised OSPA distance with α = 2 (Rahmathullah, García-Fernández &
// Svensson, FUSION 2017): d = [min_γ Σ_{(i,j)∈γ} d(x_i, y_j)^P + (C^P/2)(#missed + #false)]^(1/P),
// the assignment γ using only pairs closer than C. Localisation, Missed and False are the
// three terms of the sum (before the 1/P power), as Stone Soup reports them.
type GOSPA struct {
	Distance, Localisation, Missed, False float64
	// NMissed truths and NFalse tracks were left unmatched.
	NMissed, NFalse int
}

// GOSPA computes the GOSPA distance and its decomposition for finite P.
func (m *Metric) GOSPA(truths, tracks [][3]float64) (GOSPA, error) {
	if err := m.check(); err != nil {
		return GOSPA{}, err
	}
	if math.IsInf(m.P, 1) {
		return GOSPA{}, errors.New("track: GOSPA needs a finite order P")
	}
	return m.gospaOf(m.Match(truths, tracks)), nil
}

func (m *Metric) gospaOf(r Match) GOSPA {
	half := m.powC() / 2
	g := GOSPA{Localisation: r.SumDP, NMissed: r.NTruth - r.Matched, NFalse: r.NTrack - r.Matched}
	g.Missed, g.False = half*float64(g.NMissed), half*float64(g.NFalse)
	g.Distance = math.Pow(g.Localisation+g.Missed+g.False, 1/m.P)
	return g
}

// ScanScore is one scan's scores.
type ScanScore struct {
	T     float64
	OSPA  float64
	GOSPA GOSPA
}

// Scorer accumulates per-scan OSPA and GOSPA and the track-identity measures of a run:
// call Add once per scan in time order with the truths and the confirmed tracks (IDs and
// positions), then Summary. Truth–track pairs are those of the GOSPA matching. Its memory
// grows with the number of distinct IDs, not with the number of scans × objects.
type Scorer struct {
	Metric Metric
	// KeepScans keeps every ScanScore for Scans (off: only the sums).
	KeepScans bool
	Scans     []ScanScore

	n                                   int
	sumOSPA, sumGOSPA, sumL, sumM, sumF float64
	t0, t1                              float64
	truth                               map[int]*truthHist
	tracks                              map[int]bool // ID → ever matched
	breaks, switches                    int
	// IDs below denseIDs (the engine's: threat and track numbers) are kept in slices indexed
	// by ID rather than in the maps, whose lookups cost more than the rest of the
	// bookkeeping; the maps hold the others. nTruth and nTracks count the IDs in the slices.
	denseTruth      []truthHist
	denseTrack      []int8 // 0: never seen, trackSeen, trackMatched
	nTruth, nTracks int
	t2t             []int // Match's TruthToTrack, reused
	// correspondences' scratch: the current scan's index of each track ID (curJ valid where
	// curStamp is stamp; curMap for IDs outside the slices), the correspondences, the tracks
	// kept and the sets assigned anew.
	stamp                    uint32
	curJ                     []int32
	curStamp                 []uint32
	curMap                   map[int]int
	curMapStamp              uint32
	corr                     []int
	kept                     []bool
	subTruth, subTrack       []int
	subTruthPos, subTrackPos [][3]float64
}

// denseIDs bounds the IDs a Scorer keeps in slices; larger or negative IDs go to the maps.
const denseIDs = 1 << 16

const (
	trackSeen    = 1
	trackMatched = 2
)

type truthHist struct {
	seen      bool // in Scorer.denseTruth: the ID has appeared
	first     float64
	lastTrack int
	matched   bool
	confirmed bool
	ttc       float64
}

// Summary is the run's scores. Mean* are averages over scans. TrackBreaks counts scans
// where a truth matched at the previous scan has no corresponding track; IDSwitches counts a
// truth's corresponding track changing to a different track ID (Ristic et al. 2011's
// labelling error in spirit), correspondences kept from scan to scan by the CLEAR MOT rule
// (Scorer.correspondences); TimeToConfirm is the mean time from a truth's first appearance to its
// first match by a confirmed track, over TruthsConfirmed truths (of Truths); FalseTracks
// counts confirmed track IDs never matched to any truth, and FalseTracksPerHour divides it by
// the run's duration (scans × mean scan interval).
type Summary struct {
	Scans                                                 int
	MeanOSPA, MeanGOSPA                                   float64
	MeanLocalisation, MeanMissed, MeanFalse               float64
	Truths, TruthsConfirmed, TracksConfirmed, FalseTracks int
	TrackBreaks, IDSwitches                               int
	TimeToConfirm, FalseTracksPerHour                     float64
}

// Add scores one scan at time t. truthIDs[i] names truths[i]; trackIDs[j] names tracks[j].
func (s *Scorer) Add(t float64, truthIDs []int, truths [][3]float64, trackIDs []int, tracks [][3]float64) (ScanScore, error) {
	if err := s.Metric.check(); err != nil || math.IsInf(s.Metric.P, 1) {
		return ScanScore{}, errors.New("track: Scorer needs a positive finite C and 1 ≤ P < ∞")
	}
	if len(truthIDs) != len(truths) || len(trackIDs) != len(tracks) {
		return ScanScore{}, errors.New("track: Scorer.Add: IDs and positions differ in length")
	}
	if s.truth == nil {
		s.truth, s.tracks = map[int]*truthHist{}, map[int]bool{}
		s.t0 = t
	}
	s.t1 = t
	r := s.Metric.match(truths, tracks, s.t2t)
	s.t2t = r.TruthToTrack
	g := s.Metric.gospaOf(r)
	n := max(len(truths), len(tracks))
	ospa := 0.0
	if n > 0 {
		cp := s.Metric.powC()
		ospa = math.Pow(math.Max(0, (float64(n)*cp+r.SumDP-float64(r.Matched)*cp)/float64(n)), 1/s.Metric.P)
	}
	for _, id := range trackIDs {
		s.seeTrack(id)
	}
	corr := s.correspondences(t, truthIDs, truths, trackIDs, tracks, r.TruthToTrack)
	for i, id := range truthIDs {
		h := s.truthOf(id, t)
		j := corr[i]
		if j < 0 {
			if h.matched {
				s.breaks++
			}
			h.matched = false
			continue
		}
		k := trackIDs[j]
		s.matchTrack(k)
		if h.lastTrack != 0 && h.lastTrack != k {
			s.switches++
		}
		if !h.confirmed {
			h.confirmed, h.ttc = true, t-h.first
		}
		h.lastTrack, h.matched = k, true
	}
	sc := ScanScore{T: t, OSPA: ospa, GOSPA: g}
	s.n++
	s.sumOSPA += ospa
	s.sumGOSPA += g.Distance
	s.sumL += g.Localisation
	s.sumM += g.Missed
	s.sumF += g.False
	if s.KeepScans {
		s.Scans = append(s.Scans, sc)
	}
	return sc, nil
}

// correspondences returns, for each truth, the index of the track it corresponds to for the
// identity measures (−1 for none), by the CLEAR MOT rule (Bernardin & Stiefelhagen 2008,
// "Evaluating multiple object tracking performance: the CLEAR MOT metrics", EURASIP J. Image
// and Video Processing, §2.1.1): a truth keeps the track it corresponded to at the previous
// scan while that track is still present and closer than the cut-off C; the others take
// their tracks from the optimal assignment of the remaining truths and tracks (opt, the
// scan's OSPA matching when no kept track is in it). Without the rule, two targets flying
// side by side, each with its own track, swap their optimal matches back and forth as the
// estimates wander, and every swap counted as two identity switches (35 in one run of the
// default scenario, from one pair of drones).
func (s *Scorer) correspondences(t float64, truthIDs []int, truths [][3]float64, trackIDs []int, tracks [][3]float64, opt []int) []int {
	s.stamp++
	for j, id := range trackIDs {
		s.setIndex(id, j)
	}
	s.corr = resize(s.corr, len(truthIDs))
	s.kept = resize(s.kept, len(trackIDs))
	clear(s.kept)
	c2 := s.Metric.C * s.Metric.C
	conflict := false
	for i, id := range truthIDs {
		s.corr[i] = -1
		h := s.truthOf(id, t)
		if !h.matched {
			continue
		}
		j := s.index(h.lastTrack)
		if j < 0 || s.kept[j] {
			continue
		}
		p, q := &truths[i], &tracks[j]
		dx, dy, dz := p[0]-q[0], p[1]-q[1], p[2]-q[2]
		if dx*dx+dy*dy+dz*dz < c2 {
			s.corr[i], s.kept[j] = j, true
		}
	}
	for i := range truthIDs {
		if s.corr[i] < 0 && opt[i] >= 0 && s.kept[opt[i]] {
			conflict = true
			break
		}
	}
	if !conflict {
		for i := range truthIDs {
			if s.corr[i] < 0 && opt[i] >= 0 {
				s.corr[i] = opt[i]
			}
		}
		return s.corr
	}
	// A kept track is another truth's optimal match: assign the rest anew.
	s.subTruth, s.subTrack = s.subTruth[:0], s.subTrack[:0]
	s.subTruthPos, s.subTrackPos = s.subTruthPos[:0], s.subTrackPos[:0]
	for i := range truthIDs {
		if s.corr[i] < 0 {
			s.subTruth, s.subTruthPos = append(s.subTruth, i), append(s.subTruthPos, truths[i])
		}
	}
	for j := range trackIDs {
		if !s.kept[j] {
			s.subTrack, s.subTrackPos = append(s.subTrack, j), append(s.subTrackPos, tracks[j])
		}
	}
	sub := s.Metric.Match(s.subTruthPos, s.subTrackPos)
	for a, b := range sub.TruthToTrack {
		if b >= 0 {
			s.corr[s.subTruth[a]] = s.subTrack[b]
		}
	}
	return s.corr
}

// setIndex records that the track with this ID is at index j of the current scan.
func (s *Scorer) setIndex(id, j int) {
	if id >= 0 && id < denseIDs {
		if id >= len(s.curJ) {
			s.curJ = append(s.curJ, make([]int32, id+1-len(s.curJ))...)
			s.curStamp = append(s.curStamp, make([]uint32, id+1-len(s.curStamp))...)
		}
		s.curJ[id], s.curStamp[id] = int32(j), s.stamp
		return
	}
	if s.curMap == nil || s.curMapStamp != s.stamp {
		s.curMap, s.curMapStamp = map[int]int{}, s.stamp
	}
	s.curMap[id] = j
}

// index returns the current scan's index of the track with this ID, −1 when absent.
func (s *Scorer) index(id int) int {
	if id >= 0 && id < denseIDs {
		if id < len(s.curJ) && s.curStamp[id] == s.stamp {
			return int(s.curJ[id])
		}
		return -1
	}
	if s.curMapStamp == s.stamp {
		if j, ok := s.curMap[id]; ok {
			return j
		}
	}
	return -1
}

// seeTrack records a confirmed track's ID (not yet matched if new).
func (s *Scorer) seeTrack(id int) {
	if id >= 0 && id < denseIDs {
		if id >= len(s.denseTrack) {
			s.denseTrack = append(s.denseTrack, make([]int8, id+1-len(s.denseTrack))...)
		}
		if s.denseTrack[id] == 0 {
			s.denseTrack[id] = trackSeen
			s.nTracks++
		}
		return
	}
	if _, ok := s.tracks[id]; !ok {
		s.tracks[id] = false
	}
}

// matchTrack records that a track (already seen) matched a truth.
func (s *Scorer) matchTrack(id int) {
	if id >= 0 && id < denseIDs {
		s.denseTrack[id] = trackMatched
		return
	}
	s.tracks[id] = true
}

// truthOf returns a truth's history, created (first seen at t) if new.
func (s *Scorer) truthOf(id int, t float64) *truthHist {
	if id >= 0 && id < denseIDs {
		if id >= len(s.denseTruth) {
			s.denseTruth = append(s.denseTruth, make([]truthHist, id+1-len(s.denseTruth))...)
		}
		h := &s.denseTruth[id]
		if !h.seen {
			*h = truthHist{seen: true, first: t}
			s.nTruth++
		}
		return h
	}
	h := s.truth[id]
	if h == nil {
		h = &truthHist{first: t}
		s.truth[id] = h
	}
	return h
}

// Summary returns the scores so far.
func (s *Scorer) Summary() Summary {
	var out Summary
	out.Scans = s.n
	if s.n == 0 {
		return out
	}
	n := float64(s.n)
	out.MeanOSPA, out.MeanGOSPA = s.sumOSPA/n, s.sumGOSPA/n
	out.MeanLocalisation, out.MeanMissed, out.MeanFalse = s.sumL/n, s.sumM/n, s.sumF/n
	out.Truths = len(s.truth) + s.nTruth
	var ttc float64
	for i := range s.denseTruth {
		if h := &s.denseTruth[i]; h.confirmed {
			out.TruthsConfirmed++
			ttc += h.ttc
		}
	}
	for _, h := range s.truth {
		if h.confirmed {
			out.TruthsConfirmed++
			ttc += h.ttc
		}
	}
	if out.TruthsConfirmed > 0 {
		out.TimeToConfirm = ttc / float64(out.TruthsConfirmed)
	}
	out.TracksConfirmed = len(s.tracks) + s.nTracks
	for _, st := range s.denseTrack {
		if st == trackSeen {
			out.FalseTracks++
		}
	}
	for _, m := range s.tracks {
		if !m {
			out.FalseTracks++
		}
	}
	out.TrackBreaks, out.IDSwitches = s.breaks, s.switches
	if s.n > 1 && s.t1 > s.t0 {
		dur := (s.t1 - s.t0) * n / (n - 1)
		out.FalseTracksPerHour = float64(out.FalseTracks) / (dur / 3600)
	}
	return out
}
