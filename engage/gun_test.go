package engage

import (
	"math"
	"testing"

	"github.com/adsim/adsim/geo"
)

// testGun is a generic twin 30 mm gun (illustrative figures, not a real system).
func testGun() GunSpec {
	return GunSpec{MuzzleVelocity: 960, DragPerMetre: 3.3e-4, RateOfFire: 40, BurstRounds: 20,
		BurstInterval: 1, Dispersion: 1.5e-3, Ammunition: 100, PkGivenHit: 0.3, MaxRange: 4000, MinRange: 200}
}

func TestGunTimeOfFlight(t *testing.T) {
	s := testGun()
	// Integrate dt/ds = 1/v(s), dv/ds = −k·v numerically and compare.
	for _, rng := range []float64{100, 1500, 4000} {
		var tt, v float64 = 0, s.MuzzleVelocity
		const n = 200000
		ds := rng / n
		for i := 0; i < n; i++ {
			vm := v * math.Exp(-s.DragPerMetre*ds/2)
			tt += ds / vm
			v *= math.Exp(-s.DragPerMetre * ds)
		}
		got, ok := s.TimeOfFlight(rng)
		if !ok || math.Abs(got-tt) > 1e-6 {
			t.Errorf("TOF(%v) = %v, integrated %v", rng, got, tt)
		}
	}
	s.DragPerMetre = 0
	if got, _ := s.TimeOfFlight(1920); got != 2 {
		t.Errorf("drag-free TOF %v", got)
	}
	if _, ok := s.TimeOfFlight(math.NaN()); ok {
		t.Error("NaN range accepted")
	}
}

func TestGunHitAndKillProbability(t *testing.T) {
	s := testGun()
	s.Dispersion = 1e-3
	// A 1 m radius disc at 1 km with σ = 1 m: 1 − e^{−1/2}.
	if got := s.RoundHitProbability(math.Pi, 1000); math.Abs(got-(1-math.Exp(-0.5))) > 1e-12 {
		t.Errorf("P_hit = %v", got)
	}
	cases := []struct {
		name     string
		aimErr   float64
		rounds   int
		wantFunc func(p float64) float64
	}{
		{"independent rounds", 0, 20, func(p float64) float64 { return 1 - math.Pow(1-0.3*p, 20) }},
		// One round with a common aim error σ_a: E[p·x^q] = p/(1+q), q = σ_a²/(σ² + a²/2).
		{"one round, aim error", 2e-3, 1, func(p float64) float64 { return 0.3 * p / (1 + 4/(1+0.5)) }},
	}
	for _, c := range cases {
		g := s
		g.AimError, g.BurstRounds = c.aimErr, c.rounds
		gun, err := NewGun(g)
		if err != nil {
			t.Fatal(err)
		}
		tgt := Linear(geo.Vec3{X: 1000}, geo.Vec3{}, 0)
		b, ok := gun.Fire(0, geo.Vec3{}, tgt, math.Pi)
		if !ok {
			t.Fatalf("%s: did not fire", c.name)
		}
		if want := c.wantFunc(b.PHit); math.Abs(b.PKill-want) > 1e-6 {
			t.Errorf("%s: PKill %v, want %v", c.name, b.PKill, want)
		}
	}
	// A common aim error makes a burst's hits correlated: fewer kills than independent rounds.
	g := s
	gun, _ := NewGun(g)
	ind, _ := gun.Fire(0, geo.Vec3{}, Linear(geo.Vec3{X: 1000}, geo.Vec3{}, 0), 1)
	g.AimError = 2e-3
	gun, _ = NewGun(g)
	cor, _ := gun.Fire(0, geo.Vec3{}, Linear(geo.Vec3{X: 1000}, geo.Vec3{}, 0), 1)
	if !(cor.PKill < ind.PKill) {
		t.Errorf("correlated %v ≥ independent %v", cor.PKill, ind.PKill)
	}
}

// The motivating case of issue 5: a gun kills a small drone at 1.5 km but hardly at 4 km.
func TestGunRangeDependence(t *testing.T) {
	s := testGun()
	s.Dispersion, s.AimError, s.BurstRounds, s.PkGivenHit = 1e-3, 0.5e-3, 40, 0.5
	pk := func(x float64) float64 {
		g, _ := NewGun(s)
		b, ok := g.Fire(0, geo.Vec3{}, Linear(geo.Vec3{X: x, Z: 300}, geo.Vec3{X: -50}, 0), 1)
		if !ok {
			return 0
		}
		return b.PKill
	}
	near, far := pk(1500), pk(3900)
	if !(near > 0.5 && far < 0.25 && near > 3*far) {
		t.Errorf("PKill at 1.5 km %.3f, at 3.9 km %.3f", near, far)
	}
}

func TestGunAmmunitionAndReadiness(t *testing.T) {
	s := testGun()
	s.Ammunition = 45
	g, _ := NewGun(s)
	tgt := Linear(geo.Vec3{X: 2000, Z: 200}, geo.Vec3{Y: 100}, 0)
	b, ok := g.Fire(0, geo.Vec3{}, tgt, 1)
	if !ok || b.Rounds != 20 || g.Ammo() != 25 {
		t.Fatalf("first burst %+v, ammo %d", b, g.Ammo())
	}
	if want := 19.0/40 + 1; math.Abs(g.ReadyAt()-want) > 1e-12 {
		t.Errorf("ready at %v, want %v", g.ReadyAt(), want)
	}
	if _, ok := g.Fire(1, geo.Vec3{}, tgt, 1); ok {
		t.Error("fired before ready")
	}
	g.Fire(2, geo.Vec3{}, tgt, 1)
	if b, ok := g.Fire(4, geo.Vec3{}, tgt, 1); !ok || b.Rounds != 5 || g.Ammo() != 0 {
		t.Errorf("last burst %d rounds, ammo %d", b.Rounds, g.Ammo())
	}
	if _, ok := g.Fire(10, geo.Vec3{}, tgt, 1); ok {
		t.Error("fired with no ammunition")
	}
	g2, _ := NewGun(s)
	if _, ok := g2.Fire(0, geo.Vec3{}, Linear(geo.Vec3{X: 9000}, geo.Vec3{}, 0), 1); ok {
		t.Error("fired out of range")
	}
	if _, ok := g2.Fire(0, geo.Vec3{}, Linear(geo.Vec3{X: 100}, geo.Vec3{}, 0), 1); ok {
		t.Error("fired inside minimum range")
	}
	if _, err := NewGun(GunSpec{}); err == nil {
		t.Error("empty spec accepted")
	}
}

// BurstKill is FireKill's kill probability for a target that stays at one range; checked
// against FireKill on a stationary target and, without aim error, against the closed form
// 1 − (1 − pkHit·P_hit)^n of independent rounds.
func TestGunBurstKill(t *testing.T) {
	s := testGun()
	s.Dispersion, s.AimError, s.BurstRounds = 1e-3, 0.7e-3, 40
	for _, c := range []struct {
		area, pkHit, rng float64
	}{{1, 0.5, 500}, {1, 0.5, 2000}, {0.5, 0.3, 3900}, {8, 0.15, 1200}, {1, 0.03, 250}} {
		g, _ := NewGun(s)
		b, ok := g.FireKill(0, geo.Vec3{}, Linear(geo.Vec3{X: c.rng}, geo.Vec3{}, 0), c.area, c.pkHit)
		if !ok {
			t.Fatalf("%+v: did not fire", c)
		}
		if got := s.BurstKill(c.area, c.pkHit, c.rng); math.Abs(got-b.PKill) > 1e-12 {
			t.Errorf("%+v: BurstKill %v, FireKill %v", c, got, b.PKill)
		}
	}
	s.AimError = 0
	p := s.RoundHitProbability(1, 1500)
	if got, want := s.BurstKill(1, 0.5, 1500), 1-math.Pow(1-0.5*p, 40); math.Abs(got-want) > 1e-12 {
		t.Errorf("no aim error: %v, want %v", got, want)
	}
	for _, bad := range [][3]float64{{0, 0.5, 1000}, {1, 0.5, math.NaN()}, {-1, 0.5, 1000}} {
		if got := s.BurstKill(bad[0], bad[1], bad[2]); got != 0 {
			t.Errorf("BurstKill%v = %v, want 0", bad, got)
		}
	}
}

// The curve reproduces BurstKill at its ranges, interpolates between them, falls with range,
// and RangeFor inverts it.
func TestGunBurstCurve(t *testing.T) {
	s := testGun()
	s.Dispersion, s.AimError, s.BurstRounds = 1e-3, 0.7e-3, 40
	c := s.Curve(1, 0.5)
	step := (s.MaxRange - s.MinRange) / (curvePoints - 1)
	prev := 2.0
	for i := 0; i < curvePoints; i++ {
		r := s.MinRange + float64(i)*step
		got, want := c.At(r), s.BurstKill(1, 0.5, r)
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("At(%v) = %v, BurstKill %v", r, got, want)
		}
		if !(got < prev) {
			t.Errorf("At(%v) = %v, not below %v", r, got, prev)
		}
		prev = got
		if i > 0 {
			mid := r - step/2
			if d := math.Abs(c.At(mid) - s.BurstKill(1, 0.5, mid)); d > 0.01 {
				t.Errorf("At(%v) off by %v between ranges", mid, d)
			}
		}
	}
	if c.At(0) != c.At(s.MinRange) || c.At(1e6) != c.At(s.MaxRange) {
		t.Error("not held at the end values outside the ranges")
	}
	for _, pk := range []float64{0.2, 0.3, 0.5, 0.9} {
		r, ok := c.RangeFor(pk)
		if !ok || math.Abs(c.At(r)-pk) > 1e-9 {
			t.Errorf("RangeFor(%v) = %v, %v; At there %v", pk, r, ok, c.At(r))
		}
		if !(c.At(r+1) < pk) {
			t.Errorf("RangeFor(%v) = %v is not the longest range", pk, r)
		}
	}
	if r, ok := c.RangeFor(0); !ok || r != s.MaxRange {
		t.Errorf("RangeFor(0) = %v, %v; want the maximum range", r, ok)
	}
	if _, ok := c.RangeFor(c.At(s.MinRange) + 0.01); ok {
		t.Error("RangeFor above the best burst accepted")
	}
}
