package app_test

import (
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// accessCampaign opens a campaign over Okta (owned by owner) and GitHub
// (owned by nobody) with one account on each, as admin.
func accessCampaign(t *testing.T, e *env, admin app.Principal, owner int64) (assay.AccessReview, map[string]assay.AccessAccount) {
	t.Helper()
	rv, err := e.app.OpenAccessReview(e.ctx, admin, assay.NewAccessReview{Name: "Q1", Period: "2028 Q1", DueDate: e.clock.Now().AddDate(0, 0, 14),
		Systems: []assay.AccessSystem{{Name: "Okta", OwnerID: owner}, {Name: "GitHub"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.LoadAccessAccounts(e.ctx, admin, rv.ID, app.AccessLoad{From: app.LoadFromAccountsCSV,
		CSV: "system,account,email\nOkta,alice,alice@acme.example\nGitHub,bob,bob@acme.example\n"}); err != nil {
		t.Fatal(err)
	}
	d, err := e.app.AccessReview(e.ctx, admin, rv.ID)
	if err != nil || len(d.Accounts) != 2 {
		t.Fatalf("campaign: %+v %v", d, err)
	}
	byName := map[string]assay.AccessAccount{}
	for _, a := range d.Accounts {
		byName[a.Account] = a
	}
	return d.Review, byName
}

// Who may read and run access reviews: every role that reads the program
// reads them, admins alone run them, whatever the way in.
func TestAccessReviewAuthorisation(t *testing.T) {
	e := newEnv(t)
	admin := e.principal(t, assay.RoleAdmin)
	rv, _ := accessCampaign(t, e, admin, 0)
	for _, role := range []assay.Role{assay.RoleAdmin, assay.RoleMember, assay.RoleAuditor, assay.RoleViewer, assay.RoleEmployee} {
		p := admin
		if role != assay.RoleAdmin {
			p = e.principal(t, role)
		}
		reads := role != assay.RoleEmployee && role != assay.RoleViewer // viewers read the program, not records about people
		_, err := e.app.AccessReviews(e.ctx, p)
		_, err2 := e.app.AccessReview(e.ctx, p, rv.ID)
		_, err3 := e.app.ExportAccessReview(e.ctx, p, rv.ID)
		_, err4 := e.app.AccessAccounts(e.ctx, p, rv.ID)
		for _, err := range []error{err, err2, err3, err4} {
			if reads && err != nil {
				t.Errorf("%s reads the access reviews: %v", role, err)
			} else if !reads {
				wantRefused(t, err, assay.EFORBIDDEN, "Your role ("+string(role)+") does not show the access reviews.", string(role)+" reads")
			}
		}
		if role == assay.RoleAdmin {
			continue
		}
		msg := "Only admins run access review campaigns; your role is " + string(role) + "."
		_, err = e.app.OpenAccessReview(e.ctx, p, assay.NewAccessReview{Name: "X", Period: "X", DueDate: e.clock.Now(), Systems: []assay.AccessSystem{{Name: "X"}}})
		wantRefused(t, err, assay.EFORBIDDEN, msg, string(role)+" opens")
		_, err = e.app.LoadAccessAccounts(e.ctx, p, rv.ID, app.AccessLoad{Accounts: []assay.NewAccessAccount{{System: "Okta", Account: "eve"}}})
		wantRefused(t, err, assay.EFORBIDDEN, msg, string(role)+" loads")
		_, err = e.app.UpdateAccessReview(e.ctx, p, rv.ID, assay.NewAccessReview{Name: "X", Period: "X", DueDate: e.clock.Now(), Systems: []assay.AccessSystem{{Name: "Okta"}, {Name: "GitHub"}}})
		wantRefused(t, err, assay.EFORBIDDEN, msg, string(role)+" edits")
		_, err = e.app.CompleteAccessReview(e.ctx, p, rv.ID)
		wantRefused(t, err, assay.EFORBIDDEN, msg, string(role)+" completes")
		wantRefused(t, e.app.DeleteAccessReview(e.ctx, p, rv.ID), assay.EFORBIDDEN, msg, string(role)+" deletes")
		if _, err := e.app.AccessAccountSources(e.ctx, p); assay.ErrorCode(err) != assay.EFORBIDDEN {
			t.Errorf("%s lists the account sources: %v", role, err)
		}
	}
	d, err := e.app.AccessReview(e.ctx, admin, rv.ID)
	if err != nil || d.Review.Name != "Q1" || len(d.Accounts) != 2 {
		t.Fatalf("the refusals changed the campaign: %+v %v", d.Review, err)
	}
}

// Who decides which account: admins any, a member only the accounts of
// the systems they own, nobody else; the operator without --as is asked
// to name a reviewer. A refused decision records nothing.
func TestDecideAccessAuthorisation(t *testing.T) {
	e := newEnv(t)
	admin := e.principal(t, assay.RoleAdmin)
	owner := e.principal(t, assay.RoleMember)
	u, err := e.db.Org(e.org.ID).CreateUser(e.ctx, assay.SystemActor, assay.NewUser{Email: "other@acme.example", Name: "Other", Role: assay.RoleMember, Password: "long enough password"}, "x")
	if err != nil {
		t.Fatal(err)
	}
	other := e.app.PrincipalFor(u, "cli")
	rv, acc := accessCampaign(t, e, admin, owner.User.ID)
	okta, github := acc["alice"], acc["bob"]
	keep := assay.NewAccessDecision{Decision: assay.AccessKeep, Reason: "Still on the team."}
	for _, c := range []struct {
		who     app.Principal
		account assay.AccessAccount
		message string
	}{
		{other, okta, "Only the owner of Okta or an admin may decide its accounts."},
		{owner, github, "Only the owner of GitHub or an admin may decide its accounts."},
		{e.principal(t, assay.RoleAuditor), okta, "Your role (auditor) does not decide access review accounts."},
		{e.principal(t, assay.RoleViewer), okta, "Your role (viewer) does not decide access review accounts."},
		{e.principal(t, assay.RoleEmployee), okta, "Your role (employee) does not decide access review accounts."},
		{e.app.OperatorPrincipal(e.org, "assay access-review decide"), okta, "act as a user (--as EMAIL)"},
	} {
		what := c.who.User.Name + " decides " + c.account.Account
		if app.CanDecideAccess(c.who, rv, c.account) {
			t.Errorf("%s: the page would offer the decision", what)
		}
		_, err := e.app.DecideAccess(e.ctx, c.who, rv.ID, c.account.ID, keep)
		wantRefused(t, err, assay.EFORBIDDEN, c.message, what)
	}
	if _, err := e.app.DecideAccess(e.ctx, owner, rv.ID, 9999, keep); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Fatalf("an unknown account: %v", err)
	}
	d, err := e.app.AccessReview(e.ctx, admin, rv.ID)
	if err != nil || d.Review.Decided != 0 {
		t.Fatalf("the refusals decided accounts: %d %v", d.Review.Decided, err)
	}

	// The owner decides their system's account; the admin the other one.
	if !app.CanDecideAccess(owner, rv, okta) {
		t.Fatal("the owner may not decide their own system's account")
	}
	got, err := e.app.DecideAccess(e.ctx, owner, rv.ID, okta.ID, assay.NewAccessDecision{Decision: assay.AccessRevoke, Reason: "Left the team."})
	if err != nil || got.Decision != assay.AccessRevoke || got.DecidedBy != owner.User.ID || got.CorrectiveID == 0 {
		t.Fatalf("owner's decision: %+v %v", got, err)
	}
	if _, err := e.app.DecideAccess(e.ctx, admin, rv.ID, github.ID, keep); err != nil {
		t.Fatalf("admin's decision: %v", err)
	}
	done, err := e.app.CompleteAccessReview(e.ctx, admin, rv.ID)
	if err != nil || done.Status != assay.AccessReviewCompleted || done.EvidenceID == 0 || done.Revoked != 1 {
		t.Fatalf("complete: %+v %v", done, err)
	}
	// Once completed, nothing is offered or decided any more.
	if app.CanDecideAccess(admin, done, github) {
		t.Error("a completed campaign offers decisions")
	}
	if _, err := e.app.DecideAccess(e.ctx, admin, rv.ID, github.ID, keep); assay.ErrorCode(err) != assay.ECONFLICT {
		t.Fatalf("decision on a completed campaign: %v", err)
	}
}

// Loading refuses an unknown origin and a source that is not a roster or
// a PostgreSQL source, and changes nothing.
func TestLoadAccessAccountsOrigins(t *testing.T) {
	e := newEnv(t)
	withBlobs(t, e)
	admin := e.principal(t, assay.RoleAdmin)
	rv, _ := accessCampaign(t, e, admin, 0)
	src, err := e.db.Org(e.org.ID).CreateSource(e.ctx, assay.SystemActor, assay.Source{Name: "web", Kind: "http", Enabled: true,
		Settings: map[string]string{"url": "https://example.test"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		load    app.AccessLoad
		code    string
		message string
	}{
		{app.AccessLoad{From: "ldap"}, assay.EINVALID, `Unknown account origin "ldap"`},
		{app.AccessLoad{}, assay.EINVALID, "Say where the accounts come from"},
		{app.AccessLoad{From: app.LoadFromSource}, assay.EINVALID, "Choose a monitoring source."},
		{app.AccessLoad{From: app.LoadFromSource, SourceID: src.ID}, assay.EINVALID, `Source "web" is a http source`},
		{app.AccessLoad{From: app.LoadFromSource, SourceID: 999}, assay.EINVALID, "No monitoring source 999"},
		{app.AccessLoad{From: app.LoadFromRosterCSV, CSV: "Username\nx\n"}, assay.EINVALID, "Choose the system the roster is for."},
	} {
		_, err := e.app.LoadAccessAccounts(e.ctx, admin, rv.ID, c.load)
		wantRefused(t, err, c.code, c.message, "load from "+c.load.From)
	}
	if _, err := e.app.LoadAccessAccounts(e.ctx, admin, 999, app.AccessLoad{From: "ldap"}); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Fatalf("an unknown campaign: %v", err)
	}
	if accounts, err := e.app.AccessAccounts(e.ctx, admin, rv.ID); err != nil || len(accounts) != 2 {
		t.Fatalf("accounts after the refusals: %d %v", len(accounts), err)
	}
}
