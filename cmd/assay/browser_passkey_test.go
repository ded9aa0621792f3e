package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"github.com/assay-platform/assay"
)

// TestBrowserPasskeySecondFactor: in a real browser with the DevTools
// virtual authenticator (CTAP2, internal, resident keys, user verified),
// the demo admin adds a passkey from their account page, signs out, and
// signs in again with the password and then the passkey.
func TestBrowserPasskeySecondFactor(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, true)
	ctx := newBrowser(t)
	// A passkey's relying party is a domain: localhost, not an IP address.
	base := strings.Replace(m.URL(), "127.0.0.1", "localhost", 1)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	bg := context.Background()
	orgs, err := m.Store.Organizations(bg)
	if err != nil || len(orgs) != 1 {
		t.Fatalf("demo organisations: %v %d", err, len(orgs))
	}
	org := m.Store.Org(orgs[0].ID)
	dana, _, err := m.Store.UserByEmail(bg, demoEmail)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, webauthn.Enable, webauthn.EnableParams{}); err != nil {
		t.Fatalf("WebAuthn.enable: %v", err)
	}
	if _, err := chromedp.Call(ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{Options: &webauthn.VirtualAuthenticatorOptions{
		Protocol: webauthn.AuthenticatorProtocolCtap2, Transport: webauthn.AuthenticatorTransportInternal,
		HasResidentKey: true, HasUserVerification: true, IsUserVerified: true, AutomaticPresenceSimulation: true,
	}}); err != nil {
		t.Fatalf("WebAuthn.addVirtualAuthenticator: %v", err)
	}
	signIn := chromedp.Steps(
		signInAt(base+"/", demoEmail),
	)
	err = chromedp.Do(ctx, signIn, chromedp.WaitVisible(css(`[data-testid="readiness-overall"]`)),
		chromedp.Navigate(base+"/account"),
		chromedp.WaitVisible(css(`#passkey-add`)),
		chromedp.SendKeys(css(`#passkey-name`), "Virtual key"),
		chromedp.Click(css(`#passkey-add`)),
		chromedp.WaitVisible(css(`#passkey-list`)),
	)
	if err != nil {
		status, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.getElementById('passkey-add-status') || {}).textContent || ''`))
		t.Fatalf("add a passkey: %v (page says %q)", err, status)
	}
	keys, err := org.Passkeys(bg, dana.ID)
	if err != nil || len(keys) != 1 || keys[0].Name != "Virtual key" || keys[0].LastUsedAt != nil {
		t.Fatalf("passkeys after adding: %+v %v", keys, err)
	}

	// The password now leads to the second factor; the passkey answers it.
	err = chromedp.Do(ctx,
		clickAndLoad(`form[action="/logout"] button`),
		signIn,
		chromedp.WaitVisible(css(`#passkey-signin`)),
		clickAndLoad(`#passkey-signin`),
		chromedp.WaitVisible(css(`[data-testid="readiness-overall"]`)),
	)
	if err != nil {
		status, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.getElementById('passkey-status') || {}).textContent || ''`))
		t.Fatalf("sign in with the passkey: %v (page says %q)", err, status)
	}
	keys, err = org.Passkeys(bg, dana.ID)
	if err != nil || len(keys) != 1 || keys[0].LastUsedAt == nil {
		t.Fatalf("passkey after signing in: %+v %v", keys, err)
	}
	acts, err := org.Activity(bg, assay.ActivityFilter{Action: assay.EventPasskeyAdded, Limit: 5})
	if err != nil || len(acts) != 1 {
		t.Fatalf("passkey in the trail: %+v %v", acts, err)
	}
}
