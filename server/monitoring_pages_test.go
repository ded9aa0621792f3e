package server

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/monitor/alert"
	"github.com/assay-platform/assay/monitor/runner"
	"github.com/assay-platform/assay/secret"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/sqlite"
	"github.com/assay-platform/assay/store/sqlstore"
)

// monSite is a site whose server has the real runner and alert notifier.
type monSite struct {
	*site
	db    *sqlstore.DB
	os    store.OrgStore
	clock *assay.FixedClock
}

func newMonitorSite(t *testing.T) *monSite {
	t.Helper()
	ctx := context.Background()
	cat := catalog.MustDefault()
	clock := &assay.FixedClock{T: time.Date(2026, 5, 20, 9, 30, 0, 0, time.UTC)}
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "assay.db"), sqlstore.Config{Clock: clock, Criteria: cat.DomainCriteria()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	key := make([]byte, secret.KeySize)
	_, _ = rand.Read(key)
	box, _ := secret.New(key)
	blobs := testBlobs(t)
	quiet := slog.New(slog.DiscardHandler)
	services, err := app.New(app.Config{Store: db, Clock: clock, Criteria: cat.DomainCriteria(), Checks: catalog.LibraryCheckList, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	r := &runner.Runner{Store: db, Blobs: blobs, Box: box, Clock: clock, Logger: quiet, Checks: services.Checks}
	n := &alert.Notifier{Store: db, Box: box, Clock: clock, Logger: quiet, Checks: services.ChecksByID}
	r.Notify = n.Hook
	srv, err := New(Config{App: services, Store: db, Criteria: cat.DomainCriteria(), Clock: clock, NewOrgControls: cat.LibraryControls,
		PasswordParams: fastParams, Blobs: blobs, Monitor: runner.Service{Runner: r}, Alerts: n})
	if err != nil {
		t.Fatal(err)
	}
	sys := assay.Actor{Name: "test", Via: "system"}
	org, err := db.CreateOrganization(ctx, sys, "Northwind Ledger", "northwind", assay.Scope{}, cat.LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword(adminPassword, fastParams)
	os := db.Org(org.ID)
	admin, err := os.CreateUser(ctx, sys, assay.NewUser{Email: adminEmail, Name: "Dana Reyes", Role: assay.RoleAdmin, Password: adminPassword}, hash)
	if err != nil {
		t.Fatal(err)
	}
	viewer, err := os.CreateUser(ctx, sys, assay.NewUser{Email: "vic@example.com", Name: "Vic Viewer", Role: assay.RoleViewer, Password: adminPassword}, hash)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	s := &monSite{site: &site{t: t, srv: hs, org: org, admin: admin, member: viewer}, db: db, os: os, clock: clock}
	s.signIn(adminEmail)
	return s
}

func (s *monSite) signIn(email string) {
	s.t.Helper()
	jar, _ := cookiejar.New(nil)
	s.client = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if code, body, _ := s.post("/login", url.Values{"email": {email}, "password": {adminPassword}, "next": {"/"}}); code != http.StatusSeeOther {
		s.t.Fatalf("sign in %s: %d\n%s", email, code, body)
	}
}

// history records runs of one Terraform document over days, so the grid
// has a red day and green days.
func (s *monSite) history() assay.Source {
	s.t.Helper()
	ctx := context.Background()
	src, err := s.os.CreateSource(ctx, assay.SystemActor, assay.Source{Name: "Prod infra", Kind: "terraform", Enabled: true}, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	start := s.clock.Now()
	meta := map[string]store.CheckMeta{"tf-s3-bucket-encrypted": {Severity: assay.SeverityHigh, Controls: []string{"CRY-01"}}}
	for i, status := range []assay.CheckStatus{assay.CheckPass, assay.CheckFail, assay.CheckPass} {
		s.clock.Set(start.AddDate(0, 0, i-2))
		res := assay.CheckResult{CheckID: "tf-s3-bucket-encrypted", ResourceKind: "terraform.aws_s3_bucket", ResourceID: "aws_s3_bucket.logs",
			ResourceName: "aws_s3_bucket.logs", Status: status}
		if status == assay.CheckFail {
			res.Reason = "Bucket aws_s3_bucket.logs stores objects unencrypted"
		}
		run := assay.MonitorRun{SourceID: src.ID, Trigger: assay.TriggerImport, StartedAt: s.clock.T, EndedAt: s.clock.T, Status: assay.RunOK}
		if _, _, err := s.os.RecordRun(ctx, assay.SystemActor, run, []assay.CheckResult{res}, meta); err != nil {
			s.t.Fatal(err)
		}
	}
	s.clock.Set(start)
	return src
}

func TestMonitoringGridAndCheckPage(t *testing.T) {
	s := newMonitorSite(t)
	src := s.history()
	code, body := s.get("/monitoring")
	if code != 200 {
		t.Fatalf("/monitoring: %d\n%s", code, body)
	}
	checkCSP(t, "/monitoring", body)
	if _, dash := s.get("/"); strings.Contains(dash, "failing-checks") {
		t.Fatal("the dashboard says checks fail when none fails now")
	}
	checkA11y(t, "/monitoring", body)
	// One small link per cell, the reason left to the check's page.
	red := regexp.MustCompile(`<a class="mon-cell cell-fail" href="/monitoring/checks/tf-s3-bucket-encrypted\?day=2026-05-19#day" title="19 May 2026: failed \(1 failing result\)"></a>`)
	if !red.MatchString(body) {
		t.Fatalf("no red cell for 19 May:\n%s", grepLines(body, "tf-s3-bucket-encrypted"))
	}
	if !strings.Contains(body, `href="/monitoring/checks/tf-s3-bucket-encrypted?day=2026-05-20#day" title="20 May 2026: passed"`) ||
		!strings.Contains(body, `title="18 May 2026: passed"`) || !strings.Contains(body, `title="17 May 2026: no data"`) {
		t.Fatal("grid cells around the red day are wrong")
	}
	// The grid is paged: each page's checks have 30 cells each.
	rows := strings.Count(body, `class="mon-grid"`)
	if n := strings.Count(body, `<a class="mon-cell cell-`); rows == 0 || n != 30*rows {
		t.Fatalf("%d grid cells for %d checks: every check has 30", n, rows)
	}
	// Every check, those without data too, is paged.
	_, every := s.get("/monitoring?show=all")
	if !strings.Contains(every, `rel="next" href="/monitoring?page=2&amp;show=all"`) {
		t.Fatalf("no link to the next page of checks:\n%s", grepLines(every, "rel="))
	}
	if code, page2 := s.get("/monitoring?page=2&show=all"); code != 200 || !strings.Contains(page2, `rel="prev" href="/monitoring?show=all"`) {
		t.Fatalf("second page: %d\n%s", code, grepLines(page2, "rel="))
	}

	// Filters (htmx asks for the results alone).
	code, frag := s.get("/monitoring?status=passing&severity=high&control=CRY-01", "HX-Request", "true")
	if code != 200 || strings.Contains(frag, "<html") || !strings.Contains(frag, "tf-s3-bucket-encrypted") || strings.Contains(frag, "http-hsts-enabled") {
		t.Fatalf("filtered fragment: %d\n%s", code, frag)
	}
	_, frag = s.get("/monitoring?criterion=CC6.1&status=no_data", "HX-Request", "true")
	if strings.Contains(frag, "tf-s3-bucket-encrypted") {
		t.Fatal("status filter let a passing check through")
	}
	_, frag = s.get(fmt.Sprintf("/monitoring?source=%d", src.ID), "HX-Request", "true")
	if !strings.Contains(frag, "tf-s3-bucket-encrypted") || strings.Contains(frag, "http-hsts-enabled") {
		t.Fatal("the source filter shows checks the source has no results for, or hides its own")
	}
	if _, frag = s.get(fmt.Sprintf("/monitoring?source=%d", src.ID+1), "HX-Request", "true"); strings.Contains(frag, "tf-s3-bucket-encrypted") {
		t.Fatal("another source's filter shows this source's check")
	}
	if code, body = s.get("/monitoring?status=bogus"); code != 200 || !strings.Contains(body, "Unknown status") {
		t.Fatalf("bad filter: %d", code)
	}

	// The day's cell opens the check page on that day.
	code, body = s.get("/monitoring/checks/tf-s3-bucket-encrypted?day=2026-05-19")
	if code != 200 {
		t.Fatalf("check page: %d\n%s", code, body)
	}
	checkCSP(t, "check page", body)
	for _, want := range []string{`id="day"`, "19 May 2026", "Bucket aws_s3_bucket.logs stores objects unencrypted", "r.encrypted",
		`href="/controls/CRY-01"`, "History per resource", "Nothing is failing"} {
		if !strings.Contains(body, want) {
			t.Fatalf("check page lacks %q", want)
		}
	}
	if code, _ = s.get("/monitoring/checks/no-such-check"); code != 404 {
		t.Fatalf("unknown check: %d", code)
	}
	// The control page agrees with monitoring: its checks, their status
	// now, the failing resources and why it does not count yet.
	code, body = s.get("/controls/CRY-01")
	if code != 200 {
		t.Fatalf("control page: %d", code)
	}
	for _, want := range []string{"Readiness and automated testing", `href="/monitoring/checks/tf-s3-bucket-encrypted"`, `<span class="badge badge-met">passing</span>`,
		"Does not count yet</span> Status is not started"} {
		if !strings.Contains(body, want) {
			t.Fatalf("control page lacks %q\n%s", want, grepLines(body, "check"))
		}
	}
	checkA11y(t, "control with checks", body)
}

func TestCustomCheckForm(t *testing.T) {
	s := newMonitorSite(t)
	code, body := s.get("/monitoring/checks/new")
	if code != 200 {
		t.Fatalf("new check form: %d", code)
	}
	checkA11y(t, "new check", body)
	form := url.Values{"csrf": {s.csrf()}, "id": {"owner-tag"}, "title": {"Buckets have an owner"}, "kind": {"terraform.aws_s3_bucket"},
		"expr": {"has(r.tags.owner) &&"}, "severity": {"medium"}, "reason": {"{{.Name}} has no owner"}, "controls": {"CRY-01"}}
	code, body, _ = s.post("/monitoring/checks", form)
	if code != 400 || !strings.Contains(body, "line 1, column") || !strings.Contains(body, "has(r.tags.owner) &amp;&amp;") {
		t.Fatalf("bad expression: %d\n%s", code, grepLines(body, "banner"))
	}
	if list, _ := s.os.CustomChecks(context.Background()); len(list) != 0 {
		t.Fatalf("a bad check was saved: %+v", list)
	}
	form.Set("expr", "has(r.tags) && 'owner' in r.tags")
	code, _, loc := s.post("/monitoring/checks", form)
	if code != http.StatusSeeOther || loc != "/monitoring/checks/custom-owner-tag?flash=saved" {
		t.Fatalf("good check: %d %s", code, loc)
	}
	if code, body = s.get("/monitoring/checks/custom-owner-tag"); code != 200 || !strings.Contains(body, "custom check") {
		t.Fatalf("custom check page: %d", code)
	}
}

func TestSourcePagesAndRunNow(t *testing.T) {
	s := newMonitorSite(t)
	code, body := s.get("/monitoring/sources")
	if code != 200 {
		t.Fatalf("sources: %d", code)
	}
	checkCSP(t, "sources", body)
	checkA11y(t, "sources", body)
	form := url.Values{"csrf": {s.csrf()}, "kind": {"trivy"}, "name": {"API image"}, "interval": {"60"}, "secrets": {"token=very-secret-value"}}
	code, body, loc := s.post("/monitoring/sources", form)
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/monitoring/sources/") {
		t.Fatalf("add source: %d %s\n%s", code, loc, grepLines(body, "banner"))
	}
	path := strings.TrimSuffix(loc, "?flash=saved")
	code, body = s.get(path)
	if code != 200 || !strings.Contains(body, "token <span class=\"muted\">(set)</span>") || strings.Contains(body, "very-secret-value") {
		t.Fatalf("source page: %d\n%s", code, grepLines(body, "secret"))
	}
	checkA11y(t, "source", body)
	// Run now without a document: a recorded error run, shown on the page.
	code, _, loc = s.post(path+"/run", url.Values{"csrf": {s.csrf()}})
	if code != http.StatusSeeOther {
		t.Fatalf("run now: %d", code)
	}
	if _, body = s.get(path); !strings.Contains(body, "The last run failed") || !strings.Contains(body, "badge badge-unmet\">error") {
		t.Fatalf("error run not shown:\n%s", grepLines(body, "run"))
	}
	// The monitoring page says the source's checks are in error, not
	// passing or without data.
	if _, frag := s.get("/monitoring?status=error", "HX-Request", "true"); !strings.Contains(frag, "/monitoring/checks/trivy-") {
		t.Fatalf("a source whose collector failed leaves its checks out of the errors:\n%s", grepLines(frag, "checks/"))
	}
	// Upload a Trivy report: the source runs on it.
	report, err := os.ReadFile(filepath.Join("..", "monitor", "collect", "trivy", "testdata", "reports.json"))
	if err != nil {
		t.Fatal(err)
	}
	code, body, _ = s.upload(path+"/input", part{field: "csrf", value: s.csrf()}, part{field: "document", filename: "reports.json", value: string(report)})
	if code != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", code, grepLines(body, "banner"))
	}
	if _, body = s.get(path); !strings.Contains(body, "badge badge-met\">ok") || !strings.Contains(body, "Upload a new document") {
		t.Fatalf("import run not shown:\n%s", grepLines(body, "badge"))
	}
	// A control that a failing check tests lists it, failing, with the
	// resources, and says why the control does not count.
	_, frag := s.get("/monitoring?status=failing", "HX-Request", "true")
	failing := regexp.MustCompile(`/monitoring/checks/([a-z0-9-]+)`).FindStringSubmatch(frag)
	if failing == nil {
		t.Fatalf("no failing check after the report:\n%s", frag)
	}
	_, checkPage := s.get("/monitoring/checks/" + failing[1])
	ctl := regexp.MustCompile(`href="/controls/([A-Z]+-[0-9]+)"`).FindStringSubmatch(checkPage)
	if ctl == nil {
		t.Fatalf("%s names no control", failing[1])
	}
	if _, body = s.get("/controls/" + ctl[1]); !strings.Contains(body, `<span class="badge badge-unmet">failing</span>`) || !strings.Contains(body, "Failing now") ||
		!strings.Contains(body, `href="/monitoring/checks/`+failing[1]+`"`) || !strings.Contains(body, "Does not count yet") {
		t.Fatalf("%s's page with %s failing:\n%s", ctl[1], failing[1], grepLines(body, "badge"))
	}
	// A roster read from a Google Workspace export says so on its page.
	form = url.Values{"csrf": {s.csrf()}, "kind": {"roster"}, "name": {"Workspace users"}, "interval": {"60"}}
	code, body, loc = s.post("/monitoring/sources", form)
	if code != http.StatusSeeOther {
		t.Fatalf("add roster source: %d\n%s", code, grepLines(body, "banner"))
	}
	rosterPath := strings.TrimSuffix(loc, "?flash=saved")
	export, err := os.ReadFile(filepath.Join("..", "monitor", "collect", "roster", "testdata", "google-workspace-users.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if code, body, _ = s.upload(rosterPath+"/input", part{field: "csrf", value: s.csrf()}, part{field: "document", filename: "users.csv", value: string(export)}); code != http.StatusSeeOther {
		t.Fatalf("roster upload: %d\n%s", code, grepLines(body, "banner"))
	}
	if _, body = s.get(rosterPath); !strings.Contains(body, "What the last run noted") || !strings.Contains(body, "Google Workspace") {
		t.Fatalf("roster notes not shown:\n%s", grepLines(body, "noted"))
	}
	if _, dash := s.get("/"); !regexp.MustCompile(`\d+ monitoring checks are failing\. <a href="/monitoring\?status=failing">`).MatchString(dash) {
		t.Fatalf("dashboard lacks the failing checks notice:\n%s", grepLines(dash, "failing"))
	}
	// A bad setting re-shows the form without the secret.
	form = url.Values{"csrf": {s.csrf()}, "kind": {"http"}, "name": {"Site"}, "set_url": {"ftp://nope"}, "secrets": {"token=pw-123456"}}
	code, body, _ = s.post("/monitoring/sources", form)
	if code != 400 || strings.Contains(body, "pw-123456") || !strings.Contains(body, "ftp://nope") {
		t.Fatalf("bad source: %d\n%s", code, grepLines(body, "banner"))
	}

	// A viewer reads but cannot add or run.
	s.signIn("vic@example.com")
	if code, _ = s.get(path); code != 200 {
		t.Fatalf("viewer reads a source: %d", code)
	}
	if code, _, _ = s.post(path+"/run", url.Values{"csrf": {s.csrf()}}); code != 403 {
		t.Fatalf("viewer runs a source: %d", code)
	}
	if code, _ = s.get("/settings/alerts"); code != 403 {
		t.Fatalf("viewer opens alert settings: %d", code)
	}
}

func TestAlertSettingsPage(t *testing.T) {
	s := newMonitorSite(t)
	got := make(chan string, 4)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Get(alert.HeaderDelivery)
	}))
	defer hook.Close()
	form := url.Values{"csrf": {s.csrf()}, "kind": {"webhook"}, "name": {"SIEM"}, "webhook_url": {hook.URL}, "webhook_secret": {"signing-key-1234"}}
	code, body, loc := s.post("/settings/alerts", form)
	if code != http.StatusSeeOther || loc != "/settings/alerts?flash=channel-added" {
		t.Fatalf("add channel: %d %s\n%s", code, loc, grepLines(body, "banner"))
	}
	code, body = s.get(loc)
	if code != 200 || !strings.Contains(body, "Channel added.") || !strings.Contains(body, "secret: <span class=\"muted\">set</span>") || strings.Contains(body, "signing-key-1234") {
		t.Fatalf("alerts page: %d\n%s", code, grepLines(body, "SIEM"))
	}
	checkCSP(t, "alerts", body)
	checkA11y(t, "alerts", body)
	list, _ := s.os.AlertChannels(context.Background())
	if len(list) != 1 {
		t.Fatalf("channels = %+v", list)
	}
	if code, _, loc := s.post(fmt.Sprintf("/settings/alerts/%d/test", list[0].ID), url.Values{"csrf": {s.csrf()}}); code != http.StatusSeeOther || loc != "/settings/alerts?flash=test-sent" {
		t.Fatalf("test message: %d %s", code, loc)
	}
	uid := <-got
	if _, body = s.get("/settings/alerts"); !strings.Contains(body, uid) || !strings.Contains(body, "badge badge-met\">sent") {
		t.Fatalf("delivery not logged:\n%s", grepLines(body, "badge"))
	}
	// A bad URL is refused with the field named.
	form.Set("name", "Other")
	form.Set("webhook_url", "gopher://x")
	if code, body, _ := s.post("/settings/alerts", form); code != 400 || !strings.Contains(body, "http:// or https://") {
		t.Fatalf("bad channel: %d\n%s", code, grepLines(body, "banner"))
	}
}

func TestOpenAPICoversMonitoring(t *testing.T) {
	spec, err := os.ReadFile("../api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(spec, &doc); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("../api/monitoring_routes.go")
	if err != nil {
		t.Fatal(err)
	}
	routes := regexp.MustCompile(`s\.api\("(GET|POST|PATCH|DELETE) (/api/v1/[^"]+)"`).FindAllStringSubmatch(string(src), -1)
	if len(routes) < 20 {
		t.Fatalf("found %d routes", len(routes))
	}
	for _, r := range routes {
		if _, ok := doc.Paths[r[2]][strings.ToLower(r[1])]; !ok {
			t.Errorf("openapi.json does not describe %s %s", r[1], r[2])
		}
	}
}

// grep returns the lines of body that contain s (for failure messages).
func grepLines(body, s string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.Contains(l, s) {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return strings.Join(out, "\n")
}

// A GitHub source is added from the Sources page with its token sealed;
// a token GitHub refuses for want of a permission gives an error run whose
// reason names the permission, on the source's page, never the token.
func TestGitHubSourceFromThePage(t *testing.T) {
	gh := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/v3/orgs/acme" && r.Header.Get("Authorization") == "Bearer ghp_pagetoken42" {
			_, _ = w.Write([]byte(`{"login":"acme","two_factor_requirement_enabled":true}`))
			return
		}
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"message":"Resource not accessible by personal access token"}`))
	}))
	defer gh.Close()
	s := newMonitorSite(t)
	if _, body := s.get("/monitoring/sources"); !strings.Contains(body, "GitHub organisation") || !strings.Contains(body, "Okta organisation") {
		t.Fatalf("the form offers no GitHub or Okta source:\n%s", grepLines(body, "option"))
	}
	form := url.Values{"csrf": {s.csrf()}, "kind": {"github"}, "name": {"GitHub"}, "interval": {"60"},
		"set_organization": {"acme"}, "set_api_url": {gh.URL + "/"}, "secret_token": {"ghp_pagetoken42"}}
	code, body, loc := s.post("/monitoring/sources", form)
	if code != http.StatusSeeOther {
		t.Fatalf("add github source: %d\n%s", code, grepLines(body, "banner"))
	}
	path := strings.TrimSuffix(loc, "?flash=saved")
	if code, _, _ = s.post(path+"/run", url.Values{"csrf": {s.csrf()}}); code != http.StatusSeeOther {
		t.Fatalf("run now: %d", code)
	}
	_, body = s.get(path)
	if !strings.Contains(body, "The last run failed") || !strings.Contains(body, "Members") || strings.Contains(body, "ghp_pagetoken42") {
		t.Fatalf("github error run:\n%s", grepLines(body, "run"))
	}
	if _, frag := s.get("/monitoring?status=error", "HX-Request", "true"); !strings.Contains(frag, "/monitoring/checks/github-") {
		t.Fatalf("the github checks are not in error:\n%s", grepLines(frag, "checks/"))
	}
}
