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
func cvUpdate3Inv(x *[6]float64, p *[36]float64, z *Position, si *[3][3]float64) (d2 float64) {
	nu := [3]float64{z.Z[0] - x[0], z.Z[1] - x[2], z.Z[2] - x[4]}
	var w [3]float64 // S⁻¹ ν
	for a := 0; a < 3; a++ {
		w[a] = si[a][0]*nu[0] + si[a][1]*nu[1] + si[a][2]*nu[2]
	}
	d2 = nu[0]*w[0] + nu[1]*w[1] + nu[2]*w[2]
	var ph, kg [6][3]float64 // P Hᵀ and K = P Hᵀ S⁻¹
	for i := 0; i < 6; i++ {
		ph[i] = [3]float64{p[6*i], p[6*i+2], p[6*i+4]}
	}
	for i := 0; i < 6; i++ {
		h := &ph[i]
		for a := 0; a < 3; a++ {
			kg[i][a] = h[0]*si[0][a] + h[1]*si[1][a] + h[2]*si[2][a]
		}
		x[i] += h[0]*w[0] + h[1]*w[1] + h[2]*w[2]
	}
	for i := 0; i < 6; i++ {
		k := &kg[i]
		for j := i; j < 6; j++ {
			h := &ph[j]
			e := p[6*i+j] - (k[0]*h[0] + k[1]*h[1] + k[2]*h[2])
			p[6*i+j], p[6*j+i] = e, e
		}
	}
	return d2
}
