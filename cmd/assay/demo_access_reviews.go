package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/evidence"
	"github.com/assay-platform/assay/monitor/collect/roster"
	"github.com/assay-platform/assay/monitor/runner"
	"github.com/assay-platform/assay/store"
)

// The demo's access review systems: the identity provider, whose accounts
// come from the roster source, and the production database's login roles.
const (
	demoIdPSystem = "Okta"
	demoDBSystem  = "Production PostgreSQL"
)

// demoDBRoles are the production database's login roles (a CSV the
// platform team exports).
var demoDBRoles = []assay.NewAccessAccount{
	{System: demoDBSystem, Account: "ledger_api", Privileges: "member of app_rw"},
	{System: demoDBSystem, Account: "migrator", Privileges: "create_role, member of app_owner"},
	{System: demoDBSystem, Account: "report_reader", Privileges: "member of app_ro"},
	{System: demoDBSystem, Account: "sam", Email: "sam@northwind.example", Privileges: "superuser"},
	{System: demoDBSystem, Account: "fatima", Email: "fatima@northwind.example", Privileges: "member of app_ro, member of oncall"},
	{System: demoDBSystem, Account: "ben", Email: "ben@northwind.example", Privileges: "member of app_ro"},
}

// demoDecision is a reviewer's decision on one account of a demo campaign.
type demoDecision struct {
	account string
	assay.NewAccessDecision
}

func keep(account, reason string) demoDecision {
	return demoDecision{account, assay.NewAccessDecision{Decision: assay.AccessKeep, Reason: reason}}
}

// demoCampaignName names the campaign of the quarter starting at q.
func demoCampaignName(q time.Time) string {
	return fmt.Sprintf("Q%d staff and database access", (int(q.Month())-1)/3+1)
}

// quarterOf is the first day of t's calendar quarter and its label.
func quarterOf(t time.Time) (time.Time, string) {
	t = t.UTC()
	start := time.Date(t.Year(), time.Month((int(t.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC)
	return start, fmt.Sprintf("%d Q%d", start.Year(), (int(start.Month())-1)/3+1)
}

// seedDemoAccessReviews records last quarter's campaign, decided,
// completed (so it became evidence for the access review controls) and its
// two follow-up tasks done and verified, and this quarter's campaign, under
// way with some accounts still undecided. Each step is written at the date
// it happened (the demo clock).
func seedDemoAccessReviews(ctx context.Context, os store.OrgStore, blobs evidence.Store, clock assay.Clock, people map[string]assay.User) error {
	now := clock.Now()
	admin, priya, sam := people[demoEmail], people["priya@northwind.example"], people["sam@northwind.example"]
	systems := []assay.AccessSystem{{Name: demoIdPSystem, OwnerID: priya.ID}, {Name: demoDBSystem, OwnerID: sam.ID}}
	thisQ, thisLabel := quarterOf(now)
	lastQ, lastLabel := quarterOf(thisQ.AddDate(0, 0, -1))
	reviewers := map[string]assay.Actor{demoIdPSystem: assay.ActorFor(priya, "web"), demoDBSystem: assay.ActorFor(sam, "web")}

	// Last quarter: the roster as exported then (Tomás still there, a
	// contractor's account left behind, Lee not yet created).
	opened := thisQ.AddDate(0, 0, -21).Add(9 * time.Hour)
	var then []demoAccount
	for _, a := range demoAccounts {
		switch a.email {
		case "lee@northwind.example":
			continue
		case "tomas@northwind.example":
			a.status = "active"
		}
		then = append(then, a)
	}
	then = append(then, demoAccount{"max@northwind.example", "Max Weber", true, false, "active", 80})
	idp, err := roster.Parse([]byte(demoRosterCSV(opened, then)), nil, opened)
	if err != nil {
		return fmt.Errorf("last quarter's roster: %w", err)
	}
	done := demoCampaign{name: demoCampaignName(lastQ), period: lastLabel, due: thisQ.AddDate(0, 0, -1), opened: opened,
		accounts: append(demoIdPAccounts(idp), demoDBRoles...),
		decisions: map[string][]demoDecision{
			demoIdPSystem: {
				{"Max Weber", assay.NewAccessDecision{Decision: assay.AccessRevoke, Reason: "Contract ended on 30 June; the account was missed at offboarding."}},
				keep("Ivy Chen", "Outside bookkeeper under contract until March; confirmed by the finance manager."),
			},
			demoDBSystem: {
				{"sam", assay.NewAccessDecision{Decision: assay.AccessChange, Reason: "Day-to-day work needs no superuser; use the break-glass role when it does."}},
				keep("migrator", "Used only by the deploy pipeline."),
			},
		},
		keepRest: true}
	review, err := done.seed(ctx, os, clock, systems, reviewers)
	if err != nil {
		return fmt.Errorf("%s: %w", done.name, err)
	}
	var completed assay.AccessReview
	if err := demoAt(clock, thisQ.AddDate(0, 0, -7).Add(16*time.Hour), func() error {
		completed, err = os.CompleteAccessReview(ctx, assay.ActorFor(admin, "web"), review.ID)
		return err
	}); err != nil {
		return fmt.Errorf("complete %s: %w", done.name, err)
	}
	if err := demoFollowUps(ctx, os, clock, completed, people); err != nil {
		return err
	}

	// This quarter: accounts from the roster source's latest run, some
	// decided, the flagged ones still waiting.
	current, err := demoSourceResources(ctx, os, blobs, "Okta roster", func() string { return demoRoster(now) }, now)
	if err != nil {
		return err
	}
	opened = now.AddDate(0, 0, -6)
	if opened.Before(thisQ) {
		opened = thisQ.Add(time.Hour)
	}
	due := thisQ.AddDate(0, 3, -1)
	if due.Before(now.AddDate(0, 0, 7)) {
		due = assay.Day(now).AddDate(0, 0, 14)
	}
	open := demoCampaign{name: demoCampaignName(thisQ), period: thisLabel, due: due, opened: opened,
		accounts: append(demoIdPAccounts(current), demoDBRoles...),
		decisions: map[string][]demoDecision{
			demoIdPSystem: {keep("Dana Reyes", ""), keep("Alex Moreno", ""), keep("Priya Natarajan", "IT administrator; admin rights needed."),
				keep("Sam Okafor", ""), keep("Jordan Blake", ""), keep("Ella Park", ""),
				{"Lee Park", assay.NewAccessDecision{Decision: assay.AccessRevoke, Reason: "Admin account nobody on the roster owns, created outside the joiner process."}}},
			demoDBSystem: {keep("ledger_api", "The API's service role."), keep("report_reader", "Finance reports, read only.")},
		}}
	if _, err := open.seed(ctx, os, clock, systems, reviewers); err != nil {
		return fmt.Errorf("%s: %w", open.name, err)
	}
	return nil
}

// demoCampaign is one access review of the demo: opened at opened, its
// accounts loaded an hour later and its decisions spread over the days
// after (keepRest keeps every account not named).
type demoCampaign struct {
	name, period string
	due, opened  time.Time
	accounts     []assay.NewAccessAccount
	decisions    map[string][]demoDecision
	keepRest     bool
}

func (c demoCampaign) seed(ctx context.Context, os store.OrgStore, clock assay.Clock, systems []assay.AccessSystem,
	reviewers map[string]assay.Actor) (assay.AccessReview, error) {
	admin := reviewers[demoIdPSystem] // the IT administrator runs the campaigns
	var rv assay.AccessReview
	err := demoAt(clock, c.opened, func() error {
		var err error
		rv, err = os.CreateAccessReview(ctx, admin, assay.NewAccessReview{Name: c.name, Period: c.period, DueDate: c.due, Systems: systems})
		return err
	})
	if err != nil {
		return rv, err
	}
	if err := demoAt(clock, c.opened.Add(time.Hour), func() error {
		_, err := os.LoadAccessAccounts(ctx, admin, rv.ID, c.accounts)
		return err
	}); err != nil {
		return rv, fmt.Errorf("load accounts: %w", err)
	}
	accounts, err := os.AccessAccounts(ctx, rv.ID)
	if err != nil {
		return rv, err
	}
	type todo struct {
		id int64
		d  assay.NewAccessDecision
		by assay.Actor
	}
	var list []todo
	for _, a := range accounts {
		d, ok := assay.NewAccessDecision{Decision: assay.AccessKeep}, c.keepRest
		if i := slices.IndexFunc(c.decisions[a.System], func(d demoDecision) bool { return strings.EqualFold(d.account, a.Account) }); i >= 0 {
			d, ok = c.decisions[a.System][i].NewAccessDecision, true
		}
		if ok {
			list = append(list, todo{a.ID, d, reviewers[a.System]})
		}
	}
	// Decisions spread from a few hours after opening up to an hour ago (a
	// finished campaign's, up to a day before it was completed).
	from, until := c.opened.Add(3*time.Hour), clock.Now().Add(-time.Hour)
	if c.keepRest {
		until = c.due.AddDate(0, 0, -8)
	}
	if until.Before(from) {
		until = from
	}
	for i, t := range list {
		at := from.Add(until.Sub(from) * time.Duration(i) / time.Duration(max(1, len(list))))
		if err := demoAt(clock, at, func() error { _, err := os.DecideAccess(ctx, t.by, rv.ID, t.id, t.d); return err }); err != nil {
			return rv, fmt.Errorf("decide account %d: %w", t.id, err)
		}
	}
	return os.AccessReview(ctx, rv.ID)
}

// demoFollowUps finishes the tasks a completed campaign opened: each done
// by its owner before it was due and verified by the admin a day later.
func demoFollowUps(ctx context.Context, os store.OrgStore, clock assay.Clock, rv assay.AccessReview, people map[string]assay.User) error {
	actions, err := os.CorrectiveActions(ctx, assay.CorrectiveFilter{Source: assay.SourceAccessReview})
	if err != nil {
		return err
	}
	byID := map[int64]assay.User{}
	for _, u := range people {
		byID[u.ID] = u
	}
	for _, a := range actions {
		if !strings.HasPrefix(a.SourceRef, fmt.Sprintf("access-review:%d/", rv.ID)) {
			continue
		}
		doneStatus, verified := assay.CorrectiveDone, assay.CorrectiveVerified
		notes := "Checked in the system itself: the access is gone or changed as decided."
		doneAt := a.DueDate.Add(-36 * time.Hour)
		if err := demoAt(clock, doneAt, func() error {
			_, err := os.UpdateCorrectiveAction(ctx, assay.ActorFor(byID[a.OwnerID], "web"), a.ID, assay.CorrectivePatch{Status: &doneStatus})
			return err
		}); err != nil {
			return fmt.Errorf("corrective action %d: %w", a.ID, err)
		}
		if err := demoAt(clock, doneAt.Add(24*time.Hour), func() error {
			_, err := os.UpdateCorrectiveAction(ctx, assay.ActorFor(people[demoEmail], "web"), a.ID,
				assay.CorrectivePatch{Status: &verified, VerificationNotes: &notes})
			return err
		}); err != nil {
			return fmt.Errorf("verify corrective action %d: %w", a.ID, err)
		}
	}
	return nil
}

// demoSourceResources reads the resources of the named source's latest
// run from its snapshot, as the access review page does, or, without a
// blob store, collects them again from doc.
func demoSourceResources(ctx context.Context, os store.OrgStore, blobs evidence.Store, name string, doc func() string, now time.Time) ([]assay.Resource, error) {
	if blobs != nil {
		sources, err := os.Sources(ctx)
		if err != nil {
			return nil, err
		}
		for _, src := range sources {
			if src.Name != name {
				continue
			}
			runs, err := os.Runs(ctx, src.ID, 1)
			if err != nil {
				return nil, err
			}
			if len(runs) > 0 && runs[0].Snapshot != "" {
				return runner.LoadSnapshot(ctx, blobs, runs[0].Snapshot)
			}
		}
	}
	return roster.Parse([]byte(doc()), nil, now)
}

// demoIdPAccounts turns identity roster resources into accounts of the
// identity provider, as loading a campaign from a roster source does.
func demoIdPAccounts(resources []assay.Resource) []assay.NewAccessAccount {
	var out []assay.NewAccessAccount
	for _, r := range resources {
		if r.Kind != roster.KindAccount {
			continue
		}
		str := func(k string) string { s, _ := r.Attrs[k].(string); return s }
		var privs []string
		if r.Attrs["admin"] == true {
			privs = append(privs, "admin")
		}
		if st := str("status"); st != "" {
			privs = append(privs, "status "+st)
		}
		if r.Attrs["mfa"] == false {
			privs = append(privs, "no MFA")
		}
		out = append(out, assay.NewAccessAccount{System: demoIdPSystem, Account: str("user"), Email: str("email"), Privileges: strings.Join(privs, ", "),
			Source: assay.AccountFromRoster, Departed: r.Attrs["departed"] == true})
	}
	return out
}
