package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

// When an engagement's period ends, the next one (the day after, twelve
// months) is on Upcoming with its readiness review, until an engagement
// for it exists: on leap day 2028 and on New Year's Eve.
func TestUpcomingShowsTheNextAuditPeriod(t *testing.T) {
	e := newEnv(t) // 2028-02-29 23:30 UTC
	admin := e.principal(t, assay.RoleAdmin)
	day := func(y int, m time.Month, d int) *time.Time {
		t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		return &t
	}
	if _, err := e.app.CreateAudit(e.ctx, admin, assay.NewAudit{Type: assay.AuditType2, Name: "FY28", Firm: "F",
		PeriodStart: day(2027, 3, 1), PeriodEnd: day(2028, 2, 29)}); err != nil {
		t.Fatal(err)
	}
	list, err := e.app.Upcoming(e.ctx, admin, 1)
	if err != nil || !strings.Contains(titles(list.Upcoming), `Next audit period begins (1 Mar 2028 to 28 Feb 2029), after "FY28": create its engagement@2028-03-01`) ||
		!strings.Contains(titles(list.Overdue), "Readiness review before the next audit period (1 Mar 2028 to 28 Feb 2029)") {
		t.Fatalf("on leap day: %+v %v", list, err)
	}

	// The next engagement is created: the renewal moves on to the one after.
	if _, err := e.app.CreateAudit(e.ctx, admin, assay.NewAudit{Type: assay.AuditType2, Name: "CY28", Firm: "F",
		PeriodStart: day(2028, 3, 1), PeriodEnd: day(2028, 12, 31)}); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2028, 12, 31, 23, 30, 0, 0, time.UTC))
	list, err = e.app.Upcoming(e.ctx, admin, 1)
	all := titles(list.Overdue) + titles(list.Upcoming)
	if err != nil || strings.Contains(all, "FY28") ||
		!strings.Contains(titles(list.Upcoming), `Next audit period begins (1 Jan 2029 to 31 Dec 2029), after "CY28": create its engagement@2029-01-01`) {
		t.Fatalf("on New Year's Eve: %s %v", all, err)
	}
}
