package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestBrowserEveryPage signs in to the demo as each role that uses it (the
// admin, a member, an auditor, the auditor invited to the engagement, a
// viewer and an employee) and visits every page its navigation reaches,
// plus the first record each list links to, at 1440 px and 390 px wide.
// On every page: no sideways scrolling, no form control narrower than its
// content, a label for every form field, no console error, no image that
// did not load, HTML under 200 KB, and (at 1440 px, once a page whatever
// the role) no serious or critical axe-core violation. The links the pages hold are then fetched (up to
// three of each shape): none is broken.
func TestBrowserEveryPage(t *testing.T) {
	if testing.Short() {
		t.Skip("the every-page walk takes minutes: it runs in the full suite (go test ./...), not with -short")
	}
	t.Parallel()
	axe := axeScript(t)
	m := startMain(t, false, true)
	base := m.URL()
	axed := map[string]bool{} // pages axe-core has judged, under any role
	for _, role := range []struct{ name, email string }{
		{"admin", demoEmail},
		{"member", "sam@northwind.example"},
		{"auditor", "morgan@hartwell-assurance.example"},
		{"engagement auditor", demoEngagementAuditor},
		{"viewer", "chris@northwind.example"},
		{"employee", demoEmployeeEmail},
	} {
		t.Run(role.name, func(t *testing.T) {
			ctx := newBrowserFor(t, 10*time.Minute)
			w := &pageWalk{t: t, ctx: ctx, base: base, axe: axe, axed: axed, links: map[string]string{}, shots: role.name == "admin" || role.name == "employee"}
			w.listen()
			if err := signInAs(ctx, base, role.email); err != nil {
				t.Fatalf("sign in as %s: %v", role.email, err)
			}
			pages := w.pages()
			if len(pages) < 1 {
				t.Fatalf("the navigation reaches only %v", pages)
			}
			for _, width := range []int64{1440, 390} {
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
					t.Fatal(err)
				}
				for _, p := range pages {
					w.check(p, width)
				}
			}
			w.checkLinks()
			t.Logf("%s: %d pages at two widths, %d links", role.name, len(pages), len(w.links))
		})
	}
}

// signInAs signs in through the form and waits for the landing page.
func signInAs(ctx context.Context, base, email string) error {
	return chromedp.Do(ctx, signInAt(base+"/login", email), chromedp.WaitReady(chromedp.CSS(`form[action="/logout"]`)))
}

type pageWalk struct {
	t         *testing.T
	ctx       context.Context
	base, axe string
	mu        sync.Mutex
	current   string
	console   []string
	links     map[string]string // link -> a page it is on
	axed      map[string]bool   // pages already judged by axe-core
	shots     bool              // take the docs' screenshots as this role
}

// listen records console errors, uncaught exceptions and failed loads.
func (w *pageWalk) listen() {
	err := chromedp.Listen(w.ctx, func(ev any) {
		var msg string
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
				}
				msg = "console.error: " + strings.Join(parts, " ")
			}
		case *runtime.EventExceptionThrown:
			msg = "exception: " + e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				msg = "log: " + e.Entry.Text + " " + e.Entry.URL
			}
		}
		if msg != "" {
			w.mu.Lock()
			w.console = append(w.console, w.current+": "+msg)
			w.mu.Unlock()
		}
	})
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := chromedp.Call(w.ctx, log.Enable, cdp.Empty{}); err != nil {
		w.t.Fatal(err)
	}
	if _, err := chromedp.Call(w.ctx, runtime.Enable, cdp.Empty{}); err != nil {
		w.t.Fatal(err)
	}
}

// pages is every page the navigation links to, and the first record
// each of those lists links to.
func (w *pageWalk) pages() []string {
	nav, err := chromedp.Run(w.ctx, chromedp.Evaluate[[]string](`[...new Set([...document.querySelectorAll('nav a[href^="/"], .nav a[href^="/"], .account a[href^="/"]')]
		.map(a => a.pathname + a.search))]`))
	if err != nil {
		w.t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, p := range nav {
		add(p)
	}
	for _, p := range nav {
		if p == "/" {
			continue
		}
		if err := chromedp.Do(w.ctx, chromedp.Navigate(w.base+p), chromedp.WaitReady(chromedp.CSS(`#main`))); err != nil {
			w.t.Fatalf("open %s: %v", p, err)
		}
		prefix := strings.TrimSuffix(strings.SplitN(p, "?", 2)[0], "/") + "/"
		first, err := chromedp.Run(w.ctx, chromedp.Evaluate[string](`(() => { const a = [...document.querySelectorAll('#main a[href^="`+prefix+`"]')]
			.find(a => /^[^/?#]+$/.test(a.pathname.slice(`+fmt.Sprint(len(prefix))+`)) && !a.hasAttribute('download')); return a ? a.pathname : ''; })()`))
		if err != nil {
			w.t.Fatal(err)
		}
		add(first)
	}
	if seen["/controls"] {
		add("/controls/ACC-02") // the control the walk found contradicting monitoring (issue #18)
	}
	sort.Strings(out)
	return out
}

// pageChecks is what one page says of itself.
type pageChecks struct {
	Overflow string   `json:"overflow"`
	Narrow   []string `json:"narrow"`
	Unlabel  []string `json:"unlabelled"`
	Images   []string `json:"images"`
	Bytes    int      `json:"bytes"`
	Links    []string `json:"links"`
}

const pageCheckJS = `(() => {
  const vw = window.innerWidth, out = {overflow: '', narrow: [], unlabelled: [], images: [], bytes: document.documentElement.outerHTML.length, links: []};
  if (document.documentElement.scrollWidth > vw + 1) {
    out.overflow = document.documentElement.scrollWidth + ' > ' + vw + ': ' + [...document.querySelectorAll('body *')]
      .filter(e => e.getBoundingClientRect().right > vw + 1 && !(e.parentElement && e.parentElement.closest('.table-wrap')))
      .slice(0, 4).map(e => e.tagName + '.' + e.className).join(', ');
  }
  const ctx = document.createElement('canvas').getContext('2d');
  const skip = ['hidden', 'checkbox', 'radio', 'submit', 'button', 'reset', 'image', 'color', 'file', 'range'];
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.name ? '[name=' + e.name + ']' : '');
  for (const e of document.querySelectorAll('input, select, textarea')) {
    const type = (e.getAttribute('type') || '').toLowerCase();
    if (e.tagName === 'INPUT' && skip.includes(type)) {
      if (type !== 'hidden' && type !== 'submit' && type !== 'button' && type !== 'reset' && type !== 'image' && !e.labels.length && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby') && !e.title) out.unlabelled.push(name(e));
      continue;
    }
    if (!e.labels.length && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby') && !e.title) out.unlabelled.push(name(e));
    const r = e.getBoundingClientRect();
    if (r.width === 0 || e.offsetParent === null) continue;
    const cs = getComputedStyle(e);
    ctx.font = cs.font;
    const chrome = parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight) + parseFloat(cs.borderLeftWidth) + parseFloat(cs.borderRightWidth);
    let text = '';
    if (e.tagName === 'SELECT') text = (e.selectedOptions[0] || {}).text || '';
    else if (['date', 'datetime-local', 'time', 'month'].includes(type)) text = type === 'time' ? '23:59' : type === 'month' ? '2026-12' : type === 'date' ? '2026-12-31' : '2026-12-31 23:59';
    else text = 'xxxxxx';
    const need = ctx.measureText(text).width + chrome;
    // A control as wide as its container allows is not too narrow.
    const box = e.parentElement.getBoundingClientRect(), pcs = getComputedStyle(e.parentElement);
    const room = box.width - parseFloat(pcs.paddingLeft) - parseFloat(pcs.paddingRight);
    if (r.width + 1 < need && r.width + 2 < room) out.narrow.push(name(e) + ' ' + Math.round(r.width) + ' px < ' + Math.round(need) + ' px');
  }
  for (const i of document.images) if (!i.complete || i.naturalWidth === 0) out.images.push(i.src);
  for (const a of document.querySelectorAll('a[href]')) {
    if (a.origin !== location.origin || a.pathname === '/logout') continue;
    out.links.push(a.pathname + a.search);
  }
  return out;
})()`

const axeRunJS = `axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
  .then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' (' + v.nodes.length + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ') + ')'))`

// check opens one page at the current width and asserts its checks.
func (w *pageWalk) check(path string, width int64) {
	t := w.t
	w.mu.Lock()
	w.current, w.console = fmt.Sprintf("%s at %d px", path, width), nil
	w.mu.Unlock()
	if err := chromedp.Do(w.ctx, chromedp.Navigate(w.base+path), chromedp.WaitReady(chromedp.CSS(`#main`))); err != nil {
		t.Errorf("open %s: %v", path, err)
		return
	}
	c, err := chromedp.Run(w.ctx, chromedp.Evaluate[pageChecks](pageCheckJS))
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return
	}
	at := fmt.Sprintf("%s at %d px", path, width)
	if c.Overflow != "" {
		t.Errorf("%s scrolls sideways: %s", at, c.Overflow)
	}
	if len(c.Narrow) > 0 {
		t.Errorf("%s: form controls narrower than their content: %s", at, strings.Join(c.Narrow, "; "))
	}
	if len(c.Unlabel) > 0 {
		t.Errorf("%s: form fields without a label: %s", at, strings.Join(c.Unlabel, ", "))
	}
	if len(c.Images) > 0 {
		t.Errorf("%s: images that did not load: %s", at, strings.Join(c.Images, ", "))
	}
	if c.Bytes > 200*1024 {
		t.Errorf("%s: %d bytes of HTML, over 200 KB", at, c.Bytes)
	}
	for _, l := range c.Links {
		if _, ok := w.links[l]; !ok {
			w.links[l] = path
		}
	}
	if width >= 1440 && !w.axed[path] {
		w.axed[path] = true
		if _, err := chromedp.Run(w.ctx, chromedp.Evaluate[bool](w.axe+`;true`)); err != nil {
			t.Errorf("%s: load axe-core: %v", at, err)
			return
		}
		violations, err := chromedp.Run(w.ctx, chromedp.Evaluate[[]string](axeRunJS, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Errorf("%s: axe-core: %v", at, err)
		}
		for _, v := range violations {
			t.Errorf("%s: %s", at, v)
		}
	}
	w.screenshot(path, width)
	// Console errors arrive as events: give the last ones a moment.
	time.Sleep(50 * time.Millisecond)
	w.mu.Lock()
	for _, e := range w.console {
		t.Errorf("%s", e)
	}
	w.console = nil
	w.mu.Unlock()
}

// checkLinks fetches every link the pages held, from the signed-in
// browser, and reports those that fail.
func (w *pageWalk) checkLinks() {
	all := make([]string, 0, len(w.links))
	for l := range w.links {
		all = append(all, l)
	}
	sort.Strings(all)
	// Links of one shape (a record of a list, the same page with other
	// filters) are checked three at a time, so a list of 500 records
	// does not cost 500 page loads.
	shapes := map[string]int{}
	var list []string
	for _, l := range all {
		shape := strings.SplitN(l, "?", 2)[0]
		if i := strings.LastIndexByte(shape, '/'); i > 0 && strings.ContainsAny(shape[i:], "0123456789") {
			shape = shape[:i] + "/#"
		}
		if shapes[shape]++; shapes[shape] <= 3 {
			list = append(list, l)
		}
	}
	js := `(async (links) => { const bad = []; for (let i = 0; i < links.length; i += 8) {
	  await Promise.all(links.slice(i, i + 8).map(async l => { try { const r = await fetch(l, {method: 'HEAD', redirect: 'follow', credentials: 'same-origin'});
	    if (r.status >= 400) bad.push(r.status + ' ' + l); } catch (e) { bad.push('error ' + l + ': ' + e); } })); } return bad; })(` + jsonStrings(list) + `)`
	bad, err := chromedp.Run(w.ctx, chromedp.Evaluate[[]string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		w.t.Fatalf("check links: %v", err)
	}
	for _, b := range bad {
		l := b[strings.IndexByte(b, ' ')+1:]
		w.t.Errorf("broken link %s (on %s)", b, w.links[l])
	}
}

func jsonStrings(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
	}
	return "[" + strings.Join(q, ",") + "]"
}

// screenshotPages are the pages docs/screenshots shows, at both widths.
var screenshotPages = map[string]string{"/": "dashboard", "/controls/ACC-02": "control", "/monitoring": "monitoring", "/portal": "portal"}

// screenshot saves what the viewport shows of a documented page when
// ASSAY_SCREENSHOTS names a folder (scripts/screenshots.sh sets it to
// docs/screenshots).
func (w *pageWalk) screenshot(path string, width int64) {
	dir, name := os.Getenv("ASSAY_SCREENSHOTS"), screenshotPages[path]
	if dir == "" || name == "" || !w.shots {
		return
	}
	png, err := chromedp.Run(w.ctx, chromedp.CaptureScreenshot())
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, width)), png, 0o644)
	}
	if err != nil {
		w.t.Errorf("screenshot of %s: %v", path, err)
	}
}
