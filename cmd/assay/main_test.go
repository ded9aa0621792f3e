package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/store/storetest/pgtest"
)

// fastParams keeps password hashing cheap in tests.
var fastParams = auth.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

// testMain is the real program, started on a free port.
type testMain struct {
	*Main
	out *bytes.Buffer
}

// startMain runs the program on port 0 over a new SQLite data folder, or
// over a fresh PostgreSQL database when pg is true, with the demo when
// demo is true. The SQLite folder is a copy of one migrated (and seeded)
// once for the test binary (data_template_test.go).
func startMain(t *testing.T, pg, demo bool) *testMain {
	t.Helper()
	return startMainOver(t, pg, demo, true)
}

// freshPostgres returns the URL of a PostgreSQL database of the test's own,
// dropped when the test ends, or skips the test when ASSAY_TEST_POSTGRES is
// not set. The database is a copy of a template migrated once (pgtest), so
// the program finds its schema up to date when it starts.
func freshPostgres(t *testing.T) string {
	t.Helper()
	return pgtest.Database(t)
}

// orgWithAdmin creates an organisation with the default library and an
// admin, and returns the org id and an API token for the admin.
func (m *testMain) orgWithAdmin(t *testing.T, name string) (int64, string) {
	t.Helper()
	ctx := context.Background()
	org, err := m.Store.CreateOrganization(ctx, assay.SystemActor, name, assay.Slugify(name), assay.Scope{}, m.Catalog.LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	return org.ID, m.userToken(t, org.ID, "admin@"+assay.Slugify(name)+".example", assay.RoleAdmin)
}

// userToken adds a user with a role and returns an API token for them.
func (m *testMain) userToken(t *testing.T, orgID int64, email string, role assay.Role) string {
	t.Helper()
	ctx := context.Background()
	hash, _ := auth.HashPassword("long enough password", fastParams)
	u, err := m.Store.Org(orgID).CreateUser(ctx, assay.SystemActor, assay.NewUser{Email: email, Name: email, Role: role, Password: "long enough password"}, hash)
	if err != nil {
		t.Fatal(err)
	}
	secret := auth.NewToken(auth.PrefixAPIToken)
	if _, err := m.Store.Org(orgID).CreateAPIToken(ctx, assay.SystemActor, assay.APIToken{UserID: u.ID, Name: "test", Prefix: secret[:14]}, auth.HashToken(secret)); err != nil {
		t.Fatal(err)
	}
	return secret
}

// call makes an API request and decodes the JSON answer into out (if not nil).
func (m *testMain) call(t *testing.T, token, method, path, body string, out any) int {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, m.URL()+path, rd)
	if raw, ok := strings.CutPrefix(token, "RAW:"); ok {
		req.Header.Set("Authorization", raw)
	} else if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: status %d, body is not JSON: %v\n%s", method, path, resp.StatusCode, err, b)
		}
	}
	return resp.StatusCode
}

type apiErr struct {
	Error struct{ Code, Message, Field string } `json:"error"`
}

func newBrowserClient(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, false)
	var body map[string]string
	if code := m.call(t, "", "GET", "/healthz", "", &body); code != 200 || body["status"] != "ok" {
		t.Fatalf("healthz: %d %v", code, body)
	}
	// A database that no longer answers makes it 503.
	m.Store.Close()
	if code := m.call(t, "", "GET", "/healthz", "", &body); code != 503 {
		t.Fatalf("healthz with a closed database: %d, want 503", code)
	}
	m.Store = nil // already closed
}
