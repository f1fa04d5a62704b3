// Package report owns how results are presented to people and other programs: the text
// summary of a run, tables of typed columns written as CSV (read back bit for bit) and
// Parquet, and plots (PNG, SVG) of confidence bands, paired steps, heat maps and tornado
// charts. It reads the engine's Outcome and plain numbers, and must not know about the
// engine's internals or about how a study was run (package mc).
package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/adsim/adsim/scenario"
	"github.com/adsim/adsim/sim"
)

// WriteText writes a human-readable summary of one run: the fate of the threats by class,
// which layer did the work, what each fire unit spent, the damage to each asset and the
// leakers.
func WriteText(w io.Writer, o *sim.Outcome) error {
	var b strings.Builder
	fmt.Fprintf(&b, "scenario %s  seed %d  replication %d  duration %.0f s", o.Scenario, o.Seed, o.Replication, o.DurationS)
	if o.EndS > 0 && o.EndS < o.DurationS {
		fmt.Fprintf(&b, " (raid over at %.0f s)", o.EndS)
	}
	b.WriteString("\n\n")
	fmt.Fprintf(&b, "threats: %d launched, %d detected, %d engaged, %d destroyed, %d leaked", o.Launched, o.Detected, o.Engaged, o.Destroyed, o.Leaked)
	if n := o.Egressed(); n > 0 {
		fmt.Fprintf(&b, " (%d of them aircraft that released their weapons and flew home)", n)
	}
	fmt.Fprintf(&b, ", %d still flying\n", o.Flying)
	fmt.Fprintf(&b, "asset value lost: %.1f of %.1f (%.1f %%)\n", o.ValueLost, o.ValueTotal, pct(o.ValueLost, o.ValueTotal))
	fmt.Fprintf(&b, "interceptors fired: %d, gun rounds: %d, defence cost: $%s", o.InterceptorsFired, o.GunRounds, Money(o.DefenceCostUSD, 1))
	if o.ExchangeRatio > 0 {
		fmt.Fprintf(&b, ", threat cost destroyed: $%s, cost exchange ratio %.2f", Money(o.ThreatCostUSD, 1), o.ExchangeRatio)
	}
	b.WriteString("\n")
	tr := o.Tracking
	if tr.Picture == scenario.PicturePerfect {
		fmt.Fprintf(&b, "air picture: perfect (true states of the threats the radars detect; not scored), %d tracks; %d interceptors found no target\n\n",
			tr.TracksConfirmed, tr.InterceptorsWasted)
	} else {
		if len(tr.PerfectCategories) > 0 {
			fmt.Fprintf(&b, "air picture (tracked, perfect for %s): ", strings.Join(tr.PerfectCategories, ", "))
		} else {
			b.WriteString("air picture: ")
		}
		fmt.Fprintf(&b, "mean OSPA %.0f m (cut-off %.0f m), %d tracks confirmed, %d false, %d identity switches, %d false alarms; %d assignments to false tracks, %d interceptors found no target\n\n",
			tr.MeanOSPA, tr.CutoffM, tr.TracksConfirmed, tr.FalseTracks, tr.IDSwitches, tr.FalseAlarms, tr.FalseTrackEngagements, tr.InterceptorsWasted)
	}

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CLASS\tCATEGORY\tLAUNCHED\tDESTROYED\tLEAKED\tFLYING")
	for _, c := range o.Classes {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\n", c.Class, c.Category, c.Launched, c.Destroyed, c.Leaked, c.Flying)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "LAYER\tKILLS\tINTERCEPTORS\tGUN ROUNDS")
	present := map[string]bool{}
	for _, u := range o.Units {
		present[u.Layer] = true
	}
	for _, l := range o.Layers {
		if !present[l.Layer] && l.Kills == 0 {
			continue // no fire unit of that layer in the scenario
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", l.Layer, l.Kills, l.InterceptorsFired, l.GunRounds)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "FIRE UNIT\tCLASS\tLAYER\tKILLS\tSPENT (remaining)\tCOST $")
	for _, u := range o.Units {
		var parts []string
		for _, wp := range u.Weapons {
			parts = append(parts, fmt.Sprintf("%s %d (%d)", wp.Weapon, wp.Fired, wp.Remaining))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", u.ID, u.Class, u.Layer, u.Kills, strings.Join(parts, ", "), Money(u.CostUSD, 1))
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "ASSET\tVALUE\tLOST\tIMPACTS")
	for _, a := range o.Assets {
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%d\n", a.ID, a.Value, a.ValueLost, a.Impacts)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(o.Leakers) > 0 {
		b.WriteString("\nleakers:\n")
		writeLeakers(&b, o)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteLeakers writes the outcome's leakers as the summary lists them under "leakers:": a
// line each, the time, threat, class and what it reached, and its story under it
// (writeLeakerStory). adsim replay prints them under each replication's line.
func WriteLeakers(w io.Writer, o *sim.Outcome) error {
	var b strings.Builder
	writeLeakers(&b, o)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeLeakers(b *strings.Builder, o *sim.Outcome) {
	for _, l := range o.Leakers {
		to := l.Asset
		switch {
		case l.Result == sim.EgressResult:
			to = "(egress: released its stand-off weapons and flew home; no damage)"
		case to == "":
			to = "(end of route)"
		}
		fmt.Fprintf(b, "  t=%7.1f s  %-22s %-14s -> %s\n", l.T, l.Threat, l.Class, to)
		writeLeakerStory(b, &l)
	}
}

func pct(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return 100 * a / b
}

// Money formats dollars compactly — 1.2M, 350k, 900, with d decimals for millions and
// billions — and NaN as "-". A run's summary writes d = 1; adsim mc's, of means over
// replications, d = 2.
func Money(x float64, d int) string {
	if math.IsNaN(x) {
		return "-"
	}
	unit, suffix := magnitude(math.Abs(x), true)
	if unit < 1e6 {
		d = 0 // thousands and units: whole numbers
	}
	return fmt.Sprintf("%.*f%s", d, x/unit, suffix)
}

// magnitude is the unit and suffix adsim writes a number of size a in: billions (B) and
// millions (M), and, with thousands (money), thousands (k); else 1 and no suffix. Money, the
// heat map's numbers and the plots' axis ticks share it, so that one figure reads alike in
// each.
func magnitude(a float64, thousands bool) (unit float64, suffix string) {
	switch {
	case a >= 1e9:
		return 1e9, "B"
	case a >= 1e6:
		return 1e6, "M"
	case a >= 1e3 && thousands:
		return 1e3, "k"
	}
	return 1, ""
}

// writeLeakerStory says under a leaker's line what the defence did about it: when it was
// launched and first tracked, and each shot at it with its result and, for a miss, the draw
// that decided it against the kill probability.
func writeLeakerStory(b *strings.Builder, l *sim.Leaker) {
	fmt.Fprintf(b, "      launched at %.1f s", l.LaunchedS)
	switch {
	case l.ConfirmedS == nil:
		b.WriteString(", never tracked (no confirmed track)")
	default:
		fmt.Fprintf(b, ", first confirmed track at %.1f s (%.1f s after launch)", *l.ConfirmedS, *l.ConfirmedS-l.LaunchedS)
	}
	if len(l.Shots) == 0 {
		b.WriteString("; no shot at it\n")
		return
	}
	if len(l.Shots) == 1 {
		b.WriteString("; 1 shot at it:\n")
	} else {
		fmt.Fprintf(b, "; %d shots at it:\n", len(l.Shots))
	}
	for _, sh := range l.Shots {
		what := sh.Unit + " " + sh.Weapon
		if sh.Interceptor == "" {
			what += " burst"
		}
		fmt.Fprintf(b, "        t=%7.1f s  %-32s %s", sh.T, what, sh.Result)
		if sh.Pk != nil && sh.Draw != nil {
			fmt.Fprintf(b, " (pk %.2f, draw %.2f)", *sh.Pk, *sh.Draw)
		}
		if sh.MissM != nil {
			fmt.Fprintf(b, ", closest approach %.1f m", *sh.MissM)
		}
		b.WriteString("\n")
	}
}
