// Package availability probes services from outside and turns what it
// sees into uptime: the Prober runs each service at its interval (claimed
// through the store, so with several instances on one database each probe
// runs once per interval), judges whether it is itself healthy enough for
// a failure to mean "down", records the results, opens an incident in the
// incident register for a downtime longer than the service's threshold,
// alerts the alert channels, and resolves the incident on recovery.
// uptime.go computes uptime and SLA figures from the stored status
// periods and maintenance windows.
package availability

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// Outcome is one probe before it is judged: whether it succeeded, how
// long it took, and whether a failure was a network error (one that an
// unhealthy prober would also see) rather than an answer from the service.
type Outcome struct {
	OK       bool
	Latency  time.Duration
	Err      string
	Network  bool // the failure was reaching the service, not its answer
	Attempts int
}

// Probes runs single probes. The zero value probes with the system
// resolver and TLS roots.
type Probes struct {
	TLS      *tls.Config // base TLS settings (tests: RootCAs)
	Resolver *net.Resolver
	Now      func() time.Time // certificate validity is judged at this time (nil: time.Now)
}

func (p Probes) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// Probe probes s once, within its timeout.
func (p Probes) Probe(ctx context.Context, s assay.Service) Outcome {
	ctx, cancel := context.WithTimeout(ctx, s.Timeout())
	defer cancel()
	start := time.Now()
	var o Outcome
	switch s.Kind {
	case assay.ProbeHTTP:
		o = p.http(ctx, s)
	case assay.ProbeTCP:
		o = p.tcp(ctx, s.Target)
	case assay.ProbeTLS:
		o = p.tls(ctx, s.Target)
	case assay.ProbeDNS:
		o = p.dns(ctx, s.Target)
	default:
		o = Outcome{Err: fmt.Sprintf("unknown probe kind %q", s.Kind)}
	}
	o.Latency = time.Since(start)
	if o.OK && s.Kind == assay.ProbeHTTP && s.LatencyMillis > 0 && o.Latency > time.Duration(s.LatencyMillis)*time.Millisecond {
		o.OK, o.Err = false, fmt.Sprintf("answered in %d ms, over the %d ms threshold", o.Latency.Milliseconds(), s.LatencyMillis)
	}
	return o
}

func netFail(err error) Outcome {
	return Outcome{Err: shortErr(err), Network: true}
}

// shortErr keeps an error message short and free of the request URL's
// repetition.
func shortErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	s := err.Error()
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

func (p Probes) dialer() *net.Dialer {
	return &net.Dialer{Resolver: p.Resolver}
}

func (p Probes) http(ctx context.Context, s assay.Service) Outcome {
	tr := &http.Transport{DialContext: p.dialer().DialContext, TLSClientConfig: p.tlsConfig(""), DisableKeepAlives: true,
		Proxy: nil, ForceAttemptHTTP2: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.Target, nil)
	if err != nil {
		return Outcome{Err: shortErr(err)}
	}
	req.Header.Set("User-Agent", "assay-availability/1")
	resp, err := client.Do(req)
	if err != nil {
		return netFail(err)
	}
	defer resp.Body.Close()
	if s.ExpectStatus != 0 && resp.StatusCode != s.ExpectStatus {
		return Outcome{Err: fmt.Sprintf("status %d, expected %d", resp.StatusCode, s.ExpectStatus)}
	}
	if s.ExpectStatus == 0 && (resp.StatusCode < 200 || resp.StatusCode > 399) {
		return Outcome{Err: fmt.Sprintf("status %d", resp.StatusCode)}
	}
	if s.Keyword != "" {
		body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		if err != nil {
			return netFail(err)
		}
		if !strings.Contains(string(body), s.Keyword) {
			return Outcome{Err: fmt.Sprintf("the body does not contain %q", s.Keyword)}
		}
	} else {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	}
	return Outcome{OK: true}
}

func (p Probes) tcp(ctx context.Context, target string) Outcome {
	c, err := p.dialer().DialContext(ctx, "tcp", target)
	if err != nil {
		return netFail(err)
	}
	_ = c.Close()
	return Outcome{OK: true}
}

func (p Probes) tlsConfig(serverName string) *tls.Config {
	var c *tls.Config
	if p.TLS != nil {
		c = p.TLS.Clone()
	} else {
		c = &tls.Config{}
	}
	if serverName != "" {
		c.ServerName = serverName
	}
	c.Time = p.now
	return c
}

func (p Probes) tls(ctx context.Context, target string) Outcome {
	host, _, err := net.SplitHostPort(target)
	if err != nil {
		return Outcome{Err: shortErr(err)}
	}
	d := &tls.Dialer{NetDialer: p.dialer(), Config: p.tlsConfig(host)}
	c, err := d.DialContext(ctx, "tcp", target)
	if err != nil {
		var cv *tls.CertificateVerificationError
		if errors.As(err, &cv) {
			return Outcome{Err: "certificate: " + shortErr(cv.Err)}
		}
		return netFail(err)
	}
	defer c.Close()
	state := c.(*tls.Conn).ConnectionState()
	if len(state.PeerCertificates) > 0 {
		if left := state.PeerCertificates[0].NotAfter.Sub(p.now()); left < 0 {
			return Outcome{Err: "certificate expired"}
		}
	}
	return Outcome{OK: true}
}

func (p Probes) dns(ctx context.Context, name string) Outcome {
	r := p.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	addrs, err := r.LookupHost(ctx, name)
	if err != nil {
		var de *net.DNSError
		if errors.As(err, &de) && de.IsNotFound {
			return Outcome{Err: "the name does not resolve"}
		}
		return netFail(err)
	}
	if len(addrs) == 0 {
		return Outcome{Err: "the name has no addresses"}
	}
	return Outcome{OK: true}
}

// Canary is a check of the prober's own health: when it fails, failed
// probes say nothing about the services.
type Canary func(ctx context.Context) error

// ParseCanary reads a canary: "tcp:host:port" (a connection to a known
// address) or "dns:name" (the prober's resolver answers for a known name).
// "" is no canary.
func ParseCanary(spec string, p Probes) (Canary, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, nil
	}
	kind, target, ok := strings.Cut(spec, ":")
	if !ok || target == "" {
		return nil, fmt.Errorf("canary %q: use tcp:host:port or dns:name", spec)
	}
	var s assay.Service
	switch kind {
	case "tcp":
		s = assay.Service{Kind: assay.ProbeTCP, Target: target, TimeoutSecs: 5}
	case "dns":
		s = assay.Service{Kind: assay.ProbeDNS, Target: target, TimeoutSecs: 5}
	default:
		return nil, fmt.Errorf("canary %q: use tcp:host:port or dns:name", spec)
	}
	return func(ctx context.Context) error {
		if o := p.Probe(ctx, s); !o.OK {
			return fmt.Errorf("canary %s: %s", spec, o.Err)
		}
		return nil
	}, nil
}
