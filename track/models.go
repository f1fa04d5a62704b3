package track

import "math"

// Model is a motion model: how a state moves between two times and how uncertain that motion
// is. States are laid out axis by axis: for each spatial axis a, PosIndex(a) and VelIndex(a)
// say where its position and velocity are; models may add further components (acceleration,
// turn rate). A Model must be a value without hidden mutable state, so one Model can serve
// many filters.
type Model interface {
	// Dim is the state dimension.
	Dim() int
	// Axes is the number of spatial axes (1, 2 or 3).
	Axes() int
	// PosIndex and VelIndex locate axis a's position and velocity in the state.
	PosIndex(a int) int
	VelIndex(a int) int
	// Propagate moves the state x (length Dim) forward by dt > 0 in place and writes the
	// transition matrix (the Jacobian at the prior state for a nonlinear model) into F and the
	// process-noise covariance into Q, both Dim×Dim row-major and zeroed by the caller.
	Propagate(x []float64, dt float64, F, Q []float64)
	// PriorVar is the prior variance of state component i that is neither a position nor a
	// velocity (acceleration, turn rate), used by one-point initiation.
	PriorVar(i int) float64
}

// NoiseKind selects the process-noise model of CV: continuous or discrete white noise.
type NoiseKind uint8

const (
	// CWNA is continuous white-noise acceleration, Q = q·[[T³/3, T²/2], [T²/2, T]] per axis
	// with q the spectral density (m²/s³) (Bar-Shalom, Li & Kirubarajan 2001, §6.2.2).
	CWNA NoiseKind = iota
	// DWNA is discrete white-noise acceleration (piecewise constant per step),
	// Q = σv²·[[T⁴/4, T³/2], [T³/2, T²]] with σv² in m²/s⁴ (ibid., §6.3.2). Its steady-state
	// Kalman gain is the Kalata alpha-beta filter (PHYSICS.md §6).
	DWNA
)

// CVModel is the nearly-constant-velocity model, state [x vx (y vy (z vz))]
// (Bar-Shalom, Li & Kirubarajan 2001, §6.2–6.3). Q is the noise intensity: the spectral
// density q (m²/s³) for CWNA, the acceleration variance σv² (m²/s⁴) for DWNA.
type CVModel struct {
	N     int // spatial axes, 1 to 3
	Q     float64
	Noise NoiseKind
}

// Dim implements Model.
func (m CVModel) Dim() int { return 2 * m.N }

// Axes implements Model.
func (m CVModel) Axes() int { return m.N }

// PosIndex implements Model.
func (m CVModel) PosIndex(a int) int { return 2 * a }

// VelIndex implements Model.
func (m CVModel) VelIndex(a int) int { return 2*a + 1 }

// PriorVar implements Model; CV has no extra components.
func (m CVModel) PriorVar(int) float64 { return 0 }

// Propagate implements Model.
func (m CVModel) Propagate(x []float64, dt float64, F, Q []float64) {
	n := 2 * m.N
	var q00, q01, q11 float64
	if m.Noise == DWNA {
		q00, q01, q11 = m.Q*dt*dt*dt*dt/4, m.Q*dt*dt*dt/2, m.Q*dt*dt
	} else {
		q00, q01, q11 = m.Q*dt*dt*dt/3, m.Q*dt*dt/2, m.Q*dt
	}
	for a := 0; a < m.N; a++ {
		p, v := 2*a, 2*a+1
		x[p] += dt * x[v]
		F[p*n+p], F[p*n+v], F[v*n+v] = 1, dt, 1
		Q[p*n+p], Q[p*n+v], Q[v*n+p], Q[v*n+v] = q00, q01, q01, q11
	}
}

// CAModel is the nearly-constant-acceleration (Wiener-process acceleration) model, state
// [x vx ax (y vy ay (z vz az))], with continuous white-noise jerk of spectral density Q
// (m²/s⁵): Q_axis = Q·[[T⁵/20, T⁴/8, T³/6], [T⁴/8, T³/3, T²/2], [T³/6, T²/2, T]]
// (Bar-Shalom, Li & Kirubarajan 2001, §6.2.3). SigmaA0 is the acceleration prior (m/s²) of
// a new track.
type CAModel struct {
	N       int
	Q       float64
	SigmaA0 float64
}

// Dim implements Model.
func (m CAModel) Dim() int { return 3 * m.N }

// Axes implements Model.
func (m CAModel) Axes() int { return m.N }

// PosIndex implements Model.
func (m CAModel) PosIndex(a int) int { return 3 * a }

// VelIndex implements Model.
func (m CAModel) VelIndex(a int) int { return 3*a + 1 }

// PriorVar implements Model: the acceleration prior.
func (m CAModel) PriorVar(int) float64 { return m.SigmaA0 * m.SigmaA0 }

// Propagate implements Model.
func (m CAModel) Propagate(x []float64, dt float64, F, Q []float64) {
	n := 3 * m.N
	t2, t3 := dt*dt, dt*dt*dt
	q := [3][3]float64{
		{t3 * t2 / 20, t2 * t2 / 8, t3 / 6},
		{t2 * t2 / 8, t3 / 3, t2 / 2},
		{t3 / 6, t2 / 2, dt},
	}
	for a := 0; a < m.N; a++ {
		p, v, c := 3*a, 3*a+1, 3*a+2
		x[p] += dt*x[v] + t2/2*x[c]
		x[v] += dt * x[c]
		F[p*n+p], F[p*n+v], F[p*n+c] = 1, dt, t2/2
		F[v*n+v], F[v*n+c] = 1, dt
		F[c*n+c] = 1
		for i := 0; i < 3; i++ {
			for j := 0; j < 3; j++ {
				Q[(p+i)*n+p+j] = m.Q * q[i][j]
			}
		}
	}
}

// CTModel is the nearly-coordinated-turn model with unknown turn rate ω in the horizontal
// plane (Bar-Shalom, Li & Kirubarajan 2001, §11.7.2; Blackman & Popoli 1999, §4.2.3), state
// [x vx y vy ω] for N = 2 or [x vx y vy z vz ω] for N = 3 (z moves as CV). Propagation is
// the exact turn; the covariance uses its Jacobian (extended Kalman prediction). Q (m²/s³)
// is the CWNA intensity on each axis and QOmega (rad²/s³) the turn-rate diffusion.
//
// With Straight set the model is the constant-velocity mode of an IMM in the same state
// space: positions move in straight lines and ω decays to zero (its row of F is zero), as in
// the CV/CT IMM of Bar-Shalom, Li & Kirubarajan 2001, §11.7.
type CTModel struct {
	N        int
	Q        float64
	QOmega   float64
	SigmaW0  float64 // turn-rate prior of a new track, rad/s
	Straight bool
}

// Dim implements Model.
func (m CTModel) Dim() int { return 2*m.N + 1 }

// Axes implements Model.
func (m CTModel) Axes() int { return m.N }

// PosIndex implements Model.
func (m CTModel) PosIndex(a int) int { return 2 * a }

// VelIndex implements Model.
func (m CTModel) VelIndex(a int) int { return 2*a + 1 }

// PriorVar implements Model: the turn-rate prior.
func (m CTModel) PriorVar(int) float64 { return m.SigmaW0 * m.SigmaW0 }

// Propagate implements Model.
func (m CTModel) Propagate(x []float64, dt float64, F, Q []float64) {
	n := 2*m.N + 1
	w := 2 * m.N
	q00, q01, q11 := m.Q*dt*dt*dt/3, m.Q*dt*dt/2, m.Q*dt
	for a := 0; a < m.N; a++ {
		p, v := 2*a, 2*a+1
		Q[p*n+p], Q[p*n+v], Q[v*n+p], Q[v*n+v] = q00, q01, q01, q11
	}
	Q[w*n+w] = m.QOmega * dt
	if m.N == 3 {
		x[4] += dt * x[5]
		F[4*n+4], F[4*n+5], F[5*n+5] = 1, dt, 1
	}
	if m.Straight {
		x[0] += dt * x[1]
		x[2] += dt * x[3]
		F[0*n+0], F[0*n+1], F[1*n+1] = 1, dt, 1
		F[2*n+2], F[2*n+3], F[3*n+3] = 1, dt, 1
		x[w] = 0
		return
	}
	om := x[w]
	vx, vy := x[1], x[3]
	s, c := math.Sincos(om * dt)
	var a, b, da, db float64 // a = sin(ωT)/ω, b = (1−cos ωT)/ω and their ω-derivatives
	if math.Abs(om*dt) < 1e-6 {
		a, b = dt, om*dt*dt/2
		da, db = -om*dt*dt*dt/3, dt*dt/2
	} else {
		a, b = s/om, (1-c)/om
		da = (dt*c*om - s) / (om * om)
		db = (dt*s*om - (1 - c)) / (om * om)
	}
	x[0] += a*vx - b*vy
	x[2] += b*vx + a*vy
	x[1] = c*vx - s*vy
	x[3] = s*vx + c*vy
	F[0*n+0], F[0*n+1], F[0*n+3], F[0*n+w] = 1, a, -b, da*vx-db*vy
	F[1*n+1], F[1*n+3], F[1*n+w] = c, -s, -dt*s*vx-dt*c*vy
	F[2*n+2], F[2*n+1], F[2*n+3], F[2*n+w] = 1, b, a, db*vx+da*vy
	F[3*n+1], F[3*n+3], F[3*n+w] = s, c, dt*c*vx-dt*s*vy
	F[w*n+w] = 1
}
