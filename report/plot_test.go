package report

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
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
		{"lone points in a legend", []Band{band("capital", 2, math.NaN(), 3), band("ground", math.NaN(), 4, 5)}, "f.svg",
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

// drawing is a plot drawn on a recorder at w × h: what it filled, in which colour, and where
// it wrote which text.
type drawing struct {
	fills []filled
	texts []*recorder.FillString
}

type filled struct {
	c   color.Color
	top vg.Length // the highest point of the path
}

func record(p *plot.Plot, w, h vg.Length) drawing {
	rec := new(recorder.Canvas)
	p.Draw(framed(draw.NewCanvas(rec, w, h)))
	var d drawing
	var c color.Color
	for _, a := range rec.Actions {
		switch a := a.(type) {
		case *recorder.SetColor:
			c = a.Color
		case *recorder.Fill:
			top := vg.Length(math.Inf(-1))
			for _, pc := range a.Path {
				top = max(top, pc.Pos.Y)
			}
			d.fills = append(d.fills, filled{c, top})
		case *recorder.FillString:
			d.texts = append(d.texts, a)
		}
	}
	return d
}

// bottomOf is the lowest point of the texts drawn with the given strings: the lowest
// baseline less the font's descent.
func (d drawing) bottomOf(t *testing.T, strs []string, descent vg.Length) vg.Length {
	t.Helper()
	bottom, found := vg.Length(math.Inf(1)), 0
	for _, x := range d.texts {
		for _, s := range strs {
			if x.String == s {
				bottom, found = min(bottom, x.Point.Y-descent), found+1
			}
		}
	}
	if found != len(strs) {
		t.Fatalf("found %d of the texts %q", found, strs)
	}
	return bottom
}

// TestLegendAboveTheData draws curves that all rise to the top right corner, where the legend
// is, and finds in the drawing itself (a recorder of the drawing operations, not the
// arithmetic that placed the axis) that the highest band ends below the legend's last row by
// at least the radius of a point's glyph (2.5 pt), for 2 to 8 curves; the same for the top
// bar of a tornado chart, with 1 to 20 factors.
func TestLegendAboveTheData(t *testing.T) {
	glyph := vg.Points(2.5)
	for _, n := range []int{2, 3, 5, 8} {
		t.Run(fmt.Sprintf("%d curves", n), func(t *testing.T) {
			var bands []Band
			var names []string
			for k := range n {
				b := Band{Name: fmt.Sprintf("c2.doctrine=curve %d", k)}
				for i, x := range []float64{12, 22, 32, 42, 52} {
					y := float64(i*i) * float64(k+1)
					b.X, b.Y, b.Lo, b.Hi = append(b.X, x), append(b.Y, y), append(b.Lo, 0.8*y), append(b.Hi, 1.2*y+1)
				}
				bands = append(bands, b)
				names = append(names, b.Name+" (95 % CI band)")
			}
			p, err := bandsPlot("asset value lost over raids[0].count\ncapital, 200 replications per point", "raids[0].count", "value lost", bands)
			if err != nil {
				t.Fatal(err)
			}
			if top := bands[n-1].Hi[4]; !(p.Y.Max > top) {
				t.Errorf("the y axis ends at %g, at or below the data's top %g", p.Y.Max, top)
			}
			d := record(p, bandsWidth, bandsHeight)
			var dataTop vg.Length
			for _, f := range d.fills {
				if _, _, _, a := f.c.RGBA(); a == 60*0x101 { // the bands' fill (alpha 60)
					dataTop = max(dataTop, f.top)
				}
			}
			legend := d.bottomOf(t, names, p.Legend.TextStyle.FontExtents().Descent)
			if dataTop+glyph > legend {
				t.Errorf("the highest band reaches %.1f pt, the legend's last row %.1f pt", dataTop, legend)
			}
		})
	}
	for _, n := range []int{1, 2, 6, 20} {
		t.Run(fmt.Sprintf("tornado of %d", n), func(t *testing.T) {
			bars := make([]TornadoBar, n)
			for i := range bars {
				// The top bar reaches furthest right, under the legend.
				e := float64(n - i)
				bars[i] = TornadoBar{Name: fmt.Sprintf("f%d", i), Low: -e, LowLo: -e - 1, LowHi: -e + 1, High: e, HighLo: e - 1, HighHi: e + 1}
			}
			p, w, h, err := tornadoPlot("capital: effect on value lost\n100 replications", "change", "low value", "high value", bars)
			if err != nil {
				t.Fatal(err)
			}
			d := record(p, w, h)
			// The bars' fills (alpha 150); the legend's two thumbnails are the last two.
			var barTop vg.Length
			var bars150 []filled
			for _, f := range d.fills {
				if _, _, _, a := f.c.RGBA(); a == 150*0x101 {
					bars150 = append(bars150, f)
				}
			}
			if len(bars150) != 2*n+2 {
				t.Fatalf("%d bars and thumbnails drawn, want %d", len(bars150), 2*n+2)
			}
			for _, f := range bars150[:2*n] {
				barTop = max(barTop, f.top)
			}
			legend := d.bottomOf(t, []string{"low value (95 % CI whisker)", "high value (95 % CI whisker)"}, p.Legend.TextStyle.FontExtents().Descent)
			if barTop > legend {
				t.Errorf("the top bar reaches %.1f pt, the legend's last row %.1f pt", barTop, legend)
			}
		})
	}
}

// TestTrimmedTicks: tick labels lose the zeros that every label ends in, and keep one number
// of decimals between them; the value each label says is the tick's. The hand-checked cases
// are labels plot.DefaultTicks writes with two decimals for a step of 25 or 2.5.
func TestTrimmedTicks(t *testing.T) {
	cases := []struct {
		in, want []string
	}{
		{[]string{"0.00", "25.00", "50.00"}, []string{"0", "25", "50"}},
		{[]string{"0.00", "2.50", "", "5.00"}, []string{"0.0", "2.5", "", "5.0"}}, // "": a minor tick
		{[]string{"0.00", "0.25", "0.50"}, []string{"0.00", "0.25", "0.50"}},
		{[]string{"-0.50", "-0.00", "0.50"}, []string{"-0.5", "0.0", "0.5"}},
		{[]string{"-0.00", "1.00"}, []string{"0", "1"}},
		{[]string{"0", "30", "60"}, []string{"0", "30", "60"}},
		{[]string{"1e-05", "1.50e-05"}, []string{"1e-05", "1.50e-05"}}, // exponent form: as it is
	}
	for _, c := range cases {
		var ticks []plot.Tick
		for _, l := range c.in {
			ticks = append(ticks, plot.Tick{Label: l})
		}
		var got []string
		for _, tk := range trimZeros(ticks) {
			got = append(got, tk.Label)
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
		}
	}
	// On plot.DefaultTicks' own ticks: every label still says its tick's value, and no two
	// labelled ticks all end in a 0 after the point.
	for _, r := range [][2]float64{{0, 55}, {0, 5}, {0, 0.5}, {0, 1.2}, {-3, 3}, {0, 99}, {12, 52}, {0, 2e6}, {0.001, 0.0013}} {
		var decimals []string
		for _, tk := range (trimmedTicks{}).Ticks(r[0], r[1]) {
			if tk.Label == "" {
				continue
			}
			v, err := strconv.ParseFloat(tk.Label, 64)
			if err != nil || math.Abs(v-tk.Value) > 1e-9*math.Max(1, math.Abs(tk.Value)) {
				t.Errorf("range %v: label %q at %g", r, tk.Label, tk.Value)
			}
			if _, frac, ok := strings.Cut(tk.Label, "."); ok {
				decimals = append(decimals, frac)
			}
		}
		if len(decimals) > 0 && !slices.ContainsFunc(decimals, func(f string) bool { return !strings.HasSuffix(f, "0") }) {
			t.Errorf("range %v: every label ends in 0: %q", r, decimals)
		}
	}
}

// TestBandsBreakAtNaN: a point with no value breaks the curve and its band there (a line
// and a band per run of values), instead of the curve running through it.
func TestBandsBreakAtNaN(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		y    []float64
		want [][2]int
	}{
		{[]float64{1, 2, 3, 4}, [][2]int{{0, 4}}},
		{[]float64{1, nan, 3, 4}, [][2]int{{0, 1}, {2, 4}}},
		{[]float64{nan, 2, nan, 4}, [][2]int{{1, 2}, {3, 4}}},
		{[]float64{1, 2, nan, nan}, [][2]int{{0, 2}}},
		{[]float64{nan}, nil},
	} {
		if got := valueRuns(c.y); !slices.Equal(got, c.want) {
			t.Errorf("%v: runs %v, want %v", c.y, got, c.want)
		}
		b := Band{X: make([]float64, len(c.y)), Y: c.y, Lo: c.y, Hi: c.y}
		if _, err := bandsPlot("t", "x", "y", []Band{b}); err != nil {
			t.Errorf("%v: %v", c.y, err)
		}
	}
}

// TestLoneIntervals: a value alone between points without one (its run of one has a band of
// no width) shows its interval as an error bar in the curve's colour, from Lo to Hi and under
// its glyph, while a run of two or more values keeps its shaded band and gets no bar; a lone
// value with no finite bound or no width to its interval gets neither, as a band has none
// there. The plotters are curvePlotters', which bandsPlot adds as they are; the drawing of
// bandsPlot's figure then has a vertical stroke in the curve's colour for each bar.
func TestLoneIntervals(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	type bar struct{ x, lo, hi float64 } // an error bar: at x, from lo to hi
	cases := []struct {
		name      string
		y, lo, hi []float64
		bars      []bar
		bands     int // polygons
		noLegend  bool
	}{
		{"lone points", []float64{1, nan, 2, nan, 3}, []float64{0.5, nan, 1.5, nan, 2}, []float64{2, nan, 2.5, nan, 3.5},
			[]bar{{10, 0.5, 2}, {30, 1.5, 2.5}, {50, 2, 3.5}}, 0, false},
		{"a run and a lone point", []float64{1, 2, nan, 4}, []float64{0, 1, nan, 3}, []float64{2, 3, nan, 5},
			[]bar{{40, 3, 5}}, 1, false},
		{"one run", []float64{1, 2, 3}, []float64{0, 1, 2}, []float64{2, 3, 4}, nil, 1, false},
		{"a lone point first", []float64{nan, 2, nan, 4, 5}, []float64{nan, 1, nan, 3, 4}, []float64{nan, 3, nan, 5, 6},
			[]bar{{20, 1, 3}}, 1, false},
		{"infinite bounds", []float64{1, nan, 3}, []float64{-inf, nan, 2}, []float64{inf, nan, inf},
			[]bar{{30, 2, 3}}, 0, false},
		{"no width", []float64{1, nan}, []float64{1, nan}, []float64{1, nan}, nil, 0, false},
		{"no value", []float64{nan, nan}, []float64{nan, nan}, []float64{nan, nan}, nil, 0, true},
	}
	c := color.RGBA{90, 60, 30, 255} // none of bandsPlot's defaults, which the second curve takes
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := Band{Name: "capital", Y: tc.y, Lo: tc.lo, Hi: tc.hi, LineColor: c}
			for i := range tc.y {
				b.X = append(b.X, float64(10*(i+1)))
			}
			ps, thumbs, err := curvePlotters(b, c)
			if err != nil {
				t.Fatal(err)
			}
			if (len(thumbs) == 0) != tc.noLegend {
				t.Errorf("%d legend thumbnails", len(thumbs))
			}
			var bars []bar
			bands := 0
			for i, p := range ps {
				switch p := p.(type) {
				case *plotter.Polygon:
					bands++
				case *plotter.YErrorBars:
					if p.Color != c {
						t.Errorf("a bar in %v, want the curve's %v", p.Color, c)
					}
					for j, xy := range p.XYs {
						bars = append(bars, bar{xy.X, xy.Y - p.YErrors[j].Low, xy.Y + p.YErrors[j].High})
					}
					// Under its glyph: the run's line and scatter come after it.
					if i+2 >= len(ps) {
						t.Errorf("bar %d of %d plotters: drawn last", i, len(ps))
					} else if sc, ok := ps[i+2].(*plotter.Scatter); !ok || sc.XYs[0].X != p.XYs[0].X {
						t.Errorf("bar at %g not followed by its point's glyph", p.XYs[0].X)
					}
				}
			}
			if !slices.Equal(bars, tc.bars) {
				t.Errorf("bars %v, want %v", bars, tc.bars)
			}
			if bands != tc.bands {
				t.Errorf("%d bands, want %d", bands, tc.bands)
			}

			// The figure draws them: a vertical stroke in the curve's colour per bar (its
			// line strokes run between distinct x, its caps and legend line are horizontal),
			// with a second curve in another colour so that the figure has a legend.
			p, err := bandsPlot("t", "x", "y", []Band{b, {Name: "other", X: []float64{10}, Y: []float64{1}, Lo: []float64{0}, Hi: []float64{2}}})
			if err != nil {
				t.Fatal(err)
			}
			rec := new(recorder.Canvas)
			p.Draw(framed(draw.NewCanvas(rec, bandsWidth, bandsHeight)))
			var stroke color.Color
			vertical := 0
			for _, a := range rec.Actions {
				switch a := a.(type) {
				case *recorder.SetColor:
					stroke = a.Color
				case *recorder.Stroke:
					if stroke == c && len(a.Path) == 2 && a.Path[1].Type == vg.LineComp &&
						a.Path[0].Pos.X == a.Path[1].Pos.X && a.Path[0].Pos.Y != a.Path[1].Pos.Y {
						vertical++
					}
				}
			}
			if vertical != len(tc.bars) {
				t.Errorf("%d vertical strokes in the curve's colour drawn, want %d", vertical, len(tc.bars))
			}
		})
	}
}

// TestReadableTicks: an axis through 0 labels 0, has at least three labels, and writes
// millions and billions as 2.5M and 1.5B; where plot.DefaultTicks' own ticks do all that
// (trimmed, trimmedTicks) they are kept. The first cases are the review's: a steps plot
// whose ticks were −0.175, −0.075 and 0.025 around its zero line, and a cost sweep with only
// "0" and "2.5e+07".
func TestReadableTicks(t *testing.T) {
	cases := []struct {
		min, max float64
		want     []string // the labels, in order
	}{
		{-0.19, 0.035, []string{"-0.15", "-0.10", "-0.05", "0.00"}},
		{0, 2.8e7, []string{"0", "5M", "10M", "15M", "20M", "25M"}},
		{0, 3e7, []string{"0", "10M", "20M", "30M"}},
		{0, 9.6e6, []string{"0", "2.5M", "5.0M", "7.5M"}},
		{-1.2e6, 3e5, []string{"-1.00M", "-0.75M", "-0.50M", "-0.25M", "0", "0.25M"}},
		{2.1e9, 2.9e9, []string{"2.2B", "2.4B", "2.6B", "2.8B"}},
		{-3, 3, []string{"-3", "0", "3"}},          // DefaultTicks' own
		{0, 55, []string{"0", "25", "50"}},         // DefaultTicks' own
		{12, 52, []string{"20", "30", "40", "50"}}, // no 0 in range: DefaultTicks' own
	}
	for _, c := range cases {
		ticks := readableTicks{}.Ticks(c.min, c.max)
		var got []string
		for _, tk := range ticks {
			if tk.Label == "" {
				if tk.Value < c.min || tk.Value > c.max {
					t.Errorf("[%g, %g]: a minor tick at %g, out of range", c.min, c.max, tk.Value)
				}
				continue
			}
			got = append(got, tk.Label)
			// Every label says its tick's value.
			num, unit := tk.Label, 1.0
			if s, ok := strings.CutSuffix(num, "M"); ok {
				num, unit = s, 1e6
			} else if s, ok := strings.CutSuffix(num, "B"); ok {
				num, unit = s, 1e9
			}
			v, err := strconv.ParseFloat(num, 64)
			if err != nil || math.Abs(v*unit-tk.Value) > 1e-9*math.Max(1, math.Abs(tk.Value)) {
				t.Errorf("[%g, %g]: label %q at %g", c.min, c.max, tk.Label, tk.Value)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("[%g, %g]: labels %q, want %q", c.min, c.max, got, c.want)
		}
	}
	// On many ranges: 0 labelled when in range, at least three labels (four when replaced), none in exponent form.
	for _, lo := range []float64{-7.3e7, -2.2e6, -13, -0.4, -0.012, 0, 0.3, 5} {
		for _, span := range []float64{0.004, 0.07, 1.3, 22, 480, 9e5, 3.3e6, 8.1e8} {
			hi := lo + span
			labels, zero := 0, !(lo <= 0 && 0 <= hi)
			for _, tk := range (readableTicks{}).Ticks(lo, hi) {
				if tk.Label == "" {
					continue
				}
				labels++
				zero = zero || tk.Value == 0
				if strings.ContainsAny(tk.Label, "eE") {
					t.Errorf("[%g, %g]: label %q", lo, hi, tk.Label)
				}
			}
			if labels < 3 || !zero {
				t.Errorf("[%g, %g]: %d labels, 0 labelled: %v", lo, hi, labels, zero)
			}
		}
	}
}

// TestInFrame: nothing a figure draws — a tornado chart's long factor names on the left, its
// legend's swatches on the right, a sweep's legend — comes nearer the image's left and right
// edges than 5 pt, measured in the drawing with the plot's own fonts.
func TestInFrame(t *testing.T) {
	bars := []TornadoBar{
		{Name: "sensors[gapfiller-tv].ref_range_km 10→30", Low: -3, LowLo: -5, LowHi: -1, High: 2, HighLo: 1, HighHi: 3},
		{Name: "shahed-136: rcs_m2 0.075→0.125", Low: 1, LowLo: 0, LowHi: 2, High: -1, HighLo: -2, HighHi: 0},
	}
	tornado, tw, th, err := tornadoPlot("capital: effect on value lost\n20 replications", "change", "low value", "high value", bars)
	if err != nil {
		t.Fatal(err)
	}
	var bands []Band
	for k := range 3 {
		bands = append(bands, Band{Name: fmt.Sprintf("c2.doctrine=shoot-look-shoot %d", k), X: []float64{12, 32, 52},
			Y: []float64{1e7, 1.4e7, 1.6e7}, Lo: []float64{0.9e7, 1.3e7, 1.5e7}, Hi: []float64{1.1e7, 1.5e7, 1.7e7}})
	}
	sweep, err := bandsPlot("defence cost", "raids[0].count", "defence cost per replication ($)", bands)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		p    *plot.Plot
		w, h vg.Length
	}{{"tornado", tornado, tw, th}, {"sweep", sweep, bandsWidth, bandsHeight}} {
		t.Run(c.name, func(t *testing.T) {
			rec := new(recorder.Canvas)
			c.p.Draw(framed(draw.NewCanvas(rec, c.w, c.h)))
			lo, hi := vg.Points(5), c.w-vg.Points(5)
			for _, a := range rec.Actions {
				switch a := a.(type) {
				case *recorder.FillString:
					face := font.DefaultCache.Lookup(a.Font, a.Size)
					width := face.Width(a.String)
					if a.Point.X < lo || a.Point.X+width > hi {
						t.Errorf("%q spans x %.1f to %.1f pt, outside [%.1f, %.1f]", a.String, a.Point.X, a.Point.X+width, lo, hi)
					}
				case *recorder.Fill:
					for _, pc := range a.Path {
						if pc.Type != vg.CloseComp && (pc.Pos.X < lo || pc.Pos.X > hi) {
							t.Errorf("a fill reaches x %.1f pt, outside [%.1f, %.1f]", pc.Pos.X, lo, hi)
							break
						}
					}
				}
			}
		})
	}
}

// A factor that changed nothing in any replication has the bound of what the replications
// cannot exclude as its interval: ±$32M of defence cost where the factor that matters moves
// it by $1M. That bound must not set the axis, or every measured effect shrinks to a sliver
// (adsim sensitivity capital --metric defence_cost_usd with the 40N6's cost, never fired, as a
// factor); alone, it is all there is to show.
func TestBoundsDoNotSetTheAxis(t *testing.T) {
	bars := []TornadoBar{
		{Name: "57e6 cost", Low: -1.02e6, LowLo: -1.08e6, LowHi: -0.97e6, High: 1.02e6, HighLo: 0.97e6, HighHi: 1.08e6},
		{Name: "40n6 cost", LowLo: -3.24e7, LowHi: 2.99e7, HighLo: -3.24e7, HighHi: 3.5e7, LowBound: true, HighBound: true},
	}
	p, _, _, err := tornadoPlot("t", "x", "low", "high", bars)
	if err != nil {
		t.Fatal(err)
	}
	if p.X.Min < -1.2e6 || p.X.Max > 1.2e6 {
		t.Errorf("tornado axis [%g, %g], want about the measured ±1.08M", p.X.Min, p.X.Max)
	}
	if p, _, _, err = tornadoPlot("t", "x", "low", "high", bars[1:]); err != nil || p.X.Min > -3.24e7 || p.X.Max < 3.5e7 {
		t.Errorf("tornado of bounds alone: axis [%g, %g], %v; want the bounds in view", p.X.Min, p.X.Max, err)
	}
	steps := []Step{{X: 1400, Est: -3e4, Lo: -6.4e4, Hi: 4e3}, {X: 2000, Lo: -3.24e7, Hi: 3.25e7, Bound: true}}
	sp, err := stepsPlot("t", "x", "y", steps)
	if err != nil {
		t.Fatal(err)
	}
	if sp.Y.Min < -1e5 || sp.Y.Max > 1e5 {
		t.Errorf("steps axis [%g, %g], want about the measured step's [-64k, 4k]", sp.Y.Min, sp.Y.Max)
	}
	if sp, err = stepsPlot("t", "x", "y", steps[1:]); err != nil || sp.Y.Min > -3.24e7 || sp.Y.Max < 3.25e7 {
		t.Errorf("steps of bounds alone: axis [%g, %g], %v; want the bounds in view", sp.Y.Min, sp.Y.Max, err)
	}
	dir := t.TempDir()
	if err := PlotTornado("t", "x", "low", "high", bars, filepath.Join(dir, "t.png")); err != nil {
		t.Error(err)
	}
	if err := PlotSteps("t", "x", "y", steps, filepath.Join(dir, "s.png")); err != nil {
		t.Error(err)
	}
}
