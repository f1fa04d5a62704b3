package mc

import (
	"fmt"
	"math"

	"github.com/adsim/adsim/report"
)

// valueSlack allows for rounding in a sum of asset values (a replication that loses every
// asset adds the values in its own order).
const valueSlack = 1e-9

// Validate checks a row read from a file against what any replication of the layout's
// scenario can produce: counts not negative, no more threats detected, engaged, destroyed or
// leaked than launched (launched = destroyed + leaked + flying, for each class too), no unit
// killing more than launched nor firing more than its magazine, finite values from 0 to the
// asset's value (value_lost to the assets' total), and every total the sum of its parts:
// launched, destroyed and leaked of the classes', destroyed of the layers' kills, each layer's
// kills and missiles of its units', gun rounds of the units' guns, value lost of the assets'.
// A row edited by hand, or of another file, would otherwise pass into the statistics as a
// possible outcome.
func (l *Layout) Validate(r *Row) error {
	if err := l.Check(r); err != nil {
		return err
	}
	nu := len(l.cols.Uint)
	in, fl := r.Int, r.Float
	name := func(k int) string { return l.cols.Int[k] }
	bad := func(k int, format string, a ...any) error {
		return &report.FieldError{Field: nu + k, Err: fmt.Errorf("%s: found %d; expected "+format, append([]any{name(k), in[k]}, a...)...)}
	}
	for k, v := range in {
		if v < 0 {
			return bad(k, "a count of at least 0")
		}
	}
	launched := in[iLaunched]
	for _, k := range []int{iDetected, iEngaged, iDestroyed, iLeaked, iFlying} {
		if in[k] > launched {
			return bad(k, "at most launched (%d)", launched)
		}
	}
	if s := in[iDestroyed] + in[iLeaked] + in[iFlying]; s != launched {
		return bad(iFlying, "launched − destroyed − leaked = %d (every threat launched is destroyed, leaked or flying)", launched-in[iDestroyed]-in[iLeaked])
	}
	for c := range l.Classes {
		cl, cd, ck := l.classLaunched(c), l.classDestroyed(c), l.classLeaked(c)
		if in[cd] > in[cl] {
			return bad(cd, "at most %s (%d)", name(cl), in[cl])
		}
		if in[ck] > in[cl]-in[cd] {
			return bad(ck, "at most %s − %s (%d)", name(cl), name(cd), in[cl]-in[cd])
		}
	}
	for u, uc := range l.Units {
		base := l.unitOff[u]
		if in[base] > launched {
			return bad(base, "at most launched (%d)", launched)
		}
		for w := range uc.Weapons {
			if n := l.rounds[u][w]; float64(in[base+1+w]) > n {
				return bad(base+1+w, "at most the magazine of %g (the engine never reloads)", n)
			}
		}
	}
	// The engine counts each kill, launch and shot once, in every table that shows it: the
	// totals are the sums of their parts.
	var launchedC, destroyedC, leakedC, layerKills, layerFired int64
	for c := range l.Classes {
		launchedC += in[l.classLaunched(c)]
		destroyedC += in[l.classDestroyed(c)]
		leakedC += in[l.classLeaked(c)]
	}
	for k := range layers {
		layerKills += in[iLayer+k]
		layerFired += in[iLayer+len(layers)+k]
	}
	var guns int64
	var unitKills, unitFired [len(layers)]int64
	for u, uc := range l.Units {
		k := layerIndex(uc.Layer)
		if k < 0 {
			continue
		}
		base := l.unitOff[u]
		unitKills[k] += in[base]
		for w := range uc.Weapons {
			if l.gun[u][w] {
				guns += in[base+1+w]
			} else {
				unitFired[k] += in[base+1+w]
			}
		}
	}
	hasClasses := len(l.Classes) > 0
	for _, c := range []struct {
		check bool
		total int
		sum   int64
		what  string
	}{
		{hasClasses, iLaunched, launchedC, "the sum of launched_<class>"},
		{hasClasses, iDestroyed, destroyedC, "the sum of destroyed_<class>"},
		{hasClasses, iLeaked, leakedC, "the sum of leaked_<class>"},
		{true, iDestroyed, layerKills, "the sum of kills_<layer> (each kill is a layer's)"},
		{true, iInterceptors, layerFired, "the sum of interceptors_<layer>"},
		{true, iGunRounds, guns, "the sum of the units' gun rounds"},
	} {
		if c.check && in[c.total] != c.sum {
			return bad(c.total, "%s, %d", c.what, c.sum)
		}
	}
	for _, k := range []int{iLeakedNoShot, iLeakedUntracked} {
		if in[k] > in[iLeaked] {
			return bad(k, "at most leaked (%d)", in[iLeaked])
		}
	}
	for k, ly := range layers {
		if in[iLayer+k] != unitKills[k] {
			return bad(iLayer+k, "the sum of the kills of the %s-range units, %d", ly, unitKills[k])
		}
		if in[iLayer+len(layers)+k] != unitFired[k] {
			return bad(iLayer+len(layers)+k, "the sum of the missiles the %s-range units fired, %d", ly, unitFired[k])
		}
	}
	nf := nu + len(in)
	badF := func(k int, format string, a ...any) error {
		return &report.FieldError{Field: nf + k, Err: fmt.Errorf("%s: found %v; expected "+format, append([]any{l.cols.Float[k], fl[k]}, a...)...)}
	}
	for k, v := range fl {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return badF(k, "a finite number of at least 0")
		}
	}
	if total := valueTotal(l); fl[fValueLost] > total*(1+valueSlack) {
		return badF(fValueLost, "at most %g, the value of all the scenario's assets", total)
	}
	var lost float64
	for a, v := range l.Values {
		if fl[fAsset+a] > v*(1+valueSlack) {
			return badF(fAsset+a, "at most %g, the asset's value", v)
		}
		lost += fl[fAsset+a]
	}
	// The assets' losses add up to value_lost, but for the order of the additions.
	if len(l.Values) > 0 && math.Abs(lost-fl[fValueLost]) > valueSlack*math.Max(1, valueTotal(l)) {
		return badF(fValueLost, "the sum of lost_<asset>, %g", lost)
	}
	return nil
}
