package mc

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// MaxRepsListed is how many replication indices a RepList keeps: enough to replay a few, few
// enough to print.
const MaxRepsListed = 10

// RepList counts the replications with some outcome (a leaker; a leaker under B only) and
// keeps the lowest MaxRepsListed of their indices, in ascending order whatever the order they
// are added in: the ones to replay with adsim run --replication to see why.
type RepList struct {
	Count int64    `json:"count"`
	First []uint64 `json:"first"`
}

// Add counts replication rep.
func (l *RepList) Add(rep uint64) {
	l.Count++
	i, _ := slices.BinarySearch(l.First, rep)
	if i >= MaxRepsListed {
		return
	}
	l.First = slices.Insert(l.First, i, rep)
	if len(l.First) > MaxRepsListed {
		l.First = l.First[:MaxRepsListed]
	}
}

// clone returns a copy whose list is its own (the original may go on adding) and never nil
// (an empty list is [] in JSON, not null).
func (l RepList) clone() RepList {
	return RepList{Count: l.Count, First: append([]uint64{}, l.First...)}
}

// String says how many and which: "none", "3 (replications 4, 9, 17)", "12 (the first 10:
// replications 1, 2, …)".
func (l RepList) String() string {
	if l.Count == 0 {
		return "none"
	}
	reps := make([]string, len(l.First))
	for i, r := range l.First {
		reps[i] = strconv.FormatUint(r, 10)
	}
	which := "replications "
	if len(l.First) == 1 {
		which = "replication "
	}
	if int64(len(l.First)) < l.Count {
		which = fmt.Sprintf("the first %d: %s", len(l.First), which)
	}
	return fmt.Sprintf("%d (%s%s)", l.Count, which, strings.Join(reps, ", "))
}
