package sim

import "testing"

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
