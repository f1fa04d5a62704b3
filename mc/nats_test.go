package mc

import (
	"cmp"
	"context"
	"errors"
	"os"
	"os/exec"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
)

// envHelperCoordinator, set to a NATS URL, makes TestNATSHelperCoordinator a coordinator
// process for TestNATSDropsBatchesOfAKilledCoordinator to kill.
const envHelperCoordinator = "ADSIM_TEST_COORDINATOR_URL"

// orphanReps is the study of the coordinator that gets killed: 500 batches of 10, more than
// one worker runs in the test's limit (about 17 batches a second on a quiet 2-core machine,
// so half a minute), yet few enough to be dropped in seconds on a busy CI machine, where a
// drop took about 11 ms against 0.5 ms on a quiet one.
var orphanReps = Range{0, 5000}

// TestNATSHelperCoordinator is not a test: run by TestNATSDropsBatchesOfAKilledCoordinator as a
// child process, it coordinates a long study until it is killed.
func TestNATSHelperCoordinator(t *testing.T) {
	url := os.Getenv(envHelperCoordinator)
	if url == "" {
		t.Skip("a helper process of TestNATSDropsBatchesOfAKilledCoordinator")
	}
	err := NATS{URL: url, Batch: 10}.Execute(context.Background(), loadSmall(t), orphanReps, func(Row) error { return nil })
	t.Fatalf("the coordinator ended (%v); it should have been killed", err)
}

// logLines collects a worker's log lines for a test.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) add(s string) {
	l.mu.Lock()
	l.lines = append(l.lines, s)
	l.mu.Unlock()
}

func (l *logLines) count(sub string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, s := range l.lines {
		if strings.Contains(s, sub) {
			n++
		}
	}
	return n
}

func (l *logLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// createBucket makes the coordinators bucket with a short TTL, as an operator may, so that
// the test need not wait DefaultLivenessTTL for a dead coordinator's key to expire.
func createBucket(t *testing.T, js jetstream.JetStream, ttl time.Duration) jetstream.KeyValue {
	t.Helper()
	kv, err := js.CreateKeyValue(context.Background(), jetstream.KeyValueConfig{Bucket: CoordinatorsBucket, History: 1, TTL: ttl})
	if err != nil {
		t.Fatal(err)
	}
	return kv
}

// A coordinator process killed outright (SIGKILL: no cleanup) leaves its 500 batches in the
// work queue. Once its liveness key has expired (a TTL of 2 s here), the worker drops them
// without running them, the queue empties, and the next study completes at once with the rows
// of a local run. Before liveness keys the worker ran every orphaned batch first (minutes).
func TestNATSDropsBatchesOfAKilledCoordinator(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a NATS server and a coordinator process")
	}
	url, _, js := natsClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	const ttl = 2 * time.Second
	createBucket(t, js, ttl)

	child := exec.Command(os.Args[0], "-test.run=^TestNATSHelperCoordinator$")
	child.Env = append(os.Environ(), envHelperCoordinator+"="+url)
	var childErr strings.Builder
	child.Stderr, child.Stdout = &childErr, &childErr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = child.Process.Kill() }()
	// All its batches are in the queue before a worker starts.
	batches := (orphanReps.Len() + 9) / 10
	for deadline := time.Now().Add(60 * time.Second); ; {
		if s, err := js.Stream(ctx, JobsStream); err == nil && s.CachedInfo().State.Msgs == batches {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the coordinator did not publish its %d batches in 60 s:\n%s", batches, childErr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	var logs logLines
	wctx, stopWorker := context.WithCancel(ctx)
	defer stopWorker()
	go func() { _ = Work(wctx, url, WorkerOptions{Name: "w", Workers: 1, Log: logs.add}) }()
	for logs.count(": started") == 0 {
		if ctx.Err() != nil {
			t.Fatal("the worker started no batch")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	killed := time.Now()

	st := loadSmall(t)
	want, _ := runLocal(t, st, 1, Options{Reps: Range{0, 4}})
	var rows []Row
	if err := (NATS{URL: url, Batch: 2}).Execute(ctx, st, Range{0, 4}, func(r Row) error {
		rows = append(rows, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	el := time.Since(killed)
	slices.SortFunc(rows, func(a, b Row) int { return cmp.Compare(a.Rep, b.Rep) })
	if !reflect.DeepEqual(rows, want) {
		t.Error("the new study's rows differ from a local run")
	}
	ran, dropped := logs.count(": done"), logs.count(": dropped")
	t.Logf("the new study completed %v after the kill; the worker ran %d batches and dropped %d", el, ran, dropped)
	if el > ttl+20*time.Second {
		t.Errorf("the new study completed %v after the coordinator was killed: it waited behind the orphaned batches", el)
	}
	if ran+dropped < int(batches) || dropped < int(batches)/2 {
		t.Errorf("of the %d orphaned batches, the worker dropped %d (and ran %d batches in all)", batches, dropped, ran)
	}
	if s, err := js.Stream(ctx, JobsStream); err != nil || s.CachedInfo().State.Msgs != 0 {
		t.Errorf("the work queue still holds batches: %+v (%v)", s.CachedInfo().State, err)
	}
}

// A live coordinator whose liveness key lapses (here deleted just after a refresh, as an
// expiry would while the coordinator cannot reach the server) has its batches dropped by a
// worker meanwhile; at its next refresh it finds the key gone, puts it back and publishes the
// unfinished batches again: the run completes with the rows of a local run.
func TestNATSRepublishesAfterALapse(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a NATS server")
	}
	url, _, js := natsClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	kv := createBucket(t, js, 12*time.Second) // a refresh every 2 s
	st := loadSmall(t)
	reps := Range{0, 40}
	want, _ := runLocal(t, st, 1, Options{Reps: reps})

	var coordLog logLines
	done := executeAsync(ctx, NATS{URL: url, Batch: 4, Log: coordLog.add}, st, reps)
	// Delete the key just after a refresh, so that the worker drops batches before the next.
	w, err := kv.WatchAll(ctx, jetstream.UpdatesOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = w.Stop() }()
	var key string
	for e := range w.Updates() {
		if e != nil && e.Operation() == jetstream.KeyValuePut && e.Revision() > 1 {
			key = e.Key()
			break
		}
	}
	if key == "" {
		t.Fatal("no refresh of the liveness key seen")
	}
	if err := kv.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	var logs logLines
	wctx, stopWorker := context.WithCancel(ctx)
	defer stopWorker()
	go func() { _ = Work(wctx, url, WorkerOptions{Name: "w", Workers: 1, Log: logs.add}) }()

	res := <-done
	if res.err != nil {
		t.Fatalf("%v\nworker log:\n%s", res.err, logs.String())
	}
	slices.SortFunc(res.rows, func(a, b Row) int { return cmp.Compare(a.Rep, b.Rep) })
	if !reflect.DeepEqual(res.rows, want) {
		t.Error("rows differ from a local run")
	}
	// It says what happened: the key was deleted (not "no refresh reached the server").
	if logs.count(": dropped") == 0 || coordLog.count("the liveness key of this job was deleted (not by this coordinator); put it back, and published") != 1 {
		t.Errorf("the lapse was not exercised:\nworker log:\n%s\ncoordinator log:\n%s", logs.String(), coordLog.String())
	}
	// A graceful end deletes the key.
	if _, err := kv.Get(ctx, key); !errors.Is(err, jetstream.ErrKeyNotFound) {
		t.Errorf("the liveness key after the run: %v, want it deleted", err)
	}
}

// A NATS server without JetStream answers the first JetStream request with "no responders":
// the coordinator and the worker say that JetStream must be enabled.
func TestNATSWithoutJetStream(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a NATS server")
	}
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	t.Cleanup(ns.Shutdown)
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server did not start")
	}
	url := ns.ClientURL()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, c := range []struct {
		name string
		run  func() error
	}{
		{"coordinator", func() error {
			return NATS{URL: url}.Execute(ctx, loadSmall(t), Range{0, 1}, func(Row) error { return nil })
		}},
		{"worker", func() error { return Work(ctx, url, WorkerOptions{Name: "w", MaxBatches: 1}) }},
	} {
		err := c.run()
		if err == nil || !strings.Contains(err.Error(), "nats-server -js") || !strings.Contains(err.Error(), url) {
			t.Errorf("%s: %v, want an error that names the server and says to enable JetStream", c.name, err)
		}
	}
}

// An operator deleting the coordinators bucket in the middle of a run: the coordinator makes it
// again at its next refresh, with its key, and publishes its unfinished batches again; the
// worker's liveness check answers at once meanwhile (no bucket: dropped) rather than waiting
// out a timeout on a handle to the deleted bucket. The run completes with the rows of a local
// run, and the bucket is there again. Before, the bucket stayed gone and, on nats-server 2.9,
// every batch waited 10 s for the worker's check.
func TestNATSBucketDeletedMidRun(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a NATS server")
	}
	url, _, js := natsClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	createBucket(t, js, 6*time.Second) // a refresh every second
	st := loadSmall(t)
	reps := Range{0, 200}
	want, _ := runLocal(t, st, 1, Options{Reps: reps})

	var logs, coordLog logLines
	wctx, stopWorker := context.WithCancel(ctx)
	defer stopWorker()
	deleted := make(chan time.Time, 1)
	go func() {
		_ = Work(wctx, url, WorkerOptions{Name: "w", Workers: 1, Log: func(s string) {
			logs.add(s)
			if strings.Contains(s, ": done") && logs.count(": done") == 3 {
				// Mid-run, with the worker's handle of the bucket cached.
				if err := js.DeleteKeyValue(ctx, CoordinatorsBucket); err != nil {
					t.Error(err)
				}
				deleted <- time.Now()
			}
		}})
	}()
	var rows []Row
	err := NATS{URL: url, Batch: 4, Log: coordLog.add}.Execute(ctx, st, reps, func(r Row) error {
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		t.Fatalf("%v\nworker log:\n%s", err, logs.String())
	}
	var at time.Time
	select {
	case at = <-deleted:
	default:
		t.Fatal("the run ended before the bucket was deleted")
	}
	t.Logf("the run ended %v after the bucket was deleted", time.Since(at))
	slices.SortFunc(rows, func(a, b Row) int { return cmp.Compare(a.Rep, b.Rep) })
	if !reflect.DeepEqual(rows, want) {
		t.Error("rows differ from a local run")
	}
	if coordLog.count("the bucket "+CoordinatorsBucket+" was deleted; made it again (TTL 6s)") != 1 {
		t.Errorf("coordinator log:\n%s", coordLog.String())
	}
	if _, err := js.KeyValue(ctx, CoordinatorsBucket); err != nil {
		t.Errorf("the bucket after the run: %v", err)
	}
}

// execResult is what executeAsync's coordinator gave: its rows, in arrival order, and error.
type execResult struct {
	rows []Row
	err  error
}

// executeAsync runs the coordinator ex on the study's replications reps in a goroutine, so
// that the test can start, stop and kill workers meanwhile; its result arrives on the channel.
func executeAsync(ctx context.Context, ex NATS, st *Study, reps Range) <-chan execResult {
	done := make(chan execResult, 1)
	go func() {
		var rows []Row
		err := ex.Execute(ctx, st, reps, func(r Row) error {
			rows = append(rows, r)
			return nil
		})
		done <- execResult{rows, err}
	}()
	return done
}
