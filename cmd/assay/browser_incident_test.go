package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/internal/clocktest"
)

// TestBrowserIncidentToReview reports an incident in a real browser, moves
// it through triage, containment and resolution, records its review, and
// finds the corrective actions the review opened in the register.
func TestBrowserIncidentToReview(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, true)
	ctx := newBrowser(t)
	base := m.URL()
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	// Each form posts and the browser loads a new page: mark the old page,
	// click, and wait until a fresh, fully loaded page has replaced it, so
	// the next step never touches a node of the page being left.
	submitAndWait := func(sel string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(
			chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				_, err := chromedp.Evaluate[bool](`window.__leaving = true`)(ctx, t)
				return err
			}),
			chromedp.Click(css(sel)),
			chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				// Evaluating while the page navigates can fail: retry until
				// the new page answers.
				deadline := time.Now().Add(20 * time.Second)
				for time.Now().Before(deadline) {
					fresh, err := chromedp.Evaluate[bool](`!window.__leaving && document.readyState === 'complete'`)(ctx, t)
					if err == nil && fresh {
						return nil
					}
					time.Sleep(50 * time.Millisecond)
				}
				return fmt.Errorf("no new page after submitting %s", sel)
			}),
		)
	}
	now := clocktest.Now()
	local := func(t time.Time) string { return t.Format("2006-01-02T15:04") }
	err := chromedp.Do(ctx,
		signInAt(base+"/login", demoEmail),
		chromedp.WaitVisible(css(`[data-testid="readiness-overall"]`)),
		chromedp.Navigate(base+"/incidents"),
		chromedp.WaitVisible(css(`#in-title`)),
		chromedp.SendKeys(css(`#in-title`), "Shared admin password found in a chat log"),
		chromedp.SetValue(css(`#in-occurred`), local(now.Add(-6*time.Hour))),
		chromedp.SetValue(css(`#in-detected`), local(now.Add(-2*time.Hour))),
		chromedp.Click(css(`#in-customer`)),
		submitAndWait(`#new button[type="submit"]`),
		chromedp.WaitVisible(css(`#move-title`)),
		// Triage as SEV3.
		chromedp.SetValue(css(`#mv-status`), "triaged"),
		chromedp.SetValue(css(`#mv-severity`), "SEV3"),
		submitAndWait(`form[action$="/move"] button[type="submit"]`),
		chromedp.WaitReady(css(`#mv-status option[value="contained"][selected]`)),
		submitAndWait(`form[action$="/move"] button[type="submit"]`),
		chromedp.WaitReady(css(`#mv-status option[value="resolved"][selected]`)),
		chromedp.SendKeys(css(`#entry-text`), "Password rotated and chat log purged."),
		submitAndWait(`form[action$="/entries"] button[type="submit"]`),
		chromedp.WaitVisible(css(`.banner-ok`)),
		submitAndWait(`form[action$="/move"] button[type="submit"]`),
		// Resolved: the review form appears.
		chromedp.WaitVisible(css(`#rv-root`)),
		chromedp.SendKeys(css(`#rv-root`), "Admins shared one account instead of using their own."),
		chromedp.SendKeys(css(`#rv-well`), "Detected within hours by a colleague."),
		chromedp.SetValue(css(`#rv-improve`), "Give every admin a named account\nAdd secret scanning to the chat tool"),
		submitAndWait(`form[action$="/review"] button[type="submit"]`),
		chromedp.WaitVisible(css(`#review-title`)),
	)
	if err != nil {
		t.Fatalf("incident through to its review: %v", err)
	}
	timeline, err := chromedp.Run(ctx, chromedp.Text(css(`.timeline`)))
	if err != nil || !strings.Contains(timeline, "Triaged as SEV3") || !strings.Contains(timeline, "Password rotated") || !strings.Contains(timeline, "Post-incident review recorded") {
		t.Fatalf("timeline %q (%v)", timeline, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(css(`.incident-actions a`)), chromedp.WaitVisible(css(`.corrective-table`))); err != nil {
		t.Fatalf("open the register: %v", err)
	}
	register, err := chromedp.Run(ctx, chromedp.Text(css(`.corrective-table`)))
	if err != nil || !strings.Contains(register, "Give every admin a named account") || !strings.Contains(register, "Add secret scanning to the chat tool") ||
		!strings.Contains(register, "Incident review") {
		t.Fatalf("register %q (%v)", register, err)
	}

	orgs, _ := m.Store.Organizations(context.Background())
	list, _ := m.Store.Org(orgs[0].ID).Incidents(context.Background(), assay.IncidentFilter{Status: assay.IncidentClosed, Exercise: new(bool)})
	if len(list) != 1 || list[0].Severity != "SEV3" || !list[0].CustomerData || list[0].Review == nil || list[0].Review.ReviewedByName != "Dana Reyes" {
		t.Fatalf("closed incidents: %+v", list)
	}
}
