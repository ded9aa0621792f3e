package main

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/internal/clocktest"
)

// shiftClock is the test clock moved on by a duration a test sets.
type shiftClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *shiftClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return clocktest.Now().Add(c.off)
}

func (c *shiftClock) advance(d time.Duration) {
	c.mu.Lock()
	c.off += d
	c.mu.Unlock()
}

// publicGet fetches a public page with no credentials.
func publicGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// pdfText is every content stream of a PDF, inflated.
func pdfText(pdf []byte) string {
	var all strings.Builder
	for _, m := range regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`).FindAllSubmatch(pdf, -1) {
		if r, err := zlib.NewReader(bytes.NewReader(m[1])); err == nil {
			b, _ := io.ReadAll(r)
			all.Write(b)
		}
	}
	return all.String()
}

// TestBrowserTrustCenter: an anonymous visitor opens the demo's trust
// center, sees the tiles and subprocessors, asks for the SOC 2 report and
// accepts the NDA; the admin approves; the visitor downloads a copy
// stamped with their name; the link stops working after its days. No
// public page shows a staff address, an evidence title, a control note or
// anything the admin did not publish.
func TestBrowserTrustCenter(t *testing.T) {
	t.Parallel()
	ctx := newBrowser(t)
	clock := &shiftClock{}
	m := startMainWith(t, false, func(c *Config) { c.Clock = clock; c.Demo = true })
	base := m.URL()
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	refused := func(what string) {
		t.Helper()
		if alert, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('.banner-error, [role="alert"]') || {}).textContent || ''`)); alert != "" {
			t.Fatalf("%s was refused: %s", what, strings.TrimSpace(alert))
		}
	}

	err := chromedp.Do(ctx, chromedp.Navigate(base+"/trust"), chromedp.WaitVisible(css(`.trust-tiles`)))
	if err != nil {
		t.Fatalf("open /trust: %v", err)
	}
	page, _ := chromedp.Run(ctx, chromedp.Text(css(`main`)))
	for _, want := range []string{"MFA enforced", "Encryption enabled", "System security", "Audit trail accessible", "Subprocessors", "SOC 2 Type II report", "Under NDA"} {
		if !strings.Contains(strings.ToLower(page), strings.ToLower(want)) { // band titles are shown in capitals
			t.Fatalf("/trust does not show %q:\n%s", want, page)
		}
	}
	rows, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.trust-subprocessors tbody tr').length`))
	if rows == 0 {
		t.Fatal("/trust lists no subprocessors")
	}
	// Reliability: each public service with its figures and 90 daily bars;
	// the uptime tile is measured.
	services, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.trust-service').length`))
	bars, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.trust-service svg rect').length`))
	uptime, _ := chromedp.Run(ctx, chromedp.Text(css(`[data-tile="uptime"] .trust-value`)))
	if services < 2 || bars < 90 || !strings.HasSuffix(uptime, "%") {
		t.Fatalf("reliability: %d services, %d bars, uptime tile %q", services, bars, uptime)
	}

	// Ask for the report, accepting the NDA.
	err = chromedp.Do(ctx,
		clickAndLoad(`li[data-document="SOC 2 Type II report"] a`),
		chromedp.WaitVisible(css(`#tr-name`)),
		chromedp.SendKeys(css(`#tr-name`), "Vera Visitor"),
		chromedp.SendKeys(css(`#tr-email`), "vera@customer.example"),
		chromedp.SendKeys(css(`#tr-company`), "Customer Ltd"),
		chromedp.SendKeys(css(`#tr-reason`), "Vendor due diligence"),
		chromedp.Click(css(`#tr-nda`)),
		clickAndLoad(`form.trust-form button[type="submit"]`),
		chromedp.WaitVisible(css(`[data-request-status]`)),
	)
	if err != nil {
		t.Fatalf("ask for the report: %v", err)
	}
	refused("the request")
	status, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[data-request-status]').dataset.requestStatus`))
	link, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	if status != "pending" || !strings.HasPrefix(link, "/trust/r/assay_tc_") {
		t.Fatalf("after asking: status %q at %q", status, link)
	}
	if code, _ := publicGet(t, base+link+"/download"); code != http.StatusForbidden {
		t.Fatalf("download before approval: %d", code)
	}

	// The admin approves.
	err = chromedp.Do(ctx,
		signInAt(base+"/login", demoEmail),
		chromedp.Navigate(base+"/settings/trust"),
		chromedp.WaitVisible(css(`tr[data-request="vera@customer.example"]`)),
		clickAndLoad(`tr[data-request="vera@customer.example"] button[value="approve"]`),
		chromedp.WaitVisible(css(`.trust-requests`)),
	)
	if err != nil {
		t.Fatalf("approve: %v", err)
	}
	refused("the approval")
	if row, _ := chromedp.Run(ctx, chromedp.Text(css(`tr[data-request="vera@customer.example"]`))); !strings.Contains(row, "Approved") {
		t.Fatalf("the request row reads %q", row)
	}

	// The visitor downloads a stamped copy through their link.
	err = chromedp.Do(ctx, chromedp.Navigate(base+link), chromedp.WaitVisible(css(`a[href$="/download"]`)))
	if err != nil {
		t.Fatalf("the approved link: %v", err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(location.pathname + '/download').then(async r => r.status + ' ' + new TextDecoder().decode(new Uint8Array(await r.arrayBuffer()).slice(0, 5)))`, chromedp.EvalAwaitPromise))
	if err != nil || got != "200 %PDF-" {
		t.Fatalf("download in the browser: %q %v", got, err)
	}
	resp, err := http.Get(base + link + "/download")
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if text := pdfText(pdf); !strings.Contains(text, "Provided to Vera Visitor <vera@customer.example>") {
		t.Fatalf("the download is not stamped with the visitor (%d bytes)", len(pdf))
	}
	bg := context.Background()
	orgs, _ := m.Store.Organizations(bg)
	org := m.Store.Org(orgs[0].ID)
	reqs, err := org.TrustRequests(bg, "")
	if err != nil || len(reqs) != 1 || reqs[0].Downloads != 2 {
		t.Fatalf("downloads logged: %+v %v", reqs, err)
	}
	acts, err := org.Activity(bg, assay.ActivityFilter{ObjectType: "trust_request"})
	if err != nil || len(acts) < 4 || acts[0].Action != "trust.download" {
		t.Fatalf("the ledger's download entries: %+v %v", acts, err)
	}

	// Eight days on, the link no longer downloads.
	clock.advance(8 * 24 * time.Hour)
	if code, body := publicGet(t, base+link+"/download"); code != http.StatusGone {
		t.Fatalf("download after the link's days: %d %.200s", code, body)
	}
	if code, body := publicGet(t, base+link); code != 200 || !strings.Contains(body, `data-request-status="expired"`) {
		t.Fatalf("the expired link's page: %d", code)
	}

	// Nothing unpublished on any public page.
	pages := []string{"/trust", "/trust/snapshot.json", "/trust/snapshots", "/trust/key", link}
	settings, _ := org.TrustSettings(bg)
	for _, id := range settings.Policies {
		pages = append(pages, fmt.Sprintf("/trust/policies/%d", id))
	}
	docs, _ := org.TrustDocuments(bg)
	for _, d := range docs {
		pages = append(pages, fmt.Sprintf("/trust/documents/%d", d.ID))
	}
	var secrets []string
	users, _ := org.Users(bg)
	for _, u := range users {
		secrets = append(secrets, u.Email)
	}
	evidence, _ := org.EvidenceList(bg, assay.EvidenceFilter{State: "all"})
	for _, e := range evidence {
		secrets = append(secrets, e.Title)
	}
	controls, _ := org.Controls(bg, assay.ControlFilter{})
	for _, c := range controls {
		if len(c.Notes) > 12 {
			secrets = append(secrets, c.Notes)
		}
	}
	shown := map[int64]bool{}
	for _, sp := range settings.Subprocessors {
		shown[sp.VendorID] = true
	}
	vendors, _ := org.Vendors(bg)
	for _, v := range vendors {
		if !shown[v.ID] {
			secrets = append(secrets, v.Name)
		}
	}
	incs, _ := org.Incidents(bg, assay.IncidentFilter{})
	for _, i := range incs {
		secrets = append(secrets, i.Title)
	}
	if len(secrets) < 20 {
		t.Fatalf("only %d things to look for", len(secrets))
	}
	for _, p := range pages {
		code, body := publicGet(t, base+p)
		if code != 200 {
			t.Fatalf("GET %s: %d", p, code)
		}
		for _, s := range secrets {
			if s != "" && strings.Contains(body, s) {
				t.Errorf("GET %s shows %q, which was not published", p, s)
			}
		}
	}
}

// TestVerifyTrustSnapshotCLI: the published snapshot verifies offline with
// the ledger's public key; a changed figure or another key fails.
func TestVerifyTrustSnapshotCLI(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, true)
	code, body := publicGet(t, m.URL()+"/trust/snapshot.json")
	if code != 200 {
		t.Fatalf("snapshot: %d", code)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "trust-snapshot.json")
	if err := os.WriteFile(good, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "nothing-here")
	out, err := runCLI(t, "", "--data", empty, "verify", good, "--key", m.Ledger.VerifierKey)
	if err != nil || !strings.Contains(out, "The snapshot verifies: Northwind") || !strings.Contains(out, "MFA enforced") {
		t.Fatalf("verify: %v\n%s", err, out)
	}
	if _, err := runCLI(t, "", "--data", empty, "verify", good); err == nil {
		t.Fatal("a snapshot verified without a key")
	}
	changed := regexp.MustCompile(`"value": "[0-9.]+%"`).ReplaceAllString(body, `"value": "100.0%"`)
	if changed == body {
		t.Fatal("the snapshot has no percentage to change")
	}
	bad := filepath.Join(dir, "changed.json")
	if err := os.WriteFile(bad, []byte(changed), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := runCLI(t, "", "--data", empty, "verify", bad, "--key", m.Ledger.VerifierKey); err == nil {
		t.Fatalf("a changed figure verified:\n%s", out)
	}
	other := startMain(t, false, false)
	if err := other.Main.openLedger(); err != nil {
		t.Fatal(err)
	}
	if out, err := runCLI(t, "", "--data", empty, "verify", good, "--key", other.Ledger.VerifierKey); err == nil {
		t.Fatalf("another key verified:\n%s", out)
	}
}

// TestTrustOwnAddress: with --trust-addr the trust center alone answers
// there, / leading to it; sign-in and the API do not.
func TestTrustOwnAddress(t *testing.T) {
	t.Parallel()
	m := startMainWith(t, false, func(c *Config) { c.Demo = true; c.TrustAddr = "127.0.0.1:0" })
	base := m.TrustURL()
	if base == "" {
		t.Fatal("no trust address")
	}
	if code, body := publicGet(t, base+"/"); code != 200 || !strings.Contains(body, "Security at Northwind") {
		t.Fatalf("GET / on the trust address: %d", code)
	}
	for _, p := range []string{"/login", "/api/v1/me", "/controls", "/setup"} {
		if code, _ := publicGet(t, base+p); code != http.StatusNotFound {
			t.Errorf("GET %s on the trust address: %d, want 404", p, code)
		}
	}
}
