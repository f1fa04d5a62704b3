package scenario

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/adsim/adsim/schema"
)

// compileSchema compiles the embedded scenario schema.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.ScenarioJSON()))
	if err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schema.ScenarioID, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(schema.ScenarioID)
	if err != nil {
		t.Fatalf("schema does not compile: %v", err)
	}
	return sch
}

// yamlInstance converts YAML to the JSON value the schema validates.
func yamlInstance(t *testing.T, src []byte) any {
	t.Helper()
	js, err := yaml.YAMLToJSON(src)
	if err != nil {
		t.Fatalf("YAML to JSON: %v", err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatalf("JSON: %v", err)
	}
	return v
}

func TestSchemaAcceptsValidScenarios(t *testing.T) {
	sch := compileSchema(t)
	valid, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"base": []byte(base), "testdata/valid.yaml": valid}
	for _, name := range ExampleNames() {
		data, err := ExampleFile(name)
		if err != nil {
			t.Fatal(err)
		}
		files["example "+name] = data
	}
	for name, data := range files {
		if err := sch.Validate(yamlInstance(t, data)); err != nil {
			t.Errorf("%s rejected by the schema: %v", name, err)
		}
	}
}

func TestSchemaRejectsBrokenScenarios(t *testing.T) {
	sch := compileSchema(t)
	for name, src := range map[string]string{
		"unknown top-level field": edit(t, "seed: 1", "seed: 1\nsede: 2"),
		"unknown nested field":    edit(t, "    ref_range_km: 300", "    ref_range_km: 300\n    ref_range_m: 3"),
		"string for number":       edit(t, "    value: 10", `    value: "10"`),
		"bad doctrine":            edit(t, "seed: 1", "seed: 1\nc2: {doctrine: salvos}"),
		"bad picture":             edit(t, "seed: 1", "seed: 1\nc2: {picture: ideal}"),
		"bad time of flight":      edit(t, "seed: 1", "seed: 1\nc2: {time_of_flight: exact}"),
		"empty raid":              edit(t, "    count: 4", "    count: 0"),
		"raid over the cap":       edit(t, "    count: 4", "    count: 100001"),
		"frame step under 0.01":   edit(t, "seed: 1", "seed: 1\nframe_step_s: 0.001"),
		"duration over a week":    edit(t, "duration_s: 600", "duration_s: 604801"),
		"scan period under 0.01":  edit(t, "    scan_period_s: 10", "    scan_period_s: 0.001"),
		"confirmation over 63":    edit(t, "seed: 1", "seed: 1\nc2: {confirm_hits: 64}"),
		"five units per track":    edit(t, "seed: 1", "seed: 1\nc2: {max_per_track: 5}"),
		"latitude out of range":   edit(t, "    lat_deg: 50", "    lat_deg: 95"),
		"missing required":        edit(t, "duration_s: 600", ""),
		"version 2":               edit(t, "version: 1", "version: 2"),
		"rooftop and height":      edit(t, "    scan_period_s: 10", "    scan_period_s: 10\n    height_agl_m: 3\n    rooftop: {building_height_m: 9}"),
		"no targets nor route":    edit(t, "    targets: [hq]", ""),
		"sensor without range":    edit(t, "    ref_range_km: 300", ""),
		"figure with unknown key": edit(t, "    targets: [hq]", "    targets: [hq]\ncatalog:\n  threats:\n    - {id: x, name: X, category: drone, speed_kmh: {value: 1, sorce: s}, cruise_alt_m: 1, range_km: 1, rcs_m2: 1, warhead_kg: 1}"),
	} {
		if err := sch.Validate(yamlInstance(t, []byte(src))); err == nil {
			t.Errorf("%s: accepted by the schema", name)
		}
	}
}

// TestSchemaMatchesTypes checks that every object of the schema has exactly the fields of its
// Go type, and requires the fields the Go type requires, so that the two cannot drift apart.
func TestSchemaMatchesTypes(t *testing.T) {
	var root map[string]any
	if err := json.Unmarshal(schema.ScenarioJSON(), &root); err != nil {
		t.Fatal(err)
	}
	defs, _ := root["$defs"].(map[string]any)
	fig, _ := defs["figure"].(map[string]any)
	figOneOf, _ := fig["oneOf"].([]any)
	if len(figOneOf) != 2 {
		t.Fatalf("figure should be oneOf number or object")
	}
	objects := map[string]struct {
		node  any
		typ   reflect.Type
		extra []string // required by semantic validation, beyond the Go tags
	}{
		"(root)":        {root, reflect.TypeOf(Scenario{}), nil},
		"point":         {defs["point"], reflect.TypeOf(Point{}), nil},
		"waypoint":      {defs["waypoint"], reflect.TypeOf(Point{}), nil},
		"c2":            {defs["c2"], reflect.TypeOf(C2{}), nil},
		"asset":         {defs["asset"], reflect.TypeOf(Asset{}), nil},
		"rooftop":       {defs["rooftop"], reflect.TypeOf(Rooftop{}), nil},
		"surroundings":  {defs["surroundings"], reflect.TypeOf(Surroundings{}), nil},
		"sensor":        {defs["sensor"], reflect.TypeOf(Sensor{}), []string{"ref_range_km", "ref_rcs_m2", "scan_period_s"}},
		"radarOverride": {defs["radarOverride"], reflect.TypeOf(RadarSpec{}), nil},
		"fireUnit":      {defs["fireUnit"], reflect.TypeOf(FireUnit{}), nil},
		"raid":          {defs["raid"], reflect.TypeOf(Raid{}), nil},
		"figure":        {figOneOf[1], reflect.TypeOf(Figure{}), nil},
		"catalog":       {defs["catalog"], reflect.TypeOf(Catalog{}), nil},
		"systemClass":   {defs["systemClass"], reflect.TypeOf(SystemClass{}), nil},
		"radarFigures":  {defs["radarFigures"], reflect.TypeOf(RadarFigures{}), nil},
		"weapon":        {defs["weapon"], reflect.TypeOf(Weapon{}), nil},
		"threatClass":   {defs["threatClass"], reflect.TypeOf(ThreatClass{}), nil},
	}
	d := newDecoder("")
	for name, o := range objects {
		m, _ := o.node.(map[string]any)
		if m == nil {
			t.Errorf("schema has no object %s", name)
			continue
		}
		if m["additionalProperties"] != false {
			t.Errorf("%s: additionalProperties is not false", name)
		}
		props, _ := m["properties"].(map[string]any)
		var inSchema, inGo, reqSchema, reqGo []string
		for p := range props {
			inSchema = append(inSchema, p)
		}
		reqSchema = append(reqSchema, asStrings(m["required"])...)
		for _, f := range d.structFields(o.typ) {
			inGo = append(inGo, f.name)
			if f.required {
				reqGo = append(reqGo, f.name)
			}
		}
		reqGo = append(reqGo, o.extra...)
		if a, b := sorted(inSchema), sorted(inGo); a != b {
			t.Errorf("%s: schema properties [%s], Go fields [%s]", name, a, b)
		}
		if a, b := sorted(reqSchema), sorted(reqGo); a != b {
			t.Errorf("%s: schema requires [%s], Go requires [%s]", name, a, b)
		}
	}
}

func asStrings(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func sorted(s []string) string {
	s = append([]string(nil), s...)
	sort.Strings(s)
	return strings.Join(s, " ")
}
