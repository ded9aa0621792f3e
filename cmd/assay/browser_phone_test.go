package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPhoneLayout opens the demo at a phone's width (390 px): no page
// scrolls sideways (wide tables scroll inside their frame), and the menu
// button shows and hides the navigation.
func TestBrowserPhoneLayout(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, true)
	ctx := newBrowser(t)
	base := m.URL()
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		signInAt(base+"/", demoEmail),
		chromedp.WaitReady(css(`[data-testid="readiness-overall"]`)),
	)
	if err != nil {
		t.Fatalf("sign in at 390 px: %v", err)
	}
	const navShown = `getComputedStyle(document.querySelector('#main-nav')).display !== 'none'`
	const overflow = `(() => { const w = window.innerWidth; if (document.documentElement.scrollWidth <= w) return ''; ` +
		`return document.documentElement.scrollWidth + ' > ' + w + ': ' + [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1 && !(e.parentElement && e.parentElement.closest('.table-wrap'))).slice(0, 5).map(e => e.tagName + '.' + e.className).join(', ') + ' | ' + [...document.querySelectorAll('body *')].filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth + '/' + e.clientWidth).join(', '); })()`
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/access-reviews"), chromedp.WaitReady(css(`#main`))); err != nil {
		t.Fatal(err)
	}
	review, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('#main a[href^="/access-reviews/"]') || {}).pathname || ''`))
	if err != nil || review == "" {
		t.Fatalf("the demo's access review is not listed (%v)", err)
	}
	for _, path := range []string{"/", "/monitoring", "/risks", review, "/controls", "/corrective-actions", "/incidents", "/vendors"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitReady(css(`#main`))); err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		if wide, err := chromedp.Run(ctx, chromedp.Evaluate[string](overflow)); err != nil || wide != "" {
			t.Errorf("%s scrolls sideways at 390 px: %s (%v)", path, wide, err)
		}
		shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](navShown))
		if err != nil || shown {
			t.Errorf("%s: the navigation shows before the menu button is pressed (%v)", path, err)
		}
	}
	// On the incident form a checkbox shares a row with its label, and the
	// date-and-time inputs look like the text inputs.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/incidents"), chromedp.WaitReady(css(`#in-personal`))); err != nil {
		t.Fatal(err)
	}
	row, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const b = document.querySelector('#in-personal').getBoundingClientRect(), `+
		`l = document.querySelector('label[for="in-personal"]').getBoundingClientRect(); return l.left >= b.right && l.top < b.bottom; })()`))
	if err != nil || !row {
		t.Errorf("the checkbox does not share a row with its label (%v)", err)
	}
	same, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const a = getComputedStyle(document.querySelector('#in-occurred')), `+
		`b = getComputedStyle(document.querySelector('#in-title')); return ['borderTopLeftRadius', 'borderTopColor', 'paddingLeft', 'width'].filter(k => a[k] !== b[k]).join(' '); })()`))
	if err != nil || same != "" {
		t.Errorf("the datetime input differs from the text input in %q (%v)", same, err)
	}

	// The corrective actions' status select shows its value, and the
	// Source column names sources rather than internal keys.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/corrective-actions"), chromedp.WaitReady(css(`#main`))); err != nil {
		t.Fatal(err)
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Math.min(...[...document.querySelectorAll('select[id^="ca-status-"]')].map(e => e.offsetWidth))`))
	if err != nil || width < 120 {
		t.Errorf("a corrective action's status select is %d px wide (%v)", width, err)
	}
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#main').innerText`))
	if strings.Contains(text, "finding:") || strings.Contains(text, "access-review:") {
		t.Errorf("/corrective-actions shows internal source keys:\n%s", text)
	}
	if err := chromedp.Do(ctx, chromedp.Click(css(`[data-menu]`))); err != nil {
		t.Fatal(err)
	}
	if shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](navShown)); err != nil || !shown {
		t.Errorf("the menu button did not show the navigation (%v)", err)
	}
	if exp, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-menu]').getAttribute('aria-expanded')`)); exp != "true" {
		t.Errorf("aria-expanded is %q after opening the menu", exp)
	}
	if err := chromedp.Do(ctx, chromedp.Click(css(`[data-menu]`))); err != nil {
		t.Fatal(err)
	}
	if shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](navShown)); err != nil || shown {
		t.Errorf("the menu button did not hide the navigation again (%v)", err)
	}
}

// TestBrowserAuditFormShowsTheChosenType: the engagement form shows the
// Type II period for Type II and the as-of date for Type I.
func TestBrowserAuditFormShowsTheChosenType(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, true)
	ctx := newBrowser(t)
	base := m.URL()
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	err := chromedp.Do(ctx,
		signInAt(base+"/audits", demoEmail),
		chromedp.WaitReady(css(`#au-type`)),
	)
	if err != nil {
		t.Fatalf("sign in and open /audits: %v", err)
	}
	const shown = `[...document.querySelectorAll('[data-audit-type]')].filter(f => f.offsetParent !== null).map(f => f.querySelector('input').name).join(' ')`
	for _, c := range []struct{ typ, want string }{{"type_2", "period_start period_end"}, {"type_1", "as_of"}, {"type_2", "period_start period_end"}} {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const s = document.querySelector('#au-type'); s.value = '`+c.typ+
			`'; s.dispatchEvent(new Event('change', {bubbles: true})); return `+shown+`; })()`))
		if err != nil || got != c.want {
			t.Errorf("with %s the form shows %q, want %q (%v)", c.typ, got, c.want, err)
		}
	}
}
