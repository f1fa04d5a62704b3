package mc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// Comparison is the paired comparison of two studies run on common random numbers: the same
// seed and replication indices, so entities with the same ids draw the same random numbers in
// A and B and the differences B − A are much less noisy than those of independent runs.
type Comparison struct {
	A            string `json:"a"`
	B            string `json:"b"`
	Seed         uint64 `json:"seed"`
	Replications int64  `json:"replications"`
	// Paired t on per-replication differences B − A (the sign test where they are all equal).
	// Each PairedResult's Test names the test behind its P.
	ValueLost PairedResult `json:"value_lost"`
	Leakers   PairedResult `json:"leakers"`
	// LeakersNoShot compares the leakers nothing was fired at (Result.LeakersNoShot).
	LeakersNoShot PairedResult `json:"leakers_no_shot"`
	// LeakersUntracked compares the leakers never tracked (Result.LeakersUntracked).
	LeakersUntracked PairedResult `json:"leakers_untracked"`
	LeakRate         PairedResult `json:"leak_rate"`
	Interceptors     PairedResult `json:"interceptors_fired"`
	DefenceCost      PairedResult `json:"defence_cost_usd"`
	// AnyLeak compares P(at least one leaker): Tango's interval and McNemar's test, the mid-p
	// test with fewer than 25 discordant pairs, the sign test where every replication changed
	// the same way (McNemar.P).
	AnyLeak PairedResult `json:"p_any_leak"`
	// Assets compares each asset A and B both defend (by id, in A's order): which buildings
	// does B spare or expose?
	Assets []AssetComparison `json:"assets"`
	// DifferingPairs counts the pairs whose leak rates differ: the ones that carry the
	// leak-rate difference (CompareUntil stops only with MinDifferingPairs of them).
	DifferingPairs int64 `json:"differing_pairs"`
	// LeakFlips names the replications behind AnyLeak's discordant pairs, the ones to replay
	// (adsim run --replication) to see why B let a threat through where A did not, or the
	// other way round.
	LeakFlips Flips `json:"leak_flips"`
}

// Flips are the discordant pairs of a yes/no outcome: the replications that had it under A
// only, and those that had it under B only.
type Flips struct {
	OnlyA RepList `json:"only_a"`
	OnlyB RepList `json:"only_b"`
}

// AssetComparison is one asset under A and B: the chance that it is hit (McNemar's
// test on the paired replications, as AnyLeak) and the value it loses (paired t).
type AssetComparison struct {
	ID        string       `json:"id"`
	Hit       PairedResult `json:"p_hit"`
	ValueLost PairedResult `json:"value_lost"`
}

// PairedResult is one metric under A and B and the difference B − A with its 95 % interval
// and the two-sided p-value of "no difference" by Test: "paired t", "sign" (every difference
// the same: Paired.P, McNemar.P), "McNemar" (asymptotic) or "McNemar mid-p" (fewer than
// MidPBelow discordant pairs).
type PairedResult struct {
	A    float64  `json:"a"`
	B    float64  `json:"b"`
	Diff Interval `json:"diff"`
	P    float64  `json:"p"`
	Test string   `json:"test"`
}

// pairedJSON is PairedResult as written: a mean or p-value that does not exist (NaN: no
// replication, or a test not run) is null, as Interval writes its missing ends, so that a
// comparison is always valid JSON.
type pairedJSON struct {
	A    *float64 `json:"a"`
	B    *float64 `json:"b"`
	Diff Interval `json:"diff"`
	P    *float64 `json:"p"`
	Test string   `json:"test"`
}

// MarshalJSON writes a mean or p-value that is NaN or infinite as null (JSON has no NaN:
// encoding/json would fail, and with it compare --json and sensitivity.json).
func (p PairedResult) MarshalJSON() ([]byte, error) {
	return json.Marshal(pairedJSON{finite(p.A), finite(p.B), p.Diff, finite(p.P), p.Test})
}

// UnmarshalJSON reads what MarshalJSON writes: null means and p-values as NaN.
func (p *PairedResult) UnmarshalJSON(b []byte) error {
	var v pairedJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*p = PairedResult{A: orNaN(v.A), B: orNaN(v.B), Diff: v.Diff, P: orNaN(v.P), Test: v.Test}
	return nil
}

// Significant reports whether the difference is significant at the 5 % level.
func (p PairedResult) Significant() bool { return p.P < 0.05 }

type pairVals struct{ valueLost, leaked, noShot, untracked, rate, interceptors, cost float64 }

func pairOf(r *Row) pairVals {
	v := pairVals{valueLost: r.Float[fValueLost], leaked: float64(r.Int[iLeaked]), noShot: float64(r.Int[iLeakedNoShot]),
		untracked:    float64(r.Int[iLeakedUntracked]),
		interceptors: float64(r.Int[iInterceptors]), cost: r.Float[fDefenceCost]}
	if n := r.Int[iLaunched]; n > 0 {
		v.rate = v.leaked / float64(n)
	}
	return v
}

// baselineSink keeps the paired metrics of each replication of A, in index order, and its
// assets' losses (lost, len(assets) a replication).
type baselineSink struct {
	vals   []pairVals
	assets int
	lost   []float64
}

func (s *baselineSink) WriteRow(r *Row) error {
	s.vals = append(s.vals, pairOf(r))
	s.lost = append(s.lost, r.Float[fAsset:fAsset+s.assets]...)
	return nil
}

// pairedMoments accumulates one metric's pairs: the differences B − A and the values under A
// and under B.
type pairedMoments struct {
	diff Paired
	a, b Moments
}

func (p *pairedMoments) add(a, b float64) {
	p.diff.AddPair(a, b)
	p.a.Add(a)
	p.b.Add(b)
}

// result is the metric's comparison: the means, and the difference with its interval, which
// lies between B's least less A's most and B's most less A's least (Paired.CIWithin: the
// metric is in [0, maxA] under A and [0, maxB] under B).
func (p *pairedMoments) result(maxA, maxB float64) PairedResult {
	return PairedResult{A: p.a.Mean(), B: p.b.Mean(), Diff: p.diff.CIWithin(-maxA, maxB), P: p.diff.P(), Test: p.diff.Test()}
}

// assetPairs accumulates one asset's paired losses and hits.
type assetPairs struct {
	id     string
	a, b   int // the asset's index in A's and in B's rows
	lost   pairedMoments
	hit    McNemar
	ha, hb int64
}

// pairSink pairs each replication of B with A's twin (a, from reps.Start on). A replication
// of B that A did not run is an error, or, with partial (the points of a sweep stopped by
// --until-ci after different numbers of replications), left out.
type pairSink struct {
	partial bool
	first   uint64
	a       []pairVals
	aLost   []float64 // A's asset losses, aAssets a replication
	aAssets int
	assets  []assetPairs
	// The paired metrics: value lost, leakers, those nothing was fired at and those never
	// tracked, leak rate, interceptors fired, defence cost.
	valueLost, leaked, noShot, untracked, rate, interceptors, cost pairedMoments
	any                                                            McNemar
	// The replications with a leaker under A only and under B only (Flips).
	flipA, flipB RepList
	differ       int64 // pairs whose leak rates differ (MinDifferingPairs)
	anyA         int64
	anyB         int64
}

func (s *pairSink) WriteRow(r *Row) error {
	v := pairOf(r)
	k := r.Rep - s.first
	if k >= uint64(len(s.a)) {
		if s.partial {
			return nil
		}
		return fmt.Errorf("replication %d of B has no pair in A", r.Rep)
	}
	a := s.a[k]
	s.valueLost.add(a.valueLost, v.valueLost)
	s.leaked.add(a.leaked, v.leaked)
	s.noShot.add(a.noShot, v.noShot)
	s.untracked.add(a.untracked, v.untracked)
	s.rate.add(a.rate, v.rate)
	if a.rate != v.rate {
		s.differ++
	}
	s.interceptors.add(a.interceptors, v.interceptors)
	s.cost.add(a.cost, v.cost)
	s.any.Add(a.leaked > 0, v.leaked > 0)
	if (a.leaked > 0) != (v.leaked > 0) {
		if a.leaked > 0 {
			s.flipA.Add(r.Rep)
		} else {
			s.flipB.Add(r.Rep)
		}
	}
	if a.leaked > 0 {
		s.anyA++
	}
	if v.leaked > 0 {
		s.anyB++
	}
	for i := range s.assets {
		ap := &s.assets[i]
		la, lb := s.aLost[int(k)*s.aAssets+ap.a], r.Float[fAsset+ap.b]
		ap.lost.add(la, lb)
		ap.hit.Add(la > 0, lb > 0)
		if la > 0 {
			ap.ha++
		}
		if lb > 0 {
			ap.hb++
		}
	}
	return nil
}

// comparison is the sink's pairs as a Comparison of a and b.
func (s *pairSink) comparison(a, b *Study) *Comparison {
	la, lb := a.Layout(), b.Layout()
	c := &Comparison{A: a.Name, B: b.Name, Seed: a.Seed, Replications: s.valueLost.diff.N,
		ValueLost:        s.valueLost.result(valueTotal(la), valueTotal(lb)),
		Leakers:          s.leaked.result(la.maxLaunched, lb.maxLaunched),
		LeakersNoShot:    s.noShot.result(la.maxLaunched, lb.maxLaunched),
		LeakersUntracked: s.untracked.result(la.maxLaunched, lb.maxLaunched),
		LeakRate:         s.rate.result(1, 1),
		Interceptors:     s.interceptors.result(la.magazines("", false), lb.magazines("", false)),
		DefenceCost:      s.cost.result(la.maxCost, lb.maxCost)}
	n := float64(s.any.N)
	c.AnyLeak = PairedResult{A: float64(s.anyA) / n, B: float64(s.anyB) / n, Diff: s.any.Diff(), P: s.any.P(), Test: s.any.Test()}
	c.LeakFlips = Flips{OnlyA: s.flipA.clone(), OnlyB: s.flipB.clone()}
	c.DifferingPairs = s.differ
	c.Assets = make([]AssetComparison, len(s.assets))
	for i := range s.assets {
		ap := &s.assets[i]
		c.Assets[i] = AssetComparison{ID: ap.id, ValueLost: ap.lost.result(la.Values[ap.a], lb.Values[ap.b]),
			Hit: PairedResult{A: float64(ap.ha) / n, B: float64(ap.hb) / n, Diff: ap.hit.Diff(), P: ap.hit.P(), Test: ap.hit.Test()}}
	}
	return c
}

// commonAssets pairs the assets A and B both have, by id, in A's order.
func commonAssets(a, b *Layout) []assetPairs {
	var out []assetPairs
	for ia, id := range a.Assets {
		for ib, idb := range b.Assets {
			if idb == id {
				out = append(out, assetPairs{id: id, a: ia, b: ib})
			}
		}
	}
	return out
}

// MinPairs is the fewest paired replications a comparison takes. With one pair the
// differences B − A have no spread: the paired t interval is unbounded, its p-value and the
// sign test's undefined, so a "comparison" of one replication could only print NaN and ±Inf.
const MinPairs = 2

// errFewPairs is the error of a comparison asked for fewer than MinPairs replications.
func errFewPairs(n uint64) error {
	return fmt.Errorf("%s: a paired comparison needs at least %d (one pair has no spread to estimate an interval or a p-value from)",
		Count(n, "replication", "replications"), MinPairs)
}

// Count is n with its noun, singular for 1 and plural otherwise: "1 paired replication",
// "3 paired replications".
func Count[N int | int64 | uint64](n N, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Baseline is a study run once, whose replications other studies are then paired against
// (Baseline.Compare): a sensitivity study compares many variants with one baseline without
// running it again for each. It keeps five numbers per replication and one per asset (8
// bytes each).
type Baseline struct {
	st   *Study
	reps Range
	vals []pairVals
	lost []float64 // the assets' losses, len(st.Layout().Assets) a replication
}

// RunBaseline runs replications reps of a on exec and keeps what pairing needs. reps must
// hold at least MinPairs replications.
func RunBaseline(ctx context.Context, a *Study, exec Executor, reps Range, progress func(done uint64)) (*Baseline, error) {
	if reps.Len() < MinPairs {
		return nil, errFewPairs(reps.Len())
	}
	na := len(a.Layout().Assets)
	s := &baselineSink{vals: make([]pairVals, 0, reps.Len()), assets: na, lost: make([]float64, 0, reps.Len()*uint64(na))}
	if _, err := Run(ctx, a, exec, Options{Reps: reps, Progress: progress}, s); err != nil {
		return nil, fmt.Errorf("scenario A (%s): %w", a.Name, err)
	}
	return &Baseline{st: a, reps: reps, vals: s.vals, lost: s.lost}, nil
}

// Compare runs the baseline's replications of b (with the baseline's seed: b's must be the
// same) and compares them pair by pair. Interrupted (ctx cancelled), it returns the
// comparison of the pairs complete so far (at least two) together with an error wrapping
// *Interrupted.
func (bl *Baseline) Compare(ctx context.Context, b *Study, exec Executor, progress func(done uint64)) (*Comparison, error) {
	a := bl.st
	if a.Seed != b.Seed {
		return nil, fmt.Errorf("compare: A has seed %d and B seed %d; common random numbers need one seed", a.Seed, b.Seed)
	}
	s := &pairSink{first: bl.reps.Start, a: bl.vals, aLost: bl.lost, aAssets: len(a.Layout().Assets),
		assets: commonAssets(a.Layout(), b.Layout())}
	if _, err := Run(ctx, b, exec, Options{Reps: bl.reps, Progress: progress}, s); err != nil {
		// Interrupted while running B: the replications paired so far still compare.
		return s.stopped(a, b, fmt.Errorf("scenario B (%s): %w", b.Name, err))
	}
	return s.comparison(a, b), nil
}

// Compare runs replications reps of a and then of b on exec with a's seed for both (common
// random numbers) and compares them pair by pair; reps must hold at least MinPairs
// replications. It keeps five numbers and one per asset for
// each replication of A until B's twin arrives (8 bytes each). progress, if set, receives
// the replications done out of 2·reps.Len(). Interrupted while running B (ctx cancelled), it
// returns the comparison of the pairs complete so far (at least two) together with an error
// wrapping *Interrupted.
func Compare(ctx context.Context, a, b *Study, exec Executor, reps Range, progress func(done uint64)) (*Comparison, error) {
	return CompareUntil(ctx, a, b, exec, reps, 0, reps.Len(), progress)
}

// MinDifferingPairs is the fewest pairs whose leak rates differ before CompareUntil may
// stop: a t interval of rare, large differences is too narrow where few have happened yet,
// and a rule that stops where it is narrow stops there. With it the interval at the stop
// covers the true difference 94–95 % of the time in TestPairedUntilCICoverage's cases;
// without, as little as 71 %.
const MinDifferingPairs = 20

// CompareUntil is Compare that stops early, as adsim mc --until-ci does: it runs the
// replications in batches of checkEvery, A's batch then B's, and after each stops once the
// half-width of the 95 % interval of the difference in leak rate B − A is at most untilCI
// and at least MinDifferingPairs pairs had different leak rates (untilCI 0: never; all of
// reps run). The batches are in replication order, so where it stops does
// not depend on the executor or its workers, and the comparison of the replications run is
// exactly what Compare gives over them (TestCompareUntil). progress receives the replications
// done out of 2·reps.Len(). Interrupted (ctx cancelled), it returns the comparison of the
// pairs complete so far (at least two) together with an error wrapping *Interrupted.
func CompareUntil(ctx context.Context, a, b *Study, exec Executor, reps Range, untilCI float64, checkEvery uint64,
	progress func(done uint64)) (*Comparison, error) {
	return CompareWith(ctx, a, b, exec, reps, CompareOptions{UntilCI: untilCI, CheckEvery: checkEvery, Progress: progress})
}

// CompareOptions are CompareWith's: CompareUntil's stopping rule and progress, and sinks that
// receive every row of A (SinksA) and of B (SinksB), each side's in replication order — an
// Output per side keeps the rows of a comparison, as adsim compare --out does.
type CompareOptions struct {
	UntilCI        float64
	CheckEvery     uint64
	Progress       func(done uint64)
	SinksA, SinksB []RowSink
}

// CompareWith is CompareUntil with the rows of each side handed to opt's sinks as well.
func CompareWith(ctx context.Context, a, b *Study, exec Executor, reps Range, opt CompareOptions) (*Comparison, error) {
	if a.Seed != b.Seed {
		return nil, fmt.Errorf("compare: A has seed %d and B seed %d; common random numbers need one seed", a.Seed, b.Seed)
	}
	if reps.Len() < MinPairs {
		return nil, fmt.Errorf("compare: %w", errFewPairs(reps.Len()))
	}
	checkEvery := opt.CheckEvery
	if checkEvery == 0 {
		checkEvery = DefaultCheckEvery
	}
	na := len(a.Layout().Assets)
	s := &pairSink{first: reps.Start, aAssets: na, assets: commonAssets(a.Layout(), b.Layout())}
	var done uint64 // replications run, of A and of B
	for start := reps.Start; start < reps.End; start += checkEvery {
		batch := Range{Start: start, End: min(start+checkEvery, reps.End)}
		base := done
		prog := func(d uint64) {
			if opt.Progress != nil {
				opt.Progress(base + d)
			}
		}
		as := &baselineSink{assets: na}
		if _, err := Run(ctx, a, exec, Options{Reps: batch, Progress: prog}, append([]RowSink{as}, opt.SinksA...)...); err != nil {
			// A's rows of the batch so far are paired with no B yet: the pairs stay those of
			// the batches before.
			return s.stopped(a, b, fmt.Errorf("scenario A (%s): %w", a.Name, err))
		}
		s.a, s.aLost = append(s.a, as.vals...), append(s.aLost, as.lost...)
		done += batch.Len()
		base = done
		if _, err := Run(ctx, b, exec, Options{Reps: batch, Progress: prog}, append([]RowSink{s}, opt.SinksB...)...); err != nil {
			return s.stopped(a, b, fmt.Errorf("scenario B (%s): %w", b.Name, err))
		}
		done += batch.Len()
		if opt.UntilCI > 0 && s.differ >= MinDifferingPairs && s.rate.diff.CIWithin(-1, 1).HalfWidth() <= opt.UntilCI {
			break
		}
	}
	return s.comparison(a, b), nil
}

// stopped returns what CompareUntil returns when a run failed with err: the comparison of the
// pairs complete so far with err, when the run was interrupted and at least MinPairs are; err
// alone otherwise.
func (s *pairSink) stopped(a, b *Study, err error) (*Comparison, error) {
	var in *Interrupted
	if !errors.As(err, &in) || s.valueLost.diff.N < MinPairs {
		return nil, err
	}
	return s.comparison(a, b), fmt.Errorf("%w; the comparison covers the first %d pairs", err, s.valueLost.diff.N)
}

// Verdict says in words how B differs from A in asset value lost, leak rate and the chance
// of at least one leaker, with the 95 % interval of each difference and whether it is
// significant at the 5 % level, e.g. "B loses 12.3 ± 4.1 less asset value than A (95 % CI),
// significant (paired t, p = 0.0001)".
func (c *Comparison) Verdict() []string {
	return []string{
		verdictValueLost.say(c.ValueLost, c.Replications),
		verdictLeakRate.say(c.LeakRate, c.Replications),
		verdictAnyLeak.say(c.AnyLeak, c.Replications),
	}
}

// verdictText is how a verdict line puts one metric's difference B − A into words.
type verdictText struct {
	metric   string  // for "A and B do not differ in METRIC in any replication"
	sentence string  // B's difference: its size (%s) and up or down (%s)
	same     string  // a mean difference of exactly 0 (A and B differed in some replications)
	unit     string  // after the interval in same ("" or " points")
	scale    float64 // from the difference to the numbers printed
	up, down string
	// every, if set, is the sentence of a difference that is the same in every one of the
	// replications (the sign test) for up and for down, instead of sentence: for a binary
	// metric, "B has a 100.0 points higher chance ... in every one" would be a strange way to
	// say that B had the event and A not in each.
	everyUp, everyDown string
}

var (
	verdictValueLost = verdictText{"asset value lost", "B loses %s %s asset value than A",
		"A and B lose the same asset value on average", "", 1, "more", "less", "", ""}
	verdictLeakRate = verdictText{"leak rate", "B leaks %s points %s of the threats launched than A",
		"A and B leak the same share of the threats launched on average", " points", 100, "more", "less", "", ""}
	verdictAnyLeak = verdictText{"P(at least one leaker)", "B has a %s points %s chance of at least one leaker than A",
		"A and B have the same chance of at least one leaker in these replications", " points", 100, "higher", "lower",
		"B has at least one leaker and A none", "A has at least one leaker and B none"}
)

// say is the verdict line of p, a difference over n paired replications.
func (v verdictText) say(p PairedResult, n int64) string {
	d, h := p.Diff.Est*v.scale, p.Diff.HalfWidth()*v.scale
	verdict := "not significant"
	if p.Significant() {
		verdict = "significant"
	}
	switch {
	case math.IsNaN(d):
		return v.metric + ": nothing to compare"
	case d == 0 && (h == 0 || p.Test == "sign"):
		// Every difference 0: the interval (Paired.CIWithin) is what the replications cannot
		// exclude, not a difference seen.
		return "A and B do not differ in " + v.metric + " in any replication"
	case d == 0:
		// The differences cancel out (paired t), or as many replications went one way as the
		// other (McNemar): neither "more" nor "less" is true.
		iv := Interval{Est: 0, Lo: p.Diff.Lo * v.scale, Hi: p.Diff.Hi * v.scale}
		return fmt.Sprintf("%s (%s%s, 95 %% CI), %s (%s, p = %.2g)", v.same, iv.Format(1), v.unit, verdict, p.Test, p.P)
	}
	word, lo, hi := v.up, p.Diff.Lo*v.scale, p.Diff.Hi*v.scale
	if d < 0 {
		word, lo, hi = v.down, -hi, -lo
	}
	if p.Test == "sign" {
		// Every replication differed by the same amount: the t interval is the point d, which
		// says nothing of how sure n replications make us; the sign test's p does.
		every := fmt.Sprintf(v.sentence, fmt.Sprintf("%.1f", math.Abs(d)), word)
		if v.everyUp != "" {
			every = v.everyUp
			if d < 0 {
				every = v.everyDown
			}
		}
		return fmt.Sprintf("%s in every one of the %s (sign test, p = %.2g), %s",
			every, Count(n, "replication", "replications"), p.P, verdict)
	}
	// The size of the difference with its interval, both turned positive for "less" and
	// "lower"; "± h" only where the interval is symmetric (paired t), else its ends (Tango's
	// interval of a difference of proportions is not).
	size := Interval{Est: math.Abs(d), Lo: lo, Hi: hi}.Format(1)
	line := fmt.Sprintf(v.sentence, size, word) + fmt.Sprintf(" (95 %% CI), %s (%s, p = %.2g)", verdict, p.Test, p.P)
	if p.Diff.Excludes(0) && !p.Significant() {
		// Tango's interval inverts the asymptotic test; with few discordant pairs the mid-p
		// test decides (McNemar.P), and on a few tables the two part.
		line += "; the interval, asymptotic, excludes 0, but with so few discordant replications the mid-p test decides"
	}
	return line
}

// WriteText writes the comparison table and the verdict lines.
func (c *Comparison) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "A: %s\nB: %s\nseed %d, %s (common random numbers)\n\n", c.A, c.B, c.Seed,
		Count(c.Replications, "paired replication", "paired replications"))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "METRIC (per replication)\tA\tB\tB − A (95 % CI)\tp\tTEST")
	rows := []struct {
		name string
		p    PairedResult
		f    string
	}{
		{"asset value lost", c.ValueLost, "%.2f"},
		{"leakers", c.Leakers, "%.3f"},
		{"  never tracked", c.LeakersUntracked, "%.3f"},
		{"  nothing fired at", c.LeakersNoShot, "%.3f"},
		{"leak rate", c.LeakRate, "%.4f"},
		{"P(at least one leaker)", c.AnyLeak, "%.4f"},
		{"interceptors fired", c.Interceptors, "%.2f"},
		{"defence cost $", c.DefenceCost, "%.0f"},
	}
	for _, r := range rows {
		f := r.f
		fmt.Fprintf(tw, "%s\t"+f+"\t"+f+"\t"+f+" ["+f+", "+f+"]\t%.2g\t%s\n", r.name, r.p.A, r.p.B,
			r.p.Diff.Est, r.p.Diff.Lo, r.p.Diff.Hi, r.p.P, r.p.Test)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(c.Assets) > 0 {
		// Which buildings B spares or exposes.
		b.WriteString("\n")
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ASSET\tP(HIT) A\tB\tB − A (95 % CI)\tp\tVALUE LOST A\tB\tB − A (95 % CI)\tp")
		for _, a := range c.Assets {
			h, v := a.Hit, a.ValueLost
			fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%+.4f [%.4f, %.4f]\t%.2g\t%.2f\t%.2f\t%+.2f [%.2f, %.2f]\t%.2g\n", a.ID,
				h.A, h.B, h.Diff.Est, h.Diff.Lo, h.Diff.Hi, h.P, v.A, v.B, v.Diff.Est, v.Diff.Lo, v.Diff.Hi, v.P)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if f := c.LeakFlips; f.OnlyA.Count+f.OnlyB.Count > 0 {
		fmt.Fprintf(&b, "\nat least one leaker under B only: %s\n                    under A only: %s\n", f.OnlyB, f.OnlyA)
	}
	b.WriteString("\n")
	for _, v := range c.Verdict() {
		b.WriteString(v + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
