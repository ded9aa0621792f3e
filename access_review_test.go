package assay

import (
	"strings"
	"testing"
	"time"
)

func TestParseAccessAccountsCSV(t *testing.T) {
	list, err := ParseAccessAccountsCSV(strings.NewReader("\ufeffSystem,Username,E-mail,Role\nOkta,alice,Alice@Example.com,admin\n,bob,,read\n\n"), "Okta")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Email != "alice@example.com" || list[0].Privileges != "admin" || list[1].System != "Okta" || list[1].Source != AccountFromCSV {
		t.Fatalf("list = %+v", list)
	}
	for _, c := range []struct{ csv, want string }{
		{"", "empty"},
		{"system,email\nOkta,a@example.com\n", "Line 1"},
		{"account\nalice\n", "system column"},
		{"system,account\nOkta,alice\nOkta,ALICE\n", "Line 3"},
		{"system,account,email\nOkta,alice,a@example.com\nOkta,bob,not-an-address\n", "Line 3"},
		{"system,account\nOkta,\"broken\n", "Line 2"},
		{"system,account\n", "no accounts"},
	} {
		_, err := ParseAccessAccountsCSV(strings.NewReader(c.csv), "")
		if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), c.want) {
			t.Errorf("%q: %v, want %q", c.csv, err, c.want)
		}
	}
}

func TestAccessDecisionValidate(t *testing.T) {
	for _, d := range []NewAccessDecision{{Decision: "maybe"}, {Decision: AccessRevoke}, {Decision: AccessChange, Reason: "  "}} {
		if err := d.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("%+v: %v", d, err)
		}
	}
	d := NewAccessDecision{Decision: " KEEP "}
	if err := d.Validate(); err != nil || d.Decision != AccessKeep {
		t.Errorf("keep: %v %+v", err, d)
	}
}

func TestAccessReviewObligations(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	first := AccessReviewObligations(now, nil)
	if len(first) != 1 || !first[0].Due.Equal(Day(now)) {
		t.Fatalf("first = %+v", first)
	}
	done := now.AddDate(0, 0, -10)
	list := AccessReviewObligations(now, []AccessReview{
		{ID: 1, Name: "Q4", Status: AccessReviewCompleted, CompletedAt: &done},
		{ID: 2, Name: "Q1", Status: AccessReviewOpen, DueDate: Day(now.AddDate(0, 0, 5))},
	})
	if len(list) != 2 || list[0].Title != "Access review: Q1" || !list[1].Due.Equal(Day(done.AddDate(0, 0, 90))) {
		t.Fatalf("list = %+v", list)
	}
	overdue, soon := UpcomingWindow(now, 30, append(list, Obligation{Title: "old", Due: now.AddDate(0, 0, -1)}))
	if len(overdue) != 1 || len(soon) != 1 || soon[0].Title != "Access review: Q1" {
		t.Fatalf("window = %+v / %+v", overdue, soon)
	}
}
