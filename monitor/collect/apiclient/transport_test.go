package apiclient

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

type waits struct {
	mu  sync.Mutex
	all []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.all = append(w.all, d)
	return ctx.Err()
}

// server answers each request with the next of answers, then 200.
func server(t *testing.T, answers ...func(http.ResponseWriter)) (*httptest.Server, *[]http.Header) {
	var mu sync.Mutex
	var seen []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		n := len(seen)
		mu.Unlock()
		if n <= len(answers) {
			answers[n-1](w)
			return
		}
		w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func answer(code int, headers ...string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(code)
		w.Write([]byte(`{"message":"no"}`))
	}
}

func transport(srv *httptest.Server, w *waits, log *Log) *Transport {
	return &Transport{Clock: &assay.FixedClock{T: now}, Sleep: w.sleep, Host: strings.TrimPrefix(srv.URL, "http://"), Log: log,
		Rate:      RateHeaders{Remaining: "X-RateLimit-Remaining", Reset: "X-RateLimit-Reset"},
		Authorize: func(r *http.Request) { r.Header.Set("Authorization", "Bearer tok") }}
}

func get(t *testing.T, tr *Transport, url string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tr.RoundTrip(req)
}

func TestWaitsOutRateLimitsAndRetriesServerErrors(t *testing.T) {
	reset := strconv.FormatInt(now.Add(2*time.Minute).Unix(), 10)
	srv, seen := server(t,
		answer(http.StatusTooManyRequests, "Retry-After", "3"),
		answer(http.StatusForbidden, "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", reset),
		answer(http.StatusServiceUnavailable),
		answer(http.StatusBadGateway))
	w, log := &waits{}, &Log{}
	resp, err := get(t, transport(srv, w, log), srv.URL+"/x")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%v %v", resp, err)
	}
	body, _ := io.ReadAll(resp.Body)
	want := []time.Duration{3 * time.Second, 121 * time.Second, time.Second, 2 * time.Second}
	if len(w.all) != len(want) || string(body) != `{"ok":true}` {
		t.Fatalf("waits %v, body %s", w.all, body)
	}
	for i := range want {
		if w.all[i] != want[i] {
			t.Errorf("wait %d = %s, want %s", i, w.all[i], want[i])
		}
	}
	for _, h := range *seen {
		if h.Get("Authorization") != "Bearer tok" {
			t.Error("a try went without the credential")
		}
	}
	if e := log.Entries(); len(e) != 1 || e[0].Status != 200 || string(e[0].Body) != `{"ok":true}` {
		t.Errorf("log: %+v", e)
	}
}

func TestAPlainForbiddenIsNotRetried(t *testing.T) {
	srv, seen := server(t, answer(http.StatusForbidden))
	w := &waits{}
	resp, err := get(t, transport(srv, w, nil), srv.URL+"/x")
	if err != nil || resp.StatusCode != http.StatusForbidden || len(*seen) != 1 || len(w.all) != 0 {
		t.Fatalf("%v %v: %d tries, waits %v", resp, err, len(*seen), w.all)
	}
}

func TestAResetTooFarAwayFailsAtOnce(t *testing.T) {
	srv, seen := server(t, answer(http.StatusTooManyRequests, "Retry-After", "3600"))
	w := &waits{}
	_, err := get(t, transport(srv, w, nil), srv.URL+"/x")
	if err == nil || !strings.Contains(err.Error(), "rate limit resets in 1h0m0s") || len(*seen) != 1 || len(w.all) != 0 {
		t.Fatalf("%v: %d tries, waits %v", err, len(*seen), w.all)
	}
}

func TestTheCredentialStaysOnItsHost(t *testing.T) {
	srv, seen := server(t)
	tr := transport(srv, &waits{}, nil)
	tr.Host = "api.example.com"
	if _, err := get(t, tr, srv.URL+"/x"); err != nil {
		t.Fatal(err)
	}
	if (*seen)[0].Get("Authorization") != "" {
		t.Error("the credential went to another host")
	}
}

// GitHub's secondary limit can be a bare 403 that says so only in its
// message: it waits a minute and tries again.
func TestASecondaryLimitWithoutHeadersWaitsAMinute(t *testing.T) {
	srv, seen := server(t, func(w http.ResponseWriter) {
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`{"message":"You have exceeded a secondary rate limit and have been temporarily blocked from content creation."}`))
	})
	w := &waits{}
	resp, err := get(t, transport(srv, w, nil), srv.URL+"/x")
	if err != nil || resp.StatusCode != 200 || len(*seen) != 2 || len(w.all) != 1 || w.all[0] != time.Minute {
		t.Fatalf("%v %v: %d tries, waits %v", resp, err, len(*seen), w.all)
	}
}
