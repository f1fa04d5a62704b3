package mc

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/adsim/adsim/report"
	"github.com/adsim/adsim/scenario"
)

// WriteText writes the summary tables of a result for people: the headline figures, then per
// layer, threat class, asset and fire unit. Intervals are 95 %.
func (r *Result) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "scenario %s  seed %d  replications %d (from %d)", r.Scenario, r.Seed, r.Replications, r.FirstRep)
	if r.Picture == scenario.PicturePerfect {
		b.WriteString("  air picture: perfect")
	} else if len(r.PerfectCategories) > 0 {
		b.WriteString("  air picture: tracked, perfect for " + strings.Join(r.PerfectCategories, ", "))
	}
	b.WriteString("\n\n")
	fmt.Fprintf(&b, "leak rate (leakers per threat launched): %s\n", r.LeakRate.Percent())
	fmt.Fprintf(&b, "P(at least one leaker):                  %s  (Wilson)\n", r.AnyLeak.Percent())
	fmt.Fprintf(&b, "leakers per replication:                 %s\n", r.Leakers.Format(2))
	fmt.Fprintf(&b, "  of which never tracked:                %s\n", r.LeakersUntracked.Format(2))
	fmt.Fprintf(&b, "  of which nothing was fired at:         %s\n", r.LeakersNoShot.Format(2))
	fmt.Fprintf(&b, "replications with a leaker:              %s\n", r.Leaking)
	fmt.Fprintf(&b, "asset value lost:                        %s of %.1f\n", r.ValueLost.Format(1), r.ValueTotal)
	fmt.Fprintf(&b, "interceptors fired:                      %s  (p5 %g, median %g, p95 %g, max %g)\n",
		r.Interceptors.Mean.Format(1), r.Interceptors.P5, r.Interceptors.P50, r.Interceptors.P95, r.Interceptors.Max)
	fmt.Fprintf(&b, "gun rounds:                              %s  (p5 %g, median %g, p95 %g, max %g)\n",
		r.GunRounds.Mean.Format(0), r.GunRounds.P5, r.GunRounds.P50, r.GunRounds.P95, r.GunRounds.Max)
	// Two decimals, or two significant digits of a ratio below 0.1: a fighter shot down for a
	// few missiles gives 0.012, which two decimals would print 0.01 ± 0.00.
	dx := 2
	if x := math.Abs(r.ExchangeRatio.Est); x > 0 && x < 0.1 {
		dx = Decimals(x, 2)
	}
	fmt.Fprintf(&b, "defence cost: $%s per replication; cost exchange ratio %s (defence cost / cost of threats destroyed)\n\n",
		report.Money(r.DefenceCostUSD.Est, 2), r.ExchangeRatio.Format(dx))

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LAYER\tKILLS\tINTERCEPTORS")
	for _, l := range r.Layers {
		if l.Units == 0 && l.Kills.Est == 0 {
			continue // no fire unit of that layer in the scenario (as adsim run's table)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", l.Layer, l.Kills.Format(2), l.Interceptors.Format(2))
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "CLASS\tLAUNCHED\tDESTROYED\tLEAK RATE\tP(ANY LEAKS) (Wilson)")
	var aircraft []string
	for _, c := range r.Classes {
		name := c.Class
		if c.Category == scenario.CategoryAircraft {
			name += " (aircraft)"
			aircraft = append(aircraft, c.Class)
		}
		fmt.Fprintf(tw, "%s\t%g\t%s\t%s\t%s\n", name, round(c.Launched, 2), c.Destroyed.Format(2), c.LeakRate.Percent(), c.AnyLeak.Percent())
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "ASSET\tVALUE\tP(HIT) (Wilson)\tVALUE LOST")
	for _, a := range r.Assets {
		fmt.Fprintf(tw, "%s\t%.1f\t%s\t%s\n", a.ID, a.Value, a.Hit.Percent(), a.ValueLost.Format(1))
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "FIRE UNIT\tKILLS\tFIRED (per weapon)")
	for _, u := range r.Units {
		var ws []string
		for _, wr := range u.Weapons {
			ws = append(ws, wr.Weapon+" "+wr.Fired.Format(1))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", u.ID, u.Kills.Format(2), strings.Join(ws, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(aircraft) > 0 {
		// An aircraft that released its stand-off weapons and flew home is a leaker (it was
		// not shot down before weapon release) that did no damage of its own: say so, or the
		// leak rate and P(at least one leaker) read as hits.
		fmt.Fprintf(&b, "\n(aircraft) %s: an aircraft not shot down is a leaker, in the leak rate and P(at least one leaker);\n"+
			"one that released its stand-off weapons and flew home did no damage itself (its weapons are their own class; losses are under VALUE LOST)\n",
			strings.Join(aircraft, ", "))
	}
	fmt.Fprintln(&b, "\nintervals: 95 %; rates and means over replications (docs/results.md)")
	_, err := io.WriteString(w, b.String())
	return err
}

func round(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}

// Percent formats a proportion interval in per cent, as adsim's tables show it:
// "12.3 % [10.1, 14.8]".
func (iv Interval) Percent() string {
	if math.IsNaN(iv.Est) {
		return "-"
	}
	return fmt.Sprintf("%.1f %% [%s, %s]", 100*iv.Est, bound(100*iv.Lo, 1), bound(100*iv.Hi, 1))
}

// Format formats an interval with d decimals, as adsim's tables show it: "est ± half-width"
// when it reaches as far on both sides of the estimate at those decimals, else "est [lo,
// hi]" (clipped at a bound a quantity cannot cross, or skewed as the intervals of rare events
// are: Moments.BoundedCI), where "±" would misstate one side. An interval
// skewed by less than the last decimal shown (interceptors fired: 0.79 below the estimate,
// 0.81 above) reads as "± 0.8" (Symmetric).
func (iv Interval) Format(d int) string {
	if math.IsNaN(iv.Est) {
		return "-"
	}
	h := iv.HalfWidth()
	if math.IsInf(h, 0) || math.IsNaN(h) {
		return fmt.Sprintf("%.*f", d, iv.Est)
	}
	if !iv.Symmetric(d) {
		return fmt.Sprintf("%.*f [%.*f, %.*f]", d, iv.Est, d, iv.Lo, d, iv.Hi)
	}
	return fmt.Sprintf("%.*f ± %.*f", d, iv.Est, d, iv.Hi-iv.Est)
}

// Symmetric reports whether the interval prints as "est ± h" with d decimals: its two sides,
// est − lo and hi − est, print the same, and not as zero unless its whole width does ("0.1 ±
// 0.0" would claim certainty of an interval 0.06 wide; one of 1e-14, rounding, is a point).
func (iv Interval) Symmetric(d int) bool {
	below, above := fmt.Sprintf("%.*f", d, iv.Est-iv.Lo), fmt.Sprintf("%.*f", d, iv.Hi-iv.Est)
	if below != above {
		return false
	}
	zero := func(s string) bool { return strings.Trim(s, "-0.") == "" }
	return !zero(above) || zero(fmt.Sprintf("%.*f", d, iv.Hi-iv.Lo))
}

// Decimals is how many decimals show an interval of half-width h with two significant
// digits, and no more: 0.038 → 3, 2.9 → 1, 780 → 0. A fixed number of decimals prints a
// sharp interval as "-0.0 ± 0.0" and a wide one with digits that mean nothing. def is the
// answer where h gives none (0, unbounded, undefined); at most 6 (float noise is not
// precision).
func Decimals(h float64, def int) int {
	if !(h > 0) || math.IsInf(h, 0) {
		return def
	}
	return min(6, max(0, 1-int(math.Floor(math.Log10(h)))))
}

func bound(x float64, d int) string {
	switch {
	case math.IsInf(x, 1):
		return "∞"
	case math.IsInf(x, -1):
		return "-∞"
	case math.IsNaN(x):
		return "?"
	}
	return fmt.Sprintf("%.*f", d, x)
}
