package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// TestCLIUpcomingAndCalendar: what falls due from the command line, the
// API's document with --json; calendar feeds made for a user (not the
// operator), listed and revoked; the wrong role and bad input refused.
func TestCLIUpcomingAndCalendar(t *testing.T) {
	t.Parallel()
	e := newCLIEnv(t).at("2028-02-29T12:00:00Z")
	e.root()
	e.user("member", "mo@example.com", "Mo")
	e.user("employee", "em@example.com", "Em")
	e.must("risk", "add", "--title", "Leap day", "--category", "security", "--likelihood", "3", "--impact", "3",
		"--residual-likelihood", "2", "--residual-impact", "2", "--review-date", "2028-02-29")
	e.must("risk", "add", "--title", "New year", "--category", "security", "--likelihood", "3", "--impact", "3",
		"--residual-likelihood", "2", "--residual-impact", "2", "--review-date", "2029-01-01")

	var list app.UpcomingList
	if err := json.Unmarshal([]byte(e.must("upcoming", "--json", "--as", "mo@example.com")), &list); err != nil || list.Days != assay.UpcomingDays {
		t.Fatalf("upcoming --json: %v %+v", err, list)
	}
	found := false
	for _, o := range list.Upcoming {
		found = found || (o.Title == "Risk review: Leap day" && o.Due.Format("2006-01-02") == "2028-02-29")
	}
	if !found {
		t.Fatalf("upcoming lacks the leap-day review: %+v", list)
	}
	if out := e.must("upcoming", "--days", "400"); !strings.Contains(out, "2029-01-01") || !strings.Contains(out, "Risk review: New year") {
		t.Fatalf("upcoming --days 400:\n%s", out)
	}
	if out := e.at("2028-12-31T23:30:00Z").must("upcoming", "--days", "1"); !strings.Contains(out, "overdue  2028-02-29") || !strings.Contains(out, "due      2029-01-01") {
		t.Fatalf("upcoming on New Year's Eve:\n%s", out)
	}
	for _, bad := range []string{"0", "-3", "3661"} {
		e.refused("days must be between 1 and 3660", "upcoming", "--days", bad)
	}
	e.refused("does not show what falls due", "upcoming", "--as", "em@example.com")

	// Calendar feeds.
	e.refused("the operator has none", "calendar", "create")
	e.refused("does not show what falls due", "calendar", "create", "--as", "em@example.com")
	if out := e.must("calendar", "create", "--as", "mo@example.com"); !strings.Contains(out, "\n/calendar/assay_cal_") || !strings.Contains(out, "not shown again") {
		t.Fatalf("calendar create (no public URL):\n%s", out)
	}
	var made struct {
		Feed assay.CalendarToken `json:"feed"`
		URL  string              `json:"url"`
	}
	out := e.must("calendar", "create", "--as", "root@example.com", "--public-url", "https://assay.example.com/", "--json")
	if err := json.Unmarshal([]byte(out), &made); err != nil || !strings.HasPrefix(made.URL, "https://assay.example.com/calendar/assay_cal_") || made.Feed.ID == 0 {
		t.Fatalf("calendar create --json: %v\n%s", err, out)
	}
	var feeds struct {
		Feeds []assay.CalendarToken `json:"feeds"`
		Count int                   `json:"count"`
	}
	if err := json.Unmarshal([]byte(e.must("calendar", "list", "--json")), &feeds); err != nil || feeds.Count != 2 {
		t.Fatalf("operator's calendar list: %v %+v", err, feeds)
	}
	if out := e.must("calendar", "list", "--as", "mo@example.com"); strings.Count(out, "\n") != 2 || strings.Contains(out, made.Feed.Prefix) {
		t.Fatalf("Mo's calendar list:\n%s", out)
	}
	e.refused("Only admins", "calendar", "list", "--all", "--as", "mo@example.com")
	id := strconv.FormatInt(made.Feed.ID, 10)
	e.refused("not found", "calendar", "revoke", id, "--as", "mo@example.com")
	e.refused("give a number", "calendar", "revoke", "x")
	if out := e.must("calendar", "revoke", id, "--as", "root@example.com"); !strings.Contains(out, "Calendar feed "+id+" revoked") {
		t.Fatalf("calendar revoke: %s", out)
	}
	e.refused("not found", "calendar", "revoke", id)
	if err := json.Unmarshal([]byte(e.must("calendar", "list", "--json")), &feeds); err != nil || feeds.Count != 1 {
		t.Fatalf("after revoking: %v %+v", err, feeds)
	}
}
