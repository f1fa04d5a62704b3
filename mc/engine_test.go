package mc

import (
	"cmp"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/adsim/adsim/internal/natstest"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

func TestEngineCheck(t *testing.T) {
	base := Engine{Platform: "amd64/v1", Go: "go1.26.8", Build: "(devel)"}
	with := func(f func(*Engine)) Engine { e := base; f(&e); return e }
	cases := []struct {
		name  string
		other Engine
		ok    bool
		names string // what the error must name
	}{
		{"same", base, true, ""},
		{"fusing amd64 level", with(func(e *Engine) { e.Platform = "amd64/v3" }), false, "amd64/v3"},
		{"another architecture", with(func(e *Engine) { e.Platform = "arm64/v8.0" }), false, "arm64/v8.0"},
		{"another Go", with(func(e *Engine) { e.Go = "go1.25.3" }), false, "go1.25.3"},
		{"another build", with(func(e *Engine) { e.Build = "0123abcd" }), false, "0123abcd"},
		{"compiler flags", with(func(e *Engine) { e.Flags = "all=-d=fmahash=n" }), false, "-gcflags all=-d=fmahash=n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := base.Check(c.other)
			if (err == nil) != c.ok {
				t.Fatalf("Check: %v, want ok=%v", err, c.ok)
			}
			if err != nil && (!strings.Contains(err.Error(), c.names) || !strings.Contains(err.Error(), base.Platform)) {
				t.Errorf("the error does not name both engines: %v", err)
			}
		})
	}
}

func TestCurrentEngineDescribesThisBinary(t *testing.T) {
	e := CurrentEngine()
	if e.Platform != runtime.GOARCH && !strings.HasPrefix(e.Platform, runtime.GOARCH+"/") {
		t.Errorf("platform %q, running on %s", e.Platform, runtime.GOARCH)
	}
	if e.Go != runtime.Version() || e.Build == "" {
		t.Errorf("engine %+v (Go %s)", e, runtime.Version())
	}
	if err := e.Check(CurrentEngine()); err != nil {
		t.Error(err)
	}
}

// A shard computed by another engine, or by an adsim that did not record its engine, is
// refused by merge with the directory named.
func TestMergeRefusesAnotherEngine(t *testing.T) {
	st := loadSmall(t)
	dirs := writeShards(t, st, 4, 2)
	if _, _, _, err := Merge(context.Background(), dirs); err != nil {
		t.Fatalf("shards of this engine: %v", err)
	}
	edit := func(f func(m map[string]any)) {
		p := filepath.Join(dirs[1], ManifestJSON)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		if data, err = json.Marshal(m); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit(func(m map[string]any) { m["engine"].(map[string]any)["platform"] = "arm64/v8.0" })
	_, _, _, err := Merge(context.Background(), dirs)
	if err == nil || !strings.Contains(err.Error(), "arm64/v8.0") || !strings.Contains(err.Error(), dirs[1]) {
		t.Errorf("a shard of another platform: %v", err)
	}
	edit(func(m map[string]any) { delete(m, "engine") })
	_, _, _, err = Merge(context.Background(), dirs)
	if err == nil || !strings.Contains(err.Error(), "does not say which adsim build") {
		t.Errorf("a shard without an engine: %v", err)
	}
}

// The distributed engine never mixes rows of two engines, and one worker of another build
// (a rolling upgrade, a node with another GOAMD64) fails no study: a worker hands a batch of
// another engine back unrun (redelivered after refuseDelay), logs "refused" with both engines,
// tells the coordinator, and pauses instead of spinning; a coordinator ignores a result of
// another engine (logged once) and publishes the batch again. In each case the study completes
// with the rows of a local run, served by a worker of its own engine. A real JetStream server
// (nats-server module) runs in this process.
func TestNATSRefusesAnotherEngine(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a NATS server")
	}
	st := loadSmall(t)
	foreign := CurrentEngine()
	foreign.Platform = "arm64/v8.0"
	reps := Range{0, 8}
	want, _ := runLocal(t, st, 1, Options{Reps: reps})

	// run coordinates the study with the worker of this engine started by start, and returns
	// the coordinator's log.
	run := func(t *testing.T, url string, start func(ctx context.Context)) *logLines {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		var coord logLines
		done := make(chan error, 1)
		var rows []Row
		served := map[string]int{} // written by Execute's goroutine, read after done
		go func() {
			done <- NATS{URL: url, Batch: 2, Log: coord.add, Served: func(w string, n int) { served[w] += n }}.Execute(ctx, st, reps, func(r Row) error {
				rows = append(rows, r)
				return nil
			})
		}()
		start(ctx)
		if err := <-done; err != nil {
			t.Fatalf("the study failed: %v\ncoordinator log:\n%s", err, coord.String())
		}
		// Every row is the native worker's: the others' were refused or ignored.
		if want := map[string]int{"native": int(reps.Len())}; !reflect.DeepEqual(served, want) {
			t.Errorf("replications served by worker: %v, want %v", served, want)
		}
		slices.SortFunc(rows, func(a, b Row) int { return cmp.Compare(a.Rep, b.Rep) })
		if !reflect.DeepEqual(rows, want) {
			t.Error("rows differ from a local run")
		}
		return &coord
	}

	t.Run("a worker of another engine hands the batches back", func(t *testing.T) {
		url, _, _ := natsClient(t)
		var flogs, logs logLines
		coord := run(t, url, func(ctx context.Context) {
			wctx, stop := context.WithCancel(ctx)
			t.Cleanup(stop)
			go func() {
				_ = Work(wctx, url, WorkerOptions{Name: "alien", Workers: 1, Log: flogs.add, engine: &foreign})
			}()
			// The foreign worker alone for a while: it refuses, it does not spin.
			time.Sleep(3 * time.Second)
			if n := flogs.count(": refused (this worker is "); n == 0 || n > 4 {
				t.Errorf("the worker of another engine refused %d batches in 3 s:\n%s", n, flogs.String())
			}
			go func() { _ = Work(wctx, url, WorkerOptions{Name: "native", Workers: 1, Log: logs.add}) }()
		})
		if flogs.count(": started") != 0 || flogs.count(": done") != 0 || flogs.count("the batch wants "+CurrentEngine().String()) == 0 ||
			flogs.count("handed back for a worker of that build") == 0 {
			t.Errorf("foreign worker log:\n%s", flogs.String())
		}
		if coord.count("worker alien refused batch") != 1 || coord.count("arm64/v8.0") != 1 {
			t.Errorf("coordinator log (one line for the refusing build):\n%s", coord.String())
		}
	})

	t.Run("the coordinator ignores a result of another engine", func(t *testing.T) {
		url, _, js := natsClient(t)
		cons, err := ensureStreams(context.Background(), js, 0)
		if err != nil {
			t.Fatal(err)
		}
		var logs logLines
		coord := run(t, url, func(ctx context.Context) {
			// A stand-in worker (as an older adsim's, or an impostor) computes the right rows
			// of the first two batches but says another engine did, and acknowledges them.
			for k := 0; k < 2; k++ {
				msgs, err := cons.Fetch(1, jetstream.FetchMaxWait(20*time.Second))
				if err != nil {
					t.Error(err)
					return
				}
				for m := range msgs.Messages() {
					var b batchMsg
					if err := json.Unmarshal(m.Data(), &b); err != nil {
						t.Error(err)
						return
					}
					res := resultMsg{Job: b.Job, Fingerprint: b.Fingerprint, Reps: b.Reps, Worker: "impostor", Engine: foreign}
					_ = Local{Workers: 1}.Execute(ctx, st, b.Reps, func(r Row) error { res.Rows = append(res.Rows, r); return nil })
					data, _ := json.Marshal(res)
					if _, err := js.Publish(ctx, ResultsSubject+"."+b.Job, data); err != nil {
						t.Error(err)
					}
					_ = m.Ack()
				}
			}
			wctx, stop := context.WithCancel(ctx)
			t.Cleanup(stop)
			go func() { _ = Work(wctx, url, WorkerOptions{Name: "native", Workers: 1, Log: logs.add}) }()
		})
		if coord.count("ignored the result of worker impostor") != 1 || coord.count("arm64/v8.0") != 1 {
			t.Errorf("coordinator log (one line for the foreign build):\n%s", coord.String())
		}
	})
}

// A worker stopped in the middle of a batch (SIGTERM, Ctrl-C) hands it back, and another
// worker takes it at once rather than after the ack wait (60 s here): the run completes with
// the rows of a local run.
func TestNATSWorkerShutdownHandsBatchBack(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a NATS server")
	}
	url := natstest.Start(t, t.TempDir())
	st := loadSmall(t)
	want, _ := runLocal(t, st, 1, Options{Reps: Range{0, 8}})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	done := executeAsync(ctx, NATS{URL: url, Batch: 4, AckWait: 60 * time.Second}, st, Range{0, 8})
	// The first worker stops as soon as it starts a batch.
	w1, stop1 := context.WithCancel(ctx)
	var handed bool
	if err := Work(w1, url, WorkerOptions{Name: "w1", Workers: 1, Log: func(s string) {
		if strings.Contains(s, "started") {
			stop1()
		}
		handed = handed || strings.Contains(s, "handed back")
	}}); err != nil {
		t.Fatal(err)
	}
	if !handed {
		t.Fatal("the stopped worker did not hand its batch back")
	}
	start := time.Now()
	w2, stop2 := context.WithCancel(ctx)
	defer stop2()
	go func() { _ = Work(w2, url, WorkerOptions{Name: "w2", Workers: 1}) }()
	res := <-done
	if res.err != nil {
		t.Fatal(res.err)
	}
	if el := time.Since(start); el > 30*time.Second {
		t.Errorf("the batch came back after %v: it waited for the ack wait", el)
	}
	slices.SortFunc(res.rows, func(a, b Row) int { return cmp.Compare(a.Rep, b.Rep) })
	if !reflect.DeepEqual(res.rows, want) {
		t.Error("rows differ from a local run")
	}
}

// ensureStream creates a stream, leaves one that has its settings alone (no update: the
// server announces none), and updates one with other settings (one update announced).
func TestEnsureStreamUpdatesOnlyWhatDiffers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a NATS server")
	}
	_, nc, js := natsClient(t)
	updates, err := nc.SubscribeSync("$JS.EVENT.ADVISORY.STREAM.UPDATED.T")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cfg := jetstream.StreamConfig{Name: "T", Subjects: []string{"t.>"}, Retention: jetstream.LimitsPolicy,
		Storage: jetstream.FileStorage, MaxAge: time.Hour, Duplicates: time.Minute}
	for i := 0; i < 3; i++ {
		if err := ensureStream(ctx, js, cfg); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	cfg.MaxAge = 2 * time.Hour
	if err := ensureStream(ctx, js, cfg); err != nil {
		t.Fatal(err)
	}
	// Advisories arrive in order: when the first is in, any from the calls before the update
	// would be too.
	if _, err := updates.NextMsg(5 * time.Second); err != nil {
		t.Fatalf("no update announced for another max age: %v", err)
	}
	time.Sleep(300 * time.Millisecond)
	if n, _, err := updates.Pending(); err != nil || n != 0 {
		t.Errorf("%d more updates announced (%v): the stream was updated when it had its settings", n, err)
	}
	s, err := js.Stream(ctx, "T")
	if err != nil || s.CachedInfo().Config.MaxAge != 2*time.Hour {
		t.Errorf("max age after the update: %v (%v)", s.CachedInfo().Config.MaxAge, err)
	}
}

// natsClient starts a NATS server for the test and connects to it (closed at the test's end).
func natsClient(t *testing.T) (string, *nats.Conn, jetstream.JetStream) {
	t.Helper()
	url := natstest.Start(t, t.TempDir())
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return url, nc, js
}
