package scenario

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error is one problem found in a scenario or catalog file, located at the offending key or
// value.
type Error struct {
	// File is the file name given to Parse or Load.
	File string
	// Line and Col are 1-based; 0 when the position is unknown.
	Line, Col int
	// Path is the YAML path of the offending field, such as "sensors[0].ref_range_km"; empty
	// for errors about the whole file.
	Path string
	// Found describes what the file holds, such as "-300" or `unknown field "range_m"`.
	Found string
	// Expected describes what would have been valid.
	Expected string
	// Hint is an optional suggestion for the fix.
	Hint string
}

// Error formats the error as
//
//	file:line:col: path: found X, expected Y; hint: Z
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteByte(':')
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:%d:", e.Line, e.Col)
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	switch {
	case e.Found != "" && e.Expected != "":
		fmt.Fprintf(&b, "found %s, expected %s", e.Found, e.Expected)
	case e.Found != "":
		fmt.Fprintf(&b, "found %s", e.Found)
	case e.Expected != "":
		fmt.Fprintf(&b, "expected %s", e.Expected)
	}
	if e.Hint != "" {
		b.WriteString("; hint: ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// ErrorList is every error found in one file, sorted by line and column. Parse and Load return
// it as their error; use errors.As (or Errors) to get at the individual errors.
type ErrorList []*Error

// Error returns one error per line.
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the individual errors, so that errors.As(err, &e) with e of type *Error finds
// the first one.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// sort orders the list by line, then column, then path, keeping the insertion order of ties.
func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Path < b.Path
	})
}

// Errors returns the positioned errors carried by err: the ErrorList itself, a single *Error
// as a list of one, or nil when err carries none (such as a file that cannot be read).
func Errors(err error) ErrorList {
	var l ErrorList
	if errors.As(err, &l) {
		return l
	}
	var e *Error
	if errors.As(err, &e) {
		return ErrorList{e}
	}
	return nil
}
