package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/adsim/adsim/track/dataset"
)

func newTrackCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		out    string
		asJSON bool
		set    dataset.Settings
	)
	cmd := &cobra.Command{
		Use:   "track DIR",
		Short: "Run the multi-target tracker on a benchmark data set and score it",
		Long: `Run the multi-target tracker (nearly-constant-velocity Kalman filters, chi-square gating,
global-nearest-neighbour association solved with a Jonker-Volgenant assignment solver, M-of-N
confirmation) on a data set in the tracking interchange format: DIR/scenario.json and
DIR/detections.csv (see docs/tracking.md). The tracker never reads target_id.

It writes DIR/tracks.csv (or --out): step,time,track_id,x,vx,y,vy,is_update, one row per
confirmed track per step. When DIR/truth.csv exists it prints the mean OSPA and GOSPA
(c = 100 m, p = 1, positions), GOSPA's decomposition, track breaks, identity switches, time
to confirm and false tracks per hour. It always prints the wall time.

Tracker settings come from scenario.json (and its optional "tracker" object); the flags
override them. When scenario.json gives the targets' top speed (speed_max_mps, as 'adsim
track gen' writes it), a velocity prior too narrow for it (--sigma-v0) gets a warning naming
one that covers it (docs/tracking.md).`,
		Example: `  adsim track gen --n 500 --steps 100 --seed 1 /tmp/bench
  adsim track /tmp/bench
  adsim track /tmp/bench --json --gate 16 --m 3 --n 4 --delete-misses 4`,
		Args: argCount(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			start := time.Now()
			dir := args[0]
			// A setting left at 0 takes scenario.json's value or the default; written as 0 on
			// the command line it is a mistake, not a request for the default.
			for _, name := range []string{"gate", "m", "n", "delete-misses", "sigma-v0"} {
				if f := cmd.Flags().Lookup(name); f.Changed {
					if x, err := strconv.ParseFloat(f.Value.String(), 64); err != nil || x != 0 {
						continue
					}
					return badInput(fmt.Errorf("--%s 0: expected a positive value (leave the flag out for scenario.json's or the default)", name))
				}
			}
			if err := checkSettings(set); err != nil {
				return badInput(err)
			}
			s, dets, truth, err := readDataset(dir)
			if err != nil {
				return err
			}
			if limit, narrow := dataset.VelocityPriorTooNarrow(s, set); narrow {
				// Not an error: a study of what a narrow prior does is legitimate.
				want := math.Ceil(dataset.SigmaV0For(s, set, 1.25*s.SpeedMax)/10) * 10
				fmt.Fprintf(stderr, "adsim: warning: %s: its targets fly at up to %g m/s (speed_max_mps), but a new track's velocity prior of %g m/s per axis keeps in its gate only a target that moves at most %.0f m/s between its first two looks: the faster ones will be confirmed late or never; give --sigma-v0 %g or more (docs/tracking.md)\n",
					filepath.Join(dir, "scenario.json"), s.SpeedMax, dataset.EffectiveSigmaV0(s, set), limit, want)
			}
			if out == "" {
				out = filepath.Join(dir, "tracks.csv")
			}
			f, err := os.Create(out)
			if err != nil {
				return badInput(fmt.Errorf("--out: %w", err))
			}
			bw := bufio.NewWriterSize(f, 1<<16)
			res, err := dataset.Run(s, set, dets, truth, dataset.NewTrackWriter(bw))
			if err != nil {
				f.Close()
				return badInput(err)
			}
			err = bw.Flush()
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return runError(fmt.Errorf("writing %s: %w", out, err))
			}
			secs := time.Since(start).Seconds()
			if asJSON {
				o := map[string]any{
					"seconds":          secs,
					"track_seconds":    res.TrackSeconds,
					"tracks_confirmed": res.TracksConfirmed,
					"steps":            res.Steps,
					"detections":       res.Detections,
					"out":              out,
				}
				if res.Scored {
					m := res.Summary
					o["mean_ospa"], o["mean_gospa"] = m.MeanOSPA, m.MeanGOSPA
					o["mean_gospa_localisation"], o["mean_gospa_missed"], o["mean_gospa_false"] = m.MeanLocalisation, m.MeanMissed, m.MeanFalse
					o["track_breaks"], o["id_switches"] = m.TrackBreaks, m.IDSwitches
					o["time_to_confirm_s"], o["false_tracks"], o["false_tracks_per_hour"] = m.TimeToConfirm, m.FalseTracks, m.FalseTracksPerHour
					o["truths"], o["truths_tracked"] = m.Truths, m.TruthsConfirmed
				}
				enc := json.NewEncoder(stdout)
				return enc.Encode(o)
			}
			fmt.Fprintf(stdout, "%d steps, %d detections, %d tracks confirmed; wrote %s\n", res.Steps, res.Detections, res.TracksConfirmed, out)
			if res.Scored {
				m := res.Summary
				fmt.Fprintf(stdout, "mean OSPA  %.3f m (c = %g m, p = %g)\n", m.MeanOSPA, dataset.MetricC, dataset.MetricP)
				fmt.Fprintf(stdout, "mean GOSPA %.3f m (alpha = 2): localisation %.1f, missed %.1f, false %.1f (per scan, m^p)\n",
					m.MeanGOSPA, m.MeanLocalisation, m.MeanMissed, m.MeanFalse)
				fmt.Fprintf(stdout, "truths %d, tracked %d, mean time to confirm %.2f s; track breaks %d, identity switches %d; false tracks %d (%.1f per hour)\n",
					m.Truths, m.TruthsConfirmed, m.TimeToConfirm, m.TrackBreaks, m.IDSwitches, m.FalseTracks, m.FalseTracksPerHour)
			} else {
				fmt.Fprintln(stdout, "no truth.csv: not scored")
			}
			fmt.Fprintf(stdout, "wall time %.3f s (tracker %.3f s)\n", secs, res.TrackSeconds)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&out, "out", "", "write the tracks here (default DIR/tracks.csv)")
	fl.BoolVar(&asJSON, "json", false, "print one JSON object: mean_ospa, mean_gospa, seconds, tracks_confirmed, ...")
	fl.Float64Var(&set.Gate, "gate", 0, "chi-square gate on the innovation d² (default 13.816, 99.9% in 2-D)")
	fl.IntVar(&set.M, "m", 0, "confirm after M hits in N looks (default 3)")
	fl.IntVar(&set.N, "n", 0, "the N of M-of-N confirmation (default 4)")
	fl.IntVar(&set.DeleteMisses, "delete-misses", 0, "delete a confirmed track after this many consecutive misses (default 4)")
	fl.Float64Var(&set.SigmaV0, "sigma-v0", 0, "velocity prior of a new track, m/s per axis (default 30)")
	cmd.AddCommand(newTrackGenCmd(stdout))
	return cmd
}

func checkSettings(s dataset.Settings) error {
	switch {
	case s.Gate < 0 || math.IsNaN(s.Gate) || math.IsInf(s.Gate, 0):
		return fmt.Errorf("--gate %v must be positive", s.Gate)
	case s.M < 0 || s.N < 0 || s.N > 64 || (s.M > 0 && s.N > 0 && s.M > s.N):
		return fmt.Errorf("--m %d --n %d: want 1 ≤ m ≤ n ≤ 64", s.M, s.N)
	case s.DeleteMisses < 0:
		return fmt.Errorf("--delete-misses %d must be positive", s.DeleteMisses)
	case s.SigmaV0 < 0 || math.IsNaN(s.SigmaV0) || math.IsInf(s.SigmaV0, 0):
		return fmt.Errorf("--sigma-v0 %v must be positive", s.SigmaV0)
	}
	return nil
}

// readDataset reads DIR's scenario.json, detections.csv and, if present, truth.csv.
func readDataset(dir string) (*dataset.Scenario, []dataset.Detection, []dataset.Truth, error) {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		found := "no such directory"
		if err == nil {
			found = "a file"
		} else if !errors.Is(err, fs.ErrNotExist) {
			found = err.Error()
		}
		return nil, nil, nil, badInput(fmt.Errorf("%s: found %s; expected a data set directory holding scenario.json and detections.csv (as 'adsim track gen DIR' writes)", dir, found))
	}
	sp := filepath.Join(dir, "scenario.json")
	data, err := os.ReadFile(sp)
	if err != nil {
		return nil, nil, nil, badInput(err)
	}
	s, err := dataset.ParseScenario(sp, data)
	if err != nil {
		return nil, nil, nil, badInput(err)
	}
	// truth.csv is read concurrently with detections.csv (the machine has more than one core).
	type truthRes struct {
		rows []dataset.Truth
		err  error
	}
	tc := make(chan truthRes, 1)
	go func() {
		tp := filepath.Join(dir, "truth.csv")
		f, err := os.Open(tp)
		if errors.Is(err, fs.ErrNotExist) {
			tc <- truthRes{}
			return
		}
		if err != nil {
			tc <- truthRes{err: err}
			return
		}
		defer f.Close()
		rows, err := dataset.ReadTruth(tp, bufio.NewReaderSize(f, 1<<16))
		if err == nil && rows == nil {
			rows = []dataset.Truth{}
		}
		tc <- truthRes{rows, err}
	}()
	dp := filepath.Join(dir, "detections.csv")
	f, err := os.Open(dp)
	if err != nil {
		<-tc
		return nil, nil, nil, badInput(err)
	}
	dets, err := dataset.ReadDetections(dp, bufio.NewReaderSize(f, 1<<16), false)
	f.Close()
	tr := <-tc
	if err != nil {
		return nil, nil, nil, badInput(err)
	}
	if tr.err != nil {
		return nil, nil, nil, badInput(tr.err)
	}
	truth := tr.rows
	return s, dets, truth, nil
}

func newTrackGenCmd(stdout io.Writer) *cobra.Command {
	p := dataset.GenParams{Scenario: dataset.DefaultScenario(), Targets: 10, Steps: 100, Seed: 1, SpeedMin: 10, SpeedMax: 40}
	var sensorPos []float64
	cmd := &cobra.Command{
		Use:   "gen DIR",
		Short: "Write a tracking benchmark data set from the documented generative model",
		Long: `Write DIR/scenario.json, DIR/detections.csv and DIR/truth.csv: N targets moving with the
nearly-constant-velocity model (noise q), each detected with probability pd per step with
Gaussian noise, plus Poisson false alarms uniform over the square area. See
docs/tracking.md for the exact model.`,
		Example: `  adsim track gen --n 500 --steps 100 --seed 1 --pd 0.9 --sigma 20 --clutter 250 /tmp/bench
  adsim track gen --n 50 --sensor rangebearing --sigma-range 20 --sigma-bearing-deg 0.2 --sensor-pos 0,-12000 /tmp/rb`,
		Args: argCount(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("sensor-pos") {
				if len(sensorPos) != 2 {
					return badInput(fmt.Errorf("--sensor-pos wants two numbers x,y (got %d)", len(sensorPos)))
				}
				p.Scenario.SensorPos = [2]float64{sensorPos[0], sensorPos[1]}
			}
			p.Scenario.SpeedMax = p.SpeedMax // what a tracker's velocity prior must cover
			if err := p.Validate(); err != nil {
				return badInput(err)
			}
			dets, truth, err := dataset.Generate(p)
			if err != nil {
				return badInput(err)
			}
			if err := dataset.WriteDir(args[0], &p.Scenario, dets, truth); err != nil {
				return runError(err)
			}
			fmt.Fprintf(stdout, "wrote %s: %d targets, %d steps, %d detections\n", args[0], p.Targets, p.Steps, len(dets))
			return nil
		},
	}
	fl := cmd.Flags()
	s := &p.Scenario
	fl.IntVar(&p.Targets, "n", p.Targets, "number of targets")
	fl.IntVar(&p.Steps, "steps", p.Steps, "number of scans")
	fl.Uint64Var(&p.Seed, "seed", p.Seed, "random seed")
	fl.Float64Var(&s.DT, "dt", s.DT, "scan interval, s")
	fl.Float64Var(&s.Q, "q", s.Q, "NCV noise diffusion coefficient per axis, m²/s³")
	fl.Float64Var(&s.PD, "pd", s.PD, "detection probability")
	fl.StringVar(&s.Sensor, "sensor", s.Sensor, "sensor: linear or rangebearing")
	fl.Float64Var(&s.Sigma, "sigma", s.Sigma, "linear sensor noise per axis, m")
	fl.Float64Var(&s.SigmaRange, "sigma-range", s.SigmaRange, "rangebearing range noise, m")
	fl.Float64Var(&s.SigmaBearingDeg, "sigma-bearing-deg", s.SigmaBearingDeg, "rangebearing bearing noise, degrees")
	fl.Float64SliceVar(&sensorPos, "sensor-pos", []float64{0, 0}, "rangebearing sensor position `X,Y` (m)")
	fl.Float64Var(&s.ClutterPerScan, "clutter", s.ClutterPerScan, "false alarms per scan (Poisson mean)")
	fl.Float64Var(&s.AreaSide, "area", s.AreaSide, "side of the square surveillance area, m")
	fl.Float64Var(&p.SpeedMin, "speed-min", p.SpeedMin, "minimum initial target speed, m/s")
	fl.Float64Var(&p.SpeedMax, "speed-max", p.SpeedMax, "maximum initial target speed, m/s")
	return cmd
}
