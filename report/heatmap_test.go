package report

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlotHeatmap: the cells are labelled in one format, the colour bar's ticks in the same,
// dollars as adsim writes money; grids that cannot be drawn are errors.
func TestPlotHeatmap(t *testing.T) {
	dir := t.TempDir()
	ok := Grid{X: []float64{30, 10, 20}, Y: []float64{2, 1}, Z: [][]float64{{3.5, 1.25, 2}, {math.NaN(), 0.5, 12.5}}}
	cost := Grid{X: []float64{12, 32, 52}, Y: []float64{0.1, 0.25}, Z: [][]float64{{1.07e7, 1.36e7, 1.52e7}, {1.1e7, 1.4e7, 1.5e7}}}
	cases := []struct {
		name string
		unit Unit
		g    Grid
		has  []string // in the SVG
		err  string
	}{
		{"unsorted axes, a missing cell", Number, ok, []string{"value lost over count and salvo", ">12.5<", ">1.2<", ">0.5<", ">2.0<", "–",
			">30<", ">2<", ">2.5<", ">7.5<"}, ""}, // the last two: the colour bar's ticks
		{"dollars", Dollars, cost, []string{">$10.7M<", ">$15.2M<", ">$11.0M<", ">$15.0M<", ">0.10<", ">0.25<"}, ""},
		{"one value everywhere", Number, Grid{X: []float64{1, 2}, Y: []float64{1}, Z: [][]float64{{4, 4}}}, []string{">4.00<"}, ""},
		{"a repeated value", Number, Grid{X: []float64{1, 1}, Y: []float64{1}, Z: [][]float64{{1, 2}}}, nil, "count value 1 comes twice"},
		{"no value", Number, Grid{X: []float64{1}, Y: []float64{1}, Z: [][]float64{{math.NaN()}}}, nil, "no value to draw"},
		{"a short row", Number, Grid{X: []float64{1, 2}, Y: []float64{1}, Z: [][]float64{{1}}}, nil, "row 0 has 1 values for 2 columns"},
		{"no rows", Number, Grid{X: []float64{1}, Y: []float64{1}}, nil, "with 0 rows of values"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			svg := filepath.Join(dir, strings.Repeat("x", i+1)+".svg")
			err := PlotHeatmap("value lost over count and salvo", "count", "salvo", c.unit, c.g, svg, filepath.Join(dir, "h.png"))
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

// TestHeatFormat: one format per map, from the values' range: three significant digits of
// the largest value or two of the spread, whichever needs more decimals; millions and
// billions with M and B, dollars also thousands with k.
func TestHeatFormat(t *testing.T) {
	cases := []struct {
		lo, hi float64
		unit   Unit
		values []float64
		want   []string
	}{
		{50, 53.2, Number, []float64{50, 53.2}, []string{"50.0", "53.2"}}, // the review's "50" and "53.2"
		{9.6e6, 1.79e7, Dollars, []float64{9.6e6, 1.79e7}, []string{"$9.6M", "$17.9M"}},
		{9.6e6, 1.79e7, Number, []float64{9.6e6}, []string{"9.6M"}}, // the review's "9.6e+06"
		{0.3, 12, Number, []float64{0.3, 12}, []string{"0.3", "12.0"}},
		{0, 100, Number, []float64{0, 95, 100}, []string{"0", "95", "100"}},
		{0.64, 0.67, Number, []float64{0.64, 0.67}, []string{"0.640", "0.670"}},
		{50, 50.04, Number, []float64{50, 50.04}, []string{"50.000", "50.040"}},
		{2e5, 8.5e5, Dollars, []float64{2e5, 8.5e5}, []string{"$200k", "$850k"}},
		{-1.5e6, 2e6, Dollars, []float64{-1.5e6, 0, 2e6}, []string{"-$1.50M", "$0", "$2.00M"}},
		{1.2e9, 3.4e9, Number, []float64{1.2e9}, []string{"1.20B"}},
		{0, 0, Number, []float64{0}, []string{"0"}},
		{7, 7, Number, []float64{7}, []string{"7.00"}},
	}
	for _, c := range cases {
		f := heatFormat(c.lo, c.hi, c.unit)
		for i, v := range c.values {
			if got := f.text(v); got != c.want[i] {
				t.Errorf("[%g, %g]: %g written %q, want %q", c.lo, c.hi, v, got, c.want[i])
			}
		}
	}
}
