package report

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// Grid is a quantity over a grid of two numeric inputs: Z[r][c] at X[c] and Y[r] (NaN where
// there is no value). The axes need not be sorted, but their values must differ.
type Grid struct {
	X, Y []float64
	Z    [][]float64
}

// heatGrid is a Grid sorted by X and Y, as plotter.GridXYZ wants it.
type heatGrid struct {
	g          Grid
	cols, rows []int // the Grid's column and row indices in increasing X and Y
}

func (h heatGrid) Dims() (c, r int)   { return len(h.cols), len(h.rows) }
func (h heatGrid) Z(c, r int) float64 { return h.g.Z[h.rows[r]][h.cols[c]] }
func (h heatGrid) X(c int) float64    { return h.g.X[h.cols[c]] }
func (h heatGrid) Y(r int) float64    { return h.g.Y[h.rows[r]] }

// sortedIndex returns the indices of xs in increasing order of value, and an error if two
// values are equal or one is not finite (a heat map's cells need distinct coordinates).
func sortedIndex(xs []float64, axis string) ([]int, error) {
	ix := make([]int, len(xs))
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%s value %v is not a number", axis, x)
		}
		ix[i] = i
	}
	sort.SliceStable(ix, func(a, b int) bool { return xs[ix[a]] < xs[ix[b]] })
	for k := 1; k < len(ix); k++ {
		if xs[ix[k]] == xs[ix[k-1]] {
			return nil, fmt.Errorf("%s value %g comes twice", axis, xs[ix[k]])
		}
	}
	return ix, nil
}

// PlotHeatmap draws g as a heat map — each cell coloured from blue (the least value) to red
// (the greatest, Moreland's smooth diverging map) and labelled with its value in format — and
// saves it to each path like PlotBands. The labels make the numbers readable without a colour
// bar. A grid whose axes repeat a value, or with no finite value at all, is an error.
func PlotHeatmap(title, xLabel, yLabel, format string, g Grid, paths ...string) error {
	if len(g.X) == 0 || len(g.Y) == 0 || len(g.Z) != len(g.Y) {
		return fmt.Errorf("plot %q: a grid of %d × %d with %d rows of values", title, len(g.X), len(g.Y), len(g.Z))
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for r, row := range g.Z {
		if len(row) != len(g.X) {
			return fmt.Errorf("plot %q: row %d has %d values for %d columns", title, r, len(row), len(g.X))
		}
		for _, z := range row {
			if finite(z) {
				lo, hi = math.Min(lo, z), math.Max(hi, z)
			}
		}
	}
	if lo > hi {
		return fmt.Errorf("plot %q: no value to draw", title)
	}
	if lo == hi { // one value everywhere: any colour, but a range the colour map accepts
		lo, hi = lo-0.5, hi+0.5
	}
	cols, err := sortedIndex(g.X, xLabel)
	if err != nil {
		return fmt.Errorf("plot %q: %w", title, err)
	}
	rows, err := sortedIndex(g.Y, yLabel)
	if err != nil {
		return fmt.Errorf("plot %q: %w", title, err)
	}
	cm := moreland.SmoothBlueRed()
	cm.SetMin(lo)
	cm.SetMax(hi)
	hm := plotter.NewHeatMap(heatGrid{g, cols, rows}, cm.Palette(255))
	hm.Min, hm.Max = lo, hi
	hm.NaN = color.White
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Add(hm)
	var cells plotter.XYLabels
	var styles []text.Style
	for r := range g.Y {
		for c := range g.X {
			z := g.Z[r][c]
			label := "–"
			if finite(z) {
				label = fmt.Sprintf(format, z)
			}
			cells.XYs = append(cells.XYs, plotter.XY{X: g.X[c], Y: g.Y[r]})
			cells.Labels = append(cells.Labels, label)
			ink := color.Color(color.Black)
			if finite(z) {
				// White on the dark ends of the map, black on the pale middle.
				if bg, err := cm.At(math.Max(lo, math.Min(hi, z))); err == nil && luminance(bg) < 0.45 {
					ink = color.White
				}
			}
			styles = append(styles, text.Style{Color: ink, Font: p.X.Tick.Label.Font, XAlign: text.XCenter,
				YAlign: text.YCenter, Handler: p.X.Tick.Label.Handler})
		}
	}
	labels, err := plotter.NewLabels(cells)
	if err != nil {
		return fmt.Errorf("plot %q: %w", title, err)
	}
	labels.TextStyle = styles
	p.Add(labels)
	p.X.Tick.Marker = valueTicks(g.X)
	p.Y.Tick.Marker = valueTicks(g.Y)
	return save(p, 16*vg.Centimeter, 12*vg.Centimeter, paths)
}

// luminance is a colour's relative luminance in [0, 1] (ITU-R BT.709 weights on the sRGB
// components, without linearisation: enough to choose black or white text).
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}

// valueTicks puts one tick at each of the grid's values, labelled with it.
type valueTicks []float64

func (v valueTicks) Ticks(min, max float64) []plot.Tick {
	out := make([]plot.Tick, 0, len(v))
	for _, x := range v {
		out = append(out, plot.Tick{Value: x, Label: fmt.Sprintf("%g", x)})
	}
	return out
}
