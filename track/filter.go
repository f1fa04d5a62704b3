package track

import (
	"errors"
	"math"
)

// State is a track's estimate at time T: the mean X and covariance P (Dim×Dim, row-major)
// of a Gaussian. An interacting-multiple-model filter also keeps its mode-conditioned
// estimates in Modes; X and P are then their moment-matched combination.
type State struct {
	T    float64
	X, P []float64
	// Modes is nil for a single-model filter.
	Modes []Mode
	// QScale multiplies the process noise of this state's predictions (0 means 1): a track
	// can be given more than the model's Q when its target is known to accelerate harder —
	// the engine does so for tracks it identifies as ballistic, whose gravity and re-entry
	// drag (tens of m/s²) a filter tuned for aircraft and drones cannot follow.
	QScale float64
	// Accel is a known acceleration of the target, m/s² per spatial axis, added to each
	// prediction as a control input (x += ½·a·dt², v += a·dt; a linear model's covariance is
	// unchanged):
	// the engine gives tracks it identifies as ballistic the local gravity, which a
	// constant-velocity filter would otherwise have to absorb as process noise.
	Accel [3]float64
}

// Mode is one model-conditioned estimate of an IMM filter, with its probability.
type Mode struct {
	X, P []float64
	Prob float64
}

// Clone returns a deep copy of s.
func (s *State) Clone() *State {
	c := &State{T: s.T, X: append([]float64(nil), s.X...), P: append([]float64(nil), s.P...), QScale: s.QScale, Accel: s.Accel}
	for _, m := range s.Modes {
		c.Modes = append(c.Modes, Mode{X: append([]float64(nil), m.X...), P: append([]float64(nil), m.P...), Prob: m.Prob})
	}
	return c
}

// Predictor moves a state to a later time (Stone Soup's Predictor role).
type Predictor interface {
	Predict(s *State, t float64)
}

// Updater folds a position measurement into a state (Stone Soup's Updater role). Update
// returns the innovation's squared Mahalanobis distance, or false when the innovation
// covariance is singular (the state is then unchanged).
type Updater interface {
	Update(s *State, z *Position) (d2 float64, ok bool)
}

// Filter is a recursive estimator: it starts states from one measurement and predicts and
// updates them. Implementations keep scratch space and are not safe for concurrent use; give
// each tracker its own.
type Filter interface {
	Predictor
	Updater
	// Initiate starts a state at time t from a position measurement, with velocity prior
	// mean v0 and isotropic standard deviation sigmaV (m/s) (one-point initiation).
	Initiate(t float64, z *Position, v0 [3]float64, sigmaV float64) *State
	// Axes is the number of spatial axes of the states (2 or 3).
	Axes() int
	// PosIndex locates axis a's position in State.X; VelIndex its velocity.
	PosIndex(a int) int
	VelIndex(a int) int
}

// Position is a Cartesian position measurement in the tracking frame: Z (m; unused axes
// zero) with covariance R (m²). Every MeasurementModel reduces a detection to one.
type Position struct {
	Z [3]float64
	R [3][3]float64
}

// Kalman is the (extended, for a nonlinear Model such as CTModel) Kalman filter for position
// measurements: prediction x ← f(x), P ← F P Fᵀ + Q; update with H selecting the position,
// S = H P Hᵀ + R, K = P Hᵀ S⁻¹, x ← x + K ν, P ← P − K S Kᵀ (Bar-Shalom, Li &
// Kirubarajan 2001, §5.2).
type Kalman struct {
	Model Model
	f, q  []float64 // scratch: F, Q
	tmp   []float64
}

// NewKalman returns a Kalman filter on model m.
func NewKalman(m Model) *Kalman { return &Kalman{Model: m} }

// Axes implements Filter.
func (k *Kalman) Axes() int { return k.Model.Axes() }

// PosIndex implements Filter.
func (k *Kalman) PosIndex(a int) int { return k.Model.PosIndex(a) }

// VelIndex implements Filter.
func (k *Kalman) VelIndex(a int) int { return k.Model.VelIndex(a) }

// Initiate implements Filter.
func (k *Kalman) Initiate(t float64, z *Position, v0 [3]float64, sigmaV float64) *State {
	s := newState(k.Model.Dim())
	s.T = t
	initiateInto(k.Model, z, v0, sigmaV, s.X, s.P)
	return s
}

// stateCV3 holds a State and its storage for the three-axis CV model (Dim 6), so that
// initiating a track, which happens for every detection no track claims (false alarms
// included), allocates once.
type stateCV3 struct {
	s State
	v [6 + 6*6]float64
}

// newState returns a zero State of dimension n with X and P allocated together (X's
// capacity is limited, so appending to it cannot overwrite P).
func newState(n int) *State {
	if n == 6 {
		b := new(stateCV3)
		b.s.X, b.s.P = b.v[:6:6], b.v[6:]
		return &b.s
	}
	buf := make([]float64, n+n*n)
	return &State{X: buf[:n:n], P: buf[n:]}
}

func initiate(m Model, z *Position, v0 [3]float64, sigmaV float64) ([]float64, []float64) {
	n := m.Dim()
	x, p := make([]float64, n), make([]float64, n*n)
	initiateInto(m, z, v0, sigmaV, x, p)
	return x, p
}

// initiateInto is initiate writing into x and p, which must be zero.
func initiateInto(m Model, z *Position, v0 [3]float64, sigmaV float64, x, p []float64) {
	if cv, ok := m.(CVModel); ok && cv.N == 3 && len(x) == 6 && len(p) == 36 {
		initiateCV3((*[6]float64)(x), (*[36]float64)(p), z, &v0, sigmaV)
		return
	}
	n, na := m.Dim(), m.Axes()
	// The flags live on the stack for the usual dimensions.
	var kindBuf [16]bool
	var kind []bool
	if n <= len(kindBuf) {
		kind = kindBuf[:n]
	} else {
		kind = make([]bool, n)
	}
	for a := 0; a < na; a++ {
		pa, va := m.PosIndex(a), m.VelIndex(a)
		kind[pa], kind[va] = true, true
		x[pa], x[va] = z.Z[a], v0[a]
		for b := 0; b < na; b++ {
			p[pa*n+m.PosIndex(b)] = z.R[a][b]
		}
		p[va*n+va] = sigmaV * sigmaV
	}
	for i := 0; i < n; i++ {
		if !kind[i] {
			p[i*n+i] = m.PriorVar(i)
		}
	}
}

// initiateCV3 is initiateInto for the three-axis CV model (every track the engine starts,
// most of them on false alarms), without the loop's interface calls: position i at x[2i],
// velocity at x[2i+1], the position block of p from R and sigmaV² on the velocity diagonal.
// Only stores of the same values (TestInitiateCV3MatchesGeneral).
func initiateCV3(x *[6]float64, p *[36]float64, z *Position, v0 *[3]float64, sigmaV float64) {
	x[0], x[1], x[2], x[3], x[4], x[5] = z.Z[0], v0[0], z.Z[1], v0[1], z.Z[2], v0[2]
	r := &z.R
	p[0], p[2], p[4] = r[0][0], r[0][1], r[0][2]
	p[12], p[14], p[16] = r[1][0], r[1][1], r[1][2]
	p[24], p[26], p[28] = r[2][0], r[2][1], r[2][2]
	v := sigmaV * sigmaV
	p[7], p[21], p[35] = v, v, v
}

// Predict implements Predictor. A time at or before s.T leaves s unchanged.
func (k *Kalman) Predict(s *State, t float64) {
	dt := t - s.T
	if !(dt > 0) {
		return
	}
	if cv, ok := k.Model.(CVModel); ok && cv.N == 3 && len(s.X) == 6 && len(s.P) == 36 {
		// The engine's case, straight to the three-axis code: the general path below wraps
		// a scaled model in an interface and asserts its type again in predict.
		predictCV3(cv, s, t, dt)
		return
	}
	m := k.Model
	if s.QScale > 0 && s.QScale != 1 {
		m = scaledQ{m, s.QScale}
	}
	k.predict(m, s.X, s.P, dt)
	if s.Accel != ([3]float64{}) {
		addAccel(k.Model, s.X, &s.Accel, dt)
	}
	s.T = t
}

// predictCV3 is Kalman.Predict of a state s of the three-axis CV model cv (len(s.X) = 6,
// len(s.P) = 36) to time t, dt = t − s.T > 0. The tracker calls it directly for every track
// behind the scan's time (Tracker.predictAll), sparing a call and a type assertion per track.
func predictCV3(cv CVModel, s *State, t, dt float64) {
	if s.QScale > 0 && s.QScale != 1 {
		cv.Q *= s.QScale // as predict does for a scaledQ
	}
	cvPredict3(cv, (*[6]float64)(s.X), (*[36]float64)(s.P), dt)
	if s.Accel != ([3]float64{}) {
		addAccel(cv, s.X, &s.Accel, dt)
	}
	s.T = t
}

// addAccel adds the known acceleration a over dt to the state x of model m (State.Accel).
func addAccel(m Model, x []float64, a *[3]float64, dt float64) {
	for ax := 0; ax < m.Axes() && ax < 3; ax++ {
		x[m.PosIndex(ax)] += 0.5 * a[ax] * dt * dt
		x[m.VelIndex(ax)] += a[ax] * dt
	}
}

func (k *Kalman) predict(m Model, x, p []float64, dt float64) {
	n := len(x)
	if cv, ok := m.(CVModel); ok && n == cv.Dim() && n > 0 {
		cvPredict(cv, x, p, dt)
		return
	}
	if sq, ok := m.(scaledQ); ok {
		if cv, ok := sq.Model.(CVModel); ok && n == cv.Dim() && n > 0 {
			cv.Q *= sq.scale
			cvPredict(cv, x, p, dt)
			return
		}
	}
	if len(k.f) != n*n {
		k.f, k.q, k.tmp = make([]float64, n*n), make([]float64, n*n), make([]float64, n*n)
	} else {
		clear(k.f)
		clear(k.q)
	}
	m.Propagate(x, dt, k.f, k.q)
	propagateCov(p, k.f, k.q, k.tmp, n)
}

// propagateCov sets p ← F p Fᵀ + Q, skipping F's zeros (F is sparse for every model here).
func propagateCov(p, f, q, tmp []float64, n int) {
	// tmp = F p
	for i := 0; i < n; i++ {
		row := tmp[i*n : i*n+n]
		clear(row)
		for l := 0; l < n; l++ {
			fl := f[i*n+l]
			if fl == 0 {
				continue
			}
			pl := p[l*n : l*n+n]
			for j := range row {
				row[j] += fl * pl[j]
			}
		}
	}
	// p = tmp Fᵀ + Q (symmetric: compute the upper triangle and mirror)
	for i := 0; i < n; i++ {
		ti := tmp[i*n : i*n+n]
		for j := i; j < n; j++ {
			fj := f[j*n : j*n+n]
			v := q[i*n+j]
			for l, fl := range fj {
				if fl != 0 {
					v += ti[l] * fl
				}
			}
			p[i*n+j], p[j*n+i] = v, v
		}
	}
}

// Update implements Updater.
func (k *Kalman) Update(s *State, z *Position) (float64, bool) {
	d2, _, ok := k.update(s, z)
	return d2, ok
}

// update is Update that also returns the determinant of the innovation covariance, which
// the tracker's score needs (detUpdater).
func (k *Kalman) update(s *State, z *Position) (d2, det float64, ok bool) {
	if cv, isCV := k.Model.(CVModel); isCV && len(s.X) == cv.Dim() && len(s.X) > 0 && len(s.P) == len(s.X)*len(s.X) {
		return cvUpdate(cv.N, s.X, s.P, z)
	}
	d2, det, ok = kalmanUpdateDet(k.Model, s.X, s.P, z)
	return d2, det, ok
}

// detUpdater is a Filter whose update also returns |S|, the determinant of the innovation
// covariance before the update, sparing the tracker a second computation of S for the
// track score.
type detUpdater interface {
	update(s *State, z *Position) (d2, det float64, ok bool)
}

// invUpdater is a Filter that can update with the inverse innovation covariance S⁻¹
// already computed by the gate for this very state and measurement (GridGater keeps it per
// edge), sparing a second inversion of S. updateInv reports false, having changed nothing,
// when it has no such path for s; the caller then uses Update.
type invUpdater interface {
	updateInv(s *State, z *Position, si *[3][3]float64) bool
}

// updateInv implements invUpdater for the three-axis CV model (the engine's filter).
func (k *Kalman) updateInv(s *State, z *Position, si *[3][3]float64) bool {
	if cv, isCV := k.Model.(CVModel); isCV && cv.N == 3 && len(s.X) == 6 && len(s.P) == 36 {
		cvUpdate3Inv((*[6]float64)(s.X), (*[36]float64)(s.P), z, si)
		return true
	}
	return false
}

// Innovation returns the innovation ν = z − Hx and its covariance S = H P Hᵀ + R of a
// position measurement against a state of filter f, over f's axes.
func Innovation(f Filter, s *State, z *Position) (nu [3]float64, S [3][3]float64) {
	na := f.Axes()
	n := len(s.X)
	for a := 0; a < na; a++ {
		pa := f.PosIndex(a)
		nu[a] = z.Z[a] - s.X[pa]
		for b := 0; b < na; b++ {
			S[a][b] = s.P[pa*n+f.PosIndex(b)] + z.R[a][b]
		}
	}
	return nu, S
}

// kalmanUpdate updates (x, p) in place; it returns d² and the innovation likelihood
// N(ν; 0, S) = exp(−d²/2) / √((2π)^D |S|).
func kalmanUpdate(m Model, x, p []float64, z *Position) (float64, float64, bool) {
	d2, det, ok := kalmanUpdateDet(m, x, p, z)
	if !ok {
		return 0, 0, false
	}
	lik := math.Exp(-d2/2) / math.Sqrt(math.Pow(2*math.Pi, float64(m.Axes()))*det)
	return d2, lik, true
}

// kalmanUpdateDet updates (x, p) in place; it returns d² and |S|.
func kalmanUpdateDet(m Model, x, p []float64, z *Position) (float64, float64, bool) {
	n, na := len(x), m.Axes()
	var hi [3]int
	var nu [3]float64
	var S [3][3]float64
	for a := 0; a < na; a++ {
		hi[a] = m.PosIndex(a)
	}
	for a := 0; a < na; a++ {
		nu[a] = z.Z[a] - x[hi[a]]
		for b := 0; b < na; b++ {
			S[a][b] = p[hi[a]*n+hi[b]] + z.R[a][b]
		}
	}
	si, det, ok := invSym(S, na)
	if !ok || !(det > 0) {
		return 0, 0, false
	}
	var d2 float64
	var w [3]float64 // S⁻¹ ν
	for a := 0; a < na; a++ {
		for b := 0; b < na; b++ {
			w[a] += si[a][b] * nu[b]
		}
		d2 += nu[a] * w[a]
	}
	// PHt (n×na) in a stack buffer for n ≤ 9.
	var phBuf, kBuf [9 * 3]float64
	ph, kg := phBuf[:n*na], kBuf[:n*na]
	if n > 9 {
		ph, kg = make([]float64, n*na), make([]float64, n*na)
	}
	for i := 0; i < n; i++ {
		for a := 0; a < na; a++ {
			ph[i*na+a] = p[i*n+hi[a]]
		}
	}
	for i := 0; i < n; i++ {
		for a := 0; a < na; a++ {
			var v float64
			for b := 0; b < na; b++ {
				v += ph[i*na+b] * si[b][a]
			}
			kg[i*na+a] = v
		}
		var dx float64
		for a := 0; a < na; a++ {
			dx += ph[i*na+a] * w[a]
		}
		x[i] += dx
	}
	// P ← P − K (P Hᵀ)ᵀ, symmetric.
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			var v float64
			for a := 0; a < na; a++ {
				v += kg[i*na+a] * ph[j*na+a]
			}
			e := p[i*n+j] - v
			if i != j {
				e = (e + p[j*n+i] - v) / 2
			}
			p[i*n+j], p[j*n+i] = e, e
		}
	}
	return d2, det, true
}

// detSym is the determinant of invSym's matrix alone, with invSym's verdict on positive
// definiteness: the same products in the same order, so the same value, without the
// cofactors and divisions of the inverse (the miss cost of GridGater needs only ln|S|).
func detSym(s [3][3]float64, na int) (float64, bool) {
	var det float64
	switch na {
	case 1:
		return s[0][0], s[0][0] > 0
	case 2:
		det = s[0][0]*s[1][1] - s[0][1]*s[1][0]
	case 3:
		s00, s01, s02, s11, s12, s22 := s[0][0], s[0][1], s[0][2], s[1][1], s[1][2], s[2][2]
		det = s00*(s11*s22-s12*s12) + s01*(s12*s02-s01*s22) + s02*(s01*s12-s11*s02)
	default:
		return 0, false
	}
	return det, det > 0 && !math.IsInf(det, 0)
}

// invSym inverts the leading na×na block of a symmetric matrix; it returns the inverse and
// the determinant.
func invSym(s [3][3]float64, na int) ([3][3]float64, float64, bool) {
	var o [3][3]float64
	switch na {
	case 1:
		if !(s[0][0] > 0) {
			return o, 0, false
		}
		o[0][0] = 1 / s[0][0]
		return o, s[0][0], true
	case 2:
		det := s[0][0]*s[1][1] - s[0][1]*s[1][0]
		if !(det > 0) || math.IsInf(det, 0) {
			return o, 0, false
		}
		o[0][0], o[1][1] = s[1][1]/det, s[0][0]/det
		o[0][1], o[1][0] = -s[0][1]/det, -s[1][0]/det
		return o, det, true
	case 3:
		det, ok := invSym3(&s, &o)
		return o, det, ok
	}
	return o, 0, false
}

// invSym3 is invSym for na = 3 through pointers (it runs for every gated pair and every
// update, and passing 3×3 arrays by value costs as much as the arithmetic); o is left
// unchanged when it reports false.
func invSym3(s, o *[3][3]float64) (float64, bool) {
	i00, i01, i02, i11, i12, i22, det, ok := invSym3u(s[0][0], s[0][1], s[0][2], s[1][1], s[1][2], s[2][2])
	if !ok {
		return 0, false
	}
	*o = [3][3]float64{{i00, i01, i02}, {i01, i11, i12}, {i02, i12, i22}}
	return det, true
}

// invSym3u is invSym3 on the upper triangle s_ab (a ≤ b) of a symmetric matrix, which is
// all it reads, given and returned in registers: the upper triangle i_ab of the inverse and
// the determinant, or false (and zeros) when the matrix is not positive definite. The gate
// (gatePairs3) calls it on every pair in a gate box and keeps the inverse only for the pairs
// that pass.
func invSym3u(s00, s01, s02, s11, s12, s22 float64) (i00, i01, i02, i11, i12, i22, det float64, ok bool) {
	// Cofactors of the upper triangle (the inverse of a symmetric matrix is the symmetric
	// adjugate over the determinant), each computed once.
	c00 := s11*s22 - s12*s12
	c01 := s12*s02 - s01*s22
	c02 := s01*s12 - s11*s02
	det = s00*c00 + s01*c01 + s02*c02
	if !(det > 0) || math.IsInf(det, 0) {
		return 0, 0, 0, 0, 0, 0, 0, false
	}
	id := 1 / det
	i11 = (s00*s22 - s02*s02) * id
	i12 = (s01*s02 - s00*s12) * id
	i22 = (s00*s11 - s01*s01) * id
	return c00 * id, c01 * id, c02 * id, i11, i12, i22, det, true
}

// IMM is the interacting multiple model filter (Blom & Bar-Shalom 1988; Bar-Shalom, Li &
// Kirubarajan 2001, §11.6.6): r model-matched extended Kalman filters on one state space,
// mixed each cycle through the Markov mode-switching matrix Switch (Switch[i][j] = P(mode j
// at k+1 | mode i at k), rows sum to 1). Prediction mixes the mode estimates with the mixing
// probabilities and predicts each; the update weights each mode by its innovation
// likelihood. The state's X and P are the moment-matched combination, used for gating and
// output. The standard pair for manoeuvring air threats is CTModel{Straight: true} and
// CTModel: see NewIMMCVCT.
type IMM struct {
	Models []Model
	Switch [][]float64
	// Prior holds the initial mode probabilities; nil means uniform.
	Prior []float64
	k     Kalman
	mixX  [][]float64
	mixP  [][]float64
}

// NewIMMCVCT returns the two-mode CV/coordinated-turn IMM in n axes with CWNA intensity q
// (m²/s³), turn-rate diffusion qOmega (rad²/s³), turn-rate prior sigmaW0 (rad/s) and the
// probability pStay of keeping a mode per scan (0.9–0.98 are usual; Bar-Shalom, Li &
// Kirubarajan 2001, §11.7.3).
func NewIMMCVCT(n int, q, qOmega, sigmaW0, pStay float64) *IMM {
	return &IMM{
		Models: []Model{
			CTModel{N: n, Q: q, QOmega: qOmega, SigmaW0: sigmaW0, Straight: true},
			CTModel{N: n, Q: q, QOmega: qOmega, SigmaW0: sigmaW0},
		},
		Switch: [][]float64{{pStay, 1 - pStay}, {1 - pStay, pStay}},
	}
}

// Axes implements Filter.
func (f *IMM) Axes() int { return f.Models[0].Axes() }

// PosIndex implements Filter.
func (f *IMM) PosIndex(a int) int { return f.Models[0].PosIndex(a) }

// VelIndex implements Filter.
func (f *IMM) VelIndex(a int) int { return f.Models[0].VelIndex(a) }

// Validate reports a malformed IMM (no models, mismatched dimensions, bad switching matrix).
func (f *IMM) Validate() error {
	r := len(f.Models)
	if r == 0 || len(f.Switch) != r {
		return errors.New("track: IMM needs models and an r×r switching matrix")
	}
	for i, row := range f.Switch {
		if len(row) != r {
			return errors.New("track: IMM switching matrix is not square")
		}
		var s float64
		for _, v := range row {
			if !(v >= 0) {
				return errors.New("track: IMM switching probability is negative")
			}
			s += v
		}
		if math.Abs(s-1) > 1e-9 {
			return errors.New("track: IMM switching matrix row does not sum to 1")
		}
		if f.Models[i].Dim() != f.Models[0].Dim() {
			return errors.New("track: IMM models differ in state dimension")
		}
	}
	return nil
}

// Initiate implements Filter.
func (f *IMM) Initiate(t float64, z *Position, v0 [3]float64, sigmaV float64) *State {
	s := &State{T: t}
	r := len(f.Models)
	for i, m := range f.Models {
		x, p := initiate(m, z, v0, sigmaV)
		pr := 1 / float64(r)
		if len(f.Prior) == r {
			pr = f.Prior[i]
		}
		s.Modes = append(s.Modes, Mode{X: x, P: p, Prob: pr})
	}
	s.X = append([]float64(nil), s.Modes[0].X...)
	s.P = append([]float64(nil), s.Modes[0].P...)
	combine(s)
	return s
}

// Predict implements Predictor: mixing, then mode-matched prediction, then combination.
func (f *IMM) Predict(s *State, t float64) {
	dt := t - s.T
	if !(dt > 0) || len(s.Modes) != len(f.Models) {
		return
	}
	r, n := len(f.Models), len(s.X)
	if len(f.mixX) != r || len(f.mixX[0]) != n {
		f.mixX, f.mixP = make([][]float64, r), make([][]float64, r)
		for j := range f.mixX {
			f.mixX[j], f.mixP[j] = make([]float64, n), make([]float64, n*n)
		}
	}
	// Predicted mode probabilities c_j = Σ_i π_ij μ_i and mixing weights μ_i|j = π_ij μ_i / c_j.
	cbar := make([]float64, r)
	for j := 0; j < r; j++ {
		for i := 0; i < r; i++ {
			cbar[j] += f.Switch[i][j] * s.Modes[i].Prob
		}
	}
	for j := 0; j < r; j++ {
		x0, p0 := f.mixX[j], f.mixP[j]
		clear(x0)
		clear(p0)
		if !(cbar[j] > 0) {
			copy(x0, s.Modes[j].X)
			copy(p0, s.Modes[j].P)
			continue
		}
		for i := 0; i < r; i++ {
			w := f.Switch[i][j] * s.Modes[i].Prob / cbar[j]
			for a, v := range s.Modes[i].X {
				x0[a] += w * v
			}
		}
		for i := 0; i < r; i++ {
			w := f.Switch[i][j] * s.Modes[i].Prob / cbar[j]
			xi, pi := s.Modes[i].X, s.Modes[i].P
			for a := 0; a < n; a++ {
				da := xi[a] - x0[a]
				for b := 0; b < n; b++ {
					p0[a*n+b] += w * (pi[a*n+b] + da*(xi[b]-x0[b]))
				}
			}
		}
	}
	for j, m := range f.Models {
		copy(s.Modes[j].X, f.mixX[j])
		copy(s.Modes[j].P, f.mixP[j])
		if s.QScale > 0 && s.QScale != 1 {
			m = scaledQ{m, s.QScale}
		}
		f.k.predict(m, s.Modes[j].X, s.Modes[j].P, dt)
		if s.Accel != ([3]float64{}) {
			addAccel(f.Models[j], s.Modes[j].X, &s.Accel, dt)
		}
		s.Modes[j].Prob = cbar[j]
	}
	s.T = t
	combine(s)
}

// Update implements Updater: each mode is updated and reweighted by its likelihood; d² is
// that of the combined prediction, for gating consistency.
func (f *IMM) Update(s *State, z *Position) (float64, bool) {
	if len(s.Modes) != len(f.Models) {
		return 0, false
	}
	d2c, _, okc := kalmanUpdate(f.Models[0], append([]float64(nil), s.X...), append([]float64(nil), s.P...), z)
	if !okc {
		return 0, false
	}
	var tot float64
	liks := make([]float64, len(s.Modes))
	for j := range s.Modes {
		_, lik, ok := kalmanUpdate(f.Models[j], s.Modes[j].X, s.Modes[j].P, z)
		if !ok {
			lik = 0
		}
		liks[j] = lik * s.Modes[j].Prob
		tot += liks[j]
	}
	if tot > 0 && !math.IsInf(tot, 0) {
		for j := range s.Modes {
			s.Modes[j].Prob = liks[j] / tot
		}
	}
	combine(s)
	return d2c, true
}

// combine sets s.X, s.P to the moment-matched mixture of s.Modes.
func combine(s *State) {
	n := len(s.X)
	clear(s.X)
	clear(s.P)
	for _, m := range s.Modes {
		for a, v := range m.X {
			s.X[a] += m.Prob * v
		}
	}
	for _, m := range s.Modes {
		for a := 0; a < n; a++ {
			da := m.X[a] - s.X[a]
			for b := 0; b < n; b++ {
				s.P[a*n+b] += m.Prob * (m.P[a*n+b] + da*(m.X[b]-s.X[b]))
			}
		}
	}
}

// scaledQ is a model whose process noise is scale times Model's (State.QScale).
type scaledQ struct {
	Model
	scale float64
}

// Propagate is Model's, with Q scaled.
func (m scaledQ) Propagate(x []float64, dt float64, f, q []float64) {
	m.Model.Propagate(x, dt, f, q)
	for i := range q {
		q[i] *= m.scale
	}
}
