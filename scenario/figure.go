package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
)

// figureFields is Figure without its methods, for decoding the mapping form.
type figureFields Figure

// UnmarshalYAML lets goccy/go-yaml's decoder read a Figure from a plain number or from a
// mapping {value, source, assumption} (unknown keys are errors). Parse and ParseCatalog do not
// need it (they decode through their own strict walk); it serves other readers of the types.
func (f *Figure) UnmarshalYAML(b []byte) error {
	s := strings.TrimSpace(string(b))
	if x, err := strconv.ParseFloat(s, 64); err == nil {
		*f = Figure{Value: x}
		return nil
	}
	var ff figureFields
	if err := yaml.UnmarshalWithOptions(b, &ff, yaml.DisallowUnknownField()); err != nil {
		return fmt.Errorf("figure: expected a number or {value, source|assumption}: %w", err)
	}
	*f = Figure(ff)
	return nil
}

// UnmarshalJSON reads a Figure from a JSON number or object {value, source, assumption}
// (unknown keys are errors), matching the YAML forms.
func (f *Figure) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] != '{' {
		var x float64
		if err := json.Unmarshal(b, &x); err != nil {
			return fmt.Errorf("figure: expected a number or {value, source|assumption}: %w", err)
		}
		*f = Figure{Value: x}
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var ff figureFields
	if err := dec.Decode(&ff); err != nil {
		return fmt.Errorf("figure: %w", err)
	}
	*f = Figure(ff)
	return nil
}
