package scenario

import (
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics and that every error it returns is positioned.
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
		if err == nil {
			if s == nil {
				t.Fatal("nil scenario without error")
			}
			return
		}
		if s != nil {
			t.Fatal("scenario with error")
		}
		for _, e := range Errors(err) {
			if e.Line < 1 || e.Col < 1 {
				t.Fatalf("error without position: %v", e)
			}
		}
	})
}
