package track

// Specialised Kalman prediction and update for CVModel, the model of most trackers (the
// simulation engine's among them). The general code multiplies dense Dim×Dim matrices built
// by Model.Propagate and indexes the state through interface calls; for CV the transition is
// block-diagonal with 2×2 blocks [[1, T], [0, 1]] per axis and H selects the even components,
// so both steps reduce to a few dozen multiply-adds on the covariance (Bar-Shalom, Li &
// Kirubarajan 2001, §5.2.3 for the filter equations, §6.2.2 and §6.3.2 for Q).

// cvQ returns the per-axis process-noise block [[q00, q01], [q01, q11]] of m over dt.
func cvQ(m CVModel, dt float64) (q00, q01, q11 float64) {
	if m.Noise == DWNA {
		return m.Q * dt * dt * dt * dt / 4, m.Q * dt * dt * dt / 2, m.Q * dt * dt
	}
	return m.Q * dt * dt * dt / 3, m.Q * dt * dt / 2, m.Q * dt
}

// cvPredict predicts a CV state (x, p) of na axes by dt > 0 in place: x ← F x and
// p ← F p Fᵀ + Q. Written per 2×2 block (a, b) of p, with F_a = [[1, T], [0, 1]]:
//
//	F P_ab Fᵀ = [[pp + T(pv + vp) + T²vv, pv + T vv], [vp + T vv, vv]],
//
// plus Q on the diagonal blocks. Only blocks a ≤ b are computed and mirrored, so p stays
// exactly symmetric.
func cvPredict(m CVModel, x, p []float64, dt float64) {
	na := m.N
	n := 2 * na
	q00, q01, q11 := cvQ(m, dt)
	_ = x[n-1]
	_ = p[n*n-1]
	for a := 0; a < na; a++ {
		x[2*a] += dt * x[2*a+1]
	}
	for a := 0; a < na; a++ {
		pa, va := 2*a*n, (2*a+1)*n // row offsets of axis a's position and velocity
		for b := a; b < na; b++ {
			pb, vb := 2*b, 2*b+1 // columns of axis b's position and velocity
			pp, pv, vp, vv := p[pa+pb], p[pa+vb], p[va+pb], p[va+vb]
			npv := pv + dt*vv
			nvp := vp + dt*vv
			npp := pp + dt*(pv+vp) + dt*dt*vv
			if a == b {
				npp += q00
				npv += q01
				nvp = npv
				vv += q11
			}
			p[pa+pb], p[pb*n+2*a] = npp, npp
			p[pa+vb], p[vb*n+2*a] = npv, npv
			p[va+pb], p[pb*n+2*a+1] = nvp, nvp
			p[va+vb], p[vb*n+2*a+1] = vv, vv
		}
	}
}

// cvUpdate is kalmanUpdate for a CV state of na axes (positions at the even indices): it
// updates (x, p) in place with the position measurement z and returns d² = νᵀS⁻¹ν and |S|,
// S = H p Hᵀ + R the innovation covariance, or false (state unchanged) when S is not
// positive definite. The covariance update is P ← P − K S Kᵀ = P − (P Hᵀ) S⁻¹ (P Hᵀ)ᵀ on the
// upper triangle, mirrored (Bar-Shalom, Li & Kirubarajan 2001, eq. 5.2.3-15).
func cvUpdate(na int, x, p []float64, z *Position) (d2, det float64, ok bool) {
	if na == 3 {
		return cvUpdate3((*[6]float64)(x), (*[36]float64)(p), z)
	}
	return cvUpdateN(na, x, p, z)
}

// cvUpdateN is cvUpdate for any number of axes, with loops over na (the reference that
// cvUpdate3's unrolled arithmetic must match to the bit).
func cvUpdateN(na int, x, p []float64, z *Position) (d2, det float64, ok bool) {
	n := 2 * na
	_ = x[n-1]
	_ = p[n*n-1]
	var nu [3]float64
	var S [3][3]float64
	for a := 0; a < na; a++ {
		nu[a] = z.Z[a] - x[2*a]
		for b := a; b < na; b++ {
			v := p[2*a*n+2*b] + z.R[a][b]
			S[a][b], S[b][a] = v, v
		}
	}
	si, det, ok := invSym(S, na)
	if !ok {
		return 0, 0, false
	}
	var w [3]float64 // S⁻¹ ν
	for a := 0; a < na; a++ {
		for b := 0; b < na; b++ {
			w[a] += si[a][b] * nu[b]
		}
		d2 += nu[a] * w[a]
	}
	// ph = P Hᵀ (n×na: the position columns of p) and the gain K = ph S⁻¹.
	var ph, kg [6][3]float64
	for i := 0; i < n; i++ {
		row := p[i*n : i*n+n]
		for a := 0; a < na; a++ {
			ph[i][a] = row[2*a]
		}
		var dx float64
		for a := 0; a < na; a++ {
			var k float64
			for b := 0; b < na; b++ {
				k += ph[i][b] * si[b][a]
			}
			kg[i][a] = k
			dx += ph[i][a] * w[a]
		}
		x[i] += dx
	}
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			var v float64
			for a := 0; a < na; a++ {
				v += kg[i][a] * ph[j][a]
			}
			e := p[i*n+j] - v
			p[i*n+j], p[j*n+i] = e, e
		}
	}
	return d2, det, true
}

// cvUpdate3 is cvUpdate for three axes on fixed-size arrays (the engine's case), so the
// compiler drops the bounds checks and the loops run over constants.
func cvUpdate3(x *[6]float64, p *[36]float64, z *Position) (d2, det float64, ok bool) {
	var S [3][3]float64
	for a := 0; a < 3; a++ {
		for b := a; b < 3; b++ {
			v := p[12*a+2*b] + z.R[a][b]
			S[a][b], S[b][a] = v, v
		}
	}
	var si [3][3]float64
	det, ok = invSym3(&S, &si)
	if !ok {
		return 0, 0, false
	}
	return cvUpdate3Inv(x, p, z, &si), det, true
}

// cvUpdate3Inv is cvUpdate3 given si = S⁻¹, S = H p Hᵀ + R: the tracker's gate has already
// inverted the very same S (the same sums of the same entries of p and R, and invSym reads
// only their upper triangle), so the update need not invert it again. It returns d².
//
// It runs for every detection a track takes, so it is written out in scalars: the loops of
// cvUpdateN kept P Hᵀ and the gain in stack arrays and spent more time on their loads,
// stores and index arithmetic than on the products. Every sum is the loops' sum, in the
// same order, so the results are the same to the bit (TestCVUpdate3MatchesLoops).
func cvUpdate3Inv(x *[6]float64, p *[36]float64, z *Position, si *[3][3]float64) (d2 float64) {
	n0, n1, n2 := z.Z[0]-x[0], z.Z[1]-x[2], z.Z[2]-x[4]
	s00, s01, s02 := si[0][0], si[0][1], si[0][2]
	s10, s11, s12 := si[1][0], si[1][1], si[1][2]
	s20, s21, s22 := si[2][0], si[2][1], si[2][2]
	w0 := s00*n0 + s01*n1 + s02*n2 // S⁻¹ ν
	w1 := s10*n0 + s11*n1 + s12*n2
	w2 := s20*n0 + s21*n1 + s22*n2
	d2 = n0*w0 + n1*w1 + n2*w2
	// Row i of P Hᵀ is (h_i0, h_i1, h_i2) = (p[6i], p[6i+2], p[6i+4]) and row i of the gain
	// K = P Hᵀ S⁻¹ is (k_i0, k_i1, k_i2), all read or computed before p changes.
	h00, h01, h02 := p[0], p[2], p[4]
	h10, h11, h12 := p[6], p[8], p[10]
	h20, h21, h22 := p[12], p[14], p[16]
	h30, h31, h32 := p[18], p[20], p[22]
	h40, h41, h42 := p[24], p[26], p[28]
	h50, h51, h52 := p[30], p[32], p[34]
	k00 := h00*s00 + h01*s10 + h02*s20
	k01 := h00*s01 + h01*s11 + h02*s21
	k02 := h00*s02 + h01*s12 + h02*s22
	x[0] += h00*w0 + h01*w1 + h02*w2
	k10 := h10*s00 + h11*s10 + h12*s20
	k11 := h10*s01 + h11*s11 + h12*s21
	k12 := h10*s02 + h11*s12 + h12*s22
	x[1] += h10*w0 + h11*w1 + h12*w2
	k20 := h20*s00 + h21*s10 + h22*s20
	k21 := h20*s01 + h21*s11 + h22*s21
	k22 := h20*s02 + h21*s12 + h22*s22
	x[2] += h20*w0 + h21*w1 + h22*w2
	k30 := h30*s00 + h31*s10 + h32*s20
	k31 := h30*s01 + h31*s11 + h32*s21
	k32 := h30*s02 + h31*s12 + h32*s22
	x[3] += h30*w0 + h31*w1 + h32*w2
	k40 := h40*s00 + h41*s10 + h42*s20
	k41 := h40*s01 + h41*s11 + h42*s21
	k42 := h40*s02 + h41*s12 + h42*s22
	x[4] += h40*w0 + h41*w1 + h42*w2
	k50 := h50*s00 + h51*s10 + h52*s20
	k51 := h50*s01 + h51*s11 + h52*s21
	k52 := h50*s02 + h51*s12 + h52*s22
	x[5] += h50*w0 + h51*w1 + h52*w2
	// P ← P − K (P Hᵀ)ᵀ on the upper triangle, mirrored.
	p[0] -= k00*h00 + k01*h01 + k02*h02
	p[1] -= k00*h10 + k01*h11 + k02*h12
	p[6] = p[1]
	p[2] -= k00*h20 + k01*h21 + k02*h22
	p[12] = p[2]
	p[3] -= k00*h30 + k01*h31 + k02*h32
	p[18] = p[3]
	p[4] -= k00*h40 + k01*h41 + k02*h42
	p[24] = p[4]
	p[5] -= k00*h50 + k01*h51 + k02*h52
	p[30] = p[5]
	p[7] -= k10*h10 + k11*h11 + k12*h12
	p[8] -= k10*h20 + k11*h21 + k12*h22
	p[13] = p[8]
	p[9] -= k10*h30 + k11*h31 + k12*h32
	p[19] = p[9]
	p[10] -= k10*h40 + k11*h41 + k12*h42
	p[25] = p[10]
	p[11] -= k10*h50 + k11*h51 + k12*h52
	p[31] = p[11]
	p[14] -= k20*h20 + k21*h21 + k22*h22
	p[15] -= k20*h30 + k21*h31 + k22*h32
	p[20] = p[15]
	p[16] -= k20*h40 + k21*h41 + k22*h42
	p[26] = p[16]
	p[17] -= k20*h50 + k21*h51 + k22*h52
	p[32] = p[17]
	p[21] -= k30*h30 + k31*h31 + k32*h32
	p[22] -= k30*h40 + k31*h41 + k32*h42
	p[27] = p[22]
	p[23] -= k30*h50 + k31*h51 + k32*h52
	p[33] = p[23]
	p[28] -= k40*h40 + k41*h41 + k42*h42
	p[29] -= k40*h50 + k41*h51 + k42*h52
	p[34] = p[29]
	p[35] -= k50*h50 + k51*h51 + k52*h52
	return d2
}

// cvPredict3 is cvPredict for three axes on fixed-size arrays (the engine's case, every track
// predicted at every scan that covers it), written out block by block: the loops of
// cvPredict spent as much on index arithmetic and bounds checks as on the products. Each
// block reads only entries of the upper block triangle, which no earlier block writes (the
// mirrored stores go to the lower one), so the blocks are independent, and every value is
// cvPredict's expression on the same operands: the same results to the bit
// (TestCVPredict3MatchesLoops). The diagonal and off-diagonal blocks repeat on purpose: one
// function per block kind is too large for the Go inliner, and was measured 1.5× slower
// (BenchmarkKalmanPredictCV3, 23 → 35 ns).
func cvPredict3(m CVModel, x *[6]float64, p *[36]float64, dt float64) {
	q00, q01, q11 := cvQ(m, dt)
	x[0] += dt * x[1]
	x[2] += dt * x[3]
	x[4] += dt * x[5]
	// Block (0, 0).
	{
		pp, pv, vp, vv := p[0], p[1], p[6], p[7]
		npp := pp + dt*(pv+vp) + dt*dt*vv + q00
		npv := pv + dt*vv + q01
		vv += q11
		p[0] = npp
		p[1], p[6] = npv, npv
		p[7] = vv
	}
	// Block (0, 1).
	{
		pp, pv, vp, vv := p[2], p[3], p[8], p[9]
		npv := pv + dt*vv
		nvp := vp + dt*vv
		npp := pp + dt*(pv+vp) + dt*dt*vv
		p[2], p[12] = npp, npp
		p[3], p[18] = npv, npv
		p[8], p[13] = nvp, nvp
		p[9], p[19] = vv, vv
	}
	// Block (0, 2).
	{
		pp, pv, vp, vv := p[4], p[5], p[10], p[11]
		npv := pv + dt*vv
		nvp := vp + dt*vv
		npp := pp + dt*(pv+vp) + dt*dt*vv
		p[4], p[24] = npp, npp
		p[5], p[30] = npv, npv
		p[10], p[25] = nvp, nvp
		p[11], p[31] = vv, vv
	}
	// Block (1, 1).
	{
		pp, pv, vp, vv := p[14], p[15], p[20], p[21]
		npp := pp + dt*(pv+vp) + dt*dt*vv + q00
		npv := pv + dt*vv + q01
		vv += q11
		p[14] = npp
		p[15], p[20] = npv, npv
		p[21] = vv
	}
	// Block (1, 2).
	{
		pp, pv, vp, vv := p[16], p[17], p[22], p[23]
		npv := pv + dt*vv
		nvp := vp + dt*vv
		npp := pp + dt*(pv+vp) + dt*dt*vv
		p[16], p[26] = npp, npp
		p[17], p[32] = npv, npv
		p[22], p[27] = nvp, nvp
		p[23], p[33] = vv, vv
	}
	// Block (2, 2).
	{
		pp, pv, vp, vv := p[28], p[29], p[34], p[35]
		npp := pp + dt*(pv+vp) + dt*dt*vv + q00
		npv := pv + dt*vv + q01
		vv += q11
		p[28] = npp
		p[29], p[34] = npv, npv
		p[35] = vv
	}
}
