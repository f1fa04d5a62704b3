package mc

import (
	"os"
	"strconv"
	"testing"
)

// TestExtremeAssumptionsRun sets every assumed catalog figure of the classes a scenario uses
// (AssumptionFactors) to extreme multiples of its value — 0, a thousandth, a thousand times,
// its negative — and runs each variant the validator accepts: none may fail or panic at run
// time (what the validator lets through, the engine must run). It found burst_rounds 0.04,
// which the engine truncated to no round. CI runs the small test scenario; ADSIM_SOAK=1 also
// runs the default scenario with more multiples (about 3 minutes).
func TestExtremeAssumptionsRun(t *testing.T) {
	if raceDetector {
		// One replication at a time on one goroutine: nothing for the race detector to see,
		// and it makes the test ten times slower. go test without -race runs it (CI does).
		t.Skip("single-threaded engine runs; covered by go test without -race")
	}
	studies := []*Study{loadSmall(t)}
	mults := []float64{0, 1e-3, 1e3, -1}
	reps := uint64(1)
	if os.Getenv("ADSIM_SOAK") != "" {
		studies = append(studies, loadExample(t, "capital"))
		mults = append(mults, 0.1, 0.5, 2, 10)
		reps = 2
	}
	for _, st := range studies {
		fs, err := AssumptionFactors(st, 0.5, "")
		if err != nil {
			t.Fatal(err)
		}
		valid, refused := 0, 0
		for _, f := range fs {
			base, err := strconv.ParseFloat(f.Base, 64)
			if err != nil {
				t.Fatalf("%s: base %q", f.Path, f.Base)
			}
			for _, k := range mults {
				v := strconv.FormatFloat(base*k, 'g', -1, 64)
				s, err := st.WithSettings([]Setting{{f.Path, v}})
				if err != nil {
					refused++
					continue
				}
				valid++
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Errorf("%s: %s=%s: panic: %v", st.Name, f.Path, v, r)
						}
					}()
					for rep := uint64(0); rep < reps; rep++ {
						if _, err := s.Replicate(rep); err != nil {
							t.Errorf("%s: %s=%s: %v", st.Name, f.Path, v, err)
							return
						}
					}
				}()
			}
		}
		t.Logf("%s: %d factors, %d variants ran, %d refused by the validator", st.Name, len(fs), valid, refused)
		if valid == 0 || refused == 0 {
			t.Errorf("%s: %d variants ran and %d were refused: the test shows nothing", st.Name, valid, refused)
		}
	}
}
