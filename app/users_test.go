package app_test

import (
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// Users are admins' to manage; every user lists and revokes their own API
// tokens, not another's.
func TestUserAndTokenAuthorisation(t *testing.T) {
	e := newEnv(t)
	admin, member, viewer := e.principal(t, assay.RoleAdmin), e.principal(t, assay.RoleMember), e.principal(t, assay.RoleViewer)
	for _, p := range []app.Principal{member, viewer, e.principal(t, assay.RoleAuditor), e.principal(t, assay.RoleEmployee)} {
		role := p.User.Role
		_, err := e.app.Users(e.ctx, p)
		wantCode(t, string(role)+" lists users", err, assay.EFORBIDDEN)
		_, err = e.app.UpdateUserRole(e.ctx, p, p.User.ID, assay.RoleAdmin)
		wantCode(t, string(role)+" promotes themself", err, assay.EFORBIDDEN)
		_, err = e.app.SetUserDisabled(e.ctx, p, admin.User.ID, true)
		wantCode(t, string(role)+" disables", err, assay.EFORBIDDEN)
	}
	if u, err := e.app.UpdateUserRole(e.ctx, admin, viewer.User.ID, assay.RoleMember); err != nil || u.Role != assay.RoleMember {
		t.Fatalf("admin changes a role: %+v %v", u, err)
	}
	org := e.db.Org(e.org.ID)
	mine, err := org.CreateAPIToken(e.ctx, assay.SystemActor, assay.APIToken{UserID: member.User.ID, Name: "mine", Prefix: "assay_pat_aaaa"}, "h1")
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := org.CreateAPIToken(e.ctx, assay.SystemActor, assay.APIToken{UserID: admin.User.ID, Name: "theirs", Prefix: "assay_pat_bbbb"}, "h2")
	if err != nil {
		t.Fatal(err)
	}
	if list, err := e.app.APITokens(e.ctx, member, 0); err != nil || len(list) != 1 || list[0].ID != mine.ID {
		t.Fatalf("member's tokens: %+v %v", list, err)
	}
	_, err = e.app.APITokens(e.ctx, member, admin.User.ID)
	wantCode(t, "member lists the admin's tokens", err, assay.EFORBIDDEN)
	wantCode(t, "member revokes the admin's token", e.app.RevokeAPIToken(e.ctx, member, theirs.ID), assay.ENOTFOUND)
	if err := e.app.RevokeAPIToken(e.ctx, member, mine.ID); err != nil {
		t.Fatal(err)
	}
	if list, err := e.app.APITokens(e.ctx, admin, 0); err != nil || len(list) != 1 || list[0].ID != theirs.ID {
		t.Fatalf("admin's view after the revoke: %+v %v", list, err)
	}
	// The operator (no account) manages every token but owns none.
	op := e.app.OperatorPrincipal(e.org, "assay token list")
	if list, err := e.app.APITokens(e.ctx, op, 0); err != nil || len(list) != 1 {
		t.Fatalf("operator's tokens: %+v %v", list, err)
	}
}
