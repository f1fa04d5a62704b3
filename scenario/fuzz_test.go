package scenario

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics and that every error it returns is positioned and
// names the file.
func FuzzParse(f *testing.F) {
	cat := testCatalog(f)
	f.Add([]byte(base))
	for _, name := range ExampleNames() {
		if data, err := ExampleFile(name); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		"", "{", "- a", "a: *b", "x: &a [*a]", "<<: {version: 1}", "version: !!str 1",
		"raids:\n  - <<: *x\n", "assets: [{id: a, <<: [{value: 1}, {value: 2}]}]",
		"version: .inf\nduration_s: .nan\n", "seed: 18446744073709551616\n", "seed: -1\n",
		"? [a]\n: 1\n", "a: |\n  text\n", "---\n---\n", "catalog: {systems: [{weapons: [{pk: {x: 1}}]}]}",
	} {
		f.Add([]byte(s))
	}
	for _, pair := range [][2]string{
		{"    count: 4", "    count: 0"}, {"    targets: [hq]", ""}, {"seed: 1", "sede: 1"},
		{"    magazine: {test-missile: 4}", "    magazine: {x: -4}"},
	} {
		f.Add([]byte(strings.Replace(base, pair[0]+"\n", pair[1]+"\n", 1)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data, cat)
		checkParsed(t, "fuzz.yaml", s, err)
	})
}

// checkParsed checks what a parser of file returned: a result exactly when there is no
// error, and an error that lists positioned errors, each naming file, line and column.
func checkParsed[T any](t *testing.T, file string, got *T, err error) {
	t.Helper()
	if err == nil {
		if got == nil {
			t.Fatal("nil result without error")
		}
		return
	}
	if got != nil {
		t.Fatal("a result with an error")
	}
	es := Errors(err)
	if len(es) == 0 {
		t.Fatalf("an error that lists no positioned errors: %v", err)
	}
	for _, e := range es {
		if e.Line < 1 || e.Col < 1 || !strings.Contains(e.Error(), file) {
			t.Fatalf("error without file or position: %v", e)
		}
	}
}

// FuzzParseCatalog feeds ParseCatalog (what adsim reads back from a study directory's saved
// catalog, and what a worker reads from a NATS batch) arbitrary bytes, starting from the embedded catalog and edits of it: it must never
// panic, must return a catalog exactly when it returns no error, and every error must name the
// file with a line and column.
func FuzzParseCatalog(f *testing.F) {
	cat := DefaultCatalogYAML()
	f.Add(cat)
	for _, s := range []string{
		"", "{", "systems: 1", "threats: [{}]", "systems: [{id: x, radar: {ref_range_km: 1}}]",
		"threats: [{id: t, rcs_m2: {value: -1, source: s}}]", "systems: [{weapons: [{pk: {drone: {value: 2}}}]}]",
		"extra: 1", "systems: *a", "threats: [&a {id: t}, *a]",
	} {
		f.Add([]byte(s))
	}
	for _, pair := range [][2]string{
		{"value: 200, assumption:", "value: -200, assumption:"},
		{"id: s400", "id: \"\""},
		{"value: 1, assumption:", "assumption:"},
		{"layer: long", "layer: outer"},
	} {
		f.Add(bytes.Replace(cat, []byte(pair[0]), []byte(pair[1]), 1))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCatalog("fuzz-catalog.yaml", data)
		checkParsed(t, "fuzz-catalog.yaml", c, err)
	})
}
