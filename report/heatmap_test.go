package report

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPlotHeatmap(t *testing.T) {
	dir := t.TempDir()
	ok := Grid{X: []float64{30, 10, 20}, Y: []float64{2, 1}, Z: [][]float64{{3.5, 1.25, 2}, {math.NaN(), 0.5, 12.5}}}
	cases := []struct {
		name string
		g    Grid
		has  []string // in the SVG
		err  string
	}{
		{"unsorted axes, a missing cell", ok, []string{"value lost over count and salvo", "12.5", "1.25", "0.5", "–", ">30<", ">2<"}, ""},
		{"one value everywhere", Grid{X: []float64{1, 2}, Y: []float64{1}, Z: [][]float64{{4, 4}}}, []string{">4<"}, ""},
		{"a repeated value", Grid{X: []float64{1, 1}, Y: []float64{1}, Z: [][]float64{{1, 2}}}, nil, "count value 1 comes twice"},
		{"no value", Grid{X: []float64{1}, Y: []float64{1}, Z: [][]float64{{math.NaN()}}}, nil, "no value to draw"},
		{"a short row", Grid{X: []float64{1, 2}, Y: []float64{1}, Z: [][]float64{{1}}}, nil, "row 0 has 1 values for 2 columns"},
		{"no rows", Grid{X: []float64{1}, Y: []float64{1}}, nil, "with 0 rows of values"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			svg := filepath.Join(dir, strings.Repeat("x", i+1)+".svg")
			err := PlotHeatmap("value lost over count and salvo", "count", "salvo", "%g", c.g, svg, filepath.Join(dir, "h.png"))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(svg)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range c.has {
				if !strings.Contains(string(data), h) {
					t.Errorf("the SVG lacks %q", h)
				}
			}
		})
	}
}
