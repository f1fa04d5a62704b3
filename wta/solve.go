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
	// BoundFraction is the share of the budget given to the Lagrangian bound (default 0.15).
	// With a negative value no bound beyond the trivial 0 is computed.
	BoundFraction float64
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
// the best assignment found with a proven lower bound. The method is an iterated local search
// (Lourenço, Martin and Stützle 2003) around a very large-scale neighbourhood:
//
//  1. start from maximum marginal return (Greedy) and descend with moves and swaps;
//  2. repeatedly eject k random units on distinct targets and reinsert them by an exact
//     linear assignment (Ahuja, Kumar, Jha and Orlin 2007's multi-exchange neighbourhood,
//     solved as an assignment problem), followed by the descent;
//  3. when that stalls, restart from the best solution with a ruin-and-recreate kick.
//
// A part of the budget (Options.BoundFraction) goes to the Lagrangian bound of LowerBound,
// which uses the incumbent as its Polyak target. Solve is deterministic for a given
// Options.Seed and MaxIterations, single-threaded, and never panics on a valid problem; an
// invalid problem is an error.
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
		opt.BoundFraction = 0.15
	}
	deadline := start.Add(opt.TimeLimit)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	frac := max(0, min(opt.BoundFraction, 0.9))
	searchDeadline := start.Add(time.Duration(float64(deadline.Sub(start)) * (1 - frac)))
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
	stopped := func() bool {
		if ctx.Err() != nil || !time.Now().Before(searchDeadline) {
			return true
		}
		return opt.MaxIterations > 0 && res.Iterations >= opt.MaxIterations
	}
	closed := func() bool { return bestObj-lb <= opt.GapTol*bestObj }

	var bnd *bounder
	if opt.BoundFraction > 0 {
		bnd = newBounder(p)
		bnd.warmStart(s)
		// A first bound early, so that an interrupted run still has one.
		lb = max(lb, bnd.run(bestObj, 30, start.Add(time.Duration(float64(deadline.Sub(start))*frac/3)), ctx))
	}

	n := len(s.tgt)
	kMax := min(s.T, n, tuneKMax)
	kMin := min(kMax, tuneKMin)
	patience := tunePatience
	noImp := 0
	cur := bestObj
	for !closed() && !stopped() {
		res.Iterations++
		k := kMin + rng.IntN(kMax-kMin+1)
		eps := 1e-13 * cur
		if s.ejectReinsert(s.pickDistinct(k), eps) {
			s.localSearch()
			cur = s.objective()
			noImp = 0
			if cur < bestObj*(1-1e-14) {
				s.recompute()
				cur = s.objective()
				bestObj = cur
				best = s.snapshot(best)
				res.BestSeconds = time.Since(start).Seconds()
			}
			continue
		}
		noImp++
		if noImp >= patience {
			noImp = 0
			s.restore(best)
			s.kick(max(min(n, 3), int(tuneKick*float64(n))+rng.IntN(max(2, int(2*tuneKick*float64(n))))))
			s.localSearch()
			cur = s.objective()
			if cur < bestObj*(1-1e-14) {
				bestObj = cur
				best = s.snapshot(best)
				res.BestSeconds = time.Since(start).Seconds()
			}
		}
	}
	s.restore(best)
	if bnd != nil && !closed() && ctx.Err() == nil {
		// Restart the multipliers from the best solution's prices when they do better.
		saved := append([]float64(nil), bnd.lam...)
		bnd.warmStart(s)
		if l := bnd.eval(bnd.lam); l > bnd.best {
			bnd.best = l
		} else {
			copy(bnd.lam, saved)
		}
		lb = max(lb, bnd.run(bestObj, 0, deadline, ctx))
	}

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

// Search parameters (variables so that the quality report in quality_test.go can try
// others through WTA_TUNE). The default ejects one unit from every occupied target: on the
// benchmark that full neighbourhood beat every random subset size tried (8–250 units).
var (
	tuneKMax     = 1 << 20
	tuneKMin     = 1 << 20
	tunePatience = 5
	tuneKick     = 0.05
	tuneSparseK  = 0
)
