package radar

import (
	"math"
	"testing"
)

// TestFalseAlarmMean: Pfa times the range-azimuth cells of the coverage, 150 m by 2°: a radar
// instrumented to 600 km has 4,000 range cells and 180 beams.
func TestFalseAlarmMean(t *testing.T) {
	for _, c := range []struct{ pfa, maxRange, refRange, want float64 }{
		{1e-6, 600e3, 300e3, 1e-6 * 4000 * 180},
		{1e-6, 0, 300e3, 1e-6 * 4000 * 180}, // no instrumented range: twice the reference range
		{1e-3, 36e3, 20e3, 1e-3 * 240 * 180},
		{0, 600e3, 300e3, 0},
	} {
		got := FalseAlarmMean(c.pfa, FalseAlarmCoverage(c.maxRange, c.refRange))
		if math.Abs(got-c.want) > 1e-9*c.want {
			t.Errorf("Pfa %g, max range %g m, reference %g m: %v false alarms a scan, want %v", c.pfa, c.maxRange, c.refRange, got, c.want)
		}
	}
}
