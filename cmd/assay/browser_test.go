package main

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/assay-platform/assay"
)

// chromiumPath finds Debian's chromium. Without it the browser test skips,
// except in CI, where it fails (CI installs chromium).
func chromiumPath(t *testing.T) string {
	for _, name := range []string{os.Getenv("ASSAY_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed; .ci/run installs it with apt-get")
	}
	t.Skip("chromium not found; install Debian's chromium to run the browser test")
	return ""
}

func newBrowser(t *testing.T) context.Context {
	t.Helper()
	// Three minutes: under the race detector on a loaded two-core machine a
	// walk through several pages takes over a minute. Tests start their
	// server (and seed the demo) before the browser, so seeding is not
	// counted against it.
	return newBrowserFor(t, 3*time.Minute)
}

// newBrowserFor starts Chromium for a test that may take up to d.
func newBrowserFor(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, d)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// signInAt opens url, which asks for a sign-in, signs in through the form
// as email with the demo password and waits for the next page to load;
// the caller then waits for what its landing shows.
func signInAt(url, email string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(`input[name="email"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), demoPassword),
		clickAndLoad(`button[type="submit"]`),
	)
}

// TestBrowserDashboardFilterAndChangeStatus signs in to the demo, reads the
// dashboard, filters controls by typing, and changes one control's status.
func TestBrowserDashboardFilterAndChangeStatus(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, true)
	ctx := newBrowser(t)
	base := m.URL()
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	err := chromedp.Do(ctx,
		signInAt(base+"/", demoEmail),
		chromedp.WaitVisible(css(`[data-testid="readiness-overall"]`)),
	)
	if err != nil {
		t.Fatalf("sign in and open the dashboard: %v", err)
	}
	readiness, err := chromedp.Run(ctx, chromedp.Text(css(`[data-testid="readiness-overall"]`)))
	if err != nil || !strings.Contains(readiness, "%") {
		t.Fatalf("dashboard readiness figure %q (%v) has no percentage", readiness, err)
	}

	// Typing in the search box narrows the list without a page load.
	countRows := `document.querySelectorAll('#results tbody tr').length`
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/controls"),
		chromedp.WaitVisible(css(`#results table tbody tr`)),
	)
	if err != nil {
		t.Fatalf("open controls: %v", err)
	}
	rowsBefore, err := chromedp.Run(ctx, chromedp.Evaluate[int](countRows))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__marker = 'same page'`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(css(`input[name="q"]`), "multi-factor")); err != nil {
		t.Fatalf("type in the search box: %v", err)
	}
	rowsAfter, err := chromedp.Run(ctx, chromedp.Poll[int](
		`(() => { const n = `+countRows+`; return n > 0 && n < `+strconv.Itoa(rowsBefore)+` ? n : null })()`,
		chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Fatalf("typing did not narrow the list of %d rows: %v", rowsBefore, err)
	}
	marker, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__marker || ''`))
	if marker != "same page" {
		t.Fatal("filtering reloaded the page instead of updating the list")
	}
	firstID, err := chromedp.Run(ctx, chromedp.Text(css(`#results tbody tr td a`)))
	if err != nil {
		t.Fatal(err)
	}
	firstID = strings.TrimSpace(firstID)
	t.Logf("typing narrowed %d rows to %d; first is %s", rowsBefore, rowsAfter, firstID)

	// Change that control's status through its form.
	orgs, _ := m.Store.Organizations(context.Background())
	before, err := m.Store.Org(orgs[0].ID).Control(context.Background(), firstID)
	if err != nil {
		t.Fatalf("control %q from the list: %v", firstID, err)
	}
	want := assay.StatusInProgress
	if before.Status == want {
		want = assay.StatusImplemented
	}
	err = chromedp.Do(ctx,
		chromedp.Click(css(`#results tbody tr td a`)),
		chromedp.WaitVisible(css(`select[name="status"]`)),
		chromedp.SetValue(css(`select[name="status"]`), string(want)),
		chromedp.Submit(css(`select[name="status"]`)),
		chromedp.WaitVisible(css(`[role="status"]`)),
	)
	if err != nil {
		t.Fatalf("change status: %v", err)
	}
	flash, _ := chromedp.Run(ctx, chromedp.Text(css(`[role="status"]`)))
	after, _ := m.Store.Org(orgs[0].ID).Control(context.Background(), firstID)
	if after.Status != want {
		t.Fatalf("%s status is %s after the form, want %s", firstID, after.Status, want)
	}
	if !strings.Contains(flash, "Saved") {
		t.Fatalf("no confirmation after saving: %q", flash)
	}
}
