package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/store"
	"github.com/assay-platform/assay/store/sqlite"
	"github.com/assay-platform/assay/store/sqlstore"
)

// The roles the route table has a column for, in its order.
var tableRoles = []string{"admin", "member", "auditor", "viewer", "employee", "engagement", "expired", "none"}

// accessSite is a server over a real SQLite file with one user of every
// role, an engagement and objects inside and outside it.
type accessSite struct {
	t          *testing.T
	srv        *Server
	hs         *httptest.Server
	db         store.Store
	services   *app.App
	clock      *assay.FixedClock
	org        assay.Organization
	sessions   map[string]accessSession // by role; "none" has none
	audit      assay.Audit
	inCtl      string // a control of the engagement's frozen scope
	outCtl     string // a control outside it
	inEv       int64  // evidence of the period, a file
	outEv      int64  // a file outside the period
	otherEv    int64  // a file of a control outside the scope
	inReq      int64  // a request about an in-scope control
	outReq     int64  // a request about a control outside the scope
	outSeq     int64  // an activity entry about a control outside the scope
	inSeq      int64  // an activity entry about an in-scope control, inside the window
	person     int64
	corrective int64 // a corrective action the admin owns
	sample     int64 // a sample drawn for the engagement
}

type accessSession struct {
	user   assay.User
	cookie string
	csrf   string
}

func newAccessSite(t *testing.T) *accessSite {
	t.Helper()
	ctx := context.Background()
	cat := catalog.MustDefault()
	clock := &assay.FixedClock{T: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)}
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "assay.db"), sqlstore.Config{Clock: clock, Criteria: cat.DomainCriteria()})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	blobs := testBlobs(t)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := Config{Store: db, Criteria: cat.DomainCriteria(), Clock: clock, Logger: quiet,
		NewOrgControls: cat.LibraryControls, PasswordParams: fastParams, Blobs: blobs}.WithDefaults()
	services, err := app.New(app.Config{Store: db, Clock: clock, Criteria: cfg.Criteria, Rule: cfg.Rule,
		Checks: catalog.LibraryCheckList, Blobs: blobs, PasswordParams: fastParams, Logger: quiet})
	if err != nil {
		t.Fatalf("app: %v", err)
	}
	cfg.App = services
	srv, err := New(cfg)
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
	s := &accessSite{t: t, srv: srv, db: db, services: services, clock: clock, org: org, sessions: map[string]accessSession{}}
	users := map[string]assay.User{}
	for _, role := range []assay.Role{assay.RoleAdmin, assay.RoleMember, assay.RoleAuditor, assay.RoleViewer, assay.RoleEmployee} {
		u, err := os.CreateUser(ctx, sys, assay.NewUser{Email: string(role) + "@example.com", Name: "The " + string(role), Role: role, Password: adminPassword}, hash)
		if err != nil {
			t.Fatalf("create %s: %v", role, err)
		}
		users[string(role)] = u
	}
	admin := services.PrincipalFor(users["admin"], "web")

	// A Type II engagement over the six months around today.
	from, to := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	av, err := services.CreateAudit(ctx, admin, assay.NewAudit{Type: assay.AuditType2, Name: "SOC 2 Type II", Firm: "Example LLP", PeriodStart: &from, PeriodEnd: &to})
	if err != nil {
		t.Fatalf("create audit: %v", err)
	}
	s.audit = av.Audit
	s.inCtl = s.audit.Scope.Controls[0].ID
	ctls, err := os.Controls(ctx, assay.ControlFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range ctls {
		if !s.audit.Scope.HasControl(c.ID) {
			s.outCtl = c.ID
			break
		}
	}
	if s.outCtl == "" {
		t.Fatal("every control is in the engagement's scope")
	}
	file := func(ctl string, start, end time.Time) int64 {
		t.Helper()
		e, err := services.AddEvidence(ctx, admin, app.NewEvidence{Evidence: assay.NewEvidence{Kind: assay.EvidenceFile, Title: "Export " + ctl,
			PeriodStart: &start, PeriodEnd: &end, Controls: []string{ctl}}},
			&app.File{Filename: "export.txt", MediaType: "text/plain"}, strings.NewReader("rows of "+ctl), 0)
		if err != nil {
			t.Fatalf("evidence for %s: %v", ctl, err)
		}
		return e.ID
	}
	s.inEv = file(s.inCtl, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC))
	s.outEv = file(s.inCtl, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC))
	s.otherEv = file(s.outCtl, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC))
	due := clock.T.AddDate(0, 0, 14)
	for ctl, id := range map[string]*int64{s.inCtl: &s.inReq, s.outCtl: &s.outReq} {
		r, err := services.CreateEvidenceRequest(ctx, admin, assay.NewEvidenceRequest{ControlID: ctl, AssigneeID: users["member"].ID, DueDate: due, Description: "Show it"})
		if err != nil {
			t.Fatalf("request for %s: %v", ctl, err)
		}
		*id = r.ID
	}
	owner := users["member"].ID
	if _, err := os.UpdateControl(ctx, sys, s.inCtl, assay.ControlPatch{OwnerID: &owner}); err != nil {
		t.Fatalf("owner of %s: %v", s.inCtl, err)
	}
	notes := "noted"
	for ctl, seq := range map[string]*int64{s.inCtl: &s.inSeq, s.outCtl: &s.outSeq} {
		if _, err := os.UpdateControl(ctx, sys, ctl, assay.ControlPatch{Notes: &notes}); err != nil {
			t.Fatalf("update %s: %v", ctl, err)
		}
		acts, err := os.Activity(ctx, assay.ActivityFilter{ObjectType: "control", ObjectID: ctl, Limit: 1})
		if err != nil || len(acts) == 0 {
			t.Fatalf("activity of %s: %v", ctl, err)
		}
		*seq = acts[0].Seq
	}
	hired := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	p, err := os.CreatePerson(ctx, sys, assay.NewPerson{Email: "pat@example.com", Name: "Pat Doe", StartDate: &hired})
	if err != nil {
		t.Fatalf("person: %v", err)
	}
	s.person = p.ID
	ca, err := os.CreateCorrectiveAction(ctx, sys, assay.NewCorrectiveAction{Title: "Rotate the keys", Action: "Rotate them", OwnerID: users["admin"].ID, DueDate: due})
	if err != nil {
		t.Fatalf("corrective action: %v", err)
	}
	s.corrective = ca.ID

	seed := uint64(7)
	sm, err := os.CreateAuditSample(ctx, sys, s.audit.ID, assay.NewSample{Population: assay.PopulationChanges, Size: 1, Seed: &seed})
	if err != nil {
		t.Fatalf("sample: %v", err)
	}
	s.sample = sm.ID

	// One invited auditor whose access runs on, one whose access ended.
	until := time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC)
	active, err := services.InviteAuditor(ctx, admin, s.audit.ID, app.AuditorInvite{Email: "ann@audit.example", Name: "Ann Auditor", Password: adminPassword, Expires: &until})
	if err != nil {
		t.Fatalf("invite: %v", err)
	}
	users["engagement"] = active.User
	clock.Set(time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC))
	ended := time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC)
	expired, err := services.InviteAuditor(ctx, admin, s.audit.ID, app.AuditorInvite{Email: "old@audit.example", Name: "Old Auditor", Password: adminPassword, Expires: &ended})
	clock.Set(time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC))
	if err != nil {
		t.Fatalf("invite expired: %v", err)
	}
	users["expired"] = expired.User

	for role, u := range users {
		secret, csrf := "secret-"+role+"-0123456789abcdef", "csrf-"+role
		if err := db.CreateSession(ctx, auth.HashToken(secret), assay.Session{UserID: u.ID, OrgID: org.ID, CSRFToken: csrf,
			CreatedAt: clock.T, ExpiresAt: clock.T.Add(12 * time.Hour)}); err != nil {
			t.Fatalf("session of %s: %v", role, err)
		}
		s.sessions[role] = accessSession{user: u, cookie: secret, csrf: csrf}
	}
	s.hs = httptest.NewServer(srv)
	t.Cleanup(s.hs.Close)
	return s
}

// accessResponse is what one request got.
type accessResponse struct {
	status   int
	location string
	body     string
}

// do sends a request as role ("none": without credentials) with an empty
// body: for a page, a form holding only the CSRF token.
func (s *accessSite) do(role, method, path string) accessResponse {
	s.t.Helper()
	if method == http.MethodGet || method == http.MethodHead {
		return s.send(role, method, path, nil)
	}
	return s.send(role, method, path, map[string]string{})
}

// send sends a request as role: fields go as JSON to the API and as a
// multipart form (CSRF token first, as uploads read it) to a page;
// changes carry the session's CSRF token.
func (s *accessSite) send(role, method, path string, fields map[string]string) accessResponse {
	s.t.Helper()
	var body io.Reader
	sess, signedIn := s.sessions[role]
	api := strings.HasPrefix(path, "/api/")
	contentType := "application/json"
	switch {
	case fields == nil:
	case api:
		b, _ := json.Marshal(fields)
		body = bytes.NewReader(b)
	default:
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		if signedIn {
			_ = mw.WriteField("csrf", sess.csrf)
		}
		for k, v := range fields {
			_ = mw.WriteField(k, v)
		}
		_ = mw.Close()
		body, contentType = &buf, mw.FormDataContentType()
	}
	req, err := http.NewRequest(method, s.hs.URL+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if signedIn {
		req.AddCookie(&http.Cookie{Name: "assay_session", Value: sess.cookie})
		if api {
			req.Header.Set("X-CSRF-Token", sess.csrf)
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		var c bytes.Buffer
		if json.Compact(&c, b) == nil {
			b = c.Bytes()
		}
	}
	return accessResponse{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(b)}
}

// refused tells whether a response turned the person away: not signed in,
// forbidden, a route that is not there for them, or (for a page they
// asked to read) sent elsewhere.
func (r accessResponse) refused(method string) bool {
	switch {
	case r.status == http.StatusUnauthorized || r.status == http.StatusForbidden:
		return true
	case r.status >= 300 && r.status < 400 && (strings.HasPrefix(r.location, "/login") || method == http.MethodGet):
		return true
	case r.status == http.StatusNotFound && strings.Contains(r.body, "There is nothing at"):
		return true
	}
	return false
}

// routeRow is one row of the README's route table.
type routeRow struct {
	line     int
	patterns []string
	cells    map[string]string
}

var codeSpan = regexp.MustCompile("`([^`]+)`")

// readRouteTable reads the table between the route-table markers.
func readRouteTable(t *testing.T) []routeRow {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start, end := strings.Index(text, "<!-- route-table:start -->"), strings.Index(text, "<!-- route-table:end -->")
	if start < 0 || end < start {
		t.Fatal("README.md has no route table")
	}
	var rows []routeRow
	for i, line := range strings.Split(text[start:end], "\n") {
		cols := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		if len(cols) != len(tableRoles)+1 || !strings.Contains(cols[0], "`") {
			continue
		}
		row := routeRow{line: i, cells: map[string]string{}}
		for _, m := range codeSpan.FindAllStringSubmatch(cols[0], -1) {
			row.patterns = append(row.patterns, m[1])
		}
		for j, role := range tableRoles {
			row.cells[role] = strings.TrimSpace(cols[j+1])
		}
		rows = append(rows, row)
	}
	if len(rows) < 10 {
		t.Fatalf("the route table has %d rows", len(rows))
	}
	return rows
}

// globMatch matches a route pattern against a table pattern where * is any text.
func globMatch(glob, pattern string) bool {
	re := "^" + strings.ReplaceAll(regexp.QuoteMeta(glob), `\*`, ".*") + "$"
	return regexp.MustCompile(re).MatchString(pattern)
}

func (s *accessSite) rowFor(rows []routeRow, pattern string) (routeRow, bool) {
	for _, r := range rows {
		for _, g := range r.patterns {
			if globMatch(g, pattern) {
				return r, true
			}
		}
	}
	return routeRow{}, false
}

// path fills a route pattern's wildcards with the site's objects: the
// engagement's own where it has them.
func (s *accessSite) path(pattern string) (method, path string) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		return "GET", pattern
	}
	id := "1"
	switch {
	case strings.Contains(path, "/audits/"):
		id = strconv.FormatInt(s.audit.ID, 10)
	case strings.Contains(path, "/controls/"):
		id = s.inCtl
	case strings.Contains(path, "/evidence-requests/"):
		id = strconv.FormatInt(s.inReq, 10)
	case strings.Contains(path, "/evidence/"):
		id = strconv.FormatInt(s.inEv, 10)
	case strings.Contains(path, "/criteria/"):
		id = s.audit.Scope.Criteria[0]
	case strings.Contains(path, "/corrective-actions/"):
		id = strconv.FormatInt(s.corrective, 10)
	case strings.Contains(path, "/people/"):
		id = strconv.FormatInt(s.person, 10)
	}
	path = strings.ReplaceAll(path, "{$}", "")
	path = strings.ReplaceAll(path, "{id}", id)
	for _, w := range []string{"{account}", "{vid}", "{seq}"} {
		path = strings.ReplaceAll(path, w, "1")
	}
	path = strings.ReplaceAll(path, "{file}", "1.md")
	path = strings.ReplaceAll(path, "{sample}", strconv.FormatInt(s.sample, 10))
	path = strings.ReplaceAll(path, "{doc}", "assertion")
	if strings.HasSuffix(path, "/population") {
		path += "?kind=changes"
	}
	return method, path
}

// skipped are routes the walk does not send: the catch-alls (404 for
// everyone by design) and the public routes, open to all and answering
// each in their own way (sign-in, first run, assets, the calendar feed).
var skipped = map[string]bool{"/": true, "/api/": true, "GET /login": true, "POST /login": true, "POST /logout": true,
	"GET /login/mfa": true, "POST /login/mfa": true, "GET /login/mfa/setup": true, "POST /login/mfa/setup": true,
	"POST /login/mfa/passkey/options": true, "POST /login/mfa/passkey": true,
	"GET /login/sso/{slug}": true, "GET /login/sso/{slug}/callback": true, "GET /sso/{slug}/saml/metadata": true, "POST /sso/{slug}/saml/acs": true,
	"GET /setup": true, "POST /setup": true, "GET /static/": true, "GET /healthz": true, "GET /api/v1/openapi.json": true, "GET /calendar/{file}": true,
	"GET /password/forgot": true, "POST /password/forgot": true, "GET /password/reset": true, "POST /password/reset": true, "GET /invite": true, "POST /invite": true,
	"GET /unsubscribe": true, "POST /unsubscribe": true,
	"GET /trust": true, "GET /trust/policies/{id}": true, "GET /trust/documents/{id}": true, "POST /trust/documents/{id}": true, "GET /trust/r/{link}": true,
	"GET /trust/r/{link}/download": true, "GET /trust/snapshot.json": true, "GET /trust/snapshots": true, "GET /trust/snapshots/{id}": true, "GET /trust/key": true}

func TestEveryRouteByRole(t *testing.T) {
	s := newAccessSite(t)
	rows := readRouteTable(t)
	routes := s.srv.Routes()
	if len(routes) < 200 {
		t.Fatalf("the router lists %d routes", len(routes))
	}
	// The engagement auditor goes first, the admin last: what the others
	// change with empty forms cannot hide what the auditor should see.
	order := []string{"engagement", "expired", "none", "employee", "viewer", "auditor", "member", "admin"}
	for _, pattern := range routes {
		row, ok := s.rowFor(rows, pattern)
		if !ok {
			t.Errorf("route %q fits no row of the README's route table", pattern)
			continue
		}
		if skipped[pattern] || pattern == "/scim/" || strings.Contains(pattern, " /scim/v2/") {
			continue // SCIM takes only its own token (server/scim_test.go)
		}
		method, path := s.path(pattern)
		for _, role := range order {
			want := row.cells[role]
			if want == "own" {
				continue // the service decides per object; covered by the areas' own tests
			}
			got := s.do(role, method, path)
			if refused := got.refused(method); refused != (want == "—") {
				t.Errorf("%s as %s (%s): status %d %s; the table says %q", pattern, role, path, got.status, got.location, want)
			} else if role == "engagement" && want == "scope" && method == http.MethodGet && got.status != http.StatusOK &&
				got.status != http.StatusConflict { // the bundle, without a signed checkpoint here
				t.Errorf("%s as the engagement auditor (%s): status %d, want 200\n%.300s", pattern, path, got.status, got.body)
			}
		}
	}
}
