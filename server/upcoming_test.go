package server

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/assay-platform/assay/internal/icstest"
)

var feedURLRE = regexp.MustCompile(`value="(https?://[^"]+/calendar/(assay_cal_[a-z0-9]+)\.ics)"`)
var revokeRE = regexp.MustCompile(`action="(/upcoming/calendar/\d+/revoke)"`)

func TestCalendarFeed(t *testing.T) {
	s := newSite(t)
	code, body := s.apiCall("POST", "/api/v1/access-reviews", "application/json",
		`{"name":"Q1; infra, apps","period":"2026 Q1","due_date":"2026-03-31T00:00:00Z","systems":[{"name":"AWS"}]}`)
	if code != http.StatusCreated {
		t.Fatalf("create campaign: %d %s", code, body)
	}
	csrf := s.csrf()
	code, body, _ = s.post("/upcoming/calendar", url.Values{"csrf": {csrf}})
	m := feedURLRE.FindStringSubmatch(body)
	if code != http.StatusOK || m == nil {
		t.Fatalf("create feed: %d\n%s", code, body)
	}
	feed, secret := m[1], m[2]
	checkCSP(t, "/upcoming/calendar", body)
	checkA11y(t, "/upcoming/calendar", body)
	if _, page := s.get("/upcoming"); strings.Contains(page, secret) {
		t.Error("the feed secret is shown again after creation")
	}
	// The kind filter: counts per kind, and only that kind when chosen.
	if _, page := s.get("/upcoming"); !strings.Contains(page, `href="/upcoming?kind=access_review"`) {
		t.Errorf("no kind filter for the access review:\n%s", grepLines(page, "kind"))
	}
	if _, page := s.get("/upcoming?kind=vendor_review"); strings.Contains(page, "Q1; infra, apps") {
		t.Error("the vendor-review filter lists the access review")
	}
	_, page := s.get("/upcoming?kind=access_review")
	if !strings.Contains(page, "Q1; infra, apps") {
		t.Error("the access-review filter leaves the access review out")
	}
	checkA11y(t, "/upcoming?kind=access_review", page)

	// A calendar app has no session: only the address.
	anon := &http.Client{}
	fetch := func(u string) (int, string, string) {
		t.Helper()
		resp, err := anon.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header.Get("Content-Type")
	}
	code, body, ctype := fetch(feed)
	if code != http.StatusOK || !strings.HasPrefix(ctype, "text/calendar") {
		t.Fatalf("feed: %d %s\n%s", code, ctype, body)
	}
	_, events := icstest.Parse(t, body)
	found := false
	for _, e := range events {
		if icstest.Unescape(e["SUMMARY"]) == "Access review: Q1; infra, apps" && e["DTSTART;VALUE=DATE"] == "20260331" {
			found = true
		}
	}
	if !found {
		t.Errorf("feed lacks the campaign:\n%s", body)
	}
	if strings.Contains(body, "Dana Reyes") || strings.Contains(body, adminEmail) {
		t.Error("the feed carries more than obligations")
	}
	for _, bad := range []string{
		s.srv.URL + "/calendar/assay_cal_" + strings.Repeat("a", 32) + ".ics", // wrong token
		s.srv.URL + "/calendar/" + secret,                                     // no .ics
		s.srv.URL + "/calendar/" + strings.TrimPrefix(secret, "assay_cal_") + ".ics",
	} {
		if code, _, _ := fetch(bad); code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", bad, code)
		}
	}
	// Revoked, the address stops working.
	_, page = s.get("/upcoming")
	rm := revokeRE.FindStringSubmatch(page)
	if rm == nil {
		t.Fatalf("no revoke form:\n%s", page)
	}
	if code, body, _ := s.post(rm[1], url.Values{"csrf": {csrf}}); code != http.StatusSeeOther {
		t.Fatalf("revoke: %d\n%s", code, body)
	}
	if code, _, _ := fetch(feed); code != http.StatusNotFound {
		t.Errorf("revoked feed: %d, want 404", code)
	}
}
