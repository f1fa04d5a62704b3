package track_test

import (
	"fmt"
	"math"

	"github.com/adsim/adsim/track"
)

// Two sensors — a position sensor every second and a 3-D radar every 2.5 s — update one
// track file; the tracker returns confirmed tracks with state, covariance and ID.
func ExampleTracker() {
	tr, err := track.NewTracker(track.TrackerConfig{
		Filter:  track.NewKalman(track.CVModel{N: 3, Q: 1}),
		SigmaV0: 300, // m/s: new tracks may be fast
	})
	if err != nil {
		panic(err)
	}
	pos := &track.PositionModel{R: [3][3]float64{{100, 0, 0}, {0, 100, 0}, {0, 0, 100}}}
	radar := track.NewRangeAzEl([3]float64{0, 0, 0}, 20, 0.001, 0.001)
	for k := 0; k <= 10; k++ {
		t := float64(k)
		x := [3]float64{10000 + 200*t, 5000, 1000}
		if _, err := tr.Process(track.Scan{T: t, Sensor: 1, Detections: []track.Detection{{Z: x, Model: pos}}}); err != nil {
			panic(err)
		}
		if k%5 == 2 {
			// The radar's report of the same target (noise-free here), half a second later: range, azimuth, elevation.
			z := radarReport([3]float64{10000 + 200*(t+0.5), 5000, 1000})
			tr.Process(track.Scan{T: t + 0.5, Sensor: 2, Detections: []track.Detection{{Z: z, Model: radar}}})
		}
	}
	for _, r := range tr.Confirmed() {
		p, v := r.Pos(tr.Filter()), r.Vel(tr.Filter())
		fmt.Printf("track %d: %s, position (%.0f, %.0f, %.0f) m, velocity (%.0f, %.0f, %.0f) m/s, %d hits\n",
			r.ID, r.Status, p[0], p[1], p[2], v[0]+0, math.Abs(v[1]), math.Abs(v[2]), r.Hits)
	}
	// Output:
	// track 1: confirmed, position (12000, 5000, 1000) m, velocity (200, 0, 0) m/s, 13 hits
}

func radarReport(x [3]float64) [3]float64 {
	// Computed with the same conventions as package radar: azimuth clockwise from north.
	r, az, el := polar(x)
	return [3]float64{r, az, el}
}

// ExampleMetric computes OSPA and GOSPA for Stone Soup's test vector (PHYSICS.md §8).
func ExampleMetric() {
	truths := [][3]float64{{0}, {1}, {2}, {3}, {4}}
	tracks := [][3]float64{{0.5}, {1.5}, {2.5}, {3.5}}
	m := track.Metric{C: 10, P: 1}
	ospa, _ := m.OSPA(truths, tracks)
	g, _ := m.GOSPA(truths, tracks)
	fmt.Printf("OSPA %.2f, GOSPA %.2f (localisation %.1f, missed %.1f, false %.1f)\n", ospa, g.Distance, g.Localisation, g.Missed, g.False)
	// Output: OSPA 2.40, GOSPA 7.00 (localisation 2.0, missed 5.0, false 0.0)
}

// A low drone's track, height 10 m below the ground with 25 m of error, its vertical speed
// correlated with the height error: read constrained to heights above the ground, its
// height is the mean of the Gaussian truncated there, and its vertical speed moves with it.
func ExampleTruncatedMean() {
	// State: height (m) and vertical speed (m/s); covariance row-major.
	x := []float64{-10, 0}
	p := []float64{
		625, 15,
		15, 4,
	}
	out := make([]float64, 2)
	moved := track.TruncatedMean(x, p, []int{0}, []float64{1}, 0, out) // height ≥ 0
	fmt.Printf("moved %v: height %.1f m, vertical speed %.2f m/s\n", moved, out[0], out[1])
	// Output: moved true: height 16.7 m, vertical speed 0.64 m/s
}
