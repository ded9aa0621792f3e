package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// checkDemoEngagement holds the demo's Type II engagement to what an
// auditor would find: six whole months ending last month, Security as
// frozen at its start, a handful of exceptions including the two lapses
// written at the dates they happened, an invited auditor, their open
// requests (one overdue) and a drawn sample.
func checkDemoEngagement(t *testing.T, ctx context.Context, os store.OrgStore, now time.Time) {
	t.Helper()
	audits, err := os.Audits(ctx)
	if err != nil || len(audits) != 1 {
		t.Fatalf("demo engagements: %v %+v", err, audits)
	}
	a := audits[0]
	start, end := demoPeriod(now)
	if a.Type != assay.AuditType2 || a.Status != assay.AuditFieldwork || !a.PeriodStart.Equal(start) || !a.PeriodEnd.Equal(end) {
		t.Fatalf("engagement: %s %s %v..%v, want type_2 fieldwork %v..%v", a.Type, a.Status, a.PeriodStart, a.PeriodEnd, start, end)
	}
	if n := end.Sub(start).Hours() / 24; n < 180 || n > 185 {
		t.Errorf("the period is %.0f days", n)
	}
	if len(a.Scope.Categories) != 1 || a.Scope.Categories[0] != assay.CategorySecurity || len(a.Scope.Controls) < 90 {
		t.Errorf("frozen scope: categories %v, %d controls", a.Scope.Categories, len(a.Scope.Controls))
	}
	org, _ := os.Organization(ctx)
	if len(org.Scope.Categories) != 3 {
		t.Errorf("the program's scope now: %v", org.Scope.Categories)
	}
	period, err := os.AuditPeriod(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	exceptions, lapsed := 0, map[string]bool{}
	for _, c := range period.Controls {
		exceptions += len(c.Exceptions)
		for _, x := range c.Exceptions {
			if x.Kind == assay.ExceptionNotImplemented && x.From.After(start) && x.From.Before(end) {
				lapsed[c.ID] = true
			}
		}
	}
	if exceptions < 2 || exceptions > 30 {
		t.Errorf("%d exceptions in the period: not a realistic handful", exceptions)
	}
	t.Logf("demo engagement: %d controls in scope, %d exceptions", len(a.Scope.Controls), exceptions)
	for _, l := range demoLapses {
		if !lapsed[l.control] {
			t.Errorf("%s's lapse inside the period is not an exception", l.control)
		}
	}
	users, _ := os.Users(ctx)
	invited := false
	for _, u := range users {
		if u.Email == demoEngagementAuditor {
			invited = u.EngagementID == a.ID && u.Role == assay.RoleAuditor && !u.AccessExpired(now)
		}
	}
	if !invited {
		t.Errorf("no invited auditor for the engagement")
	}
	reqs, err := os.EvidenceRequests(ctx, assay.EvidenceRequestFilter{Status: assay.RequestOpen})
	if err != nil {
		t.Fatal(err)
	}
	asked, overdue, talked := 0, 0, 0
	for _, r := range reqs {
		if strings.HasPrefix(r.RequestedByName, "Riley") {
			asked++
			if r.Overdue(now) {
				overdue++
			}
			if r.AuditID != a.ID || !strings.HasPrefix(r.Reference, "PBC-") {
				t.Errorf("request %d is not on the engagement's list: %+v", r.ID, r)
			}
			talked += r.Comments
		}
	}
	if asked != 3 || overdue != 1 || talked != 2 {
		t.Errorf("the auditor's open requests: %d, %d overdue, %d comments", asked, overdue, talked)
	}
	samples, err := os.AuditSamples(ctx, a.ID)
	if err != nil || len(samples) != 1 || samples[0].RowsDigest == "" || samples[0].Size != assay.DefaultSampleSize(samples[0].PopulationSize) {
		t.Errorf("samples: %v %+v", err, samples)
	}
}
