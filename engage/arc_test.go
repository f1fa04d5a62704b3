package engage_test

import (
	"math"
	"testing"

	"github.com/adsim/adsim/engage"
	"github.com/adsim/adsim/geo"
	"github.com/adsim/adsim/threat"
)

// truthArc flies a threat-package ballistic missile (the engine's truth) from launchKm out
// to an aim at the frame's origin and returns its samples every step seconds until impact.
type truthSample struct {
	t    float64
	p, v geo.Vec3
	alt  float64
}

func flyTruth(t *testing.T, f *geo.Frame, spec threat.BallisticSpec, launchKm, step float64) []truthSample {
	t.Helper()
	aimLLA := geo.LLADeg(40, -35, 0)
	b, err := threat.NewBallisticDrag(threat.RoundEarth(f), f.ToLocal(geo.Direct(aimLLA, 0.8, launchKm*1000)), f.ToLocal(aimLLA), spec)
	if err != nil {
		t.Fatal(err)
	}
	var out []truthSample
	for i := 0; i < 1e6 && !b.Done(); i++ {
		out = append(out, truthSample{b.Time(), b.Pos(), b.Vel(), b.Altitude()})
		b.Step(step)
	}
	if !b.Done() {
		t.Fatal("no impact")
	}
	return append(out, truthSample{b.Time(), b.Pos(), b.Vel(), b.Altitude()})
}

func globeOf(f *geo.Frame) engage.Globe {
	return engage.Globe{Centre: f.Centre(), Radius: f.Radius(), GM: geo.WGS84GM}
}

func reentryAtmosphere() engage.Atmosphere {
	a := threat.StandardAtmosphere()
	return engage.Atmosphere{Rho0: a.Rho0, ScaleHeight: a.ScaleHeight}
}

// impactOf returns where a predictor crosses altitude 0 (bisection on 1 s steps), and when.
func impactOf(f *geo.Frame, pred func(float64) geo.Vec3, t0 float64) (geo.Vec3, float64) {
	lo := t0
	for f.Altitude(pred(lo+1)) > 0 && lo < t0+2000 {
		lo++
	}
	hi := lo + 1
	for range 60 {
		if m := (lo + hi) / 2; f.Altitude(pred(m)) > 0 {
			lo = m
		} else {
			hi = m
		}
	}
	return pred(hi), hi
}

// From exact states on the engine's own re-entering missile, the arc lands where the missile
// does — within metres, since it carries the same physics — while the drag-free arc C2 used
// before lands kilometres long, on another building. This is the test that the arc is the
// truth model's physics; how good C2's prediction is then depends on the track state alone.
func TestArcFollowsBallisticTruth(t *testing.T) {
	f := geo.NewFrame(geo.LLADeg(40, -35, 0))
	spec := threat.BallisticSpec{Beta: 8000, Phi: 25 * math.Pi / 180, DescentDrag: true}
	for _, km := range []float64{150, 280, 500} {
		truth := flyTruth(t, &f, spec, km, 0.05)
		end := truth[len(truth)-1]
		checked := 0
		for _, from := range truth {
			if from.v.Dot(f.Up(from.p)) >= 0 || int(from.t*20)%100 != 0 {
				continue // every 5 s on the descent
			}
			arc := engage.NewArc(globeOf(&f), reentryAtmosphere(), spec.Beta, from.p, from.v, from.t)
			// Along the way: every truth sample, at times between the arc's steps.
			worst := 0.0
			for _, s := range truth {
				if s.t >= from.t {
					worst = math.Max(worst, arc.At(s.t).Sub(s.p).Norm())
				}
			}
			imp, _ := impactOf(&f, arc.At, from.t)
			miss := imp.Sub(end.p).Norm()
			free, _ := impactOf(&f, engage.Falling(from.p, from.v, f.Up(from.p), from.t), from.t)
			freeMiss := free.Sub(end.p).Norm()
			if worst > 15 || miss > 15 {
				t.Errorf("%v km, from %.0f km up at t=%.0f s: arc off the truth by up to %.1f m, impact %.1f m", km, from.alt/1000, from.t, worst, miss)
			}
			if from.alt > 15000 && from.alt < 40000 && freeMiss < 1500 {
				t.Errorf("%v km, from %.0f km up: drag-free impact only %.0f m off; the arc's reason to exist is gone?", km, from.alt/1000, freeMiss)
			}
			checked++
		}
		if checked < 5 {
			t.Fatalf("%v km: %d start points", km, checked)
		}
	}
}

// Without drag the arc is the drag-free inverse-square flight: the truth with β = 0.
func TestArcDragFree(t *testing.T) {
	f := geo.NewFrame(geo.LLADeg(40, -35, 0))
	truth := flyTruth(t, &f, threat.BallisticSpec{}, 300, 0.05)
	from := truth[len(truth)/3]
	arc := engage.NewArc(globeOf(&f), reentryAtmosphere(), 0, from.p, from.v, from.t)
	for _, s := range truth[len(truth)/3:] {
		if d := arc.At(s.t).Sub(s.p).Norm(); d > 2 {
			t.Fatalf("t=%.2f: %.2f m off the drag-free truth", s.t, d)
		}
		if dv := arc.Velocity(s.t).Sub(s.v).Norm(); dv > 0.05 {
			t.Fatalf("t=%.2f: velocity %.3f m/s off", s.t, dv)
		}
	}
}

// The arc reuses its storage on Reset and Matches only the state it was built from.
func TestArcReset(t *testing.T) {
	f := geo.NewFrame(geo.LLADeg(40, -35, 0))
	g, atm := globeOf(&f), reentryAtmosphere()
	p, v := f.ToLocal(geo.LLADeg(40.3, -34.7, 30000)), geo.Vec3{X: -900, Y: -900, Z: -700}
	a := engage.NewArc(g, atm, 8000, p, v, 10)
	want := a.At(60)
	a.Reset(g, atm, 8000, p.Add(geo.Vec3{X: 1000}), v, 10)
	if a.Matches(g, atm, 8000, p, v, 10) || !a.Matches(g, atm, 8000, p.Add(geo.Vec3{X: 1000}), v, 10) {
		t.Fatal("Matches does not follow Reset")
	}
	a.Reset(g, atm, 8000, p, v, 10)
	if got := a.At(60); got != want {
		t.Fatalf("after Reset: %v, want %v bit for bit", got, want)
	}
	if a := engage.NewArc(g, atm, 8000, geo.Vec3{X: math.NaN()}, v, 0); a.At(5).IsFinite() {
		t.Fatal("a NaN start predicts a finite point")
	}
}

func BenchmarkArcImpact(b *testing.B) {
	f := geo.NewFrame(geo.LLADeg(40, -35, 0))
	g, atm := globeOf(&f), reentryAtmosphere()
	p, v := f.ToLocal(geo.LLADeg(40.3, -34.7, 25000)), geo.Vec3{X: -800, Y: -800, Z: -900}
	a := engage.NewArc(g, atm, 8000, p, v, 0)
	for b.Loop() {
		a.Reset(g, atm, 8000, p, v, 0)
		impactOf(&f, a.At, 0)
	}
}
