package web

import (
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/internal/icstest"
)

func TestRenderICal(t *testing.T) {
	title := "Review: Ünïcode, commas; semicolons \\ backslashes\nand a line break — " + strings.Repeat("long title ", 12)
	list := []assay.Obligation{
		{Kind: "policy_review", Title: title, Due: time.Date(2026, 4, 1, 15, 0, 0, 0, time.UTC), Link: "/policies/3"},
		{Kind: "access_review", Title: "Next quarterly access review", Due: time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC), Link: "/access-reviews"},
		{Kind: "access_review", Title: "Next quarterly access review", Due: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC), Link: "/access-reviews"},
	}
	body := renderICal("Northwind, Inc. obligations", "https://assay.example", time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC), list)
	cal, events := icstest.Parse(t, body)
	if cal["BEGIN"] != "VCALENDAR" || cal["VERSION"] != "2.0" || cal["PRODID"] == "" || icstest.Unescape(cal["X-WR-CALNAME"]) != "Northwind, Inc. obligations" {
		t.Errorf("calendar = %v", cal)
	}
	if len(events) != 3 {
		t.Fatalf("events = %d", len(events))
	}
	e := events[0]
	if got := icstest.Unescape(e["SUMMARY"]); got != title {
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
