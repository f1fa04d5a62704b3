package mc

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nats-io/nats-server/v2/conf"
	"github.com/nats-io/nats-server/v2/server"

	"github.com/adsim/adsim/internal/natstest"
)

// TestNATSServerConfig: the configuration NATSServerConfig writes is one nats-server reads
// (server.ProcessConfigFile, the parser of 'nats-server -c'), with JetStream in the directory
// given and each user limited to adsim's subjects; a study runs on it logged in with a user's
// seed, and a seed it does not name is refused.
func TestNATSServerConfig(t *testing.T) {
	dir := t.TempDir()
	var users []NATSUser
	seeds := make([]string, 3)
	for i := range seeds {
		u, err := NewNATSUser()
		if err != nil {
			t.Fatal(err)
		}
		users = append(users, u)
		seeds[i] = filepath.Join(dir, "user"+string(rune('a'+i))+".nk")
		if err := os.WriteFile(seeds[i], u.Seed, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := (NATSAuth{NKey: seeds[i]}).Check(); err != nil {
			t.Fatalf("a new user's seed file is not one NATSAuth reads: %v", err)
		}
	}
	store := filepath.Join(dir, "store with space")
	conf, err := NATSServerConfig(NATSServerSettings{StoreDir: store, Users: []string{users[0].PublicKey, users[1].PublicKey}}) // not users[2]
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "nats.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	opts, err := server.ProcessConfigFile(path)
	if err != nil {
		t.Fatalf("nats-server cannot read the configuration: %v\n%s", err, conf)
	}
	if !opts.JetStream || opts.StoreDir != store {
		t.Errorf("JetStream %v in %q, want on in %q", opts.JetStream, opts.StoreDir, store)
	}
	if len(opts.Nkeys) != 2 {
		t.Fatalf("%d NKey users, want 2:\n%s", len(opts.Nkeys), conf)
	}
	for i, u := range opts.Nkeys {
		if u.Nkey != users[i].PublicKey {
			t.Errorf("user %d is %s, want %s", i, u.Nkey, users[i].PublicKey)
		}
		p := u.Permissions
		if p == nil || p.Publish == nil || p.Subscribe == nil {
			t.Fatalf("user %d has no publish and subscribe permissions:\n%s", i, conf)
		}
		if !slices.Equal(p.Publish.Allow, NATSPublishSubjects) || !slices.Equal(p.Subscribe.Allow, NATSSubscribeSubjects) {
			t.Errorf("user %d may publish %q and subscribe %q, want %q and %q", i, p.Publish.Allow, p.Subscribe.Allow, NATSPublishSubjects, NATSSubscribeSubjects)
		}
	}

	url := natstest.StartWith(t, opts.StoreDir, func(o *server.Options) { o.Nkeys = opts.Nkeys })
	rows, coordErr, workerErr := studyOver(t, url, NATSAuth{NKey: seeds[0]}, NATSAuth{NKey: seeds[1]})
	if coordErr != nil || workerErr != nil || rows != 2 {
		t.Fatalf("users of the configuration: coordinator %v, worker %v, %d rows; want the study's 2 rows", coordErr, workerErr, rows)
	}
	_, coordErr, workerErr = studyOver(t, url, NATSAuth{NKey: seeds[2]}, NATSAuth{NKey: seeds[2]})
	for who, err := range map[string]error{"coordinator": coordErr, "worker": workerErr} {
		if !errors.Is(err, ErrNATSLogin) {
			t.Errorf("%s with a seed the configuration does not name: %v, want ErrNATSLogin", who, err)
		}
	}
}

// TestNATSServerConfigBadInput: what NATSServerConfig cannot write into a configuration is
// refused, saying what was expected.
func TestNATSServerConfigBadInput(t *testing.T) {
	u, err := NewNATSUser()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, store string
		users       []string
		want        string
		cert, key   string
	}{
		{"no store", "", []string{u.PublicKey}, "expected a non-empty path", "", ""},
		{"quote in store", `/data/"x`, []string{u.PublicKey}, "without quotes", "", ""},
		{"line break in store", "/data\n}", []string{u.PublicKey}, "control characters", "", ""},
		{"backslash in store", `C:\data`, []string{u.PublicKey}, "backslashes", "", ""},
		{"unprintable in store", "/data\u200b", []string{u.PublicKey}, "need escaping", "", ""},
		{"no user", "/data", nil, "expected at least one public key", "", ""},
		{"seed for a user", "/data", []string{strings.TrimSpace(string(u.Seed))}, "expected a user's public key", "", ""},
		{"empty user", "/data", []string{""}, "expected a user's public key", "", ""},
		{"account key", "/data", []string{"A" + u.PublicKey[1:]}, "expected a user's public key", "", ""},
		{"certificate without key", "/data", []string{u.PublicKey}, "expected both or neither", "/tls/cert.pem", ""},
		{"key without certificate", "/data", []string{u.PublicKey}, "expected both or neither", "", "/tls/key.pem"},
		{"quote in certificate", "/data", []string{u.PublicKey}, `TLS certificate "/tls/\"cert.pem": expected`, `/tls/"cert.pem`, "/tls/key.pem"},
	} {
		t.Run(c.name, func(t *testing.T) {
			conf, err := NATSServerConfig(NATSServerSettings{StoreDir: c.store, Users: c.users, TLSCert: c.cert, TLSKey: c.key})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v (%q), want an error with %q", err, conf, c.want)
			}
		})
	}
}

// FuzzNATSServerConfig: whatever store directory and TLS files NATSServerConfig accepts,
// nats-server's configuration parser reads back exactly, with the user and nothing else changed
// by them (a "#" or "//" read as a comment, a "$" as a variable, an escape read literally).
func FuzzNATSServerConfig(f *testing.F) {
	u, err := NewNATSUser()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"/data", "/var/lib/nats", "/a b/c", "/x#y", "/x//y", "/$JS/x", "/x}y", "/ü/é", "/x'y", "x;y=z"} {
		f.Add(s, "")
		f.Add("/data", s)
	}
	f.Fuzz(func(t *testing.T, store, tlsDir string) {
		set := NATSServerSettings{StoreDir: store, Users: []string{u.PublicKey}}
		if tlsDir != "" {
			set.TLSCert, set.TLSKey = tlsDir+"/cert.pem", tlsDir+"/key.pem"
		}
		text, err := NATSServerConfig(set)
		if err != nil {
			return
		}
		m, err := conf.Parse(text)
		if err != nil {
			t.Fatalf("%+v: nats-server cannot parse the configuration: %v\n%s", set, err, text)
		}
		js, _ := m["jetstream"].(map[string]any)
		if got, _ := js["store_dir"].(string); got != store {
			t.Fatalf("store %q read back as %q:\n%s", store, got, text)
		}
		tl, _ := m["tls"].(map[string]any)
		if cert, _ := tl["cert_file"].(string); cert != set.TLSCert {
			t.Fatalf("certificate %q read back as %q:\n%s", set.TLSCert, cert, text)
		}
		if key, _ := tl["key_file"].(string); key != set.TLSKey {
			t.Fatalf("key %q read back as %q:\n%s", set.TLSKey, key, text)
		}
		auth, _ := m["authorization"].(map[string]any)
		users, _ := auth["users"].([]any)
		if len(users) != 1 {
			t.Fatalf("%+v: %d users read back, want 1:\n%s", set, len(users), text)
		}
		if user, _ := users[0].(map[string]any); user["nkey"] != u.PublicKey {
			t.Fatalf("%+v: user %v, want %s", set, users[0], u.PublicKey)
		}
	})
}
