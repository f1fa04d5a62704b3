package mc

import (
	"errors"
	"strings"
	"testing"

	"github.com/adsim/adsim/scenario"
)

// TestCanonical: every spelling of one field has one canonical path, and every spelling of
// one value of it one canonical value; different fields and values stay different.
func TestCanonical(t *testing.T) {
	st := loadSmall(t)
	paths := []struct{ path, want string }{
		{"raids[drones].count", "raids[0].count"},
		{"raids[0].count", "raids[0].count"},
		{" raids[cruise].altitude_m ", "raids[1].altitude_m"},
		{"fire_units[pantsir].magazine.57e6", "fire_units[0].magazine.57e6"},
		{"c2.picture", "c2.picture"},
		// Catalog classes and weapons by id, however named: the scenario has no catalog
		// section, so the class by id is the embedded catalog's.
		{"catalog.systems[pantsir-s1].weapons[0].pk.drone", "catalog.systems[pantsir-s1].weapons[57e6].pk.drone"},
		{"catalog.systems[pantsir-s1].weapons[57e6].pk.drone", "catalog.systems[pantsir-s1].weapons[57e6].pk.drone"},
		// No such field: as given (applying it says why).
		{"raids[nowhere].count", "raids[nowhere].count"},
		{"raids[0].cnt", "raids[0].cnt"},
		{"catalog.systems[pantsir-s1].weapons[57e6].pk.drone.value", "catalog.systems[pantsir-s1].weapons[57e6].pk.drone.value"},
	}
	for _, c := range paths {
		if got := st.CanonicalPath(c.path); got != c.want {
			t.Errorf("CanonicalPath(%q) = %q, want %q", c.path, got, c.want)
		}
	}
	values := []struct{ path, a, b string }{
		{"raids[0].count", "01", "1"},
		{"raids[drones].count", "1.0", "1"},
		{"c2.decision_period_s", "0.1", "0.10"},
		{"c2.decision_period_s", "1e-1", "0.1"},
		{"catalog.systems[pantsir-s1].weapons[57e6].pk.drone", "0.5", ".50"},
		{"c2.cueing", "TRUE", "true"},
		{"c2.doctrine", " salvo", "salvo"},
		{"c2.max_per_track_categories", "[ballistic_missile,aircraft]", "[ ballistic_missile, aircraft ]"},
	}
	for _, c := range values {
		if a, b := st.CanonicalValue(c.path, c.a), st.CanonicalValue(c.path, c.b); a != b {
			t.Errorf("%s: %q reads as %q and %q as %q; want one value", c.path, c.a, a, c.b, b)
		}
	}
	differ := []struct{ path, a, b string }{
		{"raids[0].count", "1", "10"},
		{"c2.decision_period_s", "0.1", "0.11"},
		{"c2.doctrine", "salvo", "Salvo"},
		{"raids[0].cnt", "1", "01"}, // no such field: compared as written
		{"c2.max_per_track_categories", "[ballistic_missile, aircraft]", "[aircraft, ballistic_missile]"},
	}
	for _, c := range differ {
		if st.CanonicalValue(c.path, c.a) == st.CanonicalValue(c.path, c.b) {
			t.Errorf("%s: %q and %q read as one value", c.path, c.a, c.b)
		}
	}
}

// TestSettingErrorsNameCatalogByID: a catalog figure a setting puts out of range is reported
// at the path the setting names, not at the index the class got in the scenario's own
// catalog section when it was copied there.
func TestSettingErrorsNameCatalogByID(t *testing.T) {
	st := loadSmall(t)
	cases := []struct{ set, want string }{
		{"catalog.systems[pantsir-s1].weapons[57e6].pk0.drone=1.5", "invalid: catalog.systems[pantsir-s1].weapons[57e6].pk0.drone: found 1.5"},
		{"catalog.systems[pantsir-s1].weapons[0].pk.drone=-1", "invalid: catalog.systems[pantsir-s1].weapons[57e6].pk.drone: found -1"},
		{"catalog.threats[shahed-136].rcs_m2=-1", "invalid: catalog.threats[shahed-136].rcs_m2: found -1"},
		{"raids[drones].count=-1", "invalid: raids[0].count: found -1"},
	}
	for _, c := range cases {
		s, err := ParseSetting("set", c.set)
		if err != nil {
			t.Fatal(err)
		}
		_, err = st.WithSettings([]Setting{s})
		var list scenario.ErrorList
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ErrInvalidSetting) || !errors.As(err, &list) {
			t.Errorf("%s: error %v, want one containing %q", c.set, err, c.want)
		}
	}
}

// A list element named after a dot (raids.0.count, the way many tools write paths) gets a
// suggestion with that element in brackets and the rest of the path, raids[0].count — it
// suggested raids[0].0 — and a field of the elements named on the list itself (raids.count)
// still gets raids[0].count.
func TestListPathSuggestion(t *testing.T) {
	st := loadSmall(t)
	cases := []struct{ path, want string }{
		{"raids.0.count", "raids is a list: name one element in brackets, e.g. raids[0].count"},
		{"raids.drones.count", "e.g. raids[drones].count"},
		{"fire_units.0.magazine.57e6", "e.g. fire_units[0].magazine.57e6"},
		{"catalog.systems.pantsir-s1.weapons", "e.g. catalog.systems[pantsir-s1].weapons"},
		{"raids.count", "raids is a list: name one element, e.g. raids[0].count"},
	}
	for _, c := range cases {
		_, err := st.With(c.path, "3")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.path, err, c.want)
		}
	}
}
