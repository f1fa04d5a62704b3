// Package scenario owns adsim's input layer: the YAML scenario file format (version 1), its
// strict loading and validation, the catalog of system and threat classes, and the example
// scenarios embedded in the binary.
//
// Parse and Load turn a file into a *Scenario. Loading is strict: unknown fields, values of the
// wrong type and values outside their valid range are all errors, and every error carries the
// file, line and column of the offending key or value, the YAML path, what was found, what was
// expected and, where it helps, a hint ("did you mean `ref_range_km`?"). All errors of a file
// are collected and returned together as an ErrorList.
//
// Field names in files carry their unit (range_km, speed_kmh, alt_m); the types in this package
// keep those file units. Converting to SI is the engine's business: this package must not know
// about the engine, and the engine reads only the types defined here.
//
// The catalog (DefaultCatalog, embedded from catalog.yaml) holds the system and threat classes
// that fire units and raids refer to by id. Every catalog figure records its provenance: a
// public source or an explicit assumption. A scenario may add or replace classes in its own
// catalog section; Scenario.EffectiveCatalog returns the merged catalog.
//
// docs/scenario.md documents every field; schema/scenario.schema.json is the matching JSON
// Schema for editors.
package scenario
