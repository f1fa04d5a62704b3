package mc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// JetStream names used by the distributed engine.
const (
	JobsStream     = "ADSIM_JOBS"    // work queue of replication batches
	JobsSubject    = "adsim.jobs"    // + "." + job id
	ResultsStream  = "ADSIM_RESULTS" // rows computed by workers
	ResultsSubject = "adsim.results" // + "." + job id
	// RefusedSubject (+ "." + job id, core NATS, not stored) carries a worker's notice that it
	// refused a batch of the job, being of another engine: the coordinator logs it.
	RefusedSubject = "adsim.refused"
	WorkerConsumer = "adsim-workers" // the durable pull consumer all workers share
	// CoordinatorsBucket is the key-value bucket of coordinator liveness keys: one per job,
	// refreshed by its coordinator, gone when the coordinator is (see NATS).
	CoordinatorsBucket = "ADSIM_COORDINATORS"
)

// DefaultLivenessTTL is the TTL of the coordinators bucket when adsim creates it. A job whose
// coordinator has not refreshed its key for this long is taken for dead, and workers drop its
// batches. An operator may create the bucket beforehand with another TTL (adsim keeps it).
const DefaultLivenessTTL = 30 * time.Second

// livenessRefreshes is how many times per TTL a coordinator refreshes its key: generous, so
// that a coordinator slowed down or cut off for a few refreshes keeps its job.
const livenessRefreshes = 6

// DefaultAckWait is how long a batch may go unacknowledged (workers send progress
// heartbeats meanwhile) before JetStream redelivers it to another worker.
const DefaultAckWait = 60 * time.Second

// MinAckWait is the shortest ack wait adsim accepts: a worker's heartbeats, every third of the
// ack wait, are requests to the server, and below a second a round trip or a pause of the
// worker's process would have its batch redelivered to another while it still runs.
const MinAckWait = time.Second

// minHeartbeat bounds a worker's heartbeat period from below whatever the consumer's ack wait
// (an operator may have set one shorter than MinAckWait on the consumer): a ticker needs a
// positive period, and heartbeats faster than this would only load the server.
const minHeartbeat = 100 * time.Millisecond

// refuseDelay is how long a batch refused by a worker of another engine waits before it is
// redelivered: long enough that workers of that engine do not pass it to and fro, short enough
// not to hold up a worker of the right one.
const refuseDelay = 2 * time.Second

// refusePause is the first pause of a worker after it refused a batch, doubled after each
// refusal in a row up to maxRefusePause: a worker of another build would otherwise take every
// batch of the queue in turn, ahead of the workers that can run them, and spin.
const (
	refusePause    = 500 * time.Millisecond
	maxRefusePause = 8 * time.Second
)

// refusedMsg is a worker's notice that it refused a batch (RefusedSubject).
type refusedMsg struct {
	Worker string `json:"worker"`
	Engine Engine `json:"engine"`
	Reps   Range  `json:"reps"`
}

// batchMsg is one unit of distributed work: a study and a range of replications.
type batchMsg struct {
	Job         string `json:"job"`
	Name        string `json:"name"`
	Source      []byte `json:"source"`
	Catalog     []byte `json:"catalog,omitempty"`
	Seed        uint64 `json:"seed"`
	Fingerprint string `json:"fingerprint"`
	Reps        Range  `json:"reps"`
	Engine      Engine `json:"engine"` // the coordinator's: workers of another engine refuse the batch
}

// resultMsg carries the rows of one batch back, or the error that prevented them.
type resultMsg struct {
	Job         string `json:"job"`
	Fingerprint string `json:"fingerprint"`
	Reps        Range  `json:"reps"`
	Rows        []Row  `json:"rows,omitempty"`
	Error       string `json:"error,omitempty"`
	Worker      string `json:"worker,omitempty"`
	Engine      Engine `json:"engine"` // the worker's
}

// jetStreamError explains an error of the server at url when it is one of a server without
// JetStream: the bare "no responders available for request" says nothing of the cause. It
// names the server without its password or token (RedactURL).
func jetStreamError(url string, err error) error {
	if errors.Is(err, nats.ErrNoResponders) || errors.Is(err, jetstream.ErrJetStreamNotEnabled) ||
		errors.Is(err, jetstream.ErrJetStreamNotEnabledForAccount) {
		return fmt.Errorf("the NATS server at %s does not answer JetStream requests (%w): adsim's work queue needs JetStream; start the server with it enabled (nats-server -js, or jetstream {} in its configuration; for a user of an account, jetstream: enabled in the account)", RedactURL(url), err)
	}
	return err
}

// ensureStreams creates (or updates) the two streams and the workers' consumer. ackWait 0
// leaves an existing consumer's ack wait as it is (DefaultAckWait for a new one).
func ensureStreams(ctx context.Context, js jetstream.JetStream, ackWait time.Duration) (jetstream.Consumer, error) {
	if err := ensureStream(ctx, js, jetstream.StreamConfig{Name: JobsStream,
		Subjects: []string{JobsSubject + ".>"}, Retention: jetstream.WorkQueuePolicy, Storage: jetstream.FileStorage}); err != nil {
		return nil, fmt.Errorf("nats: stream %s: %w", JobsStream, err)
	}
	if err := ensureStream(ctx, js, jetstream.StreamConfig{Name: ResultsStream,
		Subjects: []string{ResultsSubject + ".>"}, Retention: jetstream.LimitsPolicy, Storage: jetstream.FileStorage,
		MaxAge: 24 * time.Hour, Duplicates: 2 * time.Minute}); err != nil {
		return nil, fmt.Errorf("nats: stream %s: %w", ResultsStream, err)
	}
	cfg := jetstream.ConsumerConfig{Durable: WorkerConsumer, FilterSubject: JobsSubject + ".>",
		AckPolicy: jetstream.AckExplicitPolicy, AckWait: ackWait, MaxDeliver: -1, MaxAckPending: -1}
	if ackWait > 0 {
		// The coordinator sets the ack wait.
		c, err := js.CreateOrUpdateConsumer(ctx, JobsStream, cfg)
		if err != nil {
			return nil, fmt.Errorf("nats: consumer %s: %w", WorkerConsumer, err)
		}
		return c, nil
	}
	// A worker never changes an existing consumer (that would undo a coordinator's ack wait):
	// it creates one with the default only when there is none.
	if c, err := js.Consumer(ctx, JobsStream, WorkerConsumer); err == nil {
		return c, nil
	}
	cfg.AckWait = DefaultAckWait
	c, err := js.CreateConsumer(ctx, JobsStream, cfg)
	if err == nil {
		return c, nil
	}
	if c, err2 := js.Consumer(ctx, JobsStream, WorkerConsumer); err2 == nil {
		return c, nil // created meanwhile by someone else
	}
	return nil, fmt.Errorf("nats: consumer %s: %w", WorkerConsumer, err)
}

// ensureStream creates the stream, or updates it when it exists with other settings than
// cfg's; one that already has them is left alone. Every coordinator and worker calls it at
// start, so most calls find the stream as it should be: an update then would only rewrite the
// server's stream store, which in nats-server v2.15 races with a consumer being created on the
// same stream (the race detector caught fileStore.UpdateConfig against ConsumerStore in
// TestNATSWorkerShutdownHandsBatchBack, a worker starting while the coordinator set up its
// consumer).
func ensureStream(ctx context.Context, js jetstream.JetStream, cfg jetstream.StreamConfig) error {
	s, err := js.Stream(ctx, cfg.Name)
	switch {
	case err == nil:
		if hasStreamSettings(s.CachedInfo().Config, cfg) {
			return nil
		}
		_, err = js.UpdateStream(ctx, cfg)
		return err
	case !errors.Is(err, jetstream.ErrStreamNotFound):
		return err
	}
	if _, err = js.CreateStream(ctx, cfg); errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
		// Created meanwhile by another process, perhaps with other settings.
		_, err = js.CreateOrUpdateStream(ctx, cfg)
	}
	return err
}

// hasStreamSettings reports whether a stream configured as have has the settings ensureStream
// sets in want (the server fills in defaults for the others, which want leaves zero).
func hasStreamSettings(have, want jetstream.StreamConfig) bool {
	return slices.Equal(have.Subjects, want.Subjects) && have.Retention == want.Retention &&
		have.Storage == want.Storage && (want.MaxAge == 0 || have.MaxAge == want.MaxAge) &&
		(want.Duplicates == 0 || have.Duplicates == want.Duplicates)
}

// ensureLiveness returns the coordinators bucket and its TTL, creating the bucket with
// DefaultLivenessTTL when there is none. An existing bucket keeps its TTL (an operator may
// choose a shorter one for a quicker cleanup, or a longer one for a flaky network), but one
// without a TTL would keep the keys of dead coordinators for ever: it gets the default.
func ensureLiveness(ctx context.Context, js jetstream.JetStream) (jetstream.KeyValue, time.Duration, error) {
	return ensureLivenessTTL(ctx, js, DefaultLivenessTTL)
}

// ensureLivenessTTL is ensureLiveness with ttl for a bucket it creates: a coordinator that
// finds the bucket deleted under it makes it again with the TTL the old one had.
func ensureLivenessTTL(ctx context.Context, js jetstream.JetStream, ttl time.Duration) (jetstream.KeyValue, time.Duration, error) {
	cfg := jetstream.KeyValueConfig{Bucket: CoordinatorsBucket, History: 1, TTL: ttl,
		Storage: jetstream.FileStorage, Description: "adsim mc --nats: one key per job while its coordinator runs"}
	kv, err := js.KeyValue(ctx, CoordinatorsBucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		if kv, err = js.CreateKeyValue(ctx, cfg); errors.Is(err, jetstream.ErrBucketExists) {
			kv, err = js.KeyValue(ctx, CoordinatorsBucket) // created meanwhile by another process
		}
	}
	if err != nil {
		return nil, 0, fmt.Errorf("nats: bucket %s: %w", CoordinatorsBucket, err)
	}
	status, err := kv.Status(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("nats: bucket %s: %w", CoordinatorsBucket, err)
	}
	have := status.TTL()
	if have <= 0 {
		if kv, err = js.UpdateKeyValue(ctx, cfg); err != nil {
			return nil, 0, fmt.Errorf("nats: bucket %s has no TTL, and setting one failed: %w", CoordinatorsBucket, err)
		}
		have = ttl
	}
	return kv, have, nil
}

// keepAlive refreshes the liveness key of a job (revision rev) every ttl/livenessRefreshes
// until quit is closed. A refresh that finds the key gone — it expired while the coordinator
// could not reach the server for longer than the TTL, or someone deleted it — or the whole
// bucket gone (deleted by an operator) means that workers may have dropped the job's batches
// meanwhile: keepAlive puts the bucket and the key back and sends lapsed what happened, and the
// coordinator publishes again the batches it has no rows for. A refresh that fails otherwise
// (the server unreachable) is simply tried again at the next tick.
func keepAlive(js jetstream.JetStream, kv jetstream.KeyValue, job string, val []byte, rev uint64, ttl time.Duration,
	quit <-chan struct{}, lapsed chan<- string) {
	every := max(ttl/livenessRefreshes, 10*time.Millisecond)
	t := time.NewTicker(every)
	defer t.Stop()
	signal := func(why string) {
		select {
		case lapsed <- why:
		default: // already signalled
		}
	}
	for {
		select {
		case <-quit:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), every)
		r, err := kv.Update(ctx, job, val, rev)
		switch {
		case err == nil:
			rev = r
		case errors.Is(err, jetstream.ErrKeyRevisionMismatch), errors.Is(err, jetstream.ErrKeyNotFound):
			why := keyLapse(ctx, kv, job, ttl)
			if r, err := kv.Put(ctx, job, val); err == nil {
				rev = r
				signal(why)
			}
		default:
			// The update found no stream: is the bucket gone? (An unreachable server answers
			// the lookup with an error too, but not with this one.) A context of its own: the
			// update may have used up the other waiting for an answer.
			cancel()
			ctx, cancel = context.WithTimeout(context.Background(), every)
			if _, lerr := js.KeyValue(ctx, CoordinatorsBucket); !errors.Is(lerr, jetstream.ErrBucketNotFound) {
				break
			}
			nkv, _, err := ensureLivenessTTL(ctx, js, ttl)
			if err != nil {
				break
			}
			if r, err := nkv.Put(ctx, job, val); err == nil {
				kv, rev = nkv, r
				signal(fmt.Sprintf("the bucket %s was deleted; made it again (TTL %v) with this job's key", CoordinatorsBucket, ttl))
			}
		}
		cancel()
	}
}

// keyLapse says why the liveness key of job is gone: deleted (a delete marker is its last
// entry) or expired.
func keyLapse(ctx context.Context, kv jetstream.KeyValue, job string, ttl time.Duration) string {
	if h, err := kv.History(ctx, job); err == nil && len(h) > 0 && h[len(h)-1].Operation() != jetstream.KeyValuePut {
		return "the liveness key of this job was deleted (not by this coordinator); put it back"
	}
	return fmt.Sprintf("the liveness key of this job expired (no refresh reached the server for %v); put it back", ttl)
}

// livenessCheck tells a worker whether the coordinator of a batch's job is still there.
type livenessCheck struct {
	js jetstream.JetStream
	mu sync.Mutex
	kv jetstream.KeyValue
}

// livenessTimeout bounds a liveness check: past it the coordinator counts as alive (below).
const livenessTimeout = 3 * time.Second

// gone reports whether the coordinator of job is known to be gone: its liveness key expired
// or was deleted, or there is no bucket (none ever made, or deleted: the coordinator makes it
// again and publishes its batches anew). Any other answer — the server slow or unreachable —
// counts as alive: a batch run for nothing costs time, while a batch dropped for a live
// coordinator costs its republication.
func (l *livenessCheck) gone(ctx context.Context, job string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, livenessTimeout)
	defer cancel()
	for try := 0; try < 2; try++ {
		if l.kv == nil {
			kv, err := l.js.KeyValue(ctx, CoordinatorsBucket)
			if err != nil {
				return errors.Is(err, jetstream.ErrBucketNotFound)
			}
			l.kv = kv
		}
		// A second of the check's time at most: a handle of a deleted bucket may hang (below).
		gctx, gcancel := context.WithTimeout(ctx, livenessTimeout/3)
		_, err := l.kv.Get(gctx, job)
		gcancel()
		if err == nil || errors.Is(err, jetstream.ErrKeyNotFound) {
			return err != nil
		}
		// The handle may be of a bucket deleted since (a nats-server 2.9 lets a read of it
		// hang until the timeout, a newer one answers "no responders"): look the bucket up
		// again, which answers at once whether it is there.
		l.kv = nil
		if ctx.Err() != nil {
			return false
		}
	}
	return false
}

// NATS is an Executor that uses NATS JetStream as a work queue: it publishes the
// replications in batches (the scenario's bytes, seed and an index range) to the ADSIM_JOBS
// work-queue stream and reads the rows that `adsim worker` processes publish to
// ADSIM_RESULTS. A worker acknowledges a batch only after its rows are stored, so a batch
// whose worker dies is redelivered to another after the ack wait; a batch done twice is
// counted once (Run keeps the first row of each replication index).
//
// While it runs, the coordinator keeps a liveness key for its job in the key-value bucket
// ADSIM_COORDINATORS, refreshed several times per the bucket's TTL (DefaultLivenessTTL unless
// an operator made the bucket with another). It deletes the key and purges its batches when it
// ends, also on Ctrl-C or SIGTERM; a coordinator killed outright leaves both, and once its key
// has expired workers drop its batches without running them, so that the next study does not
// wait behind them. Should a live coordinator's key expire all the same (the server out of its
// reach for longer than the TTL), it puts the key back and publishes again the batches it has
// no rows for: nothing is lost, and a replication done twice is counted once.
type NATS struct {
	// URL is the server's, or a comma-separated list of a cluster's servers.
	URL string
	// Auth is how to log in to the server and which certificates to trust (zero: as the URL says).
	Auth    NATSAuth
	Batch   uint64        // replications per message (default 10)
	AckWait time.Duration // redelivery delay for unacknowledged batches (default DefaultAckWait)
	// Log receives progress messages (waiting for workers); nil discards them.
	Log func(string)
	// Served, when set, is called for each result that brings rows the study counts, with the
	// worker that computed them and how many (a replication done twice counts once, for the
	// worker whose rows came first). Results refused or ignored are not counted.
	Served func(worker string, replications int)
}

func (n NATS) logf(format string, args ...any) {
	if n.Log != nil {
		n.Log(fmt.Sprintf(format, args...))
	}
}

// Execute implements Executor.
func (n NATS) Execute(ctx context.Context, st *Study, reps Range, emit func(Row) error) (err error) {
	batch := n.Batch
	if batch == 0 {
		batch = 10
	}
	ackWait := n.AckWait
	switch {
	case ackWait == 0:
		ackWait = DefaultAckWait
	case ackWait < MinAckWait:
		return fmt.Errorf("nats: ack wait %v: expected at least %v (workers report progress every third of it)", ackWait, MinAckWait)
	}
	refused, setup, setupDone := newRefusals(ctx, n.logf)
	defer setupDone()
	defer func() { err = refused.explain(err) }()
	nc, err := connectNATS(n.URL, "adsim mc coordinator", n.Auth, refused.option())
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("nats: %w", err)
	}
	if _, err := ensureStreams(setup, js, ackWait); err != nil {
		return jetStreamError(n.URL, err)
	}
	kv, ttl, err := ensureLiveness(setup, js)
	if err != nil {
		return jetStreamError(n.URL, err)
	}
	setupDone()
	job := st.Fingerprint() + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	jobSubj, resSubj := JobsSubject+"."+job, ResultsSubject+"."+job
	cons, err := js.OrderedConsumer(ctx, ResultsStream, jetstream.OrderedConsumerConfig{FilterSubjects: []string{resSubj}})
	if err != nil {
		return fmt.Errorf("nats: results consumer: %w", err)
	}
	it, err := cons.Messages()
	if err != nil {
		return fmt.Errorf("nats: results: %w", err)
	}
	var stopOnce sync.Once
	stop := func() { stopOnce.Do(it.Stop) }
	defer stop()
	// Workers of another engine hand this job's batches back (see Work) and say so here: one
	// line per engine, so that a study waiting for workers says why.
	eng := CurrentEngine()
	var refusedMu sync.Mutex
	refusedBy := map[Engine]bool{}
	sub, err := nc.Subscribe(RefusedSubject+"."+job, func(m *nats.Msg) {
		var r refusedMsg
		if json.Unmarshal(m.Data, &r) != nil {
			return
		}
		refusedMu.Lock()
		first := !refusedBy[r.Engine]
		refusedBy[r.Engine] = true
		refusedMu.Unlock()
		if first {
			n.logf("worker %s refused batch %s: it runs %s, this study needs %s; its batches wait for workers of this build (further refusals by that build are not logged)", r.Worker, r.Reps, r.Engine, eng)
		}
	})
	if err != nil {
		return fmt.Errorf("nats: %w", err)
	}
	defer func() { _ = sub.Unsubscribe() }()
	// The liveness key goes up before the first batch, so that no worker ever sees a batch of
	// this job without it. A graceful end deletes it (below); a killed coordinator leaves it to
	// expire after the TTL, and workers then drop the job's batches instead of running them.
	host, _ := os.Hostname()
	alive := []byte(fmt.Sprintf("%s on %s (pid %d)", st.Name, host, os.Getpid()))
	rev, err := kv.Create(ctx, job, alive)
	if err != nil {
		return fmt.Errorf("nats: liveness key %s in %s: %w", job, CoordinatorsBucket, err)
	}
	quit := make(chan struct{}) // closed when Execute returns: ends its goroutines
	defer close(quit)
	lapsed := make(chan string, 1)
	keepQuit, keepDone := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(keepDone)
		keepAlive(js, kv, job, alive, rev, ttl, keepQuit, lapsed)
	}()
	// Clean up: the liveness key, unclaimed batches (after an early stop) and this job's results.
	defer func() {
		// Refreshes end first: one after the deletion would find the key gone and put it back.
		close(keepQuit)
		<-keepDone
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = kv.Delete(cctx, job)
		if s, err := js.Stream(cctx, JobsStream); err == nil {
			_ = s.Purge(cctx, jetstream.WithPurgeSubject(jobSubj))
		}
		if s, err := js.Stream(cctx, ResultsStream); err == nil {
			_ = s.Purge(cctx, jetstream.WithPurgeSubject(resSubj))
		}
	}()
	// Batch k holds replications [reps.Start + k·batch, …): the same ranges each time they are
	// published, so that the results' message ids (job/start) stay those of the batch.
	publish := func(start uint64) error {
		b := batchMsg{Job: job, Name: st.Name, Source: st.Source, Catalog: st.Catalog, Seed: st.Seed,
			Fingerprint: st.Fingerprint(), Reps: Range{start, min(start+batch, reps.End)}, Engine: eng}
		data, err := json.Marshal(b)
		if err != nil {
			return err
		}
		if _, err := js.Publish(ctx, jobSubj, data); err != nil {
			return fmt.Errorf("nats: publishing batch %s: %w", b.Reps, err)
		}
		return nil
	}
	for start := reps.Start; start < reps.End; start += batch {
		if err := publish(start); err != nil {
			return err
		}
	}
	// Stop the iterator when ctx ends (an early stop or an error elsewhere).
	go func() {
		select {
		case <-ctx.Done():
			stop()
		case <-quit:
		}
	}()
	type next struct {
		m   jetstream.Msg
		err error
	}
	results := make(chan next)
	go func() {
		for {
			m, err := it.Next()
			select {
			case results <- next{m, err}:
			case <-quit:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	seen := make([]bool, reps.Len())
	left := reps.Len()
	// unfinished reports whether the batch starting at start has a replication still to come.
	unfinished := func(start uint64) bool {
		return slices.Contains(seen[start-reps.Start:min(start+batch, reps.End)-reps.Start], false)
	}
	// Batches whose result came from another engine and was ignored: published again at once,
	// and again whenever no result has come for a while, since a worker of an older adsim
	// acknowledges a batch it refuses, and the server drops its second refusal of the same
	// batch as a duplicate result.
	foreign := map[uint64]bool{}
	foreignLogged := map[Engine]bool{}
	for left > 0 {
		var nx next
		select {
		case nx = <-results:
		case why := <-lapsed:
			// Workers may have dropped batches while the key was gone: publish again every
			// batch with a replication still to come. Rows that arrive twice count once.
			again := 0
			for start := reps.Start; start < reps.End; start += batch {
				if unfinished(start) {
					if err := publish(start); err != nil {
						return err
					}
					again++
				}
			}
			n.logf("%s, and published %d unfinished batches again (workers drop the batches of a job without a key)", why, again)
			continue
		case <-time.After(30 * time.Second):
			n.logf("waiting for workers: %d of %d replications still to come (is `adsim worker --nats %s` running, of this build?)", left, reps.Len(), RedactURL(n.URL))
			for start := range foreign {
				if !unfinished(start) {
					delete(foreign, start)
				} else if err := publish(start); err != nil {
					return err
				}
			}
			continue
		}
		if nx.err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("nats: results: %w", nx.err)
		}
		var res resultMsg
		if err := json.Unmarshal(nx.m.Data(), &res); err != nil {
			return fmt.Errorf("nats: a malformed result on %s: %w", nx.m.Subject(), err)
		}
		if err := eng.Check(res.Engine); err != nil {
			// Rows of another build would differ in the last bits; a worker of this adsim never
			// sends them (it hands the batch back), but an older one acknowledges the batch and
			// reports its refusal as an error, and a rolling upgrade must not kill the studies
			// in flight: ignore the result and publish the batch again for a worker of this
			// build.
			if !foreignLogged[res.Engine] {
				foreignLogged[res.Engine] = true
				n.logf("ignored the result of worker %s for replications %s, and published the batch again: %v (further results of that build are ignored without a word)", res.Worker, res.Reps, err)
			}
			if res.Reps.Start >= reps.Start && res.Reps.Start < reps.End && (res.Reps.Start-reps.Start)%batch == 0 && unfinished(res.Reps.Start) {
				foreign[res.Reps.Start] = true
				if err := publish(res.Reps.Start); err != nil {
					return err
				}
			}
			continue
		}
		if res.Error != "" {
			return fmt.Errorf("worker %s, replications %s: %s", res.Worker, res.Reps, res.Error)
		}
		if res.Fingerprint != st.Fingerprint() {
			return fmt.Errorf("nats: a result for another study (fingerprint %s, expected %s)", res.Fingerprint, st.Fingerprint())
		}
		counted := 0
		for _, r := range res.Rows {
			if r.Rep < reps.Start || r.Rep >= reps.End || seen[r.Rep-reps.Start] {
				continue
			}
			seen[r.Rep-reps.Start] = true
			left--
			counted++
			if err := emit(r); err != nil {
				return err
			}
		}
		if counted > 0 && n.Served != nil {
			n.Served(res.Worker, counted)
		}
	}
	return nil
}

// WorkerOptions configure Work.
type WorkerOptions struct {
	// Workers is the number of goroutines per batch (0: GOMAXPROCS).
	Workers int
	// Name identifies this worker in results and logs.
	Name string
	// Auth is how to log in to the server and which certificates to trust (zero: as the URL says).
	Auth NATSAuth
	// MaxBatches stops the worker after this many batches (0: run until ctx ends).
	MaxBatches int
	// Log receives one line per batch started and finished, refused or dropped; nil discards them.
	Log func(string)
	// Ready, when set, is called once the worker is connected and about to take work.
	Ready func()
	// Served, when set, is called with the number of replications of each batch whose rows
	// the server has stored (batches refused, dropped, handed back or failed are not counted).
	Served func(replications int)
	// engine, when set, replaces CurrentEngine (tests fake a worker of another build).
	engine *Engine
}

// Work serves replication batches from the JetStream work queue at url until ctx ends: for
// each batch it runs the replications on opt.Workers goroutines, publishes the rows, waits for
// the server to store them, and only then acknowledges the batch. While it works it tells the
// server the batch is in progress, every third of the ack wait; if the process dies the
// heartbeats stop and the batch is redelivered. A batch whose coordinator is gone (its
// liveness key expired or deleted, see NATS) is dropped unrun, or given up at the next
// heartbeat if the coordinator goes while the batch runs. A batch from a coordinator of another
// engine is never run: the worker hands it back for a worker of that engine (redelivered after
// refuseDelay), logs "refused" with both engines, tells the coordinator (RefusedSubject), and
// pauses before it fetches again; refused batches do not count in MaxBatches.
func Work(ctx context.Context, url string, opt WorkerOptions) (err error) {
	logf := func(format string, args ...any) {
		if opt.Log != nil {
			opt.Log(fmt.Sprintf(format, args...))
		}
	}
	refused, setup, setupDone := newRefusals(ctx, logf)
	defer setupDone()
	defer func() { err = refused.explain(err) }()
	nc, err := connectNATS(url, "adsim worker "+opt.Name, opt.Auth, nats.MaxReconnects(-1), refused.option())
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("nats: %w", err)
	}
	cons, err := ensureStreams(setup, js, 0)
	if err != nil {
		return jetStreamError(url, err)
	}
	setupDone()
	if opt.Ready != nil {
		opt.Ready()
	}
	studies := map[string]*Study{} // by fingerprint; a worker usually serves one study at a time
	eng := CurrentEngine()
	if opt.engine != nil {
		eng = *opt.engine
	}
	live := &livenessCheck{js: js}
	done := 0
	pause := time.Duration(0) // after refusals in a row
	for ctx.Err() == nil && (opt.MaxBatches == 0 || done < opt.MaxBatches) {
		if pause > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(pause):
			}
			if ctx.Err() != nil {
				break
			}
		}
		msgs, err := cons.Fetch(1, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			logf("fetch: %v", err)
			time.Sleep(time.Second)
			continue
		}
		for m := range msgs.Messages() {
			err := serveBatch(ctx, nc, js, cons, m, studies, eng, live, opt, logf)
			switch {
			case errors.Is(err, errRefused):
				pause = min(max(2*pause, refusePause), maxRefusePause)
				continue
			case err != nil:
				return err
			}
			pause = 0
			done++
		}
		if err := msgs.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && ctx.Err() == nil {
			logf("fetch: %v", err)
		}
	}
	return nil
}

// errCoordinatorGone stops a batch whose coordinator went away while it ran.
var errCoordinatorGone = errors.New("the coordinator is gone")

// errRefused is serveBatch's answer for a batch of another engine, handed back unrun.
var errRefused = errors.New("refused")

func serveBatch(ctx context.Context, nc *nats.Conn, js jetstream.JetStream, cons jetstream.Consumer, m jetstream.Msg,
	studies map[string]*Study, eng Engine, live *livenessCheck, opt WorkerOptions, logf func(string, ...any)) error {
	var b batchMsg
	if err := json.Unmarshal(m.Data(), &b); err != nil {
		logf("dropping a malformed batch on %s: %v", m.Subject(), err)
		return m.Term()
	}
	res := resultMsg{Job: b.Job, Fingerprint: b.Fingerprint, Reps: b.Reps, Worker: opt.Name, Engine: eng}
	if b.Engine != eng {
		// Rows of this worker would differ from the coordinator's in the last bits, so it
		// never runs the batch; nor does it fail the study (a rolling upgrade has workers of
		// two builds for a while): the batch goes back to the queue for a worker of the
		// coordinator's build, after a delay so that it does not bounce between workers of
		// this one. (Before the liveness check: a coordinator of an adsim without liveness keys
		// is served the same way.)
		if err := m.NakWithDelay(refuseDelay); err != nil {
			logf("batch %s of job %s: handing it back failed (%v); it is redelivered after the ack wait", b.Reps, b.Job, err)
		}
		if data, err := json.Marshal(refusedMsg{Worker: opt.Name, Engine: eng, Reps: b.Reps}); err == nil {
			_ = nc.Publish(RefusedSubject+"."+b.Job, data)
		}
		logf("batch %s of job %s: refused (this worker is %s; the batch wants %s): handed back for a worker of that build", b.Reps, b.Job, eng, b.Engine)
		return errRefused
	}
	if live.gone(ctx, b.Job) {
		// A coordinator killed without its cleanup leaves its batches in the queue: running
		// them would only delay every study queued behind them.
		logf("batch %s of job %s: dropped (its coordinator is gone: no liveness key in %s)", b.Reps, b.Job, CoordinatorsBucket)
		return m.Term()
	}
	st, ok := studies[b.Fingerprint]
	if !ok {
		seed := b.Seed
		s, err := NewStudy(b.Name, b.Source, b.Catalog, &seed)
		switch {
		case err != nil:
			res.Error = err.Error()
		case s.Fingerprint() != b.Fingerprint:
			res.Error = fmt.Sprintf("the batch's study has fingerprint %s here, %s at the coordinator (different adsim versions?)", s.Fingerprint(), b.Fingerprint)
		default:
			clear(studies)
			studies[b.Fingerprint] = s
			st = s
		}
		if st == nil {
			_, err := publishResult(ctx, js, m, b, res, "refused ("+res.Error+")", logf)
			return err
		}
	}
	logf("batch %s of job %s: started", b.Reps, b.Job)
	// Heartbeat: keep the batch ours while we work on it, and give it up if its coordinator
	// goes away meanwhile.
	ackWait := DefaultAckWait
	if info, err := cons.Info(ctx); err == nil && info.Config.AckWait > 0 {
		ackWait = info.Config.AckWait
	}
	bctx, cancel := context.WithCancelCause(ctx)
	hb, stopHB := context.WithCancel(ctx)
	go func() {
		t := time.NewTicker(max(ackWait/3, minHeartbeat))
		defer t.Stop()
		for {
			select {
			case <-hb.Done():
				return
			case <-t.C:
				if live.gone(hb, b.Job) {
					cancel(errCoordinatorGone)
					return
				}
				_ = m.InProgress()
			}
		}
	}()
	var mu sync.Mutex
	err := Local{Workers: opt.Workers}.Execute(bctx, st, b.Reps, func(r Row) error {
		mu.Lock()
		res.Rows = append(res.Rows, r)
		mu.Unlock()
		return nil
	})
	stopHB()
	cause := context.Cause(bctx)
	cancel(nil)
	if err != nil {
		switch {
		case ctx.Err() != nil:
			// Shutting down (SIGTERM, Ctrl-C): hand the batch back at once, so that another
			// worker takes it now rather than after the ack wait.
			_ = m.Nak()
			logf("batch %s of job %s: handed back (shutting down)", b.Reps, b.Job)
			return nil
		case errors.Is(cause, errCoordinatorGone):
			logf("batch %s of job %s: dropped unfinished (its coordinator is gone: no liveness key in %s)", b.Reps, b.Job, CoordinatorsBucket)
			return m.Term()
		}
		res.Error, res.Rows = err.Error(), nil
	}
	slices.SortFunc(res.Rows, func(a, b Row) int {
		switch {
		case a.Rep < b.Rep:
			return -1
		case a.Rep > b.Rep:
			return 1
		}
		return 0
	})
	outcome := "done"
	if res.Error != "" {
		outcome = "failed (" + res.Error + ")"
	}
	stored, err := publishResult(ctx, js, m, b, res, outcome, logf)
	if stored && res.Error == "" && opt.Served != nil {
		opt.Served(len(res.Rows))
	}
	return err
}

// publishResult publishes the result of batch b, waits for the server to store it, then
// acknowledges the batch and logs the outcome ("done", or why the batch was refused). stored
// reports whether the server stored the result.
func publishResult(ctx context.Context, js jetstream.JetStream, m jetstream.Msg, b batchMsg, res resultMsg,
	outcome string, logf func(string, ...any)) (stored bool, err error) {
	data, err := json.Marshal(res)
	if err != nil {
		return false, err
	}
	// The message id lets JetStream drop a second copy of the same batch's results.
	id := b.Job + "/" + strconv.FormatUint(b.Reps.Start, 10)
	if _, err := js.Publish(ctx, ResultsSubject+"."+b.Job, data, jetstream.WithMsgID(id)); err != nil {
		if ctx.Err() != nil {
			_ = m.Nak()
			return false, nil
		}
		logf("batch %s: publishing the results failed (%v); it will be redelivered", b.Reps, err)
		return false, nil
	}
	if err := m.DoubleAck(ctx); err != nil {
		logf("batch %s: ack failed (%v); it may be done again, and counted once", b.Reps, err)
	}
	logf("batch %s of job %s: %s", b.Reps, b.Job, outcome)
	return true, nil
}
