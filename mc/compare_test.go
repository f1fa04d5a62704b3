package mc

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// Compare pairs each asset A and B share: the assets' paired differences in value lost add up
// to the total's, each P(hit) under A is the one adsim mc gives, and an asset B does not
// have is left out.
func TestCompareAssets(t *testing.T) {
	st := loadSmall(t)
	more, err := st.With("fire_units[0].magazine.57e6", "12")
	if err != nil {
		t.Fatal(err)
	}
	reps := Range{End: 30}
	c, err := Compare(context.Background(), st, more, Local{}, reps, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Assets) != 2 || c.Assets[0].ID != "hq" || c.Assets[1].ID != "depot" {
		t.Fatalf("assets %+v", c.Assets)
	}
	sum := 0.0
	for _, a := range c.Assets {
		sum += a.ValueLost.Diff.Est
	}
	if d := c.ValueLost.Diff.Est; math.Abs(sum-d) > 1e-9*math.Max(1, math.Abs(d)) || d == 0 {
		t.Errorf("the assets' differences add up to %g, the total's is %g", sum, d)
	}
	run, err := Run(context.Background(), st, Local{}, Options{Reps: reps})
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range run.Result().Assets {
		if got, test := c.Assets[i].Hit.A, c.Assets[i].Hit.Test; got != a.Hit.Est || !strings.HasPrefix(test, "McNemar") && test != "sign" {
			t.Errorf("%s: P(hit) under A %g (%s), adsim mc says %g", a.ID, got, test, a.Hit.Est)
		}
	}
	// The leakers nothing was fired at, as adsim mc counts them; B's extra missiles cannot
	// make more of them than there are leakers.
	if ra := run.Result(); c.LeakersNoShot.A != ra.LeakersNoShot.Est || c.LeakersNoShot.A > c.Leakers.A || c.LeakersNoShot.B > c.Leakers.B ||
		c.LeakersUntracked.A != ra.LeakersUntracked.Est || c.LeakersUntracked.B > c.Leakers.B {
		t.Errorf("leakers nothing fired at: A %g, B %g (leakers %g, %g); adsim mc says %g under A",
			c.LeakersNoShot.A, c.LeakersNoShot.B, c.Leakers.A, c.Leakers.B, ra.LeakersNoShot.Est)
	}
	// B with the depot renamed: only hq is paired.
	renamed, err := NewStudy("renamed", []byte(strings.ReplaceAll(string(st.Source), "depot", "store")), nil, &st.Seed)
	if err != nil {
		t.Fatal(err)
	}
	c, err = Compare(context.Background(), st, renamed, Local{}, Range{End: 4}, nil)
	if err != nil || len(c.Assets) != 1 || c.Assets[0].ID != "hq" || c.Assets[0].ValueLost.Diff.Est != 0 || c.Assets[0].ValueLost.P != 1 {
		t.Errorf("an asset only A has: %+v (%v)", c.Assets, err)
	}
}

// The summary counts each layer's fire units, and its table leaves out the layers the
// scenario has no unit of (as adsim run's does): the small scenario has one short-range unit.
func TestLayersOfTheScenario(t *testing.T) {
	st := loadSmall(t)
	sum, err := Run(context.Background(), st, Local{}, Options{Reps: Range{End: 3}})
	if err != nil {
		t.Fatal(err)
	}
	r := sum.Result()
	units := map[string]int{}
	for _, l := range r.Layers {
		units[l.Layer] = l.Units
	}
	if units["short"] != 1 || units["long"] != 0 || units["medium"] != 0 {
		t.Errorf("units per layer %v, want 1 short", units)
	}
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	if !strings.Contains(text, "\nshort ") || strings.Contains(text, "\nlong ") || strings.Contains(text, "\nmedium ") {
		t.Errorf("the layer table:\n%s", text)
	}
}

// TestVerdictIntervals: a verdict gives a symmetric interval as "± h" and an asymmetric one
// (Tango's, for P(at least one leaker)) by its ends, turned positive with the difference when
// B is lower; an interval that excludes 0 always comes with "significant".
func TestVerdictIntervals(t *testing.T) {
	m := mcNemarOf(16, 6, 59, 80) // TestMcNemarReference's table: B lower by 0.0621
	c := &Comparison{
		ValueLost: PairedResult{Diff: Interval{Est: 2, Lo: 0.5, Hi: 3.5}, P: 0.01, Test: "paired t"},
		LeakRate:  PairedResult{Diff: Interval{Est: 0, Lo: 0, Hi: 0}, P: 1, Test: "paired t"},
		AnyLeak:   PairedResult{Diff: m.Diff(), P: m.P(), Test: m.Test()},
	}
	v := c.Verdict()
	for i, want := range []string{
		"B loses 2.0 ± 1.5 more asset value than A (95 % CI), significant (paired t, p = 0.01)",
		"A and B do not differ in leak rate in any replication",
		"B has a 6.2 [0.5, 12.4] points lower chance of at least one leaker than A (95 % CI), significant (McNemar mid-p, p = 0.035)",
	} {
		if v[i] != want {
			t.Errorf("verdict %d:\n got %s\nwant %s", i, v[i], want)
		}
	}
}

// TestVerdictWording: a verdict never calls a difference of exactly 0 "more" or "less", and
// one that is the same in every replication — a point interval, which t cannot test — is
// said to be so, with the sign test's p (2·0.5ⁿ: 0.25 for 3, 2/1024 ≈ 0.002 for 10). The
// intervals are hand-checked: ±1 differences in 4 pairs have s = √(4/3) and t₀.₉₇₅,₃ = 3.1824,
// so ± 3.1824·1.1547/2 = 1.84; no discordant pair in 50 gives Tango's ± z²/(50 + z²) = 7.1 %.
func TestVerdictWording(t *testing.T) {
	paired := func(ds ...float64) PairedResult {
		var p Paired
		for _, d := range ds {
			p.AddPair(0, d)
		}
		return PairedResult{Diff: p.CI(), P: p.P(), Test: p.Test()}
	}
	tied := McNemar{N: 50}
	mcnemar := func(m *McNemar) PairedResult { return PairedResult{Diff: m.Diff(), P: m.P(), Test: m.Test()} }
	cases := []struct {
		name string
		v    verdictText
		p    PairedResult
		n    int64
		want string
	}{
		{"the same difference in 3 replications", verdictValueLost, paired(1, 1, 1), 3,
			"B loses 1.0 more asset value than A in every one of the 3 replications (sign test, p = 0.25), not significant"},
		{"the same difference in 10 replications", verdictLeakRate, paired(-0.02, -0.02, -0.02, -0.02, -0.02, -0.02, -0.02, -0.02, -0.02, -0.02), 10,
			"B leaks 2.0 points less of the threats launched than A in every one of the 10 replications (sign test, p = 0.002), significant"},
		{"differences that cancel out", verdictValueLost, paired(1, -1, 1, -1), 4,
			"A and B lose the same asset value on average (0.0 ± 1.8, 95 % CI), not significant (paired t, p = 1)"},
		{"no discordant pair", verdictAnyLeak, PairedResult{Diff: tied.Diff(), P: tied.P(), Test: "McNemar"}, 50,
			"A and B have the same chance of at least one leaker in these replications (0.0 ± 7.1 points, 95 % CI), not significant (McNemar, p = 1)"},
		// P(any leak) 0 → 1 in every one of 5 replications: the sign test, as for any metric
		// whose difference is the same in every replication, not McNemar's asymptotic
		// p = 0.025 nor the mid-p 0.031, liberal there (McNemar.P).
		{"a leaker under B alone in every replication", verdictAnyLeak, mcnemar(mcNemarOf(0, 5, 0, 0)), 5,
			"B has at least one leaker and A none in every one of the 5 replications (sign test, p = 0.062), not significant"},
		{"a leaker under A alone in every replication", verdictAnyLeak, mcnemar(mcNemarOf(6, 0, 0, 0)), 6,
			"A has at least one leaker and B none in every one of the 6 replications (sign test, p = 0.031), significant"},
		// 4 discordant pairs, all one way, among 20: Tango's interval excludes 0 (asymptotic
		// p = 0.046) but the mid-p test does not reject, and the verdict says which decides.
		{"few discordant pairs", verdictAnyLeak, mcnemar(mcNemarOf(0, 4, 6, 10)), 20,
			"B has a 20.0 [0.7, 41.6] points higher chance of at least one leaker than A (95 % CI), not significant (McNemar mid-p, p = 0.062); " +
				"the interval, asymptotic, excludes 0, but with so few discordant replications the mid-p test decides"},
		{"no difference in any replication", verdictLeakRate, paired(0, 0, 0), 3,
			"A and B do not differ in leak rate in any replication"},
		{"nothing paired", verdictAnyLeak, PairedResult{Diff: Interval{Est: math.NaN()}, P: math.NaN()}, 0,
			"P(at least one leaker): nothing to compare"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.v.say(c.p, c.n); got != c.want {
				t.Errorf("\n got %s\nwant %s", got, c.want)
			}
		})
	}
}

// A comparison is always valid JSON: what does not exist (a mean of nothing, a p-value not
// computed, an unbounded end) is written as null and read back as NaN or ±Inf, as mc's
// summary.json writes intervals. encoding/json fails on NaN, and with it compare --json and
// sensitivity.json did.
func TestPairedResultJSON(t *testing.T) {
	inf := math.Inf(1)
	cases := []struct {
		name string
		in   PairedResult
		json string
	}{
		{"finite", PairedResult{A: 1, B: 2, Diff: Interval{Est: 1, Lo: 0.5, Hi: 1.5}, P: 0.01, Test: "paired t"},
			`{"a":1,"b":2,"diff":{"est":1,"lo":0.5,"hi":1.5},"p":0.01,"test":"paired t"}`},
		{"no p, unbounded", PairedResult{A: 0, B: 0, Diff: Interval{Est: 0, Lo: -inf, Hi: inf}, P: math.NaN(), Test: "paired t"},
			`{"a":0,"b":0,"diff":{"est":0,"lo":null,"hi":null},"p":null,"test":"paired t"}`},
		{"nothing", PairedResult{A: math.NaN(), B: math.NaN(), Diff: Interval{Est: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}, P: math.NaN()},
			`{"a":null,"b":null,"diff":{"est":null,"lo":null,"hi":null},"p":null,"test":""}`},
	}
	same := func(x, y float64) bool { return x == y || (math.IsNaN(x) && math.IsNaN(y)) }
	for _, c := range cases {
		b, err := json.Marshal(c.in)
		if err != nil || string(b) != c.json {
			t.Errorf("%s: %s (%v), want %s", c.name, b, err, c.json)
			continue
		}
		var back PairedResult
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !same(back.A, c.in.A) || !same(back.B, c.in.B) || !same(back.P, c.in.P) || back.Test != c.in.Test ||
			!same(back.Diff.Est, c.in.Diff.Est) || !same(back.Diff.Lo, c.in.Diff.Lo) || !same(back.Diff.Hi, c.in.Diff.Hi) {
			t.Errorf("%s: read back as %+v, want %+v", c.name, back, c.in)
		}
	}
}

// A paired comparison of fewer than MinPairs replications is refused before anything runs:
// one pair has no spread, and its interval and p-value would be ±Inf and NaN.
func TestCompareNeedsTwoPairs(t *testing.T) {
	st := loadSmall(t)
	for _, n := range []uint64{0, 1} {
		if _, err := Compare(context.Background(), st, st, Local{}, Range{End: n}, nil); err == nil || !strings.Contains(err.Error(), "at least 2") {
			t.Errorf("Compare -n %d: %v", n, err)
		}
		if _, err := RunBaseline(context.Background(), st, Local{}, Range{Start: 5, End: 5 + n}, nil); err == nil {
			t.Errorf("RunBaseline -n %d: no error", n)
		}
		fs := []Factor{{Path: "raids[0].count", Low: "2", High: "3"}}
		if _, _, err := Sensitivity(context.Background(), st, fs, Local{}, Range{End: n}, SensitivityHooks{}); err == nil || !strings.Contains(err.Error(), "at least 2") {
			t.Errorf("Sensitivity -n %d: %v", n, err)
		}
	}
	c, err := Compare(context.Background(), st, st, Local{}, Range{End: 2}, nil)
	if err != nil || c.Replications != 2 || math.IsNaN(c.ValueLost.P) {
		t.Errorf("Compare -n 2: %+v, %v", c, err)
	}
}

// Counts and interruptions are said in words: "1 paired replication", and what stopped a run
// rather than "context canceled".
func TestCountAndInterruptedWording(t *testing.T) {
	cases := []struct{ got, want string }{
		{Count(1, "replication", "replications"), "1 replication"},
		{Count(int64(0), "replication", "replications"), "0 replications"},
		{Count(uint64(3), "paired replication", "paired replications"), "3 paired replications"},
		{(&Interrupted{Done: 38, Err: context.Canceled, Cause: errors.New(os.Interrupt.String() + " signal received")}).Error(),
			"stopped by Ctrl-C (SIGINT) after 38 replications"},
		{(&Interrupted{Done: 1, Err: context.Canceled, Cause: errors.New(syscall.SIGTERM.String() + " signal received")}).Error(),
			"stopped by SIGTERM after 1 replication"},
		{(&Interrupted{Done: 2, Err: context.DeadlineExceeded, Cause: context.DeadlineExceeded}).Error(),
			"stopped by its deadline after 2 replications"},
		{(&Interrupted{Done: 2, Err: context.Canceled, Cause: context.Canceled}).Error(),
			"stopped by the cancellation of its context (Ctrl-C, SIGTERM or the caller) after 2 replications"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
	// Run records the signal that cancelled its context.
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errors.New(syscall.SIGTERM.String() + " signal received"))
	_, err := Run(ctx, loadSmall(t), Local{}, Options{Reps: Range{End: 50}})
	if err == nil || !strings.Contains(err.Error(), "stopped by SIGTERM after 0 replications") {
		t.Errorf("Run with a cancelled context: %v", err)
	}
}

// leakSink keeps whether each replication had at least one leaker.
type leakSink map[uint64]bool

func (s leakSink) WriteRow(r *Row) error {
	s[r.Rep] = r.Int[iLeaked] > 0
	return nil
}

// LeakFlips names the replications whose "at least one leaker" differs between A and B, as the
// rows of separate runs of A and B give them: the counts (McNemar's discordant pairs) and the
// lowest MaxRepsListed of each direction, whichever study is A.
func TestLeakFlips(t *testing.T) {
	st := loadSmall(t)
	more, err := st.With("fire_units[0].magazine.57e6", "12")
	if err != nil {
		t.Fatal(err)
	}
	reps := Range{Start: 3, End: 43}
	leaks := map[*Study]leakSink{}
	for _, s := range []*Study{st, more} {
		leaks[s] = leakSink{}
		if _, err := Run(context.Background(), s, Local{}, Options{Reps: reps}, leaks[s]); err != nil {
			t.Fatal(err)
		}
	}
	for _, pair := range [][2]*Study{{st, more}, {more, st}} {
		a, b := pair[0], pair[1]
		c, err := Compare(context.Background(), a, b, Local{Workers: 2}, reps, nil)
		if err != nil {
			t.Fatal(err)
		}
		var onlyA, onlyB []uint64
		for r := reps.Start; r < reps.End; r++ {
			switch la, lb := leaks[a][r], leaks[b][r]; {
			case la && !lb:
				onlyA = append(onlyA, r)
			case lb && !la:
				onlyB = append(onlyB, r)
			}
		}
		f := c.LeakFlips
		if f.OnlyA.Count != int64(len(onlyA)) || f.OnlyB.Count != int64(len(onlyB)) ||
			!slices.Equal(f.OnlyA.First, onlyA[:min(len(onlyA), MaxRepsListed)]) ||
			!slices.Equal(f.OnlyB.First, onlyB[:min(len(onlyB), MaxRepsListed)]) {
			t.Errorf("%s against %s: flips %+v; the rows give A only %v, B only %v", a.Name, b.Name, f, onlyA, onlyB)
		}
		if len(onlyA)+len(onlyB) <= MaxRepsListed {
			t.Errorf("%s against %s: %d flips, too few to test the cut", a.Name, b.Name, len(onlyA)+len(onlyB))
		}
		if f.OnlyA.First == nil || f.OnlyB.First == nil {
			t.Error("an empty list is nil, null in JSON")
		}
	}
}

// A RepList counts every replication added and keeps the lowest MaxRepsListed in ascending
// order, whatever order they come in; String says so in words.
func TestRepList(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for it := 0; it < 200; it++ {
		n := rng.IntN(30)
		reps := make([]uint64, n)
		for i := range reps {
			reps[i] = uint64(i * 3)
		}
		rng.Shuffle(n, func(i, j int) { reps[i], reps[j] = reps[j], reps[i] })
		var l RepList
		for _, r := range reps {
			l.Add(r)
		}
		want := slices.Sorted(slices.Values(reps))
		if want = want[:min(n, MaxRepsListed)]; l.Count != int64(n) || !slices.Equal(l.First, want) {
			t.Fatalf("kept %d, %v of %v, want %v", l.Count, l.First, reps, want)
		}
	}
	for _, c := range []struct {
		l    RepList
		want string
	}{
		{RepList{}, "none"},
		{RepList{Count: 1, First: []uint64{7}}, "1 (replication 7)"},
		{RepList{Count: 3, First: []uint64{4, 9, 17}}, "3 (replications 4, 9, 17)"},
		{RepList{Count: 12, First: []uint64{1, 2}}, "12 (the first 2: replications 1, 2)"},
	} {
		if got := c.l.String(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.l, got, c.want)
		}
	}
}

// A summary counts and lists the replications with a leaker as the rows say, the same with
// two workers, and over a range that does not start at 0.
func TestLeakingReplications(t *testing.T) {
	st, err := loadSmall(t).With("fire_units[0].magazine.57e6", "12") // leaks in some replications
	if err != nil {
		t.Fatal(err)
	}
	reps := Range{Start: 5, End: 45}
	rows := leakSink{}
	sum, err := Run(context.Background(), st, Local{Workers: 2}, Options{Reps: reps}, rows)
	if err != nil {
		t.Fatal(err)
	}
	var want []uint64
	for r := reps.Start; r < reps.End; r++ {
		if rows[r] {
			want = append(want, r)
		}
	}
	l := sum.Result().Leaking
	if l.Count != int64(len(want)) || !slices.Equal(l.First, want[:min(len(want), MaxRepsListed)]) {
		t.Errorf("leaking %+v; the rows give %v", l, want)
	}
	if len(want) <= MaxRepsListed || len(want) == int(reps.Len()) {
		t.Errorf("%d of %d replications leak: the test needs more than %d and fewer than all", len(want), reps.Len(), MaxRepsListed)
	}
}

// CompareUntil stops at the first check (every checkEvery pairs, in replication order) where
// the leak-rate difference's interval is narrow enough, whatever the workers, and gives then
// exactly what Compare gives over the replications it ran; with a bound never reached it
// runs them all.
func TestCompareUntil(t *testing.T) {
	a := loadSmall(t)
	b, err := a.With("fire_units[0].magazine.57e6", "12")
	if err != nil {
		t.Fatal(err)
	}
	const every, batches = 10, 6
	ctx := context.Background()
	// The half-width after each batch, from Compare over the first k batches.
	var h []float64
	for k := 1; k <= batches; k++ {
		c, err := Compare(ctx, a, b, Local{}, Range{0, every * uint64(k)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		h = append(h, c.LeakRate.Diff.HalfWidth())
	}
	// A bound first met after batch stop (the last batch narrower than all before it).
	stop := 0
	for k := 1; k < batches; k++ {
		if h[k] < slices.Min(h[:k]) {
			stop = k
		}
	}
	if stop == 0 {
		t.Fatalf("half-widths %v never narrow: pick another pair of studies", h)
	}
	// The stop needs MinDifferingPairs pairs whose leak rates differ, too: by then the rows
	// have that many (else the expected stop below would be wrong, not the code).
	rates := map[*Study]rateSink{a: {}, b: {}}
	for st, sink := range rates {
		if _, err := Run(ctx, st, Local{}, Options{Reps: Range{0, every * uint64(stop+1)}}, sink); err != nil {
			t.Fatal(err)
		}
	}
	differ := 0
	for r, ra := range rates[a] {
		if rates[b][r] != ra {
			differ++
		}
	}
	if differ < MinDifferingPairs {
		t.Fatalf("%d pairs differ by the chosen stop, fewer than MinDifferingPairs", differ)
	}
	for _, workers := range []int{1, 2} {
		got, err := CompareUntil(ctx, a, b, Local{Workers: workers}, Range{0, every * batches}, h[stop], every, nil)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Compare(ctx, a, b, Local{}, Range{0, every * uint64(stop+1)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("workers %d: stopped after %d pairs, want %d (half-widths %v, bound %g)", workers, got.Replications, want.Replications, h, h[stop])
		}
	}
	got, err := CompareUntil(ctx, a, b, Local{}, Range{0, every * batches}, 1e-9, every, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Compare(ctx, a, b, Local{}, Range{0, every * batches}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("a bound never met: %d pairs, want all %d", got.Replications, want.Replications)
	}
	// A study against itself never has MinDifferingPairs pairs that differ: however wide the
	// bound, it runs them all.
	if same, err := CompareUntil(ctx, a, a, Local{}, Range{0, 40}, 0.9, every, nil); err != nil || same.Replications != 40 {
		t.Errorf("A against A with a bound of 0.9 stopped after %d pairs (%v), want all 40", same.Replications, err)
	}
}

// rateSink keeps each replication's leak rate (leakers per threat launched).
type rateSink map[uint64]float64

func (s rateSink) WriteRow(r *Row) error {
	s[r.Rep] = pairOf(r).rate
	return nil
}
