package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/adsim/adsim/mc"
)

// natsTLSValidity is how long the certificates of 'adsim nats-config --tls-host' are valid.
const natsTLSValidity = 2 * 365 * 24 * time.Hour

// newNATSConfigCmd makes a NATS user for distributed studies and the server configuration that
// admits it to adsim's subjects only (mc.NewNATSUser, mc.NATSServerConfig), with TLS on request
// (mc.NewNATSTLS).
func newNATSConfigCmd(stdout io.Writer) *cobra.Command {
	var (
		out, store, serverDir string
		hosts                 []string
	)
	cmd := &cobra.Command{
		Use:   "nats-config --out DIR",
		Short: "Make a NATS user for distributed studies, and a server configuration that admits it to adsim's subjects only",
		Long: `Write into DIR (made if missing) the files of a NATS server that asks adsim for a login:

  nats.conf        a nats-server configuration: JetStream storing in --store-dir, and one
                   NKey user allowed to publish and subscribe to the subjects adsim uses and
                   nothing else (docs/results.md, "Securing the server")
  user.nk          that user's seed, a secret (readable by you only): give it to every
                   coordinator and worker with --nats-nkey

and with --tls-host, TLS on every connection, from a private certificate authority made here
(its own key is not kept) for the names or addresses given, valid two years:

  ca.pem           the authority's certificate: give it to every coordinator and worker
                   with --nats-ca, and connect by one of the hosts (tls://HOST:4222)
  server-cert.pem  the server's certificate and its key (a secret, readable by you only),
  server-key.pem   which nats.conf names

No file may exist already: a seed or key in use is never overwritten. The login is a signed
challenge, so the seed never crosses the network; without TLS the study's traffic does, in
clear. nats.conf names its files as the server finds them: in --server-dir (default: DIR).
On Kubernetes: --out deploy/kubernetes/login --store-dir /data --server-dir /etc/nats-config
--tls-host adsim-nats, then kubectl apply -k deploy/kubernetes (its kustomization.yaml says
how).`,
		Example: `  adsim nats-config --out nats
  nats-server -c nats/nats.conf &
  adsim worker --nats nats://localhost:4222 --nats-nkey nats/user.nk &
  adsim mc capital -n 10000 --nats nats://localhost:4222 --nats-nkey nats/user.nk

  adsim nats-config --out nats --tls-host nats.example.org      # across networks
  adsim worker --nats tls://nats.example.org:4222 --nats-nkey nats/user.nk --nats-ca nats/ca.pem`,
		Args: argCount(0, 0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return badInput(errors.New("--out DIR is required: the directory to write nats.conf and user.nk into"))
			}
			if cmd.Flags().Changed("tls-host") && len(hosts) == 0 {
				return badInput(errors.New("--tls-host is empty (an unset variable?); expected a DNS name or an IP address clients connect to the server by"))
			}
			if serverDir == "" {
				abs, err := filepath.Abs(out)
				if err != nil {
					return badInput(fmt.Errorf("--out %s: %w", out, err))
				}
				serverDir = abs
			}
			if store == "" {
				store = filepath.Join(serverDir, "jetstream")
			}
			if fi, err := os.Stat(out); err == nil && !fi.IsDir() {
				return badInput(fmt.Errorf("--out %s: found a file; expected a directory (made if missing)", out))
			}
			names := []string{"nats.conf", "user.nk"}
			if len(hosts) > 0 {
				names = append(names, "ca.pem", "server-cert.pem", "server-key.pem")
			}
			for _, name := range names {
				p := filepath.Join(out, name)
				if _, err := os.Lstat(p); err == nil {
					return badInput(fmt.Errorf("--out %s: found %s already; expected a directory without %s (a seed or key in use is never overwritten): remove them or give another --out", out, p, strings.Join(names, ", ")))
				} else if !errors.Is(err, fs.ErrNotExist) {
					return badInput(fmt.Errorf("--out %s: %w", out, err))
				}
			}
			user, err := mc.NewNATSUser()
			if err != nil {
				return runError(err)
			}
			settings := mc.NATSServerSettings{StoreDir: store, Users: []string{user.PublicKey}}
			files := map[string][]byte{"user.nk": user.Seed}
			var tl mc.NATSTLS
			if len(hosts) > 0 {
				if tl, err = mc.NewNATSTLS(hosts, time.Now(), natsTLSValidity); err != nil {
					return badInput(fmt.Errorf("--tls-host: %w", err))
				}
				files["ca.pem"], files["server-cert.pem"], files["server-key.pem"] = tl.CA, tl.Cert, tl.Key
				settings.TLSCert, settings.TLSKey = filepath.Join(serverDir, "server-cert.pem"), filepath.Join(serverDir, "server-key.pem")
			}
			text, err := mc.NATSServerConfig(settings)
			if err != nil {
				return badInput(fmt.Errorf("--store-dir or --server-dir: %w", err))
			}
			files["nats.conf"] = []byte(text)
			if err := os.MkdirAll(out, 0o755); err != nil {
				return runError(fmt.Errorf("--out: %w", err))
			}
			var written []string
			for _, name := range names {
				perm := os.FileMode(0o644)
				if name == "user.nk" || name == "server-key.pem" {
					perm = 0o600
				}
				p := filepath.Join(out, name)
				if err := writeNew(p, files[name], perm); err != nil {
					for _, w := range written {
						os.Remove(w) // ours, made just now: one without the others is of no use
					}
					return runError(err)
				}
				written = append(written, p)
			}
			conf, seed, ca := filepath.Join(out, "nats.conf"), filepath.Join(out, "user.nk"), filepath.Join(out, "ca.pem")
			scheme, host, caFlag := "nats", "HOST", ""
			fmt.Fprintf(stdout, "nats-config: wrote %s, a nats-server configuration: JetStream storing in %s, one NKey user (%s) allowed adsim's subjects only", conf, store, user.PublicKey)
			if len(hosts) > 0 {
				scheme, host, caFlag = "tls", hosts[0], " --nats-ca "+ca
				fmt.Fprintf(stdout, ", TLS with %s", settings.TLSCert)
			}
			fmt.Fprintln(stdout)
			fmt.Fprintf(stdout, "nats-config: wrote %s, that user's seed: a secret; give it to every coordinator and worker with --nats-nkey\n", seed)
			if len(hosts) > 0 {
				fmt.Fprintf(stdout, "nats-config: wrote %s, the authority that signed the server's certificate (for %s, valid until %s): give it to every coordinator and worker with --nats-ca\n",
					ca, strings.Join(hosts, ", "), tl.NotAfter.Format("2006-01-02"))
				fmt.Fprintf(stdout, "nats-config: wrote %s and %s (a secret), the server's certificate and key\n", filepath.Join(out, "server-cert.pem"), filepath.Join(out, "server-key.pem"))
			}
			fmt.Fprintf(stdout, "  nats-server -c %s\n", conf)
			fmt.Fprintf(stdout, "  adsim worker --nats %s://%s:4222 --nats-nkey %s%s\n", scheme, host, seed, caFlag)
			fmt.Fprintf(stdout, "  adsim mc SCENARIO --nats %s://%s:4222 --nats-nkey %s%s\n", scheme, host, seed, caFlag)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&out, "out", "", "write nats.conf and user.nk (with --tls-host, ca.pem, server-cert.pem and server-key.pem too) into this `DIR`")
	fl.StringVar(&store, "store-dir", "", "the server's JetStream storage `DIR` (default: jetstream in --server-dir)")
	fl.StringVar(&serverDir, "server-dir", "", "the `DIR` the server finds the files of --out in, as nats.conf names them (default: --out, made absolute)")
	fl.StringSliceVar(&hosts, "tls-host", nil, "turn TLS on, with a certificate for this `HOST` (a DNS name or an IP address clients connect by; repeat or separate with commas)")
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
