package mc

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"

	"github.com/adsim/adsim/internal/natstest"
)

func TestRedactURL(t *testing.T) {
	cases := []struct{ in, want string }{
		{"nats://host:4222", "nats://host:4222"},
		{"host:4222", "host:4222"},
		{"nats://alice:s3cret@host:4222", "nats://alice:xxxxx@host:4222"},
		{"nats://s3cret-token@host:4222", "nats://xxxxx@host:4222"},
		{"alice:s3cret@host:4222", "alice:xxxxx@host:4222"},
		{"tls://alice:p@ss@host:4222", "tls://alice:xxxxx@host:4222"}, // the last @ ends the user
		{"wss://alice:s3cret@host/nats?x=a@b", "wss://alice:xxxxx@host/nats?x=a@b"},
		{"ws://host/path@not-a-user", "ws://host/path@not-a-user"},
		{"//alice:s3cret@host:4222", "//alice:xxxxx@host:4222"},
		{"//alice:s3cret@host/x://y", "//alice:xxxxx@host/x://y"}, // the first "://" is not after a scheme
		{"nats://a:one@h1:4222, nats://h2:4222,nats://two@h3:4222", "nats://a:xxxxx@h1:4222, nats://h2:4222,nats://xxxxx@h3:4222"},
		{"", ""},
	}
	for _, c := range cases {
		if got := RedactURL(c.in); got != c.want {
			t.Errorf("RedactURL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// authFiles are credentials and certificates made for a test, in files as an operator would
// mount them.
type authFiles struct {
	dir                          string
	seed, userPub                string // an NKey user: its seed file and public key
	creds                        string // a credentials file of an account of the operator below
	operator                     *jwt.OperatorClaims
	accountPub, accountJWT       string
	systemPub, systemJWT         string // the operator's system account
	ca, serverCert, serverKey    string
	clientCert, clientKey, other string // other: a CA that signed nothing here
}

func newAuthFiles(t *testing.T) *authFiles {
	t.Helper()
	a := &authFiles{dir: t.TempDir()}
	write := func(name string, b []byte) string {
		p := filepath.Join(a.dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// An NKey user.
	u, err := nkeys.CreateUser()
	must(err)
	seed, err := u.Seed()
	must(err)
	a.seed = write("user.nk", seed)
	a.userPub, err = u.PublicKey()
	must(err)
	// An operator, an account with JetStream, and a user of it with its credentials file.
	op, err := nkeys.CreateOperator()
	must(err)
	opPub, err := op.PublicKey()
	must(err)
	sys, err := nkeys.CreateAccount()
	must(err)
	a.systemPub, err = sys.PublicKey()
	must(err)
	a.operator = jwt.NewOperatorClaims(opPub)
	a.operator.SystemAccount = a.systemPub
	_, err = a.operator.Encode(op)
	must(err)
	a.systemJWT, err = jwt.NewAccountClaims(a.systemPub).Encode(op)
	must(err)
	acc, err := nkeys.CreateAccount()
	must(err)
	a.accountPub, err = acc.PublicKey()
	must(err)
	ac := jwt.NewAccountClaims(a.accountPub)
	ac.Limits.JetStreamLimits = jwt.JetStreamLimits{MemoryStorage: -1, DiskStorage: -1, Streams: -1, Consumer: -1}
	a.accountJWT, err = ac.Encode(op)
	must(err)
	cu, err := nkeys.CreateUser()
	must(err)
	cuPub, err := cu.PublicKey()
	must(err)
	uc := jwt.NewUserClaims(cuPub)
	userJWT, err := uc.Encode(acc)
	must(err)
	cuSeed, err := cu.Seed()
	must(err)
	creds, err := jwt.FormatUserConfig(userJWT, cuSeed)
	must(err)
	a.creds = write("user.creds", creds)
	// A certificate authority, a server certificate for 127.0.0.1 and a client certificate.
	caCert, caKey := newCert(t, nil, nil, "adsim test CA")
	a.ca = write("ca.pem", pemCert(caCert))
	srvCert, srvKey := newCert(t, caCert, caKey, "127.0.0.1")
	a.serverCert, a.serverKey = write("server.pem", pemCert(srvCert)), write("server-key.pem", pemKey(t, srvKey))
	cliCert, cliKey := newCert(t, caCert, caKey, "adsim worker")
	a.clientCert, a.clientKey = write("client.pem", pemCert(cliCert)), write("client-key.pem", pemKey(t, cliKey))
	other, _ := newCert(t, nil, nil, "another CA")
	a.other = write("other-ca.pem", pemCert(other))
	return a
}

// newCert makes a certificate for name signed by parent (a self-signed authority when parent
// is nil).
func newCert(t *testing.T, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, name string) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}}
	if parent == nil {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage |= x509.KeyUsageCertSign
		parent, parentKey = tmpl, key
	}
	if ip := net.ParseIP(name); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c, key
}

func pemCert(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

func pemKey(t *testing.T, k *ecdsa.PrivateKey) []byte {
	b, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: b})
}

// studyOver runs a two-replication study of small.yaml through the server at url: a worker
// logged in with worker, a coordinator with coord. It returns the rows the coordinator got,
// the coordinator's error and the worker's.
func studyOver(t *testing.T, url string, worker, coord NATSAuth) (rows int, coordErr, workerErr error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	wdone := make(chan error, 1)
	go func() {
		wdone <- Work(ctx, url, WorkerOptions{Name: "w", Workers: 1, MaxBatches: 1, Auth: worker})
	}()
	coordErr = NATS{URL: url, Auth: coord, Batch: 2}.Execute(ctx, loadSmall(t), Range{0, 2}, func(Row) error {
		rows++
		return nil
	})
	if coordErr != nil {
		cancel() // the worker would wait for a batch that never comes
	}
	return rows, coordErr, <-wdone
}

// TestNATSAuth: the coordinator and the workers log in to servers that ask for a user and
// password, an NKey, a credentials file (operator mode) or client certificates over TLS with
// a private authority; a missing or wrong login is refused with ErrNATSLogin, an untrusted
// certificate with ErrNATSCertificate, and no error carries a password.
func TestNATSAuth(t *testing.T) {
	a := newAuthFiles(t)
	otherUser, _ := nkeys.CreateUser()
	otherSeed, _ := otherUser.Seed()
	wrongSeed := filepath.Join(a.dir, "wrong.nk")
	if err := os.WriteFile(wrongSeed, otherSeed, 0o600); err != nil {
		t.Fatal(err)
	}
	password := func(o *server.Options) { o.Username, o.Password = "alice", "s3cret-pw" }
	// A user allowed adsim's subjects only, as docs/results.md ("Securing the server") gives
	// them: the study runs with nothing more.
	limited := func(o *server.Options) {
		o.Users = []*server.User{{Username: "alice", Password: "s3cret-pw", Permissions: &server.Permissions{
			Publish:   &server.SubjectPermission{Allow: NATSPublishSubjects},
			Subscribe: &server.SubjectPermission{Allow: NATSSubscribeSubjects},
		}}}
	}
	nkey := func(o *server.Options) { o.Nkeys = []*server.NkeyUser{{Nkey: a.userPub}} }
	operator := func(o *server.Options) {
		// JetStream in operator mode needs a system account; the resolver holds both
		// accounts' JWTs before the server is made, as a full resolver's directory would.
		r := &server.MemAccResolver{}
		for pub, j := range map[string]string{a.accountPub: a.accountJWT, a.systemPub: a.systemJWT} {
			if err := r.Store(pub, j); err != nil {
				t.Fatal(err)
			}
		}
		o.TrustedOperators, o.AccountResolver, o.SystemAccount = []*jwt.OperatorClaims{a.operator}, r, a.systemPub
	}
	mtls := func(o *server.Options) {
		cfg, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: a.serverCert, KeyFile: a.serverKey, CaFile: a.ca, Verify: true})
		if err != nil {
			t.Fatal(err)
		}
		o.TLSConfig, o.TLS, o.TLSVerify, o.TLSTimeout = cfg, true, true, 5
	}
	tlsAuth := NATSAuth{CA: a.ca, Cert: a.clientCert, Key: a.clientKey}
	cases := []struct {
		name    string
		set     func(*server.Options)
		userURL string // user:password@ to put in the URL
		auth    NATSAuth
		want    error // nil: the study runs
	}{
		{"password in the URL", password, "alice:s3cret-pw@", NATSAuth{}, nil},
		{"wrong password", password, "alice:wrong-pw@", NATSAuth{}, ErrNATSLogin},
		{"adsim's subjects only", limited, "alice:s3cret-pw@", NATSAuth{}, nil},
		{"no password", password, "", NATSAuth{}, ErrNATSLogin},
		{"NKey", nkey, "", NATSAuth{NKey: a.seed}, nil},
		{"another NKey", nkey, "", NATSAuth{NKey: wrongSeed}, ErrNATSLogin},
		{"credentials file", operator, "", NATSAuth{Creds: a.creds}, nil},
		{"no credentials file", operator, "", NATSAuth{}, ErrNATSLogin},
		{"client certificate", mtls, "", tlsAuth, nil},
		{"untrusted server", mtls, "", NATSAuth{CA: a.other, Cert: a.clientCert, Key: a.clientKey}, ErrNATSCertificate},
		{"no client certificate", mtls, "", NATSAuth{CA: a.ca}, nil}, // refused by the TLS handshake: checked below
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			url := natstest.StartWith(t, t.TempDir(), c.set)
			url = strings.Replace(url, "://", "://"+c.userURL, 1)
			rows, coordErr, workerErr := studyOver(t, url, c.auth, c.auth)
			if c.name == "no client certificate" {
				if coordErr == nil || workerErr == nil {
					t.Fatalf("a server that verifies clients let one without a certificate in: coordinator %v, worker %v", coordErr, workerErr)
				}
				return
			}
			if c.want == nil {
				if coordErr != nil || workerErr != nil || rows != 2 {
					t.Fatalf("coordinator %v, worker %v, %d rows; want the study's 2 rows", coordErr, workerErr, rows)
				}
				return
			}
			for who, err := range map[string]error{"coordinator": coordErr, "worker": workerErr} {
				if !errors.Is(err, c.want) {
					t.Errorf("%s: %v; want %v", who, err, c.want)
				}
				if err != nil && (strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "wrong-pw")) {
					t.Errorf("%s's error shows the password: %v", who, err)
				}
			}
		})
	}
}

// TestNATSAuthCheck: the files of a NATSAuth are read before anything runs, and each fault is
// named with its file.
func TestNATSAuthCheck(t *testing.T) {
	a := newAuthFiles(t)
	missing := filepath.Join(a.dir, "missing")
	cases := []struct {
		name string
		auth NATSAuth
		want string // "" when valid
	}{
		{"none", NATSAuth{}, ""},
		{"NKey", NATSAuth{NKey: a.seed}, ""},
		{"credentials", NATSAuth{Creds: a.creds}, ""},
		{"TLS", NATSAuth{CA: a.ca, Cert: a.clientCert, Key: a.clientKey}, ""},
		{"both logins", NATSAuth{Creds: a.creds, NKey: a.seed}, "expected one of them"},
		{"certificate without key", NATSAuth{Cert: a.clientCert}, "expected its private key too"},
		{"key without certificate", NATSAuth{Key: a.clientKey}, "expected its certificate too"},
		{"missing credentials", NATSAuth{Creds: missing}, "no such file"},
		{"NKey seed as credentials", NATSAuth{Creds: a.seed}, "expected a NATS user credentials file"},
		{"credentials as NKey seed", NATSAuth{NKey: a.ca}, "expected a file holding a user seed"},
		{"missing NKey", NATSAuth{NKey: missing}, "no such file"},
		{"key as authorities", NATSAuth{CA: a.clientKey}, "found no PEM certificate"},
		{"missing authorities", NATSAuth{CA: missing}, "no such file"},
		{"certificate and another's key", NATSAuth{Cert: a.clientCert, Key: a.serverKey}, "private key does not match public key"},
	}
	for _, c := range cases {
		err := c.auth.Check()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v; want an error saying %q", c.name, err, c.want)
		}
	}
	// The certificate and key pass tls.LoadX509KeyPair as the client will load them.
	if _, err := tls.LoadX509KeyPair(a.clientCert, a.clientKey); err != nil {
		t.Fatal(err)
	}
}

// FuzzRedactURL: whatever the --nats value, redacting it again changes nothing, a value
// without "@" is left as it is, the servers stay as many, and a password net/url finds in a
// server's URL is not found by net/url in the redacted one.
func FuzzRedactURL(f *testing.F) {
	for _, s := range []string{"nats://alice:s3cret@host:4222", "tok@h:1", "nats://a:b@h1,nats://c:d@h2/x@y", "ws://h/p?q=a:b@c", "tls://u:p@ss@h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := RedactURL(s)
		if RedactURL(r) != r {
			t.Errorf("RedactURL(%q) = %q, and again %q", s, r, RedactURL(r))
		}
		if !strings.Contains(s, "@") && r != s {
			t.Errorf("RedactURL(%q) = %q: changed a URL without a user", s, r)
		}
		in, out := strings.Split(s, ","), strings.Split(r, ",")
		if len(in) != len(out) {
			t.Fatalf("RedactURL(%q) = %q: %d servers, want %d", s, r, len(out), len(in))
		}
		for i, part := range in {
			u, err := url.Parse(strings.TrimSpace(part))
			if err != nil || u.User == nil {
				continue
			}
			// net/url reads the redacted server's URL the same way: its password must be gone.
			p, ok := u.User.Password()
			if !ok || p == "" || p == "xxxxx" {
				continue
			}
			if v, err := url.Parse(strings.TrimSpace(out[i])); err == nil && v.User != nil {
				if q, _ := v.User.Password(); q == p {
					t.Errorf("RedactURL(%q) = %q: the password %q is still there", s, r, p)
				}
			}
		}
	})
}

// TestNATSRefusedSubject: a user who lacks a subject adsim needs gets, at once (not after
// JetStream's timeout), an error naming the subject the server refused and what to give.
func TestNATSRefusedSubject(t *testing.T) {
	url := natstest.StartWith(t, t.TempDir(), func(o *server.Options) {
		o.Users = []*server.User{{Username: "alice", Password: "pw", Permissions: &server.Permissions{
			Publish:   &server.SubjectPermission{Allow: []string{"adsim.>"}},
			Subscribe: &server.SubjectPermission{Allow: NATSSubscribeSubjects},
		}}}
	})
	url = strings.Replace(url, "://", "://alice:pw@", 1)
	var logged logLines
	// The refusal ends the setup at once: well before JetStream's own timeout of 5 s, and
	// before the test's deadline.
	within := func(f func(context.Context) error) error {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		start := time.Now()
		err := f(ctx)
		if d := time.Since(start); d > 2500*time.Millisecond || errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("stopped after %v (%v), want at once after the refusal", d.Round(time.Millisecond), err)
		}
		return err
	}
	errs := map[string]error{
		"coordinator": within(func(ctx context.Context) error {
			return NATS{URL: url, Log: logged.add}.Execute(ctx, loadSmall(t), Range{0, 1}, func(Row) error { return nil })
		}),
		"worker": within(func(ctx context.Context) error {
			return Work(ctx, url, WorkerOptions{Name: "w", MaxBatches: 1, Log: logged.add})
		}),
	}
	for who, err := range errs {
		if !errors.Is(err, nats.ErrPermissionViolation) || !strings.Contains(err.Error(), `Publish to "$JS.API.`) ||
			!strings.Contains(err.Error(), `subjects docs/results.md lists ("Securing the server"`) {
			t.Errorf("%s: %v; want the refused subject and what to give", who, err)
		}
	}
	if n := logged.count("the server refused a subject"); n != 2 {
		t.Errorf("%d log lines of a refused subject, want one each:\n%s", n, &logged)
	}
}
