package report

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
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
// the eye reads the curves' heights, not a zoomed-in difference. Several curves are named in
// a legend in the top right corner, above the data: the y axis goes on far enough for its
// rows (legendRoom). Tick labels are trimmed of useless zeros, label 0 when it is in range and
// write millions as 2.5M (readableTicks). A curve breaks at points with no value (NaN); a value
// alone between two such points shows its interval as an error bar (curvePlotters).
func PlotBands(title, xLabel, yLabel string, bands []Band, paths ...string) error {
	p, err := bandsPlot(title, xLabel, yLabel, bands)
	if err != nil {
		return err
	}
	return save(p, bandsWidth, bandsHeight, paths)
}

// The size of PlotBands' and PlotSteps' figures.
const (
	bandsWidth  = 16 * vg.Centimeter
	bandsHeight = 10 * vg.Centimeter
)

// bandsPlot is PlotBands' figure, not yet saved.
func bandsPlot(title, xLabel, yLabel string, bands []Band) (*plot.Plot, error) {
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
			return nil, fmt.Errorf("plot %q: curve %q has %d x, %d y, %d lo and %d hi values", title, b.Name, n, len(b.Y), len(b.Lo), len(b.Hi))
		}
		if n == 0 {
			continue
		}
		c := b.LineColor
		if c == nil {
			c = defaults[k%len(defaults)]
		}
		ps, thumbs, err := curvePlotters(b, c)
		if err != nil {
			return nil, fmt.Errorf("plot %q: %w", title, err)
		}
		p.Add(ps...)
		// One entry per curve, whether its first run is a band or a lone point's bar: the
		// entry shows the curve's line and glyph, which both draw alike.
		if legend && b.Name != "" && len(thumbs) > 0 {
			p.Legend.Add(b.Name+" (95 % CI band)", thumbs...)
		}
	}
	p.Legend.Top = true
	if nonNegative(bands) {
		p.Y.Min = 0
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = readableTicks{}, readableTicks{}
	if legend {
		// The legend sits in the top right corner of the data area, where a rising curve
		// ends: the axis goes on above the data far enough for the legend's rows.
		legendRoom(p, bandsWidth, bandsHeight, p.Y.Max)
	}
	return p, nil
}

// curvePlotters are the plotters of one curve of bandsPlot in colour c, in drawing order, and
// those its legend entry shows (none when no point has a value). A point with no value (NaN:
// a class none of its raids flies) breaks the curve and its band there: drawn through, the
// line would claim values nobody measured. Each run of two or more values gets its shaded
// band under its line; a lone value between two gaps would get a band of no width, its
// interval invisible, so it gets a vertical error bar from Lo to Hi instead.
func curvePlotters(b Band, c color.Color) (ps []plot.Plotter, thumbs []plot.Thumbnailer, err error) {
	r, g, bl, _ := c.RGBA()
	fill := color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 60}
	for _, run := range valueRuns(b.Y) {
		from, to := run[0], run[1]
		if to-from == 1 {
			bar, err := loneBar(b, from, c)
			if err != nil {
				return nil, nil, err
			}
			if bar != nil {
				ps = append(ps, bar) // under the point's glyph
			}
		} else {
			band := make(plotter.XYs, 0, 2*(to-from))
			for i := from; i < to; i++ {
				band = append(band, plotter.XY{X: b.X[i], Y: finiteOr(b.Hi[i], b.Y[i])})
			}
			for i := to - 1; i >= from; i-- {
				band = append(band, plotter.XY{X: b.X[i], Y: finiteOr(b.Lo[i], b.Y[i])})
			}
			poly, err := plotter.NewPolygon(band)
			if err != nil {
				return nil, nil, err
			}
			poly.Color = fill
			poly.LineStyle.Width = 0
			ps = append(ps, poly)
		}
		line := make(plotter.XYs, 0, to-from)
		for i := from; i < to; i++ {
			line = append(line, plotter.XY{X: b.X[i], Y: b.Y[i]})
		}
		l, pts, err := plotter.NewLinePoints(line)
		if err != nil {
			return nil, nil, err
		}
		l.Color, pts.Color = c, c
		l.Width = vg.Points(1.5)
		ps = append(ps, l, pts)
		if thumbs == nil {
			thumbs = []plot.Thumbnailer{l, pts}
		}
	}
	return ps, thumbs, nil
}

// loneBar is the error bar of b's lone point i, from Lo[i] to Hi[i] in the curve's colour c
// (the band's hue: at the band's own transparency a line this thin would hardly show), like
// PlotSteps' bars; nil when neither bound is finite or the interval has no width, as a band
// has none there. A non-finite bound is drawn as the estimate, as in a band.
func loneBar(b Band, i int, c color.Color) (*plotter.YErrorBars, error) {
	y := b.Y[i]
	low, high := y-finiteOr(b.Lo[i], y), finiteOr(b.Hi[i], y)-y
	if low == 0 && high == 0 {
		return nil, nil
	}
	bar, err := plotter.NewYErrorBars(errorBars{
		XYs:     plotter.XYs{{X: b.X[i], Y: y}},
		YErrors: plotter.YErrors{{Low: low, High: high}},
	})
	if err != nil {
		return nil, err
	}
	bar.Color, bar.Width = c, vg.Points(1.2)
	return bar, nil
}

// legendGap is the room left between a legend and the data below it: more than the radius
// of the data's glyphs (plotter.DefaultGlyphStyle's, 2.5 pt).
var legendGap = vg.Points(4)

// legendHeight is the height p's legend takes from the top of its data area down: its rows,
// the padding between them and the last row's descent (plot.Legend.Draw), and legendGap.
func legendHeight(p *plot.Plot) vg.Length {
	return p.Legend.Rectangle(draw.Canvas{}).Size().Y + p.Legend.TextStyle.FontExtents().Descent + legendGap
}

// legendRoom raises the top of p's y axis so that no data up to the value top lies under the
// legend, drawn from the top of the data area down (p.Legend.Top) when p is drawn at w × h
// (within its margin, framed): with the data area H high from its bottom b, and the
// legend's bottom at L, top must map to at most L, i.e. Y.Max ≥ Y.Min + (top − Y.Min)·H/(L − b). The area's padding for glyphs
// on its edge changes with Y.Max, so the rule is applied until it holds (a few rounds).
func legendRoom(p *plot.Plot, w, h vg.Length, top float64) {
	full := framed(draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: h}}})
	// The legend is drawn from the top of the area under the title (plot.Plot.Draw).
	areaTop := full.Max.Y
	if p.Title.Text != "" {
		areaTop -= p.Title.TextStyle.Rectangle(p.Title.Text).Size().Y + p.Title.Padding
	}
	legendBottom := areaTop - legendHeight(p)
	for range 5 {
		dc := p.DataCanvas(full)
		free, height := legendBottom-dc.Min.Y, dc.Max.Y-dc.Min.Y
		if free <= 0 || !(top > p.Y.Min) {
			return // no room below the legend at all, or no data above the bottom
		}
		want := p.Y.Min + (top-p.Y.Min)*float64(height/free)
		if want <= p.Y.Max {
			return
		}
		p.Y.Max = want
	}
}

// trimmedTicks is plot.DefaultTicks without the zeros that every label ends in: DefaultTicks
// writes all labels with the decimals the finest one needs, so 0, 25 and 50 become "0.00",
// "25.00" and "50.00" when the step is 25, and "0.00", "2.50", "5.00" keep one decimal more
// than "0.0", "2.5", "5.0" need. Labels in exponent form are left as they are.
type trimmedTicks struct{}

// Ticks returns DefaultTicks' ticks with their labels trimmed.
func (trimmedTicks) Ticks(min, max float64) []plot.Tick {
	return trimZeros(plot.DefaultTicks{}.Ticks(min, max))
}

// readableTicks is trimmedTicks where its ticks read well, and ticks of its own where they
// do not: plot.DefaultTicks chooses ticks near the ends of the data, not through 0, and
// writes large values in exponent form. So a steps plot got −0.175, −0.075 and 0.025 with its
// dashed zero line unlabelled, and a cost sweep only "0" and "2.5e+07". The ticks are
// replaced (zeroTicks) when
//   - 0 is in the axis's range but has no label: it is the reference a reader looks for;
//   - fewer than three ticks are labelled: two labels give the scale but little to read by;
//   - a label is in exponent form or has seven digits or more: millions and billions are
//     written 2.5M and 1.5B, as adsim writes money (Money), and "10M" is read at a glance
//     where "10000000" needs its zeros counted.
type readableTicks struct{}

// Ticks returns trimmedTicks' ticks if they read well, else zeroTicks'.
func (readableTicks) Ticks(min, max float64) []plot.Tick {
	ticks := trimmedTicks{}.Ticks(min, max)
	if readable(ticks, min, max) {
		return ticks
	}
	if z := zeroTicks(min, max); z != nil {
		return z
	}
	return ticks
}

// readable reports whether ticks on the axis [min, max] label 0 if it is in range, label at
// least three values, and write none in exponent form or with seven digits or more.
func readable(ticks []plot.Tick, min, max float64) bool {
	labelled, zero := 0, !(min <= 0 && 0 <= max)
	for _, t := range ticks {
		if t.Label == "" {
			continue
		}
		labelled++
		if strings.ContainsAny(t.Label, "eE") || math.Abs(t.Value) >= 1e6 {
			return false
		}
		if math.Abs(t.Value) <= 1e-9*(max-min) {
			zero = true
		}
	}
	return zero && labelled >= 3
}

// zeroTicks labels the multiples of the largest round step — 1, 2, 2.5 or 5 times a power of
// ten — of which at least four lie in [min, max]: multiples of a step, so 0 among them when
// it is in range, and four labels, not DefaultTicks' three, since it is called where those
// did not read well (0, 10M and 20M on a cost axis leave the reader to guess 15M). The labels all have the decimals the step needs (0.05: two, "0.00" at 0,
// as trimZeros keeps them), with values of a million and more in millions ("2.5M") or
// billions ("1.5B"), and 0 then as "0". Minor ticks divide each step in five (two for a step of 2). nil if the
// range is empty or not finite.
func zeroTicks(min, max float64) []plot.Tick {
	span := max - min
	if !(span > 0) || math.IsInf(span, 0) {
		return nil
	}
	for e := math.Floor(math.Log10(span)); e > math.Floor(math.Log10(span))-3; e-- {
		for _, m := range []float64{5, 2.5, 2, 1} {
			step := m * math.Pow(10, e)
			// A tolerance of a millionth of a step, so that an end of the range that is a
			// multiple but for rounding is labelled.
			first, last := math.Ceil(min/step-1e-6), math.Floor(max/step+1e-6)
			if last-first+1 < 4 {
				continue
			}
			unit, suffix := magnitude(math.Max(math.Abs(first*step), math.Abs(last*step)), false)
			decimals := stepDecimals(step / unit)
			var ticks []plot.Tick
			for k := first; k <= last; k++ {
				v := k * step
				label := strconv.FormatFloat(v/unit, 'f', decimals, 64)
				switch {
				case k == 0 && suffix != "":
					label = "0" // among 0.5M and 1.0M, "0.0" would read as a number without its unit
				case k == 0:
					label = strconv.FormatFloat(0, 'f', decimals, 64) // not "-0.00"
				default:
					label += suffix
				}
				ticks = append(ticks, plot.Tick{Value: v, Label: label})
			}
			minor := step / 5
			if m == 2 {
				minor = step / 2
			}
			for k := math.Ceil(min / minor); k*minor <= max; k++ {
				if math.Mod(math.Abs(k), step/minor) != 0 {
					ticks = append(ticks, plot.Tick{Value: k * minor})
				}
			}
			return ticks
		}
	}
	return nil
}

// stepDecimals is the number of decimals that writes every multiple of step exactly (up to
// rounding): 0 for 5 or 20, 1 for 2.5, 2 for 0.05.
func stepDecimals(step float64) int {
	for d := 0; d < 12; d++ {
		x := step * math.Pow(10, float64(d))
		if math.Abs(x-math.Round(x)) < 1e-6*x {
			return d
		}
	}
	return 12
}

// trimZeros drops the trailing zeros common to every label's decimals (so that the labels
// keep one number of decimals between them). Labels that do not all have the same number of
// decimals (DefaultTicks' 'g' format, for very small or large values) are left as they are.
func trimZeros(ticks []plot.Tick) []plot.Tick {
	keep, decimals := 0, -1
	for _, t := range ticks {
		if t.Label == "" {
			continue // a minor tick
		}
		_, frac, _ := strings.Cut(t.Label, ".")
		if strings.ContainsAny(t.Label, "eE") || (decimals >= 0 && len(frac) != decimals) {
			return ticks
		}
		decimals, keep = len(frac), max(keep, len(strings.TrimRight(frac, "0")))
	}
	out := make([]plot.Tick, len(ticks))
	for i, t := range ticks {
		if whole, frac, ok := strings.Cut(t.Label, "."); ok {
			t.Label = whole
			if keep > 0 {
				t.Label += "." + frac[:keep]
			}
			if strings.Trim(t.Label, "-0.") == "" {
				t.Label = strings.TrimPrefix(t.Label, "-") // not "-0"
			}
		}
		out[i] = t
	}
	return out
}

// save writes the plot to each path, in the format of its extension, w × h with a margin
// (framed).
func save(p *plot.Plot, w, h vg.Length, paths []string) error {
	return saveDrawing(w, h, paths, func(c draw.Canvas) { p.Draw(framed(c)) })
}

// figureMargin is the blank margin around a figure: gonum draws the widest tick label (a
// tornado chart's factor names) from the very left edge and a legend's swatches up to the
// right edge, where they touch the frame of whatever shows the image, and an SVG viewer that
// draws the text in a wider font than Liberation Serif cuts off what overflows.
var figureMargin = vg.Points(8)

// framed is c less figureMargin on every side: where a figure is drawn. A layout computed
// before the drawing (legendRoom, a heat map's colour bar) computes it on the same canvas.
func framed(c draw.Canvas) draw.Canvas {
	return draw.Crop(c, figureMargin, -figureMargin, figureMargin, -figureMargin)
}

// saveDrawing draws a figure w × h (fn draws it on the whole canvas) and writes it to each
// path, in the format of its extension.
func saveDrawing(w, h vg.Length, paths []string, fn func(draw.Canvas)) error {
	for _, path := range paths {
		ext := strings.ToLower(filepath.Ext(path))
		switch ext {
		case ".png", ".svg", ".pdf", ".eps":
		default:
			return fmt.Errorf("plot %s: unknown image format %q (use .png, .svg, .pdf or .eps)", path, ext)
		}
		c, err := draw.NewFormattedCanvas(w, h, ext[1:])
		if err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
		dc := draw.New(c)
		// The margin is white like the plot's own background (plot.Plot.Draw fills only the
		// framed canvas): an SVG is otherwise transparent there.
		dc.SetColor(color.White)
		dc.Fill(dc.Rectangle.Path())
		fn(dc)
		if err := writeTo(path, c); err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
	}
	return nil
}

// writeTo writes the image c to path, closing the file before it returns.
func writeTo(path string, c io.WriterTo) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := c.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// valueRuns are the runs [from, to) of y without NaN: the pieces of a curve with gaps.
func valueRuns(y []float64) [][2]int {
	var out [][2]int
	for from := 0; from < len(y); {
		if math.IsNaN(y[from]) {
			from++
			continue
		}
		to := from
		for to < len(y) && !math.IsNaN(y[to]) {
			to++
		}
		out = append(out, [2]int{from, to})
		from = to
	}
	return out
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
//
// LowBound and HighBound mark an interval that is a bound rather than an estimate: the
// effect was the same in every replication (mc.Paired.CIWithin), and the interval reaches as
// far as the metric could go in the replications not seen — a factor that changed nothing
// reads ±$30M of defence cost. Such a whisker does not set the axis (it would shrink every
// measured effect to a sliver): it is drawn dashed and cut at the frame, unless no other bar
// or whisker gives the axis a width.
type TornadoBar struct {
	Name                 string
	Low, LowLo, LowHi    float64
	High, HighLo, HighHi float64
	LowBound, HighBound  bool
}

// PlotTornado draws a tornado chart — one row per factor, top to bottom in the order given
// (largest effect first, by convention), a bar from 0 to the effect of the factor's low value
// (upper half of the row) and of its high value (lower half), each with its 95 % interval as
// a whisker — and saves it to each path like PlotBands. The height grows with the rows, and
// the legend has a band of its own above the top bar.
func PlotTornado(title, xLabel, lowName, highName string, bars []TornadoBar, paths ...string) error {
	p, w, h, err := tornadoPlot(title, xLabel, lowName, highName, bars)
	if err != nil {
		return err
	}
	return save(p, w, h, paths)
}

// tornadoPlot is PlotTornado's figure, not yet saved, and its size.
func tornadoPlot(title, xLabel, lowName, highName string, bars []TornadoBar) (p *plot.Plot, w, h vg.Length, err error) {
	if len(bars) == 0 {
		return nil, 0, 0, fmt.Errorf("plot %q: no factors", title)
	}
	p = plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Add(plotter.NewGrid())
	lowC, highC := color.RGBA{31, 119, 180, 255}, color.RGBA{214, 39, 40, 255}
	names := make([]string, len(bars))
	// The whiskers that are bounds, added once the axis is set.
	type whisker struct {
		y, lo, hi float64
		c         color.RGBA
	}
	var bounds []whisker
	addBar := func(y0, y1, x, lo, hi float64, bound bool, c color.RGBA, legend string) error {
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
			if bound {
				bounds = append(bounds, whisker{ym, lo, hi, c})
			} else {
				l, err := plotter.NewLine(plotter.XYs{{X: lo, Y: ym}, {X: hi, Y: ym}})
				if err != nil {
					return err
				}
				l.Color, l.Width = c, vg.Points(1.2)
				p.Add(l)
			}
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
		if err := addBar(y, y+tornadoHalf, b.Low, b.LowLo, b.LowHi, b.LowBound, lowC, lowLegend); err != nil {
			return nil, 0, 0, fmt.Errorf("plot %q: %w", title, err)
		}
		if err := addBar(y-tornadoHalf, y, b.High, b.HighLo, b.HighHi, b.HighBound, highC, highLegend); err != nil {
			return nil, 0, 0, fmt.Errorf("plot %q: %w", title, err)
		}
	}
	// The bars span −tornadoHalf to n − 1 + tornadoHalf; the axis leaves the same margin at
	// both ends, and legendRoom then adds the legend's band on top.
	top := float64(len(bars)) - 1 + tornadoHalf
	lo, hi := -tornadoHalf-0.22, top+0.22
	zero, err := plotter.NewLine(plotter.XYs{{X: 0, Y: lo}, {X: 0, Y: hi}})
	if err != nil {
		return nil, 0, 0, fmt.Errorf("plot %q: %w", title, err)
	}
	zero.Color = color.Black
	p.Add(zero)
	p.NominalY(names...)
	// A whisker has no cap: ending on the frame, it would look cut off. The axis goes on a
	// little beyond the furthest bar or whisker (and always shows 0, where the bars start).
	p.X.Min, p.X.Max = math.Min(p.X.Min, 0), math.Max(p.X.Max, 0)
	if p.X.Min == p.X.Max {
		// Nothing but bounds (no factor changed anything): they are all there is to show.
		for _, b := range bounds {
			p.X.Min, p.X.Max = math.Min(p.X.Min, b.lo), math.Max(p.X.Max, b.hi)
		}
	}
	pad := (p.X.Max - p.X.Min) * 0.04
	if pad == 0 {
		pad = 1 // no effect at all: an axis from −1 to 1 around the zero line
	}
	p.X.Min, p.X.Max = p.X.Min-pad, p.X.Max+pad
	for _, b := range bounds {
		lo, hi := math.Max(b.lo, p.X.Min), math.Min(b.hi, p.X.Max)
		if !(lo <= hi) {
			continue
		}
		l, err := plotter.NewLine(plotter.XYs{{X: lo, Y: b.y}, {X: hi, Y: b.y}})
		if err != nil {
			return nil, 0, 0, fmt.Errorf("plot %q: %w", title, err)
		}
		l.Color, l.Width, l.Dashes = b.c, vg.Points(1.2), []vg.Length{vg.Points(4), vg.Points(2)}
		p.Add(l)
	}
	p.X.Tick.Marker = readableTicks{}
	p.Y.Min, p.Y.Max = lo, hi
	p.Legend.Top = true
	// The figure grows by the legend's height, so that the legend's band does not squeeze
	// the bars.
	w, h = 20*vg.Centimeter, 3*vg.Centimeter+vg.Length(len(bars))*0.7*vg.Centimeter+legendHeight(p)
	legendRoom(p, w, h, hi)
	return p, w, h, nil
}

// tornadoHalf is the height of one of a tornado row's two bars, in rows.
const tornadoHalf = 0.38

// Step is one step of a sweep: the paired difference of a metric at X from the point before,
// with its 95 % interval [Lo, Hi] and whether it differs from zero at p < 0.05. Bound marks
// an interval that is a bound, not an estimate (the same difference in every replication; see
// TornadoBar): its bar does not set the axis, and is drawn dashed and cut at the frame.
type Step struct {
	X, Est, Lo, Hi float64
	Significant    bool
	Bound          bool
}

// PlotSteps draws a sweep's steps — each the paired difference from the point before, at the
// later point's X, with its 95 % interval as an error bar — against the zero line, and saves
// the figure to each path like PlotBands. A significant step is a filled disc, one that is
// not an open ring, so the eye finds where the curve really moves: two points' own bands can
// overlap while their paired difference, on common random numbers, is clearly not zero.
// Steps with a NaN estimate are not drawn; non-finite bounds draw no bar.
func PlotSteps(title, xLabel, yLabel string, steps []Step, paths ...string) error {
	p, err := stepsPlot(title, xLabel, yLabel, steps)
	if err != nil {
		return err
	}
	return save(p, bandsWidth, bandsHeight, paths)
}

// stepsPlot is PlotSteps's figure, not yet saved.
func stepsPlot(title, xLabel, yLabel string, steps []Step) (*plot.Plot, error) {
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
	var bounds []Step
	for _, s := range steps {
		if math.IsNaN(s.Est) || math.IsInf(s.Est, 0) || !finite(s.X) {
			continue
		}
		if s.Significant {
			sig = append(sig, plotter.XY{X: s.X, Y: s.Est})
		} else {
			not = append(not, plotter.XY{X: s.X, Y: s.Est})
		}
		switch {
		case !finite(s.Lo) || !finite(s.Hi):
		case s.Bound:
			bounds = append(bounds, s)
		default:
			bars.XYs = append(bars.XYs, plotter.XY{X: s.X, Y: s.Est})
			bars.YErrors = append(bars.YErrors, struct{ Low, High float64 }{s.Est - s.Lo, s.Hi - s.Est})
		}
	}
	if len(sig)+len(not) == 0 {
		return nil, fmt.Errorf("plot %q: no step to draw", title)
	}
	if len(bars.XYs) > 0 {
		eb, err := plotter.NewYErrorBars(bars)
		if err != nil {
			return nil, fmt.Errorf("plot %q: %w", title, err)
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
			return nil, fmt.Errorf("plot %q: %w", title, err)
		}
		sc.Color, sc.Shape, sc.Radius = c, set.glyph, vg.Points(3.5)
		p.Add(sc)
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = readableTicks{}, readableTicks{}
	// The key goes in the title: a legend box would sit on the steps, which tend to grow
	// towards the last point, where a legend's corner is.
	p.Title.Text += "\nfilled: differs from 0 (p < 0.05), open: does not; bars: 95 % CI"
	// The zero line is the reference: always in view. The outermost steps get some room, so
	// that their marks do not sit on the frame.
	p.Y.Min, p.Y.Max = math.Min(p.Y.Min, 0), math.Max(p.Y.Max, 0)
	if p.Y.Min == p.Y.Max {
		// Nothing but bounds (no step changed anything): they are all there is to show.
		for _, b := range bounds {
			p.Y.Min, p.Y.Max = math.Min(p.Y.Min, b.Lo), math.Max(p.Y.Max, b.Hi)
		}
	}
	pad := (p.Y.Max - p.Y.Min) * 0.05
	if pad == 0 {
		pad = 1
	}
	p.Y.Min, p.Y.Max = p.Y.Min-pad, p.Y.Max+pad
	pad = (p.X.Max - p.X.Min) * 0.05
	if pad == 0 {
		pad = 1
	}
	p.X.Min, p.X.Max = p.X.Min-pad, p.X.Max+pad
	for _, b := range bounds {
		lo, hi := math.Max(b.Lo, p.Y.Min), math.Min(b.Hi, p.Y.Max)
		if !(lo <= hi) {
			continue
		}
		l, err := plotter.NewLine(plotter.XYs{{X: b.X, Y: lo}, {X: b.X, Y: hi}})
		if err != nil {
			return nil, fmt.Errorf("plot %q: %w", title, err)
		}
		l.Color, l.Width, l.Dashes = c, vg.Points(1.2), []vg.Length{vg.Points(4), vg.Points(2)}
		p.Add(l)
	}
	return p, nil
}

// errorBars is the XYs and relative YErrors that plotter.NewYErrorBars reads.
type errorBars struct {
	plotter.XYs
	plotter.YErrors
}
