package mc

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"
)

// NATSAuth is how the coordinator and the workers log in to a NATS server that asks for it,
// and which certificates they trust. Every field is a file's path, so that no secret stands
// on a command line (where ps shows it), in a Kubernetes manifest or in a log: the files come
// from a mounted secret. A user and password, or a token, may instead stand in the URL
// (nats://user:password@host:4222); adsim never prints them (RedactURL). The zero value
// logs in with what the URL holds, and trusts the system's certificate authorities.
type NATSAuth struct {
	// Creds is a credentials file, a user JWT and its NKey seed as nsc and Synadia Cloud
	// write them: NATS decentralised authentication.
	Creds string
	// NKey is a file holding an NKey user seed ("SU..."), for a server whose users are
	// NKeys (authorization { users = [{nkey: U...}] }).
	NKey string
	// CA is a PEM file of the certificate authorities to trust for the server's TLS
	// certificate, for a server whose certificate a private authority signed.
	CA string
	// Cert and Key are a client certificate and its private key (PEM), for a server that
	// verifies its clients' certificates (tls { verify: true }).
	Cert, Key string
}

// Check reads the files a names, so that a missing or damaged one is reported before anything
// runs (and before an output directory is made), naming the field and the file; a study would
// otherwise fail only when it connects. Credentials and an NKey seed are two ways to log in:
// at most one may be given; a client certificate needs its key, and the key its certificate.
func (a NATSAuth) Check() error {
	switch {
	case a.Creds != "" && a.NKey != "":
		return errors.New("credentials file and NKey seed file: expected one of them (a .creds file holds its own NKey seed)")
	case a.Cert != "" && a.Key == "":
		return fmt.Errorf("client certificate %s: expected its private key too", a.Cert)
	case a.Key != "" && a.Cert == "":
		return fmt.Errorf("client key %s: expected its certificate too", a.Key)
	}
	if a.Creds != "" {
		b, err := os.ReadFile(a.Creds)
		if err != nil {
			return fmt.Errorf("credentials file: %w", err)
		}
		// The format nsc writes: a user JWT and an NKey seed, each between armour lines.
		for _, want := range []string{"-----BEGIN NATS USER JWT-----", "-----BEGIN USER NKEY SEED-----"} {
			if !bytes.Contains(b, []byte(want)) {
				return fmt.Errorf("credentials file %s: found no line %q; expected a NATS user credentials file (a user JWT and its NKey seed, as 'nsc generate creds' writes it)", a.Creds, want)
			}
		}
	}
	if a.NKey != "" {
		if _, err := os.Stat(a.NKey); err != nil {
			return fmt.Errorf("NKey seed file: %w", err)
		}
		if _, err := nats.NkeyOptionFromSeed(a.NKey); err != nil {
			return fmt.Errorf("NKey seed file %s: %w; expected a file holding a user seed (SU…, as 'nk -gen user' writes it)", a.NKey, err)
		}
	}
	if a.CA != "" {
		b, err := os.ReadFile(a.CA)
		if err != nil {
			return fmt.Errorf("certificate authorities: %w", err)
		}
		if !x509.NewCertPool().AppendCertsFromPEM(b) {
			return fmt.Errorf("certificate authorities %s: found no PEM certificate; expected one or more -----BEGIN CERTIFICATE----- blocks", a.CA)
		}
	}
	if a.Cert != "" {
		if _, err := tls.LoadX509KeyPair(a.Cert, a.Key); err != nil {
			return fmt.Errorf("client certificate %s and key %s: %w", a.Cert, a.Key, err)
		}
	}
	return nil
}

// options are the NATS client's options for a.
func (a NATSAuth) options() ([]nats.Option, error) {
	var opts []nats.Option
	if a.Creds != "" {
		opts = append(opts, nats.UserCredentials(a.Creds))
	}
	if a.NKey != "" {
		o, err := nats.NkeyOptionFromSeed(a.NKey)
		if err != nil {
			return nil, fmt.Errorf("NKey seed file %s: %w", a.NKey, err)
		}
		opts = append(opts, o)
	}
	if a.CA != "" {
		opts = append(opts, nats.RootCAs(a.CA))
	}
	if a.Cert != "" {
		opts = append(opts, nats.ClientCert(a.Cert, a.Key))
	}
	return opts, nil
}

// connectNATS connects to the server(s) at url as name, logged in as auth says. Its errors
// name the server without a password or token in it, and say what a refused login or an
// untrusted certificate asks for.
func connectNATS(url, name string, auth NATSAuth, extra ...nats.Option) (*nats.Conn, error) {
	opts, err := auth.options()
	if err != nil {
		return nil, fmt.Errorf("nats: %w", err)
	}
	nc, err := nats.Connect(url, append(append([]nats.Option{nats.Name(name)}, opts...), extra...)...)
	if err == nil {
		return nc, nil
	}
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	switch {
	case errors.Is(err, nats.ErrAuthorization) || errors.Is(err, nats.ErrAuthExpired) || errors.Is(err, nats.ErrAuthRevoked):
		return nil, fmt.Errorf("nats: %s refused the login (%w): %w", RedactURL(url), err, ErrNATSLogin)
	case errors.As(err, &unknownCA):
		return nil, fmt.Errorf("nats: connecting to %s: %w: %w", RedactURL(url), err, ErrNATSCertificate)
	case errors.As(err, &hostname):
		return nil, fmt.Errorf("nats: connecting to %s: %w (connect by a name the certificate holds)", RedactURL(url), err)
	}
	return nil, fmt.Errorf("nats: connecting to %s: %w", RedactURL(url), err)
}

// ErrNATSLogin is in the error of a connection whose server refused the login: the server
// asks for credentials adsim did not give, or refused those it gave (NATSAuth).
var ErrNATSLogin = errors.New("the server asks for credentials adsim did not give, or refused those it gave")

// ErrNATSCertificate is in the error of a connection whose server's TLS certificate no trusted
// authority signed (NATSAuth.CA names the authority to trust).
var ErrNATSCertificate = errors.New("the server's certificate is signed by an authority adsim does not trust")

// RedactURL is url, one NATS server or a comma-separated list of them, with each server's
// password, or its token (a user without a password is a token to NATS), replaced by
// "xxxxx": for logs, messages and summaries, which must not carry secrets.
func RedactURL(url string) string {
	parts := strings.Split(url, ",")
	for i, p := range parts {
		// The authority starts after "scheme://", after "//" (a URL without its scheme), or
		// at the start (host:port, which the client reads as nats://host:port).
		scheme, rest, ok := strings.Cut(p, "://")
		switch trimmed := strings.TrimLeft(p, " \t"); {
		case ok && isScheme(strings.TrimLeft(scheme, " \t")):
			scheme += "://"
		case strings.HasPrefix(trimmed, "//"):
			scheme, rest = p[:len(p)-len(trimmed)+2], trimmed[2:]
		default:
			scheme, rest = "", p
		}
		host := rest
		if k := strings.IndexAny(rest, "/?#"); k >= 0 {
			host = rest[:k]
		}
		at := strings.LastIndex(host, "@")
		if at < 0 {
			continue
		}
		user, _, hasPassword := strings.Cut(host[:at], ":")
		if hasPassword {
			user += ":xxxxx"
		} else {
			user = "xxxxx"
		}
		parts[i] = scheme + user + rest[at:]
	}
	return strings.Join(parts, ",")
}

// NATSPublishSubjects and NATSSubscribeSubjects are the subjects the coordinator and the
// workers publish and subscribe to, for a server that limits its users to what they need
// (authorization { users = [{user: adsim, permissions: {publish: [...], subscribe: [...]}}] }):
// adsim's own, JetStream's API, acknowledgements and flow control, the coordinators' key-value
// bucket, and the reply inboxes.
var (
	NATSPublishSubjects   = []string{"adsim.>", "$JS.API.>", "$JS.ACK.>", "$JS.FC.>", "$KV." + CoordinatorsBucket + ".>", "_INBOX.>"}
	NATSSubscribeSubjects = []string{"adsim.>", "_INBOX.>"}
)

// isScheme reports whether s is a URL scheme (RFC 3986, 3.1): a letter, then letters, digits,
// "+", "-" or ".".
func isScheme(s string) bool {
	for i, c := range s {
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && (i == 0 || !('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return s != ""
}

// refusals keeps, and logs, the first subject the server refused a connection (a permissions
// violation): nats.go reports it apart from the request that met it, which would then fail with
// nothing but JetStream's timeout (5 s); the refusal ends the setup's requests at once instead
// (stop). Other errors the server reports on the connection go to log too.
type refusals struct {
	log   func(format string, args ...any)
	stop  context.CancelCauseFunc // cancels the context of the setup's requests; nil: none
	mu    sync.Mutex
	first error
}

// newRefusals is a refusals logging to log, and the context, derived from ctx, for the requests
// that set up a connection's streams and buckets, which the first refusal cancels: without the
// subjects those requests use the study cannot run. Call done when the setup is over.
func newRefusals(ctx context.Context, log func(format string, args ...any)) (r *refusals, setup context.Context, done func()) {
	setup, stop := context.WithCancelCause(ctx)
	return &refusals{log: log, stop: stop}, setup, func() { stop(nil) }
}

// option is the connection's error handler.
func (r *refusals) option() nats.Option {
	return nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
		if errors.Is(err, nats.ErrPermissionViolation) {
			r.mu.Lock()
			first := r.first == nil
			if first {
				r.first = err
			}
			r.mu.Unlock()
			if first {
				r.log("the server refused a subject: %v", err)
				if r.stop != nil {
					r.stop(err)
				}
			}
			return
		}
		r.log("the server reports: %v", err)
	})
}

// explain is err with the subject the server refused, if it refused one: that is the cause.
func (r *refusals) explain(err error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err == nil || r.first == nil {
		return err
	}
	return fmt.Errorf("%w; the server refused a subject adsim needs (%w): give adsim's user the subjects docs/results.md lists (\"Securing the server\"; mc.NATSPublishSubjects, mc.NATSSubscribeSubjects)", err, r.first)
}

// NATSUser is an NKey user for adsim's coordinators and workers: the seed they log in with
// (NATSAuth.NKey, --nats-nkey) and the public key a server admits (NATSServerConfig).
type NATSUser struct {
	// Seed is the user's private seed ("SU…"), the file's whole content: a secret.
	Seed []byte
	// PublicKey is the user's public key ("U…"), which the server's configuration names.
	PublicKey string
}

// NewNATSUser makes a new NKey user. Its key comes from crypto/rand (nkeys.CreateUser): it is
// a secret, not a simulation draw, so it is deliberately not from a seeded stream.
func NewNATSUser() (NATSUser, error) {
	kp, err := nkeys.CreateUser()
	if err != nil {
		return NATSUser{}, fmt.Errorf("making an NKey user: %w", err)
	}
	seed, err := kp.Seed()
	if err != nil {
		return NATSUser{}, fmt.Errorf("making an NKey user: %w", err)
	}
	pub, err := kp.PublicKey()
	if err != nil {
		return NATSUser{}, fmt.Errorf("making an NKey user: %w", err)
	}
	return NATSUser{Seed: append(append([]byte{}, seed...), '\n'), PublicKey: pub}, nil
}

// NATSServerSettings is what NATSServerConfig writes into a server's configuration.
type NATSServerSettings struct {
	// StoreDir is the server's JetStream storage directory.
	StoreDir string
	// Users are the public keys (U…) of the NKey users admitted, each to adsim's subjects only.
	Users []string
	// TLSCert and TLSKey are the server's certificate and private key files (PEM), as paths the
	// server opens: TLS on every connection. Both or neither.
	TLSCert, TLSKey string
}

// NATSServerConfig is a nats-server configuration file for adsim alone: JetStream on, storing
// in s.StoreDir; the NKey users s.Users, each allowed to publish NATSPublishSubjects and to
// subscribe to NATSSubscribeSubjects and nothing else, so that a leaked seed lets no one do
// more on the server than run adsim's studies; and TLS when s names a certificate. Every string
// is quoted: in the configuration language an unquoted "$JS" would be a variable.
func NATSServerConfig(s NATSServerSettings) (string, error) {
	if err := quotablePath("JetStream store directory", s.StoreDir); err != nil {
		return "", err
	}
	if (s.TLSCert == "") != (s.TLSKey == "") {
		return "", fmt.Errorf("TLS certificate %q and key %q: expected both or neither", s.TLSCert, s.TLSKey)
	}
	if s.TLSCert != "" {
		if err := quotablePath("TLS certificate", s.TLSCert); err != nil {
			return "", err
		}
		if err := quotablePath("TLS key", s.TLSKey); err != nil {
			return "", err
		}
	}
	if len(s.Users) == 0 {
		return "", errors.New("no NKey user: expected at least one public key (U…)")
	}
	quoted := func(subjects []string) string {
		q := make([]string, len(subjects))
		for i, s := range subjects {
			q[i] = strconv.Quote(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# nats-server configuration for adsim's distributed studies (adsim nats-config):\n")
	fmt.Fprintf(&b, "# JetStream, and NKey users allowed adsim's subjects only (docs/results.md,\n")
	fmt.Fprintf(&b, "# \"Securing the server\"). Start it with: nats-server -c FILE\n")
	fmt.Fprintf(&b, "jetstream {\n  store_dir: %q\n}\n", s.StoreDir)
	if s.TLSCert != "" {
		fmt.Fprintf(&b, "tls {\n  cert_file: %q\n  key_file: %q\n}\n", s.TLSCert, s.TLSKey)
	}
	fmt.Fprintf(&b, "authorization {\n  users = [\n")
	for _, u := range s.Users {
		if !nkeys.IsValidPublicUserKey(u) {
			return "", fmt.Errorf("NKey user %q: expected a user's public key (U… as 'nk -gen user -pubout' prints it)", u)
		}
		fmt.Fprintf(&b, "    {\n      nkey: %q\n      permissions: {\n", u)
		fmt.Fprintf(&b, "        publish: %s\n", quoted(NATSPublishSubjects))
		fmt.Fprintf(&b, "        subscribe: %s\n      }\n    }\n", quoted(NATSSubscribeSubjects))
	}
	fmt.Fprintf(&b, "  ]\n}\n")
	return b.String(), nil
}

// quotablePath refuses a path that cannot stand in a configuration's quoted string as Go
// quotes it: an empty one, or one Go would have to escape (a quote, a backslash, a control or
// unprintable character), since the server would read the escape literally.
func quotablePath(what, path string) error {
	if path == "" || strconv.Quote(path) != `"`+path+`"` {
		return fmt.Errorf("%s %q: expected a non-empty path without quotes, backslashes, control characters or other characters that need escaping", what, path)
	}
	return nil
}
