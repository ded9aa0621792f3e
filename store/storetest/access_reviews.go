package storetest

import (
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/store"
)

var accessReviewTests = []subtest{
	{"AccessReviewLifecycle", testAccessReviewLifecycle},
	{"AccessReviewRefusesBadInput", testAccessReviewBadInput},
	{"AccessReviewTenancy", testAccessReviewTenancy},
	{"AccessReviewReadiness", testAccessReviewReadiness},
	{"CalendarTokens", testCalendarTokens},
}

// accessCampaign opens a campaign over two systems, app owned by owner.
func (e *Env) accessCampaign(o store.OrgStore, name string, owner assay.User) assay.AccessReview {
	e.T.Helper()
	return must(o.CreateAccessReview(e.Ctx, Actor, assay.NewAccessReview{Name: name, Period: "2026 Q1", DueDate: Epoch.AddDate(0, 0, 14),
		Systems: []assay.AccessSystem{{Name: "App", OwnerID: owner.ID}, {Name: "Postgres"}}})).get(e.T)
}

// accessOrg creates an organisation whose AC-01 is tested by access
// reviews (automation access_reviews), so CC6.2 relies on campaigns.
func (e *Env) accessOrg(slug string) store.OrgStore {
	e.T.Helper()
	lib := LibraryControls()
	for i := range lib {
		if lib[i].ID == "AC-01" {
			lib[i].Automation = assay.AutomationAccessReviews
		}
	}
	org := must(e.Store.CreateOrganization(e.Ctx, Actor, "Org "+slug, slug, assay.Scope{}, lib)).get(e.T)
	return e.Store.Org(org.ID)
}

func accessCondition(e *Env, o store.OrgStore) string {
	rule := must(rules.AccessReviewRule(e.Ctx, o, e.Clock.Now(), assay.ReadinessRule{})).get(e.T)
	if len(rule.CriterionConditions) != 1 {
		e.T.Fatalf("conditions = %d", len(rule.CriterionConditions))
	}
	if other := rule.CriterionConditions[0]("CC1.1"); other != "" {
		e.T.Fatalf("CC1.1 reason = %q", other)
	}
	return rule.CriterionConditions[0]("CC6.2")
}

func testAccessReviewLifecycle(e *Env) {
	t := e.T
	o := e.accessOrg("acme")
	admin := e.User(o, "ada@acme.example", assay.RoleAdmin)
	owner := e.User(o, "sam@acme.example", assay.RoleMember)
	other := e.User(o, "max@acme.example", assay.RoleMember)
	end := Epoch.AddDate(0, 0, -10)
	must(o.CreatePerson(e.Ctx, Actor, assay.NewPerson{Name: "Alice", Email: "alice@acme.example", EmploymentType: assay.EmploymentType("employee")})).get(t)
	must(o.CreatePerson(e.Ctx, Actor, assay.NewPerson{Name: "Bob", Email: "bob@acme.example", EndDate: &end, EmploymentType: assay.EmploymentType("employee")})).get(t)

	r := e.accessCampaign(o, " Q1 review ", owner)
	if r.ID == 0 || r.Name != "Q1 review" || r.Status != assay.AccessReviewOpen || len(r.Systems) != 2 || r.Systems[0].OwnerName == "" {
		t.Fatalf("campaign = %+v", r)
	}
	res := must(o.LoadAccessAccounts(e.Ctx, Actor, r.ID, []assay.NewAccessAccount{
		{System: "app", Account: "alice", Email: "Alice@acme.example", Privileges: "admin", Source: assay.AccountFromRoster},
		{System: "App", Account: "bob", Email: "bob@acme.example", Source: assay.AccountFromRoster},
		{System: "Postgres", Account: "svc_backup", Privileges: "replication", Source: assay.AccountFromPostgres},
	})).get(t)
	if res.Added != 3 {
		t.Fatalf("load = %+v", res)
	}
	accounts := must(o.AccessAccounts(e.Ctx, r.ID)).get(t)
	by := map[string]assay.AccessAccount{}
	for _, a := range accounts {
		by[a.Account] = a
	}
	if by["alice"].System != "App" || by["alice"].PersonName != "Alice" || by["alice"].Flag != "" || by["bob"].Flag != assay.FlagDeparted ||
		by["svc_backup"].Flag != assay.FlagNoPerson || by["alice"].Email != "alice@acme.example" {
		t.Fatalf("accounts = %+v", accounts)
	}
	// Loading again changes only what differs.
	res = must(o.LoadAccessAccounts(e.Ctx, Actor, r.ID, []assay.NewAccessAccount{{System: "App", Account: "alice", Email: "alice@acme.example", Privileges: "read", Source: assay.AccountFromRoster},
		{System: "App", Account: "bob", Email: "bob@acme.example", Source: assay.AccountFromRoster}})).get(t)
	if res.Added != 0 || res.Updated != 1 || res.Unchanged != 1 {
		t.Fatalf("reload = %+v", res)
	}

	// Only the system's owner or an admin decides; change and revoke need a reason.
	_, err := o.DecideAccess(e.Ctx, assay.ActorFor(other, "web"), r.ID, by["alice"].ID, assay.NewAccessDecision{Decision: assay.AccessKeep})
	wantCode(t, err, assay.EFORBIDDEN, "another member decides")
	_, err = o.DecideAccess(e.Ctx, assay.ActorFor(owner, "web"), r.ID, by["svc_backup"].ID, assay.NewAccessDecision{Decision: assay.AccessKeep})
	wantCode(t, err, assay.EFORBIDDEN, "owner of another system decides")
	_, err = o.DecideAccess(e.Ctx, assay.ActorFor(owner, "web"), r.ID, by["bob"].ID, assay.NewAccessDecision{Decision: assay.AccessRevoke})
	wantCode(t, err, assay.EINVALID, "revoke without reason")
	_, err = o.CompleteAccessReview(e.Ctx, assay.ActorFor(admin, "web"), r.ID)
	wantCode(t, err, assay.ECONFLICT, "complete with undecided accounts")

	alice := must(o.DecideAccess(e.Ctx, assay.ActorFor(owner, "web"), r.ID, by["alice"].ID, assay.NewAccessDecision{Decision: "keep"})).get(t)
	if alice.Decision != assay.AccessKeep || alice.DecidedBy != owner.ID || alice.DecidedAt == nil || alice.CorrectiveID != 0 {
		t.Fatalf("alice = %+v", alice)
	}
	bob := must(o.DecideAccess(e.Ctx, assay.ActorFor(owner, "web"), r.ID, by["bob"].ID, assay.NewAccessDecision{Decision: "revoke", Reason: "Left the company."})).get(t)
	if bob.CorrectiveID == 0 || bob.Reason != "Left the company." {
		t.Fatalf("bob = %+v", bob)
	}
	ca := must(o.CorrectiveAction(e.Ctx, bob.CorrectiveID)).get(t)
	if ca.Source != assay.SourceAccessReview || ca.OwnerID != owner.ID || !strings.HasPrefix(ca.SourceRef, "access-review:") ||
		!ca.DueDate.Equal(time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)) || ca.Status != assay.CorrectiveOpen {
		t.Fatalf("corrective action = %+v", ca)
	}
	_, err = o.DecideAccess(e.Ctx, assay.ActorFor(admin, "web"), r.ID, bob.ID, assay.NewAccessDecision{Decision: "keep"})
	wantCode(t, err, assay.ECONFLICT, "re-decide a revoke")
	must(o.DecideAccess(e.Ctx, assay.ActorFor(admin, "web"), r.ID, by["svc_backup"].ID, assay.NewAccessDecision{Decision: "change", Reason: "Drop replication."})).get(t)

	if reason := accessCondition(e, o); reason == "" {
		t.Fatal("CC6.2 met before any campaign completed")
	}
	r = must(o.CompleteAccessReview(e.Ctx, assay.ActorFor(admin, "web"), r.ID)).get(t)
	if r.Status != assay.AccessReviewCompleted || r.CompletedAt == nil || r.EvidenceID == 0 || r.Revoked != 1 || r.Changed != 1 || r.Decided != 3 {
		t.Fatalf("completed = %+v", r)
	}
	ev := must(o.Evidence(e.Ctx, r.EvidenceID)).get(t)
	if ev.Kind != assay.EvidenceNote || strings.Join(ev.Controls, ",") != "AC-01" || !strings.Contains(ev.NoteText, "bob: revoke") {
		t.Fatalf("evidence = %+v", ev)
	}
	if reason := accessCondition(e, o); reason != "" {
		t.Fatalf("CC6.2 after completion: %q", reason)
	}
	_, err = o.DecideAccess(e.Ctx, assay.ActorFor(admin, "web"), r.ID, alice.ID, assay.NewAccessDecision{Decision: "revoke", Reason: "late"})
	wantCode(t, err, assay.ECONFLICT, "decide on a completed campaign")
	_, err = o.LoadAccessAccounts(e.Ctx, Actor, r.ID, []assay.NewAccessAccount{{System: "App", Account: "carol"}})
	wantCode(t, err, assay.ECONFLICT, "load into a completed campaign")

	// Upcoming: the next quarterly campaign is due 90 days after completion.
	obs := must(rules.AccessReviewObligations(e.Ctx, o, e.Clock.Now())).get(t)
	if len(obs) != 1 || !obs[0].Due.Equal(assay.Day(Epoch.AddDate(0, 0, 90))) {
		t.Fatalf("obligations = %+v", obs)
	}
}

func testAccessReviewBadInput(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	owner := e.User(o, "sam@acme.example", assay.RoleMember)
	viewer := e.User(o, "vic@acme.example", assay.RoleViewer)
	for _, n := range []assay.NewAccessReview{
		{Period: "Q1", DueDate: Epoch},
		{Name: "x", DueDate: Epoch},
		{Name: "x", Period: "Q1"},
		{Name: "x", Period: "Q1", DueDate: Epoch, Systems: []assay.AccessSystem{{Name: "A"}, {Name: "a"}}},
		{Name: "x", Period: "Q1", DueDate: Epoch, Systems: []assay.AccessSystem{{Name: "A", OwnerID: viewer.ID}}},
		{Name: "x", Period: "Q1", DueDate: Epoch, Systems: []assay.AccessSystem{{Name: "A", OwnerID: 9999}}},
	} {
		_, err := o.CreateAccessReview(e.Ctx, Actor, n)
		wantCode(t, err, assay.EINVALID, "bad campaign")
	}
	if list := must(o.AccessReviews(e.Ctx)).get(t); len(list) != 0 {
		t.Fatalf("bad input created %d campaigns", len(list))
	}
	r := e.accessCampaign(o, "Q1", owner)
	_, err := o.CreateAccessReview(e.Ctx, Actor, assay.NewAccessReview{Name: "q1", Period: "Q1", DueDate: Epoch})
	wantCode(t, err, assay.EINVALID, "duplicate name")
	before := must(o.Activity(e.Ctx, assay.ActivityFilter{})).get(t)
	for _, list := range [][]assay.NewAccessAccount{
		{{System: "App", Account: "ok"}, {System: "Nope", Account: "x"}},
		{{System: "App", Account: "ok"}, {System: "App", Account: "OK"}},
		{{System: "App", Account: "ok"}, {System: "App", Account: ""}},
		{{System: "App", Account: "ok", Email: "not-an-address"}},
		{},
	} {
		_, err := o.LoadAccessAccounts(e.Ctx, Actor, r.ID, list)
		wantCode(t, err, assay.EINVALID, "bad accounts")
	}
	_, err = o.LoadAccessAccounts(e.Ctx, Actor, r.ID, []assay.NewAccessAccount{{System: "App", Account: "ok"}, {System: "Nope", Account: "x"}})
	if ae, ok := err.(*assay.Error); !ok || ae.Field != "row 1" {
		t.Fatalf("error = %#v, want field row 1", err)
	}
	if got := must(o.AccessAccounts(e.Ctx, r.ID)).get(t); len(got) != 0 {
		t.Fatalf("bad loads left %d accounts", len(got))
	}
	if after := must(o.Activity(e.Ctx, assay.ActivityFilter{})).get(t); len(after) != len(before) {
		t.Fatalf("bad input wrote %d activity entries", len(after)-len(before))
	}
	_, err = o.CompleteAccessReview(e.Ctx, Actor, r.ID)
	wantCode(t, err, assay.ECONFLICT, "complete an empty campaign")
	check(t, o.DeleteAccessReview(e.Ctx, Actor, r.ID), "delete an undecided campaign")
	_, err = o.AccessReview(e.Ctx, r.ID)
	wantCode(t, err, assay.ENOTFOUND, "deleted campaign")
}

func testAccessReviewTenancy(e *Env) {
	t := e.T
	_, a := e.Org("acme")
	_, b := e.Org("globex")
	owner := e.User(a, "sam@acme.example", assay.RoleAdmin)
	bAdmin := e.User(b, "gus@globex.example", assay.RoleAdmin)
	r := e.accessCampaign(a, "Q1", owner)
	must(a.LoadAccessAccounts(e.Ctx, Actor, r.ID, []assay.NewAccessAccount{{System: "App", Account: "alice"}})).get(t)
	acc := must(a.AccessAccounts(e.Ctx, r.ID)).get(t)[0]
	_, err := b.AccessReview(e.Ctx, r.ID)
	wantCode(t, err, assay.ENOTFOUND, "read another org's campaign")
	_, err = b.AccessAccounts(e.Ctx, r.ID)
	wantCode(t, err, assay.ENOTFOUND, "read another org's accounts")
	_, err = b.LoadAccessAccounts(e.Ctx, Actor, r.ID, []assay.NewAccessAccount{{System: "App", Account: "x"}})
	wantCode(t, err, assay.ENOTFOUND, "load into another org's campaign")
	_, err = b.DecideAccess(e.Ctx, assay.ActorFor(bAdmin, "web"), r.ID, acc.ID, assay.NewAccessDecision{Decision: "keep"})
	wantCode(t, err, assay.ENOTFOUND, "decide in another org's campaign")
	_, err = b.CompleteAccessReview(e.Ctx, Actor, r.ID)
	wantCode(t, err, assay.ENOTFOUND, "complete another org's campaign")
	// A user of another organisation is not a reviewer here.
	_, err = a.DecideAccess(e.Ctx, assay.ActorFor(bAdmin, "web"), r.ID, acc.ID, assay.NewAccessDecision{Decision: "keep"})
	wantCode(t, err, assay.EFORBIDDEN, "foreign user decides")
	if list := must(b.AccessReviews(e.Ctx)).get(t); len(list) != 0 {
		t.Fatalf("globex sees %d campaigns", len(list))
	}
}

func testAccessReviewReadiness(e *Env) {
	t := e.T
	// Without an access review control, campaigns hold nothing back.
	_, plain := e.Org("plain")
	if reason := accessCondition(e, plain); reason != "" {
		t.Fatalf("plain organisation: %q", reason)
	}
	o := e.accessOrg("acme")
	admin := e.User(o, "ada@acme.example", assay.RoleAdmin)
	if reason := accessCondition(e, o); !strings.Contains(reason, "no access review") {
		t.Fatalf("reason = %q", reason)
	}
	r := e.accessCampaign(o, "Q1", admin)
	must(o.LoadAccessAccounts(e.Ctx, Actor, r.ID, []assay.NewAccessAccount{{System: "App", Account: "alice"}})).get(t)
	acc := must(o.AccessAccounts(e.Ctx, r.ID)).get(t)[0]
	acc = must(o.DecideAccess(e.Ctx, assay.ActorFor(admin, "web"), r.ID, acc.ID, assay.NewAccessDecision{Decision: "revoke", Reason: "Unused."})).get(t)
	must(o.CompleteAccessReview(e.Ctx, assay.ActorFor(admin, "web"), r.ID)).get(t)
	if reason := accessCondition(e, o); reason != "" {
		t.Fatalf("fresh campaign: %q", reason)
	}
	// The revoke task becomes overdue: not met until it is done.
	e.Clock.Advance(10 * 24 * time.Hour)
	if reason := accessCondition(e, o); !strings.Contains(reason, "overdue") {
		t.Fatalf("overdue task: %q", reason)
	}
	done := assay.CorrectiveDone
	must(o.UpdateCorrectiveAction(e.Ctx, assay.ActorFor(admin, "web"), acc.CorrectiveID, assay.CorrectivePatch{Status: &done})).get(t)
	if reason := accessCondition(e, o); reason != "" {
		t.Fatalf("task done: %q", reason)
	}
	// A quarter and a margin later, the campaign is stale.
	e.Clock.Advance(assay.AccessReviewDays * 24 * time.Hour)
	if reason := accessCondition(e, o); !strings.Contains(reason, "more than 100 days") {
		t.Fatalf("stale campaign: %q", reason)
	}
}

func testCalendarTokens(e *Env) {
	t := e.T
	_, a := e.Org("acme")
	_, b := e.Org("globex")
	u := e.User(a, "ada@acme.example", assay.RoleAdmin)
	hash := strings.Repeat("ab", 32)
	tok := must(a.CreateCalendarToken(e.Ctx, Actor, u.ID, hash)).get(t)
	got := must(e.Store.UserByCalendarToken(e.Ctx, hash)).get(t)
	if got.ID != u.ID || got.OrgID != u.OrgID {
		t.Fatalf("user = %+v", got)
	}
	_, err := e.Store.UserByCalendarToken(e.Ctx, strings.Repeat("cd", 32))
	wantCode(t, err, assay.ENOTFOUND, "unknown token")
	wantCode(t, b.RevokeCalendarToken(e.Ctx, Actor, u.ID, tok.ID), assay.ENOTFOUND, "revoke from another org")
	check(t, a.RevokeCalendarToken(e.Ctx, Actor, u.ID, tok.ID), "revoke")
	_, err = e.Store.UserByCalendarToken(e.Ctx, hash)
	wantCode(t, err, assay.ENOTFOUND, "revoked token")
	if list := must(a.CalendarTokens(e.Ctx, u.ID)).get(t); len(list) != 1 || list[0].RevokedAt == nil {
		t.Fatalf("tokens = %+v", list)
	}
}
