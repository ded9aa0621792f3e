package httpcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// versions are the TLS versions probed, oldest first.
var versions = []struct {
	id   uint16
	name string
}{
	{tls.VersionTLS10, "1.0"},
	{tls.VersionTLS11, "1.1"},
	{tls.VersionTLS12, "1.2"},
	{tls.VersionTLS13, "1.3"},
}

// allSuites are every suite Go can speak, secure and insecure, so an old
// server's offer can be recognised.
var allSuites = append(tls.CipherSuites(), tls.InsecureCipherSuites()...)

// weakSuite classifies a suite as weak: anything Go marks insecure (RC4,
// 3DES, CBC with SHA-256), CBC mode with SHA-1, and RSA key exchange
// (no forward secrecy).
func weakSuite(cs *tls.CipherSuite) bool {
	return cs.Insecure || strings.Contains(cs.Name, "_CBC_") || strings.HasPrefix(cs.Name, "TLS_RSA_") ||
		strings.Contains(cs.Name, "RC4") || strings.Contains(cs.Name, "3DES")
}

// dialError marks a failure to reach the server at all (as opposed to a
// refused handshake).
type dialError struct{ err error }

func (e dialError) Error() string { return e.err.Error() }

// handshake opens one TLS connection limited to version v and, for TLS 1.2
// and below, to suites. Certificates are not verified here: they are
// judged separately so an endpoint with a bad certificate is still
// described.
func handshake(ctx context.Context, s settings, v uint16, suites []uint16) (tls.ConnectionState, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.addr())
	if err != nil {
		return tls.ConnectionState{}, dialError{err}
	}
	defer conn.Close()
	cfg := &tls.Config{
		ServerName:         s.host,
		MinVersion:         v,
		MaxVersion:         v,
		CipherSuites:       suites,
		InsecureSkipVerify: true, //nolint:gosec // the certificate is verified by certFacts
	}
	tc := tls.Client(conn, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		return tls.ConnectionState{}, err
	}
	return tc.ConnectionState(), nil
}

func suitesFor(v uint16, keep func(*tls.CipherSuite) bool) []uint16 {
	var out []uint16
	for _, cs := range allSuites {
		for _, sv := range cs.SupportedVersions {
			if sv == v && keep(cs) {
				out = append(out, cs.ID)
				break
			}
		}
	}
	return out
}

// tlsFacts is what the TLS probe learned.
type tlsFacts struct {
	versions []string
	weak     []string
	state    tls.ConnectionState // of the newest version accepted
	cert     map[string]any
}

// probeTLS tries each version on its own, then each weak suite on each old
// version accepted, then judges the certificate of the newest handshake.
func probeTLS(ctx context.Context, s settings, now time.Time) (*tlsFacts, error) {
	f := &tlsFacts{}
	var lastErr error
	accepted := map[uint16]bool{}
	for _, v := range versions {
		var suites []uint16
		if v.id < tls.VersionTLS13 {
			suites = suitesFor(v.id, func(*tls.CipherSuite) bool { return true })
		}
		st, err := handshake(ctx, s, v.id, suites)
		if err != nil {
			var de dialError
			if errors.As(err, &de) {
				return nil, fmt.Errorf("http: connect to %s: %w", s.addr(), de.err)
			}
			lastErr = err
			continue
		}
		accepted[v.id] = true
		f.versions = append(f.versions, v.name)
		f.state = st
	}
	if len(f.versions) == 0 {
		return nil, fmt.Errorf("http: no TLS handshake with %s succeeded: %w", s.addr(), lastErr)
	}
	seen := map[string]bool{}
	for _, v := range versions {
		if !accepted[v.id] || v.id == tls.VersionTLS13 {
			continue
		}
		for _, id := range suitesFor(v.id, weakSuite) {
			name := tls.CipherSuiteName(id)
			if seen[name] {
				continue
			}
			if _, err := handshake(ctx, s, v.id, []uint16{id}); err == nil {
				seen[name] = true
				f.weak = append(f.weak, name)
			} else if ctx.Err() != nil {
				return nil, fmt.Errorf("http: probe %s: %w", s.addr(), ctx.Err())
			}
		}
	}
	f.cert = certFacts(f.state.PeerCertificates, s, now)
	return f, nil
}

// certFacts judges the leaf certificate: dates, chain to the trusted roots
// (system roots plus ca_file/ca_pem) at now, and the host name.
func certFacts(chain []*x509.Certificate, s settings, now time.Time) map[string]any {
	out := map[string]any{
		"cert_days_left": int64(0), "cert_expired": false, "cert_not_after": "", "chain_valid": false,
		"chain_error": "no certificate", "hostname_valid": false, "cert_issuer": "", "cert_subject": "",
	}
	if len(chain) == 0 {
		return out
	}
	leaf := chain[0]
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, verr := leaf.Verify(x509.VerifyOptions{Roots: s.roots, Intermediates: inter, CurrentTime: now})
	out["chain_valid"] = verr == nil
	out["chain_error"] = ""
	if verr != nil {
		out["chain_error"] = verr.Error()
	}
	out["hostname_valid"] = leaf.VerifyHostname(s.host) == nil
	out["cert_days_left"] = int64(leaf.NotAfter.Sub(now).Hours() / 24) // whole days, toward zero
	out["cert_expired"] = now.After(leaf.NotAfter)
	out["cert_not_after"] = leaf.NotAfter.UTC().Format(time.RFC3339)
	out["cert_issuer"] = name(leaf.Issuer.CommonName, leaf.Issuer.String())
	out["cert_subject"] = name(leaf.Subject.CommonName, leaf.Subject.String())
	return out
}

func name(cn, full string) string {
	if cn != "" {
		return cn
	}
	return full
}

// into writes the TLS facts as attributes.
func (f *tlsFacts) into(a map[string]any) {
	vs := make([]any, len(f.versions))
	for i, v := range f.versions {
		vs[i] = v
	}
	weak := make([]any, len(f.weak))
	for i, w := range f.weak {
		weak[i] = w
	}
	a["tls_versions"] = vs
	a["tls_min_version"] = f.versions[0]
	a["tls_max_version"] = f.versions[len(f.versions)-1]
	a["weak_ciphers"] = weak
	a["cipher_suite"] = tls.CipherSuiteName(f.state.CipherSuite)
	for k, v := range f.cert {
		a[k] = v
	}
}

// noTLS fills the TLS attributes of a plain-HTTP endpoint so checks that
// read them never meet a missing attribute.
func noTLS(a map[string]any) {
	a["tls_versions"] = []any{}
	a["tls_min_version"] = ""
	a["tls_max_version"] = ""
	a["weak_ciphers"] = []any{}
	a["cipher_suite"] = ""
	for k, v := range certFacts(nil, settings{}, time.Time{}) {
		a[k] = v
	}
}
