package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/adsim/adsim/mc"
)

// newWorkerCmd serves replication batches from a NATS JetStream work queue.
func newWorkerCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		url        string
		workers    int
		name       string
		maxBatches int
		verbose    bool
		auth       natsAuthFlags
	)
	cmd := &cobra.Command{
		Use:   "worker --nats URL",
		Short: "Serve Monte Carlo replications for 'adsim mc --nats' from a NATS JetStream work queue",
		Long: `Serve replication batches published by 'adsim mc --nats URL' (or compare, sweep,
sensitivity) until interrupted. Run any number of workers on any number of machines; each
uses all its cores (--workers). A batch is acknowledged only after its rows are stored on
the server; if a worker dies, its batch goes to another worker after the coordinator's
--ack-wait, and the coordinator counts every replication once; a worker stopped by Ctrl-C
or SIGTERM hands its batch back at once. A batch whose coordinator was killed (its liveness
key in the bucket ADSIM_COORDINATORS expired) is dropped unrun, so that the next study need
not wait behind it. Workers must run the same adsim build on the same platform as the
coordinator (the study's fingerprint and the engine are checked; docs/results.md,
"Determinism"): a worker of another build never runs a batch, but hands it back for a
worker of the coordinator's build and logs "refused", so that a rolling upgrade fails no
study. The server must have JetStream enabled (nats-server -js). A server that asks for a
login gets it from --nats-creds, --nats-nkey or user:password@ in the URL, and TLS takes
--nats-ca, --nats-cert and --nats-key; no password is ever printed; 'adsim nats-config'
makes an NKey login and a server configuration for it (docs/results.md, "Securing the
server").`,
		Example: `  nats-server -js &                       # Debian: apt-get install nats-server
  adsim worker --nats nats://localhost:4222 &
  adsim mc capital -n 10000 --nats nats://localhost:4222`,
		Args:        argCount(0, 0),
		Annotations: interruptible(),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context() // cancelled by Ctrl-C or SIGTERM (main)
			if url == "" {
				return badInput(errors.New("--nats URL is required (e.g. nats://localhost:4222)"))
			}
			if err := checkNATSURL(url); err != nil {
				return err
			}
			if err := auth.check(url); err != nil {
				return err
			}
			if workers < 0 {
				return badInput(fmt.Errorf("--workers %d: must be 0 (all cores) or more", workers))
			}
			if maxBatches < 0 {
				// Work would serve nothing and the worker exit 0 at once.
				return badInput(fmt.Errorf("--max-batches %d: expected 0 (serve until interrupted) or a number of batches", maxBatches))
			}
			if name == "" {
				h, _ := os.Hostname()
				name = fmt.Sprintf("%s/%d", h, os.Getpid())
			}
			// A worker stopped by a signal ends as one that served until then: exit 0, having
			// handed its batch back; stopped before it took any, it says so.
			stopped := func() error {
				fmt.Fprintf(stderr, "adsim worker %s: stopped by %s before it served any batch\n", name, stopCause(ctx))
				return nil
			}
			if ctx.Err() != nil {
				return stopped()
			}
			ready := false // connected: Work takes a stop from here on
			var batches, reps int
			opt := mc.WorkerOptions{Workers: workers, Name: name, MaxBatches: maxBatches, Auth: auth.auth,
				Ready: func() {
					ready = true
					fmt.Fprintf(stderr, "adsim worker %s: serving %s\n", name, mc.RedactURL(url))
				},
				Served: func(n int) { batches, reps = batches+1, reps+n }}
			if verbose {
				opt.Log = func(s string) {
					fmt.Fprintf(stderr, "%s adsim worker %s: %s\n", time.Now().Format("15:04:05.000"), name, s)
				}
			}
			if err := mc.Work(ctx, url, opt); err != nil {
				if ctx.Err() != nil && !ready {
					// Stopped while it connected: the error is the stop's (a cancelled context).
					return stopped()
				}
				return runError(natsError(err))
			}
			// The last line of a worker's log says why it ended and what it did.
			why := "--max-batches " + strconv.Itoa(maxBatches) + " reached"
			if ctx.Err() != nil {
				why = "stopped by " + stopCause(ctx)
			}
			bw := "batches"
			if batches == 1 {
				bw = "batch"
			}
			fmt.Fprintf(stderr, "adsim worker %s: %s after serving %d %s (%s)\n", name, why, batches, bw, plural(reps, "replication"))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&url, "nats", "", "the NATS server's `URL` (JetStream enabled), e.g. nats://host:4222")
	f.IntVar(&workers, "workers", 0, "parallel replications (default: GOMAXPROCS, all cores)")
	f.StringVar(&name, "name", "", "worker name in logs and results (default host/pid)")
	f.IntVar(&maxBatches, "max-batches", 0, "exit after this many batches (0: serve until interrupted)")
	f.BoolVarP(&verbose, "verbose", "v", false, "log every batch started and done, refused or dropped")
	auth.register(f)
	return cmd
}
