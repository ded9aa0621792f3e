package assay

import (
	"fmt"
	"time"
)

// RenewalMonths is the length of the next audit period by default.
const RenewalMonths = 12

// RenewalReadinessDays is how long before the next period starts its
// readiness review falls due.
const RenewalReadinessDays = 30

// coverage is the last day an engagement covers and the first: a Type I's
// date, or a Type II's period.
func coverage(a Audit) (start, end time.Time, ok bool) {
	if a.Type == AuditType1 && a.AsOf != nil {
		return Day(*a.AsOf), Day(*a.AsOf), true
	}
	if a.PeriodStart != nil && a.PeriodEnd != nil {
		return Day(*a.PeriodStart), Day(*a.PeriodEnd), true
	}
	return time.Time{}, time.Time{}, false
}

// NextPeriod is the period that follows an engagement: it starts the day
// after the engagement's last day and lasts months (whole days, the last
// one included: 1 March 2028 for 12 months ends on 28 February 2029).
func NextPeriod(a Audit, months int) (start, end time.Time, ok bool) {
	_, last, ok := coverage(a)
	if !ok {
		return time.Time{}, time.Time{}, false
	}
	if months < 1 {
		months = RenewalMonths
	}
	start = last.AddDate(0, 0, 1)
	end = time.Date(start.Year(), start.Month()+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	// The same day of the month months later, or the month's last day when
	// it has fewer days (31 January + 1 month: the end of February).
	if d := daysIn(end.Year(), end.Month()); start.Day() <= d {
		end = end.AddDate(0, 0, start.Day()-1)
	} else {
		end = end.AddDate(0, 0, d)
	}
	return start, end.AddDate(0, 0, -1), true
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// RenewalObligations keeps the yearly cycle from lapsing: for every
// engagement no later engagement follows (none starts on or after the day
// after it ends), the next period's start falls due, with its readiness
// review RenewalReadinessDays before. They stay on the list, overdue once
// passed, until an engagement for the next period is created.
func RenewalObligations(audits []Audit, months int) []Obligation {
	out := []Obligation{}
	for _, a := range audits {
		start, end, ok := NextPeriod(a, months)
		if !ok {
			continue
		}
		followed := false
		for _, b := range audits {
			if bs, _, ok := coverage(b); ok && b.ID != a.ID && !bs.Before(start) {
				followed = true
			}
		}
		if followed {
			continue
		}
		span := fmt.Sprintf("%s to %s", start.Format("2 Jan 2006"), end.Format("2 Jan 2006"))
		out = append(out,
			Obligation{Kind: "audit_readiness", Title: fmt.Sprintf("Readiness review before the next audit period (%s), after %q", span, a.Name),
				Due: start.AddDate(0, 0, -RenewalReadinessDays), Link: "/controls"},
			Obligation{Kind: "audit_renewal", Title: fmt.Sprintf("Next audit period begins (%s), after %q: create its engagement", span, a.Name),
				Due: start, Link: fmt.Sprintf("/audits/%d", a.ID)})
	}
	return out
}
