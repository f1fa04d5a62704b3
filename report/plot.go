package report

import (
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Band is one curve with its confidence band: Y[i] at X[i] with the interval [Lo[i], Hi[i]].
// Non-finite bounds are drawn as the estimate (no band at that point).
type Band struct {
	Name      string
	X, Y      []float64
	Lo, Hi    []float64
	LineColor color.Color // nil: a default blue
}

// PlotBands draws curves with shaded confidence bands and saves the figure to each path; the
// format follows each file's extension (.png, .svg, .pdf, .eps), 16 × 10 cm. A single curve is
// named in a second title line rather than in a legend, which would sit on the data; the y
// axis starts at 0 when no value or bound is negative (rates, counts, value lost), so that
// the eye reads the curves' heights, not a zoomed-in difference.
func PlotBands(title, xLabel, yLabel string, bands []Band, paths ...string) error {
	p := plot.New()
	p.Title.Text = title
	legend := len(bands) > 1
	if !legend && len(bands) == 1 && bands[0].Name != "" {
		p.Title.Text += "\n" + bands[0].Name + " (95 % CI band)"
	}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Add(plotter.NewGrid())
	// The first eight colours of matplotlib's "tab10" (Tableau) palette: a sweep over two
	// fields draws a curve per value of the second.
	defaults := []color.Color{color.RGBA{31, 119, 180, 255}, color.RGBA{214, 39, 40, 255}, color.RGBA{44, 160, 44, 255},
		color.RGBA{255, 127, 14, 255}, color.RGBA{148, 103, 189, 255}, color.RGBA{140, 86, 75, 255},
		color.RGBA{227, 119, 194, 255}, color.RGBA{127, 127, 127, 255}}
	for k, b := range bands {
		n := len(b.X)
		if len(b.Y) != n || len(b.Lo) != n || len(b.Hi) != n {
			return fmt.Errorf("plot %q: curve %q has %d x, %d y, %d lo and %d hi values", title, b.Name, n, len(b.Y), len(b.Lo), len(b.Hi))
		}
		if n == 0 {
			continue
		}
		c := b.LineColor
		if c == nil {
			c = defaults[k%len(defaults)]
		}
		r, g, bl, _ := c.RGBA()
		fill := color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 60}
		band := make(plotter.XYs, 0, 2*n)
		line := make(plotter.XYs, 0, n)
		for i := 0; i < n; i++ {
			line = append(line, plotter.XY{X: b.X[i], Y: b.Y[i]})
			band = append(band, plotter.XY{X: b.X[i], Y: finiteOr(b.Hi[i], b.Y[i])})
		}
		for i := n - 1; i >= 0; i-- {
			band = append(band, plotter.XY{X: b.X[i], Y: finiteOr(b.Lo[i], b.Y[i])})
		}
		poly, err := plotter.NewPolygon(band)
		if err != nil {
			return fmt.Errorf("plot %q: %w", title, err)
		}
		poly.Color = fill
		poly.LineStyle.Width = 0
		l, pts, err := plotter.NewLinePoints(line)
		if err != nil {
			return fmt.Errorf("plot %q: %w", title, err)
		}
		l.Color, pts.Color = c, c
		l.Width = vg.Points(1.5)
		p.Add(poly, l, pts)
		if legend && b.Name != "" {
			p.Legend.Add(b.Name+" (95 % CI band)", l, pts)
		}
	}
	p.Legend.Top = true
	if nonNegative(bands) {
		p.Y.Min = 0
	}
	return save(p, 16*vg.Centimeter, 10*vg.Centimeter, paths)
}

// save writes the plot to each path, in the format of its extension.
func save(p *plot.Plot, w, h vg.Length, paths []string) error {
	for _, path := range paths {
		ext := strings.ToLower(filepath.Ext(path))
		switch ext {
		case ".png", ".svg", ".pdf", ".eps":
		default:
			return fmt.Errorf("plot %s: unknown image format %q (use .png, .svg, .pdf or .eps)", path, ext)
		}
		if err := p.Save(w, h, path); err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// nonNegative reports whether no estimate or finite bound of the bands is below 0.
func nonNegative(bands []Band) bool {
	for _, b := range bands {
		for _, v := range [][]float64{b.Y, b.Lo, b.Hi} {
			for _, x := range v {
				if x < 0 {
					return false
				}
			}
		}
	}
	return true
}

func finiteOr(x, d float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return d
	}
	return x
}

// TornadoBar is one factor of a tornado chart: the effect of its low and of its high value on
// a metric, each an estimate with its 95 % interval (NaN estimate: not run, no bar).
type TornadoBar struct {
	Name                 string
	Low, LowLo, LowHi    float64
	High, HighLo, HighHi float64
}

// PlotTornado draws a tornado chart — one row per factor, top to bottom in the order given
// (largest effect first, by convention), a bar from 0 to the effect of the factor's low value
// (upper half of the row) and of its high value (lower half), each with its 95 % interval as
// a whisker — and saves it to each path like PlotBands. The height grows with the rows.
func PlotTornado(title, xLabel, lowName, highName string, bars []TornadoBar, paths ...string) error {
	if len(bars) == 0 {
		return fmt.Errorf("plot %q: no factors", title)
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Add(plotter.NewGrid())
	lowC, highC := color.RGBA{31, 119, 180, 255}, color.RGBA{214, 39, 40, 255}
	names := make([]string, len(bars))
	addBar := func(y0, y1, x, lo, hi float64, c color.RGBA, legend string) error {
		if math.IsNaN(x) {
			return nil
		}
		poly, err := plotter.NewPolygon(plotter.XYs{{X: 0, Y: y0}, {X: x, Y: y0}, {X: x, Y: y1}, {X: 0, Y: y1}})
		if err != nil {
			return err
		}
		poly.Color = color.NRGBA{c.R, c.G, c.B, 150}
		poly.LineStyle.Width = 0
		p.Add(poly)
		if finite(lo) && finite(hi) {
			ym := (y0 + y1) / 2
			l, err := plotter.NewLine(plotter.XYs{{X: lo, Y: ym}, {X: hi, Y: ym}})
			if err != nil {
				return err
			}
			l.Color, l.Width = c, vg.Points(1.2)
			p.Add(l)
		}
		if legend != "" {
			p.Legend.Add(legend, poly)
		}
		return nil
	}
	for i, b := range bars {
		y := float64(len(bars) - 1 - i) // the first bar on top
		names[len(bars)-1-i] = b.Name
		lowLegend, highLegend := "", ""
		if i == 0 {
			lowLegend, highLegend = lowName+" (95 % CI whisker)", highName+" (95 % CI whisker)"
		}
		if err := addBar(y, y+0.38, b.Low, b.LowLo, b.LowHi, lowC, lowLegend); err != nil {
			return fmt.Errorf("plot %q: %w", title, err)
		}
		if err := addBar(y-0.38, y, b.High, b.HighLo, b.HighHi, highC, highLegend); err != nil {
			return fmt.Errorf("plot %q: %w", title, err)
		}
	}
	zero, err := plotter.NewLine(plotter.XYs{{X: 0, Y: -0.6}, {X: 0, Y: float64(len(bars)) - 0.4}})
	if err != nil {
		return fmt.Errorf("plot %q: %w", title, err)
	}
	zero.Color = color.Black
	p.Add(zero)
	p.NominalY(names...)
	// A free row above the bars holds the legend.
	p.Y.Min, p.Y.Max = -0.6, float64(len(bars))+0.6
	p.Legend.Top = true
	return save(p, 20*vg.Centimeter, 3*vg.Centimeter+vg.Length(len(bars))*0.7*vg.Centimeter, paths)
}

// Step is one step of a sweep: the paired difference of a metric at X from the point before,
// with its 95 % interval [Lo, Hi] and whether it differs from zero at p < 0.05.
type Step struct {
	X, Est, Lo, Hi float64
	Significant    bool
}

// PlotSteps draws a sweep's steps — each the paired difference from the point before, at the
// later point's X, with its 95 % interval as an error bar — against the zero line, and saves
// the figure to each path like PlotBands. A significant step is a filled disc, one that is
// not an open ring, so the eye finds where the curve really moves: two points' own bands can
// overlap while their paired difference, on common random numbers, is clearly not zero.
// Steps with a NaN estimate are not drawn; non-finite bounds draw no bar.
func PlotSteps(title, xLabel, yLabel string, steps []Step, paths ...string) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Add(plotter.NewGrid())
	zero := plotter.NewFunction(func(float64) float64 { return 0 })
	zero.Color, zero.Width = color.Gray{Y: 60}, vg.Points(1)
	zero.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(zero)
	c := color.RGBA{31, 119, 180, 255}
	var sig, not plotter.XYs
	var bars errorBars
	for _, s := range steps {
		if math.IsNaN(s.Est) || math.IsInf(s.Est, 0) || !finite(s.X) {
			continue
		}
		if s.Significant {
			sig = append(sig, plotter.XY{X: s.X, Y: s.Est})
		} else {
			not = append(not, plotter.XY{X: s.X, Y: s.Est})
		}
		if finite(s.Lo) && finite(s.Hi) {
			bars.XYs = append(bars.XYs, plotter.XY{X: s.X, Y: s.Est})
			bars.YErrors = append(bars.YErrors, struct{ Low, High float64 }{s.Est - s.Lo, s.Hi - s.Est})
		}
	}
	if len(sig)+len(not) == 0 {
		return fmt.Errorf("plot %q: no step to draw", title)
	}
	if len(bars.XYs) > 0 {
		eb, err := plotter.NewYErrorBars(bars)
		if err != nil {
			return fmt.Errorf("plot %q: %w", title, err)
		}
		eb.Color, eb.Width = c, vg.Points(1.2)
		p.Add(eb)
	}
	for _, set := range []struct {
		xys   plotter.XYs
		glyph draw.GlyphDrawer
	}{{sig, draw.CircleGlyph{}}, {not, draw.RingGlyph{}}} {
		if len(set.xys) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(set.xys)
		if err != nil {
			return fmt.Errorf("plot %q: %w", title, err)
		}
		sc.Color, sc.Shape, sc.Radius = c, set.glyph, vg.Points(3.5)
		p.Add(sc)
	}
	// The key goes in the title: a legend box would sit on the steps, which tend to grow
	// towards the last point, where a legend's corner is.
	p.Title.Text += "\nfilled: differs from 0 (p < 0.05), open: does not; bars: 95 % CI"
	// The zero line is the reference: always in view. The outermost steps get some room, so
	// that their marks do not sit on the frame.
	p.Y.Min, p.Y.Max = math.Min(p.Y.Min, 0), math.Max(p.Y.Max, 0)
	pad := (p.Y.Max - p.Y.Min) * 0.05
	p.Y.Min, p.Y.Max = p.Y.Min-pad, p.Y.Max+pad
	pad = (p.X.Max - p.X.Min) * 0.05
	if pad == 0 {
		pad = 1
	}
	p.X.Min, p.X.Max = p.X.Min-pad, p.X.Max+pad
	return save(p, 16*vg.Centimeter, 10*vg.Centimeter, paths)
}

// errorBars is the XYs and relative YErrors that plotter.NewYErrorBars reads.
type errorBars struct {
	plotter.XYs
	plotter.YErrors
}
