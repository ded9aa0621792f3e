package okta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/apiclient"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

const library = "../../../catalog/data/checks/okta.json"

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

// fakeOkta speaks the parts of Okta's management API the collector reads,
// as Okta documents them: Authorization: SSWS, users paged by an opaque
// after cursor in Link rel="next" (one Link header per rel), 429 with
// X-Rate-Limit-Reset, and errors as {errorCode, errorSummary}.
type fakeOkta struct {
	t        *testing.T
	srv      *httptest.Server
	token    string
	pageSize int

	mu       sync.Mutex
	inject   map[string][]func(http.ResponseWriter)
	always   map[string]func(http.ResponseWriter)
	requests []string
	badAuth  int
	nextHost string // a host the next link points at instead (a hostile server)

	users    []map[string]any
	factors  map[string][]map[string]any
	roles    map[string][]map[string]any
	policies []map[string]any
}

func oktaError(code int, errCode, summary string, headers map[string]string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"errorCode":%q,"errorSummary":%q,"errorLink":%q,"errorId":"oae1","errorCauses":[]}`, errCode, summary, errCode)
	}
}

func (f *fakeOkta) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.RequestURI())
	if r.Header.Get("Authorization") != "SSWS "+f.token {
		f.badAuth++
		f.mu.Unlock()
		oktaError(http.StatusUnauthorized, "E0000011", "Invalid token provided", nil)(w)
		return
	}
	if a, ok := f.always[r.URL.RequestURI()]; ok {
		f.mu.Unlock()
		a(w)
		return
	}
	if q := f.inject[r.URL.Path]; len(q) > 0 {
		f.inject[r.URL.Path] = q[1:]
		f.mu.Unlock()
		q[0](w)
		return
	}
	f.mu.Unlock()
	w.Header().Set("X-Rate-Limit-Limit", "600")
	w.Header().Set("X-Rate-Limit-Remaining", "599")
	w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(now.Add(time.Minute).Unix(), 10))
	p := r.URL.Path
	switch {
	case p == "/api/v1/users":
		var list []map[string]any
		deprovisioned := r.URL.Query().Get("filter") == `status eq "DEPROVISIONED"`
		for _, u := range f.users {
			if (u["status"] == "DEPROVISIONED") == deprovisioned {
				list = append(list, u)
			}
		}
		f.paged(w, r, list)
	case strings.HasPrefix(p, "/api/v1/users/") && strings.HasSuffix(p, "/factors"):
		f.json(w, nonNil(f.factors[strings.Split(p, "/")[4]]))
	case strings.HasPrefix(p, "/api/v1/users/") && strings.HasSuffix(p, "/roles"):
		f.json(w, nonNil(f.roles[strings.Split(p, "/")[4]]))
	case p == "/api/v1/policies" && r.URL.Query().Get("type") == "PASSWORD":
		f.json(w, f.policies)
	default:
		oktaError(http.StatusNotFound, "E0000007", "Not found: Resource not found: "+p, nil)(w)
	}
}

func nonNil(v []map[string]any) []map[string]any {
	if v == nil {
		return []map[string]any{}
	}
	return v
}

func (f *fakeOkta) json(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		f.t.Error(err)
	}
}

// paged serves pageSize items with an opaque after cursor, the self and
// next links as two Link headers, as Okta does.
func (f *fakeOkta) paged(w http.ResponseWriter, r *http.Request, items []map[string]any) {
	from := 0
	if a := r.URL.Query().Get("after"); a != "" {
		for i, u := range items {
			if u["id"] == a {
				from = i + 1
			}
		}
	}
	to := min(from+f.pageSize, len(items))
	w.Header().Add("Link", fmt.Sprintf(`<%s%s>; rel="self"`, f.srv.URL, r.URL.RequestURI()))
	if to < len(items) {
		u := *r.URL
		q := u.Query()
		q.Set("after", items[to-1]["id"].(string))
		u.RawQuery = q.Encode()
		host := f.srv.URL
		if f.nextHost != "" {
			host = f.nextHost
		}
		w.Header().Add("Link", fmt.Sprintf(`<%s%s>; rel="next"`, host, u.RequestURI()))
	}
	f.json(w, nonNil(items[from:to]))
}

func (f *fakeOkta) count(prefix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.requests {
		if strings.HasPrefix(r, prefix) {
			n++
		}
	}
	return n
}

func (f *fakeOkta) then(path string, answers ...func(http.ResponseWriter)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inject[path] = append(f.inject[path], answers...)
}

func day(n int) string { return now.AddDate(0, 0, -n).Format("2006-01-02T15:04:05.000Z") }

func oktaUser(id, login, status string, created int, lastLogin int) map[string]any {
	u := map[string]any{"id": id, "status": status, "created": day(created), "lastLogin": nil,
		"profile": map[string]any{"login": login, "email": login, "firstName": "A", "lastName": "B"},
		"_links":  map[string]any{"self": map[string]any{"href": "https://example.okta.com/api/v1/users/" + id}}}
	if lastLogin >= 0 {
		u["lastLogin"] = day(lastLogin)
	}
	return u
}

func example(t *testing.T) *fakeOkta {
	f := &fakeOkta{t: t, token: "00SSWS-test-token", pageSize: 2, inject: map[string][]func(http.ResponseWriter){}, always: map[string]func(http.ResponseWriter){},
		factors: map[string][]map[string]any{}, roles: map[string][]map[string]any{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	f.users = []map[string]any{
		oktaUser("00u1", "alice@example.com", "ACTIVE", 400, 1),
		oktaUser("00u2", "bob@example.com", "ACTIVE", 400, 2),
		oktaUser("00u3", "dan@example.com", "ACTIVE", 400, 120),
		oktaUser("00u4", "new@example.com", "PROVISIONED", 10, -1),
		oktaUser("00u5", "sam@example.com", "SUSPENDED", 400, 200),
		oktaUser("00u6", "root@example.com", "ACTIVE", 400, 0),
		oktaUser("00u7", "eve@example.com", "DEPROVISIONED", 900, 300),
	}
	active := func(types ...string) []map[string]any {
		var out []map[string]any
		for _, ty := range types {
			out = append(out, map[string]any{"id": "f" + ty, "factorType": ty, "provider": "OKTA", "status": "ACTIVE"})
		}
		return out
	}
	f.factors["00u1"] = active("push", "webauthn")
	f.factors["00u2"] = append(active("question"), map[string]any{"factorType": "sms", "status": "PENDING_ACTIVATION"})
	f.factors["00u3"] = active("token:software:totp")
	f.factors["00u6"] = nil
	f.roles["00u1"] = []map[string]any{{"id": "ra1", "type": "SUPER_ADMIN", "label": "Super Administrator", "status": "ACTIVE", "assignmentType": "USER"}}
	f.roles["00u6"] = []map[string]any{{"id": "ra2", "type": "ORG_ADMIN", "label": "Organization Administrator", "status": "ACTIVE", "assignmentType": "USER"}}
	f.roles["00u7"] = []map[string]any{{"id": "ra3", "type": "APP_ADMIN", "label": "Application Administrator", "status": "ACTIVE", "assignmentType": "USER"}}
	pw := func(id, name, status string, minLength, maxAttempts int) map[string]any {
		return map[string]any{"id": id, "type": "PASSWORD", "name": name, "status": status, "priority": 1, "system": id == "00pdef",
			"settings": map[string]any{"password": map[string]any{
				"complexity": map[string]any{"minLength": minLength, "minLowerCase": 1},
				"lockout":    map[string]any{"maxAttempts": maxAttempts, "autoUnlockMinutes": 0}}}}
	}
	f.policies = []map[string]any{pw("00pdef", "Default Policy", "ACTIVE", 14, 5), pw("00pcon", "Contractors", "ACTIVE", 8, 0)}
	return f
}

type sleeps struct {
	mu  sync.Mutex
	all []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.all = append(s.all, d)
	return ctx.Err()
}

func collector(s *sleeps) *Collector {
	return &Collector{Clock: &assay.FixedClock{T: now}, Sleep: s.sleep}
}

func config(f *fakeOkta) monitor.Config {
	return monitor.Config{Settings: map[string]string{SettingOrgURL: f.srv.URL}, Secrets: map[string]string{SecretToken: f.token}}
}

func TestCollectsUsersAndPoliciesThroughRateLimitsAndRetries(t *testing.T) {
	f := example(t)
	f.then("/api/v1/users",
		oktaError(http.StatusTooManyRequests, "E0000047", "API call exceeded rate limit due to too many requests.",
			map[string]string{"X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": strconv.FormatInt(now.Add(30*time.Second).Unix(), 10)}),
		oktaError(http.StatusInternalServerError, "E0000009", "Internal Server Error", nil))
	s := &sleeps{}
	var kept []byte
	cfg := config(f)
	cfg.Keep = func(_ context.Context, doc []byte) (string, error) { kept = doc; return "abc123", nil }
	ctx, notes := monitor.WithNotes(context.Background())
	res, err := collector(s).Collect(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if f.badAuth != 0 {
		t.Errorf("%d requests without the SSWS token", f.badAuth)
	}
	if len(s.all) != 2 || s.all[0] != 31*time.Second || s.all[1] != time.Second {
		t.Errorf("waits %v, want 31s (the reset) then 1s", s.all)
	}
	// Six users not deprovisioned, two a page: three pages (and the two
	// refusals), then the deprovisioned users' one page.
	if n := f.count("GET /api/v1/users?"); n != 3+2+1 {
		t.Errorf("%d requests for the user lists, want 3 pages, 2 retries and 1 page of deprovisioned users", n)
	}
	if n := f.count("GET /api/v1/users?after="); n != 2 {
		t.Errorf("%d requests followed a next link, want 2", n)
	}
	if len(res) != 7+2 {
		t.Fatalf("%d resources, want 9", len(res))
	}
	m := map[string]assay.Resource{}
	for _, r := range res {
		m[r.ID] = r
		collecttest.SameKeys(t, library, r)
	}
	if a := m["alice@example.com"].Attrs; a["mfa"] != true || a["admin"] != true || a["last_login_days"] != int64(1) || a["active"] != true {
		t.Errorf("alice: %v", a)
	}
	if a := m["bob@example.com"].Attrs; a["mfa"] != false || len(a["factors"].([]any)) != 1 {
		t.Errorf("bob (a security question and a pending SMS): %v", a)
	}
	if a := m["new@example.com"].Attrs; a["never_logged_in"] != true || a["last_login_days"] != int64(10) || a["active"] != false {
		t.Errorf("new: %v", a)
	}
	if a := m["eve@example.com"].Attrs; a["status"] != "DEPROVISIONED" || a["admin"] != true {
		t.Errorf("eve: %v", a)
	}
	if f.count("GET /api/v1/users/00u7/factors") != 0 {
		t.Error("a deprovisioned user's factors were read")
	}
	if a := m["00pcon"].Attrs; a["min_length"] != int64(8) || a["max_attempts"] != int64(0) {
		t.Errorf("contractors policy: %v", a)
	}
	note := strings.Join(notes.List(), "\n")
	if !strings.Contains(note, "abc123") || !strings.Contains(note, Version) || !strings.Contains(note, "9 resources") {
		t.Errorf("notes: %q", note)
	}
	var doc apiclient.Provenance
	if err := json.Unmarshal(kept, &doc); err != nil || doc.Requests != f.count("GET")-2 || strings.Contains(string(kept), f.token) {
		t.Errorf("provenance: %v, %d requests of %d", err, doc.Requests, f.count("GET")-2)
	}
}

func TestLibraryChecksJudgeTheCollectedUsers(t *testing.T) {
	collecttest.Library(t, library)
	f := example(t)
	res, err := collector(&sleeps{}).Collect(context.Background(), config(f))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]assay.CheckStatus{}
	for _, r := range collecttest.RunLibrary(t, "okta-", res) {
		got[r.CheckID+" "+r.ResourceID] = r.Status
	}
	for key, want := range map[string]assay.CheckStatus{
		"okta-active-users-have-mfa alice@example.com":             assay.CheckPass,
		"okta-active-users-have-mfa bob@example.com":               assay.CheckFail,
		"okta-active-users-have-mfa sam@example.com":               assay.CheckPass,
		"okta-admins-have-mfa alice@example.com":                   assay.CheckPass,
		"okta-admins-have-mfa root@example.com":                    assay.CheckFail,
		"okta-no-dormant-users alice@example.com":                  assay.CheckPass,
		"okta-no-dormant-users dan@example.com":                    assay.CheckFail,
		"okta-no-dormant-users sam@example.com":                    assay.CheckPass,
		"okta-password-min-length-12 00pdef":                       assay.CheckPass,
		"okta-password-min-length-12 00pcon":                       assay.CheckFail,
		"okta-lockout-after-10-attempts 00pdef":                    assay.CheckPass,
		"okta-lockout-after-10-attempts 00pcon":                    assay.CheckFail,
		"okta-inactive-users-hold-no-admin-role eve@example.com":   assay.CheckFail,
		"okta-inactive-users-hold-no-admin-role alice@example.com": assay.CheckPass,
		"okta-inactive-users-hold-no-admin-role sam@example.com":   assay.CheckPass,
	} {
		if got[key] != want {
			t.Errorf("%s: %s, want %s", key, got[key], want)
		}
	}
}

func TestAMissingPermissionIsNamed(t *testing.T) {
	for path, want := range map[string]string{
		"/api/v1/users/00u1/roles": "okta.roles.read",
		"/api/v1/policies":         "okta.policies.read",
		"/api/v1/users":            "okta.users.read",
	} {
		f := example(t)
		f.then(path, oktaError(http.StatusForbidden, "E0000006", "You do not have permission to perform the requested action", nil))
		res, err := collector(&sleeps{}).Collect(context.Background(), config(f))
		if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, apiclient.ErrPartial) || res != nil {
			t.Errorf("%s refused: %v, %d resources; want an error naming %s", path, err, len(res), want)
		}
	}
}

func TestAPageThatKeepsFailingFailsTheCollection(t *testing.T) {
	f := example(t)
	f.always["/api/v1/users?after=00u2&limit=200"] = oktaError(http.StatusServiceUnavailable, "E0000009", "Service unavailable", nil)
	res, err := collector(&sleeps{}).Collect(context.Background(), config(f))
	if err == nil || !errors.Is(err, apiclient.ErrPartial) || res != nil {
		t.Fatalf("got %d resources, %v; want the collection to fail", len(res), err)
	}
	if n := f.count("GET /api/v1/users?after=00u2"); n != 5 {
		t.Errorf("page 2 asked %d times, want 5 attempts", n)
	}
}

func TestTheTokenGoesOnlyToTheOrganisation(t *testing.T) {
	other := example(t)
	f := example(t)
	f.nextHost = other.srv.URL
	res, err := collector(&sleeps{}).Collect(context.Background(), config(f))
	if err == nil || res != nil || other.count("GET") != 0 {
		t.Errorf("a next link to another host: %v, %d resources, %d requests there", err, len(res), other.count("GET"))
	}
	if err != nil && strings.Contains(err.Error(), f.token) {
		t.Error("the token is in the error")
	}
}

func TestValidate(t *testing.T) {
	c := NewWithClock(&assay.FixedClock{T: now})
	if err := c.Validate(monitor.Config{Settings: map[string]string{SettingOrgURL: "https://example.okta.com"}, Secrets: map[string]string{SecretToken: "x"}}); err != nil {
		t.Fatal(err)
	}
	for field, cfg := range map[string]monitor.Config{
		SettingOrgURL: {Settings: map[string]string{SettingOrgURL: "example.okta.com"}, Secrets: map[string]string{SecretToken: "x"}},
		SecretToken:   {Settings: map[string]string{SettingOrgURL: "https://example.okta.com"}},
	} {
		var e *assay.Error
		if err := c.Validate(cfg); !errors.As(err, &e) || e.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
}
