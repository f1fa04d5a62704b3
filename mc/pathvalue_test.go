package mc

import (
	"strings"
	"testing"
)

// TestStudyValueAt reads values the way --set names them, each as testdata/small.yaml or the
// embedded catalog (scenario/catalog.yaml) writes it; a field the file leaves to its default
// and paths that name no single value are errors.
func TestStudyValueAt(t *testing.T) {
	st := loadSmall(t)
	cases := []struct {
		path, want, err string
	}{
		{"raids[0].count", "10", ""},
		{"raids[cruise].count", "2", ""},
		{"c2.doctrine", "shoot-look-shoot", ""},
		{"sensors[radar].ref_range_km", "60", ""},
		{"sensors[0].lat_deg", "40.005", ""},     // a field written inline
		{"fire_units[0].magazine.57e6", "4", ""}, // a map entry
		{"assets[depot].value", "50", ""},
		// Classes the scenario's own catalog section does not have: the embedded catalog's.
		{"catalog.systems[pantsir-s1].weapons[57e6].pk0.drone", "0.75", ""},
		{"catalog.threats[shahed-136].rcs_m2", "0.1", ""},
		{"c2.salvo", "", "leaves it to its default"}, // absent: 0 would mislead
		{"raids[5].count", "", "no element raids[5]"},
		{"raids[0]", "", "not a single value"},
		{"c2.nothing", "", `no field "nothing"`},
		{"fire_units[0].magazine.9m96", "", `no entry "9m96"`}, // not a weapon of its class
		// A unit's own figures that the scenario leaves to its class: the class's, which the
		// engine runs with (sensitivity printed BASE - for them).
		{"fire_units[0].fire_channels", "4", ""},
		{"fire_units[pantsir].reaction_time_s", "5", ""},
		{"fire_units[0].radar.ref_range_km", "20", ""},
		{"catalog.threats[nope].rcs_m2", "", `no threat class "nope"`},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			got, err := st.ValueAt(c.path)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("ValueAt = %q, %v; want an error with %q", got, err, c.err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Errorf("ValueAt = %q, %v; want %q", got, err, c.want)
			}
		})
	}
}

// A unit of the default scenario with no magazine of its own has its class's: 12 57E6 for a
// Pantsir (TASS 2020, scenario/catalog.yaml).
func TestStudyValueAtClassMagazine(t *testing.T) {
	st := loadExample(t, "capital")
	if got, err := st.ValueAt("fire_units[pantsir-parliament].magazine.57e6"); err != nil || got != "12" {
		t.Errorf("ValueAt = %q, %v; want the class's 12", got, err)
	}
}
