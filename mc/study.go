package mc

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"

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
	cache  *sim.Cache // what its replications share (ballistic launch solutions, reach tables)
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

// CanonicalPath returns the one spelling that every spelling of path's field shares, so that
// two settings of the same field are recognised as such however they are written: a list
// element named by its id becomes its index (raids[drones-south].count is raids[0].count when
// that raid comes first), except in the catalog, whose classes and weapons are named by id
// (catalog.systems[pantsir-s1].weapons[57e6].pk.drone, as 'adsim catalog --paths' lists
// them, whichever index a class has in a scenario's own catalog section). A path that names
// no field of the study's scenario is returned as it is: applying it says what is wrong.
func (st *Study) CanonicalPath(path string) string {
	c, _, ok := canonical(st.scen, st.cat, path, false)
	if !ok {
		return strings.TrimSpace(path)
	}
	return c
}

// CanonicalValue returns value as the field at path reads it, written back the one way Go
// writes that type, so that two spellings of the same value compare equal: 01 and 1 for an
// integer, 0.1 and 0.10 or 1e-1 for a number, TRUE and true for a boolean. A value the field
// would refuse (or a path that names no field) is returned trimmed: applying it says what
// is wrong.
func (st *Study) CanonicalValue(path, value string) string {
	_, leaf, ok := canonical(st.scen, st.cat, path, false)
	if !ok {
		return strings.TrimSpace(value)
	}
	v := reflect.New(leaf.Type()).Elem()
	if err := setScalar(v, path, value); err != nil {
		return strings.TrimSpace(value)
	}
	if v.Type() == figureType {
		v = v.FieldByName("Value")
	}
	if v.Kind() == reflect.Slice {
		// A list as setList reads it: its elements, each written back, in brackets.
		items := make([]string, v.Len())
		for i := range items {
			items[i] = fmt.Sprint(v.Index(i).Interface())
		}
		return "[" + strings.Join(items, ", ") + "]"
	}
	return fmt.Sprint(v.Interface())
}

// canonical walks path through scenario s, reading only, and returns its canonical spelling
// (CanonicalPath) and the field it names: a zero value where s has nothing yet (an absent
// optional section, a map entry a setting would make). catalog.systems[ID] and
// catalog.threats[ID] are looked up in cat, the catalog s runs with (as ApplySettings does);
// with cat nil, in s's own catalog section. With figValue, a figure's ".value", as a
// scenario's errors name its number, is dropped (a setting names the figure itself, and
// SetPath refuses ".value"). ok is false when path names no field.
func canonical(s *scenario.Scenario, cat *scenario.Catalog, path string, figValue bool) (_ string, leaf reflect.Value, ok bool) {
	segs, err := parsePath(strings.TrimSpace(path))
	if err != nil {
		return "", reflect.Value{}, false
	}
	inCatalog := segs[0].name == "catalog" && !segs[0].indexed()
	out := make([]string, 0, len(segs))
	v := reflect.ValueOf(s).Elem()
	for i, sg := range segs {
		v = derefRead(v)
		if v.Type() == figureType {
			if figValue && sg.name == "value" && !sg.indexed() && i == len(segs)-1 {
				return strings.Join(out, "."), v, true
			}
			return "", reflect.Value{}, false
		}
		var next reflect.Value
		switch v.Kind() {
		case reflect.Struct:
			f, found := fieldByYAML(v, sg.name)
			if !found {
				return "", reflect.Value{}, false
			}
			next = f
		case reflect.Map:
			if sg.indexed() || v.Type().Key().Kind() != reflect.String {
				return "", reflect.Value{}, false
			}
			next = v.MapIndex(reflect.ValueOf(sg.name).Convert(v.Type().Key()))
			if !next.IsValid() {
				next = reflect.New(v.Type().Elem()).Elem()
			}
		default:
			return "", reflect.Value{}, false
		}
		if !sg.indexed() {
			out, v = append(out, sg.name), next
			continue
		}
		next = derefRead(next)
		if next.Kind() != reflect.Slice {
			return "", reflect.Value{}, false
		}
		if i == 1 && inCatalog && sg.key != "" && cat != nil && (sg.name == "systems" || sg.name == "threats") {
			next, _ = fieldByYAML(reflect.ValueOf(cat).Elem(), sg.name)
		}
		j := sg.idx
		if sg.key != "" {
			j, _ = elementByID(next, sg.key)
		}
		if j < 0 || j >= next.Len() {
			return "", reflect.Value{}, false
		}
		v = next.Index(j)
		seg := fmt.Sprintf("%s[%d]", sg.name, j)
		if id := idOf(v); inCatalog && id != "" {
			seg = sg.name + "[" + id + "]"
		}
		out = append(out, seg)
	}
	return strings.Join(out, "."), derefRead(v), true
}

// derefRead follows pointers, to a zero value of the type pointed to where one is nil.
func derefRead(v reflect.Value) reflect.Value {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return reflect.New(v.Type().Elem()).Elem()
		}
		v = v.Elem()
	}
	return v
}

// idOf is the id of a list element that a path can name it by ([id]): "" when it has none, or
// one that would read as an index or break the path.
func idOf(v reflect.Value) string {
	v = derefRead(v)
	if v.Kind() != reflect.Struct {
		return ""
	}
	f, ok := fieldByYAML(v, "id")
	if !ok || f.Kind() != reflect.String {
		return ""
	}
	id := f.String()
	if _, err := strconv.Atoi(id); err == nil || id == "" || strings.ContainsAny(id, "[] \t") {
		return ""
	}
	return id
}

// catalogPaths rewrites the catalog paths of a scenario's errors, made by settings, into the
// form the settings use: a class copied into the scenario's own catalog section (ownClass) is
// an index there, catalog.systems[0].weapons[0].pk.drone.value, that the user never wrote nor
// sees; catalog.systems[pantsir-s1].weapons[57e6].pk.drone is what they typed and what
// 'adsim catalog --paths' lists. src is the changed scenario; other paths are left as they are
// (an index into the file's own lists is the user's).
func catalogPaths(src []byte, list scenario.ErrorList) {
	var s scenario.Scenario
	if err := yaml.Unmarshal(src, &s); err != nil {
		return
	}
	for _, e := range list {
		if !strings.HasPrefix(e.Path, "catalog.") {
			continue
		}
		if p, _, ok := canonical(&s, nil, e.Path, true); ok {
			e.Path = p
		}
	}
}
