package track

import (
	"math"
	"testing"
)

// PHYSICS.md §6: FilterPy Q_continuous_white_noise(2, dt=0.1) with unit spectral density is
// [[0.00033333, 0.005], [0.005, 0.1]]. Predicting a state with zero covariance by 0.1 s with
// the CWNA nearly-constant-velocity model must add exactly that block on each axis.
func TestCVModelProcessNoiseIsCWNA(t *testing.T) {
	k := NewKalman(CVModel{N: 3, Q: 1})
	s := &State{X: make([]float64, 6), P: make([]float64, 36)}
	k.Predict(s, 0.1)
	want := [2][2]float64{{0.00033333, 0.005}, {0.005, 0.1}}
	for axis := 0; axis < 3; axis++ {
		p, v := 2*axis, 2*axis+1
		got := [2][2]float64{{s.P[p*6+p], s.P[p*6+v]}, {s.P[v*6+p], s.P[v*6+v]}}
		for i := 0; i < 2; i++ {
			for j := 0; j < 2; j++ {
				if math.Abs(got[i][j]-want[i][j]) > 5e-9 {
					t.Errorf("axis %d Q[%d][%d] = %.8f, want %.8f", axis, i, j, got[i][j], want[i][j])
				}
			}
		}
	}
}
