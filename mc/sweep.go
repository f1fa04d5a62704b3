package mc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/adsim/adsim/scenario"
)

// A scenario path names one field of a scenario file by its YAML field names: struct fields
// and map keys separated by dots, list elements by [index] or, in lists of things with an
// id, by [id]: raids[0].count, raids[drones-south].count, fire_units[2].magazine.57e6,
// c2.salvo, sensors[1].ref_range_km. Fields written inline in the file (a sensor's lat_deg, a
// fire unit's rooftop) are named directly. catalog.systems[ID] and catalog.threats[ID] name a
// class of the catalog the scenario runs with, whether or not the scenario's own catalog
// section has it (ApplySettings copies it there first): catalog.threats[shahed-136].rcs_m2,
// catalog.systems[pantsir-s1].weapons[57e6].pk.drone.

type pathSeg struct {
	name string
	idx  int    // -1: none
	key  string // [id]: the element of a list whose id is key ("" for none)
}

// indexed reports whether the segment selects a list element.
func (sg pathSeg) indexed() bool { return sg.idx >= 0 || sg.key != "" }

func (sg pathSeg) String() string {
	switch {
	case sg.key != "":
		return sg.name + "[" + sg.key + "]"
	case sg.idx >= 0:
		return fmt.Sprintf("%s[%d]", sg.name, sg.idx)
	}
	return sg.name
}

// splitPath splits a path at the dots outside brackets (an id in brackets may hold a dot).
func splitPath(path string) ([]string, error) {
	var parts []string
	depth, start := 0, 0
	for i, r := range path {
		switch r {
		case '[':
			if depth++; depth > 1 {
				return nil, fmt.Errorf("brackets inside brackets in %q", path)
			}
		case ']':
			if depth--; depth < 0 {
				return nil, fmt.Errorf("a ] without its [ in %q", path)
			}
		case '.':
			if depth == 0 {
				parts = append(parts, path[start:i])
				start = i + 1
			}
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("a [ without its ] in %q", path)
	}
	return append(parts, path[start:]), nil
}

func parsePath(path string) ([]pathSeg, error) {
	if strings.TrimSpace(path) == "" {
		return nil, fmt.Errorf("empty path")
	}
	parts, err := splitPath(path)
	if err != nil {
		return nil, err
	}
	var segs []pathSeg
	for _, part := range parts {
		sg := pathSeg{name: part, idx: -1}
		if i := strings.IndexByte(part, '['); i >= 0 {
			if !strings.HasSuffix(part, "]") {
				return nil, fmt.Errorf("%q: an index is written [N] or [id], at the end of a name", part)
			}
			in := part[i+1 : len(part)-1]
			sg.name = part[:i]
			if n, err := strconv.Atoi(in); err == nil {
				if n < 0 {
					return nil, fmt.Errorf("%q: the index %d is negative", part, n)
				}
				sg.idx = n
			} else if in == "" || strings.ContainsAny(in, "[] \t") {
				return nil, fmt.Errorf("%q: expected an index [N] or an id [name], found [%s]", part, in)
			} else {
				sg.key = in
			}
		}
		if sg.name == "" {
			return nil, fmt.Errorf("an empty field name in %q", path)
		}
		segs = append(segs, sg)
	}
	return segs, nil
}

// yamlName is a struct field's name in YAML ("" for inline fields, "-" for skipped ones).
func yamlName(f reflect.StructField) (name string, inline bool) {
	tag := f.Tag.Get("yaml")
	name, opts, _ := strings.Cut(tag, ",")
	if strings.Contains(","+opts+",", ",inline,") {
		return "", true
	}
	if name == "" {
		name = strings.ToLower(f.Name)
	}
	return name, false
}

// fieldByYAML finds the field named name in struct v, looking into inline fields.
func fieldByYAML(v reflect.Value, name string) (reflect.Value, bool) {
	f, ok := structField(v, name)
	if !ok {
		return reflect.Value{}, false
	}
	return v.FieldByIndex(f.Index), true
}

func yamlNames(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		n, inline := yamlName(f)
		if inline {
			out = append(out, yamlNames(f.Type)...)
		} else if n != "-" {
			out = append(out, n)
		}
	}
	return out
}

var figureType = reflect.TypeOf(scenario.Figure{})

// SetPath sets the field of s at path (see above) to value, given as in a YAML file. The
// path must name a field of the scenario format (a missing list element is an error; a
// missing map key, e.g. a weapon in a magazine, and an absent optional section are created).
// The scenario is not re-validated here: see Study.With.
func SetPath(s *scenario.Scenario, path, value string) error {
	segs, err := parsePath(path)
	if err != nil {
		return fmt.Errorf("path %q: %w", path, err)
	}
	return setIn(reflect.ValueOf(s).Elem(), segs, "", path, value)
}

func setIn(v reflect.Value, segs []pathSeg, at, path, value string) error {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		v = v.Elem()
	}
	if len(segs) == 0 {
		return setScalar(v, path, value)
	}
	sg := segs[0]
	here := sg.name
	if at != "" {
		here = at + "." + sg.name
	}
	var next reflect.Value
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == figureType {
			return fmt.Errorf("path %q: %s is a number; it has no field %q", path, at, sg.name)
		}
		f, ok := fieldByYAML(v, sg.name)
		if !ok {
			what := "the scenario"
			if at != "" {
				what = at
			}
			return fmt.Errorf("path %q: %s has no field %q; its fields are %s", path, what, sg.name, strings.Join(yamlNames(v.Type()), ", "))
		}
		next = f
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return fmt.Errorf("path %q: %s cannot be set by key", path, at)
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		key := reflect.ValueOf(sg.name).Convert(v.Type().Key())
		elem := reflect.New(v.Type().Elem()).Elem()
		if old := v.MapIndex(key); old.IsValid() {
			elem.Set(old)
		}
		if sg.indexed() {
			return fmt.Errorf("path %q: %s is a map entry; it cannot be indexed", path, here)
		}
		if err := setIn(elem, segs[1:], here, path, value); err != nil {
			return err
		}
		v.SetMapIndex(key, elem)
		return nil
	case reflect.Slice:
		// raids.0.count names the element after a dot: suggest raids[0].count, not raids[0].0.
		if el := v.Type().Elem(); el.Kind() == reflect.Struct && !slices.Contains(yamlNames(el), sg.name) {
			if rest, ok := strings.CutPrefix(path, at+"."+sg.name); ok {
				return fmt.Errorf("path %q: %s is a list: name one element in brackets, e.g. %s[%s]%s", path, at, at, sg.name, rest)
			}
		}
		return fmt.Errorf("path %q: %s is a list: name one element, e.g. %s[0].%s", path, at, at, sg.name)
	default:
		return fmt.Errorf("path %q: %s is a %s value; it has no field %q", path, at, v.Kind(), sg.name)
	}
	if sg.indexed() {
		for next.Kind() == reflect.Pointer {
			if next.IsNil() {
				next.Set(reflect.New(next.Type().Elem()))
			}
			next = next.Elem()
		}
		if next.Kind() != reflect.Slice {
			return fmt.Errorf("path %q: %s is not a list; it cannot be indexed", path, here)
		}
		if sg.key != "" {
			i, ids := elementByID(next, sg.key)
			if i < 0 {
				if ids == nil {
					return fmt.Errorf("path %q: the elements of %s have no id; name one by its index, e.g. %s[0]", path, here, here)
				}
				return fmt.Errorf("path %q: %s has no element with id %q; its ids are %s", path, here, sg.key, strings.Join(ids, ", "))
			}
			next = next.Index(i)
		} else {
			if sg.idx >= next.Len() {
				whole := ""
				if singleValues(next.Type()) {
					whole = fmt.Sprintf("; set the whole list in brackets, e.g. %s=[a, b]", here)
				}
				if next.Len() == 0 {
					return fmt.Errorf("path %q: %s is empty; there is no [%d]%s", path, here, sg.idx, whole)
				}
				return fmt.Errorf("path %q: %s has %d elements (indices 0 to %d); there is no [%d]%s", path, here, next.Len(), next.Len()-1, sg.idx, whole)
			}
			next = next.Index(sg.idx)
		}
		here = sg.String()
		if at != "" {
			here = at + "." + here
		}
	}
	return setIn(next, segs[1:], here, path, value)
}

// elementByID finds the element of list v (of structs, or pointers to them) whose id field
// (YAML "id") is id: its index, or −1 and the ids there are (nil when the elements have no
// id field).
func elementByID(v reflect.Value, id string) (int, []string) {
	var ids []string
	for i := 0; i < v.Len(); i++ {
		e := v.Index(i)
		for e.Kind() == reflect.Pointer && !e.IsNil() {
			e = e.Elem()
		}
		if e.Kind() != reflect.Struct {
			return -1, nil
		}
		f, ok := fieldByYAML(e, "id")
		if !ok || f.Kind() != reflect.String {
			return -1, nil
		}
		if f.String() == id {
			return i, nil
		}
		ids = append(ids, f.String())
	}
	if ids == nil {
		ids = []string{"(none: the list is empty)"}
	}
	return -1, ids
}

// figureAssumption is what a figure set on the command line says of itself: its value is no
// longer the one its source gave.
const figureAssumption = "set with --set PATH=VALUE"

func setScalar(v reflect.Value, path, value string) error {
	s := strings.TrimSpace(value)
	if v.Type() == figureType {
		// The value is the user's now, not its source's: it becomes an assumption.
		v.FieldByName("Source").SetString("")
		v.FieldByName("Assumption").SetString(figureAssumption)
		v = v.FieldByName("Value")
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			f, ferr := strconv.ParseFloat(s, 64)
			switch {
			case ferr == nil && f == math.Trunc(f) && math.Abs(f) > 1<<53, errors.Is(err, strconv.ErrRange):
				// A whole number, too large to be one: say so rather than "not an integer".
				return fmt.Errorf("path %q: found %q, expected an integer of at most %d in size", path, value, int64(1)<<53)
			case ferr != nil || f != math.Trunc(f):
				return fmt.Errorf("path %q: expected an integer, found %q", path, value)
			}
			n = int64(f)
		}
		if v.OverflowInt(n) {
			return fmt.Errorf("path %q: %d is out of range", path, n)
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return fmt.Errorf("path %q: expected a non-negative integer, found %q", path, value)
		}
		if v.OverflowUint(n) {
			return fmt.Errorf("path %q: %d is out of range", path, n)
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("path %q: expected a number, found %q", path, value)
		}
		v.SetFloat(f)
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("path %q: expected true or false, found %q", path, value)
		}
		v.SetBool(b)
	case reflect.Slice:
		return setList(v, path, s)
	default:
		return fmt.Errorf("path %q names a %s, not a single value; name one of its fields", path, describeKind(v))
	}
	return nil
}

// singleValues reports whether list type t holds single values (numbers, text, booleans)
// rather than sections, so that --set can give it whole.
func singleValues(t reflect.Type) bool {
	switch t.Elem().Kind() {
	case reflect.Struct, reflect.Map, reflect.Slice, reflect.Pointer, reflect.Interface:
		return false
	}
	return true
}

// setList sets a list of single values (threat categories, target ids) from its whole
// written in brackets, "[a, b]" ("[]" for none): each element as setScalar sets one.
func setList(v reflect.Value, path, s string) error {
	if !singleValues(v.Type()) {
		return fmt.Errorf("path %q names a list of sections, not a single value; name a field of one of its elements, e.g. %s[0]", path, path)
	}
	inner, open := strings.CutPrefix(s, "[")
	inner, closed := strings.CutSuffix(inner, "]")
	if !open || !closed || strings.ContainsAny(inner, "[]") {
		return fmt.Errorf("path %q names a list: expected its elements in brackets, e.g. [a, b] ([] for none), found %q; or name one element, e.g. %s[0]", path, s, path)
	}
	list := reflect.MakeSlice(v.Type(), 0, 0)
	if strings.TrimSpace(inner) != "" {
		for i, item := range strings.Split(inner, ",") {
			ip := fmt.Sprintf("%s[%d]", path, i)
			if strings.TrimSpace(item) == "" {
				return fmt.Errorf("path %q: element %d of %q is empty", ip, i, s)
			}
			e := reflect.New(v.Type().Elem()).Elem()
			if err := setScalar(e, ip, item); err != nil {
				return err
			}
			list = reflect.Append(list, e)
		}
	}
	v.Set(list)
	return nil
}

func describeKind(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Slice:
		return "list"
	case reflect.Struct, reflect.Map:
		return "section"
	}
	return v.Kind().String()
}

// Setting is one scenario field set to one value: PATH=VALUE on the command line.
type Setting struct {
	Path  string `json:"path"`
	Value string `json:"value"`
}

// String is the setting as --set takes it, "PATH=VALUE".
func (s Setting) String() string { return s.Path + "=" + s.Value }

// With returns a copy of the study with the field at path set to value, re-validated as a
// file would be: a value the scenario format refuses is an error naming the path and value.
func (st *Study) With(path, value string) (*Study, error) {
	return st.WithSettings([]Setting{{path, value}})
}

// ErrInvalidSetting marks the errors of settings a scenario refuses — a path that names no
// field, a value of the wrong type, a scenario the change makes invalid — so that callers can
// tell bad input from a failed run (errors.Is).
var ErrInvalidSetting = errors.New("invalid setting")

// WithSettings returns a copy of the study with every setting applied in order, then
// re-validated once as a file would be (so settings that are only valid together, such as
// a range and its maximum, can be made together). The copy's source is the changed scenario,
// so it travels to shards, remote workers and output directories as it is. Errors wrap
// ErrInvalidSetting.
func (st *Study) WithSettings(sets []Setting) (*Study, error) {
	if len(sets) == 0 {
		return st, nil
	}
	src, err := applySettings(st.Name, st.Source, st.baseCatalog(), sets)
	if err != nil {
		return nil, err
	}
	seed := st.Seed
	base, all := st.base, slices.Clone(st.sets)
	if base == "" {
		base = st.Name
	}
	for _, set := range sets {
		// A field set again under another spelling (raids[0] and raids[its-id]) is one field.
		p := st.CanonicalPath(set.Path)
		if i := slices.IndexFunc(all, func(o Setting) bool { return st.CanonicalPath(o.Path) == p }); i >= 0 {
			all[i] = set // set again: the name says the value the study has
		} else {
			all = append(all, set)
		}
	}
	c, err := NewStudy(fmt.Sprintf("%s with %s", base, settingsText(all)), src, st.Catalog, &seed)
	if err != nil {
		return nil, invalidBy(sets, src, err)
	}
	c.base, c.sets = base, all
	return c, nil
}

// ApplySettings returns the scenario file source with the settings applied in order (the
// whole file re-written as YAML; comments are not kept), after checking that the changed
// scenario is valid. base is the catalog the scenario's classes refer to (nil: the embedded
// default). An error in the file itself is located in it (file:line:col); an error the
// settings make is located at the settings ("raids[0].count=-1 makes the scenario invalid:
// raids[0].count: found -1, …"), since the re-written file's lines are nowhere to be seen.
// Errors of the settings wrap ErrInvalidSetting.
func ApplySettings(name string, source []byte, base *scenario.Catalog, sets []Setting) ([]byte, error) {
	src, err := applySettings(name, source, base, sets)
	if err != nil {
		return nil, err
	}
	if base == nil {
		if base, err = scenario.DefaultCatalog(); err != nil {
			return nil, err
		}
	}
	if _, err := scenario.Parse(name, src, base); err != nil {
		return nil, invalidBy(sets, src, err)
	}
	return src, nil
}

// applySettings is ApplySettings without the validation of the result (NewStudy does it).
func applySettings(name string, source []byte, base *scenario.Catalog, sets []Setting) (_ []byte, err error) {
	if base == nil {
		if base, err = scenario.DefaultCatalog(); err != nil {
			return nil, err
		}
	}
	s, err := scenario.Parse(name, source, base)
	if err != nil {
		return nil, err
	}
	for _, set := range sets {
		if err := ownClass(s, base, set.Path); err != nil {
			return nil, &invalidSetting{err}
		}
		if err := SetPath(s, set.Path, set.Value); err != nil {
			return nil, &invalidSetting{err}
		}
	}
	src, err := yaml.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", settingsText(sets), err)
	}
	return src, nil
}

// invalidBy is the error of a scenario the settings made invalid: its errors lose the
// positions in the re-written file src, which nobody sees, and are put at the settings, their
// catalog paths spelled as settings spell them (catalogPaths).
func invalidBy(sets []Setting, src []byte, err error) error {
	var list scenario.ErrorList
	if errors.As(err, &list) {
		moved := make(scenario.ErrorList, len(list))
		for i, e := range list {
			c := *e
			c.File, c.Line, c.Col = "", 0, 0
			moved[i] = &c
		}
		catalogPaths(src, moved)
		err = moved
	}
	return &invalidSetting{fmt.Errorf("%s makes the scenario invalid: %w", settingsText(sets), err)}
}

// invalidSetting is an error that wraps ErrInvalidSetting without saying so in its text.
type invalidSetting struct{ error }

func (e *invalidSetting) Unwrap() []error { return []error{e.error, ErrInvalidSetting} }

// ownClass makes sure that a path into catalog.systems[ID] or catalog.threats[ID] finds that
// class in the scenario's own catalog section: a class the section lacks is copied there from
// the catalog the scenario runs with (base merged with the section), where a class of the
// section replaces the base's of the same id. Other paths are left alone.
func ownClass(s *scenario.Scenario, base *scenario.Catalog, path string) error {
	segs, err := parsePath(path)
	if err != nil || len(segs) < 2 || segs[0].name != "catalog" || segs[0].indexed() || segs[1].key == "" {
		return nil // not a class by id: SetPath says what is wrong, if anything
	}
	id := segs[1].key
	eff := s.EffectiveCatalog(base)
	if s.Catalog == nil {
		s.Catalog = &scenario.Catalog{}
	}
	var found bool
	switch segs[1].name {
	case "systems":
		found, err = ownCopy(&s.Catalog.Systems, eff.Systems, id, func(c *scenario.SystemClass) string { return c.ID })
		if !found {
			return fmt.Errorf("path %q: the catalog has no system class %q; its systems are %s", path, id, strings.Join(eff.SystemIDs(), ", "))
		}
	case "threats":
		found, err = ownCopy(&s.Catalog.Threats, eff.Threats, id, func(c *scenario.ThreatClass) string { return c.ID })
		if !found {
			return fmt.Errorf("path %q: the catalog has no threat class %q; its threats are %s", path, id, strings.Join(eff.ThreatIDs(), ", "))
		}
	}
	if err != nil {
		return fmt.Errorf("path %q: copying class %q: %w", path, id, err)
	}
	return nil
}

// ownCopy makes sure that own holds the class id: it does already, or a deep copy (weapons,
// kill-probability tables: the catalog it came from stays as it was) of eff's is appended.
// found is false when neither has it.
func ownCopy[T any](own *[]T, eff []T, id string, idOf func(*T) string) (found bool, err error) {
	for i := range *own {
		if idOf(&(*own)[i]) == id {
			return true, nil
		}
	}
	for i := range eff {
		if idOf(&eff[i]) != id {
			continue
		}
		var c T
		b, err := json.Marshal(&eff[i])
		if err == nil {
			err = json.Unmarshal(b, &c)
		}
		if err != nil {
			return true, err
		}
		*own = append(*own, c)
		return true, nil
	}
	return false, nil
}

// settingsText is settings as written on the command line: "a=1, b=2".
func settingsText(sets []Setting) string {
	parts := make([]string, len(sets))
	for i, s := range sets {
		parts[i] = s.String()
	}
	return strings.Join(parts, ", ")
}

func (st *Study) baseCatalog() *scenario.Catalog {
	if st.Catalog == nil {
		return nil
	}
	c, err := scenario.ParseCatalog(st.Name+" (catalog)", st.Catalog)
	if err != nil {
		return nil
	}
	return c
}

// ParseValues reads the values of a sweep: "START:STOP:STEP" (inclusive of STOP when the
// steps land on it), a comma-separated list "a,b,c", or one value.
func ParseValues(spec string) ([]string, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, fmt.Errorf("no values: expected START:STOP:STEP (e.g. 10:200:10) or a list a,b,c")
	}
	if strings.Contains(spec, ":") {
		parts := strings.Split(spec, ":")
		if len(parts) != 3 {
			return nil, fmt.Errorf("range %q: expected START:STOP:STEP, e.g. 10:200:10", spec)
		}
		var f [3]float64
		for i, p := range parts {
			x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("range %q: %q is not a number", spec, p)
			}
			f[i] = x
		}
		start, stop, step := f[0], f[1], f[2]
		if step == 0 || (stop-start)/step < 0 {
			return nil, fmt.Errorf("range %q has zero steps: STEP must be non-zero and lead from START to STOP", spec)
		}
		n := math.Floor((stop-start)/step+1e-9) + 1
		if n > 10000 {
			steps := strconv.FormatFloat(n, 'f', 0, 64)
			if n >= 1e15 {
				steps = strconv.FormatFloat(n, 'g', 3, 64)
			}
			return nil, fmt.Errorf("range %q has %s steps; at most 10000", spec, steps)
		}
		out := make([]string, 0, int(n))
		for i := 0; i < int(n); i++ {
			x := start + float64(i)*step
			// Round away float noise (0.1 steps): 12 significant digits.
			x, _ = strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
			v := strconv.FormatFloat(x, 'g', -1, 64)
			if x == math.Trunc(x) && math.Abs(x) < 1e15 {
				// A whole number in full (1000000, not 1e+06), which an integer field reads.
				v = strconv.FormatFloat(x, 'f', -1, 64)
			}
			if i > 0 && v == out[i-1] {
				return nil, fmt.Errorf("range %q: a STEP of %s is lost in the 12 significant digits values keep (%s, then %s again); expected a larger STEP", spec, parts[2], v, v)
			}
			out = append(out, v)
		}
		return out, nil
	}
	var out []string
	for _, p := range splitTopLevel(spec) {
		if p = strings.TrimSpace(p); p == "" {
			return nil, fmt.Errorf("list %q has an empty value", spec)
		}
		out = append(out, p)
	}
	return out, nil
}

// splitTopLevel splits s at the commas outside brackets, so that a value that is itself a
// list, "[ballistic_missile, aircraft]", stays one value.
func splitTopLevel(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// ParseSet splits a --set argument PATH=VALUES.
func ParseSet(arg string) (path string, values []string, err error) {
	path, spec, ok := strings.Cut(arg, "=")
	if !ok || strings.TrimSpace(path) == "" {
		return "", nil, fmt.Errorf("--set %q: expected PATH=VALUES, e.g. raids[0].count=10:200:10", arg)
	}
	values, err = ParseValues(spec)
	if err != nil {
		return "", nil, fmt.Errorf("--set %q: %w", arg, err)
	}
	return strings.TrimSpace(path), values, nil
}

// ParseSetting reads a --set argument that sets one field to one value: PATH=VALUE. flag
// names the option for messages ("set", "set-b").
func ParseSetting(flag, arg string) (Setting, error) {
	path, spec, ok := strings.Cut(arg, "=")
	if !ok || strings.TrimSpace(path) == "" {
		return Setting{}, fmt.Errorf("--%s %q: expected PATH=VALUE, e.g. raids[0].count=40", flag, arg)
	}
	if strings.TrimSpace(spec) == "" {
		return Setting{}, fmt.Errorf("--%s %q: no value; expected PATH=VALUE, e.g. raids[0].count=40", flag, arg)
	}
	values, err := ParseValues(spec)
	if err != nil {
		return Setting{}, fmt.Errorf("--%s %q: %w", flag, arg, err)
	}
	if len(values) != 1 {
		return Setting{}, fmt.Errorf("--%s %q: expected one value, found %d (adsim sweep runs over several values)", flag, arg, len(values))
	}
	return Setting{Path: strings.TrimSpace(path), Value: values[0]}, nil
}

// MaxSweepPoints bounds the points of a sweep (the product of its axes' lengths, or their
// common length when zipped), as ParseValues bounds one range.
const MaxSweepPoints = 10000

// Axis is one swept field and its values.
type Axis struct {
	Path   string   `json:"path"`
	Values []string `json:"values"`
}

// Grid lists the settings of every point of a sweep over axes: with zip false, every
// combination (the last axis varying fastest, as nested loops in the order given); with zip
// true, the i-th values of all axes together, which must then have the same number of values
// (a raid of N drones and N/5 cruise missiles). A path swept twice, or more than
// MaxSweepPoints points, is an error.
func Grid(axes []Axis, zip bool) ([][]Setting, error) {
	if len(axes) == 0 {
		return nil, fmt.Errorf("nothing to sweep: expected at least one field with its values")
	}
	seen := map[string]bool{}
	n := 1
	for i, a := range axes {
		if len(a.Values) == 0 {
			return nil, fmt.Errorf("%s has no values", a.Path)
		}
		if seen[a.Path] {
			return nil, fmt.Errorf("%s is swept twice: give each field once", a.Path)
		}
		seen[a.Path] = true
		if zip {
			if len(a.Values) != len(axes[0].Values) {
				return nil, fmt.Errorf("zipped sweep: %s has %d values and %s has %d; zipped fields need as many values each",
					axes[0].Path, len(axes[0].Values), a.Path, len(a.Values))
			}
			n = len(a.Values)
			continue
		}
		if n *= len(a.Values); n > MaxSweepPoints {
			return nil, fmt.Errorf("the sweep over %s has more than %d points", axesText(axes[:i+1]), MaxSweepPoints)
		}
	}
	out := make([][]Setting, n)
	for k := range out {
		pt := make([]Setting, len(axes))
		rest := k
		for i := len(axes) - 1; i >= 0; i-- {
			a := axes[i]
			j := k
			if !zip {
				j, rest = rest%len(a.Values), rest/len(a.Values)
			}
			pt[i] = Setting{Path: a.Path, Value: a.Values[j]}
		}
		out[k] = pt
	}
	return out, nil
}

// stepKey names a step of a sweep by the settings of its two points, the one before first.
func stepKey(before, at []Setting) string { return settingsText(before) + "\x00" + settingsText(at) }

func axesText(axes []Axis) string {
	paths := make([]string, len(axes))
	for i, a := range axes {
		paths[i] = a.Path
	}
	return strings.Join(paths, " × ")
}

// SweepPoint is the result at one point of a sweep.
type SweepPoint struct {
	Set    []Setting `json:"set"` // the swept fields' values here, one per axis
	X      []float64 `json:"-"`   // the values as numbers (NaN where one is not)
	Result *Result   `json:"result"`
	// Step compares this point (B) with the one before (A), pair by pair (SweepHooks.Steps),
	// over the replications both ran; nil for the first point, or where it was not asked.
	Step *Comparison `json:"step,omitempty"`
}

// Sweep prepares every point first (so a bad value fails before anything runs, with an error
// wrapping ErrInvalidSetting), then runs
// each with the same seed and replication indices, so all points share common random numbers.
// points holds each point's settings (Grid). When ctx is cancelled it returns the points
// completed so far with an error wrapping *Interrupted. reused counts the points taken from
// hooks.Saved rather than run.
func Sweep(ctx context.Context, base *Study, points [][]Setting, exec Executor, opt Options,
	hooks SweepHooks) (out []SweepPoint, reused int, err error) {
	studies := make([]*Study, len(points))
	for i, pt := range points {
		s, err := base.WithSettings(pt)
		if err != nil {
			return nil, 0, err
		}
		studies[i] = s
	}
	out = make([]SweepPoint, 0, len(points))
	// With Steps, the replications of the point run last, to pair the next one with.
	var prev *baselineSink
	// stopped is what Sweep returns when the run of the point set at fails: interrupted, the
	// points already complete, so that the caller can keep them (the point in progress is
	// incomplete and is not); else none.
	stopped := func(at []Setting, err error) ([]SweepPoint, int, error) {
		var in *Interrupted
		if errors.As(err, &in) {
			return out, reused, fmt.Errorf("%s: %w", settingsText(at), err)
		}
		return nil, reused, fmt.Errorf("%s: %w", settingsText(at), err)
	}
	for i, s := range studies {
		xs := make([]float64, len(points[i]))
		for k, set := range points[i] {
			x, err := strconv.ParseFloat(set.Value, 64)
			if err != nil {
				x = math.NaN()
			}
			xs[k] = x
		}
		r := hooks.Saved[settingsText(points[i])]
		if r != nil && r.Fingerprint != s.Fingerprint() {
			if hooks.Stale != nil {
				hooks.Stale(points[i])
			}
			r = nil
		}
		if r != nil && hooks.Rows != nil && !hooks.Rows.Have(i, s, r) {
			r = nil // run again, for its rows
		}
		var savedStep *Comparison
		if r != nil && i > 0 {
			savedStep = hooks.SavedSteps[stepKey(points[i-1], points[i])]
			if hooks.Steps && savedStep == nil {
				r = nil // run again: its step from the point now before it was never saved
			}
		}
		if r != nil {
			out = append(out, SweepPoint{Set: points[i], X: xs, Result: r, Step: savedStep})
			reused++
			prev = nil
			if hooks.Reused != nil {
				hooks.Reused(i, uint64(r.Replications))
			} else if hooks.Progress != nil {
				hooks.Progress(i, uint64(r.Replications))
			}
		} else {
			o := opt
			if hooks.Progress != nil {
				o.Progress = func(done uint64) { hooks.Progress(i, done) }
			}
			var sinks []RowSink
			var cur *baselineSink
			var step *pairSink
			if hooks.Steps {
				cur = &baselineSink{assets: len(s.Layout().Assets)}
				sinks = append(sinks, cur)
				if prev == nil && i > 0 {
					// The point before was saved by an earlier run, without its replications:
					// they are run again (the same rows, by determinism) to pair this one with.
					a := studies[i-1]
					prev = &baselineSink{assets: len(a.Layout().Assets)}
					k := uint64(out[i-1].Result.Replications)
					ro := Options{Reps: Range{opt.Reps.Start, opt.Reps.Start + k}}
					if hooks.Replay != nil {
						hooks.Replay(i, 0, k)
						ro.Progress = func(done uint64) {
							if done < k {
								hooks.Replay(i, done, k)
							}
						}
					}
					if _, err := Run(ctx, a, exec, ro, prev); err != nil {
						return stopped(points[i-1], err)
					}
					if hooks.Replay != nil {
						hooks.Replay(i, k, k)
					}
				}
				if prev != nil {
					a := studies[i-1]
					step = &pairSink{first: o.Reps.Start, a: prev.vals, aLost: prev.lost, aAssets: prev.assets,
						assets: commonAssets(a.Layout(), s.Layout()), partial: true}
					sinks = append(sinks, step)
				}
			}
			var rows PointSink
			if hooks.Rows != nil {
				var oerr error
				if rows, oerr = hooks.Rows.Open(i, s); oerr != nil {
					return nil, reused, fmt.Errorf("%s: %w", settingsText(points[i]), oerr)
				}
				sinks = append(sinks, rows)
			}
			sum, err := Run(ctx, s, exec, o, sinks...)
			if rows != nil {
				if rerr := rows.End(sum, err); rerr != nil {
					err = errors.Join(err, rerr)
				}
			}
			if err != nil {
				return stopped(points[i], err)
			}
			pt := SweepPoint{Set: points[i], X: xs, Result: sum.Result()}
			if step != nil && step.valueLost.diff.N >= 2 {
				pt.Step = step.comparison(studies[i-1], s)
			}
			out = append(out, pt)
			prev = cur
		}
		if hooks.Done != nil {
			if err := hooks.Done(out); err != nil {
				return out, reused, err
			}
		}
	}
	return out, reused, nil
}
