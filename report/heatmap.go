package report

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
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

// Unit is what a heat map's values are, for the way they are written.
type Unit int

const (
	// Number is a plain quantity: 53.2, 0.640, 2.5M.
	Number Unit = iota
	// Dollars are money, written as adsim writes money (Money): $9.6M, $350k.
	Dollars
)

// PlotHeatmap draws g as a heat map — each cell coloured from blue (the least value) to red
// (the greatest, Moreland's smooth diverging map) and labelled with its value — with a colour
// bar at its right, and saves it to each path like PlotBands. Every value, in the cells and on
// the bar, is written in one format chosen from the values' range (heatFormat), so that 50
// and 53.2 are not written "50" and "53.2", nor a cost "9.6e+06"; unit says whether they are
// dollars. A grid whose axes repeat a value, or with no finite value at all, is an error.
func PlotHeatmap(title, xLabel, yLabel string, unit Unit, g Grid, paths ...string) error {
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
	format := heatFormat(lo, hi, unit)
	// The colour bar's ticks: round values over the range, in the map's format (with the
	// decimals a tick needs, should the step need more than the cells); a single value is
	// the bar's only tick.
	var barTicks []plot.Tick
	if lo == hi {
		barTicks = []plot.Tick{{Value: lo, Label: format.text(lo)}}
		lo, hi = lo-0.5, hi+0.5 // any colour, but a range the colour map accepts
	} else {
		ticks := readableTicks{}.Ticks(lo, hi)
		var values []float64
		for _, t := range ticks {
			if t.Label != "" && t.Value >= lo && t.Value <= hi {
				values = append(values, t.Value)
			}
		}
		tf := format
		if len(values) > 1 {
			tf.decimals = max(tf.decimals, stepDecimals((values[1]-values[0])/tf.unit))
		}
		for _, v := range values {
			barTicks = append(barTicks, plot.Tick{Value: v, Label: tf.text(v)})
		}
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
				label = format.text(z)
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
	bar := colourBar{cm: cm, lo: lo, hi: hi, ticks: barTicks, style: p.Y.Tick.Label, line: p.Y.Tick.LineStyle}
	return saveDrawing(16*vg.Centimeter, 12*vg.Centimeter, paths, func(c draw.Canvas) {
		fig := framed(c)
		// The map takes the figure less the bar's column; the bar spans the map's data
		// area from bottom to top, so that its colours line up with the cells' scale.
		mapArea := draw.Crop(fig, 0, -bar.width(), 0, 0)
		p.Draw(mapArea)
		data := p.DataCanvas(mapArea)
		bar.draw(fig, vg.Rectangle{Min: vg.Point{X: mapArea.Max.X + colourBarGap, Y: data.Min.Y},
			Max: vg.Point{X: mapArea.Max.X + colourBarGap + colourBarWidth, Y: data.Max.Y}})
	})
}

// The colour bar's gap from the map, its width, and the length of its ticks.
var (
	colourBarGap   = vg.Points(12)
	colourBarWidth = vg.Points(12)
	colourBarTick  = vg.Points(4)
)

// colourBar is a heat map's colour scale: the colour map from lo (bottom) to hi (top) with
// labelled ticks to its right.
type colourBar struct {
	cm     palette.ColorMap
	lo, hi float64
	ticks  []plot.Tick
	style  text.Style
	line   draw.LineStyle
}

// width is the room the bar takes at the right of the figure: the gap, the bar, its ticks
// and the widest tick label, measured in the labels' font.
func (b colourBar) width() vg.Length {
	var labels vg.Length
	for _, t := range b.ticks {
		labels = max(labels, b.style.Width(t.Label))
	}
	return colourBarGap + colourBarWidth + colourBarTick + vg.Points(2) + labels
}

// draw draws the bar in the rectangle r of c, its ticks and labels to the right of r.
func (b colourBar) draw(c draw.Canvas, r vg.Rectangle) {
	// The colours as an image one pixel wide, stretched over r: slices filled one by one
	// leave pale seams between them where the renderer smooths their edges.
	const slices = 256
	img := image.NewNRGBA(image.Rect(0, 0, 1, slices))
	for i := range slices {
		col, err := b.cm.At(b.lo + (float64(i)+0.5)/slices*(b.hi-b.lo))
		if err != nil {
			col = color.White // not reached: the value is within [lo, hi], the map's range
		}
		img.Set(0, slices-1-i, col) // the image's first row is the bar's top
	}
	c.DrawImage(r, img)
	h := r.Max.Y - r.Min.Y
	c.StrokeLines(b.line, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}, r.Min})
	style := b.style
	style.XAlign, style.YAlign = text.XLeft, text.YCenter
	for _, t := range b.ticks {
		y := r.Min.Y + h*vg.Length((t.Value-b.lo)/(b.hi-b.lo))
		c.StrokeLine2(b.line, r.Max.X, y, r.Max.X+colourBarTick, y)
		c.FillText(style, vg.Point{X: r.Max.X + colourBarTick + vg.Points(2), Y: y}, t.Label)
	}
}

// numberFormat writes a heat map's values: prefix, the value over unit with decimals
// decimals, suffix ("$", 1e6, 1, "M": $9.6M).
type numberFormat struct {
	prefix, suffix string
	unit           float64
	decimals       int
}

// text writes x in the format; a negative amount of dollars as -$1.2M, and 0 in millions
// or billions as 0 ($0).
func (f numberFormat) text(x float64) string {
	s := strconv.FormatFloat(math.Abs(x)/f.unit, 'f', f.decimals, 64)
	switch {
	case strings.Trim(s, "0.") == "" && f.suffix != "":
		return f.prefix + "0" // "$0", not "$0.00M": nothing is in no unit
	case x < 0 && strings.Trim(s, "0.") != "":
		return "-" + f.prefix + s + f.suffix
	}
	return f.prefix + s + f.suffix
}

// heatFormat chooses one format for values from lo to hi: in billions (B) or millions (M)
// when the largest is that large — dollars also in thousands (k), as Money writes them —
// with the decimals for three significant digits of the largest value and two of the
// spread hi − lo, whichever is more (up to 6): 50 to 53.2 as 50.0 and 53.2, 0.3 to 12 as
// 0.3 and 12.0, dollars from 10.7M to 15.2M as $10.7M and $15.2M.
func heatFormat(lo, hi float64, u Unit) numberFormat {
	f := numberFormat{unit: 1}
	if u == Dollars {
		f.prefix = "$"
	}
	a := math.Max(math.Abs(lo), math.Abs(hi))
	f.unit, f.suffix = magnitude(a, u == Dollars)
	if a == 0 {
		return f
	}
	d := 2 - int(math.Floor(math.Log10(a/f.unit)))
	if span := (hi - lo) / f.unit; span > 0 {
		d = max(d, 1-int(math.Floor(math.Log10(span))))
	}
	f.decimals = min(max(d, 0), 6)
	return f
}

// luminance is a colour's relative luminance in [0, 1] (ITU-R BT.709 weights on the sRGB
// components, without linearisation: enough to choose black or white text).
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}

// valueTicks puts one tick at each of the grid's values, labelled with it; all with the
// decimals the finest needs (0.10 and 0.25, not 0.1 and 0.25).
type valueTicks []float64

func (v valueTicks) Ticks(_, _ float64) []plot.Tick {
	decimals := 0
	for _, x := range v {
		if _, frac, ok := strings.Cut(strconv.FormatFloat(x, 'f', -1, 64), "."); ok {
			decimals = max(decimals, min(len(frac), 6))
		}
	}
	out := make([]plot.Tick, 0, len(v))
	for _, x := range v {
		out = append(out, plot.Tick{Value: x, Label: strconv.FormatFloat(x, 'f', decimals, 64)})
	}
	return out
}
