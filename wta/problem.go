package wta

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
)

// Problem is one static weapon-target assignment instance (Andersen, Pavlikov and Toffolo
// 2022, eq. 1): minimise Σ_j V[j] Π_i (1 − P[i][j])^x_ij subject to Σ_j x_ij ≤ Units[i] and
// x_ij ≥ 0 integer.
type Problem struct {
	// W is the number of weapon types and T the number of targets.
	W, T int
	// Units[i] is the number of identical units of weapon type i (mu in the benchmark files).
	Units []int
	// V[j] ≥ 0 is the value of target j.
	V []float64
	// P[i][j] ∈ [0, 1] is the kill probability of one unit of type i against target j.
	P [][]float64
}

// Size limits that keep a malformed header from allocating unbounded memory.
const (
	maxCells = 1 << 24 // W·T
	maxUnits = 1 << 20 // units of one type
)

// Validate reports the first inconsistency: dimensions, negative units, values that are
// negative or not finite, probabilities outside [0, 1].
func (p *Problem) Validate() error {
	if p == nil {
		return errors.New("wta: nil problem")
	}
	if p.W < 1 || p.T < 1 {
		return fmt.Errorf("wta: need at least one weapon type and one target, have W=%d T=%d", p.W, p.T)
	}
	if p.W*p.T > maxCells || p.W > maxCells || p.T > maxCells {
		return fmt.Errorf("wta: W·T = %d·%d exceeds the limit %d", p.W, p.T, maxCells)
	}
	if len(p.Units) != p.W || len(p.P) != p.W || len(p.V) != p.T {
		return fmt.Errorf("wta: inconsistent sizes: W=%d T=%d but len(Units)=%d len(P)=%d len(V)=%d",
			p.W, p.T, len(p.Units), len(p.P), len(p.V))
	}
	for i, u := range p.Units {
		if u < 0 || u > maxUnits {
			return fmt.Errorf("wta: weapon type %d has %d units, want 0..%d", i, u, maxUnits)
		}
	}
	for j, v := range p.V {
		if !(v >= 0) || math.IsInf(v, 1) {
			return fmt.Errorf("wta: target %d has value %v, want a finite number ≥ 0", j, v)
		}
	}
	for i, row := range p.P {
		if len(row) != p.T {
			return fmt.Errorf("wta: P[%d] has %d entries, want T=%d", i, len(row), p.T)
		}
		for j, q := range row {
			if !(q >= 0 && q <= 1) {
				return fmt.Errorf("wta: P[%d][%d] = %v, want a probability in [0, 1]", i, j, q)
			}
		}
	}
	return nil
}

// TotalUnits is Σ_i Units[i].
func (p *Problem) TotalUnits() int {
	n := 0
	for _, u := range p.Units {
		n += u
	}
	return n
}

// Check reports whether x is a feasible assignment for p: W×T shape, x_ij ≥ 0 and
// Σ_j x_ij ≤ Units[i].
func (p *Problem) Check(x [][]int) error {
	if len(x) != p.W {
		return fmt.Errorf("wta: assignment has %d rows, want W=%d", len(x), p.W)
	}
	for i, row := range x {
		if len(row) != p.T {
			return fmt.Errorf("wta: assignment row %d has %d entries, want T=%d", i, len(row), p.T)
		}
		n := 0
		for j, k := range row {
			if k < 0 {
				return fmt.Errorf("wta: x[%d][%d] = %d is negative", i, j, k)
			}
			n += k
			if n > p.Units[i] {
				return fmt.Errorf("wta: weapon type %d is assigned more than its %d units", i, p.Units[i])
			}
		}
	}
	return nil
}

// Objective evaluates F(x) = Σ_j V_j Π_i (1 − p_ij)^x_ij exactly, independently of any solver
// state: each target's survival is computed in log space as exp(Σ_i x_ij ln(1 − p_ij)), with
// a unit of kill probability 1 making the survival exactly 0, and the terms are summed with
// Neumaier compensation. It checks the shape of x and that no entry is negative, but not the
// capacities (see Check).
func Objective(p *Problem, x [][]int) (float64, error) {
	if len(x) != p.W {
		return 0, fmt.Errorf("wta: assignment has %d rows, want W=%d", len(x), p.W)
	}
	for i, row := range x {
		if len(row) != p.T {
			return 0, fmt.Errorf("wta: assignment row %d has %d entries, want T=%d", i, len(row), p.T)
		}
		for j, k := range row {
			if k < 0 {
				return 0, fmt.Errorf("wta: x[%d][%d] = %d is negative", i, j, k)
			}
		}
	}
	var sum, comp float64
	for j := 0; j < p.T; j++ {
		logS, dead := 0.0, false
		for i := 0; i < p.W; i++ {
			k := x[i][j]
			if k == 0 {
				continue
			}
			q := p.P[i][j]
			if q >= 1 {
				dead = true
				break
			}
			logS += float64(k) * math.Log1p(-q)
		}
		term := 0.0
		if !dead {
			term = p.V[j] * math.Exp(logS)
		}
		t := sum + term
		if math.Abs(sum) >= math.Abs(term) {
			comp += (sum - t) + term
		} else {
			comp += (term - t) + sum
		}
		sum = t
	}
	return sum + comp, nil
}

// lineReader splits input into lines and fields, remembering line and column (1-based,
// columns in bytes) for error messages.
type lineReader struct {
	name string
	r    *bufio.Reader
	line int
	eof  bool
}

type field struct {
	text []byte
	col  int
}

// next returns the fields of the next non-blank line, or ok=false at the end of input.
func (lr *lineReader) next() (fields []field, ok bool, err error) {
	for !lr.eof {
		b, rerr := lr.r.ReadSlice('\n')
		var buf []byte
		if rerr == bufio.ErrBufferFull {
			buf = append(buf, b...)
			for rerr == bufio.ErrBufferFull {
				b, rerr = lr.r.ReadSlice('\n')
				buf = append(buf, b...)
				if len(buf) > 1<<20 {
					return nil, false, fmt.Errorf("%s:%d: line longer than 1 MiB", lr.name, lr.line+1)
				}
			}
			b = buf
		}
		if rerr == io.EOF {
			lr.eof = true
		} else if rerr != nil {
			return nil, false, fmt.Errorf("%s:%d: %w", lr.name, lr.line+1, rerr)
		}
		if len(b) == 0 && lr.eof {
			break
		}
		lr.line++
		fields = fields[:0]
		i := 0
		for i < len(b) {
			for i < len(b) && isSpace(b[i]) {
				i++
			}
			if i >= len(b) {
				break
			}
			start := i
			for i < len(b) && !isSpace(b[i]) {
				i++
			}
			fields = append(fields, field{text: b[start:i:i], col: start + 1})
		}
		if len(fields) > 0 {
			// ReadSlice's buffer is reused: copy the fields we keep.
			for k := range fields {
				fields[k].text = bytes.Clone(fields[k].text)
			}
			return fields, true, nil
		}
	}
	return nil, false, nil
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'
}

// errAt formats "name:line:col: found X, expected Y".
func (lr *lineReader) errAt(col int, found, expected string) error {
	return fmt.Errorf("%s:%d:%d: found %s, expected %s", lr.name, lr.line, col, found, expected)
}

// expectFields checks the field count of a line: too many points at the first extra field,
// too few at the end of the line.
func (lr *lineReader) expectFields(fs []field, names []string) error {
	if len(fs) > len(names) {
		f := fs[len(names)]
		return lr.errAt(f.col, fmt.Sprintf("extra field %s", quote(f.text)), "end of line after "+names[len(names)-1])
	}
	if len(fs) < len(names) {
		last := fs[len(fs)-1]
		return lr.errAt(last.col+len(last.text), "end of line", names[len(fs)])
	}
	return nil
}

func quote(b []byte) string {
	if len(b) > 40 {
		return strconv.Quote(string(b[:40])) + "…"
	}
	return strconv.Quote(string(b))
}

func (lr *lineReader) parseInt(f field, what string, lo, hi int) (int, error) {
	v, err := strconv.Atoi(string(f.text))
	if err != nil || v < lo || v > hi {
		return 0, lr.errAt(f.col, quote(f.text), fmt.Sprintf("%s, an integer in [%d, %d]", what, lo, hi))
	}
	return v, nil
}

func (lr *lineReader) parseFloat(f field, what string, lo, hi float64) (float64, error) {
	v, err := strconv.ParseFloat(string(f.text), 64)
	if err != nil || !(v >= lo && v <= hi) {
		rng := fmt.Sprintf("a number in [%g, %g]", lo, hi)
		if math.IsInf(hi, 1) {
			rng = fmt.Sprintf("a finite number ≥ %g", lo)
		}
		return 0, lr.errAt(f.col, quote(f.text), what+", "+rng)
	}
	return v, nil
}

// Read parses the benchmark format of Andersen, Pavlikov and Toffolo (2022): line 1
// "W T mu"; then T lines, the value V_j of each target; then W·T lines "i j p_ij" (0-based,
// any order, each pair exactly once). Blank lines are skipped. name is used in error
// messages, which have the form "name:line:column: found X, expected Y".
func Read(r io.Reader, name string) (*Problem, error) {
	lr := &lineReader{name: name, r: bufio.NewReaderSize(r, 64<<10)}
	eof := func(expected string) error {
		return fmt.Errorf("%s:%d: found end of file, expected %s", name, lr.line+1, expected)
	}
	fs, ok, err := lr.next()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, eof(`the header "W T mu"`)
	}
	if err := lr.expectFields(fs, []string{"W (weapon types)", "T (targets)", "mu (units per type)"}); err != nil {
		return nil, err
	}
	w, err := lr.parseInt(fs[0], "W (weapon types)", 1, maxCells)
	if err != nil {
		return nil, err
	}
	t, err := lr.parseInt(fs[1], "T (targets)", 1, maxCells)
	if err != nil {
		return nil, err
	}
	mu, err := lr.parseInt(fs[2], "mu (units per type)", 0, maxUnits)
	if err != nil {
		return nil, err
	}
	if w*t > maxCells {
		return nil, lr.errAt(fs[0].col, fmt.Sprintf("W·T = %d", w*t), fmt.Sprintf("at most %d pairs", maxCells))
	}
	p := &Problem{W: w, T: t, Units: make([]int, w), V: make([]float64, t), P: make([][]float64, w)}
	for i := range p.Units {
		p.Units[i] = mu
	}
	for j := 0; j < t; j++ {
		fs, ok, err := lr.next()
		if err != nil {
			return nil, err
		}
		what := fmt.Sprintf("V_%d (value of target %d of %d)", j, j, t)
		if !ok {
			return nil, eof(what)
		}
		if err := lr.expectFields(fs, []string{what}); err != nil {
			return nil, err
		}
		if p.V[j], err = lr.parseFloat(fs[0], what, 0, math.Inf(1)); err != nil {
			return nil, err
		}
	}
	cells := make([]float64, w*t)
	seen := make([]int32, w*t) // line of first occurrence, 0 = not yet
	for i := range p.P {
		p.P[i] = cells[i*t : (i+1)*t : (i+1)*t]
	}
	names := []string{"i (weapon type)", "j (target)", "p_ij (kill probability)"}
	for k := 0; k < w*t; k++ {
		fs, ok, err := lr.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, eof(fmt.Sprintf("%d lines \"i j p_ij\", found %d", w*t, k))
		}
		if err := lr.expectFields(fs, names); err != nil {
			return nil, err
		}
		i, err := lr.parseInt(fs[0], names[0], 0, w-1)
		if err != nil {
			return nil, err
		}
		j, err := lr.parseInt(fs[1], names[1], 0, t-1)
		if err != nil {
			return nil, err
		}
		q, err := lr.parseFloat(fs[2], names[2], 0, 1)
		if err != nil {
			return nil, err
		}
		if first := seen[i*t+j]; first != 0 {
			return nil, lr.errAt(fs[0].col, fmt.Sprintf("a second line for pair (%d, %d)", i, j),
				fmt.Sprintf("each pair once (first on line %d)", first))
		}
		seen[i*t+j] = int32(min(lr.line, math.MaxInt32))
		p.P[i][j] = q
	}
	if fs, ok, err := lr.next(); err != nil {
		return nil, err
	} else if ok {
		return nil, lr.errAt(fs[0].col, fmt.Sprintf("extra data %s", quote(fs[0].text)),
			fmt.Sprintf("end of file after %d lines \"i j p_ij\"", w*t))
	}
	return p, nil
}

// Write writes p in the benchmark format that Read parses. The format has one mu for all
// weapon types, so Write fails when Units are not all equal.
func Write(w io.Writer, p *Problem) error {
	if err := p.Validate(); err != nil {
		return err
	}
	for i, u := range p.Units {
		if u != p.Units[0] {
			return fmt.Errorf("wta: the benchmark format needs equal units per type, type %d has %d, type 0 has %d", i, u, p.Units[0])
		}
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%d %d %d\n", p.W, p.T, p.Units[0])
	var buf []byte
	for _, v := range p.V {
		buf = strconv.AppendFloat(buf[:0], v, 'g', -1, 64)
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	for i := range p.P {
		for j, q := range p.P[i] {
			buf = strconv.AppendInt(buf[:0], int64(i), 10)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, int64(j), 10)
			buf = append(buf, ' ')
			buf = strconv.AppendFloat(buf, q, 'g', -1, 64)
			buf = append(buf, '\n')
			bw.Write(buf)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("wta: writing problem: %w", err)
	}
	return nil
}

// WriteSolution writes the assignment as lines "i j x_ij" (0-based), only x_ij > 0, in
// order of i then j, so that anyone can re-evaluate it.
func WriteSolution(w io.Writer, x [][]int) error {
	bw := bufio.NewWriter(w)
	for i, row := range x {
		for j, k := range row {
			if k > 0 {
				fmt.Fprintf(bw, "%d %d %d\n", i, j, k)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("wta: writing solution: %w", err)
	}
	return nil
}

// ReadSolution parses an assignment written by WriteSolution for problem p. Pairs may repeat
// (their counts add up); the result is checked for feasibility.
func ReadSolution(r io.Reader, name string, p *Problem) ([][]int, error) {
	lr := &lineReader{name: name, r: bufio.NewReader(r)}
	x := make([][]int, p.W)
	for i := range x {
		x[i] = make([]int, p.T)
	}
	names := []string{"i (weapon type)", "j (target)", "x_ij (units)"}
	for {
		fs, ok, err := lr.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if err := lr.expectFields(fs, names); err != nil {
			return nil, err
		}
		i, err := lr.parseInt(fs[0], names[0], 0, p.W-1)
		if err != nil {
			return nil, err
		}
		j, err := lr.parseInt(fs[1], names[1], 0, p.T-1)
		if err != nil {
			return nil, err
		}
		k, err := lr.parseInt(fs[2], names[2], 0, p.Units[i]-x[i][j])
		if err != nil {
			return nil, err
		}
		x[i][j] += k
	}
	if err := p.Check(x); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return x, nil
}
