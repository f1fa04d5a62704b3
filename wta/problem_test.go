package wta

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", `f.txt:1: found end of file, expected the header "W T mu"`},
		{"short header", "2 2\n", `f.txt:1:4: found end of line, expected mu (units per type)`},
		{"long header", "2 2 1 9\n", `f.txt:1:7: found extra field "9", expected end of line after mu (units per type)`},
		{"bad W", "x 2 1\n", `f.txt:1:1: found "x", expected W (weapon types), an integer in [1, 16777216]`},
		{"zero T", "1 0 1\n", `f.txt:1:3: found "0", expected T (targets), an integer in [1, 16777216]`},
		{"negative mu", "1 1 -1\n", `f.txt:1:5: found "-1", expected mu (units per type), an integer in [0, 1048576]`},
		{"too big", "100000 100000 1\n", `f.txt:1:1: found W·T = 10000000000, expected at most 16777216 pairs`},
		{"missing value", "1 2 1\n5\n", `f.txt:3: found end of file, expected V_1 (value of target 1 of 2)`},
		{"bad value", "1 2 1\n5\n  -3\n", `f.txt:3:3: found "-3", expected V_1 (value of target 1 of 2), a finite number ≥ 0`},
		{"NaN value", "1 1 1\nNaN\n", `f.txt:2:1: found "NaN", expected V_0 (value of target 0 of 1), a finite number ≥ 0`},
		{"two values on a line", "1 2 1\n5 6\n", `f.txt:2:3: found extra field "6", expected end of line after V_0 (value of target 0 of 2)`},
		{"p out of range", "1 1 1\n5\n0 0 1.5\n", `f.txt:3:5: found "1.5", expected p_ij (kill probability), a number in [0, 1]`},
		{"i out of range", "1 1 1\n5\n1 0 0.5\n", `f.txt:3:1: found "1", expected i (weapon type), an integer in [0, 0]`},
		{"j not a number", "1 1 1\n5\n0 a 0.5\n", `f.txt:3:3: found "a", expected j (target), an integer in [0, 0]`},
		{"short triple", "1 1 1\n5\n0 0\n", `f.txt:3:4: found end of line, expected p_ij (kill probability)`},
		{"duplicate pair", "1 2 1\n5\n6\n0 1 0.5\n0 1 0.5\n", `f.txt:5:1: found a second line for pair (0, 1), expected each pair once (first on line 4)`},
		{"missing pairs", "1 2 1\n5\n6\n0 1 0.5\n", `f.txt:5: found end of file, expected 2 lines "i j p_ij", found 1`},
		{"trailing data", "1 1 1\n5\n0 0 0.5\n7\n", `f.txt:4:1: found extra data "7", expected end of file after 1 lines "i j p_ij"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.in), "f.txt")
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got %q\nwant %q", err, tc.want)
			}
		})
	}
}

func TestReadWriteRoundTrip(t *testing.T) {
	in := "2 3 2\n\n10\n20.5\n30\r\n0 0 0.5\n0 1 0.25\n0 2 1\n1 2 0\n1 1 0.125\n1 0 0.75\n"
	p, err := Read(strings.NewReader(in), "rt")
	if err != nil {
		t.Fatal(err)
	}
	if p.W != 2 || p.T != 3 || p.Units[1] != 2 || p.V[1] != 20.5 || p.P[1][0] != 0.75 || p.P[0][2] != 1 {
		t.Fatalf("parsed %+v", p)
	}
	var buf bytes.Buffer
	if err := Write(&buf, p); err != nil {
		t.Fatal(err)
	}
	q, err := Read(&buf, "rt2")
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.P {
		for j := range p.P[i] {
			if p.P[i][j] != q.P[i][j] {
				t.Fatalf("P[%d][%d]: %v != %v", i, j, p.P[i][j], q.P[i][j])
			}
		}
	}
	p.Units[1] = 3
	if err := Write(&buf, p); err == nil {
		t.Error("Write accepted unequal units")
	}
}

func TestObjective(t *testing.T) {
	p := &Problem{W: 2, T: 2, Units: []int{2, 1}, V: []float64{10, 4},
		P: [][]float64{{0.5, 1}, {0.2, 0}}}
	tests := []struct {
		name string
		x    [][]int
		want float64
	}{
		{"nothing", [][]int{{0, 0}, {0, 0}}, 14},
		{"two on first", [][]int{{2, 0}, {0, 0}}, 10*0.25 + 4},
		{"mixed", [][]int{{1, 0}, {1, 0}}, 10*0.5*0.8 + 4},
		{"certain kill", [][]int{{1, 1}, {0, 0}}, 5},
		{"zero p", [][]int{{0, 0}, {0, 1}}, 14},
	}
	for _, tc := range tests {
		got, err := Objective(p, tc.x)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if _, err := Objective(p, [][]int{{0}}); err == nil {
		t.Error("Objective accepted a wrong shape")
	}
	if err := p.Check([][]int{{2, 1}, {0, 0}}); err == nil {
		t.Error("Check accepted 3 units of a type with 2")
	}
	if err := p.Check([][]int{{-1, 0}, {0, 0}}); err == nil {
		t.Error("Check accepted a negative count")
	}
}

func TestSolutionRoundTrip(t *testing.T) {
	p, err := Generate(SchemeSquare, 4, 0, 2, 9)
	if err != nil {
		t.Fatal(err)
	}
	x := Greedy(p)
	var buf bytes.Buffer
	if err := WriteSolution(&buf, x); err != nil {
		t.Fatal(err)
	}
	y, err := ReadSolution(&buf, "sol", p)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := Objective(p, x)
	b, _ := Objective(p, y)
	if a != b {
		t.Errorf("objective changed through a solution file: %v vs %v", a, b)
	}
	if _, err := ReadSolution(strings.NewReader("0 0 3\n"), "sol", p); err == nil || !strings.Contains(err.Error(), "sol:1:5") {
		t.Errorf("over-capacity solution: %v", err)
	}
}

func TestGenerate(t *testing.T) {
	for _, sc := range []string{SchemeSquare, SchemeAndersen} {
		p, err := Generate(sc, 5, 0, 2, 3)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
		q, _ := Generate(sc, 5, 0, 2, 3)
		if q.P[4][3] != p.P[4][3] || q.V[2] != p.V[2] {
			t.Errorf("%s: not reproducible", sc)
		}
		for _, row := range p.P {
			for _, v := range row {
				if sc == SchemeSquare && (v < 0.6 || v > 0.9) || sc == SchemeAndersen && (v <= 0 || v >= 1) {
					t.Fatalf("%s: p = %v out of the scheme's range", sc, v)
				}
			}
		}
	}
	if _, err := Generate("nope", 3, 0, 1, 1); err == nil {
		t.Error("unknown scheme accepted")
	}
}

// TestSolveAnytime checks that a cancelled context still gives a feasible answer with a
// valid bound.
func TestSolveAnytime(t *testing.T) {
	p, _ := Generate(SchemeAndersen, 30, 0, 2, 5)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	r, err := Solve(ctx, p, Options{TimeLimit: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if r.Seconds > 1 {
		t.Errorf("took %.2f s after a 50 ms context", r.Seconds)
	}
	if err := p.Check(r.X); err != nil {
		t.Fatal(err)
	}
	if r.LowerBound > r.Objective || r.Objective > r.Greedy*(1+1e-12) {
		t.Errorf("bound %v objective %v greedy %v", r.LowerBound, r.Objective, r.Greedy)
	}
}

func TestSolveDeterministic(t *testing.T) {
	p, _ := Generate(SchemeAndersen, 15, 0, 2, 8)
	a, _ := Solve(context.Background(), p, Options{MaxIterations: 50, Seed: 4, TimeLimit: time.Minute, BoundFraction: -1})
	b, _ := Solve(context.Background(), p, Options{MaxIterations: 50, Seed: 4, TimeLimit: time.Minute, BoundFraction: -1})
	if a.Objective != b.Objective {
		t.Errorf("same seed, different answers: %v vs %v", a.Objective, b.Objective)
	}
}

// With the Lagrangian phase on, a run bounded by MaxIterations must not depend on the clock
// either: the same seed gives the same assignment.
func TestSolveDeterministicWithBound(t *testing.T) {
	for _, tc := range []struct {
		w, mu int
		seed  uint64
	}{{10, 1, 1}, {15, 2, 2}, {20, 3, 3}} {
		p, _ := Generate(SchemeAndersen, tc.w, 0, tc.mu, tc.seed)
		opt := Options{MaxIterations: 60, Seed: tc.seed, TimeLimit: time.Minute, LagrangianSteps: 40}
		a, _ := Solve(context.Background(), p, opt)
		b, _ := Solve(context.Background(), p, opt)
		if a.Objective != b.Objective || a.Iterations != b.Iterations {
			t.Errorf("%d×%d: same seed, different answers: %v (%d steps) vs %v (%d steps)", tc.w, tc.mu, a.Objective, a.Iterations, b.Objective, b.Iterations)
		}
	}
}

// repair must turn any relaxed solution — types over and under their capacity, several
// units of a type on one target — into a placement of exactly every unit, and the search's
// per-target state must match an independent evaluation.
func TestRepairFeasible(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for trial := 0; trial < 300; trial++ {
		p, _ := Generate(SchemeAndersen, 2+rng.IntN(8), 0, 1+rng.IntN(3), uint64(trial))
		var sol []pick
		for k := rng.IntN(3 * p.TotalUnits()); k > 0; k-- {
			sol = append(sol, pick{J: int32(rng.IntN(p.T)), I: int32(rng.IntN(p.W)), N: int32(1 + rng.IntN(3))})
		}
		s := newSearch(p, rng)
		s.repair(sol, p.Units)
		x := s.assignment()
		if err := p.Check(x); err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		for i, row := range x {
			n := 0
			for _, c := range row {
				n += c
			}
			if n != p.Units[i] {
				t.Fatalf("trial %d: type %d places %d of %d units", trial, i, n, p.Units[i])
			}
		}
		want, _ := Objective(p, x)
		if got := s.objective(); math.Abs(got-want) > 1e-9*(1+want) {
			t.Fatalf("trial %d: search state %v, Objective %v", trial, got, want)
		}
	}
}

func TestSolveInvalid(t *testing.T) {
	bad := &Problem{W: 1, T: 1, Units: []int{1}, V: []float64{1}, P: [][]float64{{2}}}
	if _, err := Solve(context.Background(), bad, Options{}); err == nil {
		t.Error("Solve accepted p = 2")
	}
}

func FuzzRead(f *testing.F) {
	f.Add("2 3 2\n10\n20\n30\n0 0 0.5\n0 1 0.25\n0 2 1\n1 2 0\n1 1 0.125\n1 0 0.75\n")
	f.Add("1 1 1\n5\n0 0 0.5\n")
	f.Add("1 1 0\n5\n0 0 1e-300\n")
	f.Add("3 1 1\n1\n")
	f.Fuzz(func(t *testing.T, in string) {
		p, err := Read(strings.NewReader(in), "fuzz")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz:") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("Read returned an invalid problem: %v", err)
		}
		if p.W*p.T <= 64 && p.TotalUnits() <= 64 {
			x := Greedy(p)
			if err := p.Check(x); err != nil {
				t.Fatal(err)
			}
			if _, err := Objective(p, x); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// FuzzReadSolution: any text read as an assignment of a small problem gives an error that
// names the file, or a feasible assignment whose objective can be computed.
func FuzzReadSolution(f *testing.F) {
	p, err := Read(strings.NewReader("2 3 2\n10\n20\n30\n0 0 0.5\n0 1 0.25\n0 2 1\n1 2 0\n1 1 0.125\n1 0 0.75\n"), "p")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"0 0 1\n1 2 2\n", "0 0 1\n0 0 1\n", "0 0 3\n", "1 3 1\n", "# c\n\n0 1 1\n", "0 0\n", "-1 0 1\n", "0 0 1 1\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		x, err := ReadSolution(strings.NewReader(in), "sol", p)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "sol") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		if len(x) != p.W {
			t.Fatalf("%d rows for %d weapon types", len(x), p.W)
		}
		if err := p.Check(x); err != nil {
			t.Fatalf("accepted an infeasible assignment: %v", err)
		}
		if _, err := Objective(p, x); err != nil {
			t.Fatal(err)
		}
	})
}
