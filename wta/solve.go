package wta

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Options tune Solve. The zero value is usable: one second, seed 0.
type Options struct {
	// TimeLimit is the wall-clock budget (default 1 s). Solve returns the best assignment so
	// far with its bound when it runs out, or earlier when the gap is closed.
	TimeLimit time.Duration
	// Seed makes a run reproducible: the same seed, problem and iteration count give the
	// same answer (the search is single-threaded and draws from a PCG stream).
	Seed uint64
	// MaxIterations, when positive, bounds the number of neighbourhood steps (a
	// deterministic stop, independent of the machine's speed).
	MaxIterations int
	// GapTol stops the search when (objective − bound) ≤ GapTol · objective; default 1e-9.
	GapTol float64
	// BoundFraction is the share of the budget given to the Lagrangian bound and heuristic
	// (default 0.3). With a negative value no bound beyond the trivial 0 is computed, and the
	// search is the iterated local search alone.
	BoundFraction float64
	// LagrangianSteps is the number of subgradient steps of the Lagrangian heuristic (default
	// 150), each of whose relaxed solutions is repaired into a feasible start; it ends earlier
	// when BoundFraction of the budget is spent.
	LagrangianSteps int
	// Start, when feasible, is used instead of the greedy construction (e.g. the previous
	// decision cycle's plan).
	Start [][]int
}

// Result is Solve's answer.
type Result struct {
	// X is the best assignment found: X[i][j] units of type i on target j.
	X [][]int
	// Objective is F(X), re-evaluated by Objective.
	Objective float64
	// LowerBound is a proven lower bound on the optimum (LowerBound).
	LowerBound float64
	// GapPct is 100·(Objective − LowerBound)/Objective (0 when Objective is 0).
	GapPct float64
	// Seconds is the wall-clock time used and BestSeconds the time at which X was found.
	Seconds, BestSeconds float64
	// Iterations counts neighbourhood steps (ejection-reinsertions and kicks).
	Iterations int
	// Greedy is the objective of the maximum-marginal-return start.
	Greedy float64
}

// Solve minimises the WTA objective within opt.TimeLimit (or until ctx is done) and returns
// the best assignment found with a proven lower bound. It combines:
//
//  1. maximum marginal return (Greedy), descended with moves and swaps, then by the very
//     large-scale neighbourhood (VLSN) of Ahuja, Kumar, Jha and Orlin (2007) to its first
//     stall: one unit is ejected from every occupied target and the units are reinserted,
//     at most one per target, by an exact linear assignment (lap.JV);
//  2. a Lagrangian heuristic (Fisher 1981, section 7): LagrangianSteps subgradient steps on
//     the dual of the capacities (the bound of LowerBound); every relaxed solution x(λ) is
//     repaired into a feasible placement (units over capacity removed where they are worth
//     least, free units placed by maximum marginal return), descended, and descended by the
//     VLSN when it comes within 1 % of the best;
//  3. an iterated local search around the VLSN (Lourenço, Martin and Stützle 2003): after 5
//     non-improving steps, restart from the best with a ruin-and-recreate kick;
//  4. the bound again, from the best solution's marginal prices when they do better.
//
// Steps 2 and 4 share Options.BoundFraction of the budget; with a negative BoundFraction only
// step 3 runs. Solve is single-threaded, and deterministic for a given Options.Seed and
// MaxIterations (then the phases end by counts, not by the clock, unless the time limit
// itself is reached); it never panics on a valid problem; an invalid problem is an error.
func Solve(ctx context.Context, p *Problem, opt Options) (Result, error) {
	start := time.Now()
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	if opt.TimeLimit <= 0 {
		opt.TimeLimit = time.Second
	}
	if opt.GapTol <= 0 {
		opt.GapTol = 1e-9
	}
	if opt.BoundFraction == 0 {
		opt.BoundFraction = 0.3
	}
	if opt.LagrangianSteps <= 0 {
		opt.LagrangianSteps = 150
	}
	deadline := start.Add(opt.TimeLimit)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	frac := max(0, min(opt.BoundFraction, 0.9))
	rng := rand.New(rand.NewPCG(opt.Seed, 0x9e3779b97f4a7c15))
	res := Result{}
	x0 := Greedy(p)
	if g, err := Objective(p, x0); err == nil {
		res.Greedy = g
	}
	if opt.Start != nil {
		if err := p.Check(opt.Start); err != nil {
			return Result{}, fmt.Errorf("wta: Options.Start: %w", err)
		}
		x0 = opt.Start
	}
	s := newSearch(p, rng)
	s.load(x0)
	s.localSearch()

	bestObj := s.objective()
	best := s.snapshot(nil)
	res.BestSeconds = time.Since(start).Seconds()
	lb := 0.0
	closed := func() bool { return bestObj-lb <= opt.GapTol*bestObj }
	// keep stores the current placement as the best when it improves.
	keep := func() bool {
		if cur := s.objective(); cur < bestObj*(1-1e-14) {
			s.recompute()
			bestObj = s.objective()
			best = s.snapshot(best)
			res.BestSeconds = time.Since(start).Seconds()
			return true
		}
		return false
	}

	n := len(s.tgt)
	kMax := min(s.T, n, ejectMax)
	kMin := min(kMax, ejectMin)
	noImp := 0
	cur := bestObj
	// ils runs the iterated local search until the deadline, MaxIterations, a closed gap or,
	// with toStall, the first stall (patience non-improving steps).
	ils := func(until time.Time, toStall bool) {
		for !closed() && ctx.Err() == nil && time.Now().Before(until) &&
			(opt.MaxIterations <= 0 || res.Iterations < opt.MaxIterations) {
			res.Iterations++
			k := kMin + rng.IntN(kMax-kMin+1)
			eps := 1e-13 * cur
			if s.ejectReinsert(s.pickDistinct(k), eps) {
				s.localSearch()
				cur = s.objective()
				noImp = 0
				if keep() {
					cur = bestObj
				}
				continue
			}
			noImp++
			if noImp >= patience {
				noImp = 0
				if toStall {
					return
				}
				s.restore(best)
				s.kick(max(min(n, 3), int(kickFraction*float64(n))+rng.IntN(max(2, int(2*kickFraction*float64(n))))))
				s.localSearch()
				cur = s.objective()
				keep()
			}
		}
	}
	budget := deadline.Sub(start)
	// phase returns when a phase that takes share of the budget from now must end: with
	// MaxIterations the phases end by counts only (and the overall deadline), so that a run
	// does not depend on the machine's speed.
	phase := func(share float64) time.Time {
		if opt.MaxIterations > 0 {
			return deadline
		}
		return time.Now().Add(time.Duration(float64(budget) * share))
	}
	if opt.BoundFraction <= 0 {
		ils(deadline, false)
	} else {
		// 1. Descend with the VLSN to its first stall (or a tenth of the budget).
		ils(phase(0.1), true)
		s.restore(best)
		cur = bestObj
		// 2. Lagrangian heuristic: LagrangianSteps subgradient steps on the dual (or half the
		// bound's share of the budget); each relaxed solution x(λ) is repaired into a
		// feasible placement and descended by the local search, and by the VLSN when it
		// comes within descendWithin of the best (Fisher 1981, section 7; Beasley 1993).
		bnd := newBounder(p)
		bnd.warmStart(s)
		bnd.record = true
		steps := 0
		lagEnd := phase(frac / 2)
		bnd.onSol = func(sol []pick, L float64) {
			if steps++; steps < repairAfter {
				return
			}
			s.repair(sol, p.Units)
			s.localSearch()
			keep()
			if s.objective() < bestObj*(1+descendWithin) {
				cur, noImp = s.objective(), 0
				ils(lagEnd, true)
			}
		}
		lb = max(lb, bnd.run(bestObj, opt.LagrangianSteps, lagEnd, ctx))
		bnd.onSol, bnd.record = nil, false
		s.restore(best)
		cur = bestObj
		// 3. Iterated local search from the best, keeping half the bound's share for the end.
		ils(deadline.Add(-time.Duration(float64(budget)*frac/2)), false)
		s.restore(best)
		if !closed() && ctx.Err() == nil {
			// 4. Restart the multipliers from the best solution's prices when they do better.
			saved := append([]float64(nil), bnd.lam...)
			bnd.warmStart(s)
			if l := bnd.eval(bnd.lam); l > bnd.best {
				bnd.best, bnd.theta = l, 1 // new multipliers: large steps again
			} else {
				copy(bnd.lam, saved)
			}
			lb = max(lb, bnd.run(bestObj, 0, deadline, ctx))
		}
	}
	s.restore(best)

	res.X = s.assignment()
	obj, err := Objective(p, res.X)
	if err != nil {
		return Result{}, err
	}
	if math.IsNaN(obj) {
		return Result{}, errors.New("wta: objective is NaN")
	}
	res.Objective = obj
	res.LowerBound = min(lb, obj)
	if obj > 0 {
		res.GapPct = 100 * (obj - res.LowerBound) / obj
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// Search parameters. The ejection set is one unit from every occupied target (ejectMin =
// ejectMax, above any instance's size): on the benchmark that full neighbourhood beat every
// random subset size tried (8–250 units). The draw of k in [ejectMin, ejectMax] is kept so
// that the random stream, and hence every seeded run, stays as it was.
const (
	ejectMin      = 1 << 20
	ejectMax      = 1 << 20
	patience      = 5    // non-improving VLSN steps before a kick
	kickFraction  = 0.05 // share of the units re-placed by a kick (up to 3×)
	repairAfter   = 20   // subgradient steps before x(λ) is repaired (early ones are far off)
	descendWithin = 0.01 // a repaired start this close to the best is descended by the VLSN
)
