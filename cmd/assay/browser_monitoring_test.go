package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserMonitoringGrid signs in to the demo, opens Monitoring, finds
// a red day in a failing check's 30-day grid, follows it to the check's
// page and reads that day's result and reason there; then narrows the
// list by status without a page load.
func TestBrowserMonitoringGrid(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, true)
	ctx := newBrowser(t)
	base := m.URL()
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	err := chromedp.Do(ctx,
		signInAt(base+"/login", demoEmail),
		chromedp.WaitVisible(css(`[data-testid="readiness-overall"]`)),
		chromedp.Click(css(`nav a[href="/monitoring"]`)),
		chromedp.WaitVisible(css(`.mon-grid a.cell-fail`)),
	)
	if err != nil {
		t.Fatalf("open monitoring from the nav: %v", err)
	}
	label, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.mon-grid a.cell-fail').getAttribute('title')`))
	if err != nil || !strings.Contains(label, ": failed (") {
		t.Fatalf("red cell label %q (%v)", label, err)
	}
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.mon-grid a.cell-fail').getAttribute('href')`))
	if err != nil || !strings.Contains(href, "?day=") {
		t.Fatalf("red cell link %q (%v)", href, err)
	}
	checkID := strings.TrimPrefix(href[:strings.Index(href, "?")], "/monitoring/checks/")
	err = chromedp.Do(ctx,
		chromedp.Click(css(`.mon-grid a.cell-fail`)),
		chromedp.WaitVisible(css(`#day`)),
	)
	if err != nil {
		t.Fatalf("open the red day: %v", err)
	}
	day, err := chromedp.Run(ctx, chromedp.Text(css(`#day`)))
	if err != nil || !strings.Contains(day, "fail") || !strings.Contains(day, "Reason:") {
		t.Fatalf("day panel %q (%v)", day, err)
	}
	// The day's date is the one in the cell's label.
	if date := label[:strings.Index(label, ":")]; !strings.Contains(day, date) {
		t.Fatalf("day panel %q is not for %s", day, date)
	}
	title, err := chromedp.Run(ctx, chromedp.Text(css(`.object-id`)))
	if err != nil || !strings.Contains(title, checkID) {
		t.Fatalf("check page for %s shows %q (%v)", checkID, title, err)
	}
	failing, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('section[aria-labelledby="failing-title"] tbody tr').length`))
	if err != nil || failing == 0 {
		t.Fatalf("no failing resources listed on the check page (%v)", err)
	}

	// The status filter swaps the results in place.
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/monitoring"),
		chromedp.WaitVisible(css(`#results tbody tr`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__marker = 'same page'`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(css(`#f-status`), "failing")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('#f-status').dispatchEvent(new Event('change', {bubbles: true}))`)); err != nil {
		t.Fatal(err)
	}
	n, err := chromedp.Run(ctx, chromedp.Poll[int](
		`(() => { const rows = document.querySelectorAll('#results tbody tr'); const all = [...rows].every(r => r.classList.contains('mon-row-failing')); return rows.length > 0 && all ? rows.length : null })()`,
		chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Fatalf("the status filter did not narrow the list to failing checks: %v", err)
	}
	if marker, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__marker || ''`)); marker != "same page" {
		t.Fatal("filtering reloaded the page")
	}
	t.Logf("%d failing checks; opened %s on %s", n, checkID, label)
}
