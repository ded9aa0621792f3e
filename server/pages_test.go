package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/store/sqlite"
	"github.com/assay-platform/assay/store/sqlstore"
)

// fastParams keeps password hashing cheap in tests.
var fastParams = auth.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

const (
	adminEmail    = "dana@example.com"
	adminPassword = "correct horse battery staple"
)

// site is a real Server over a real SQLite store, with a signed-in browser.
type site struct {
	t      *testing.T
	srv    *httptest.Server
	client *http.Client
	org    assay.Organization
	admin  assay.User
	member assay.User
	db     *sqlstore.DB
	clock  *assay.FixedClock
}

func newSite(t *testing.T) *site {
	t.Helper()
	ctx := context.Background()
	cat := catalog.MustDefault()
	clock := &assay.FixedClock{T: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)}
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "assay.db"), sqlstore.Config{Clock: clock, Criteria: cat.DomainCriteria()})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })

	srv, err := New(Config{Store: db, Criteria: cat.DomainCriteria(), Clock: clock,
		NewOrgControls: cat.LibraryControls, PasswordParams: fastParams, Blobs: testBlobs(t), Secrets: testSecrets(t)})
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	sys := assay.Actor{Name: "test", Via: "system"}
	org, err := db.CreateOrganization(ctx, sys, "Northwind Ledger", "northwind",
		assay.Scope{Categories: []string{assay.CategoryAvailability}}, cat.LibraryControls())
	if err != nil {
		t.Fatalf("create organisation: %v", err)
	}
	hash, err := auth.HashPassword(adminPassword, fastParams)
	if err != nil {
		t.Fatal(err)
	}
	os := db.Org(org.ID)
	admin, err := os.CreateUser(ctx, sys, assay.NewUser{Email: adminEmail, Name: "Dana Reyes", Role: assay.RoleAdmin, Password: adminPassword}, hash)
	if err != nil {
		t.Fatalf("create admin: %v", err)
	}
	member, err := os.CreateUser(ctx, sys, assay.NewUser{Email: "sam@example.com", Name: "Sam Okafor", Role: assay.RoleMember, Password: adminPassword}, hash)
	if err != nil {
		t.Fatalf("create member: %v", err)
	}

	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	s := &site{t: t, srv: hs, client: client, org: org, admin: admin, member: member, db: db, clock: clock}

	// Sign in through the form, as a browser would.
	code, body, loc := s.post("/login", url.Values{"email": {adminEmail}, "password": {adminPassword}, "next": {"/"}})
	if code != http.StatusSeeOther || loc != "/" {
		t.Fatalf("sign in: status %d, location %q\n%s", code, loc, body)
	}
	return s
}

// get fetches a page and returns its status and body.
func (s *site) get(path string, header ...string) (int, string) {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.srv.URL+path, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := s.client.Do(req)
	if err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// post submits a form and returns status, body and Location.
func (s *site) post(path string, form url.Values) (int, string, string) {
	s.t.Helper()
	resp, err := s.client.PostForm(s.srv.URL+path, form)
	if err != nil {
		s.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the form token from a signed-in page.
func (s *site) csrf() string {
	s.t.Helper()
	_, body := s.get("/")
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		s.t.Fatalf("no csrf token on the dashboard")
	}
	return m[1]
}

// checkCSP fails when a page carries markup the Content-Security-Policy
// would block: inline styles and inline scripts.
func checkCSP(t *testing.T, path, body string) {
	t.Helper()
	if strings.Contains(body, ` style="`) || strings.Contains(body, "<style") {
		t.Errorf("%s: inline style breaks the CSP", path)
	}
	for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(body, -1) {
		if !strings.Contains(m, ` src="`) {
			t.Errorf("%s: inline script %s breaks the CSP", path, m)
		}
	}
	if regexp.MustCompile(`\son[a-z]+="`).MatchString(body) {
		t.Errorf("%s: inline event handler breaks the CSP", path)
	}
}

var (
	fieldRE = regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`)
	idRE    = regexp.MustCompile(`\sid="([^"]+)"`)
	typeRE  = regexp.MustCompile(`\stype="([^"]+)"`)
)

// checkA11y fails when a form field has no <label for> or an id is used
// twice.
func checkA11y(t *testing.T, path, body string) {
	t.Helper()
	for _, f := range fieldRE.FindAllString(body, -1) {
		if m := typeRE.FindStringSubmatch(f); m != nil && (m[1] == "hidden" || m[1] == "submit" || m[1] == "button") {
			continue
		}
		id := idRE.FindStringSubmatch(f)
		if id == nil {
			t.Errorf("%s: field without an id: %s", path, f)
			continue
		}
		if !strings.Contains(body, `for="`+id[1]+`"`) {
			t.Errorf("%s: field %q has no label", path, id[1])
		}
	}
	seen := map[string]bool{}
	for _, m := range idRE.FindAllStringSubmatch(body, -1) {
		if seen[m[1]] {
			t.Errorf("%s: id %q is used twice", path, m[1])
		}
		seen[m[1]] = true
	}
}

func TestPagesRender(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf()

	// A few changes through the forms, so history, activity and the
	// dashboard have something to show.
	if code, body, _ := s.post("/controls/ACC-02", url.Values{"csrf": {csrf}, "status": {"in_progress"},
		"justification": {""}, "notes": {"Rolling out security keys to admins."}, "owner_id": {itoa(s.admin.ID)}, "criteria": {"CC6.1, CC6.6, CC6.2"}}); code != http.StatusSeeOther {
		t.Fatalf("update control: %d\n%s", code, body)
	}
	if code, body, _ := s.post("/scope/system", url.Values{"csrf": {csrf}, "services": {"Invoice automation."},
		"sub_name": {"Cloud provider", ""}, "sub_services": {"Hosting", ""}, "sub_method": {"carve_out", "carve_out"}}); code != http.StatusSeeOther {
		t.Fatalf("update system description: %d\n%s", code, body)
	}

	pages := []struct {
		path  string
		wants []string
	}{
		{"/", []string{"Overall readiness", "Gaps to close", "ACC-02", `aria-current="page"`, "Dana Reyes", "Availability"}},
		{"/controls", []string{`id="results"`, "ACC-02", "Multi-factor authentication", `name="q"`, `hx-get="/controls"`, "Add control"}},
		{"/controls?q=mfa", []string{"ACC-02", "NET-05", "matching “mfa”"}},
		{"/controls?owner=me", []string{"ACC-02", "owned by you"}},
		{"/controls?status=implemented", []string{"No controls match"}},
		{"/controls/ACC-02", []string{"ACC-02", "Multi-factor authentication", "Rolling out security keys", `name="owner_id"`, "CC6.1", "History", `name="csrf"`}},
		{"/controls/new", []string{`action="/controls"`, `name="criteria"`, "CC6.1, CC6.2", "Preventive"}},
		{"/criteria", []string{"CC6.1", "Out of scope", "Not met", "Control Environment"}},
		{"/criteria/CC6.1", []string{"CC6.1", "ACC-02", "Why it is not met"}},
		{"/criteria/P1.1", []string{"not in your SOC 2 scope"}},
		{"/scope", []string{`action="/scope/categories"`, `id="system"`, "Invoice automation.", "Cloud provider", `name="sub_method"`, "1 of 9 sections"}},
		{"/scope?welcome=1", []string{"Welcome to Northwind Ledger"}},
		{"/activity", []string{"control.update", "Dana Reyes", "Before and after"}},
		{"/activity?type=control", []string{"ACC-02"}},
		{"/activity?actor=dana&action=control.&q=acc-02&from=2000-01-01", []string{"ACC-02", "control.update", `value="dana"`, `value="acc-02"`}},
		{"/activity?actor=nobody-at-all", []string{"No entry matches these filters."}},
		{"/settings/users", []string{"Sam Okafor", "sam@example.com", `action="/settings/users/` + itoa(s.member.ID) + `"`, "you"}},
		{"/settings/tokens", []string{"No API tokens yet", `name="expires"`, `name="scope"`}},
		{"/settings/scim", []string{"SCIM base URL", "/scim/v2", "Make a token"}},
	}
	for _, p := range pages {
		code, body := s.get(p.path)
		if code != http.StatusOK {
			t.Errorf("GET %s: status %d\n%s", p.path, code, body)
			continue
		}
		if !strings.Contains(body, "<!doctype html>") || !strings.Contains(body, `href="/static/app.css"`) {
			t.Errorf("GET %s: not a full page", p.path)
		}
		for _, w := range p.wants {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: page lacks %q", p.path, w)
			}
		}
		checkCSP(t, p.path, body)
		checkA11y(t, p.path, body)
	}

	// htmx asks for the results only.
	code, body := s.get("/controls?q=mfa", "HX-Request", "true")
	if code != http.StatusOK || strings.Contains(body, "<html") || !strings.Contains(body, `id="results"`) || !strings.Contains(body, "ACC-02") || strings.Contains(body, "GOV-01") {
		t.Errorf("htmx fragment: status %d\n%s", code, body)
	}

	// A token's secret is shown once, on the page that created it.
	code, body, _ = s.post("/settings/tokens", url.Values{"csrf": {csrf}, "name": {"CI check"}, "user_id": {itoa(s.admin.ID)}, "expires": {"90"}})
	if code != http.StatusCreated || !strings.Contains(body, "it will not be shown again") || !strings.Contains(body, "assay_") {
		t.Errorf("create token: status %d\n%s", code, body)
	}
	if _, body := s.get("/settings/tokens"); !strings.Contains(body, "CI check") || strings.Contains(body, "will not be shown again") {
		t.Errorf("tokens list after creating one:\n%s", body)
	}

	// A form error keeps what was typed and says what is wrong.
	code, body, _ = s.post("/controls", url.Values{"csrf": {csrf}, "id": {"CUS-01"}, "name": {"Quarterly tabletop"}, "criteria": {"ZZ9.9"}, "frequency": {"quarterly"}, "kind": {"detective"}})
	if code != http.StatusBadRequest || !strings.Contains(body, `role="alert"`) || !strings.Contains(body, "Quarterly tabletop") || !strings.Contains(body, `value="quarterly" selected`) {
		t.Errorf("invalid new control: status %d\n%s", code, body)
	}

	// Not found: a page in the layout, with the message.
	code, body = s.get("/controls/NOPE-99")
	if code != http.StatusNotFound || !strings.Contains(body, "404") || !strings.Contains(body, "Go to the dashboard") {
		t.Errorf("missing control: status %d\n%s", code, body)
	}
	checkCSP(t, "/controls/NOPE-99", body)

	// Signing out ends the session; the login page stands alone.
	if code, _, loc := s.post("/logout", url.Values{"csrf": {csrf}}); code != http.StatusSeeOther || loc != "/login" {
		t.Fatalf("sign out: %d %q", code, loc)
	}
	code, body = s.get("/login?next=/controls")
	if code != http.StatusOK || !strings.Contains(body, `name="password"`) || !strings.Contains(body, `value="/controls"`) || strings.Contains(body, "sidebar") {
		t.Errorf("login page: status %d\n%s", code, body)
	}
	checkCSP(t, "/login", body)
	checkA11y(t, "/login", body)
	code, body, _ = s.post("/login", url.Values{"email": {adminEmail}, "password": {"wrong password!"}})
	if code != http.StatusUnauthorized || !strings.Contains(body, "Email or password is wrong.") || !strings.Contains(body, `value="`+adminEmail+`"`) {
		t.Errorf("wrong password: status %d\n%s", code, body)
	}
}

func TestPagesForAMember(t *testing.T) {
	s := newSite(t)
	// The member signs in instead of the admin.
	csrf := s.csrf()
	s.post("/logout", url.Values{"csrf": {csrf}})
	if code, body, _ := s.post("/login", url.Values{"email": {"sam@example.com"}, "password": {adminPassword}}); code != http.StatusSeeOther {
		t.Fatalf("member sign in: %d\n%s", code, body)
	}
	code, body := s.get("/")
	if code != http.StatusOK || strings.Contains(body, "/settings/users") || !strings.Contains(body, `href="/activity"`) {
		t.Errorf("member dashboard: status %d; settings must be hidden, activity shown", code)
	}
	code, body = s.get("/controls/ACC-02")
	if code != http.StatusOK || strings.Contains(body, `name="status"`) || !strings.Contains(body, "You can update the controls you own") {
		t.Errorf("member on someone else's control: status %d\n%s", code, body)
	}
	code, body = s.get("/scope")
	if code != http.StatusOK || strings.Contains(body, `action="/scope/system"`) || !strings.Contains(body, "Not written yet.") {
		t.Errorf("member scope page: status %d", code)
	}
	code, body = s.get("/settings/users")
	if code != http.StatusForbidden || !strings.Contains(body, "does not allow") {
		t.Errorf("member on users page: status %d", code)
	}
	checkCSP(t, "/settings/users (403)", body)
}

func TestSetupPage(t *testing.T) {
	ctx := context.Background()
	cat := catalog.MustDefault()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "assay.db"), sqlstore.Config{Clock: assay.SystemClock{}, Criteria: cat.DomainCriteria()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv, err := New(Config{Store: db, Criteria: cat.DomainCriteria(), NewOrgControls: cat.LibraryControls, PasswordParams: fastParams})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/setup?token=abc", nil))
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("setup: status %d\n%s", rec.Code, body)
	}
	for _, w := range []string{`name="token" value="abc"`, `name="org_name"`, `name="password_confirm"`, `for="email"`} {
		if !strings.Contains(body, w) {
			t.Errorf("setup page lacks %q", w)
		}
	}
	checkCSP(t, "/setup", body)
	checkA11y(t, "/setup", body)
}

// TestOpenAPIDocument checks the served API description parses and
// covers every API route.
func TestOpenAPIDocument(t *testing.T) {
	s := newSite(t)
	code, body := s.get("/api/v1/openapi.json")
	if code != http.StatusOK {
		t.Fatalf("openapi.json: status %d", code)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	for _, route := range []string{"GET /healthz", "GET /api/v1/me", "GET /api/v1/criteria", "GET /api/v1/controls", "POST /api/v1/controls",
		"GET /api/v1/controls/{id}", "PATCH /api/v1/controls/{id}", "GET /api/v1/readiness", "GET /api/v1/scope", "PUT /api/v1/scope",
		"GET /api/v1/activity", "GET /api/v1/users"} {
		method, path, _ := strings.Cut(route, " ")
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("openapi.json does not describe %s", route)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
