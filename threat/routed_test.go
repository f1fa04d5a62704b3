package threat

import (
	"math"
	"testing"

	"github.com/adsim/adsim/geo"
)

// hill is a test terrain: a Gaussian hill of height H (m) and width W (m) at c.
type hill struct {
	c    geo.LLA
	H, W float64
}

func (h hill) Height(p geo.LLA) float64 {
	d, _, _ := geo.Inverse(h.c, p)
	return h.H * math.Exp(-d*d/(2*h.W*h.W))
}

func TestRoutedTurnRateLimit(t *testing.T) {
	f := geo.NewFrame(geo.LLADeg(50, 30, 0))
	omega := 6 * math.Pi / 180
	route := []geo.Vec3{{X: 5000}, {X: 5000, Y: 8000}, {X: -3000, Y: 8000}}
	r, err := NewRouted(&f, geo.Vec3{}, route, RouteSpec{Speed: 50, Height: 300, MaxTurnRate: omega})
	if err != nil {
		t.Fatal(err)
	}
	prev := r.Vel()
	worst := 0.0
	for i := 0; i < 5000 && !r.Done(); i++ {
		r.Step(0.5)
		v := r.Vel()
		up := f.Up(r.Pos())
		a, b := prev.Sub(up.Scale(prev.Dot(up))).Unit(), v.Sub(up.Scale(v.Dot(up))).Unit()
		worst = math.Max(worst, math.Acos(math.Min(1, a.Dot(b)))/0.5)
		prev = v
		if alt := f.Altitude(r.Pos()); math.Abs(alt-300) > 1 {
			t.Fatalf("height %.2f m at %v s", alt, r.Time())
		}
	}
	if !r.Done() {
		t.Fatal("route not finished")
	}
	if worst > omega*1.001 {
		t.Errorf("turn rate %.3f°/s above the limit %.3f°/s", worst*180/math.Pi, omega*180/math.Pi)
	}
}

func TestCruiseFollowsTerrainAndPopsUp(t *testing.T) {
	origin := geo.LLADeg(50, 30, 0)
	f := geo.NewFrame(origin)
	terr := hill{c: geo.Direct(origin, math.Pi/2, 20000), H: 150, W: 3000}
	aim := geo.Vec3{X: 40000}
	spec := RouteSpec{Speed: 250, Height: 50, Terrain: terr, MaxClimbAngle: 20 * math.Pi / 180,
		Terminal: Terminal{Mode: PopUp, PopUpHeight: 1500, PopUpRange: 8000, DiveAngle: 40 * math.Pi / 180}}
	r, err := NewRouted(&f, geo.Vec3{}, []geo.Vec3{aim}, spec)
	if err != nil {
		t.Fatal(err)
	}
	var peak, worstAGL float64
	sawClimb, sawDive := false, false
	for i := 0; i < 10000 && !r.Done(); i++ {
		r.Step(0.1)
		alt := f.Altitude(r.Pos())
		peak = math.Max(peak, alt)
		switch r.Phase() {
		case Cruise:
			agl := alt - terr.Height(f.ToLLA(r.Pos()))
			worstAGL = math.Max(worstAGL, math.Abs(agl-50))
		case Climb:
			sawClimb = true
		case Diving:
			sawDive = true
		}
	}
	if !r.Done() || r.Pos() != aim {
		t.Fatalf("did not reach the aim: %v", r.Pos())
	}
	if !sawClimb || !sawDive {
		t.Errorf("phases: climb %v dive %v", sawClimb, sawDive)
	}
	if worstAGL > 40 {
		t.Errorf("height above the hill off by %.1f m", worstAGL)
	}
	if peak < 1000 || peak > 1550 {
		t.Errorf("pop-up peak %.0f m", peak)
	}
}

func TestAircraftReleasesStandOffWeapons(t *testing.T) {
	f := geo.NewFrame(geo.LLADeg(50, 30, 0))
	tgt := geo.Vec3{X: 120000}
	a, err := NewAircraft(&f, geo.Vec3{}, []geo.Vec3{tgt}, RouteSpec{Speed: 240, Height: 8000, MaxTurnRate: 0.05},
		[]StandOff{{Target: tgt, ReleaseRange: 60000}, {Target: tgt.Add(geo.Vec3{Y: 2000}), ReleaseRange: 55000}})
	if err != nil {
		t.Fatal(err)
	}
	var got []Release
	for i := 0; i < 2000 && !a.Done(); i++ {
		a.Step(1)
		got = append(got, a.Releases()...)
		if a.Egressing() && a.Vel().X > 0 && f.GroundRange(a.Pos(), tgt) < 50000 {
			t.Fatal("kept flying at the target after the last release")
		}
	}
	if len(got) != 2 || got[0].Index != 0 || got[1].Index != 1 {
		t.Fatalf("releases %+v", got)
	}
	for k, r := range got {
		want := []float64{60000, 55000}[k]
		if g := f.GroundRange(r.Pos, r.Target); g > want || g < want-240*0.1-1 {
			t.Errorf("release %d at %.0f m, want %v", k, g, want)
		}
	}
	if !a.Done() || f.GroundRange(a.Pos(), geo.Vec3{}) > 240/0.05+100 {
		t.Errorf("did not come home: %v", a.Pos())
	}
}

func TestNewRoutedRejectsBadInput(t *testing.T) {
	f := geo.NewFrame(geo.LLADeg(0, 0, 0))
	for _, c := range []struct {
		route []geo.Vec3
		spec  RouteSpec
	}{
		{nil, RouteSpec{Speed: 10}},
		{[]geo.Vec3{{X: 1}}, RouteSpec{}},
		{[]geo.Vec3{{X: 1}}, RouteSpec{Speed: 10, MaxTurnRate: -1}},
	} {
		if _, err := NewRouted(&f, geo.Vec3{}, c.route, c.spec); err == nil {
			t.Errorf("accepted %+v", c)
		}
	}
}

// benchRoutes are the two routed flights the engine flies most (sim/flyout.go routeSpec, with
// its 0.25 s internal step): a turn-limited drone on a dog-leg route ending in a dive, and a
// low cruise missile with a pop-up end game, both over smooth earth for a few hundred km.
func benchRoutes(f *geo.Frame) []func() (*Routed, error) {
	deg := math.Pi / 180
	drone := RouteSpec{Speed: 50, Height: 300, MaxTurnRate: 6 * deg, MaxClimbAngle: 15 * deg, Step: 0.25,
		Terminal: Terminal{Mode: Dive, DiveAngle: 40 * deg}}
	cruise := RouteSpec{Speed: 250, Height: 50, MaxTurnRate: 3 * deg, MaxClimbAngle: 20 * deg, Step: 0.25,
		Terminal: Terminal{Mode: PopUp, PopUpHeight: 1500, PopUpRange: 8000, DiveAngle: 40 * deg}}
	return []func() (*Routed, error){
		func() (*Routed, error) {
			return NewRouted(f, geo.Vec3{X: -60000, Y: -20000}, []geo.Vec3{{X: -20000, Y: -10000},
				{X: 0, Y: 10000}, {X: 10000, Y: 2000}}, drone)
		},
		func() (*Routed, error) {
			return NewRouted(f, geo.Vec3{X: -300000, Y: 50000}, []geo.Vec3{{X: -150000, Y: 0},
				{X: -60000, Y: 30000}, {X: 5000, Y: -3000}}, cruise)
		},
	}
}

// BenchmarkRoutedCruise flies the benchRoutes to the end with the engine's 1 s frame, one
// flight of each per iteration.
func BenchmarkRoutedCruise(b *testing.B) {
	f := geo.NewFrame(geo.LLADeg(50, 30, 150))
	routes := benchRoutes(&f)
	for b.Loop() {
		for _, mk := range routes {
			r, err := mk()
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; i < 10000 && !r.Done(); i++ {
				r.Step(1)
			}
			if !r.Done() {
				b.Fatal("flight did not end")
			}
		}
	}
}

// flatGround is smooth earth in disguise: ground height 0 through the Terrain interface, so a
// routed flight over it takes the substeps all the way (the closed-form cruise is for
// smooth earth only) with the same arithmetic as over smooth earth.
type flatGround struct{}

func (flatGround) Height(geo.LLA) float64 { return 0 }

// The closed-form cruise (Routed.cruise) against the substeps it replaces: over the benchRoutes,
// a patrol and a stand-off aircraft, at the engine's frame and an odd one, the positions
// stay within 5 mm (measured: under 0.3 mm) and every phase change, waypoint capture,
// weapon release and the arrival happen at the same time; most frames are closed-form.
func TestRoutedCruiseClosedForm(t *testing.T) {
	f := geo.NewFrame(geo.LLADeg(50, 30, 150))
	type flight interface {
		Flight
		Time() float64
	}
	type pair struct {
		name         string
		arc, sub     flight
		arcR         *Routed
		arcA, subA   *Aircraft
		arcRt, subRt *Routed
	}
	mkPairs := func() []pair {
		var ps []pair
		for k, mk := range benchRoutes(&f) {
			a, err := mk()
			if err != nil {
				t.Fatal(err)
			}
			s, _ := mk()
			s.spec.Terrain, s.smooth = flatGround{}, false
			ps = append(ps, pair{name: []string{"drone", "cruise missile"}[k], arc: a, sub: s, arcR: a, arcRt: a, subRt: s})
		}
		patrol := RouteSpec{Speed: 50, Height: 300, MaxTurnRate: 0.1, Step: 0.25}
		route := []geo.Vec3{{X: -20000, Y: -10000}, {X: 0, Y: 10000}, {X: 30000, Y: -20000}, {X: -20000, Y: -10000}}
		a, err := NewRouted(&f, geo.Vec3{X: 30000, Y: -20000}, route, patrol)
		if err != nil {
			t.Fatal(err)
		}
		patrol.Terrain = flatGround{}
		s, _ := NewRouted(&f, geo.Vec3{X: 30000, Y: -20000}, route, patrol)
		ps = append(ps, pair{name: "patrol", arc: a, sub: s, arcR: a, arcRt: a, subRt: s})
		tgt := geo.Vec3{X: 120000}
		w := []StandOff{{Target: tgt, ReleaseRange: 60000}, {Target: tgt.Add(geo.Vec3{Y: 2000}), ReleaseRange: 55000}}
		air := RouteSpec{Speed: 240, Height: 8000, MaxTurnRate: 0.05, Step: 0.25}
		aa, err := NewAircraft(&f, geo.Vec3{X: -200000, Y: 30000}, []geo.Vec3{{X: -100000}, tgt}, air, w)
		if err != nil {
			t.Fatal(err)
		}
		air.Terrain = flatGround{}
		sa, _ := NewAircraft(&f, geo.Vec3{X: -200000, Y: 30000}, []geo.Vec3{{X: -100000}, tgt}, air, w)
		return append(ps, pair{name: "aircraft", arc: aa, sub: sa, arcR: aa.Routed, arcA: aa, subA: sa, arcRt: aa.Routed, subRt: sa.Routed})
	}
	for _, dt := range []float64{0.5, 0.37} {
		for _, p := range mkPairs() {
			worst, arcs, frames := 0.0, 0, 0
			for ; frames < 40000 && !(p.arc.Done() && p.sub.Done()); frames++ {
				ph, next := p.arcRt.Phase(), p.arcRt.next
				p.arc.Step(dt)
				p.sub.Step(dt)
				if p.arcR.arcOn && p.arcR.pos == p.arcR.arcPos && ph == p.arcRt.Phase() && next == p.arcRt.next {
					arcs++
				}
				worst = math.Max(worst, p.arc.Pos().Sub(p.sub.Pos()).Norm())
				if p.arcRt.Phase() != p.subRt.Phase() || p.arcRt.next != p.subRt.next {
					t.Fatalf("%s, frame %v s: phase/waypoint %v/%d vs substeps %v/%d at %v s", p.name, dt,
						p.arcRt.Phase(), p.arcRt.next, p.subRt.Phase(), p.subRt.next, p.arc.Time())
				}
				if p.arcA != nil {
					ra, rs := p.arcA.Releases(), p.subA.Releases()
					if len(ra) != len(rs) || (len(ra) > 0 && (ra[0].T != rs[0].T || ra[0].Index != rs[0].Index)) {
						t.Fatalf("%s, frame %v s: releases %+v vs substeps %+v", p.name, dt, ra, rs)
					}
				}
			}
			if !p.arc.Done() || !p.sub.Done() || p.arc.Time() != p.sub.Time() {
				t.Errorf("%s, frame %v s: done %v/%v at %v/%v s", p.name, dt, p.arc.Done(), p.sub.Done(), p.arc.Time(), p.sub.Time())
			}
			if worst > 5e-3 {
				t.Errorf("%s, frame %v s: closed form %.3g m from the substeps", p.name, dt, worst)
			}
			if arcs < frames*8/10 {
				t.Errorf("%s, frame %v s: only %d of %d frames in closed form", p.name, dt, arcs, frames)
			}
			t.Logf("%-14s frame %v s: %d of %d frames closed-form, max |Δpos| %.2g m", p.name, dt, arcs, frames, worst)
		}
	}
}

// TestRoutedSubstepsCache: the cached number and length of substeps (Routed.substeps) must
// be what the divisions give for every step length, whether it repeats or changes.
func TestRoutedSubstepsCache(t *testing.T) {
	f := geo.NewFrame(geo.LLADeg(50, 30, 0))
	for _, tc := range []struct {
		name string
		step float64
		dts  []float64
	}{
		{"frames", 0.1, []float64{0.5, 0.5, 0.5, 0.5}},
		{"launch in a frame", 0.1, []float64{0.2371, 0.5, 0.5, 0.13, 0.13, 0.5}},
		{"odd step", 0.07, []float64{0.5, 1e-9, 0.5, 3, 0.5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewRouted(&f, geo.Vec3{}, []geo.Vec3{{X: 1e5}}, RouteSpec{Speed: 50, Height: 100, Step: tc.step})
			if err != nil {
				t.Fatal(err)
			}
			for _, dt := range tc.dts {
				n, h := r.substeps(dt)
				wn := int(math.Ceil(dt / tc.step))
				if wh := dt / float64(wn); n != wn || h != wh {
					t.Fatalf("dt %v: substeps (%d, %v), divisions (%d, %v)", dt, n, h, wn, wh)
				}
			}
		})
	}
}
