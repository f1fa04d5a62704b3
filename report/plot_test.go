package report

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPlotBands(t *testing.T) {
	band := func(name string, y ...float64) Band {
		b := Band{Name: name}
		for i, v := range y {
			b.X = append(b.X, float64(10*(i+1)))
			b.Y, b.Lo, b.Hi = append(b.Y, v), append(b.Lo, v-1), append(b.Hi, v+1)
		}
		return b
	}
	cases := []struct {
		name  string
		bands []Band
		file  string
		has   []string // in the SVG
		err   string
	}{
		{"one curve named in the title", []Band{band("capital, 8 replications per point", 2, 3, 4)}, "a.svg",
			[]string{"leak rate over count", "capital, 8 replications per point (95 % CI band)"}, ""},
		{"two curves in a legend", []Band{band("capital", 2, 3), band("ground", 3, 4)}, "b.svg",
			[]string{"capital (95 % CI band)", "ground (95 % CI band)"}, ""},
		{"one band with an infinite bound", []Band{{Name: "n=1", X: []float64{1, 2}, Y: []float64{1, 2},
			Lo: []float64{math.Inf(-1), 1}, Hi: []float64{math.Inf(1), 3}}}, "c.svg", []string{"n=1"}, ""},
		{"ragged curve", []Band{{Name: "bad", X: []float64{1, 2}, Y: []float64{1}, Lo: []float64{1}, Hi: []float64{1}}}, "d.svg",
			nil, `curve "bad" has 2 x, 1 y`},
		{"unknown format", []Band{band("x", 1, 2)}, "e.gif", nil, `unknown image format ".gif"`},
	}
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.file)
			err := PlotBands("leak rate over count", "count", "leak rate (%)", c.bands, path)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			svg, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range c.has {
				if n := strings.Count(string(svg), s); n != 1 {
					t.Errorf("%q appears %d times in the SVG, want once", s, n)
				}
			}
		})
	}
}

func TestNonNegativeAxis(t *testing.T) {
	cases := []struct {
		b    Band
		want bool
	}{
		{Band{Y: []float64{0, 1}, Lo: []float64{0, 0.5}, Hi: []float64{1, 2}}, true},
		{Band{Y: []float64{0, 1}, Lo: []float64{-0.1, 0.5}, Hi: []float64{1, 2}}, false},
		{Band{Y: []float64{-3}, Lo: []float64{-4}, Hi: []float64{-2}}, false},
		{Band{Y: []float64{1}, Lo: []float64{math.Inf(-1)}, Hi: []float64{math.Inf(1)}}, false},
	}
	for i, c := range cases {
		if got := nonNegative([]Band{c.b}); got != c.want {
			t.Errorf("case %d: nonNegative = %v, want %v", i, got, c.want)
		}
	}
}

// TestPlotSteps: the steps plot carries its title and key; steps without an estimate or
// with infinite bounds do not stop it; it refuses to draw nothing or to write an unknown
// format, and one step alone still gets an x axis.
func TestPlotSteps(t *testing.T) {
	steps := []Step{
		{X: 40, Est: 21, Lo: 16.8, Hi: 25.5, Significant: true},
		{X: 70, Est: -1, Lo: -3, Hi: 1},
		{X: 100, Est: math.NaN(), Lo: math.NaN(), Hi: math.NaN()},
		{X: 130, Est: 2, Lo: math.Inf(-1), Hi: math.Inf(1)},
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "s.svg")
	if err := PlotSteps("step of leak rate", "count", "this point − the one before", steps, path); err != nil {
		t.Fatal(err)
	}
	svg, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"step of leak rate", "filled: differs from 0 (p &lt; 0.05), open: does not; bars: 95 % CI", "count"} {
		if !strings.Contains(string(svg), s) {
			t.Errorf("the SVG lacks %q", s)
		}
	}
	if err := PlotSteps("t", "x", "y", steps[2:3], filepath.Join(dir, "n.svg")); err == nil || !strings.Contains(err.Error(), "no step to draw") {
		t.Errorf("no drawable step: error %v", err)
	}
	if err := PlotSteps("t", "x", "y", steps[:1], filepath.Join(dir, "s.gif")); err == nil || !strings.Contains(err.Error(), `unknown image format ".gif"`) {
		t.Errorf("gif: error %v", err)
	}
	// One step alone still gets a frame around it (no zero-width x axis).
	if err := PlotSteps("t", "x", "y", steps[:1], filepath.Join(dir, "one.png")); err != nil {
		t.Error(err)
	}
}
