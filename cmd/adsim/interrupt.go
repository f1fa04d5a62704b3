package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/adsim/adsim/mc"
)

// Ctrl-C (SIGINT) and SIGTERM — what Kubernetes and Slurm send a job they stop or preempt —
// are taken by main before anything else (signalContext). The commands that save their work
// on an interruption (mc, compare, sweep, sensitivity, merge, worker: interruptible) run with
// that context as cmd.Context(): however early a signal comes, even while they read their
// scenario or what an earlier run saved, they stop as documented, with their exit status and
// a message saying what is kept, never by the signal's default action (exit 143 for SIGTERM,
// 130 for Ctrl-C, nothing said), as they did when it came before their set-up was done. They
// check the context where their set-up ends, before they write anything (stoppedBeforeStart).
// The other commands get the default action back before they run (keepSignals): Ctrl-C
// stops them at once, as it always did.
//
// Only a signal in the first milliseconds of the process, before main runs (while the Go
// runtime starts and initialises the packages: about 5 ms, more on a loaded machine), still
// has the default action; nothing has been read or written then.

// signalContext is cancelled by Ctrl-C (SIGINT) or SIGTERM, so that work done so far can be
// saved; stop gives the signals their default action back.
func signalContext() (ctx context.Context, stop context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// defaultSignals gives Ctrl-C and SIGTERM their default action back, without cancelling the
// context of signalContext (as its stop would).
func defaultSignals() { signal.Reset(os.Interrupt, syscall.SIGTERM) }

// interruptibleKey is the annotation of the commands that stop cleanly on Ctrl-C or SIGTERM.
const interruptibleKey = "adsim-interruptible"

// interruptible is the Annotations of a command that runs with main's signal context
// (cmd.Context()) and stops cleanly when it is cancelled.
func interruptible() map[string]string { return map[string]string{interruptibleKey: "yes"} }

// keepSignals gives Ctrl-C and SIGTERM their default action back (restore: defaultSignals;
// nil: they were not taken) before a command that is not interruptible runs. Should one have
// come already, between adsim's start and this, the command does not run.
func keepSignals(cmd *cobra.Command, restore func()) error {
	if restore == nil || cmd.Annotations[interruptibleKey] != "" {
		return nil
	}
	restore()
	if ctx := cmd.Context(); ctx != nil && mc.SignalName(context.Cause(ctx)) != "" {
		return runError(fmt.Errorf("stopped by %s before %s started", stopCause(ctx), cmd.CommandPath()))
	}
	return nil
}

// stopCause says in words what stopped a run whose context is ctx (signalContext): Ctrl-C,
// SIGTERM, or, should neither have, a cancellation.
func stopCause(ctx context.Context) string {
	if s := mc.SignalName(context.Cause(ctx)); s != "" {
		return s
	}
	return "a cancellation"
}

// stoppedBeforeStart is the error (exit 1, as for any interruption) of a command that ctx
// stopped before it ran any unit (a replication, a point, a factor) or wrote anything: label
// begins the message as the run's other lines, and kept says what is saved, or left as it was.
func stoppedBeforeStart(ctx context.Context, label, unit, kept string) error {
	return runError(fmt.Errorf("%s: stopped by %s before any %s ran; %s", label, stopCause(ctx), unit, kept))
}
