// Package httpcheck is the "http" collector: it connects to one web
// endpoint and reports its TLS versions and weak cipher suites, its
// certificate, HSTS and security headers, and whether plain HTTP redirects
// to HTTPS, as one "http.endpoint" resource.
package httpcheck

import (
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
)

// KindEndpoint is the resource kind this collector produces.
const KindEndpoint = "http.endpoint"

const (
	defaultTimeout = 10 * time.Second
	maxTimeout     = 2 * time.Minute
)

type collector struct{ clock assay.Clock }

// New returns the http collector on the system clock.
func New() monitor.Collector { return collector{clock: assay.SystemClock{}} }

// NewWithClock returns the http collector judging certificate dates by
// clock.
func NewWithClock(clock assay.Clock) monitor.Collector { return collector{clock: clock} }

func (collector) Kind() string            { return "http" }
func (collector) ResourceKinds() []string { return []string{KindEndpoint} }

// settings are a source's parsed settings.
type settings struct {
	u       *url.URL
	host    string // without port
	port    string
	timeout time.Duration
	httpURL string // the plain-HTTP address probed for a redirect
	roots   *x509.CertPool
}

func (s settings) addr() string { return net.JoinHostPort(s.host, s.port) }

// Validate checks url (http:// or https:// with a host), timeout,
// http_url and ca_pem without touching the network.
func (collector) Validate(cfg monitor.Config) error {
	_, err := parseSettings(cfg, false)
	return err
}

func parseSettings(cfg monitor.Config, loadRoots bool) (settings, error) {
	var s settings
	raw := strings.TrimSpace(cfg.Settings["url"])
	u, err := url.Parse(raw)
	if raw == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" {
		return s, assay.Invalid("url", "url must be an address like https://api.example.com/health")
	}
	if u.User != nil {
		return s, assay.Invalid("url", "url must not carry a user name or password")
	}
	s.u, s.host, s.port = u, u.Hostname(), u.Port()
	if s.port == "" {
		s.port = map[string]string{"https": "443", "http": "80"}[u.Scheme]
	}
	s.timeout = defaultTimeout
	if t := strings.TrimSpace(cfg.Settings["timeout"]); t != "" {
		d, err := time.ParseDuration(t)
		if err != nil {
			n, nerr := strconv.Atoi(t)
			d, err = time.Duration(n)*time.Second, nerr
		}
		if err != nil || d <= 0 || d > maxTimeout {
			return s, assay.Invalid("timeout", "timeout must be a duration between 1s and %s, like 10s", maxTimeout)
		}
		s.timeout = d
	}
	s.httpURL = strings.TrimSpace(cfg.Settings["http_url"])
	if s.httpURL != "" {
		hu, err := url.Parse(s.httpURL)
		if err != nil || hu.Scheme != "http" || hu.Hostname() == "" {
			return s, assay.Invalid("http_url", "http_url must be a plain address like http://api.example.com/")
		}
	} else if u.Scheme == "https" {
		hu := *u
		hu.Scheme, hu.Host = "http", u.Hostname()
		if strings.Contains(hu.Host, ":") {
			hu.Host = "[" + hu.Host + "]"
		}
		s.httpURL = hu.String()
	} else {
		s.httpURL = u.String()
	}
	pemText := cfg.Settings["ca_pem"]
	if pemText != "" {
		if !x509.NewCertPool().AppendCertsFromPEM([]byte(pemText)) {
			return s, assay.Invalid("ca_pem", "ca_pem holds no PEM certificate")
		}
	}
	if !loadRoots {
		return s, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if f := cfg.Settings["ca_file"]; f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return s, fmt.Errorf("http: read ca_file: %w", err)
		}
		if !pool.AppendCertsFromPEM(b) {
			return s, assay.Invalid("ca_file", "ca_file %s holds no PEM certificate", f)
		}
	}
	if pemText != "" {
		pool.AppendCertsFromPEM([]byte(pemText))
	}
	s.roots = pool
	return s, nil
}

// Collect probes the endpoint. A connection that fails (or a TLS endpoint
// that completes no handshake, or an HTTP request that gets no answer) is
// an error: the run records error results, never a passing resource.
func (c collector) Collect(ctx context.Context, cfg monitor.Config) ([]assay.Resource, error) {
	s, err := parseSettings(cfg, true)
	if err != nil {
		return nil, err
	}
	now := c.clock.Now()
	attrs := map[string]any{
		"url":  s.u.String(),
		"host": s.host,
		"port": int64(mustPort(s.port)),
		"tls":  s.u.Scheme == "https",
	}
	if s.u.Scheme == "https" {
		t, err := probeTLS(ctx, s, now)
		if err != nil {
			return nil, err
		}
		t.into(attrs)
	} else {
		noTLS(attrs)
	}
	if err := fetch(ctx, s, attrs); err != nil {
		return nil, err
	}
	probeRedirect(ctx, s, attrs)
	return []assay.Resource{{Kind: KindEndpoint, ID: s.u.String(), Name: s.addr(), Attrs: attrs}}, nil
}

func mustPort(p string) int {
	n, _ := strconv.Atoi(p)
	return n
}
