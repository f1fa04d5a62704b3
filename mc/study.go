package mc

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/adsim/adsim/scenario"
	"github.com/adsim/adsim/sim"
)

// Study is a scenario ready for replications. It keeps the scenario's source (YAML bytes),
// so that it can travel to remote workers and be written next to the results, and everything
// a replication needs: the validated scenario, its effective catalog, the seed and the row
// layout. A replication's row depends only on (Source, Catalog, Seed, replication index).
type Study struct {
	Name    string // file or example name, for messages
	Source  []byte // the scenario file
	Catalog []byte // the base catalog file; nil means the embedded default catalog
	Seed    uint64 // the root seed (the scenario's own unless overridden)

	// base and sets are what Name says for a study made by WithSettings: the name of the
	// study the settings were first applied to, and every setting since, one per path (the
	// last value set, in the order the paths were first set).
	base string
	sets []Setting

	scen   *scenario.Scenario
	cat    *scenario.Catalog
	layout *Layout
	cache  *sim.Cache // what its replications share (ballistic launch solutions)
}

// NewStudy parses and validates a scenario. name is used in error messages; catalogYAML is
// the base catalog (nil: the embedded default); seed overrides the scenario's seed when non-nil.
// An invalid scenario gives the scenario package's ErrorList (file:line:column for each error).
func NewStudy(name string, source, catalogYAML []byte, seed *uint64) (*Study, error) {
	st := &Study{Name: name, Source: source, Catalog: catalogYAML}
	if err := st.parse(); err != nil {
		return nil, err
	}
	st.Seed = st.scen.Seed
	if seed != nil {
		st.Seed = *seed
	}
	return st, nil
}

func (st *Study) parse() error {
	var base *scenario.Catalog
	var err error
	if st.Catalog == nil {
		base, err = scenario.DefaultCatalog()
	} else {
		base, err = scenario.ParseCatalog(st.Name+" (catalog)", st.Catalog)
	}
	if err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	s, err := scenario.Parse(st.Name, st.Source, base)
	if err != nil {
		return err
	}
	st.scen, st.cat = s, s.EffectiveCatalog(base)
	st.cache = sim.NewCache()
	st.layout, err = NewLayout(st.scen, st.cat)
	return err
}

// Scenario returns the parsed scenario (do not modify it).
func (st *Study) Scenario() *scenario.Scenario { return st.scen }

// Picture returns the air picture the study's C2 decides on: scenario.PictureTracked (also
// when the scenario leaves c2.picture out) or scenario.PicturePerfect.
func (st *Study) Picture() string {
	if st.scen.C2.Picture == "" {
		return scenario.PictureTracked
	}
	return st.scen.C2.Picture
}

// Layout returns the row layout.
func (st *Study) Layout() *Layout { return st.layout }

// Fingerprint identifies the study's inputs (scenario and catalog bytes and seed), so shards
// and remote results from another study are recognised and refused.
func (st *Study) Fingerprint() string {
	h := sha256.New()
	fmt.Fprintf(h, "adsim-mc-1\x00%d\x00%d\x00", st.Seed, len(st.Source))
	h.Write(st.Source)
	h.Write([]byte{0})
	h.Write(st.Catalog)
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// clone returns a study with its own parsed scenario and catalog, so that concurrent
// workers share nothing mutable.
func (st *Study) clone() (*Study, error) {
	c := &Study{Name: st.Name, Source: st.Source, Catalog: st.Catalog, Seed: st.Seed, base: st.base, sets: st.sets}
	return c, c.parse()
}

// Replicate runs replication rep and returns its row. It is not safe for concurrent use on
// one Study (the workers of Run each have their own).
func (st *Study) Replicate(rep uint64) (Row, error) {
	seed := st.Seed
	// The rows hold no air-picture score (OSPA and the like): the engine need not compute it.
	w, err := sim.New(st.scen, st.cat, sim.Options{Replication: rep, Seed: &seed, Cache: st.cache, NoPictureScore: true})
	if err != nil {
		return Row{}, fmt.Errorf("replication %d: %w", rep, err)
	}
	out, err := w.Run()
	if err != nil {
		return Row{}, fmt.Errorf("replication %d: %w", rep, err)
	}
	return st.layout.FromOutcome(out)
}
