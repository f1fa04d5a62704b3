// Package mc owns Monte Carlo studies of a scenario: running replications on goroutines, in
// shards or on NATS JetStream workers, each from its own seeded streams so that replication
// i is the same row whoever runs it; folding the rows, in replication order, into the summary
// statistics with their intervals (Wilson for rates, paired tests for comparisons); paired
// comparisons on common random numbers, sweeps over scenario fields and sensitivity studies
// of the catalog's assumptions; and the files of a study (rows in CSV and Parquet,
// summary.json, manifest.json) with the checks that let an interrupted study resume and
// shards merge into files identical to those of one uninterrupted run.
//
// It runs the engine only through sim's public entry points and reads scenarios through
// package scenario; it writes and reads its row files through package report, and leaves
// plots to its callers. It must not know about the command line, terminals or progress bars
// (its callers pass a Progress function and a context), nor about the engine's internals: a
// row is what sim.Outcome reports.
package mc
