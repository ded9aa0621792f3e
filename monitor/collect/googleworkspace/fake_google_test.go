package googleworkspace

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fakeGoogle speaks what the collector uses of Google's OAuth 2.0 token
// endpoint (a service account's RS256-signed JWT traded for a bearer
// token, RFC 7523) and the Admin SDK Directory API as Google documents it:
// /admin/directory/v1/users?customer=my_customer paged by pageToken and
// nextPageToken, customer/{id}/roles and roleassignments, and errors as
// {"error":{"code","message","errors":[{"reason"}],"status"}}.
type fakeGoogle struct {
	t        testing.TB
	srv      *httptest.Server
	key      *rsa.PrivateKey
	keyJSON  string
	subject  string
	access   string
	pageSize int

	mu       sync.Mutex
	inject   map[string][]func(http.ResponseWriter)
	requests []string
	badAuth  int
	tokens   int

	users       []map[string]any
	roles       []map[string]any
	assignments []map[string]any
}

var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

func newFakeGoogle(t testing.TB) *fakeGoogle {
	f := &fakeGoogle{t: t, key: testKey(), subject: "it-admin@example.com", access: "ya29.test-access", pageSize: 2, inject: map[string][]func(http.ResponseWriter){}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	der, err := x509.MarshalPKCS8PrivateKey(f.key)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	b, _ := json.Marshal(map[string]string{
		"type": "service_account", "project_id": "assay-test", "private_key_id": "k1", "private_key": keyPEM,
		"client_email": "assay@assay-test.iam.gserviceaccount.com", "client_id": "1001",
		"token_uri": f.srv.URL + "/token",
	})
	f.keyJSON = string(b)
	return f
}

func googleError(code int, reason, message string, headers ...string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"error":{"code":%d,"message":%q,"errors":[{"message":%q,"domain":"global","reason":%q}]}}`, code, message, message, reason)
	}
}

// then queues answers for the next requests to path.
func (f *fakeGoogle) then(path string, answers ...func(http.ResponseWriter)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inject[path] = append(f.inject[path], answers...)
}

func (f *fakeGoogle) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.RequestURI())
	if r.URL.Path == "/token" {
		f.tokens++
		f.mu.Unlock()
		f.token(w, r)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.access {
		f.badAuth++
		f.mu.Unlock()
		googleError(http.StatusUnauthorized, "authError", "Invalid Credentials")(w)
		return
	}
	if q := f.inject[r.URL.Path]; len(q) > 0 {
		f.inject[r.URL.Path] = q[1:]
		f.mu.Unlock()
		q[0](w)
		return
	}
	f.mu.Unlock()
	switch r.URL.Path {
	case "/admin/directory/v1/users":
		if c := r.URL.Query().Get("customer"); c != "my_customer" {
			googleError(http.StatusBadRequest, "badRequest", "Bad Request: customer "+c)(w)
			return
		}
		if m := r.URL.Query().Get("maxResults"); m != "500" {
			f.t.Errorf("maxResults=%s, want 500", m)
		}
		f.paged(w, r, "admin#directory#users", "users", f.users)
	case "/admin/directory/v1/customer/my_customer/roles":
		f.paged(w, r, "admin#directory#roles", "items", f.roles)
	case "/admin/directory/v1/customer/my_customer/roleassignments":
		f.paged(w, r, "admin#directory#roleAssignments", "items", f.assignments)
	default:
		googleError(http.StatusNotFound, "notFound", "Resource Not Found: "+r.URL.Path)(w)
	}
}

// token checks the JWT bearer grant (RS256 over the service account's key,
// iss, sub, scope and aud) and answers with an access token.
func (f *fakeGoogle) token(w http.ResponseWriter, r *http.Request) {
	fail := func(msg string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"error":"invalid_grant","error_description":%q}`, msg)
	}
	if err := r.ParseForm(); err != nil || r.Method != http.MethodPost || r.PostForm.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		fail("Invalid grant_type")
		return
	}
	parts := strings.Split(r.PostForm.Get("assertion"), ".")
	if len(parts) != 3 {
		fail("Invalid JWT")
		return
	}
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(&f.key.PublicKey, crypto.SHA256, sum[:], sig) != nil {
		fail("Invalid JWT Signature.")
		return
	}
	body, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims struct{ Iss, Sub, Scope, Aud string }
	_ = json.Unmarshal(body, &claims)
	if claims.Sub != f.subject {
		fail("Invalid email or User ID")
		return
	}
	for _, s := range Scopes {
		if !strings.Contains(claims.Scope, s) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"unauthorized_client","error_description":"Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested."}`)
			return
		}
	}
	if claims.Iss != "assay@assay-test.iam.gserviceaccount.com" || claims.Aud != f.srv.URL+"/token" {
		fail("Invalid JWT: iss or aud")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"access_token":%q,"expires_in":3599,"token_type":"Bearer"}`, f.access)
}

// paged serves pageSize items at the offset an opaque pageToken names,
// with nextPageToken while more remain.
func (f *fakeGoogle) paged(w http.ResponseWriter, r *http.Request, kind, field string, items []map[string]any) {
	from := 0
	if tok := r.URL.Query().Get("pageToken"); tok != "" {
		b, err := base64.RawURLEncoding.DecodeString(tok)
		n, err2 := strconv.Atoi(strings.TrimPrefix(string(b), "offset:"))
		if err != nil || err2 != nil {
			googleError(http.StatusBadRequest, "invalid", "Invalid Input: pageToken")(w)
			return
		}
		from = n
	}
	to := min(from+f.pageSize, len(items))
	page := map[string]any{"kind": kind, "etag": `"e1"`, field: items[from:to]}
	if to < len(items) {
		page["nextPageToken"] = base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(to)))
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	if err := json.NewEncoder(w).Encode(page); err != nil {
		f.t.Error(err)
	}
}

func (f *fakeGoogle) count(prefix string) int {
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

// example is a small account: an enrolled super admin, a user without
// 2-Step Verification, a dormant user, one who never signed in, a
// suspended delegated admin, a user repeated across pages, and three roles.
func example(t testing.TB) *fakeGoogle {
	f := newFakeGoogle(t)
	u := func(id, email string, admin, delegated, suspended, enrolled, enforced bool, last, created string) map[string]any {
		return map[string]any{"kind": "admin#directory#user", "id": id, "primaryEmail": email, "isAdmin": admin, "isDelegatedAdmin": delegated,
			"suspended": suspended, "archived": false, "isEnrolledIn2Sv": enrolled, "isEnforcedIn2Sv": enforced,
			"lastLoginTime": last, "creationTime": created, "name": map[string]any{"fullName": email}, "orgUnitPath": "/"}
	}
	f.users = []map[string]any{
		u("101", "Alice@example.com", true, false, false, true, true, "2026-12-06T09:00:00.000Z", "2020-01-01T00:00:00.000Z"),
		u("102", "bob@example.com", false, false, false, false, false, "2026-12-01T09:00:00.000Z", "2021-01-01T00:00:00.000Z"),
		u("103", "dan@example.com", false, false, false, true, true, "2026-06-01T09:00:00.000Z", "2021-01-01T00:00:00.000Z"),
		u("104", "new@example.com", false, false, false, false, false, "1970-01-01T00:00:00.000Z", "2026-10-28T00:00:00.000Z"),
		u("105", "eve@example.com", false, true, true, true, true, "2026-11-01T09:00:00.000Z", "2021-01-01T00:00:00.000Z"),
		u("105", "eve@example.com", false, true, true, true, true, "2026-11-01T09:00:00.000Z", "2021-01-01T00:00:00.000Z"),
		u("106", "root@example.com", true, false, false, false, false, "2026-12-07T08:00:00.000Z", "2019-01-01T00:00:00.000Z"),
	}
	role := func(id, name string, super bool) map[string]any {
		return map[string]any{"kind": "admin#directory#role", "roleId": id, "roleName": name, "isSystemRole": true, "isSuperAdminRole": super}
	}
	f.roles = []map[string]any{role("9001", "_SEED_ADMIN_ROLE", true), role("9002", "_HELP_DESK_ADMIN_ROLE", false), role("9003", "_GROUPS_ADMIN_ROLE", false)}
	ra := func(id, role, user string) map[string]any {
		return map[string]any{"kind": "admin#directory#roleAssignment", "roleAssignmentId": id, "roleId": role, "assignedTo": user, "assigneeType": "user", "scopeType": "CUSTOMER"}
	}
	f.assignments = []map[string]any{ra("1", "9001", "101"), ra("2", "9001", "106"), ra("3", "9002", "105"),
		{"kind": "admin#directory#roleAssignment", "roleAssignmentId": "4", "roleId": "9003", "assignedTo": "g1", "assigneeType": "group", "scopeType": "CUSTOMER"}}
	return f
}
