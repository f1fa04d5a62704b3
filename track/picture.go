package track

import (
	"github.com/adsim/adsim/geo"
)

// Track is one entry of the air picture.
type Track struct {
	ID string
	// Truth is the index of the threat this track follows. Only the truth-association stage
	// may use it (see the package comment); command and control must not.
	Truth int
	// Class is the threat class reported by identification (assumed perfect at this fidelity).
	Class     string
	Filter    *CV
	Hits      int
	Confirmed bool
	// LastUpdate is the time of the last measurement, s.
	LastUpdate float64
	// FirstSeen is the time of the first measurement, s.
	FirstSeen float64
}

// Config holds the track-management settings.
type Config struct {
	// ConfirmHits is the number of measurements after which a track is confirmed.
	ConfirmHits int
	// DropAfter drops a track not updated for this long, s.
	DropAfter float64
	// Q is the process-noise spectral density of new filters, m²/s³.
	Q float64
	// SigmaV0 is the velocity prior of a new track, m/s.
	SigmaV0 float64
}

// Picture is the central track file fed by every radar (central fusion in time order: the
// engine calls Update in the order measurements are made).
type Picture struct {
	cfg    Config
	byTgt  map[int]*Track
	tracks []*Track
	nextID int
}

// NewPicture returns an empty picture.
func NewPicture(cfg Config) *Picture {
	return &Picture{cfg: cfg, byTgt: map[int]*Track{}}
}

// Change says what an Update did to a track's life cycle.
type Change uint8

// Track life-cycle changes reported by Update and Prune.
const (
	Updated Change = iota
	Initiated
	Confirmed
	Dropped
)

// Update folds a measurement of threat truth (index) at time t into the picture: position z
// (local frame) with covariance r. It returns the track and what changed.
func (p *Picture) Update(t float64, truth int, class string, z geo.Vec3, r [3][3]float64) (*Track, Change) {
	tr, ok := p.byTgt[truth]
	if !ok {
		p.nextID++
		tr = &Track{ID: "T" + itoa(p.nextID), Truth: truth, Class: class, FirstSeen: t, LastUpdate: t, Hits: 1}
		tr.Filter = NewCV(t, z, r, geo.Vec3{}, p.cfg.SigmaV0, p.cfg.Q)
		p.byTgt[truth] = tr
		p.tracks = append(p.tracks, tr)
		if p.cfg.ConfirmHits <= 1 {
			tr.Confirmed = true
			return tr, Confirmed
		}
		return tr, Initiated
	}
	tr.Filter.Predict(t)
	tr.Filter.Update(z, r)
	tr.Hits++
	tr.LastUpdate = t
	if !tr.Confirmed && tr.Hits >= p.cfg.ConfirmHits {
		tr.Confirmed = true
		return tr, Confirmed
	}
	return tr, Updated
}

// Prune drops tracks not updated since t − DropAfter, and calls dropped for each.
func (p *Picture) Prune(t float64, dropped func(*Track)) {
	keep := p.tracks[:0]
	for _, tr := range p.tracks {
		if t-tr.LastUpdate > p.cfg.DropAfter {
			delete(p.byTgt, tr.Truth)
			dropped(tr)
			continue
		}
		keep = append(keep, tr)
	}
	for i := len(keep); i < len(p.tracks); i++ {
		p.tracks[i] = nil
	}
	p.tracks = keep
}

// Drop removes the track of threat truth at once (its threat was seen destroyed or impacting).
func (p *Picture) Drop(truth int) (*Track, bool) {
	tr, ok := p.byTgt[truth]
	if !ok {
		return nil, false
	}
	delete(p.byTgt, truth)
	for i, x := range p.tracks {
		if x == tr {
			copy(p.tracks[i:], p.tracks[i+1:])
			p.tracks[len(p.tracks)-1] = nil
			p.tracks = p.tracks[:len(p.tracks)-1]
			break
		}
	}
	return tr, true
}

// Tracks returns the current tracks in creation order. The slice is owned by the picture.
func (p *Picture) Tracks() []*Track { return p.tracks }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
