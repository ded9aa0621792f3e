package main

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/internal/clocktest"
)

// TestDemoPeopleSide: the demo started as `assay demo` does has policies
// in every state with a history written at the dates it happened, a policy
// waiting in Ella's portal, last quarter's access review completed with
// its evidence and tasks closed, this quarter's under way, and a ledger
// that still verifies.
func TestDemoPeopleSide(t *testing.T) {
	t.Parallel()
	checkDemoPeopleSide(t, clocktest.Clock())
}

// TestDemoAcrossTheCalendar seeds the demo on the days that break naive
// date code (the last hour of a quarter, a leap day, New Year, the days the
// clocks change) and holds it to the same checks.
func TestDemoAcrossTheCalendar(t *testing.T) {
	t.Parallel()
	clocktest.Each(t, func(t *testing.T, at time.Time) {
		t.Parallel()
		checkDemoPeopleSide(t, assay.ClockFrom(at))
	})
}

func checkDemoPeopleSide(t *testing.T, clock assay.Clock) {
	ctx := context.Background()
	dir := t.TempDir()
	m := NewMain(Config{Clock: clock, DataDir: dir, Addr: "127.0.0.1:0", Demo: true, PasswordParams: fastParams, Logger: testLogger(t), NoScheduler: true,
		Stdout: &bytes.Buffer{}})
	if err := m.Run(ctx); err != nil {
		t.Fatalf("run: %v", err)
	}
	tm := &testMain{Main: m}
	closed := false
	defer func() {
		if !closed {
			m.Close()
		}
	}()
	now := m.Config.Clock.Now()
	orgs, err := m.Store.Organizations(ctx)
	if err != nil || len(orgs) != 1 {
		t.Fatalf("demo organisations: %v %d", err, len(orgs))
	}
	os := m.Store.Org(orgs[0].ID)
	checkDemoEngagement(t, ctx, os, now) // demo_audit_test.go

	// Policies: their states, versions, approvers and review dates.
	policies, err := os.Policies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var publishedN, secondMajor, inReview, drafts, retired, overdue, due int
	for _, p := range policies {
		switch {
		case p.Published == nil && p.Latest.Status == assay.PolicyDraft:
			drafts++
		case p.Published == nil && p.Latest.Status == assay.PolicyRetired:
			retired++
		case p.Published == nil:
			t.Errorf("%s has no published version and its latest is %s", p.Title, p.Latest.Status)
		}
		if p.Published == nil {
			continue
		}
		publishedN++
		v := p.Published
		if v.ApprovedByName == "" || v.ApprovedByName == v.EditedByName || v.PublishedAt == nil || !v.PublishedAt.Before(now) {
			t.Errorf("%s %s: approved by %q, edited by %q, published %v", p.Title, v.Version, v.ApprovedByName, v.EditedByName, v.PublishedAt)
		}
		if v.Number.Major >= 2 && v.Changelog != "" && v.Changelog != "First version." {
			secondMajor++
		}
		if p.Latest.Status == assay.PolicyInReview && p.Latest.Number.Major > v.Number.Major {
			inReview++
		}
		switch p.ReviewState(now) {
		case "overdue":
			overdue++
		case "due":
			due++
		}
	}
	if publishedN < 7 || secondMajor < 2 || inReview != 1 || drafts != 1 || retired != 1 || overdue != 1 || due != 1 {
		t.Fatalf("demo policies: %d published, %d at a second major version, %d new major in review, %d drafts, %d retired, %d reviews overdue, %d due",
			publishedN, secondMajor, inReview, drafts, retired, overdue, due)
	}

	// Acceptances: most people accepted, a few not yet, written at the
	// time they happened.
	figures, err := os.PolicyFigures(ctx)
	if err != nil {
		t.Fatal(err)
	}
	complete, missing := 0, 0
	for _, f := range figures {
		if f.Accepted == f.Required && f.Required > 0 {
			complete++
		}
		missing += f.Required - f.Accepted
	}
	if complete < len(figures)-2 || missing == 0 || missing > 5 {
		t.Fatalf("acceptance figures: %d of %d policies complete, %d acceptances missing: %+v", complete, len(figures), missing, figures)
	}
	acceptances, err := os.PolicyAcceptances(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if old := slices.IndexFunc(acceptances, func(a assay.PolicyAcceptance) bool { return a.AcceptedAt.Before(now.AddDate(0, -6, 0)) }); old < 0 {
		t.Fatalf("no acceptance is older than six months among %d", len(acceptances))
	}

	// Ella has a policy to accept, shown in her portal.
	ella, err := os.PersonByEmail(ctx, demoEmployeeEmail)
	if err != nil {
		t.Fatal(err)
	}
	todo, err := os.PoliciesToAccept(ctx, ella.ID)
	if err != nil || len(todo) == 0 {
		t.Fatalf("Ella's policies to accept: %v %v", todo, err)
	}
	client := signIn(t, tm, demoEmployeeEmail, demoPassword)
	if code, body := get(t, client, m.URL()+"/portal"); code != http.StatusOK || !strings.Contains(body, html.EscapeString(todo[0].PolicyTitle)) {
		t.Fatalf("Ella's portal (%d) does not show %q", code, todo[0].PolicyTitle)
	}

	// Access reviews: last quarter's completed, with its evidence and its
	// tasks verified; this quarter's open with accounts still undecided.
	reviews, err := os.AccessReviews(ctx)
	if err != nil || len(reviews) != 2 {
		t.Fatalf("demo access reviews: %v %+v", err, reviews)
	}
	var done, open assay.AccessReview
	for _, r := range reviews {
		if r.Status == assay.AccessReviewCompleted {
			done = r
		} else {
			open = r
		}
	}
	if done.ID == 0 || done.CompletedAt == nil || now.Sub(*done.CompletedAt) > assay.AccessReviewDays*24*time.Hour || done.EvidenceID == 0 ||
		done.Revoked == 0 || done.Decided != done.Accounts {
		t.Fatalf("completed campaign: %+v", done)
	}
	if thisQ, _ := quarterOf(now); !done.CompletedAt.Before(thisQ) {
		t.Fatalf("the completed campaign was completed %v, not last quarter", done.CompletedAt)
	}
	// Its evidence counts until this quarter's campaign is due: it may be
	// expiring in the quarter's last weeks, never expired.
	ev, err := os.Evidence(ctx, done.EvidenceID)
	if err != nil || !slices.Contains(ev.Controls, "ACC-04") || !slices.Contains(ev.Controls, "ACC-05") {
		t.Fatalf("the campaign's evidence: %v %+v", err, ev)
	}
	thisQ, _ := quarterOf(now)
	if st := ev.State(now); (st != assay.EvidenceCurrent && st != assay.EvidenceExpiring) || ev.ExpiresAt.Before(thisQ.AddDate(0, 3, 0)) {
		t.Fatalf("the campaign's evidence is %s on %s and expires %s, before this quarter ends", st, now.Format(time.DateOnly), ev.ExpiresAt)
	}
	if open.ID == 0 || open.Decided == 0 || open.Decided >= open.Accounts {
		t.Fatalf("campaign in progress: %+v", open)
	}
	accounts, err := os.AccessAccounts(ctx, open.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(accounts, func(a assay.AccessAccount) bool {
		return a.Source == assay.AccountFromRoster && a.Flag == assay.FlagDeparted && a.Decision == ""
	}) {
		t.Fatalf("no undecided account of a departed person loaded from the roster: %+v", accounts)
	}
	actions, err := os.CorrectiveActions(ctx, assay.CorrectiveFilter{Source: assay.SourceAccessReview})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range actions {
		if strings.HasPrefix(a.SourceRef, "access-review:"+strconv.FormatInt(done.ID, 10)+"/") && a.Status != assay.CorrectiveVerified {
			t.Errorf("task of the completed campaign is %s: %s", a.Status, a.Title)
		}
	}

	// Readiness: the access review and CC1.1's policies hold nothing back.
	rule, err := rules.AccessReviewRule(ctx, os, now, assay.ReadinessRule{})
	if err != nil {
		t.Fatal(err)
	}
	rule, err = rules.PolicyRule(ctx, os, now, rule)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"CC6.2", "CC6.3", "CC1.1"} {
		for _, cond := range rule.CriterionConditions {
			if why := cond(id); why != "" {
				t.Errorf("%s is held back: %s", id, why)
			}
		}
	}

	// The back-dated history is a ledger that verifies.
	closed = true
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	rep, _, err := verifyData(ctx, &globals{data: dir}, "")
	if err != nil {
		t.Fatalf("the demo's data folder does not verify: %v", err)
	}
	t.Logf("demo: %d policies (%d published), %d acceptances, campaigns %q (%d accounts) and %q (%d of %d decided); ledger %d entries",
		len(policies), publishedN, len(acceptances), done.Name, done.Accounts, open.Name, open.Decided, open.Accounts, rep.Entries)
}
