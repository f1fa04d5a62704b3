// Package track owns the air picture: estimating each threat's state from sensor
// detections and keeping the track file (initiation, confirmation, deletion, identity).
//
// It holds two trackers. Picture is the first-fidelity, truth-associated track file the
// engine used first (each threat has at most one track; detections are matched to tracks by
// their true origin). Tracker is the real multi-target tracker: detections without truth
// labels, false alarms and several sensors feeding one track file in time order (central
// fusion), with
//
//   - filters: Kalman filters on the nearly-constant-velocity (CVModel) and
//     nearly-constant-acceleration (CAModel) models, an extended Kalman filter on the
//     coordinated-turn model (CTModel) and the CV/CT interacting multiple model filter (IMM);
//   - measurement models carried by each detection: Cartesian positions (PositionModel) and
//     2-D and 3-D radar polar reports (RangeBearing, RangeAzEl) through unbiased converted
//     measurements;
//   - chi-square gating with a spatial hash (GridGater) and global nearest neighbour
//     association (GNN) solved per gating cluster by the Jonker–Volgenant assignment solver
//     of package lap;
//   - one-point initiation, M-of-N confirmation, deletion on misses or covariance growth, and
//     a log-likelihood track score;
//   - OSPA and GOSPA metrics and track-identity measures (Metric, Scorer).
//
// The roles follow Stone Soup (Predictor, Updater, Hypothesiser, Associator, Initiator,
// Confirmer, Deleter), as small interfaces wired together in TrackerConfig. Sources:
// Bar-Shalom, Li & Kirubarajan, Estimation with Applications to Tracking and Navigation
// (2001); Blackman & Popoli, Design and Analysis of Modern Tracking Systems (1999); Jonker &
// Volgenant, Computing 38 (1987); Schuhmacher, Vo & Vo, IEEE TSP 56(8) (2008); Rahmathullah,
// García-Fernández & Svensson, FUSION 2017. docs/tracking.md has the equations and settings.
//
// It must not know radars' internals (a detection arrives as a measurement with its noise
// model, never as a signal-to-noise ratio or a beam) nor weapons, nor files (package
// track/dataset reads and writes the benchmark format). It keeps no global mutable state;
// a Tracker is not safe for concurrent use, give each goroutine its own.
package track

import (
	"github.com/adsim/adsim/geo"
)

// CV is a 3-D nearly-constant-velocity Kalman filter. State x = [px py pz vx vy vz] (m, m/s);
// process noise is continuous white noise acceleration per axis with spectral density Q
// (m²/s³): Q_axis = Q·[[T³/3, T²/2], [T²/2, T]] (Bar-Shalom, Li & Kirubarajan 2001, §6.2;
// PHYSICS.md §6 "CWNA").
type CV struct {
	X [6]float64
	P [6][6]float64
	// Q is the process-noise spectral density, m²/s³.
	Q float64
	// T is the time of the estimate, s.
	T float64
}

// NewCV starts a filter at time t from a position measurement z with covariance r and an
// isotropic velocity prior of standard deviation sigmaV (m/s) around v0.
func NewCV(t float64, z geo.Vec3, r [3][3]float64, v0 geo.Vec3, sigmaV, q float64) *CV {
	f := &CV{Q: q, T: t}
	f.X = [6]float64{z.X, z.Y, z.Z, v0.X, v0.Y, v0.Z}
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			f.P[i][j] = r[i][j]
		}
		f.P[3+i][3+i] = sigmaV * sigmaV
	}
	return f
}

// Pos returns the position estimate.
func (f *CV) Pos() geo.Vec3 { return geo.Vec3{X: f.X[0], Y: f.X[1], Z: f.X[2]} }

// Vel returns the velocity estimate.
func (f *CV) Vel() geo.Vec3 { return geo.Vec3{X: f.X[3], Y: f.X[4], Z: f.X[5]} }

// PosAt extrapolates the position to time t without changing the filter.
func (f *CV) PosAt(t float64) geo.Vec3 {
	return f.Pos().Add(f.Vel().Scale(t - f.T))
}

// Predict advances the estimate to time t: x ← F x, P ← F P Fᵀ + Q.
func (f *CV) Predict(t float64) {
	dt := t - f.T
	if dt <= 0 {
		return
	}
	for i := 0; i < 3; i++ {
		f.X[i] += dt * f.X[3+i]
	}
	// P ← F P Fᵀ with F = [[I, dt I], [0, I]], written out blockwise.
	var n [6][6]float64
	for i := 0; i < 6; i++ {
		for j := 0; j < 6; j++ {
			v := f.P[i][j]
			if i < 3 {
				v += dt * f.P[i+3][j]
			}
			n[i][j] = v
		}
	}
	for i := 0; i < 6; i++ {
		for j := 0; j < 3; j++ {
			n[i][j] += dt * n[i][j+3]
		}
	}
	q3, q2, q1 := f.Q*dt*dt*dt/3, f.Q*dt*dt/2, f.Q*dt
	for a := 0; a < 3; a++ {
		n[a][a] += q3
		n[a][a+3] += q2
		n[a+3][a] += q2
		n[a+3][a+3] += q1
	}
	f.P = n
	f.T = t
}

// Update folds in a position measurement z with covariance r (H = [I 0]). It returns the
// squared Mahalanobis distance of the innovation (for gating and quality), or false when the
// innovation covariance is singular (the update is skipped).
func (f *CV) Update(z geo.Vec3, r [3][3]float64) (float64, bool) {
	var s [3][3]float64
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			s[i][j] = f.P[i][j] + r[i][j]
		}
	}
	si, ok := inv3(s)
	if !ok {
		return 0, false
	}
	y := [3]float64{z.X - f.X[0], z.Y - f.X[1], z.Z - f.X[2]}
	// K = P Hᵀ S⁻¹ (6×3).
	var k [6][3]float64
	for i := 0; i < 6; i++ {
		for j := 0; j < 3; j++ {
			var v float64
			for m := 0; m < 3; m++ {
				v += f.P[i][m] * si[m][j]
			}
			k[i][j] = v
		}
	}
	var d2 float64
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			d2 += y[i] * si[i][j] * y[j]
		}
	}
	for i := 0; i < 6; i++ {
		f.X[i] += k[i][0]*y[0] + k[i][1]*y[1] + k[i][2]*y[2]
	}
	// P ← P − K H P (H P = first three rows of P), then symmetrised against round-off.
	var n [6][6]float64
	for i := 0; i < 6; i++ {
		for j := 0; j < 6; j++ {
			n[i][j] = f.P[i][j] - (k[i][0]*f.P[0][j] + k[i][1]*f.P[1][j] + k[i][2]*f.P[2][j])
		}
	}
	for i := 0; i < 6; i++ {
		for j := i + 1; j < 6; j++ {
			m := (n[i][j] + n[j][i]) / 2
			n[i][j], n[j][i] = m, m
		}
	}
	f.P = n
	return d2, true
}

// inv3 inverts a 3×3 matrix by cofactors.
func inv3(a [3][3]float64) ([3][3]float64, bool) {
	c00 := a[1][1]*a[2][2] - a[1][2]*a[2][1]
	c01 := a[1][2]*a[2][0] - a[1][0]*a[2][2]
	c02 := a[1][0]*a[2][1] - a[1][1]*a[2][0]
	det := a[0][0]*c00 + a[0][1]*c01 + a[0][2]*c02
	if det == 0 || det != det {
		return [3][3]float64{}, false
	}
	id := 1 / det
	return [3][3]float64{
		{c00 * id, (a[0][2]*a[2][1] - a[0][1]*a[2][2]) * id, (a[0][1]*a[1][2] - a[0][2]*a[1][1]) * id},
		{c01 * id, (a[0][0]*a[2][2] - a[0][2]*a[2][0]) * id, (a[0][2]*a[1][0] - a[0][0]*a[1][2]) * id},
		{c02 * id, (a[0][1]*a[2][0] - a[0][0]*a[2][1]) * id, (a[0][0]*a[1][1] - a[0][1]*a[1][0]) * id},
	}, true
}

func vec(z [3]float64) geo.Vec3 { return geo.Vec3{X: z[0], Y: z[1], Z: z[2]} }
