package httpcheck

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

const libraryFile = "../../../catalog/data/checks/http.json"

var localIP = []net.IP{net.ParseIP("127.0.0.1")}

// hardenedHandler answers with HSTS and the security headers.
func hardenedHandler(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	if r.URL.Path == "/broken" {
		w.WriteHeader(http.StatusInternalServerError)
	}
	_, _ = w.Write([]byte("ok"))
}

func redirectHandler(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "https://"+r.Host+r.URL.Path, http.StatusMovedPermanently)
}

func plainHandler(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Server", "Apache/2.4.41 (Ubuntu)")
	_, _ = w.Write([]byte("hello"))
}

func collectOne(t *testing.T, now time.Time, settings map[string]string) assay.Resource {
	t.Helper()
	res, err := NewWithClock(&assay.FixedClock{T: now}).Collect(context.Background(), monitor.Config{Settings: settings})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Kind != KindEndpoint {
		t.Fatalf("%+v", res)
	}
	return res[0]
}

func want(t *testing.T, r assay.Resource, attrs map[string]any) {
	t.Helper()
	for k, v := range attrs {
		if !reflect.DeepEqual(r.Attrs[k], v) {
			t.Errorf("%s: %s = %#v, want %#v", r.Name, k, r.Attrs[k], v)
		}
	}
}

// statuses asserts which library checks pass and which fail on r; every
// check not named must pass.
func statuses(t *testing.T, progs map[string]*monitor.Program, r assay.Resource, failing ...string) {
	t.Helper()
	for id, res := range collecttest.Evaluate(t, progs, []assay.Resource{r}) {
		wantFail := false
		for _, f := range failing {
			wantFail = wantFail || f == id
		}
		switch {
		case wantFail && res.Status != assay.CheckFail:
			t.Errorf("%s on %s: %s, want fail", id, r.Name, res.Status)
		case !wantFail && res.Status != assay.CheckPass:
			t.Errorf("%s on %s: %s (%s), want pass", id, r.Name, res.Status, res.Reason)
		case wantFail && !strings.Contains(res.Reason, r.Name):
			t.Errorf("%s reason %q does not name %s", id, res.Reason, r.Name)
		}
	}
}

func TestEndpoints(t *testing.T) {
	now := time.Now().UTC()
	ca := newCA(t, "Assay Test CA")
	progs := collecttest.Library(t, libraryFile)
	redirect := serve(t, nil, http.HandlerFunc(redirectHandler))
	plain := serve(t, nil, http.HandlerFunc(plainHandler))

	// A modern server: TLS 1.2 and 1.3 with AEAD suites only, HSTS, headers.
	good := serve(t, &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{ca.leaf(t, "good", nil, localIP, now.Add(-time.Hour), now.Add(60*24*time.Hour+time.Hour))},
		CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256},
	}, http.HandlerFunc(hardenedHandler))
	r := collectOne(t, now, map[string]string{"url": good + "/health", "ca_pem": ca.pem, "http_url": redirect + "/health"})
	want(t, r, map[string]any{
		"reachable": true, "status_code": int64(200), "tls": true, "tls_min_version": "1.2", "tls_max_version": "1.3",
		"tls_versions": []any{"1.2", "1.3"}, "weak_ciphers": []any{}, "cert_days_left": int64(60), "cert_expired": false,
		"chain_valid": true, "hostname_valid": true, "cert_issuer": "Assay Test CA", "hsts": true, "hsts_max_age": int64(63072000),
		"hsts_include_subdomains": true, "x_content_type_options": true, "x_frame_options": true, "content_security_policy": true,
		"referrer_policy": true, "http_listening": true, "http_redirects_to_https": true,
	})
	if r.ID != good+"/health" || r.Name != strings.TrimPrefix(good, "https://") {
		t.Errorf("identity %q %q", r.ID, r.Name)
	}
	if _, ok := r.Attrs["latency_ms"].(int64); !ok {
		t.Errorf("latency_ms %#v", r.Attrs["latency_ms"])
	}
	statuses(t, progs, r)
	collecttest.SameKeys(t, libraryFile, r)

	// The same server without our CA: the chain does not verify. Its
	// /broken path answers 500.
	r = collectOne(t, now, map[string]string{"url": good + "/broken", "http_url": redirect})
	want(t, r, map[string]any{"chain_valid": false, "hostname_valid": true, "status_code": int64(500)})
	statuses(t, progs, r, "http-cert-chain-trusted", "http-endpoint-up")

	// 25 days later the certificate is close to expiry.
	r = collectOne(t, now.Add(35*24*time.Hour), map[string]string{"url": good, "ca_pem": ca.pem, "http_url": redirect})
	want(t, r, map[string]any{"cert_days_left": int64(25), "cert_expired": false})
	statuses(t, progs, r, "http-cert-expiry-30d")

	// An old server: TLS 1.0 allowed (with its CBC-SHA1 suites), no headers,
	// and a plain listener that serves content instead of redirecting.
	old := serve(t, &tls.Config{
		MinVersion:   tls.VersionTLS10,
		Certificates: []tls.Certificate{ca.leaf(t, "old", nil, localIP, now.Add(-time.Hour), now.Add(90*24*time.Hour))},
	}, http.HandlerFunc(plainHandler))
	r = collectOne(t, now, map[string]string{"url": old, "ca_pem": ca.pem, "http_url": plain, "timeout": "5s"})
	want(t, r, map[string]any{"tls_min_version": "1.0", "hsts": false, "http_listening": true, "http_redirects_to_https": false,
		"server_header": "Apache/2.4.41 (Ubuntu)"})
	if vs, _ := r.Attrs["tls_versions"].([]any); len(vs) != 4 {
		t.Errorf("tls_versions %v", r.Attrs["tls_versions"])
	}
	weak, _ := r.Attrs["weak_ciphers"].([]any)
	if !containsString(weak, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA") {
		t.Errorf("weak ciphers %v", weak)
	}
	statuses(t, progs, r, "http-tls-min-version", "http-no-weak-ciphers", "http-hsts-enabled", "http-redirects-to-https",
		"http-header-nosniff", "http-header-frame-options", "http-header-csp", "http-header-referrer-policy", "http-server-version-hidden")
	if got := progs["http-tls-min-version"].Eval(r).Reason; got != "TLS 1.0 accepted on "+r.Name {
		t.Errorf("reason %q", got)
	}

	// An expired certificate issued for another name.
	expired := serve(t, &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{ca.leaf(t, "old.example.com", []string{"old.example.com"}, nil, now.Add(-400*24*time.Hour), now.Add(-10*24*time.Hour))},
		CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384},
	}, http.HandlerFunc(hardenedHandler))
	r = collectOne(t, now, map[string]string{"url": expired, "ca_pem": ca.pem, "http_url": redirect})
	want(t, r, map[string]any{"cert_expired": true, "cert_days_left": int64(-10), "chain_valid": false, "hostname_valid": false, "cert_subject": "old.example.com"})
	statuses(t, progs, r, "http-cert-not-expired", "http-cert-expiry-30d", "http-cert-chain-trusted", "http-cert-hostname-match")
	if got := progs["http-cert-expiry-30d"].Eval(r).Reason; got != "the certificate on "+r.Name+" expired 10 days ago" {
		t.Errorf("reason %q", got)
	}

	// A plain-HTTP source: no TLS at all.
	r = collectOne(t, now, map[string]string{"url": plain + "/"})
	want(t, r, map[string]any{"tls": false, "http_listening": true, "http_redirects_to_https": false, "hsts": false})
	statuses(t, progs, r, "http-tls-enabled", "http-hsts-enabled", "http-redirects-to-https", "http-header-nosniff",
		"http-header-frame-options", "http-header-csp", "http-header-referrer-policy", "http-server-version-hidden")
}

// A port nobody listens on is a collector error, never a resource.
func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	res, err := New().Collect(context.Background(), monitor.Config{Settings: map[string]string{"url": "https://" + addr + "/", "timeout": "3s"}})
	if err == nil || res != nil {
		t.Fatalf("got %v, %v", res, err)
	}
	if !strings.Contains(err.Error(), addr) {
		t.Errorf("error %q does not name the endpoint", err)
	}
}

func TestValidate(t *testing.T) {
	c := New()
	bad := []map[string]string{
		{},
		{"url": "ftp://example.com"},
		{"url": "https://"},
		{"url": "https://user:secret@example.com/"},
		{"url": "https://example.com", "timeout": "forever"},
		{"url": "https://example.com", "timeout": "10m"},
		{"url": "https://example.com", "http_url": "https://example.com"},
		{"url": "https://example.com", "ca_pem": "not a certificate"},
	}
	for _, s := range bad {
		err := c.Validate(monitor.Config{Settings: s})
		if assay.ErrorCode(err) != assay.EINVALID {
			t.Errorf("%v: %v", s, err)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("error repeats the password: %v", err)
		}
	}
	for _, s := range []map[string]string{{"url": "https://example.com/x"}, {"url": "http://example.com", "timeout": "30"}} {
		if err := c.Validate(monitor.Config{Settings: s}); err != nil {
			t.Errorf("%v: %v", s, err)
		}
	}
}

func containsString(l []any, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
