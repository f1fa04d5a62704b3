package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestStreamsIndependentOfOtherKeys(t *testing.T) {
	s := Streams{Seed: 42, Replication: 3}
	a := s.Stream("radar-1", "detect")
	// Creating and using other streams must not disturb the first one's sequence.
	b := s.Stream("radar-2", "detect")
	for i := 0; i < 10; i++ {
		b.Float64()
	}
	a2 := s.Stream("radar-1", "detect")
	for i := 0; i < 100; i++ {
		if x, y := a.Float64(), a2.Float64(); x != y {
			t.Fatalf("draw %d: %v != %v", i, x, y)
		}
	}
}

func TestStreamsDiffer(t *testing.T) {
	cases := []struct {
		a, b Streams
		ka   []string
		kb   []string
	}{
		{Streams{1, 0}, Streams{2, 0}, []string{"x"}, []string{"x"}},
		{Streams{1, 0}, Streams{1, 1}, []string{"x"}, []string{"x"}},
		{Streams{1, 0}, Streams{1, 0}, []string{"x"}, []string{"y"}},
		{Streams{1, 0}, Streams{1, 0}, []string{"ab", "c"}, []string{"a", "bc"}},
	}
	for i, c := range cases {
		if c.a.Key(c.ka...) == c.b.Key(c.kb...) {
			t.Errorf("case %d: keys collide", i)
		}
	}
}

func BenchmarkStream(b *testing.B) {
	s := Streams{Seed: 1}
	for i := 0; i < b.N; i++ {
		_ = s.Stream("radar-1", "threat-17")
	}
}

// TestPoissonExpMatchesPoisson checks that the false-alarm draw with exp(−mean) computed once
// per radar (poissonExp) gives poisson's variates and consumes the same draws, for means on
// both sides of the normal approximation's threshold and at the edges (0, negative, 30).
func TestPoissonExpMatchesPoisson(t *testing.T) {
	for _, mean := range []float64{-1, 0, 1e-9, 0.05, 0.7, 3, 12.5, 30, math.Nextafter(30, 31), 45, 400} {
		a, b := rand.New(rand.NewPCG(5, 9)), rand.New(rand.NewPCG(5, 9))
		e := math.Exp(-mean)
		for k := 0; k < 2000; k++ {
			if x, y := poisson(a, mean), poissonExp(b, mean, e); x != y {
				t.Fatalf("mean %v, draw %d: poisson %d, poissonExp %d", mean, k, x, y)
			}
		}
		if a.Uint64() != b.Uint64() {
			t.Fatalf("mean %v: the streams consumed different draws", mean)
		}
	}
}

// BenchmarkPoissonExp measures a false-alarm count draw at a typical per-scan mean, with
// exp(−mean) computed per draw (poisson) and once (poissonExp).
func BenchmarkPoissonExp(b *testing.B) {
	const mean = 0.3
	rng := rand.New(rand.NewPCG(1, 2))
	e := math.Exp(-mean)
	n := 0
	b.Run("poisson", func(b *testing.B) {
		for b.Loop() {
			n += poisson(rng, mean)
		}
	})
	b.Run("poissonExp", func(b *testing.B) {
		for b.Loop() {
			n += poissonExp(rng, mean, e)
		}
	})
	_ = n
}
