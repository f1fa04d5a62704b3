package radar

import (
	"math"
	"math/rand/v2"
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

// Detects must decide exactly as u < Pd does, draws at and next to Pd and the bounds included.
func TestDetectsMatchesPd(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, m := range []Model{
		{RefRange: 20e3, RefRCS: 1, RefPd: 0.9, Pfa: 1e-6, MaxRange: 36e3},
		{RefRange: 300e3, RefRCS: 1, RefPd: 0.8, Pfa: 1e-4},
	} {
		d := m.Detector()
		for i := 0; i < 200000; i++ {
			r := rng.Float64() * 1.2 * math.Max(m.MaxRange, 2*m.RefRange)
			rcs := math.Pow(10, -3+4*rng.Float64())
			pd := d.Pd(r, rcs)
			us := []float64{rng.Float64(), pd, math.Nextafter(pd, 0), math.Nextafter(pd, 1)}
			if x := math.Log(pd); x <= 0 && x >= -8 {
				lo := math.Pow(1+x/8, 8)
				us = append(us, lo, lo-detectsMargin, math.Nextafter(lo-detectsMargin, 0))
			}
			if x := math.Log(pd); x <= 0 {
				hi := math.Pow(1-x/8, -8)
				us = append(us, hi, hi+detectsMargin, math.Nextafter(hi+detectsMargin, 0))
			}
			for _, u := range us {
				if got, want := d.Detects(r, rcs, u), u < pd; got != want {
					t.Fatalf("R=%v σ=%v u=%v: Detects %v, u < Pd (%v) %v", r, rcs, u, got, pd, want)
				}
			}
		}
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

// BenchmarkDetectorDetects is the scan's detection decision (u < Pd), to compare with
// BenchmarkDetectorPd: it calls the exponential only for draws near Pd.
func BenchmarkDetectorDetects(b *testing.B) {
	d := Model{RefRange: 20e3, RefRCS: 1, RefPd: 0.9, Pfa: 1e-6}.Detector()
	n := 0
	for i := 0; i < b.N; i++ {
		if d.Detects(10e3+float64(i%1000), 0.1, float64(i%997)/997) {
			n++
		}
	}
	_ = n
}
