package radar

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

const speedOfLight = 299792458.0

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// PHYSICS §2: MATLAB radareqsnr / radareqrng examples [S], with the doc
// defaults G = 20 dB, σ = 1 m², Ts = 290 K, L = 0 dB. Values are given to
// four decimals (dB) and five significant figures (m).
func TestRangeEquationMATLAB(t *testing.T) {
	tests := []struct {
		name  string
		r     RangeEquation
		rng   float64
		want  float64
		toler float64
	}{
		{"radareqsnr(c/1e9, 50e3, 1e6, 0.2e-6)",
			RangeEquation{PeakPower: 1e6, PulseWidth: 0.2e-6, GainDB: 20, Wavelength: speedOfLight / 1e9, RCS: 1, SystemTemp: 290},
			50e3, 5.5868, 5e-5},
		{"10 GHz, 100 km, 1 MW, 1 µs, σ=0.5, G=40, Ts=300, L=3",
			RangeEquation{PeakPower: 1e6, PulseWidth: 1e-6, GainDB: 40, Wavelength: speedOfLight / 10e9, RCS: 0.5, SystemTemp: 300, LossDB: 3},
			100e3, 14.3778, 5e-5},
	}
	for _, tc := range tests {
		if err := tc.r.Validate(); err != nil {
			t.Fatal(err)
		}
		if got := tc.r.SNRdB(tc.rng); !near(got, tc.want, tc.toler) {
			t.Errorf("%s: SNR = %.5f dB, want %v", tc.name, got, tc.want)
		}
		// MaxRange inverts SNR.
		if got := tc.r.MaxRange(tc.r.SNRdB(tc.rng)); !near(got, tc.rng, 1e-6*tc.rng) {
			t.Errorf("%s: MaxRange(SNR(R)) = %v, want %v", tc.name, got, tc.rng)
		}
	}
	r := RangeEquation{PeakPower: 1e6, PulseWidth: 10e-6, GainDB: 20, Wavelength: speedOfLight / 10e9, RCS: 1, SystemTemp: 290}
	if got := r.MaxRange(6); !near(got, 4.1057e4, 5) {
		t.Errorf("radareqrng(c/10e9, 6, 1e6, 10e-6) = %.1f m, want 4.1057e4", got)
	}
	if got := r.SNR(0); !math.IsInf(got, 1) {
		t.Errorf("SNR(0) = %v, want +Inf", got)
	}
	if err := (RangeEquation{}).Validate(); err == nil {
		t.Error("zero RangeEquation validated")
	}
}

// PHYSICS §2: R_max ∝ σ^¼, ratios vs 1 m² [C], to the digits given.
func TestRangeRatioRCS(t *testing.T) {
	tests := []struct{ rcs, ratio, tol float64 }{
		{100, 3.162, 5e-4}, {10, 1.778, 5e-4}, {0.1, 0.5623, 5e-5}, {0.01, 0.3162, 5e-5}, {0.001, 0.1778, 5e-5},
	}
	base := RangeEquation{PeakPower: 1e6, PulseWidth: 1e-6, GainDB: 35, Wavelength: 0.03, RCS: 1, SystemTemp: 500, LossDB: 4}
	m := NewModel(100e3, 1)
	for _, tc := range tests {
		r := base
		r.RCS = tc.rcs
		if got := r.MaxRange(13) / base.MaxRange(13); !near(got, tc.ratio, tc.tol) {
			t.Errorf("RangeEquation σ=%v: ratio %.5f, want %v", tc.rcs, got, tc.ratio)
		}
		// The Model's SNR scaling gives the same ratio: the range at which
		// σ reaches RefPd is RefRange·(σ/RefRCS)^¼.
		if got := m.Pd(m.RefRange*tc.ratio, tc.rcs); !near(got, m.RefPd, 2e-3) {
			t.Errorf("Model σ=%v: Pd at ratio·RefRange = %v, want ≈ %v", tc.rcs, got, m.RefPd)
		}
	}
}

func TestDB(t *testing.T) {
	for _, x := range []float64{1e-9, 0.5, 1, 2, 1e6} {
		if got := FromDB(DB(x)); !near(got, x, 1e-12*x) {
			t.Errorf("FromDB(DB(%v)) = %v", x, got)
		}
	}
	if DB(100) != 20 || FromDB(30) != 1000 {
		t.Error("DB/FromDB basic values")
	}
}

// PHYSICS §3 table of required SNR (dB). Approximation formulas (Albersheim,
// Shnidman) are evaluated exactly, so they are asserted to 1e-4 dB; exact
// Swerling values (root-finding) to 1e-3 dB.
func TestRequiredSNRTable(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		pd, pfa                       float64
		n                             int
		alb, sh0, exact0, sh1, exact1 float64
	}{
		{0.9, 1e-6, 1, 13.1145, 13.1217, 13.1835, 21.3461, 21.1436},
		{0.5, 1e-6, 1, 11.2320, 11.1716, 11.2426, nan, 12.7719},
		{0.5, 1e-6, 10, 3.5563, 3.7453, nan, nan, nan},
		{0.5, 1e-6, 100, -2.5149, -2.6330, nan, nan, nan},
	}
	check := func(name string, got, want, tol float64) {
		t.Helper()
		if !math.IsNaN(want) && !near(got, want, tol) {
			t.Errorf("%s = %.5f dB, want %v", name, got, want)
		}
	}
	for _, tc := range tests {
		id := fmt.Sprintf("(pd=%v, pfa=%v, n=%d)", tc.pd, tc.pfa, tc.n)
		a, err := Albersheim(tc.pd, tc.pfa, tc.n)
		if err != nil {
			t.Fatal(err)
		}
		check("Albersheim"+id, a, tc.alb, 1e-4)
		s0, err := Shnidman(tc.pd, tc.pfa, tc.n, 0)
		if err != nil {
			t.Fatal(err)
		}
		check("Shnidman Sw0"+id, s0, tc.sh0, 1e-4)
		s1, err := Shnidman(tc.pd, tc.pfa, tc.n, 1)
		if err != nil {
			t.Fatal(err)
		}
		check("Shnidman Sw1"+id, s1, tc.sh1, 1e-4)
		if tc.n == 1 {
			e0, err := RequiredSNRSwerling0(tc.pd, tc.pfa)
			if err != nil {
				t.Fatal(err)
			}
			check("exact Sw0"+id, DB(e0), tc.exact0, 1e-3)
			check("exact Sw1"+id, DB(RequiredSNRSwerling1(tc.pd, tc.pfa)), tc.exact1, 1e-3)
			// The inverses reproduce pd.
			if got := PdSwerling0(e0, tc.pfa); !near(got, tc.pd, 1e-9) {
				t.Errorf("PdSwerling0(required) = %v, want %v", got, tc.pd)
			}
			if got := PdSwerling1(RequiredSNRSwerling1(tc.pd, tc.pfa), tc.pfa); !near(got, tc.pd, 1e-12) {
				t.Errorf("PdSwerling1(required) = %v, want %v", got, tc.pd)
			}
		}
	}
}

func TestDetectionBadInput(t *testing.T) {
	tests := []struct {
		name string
		err  error
	}{
		{"Albersheim pd=1", func() error { _, e := Albersheim(1, 1e-6, 1); return e }()},
		{"Albersheim pfa=0", func() error { _, e := Albersheim(0.9, 0, 1); return e }()},
		{"Albersheim n=0", func() error { _, e := Albersheim(0.9, 1e-6, 0); return e }()},
		{"Albersheim NaN", func() error { _, e := Albersheim(math.NaN(), 1e-6, 1); return e }()},
		{"Albersheim undefined (pd ≪ ½, pfa large)", func() error { _, e := Albersheim(1e-6, 0.5, 1); return e }()},
		{"Shnidman swerling 5", func() error { _, e := Shnidman(0.9, 1e-6, 1, 5); return e }()},
		{"Shnidman n=0", func() error { _, e := Shnidman(0.9, 1e-6, 0, 1); return e }()},
		{"Shnidman pd=0", func() error { _, e := Shnidman(0, 1e-6, 1, 1); return e }()},
		{"RequiredSNRSwerling0 pd=1", func() error { _, e := RequiredSNRSwerling0(1, 1e-6); return e }()},
		{"RequiredSNRSwerling0 pfa=1", func() error { _, e := RequiredSNRSwerling0(0.5, 1); return e }()},
	}
	for _, tc := range tests {
		if tc.err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	if s, err := RequiredSNRSwerling0(1e-7, 1e-6); err != nil || s != 0 {
		t.Errorf("RequiredSNRSwerling0(pd<pfa) = %v, %v; want 0, nil", s, err)
	}
	if got := RequiredSNRSwerling1(1e-7, 1e-6); got != 0 {
		t.Errorf("RequiredSNRSwerling1(pd<pfa) = %v, want 0", got)
	}
	if got := RequiredSNRSwerling1(0.5, 0); !math.IsNaN(got) {
		t.Errorf("RequiredSNRSwerling1(pfa=0) = %v, want NaN", got)
	}
	for _, got := range []float64{PdSwerling1(-3, 1e-6), PdSwerling0(-3, 1e-6)} {
		if !near(got, 1e-6, 1e-18) {
			t.Errorf("Pd at negative SNR = %v, want pfa", got)
		}
	}
	if !math.IsNaN(PdSwerling0(math.NaN(), 1e-6)) || !math.IsNaN(PdSwerling1(1, math.NaN())) || !math.IsNaN(MarcumQ1(math.NaN(), 1)) {
		t.Error("NaN not propagated")
	}
}

// besselI0 is the modified Bessel function by its power series (test only,
// moderate arguments).
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	for k := 1; k < 500; k++ {
		term *= (x / 2) * (x / 2) / float64(k*k)
		sum += term
		if term < 1e-17*sum {
			break
		}
	}
	return sum
}

// MarcumQ1 against closed forms and the identity
// Q1(a,b) + Q1(b,a) = 1 + exp(-(a²+b²)/2)·I0(ab).
func TestMarcumQ1(t *testing.T) {
	for _, b := range []float64{0, 0.1, 1, 3, 10, 30} {
		if got, want := MarcumQ1(0, b), math.Exp(-b*b/2); !near(got, want, 1e-15*want+1e-300) {
			t.Errorf("Q1(0,%v) = %v, want %v", b, got, want)
		}
	}
	tests := []struct{ a, b float64 }{
		{0.5, 0.7}, {1, 2}, {2, 1}, {3, 3}, {5.3, 6.4}, {6.4, 5.3}, {10, 12}, {7, 0.2}, {0.01, 4}, {20, 21}, {1e-3, 1e-3},
	}
	for _, tc := range tests {
		q1, q2 := MarcumQ1(tc.a, tc.b), MarcumQ1(tc.b, tc.a)
		want := 1 + math.Exp(-(tc.a*tc.a+tc.b*tc.b)/2)*besselI0(tc.a*tc.b)
		if !near(q1+q2, want, 1e-12) {
			t.Errorf("Q1(%v,%v)+Q1(%v,%v) = %.15g, want %.15g", tc.a, tc.b, tc.b, tc.a, q1+q2, want)
		}
		if q1 < 0 || q1 > 1 {
			t.Errorf("Q1(%v,%v) = %v out of [0,1]", tc.a, tc.b, q1)
		}
	}
	// Q1(a, a) → ½ + 1/(2a√(2π)) for large a (asymptotic I0).
	if got, want := MarcumQ1(1000, 1000), 0.5+1/(2*1000*math.Sqrt(2*math.Pi)); !near(got, want, 1e-7) {
		t.Errorf("Q1(1000,1000) = %v, want ≈ %v", got, want)
	}
	// Monotone: increasing in a, decreasing in b.
	prev := 0.0
	for a := 0.0; a < 15; a += 0.25 {
		q := MarcumQ1(a, 6)
		if q < prev {
			t.Fatalf("Q1 not increasing in a at %v", a)
		}
		prev = q
	}
	if MarcumQ1(1, 100) != 0 || MarcumQ1(100, 1) != 1 {
		t.Error("far tails")
	}
}

// Empirical single-pulse detection against the closed forms: complex
// Gaussian noise of unit power, threshold V_T = -ln Pfa on |s+n|², signal
// power SNR (Swerling 0) or exponentially distributed with mean SNR
// (Swerling 1: Rayleigh amplitude). Seeded; asserted within 3σ (binomial).
func TestPdEmpirical(t *testing.T) {
	const trials = 200000
	r := rand.New(rand.NewPCG(11, 12))
	for _, tc := range []struct{ snrDB, pfa float64 }{{10, 1e-3}, {13, 1e-4}, {5, 1e-2}} {
		snr := FromDB(tc.snrDB)
		vt := -math.Log(tc.pfa)
		var hit0, hit1 int
		for i := 0; i < trials; i++ {
			n1, n2 := r.NormFloat64()*math.Sqrt(0.5), r.NormFloat64()*math.Sqrt(0.5)
			ph := 2 * math.Pi * r.Float64()
			// Swerling 0: constant amplitude √SNR.
			a := math.Sqrt(snr)
			i0, q0 := a*math.Cos(ph)+n1, a*math.Sin(ph)+n2
			if i0*i0+q0*q0 > vt {
				hit0++
			}
			// Swerling 1: RCS ~ exponential with mean 1, same noise.
			a1 := math.Sqrt(snr * r.ExpFloat64())
			i1, q1 := a1*math.Cos(ph)+n1, a1*math.Sin(ph)+n2
			if i1*i1+q1*q1 > vt {
				hit1++
			}
		}
		for _, c := range []struct {
			name string
			hits int
			want float64
		}{{"Swerling 0", hit0, PdSwerling0(snr, tc.pfa)}, {"Swerling 1", hit1, PdSwerling1(snr, tc.pfa)}} {
			p := float64(c.hits) / trials
			sigma := math.Sqrt(c.want * (1 - c.want) / trials)
			if math.Abs(p-c.want) > 3*sigma {
				t.Errorf("%s SNR %v dB pfa %v: empirical Pd %.4f, formula %.4f (3σ = %.4f)", c.name, tc.snrDB, tc.pfa, p, c.want, 3*sigma)
			}
		}
	}
}

func TestModelPd(t *testing.T) {
	m := NewModel(150e3, 2)
	m.MaxRange = 400e3
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := m.Pd(m.RefRange, m.RefRCS); !near(got, m.RefPd, 1e-12) {
		t.Errorf("Pd(RefRange, RefRCS) = %v, want %v", got, m.RefPd)
	}
	// PHYSICS §3: RefSNR for 0.9, 1e-6 is the exact Swerling 1 value 21.1436 dB.
	if got := DB(m.RefSNR()); !near(got, 21.1436, 1e-3) {
		t.Errorf("RefSNR = %v dB, want 21.1436", got)
	}
	prev := 1.0
	for rng := 1e3; rng <= 400e3; rng += 1e3 {
		p := m.Pd(rng, 0.5)
		if p > prev || p < 0 || p > 1 {
			t.Fatalf("Pd not monotone decreasing at %v m: %v after %v", rng, p, prev)
		}
		prev = p
	}
	tests := []struct {
		name      string
		rng, rcs  float64
		want, tol float64
	}{
		{"beyond MaxRange", 400e3 + 1, 1e6, 0, 0},
		{"zero range", 0, 1, 1, 0},
		{"zero rcs", 50e3, 0, m.Pfa, 1e-18},
		{"16× RCS at 2× range", 2 * m.RefRange, 16 * m.RefRCS, m.RefPd, 1e-12},
	}
	for _, tc := range tests {
		if got := m.Pd(tc.rng, tc.rcs); !near(got, tc.want, tc.tol) {
			t.Errorf("%s: Pd = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestModelValidate(t *testing.T) {
	good := NewModel(100e3, 1)
	good.SigmaRange, good.SigmaAzimuth, good.SigmaElevation = 10, 1e-3, 1e-3
	if err := good.Validate(); err != nil {
		t.Fatalf("good model: %v", err)
	}
	tests := []struct {
		name string
		mut  func(*Model)
	}{
		{"zero RefRange", func(m *Model) { m.RefRange = 0 }},
		{"NaN RefRCS", func(m *Model) { m.RefRCS = math.NaN() }},
		{"RefPd 1", func(m *Model) { m.RefPd = 1 }},
		{"RefPd below Pfa", func(m *Model) { m.RefPd = 1e-7 }},
		{"Pfa 0", func(m *Model) { m.Pfa = 0 }},
		{"negative MaxRange", func(m *Model) { m.MaxRange = -1 }},
		{"inverted elevations", func(m *Model) { m.MinElevation, m.MaxElevation = 1, 0 }},
		{"negative sigma", func(m *Model) { m.SigmaAzimuth = -1 }},
		{"infinite sigma", func(m *Model) { m.SigmaRange = math.Inf(1) }},
	}
	for _, tc := range tests {
		m := good
		tc.mut(&m)
		if m.Validate() == nil {
			t.Errorf("%s: validated", tc.name)
		}
	}
	if (Model{}).Validate() == nil {
		t.Error("zero Model validated")
	}
}

func TestModelCovers(t *testing.T) {
	m := NewModel(100e3, 1)
	m.MaxRange, m.MinElevation, m.MaxElevation = 200e3, 0, 1
	tests := []struct {
		z    Measurement
		want bool
	}{
		{Measurement{150e3, 1, 0.5}, true},
		{Measurement{250e3, 1, 0.5}, false},
		{Measurement{150e3, 1, -0.01}, false},
		{Measurement{150e3, 1, 1.2}, false},
	}
	for _, tc := range tests {
		if got := m.Covers(tc.z); got != tc.want {
			t.Errorf("Covers(%+v) = %v, want %v", tc.z, got, tc.want)
		}
	}
}

// Measure's sample mean and standard deviation match truth and the sigmas
// (seeded; tolerance 2% on σ for 100,000 samples, ≈ 4.5 standard errors).
func TestMeasureNoise(t *testing.T) {
	m := NewModel(100e3, 1)
	m.SigmaRange, m.SigmaAzimuth, m.SigmaElevation = 25, 2e-3, 3e-3
	truth := Measurement{Range: 80e3, Azimuth: 1.0, Elevation: 0.1}
	r := rand.New(rand.NewPCG(7, 8))
	const n = 100000
	var s, s2 [3]float64
	for i := 0; i < n; i++ {
		z := m.Measure(truth, r)
		d := [3]float64{z.Range - truth.Range, z.Azimuth - truth.Azimuth, z.Elevation - truth.Elevation}
		for k := range d {
			s[k] += d[k]
			s2[k] += d[k] * d[k]
		}
	}
	sig := [3]float64{m.SigmaRange, m.SigmaAzimuth, m.SigmaElevation}
	for k := range sig {
		mean := s[k] / n
		std := math.Sqrt(s2[k]/n - mean*mean)
		if math.Abs(mean) > 4*sig[k]/math.Sqrt(n) {
			t.Errorf("component %d: mean error %v", k, mean)
		}
		if math.Abs(std/sig[k]-1) > 0.02 {
			t.Errorf("component %d: std %v, want %v", k, std, sig[k])
		}
	}
	if got := m.Measure(truth, nil); got != truth {
		t.Errorf("Measure(nil rng) = %v, want truth", got)
	}
	// Azimuth wraps into [0, 2π).
	for i := 0; i < 1000; i++ {
		z := m.Measure(Measurement{Range: 1e3, Azimuth: 0, Elevation: 0}, r)
		if z.Azimuth < 0 || z.Azimuth >= 2*math.Pi {
			t.Fatalf("azimuth %v not wrapped", z.Azimuth)
		}
	}
}

// The first-order Cartesian covariance matches the Monte Carlo covariance of
// converted noisy measurements (seeded; 3% of the largest standard deviation
// product, well above the sampling error of ≈ 0.5%).
func TestCartesianCovariance(t *testing.T) {
	m := NewModel(100e3, 1)
	m.SigmaRange, m.SigmaAzimuth, m.SigmaElevation = 50, 2e-3, 3e-3
	for _, truth := range []Measurement{{50e3, 0.3, 0.05}, {20e3, 4.0, 0.7}, {80e3, 2.0, -0.02}} {
		x0, y0, z0, cov := m.Cartesian(truth)
		// Position check.
		if !near(math.Sqrt(x0*x0+y0*y0+z0*z0), truth.Range, 1e-6) || !near(math.Atan2(z0, math.Hypot(x0, y0)), truth.Elevation, 1e-12) {
			t.Errorf("Cartesian position wrong for %+v", truth)
		}
		if az := math.Atan2(x0, y0); !near(math.Remainder(az-truth.Azimuth, 2*math.Pi), 0, 1e-12) {
			t.Errorf("Cartesian azimuth %v, want %v", az, truth.Azimuth)
		}
		r := rand.New(rand.NewPCG(9, 10))
		const n = 100000
		var mc [3][3]float64
		for i := 0; i < n; i++ {
			x, y, z, _ := m.Cartesian(m.Measure(truth, r))
			d := [3]float64{x - x0, y - y0, z - z0}
			for a := 0; a < 3; a++ {
				for b := 0; b < 3; b++ {
					mc[a][b] += d[a] * d[b] / n
				}
			}
		}
		for a := 0; a < 3; a++ {
			for b := 0; b < 3; b++ {
				scale := math.Sqrt(cov[a][a] * cov[b][b])
				if cov[a][b] != cov[b][a] {
					t.Errorf("cov not symmetric")
				}
				if math.Abs(mc[a][b]-cov[a][b]) > 0.03*scale {
					t.Errorf("%+v: cov[%d][%d] = %.4g, Monte Carlo %.4g", truth, a, b, cov[a][b], mc[a][b])
				}
			}
		}
	}
}

func ExamplePdSwerling1() {
	// PHYSICS §3: 21.1436 dB gives Pd = 0.9 at Pfa = 1e-6.
	fmt.Printf("%.4f\n", PdSwerling1(FromDB(21.1436), 1e-6))
	// Output: 0.9000
}

func ExampleAlbersheim() {
	snr, err := Albersheim(0.9, 1e-6, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f dB\n", snr)
	// Output: 13.1145 dB
}

func ExampleRangeEquation_SNRdB() {
	// MATLAB radareqsnr(c/1e9, 50e3, 1e6, 0.2e-6) (PHYSICS §2).
	r := RangeEquation{PeakPower: 1e6, PulseWidth: 0.2e-6, GainDB: 20,
		Wavelength: 299792458 / 1e9, RCS: 1, SystemTemp: 290}
	fmt.Printf("%.4f dB\n", r.SNRdB(50e3))
	// Output: 5.5868 dB
}

func ExampleModel() {
	// A search radar that sees a 2 m² fighter at 150 km with Pd 0.9.
	m := NewModel(150e3, 2)
	m.SigmaRange, m.SigmaAzimuth, m.SigmaElevation = 30, 1e-3, 2e-3
	fmt.Printf("Pd(150 km, 2 m²) = %.2f\n", m.Pd(150e3, 2))
	fmt.Printf("Pd(100 km, 0.1 m²) = %.2f\n", m.Pd(100e3, 0.1))
	x, y, z, cov := m.Cartesian(Measurement{Range: 100e3, Azimuth: math.Pi / 2, Elevation: 0})
	fmt.Printf("east %.0f north %.0f up %.0f; σ_north %.0f m\n", x, y, z, math.Sqrt(cov[1][1]))
	// Output:
	// Pd(150 km, 2 m²) = 0.90
	// Pd(100 km, 0.1 m²) = 0.67
	// east 100000 north 0 up 0; σ_north 100 m
}

var sink float64
var (
	sinkM Measurement
	sinkF float64
)

func BenchmarkPd(b *testing.B) {
	m := NewModel(150e3, 2)
	rng := 120e3
	for b.Loop() {
		sink = m.Pd(rng, 1.5)
	}
}

func BenchmarkMeasure(b *testing.B) {
	m := NewModel(150e3, 2)
	m.SigmaRange, m.SigmaAzimuth, m.SigmaElevation = 30, 1e-3, 2e-3
	r := rand.New(rand.NewPCG(1, 2))
	truth := Measurement{Range: 1e5, Azimuth: 1, Elevation: 0.1}
	for b.Loop() {
		sinkM = m.Measure(truth, r)
	}
}

func BenchmarkCartesian(b *testing.B) {
	m := NewModel(150e3, 2)
	m.SigmaRange, m.SigmaAzimuth, m.SigmaElevation = 30, 1e-3, 2e-3
	z := Measurement{Range: 1e5, Azimuth: 1, Elevation: 0.1}
	for b.Loop() {
		_, _, _, c := m.Cartesian(z)
		sink = c[0][0]
	}
}

func BenchmarkPdSwerling0(b *testing.B) {
	for b.Loop() {
		sink = PdSwerling0(FromDB(13), 1e-6)
	}
}

// TestWrapAzimuthShortcut checks that Measure's azimuth reduction, which skips math.Mod for
// azimuths already in [0, 2π), gives the bits of the reduction through math.Mod for every
// input: the interval's ends and their neighbours, signed zeros, negative and large values,
// infinities and NaN, and random values around the interval.
func TestWrapAzimuthShortcut(t *testing.T) {
	tp := 2 * math.Pi
	cases := []float64{0, math.Copysign(0, -1), math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64,
		1, math.Pi, math.Nextafter(tp, 0), tp, math.Nextafter(tp, 7), -1e-17, -tp, math.Nextafter(-tp, 0),
		3 * tp, -7.5, 1e300, -1e300, math.Inf(1), math.Inf(-1), math.NaN()}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100_000 {
		cases = append(cases, (rng.Float64()*1.2-0.1)*tp)
	}
	for _, az := range cases {
		got, want := wrapAzimuth(az), wrapAzimuthMod(az)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("azimuth %v: wrapAzimuth %v, through math.Mod %v", az, got, want)
		}
	}
}

// BenchmarkWrapAzimuth measures the azimuth reduction of every measurement, in the usual
// case (already in [0, 2π)) with the shortcut and through math.Mod.
func BenchmarkWrapAzimuth(b *testing.B) {
	az := 1.234
	for _, c := range []struct {
		name string
		f    func(float64) float64
	}{{"shortcut", wrapAzimuth}, {"mod", wrapAzimuthMod}} {
		b.Run(c.name, func(b *testing.B) {
			var s float64
			for b.Loop() {
				s += c.f(az)
			}
			sinkF = s
		})
	}
}
