package scenario

import (
	"fmt"
	"sort"
	"strings"
)

// unitStem strips a unit suffix (a file unit or a common wrong one) from a field name.
func unitStem(name string) (stem string, hadUnit bool) {
	suffixes := [...]string{
		"_kmh", "_mps", "_mph", "_kts", "_kt", "_knots", "_dbsm", "_deg", "_rad", "_usd",
		"_m2", "_ft2", "_km", "_nm", "_mi", "_ft", "_kg", "_lb", "_lbs", "_ms", "_min", "_h",
		"_hz", "_s", "_m",
	}
	for _, s := range suffixes {
		if strings.HasSuffix(name, s) && len(name) > len(s) {
			return strings.TrimSuffix(name, s), true
		}
	}
	return name, false
}

// fieldHint suggests the intended field for an unknown key among the known names.
func fieldHint(key string, known []string) string {
	stem, hadUnit := unitStem(key)
	for _, k := range known {
		ks, _ := unitStem(k)
		if k == key || ks != stem {
			continue
		}
		if hadUnit {
			return fmt.Sprintf("`%s` has the wrong unit: this field is `%s` (%s); convert the value", key, k, unitOf(k))
		}
		return fmt.Sprintf("did you mean `%s`? field names carry their unit (%s)", k, unitOf(k))
	}
	if best := closest(key, known); best != "" {
		return fmt.Sprintf("did you mean `%s`?", best)
	}
	return "known fields: " + strings.Join(known, ", ")
}

// valueHint suggests the intended value among the valid ones.
func valueHint(got string, valid []string) string {
	if best := closest(got, valid); best != "" {
		return fmt.Sprintf("did you mean %q?", best)
	}
	return ""
}

// idHint suggests a known id for an unknown one and lists them all.
func idHint(got string, known []string) string {
	sorted := append([]string(nil), known...)
	sort.Strings(sorted)
	list := "none are defined"
	if len(sorted) > 0 {
		list = "known: " + strings.Join(sorted, ", ")
	}
	if best := closest(got, sorted); best != "" {
		return fmt.Sprintf("did you mean %q? %s", best, list)
	}
	return list
}

// closest returns the candidate nearest to s by edit distance, if it is near enough to be a
// plausible typo.
func closest(s string, candidates []string) string {
	best, bestD := "", -1
	for _, c := range candidates {
		d := editDistance(strings.ToLower(s), strings.ToLower(c))
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	limit := max(2, len([]rune(s))/3)
	if bestD < 0 || bestD > limit || bestD >= len([]rune(s)) {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
