package mc

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"time"
)

// NATSTLS is TLS for a NATS server whose traffic crosses networks one does not control: a
// private certificate authority made for it and a certificate it signed for the server, PEM
// encoded. Clients trust the authority (NATSAuth.CA, --nats-ca) and connect by one of the
// server's host names (tls://HOST:4222). The authority's private key is not kept: it signs the
// server's certificate and nothing else, ever; a new certificate means a new authority.
type NATSTLS struct {
	// CA is the authority's certificate, for the clients.
	CA []byte
	// Cert and Key are the server's certificate and private key (a secret).
	Cert, Key []byte
	// NotAfter is when both certificates expire.
	NotAfter time.Time
}

// NewNATSTLS makes a private authority and a server certificate for hosts (DNS names or IP
// addresses, which clients must connect by), valid from now for valid. Keys are ECDSA P-256
// from crypto/rand: secrets, not simulation draws.
func NewNATSTLS(hosts []string, now time.Time, valid time.Duration) (NATSTLS, error) {
	if len(hosts) == 0 {
		return NATSTLS{}, errors.New("no host: expected the names or addresses clients connect to the server by")
	}
	if valid <= 0 {
		return NATSTLS{}, fmt.Errorf("validity %v: expected a positive duration", valid)
	}
	var dns []string
	var ips []net.IP
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			ips = append(ips, ip)
			continue
		}
		if !validHostName(h) {
			return NATSTLS{}, fmt.Errorf("host %q: expected a DNS name (letters, digits, hyphens, dots; no scheme or port, e.g. nats.example.org) or an IP address", h)
		}
		dns = append(dns, h)
	}
	notBefore, notAfter := now.Add(-time.Hour), now.Add(valid) // an hour back: clocks differ
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return NATSTLS{}, fmt.Errorf("making the authority's key: %w", err)
	}
	caSerial, err := serial()
	if err != nil {
		return NATSTLS{}, err
	}
	srvSerial, err := serial()
	if err != nil {
		return NATSTLS{}, err
	}
	ca := &x509.Certificate{SerialNumber: caSerial, Subject: pkix.Name{CommonName: "adsim NATS authority " + hosts[0]},
		NotBefore: notBefore, NotAfter: notAfter, IsCA: true, BasicConstraintsValid: true, MaxPathLenZero: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return NATSTLS{}, fmt.Errorf("making the authority's certificate: %w", err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return NATSTLS{}, fmt.Errorf("making the server's key: %w", err)
	}
	srv := &x509.Certificate{SerialNumber: srvSerial, Subject: pkix.Name{CommonName: hosts[0]},
		NotBefore: notBefore, NotAfter: notAfter, DNSNames: dns, IPAddresses: ips,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, srv, ca, &key.PublicKey, caKey)
	if err != nil {
		return NATSTLS{}, fmt.Errorf("making the server's certificate: %w", err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return NATSTLS{}, fmt.Errorf("encoding the server's key: %w", err)
	}
	return NATSTLS{
		CA:       pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		Cert:     pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		Key:      pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}),
		NotAfter: notAfter,
	}, nil
}

// serial is a random 126-bit certificate serial number (RFC 5280, 4.1.2.2: positive, at most
// 20 octets, unique per authority).
func serial() (*big.Int, error) {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	if err != nil {
		return nil, fmt.Errorf("a certificate serial number: %w", err)
	}
	return n.Add(n, big.NewInt(1)), nil
}

// validHostName reports whether h is a DNS name a certificate may hold (RFC 1123 labels; a
// leading "*." wildcard is allowed).
func validHostName(h string) bool {
	h = strings.TrimPrefix(h, "*.")
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(strings.TrimSuffix(h, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}
