package track

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// nthElement returns, for every k, the value slices.Sort puts at index k, on random slices
// with many ties, NaNs and signed zeros as well as distinct values.
func TestNthElementMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	draws := []func() float64{
		func() float64 { return rng.NormFloat64() },
		func() float64 { return float64(rng.IntN(4)) }, // many ties
		func() float64 {
			switch rng.IntN(6) {
			case 0:
				return math.NaN()
			case 1:
				return math.Copysign(0, -1)
			case 2:
				return 0
			case 3:
				return math.Inf(1)
			}
			return rng.ExpFloat64()
		},
	}
	for it := 0; it < 3000; it++ {
		n := 1 + rng.IntN(300)
		draw := draws[it%len(draws)]
		v := make([]float64, n)
		for i := range v {
			v[i] = draw()
		}
		if it%7 == 0 {
			slices.Sort(v) // sorted input, the quadratic case of a naive pivot
			if it%14 == 0 {
				slices.Reverse(v)
			}
		}
		sorted := slices.Clone(v)
		slices.Sort(sorted)
		k := rng.IntN(n)
		got := nthElement(slices.Clone(v), k)
		want := sorted[k]
		if !(got == want || math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("n %d, k %d: nthElement %v, sorted %v (input %v)", n, k, got, want, v)
		}
	}
}

func BenchmarkMedianWidth(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	v := make([]float64, 400)
	for i := range v {
		v[i] = rng.ExpFloat64()
	}
	w := make([]float64, len(v))
	b.Run("sort", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			copy(w, v)
			slices.Sort(w)
			_ = w[len(w)/2]
		}
	})
	b.Run("nthElement", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			copy(w, v)
			_ = nthElement(w, len(w)/2)
		}
	})
}
