package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var secretRE = regexp.MustCompile(`value="(assay_pat_[a-z0-9]+)"`)

// TestAPITokenScopeAndExpiry makes tokens on the tokens page and uses
// them: a read-only token reads and is refused (403) anything else, before
// the route's own checks; the default expiry is 90 days, a year is the
// longest, and the clock decides when a token stops.
func TestAPITokenScopeAndExpiry(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf()
	create := func(form url.Values) (int, string) {
		form.Set("csrf", csrf)
		form.Set("user_id", itoa(s.admin.ID))
		code, body, _ := s.post("/settings/tokens", form)
		m := secretRE.FindStringSubmatch(body)
		if m == nil {
			return code, body
		}
		return code, m[1]
	}
	call := func(secret, method, path, body string) int {
		req, _ := http.NewRequest(method, s.srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+secret)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	code, ro := create(url.Values{"name": {"dashboards"}, "scope": {"read_only"}, "expires": {""}})
	if code != http.StatusCreated {
		t.Fatalf("read-only token: %d %s", code, ro)
	}
	_, rw := create(url.Values{"name": {"automation"}, "scope": {"read_write"}, "expires": {"365"}})
	if got := call(ro, "GET", "/api/v1/controls", ""); got != 200 {
		t.Fatalf("read-only GET: %d", got)
	}
	scope := `{"categories":["availability"]}`
	for _, c := range []struct{ method, path, body string }{
		{"PUT", "/api/v1/scope", scope}, {"POST", "/api/v1/controls", `{}`}, {"PATCH", "/api/v1/controls/ACC-02", `{}`},
	} {
		if got := call(ro, c.method, c.path, c.body); got != http.StatusForbidden {
			t.Errorf("read-only %s %s: %d, want 403", c.method, c.path, got)
		}
	}
	if got := call(rw, "PUT", "/api/v1/scope", scope); got != 200 {
		t.Fatalf("read-write PUT: %d", got)
	}
	// The list shows scope and expiry.
	_, body := s.get("/settings/tokens")
	if !strings.Contains(body, "<td>Read-only</td>") || !strings.Contains(body, "<td>Read-write</td>") {
		t.Fatalf("tokens page without scopes:\n%s", body)
	}
	var me struct {
		Tokens []struct {
			Name      string     `json:"name"`
			Scope     string     `json:"scope"`
			ExpiresAt *time.Time `json:"expires_at"`
		} `json:"tokens"`
	}
	toks, err := s.db.Org(s.org.ID).APITokens(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(map[string]any{"tokens": toks})
	_ = json.Unmarshal(raw, &me)
	if len(me.Tokens) != 2 || me.Tokens[0].Scope != "read_only" || me.Tokens[0].ExpiresAt == nil ||
		!me.Tokens[0].ExpiresAt.Equal(s.clock.Now().Add(90*24*time.Hour)) || !me.Tokens[1].ExpiresAt.Equal(s.clock.Now().Add(365*24*time.Hour)) {
		t.Fatalf("tokens: %+v", me.Tokens)
	}
	// More than a year is refused, and says so.
	if code, body := create(url.Values{"name": {"forever-ish"}, "expires": {"400"}}); code != http.StatusBadRequest || !strings.Contains(body, "at most a year") {
		t.Fatalf("400 days: %d", code)
	}
	// An admin may choose never.
	if code, _ := create(url.Values{"name": {"break-glass"}, "expires": {"never"}}); code != http.StatusCreated {
		t.Fatalf("never by an admin: %d", code)
	}
	// The clock decides: at 90 days the read-only token stops.
	s.clock.Set(s.clock.Now().Add(90*24*time.Hour - time.Second))
	if got := call(ro, "GET", "/api/v1/controls", ""); got != 200 {
		t.Fatalf("a second before expiry: %d", got)
	}
	s.clock.Set(s.clock.Now().Add(time.Second))
	if got := call(ro, "GET", "/api/v1/controls", ""); got != http.StatusUnauthorized {
		t.Fatalf("at expiry: %d", got)
	}
}
