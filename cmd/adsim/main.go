// Command adsim is the command-line interface of the adsim layered air-defense simulator:
// run a scenario, validate scenario files, print the embedded examples and the catalog.
//
// Exit codes: 0 success, 1 run error, 2 bad input (a scenario or flag the user must fix).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
)

func main() {
	// Ctrl-C and SIGTERM are taken first, before any command reads or writes anything, so
	// that however early one comes the commands that save their work stop as documented
	// (interrupt.go); the others get the signals' default action back before they run.
	ctx, stop := signalContext()
	code := executeContext(ctx, defaultSignals, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK       = 0
	exitRunError = 1
	exitBadInput = 2
)

// exitError carries an exit code through cobra's error return.
type exitError struct {
	code int
	err  error
	said bool // already printed where it happened: exit with the code, say nothing more
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func badInput(err error) error { return &exitError{code: exitBadInput, err: err} }

func runError(err error) error { return &exitError{code: exitRunError, err: err} }

// saidRunError is runError for an error the command has printed already, before the results
// it could still give (an interrupted comparison's pairs so far).
func saidRunError(err error) error { return &exitError{code: exitRunError, err: err, said: true} }

// execute runs the CLI with args and returns the exit code; tests call it directly. It takes
// no signal: the commands run with a context that is never cancelled.
func execute(args []string, stdout, stderr io.Writer) int {
	return executeContext(context.Background(), nil, args, stdout, stderr)
}

// executeContext is execute with the context the commands that stop cleanly on Ctrl-C or
// SIGTERM run with (main's signalContext), and restore, which gives those signals their
// default action back before any other command runs (nil: there is nothing to give back).
func executeContext(ctx context.Context, restore func(), args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr, restore)
	root.SetArgs(args)
	return exitCode(root.ExecuteContext(ctx), stderr)
}

// exitCode prints err (unless the command printed it already) and returns the exit code.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	e, ok := err.(*exitError)
	if !ok || !e.said {
		fmt.Fprintln(stderr, "adsim:", err)
	}
	if ok {
		return e.code
	}
	// Cobra's own errors (unknown command or flag, wrong argument count) are bad input.
	return exitBadInput
}
