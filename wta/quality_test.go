package wta

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// benchDir is the shared benchmark folder, relative to this package's directory.
const benchDir = "../../shared/benchmarks/wta"

type known struct {
	name           string
	w, t, mu       int
	bestUB, bestLB float64
	file           string
}

// loadKnown reads best_known.csv and keeps the instances whose file is present.
func loadKnown(tb testing.TB) []known {
	tb.Helper()
	f, err := os.Open(filepath.Join(benchDir, "best_known.csv"))
	if err != nil {
		tb.Skipf("benchmark folder %s absent (%v): skipping the published-instance checks", benchDir, err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatalf("best_known.csv: %v", err)
	}
	var out []known
	for _, r := range rows[1:] {
		k := known{name: r[0], file: filepath.Join(benchDir, r[0]+".txt")}
		k.w, _ = strconv.Atoi(r[1])
		k.t, _ = strconv.Atoi(r[2])
		k.mu, _ = strconv.Atoi(r[3])
		k.bestUB, _ = strconv.ParseFloat(r[4], 64)
		k.bestLB, _ = strconv.ParseFloat(r[5], 64)
		if _, err := os.Stat(k.file); err == nil {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		tb.Skipf("no instance files in %s", benchDir)
	}
	return out
}

func readFile(tb testing.TB, path string) *Problem {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	p, err := Read(f, path)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// TestQualityReport prints gap and time per instance; it runs only with WTA_REPORT set to a
// time budget, e.g. WTA_REPORT=10s go test -run QualityReport -v ./wta.
func TestQualityReport(t *testing.T) {
	budget := os.Getenv("WTA_REPORT")
	if budget == "" {
		t.Skip("set WTA_REPORT=<duration> to print the quality table")
	}
	d, err := time.ParseDuration(budget)
	if err != nil {
		t.Fatal(err)
	}
	filter := os.Getenv("WTA_ONLY")
	fmt.Printf("| instance | best_ub | greedy gap %% | objective | gap to best_ub %% | lower bound | proven gap %% | best_lb gap | time to best s | s |\n|---|---|---|---|---|---|---|---|---|---|\n")
	for _, k := range loadKnown(t) {
		if filter != "" && !contains(k.name, filter) {
			continue
		}
		p := readFile(t, k.file)
		r, err := Solve(context.Background(), p, Options{TimeLimit: d, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		obj, _ := Objective(p, r.X)
		mark := ""
		if obj < k.bestUB-1e-6 {
			mark = " NEW BEST"
		}
		fmt.Printf("| %s | %.6f | %.2f | %.6f | %+.4f%s | %.6f | %.4f | %.4f | %.3f | %.2f | %d |\n", k.name, k.bestUB,
			100*(r.Greedy-k.bestUB)/k.bestUB, obj, 100*(obj-k.bestUB)/k.bestUB, mark, r.LowerBound, r.GapPct,
			100*(k.bestLB-r.LowerBound)/k.bestLB, r.BestSeconds, r.Seconds, r.Iterations)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// TestPublishedInstances checks every instance of the shared benchmark: the objective,
// re-evaluated by Objective from the assignment alone, is never below the published lower
// bound best_lb (that would be a bug), and our lower bound never exceeds the best known
// objective best_ub. With -short only the instances with W ≤ 100 run.
func TestPublishedInstances(t *testing.T) {
	for _, k := range loadKnown(t) {
		if testing.Short() && k.w > 100 {
			continue
		}
		t.Run(k.name, func(t *testing.T) {
			p := readFile(t, k.file)
			if p.W != k.w || p.T != k.t || p.Units[0] != k.mu {
				t.Fatalf("file says %d×%d×%d, table %d×%d×%d", p.W, p.T, p.Units[0], k.w, k.t, k.mu)
			}
			r, err := Solve(context.Background(), p, Options{TimeLimit: 300 * time.Millisecond, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Check(r.X); err != nil {
				t.Fatal(err)
			}
			obj, err := Objective(p, r.X)
			if err != nil {
				t.Fatal(err)
			}
			const tol = 1e-6 // the table has 6 decimals
			if obj < k.bestLB-tol {
				t.Errorf("objective %.6f below the published lower bound %.6f: a bug", obj, k.bestLB)
			}
			if r.LowerBound > k.bestUB+tol {
				t.Errorf("lower bound %.6f above the best known objective %.6f: invalid bound", r.LowerBound, k.bestUB)
			}
			if math.Abs(obj-r.Objective) > 1e-9*obj {
				t.Errorf("Result.Objective %.9f, re-evaluated %.9f", r.Objective, obj)
			}
			if obj < k.bestUB-tol {
				t.Logf("NEW BEST KNOWN %s: %.6f < %.6f", k.name, obj, k.bestUB)
			}
		})
	}
}

// TestNewBestKnownProofs re-evaluates every assignment kept in testdata/ as proof of a new
// best known solution (files <instance>.sol) and checks it beats best_ub.
func TestNewBestKnownProofs(t *testing.T) {
	sols, _ := filepath.Glob("testdata/*.sol")
	if len(sols) == 0 {
		t.Skip("no new best known solutions kept in testdata/")
	}
	byName := map[string]known{}
	for _, k := range loadKnown(t) {
		byName[k.name] = k
	}
	for _, path := range sols {
		name := strings.TrimSuffix(filepath.Base(path), ".sol")
		k, ok := byName[name]
		if !ok {
			continue
		}
		p := readFile(t, k.file)
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		x, err := ReadSolution(f, path, p)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		obj, _ := Objective(p, x)
		if !(obj < k.bestUB) || obj < k.bestLB-1e-6 {
			t.Errorf("%s: objective %.6f, best_ub %.6f, best_lb %.6f", name, obj, k.bestUB, k.bestLB)
		}
	}
}

// BenchmarkWTA solves each shared instance with a 1 s budget per b.N iteration (set
// WTA_BENCH_TIME to change it) and reports the gap to best_ub and the proven gap.
func BenchmarkWTA(b *testing.B) {
	budget := time.Second
	if v := os.Getenv("WTA_BENCH_TIME"); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			budget = d
		}
	}
	for _, k := range loadKnown(b) {
		p := readFile(b, k.file)
		b.Run(k.name, func(b *testing.B) {
			var gap, proven, tbest float64
			for n := 0; n < b.N; n++ {
				r, err := Solve(context.Background(), p, Options{TimeLimit: budget, Seed: uint64(n + 1)})
				if err != nil {
					b.Fatal(err)
				}
				obj, _ := Objective(p, r.X)
				gap += 100 * (obj - k.bestUB) / k.bestUB
				proven += r.GapPct
				tbest += r.BestSeconds
			}
			b.ReportMetric(gap/float64(b.N), "gap_to_best_ub_%")
			b.ReportMetric(proven/float64(b.N), "proven_gap_%")
			b.ReportMetric(tbest/float64(b.N), "s_to_best")
		})
	}
}
