package track

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/adsim/adsim/geo"
)

// PHYSICS.md §6: FilterPy Q_continuous_white_noise(2, dt=0.1) with unit spectral density is
// [[0.00033333, 0.005], [0.005, 0.1]]. Predicting a filter with zero covariance by 0.1 s must
// add exactly that block on each axis.
func TestCVProcessNoiseIsCWNA(t *testing.T) {
	f := &CV{Q: 1}
	f.Predict(0.1)
	want := [2][2]float64{{0.00033333, 0.005}, {0.005, 0.1}}
	for axis := 0; axis < 3; axis++ {
		got := [2][2]float64{{f.P[axis][axis], f.P[axis][axis+3]}, {f.P[axis+3][axis], f.P[axis+3][axis+3]}}
		for i := 0; i < 2; i++ {
			for j := 0; j < 2; j++ {
				if math.Abs(got[i][j]-want[i][j]) > 5e-9 {
					t.Errorf("axis %d Q[%d][%d] = %.8f, want %.8f", axis, i, j, got[i][j], want[i][j])
				}
			}
		}
	}
}

func TestCVConvergesOnConstantVelocity(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const sigma = 50.0
	r := [3][3]float64{{sigma * sigma, 0, 0}, {0, sigma * sigma, 0}, {0, 0, sigma * sigma}}
	v := geo.Vec3{X: 200, Y: -100, Z: 5}
	p0 := geo.Vec3{X: 10000, Y: 5000, Z: 100}
	noisy := func(tt float64) geo.Vec3 {
		p := p0.Add(v.Scale(tt))
		return geo.Vec3{X: p.X + sigma*rng.NormFloat64(), Y: p.Y + sigma*rng.NormFloat64(), Z: p.Z + sigma*rng.NormFloat64()}
	}
	f := NewCV(0, noisy(0), r, geo.Vec3{}, 500, 0.1)
	var sq float64
	n := 0
	for k := 1; k <= 200; k++ {
		tt := float64(k)
		f.Predict(tt)
		if _, ok := f.Update(noisy(tt), r); !ok {
			t.Fatal("singular update")
		}
		if k > 100 {
			sq += f.Pos().Sub(p0.Add(v.Scale(tt))).Norm2() / 3
			n++
		}
	}
	rms := math.Sqrt(sq / float64(n))
	if rms > sigma/2 {
		t.Errorf("steady-state position RMS error %.1f m, want well under the %.0f m measurement noise", rms, sigma)
	}
	if d := f.Vel().Sub(v).Norm(); d > 10 {
		t.Errorf("velocity error %.1f m/s", d)
	}
	// The covariance stays symmetric and positive on the diagonal.
	for i := 0; i < 6; i++ {
		if f.P[i][i] <= 0 {
			t.Errorf("P[%d][%d] = %v", i, i, f.P[i][i])
		}
		for j := 0; j < 6; j++ {
			if f.P[i][j] != f.P[j][i] {
				t.Errorf("P not symmetric at %d,%d", i, j)
			}
		}
	}
}

func TestPictureLifeCycle(t *testing.T) {
	p := NewPicture(Config{ConfirmHits: 2, DropAfter: 10, Q: 1, SigmaV0: 100})
	r := [3][3]float64{{100, 0, 0}, {0, 100, 0}, {0, 0, 100}}
	if _, ch := p.Update(0, 7, "drone", geo.Vec3{}, r); ch != Initiated {
		t.Fatalf("first update: %v", ch)
	}
	if _, ch := p.Update(1, 7, "drone", geo.Vec3{X: 50}, r); ch != Confirmed {
		t.Fatalf("second update: %v", ch)
	}
	if _, ch := p.Update(2, 7, "drone", geo.Vec3{X: 100}, r); ch != Updated {
		t.Fatalf("third update: %v", ch)
	}
	var dropped []string
	p.Prune(11, func(tr *Track) { dropped = append(dropped, tr.ID) })
	if len(dropped) != 0 {
		t.Fatalf("dropped too early: %v", dropped)
	}
	p.Prune(12.5, func(tr *Track) { dropped = append(dropped, tr.ID) })
	if len(dropped) != 1 || len(p.Tracks()) != 0 {
		t.Fatalf("dropped %v, left %d", dropped, len(p.Tracks()))
	}
}

func BenchmarkCVUpdate(b *testing.B) {
	r := [3][3]float64{{100, 0, 0}, {0, 100, 0}, {0, 0, 100}}
	f := NewCV(0, geo.Vec3{}, r, geo.Vec3{}, 100, 1)
	for i := 0; i < b.N; i++ {
		f.Predict(float64(i + 1))
		f.Update(geo.Vec3{X: float64(i)}, r)
	}
}
