package assay

import (
	"testing"
	"time"
)

func date(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// The next period starts the day after the engagement's last day and runs
// twelve months by default, at the awkward ends of months and years.
func TestNextPeriod(t *testing.T) {
	for _, c := range []struct {
		a          Audit
		months     int
		start, end string
	}{
		{Audit{Type: AuditType2, PeriodStart: date(2027, 3, 1), PeriodEnd: date(2028, 2, 29)}, 0, "2028-03-01", "2029-02-28"},
		{Audit{Type: AuditType2, PeriodStart: date(2027, 1, 1), PeriodEnd: date(2027, 12, 31)}, 12, "2028-01-01", "2028-12-31"},
		{Audit{Type: AuditType2, PeriodStart: date(2027, 3, 1), PeriodEnd: date(2028, 2, 28)}, 12, "2028-02-29", "2029-02-28"},
		{Audit{Type: AuditType2, PeriodStart: date(2027, 7, 1), PeriodEnd: date(2028, 1, 30)}, 1, "2028-01-31", "2028-02-29"},
		{Audit{Type: AuditType1, AsOf: date(2027, 12, 31)}, 6, "2028-01-01", "2028-06-30"},
	} {
		start, end, ok := NextPeriod(c.a, c.months)
		if !ok || start.Format(time.DateOnly) != c.start || end.Format(time.DateOnly) != c.end {
			t.Errorf("after %v..%v (%d months): %s..%s, want %s..%s", c.a.PeriodStart, c.a.PeriodEnd, c.months, start.Format(time.DateOnly), end.Format(time.DateOnly), c.start, c.end)
		}
	}
}

// Only the last engagement of a chain asks for its successor.
func TestRenewalObligations(t *testing.T) {
	fy27 := Audit{ID: 1, Name: "FY27", Type: AuditType2, PeriodStart: date(2026, 3, 1), PeriodEnd: date(2027, 2, 28)}
	fy28 := Audit{ID: 2, Name: "FY28", Type: AuditType2, PeriodStart: date(2027, 3, 1), PeriodEnd: date(2028, 2, 29)}
	got := RenewalObligations([]Audit{fy27, fy28}, RenewalMonths)
	if len(got) != 2 || got[1].Kind != "audit_renewal" || got[1].Due.Format(time.DateOnly) != "2028-03-01" ||
		got[0].Kind != "audit_readiness" || got[0].Due.Format(time.DateOnly) != "2028-01-31" || got[1].Link != "/audits/2" {
		t.Fatalf("renewal: %+v", got)
	}
	if got := RenewalObligations(nil, RenewalMonths); len(got) != 0 {
		t.Fatalf("no engagements: %+v", got)
	}
}
