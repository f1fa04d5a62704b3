package engage

import (
	"math"
	"testing"

	"github.com/adsim/adsim/geo"
)

// fly advances m frame by frame against the target motion tgt until an event or tMax.
func fly(m *Missile, tgt func(t float64) TargetState, frame, tMax float64, track Predictor) Event {
	for m.Time() < tMax {
		t := m.Time()
		if ev := m.Step(frame, tgt(t), tgt(t+frame), track); ev.Kind != NoEvent {
			return ev
		}
	}
	return Event{}
}

// constVel returns the motion of a point at p with velocity v at t = 0.
func constVel(p, v geo.Vec3) func(float64) TargetState {
	return func(t float64) TargetState { return TargetState{Pos: p.Add(v.Scale(t)), Vel: v} }
}

// coaster is a constant-mass, thrustless, drag-free interceptor at speed v.
func coaster(v, n float64, law GuidanceLaw) MissileSpec {
	return MissileSpec{MassLaunch: 100, MassBurnout: 100, LaunchSpeed: v, MaxLateralG: 1000,
		NavConstant: n, Law: law, LockOnRange: 1e9, Step: 0.01, MaxStep: 0.01}
}

// PHYSICS.md §4 (Zarchan, Tactical and Strategic Missile Guidance, ch. 2): linear zero-lag
// engagement with heading error HE: n_c(t) = (−V_M·HE·N′/t_F)·(1−t/t_F)^(N′−2),
// |ΔV| = |V_M·HE|·N′/(N′−1). V_M = 900 m/s, HE = −20°, t_F = 10 s.
//
// The closed forms are those of the linearised engagement, in which the command is
// proportional to HE. The 3-DOF model is run at HE/100 (where the linearisation error is
// ~1e−5) and its commands are scaled by 100; a second run at the full −20° checks the
// nonlinear model hits.
func TestPNHeadingErrorClosedForm(t *testing.T) {
	const vm, tf = 900.0, 10.0
	const he = -20 * math.Pi / 180
	const scale = 100.0
	cases := []struct {
		n                float64
		law              GuidanceLaw
		nc0, nc5, deltaV float64 // PHYSICS §4 table
	}{
		{3, PurePN, 94.248, 47.124, 471.24},
		{4, PurePN, 125.664, 31.416, 418.88},
		{3, TruePN, 94.248, 47.124, 471.24},
		{4, TruePN, 125.664, 31.416, 418.88},
	}
	for _, c := range cases {
		t.Run(c.law.String()+"/N="+string(rune('0'+int(c.n))), func(t *testing.T) {
			h := he / scale
			dir := geo.Vec3{X: math.Cos(h), Y: math.Sin(h)}
			m, err := NewMissile(coaster(vm, c.n, c.law), Env{}, geo.Vec3{}, dir, 0)
			if err != nil {
				t.Fatal(err)
			}
			tgt := constVel(geo.Vec3{X: vm * tf}, geo.Vec3{})
			var nc0, nc5 float64
			var ev Event
			for ev.Kind == NoEvent && m.Time() < 2*tf {
				t0 := m.Time()
				ev = m.Step(0.01, tgt(t0), tgt(t0+0.01), nil)
				switch {
				case math.Abs(t0) < 1e-9:
					nc0 = m.Command().Norm() * scale
				case math.Abs(t0-5) < 1e-9:
					nc5 = m.Command().Norm() * scale
				}
			}
			if ev.Kind != Detonate {
				t.Fatalf("event %v", ev.Kind)
			}
			within := func(name string, got, want float64) {
				t.Helper()
				if math.Abs(got-want)/want > 0.01 {
					t.Errorf("%s = %.4f, want %.4f within 1 %%", name, got, want)
				}
			}
			within("n_c(0)", nc0, c.nc0)
			within("n_c(5 s)", nc5, c.nc5)
			within("ΔV", m.LateralDeltaV()*scale, c.deltaV)
			within("closed-form ΔV", math.Abs(vm*he)*c.n/(c.n-1), c.deltaV)
			if ev.Miss > 1e-3 {
				t.Errorf("miss %.3g m at HE/100, want ~0", ev.Miss)
			}
			if math.Abs(ev.T-tf) > 0.01 {
				t.Errorf("intercept at %.4f s, want %v", ev.T, tf)
			}

			// Full −20° heading error, nonlinear: still a hit on the non-manoeuvring target.
			m, _ = NewMissile(coaster(vm, c.n, c.law), Env{}, geo.Vec3{}, geo.Vec3{X: math.Cos(he), Y: math.Sin(he)}, 0)
			ev = fly(m, tgt, 0.1, 3*tf, nil)
			if ev.Kind != Detonate || ev.Miss > 0.05 {
				t.Errorf("HE = −20°: %v with miss %.3g m, want a hit", ev.Kind, ev.Miss)
			}
		})
	}
}

// PHYSICS.md §4 (Zarchan ch. 2): step target manoeuvre n_T, true PN, zero lag:
// n_c/n_T = N′/(N′−2)·[1 − (1 − t/t_F)^(N′−2)], and zero miss.
func TestPNStepManoeuvreClosedForm(t *testing.T) {
	const vm, vt, tf = 900.0, 300.0, 10.0
	const nT = 0.01 * Gravity // small: keeps the engagement linear
	for _, n := range []float64{3, 4, 5} {
		m, err := NewMissile(coaster(vm, n, TruePN), Env{}, geo.Vec3{}, geo.Vec3{X: 1}, 0)
		if err != nil {
			t.Fatal(err)
		}
		tgt := func(t float64) TargetState {
			return TargetState{Pos: geo.Vec3{X: (vm+vt)*tf - vt*t, Y: 0.5 * nT * t * t}, Vel: geo.Vec3{X: -vt, Y: nT * t}}
		}
		var ev Event
		for ev.Kind == NoEvent && m.Time() < 2*tf {
			t0 := m.Time()
			ev = m.Step(0.01, tgt(t0), tgt(t0+0.01), nil)
			for _, tc := range []float64{2, 5, 8} {
				if math.Abs(t0-tc) < 1e-9 {
					want := n / (n - 2) * (1 - math.Pow(1-tc/tf, n-2))
					got := m.Command().Norm() / nT
					if math.Abs(got-want)/want > 0.01 {
						t.Errorf("N′=%v t=%v: n_c/n_T = %.4f, want %.4f", n, tc, got, want)
					}
				}
			}
		}
		if ev.Kind != Detonate || ev.Miss > 0.01 {
			t.Errorf("N′=%v: %v, miss %.3g m", n, ev.Kind, ev.Miss)
		}
	}
}

// Fuzing: an interceptor and a target on straight lines passing at a known miss distance
// between frames. The miss and its time must come out exact whatever the frame step.
func TestFuzeExactBetweenFrames(t *testing.T) {
	const miss, tca = 7.25, 1.2345
	spec := MissileSpec{MassLaunch: 1, MassBurnout: 1, LaunchSpeed: 1500, Law: Unguided,
		Lethality: Carleton(0.9, 5)}
	for _, frame := range []float64{0.001, 0.01, 0.05, 0.1, 0.3, 0.5, 1} {
		m, err := NewMissile(spec, Env{}, geo.Vec3{}, geo.Vec3{X: 1}, 0)
		if err != nil {
			t.Fatal(err)
		}
		ev := fly(m, constVel(geo.Vec3{X: 3000 * tca, Y: miss}, geo.Vec3{X: -1500}), frame, 5, nil)
		if ev.Kind != Detonate {
			t.Fatalf("frame %v: %v", frame, ev.Kind)
		}
		if math.Abs(ev.Miss-miss) > 0.01 || math.Abs(ev.T-tca) > 1e-9 {
			t.Errorf("frame %v: miss %.5f m at %.9f s, want %.5f at %.9f", frame, ev.Miss, ev.T, miss, tca)
		}
		if want := 0.9 * math.Exp(-miss*miss/50); math.Abs(ev.Pk-want) > 1e-12 {
			t.Errorf("Pk %v, want %v", ev.Pk, want)
		}
	}
}

// The miss of a guided, g-limited shot against a crossing target does not depend on the
// engine frame step: fuzing interpolates between internal steps.
func TestGuidedMissIndependentOfFrame(t *testing.T) {
	spec := coaster(1000, 4, PurePN)
	spec.MaxLateralG = 20 // too little for this crossing geometry: the missile is still turning at the end
	var ref float64
	for i, frame := range []float64{0.1, 0.02, 0.033, 0.07, 0.25} {
		m, _ := NewMissile(spec, Env{}, geo.Vec3{}, geo.Vec3{X: 1}, 0)
		ev := fly(m, constVel(geo.Vec3{X: 3000, Y: -1500}, geo.Vec3{Y: 800}), frame, 30, nil)
		if ev.Kind != Detonate {
			t.Fatalf("frame %v: %v", frame, ev.Kind)
		}
		if i == 0 {
			ref = ev.Miss
			if ref < 1 {
				t.Fatalf("expected a real miss, got %v m", ref)
			}
			continue
		}
		if math.Abs(ev.Miss-ref) > 0.01 {
			t.Errorf("frame %v: miss %.4f m, frame 0.1 s gave %.4f m", frame, ev.Miss, ref)
		}
	}
}

// testSpec is a generic medium-range interceptor (illustrative figures, not a real system).
func testSpec() MissileSpec {
	return MissileSpec{
		BoostThrust: 60000, BoostTime: 3, SustainThrust: 8000, SustainTime: 10,
		MassLaunch: 300, MassBurnout: 180, RefArea: 0.0314, Cd: 0.3, LaunchSpeed: 30,
		MaxLateralG: 30, NavConstant: 4, SeekerFOV: 60 * math.Pi / 180, LockOnRange: 8000,
		MaxFlightTime: 40, ArmTime: 0.5, FuzeRange: 20, Lethality: Carleton(0.9, 7),
	}
}

// Energy bound: |v(t)| ≤ v₀ + ∫₀ᵗ T/m dt + g·t. With drag off, no gravity and no turning the
// bound is met exactly at burnout (Tsiolkovsky).
func TestSpeedWithinThrustBound(t *testing.T) {
	ideal := func(s MissileSpec, tf float64) float64 { // ∫₀ᵗ T/m dt
		m := &Missile{spec: s, c: s.exhaustVelocity()}
		_, mass := m.thrustMass(tf)
		return s.exhaustVelocity() * math.Log(s.MassLaunch/mass)
	}
	vacuum := testSpec()
	vacuum.Cd = 0
	cases := []struct {
		name   string
		spec   MissileSpec
		env    Env
		dir    geo.Vec3
		target geo.Vec3
		tv     geo.Vec3
	}{
		{"level crossing", testSpec(), DefaultEnv(nil), geo.Vec3{X: 1, Z: 0.2}, geo.Vec3{X: 15000, Y: -3000, Z: 3000}, geo.Vec3{Y: 250}},
		{"vertical launch, high target", testSpec(), DefaultEnv(nil), geo.Vec3{Z: 1}, geo.Vec3{X: 8000, Z: 12000}, geo.Vec3{X: -300}},
		{"diving onto low target", testSpec(), DefaultEnv(nil), geo.Vec3{X: 1, Z: 0.6}, geo.Vec3{X: 12000, Z: 50}, geo.Vec3{X: -200}},
		{"vacuum, hard turn", vacuum, Env{Gravity: Gravity}, geo.Vec3{X: 1}, geo.Vec3{X: 3000, Y: 6000}, geo.Vec3{X: 300}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := NewMissile(c.spec, c.env, geo.Vec3{}, c.dir, 0)
			if err != nil {
				t.Fatal(err)
			}
			worst := math.Inf(-1)
			m.SetTrace(func(s Sample) {
				bound := c.spec.LaunchSpeed + ideal(c.spec, s.T) + c.env.Gravity*s.T
				if d := s.Vel.Norm() - bound; d > worst {
					worst = d
				}
			})
			fly(m, constVel(c.target, c.tv), 0.1, 60, Linear(c.target, c.tv, 0))
			if worst > 1e-6 {
				t.Errorf("speed exceeds the thrust bound by %.3g m/s", worst)
			}
		})
	}
	// Tsiolkovsky, exactly: straight flight in a vacuum without gravity.
	s := vacuum
	s.Law = Unguided
	m, _ := NewMissile(s, Env{}, geo.Vec3{}, geo.Vec3{X: 1}, 0)
	fly(m, constVel(geo.Vec3{X: 1e9}, geo.Vec3{}), 0.1, 20, nil)
	want := s.LaunchSpeed + s.IdealDeltaV()
	if got := m.Vel().Norm(); math.Abs(got-want) > 1e-6*want {
		t.Errorf("burnout speed %.6f m/s, Tsiolkovsky %.6f", got, want)
	}
	if got := m.Mass(); got != s.MassBurnout {
		t.Errorf("mass after burnout %v, want %v", got, s.MassBurnout)
	}
}

func TestFlyoutEvents(t *testing.T) {
	f := geo.NewFrame(geo.LLADeg(45, 10, 0))
	env := DefaultEnv(&f)
	cases := []struct {
		name   string
		edit   func(*MissileSpec)
		p, v   geo.Vec3
		track  bool
		want   EventKind
		maxT   float64 // event before
		minPk  float64
		dirUp  bool
		retarg bool
	}{
		{name: "head-on hit", p: geo.Vec3{X: 20000, Z: 3000}, v: geo.Vec3{X: -250}, track: true, want: Detonate, maxT: 30, minPk: 0.85},
		{name: "crossing hit", p: geo.Vec3{X: 12000, Y: -6000, Z: 1500}, v: geo.Vec3{Y: 300}, track: true, want: Detonate, maxT: 30, minPk: 0.85},
		{name: "receding, out of energy", p: geo.Vec3{X: 9000, Z: 5000}, v: geo.Vec3{X: 700}, track: true, want: Missed, maxT: 60},
		{name: "self-destruct", edit: func(s *MissileSpec) { s.MaxFlightTime = 4 }, p: geo.Vec3{X: 20000, Z: 3000}, v: geo.Vec3{X: -250}, track: true, want: SelfDestruct, maxT: 4.0000001},
		{name: "no track, no seeker: ballistic into the ground", edit: func(s *MissileSpec) { s.Law = Unguided }, p: geo.Vec3{X: 60000, Z: 3000}, v: geo.Vec3{}, want: GroundImpact, maxT: 60},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := testSpec()
			if c.edit != nil {
				c.edit(&s)
			}
			launch := geo.Vec3{}
			dir := c.p.Sub(launch)
			dir.Z += 0.3 * dir.Norm()
			m, err := NewMissile(s, env, launch, dir, 0)
			if err != nil {
				t.Fatal(err)
			}
			var tr Predictor
			if c.track {
				tr = Linear(c.p, c.v, 0)
			}
			ev := fly(m, constVel(c.p, c.v), 0.1, 100, tr)
			if ev.Kind != c.want {
				t.Fatalf("%v (miss %.1f m at %.2f s), want %v", ev.Kind, ev.Miss, ev.T, c.want)
			}
			if ev.T > c.maxT {
				t.Errorf("event at %.3f s, want before %v", ev.T, c.maxT)
			}
			if ev.Pk < c.minPk {
				t.Errorf("Pk %.3f (miss %.2f m), want ≥ %v", ev.Pk, ev.Miss, c.minPk)
			}
			if !m.Done() || m.Step(0.1, TargetState{}, TargetState{}, nil).Kind != NoEvent {
				t.Error("a finished missile keeps flying")
			}
		})
	}
}

func TestRetargetAndDestroy(t *testing.T) {
	m, _ := NewMissile(testSpec(), DefaultEnv(nil), geo.Vec3{}, geo.Vec3{X: 1, Z: 1}, 0)
	a := constVel(geo.Vec3{X: 15000, Z: 3000}, geo.Vec3{X: -250})
	b := constVel(geo.Vec3{X: 12000, Y: 3000, Z: 2000}, geo.Vec3{X: -200})
	for m.Time() < 5 {
		m.Step(0.1, a(m.Time()), a(m.Time()+0.1), Linear(a(0).Pos, a(0).Vel, 0))
	}
	m.Retarget()
	ev := fly(m, b, 0.1, 60, Linear(b(0).Pos, b(0).Vel, 0))
	if ev.Kind != Detonate || ev.Miss > 5 {
		t.Errorf("after retarget: %v, miss %.2f", ev.Kind, ev.Miss)
	}
	m2, _ := NewMissile(testSpec(), DefaultEnv(nil), geo.Vec3{}, geo.Vec3{X: 1}, 3)
	if ev := m2.Destroy(); ev.Kind != SelfDestruct || ev.T != 3 {
		t.Errorf("Destroy: %+v", ev)
	}
	if ev := m2.Destroy(); ev.Kind != NoEvent {
		t.Error("destroyed twice")
	}
}

func TestMissileSpecValidate(t *testing.T) {
	cases := []struct {
		name string
		edit func(*MissileSpec)
		ok   bool
	}{
		{"good", func(*MissileSpec) {}, true},
		{"negative thrust", func(s *MissileSpec) { s.BoostThrust = -1 }, false},
		{"NaN drag", func(s *MissileSpec) { s.Cd = math.NaN() }, false},
		{"burnout heavier", func(s *MissileSpec) { s.MassBurnout = 400 }, false},
		{"no mass", func(s *MissileSpec) { s.MassLaunch = 0 }, false},
		{"guided without N′", func(s *MissileSpec) { s.NavConstant = 0 }, false},
		{"unguided without N′", func(s *MissileSpec) { s.NavConstant = 0; s.Law = Unguided }, true},
		{"bad profile", func(s *MissileSpec) { s.SpeedProfile = []SpeedPoint{{1, 100}, {1, 200}} }, false},
		{"bad law", func(s *MissileSpec) { s.Law = 9 }, false},
	}
	for _, c := range cases {
		s := testSpec()
		c.edit(&s)
		if err := s.Validate(); (err == nil) != c.ok {
			t.Errorf("%s: err = %v", c.name, err)
		}
	}
	if _, err := NewMissile(testSpec(), Env{}, geo.Vec3{}, geo.Vec3{}, 0); err == nil {
		t.Error("zero launch direction accepted")
	}
}

func TestSpeedProfile(t *testing.T) {
	s := MissileSpec{MassLaunch: 100, MassBurnout: 100, MaxLateralG: 40, NavConstant: 4, LockOnRange: 1e9,
		SpeedProfile: []SpeedPoint{{0, 50}, {2, 1050}, {20, 700}}}
	m, err := NewMissile(s, DefaultEnv(nil), geo.Vec3{}, geo.Vec3{X: 1, Z: 0.3}, 0)
	if err != nil {
		t.Fatal(err)
	}
	m.SetTrace(func(sm Sample) {
		want := 50 + 500*math.Min(sm.T, 2)
		if sm.T > 2 {
			want = 1050 - 350*(sm.T-2)/18
		}
		if d := sm.Vel.Norm() - want; math.Abs(d) > 1e-3 {
			t.Fatalf("speed %.6f at %.2f s, profile %.6f", sm.Vel.Norm(), sm.T, want)
		}
	})
	ev := fly(m, constVel(geo.Vec3{X: 10000, Y: 2000, Z: 2000}, geo.Vec3{X: -200}), 0.1, 40, nil)
	if ev.Kind != Detonate || ev.Miss > 1 {
		t.Errorf("%v miss %.2f", ev.Kind, ev.Miss)
	}
}

func TestLethality(t *testing.T) {
	cases := []struct {
		l    Lethality
		r    float64
		want float64
	}{
		{Carleton(0.9, 10), 0, 0.9},
		{Carleton(0.9, 10), 10, 0.9 * math.Exp(-0.5)},
		{Carleton(0.9, 10), 1e6, 0},
		{Carleton(1.5, 10), 0, 1},
		{CookieCutter(15, 0.8), 15, 0.8},
		{CookieCutter(15, 0.8), 15.01, 0},
		{CookieCutter(15, 0.8), -1, 0.8},
		{CookieCutter(15, 0.8), math.NaN(), 0},
		{Lethality{}, 0, 0},
	}
	for _, c := range cases {
		if got := c.l.Pk(c.r); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%+v.Pk(%v) = %v, want %v", c.l, c.r, got, c.want)
		}
	}
	if r := Carleton(1, 10).LethalRadius(0.5); math.Abs(r-10*math.Sqrt(2*math.Ln2)) > 1e-12 {
		t.Errorf("Carleton 50 %% radius %v", r)
	}
}

func TestAtmosphere(t *testing.T) {
	a := StandardAtmosphere()
	// U.S. Standard Atmosphere 1976: ρ(20 km) = 0.088910 kg/m³ (the fit point).
	if got := a.Density(20000); math.Abs(got-0.08891)/0.08891 > 0.001 {
		t.Errorf("ρ(20 km) = %v", got)
	}
	if got := a.Density(0); got != 1.225 {
		t.Errorf("ρ(0) = %v", got)
	}
	if (Atmosphere{}).Density(0) != 0 {
		t.Error("zero atmosphere is not a vacuum")
	}
}

// BenchmarkFlyout is one full flyout of a medium-range interceptor from launch to detonation
// against a crossing target at 15 km, in 0.1 s engine frames on the round earth.
func BenchmarkFlyout(b *testing.B) {
	f := geo.NewFrame(geo.LLADeg(45, 10, 0))
	env := DefaultEnv(&f)
	p, v := geo.Vec3{X: 15000, Y: -3000, Z: 3000}, geo.Vec3{Y: 250}
	tgt := constVel(p, v)
	track := Linear(p, v, 0)
	for _, c := range []struct {
		name          string
		step, maxStep float64
	}{
		{"default", 0, 0}, {"max-step-0.05", 0, 0.05}, {"fixed-0.01", 0.01, 0.01},
	} {
		b.Run(c.name, func(b *testing.B) {
			spec := testSpec()
			spec.Step, spec.MaxStep = c.step, c.maxStep
			var ev Event
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				m, _ := NewMissile(spec, env, geo.Vec3{}, geo.Vec3{X: 1, Z: 0.3}, 0)
				ev = fly(m, tgt, 0.1, 60, track)
			}
			if ev.Kind != Detonate {
				b.Fatalf("flyout ended with %v", ev.Kind)
			}
			b.ReportMetric(ev.Miss, "miss-m")
		})
	}
}

// Midcourse, the predicted intercept point is the exact first intercept at the interceptor's
// expected speed, also when the target closes faster than the interceptor flies (a dive
// from above, head-on at 2 km/s on an 800 m/s interceptor), where the fixed-point iteration
// t_go ← |track(t+t_go) − p_M|/v̄ oscillates away from it. A coasting interceptor (no thrust,
// no drag, no gravity: v̄ is its speed) checked frame by frame against InterceptLinear and
// InterceptBallistic.
func TestMidcoursePIPTargetFasterThanInterceptor(t *testing.T) {
	up := geo.Vec3{Z: 1}
	cases := []struct {
		name    string
		p, v    geo.Vec3
		falling bool
	}{
		{"straight, head-on", geo.Vec3{X: 60000, Z: 8000}, geo.Vec3{X: -2000, Z: -200}, false},
		{"straight, crossing", geo.Vec3{X: 50000, Y: -20000, Z: 5000}, geo.Vec3{X: -1500, Y: 900}, false},
		{"ballistic dive", geo.Vec3{X: 70000, Z: 30000}, geo.Vec3{X: -1800, Z: -700}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := NewMissile(coaster(800, 4, TruePN), Env{}, geo.Vec3{}, c.p.Unit(), 0)
			if err != nil {
				t.Fatal(err)
			}
			track := Linear(c.p, c.v, 0)
			if c.falling {
				track = Falling(c.p, c.v, up, 0)
			}
			for k := 0; k < 40; k++ {
				pos, tm, v := m.Pos(), m.Time(), m.Vel().Norm()
				if ev := m.StepMidcourse(0.25, track); ev.Kind != NoEvent {
					t.Fatalf("frame %d: %v", k, ev.Kind)
				}
				want, tof, ok := InterceptLinear(pos, tm, v, math.Inf(1), c.p, c.v, 0)
				if c.falling {
					want, tof, ok = InterceptBallistic(pos, tm, v, math.Inf(1), c.p, c.v, up, 0)
				}
				pip, have := m.PIP()
				if !ok || !have {
					t.Fatalf("frame %d: exact ok %v, PIP %v", k, ok, have)
				}
				if d := pip.Sub(want).Norm(); d > 1e-6*v*tof+1e-3 {
					t.Fatalf("frame %d: PIP %v is %.3g m from the exact intercept %v", k, pip, d, want)
				}
				if pip.Sub(m.Pos()).Dot(m.Vel()) <= 0 {
					t.Fatalf("frame %d: PIP behind the interceptor", k)
				}
			}
		})
	}
}
