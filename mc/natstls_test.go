package mc

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/adsim/adsim/internal/natstest"
)

// TestNewNATSTLS: the server's certificate verifies against the authority for each host given
// (by name and by address) and for no other, for server authentication, until NotAfter.
func TestNewNATSTLS(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	tl, err := NewNATSTLS([]string{"nats.example.org", "10.0.0.7"}, now, 30*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(tl.CA) {
		t.Fatal("the authority is not a PEM certificate")
	}
	block, _ := pem.Decode(tl.Cert)
	if block == nil {
		t.Fatal("the server's certificate is not PEM")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if key, _ := pem.Decode(tl.Key); key == nil || key.Type != "EC PRIVATE KEY" {
		t.Fatal("the server's key is not a PEM EC private key")
	}
	for _, c := range []struct {
		host string
		at   time.Time
		ok   bool
	}{
		{"nats.example.org", now, true},
		{"10.0.0.7", now.Add(29 * 24 * time.Hour), true},
		{"other.example.org", now, false},
		{"10.0.0.8", now, false},
		{"nats.example.org", now.Add(31 * 24 * time.Hour), false}, // expired
	} {
		_, err := cert.Verify(x509.VerifyOptions{DNSName: c.host, Roots: pool, CurrentTime: c.at,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
		if (err == nil) != c.ok {
			t.Errorf("%s at %v: %v, want valid %v", c.host, c.at, err, c.ok)
		}
	}
	if !tl.NotAfter.Equal(now.Add(30 * 24 * time.Hour)) {
		t.Errorf("NotAfter %v, want %v", tl.NotAfter, now.Add(30*24*time.Hour))
	}
	for _, c := range []struct {
		hosts []string
		valid time.Duration
		want  string
	}{
		{nil, time.Hour, "no host"},
		{[]string{"nats.example.org:4222"}, time.Hour, "no scheme or port"},
		{[]string{"tls://nats.example.org"}, time.Hour, "no scheme or port"},
		{[]string{"-bad.example.org"}, time.Hour, "expected a DNS name"},
		{[]string{"nats.example.org"}, 0, "expected a positive duration"},
	} {
		if _, err := NewNATSTLS(c.hosts, now, c.valid); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q, %v: %v, want an error with %q", c.hosts, c.valid, err, c.want)
		}
	}
}

// TestNATSServerConfigTLS: a server configured by NATSServerConfig with the certificate of
// NewNATSTLS (read by nats-server's own parser, which loads the files) serves a study to
// clients that trust the authority and connect by a host it names; a client that does not
// trust it is refused with ErrNATSCertificate, and one connecting by another name is told to
// connect by one the certificate holds.
func TestNATSServerConfigTLS(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	user, err := NewNATSUser()
	if err != nil {
		t.Fatal(err)
	}
	seed := write("user.nk", user.Seed)
	tl, err := NewNATSTLS([]string{"localhost", "127.0.0.1"}, time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ca := write("ca.pem", tl.CA)
	conf, err := NATSServerConfig(NATSServerSettings{StoreDir: filepath.Join(dir, "js"), Users: []string{user.PublicKey},
		TLSCert: write("server-cert.pem", tl.Cert), TLSKey: write("server-key.pem", tl.Key)})
	if err != nil {
		t.Fatal(err)
	}
	opts, err := server.ProcessConfigFile(write("nats.conf", []byte(conf)))
	if err != nil {
		t.Fatalf("nats-server cannot read the configuration: %v\n%s", err, conf)
	}
	if opts.TLSConfig == nil || len(opts.TLSConfig.Certificates) != 1 {
		t.Fatalf("the configuration gives the server no certificate:\n%s", conf)
	}
	url := natstest.StartWith(t, opts.StoreDir, func(o *server.Options) {
		o.Nkeys, o.TLS, o.TLSConfig, o.TLSTimeout = opts.Nkeys, opts.TLS, opts.TLSConfig, opts.TLSTimeout
	})
	byName := strings.Replace(strings.Replace(url, "nats://", "tls://", 1), "127.0.0.1", "localhost", 1)
	auth := NATSAuth{NKey: seed, CA: ca}
	rows, coordErr, workerErr := studyOver(t, byName, auth, NATSAuth{NKey: seed, CA: ca})
	if coordErr != nil || workerErr != nil || rows != 2 {
		t.Fatalf("over TLS by name: coordinator %v, worker %v, %d rows; want the study's 2 rows", coordErr, workerErr, rows)
	}
	_, coordErr, _ = studyOver(t, strings.Replace(url, "nats://", "tls://", 1), auth, auth)
	if coordErr != nil {
		t.Errorf("over TLS by address: %v", coordErr)
	}
	_, coordErr, workerErr = studyOver(t, byName, NATSAuth{NKey: seed}, NATSAuth{NKey: seed})
	for who, err := range map[string]error{"coordinator": coordErr, "worker": workerErr} {
		if !errors.Is(err, ErrNATSCertificate) {
			t.Errorf("%s without the authority: %v, want ErrNATSCertificate", who, err)
		}
	}
	other, err := NewNATSTLS([]string{"nats.example.org"}, time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	url2 := natstest.StartWith(t, t.TempDir(), func(o *server.Options) {
		cfg, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: write("other-cert.pem", other.Cert), KeyFile: write("other-key.pem", other.Key)})
		if err != nil {
			t.Fatal(err)
		}
		o.Nkeys, o.TLS, o.TLSConfig, o.TLSTimeout = opts.Nkeys, true, cfg, 2
	})
	otherCA := NATSAuth{NKey: seed, CA: write("other-ca.pem", other.CA)}
	if _, coordErr, _ = studyOver(t, strings.Replace(url2, "nats://", "tls://", 1), otherCA, otherCA); coordErr == nil ||
		!strings.Contains(coordErr.Error(), "connect by a name the certificate holds") {
		t.Errorf("by an address the certificate does not hold: %v, want the advice to connect by its name", coordErr)
	}
}
