//go:build race

package mc

// raceDetector is true in a test binary built with -race.
const raceDetector = true
