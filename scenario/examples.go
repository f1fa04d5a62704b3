package scenario

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// examplesFS holds the example scenarios. The whole folder is embedded (README.md keeps the
// pattern valid while no example exists); only *.yaml files are examples.
//
//go:embed examples
var examplesFS embed.FS

// ExampleNames returns the names of the embedded example scenarios, without the .yaml
// extension, sorted.
func ExampleNames() []string {
	entries, err := fs.ReadDir(examplesFS, "examples")
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".yaml") {
			names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
		}
	}
	sort.Strings(names)
	return names
}

// ExampleFile returns the content of the embedded example scenario name (with or without the
// .yaml extension). An unknown name is an error that lists the known ones.
func ExampleFile(name string) ([]byte, error) {
	base := strings.TrimSuffix(name, ".yaml")
	if base == "" || strings.ContainsAny(base, `/\`) {
		return nil, fmt.Errorf("unknown example %q; examples: %s", name, strings.Join(ExampleNames(), ", "))
	}
	data, err := examplesFS.ReadFile(path.Join("examples", base+".yaml"))
	if err != nil {
		return nil, fmt.Errorf("unknown example %q; examples: %s", name, strings.Join(ExampleNames(), ", "))
	}
	return data, nil
}

// LoadExample parses the embedded example scenario name against the base catalog cat (nil
// means DefaultCatalog).
func LoadExample(name string, cat *Catalog) (*Scenario, error) {
	data, err := ExampleFile(name)
	if err != nil {
		return nil, err
	}
	return Parse(strings.TrimSuffix(name, ".yaml")+".yaml", data, cat)
}
