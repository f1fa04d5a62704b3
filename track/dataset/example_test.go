package dataset_test

import (
	"fmt"

	"github.com/adsim/adsim/track/dataset"
)

// Generate a benchmark case — ten targets for 60 scans in clutter — and run the tracker on
// it, scored against the truth (as `adsim track gen` and `adsim track run` do with files).
func ExampleRun() {
	p := dataset.GenParams{Scenario: dataset.DefaultScenario(), Targets: 10, Steps: 60, Seed: 7, SpeedMin: 10, SpeedMax: 40}
	p.Scenario.ClutterPerScan = 50
	dets, truth, err := dataset.Generate(p)
	if err != nil {
		panic(err)
	}
	res, err := dataset.Run(&p.Scenario, dataset.Settings{}, dets, truth, nil)
	if err != nil {
		panic(err)
	}
	m := res.Summary
	fmt.Printf("%d scans, %d of %d targets tracked\n", res.Steps, m.TruthsConfirmed, p.Targets)
	fmt.Println("mean OSPA under 30 m:", m.MeanOSPA < 30)
	// Output:
	// 60 scans, 10 of 10 targets tracked
	// mean OSPA under 30 m: true
}
