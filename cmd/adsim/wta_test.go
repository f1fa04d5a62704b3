package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adsim/adsim/internal/csvtable"
	"github.com/adsim/adsim/wta"
)

// TestWTACommand solves a generated instance: the objective of the --solution file, read
// back, is the one printed; the bound is below it; and best_known.csv next to the instance
// decides whether the result is called a new best known solution.
func TestWTACommand(t *testing.T) {
	dir := t.TempDir()
	inst := filepath.Join(dir, "small.txt")
	if code, _, errs := runCLI(t, "wta", "gen", "--scheme", "andersen", "--w", "6", "--mu", "2", "--seed", "3", inst); code != exitOK {
		t.Fatalf("gen: exit %d: %s", code, errs)
	}
	sol := filepath.Join(dir, "x.txt")
	code, out, errs := runCLI(t, "wta", inst, "--time", "1s", "--json", "--solution", sol)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res struct {
		Objective  float64 `json:"objective"`
		LowerBound float64 `json:"lower_bound"`
		BestUB     *float64
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	p, x := readInstance(t, inst, sol)
	if obj, err := wta.Objective(p, x); err != nil || math.Abs(obj-res.Objective) > 1e-9*obj {
		t.Errorf("the solution file's objective is %v (%v); printed %v", obj, err, res.Objective)
	}
	if !(res.LowerBound <= res.Objective*(1+1e-9)) || res.BestUB != nil {
		t.Errorf("lower bound %v, objective %v, best_ub %v (no table here)", res.LowerBound, res.Objective, res.BestUB)
	}

	// A table listing the instance: above the objective found it is beaten, below it is not.
	for _, c := range []struct {
		ub   float64
		want string
	}{
		{res.Objective + 1, "NEW BEST KNOWN"},
		{res.Objective - 1, "vs best_ub"},
	} {
		table := fmt.Sprintf("instance,weapon_types,best_ub,best_lb\nother,6,1,0\nsmall,6,%.6f,%.6f\n", c.ub, res.LowerBound-1)
		if err := os.WriteFile(filepath.Join(dir, "best_known.csv"), []byte(table), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errs := runCLI(t, "wta", inst, "--time", "1s")
		if code != exitOK || !strings.Contains(out, c.want) || !strings.Contains(out, "best known   ub") {
			t.Errorf("ub %v: exit %d, want %q in\n%s%s", c.ub, code, c.want, out, errs)
		}
	}

	// A broken table is bad input, said before the search: nothing on stdout, not even with
	// --json (which used to leave the table's error unsaid).
	if err := os.WriteFile(filepath.Join(dir, "best_known.csv"), []byte("instance,best_ub,best_lb\nsmall,12,x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCLI(t, "wta", inst, "--time", "1h", "--json")
	want := "best_known.csv:2:10: best_lb: found \"x\"; expected a finite number"
	if code != exitBadInput || !strings.Contains(errs, want) || out != "" {
		t.Errorf("broken table: exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, errs, exitBadInput, want)
	}
}

// readInstance reads a WTA instance and an assignment written for it.
func readInstance(t *testing.T, inst, sol string) (*wta.Problem, [][]int) {
	t.Helper()
	f, err := os.Open(inst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := wta.Read(f, inst)
	if err != nil {
		t.Fatal(err)
	}
	g, err := os.Open(sol)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	x, err := wta.ReadSolution(g, sol, p)
	if err != nil {
		t.Fatal(err)
	}
	return p, x
}

func TestReadBestKnown(t *testing.T) {
	const head = "instance,best_ub,best_lb\n"
	tests := []struct {
		name, in string
		ub, lb   float64 // of instance "a"; 0 for not listed
		err      string
	}{
		{"listed", head + "b,5,4\na,3.5,3.25\n", 3.5, 3.25, ""},
		{"columns in any order, others ignored", "best_lb,gap,instance,best_ub\n2,0,a,2\n", 2, 2, ""},
		{"not listed", head + "b,5,4\n", 0, 0, ""},
		{"header only", head, 0, 0, ""},
		{"empty", "", 0, 0, "bk.csv:1:1: found an empty file; expected a header line with the columns instance,best_ub,best_lb"},
		{"missing column", "instance,best_lb\na,1\n", 0, 0, `bk.csv:1:1: found the columns instance,best_lb; expected a column "best_ub"`},
		{"column twice", "instance,best_ub,best_lb,best_ub\n", 0, 0, `bk.csv:1:26: found the column "best_ub" twice`},
		{"not a number", head + "b,5,4\na,3..5,3\n", 0, 0, `bk.csv:3:3: best_ub: found "3..5"; expected a finite number`},
		{"bad number in another row", head + "b,5,inf\na,3,3\n", 0, 0, `bk.csv:2:5: best_lb: found "inf"; expected a finite number`},
		{"short row", head + "a,3\n", 0, 0, `bk.csv:2:3: found 2 fields, no "best_lb"; expected 3, as the header has`},
		{"bound above", head + "a,3,4\n", 0, 0, "bk.csv:2:5: best_lb: found 4, above best_ub 3"},
		{"listed twice", head + "a,3,3\nb,1,1\na,3,3\n", 0, 0, `bk.csv:4:1: instance: found "a" again (first on line 2)`},
		{"quote", head + "a,\"3,3\n", 0, 0, `bk.csv:2:`},
	}
	for _, c := range tests {
		t.Run(c.name, func(t *testing.T) {
			bk, err := readBestKnown("bk.csv", strings.NewReader(c.in), "a")
			if c.err != "" {
				var pe *csvtable.PosError
				if err == nil || !strings.Contains(err.Error(), c.err) || !errors.As(err, &pe) {
					t.Fatalf("error %v; want a position and %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case c.ub == 0 && bk != nil:
				t.Errorf("found %+v; the table does not list a", bk)
			case c.ub != 0 && (bk == nil || bk.ub != c.ub || bk.lb != c.lb || bk.source != "bk.csv"):
				t.Errorf("found %+v; want ub %v, lb %v", bk, c.ub, c.lb)
			}
		})
	}
}

// FuzzReadBestKnown: any table gives an error at a line and column of the file, or the
// instance's finite bounds in order, or nothing.
func FuzzReadBestKnown(f *testing.F) {
	for _, s := range []string{"instance,best_ub,best_lb\na,3,2\n", "instance,best_ub,best_lb\na,3\n", "best_lb,instance,best_ub\n1,a,1\nb,2,1\n",
		"instance,best_ub,best_lb\na,\"3\n", "\ufeffinstance,best_ub,best_lb\r\na,1e308,-1e308\r\n", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		bk, err := readBestKnown("bk.csv", strings.NewReader(in), "a")
		if err != nil {
			var pe *csvtable.PosError
			if !errors.As(err, &pe) || pe.File != "bk.csv" || pe.Line < 1 || pe.Column < 1 {
				t.Fatalf("error without a position in bk.csv: %v", err)
			}
			return
		}
		if bk != nil && (math.IsNaN(bk.ub) || math.IsInf(bk.ub, 0) || math.IsInf(bk.lb, 0) || !(bk.lb <= bk.ub)) {
			t.Fatalf("accepted bounds %v, %v", bk.lb, bk.ub)
		}
	})
}
