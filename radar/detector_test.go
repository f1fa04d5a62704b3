package radar

import (
	"math"
	"testing"
)

func TestDetectorMatchesModel(t *testing.T) {
	m := Model{RefRange: 20e3, RefRCS: 1, RefPd: 0.9, Pfa: 1e-6, MaxRange: 36e3}
	d := m.Detector()
	for _, r := range []float64{100, 5e3, 20e3, 30e3, 35.9e3, 36.1e3} {
		for _, rcs := range []float64{0.01, 0.1, 1, 4} {
			a, b := m.Pd(r, rcs), d.Pd(r, rcs)
			if math.Abs(a-b) > 1e-12 {
				t.Errorf("R=%v σ=%v: Model %v, Detector %v", r, rcs, a, b)
			}
		}
	}
	if got := d.Pd(20e3, 1); math.Abs(got-0.9) > 1e-12 {
		t.Errorf("Pd at the reference = %v, want 0.9", got)
	}
}

func BenchmarkDetectorPd(b *testing.B) {
	d := Model{RefRange: 20e3, RefRCS: 1, RefPd: 0.9, Pfa: 1e-6}.Detector()
	var s float64
	for i := 0; i < b.N; i++ {
		s += d.Pd(10e3+float64(i%1000), 0.1)
	}
	_ = s
}
