package mc

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/adsim/adsim/scenario"
)

// ValueAt returns the study's value of the field at path (a scenario path, as for SetPath:
// catalog.systems[ID]… names the class of the catalog the scenario runs with, whether or not
// its own catalog section has it), written as --set would take it: a number as figureText
// writes it (as AssumptionFactors writes a figure's baseline), a text or a truth value as it
// is. A sensitivity study prints it as a factor's baseline next to its low and high values.
// A path that names no single value (a list, a section, a list element or map key that is
// not there) is an error.
//
// A fire unit's own figure that the scenario leaves to its class (fire_channels,
// reaction_time_s, magazine.WEAPON, radar.FIELD) is the class's figure in that catalog: the
// value the engine runs with.
func (st *Study) ValueAt(path string) (string, error) {
	v, err := st.valueAt(path)
	if err != nil {
		if class, ok := st.classPath(path); ok {
			if cv, cerr := st.valueAt(class); cerr == nil {
				return cv, nil
			}
		}
	}
	return v, err
}

// classPath is the catalog path of the class figure that a fire unit's own figure at path
// (fire_units[I].fire_channels, .reaction_time_s, .magazine.WEAPON, .radar.FIELD) overrides.
func (st *Study) classPath(path string) (string, bool) {
	segs, err := parsePath(st.CanonicalPath(path))
	if err != nil || len(segs) < 2 || segs[0].name != "fire_units" || segs[0].idx < 0 {
		return "", false
	}
	i := segs[0].idx
	if i >= len(st.scen.FireUnits) {
		return "", false
	}
	class := "catalog.systems[" + st.scen.FireUnits[i].Class + "]"
	switch rest := segs[1:]; {
	case len(rest) == 1 && (rest[0].name == "fire_channels" || rest[0].name == "reaction_time_s"):
		return class + "." + rest[0].name, true
	case len(rest) == 2 && rest[0].name == "magazine" && !rest[1].indexed():
		return class + ".weapons[" + rest[1].name + "].magazine", true
	case len(rest) == 2 && rest[0].name == "radar" && !rest[1].indexed():
		return class + ".radar." + rest[1].name, true
	}
	return "", false
}

// valueAt is ValueAt of the scenario's own fields.
func (st *Study) valueAt(path string) (string, error) {
	segs, err := parsePath(path)
	if err != nil {
		return "", fmt.Errorf("path %q: %w", path, err)
	}
	base := st.baseCatalog()
	if base == nil {
		if base, err = scenario.DefaultCatalog(); err != nil {
			return "", err
		}
	}
	// A parsed copy of the source: ownClass may add a class to its catalog section.
	s, err := scenario.Parse(st.Name, st.Source, base)
	if err != nil {
		return "", err
	}
	if err := ownClass(s, base, path); err != nil {
		return "", err
	}
	v, omitted := reflect.ValueOf(s).Elem(), false
	for _, sg := range segs {
		if v, omitted, err = valueIn(v, sg, path); err != nil {
			return "", err
		}
	}
	v = indirect(v)
	if !v.IsValid() || (omitted && v.IsZero()) {
		// A zero that the file format leaves out (c2.salvo: 0) stands for the field's
		// default, which the model applies, not the scenario: printing 0 would mislead.
		return "", fmt.Errorf("path %q: not in the scenario, which leaves it to its default", path)
	}
	if v.Type() == figureType {
		v = v.FieldByName("Value")
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		return figureText(v.Float()), nil
	case reflect.String:
		return v.String(), nil
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), nil
	}
	return "", fmt.Errorf("path %q names a %s, not a single value", path, describeKind(v))
}

// valueIn is the field, map entry or list element of v that the path segment sg names,
// found as setIn finds it but without creating anything. omitted says that it is a struct
// field the file format leaves out when zero (omitempty).
func valueIn(v reflect.Value, sg pathSeg, path string) (next reflect.Value, omitted bool, err error) {
	v = indirect(v)
	switch {
	case !v.IsValid():
		return v, false, fmt.Errorf("path %q: %s is not set", path, sg.name)
	case v.Kind() == reflect.Struct && v.Type() != figureType:
		f, ok := structField(v, sg.name)
		if !ok {
			return v, false, fmt.Errorf("path %q: no field %q", path, sg.name)
		}
		next, omitted = v.FieldByIndex(f.Index), strings.Contains(f.Tag.Get("yaml"), ",omitempty")
	case v.Kind() == reflect.Map && v.Type().Key().Kind() == reflect.String && !sg.indexed():
		next = v.MapIndex(reflect.ValueOf(sg.name).Convert(v.Type().Key()))
		if !next.IsValid() {
			return next, false, fmt.Errorf("path %q: no entry %q", path, sg.name)
		}
		return next, false, nil
	default:
		return v, false, fmt.Errorf("path %q: %s has no field %q", path, describeKind(v), sg.name)
	}
	if !sg.indexed() {
		return next, omitted, nil
	}
	if next = indirect(next); !next.IsValid() || next.Kind() != reflect.Slice {
		return next, false, fmt.Errorf("path %q: %s is not a list", path, sg.name)
	}
	i := sg.idx
	if sg.key != "" {
		i, _ = elementByID(next, sg.key)
	}
	if i < 0 || i >= next.Len() {
		return next, false, fmt.Errorf("path %q: %s has no element %s", path, sg.name, sg)
	}
	return next.Index(i), false, nil
}

// structField finds the field whose YAML name is name in struct v, looking into inline
// fields: the field with its tag, and its Index relative to v's type (through the inline
// fields), which fieldByYAML follows.
func structField(v reflect.Value, name string) (reflect.StructField, bool) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		n, inline := yamlName(f)
		if inline {
			if sub, ok := structField(v.Field(i), name); ok {
				sub.Index = append([]int{i}, sub.Index...)
				return sub, true
			}
			continue
		}
		if n == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// indirect follows pointers; a nil one gives the invalid Value.
func indirect(v reflect.Value) reflect.Value {
	for v.IsValid() && v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}
