// Package natstest starts a NATS JetStream server inside a test's process (the nats-server Go
// module), for the tests of adsim's distributed engine. It knows nothing about adsim itself.
package natstest

import (
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Start starts a JetStream server on a free local port with its store in storeDir, stops it
// when the test ends, and returns its client URL.
func Start(t testing.TB, storeDir string) string {
	t.Helper()
	return StartWith(t, storeDir, nil)
}

// StartWith is Start with the server's options changed by set (users, NKeys, TLS, a trusted
// operator) before the server is made.
func StartWith(t testing.TB, storeDir string, set func(*server.Options)) string {
	t.Helper()
	opts := &server.Options{Host: "127.0.0.1", Port: -1, JetStream: true,
		StoreDir: storeDir, NoLog: true, NoSigs: true}
	if set != nil {
		set(opts)
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		t.Fatalf("nats-server: %v", err)
	}
	go ns.Start()
	t.Cleanup(ns.Shutdown)
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server did not start")
	}
	return ns.ClientURL()
}
