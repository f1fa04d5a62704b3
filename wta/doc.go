// Package wta owns the static weapon-target assignment (WTA) problem: W weapon types, type i
// with Units[i] identical units, T targets of value V[j], and the kill probability P[i][j] of
// one unit of type i against target j. An assignment x (x[i][j] units of type i on target j,
// Σ_j x[i][j] ≤ Units[i]) leaves the expected surviving value
//
//	F(x) = Σ_j V_j · Π_i (1 − p_ij)^x_ij
//
// which the package minimises. The package knows nothing about the simulation engine, tracks
// or doctrine: the c2 package builds a Problem each decision cycle and reads back the
// assignment.
//
// What it provides:
//
//   - Read and Write for the benchmark text format of Andersen, Pavlikov and Toffolo (2022),
//     and an exact, solver-independent Objective and Check;
//   - Greedy, the maximum-marginal-return construction (den Broeder, Ellison and Emerling
//     1959; Kline, Ahner and Hill 2019 survey);
//   - Solve, an anytime solver: greedy start, local search with O(1) move and swap deltas, and
//     a very large-scale neighbourhood (VLSN) in the spirit of Ahuja, Kumar, Jha and Orlin
//     (2007): a set of units is ejected and reinserted, at most one per target, by an exact
//     linear assignment (package lap), which covers every cyclic and path multi-exchange
//     among them; a Lagrangian heuristic that repairs the bound's relaxed solutions into
//     starts; an iterated local search with random ruin-and-recreate kicks;
//   - LowerBound, a Lagrangian bound: the capacity constraints are dualised and each target's
//     integer subproblem (x_ij ∈ {0..Units_i}) is solved exactly by branch and bound, so the
//     bound is at least as strong as the convex relaxation of Σ_j V_j exp(Σ_i x_ij ln(1−p_ij));
//   - Exact, dynamic programming over targets for small instances;
//   - Generate, random instances from the two schemes of the literature.
//
// References:
//
//   - R. K. Ahuja, A. Kumar, K. C. Jha, J. B. Orlin (2007), "Exact and heuristic algorithms for
//     the weapon-target assignment problem", Operations Research 55(6):1136–1146.
//   - A. C. Andersen, K. Pavlikov, T. A. M. Toffolo (2022), "Weapon-target assignment problem:
//     exact and approximate solution algorithms", Annals of Operations Research,
//     doi:10.1007/s10479-022-04525-6.
//   - A. Kline, D. Ahner, R. Hill (2019), "The weapon-target assignment problem", Computers &
//     Operations Research 105:226–236.
//   - H. R. Lourenço, O. C. Martin, T. Stützle (2003), "Iterated local search", in Handbook of
//     Metaheuristics.
//   - M. L. Fisher (1981), "The Lagrangian relaxation method for solving integer programming
//     problems", Management Science 27(1):1–18.
package wta
