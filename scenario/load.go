package scenario

import (
	"fmt"
	"os"
)

// DefaultRefPd is the detection probability at the reference range when a radar gives no
// ref_pd: the usual convention for quoting a radar's range.
const DefaultRefPd = 0.9

// DefaultPfa is the false-alarm probability when a radar gives no pfa.
const DefaultPfa = 1e-6

// Load reads and parses the scenario file at path; see Parse.
func Load(path string, cat *Catalog) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	return Parse(path, data, cat)
}

// Parse decodes and strictly validates a scenario file. filename is used in error messages
// only. cat is the base catalog that fire-unit and raid classes refer to (nil means
// DefaultCatalog); the scenario's own catalog section adds classes to it, a class with the id
// of a base class replacing it (see EffectiveCatalog).
//
// Every problem found is reported: the error is an ErrorList of *Error, each with file, line,
// column, YAML path, what was found and what was expected. On error the scenario is nil.
//
// Parse never applies silent defaults for physical figures; the few documented conventions
// (frame step, ref_pd, pfa, C2 settings) stay zero in the returned value and are applied by
// the engine, so the scenario keeps what the user wrote.
func Parse(filename string, data []byte, cat *Catalog) (*Scenario, error) {
	if cat == nil {
		c, err := DefaultCatalog()
		if err != nil {
			return nil, fmt.Errorf("scenario: the default catalog is invalid: %w", err)
		}
		cat = c
	}
	d := newDecoder(filename)
	var s Scenario
	d.decodeBytes(data, &s, "a scenario (version, name, seed, duration_s, assets, raids, ...)")
	if d.ix.has("") && !d.exhausted {
		// A document decoded in part would be reported for the values it lacks.
		v := &validator{d: d}
		v.scenario(&s, cat.Merge(s.Catalog))
	}
	if len(d.errs) > 0 {
		d.errs.sort()
		return nil, d.errs
	}
	return &s, nil
}

// EffectiveCatalog returns the catalog the scenario runs with: base (nil means
// DefaultCatalog) with the scenario's own catalog section merged in, a scenario class
// replacing the base class of the same id. Pass the same base as to Parse.
func (s *Scenario) EffectiveCatalog(base *Catalog) *Catalog {
	if base == nil {
		base, _ = DefaultCatalog() // on error base stays nil: an empty base
	}
	var own *Catalog
	if s != nil {
		own = s.Catalog
	}
	return base.Merge(own)
}
