package scenario

import (
	_ "embed"
)

// catalogYAML is the default catalog of system and threat classes.
//
//go:embed catalog.yaml
var catalogYAML string

// DefaultCatalogFile is the file name that errors in the embedded default catalog refer to.
const DefaultCatalogFile = "scenario/catalog.yaml"

// DefaultCatalog parses and validates the catalog embedded in the binary. Each call returns a
// fresh copy that the caller may modify.
func DefaultCatalog() (*Catalog, error) {
	return ParseCatalog(DefaultCatalogFile, []byte(catalogYAML))
}

// DefaultCatalogYAML returns a copy of the embedded catalog file, for printing.
func DefaultCatalogYAML() []byte { return []byte(catalogYAML) }

// ParseCatalog parses and strictly validates a catalog file (the shape of Catalog: systems and
// threats). Every figure must be a mapping with a value and a source or an assumption. Errors
// are returned as an ErrorList naming filename.
func ParseCatalog(filename string, data []byte) (*Catalog, error) {
	d := newDecoder(filename)
	var c Catalog
	d.decodeBytes(data, &c, "a catalog with systems and threats")
	if d.ix.has("") && !d.exhausted {
		v := &validator{d: d}
		v.catalog(&c, "", true)
	}
	if len(d.errs) > 0 {
		d.errs.sort()
		return nil, d.errs
	}
	return &c, nil
}

// System returns the system class with the given id.
func (c *Catalog) System(id string) (*SystemClass, bool) {
	if c == nil {
		return nil, false
	}
	for i := range c.Systems {
		if c.Systems[i].ID == id {
			return &c.Systems[i], true
		}
	}
	return nil, false
}

// Threat returns the threat class with the given id.
func (c *Catalog) Threat(id string) (*ThreatClass, bool) {
	if c == nil {
		return nil, false
	}
	for i := range c.Threats {
		if c.Threats[i].ID == id {
			return &c.Threats[i], true
		}
	}
	return nil, false
}

// Weapon returns the weapon with the given id of the system class.
func (s *SystemClass) Weapon(id string) (*Weapon, bool) {
	if s == nil {
		return nil, false
	}
	for i := range s.Weapons {
		if s.Weapons[i].ID == id {
			return &s.Weapons[i], true
		}
	}
	return nil, false
}

// Merge returns a new catalog holding c's classes with over's added: a class of over with the
// id of one of c's replaces it in place, others are appended in order. Either may be nil. The
// result shares no slices with c or over at the top level (classes are copied by value; their
// weapon slices and pk maps are shared).
func (c *Catalog) Merge(over *Catalog) *Catalog {
	out := &Catalog{}
	if c != nil {
		out.Systems = append(out.Systems, c.Systems...)
		out.Threats = append(out.Threats, c.Threats...)
	}
	if over == nil {
		return out
	}
	for _, s := range over.Systems {
		if old, ok := out.System(s.ID); ok {
			*old = s
		} else {
			out.Systems = append(out.Systems, s)
		}
	}
	for _, t := range over.Threats {
		if old, ok := out.Threat(t.ID); ok {
			*old = t
		} else {
			out.Threats = append(out.Threats, t)
		}
	}
	return out
}

// SystemIDs returns the ids of the system classes, in catalog order.
func (c *Catalog) SystemIDs() []string {
	if c == nil {
		return nil
	}
	ids := make([]string, len(c.Systems))
	for i, s := range c.Systems {
		ids[i] = s.ID
	}
	return ids
}

// ThreatIDs returns the ids of the threat classes, in catalog order.
func (c *Catalog) ThreatIDs() []string {
	if c == nil {
		return nil
	}
	ids := make([]string, len(c.Threats))
	for i, t := range c.Threats {
		ids[i] = t.ID
	}
	return ids
}
