package wta

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// bruteForce enumerates every assignment with Σ_j x_ij ≤ Units_i (including unused units),
// independently of Exact's recursion.
func bruteForce(p *Problem) float64 {
	x := make([][]int, p.W)
	for i := range x {
		x[i] = make([]int, p.T)
	}
	best := math.Inf(1)
	var rec func(i, j, left int)
	rec = func(i, j, left int) {
		if i == p.W {
			v, err := Objective(p, x)
			if err != nil {
				panic(err)
			}
			best = min(best, v)
			return
		}
		if j == p.T {
			rec(i+1, 0, p.Units[min(i+1, p.W-1)])
			return
		}
		for k := 0; k <= left; k++ {
			x[i][j] = k
			rec(i, j+1, left-k)
		}
		x[i][j] = 0
	}
	rec(0, 0, p.Units[0])
	return best
}

// randomSmall draws a tiny instance; some probabilities are 0 or 1 to exercise the edges.
func randomSmall(rng *rand.Rand) *Problem {
	w, t := 1+rng.IntN(3), 1+rng.IntN(4)
	p := &Problem{W: w, T: t, Units: make([]int, w), V: make([]float64, t), P: make([][]float64, w)}
	for i := range p.Units {
		p.Units[i] = rng.IntN(3)
	}
	for j := range p.V {
		p.V[j] = float64(1 + rng.IntN(100))
	}
	for i := range p.P {
		p.P[i] = make([]float64, t)
		for j := range p.P[i] {
			switch r := rng.Float64(); {
			case r < 0.05:
				p.P[i][j] = 0
			case r < 0.1:
				p.P[i][j] = 1
			default:
				p.P[i][j] = rng.Float64()
			}
		}
	}
	return p
}

func TestExactEqualsBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 3000
	if testing.Short() {
		n = 500
	}
	ctx := context.Background()
	for k := 0; k < n; k++ {
		p := randomSmall(rng)
		bf := bruteForce(p)
		x, obj, err := Exact(ctx, p)
		if err != nil {
			t.Fatalf("instance %d: %v", k, err)
		}
		if err := p.Check(x); err != nil {
			t.Fatalf("instance %d: infeasible: %v", k, err)
		}
		if math.Abs(obj-bf) > 1e-9*max(1, bf) {
			t.Fatalf("instance %d (%+v): exact %.12g, brute force %.12g", k, p, obj, bf)
		}
		lb, err := LowerBound(ctx, p, obj, 100)
		if err != nil {
			t.Fatal(err)
		}
		if lb > bf*(1+1e-9)+1e-12 {
			t.Fatalf("instance %d (%+v): lower bound %.12g above the optimum %.12g", k, p, lb, bf)
		}
		r, err := Solve(ctx, p, Options{MaxIterations: 200, Seed: uint64(k)})
		if err != nil {
			t.Fatal(err)
		}
		if r.Objective < bf*(1-1e-9)-1e-12 || r.LowerBound > bf*(1+1e-9)+1e-12 {
			t.Fatalf("instance %d: Solve objective %.12g bound %.12g, optimum %.12g", k, r.Objective, r.LowerBound, bf)
		}
	}
}

// TestSolveNearExact measures the heuristic against the optimum on small instances with
// several units per type, where the brute force is out of reach.
func TestSolveNearExact(t *testing.T) {
	ctx := context.Background()
	worst := 0.0
	for seed := range uint64(40) {
		p, err := Generate(SchemeAndersen, 3, 10, 3, seed)
		if err != nil {
			t.Fatal(err)
		}
		_, opt, err := Exact(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Solve(ctx, p, Options{MaxIterations: 300, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if r.Objective < opt*(1-1e-9) || r.LowerBound > opt*(1+1e-9) {
			t.Fatalf("seed %d: objective %.12g, bound %.12g, optimum %.12g", seed, r.Objective, r.LowerBound, opt)
		}
		worst = max(worst, (r.Objective-opt)/opt)
	}
	t.Logf("worst relative gap to the optimum: %.3g", worst)
	if worst > 1e-9 {
		t.Errorf("heuristic missed the optimum by %.3g on a small instance", worst)
	}
}
