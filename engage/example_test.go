package engage_test

import (
	"fmt"
	"math"

	"github.com/adsim/adsim/engage"
	"github.com/adsim/adsim/geo"
)

// One flyout as the engine runs it: the target's true state at each frame's start and end,
// and the track's predictor for midcourse guidance.
func ExampleMissile() {
	spec := engage.MissileSpec{
		BoostThrust: 60000, BoostTime: 3, SustainThrust: 8000, SustainTime: 10,
		MassLaunch: 300, MassBurnout: 180, RefArea: 0.0314, Cd: 0.3, LaunchSpeed: 30,
		MaxLateralG: 30, NavConstant: 4, SeekerFOV: math.Pi / 3, LockOnRange: 8000,
		MaxFlightTime: 40, ArmTime: 0.5, FuzeRange: 20, Lethality: engage.Carleton(0.9, 7),
	}
	target := func(t float64) engage.TargetState { // crossing at 250 m/s, 3 km up
		return engage.TargetState{Pos: geo.Vec3{X: 15000, Y: -3000 + 250*t, Z: 3000}, Vel: geo.Vec3{Y: 250}}
	}
	m, err := engage.NewMissile(spec, engage.DefaultEnv(nil), geo.Vec3{}, geo.Vec3{X: 1, Z: 0.3}, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	const frame = 0.1
	for !m.Done() {
		t := m.Time()
		from, to := target(t), target(t+frame)
		ev := m.Step(frame, from, to, engage.Linear(from.Pos, from.Vel, t))
		if ev.Kind != engage.NoEvent {
			fmt.Printf("%s after %.1f s: miss %.2f m, Pk %.2f\n", ev.Kind, ev.FlightTime, ev.Miss, ev.Pk)
		}
	}
	// Output: detonate after 20.2 s: miss 0.00 m, Pk 0.90
}

func ExampleLethality_Pk() {
	l := engage.Carleton(0.9, 7) // Pk0 0.9, σ = 7 m
	for _, miss := range []float64{0, 5, 10, 20} {
		fmt.Printf("miss %2.0f m: Pk %.3f\n", miss, l.Pk(miss))
	}
	// Output:
	// miss  0 m: Pk 0.900
	// miss  5 m: Pk 0.697
	// miss 10 m: Pk 0.324
	// miss 20 m: Pk 0.015
}

func ExampleGun_Fire() {
	gun, err := engage.NewGun(engage.GunSpec{MuzzleVelocity: 960, DragPerMetre: 3.3e-4, RateOfFire: 40,
		BurstRounds: 40, BurstInterval: 1, Dispersion: 1e-3, AimError: 0.5e-3, Ammunition: 500,
		PkGivenHit: 0.5, MaxRange: 4000, MinRange: 200})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, r := range []float64{1500, 3900} {
		t := 5 * float64(i)
		drone := engage.Linear(geo.Vec3{X: r, Z: 300}, geo.Vec3{X: -50}, t) // 1 m² presented
		b, ok := gun.Fire(t, geo.Vec3{}, drone, 1)
		fmt.Printf("%.1f km: fired %v, time of flight %.2f s, P(hit)/round %.3f, Pk %.2f\n", r/1000, ok, b.TOF, b.PHit, b.PKill)
	}
	fmt.Println("rounds left:", gun.Ammo())
	// Output:
	// 1.5 km: fired true, time of flight 1.88 s, P(hit)/round 0.077, Pk 0.71
	// 3.9 km: fired true, time of flight 6.99 s, P(hit)/round 0.013, Pk 0.18
	// rounds left: 420
}

// A ballistic missile 60 km out and 25 km up, diving at 2.1 km/s towards a launcher whose
// interceptor averages 1,200 m/s: the predicted intercept point is where the missile will be
// when the interceptor, flying straight at its mean speed, gets there — found exactly even
// though the target closes faster than the interceptor flies. Check by hand: at τ = 19.43 s
// the missile is at x = 60,000 − 2,000τ = 21.1 km, z = 25,000 − 686τ − ½gτ² = 9.8 km, a slant
// range of 23.3 km = 1,200 m/s × 19.43 s.
func ExampleInterceptBallistic() {
	up := geo.Vec3{Z: 1}
	p, v := geo.Vec3{X: 60000, Z: 25000}, geo.Vec3{X: -2000, Z: -686}
	pip, tof, ok := engage.InterceptBallistic(geo.Vec3{}, 0, 1200, 240, p, v, up, 0)
	fmt.Printf("ok %v, time of flight %.2f s, intercept %.1f km downrange at %.1f km altitude\n", ok, tof, pip.X/1000, pip.Z/1000)
	// Output: ok true, time of flight 19.43 s, intercept 21.1 km downrange at 9.8 km altitude
}
