package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/adsim/adsim/mc"
)

// newNATSConfigCmd makes a NATS user for distributed studies and the server configuration that
// admits it to adsim's subjects only (mc.NewNATSUser, mc.NATSServerConfig).
func newNATSConfigCmd(stdout io.Writer) *cobra.Command {
	var out, store string
	cmd := &cobra.Command{
		Use:   "nats-config --out DIR",
		Short: "Make a NATS user for distributed studies, and a server configuration that admits it to adsim's subjects only",
		Long: `Write two files into DIR (made if missing) for a NATS server that asks adsim for a login:

  nats.conf  a nats-server configuration: JetStream storing in --store-dir, and one NKey user
             allowed to publish and subscribe to the subjects adsim uses and nothing else
             (docs/results.md, "Securing the server")
  user.nk    that user's seed, a secret (readable by you only): give it to every coordinator
             and worker with --nats-nkey

Neither file may exist already: a seed that workers log in with is never overwritten. The
login is a signed challenge, so the seed never crosses the network; the study's traffic does,
in clear, unless the server has TLS (give it a tls {} block and the clients --nats-ca). On
Kubernetes: --out deploy/kubernetes/login --store-dir /data, then kubectl apply -k
deploy/kubernetes (its kustomization.yaml says how).`,
		Example: `  adsim nats-config --out nats
  nats-server -c nats/nats.conf &
  adsim worker --nats nats://localhost:4222 --nats-nkey nats/user.nk &
  adsim mc capital -n 10000 --nats nats://localhost:4222 --nats-nkey nats/user.nk`,
		Args: argCount(0, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return badInput(errors.New("--out DIR is required: the directory to write nats.conf and user.nk into"))
			}
			if store == "" {
				abs, err := filepath.Abs(out)
				if err != nil {
					return badInput(fmt.Errorf("--out %s: %w", out, err))
				}
				store = filepath.Join(abs, "jetstream")
			}
			conf := filepath.Join(out, "nats.conf")
			seed := filepath.Join(out, "user.nk")
			for _, p := range []string{conf, seed} {
				if _, err := os.Lstat(p); err == nil {
					return badInput(fmt.Errorf("--out %s: found %s already; expected a directory without nats.conf and user.nk (a seed in use is never overwritten): remove them or give another --out", out, p))
				} else if !errors.Is(err, fs.ErrNotExist) {
					return badInput(fmt.Errorf("--out %s: %w", out, err))
				}
			}
			user, err := mc.NewNATSUser()
			if err != nil {
				return runError(err)
			}
			text, err := mc.NATSServerConfig(store, user.PublicKey)
			if err != nil {
				return badInput(fmt.Errorf("--store-dir: %w", err))
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return runError(fmt.Errorf("--out: %w", err))
			}
			if err := writeNew(seed, user.Seed, 0o600); err != nil {
				return runError(err)
			}
			if err := writeNew(conf, []byte(text), 0o644); err != nil {
				os.Remove(seed) // ours, made just now: without its configuration it admits no one
				return runError(err)
			}
			fmt.Fprintf(stdout, "nats-config: wrote %s, a nats-server configuration: JetStream storing in %s, one NKey user (%s) allowed adsim's subjects only\n", conf, store, user.PublicKey)
			fmt.Fprintf(stdout, "nats-config: wrote %s, that user's seed: a secret; give it to every coordinator and worker with --nats-nkey\n", seed)
			fmt.Fprintf(stdout, "  nats-server -c %s\n", conf)
			fmt.Fprintf(stdout, "  adsim worker --nats nats://HOST:4222 --nats-nkey %s\n", seed)
			fmt.Fprintf(stdout, "  adsim mc SCENARIO --nats nats://HOST:4222 --nats-nkey %s\n", seed)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&out, "out", "", "write nats.conf and user.nk into this `DIR`")
	fl.StringVar(&store, "store-dir", "", "the server's JetStream storage `DIR` (default: DIR/jetstream under --out, made absolute)")
	return cmd
}

// writeNew writes data to a new file at path with mode perm; it fails if the file exists.
func writeNew(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
