package server

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/assay-platform/assay"
)

type icsEvent map[string]string

// parseICS unfolds and parses a calendar, checking the line rules on the way.
func parseICS(t *testing.T, body string) (map[string]string, []icsEvent) {
	t.Helper()
	if !strings.HasSuffix(body, "\r\n") {
		t.Fatalf("calendar does not end with CRLF")
	}
	for i, raw := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if strings.Contains(raw, "\n") || strings.Contains(raw, "\r") {
			t.Fatalf("line %d has a bare line break: %q", i+1, raw)
		}
		if len(raw) > 75 {
			t.Fatalf("line %d is %d octets: %q", i+1, len(raw), raw)
		}
		if !utf8.ValidString(raw) {
			t.Fatalf("line %d splits a UTF-8 sequence: %q", i+1, raw)
		}
	}
	unfolded := strings.ReplaceAll(body, "\r\n ", "")
	cal := map[string]string{}
	var events []icsEvent
	var cur icsEvent
	for _, line := range strings.Split(strings.TrimSuffix(unfolded, "\r\n"), "\r\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("content line without a colon: %q", line)
		}
		switch {
		case line == "BEGIN:VEVENT":
			cur = icsEvent{}
		case line == "END:VEVENT":
			events = append(events, cur)
			cur = nil
		case cur != nil:
			cur[name] = value
		default:
			cal[name] = value
		}
	}
	return cal, events
}

func icsUnescape(s string) string {
	return strings.NewReplacer(`\\`, `\`, `\;`, `;`, `\,`, `,`, `\n`, "\n", `\N`, "\n").Replace(s)
}

func TestRenderICal(t *testing.T) {
	title := "Review: Ünïcode, commas; semicolons \\ backslashes\nand a line break — " + strings.Repeat("long title ", 12)
	list := []assay.Obligation{
		{Kind: "policy_review", Title: title, Due: time.Date(2026, 4, 1, 15, 0, 0, 0, time.UTC), Link: "/policies/3"},
		{Kind: "access_review", Title: "Next quarterly access review", Due: time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC), Link: "/access-reviews"},
		{Kind: "access_review", Title: "Next quarterly access review", Due: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC), Link: "/access-reviews"},
	}
	body := renderICal("Northwind, Inc. obligations", "https://assay.example", time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC), list)
	cal, events := parseICS(t, body)
	if cal["BEGIN"] != "VCALENDAR" || cal["VERSION"] != "2.0" || cal["PRODID"] == "" || icsUnescape(cal["X-WR-CALNAME"]) != "Northwind, Inc. obligations" {
		t.Errorf("calendar = %v", cal)
	}
	if len(events) != 3 {
		t.Fatalf("events = %d", len(events))
	}
	e := events[0]
	if got := icsUnescape(e["SUMMARY"]); got != title {
		t.Errorf("summary round trip:\n got %q\nwant %q", got, title)
	}
	if e["DTSTART;VALUE=DATE"] != "20260401" || e["DTEND;VALUE=DATE"] != "20260402" || e["DTSTAMP"] != "20260302T093000Z" ||
		e["URL"] != "https://assay.example/policies/3" || !strings.HasSuffix(e["UID"], "@assay") {
		t.Errorf("event = %v", e)
	}
	if events[1]["UID"] == events[2]["UID"] {
		t.Error("two events share a UID")
	}
	if !strings.Contains(body, "\r\n ") {
		t.Error("the long summary was not folded")
	}
	// The same obligation keeps its UID when its date moves.
	moved := list[0]
	moved.Due = moved.Due.AddDate(0, 1, 0)
	if icalUID(moved) != icalUID(list[0]) {
		t.Error("UID changes with the due date")
	}
}

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
	_, events := parseICS(t, body)
	found := false
	for _, e := range events {
		if icsUnescape(e["SUMMARY"]) == "Access review: Q1; infra, apps" && e["DTSTART;VALUE=DATE"] == "20260331" {
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
	_, page := s.get("/upcoming")
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
