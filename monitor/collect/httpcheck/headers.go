package httpcheck

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// client makes one request without following redirects, without a proxy
// and without verifying the certificate (certFacts judges it), so an
// endpoint with a bad certificate is still described.
func client(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:             nil,
			DisableKeepAlives: true,
			TLSClientConfig: &tls.Config{
				MinVersion:         tls.VersionTLS10,
				InsecureSkipVerify: true, //nolint:gosec // verified by certFacts
			},
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// fetch GETs the URL and records status, latency, HSTS and the security
// headers. No answer is an error.
func fetch(ctx context.Context, s settings, a map[string]any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.u.String(), nil)
	if err != nil {
		return fmt.Errorf("http: request %s: %w", s.addr(), err)
	}
	req.Header.Set("User-Agent", "assay-monitor")
	start := time.Now()
	resp, err := client(s.timeout).Do(req)
	if err != nil {
		return fmt.Errorf("http: GET %s: %w", s.addr(), unwrapURL(err))
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	a["reachable"] = true
	a["status_code"] = int64(resp.StatusCode)
	a["latency_ms"] = time.Since(start).Milliseconds()
	headerFacts(resp.Header, a["tls"] == true, a)
	if s.u.Scheme == "http" {
		a["http_listening"] = true
		a["http_redirects_to_https"] = redirectsToHTTPS(resp)
	}
	return nil
}

// unwrapURL drops net/url's wrapper, whose text repeats the whole URL.
func unwrapURL(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// headerFacts reads HSTS (only meaningful over TLS) and the security
// headers.
func headerFacts(h http.Header, overTLS bool, a map[string]any) {
	hsts, maxAge, subs, preload := false, int64(0), false, false
	if v := h.Get("Strict-Transport-Security"); overTLS && v != "" {
		for _, part := range strings.Split(v, ";") {
			k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "max-age":
				if n, err := strconv.ParseInt(strings.Trim(strings.TrimSpace(val), `"`), 10, 64); err == nil {
					maxAge, hsts = n, n > 0
				}
			case "includesubdomains":
				subs = true
			case "preload":
				preload = true
			}
		}
	}
	csp := strings.TrimSpace(h.Get("Content-Security-Policy"))
	xfo := strings.ToUpper(strings.TrimSpace(h.Get("X-Frame-Options")))
	ref := strings.ToLower(strings.TrimSpace(h.Get("Referrer-Policy")))
	a["hsts"] = hsts
	a["hsts_max_age"] = maxAge
	a["hsts_include_subdomains"] = hsts && subs
	a["hsts_preload"] = hsts && preload
	a["x_content_type_options"] = strings.EqualFold(strings.TrimSpace(h.Get("X-Content-Type-Options")), "nosniff")
	a["x_frame_options"] = xfo == "DENY" || xfo == "SAMEORIGIN" || strings.Contains(strings.ToLower(csp), "frame-ancestors")
	a["content_security_policy"] = csp != ""
	a["referrer_policy"] = ref != "" && ref != "unsafe-url"
	a["server_header"] = h.Get("Server")
	a["x_powered_by"] = h.Get("X-Powered-By")
}

func redirectsToHTTPS(resp *http.Response) bool {
	if resp.StatusCode < 300 || resp.StatusCode > 399 {
		return false
	}
	loc, err := resp.Location()
	return err == nil && loc.Scheme == "https"
}

// probeRedirect asks the plain-HTTP address (http_url, else port 80 of the
// host) whether it sends visitors to HTTPS. Nothing listening is fine
// (http_listening false); it is not an error.
func probeRedirect(ctx context.Context, s settings, a map[string]any) {
	if _, done := a["http_listening"]; done {
		return
	}
	a["http_listening"], a["http_redirects_to_https"] = false, false
	timeout := min(s.timeout, 5*time.Second)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.httpURL, nil)
	if err != nil {
		return
	}
	req.Header.Set("User-Agent", "assay-monitor")
	resp, err := client(timeout).Do(req)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	a["http_listening"] = true
	a["http_redirects_to_https"] = redirectsToHTTPS(resp)
}
