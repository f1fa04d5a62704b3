package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/adsim/adsim/mc"
	"github.com/adsim/adsim/report"
	"github.com/adsim/adsim/scenario"
	"github.com/adsim/adsim/sim"
)

// defaultScenario is the embedded scenario `adsim run` uses without a file.
const defaultScenario = "capital"

// newRoot makes the command tree. restore, when not nil, gives Ctrl-C and SIGTERM their
// default action back (defaultSignals); it is called before a command that does not stop
// cleanly on them (interruptible) runs.
func newRoot(stdout, stderr io.Writer, restore func()) *cobra.Command {
	root := &cobra.Command{
		Use:   "adsim",
		Short: "Simulate and analyse layered air defence",
		Long: `adsim simulates a layered air defence against drones, cruise missiles, ballistic
missiles and aircraft: threats fly, radars detect, a tracker builds the air picture, command
and control assigns fire units, interceptors and guns engage, and the outcome is reported.

It is a simulation for analysis and teaching; it controls no hardware. Catalog figures come
from public sources or are labelled assumptions (see 'adsim catalog').`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// Before every command's own checks.
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := keepSignals(cmd, restore); err != nil {
				return err
			}
			return refuseEmpty(cmd, args)
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(flagError) // the subcommands inherit it
	root.AddCommand(newRunCmd(stdout, stderr), newValidateCmd(stdout), newExampleCmd(stdout),
		newCatalogCmd(stdout), newSchemaCmd(stdout), newVersionCmd(stdout))
	root.AddCommand(moreCommands(stdout, stderr)...)
	return root
}

// refuseEmpty refuses an empty argument or an empty value of a string flag, as a script's
// unset variable gives ('adsim mc "$SCEN" --out "$DIR"'): every one of them reads "" as not
// given, so the command would run the default scenario, or write no output directory, or
// start afresh instead of resuming, without a word.
func refuseEmpty(cmd *cobra.Command, args []string) error {
	for i, a := range args {
		if strings.TrimSpace(a) == "" {
			return badInput(fmt.Errorf("argument %d of %s is empty (an unset variable?); expected a non-empty one (usage: %s)", i+1, cmd.CommandPath(), cmd.UseLine()))
		}
	}
	var err error
	cmd.Flags().Visit(func(f *pflag.Flag) {
		if err == nil && f.Value.Type() == "string" && strings.TrimSpace(f.Value.String()) == "" {
			what, _ := pflag.UnquoteUsage(f)
			if what == "string" {
				what = "value"
			}
			err = badInput(fmt.Errorf("--%s %q: found an empty value (an unset variable?); expected a %s", f.Name, f.Value.String(), what))
		}
	})
	return err
}

// loadScenario reads a scenario file or an embedded example by name (readScenarioSource),
// the default scenario when arg is empty, with the --set arguments applied and the result
// re-validated. Errors in the file or the settings are bad input.
func loadScenario(arg string, setArgs []string) (*scenario.Scenario, *scenario.Catalog, error) {
	base, err := scenario.DefaultCatalog()
	if err != nil {
		return nil, nil, runError(err)
	}
	name, src, err := readScenarioSource(arg)
	if err != nil {
		return nil, nil, err
	}
	if len(setArgs) > 0 {
		sets, err := parseSettings(setArgs, "set")
		if err != nil {
			return nil, nil, err
		}
		args, err := parseSetArgs("set", setArgs)
		if err != nil {
			return nil, nil, err
		}
		// Two settings of one field, however spelled, are refused as in mc (checkSets).
		st, err := mc.NewStudy(name, src, nil, nil)
		if err != nil {
			return nil, nil, badInput(err)
		}
		if err := checkSets(st, args, false); err != nil {
			return nil, nil, err
		}
		if src, err = mc.ApplySettings(name, src, base, sets); err != nil {
			return nil, nil, badInput(fmt.Errorf("--set: %w", err))
		}
		name = fmt.Sprintf("%s with --set", name)
	}
	s, err := scenario.Parse(name, src, base)
	if err != nil {
		return nil, nil, badInput(err)
	}
	return s, s.EffectiveCatalog(base), nil
}

// checkRunOutputs refuses, before anything runs, the output files of 'adsim run' that would
// lose something without a word: --events and --json naming one file (the outcome would
// replace the event log), either naming the scenario file being run, and --detections
// without --events, the log it adds to (it would do nothing).
func checkRunOutputs(scenarioArg, eventsPath, jsonPath string, detections bool) error {
	if detections && eventsPath == "" {
		return badInput(errors.New("--detections adds every radar detection to the --events log: give --events FILE too, or leave --detections out"))
	}
	if eventsPath == stdoutPath && jsonPath == stdoutPath {
		return badInput(errors.New("--events - and --json - both name standard output, where the one would run into the other; give a file to one of them"))
	}
	if eventsPath != "" && jsonPath != "" && eventsPath != stdoutPath && jsonPath != stdoutPath && samePath(eventsPath, jsonPath) {
		return badInput(fmt.Errorf("--events %s and --json %s are one file: the outcome would replace the event log; give two files", eventsPath, jsonPath))
	}
	if fi, err := os.Stat(scenarioArg); scenarioArg == "" || err != nil || !fi.Mode().IsRegular() {
		return nil // the default scenario or an embedded example: no file to overwrite
	}
	for _, o := range []struct{ flag, path string }{{"events", eventsPath}, {"json", jsonPath}} {
		if o.path != "" && o.path != stdoutPath && samePath(o.path, scenarioArg) {
			return badInput(fmt.Errorf("--%s %s is the scenario file being run: writing it would replace the scenario; give another file", o.flag, o.path))
		}
	}
	return nil
}

// stdoutPath, given as the file of adsim run's --events or --json, is standard output: the
// log or the outcome then goes there instead of the text summary, for a pipe (adsim run
// --json - | jq .leaked).
const stdoutPath = "-"

// samePath reports whether paths a and b name one file: the same absolute path, or (both
// existing) the same file through links.
func samePath(a, b string) bool {
	if aa, err := filepath.Abs(a); err == nil {
		if ab, err := filepath.Abs(b); err == nil && aa == ab {
			return true
		}
	}
	ia, err := os.Stat(a)
	if err != nil {
		return false
	}
	ib, err := os.Stat(b)
	return err == nil && os.SameFile(ia, ib)
}

func newRunCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		seed       uint64
		rep        uint64
		eventsPath string
		jsonPath   string
		quiet      bool
		detections bool
		full       bool
		picture    string
		sets       []string
	)
	cmd := &cobra.Command{
		Use:   "run [FILE]",
		Short: "Run one scenario and print what happened",
		Long: `Run a scenario once and print the outcome: threats detected, engaged, destroyed by
which layer, leakers and the assets they hit, and what each fire unit spent. Under each
leaker: when it was launched and first tracked, and every shot at it (result, pk, draw,
closest approach), or "no shot at it".
FILE is a scenario file or the name of an embedded example ('adsim example'); without
it the default scenario "capital" runs.

--replication I replays replication I of 'adsim mc' (and of 'adsim compare', whose two
scenarios share the numbering) with the same seed: the same random streams, so the same
outcome as row I of 'adsim mc --out', now with its full event log. --set PATH=VALUE changes
a field of the scenario as 'adsim mc --set' does (give the same ones to replay its rows).`,
		Example: `  adsim run
  adsim run my.yaml --seed 7 --events events.jsonl --json outcome.json
  adsim run capital --replication 7 --events rep7.jsonl     # why did row 7 of 'adsim mc' leak?
  adsim run capital --set raids[0].count=40 --set raids[3].count=8`,
		Args: argCount(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkRunOutputs(firstArg(args), eventsPath, jsonPath, detections); err != nil {
				return err
			}
			setArgs, err := parseSetArgs("set", sets)
			if err != nil {
				return err
			}
			if err := refusePictureTwice("picture", picture, setArgs); err != nil {
				return err
			}
			if picture != "" {
				if err := checkPicture(picture, "picture"); err != nil {
					return err
				}
			}
			s, cat, err := loadScenario(firstArg(args), sets)
			if err != nil {
				return err
			}
			if picture != "" {
				if picture == scenario.PicturePerfect && len(s.C2.PerfectCategories) > 0 {
					return badInput(fmt.Errorf("--picture perfect: found c2.perfect_categories %v in the scenario, expected the perfect picture without it (it is perfect for every category already) or the tracked picture with it",
						s.C2.PerfectCategories))
				}
				s.C2.Picture = picture
			}
			opt := sim.Options{DetectEvents: detections, FullDuration: full, Replication: rep}
			if cmd.Flags().Changed("seed") {
				opt.Seed = &seed
			}
			var events *sim.JSONLWriter
			var eventsFile *os.File
			switch eventsPath {
			case "":
			case stdoutPath:
				events = sim.NewJSONLWriter(stdout)
				opt.Sink = events
			default:
				f, err := os.Create(eventsPath)
				if err != nil {
					return badInput(fmt.Errorf("--events: %w", err))
				}
				eventsFile = f
				events = sim.NewJSONLWriter(f)
				opt.Sink = events
			}
			w, err := sim.New(s, cat, opt)
			if err != nil {
				return badInput(err)
			}
			out, err := w.Run()
			if err != nil {
				return runError(err)
			}
			if events != nil {
				err := events.Flush()
				if eventsFile != nil {
					if cerr := eventsFile.Close(); err == nil {
						err = cerr
					}
				}
				if err != nil {
					return runError(fmt.Errorf("--events %s: %w", eventsPath, err))
				}
			}
			if jsonPath != "" {
				data, err := json.MarshalIndent(out, "", "  ")
				if err != nil {
					return runError(err)
				}
				if jsonPath == stdoutPath {
					_, err = stdout.Write(append(data, '\n'))
				} else {
					err = os.WriteFile(jsonPath, append(data, '\n'), 0o644)
				}
				if err != nil {
					return runError(fmt.Errorf("--json: %w", err))
				}
			}
			if !quiet && eventsPath != stdoutPath && jsonPath != stdoutPath {
				return report.WriteText(stdout, out)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.Uint64Var(&seed, "seed", 0, "random seed (default: the scenario's seed)")
	f.Uint64Var(&rep, "replication", 0, "replay this replication of 'adsim mc' (its random streams; rows.csv column rep)")
	f.StringVar(&eventsPath, "events", "", "write the full event log to this file (JSON lines, docs/events.md; - for standard output, instead of the summary)")
	f.StringVar(&jsonPath, "json", "", "write the machine-readable outcome to this file (- for standard output, instead of the summary)")
	f.BoolVarP(&quiet, "quiet", "q", false, "print nothing on success")
	f.BoolVar(&detections, "detections", false, "also log every radar detection in --events (large)")
	f.StringVar(&picture, "picture", "", "the air picture C2 decides on, tracked or perfect (default: the scenario's c2.picture; docs/models.md); not with --set c2.picture. A mixed picture, perfect for some categories only: --set 'c2.perfect_categories=[drone]'")
	f.StringArrayVar(&sets, "set", nil, setHelp)
	f.BoolVar(&full, "full-duration", false, "run to duration_s even after the raid is over (by default the run stops then)")
	return cmd
}

func newValidateCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check scenario files and report every error with line and column",
		Args:  argCount(1, -1),
		RunE: func(cmd *cobra.Command, args []string) error {
			base, err := scenario.DefaultCatalog()
			if err != nil {
				return runError(err)
			}
			bad := 0
			var msgs []string
			for _, p := range args {
				if _, err := scenario.Load(p, base); err != nil {
					bad++
					msgs = append(msgs, err.Error())
					continue
				}
				fmt.Fprintf(stdout, "%s: ok\n", p)
			}
			if bad > 0 {
				return badInput(fmt.Errorf("%d of %d files invalid:\n%s", bad, len(args), strings.Join(msgs, "\n")))
			}
			return nil
		},
	}
}

func newExampleCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "example [NAME]",
		Short: "List the embedded example scenarios, or print one as YAML",
		Example: `  adsim example
  adsim example capital > my.yaml`,
		Args: argCount(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
				for _, n := range scenario.ExampleNames() {
					desc := ""
					if s, err := scenario.LoadExample(n, nil); err == nil {
						desc = firstLine(s.Description)
					}
					fmt.Fprintf(tw, "%s\t%s\n", n, desc)
				}
				return tw.Flush()
			}
			data, err := scenario.ExampleFile(args[0])
			if err != nil {
				return badInput(err)
			}
			_, err = stdout.Write(data)
			return err
		},
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func newCatalogCmd(stdout io.Writer) *cobra.Command {
	var asJSON, paths bool
	cmd := &cobra.Command{
		Use:   "catalog [--paths [CLASS...]]",
		Short: "List system and threat classes with their key figures and sources",
		Long: `List the embedded catalog of system and threat classes. Figures marked * are
assumptions (no public figure exists, e.g. kill probabilities and radar cross sections):
change them in a scenario's catalog section, or with --set on run, mc, compare, sweep and
sensitivity. --json prints every figure with its source or the reasoning behind the
assumption. --paths lists every figure of the classes named (all without a name) by the path
--set takes, with its value and its source or assumption. A last table gives, for each gun
with dispersion figures and each threat class, one burst's kill probability at 0.5 to 4 km
and the range where the gun opens fire at the default c2.gun_open_fire_pk (docs/c2.md).`,
		Example: `  adsim catalog
  adsim catalog --paths pantsir-s1 | grep pk0
  adsim mc capital --set 'catalog.systems[pantsir-s1].weapons[57e6].pk0.drone=0.5'
  adsim sweep capital --set c2.gun_open_fire_pk=0:0.6:0.1 -n 200 --metric value_lost`,
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := scenario.DefaultCatalog()
			if err != nil {
				return runError(err)
			}
			if len(args) > 0 && !paths {
				return badInput(fmt.Errorf("unexpected argument %q: class names go with --paths", args[0]))
			}
			if paths {
				for _, a := range args {
					if _, ok := cat.System(a); !ok {
						if _, ok := cat.Threat(a); !ok {
							return badInput(fmt.Errorf("--paths %s: no such class; the classes are %s, %s", a,
								strings.Join(cat.SystemIDs(), ", "), strings.Join(cat.ThreatIDs(), ", ")))
						}
					}
				}
				return writeFigurePaths(stdout, mc.CatalogFigures(cat, args...))
			}
			if asJSON {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(cat)
			}
			return writeCatalog(stdout, cat)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the whole catalog as JSON, with sources")
	cmd.Flags().BoolVar(&paths, "paths", false, "list every figure by its --set path, with value and provenance")
	return cmd
}

// writeFigurePaths prints figures one a line: path, value, and "source: …" or "assumption: …".
func writeFigurePaths(w io.Writer, figs []mc.FigurePath) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PATH\tVALUE\tPROVENANCE")
	for _, f := range figs {
		prov := "assumption: " + f.Assumption
		if f.Source != "" {
			prov = "source: " + f.Source
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Path, strconv.FormatFloat(f.Value, 'g', -1, 64), prov)
	}
	return tw.Flush()
}

// fig formats a figure, marking assumptions with *.
func fig(f scenario.Figure, format string) string {
	s := fmt.Sprintf(format, f.Value)
	if f.Assumed() {
		s += "*"
	}
	return s
}

func writeCatalog(w io.Writer, cat *scenario.Catalog) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SYSTEM\tLAYER\tCHANNELS\tREACTION s\tRADAR km (m²)\tWEAPON\tKIND\tRANGE km\tALT m\tROUNDS\tPk drone/cruise/ballistic/aircraft")
	for _, s := range cat.Systems {
		for i, wp := range s.Weapons {
			lead := fmt.Sprintf("%s\t%s\t%s\t%s\t%s", s.ID, s.Layer, fig(s.FireChannels, "%.0f"), fig(s.ReactionTimeS, "%.0f"),
				fig(s.Radar.RefRangeKm, "%.0f")+" ("+fig(s.Radar.RefRCSM2, "%g")+")")
			if i > 0 {
				lead = "\t\t\t\t"
			}
			var pks []string
			for _, c := range []string{scenario.CategoryDrone, scenario.CategoryCruiseMissile, scenario.CategoryBallisticMissile, scenario.CategoryAircraft} {
				if p, ok := wp.Pk[c]; ok {
					pks = append(pks, fig(p, "%.2f"))
				} else {
					pks = append(pks, "-")
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s-%s\t%s-%s\t%s\t%s\n", lead, wp.ID, wp.Kind,
				fig(wp.MinRangeKm, "%g"), fig(wp.MaxRangeKm, "%g"), fig(wp.MinAltM, "%g"), fig(wp.MaxAltM, "%g"),
				fig(wp.Magazine, "%.0f"), strings.Join(pks, " / "))
		}
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "THREAT\tCATEGORY\tSPEED km/h\tCRUISE m\tRANGE km\tRCS m²\tWARHEAD kg\tCOST $")
	threats := append([]scenario.ThreatClass(nil), cat.Threats...)
	sort.SliceStable(threats, func(i, j int) bool { return threats[i].Category < threats[j].Category })
	for _, t := range threats {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Category, fig(t.SpeedKmh, "%.0f"), fig(t.CruiseAltM, "%.0f"),
			fig(t.RangeKm, "%.0f"), fig(t.RCSM2, "%g"), fig(t.WarheadKg, "%.0f"), fig(t.CostUSD, "%.0f"))
	}
	fmt.Fprintln(tw)
	if writeGunCurves(tw, cat.Systems, threats) {
		fmt.Fprintln(tw)
	}
	fmt.Fprintln(tw, "* assumption: no public figure; change it in your scenario's catalog section or with --set (paths: adsim catalog --paths). Sources: adsim catalog --json, docs/catalog.md")
	return tw.Flush()
}

// gunRangesKm are the slant ranges of writeGunCurves' columns.
var gunRangesKm = []float64{0.5, 1, 2, 3, 4}

// writeGunCurves prints, for every gun with dispersion figures and every threat class with a
// presented area it may kill, one burst's kill probability at gunRangesKm (the gun model,
// engage.GunSpec.BurstKill; "-" outside the gun's ranges) and the range where a gun opens fire
// at the default c2.gun_open_fire_pk: the planning figures behind C2's gun doctrine
// (docs/c2.md). It reports whether it printed anything.
func writeGunCurves(tw io.Writer, systems []scenario.SystemClass, threats []scenario.ThreatClass) bool {
	var cols []string
	for _, r := range gunRangesKm {
		cols = append(cols, strconv.FormatFloat(r, 'g', -1, 64))
	}
	header := false
	for si := range systems {
		s := &systems[si]
		for wi := range s.Weapons {
			wp := &s.Weapons[wi]
			if !wp.HasGunPhysics() {
				continue
			}
			spec := sim.GunSpec(wp)
			first := true
			for _, t := range threats {
				area, pkh := t.PresentedAreaM2.Value, wp.PkGivenHit[t.Category].Value
				if !(area > 0) || !(pkh > 0) {
					continue
				}
				if !header {
					fmt.Fprintf(tw, "GUN\tTHREAT\tBURST Pk at %s km\tOPENS FIRE (Pk %g)\n", strings.Join(cols, " / "), sim.DefaultGunOpenFirePk)
					header = true
				}
				var pks []string
				for _, r := range gunRangesKm {
					if m := 1000 * r; m < spec.MinRange || m > spec.MaxRange {
						pks = append(pks, "-")
					} else {
						pks = append(pks, fmt.Sprintf("%.2f", spec.BurstKill(area, pkh, m)))
					}
				}
				curve := spec.Curve(area, pkh)
				open := "at max range"
				if r, ok := curve.RangeFor(sim.DefaultGunOpenFirePk); ok && r < spec.MaxRange {
					open = fmt.Sprintf("%.1f km", r/1000)
				}
				lead := "\t"
				if first {
					lead = s.ID + "/" + wp.ID + "\t"
					first = false
				}
				fmt.Fprintf(tw, "%s%s\t%s\t%s\n", lead, t.ID, strings.Join(pks, " / "), open)
			}
		}
	}
	if header {
		fmt.Fprintln(tw, "(a gun opens fire there on a threat that will come that close, else from its maximum range: c2.gun_open_fire_pk, docs/c2.md; in a run C2 plans with the mean presented area of the scenario's classes of each category)")
	}
	return header
}

// version is set at build time with -ldflags "-X main.version=..."; otherwise the module
// version from the build info is used.
var version = ""

func newVersionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the adsim version",
		Args:  argCount(0, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			v := version
			if v == "" {
				v = "(devel)"
				if bi, ok := debug.ReadBuildInfo(); ok {
					if bi.Main.Version != "" {
						v = bi.Main.Version
					}
					for _, s := range bi.Settings {
						if s.Key == "vcs.revision" && len(s.Value) >= 12 {
							v += " " + s.Value[:12]
						}
					}
				}
			}
			_, err := fmt.Fprintf(stdout, "adsim %s\n", v)
			return err
		},
	}
}
