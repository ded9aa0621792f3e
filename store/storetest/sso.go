package storetest

import (
	"bytes"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

var ssoTests = []subtest{
	{"SSOSettings", testSSOSettings},
	{"SSOLinkAndProvision", testSSOLinkAndProvision},
	{"SAMLAssertionReplay", testSAMLReplay},
}

func testSSOSettings(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	admin := e.User(o, "ann@example.com", assay.RoleAdmin)
	member := e.User(o, "bob@example.com", assay.RoleMember)
	_, other := e.Org("other")
	stranger := e.User(other, "zed@example.com", assay.RoleAdmin)

	if s := must(o.SSOSettings(e.Ctx)).get(t); s.Enabled() || s.DefaultRole != assay.RoleViewer || len(s.RoleMap) != 0 {
		t.Fatalf("before any settings: %+v", s)
	}
	if l := must(e.Store.SSOLogins(e.Ctx)).get(t); len(l) != 0 {
		t.Fatalf("logins before any settings: %+v", l)
	}
	sealed := []byte{0, 1, 2, 255}
	set := assay.SSOSettings{Protocol: assay.SSOOIDC, ProviderName: "Okta", Issuer: "https://idp.example.com/", ClientID: "c1",
		SealedSecret: sealed, GroupsClaim: "groups", DefaultRole: assay.RoleMember,
		RoleMap: map[string]assay.Role{"Assay Admins": assay.RoleAdmin, "ünïcode": assay.RoleAuditor}, AllowedDomains: []string{"Example.COM", "@example.com"},
		SSOOnly: true, BreakGlassUserID: admin.ID}
	check(t, o.SetSSOSettings(e.Ctx, Actor, set, true), "set")
	got := must(o.SSOSettings(e.Ctx)).get(t)
	if !bytes.Equal(got.SealedSecret, sealed) || !got.HasSecret || got.Issuer != "https://idp.example.com" || got.RoleMap["ünïcode"] != assay.RoleAuditor ||
		len(got.AllowedDomains) != 1 || got.AllowedDomains[0] != "example.com" || strings.Join(got.Scopes, " ") != "openid email profile" ||
		!got.SSOOnly || got.BreakGlassUserID != admin.ID || !got.UpdatedAt.Equal(Epoch) {
		t.Fatalf("stored: %+v", got)
	}
	l := must(e.Store.SSOLogins(e.Ctx)).get(t)
	if len(l) != 1 || l[0].Slug != "acme" || l[0].ProviderName != "Okta" || !l[0].SSOOnly {
		t.Fatalf("logins: %+v", l)
	}
	// The secret is kept when none is given, cleared when asked.
	set.SealedSecret = nil
	set.ProviderName = "Okta SSO"
	check(t, o.SetSSOSettings(e.Ctx, Actor, set, true), "keep secret")
	if got := must(o.SSOSettings(e.Ctx)).get(t); !bytes.Equal(got.SealedSecret, sealed) {
		t.Fatal("the secret was not kept")
	}
	check(t, o.SetSSOSettings(e.Ctx, Actor, set, false), "clear secret")
	if got := must(o.SSOSettings(e.Ctx)).get(t); got.HasSecret {
		t.Fatal("the secret was not cleared")
	}
	acts := must(o.Activity(e.Ctx, assay.ActivityFilter{Action: assay.EventSSOSettings})).get(t)
	if len(acts) != 3 {
		t.Fatalf("%d settings entries, want 3", len(acts))
	}
	for _, a := range acts {
		if bytes.Contains(a.After, sealed) || bytes.Contains(a.Before, []byte("AAEC")) {
			t.Fatalf("the sealed secret reached the trail: %s", a.After)
		}
	}
	// Refused, changing nothing: a break-glass user who is not an admin,
	// or of another organisation; SSO-only without one.
	bad := set
	bad.BreakGlassUserID = member.ID
	wantCode(t, o.SetSSOSettings(e.Ctx, Actor, bad, true), assay.EINVALID, "member as break-glass")
	bad.BreakGlassUserID = stranger.ID
	wantCode(t, o.SetSSOSettings(e.Ctx, Actor, bad, true), assay.EINVALID, "another organisation's admin")
	bad.BreakGlassUserID = 0
	wantCode(t, o.SetSSOSettings(e.Ctx, Actor, bad, true), assay.EINVALID, "sso-only without break-glass")
	bad = set
	bad.RoleMap = map[string]assay.Role{"x": "owner"}
	wantCode(t, o.SetSSOSettings(e.Ctx, Actor, bad, true), assay.EINVALID, "unknown role")
	if n := len(must(o.Activity(e.Ctx, assay.ActivityFilter{Action: assay.EventSSOSettings})).get(t)); n != 3 {
		t.Fatalf("refused changes were ledgered: %d entries", n)
	}
	// Another organisation's settings are its own.
	if s := must(other.SSOSettings(e.Ctx)).get(t); s.Enabled() {
		t.Fatalf("another organisation sees these settings: %+v", s)
	}
	// SAML settings.
	saml := assay.SSOSettings{Protocol: assay.SSOSAML, SAMLMetadataXML: "\ufeff<EntityDescriptor/>", DefaultRole: assay.RoleViewer}
	check(t, o.SetSSOSettings(e.Ctx, Actor, saml, false), "saml")
	if got := must(o.SSOSettings(e.Ctx)).get(t); got.Protocol != assay.SSOSAML || got.SAMLMetadataXML != "<EntityDescriptor/>" || got.SSOOnly {
		t.Fatalf("saml settings: %+v", got)
	}
}

func testSSOLinkAndProvision(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	ann := e.User(o, "ann@example.com", assay.RoleAdmin)
	_, other := e.Org("other")
	id := assay.SSOIdentity{Protocol: assay.SSOOIDC, Subject: "sub-1", Email: "ann@example.com"}
	wantCode(t, must(o.SSOUser(e.Ctx, assay.SSOOIDC, "sub-1")).err, assay.ENOTFOUND, "unlinked")
	check(t, o.LinkSSO(e.Ctx, Actor, ann.ID, id), "link")
	if u := must(o.SSOUser(e.Ctx, assay.SSOOIDC, "sub-1")).get(t); u.ID != ann.ID {
		t.Fatalf("linked user: %+v", u)
	}
	wantCode(t, must(o.SSOUser(e.Ctx, assay.SSOSAML, "sub-1")).err, assay.ENOTFOUND, "same subject, other protocol")
	wantCode(t, must(other.SSOUser(e.Ctx, assay.SSOOIDC, "sub-1")).err, assay.ENOTFOUND, "another organisation")
	wantCode(t, o.LinkSSO(e.Ctx, Actor, ann.ID, id), assay.ECONFLICT, "linking twice")
	u := must(o.ProvisionSSOUser(e.Ctx, Actor, assay.NewUser{Email: "cy@example.com", Name: "Cy", Role: assay.RoleAuditor}, "hash",
		assay.SSOIdentity{Protocol: assay.SSOSAML, Subject: "cy@example.com", Email: "cy@example.com"})).get(t)
	if u.Role != assay.RoleAuditor || u.Email != "cy@example.com" {
		t.Fatalf("provisioned: %+v", u)
	}
	if got := must(o.SSOUser(e.Ctx, assay.SSOSAML, "cy@example.com")).get(t); got.ID != u.ID {
		t.Fatalf("provisioned user not linked: %+v", got)
	}
	// An identity linked already: nothing is created.
	wantCode(t, must(o.ProvisionSSOUser(e.Ctx, Actor, assay.NewUser{Email: "dee@example.com", Role: assay.RoleViewer}, "hash", id)).err,
		assay.ECONFLICT, "provision a linked identity")
	wantCode(t, must(o.ProvisionSSOUser(e.Ctx, Actor, assay.NewUser{Email: "ann@example.com", Role: assay.RoleViewer}, "hash",
		assay.SSOIdentity{Protocol: assay.SSOOIDC, Subject: "sub-2"})).err, assay.ECONFLICT, "provision a known e-mail")
	if _, _, err := e.Store.UserByEmail(e.Ctx, "dee@example.com"); assay.ErrorCode(err) != assay.ENOTFOUND {
		t.Fatalf("a refused provisioning left a user: %v", err)
	}
	links := must(o.Activity(e.Ctx, assay.ActivityFilter{Action: assay.EventSSOLink})).get(t)
	if len(links) != 2 || !strings.HasPrefix(links[1].Summary, "SSO link:") || links[0].ObjectID != itoa(u.ID) {
		t.Fatalf("link entries: %+v", links)
	}
}

func testSAMLReplay(e *Env) {
	t := e.T
	_, o := e.Org("acme")
	_, other := e.Org("other")
	until := Epoch.Add(5 * time.Minute)
	if !must(o.UseSAMLAssertion(e.Ctx, "_a1", until)).get(t) {
		t.Fatal("a new assertion was refused")
	}
	if must(o.UseSAMLAssertion(e.Ctx, "_a1", until)).get(t) {
		t.Fatal("a replayed assertion was accepted")
	}
	if !must(other.UseSAMLAssertion(e.Ctx, "_a1", until)).get(t) {
		t.Fatal("another organisation's assertion ids are not its own")
	}
	// Once its time is past, the id is forgotten (an expired assertion is
	// refused before it gets here).
	e.Clock.Advance(6 * time.Minute)
	if !must(o.UseSAMLAssertion(e.Ctx, "_a2", e.Clock.Now().Add(time.Minute))).get(t) {
		t.Fatal("a new assertion was refused")
	}
	if !must(o.UseSAMLAssertion(e.Ctx, "_a1", e.Clock.Now().Add(time.Minute))).get(t) {
		t.Fatal("an expired id was kept")
	}
}
