package mc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
)

// Range is the half-open range of replication indices [Start, End).
type Range struct {
	Start uint64 `json:"start"`
	End   uint64 `json:"end"`
}

// Len is the number of replications in the range.
func (r Range) Len() uint64 {
	if r.End < r.Start {
		return 0
	}
	return r.End - r.Start
}

// String is the half-open interval, "[START, END)".
func (r Range) String() string { return fmt.Sprintf("[%d, %d)", r.Start, r.End) }

// Executor computes replications. Execute computes every replication of reps and hands each
// row to emit, in any order and possibly more than once (Run keeps the first copy of each
// index); it returns when all are emitted, emit fails or ctx is cancelled. emit may be
// called from several goroutines at once.
type Executor interface {
	Execute(ctx context.Context, st *Study, reps Range, emit func(Row) error) error
}

// Local runs replications on goroutines of this process. Each worker owns its copy of the
// scenario and builds a fresh World per replication; workers take the next replication index
// from a shared counter and send only the compact Row of each result.
type Local struct {
	// Workers is the number of goroutines; 0 or less means runtime.GOMAXPROCS(0).
	Workers int
}

// Execute implements Executor.
func (l Local) Execute(ctx context.Context, st *Study, reps Range, emit func(Row) error) error {
	n := l.Workers
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	if uint64(n) > reps.Len() {
		n = int(max(reps.Len(), 1))
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Uint64
	next.Store(reps.Start)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for k := 0; k < n; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			own, err := st.clone()
			if err != nil {
				errs[k] = err
				cancel()
				return
			}
			for ctx.Err() == nil {
				rep := next.Add(1) - 1
				if rep >= reps.End {
					return
				}
				row, err := own.Replicate(rep)
				if err == nil {
					err = emit(row)
				}
				if err != nil {
					errs[k] = err
					cancel()
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return ctx.Err()
}

// Options control a Monte Carlo run.
type Options struct {
	// Reps are the replication indices to run.
	Reps Range
	// UntilCI, when positive, stops the run as soon as the half-width of the 95 % interval of
	// the leak rate (leakers per threat launched) is at most UntilCI. The rule is checked only
	// after every CheckEvery replications in index order, so where a run stops does not
	// depend on worker timing: the result is that of the first k replications exactly.
	UntilCI float64
	// CheckEvery is the batch of replications between stopping checks (default 100).
	CheckEvery uint64
	// Resume, when set, is the summary of the replications before Reps.Start, already folded
	// (an interrupted run's, see ResumeOutput): the run folds on into it, and the --until-ci
	// checks and Progress count from the first of those replications, so the result is that
	// of one uninterrupted run.
	Resume *Summary
	// Progress, when set, is called after each replication folded into the result, in index
	// order, with the number done so far.
	Progress func(done uint64)
}

// DefaultCheckEvery is the number of replications between --until-ci checks.
const DefaultCheckEvery = 100

// RowSink receives rows in replication-index order.
type RowSink interface {
	WriteRow(r *Row) error
}

// Run computes the replications of opt.Reps with exec, folds them into a Summary in index
// order and hands each row, in index order, to every sink. The summary and the rows are
// identical whatever the executor and its number of workers. Memory stays flat with the
// number of replications: rows are streamed, and only out-of-order rows wait in a reorder
// buffer (at most about one per worker in flight).
func Run(ctx context.Context, st *Study, exec Executor, opt Options, sinks ...RowSink) (*Summary, error) {
	if opt.Reps.Len() == 0 && opt.Resume == nil {
		return nil, fmt.Errorf("no replications to run: range %s is empty", opt.Reps)
	}
	if opt.CheckEvery == 0 {
		opt.CheckEvery = DefaultCheckEvery
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c := &collector{st: st, opt: opt, sinks: sinks, sum: opt.Resume, next: opt.Reps.Start, base: opt.Reps.Start,
		pending: map[uint64]Row{}, rows: make(chan Row, 64)}
	if c.sum == nil {
		c.sum = NewSummary(st)
	} else {
		if c.sum.n > 0 && c.sum.first+uint64(c.sum.n) != opt.Reps.Start {
			return nil, fmt.Errorf("resume: the summary holds replications [%d, %d), not those just before %d",
				c.sum.first, c.sum.first+uint64(c.sum.n), opt.Reps.Start)
		}
		c.base -= uint64(c.sum.n)
		// A run that --until-ci stopped is resumed with its rule already met: it stays
		// stopped, as the uninterrupted run did.
		if done := c.next - c.base; opt.UntilCI > 0 && done > 0 && done%opt.CheckEvery == 0 &&
			c.sum.LeakRate().HalfWidth() <= opt.UntilCI {
			return c.sum, nil
		}
		// Every replication saved (a resumption killed after its last row, whose rows the
		// next one takes): nothing to add.
		if opt.Reps.Len() == 0 {
			return c.sum, nil
		}
	}
	done := make(chan error, 1)
	go func() {
		err := exec.Execute(ctx, st, opt.Reps, func(r Row) error {
			select {
			case c.rows <- r:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		close(c.rows)
		done <- err
	}()
	stopped, ferr := c.consume()
	cancel()
	// Drain so that the executor's goroutines never block on a full channel.
	for range c.rows {
	}
	eerr := <-done
	if ferr != nil {
		return nil, ferr
	}
	if stopped || c.next == opt.Reps.End {
		return c.sum, nil
	}
	if parent.Err() != nil {
		// Interrupted (Ctrl-C, SIGTERM): the summary holds the replications folded so far, in
		// order, so that the caller can save them and a later run can resume from there.
		return c.sum, &Interrupted{Done: c.next - c.base, Next: c.next, Err: parent.Err(), Cause: context.Cause(parent)}
	}
	if eerr != nil {
		return nil, eerr
	}
	return nil, fmt.Errorf("the executor stopped after %d of %d replications", c.next-opt.Reps.Start, opt.Reps.Len())
}

// Interrupted is Run's error when its context was cancelled before the range was done. The
// summary Run returns with it holds the replications before Next, which are also the rows
// the sinks received: enough to save a consistent partial result and resume from Next.
type Interrupted struct {
	Done uint64 // replications folded (counting those of a resumed summary)
	Next uint64 // the first replication not folded
	Err  error  // the context's error
	// Cause is context.Cause of the context: for one of signal.NotifyContext, the signal
	// that stopped the run (nil: not known).
	Cause error
}

// Error says, in words, what stopped the run and after how many replications: "stopped by
// Ctrl-C (SIGINT) after 38 replications"; "context canceled" told a user nothing.
func (e *Interrupted) Error() string {
	return fmt.Sprintf("stopped by %s after %s", e.why(), Count(e.Done, "replication", "replications"))
}

// why names what cancelled the context: the signal signal.NotifyContext received, a
// deadline, or, from a caller's own context, the cancellation.
func (e *Interrupted) why() string {
	if s := SignalName(e.Cause); s != "" {
		return s
	}
	if errors.Is(e.Err, context.DeadlineExceeded) {
		return "its deadline"
	}
	return "the cancellation of its context (Ctrl-C, SIGTERM or the caller)"
}

// SignalName names, for a user, the signal a context of signal.NotifyContext was cancelled by,
// from the context's cause (context.Cause), which reads "<signal> signal received": "Ctrl-C
// (SIGINT)" or "SIGTERM"; "" for any other cause, or none.
func SignalName(cause error) string {
	if cause == nil {
		return ""
	}
	switch cause.Error() {
	case os.Interrupt.String() + " signal received":
		return "Ctrl-C (SIGINT)"
	case syscall.SIGTERM.String() + " signal received":
		return "SIGTERM"
	}
	return ""
}

// Unwrap returns the context's error that stopped the run.
func (e *Interrupted) Unwrap() error { return e.Err }

type collector struct {
	st      *Study
	opt     Options
	sinks   []RowSink
	sum     *Summary
	next    uint64
	base    uint64 // the first replication of the whole run (before a resume)
	pending map[uint64]Row
	rows    chan Row
}

// consume folds rows in index order until the range is complete, the stopping rule holds
// (stopped = true) or the executor ends.
func (c *collector) consume() (stopped bool, err error) {
	l := c.st.Layout()
	for r := range c.rows {
		if err := l.Check(&r); err != nil {
			return false, err
		}
		if r.Rep < c.next || r.Rep >= c.opt.Reps.End {
			continue // a duplicate (redelivered work) or not ours
		}
		if _, dup := c.pending[r.Rep]; dup {
			continue
		}
		if r.Seed != c.st.Seed {
			return false, fmt.Errorf("replication %d came back with seed %d, the study's seed is %d", r.Rep, r.Seed, c.st.Seed)
		}
		c.pending[r.Rep] = r
		for {
			row, ok := c.pending[c.next]
			if !ok {
				break
			}
			delete(c.pending, c.next)
			c.sum.Add(&row)
			for _, s := range c.sinks {
				if err := s.WriteRow(&row); err != nil {
					return false, err
				}
			}
			c.next++
			done := c.next - c.base
			if c.opt.Progress != nil {
				c.opt.Progress(done)
			}
			if c.next == c.opt.Reps.End {
				return false, nil
			}
			if c.opt.UntilCI > 0 && done%c.opt.CheckEvery == 0 {
				if h := c.sum.LeakRate().HalfWidth(); h <= c.opt.UntilCI {
					return true, nil
				}
			}
		}
	}
	return false, nil
}
