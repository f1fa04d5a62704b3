package track

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestTruncatedMeanKnownValues checks the one-dimensional truncated normal mean against
// values from Abramowitz & Stegun, Table 26.1: φ(0) = 0.39894228 and 1 − Φ(0) = 0.5, so the
// half-normal mean is 0.79788456 σ; φ(1) = 0.24197072 and 1 − Φ(1) = 0.15865525, so the
// mean of N(0, 1) truncated to [1, ∞) is 1.5251352.
func TestTruncatedMeanKnownValues(t *testing.T) {
	const halfNormal, mills1 = 0.39894228 / 0.5, 0.24197072 / 0.15865525
	for _, c := range []struct {
		name       string
		x, p, d, b float64
		want       float64
		moved      bool
	}{
		{"half-normal", 0, 1, 1, 0, halfNormal, true},
		{"truncated at one sigma", 0, 1, 1, 1, mills1, true},
		{"scaled and shifted", 10, 4, 1, 10, 10 + 2*halfNormal, true},
		{"constraint scaled", 0, 1, 2, 0, halfNormal, true},
		{"negative direction: x ≤ 0", 0, 1, -1, 0, -halfNormal, true},
		{"mean far inside", 0, 1, 1, -9, 0, false},
		{"no variance", -3, 0, 1, 0, -3, false},
	} {
		out := make([]float64, 1)
		moved := TruncatedMean([]float64{c.x}, []float64{c.p}, []int{0}, []float64{c.d}, c.b, out)
		if moved != c.moved || math.Abs(out[0]-c.want) > 1e-7 {
			t.Errorf("%s: got %.9f (moved %v), want %.9f (moved %v)", c.name, out[0], moved, c.want, c.moved)
		}
	}
}

// TestTruncatedMeanFarOutside: a mean tens of deviations outside the half-space moves just
// inside it, by about σ/α (the asymptotic series), without overflow or NaN.
func TestTruncatedMeanFarOutside(t *testing.T) {
	for _, alpha := range []float64{5, 29.9, 30.1, 40, 1e3, 1e8} {
		out := make([]float64, 1)
		TruncatedMean([]float64{0}, []float64{1}, []int{0}, []float64{1}, alpha, out)
		if !(out[0] > alpha) || out[0] > alpha+1/alpha+1e-12 {
			t.Errorf("α = %g: truncated mean %.12g, want in (α, α + 1/α]", alpha, out[0])
		}
	}
	// Both sides of the switch to the series agree.
	if a, b := millsExact(30-1e-9), millsExact(30+1e-9); math.Abs(a-b) > 1e-8 {
		t.Errorf("λ jumps at 30: %.12g against %.12g", a, b)
	}
}

// TestTruncatedMeanMonteCarlo checks the multivariate result, correlated coordinates moved
// with the constrained one, against the mean of samples of the Gaussian that satisfy the
// constraint.
func TestTruncatedMeanMonteCarlo(t *testing.T) {
	// P = L·Lᵀ with a lower-triangular L: position-like coordinates correlated with a
	// velocity-like one.
	l := [3][3]float64{{20, 0, 0}, {5, 10, 0}, {8, -3, 4}}
	var p [9]float64
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				p[3*i+j] += l[i][k] * l[j][k]
			}
		}
	}
	x := []float64{-10, 3, 1}
	d := []float64{0.6, 0.8, 0} // a tilted "up"
	const b = 0.0
	out := make([]float64, 3)
	if !TruncatedMean(x, p[:], []int{0, 1}, d[:2], b, out) {
		t.Fatal("not moved")
	}
	rng := rand.New(rand.NewPCG(7, 11))
	var sum, sum2 [3]float64
	kept := 0
	for k := 0; k < 400000; k++ {
		z := [3]float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
		var s [3]float64
		for i := 0; i < 3; i++ {
			s[i] = x[i]
			for j := 0; j <= i; j++ {
				s[i] += l[i][j] * z[j]
			}
		}
		if d[0]*s[0]+d[1]*s[1]+d[2]*s[2] < b {
			continue
		}
		kept++
		for i := range s {
			sum[i] += s[i]
			sum2[i] += s[i] * s[i]
		}
	}
	for i := 0; i < 3; i++ {
		mean := sum[i] / float64(kept)
		se := math.Sqrt((sum2[i]/float64(kept) - mean*mean) / float64(kept))
		if math.Abs(mean-out[i]) > 4*se {
			t.Errorf("coordinate %d: truncated mean %.3f, samples' %.3f ± %.3f", i, out[i], mean, se)
		}
	}
	if out[0]*d[0]+out[1]*d[1] <= b {
		t.Errorf("truncated mean %v outside the half-space", out)
	}
}

// TestMillsTable: the interpolated inverse Mills ratio agrees with its definition between
// and at the table's nodes, and across both ends of the table, to 10⁻⁹ of max(λ, 1): the
// shift it gives, σ·λ, is then within a nanometre per metre of σ.
func TestMillsTable(t *testing.T) {
	worst := 0.0
	for a := -truncCutoff; a <= millsAsymptotic+1; a += 1.0 / 1024 {
		for _, x := range []float64{a, a + 1.0/(3*1024)} {
			got, want := millsInverse(x), millsExact(x)
			worst = max(worst, math.Abs(got-want)/max(want, 1))
		}
	}
	if worst > 1e-9 {
		t.Errorf("interpolated λ off by %.2g of max(λ, 1), want under 1e-9", worst)
	}
	for _, a := range []float64{-truncCutoff - 1, -truncCutoff, millsAsymptotic, 1e3} {
		if got, want := millsInverse(a), millsExact(a); math.Abs(got-want) > 1e-9*want {
			t.Errorf("λ(%g) = %.12g, want %.12g", a, got, want)
		}
	}
}

func BenchmarkTruncatedMean(b *testing.B) {
	x := []float64{100, 50, 2000, -40, 30, 1}
	p := make([]float64, 36)
	for i := 0; i < 6; i++ {
		p[7*i] = 400
	}
	idx, d := []int{0, 2, 4}, []float64{0.1, 0.2, 0.97}
	out := make([]float64, 6)
	for b.Loop() {
		TruncatedMean(x, p, idx, d, 10, out)
	}
}
