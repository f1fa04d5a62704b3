package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"

	"github.com/adsim/adsim/internal/natstest"
)

// TestNATSConfigCmd: 'adsim nats-config' writes a seed only its owner may read and a server
// configuration naming that seed's user; a server started from the file (nats-server's own
// parser) serves a worker and a coordinator logged in with the seed, and refuses them without.
// It never overwrites a file, and refuses what it cannot write, writing nothing.
func TestNATSConfigCmd(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nats")
	code, out, errs := runCLI(t, "nats-config", "--out", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	seedFile, confFile := filepath.Join(dir, "user.nk"), filepath.Join(dir, "nats.conf")
	seed, err := os.ReadFile(seedFile)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(seedFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("user.nk: %v, mode %v; want 0600, a secret", err, fi.Mode().Perm())
	}
	kp, err := nkeys.FromSeed([]byte(strings.TrimSpace(string(seed))))
	if err != nil {
		t.Fatalf("user.nk is not an NKey seed: %v", err)
	}
	pub, _ := kp.PublicKey()
	for _, want := range []string{confFile, seedFile, pub, "--nats-nkey " + seedFile} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	opts, err := server.ProcessConfigFile(confFile)
	if err != nil {
		t.Fatalf("nats-server cannot read nats.conf: %v", err)
	}
	if len(opts.Nkeys) != 1 || opts.Nkeys[0].Nkey != pub {
		t.Fatalf("nats.conf admits %v, want the seed's user %s", opts.Nkeys, pub)
	}
	if want := filepath.Join(dir, "jetstream"); opts.StoreDir != want || !opts.JetStream {
		t.Errorf("JetStream %v in %q, want on in %q (--store-dir's default)", opts.JetStream, opts.StoreDir, want)
	}
	url := natstest.StartWith(t, opts.StoreDir, func(o *server.Options) { o.Nkeys = opts.Nkeys })
	worker := make(chan string, 1)
	go func() {
		code, _, errs := runCLI(t, "worker", "--nats", url, "--nats-nkey", seedFile, "--max-batches", "1", "--workers", "1")
		if code != exitOK {
			errs = fmt.Sprintf("exit %d: %s", code, errs)
		}
		worker <- errs
	}()
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "2", "--batch", "2", "--nats", url, "--nats-nkey", seedFile, "-q"); code != exitOK {
		t.Fatalf("mc logged in with the seed: exit %d: %s", code, errs)
	}
	if errs := <-worker; strings.HasPrefix(errs, "exit ") {
		t.Fatalf("worker logged in with the seed: %s", errs)
	}
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "2", "--nats", url, "--no-progress"); code != exitRunError || !strings.Contains(errs, "refused the login") {
		t.Errorf("mc without the seed: exit %d, want %d and a refused login: %s", code, exitRunError, errs)
	}

	// Again into the same directory: refused, and the seed is untouched.
	code, _, errs = runCLI(t, "nats-config", "--out", dir)
	if code != exitBadInput || !strings.Contains(errs, "found "+confFile+" already") {
		t.Errorf("into a directory with nats.conf: exit %d, want %d naming the file: %s", code, exitBadInput, errs)
	}
	if again, _ := os.ReadFile(seedFile); string(again) != string(seed) {
		t.Error("the seed was overwritten")
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"nats-config"}, "--out DIR is required"},
		{[]string{"nats-config", "--out", filepath.Join(t.TempDir(), "x"), "--store-dir", `/data/"x`}, "without quotes"},
		{[]string{"nats-config", "--out", filepath.Join(t.TempDir(), "x"), "extra"}, "expected no arguments"},
		{[]string{"nats-config", "--out", filepath.Join(t.TempDir(), "x"), "--tls-host", ""}, "--tls-host is empty"},
		{[]string{"nats-config", "--out", seedFile}, "found a file; expected a directory"},
		{[]string{"nats-config", "--out", filepath.Join(t.TempDir(), "x"), "--tls-host", "nats.example.org:4222"}, "no scheme or port"},
	} {
		code, _, errs := runCLI(t, c.args...)
		if code != exitBadInput || !strings.Contains(errs, c.want) {
			t.Errorf("%q: exit %d, want %d with %q: %s", c.args, code, exitBadInput, c.want, errs)
		}
		if len(c.args) > 2 && c.args[1] == "--out" && filepath.Base(c.args[2]) == "x" { // a fresh --out
			if _, err := os.Stat(c.args[2]); err == nil {
				t.Errorf("%q: wrote %s, want nothing written", c.args, c.args[2])
			}
		}
	}
}

// TestNATSConfigCmdTLS: with --tls-host, 'adsim nats-config' also writes an authority, and a
// certificate and key for the server that nats.conf names (in --server-dir); a server started
// from the file serves a worker and a coordinator over TLS that trust the authority with
// --nats-ca, and refuses one that does not.
func TestNATSConfigCmdTLS(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nats")
	code, out, errs := runCLI(t, "nats-config", "--out", dir, "--tls-host", "localhost,127.0.0.1")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	seed, ca := filepath.Join(dir, "user.nk"), filepath.Join(dir, "ca.pem")
	for name, perm := range map[string]os.FileMode{"ca.pem": 0o644, "server-cert.pem": 0o644, "server-key.pem": 0o600, "user.nk": 0o600, "nats.conf": 0o644} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Mode().Perm() != perm {
			t.Errorf("%s: %v, want mode %v", name, err, perm)
		}
	}
	if want := "--nats tls://localhost:4222 --nats-nkey " + seed + " --nats-ca " + ca; !strings.Contains(out, want) {
		t.Errorf("the output lacks %q:\n%s", want, out)
	}
	opts, err := server.ProcessConfigFile(filepath.Join(dir, "nats.conf"))
	if err != nil {
		t.Fatalf("nats-server cannot read nats.conf (it loads the certificate and key it names): %v", err)
	}
	if opts.TLSConfig == nil {
		t.Fatal("nats.conf does not turn TLS on")
	}
	url := natstest.StartWith(t, opts.StoreDir, func(o *server.Options) {
		o.Nkeys, o.TLSConfig, o.TLSTimeout = opts.Nkeys, opts.TLSConfig, opts.TLSTimeout
	})
	url = strings.Replace(strings.Replace(url, "nats://", "tls://", 1), "127.0.0.1", "localhost", 1)
	worker := make(chan string, 1)
	go func() {
		code, _, errs := runCLI(t, "worker", "--nats", url, "--nats-nkey", seed, "--nats-ca", ca, "--max-batches", "1", "--workers", "1")
		if code != exitOK {
			errs = fmt.Sprintf("exit %d: %s", code, errs)
		}
		worker <- errs
	}()
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "2", "--batch", "2", "--nats", url, "--nats-nkey", seed, "--nats-ca", ca, "-q"); code != exitOK {
		t.Fatalf("mc over TLS: exit %d: %s", code, errs)
	}
	if errs := <-worker; strings.HasPrefix(errs, "exit ") {
		t.Fatalf("worker over TLS: %s", errs)
	}
	if code, _, errs := runCLI(t, "mc", smallScenario, "-n", "2", "--nats", url, "--nats-nkey", seed, "--no-progress"); code != exitRunError || !strings.Contains(errs, "--nats-ca FILE") {
		t.Errorf("mc without --nats-ca: exit %d, want %d and the advice to give it: %s", code, exitRunError, errs)
	}

	// --server-dir: nats.conf names the files where the server will find them.
	dir2 := filepath.Join(t.TempDir(), "elsewhere")
	if code, _, errs := runCLI(t, "nats-config", "--out", dir2, "--tls-host", "nats.example.org", "--server-dir", "/etc/nats"); code != exitOK {
		t.Fatalf("--server-dir: exit %d: %s", code, errs)
	}
	conf, _ := os.ReadFile(filepath.Join(dir2, "nats.conf"))
	for _, want := range []string{`cert_file: "/etc/nats/server-cert.pem"`, `key_file: "/etc/nats/server-key.pem"`, `store_dir: "/etc/nats/jetstream"`} {
		if !strings.Contains(string(conf), want) {
			t.Errorf("with --server-dir /etc/nats, nats.conf lacks %q:\n%s", want, conf)
		}
	}
}
