// Package sim owns the engine: the world built from a scenario, the clock, the frame with its
// fixed phases (move → fuze → leak → sense → track → decide → engage), the random streams and
// the event log. The outcome of a run is folded from its events, so the log, the summary and
// every statistic built on it agree by construction.
//
// It wires the model packages together (geo, threat, radar, track, c2, engage) and must not
// know about file formats beyond the scenario types, nor about the CLI, HTTP or report layouts.
package sim
