package main

import (
	"context"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// The demo's Type II engagement: Security over the six whole months before
// this one, audited by Hartwell Assurance, whose auditor was invited for
// it. Availability and Confidentiality joined the program's scope four
// months into the period, so they are on the readiness page but not in
// the engagement's frozen scope.
const (
	demoEngagementAuditor = "riley@hartwell-assurance.example"
	demoFirm              = "Hartwell Assurance LLP"
)

// demoPeriod is the engagement's period: the first day of the month six
// months back to the last day of the month before now's.
func demoPeriod(now time.Time) (start, end time.Time) {
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, -6, 0), first.AddDate(0, 0, -1)
}

// demoLapses are controls that stopped working for a while inside the
// period, each with what happened: the period view shows them as
// exceptions, the way an auditor would find them.
type demoLapse struct {
	control       string
	from, days    int // days after the period's start, and for how long
	why, restored string
}

var demoLapses = []demoLapse{
	{"ACC-02", 38, 12, "Single sign-on migration left two admin tools outside MFA.", "MFA enforced again on every admin tool after the migration."},
	{"CHG-02", 97, 9, "Branch protection was switched off on one repository during an incident.", "Branch protection restored; a weekly settings check now runs."},
}

// seedDemoEngagement creates the engagement at the period's start (its
// scope frozen then: Security), the control lapses inside the period, and
// widens the program's scope to Availability and Confidentiality later.
func seedDemoEngagement(ctx context.Context, os store.OrgStore, clock assay.Clock, people map[string]assay.User) (assay.Audit, error) {
	admin := assay.ActorFor(people[demoEmail], "web")
	start, end := demoPeriod(clock.Now())
	var a assay.Audit
	err := demoAt(clock, start.AddDate(0, 0, -3), func() (err error) {
		a, err = os.CreateAudit(ctx, admin, assay.NewAudit{Type: assay.AuditType2, Name: fmt.Sprintf("SOC 2 Type II %d", end.Year()),
			Firm: demoFirm, PeriodStart: &start, PeriodEnd: &end})
		return err
	})
	if err != nil {
		return a, fmt.Errorf("engagement: %w", err)
	}
	for _, l := range demoLapses {
		for i, st := range []assay.ControlStatus{assay.StatusInProgress, assay.StatusImplemented} {
			note := l.why
			at := start.AddDate(0, 0, l.from)
			if i == 1 {
				note, at = l.restored, at.AddDate(0, 0, l.days)
			}
			err := demoAt(clock, at.Add(10*time.Hour), func() error {
				_, err := os.UpdateControl(ctx, admin, l.control, assay.ControlPatch{Status: &st, Notes: &note})
				return err
			})
			if err != nil {
				return a, fmt.Errorf("lapse of %s: %w", l.control, err)
			}
		}
	}
	err = demoAt(clock, start.AddDate(0, 4, 0).Add(9*time.Hour), func() error {
		_, err := os.UpdateScope(ctx, admin, assay.Scope{Categories: []string{assay.CategoryAvailability, assay.CategoryConfidentiality}})
		return err
	})
	if err != nil {
		return a, err
	}
	return a, demoAt(clock, start.Add(9*time.Hour), func() error {
		_, err := os.SetAuditStatus(ctx, admin, a.ID, assay.AuditFieldwork)
		return err
	})
}

// seedDemoFieldwork invites the engagement's auditor a week ago, has them
// ask owners for evidence (one request already overdue) and draw a sample
// of the period's changes. It returns the auditor's email.
func seedDemoFieldwork(ctx context.Context, os store.OrgStore, clock assay.Clock, people map[string]assay.User, hashFor func() (string, error), a assay.Audit) (string, error) {
	now := clock.Now()
	admin := assay.ActorFor(people[demoEmail], "web")
	var riley assay.User
	hash, err := hashFor()
	if err != nil {
		return "", err
	}
	err = demoAt(clock, now.AddDate(0, 0, -7), func() (err error) {
		riley, err = os.InviteAuditor(ctx, admin, a.ID, assay.NewUser{Email: demoEngagementAuditor, Name: "Riley Chen", Role: assay.RoleAuditor,
			Password: demoPassword}, hash, now.AddDate(0, 2, 0))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("invite the engagement's auditor: %w", err)
	}
	auditor := assay.ActorFor(riley, "web")
	asks := []struct {
		control, owner, what string
		asked, due           int // days from now
	}{
		{"ACC-02", "priya@northwind.example", "Show how MFA was enforced on the admin tools after the single sign-on migration, with the date it was restored.", -6, -1},
		{"CHG-02", "sam@northwind.example", "Share the branch protection settings of every production repository and the weekly settings check's last four results.", -5, 9},
		{"HR-04", "jordan@northwind.example", "For each leaver in the period, the ticket that removed their access and its date.", -5, 9},
	}
	for i, q := range asks {
		owner, ok := people[q.owner]
		if !ok {
			continue
		}
		var req assay.EvidenceRequest
		err := demoAt(clock, now.AddDate(0, 0, q.asked), func() (err error) {
			req, err = os.CreateEvidenceRequest(ctx, auditor, assay.NewEvidenceRequest{ControlID: q.control, AssigneeID: owner.ID,
				DueDate: assay.Day(now.AddDate(0, 0, q.due)), Description: q.what, AuditID: a.ID, Reference: fmt.Sprintf("PBC-%02d", i+1)})
			return err
		})
		if err != nil {
			return "", fmt.Errorf("request for %s: %w", q.control, err)
		}
		if i == 0 { // the overdue one has a conversation
			if err := demoThread(ctx, os, clock, now, req.ID, auditor, assay.ActorFor(owner, "web")); err != nil {
				return "", err
			}
		}
	}
	seed := uint64(20261)
	err = demoAt(clock, now.AddDate(0, 0, -4), func() error {
		pop, err := os.AuditPopulation(ctx, a.ID, assay.PopulationChanges, "", 0)
		if err != nil || len(pop.Items) == 0 {
			return err
		}
		_, err = os.CreateAuditSample(ctx, auditor, a.ID, assay.NewSample{Population: assay.PopulationChanges,
			Size: assay.DefaultSampleSize(len(pop.Items)), Seed: &seed})
		return err
	})
	if err != nil {
		return "", fmt.Errorf("sample: %w", err)
	}
	return demoEngagementAuditor, nil
}

// demoThread writes the conversation on the overdue request: the owner
// asks what is needed, the auditor answers.
func demoThread(ctx context.Context, os store.OrgStore, clock assay.Clock, now time.Time, id int64, auditor, owner assay.Actor) error {
	lines := []struct {
		who  assay.Actor
		days int
		body string
	}{
		{owner, -3, "Is the identity provider's admin log export enough, or do you need screenshots of the policy too?"},
		{auditor, -2, "The log export is enough if it shows the policy change and its timestamp; include the entries from the day before as well."},
	}
	for _, l := range lines {
		if err := demoAt(clock, now.AddDate(0, 0, l.days), func() error {
			_, err := os.CommentEvidenceRequest(ctx, l.who, id, l.body)
			return err
		}); err != nil {
			return fmt.Errorf("thread on request %d: %w", id, err)
		}
	}
	return nil
}
