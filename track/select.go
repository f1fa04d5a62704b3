package track

import "cmp"

// nthElement rearranges v and returns the element that slices.Sort(v) would put at index k
// (0 ≤ k < len(v)), in expected O(len(v)) instead of O(len(v) log len(v)): Hoare's FIND
// (Hoare 1961, Algorithm 65) with the median of three as pivot. The order is cmp.Less's, the
// one slices.Sort uses (a NaN before every number), and values equal under it (−0 and +0,
// or two NaNs) are interchangeable for every caller, so the returned value is the one the
// sort would give. GridGater sizes its spatial hash by the median gate width; sorting the
// widths of every track on every large scan was a tenth of a 200-drone replication.
func nthElement(v []float64, k int) float64 {
	lo, hi := 0, len(v)-1
	for hi > lo {
		if hi-lo < 12 {
			// Insertion sort of a short range.
			for i := lo + 1; i <= hi; i++ {
				for j := i; j > lo && cmp.Less(v[j], v[j-1]); j-- {
					v[j], v[j-1] = v[j-1], v[j]
				}
			}
			return v[k]
		}
		// The median of v[lo], v[mid], v[hi] as pivot, left at v[mid].
		mid := lo + (hi-lo)/2
		if cmp.Less(v[mid], v[lo]) {
			v[mid], v[lo] = v[lo], v[mid]
		}
		if cmp.Less(v[hi], v[lo]) {
			v[hi], v[lo] = v[lo], v[hi]
		}
		if cmp.Less(v[hi], v[mid]) {
			v[hi], v[mid] = v[mid], v[hi]
		}
		p := v[mid]
		// Hoare's partition: v[lo..j] ≤ p ≤ v[i..hi] when the indices cross.
		i, j := lo, hi
		for i <= j {
			for cmp.Less(v[i], p) {
				i++
			}
			for cmp.Less(p, v[j]) {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return v[k] // between j and i: equal to the pivot
		}
	}
	return v[k]
}
