package main

import (
	"fmt"
	"strings"

	"github.com/adsim/adsim/mc"
)

// setArg is one --set (or --set-b) argument as the user gave it, and what it says: a path and
// its values (one, or several for a sweep or a sensitivity factor).
type setArg struct {
	flag   string // "set" or "set-b"
	text   string // PATH=VALUES as given
	path   string
	values []string
}

// String is the argument as given, for messages: --set raids[0].count=10:50:10.
func (a setArg) String() string { return "--" + a.flag + " " + a.text }

// parseSetArgs reads the arguments of a --set flag (flag: "set" or "set-b").
func parseSetArgs(flag string, args []string) ([]setArg, error) {
	out := make([]setArg, 0, len(args))
	for _, arg := range args {
		path, values, err := mc.ParseSet(arg)
		if err != nil {
			if flag != "set" {
				err = fmt.Errorf("--%s: %w", flag, err)
			}
			return nil, badInput(err)
		}
		out = append(out, setArg{flag: flag, text: arg, path: path, values: values})
	}
	return out, nil
}

// checkSets refuses, before anything is applied, settings of st that would silently lose one
// another or run the same thing twice: two that name the same field, however spelled
// (raids[0].count and raids[drones-south].count when that raid comes first: the one applied
// last would win, a swept one over a fixed one, and a grid would have an axis that changes
// nothing), and, with distinct, an argument that gives one value twice, however written (01
// and 1 for an integer field, 0.1 and 0.10 for a number: the same point run twice).
func checkSets(st *mc.Study, args []setArg, distinct bool) error {
	first := make(map[string]setArg, len(args))
	for _, a := range args {
		p := st.CanonicalPath(a.path)
		if o, ok := first[p]; ok {
			return badInput(fmt.Errorf("%s and %s both set %s: give each field once", o, a, p))
		}
		first[p] = a
		if !distinct {
			continue
		}
		seen := make(map[string]string, len(a.values))
		for _, v := range a.values {
			c := st.CanonicalValue(a.path, v)
			if o, ok := seen[c]; ok {
				return badInput(fmt.Errorf("%s: %s: give each value once", a, sameValues(o, v, p)))
			}
			seen[c] = v
		}
	}
	return nil
}

// sameValues says that values a and b, given for the field at path, are one value.
func sameValues(a, b, path string) string {
	if strings.TrimSpace(a) == strings.TrimSpace(b) {
		return fmt.Sprintf("%s is given twice", strings.TrimSpace(b))
	}
	return fmt.Sprintf("%s and %s are the same value of %s", strings.TrimSpace(a), strings.TrimSpace(b), path)
}

// distinctPoints refuses a zipped sweep two of whose points are the same (each field's
// values compared as the field reads them): that point would run twice. A grid's points are
// distinct when each field's values are (checkSets).
func distinctPoints(st *mc.Study, grid [][]mc.Setting) error {
	seen := make(map[string]int, len(grid))
	for i, pt := range grid {
		key := make([]string, len(pt))
		for k, s := range pt {
			key[k] = st.CanonicalValue(s.Path, s.Value)
		}
		k := strings.Join(key, "\x00")
		if j, ok := seen[k]; ok {
			return badInput(fmt.Errorf("--zip: points %d (%s) and %d (%s) are the same: give each point once",
				j+1, pointText(grid[j]), i+1, pointText(pt)))
		}
		seen[k] = i
	}
	return nil
}

// pointText is a point's settings as written on the command line: "a=1, b=2".
func pointText(pt []mc.Setting) string {
	parts := make([]string, len(pt))
	for i, s := range pt {
		parts[i] = s.String()
	}
	return strings.Join(parts, ", ")
}

// picturePath is the scenario field that --picture and --picture-b set.
const picturePath = "c2.picture"

// refusePictureTwice refuses a --picture flag (flag, given as picture; "" when not given)
// together with a --set of c2.picture among groups: the two say the same thing, and which of
// them won depended on the command (the settings applied after the flag in sweep, before it
// in mc and compare).
func refusePictureTwice(flag, picture string, groups ...[]setArg) error {
	if picture == "" {
		return nil
	}
	for _, g := range groups {
		for _, a := range g {
			if a.path == picturePath {
				return badInput(fmt.Errorf("--%s %s and %s both set the air picture: give one of the two", flag, picture, a))
			}
		}
	}
	return nil
}
