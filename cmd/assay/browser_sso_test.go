package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/internal/oidctest"
)

// TestBrowserOIDCSignInProvisionsWithMappedRole: an admin sets single
// sign-on up from the command line (the client secret from standard
// input); then, in real Chromium, a person new to Assay clicks "Sign in
// with Test IdP", signs in at the OpenID provider, and lands on the
// dashboard, provisioned with the role their group maps to.
func TestBrowserOIDCSignInProvisionsWithMappedRole(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t)
	// The OpenID provider (zitadel's op) signs its tokens at the wall
	// clock, so this server runs on the wall clock too (not on the test
	// date of ASSAY_TEST_NOW, where every token would be from the future
	// or long expired); the CLI below does already.
	m := startMainWith(t, false, func(c *Config) { c.Clock = assay.SystemClock{} })
	base := m.URL()
	orgID, _ := m.orgWithAdmin(t, "Contoso")
	op := oidctest.Start(t, base+"/login/sso/contoso/callback")
	op.AddUser(oidctest.User{ID: "u-ada", Username: "ada", Password: "pw", Email: "ada@contoso.example", EmailVerified: true,
		Name: "Ada Lovelace", Groups: []string{"staff", "assay-auditors"}})

	out, err := runCLI(t, op.ClientSecret+"\n", "--data", m.Config.DataDir, "sso", "set", "--protocol", "oidc", "--provider-name", "Test IdP",
		"--issuer", op.Issuer, "--client-id", op.ClientID, "--client-secret-stdin", "--groups-claim", "groups",
		"--role-map", "assay-auditors=auditor,assay-admins=admin", "--default-role", "viewer", "--allowed-domains", "contoso.example", "--json")
	if err != nil {
		t.Fatalf("assay sso set: %v\n%s", err, out)
	}
	var set assay.SSOSettings
	if err := json.Unmarshal([]byte(out), &set); err != nil || !set.HasSecret || set.RoleMap["assay-auditors"] != assay.RoleAuditor ||
		strings.Contains(out, op.ClientSecret) {
		t.Fatalf("assay sso set --json: %v\n%s", err, out)
	}
	if out, err := runCLI(t, "", "--data", m.Config.DataDir, "sso", "show"); err != nil || !strings.Contains(out, "Client secret set: true") ||
		!strings.Contains(out, "assay-auditors = auditor") {
		t.Fatalf("assay sso show: %v\n%s", err, out)
	}

	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css(`[data-testid="sso-buttons"] a`)),
		clickAndLoad(`[data-testid="sso-buttons"] a`),
		chromedp.WaitVisible(css(`#op-username`)),
		chromedp.SendKeys(css(`#op-username`), "ada"),
		chromedp.SendKeys(css(`#op-password`), "pw"),
		clickAndLoad(`#op-submit`),
		chromedp.WaitVisible(css(`[data-testid="readiness-overall"]`)),
	)
	if err != nil {
		t.Fatalf("sign in through the provider: %v", err)
	}
	u, _, err := m.Store.UserByEmail(context.Background(), "ada@contoso.example")
	if err != nil || u.OrgID != orgID || u.Role != assay.RoleAuditor || u.Name != "Ada Lovelace" {
		t.Fatalf("provisioned user: %+v %v", u, err)
	}
	// The auditor reads the activity trail, with the SSO link in it.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/activity"), chromedp.WaitVisible(css(`main`))); err != nil {
		t.Fatal(err)
	}
	body, err := chromedp.Run(ctx, chromedp.Text(css(`main`)))
	if err != nil || !strings.Contains(body, "SSO link: Ada Lovelace") {
		t.Fatalf("the activity trail lacks the SSO link (%v):\n%.2000s", err, body)
	}
}
