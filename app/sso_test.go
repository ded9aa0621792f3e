package app_test

import (
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

func TestSSOSignInRules(t *testing.T) {
	e := newEnv(t)
	withSecrets(t, e)
	admin := e.principal(t, assay.RoleAdmin)
	member := e.principal(t, assay.RoleMember)
	in := app.SSOInput{SSOSettings: assay.SSOSettings{Protocol: assay.SSOOIDC, ProviderName: "Okta", Issuer: "https://acme.okta.example",
		ClientID: "c", GroupsClaim: "groups", DefaultRole: assay.RoleViewer,
		RoleMap: map[string]assay.Role{"assay-admins": assay.RoleAdmin, "assay-members": assay.RoleMember}}, ClientSecret: "  s3cret \n"}
	_, err := e.app.SetSSOSettings(e.ctx, member, in)
	wantCode(t, "a member changes SSO", err, assay.EFORBIDDEN)
	set, err := e.app.SetSSOSettings(e.ctx, admin, in)
	if err != nil || !set.HasSecret || set.SealedSecret != nil {
		t.Fatalf("set: %+v %v (the sealed secret is not handed out)", set, err)
	}
	cfg, err := e.app.SSOConfigBySlug(e.ctx, "acme")
	if err != nil || cfg.ClientSecret != "s3cret" || cfg.Org.ID != e.org.ID {
		t.Fatalf("config: %+v %v", cfg, err)
	}

	id := assay.SSOIdentity{Protocol: assay.SSOOIDC, Subject: "okta|1", Email: "Member@Acme.Example", EmailVerified: true, Groups: []string{"assay-admins"}}
	// A SAML identity is refused when the organisation speaks OIDC.
	saml := id
	saml.Protocol = assay.SSOSAML
	_, err = e.app.SSOSignIn(e.ctx, e.org.ID, saml)
	wantCode(t, "wrong protocol", err, assay.EFORBIDDEN)
	// The existing member is linked and gets the admin role their group maps to.
	u, err := e.app.SSOSignIn(e.ctx, e.org.ID, id)
	if err != nil || u.ID != member.User.ID || u.Role != assay.RoleAdmin {
		t.Fatalf("linked member: %+v %v", u, err)
	}
	// Later the group changes: the role follows.
	id.Groups = []string{"assay-members", "other"}
	if u, err = e.app.SSOSignIn(e.ctx, e.org.ID, id); err != nil || u.Role != assay.RoleMember {
		t.Fatalf("after the group change: %+v %v", u, err)
	}
	// No mapped group: the role is left as it is.
	id.Groups = nil
	if u, err = e.app.SSOSignIn(e.ctx, e.org.ID, id); err != nil || u.Role != assay.RoleMember {
		t.Fatalf("without groups: %+v %v", u, err)
	}
	// A disabled user stays out.
	if _, err := e.db.Org(e.org.ID).SetUserDisabled(e.ctx, assay.SystemActor, member.User.ID, true); err != nil {
		t.Fatal(err)
	}
	_, err = e.app.SSOSignIn(e.ctx, e.org.ID, id)
	wantCode(t, "disabled user", err, assay.EFORBIDDEN)
	// An e-mail of another organisation's user is not linked here.
	other, err := e.db.CreateOrganization(e.ctx, assay.SystemActor, "Other", "other", assay.Scope{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Org(other.ID).CreateUser(e.ctx, assay.SystemActor, assay.NewUser{Email: "zed@other.example", Role: assay.RoleAdmin,
		Password: "long enough password"}, "x"); err != nil {
		t.Fatal(err)
	}
	_, err = e.app.SSOSignIn(e.ctx, e.org.ID, assay.SSOIdentity{Protocol: assay.SSOOIDC, Subject: "okta|9", Email: "zed@other.example", EmailVerified: true})
	wantCode(t, "another organisation's e-mail", err, assay.ECONFLICT)
	_, err = e.app.SSOSignIn(e.ctx, e.org.ID, assay.SSOIdentity{Protocol: assay.SSOOIDC, Email: "new@acme.example", EmailVerified: true})
	wantCode(t, "no subject", err, assay.EFORBIDDEN)

	// SSO only: passwords stay for the break-glass admin alone.
	if err := e.app.PasswordAllowed(e.ctx, member.User); err != nil {
		t.Fatalf("before sso-only: %v", err)
	}
	in.SSOOnly, in.BreakGlassUserID, in.ClientSecret = true, admin.User.ID, ""
	if _, err := e.app.SetSSOSettings(e.ctx, admin, in); err != nil {
		t.Fatal(err)
	}
	if cfg, _ := e.app.SSOConfigBySlug(e.ctx, "acme"); cfg.ClientSecret != "s3cret" {
		t.Fatal("a blank secret did not keep the stored one")
	}
	wantCode(t, "member's password under sso-only", e.app.PasswordAllowed(e.ctx, member.User), assay.EFORBIDDEN)
	if err := e.app.PasswordAllowed(e.ctx, admin.User); err != nil {
		t.Fatalf("break-glass admin: %v", err)
	}
}
