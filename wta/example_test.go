package wta_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/adsim/adsim/wta"
)

func ExampleRead() {
	// 2 weapon types with 1 unit each, 2 targets worth 10 and 4.
	in := `2 2 1
10
4
0 0 0.8
0 1 0.5
1 0 0.6
1 1 0.9
`
	p, err := wta.Read(strings.NewReader(in), "example.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	x := [][]int{{1, 0}, {0, 1}}
	f, _ := wta.Objective(p, x)
	fmt.Printf("W=%d T=%d units=%d objective=%.2f\n", p.W, p.T, p.TotalUnits(), f)
	// Output: W=2 T=2 units=2 objective=2.40
}

func ExampleSolve() {
	p, _ := wta.Generate(wta.SchemeSquare, 8, 0, 1, 42)
	res, err := wta.Solve(context.Background(), p, wta.Options{TimeLimit: 200 * time.Millisecond, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, opt, _ := wta.Exact(context.Background(), p) // 8 types × 1 unit: small enough
	fmt.Printf("optimal: %v, bound ≤ objective: %v\n", res.Objective <= opt*(1+1e-9), res.LowerBound <= res.Objective)
	// Output: optimal: true, bound ≤ objective: true
}
