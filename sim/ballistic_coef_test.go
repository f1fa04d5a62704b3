package sim

import (
	"math"
	"testing"

	"github.com/adsim/adsim/scenario"
)

// C2 assumes of an identified ballistic track the drag of the scenario's ballistic classes:
// the ballistic coefficient whose 1/β is the mean of theirs, since drag deceleration goes
// with 1/β. The default scenario's only class gives its own β; adding one Iskander-class
// missile with β = 24,000 kg/m² beside the two at 8,000 gives 3 / (2/8000 + 1/24000) =
// 10,285.7 kg/m²; a class without drag counts as 1/β = 0.
func TestBallisticCoefficientOfCategory(t *testing.T) {
	base, err := scenario.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	build := func(extraBeta float64, extra bool) float64 {
		t.Helper()
		s, err := scenario.LoadExample("capital", base)
		if err != nil {
			t.Fatal(err)
		}
		cat := s.EffectiveCatalog(base)
		if extra {
			cl, ok := cat.Threat("iskander-m")
			if !ok {
				t.Fatal("no iskander-m class")
			}
			other := *cl
			other.ID = "iskander-b"
			other.BallisticCoefficientKgm2.Value = extraBeta
			cat.Threats = append(cat.Threats, other)
			for _, r := range s.Raids {
				if r.Class == "iskander-m" {
					r.ID, r.Class, r.Count = "ballistic-b", "iskander-b", 1
					s.Raids = append(s.Raids, r)
					break
				}
			}
		}
		w, err := New(s, cat, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return w.catFig[catBallistic].beta
	}
	for _, c := range []struct {
		name  string
		beta  float64
		extra bool
		want  float64
	}{
		{"capital", 0, false, 8000},
		{"with one at 24,000", 24000, true, 3 / (2.0/8000 + 1.0/24000)},
		{"with one drag-free", 0, true, 3 / (2.0 / 8000)},
	} {
		if got := build(c.beta, c.extra); math.Abs(got-c.want) > 1e-9*c.want {
			t.Errorf("%s: β %v, want %v", c.name, got, c.want)
		}
	}
}
