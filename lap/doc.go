// Package lap owns the linear assignment problem: given costs c_ij, choose at most one
// column per row and one row per column so that the total cost of the chosen pairs is least.
//
// It offers three solvers:
//
//   - Dense: an n×m row-major cost matrix, rectangular either way, with forbidden (+Inf)
//     entries; min(n, m) pairs are assigned. Shortest augmenting paths with dual prices
//     (Jonker and Volgenant 1987) in the rectangular form of Crouse (2016).
//   - JV: the same problem with finite costs and n ≤ m, by the complete Jonker–Volgenant
//     method (column reduction, reduction transfer and augmenting row reduction before the
//     shortest paths), several times faster than Dense on large dense matrices (10× on the
//     350×400 matrices of the weapon-target assignment's reinsertion step).
//   - Sparse: a list of permitted pairs (Edge) with a price for leaving each row unassigned;
//     the bipartite graph is split into connected components (clusters), each solved with
//     Dense (Blackman and Popoli 1999, §6.5), so the work grows with the clusters' sizes.
//
// The package must not know about tracks, weapons or the simulation engine: the tracker
// (package track) uses it for data association and OSPA, the weapon-target assignment
// (package wta) for its ejection-reinsertion neighbourhood and the command and control
// (package c2) for the linear channel-to-track assignment. Solvers keep their buffers between
// calls (no allocation in the steady state) and are not safe for concurrent use; there is no
// global mutable state.
//
// References:
//
//   - R. Jonker, A. Volgenant (1987), "A shortest augmenting path algorithm for dense and
//     sparse linear assignment problems", Computing 38:325–340.
//   - D. F. Crouse (2016), "On implementing 2D rectangular assignment algorithms", IEEE
//     Transactions on Aerospace and Electronic Systems 52(4):1679–1696.
//   - S. Blackman, R. Popoli (1999), Design and Analysis of Modern Tracking Systems, Artech
//     House, §6.5.
package lap
