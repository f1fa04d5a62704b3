package sim

import (
	"slices"

	"github.com/adsim/adsim/track"
)

// perfectPicture is the air picture of the "perfect" excursion (scenario c2.picture): what C2
// would decide on if tracking were perfect while sensing stayed what it is. Every radar scan
// still draws its detections (range equation, horizon, elevation limits, terrain), but a
// detection carries no error and no false alarm is drawn; the detected threat's track is then
// its true position and velocity at that scan. A threat has one track, from its first
// detection by any radar until no radar has seen it for drop_after_s, so there are no false
// tracks, breaks in coverage only, and no identity switches. C2, the engagements and the
// outcome run unchanged on these tracks: comparing the two pictures on common random numbers
// (adsim compare) measures what imperfect tracking costs the defence.
//
// The tracker is not run, which is most of a replication's work in the tracked picture, so
// the excursion is also the fast screening mode (docs/models.md, "Air picture"). In the mixed
// picture (c2.perfect_categories) the same holds for the threats of those categories only:
// the tracker runs on the others' detections and the false alarms, and C2 sees both.
type perfectPicture struct {
	byThreat  []*track.Record // threat index → its live track, nil for none
	live      []*track.Record // the live tracks, oldest first: C2's confirmed tracks
	threatOf  []int           // track ID → threat index
	free      []*track.Record // records of dropped tracks, for reuse (the engine holds IDs, not records)
	nextID    int
	n         int // the state dimension of the records (the tracked picture's filter's)
	dropFrame int // the frame whose stale tracks were dropped last
	started   int // tracks started
	// ids gives the IDs of new tracks in the mixed picture (the tracker's ReserveID), so
	// that they share no ID with the tracker's tracks; nil: the picture's own count.
	ids interface{ ReserveID() int }
}

// perfectScan is scanRest in the perfect picture (in the mixed one, its part for the
// threats in the perfect picture, r.pdets): the detected threats' tracks start or take the
// threats' true states, and tracks no radar has seen for drop_after_s are dropped.
func (w *World) perfectScan(ri int, r *radarEnt) {
	pp := w.perfect
	if n := len(w.threats) - len(pp.byThreat); n > 0 { // stand-off weapons released since
		pp.byThreat = append(pp.byThreat, make([]*track.Record, n)...)
	}
	for _, d := range r.pdets {
		i := d.Tag
		rec := pp.byThreat[i]
		started := rec == nil
		if started {
			rec = pp.start(w.t, i)
			w.newInfo(rec.ID).truth = i
		}
		// One detection per threat and frame: scanThreats skips a threat seen in the frame
		// (threatEnt.seenFrame).
		rec.Hits++
		rec.Updated, rec.LastUpdate, rec.LastSensor = true, w.t, ri
		te := w.threats[i]
		p, v := te.pos, te.flight.Vel()
		x := rec.State.X
		x[w.posIdx[0]], x[w.posIdx[1]], x[w.posIdx[2]] = p.X, p.Y, p.Z
		x[w.velIdx[0]], x[w.velIdx[1]], x[w.velIdx[2]] = v.X, v.Y, v.Z
		rec.State.T = w.t
		if started {
			// Logged with the state set: the events carry the track's altitude, the
			// threat's own (before, the zeroed state's: the ground, 0 m).
			w.trackEvent(EvTrackInit, rec, r.id)
			w.trackEvent(EvTrackConfirm, rec, r.id)
		}
	}
	// Drop the tracks no radar has seen for drop_after_s, as the tracked picture's deleter
	// does (staleDeleter), keeping the others in order: at the frame's first scan (the
	// frame's time is the same for all its scans).
	if pp.dropFrame == w.frameNo {
		return
	}
	pp.dropFrame = w.frameNo
	k := 0
	for _, rec := range pp.live {
		if w.t-rec.LastUpdate > w.dropAfter {
			w.trackEvent(EvTrackDrop, rec, r.id)
			w.dropInfo(rec.ID)
			pp.byThreat[pp.threatOf[rec.ID]] = nil
			pp.free = append(pp.free, rec)
			continue
		}
		pp.live[k] = rec
		k++
	}
	clear(pp.live[k:])
	pp.live = pp.live[:k]
}

// start begins the track of threat i at time t: confirmed at once, with an exact state (zero
// covariance: C2 identifies it at once and never finds it ambiguous).
func (pp *perfectPicture) start(t float64, i int) *track.Record {
	var rec *track.Record
	if k := len(pp.free); k > 0 {
		rec, pp.free = pp.free[k-1], pp.free[:k-1]
		st := rec.State
		clear(st.X)
		clear(st.P)
		*st = track.State{X: st.X, P: st.P}
		*rec = track.Record{State: st}
	} else {
		rec = &track.Record{State: &track.State{X: make([]float64, pp.n), P: make([]float64, pp.n*pp.n)}}
	}
	if pp.ids != nil {
		pp.nextID = pp.ids.ReserveID()
	} else {
		pp.nextID++
	}
	rec.ID, rec.Status = pp.nextID, track.StatusConfirmed
	rec.Born, rec.ConfirmedAt = t, t
	for len(pp.threatOf) <= rec.ID {
		pp.threatOf = append(pp.threatOf, -1)
	}
	pp.threatOf[rec.ID] = i
	pp.byThreat[i] = rec
	pp.live = append(pp.live, rec)
	pp.started++
	return rec
}

// record returns the live track with the given ID, or nil.
func (pp *perfectPicture) record(id int) *track.Record {
	if id <= 0 || id >= len(pp.threatOf) {
		return nil
	}
	if i := pp.threatOf[id]; i >= 0 { // -1: an ID of the tracker's (mixed picture)
		if rec := pp.byThreat[i]; rec != nil && rec.ID == id {
			return rec
		}
	}
	return nil
}

// confirmed returns C2's tracks: the tracker's confirmed tracks, the perfect picture's, or
// in the mixed picture the tracker's and then the perfect picture's.
func (w *World) confirmed() []*track.Record {
	switch {
	case w.perfectAll:
		return w.perfect.live
	case w.perfect != nil:
		w.mixed = append(append(w.mixed[:0], w.tracker.Confirmed()...), w.perfect.live...)
		return w.mixed
	}
	return w.tracker.Confirmed()
}

// inPerfect reports whether threats of the category are in the perfect picture.
func (w *World) inPerfect(category string) bool {
	return w.perfectAll || slices.Contains(w.perfectCats, category)
}
