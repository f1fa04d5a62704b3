package track

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomState returns a CV state of na axes with a random positive-definite covariance.
func randomState(rng *rand.Rand, na int) ([]float64, []float64) {
	n := 2 * na
	x := make([]float64, n)
	a := make([]float64, n*n)
	for i := range x {
		x[i] = 1000 * rng.NormFloat64()
	}
	for i := range a {
		a[i] = 10 * rng.NormFloat64()
	}
	p := make([]float64, n*n) // A Aᵀ + I
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			for k := 0; k < n; k++ {
				p[i*n+j] += a[i*n+k] * a[j*n+k]
			}
		}
		p[i*n+i]++
	}
	return x, p
}

func closeAll(t *testing.T, what string, got, want []float64) {
	t.Helper()
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-9*(1+math.Abs(want[i])) {
			t.Fatalf("%s[%d] = %.12g, general path %.12g", what, i, got[i], want[i])
		}
	}
}

// The specialised CV prediction and update (cvPredict, cvUpdate) must agree with the general
// Kalman code (Model.Propagate with propagateCov, kalmanUpdateDet) to round-off, for every
// number of axes and both process-noise kinds.
func TestCVFastPathMatchesGeneral(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for na := 1; na <= 3; na++ {
		for _, noise := range []NoiseKind{CWNA, DWNA} {
			m := CVModel{N: na, Q: 3, Noise: noise}
			n := m.Dim()
			for trial := 0; trial < 20; trial++ {
				x, p := randomState(rng, na)
				dt := 0.1 + 5*rng.Float64()
				// Prediction.
				xg, pg := append([]float64(nil), x...), append([]float64(nil), p...)
				f, q, tmp := make([]float64, n*n), make([]float64, n*n), make([]float64, n*n)
				m.Propagate(xg, dt, f, q)
				propagateCov(pg, f, q, tmp, n)
				cvPredict(m, x, p, dt)
				closeAll(t, "x", x, xg)
				closeAll(t, "P", p, pg)
				// Update with a correlated measurement covariance.
				var z Position
				for a := 0; a < na; a++ {
					z.Z[a] = x[2*a] + 30*rng.NormFloat64()
					z.R[a][a] = 400 + 100*rng.Float64()
				}
				if na > 1 {
					z.R[0][1], z.R[1][0] = 50, 50
				}
				d2g, detg, okg := kalmanUpdateDet(m, xg, pg, &z)
				d2, det, ok := cvUpdate(na, x, p, &z)
				if ok != okg {
					t.Fatalf("ok %v, general %v", ok, okg)
				}
				closeAll(t, "d2, |S|", []float64{d2, det}, []float64{d2g, detg})
				closeAll(t, "updated x", x, xg)
				closeAll(t, "updated P", p, pg)
				for i := 0; i < n; i++ {
					for j := 0; j < n; j++ {
						if p[i*n+j] != p[j*n+i] {
							t.Fatalf("updated P not symmetric at %d, %d", i, j)
						}
					}
				}
			}
		}
	}
}

// RangeAzEl's conversion through the tracker's cache of angle factors equals Cartesian, and
// follows a change of the model's standard deviations.
func TestPolarCacheMatchesCartesian(t *testing.T) {
	m := &RangeAzEl{Origin: [3]float64{100, 200, 30}, East: [3]float64{0.8, 0.6, 0}, North: [3]float64{-0.6, 0.8, 0},
		Up: [3]float64{0, 0, 1}, SigmaRange: 20, SigmaAz: 0.01, SigmaEl: 0.02}
	var c polarCache
	for _, sAz := range []float64{0.01, 0.05} {
		m.SigmaAz = sAz
		d := Detection{Z: [3]float64{40000, 1.1, 0.05}, Model: m}
		got, err := c.cartesian(&d)
		want, err2 := m.Cartesian(d.Z)
		if err != nil || err2 != nil || got != want {
			t.Errorf("σaz %g: cached %+v (%v), Cartesian %+v (%v)", sAz, got, err, want, err2)
		}
	}
}
