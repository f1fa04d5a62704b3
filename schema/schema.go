// Package schema embeds the JSON Schema (draft 2020-12) of adsim scenario files, so that the
// CLI can print it and editors can validate scenarios while they are typed (see
// docs/scenario.md). The schema mirrors the Go types of package scenario; the tests of that
// package fail when the two drift apart.
package schema

import _ "embed"

//go:embed scenario.schema.json
var scenarioSchema string

// ScenarioID is the $id of the scenario schema.
const ScenarioID = "https://github.com/adsim/adsim/schema/scenario.schema.json"

// ScenarioFile is the conventional file name of the scenario schema.
const ScenarioFile = "scenario.schema.json"

// ScenarioJSON returns a copy of the scenario JSON Schema.
func ScenarioJSON() []byte { return []byte(scenarioSchema) }
