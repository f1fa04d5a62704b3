package radar

import "math"

// The resolution cells false alarms fall in when a radar does not give its own: a 150 m range
// cell and a 2° azimuth beam (assumptions, docs/models.md). Elevation is measured within the
// beam (monopulse), so it adds no cells: a 3-D radar's plot extractor reports one plot per
// range-azimuth cell.
const (
	DefaultRangeCell = 150.0             // m
	DefaultBeamwidth = 2 * math.Pi / 180 // rad
)

// MaxFalseAlarmMean is the largest mean number of false alarms a scan that adsim accepts: at a
// thousand a scan the tracker spends its time on noise (a long-range radar at Pfa 1e-3 already
// makes about 500, and a run of the default scenario with four such radars takes 6 s instead of
// 0.06 s); beyond, runs do not end in useful time.
const MaxFalseAlarmMean = 1000

// FalseAlarmMean is the mean number of false alarms per scan of a radar with false-alarm
// probability pfa per resolution cell over a coverage out to coverage (m): pfa times the
// range cells times the azimuth beams (DefaultRangeCell, DefaultBeamwidth). The false alarms
// of a scan are Poisson with this mean.
func FalseAlarmMean(pfa, coverage float64) float64 {
	return pfa * (coverage / DefaultRangeCell) * (2 * math.Pi / DefaultBeamwidth)
}

// FalseAlarmCoverage is the range out to which false alarms fall (m): the instrumented range
// maxRange, or twice the reference range refRange for a radar without one.
func FalseAlarmCoverage(maxRange, refRange float64) float64 {
	if maxRange == 0 {
		return 2 * refRange
	}
	return maxRange
}
