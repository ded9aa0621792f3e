package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"github.com/assay-platform/assay"
)

// TestBrowserMFAPolicyForcesAdminEnrolment: in a real browser, under an
// "MFA required for admins" policy, the demo's admin is led from the
// password straight to setting up an authenticator (nothing else opens),
// reads the secret off the page, confirms it with a code, gets the
// recovery codes, and later signs in again with a TOTP code.
func TestBrowserMFAPolicyForcesAdminEnrolment(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, true)
	ctx := newBrowser(t)
	base := m.URL()
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	bg := context.Background()
	orgs, err := m.Store.Organizations(bg)
	if err != nil || len(orgs) != 1 {
		t.Fatalf("demo organisations: %v %d", err, len(orgs))
	}
	org := m.Store.Org(orgs[0].ID)
	if err := org.SetMFAPolicy(bg, assay.Actor{Name: "test", Via: "system"}, assay.MFAAdmins); err != nil {
		t.Fatal(err)
	}
	code := func(sec string, ahead time.Duration) string {
		t.Helper()
		c, err := totp.GenerateCode(sec, m.Config.Clock.Now().Add(ahead))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	signIn := chromedp.Steps(
		signInAt(base+"/", demoEmail),
	)

	if err := chromedp.Do(ctx, signIn, chromedp.WaitVisible(css(`#mfa-secret`))); err != nil {
		t.Fatalf("sign in under the policy: %v", err)
	}
	// Nothing else opens before the authenticator is set up.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/controls"), chromedp.WaitVisible(css(`input[name="email"]`))); err != nil {
		t.Fatalf("/controls before enrolling did not go to the sign-in page: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/login/mfa/setup"), chromedp.WaitVisible(css(`#mfa-secret`))); err != nil {
		t.Fatalf("back to the set-up page: %v", err)
	}
	sec, err := chromedp.Run(ctx, chromedp.Text(css(`#mfa-secret`)))
	if err != nil {
		t.Fatal(err)
	}
	sec = strings.TrimSpace(sec)
	qr, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const i = document.querySelector('img.mfa-qr'); return !!i && i.complete && i.naturalWidth > 0 })()`))
	if err != nil || !qr {
		t.Fatalf("the QR code did not load in the browser (%v)", err)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(css(`#mfa-code`), code(sec, 0)),
		clickAndLoad(`button[type="submit"]`),
		chromedp.WaitVisible(css(`#recovery-codes`)),
	)
	if err != nil {
		t.Fatalf("confirm the authenticator: %v", err)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#recovery-codes li').length`))
	if err != nil || n != assay.RecoveryCodeCount {
		t.Fatalf("%d recovery codes shown (%v)", n, err)
	}
	if err := chromedp.Do(ctx, clickAndLoad(`#mfa-continue`), chromedp.WaitVisible(css(`[data-testid="readiness-overall"]`))); err != nil {
		t.Fatalf("continue to the dashboard: %v", err)
	}

	// Sign out, and in again: now a code is asked for. The code of the
	// next step is used, since the one that confirmed the enrolment is spent.
	err = chromedp.Do(ctx,
		clickAndLoad(`form[action="/logout"] button`),
		signIn,
		chromedp.WaitVisible(css(`input[name="code"]`)),
		chromedp.SendKeys(css(`input[name="code"]`), code(sec, 30*time.Second)),
		clickAndLoad(`button[type="submit"]`),
		chromedp.WaitVisible(css(`[data-testid="readiness-overall"]`)),
	)
	if err != nil {
		t.Fatalf("sign in again with a TOTP code: %v", err)
	}
	acts, err := org.Activity(bg, assay.ActivityFilter{Action: assay.EventMFAEnrolled, Limit: 5})
	if err != nil || len(acts) != 1 || !strings.Contains(acts[0].Summary, "Dana") {
		t.Fatalf("enrolment in the trail: %+v %v", acts, err)
	}
}
