// Package radar owns detection: the radar range equation, single-pulse and
// integrated detection probabilities (Swerling 0 and 1 exactly, Albersheim
// and Shnidman approximations), and the engine-facing sensor Model that turns
// range and radar cross section into a detection probability and a noisy
// polar measurement with its Cartesian covariance.
//
// Units are SI inside: metres, seconds, radians, watts, kelvin, m² for RCS.
// Decibel quantities say so in their names (GainDB, LossDB, SNRdB). SNRs are
// linear power ratios unless the name says dB.
//
// The package must not know about tracks, weapons or the engine: geometry
// (line of sight, elevation limits against terrain) is the caller's business
// through package geo, and association and filtering belong to package track.
// Formulas and reference values are from the project's reference/PHYSICS.md
// §2 (range equation) and §3 (detection probability).
package radar
