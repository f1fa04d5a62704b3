package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/adsim/adsim/mc"
)

// natsAuthFlags are the login and TLS files of a NATS server that asks for them, shared by
// the coordinators (mc, compare, sweep, sensitivity) and 'adsim worker' (mc.NATSAuth).
type natsAuthFlags struct {
	auth  mc.NATSAuth
	flags *pflag.FlagSet
}

// natsAuthNames are the flags' names, in the order they are registered.
var natsAuthNames = []string{"nats-creds", "nats-nkey", "nats-ca", "nats-cert", "nats-key"}

func (a *natsAuthFlags) register(fl *pflag.FlagSet) {
	a.flags = fl
	fl.StringVar(&a.auth.Creds, "nats-creds", "", "log in to the NATS server with this credentials `FILE` (a user JWT and NKey seed, as nsc writes it)")
	fl.StringVar(&a.auth.NKey, "nats-nkey", "", "log in to the NATS server with the NKey user seed in this `FILE`")
	fl.StringVar(&a.auth.CA, "nats-ca", "", "trust the certificate authorities in this PEM `FILE` for the NATS server's TLS certificate")
	fl.StringVar(&a.auth.Cert, "nats-cert", "", "present this client certificate (PEM `FILE`) to a NATS server that verifies its clients; with --nats-key")
	fl.StringVar(&a.auth.Key, "nats-key", "", "the client certificate's private key (PEM `FILE`); with --nats-cert")
}

// given is the first of the flags given, or "".
func (a *natsAuthFlags) given() string {
	for _, name := range natsAuthNames {
		if a.flags.Changed(name) {
			return name
		}
	}
	return ""
}

// check refuses the flags without --nats (they would do nothing) and reads the files they
// name, before anything runs.
func (a *natsAuthFlags) check(natsURL string) error {
	if natsURL == "" {
		if name := a.given(); name != "" {
			return badInput(fmt.Errorf("--%s applies to distributed runs only: give --nats URL too, or leave --%s out", name, name))
		}
		return nil
	}
	// An empty file name is refused with every empty flag value (flagerr.go).
	x := a.auth
	switch {
	case x.Creds != "" && x.NKey != "":
		return badInput(errors.New("--nats-creds and --nats-nkey: expected one of them (a credentials file holds its own NKey seed)"))
	case x.Cert != "" && x.Key == "":
		return badInput(fmt.Errorf("--nats-cert %s: expected --nats-key FILE too, the certificate's private key", x.Cert))
	case x.Key != "" && x.Cert == "":
		return badInput(fmt.Errorf("--nats-key %s: expected --nats-cert FILE too, the certificate of that key", x.Key))
	}
	// Each file on its own, so that the error names its flag.
	for _, c := range []struct {
		flag string
		auth mc.NATSAuth
	}{
		{"--nats-creds", mc.NATSAuth{Creds: x.Creds}},
		{"--nats-nkey", mc.NATSAuth{NKey: x.NKey}},
		{"--nats-ca", mc.NATSAuth{CA: x.CA}},
		{"--nats-cert and --nats-key", mc.NATSAuth{Cert: x.Cert, Key: x.Key}},
	} {
		if err := c.auth.Check(); err != nil {
			return badInput(fmt.Errorf("%s: %w", c.flag, err))
		}
	}
	return nil
}

// natsError is err with what to do about a refused login or an untrusted certificate, in the
// command's own flags.
func natsError(err error) error {
	switch {
	case errors.Is(err, mc.ErrNATSLogin):
		return fmt.Errorf("%w; give --nats-creds FILE or --nats-nkey FILE, or user:password@ in the URL, as the server's configuration asks (docs/results.md, \"Securing the server\")", err)
	case errors.Is(err, mc.ErrNATSCertificate):
		return fmt.Errorf("%w; give the authority's certificate with --nats-ca FILE (docs/results.md, \"Securing the server\")", err)
	}
	return err
}

// hintingNATS is mc.NATS whose errors say what to do about a refused login or an untrusted
// certificate in the coordinator's own flags (natsError).
type hintingNATS struct{ mc.NATS }

// Execute implements mc.Executor.
func (h hintingNATS) Execute(ctx context.Context, st *mc.Study, reps mc.Range, emit func(mc.Row) error) error {
	return natsError(h.NATS.Execute(ctx, st, reps, emit))
}
