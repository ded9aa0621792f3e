// Package apiclient is what the live SaaS collectors (GitHub, Okta) share
// beneath their API clients: an http.RoundTripper that waits out rate
// limits, retries transient server errors with backoff on an injected
// clock and sleeper, sends the credential only to the configured host, and
// records every response so a run can keep them as evidence.
package apiclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// Sleeper waits d or until ctx ends. Tests pass one that returns at once.
type Sleeper func(ctx context.Context, d time.Duration) error

// Sleep is the real Sleeper.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RateHeaders names a provider's rate limit headers.
type RateHeaders struct {
	Remaining string // "X-RateLimit-Remaining"
	Reset     string // "X-RateLimit-Reset": Unix seconds
}

// Transport retries and records. Set the fields before use.
type Transport struct {
	Base  http.RoundTripper // default http.DefaultTransport
	Clock assay.Clock
	Sleep Sleeper
	// Host is the only host the credential is sent to (host[:port]).
	Host string
	// Authorize sets the credential on a request to Host.
	Authorize func(*http.Request)
	Rate      RateHeaders
	// Attempts bounds the tries of one request (default 5).
	Attempts int
	// MaxWait bounds one wait for a rate limit to reset (default 15
	// minutes); a longer one fails the request rather than hold the run.
	MaxWait time.Duration
	// Log keeps every final response (nil: none kept).
	Log *Log
}

// maxBody bounds one response body read.
const maxBody = 32 << 20

// RoundTrip sends req, waiting out rate limits and retrying 5xx and
// network errors; only GET and HEAD are retried.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	attempts := t.Attempts
	if attempts <= 0 {
		attempts = 5
	}
	idempotent := req.Method == http.MethodGet || req.Method == http.MethodHead
	backoff := time.Second
	for try := 1; ; try++ {
		r := req.Clone(req.Context())
		if t.Authorize != nil && strings.EqualFold(r.URL.Host, t.Host) {
			t.Authorize(r)
		}
		resp, err := base.RoundTrip(r)
		last := try >= attempts || !idempotent
		if err != nil {
			if last || req.Context().Err() != nil {
				return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
			}
			if err := t.sleep(req.Context(), backoff); err != nil {
				return nil, err
			}
			backoff *= 2
			continue
		}
		wait, retry := t.retryAfter(resp, backoff)
		if !retry && resp.StatusCode == http.StatusForbidden {
			// GitHub's secondary limit may come as a bare 403 that says so
			// only in its message: wait a minute, as its documentation asks.
			peek, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
			resp.Body = io.NopCloser(bytes.NewReader(peek))
			if bytes.Contains(bytes.ToLower(peek), []byte("secondary rate limit")) {
				wait, retry = time.Minute, true
			}
		}
		if retry && !last {
			drain(resp)
			slog.InfoContext(req.Context(), "api: waiting to retry", "host", req.URL.Host, "path", req.URL.Path,
				"status", resp.StatusCode, "wait", wait, "try", try)
			if wait > t.maxWait() {
				return nil, fmt.Errorf("%s %s: the rate limit resets in %s, longer than this run waits", req.Method, req.URL.Path, wait.Round(time.Second))
			}
			if err := t.sleep(req.Context(), wait); err != nil {
				return nil, err
			}
			if resp.StatusCode >= 500 {
				backoff *= 2
			}
			continue
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("%s %s: read the answer: %w", req.Method, req.URL.Path, err)
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		t.Log.add(req, resp, body)
		return resp, nil
	}
}

func (t *Transport) maxWait() time.Duration {
	if t.MaxWait <= 0 {
		return 15 * time.Minute
	}
	return t.MaxWait
}

func (t *Transport) sleep(ctx context.Context, d time.Duration) error {
	s := t.Sleep
	if s == nil {
		s = Sleep
	}
	if err := s(ctx, d); err != nil {
		return fmt.Errorf("waiting to retry: %w", err)
	}
	return nil
}

// retryAfter says whether resp is worth another try and after how long:
// a 429, or a 403 that is a rate limit (Retry-After, or no requests
// remaining), waits for Retry-After or the reset time; a 500, 502, 503
// or 504 waits backoff.
func (t *Transport) retryAfter(resp *http.Response, backoff time.Duration) (time.Duration, bool) {
	h := resp.Header
	switch {
	case resp.StatusCode == http.StatusTooManyRequests,
		resp.StatusCode == http.StatusForbidden && (h.Get("Retry-After") != "" || (t.Rate.Remaining != "" && h.Get(t.Rate.Remaining) == "0")):
		if s, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After"))); err == nil && s >= 0 {
			return time.Duration(s) * time.Second, true
		}
		if t.Rate.Reset != "" {
			if unix, err := strconv.ParseInt(strings.TrimSpace(h.Get(t.Rate.Reset)), 10, 64); err == nil {
				var clock assay.Clock = assay.SystemClock{}
				if t.Clock != nil {
					clock = t.Clock
				}
				if d := time.Unix(unix, 0).Sub(clock.Now()) + time.Second; d > 0 {
					return d, true
				}
				return time.Second, true
			}
		}
		return time.Minute, true
	case resp.StatusCode == http.StatusInternalServerError, resp.StatusCode == http.StatusBadGateway,
		resp.StatusCode == http.StatusServiceUnavailable, resp.StatusCode == http.StatusGatewayTimeout:
		return backoff, true
	}
	return 0, false
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
}

// ErrPartial marks a collection that stopped part way: its run is an
// error, never a pass on what was read.
var ErrPartial = errors.New("the collection is incomplete")
