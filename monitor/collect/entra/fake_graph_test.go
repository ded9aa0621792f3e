package entra

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fakeGraph speaks what the collector uses of the Microsoft identity
// platform's token endpoint (client credentials, form-encoded, errors as
// {"error","error_description":"AADSTS..."}) and of Microsoft Graph v1.0 as
// Microsoft documents them: collections as {"value":[...]} continued by an
// absolute @odata.nextLink with a $skiptoken, 429 with Retry-After, and
// errors as {"error":{"code","message","innerError"}}.
type fakeGraph struct {
	t        testing.TB
	srv      *httptest.Server
	secret   string
	access   string
	pageSize int

	mu       sync.Mutex
	inject   map[string][]func(http.ResponseWriter)
	requests []string
	badAuth  int
	nextHost string

	users   []map[string]any
	regs    []map[string]any
	roles   []map[string]any
	members map[string][]map[string]any
}

func graphFail(code int, errCode, message string, headers ...string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"error":{"code":%q,"message":%q,"innerError":{"date":"2026-12-07T12:00:00","request-id":"r1","client-request-id":"c1"}}}`, errCode, message)
	}
}

func (f *fakeGraph) then(path string, answers ...func(http.ResponseWriter)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inject[path] = append(f.inject[path], answers...)
}

func (f *fakeGraph) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.RequestURI())
	if r.URL.Path == "/tenant-1/oauth2/v2.0/token" {
		f.mu.Unlock()
		f.token(w, r)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.access {
		f.badAuth++
		f.mu.Unlock()
		graphFail(http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty.")(w)
		return
	}
	if q := f.inject[r.URL.Path]; len(q) > 0 {
		f.inject[r.URL.Path] = q[1:]
		f.mu.Unlock()
		q[0](w)
		return
	}
	f.mu.Unlock()
	p := r.URL.Path
	switch {
	case p == "/v1.0/users":
		if !strings.Contains(r.URL.Query().Get("$select"), "signInActivity") {
			f.t.Errorf("users asked without signInActivity: %s", r.URL.RawQuery)
		}
		f.paged(w, r, f.users)
	case p == "/v1.0/reports/authenticationMethods/userRegistrationDetails":
		f.paged(w, r, f.regs)
	case p == "/v1.0/directoryRoles":
		f.paged(w, r, f.roles)
	case strings.HasPrefix(p, "/v1.0/directoryRoles/") && strings.HasSuffix(p, "/members"):
		m := f.members[strings.Split(p, "/")[3]]
		if m == nil {
			m = []map[string]any{}
		}
		f.paged(w, r, m)
	default:
		graphFail(http.StatusNotFound, "Request_ResourceNotFound", "Resource '"+p+"' does not exist.")(w)
	}
}

func (f *fakeGraph) token(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" || r.PostForm.Get("scope") != f.srv.URL+"/.default" {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error":"invalid_request","error_description":"AADSTS900144: The request body must contain the following parameter: 'grant_type'.","error_codes":[900144]}`)
		return
	}
	if r.PostForm.Get("client_id") != "app-1" || r.PostForm.Get("client_secret") != f.secret {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.\r\nTrace ID: t1","error_codes":[7000215]}`)
		return
	}
	fmt.Fprintf(w, `{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":%q}`, f.access)
}

// paged serves pageSize items with an absolute @odata.nextLink carrying an
// opaque $skiptoken while more remain.
func (f *fakeGraph) paged(w http.ResponseWriter, r *http.Request, items []map[string]any) {
	from := 0
	if tok := r.URL.Query().Get("$skiptoken"); tok != "" {
		b, _ := base64.RawURLEncoding.DecodeString(tok)
		n, err := strconv.Atoi(string(b))
		if err != nil {
			graphFail(http.StatusBadRequest, "Directory_ExpiredPageToken", "The specified page token value has expired.")(w)
			return
		}
		from = n
	}
	to := min(from+f.pageSize, len(items))
	page := map[string]any{"@odata.context": f.srv.URL + "/v1.0/$metadata#collection", "value": items[from:to]}
	if to < len(items) {
		u := *r.URL
		q := u.Query()
		q.Set("$skiptoken", base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(to))))
		u.RawQuery = q.Encode()
		host := f.srv.URL
		if f.nextHost != "" {
			host = f.nextHost
		}
		page["@odata.nextLink"] = host + u.RequestURI()
	}
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	if err := json.NewEncoder(w).Encode(page); err != nil {
		f.t.Error(err)
	}
}

func (f *fakeGraph) count(prefix string) int {
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

// example is a small tenant: a registered Global Administrator, a user
// without MFA, a dormant user, one who never signed in, a disabled user
// still holding a role, a guest with a role, a user repeated across pages,
// and two activated roles (one of them held by a service principal too).
func example(t testing.TB) *fakeGraph {
	f := &fakeGraph{t: t, secret: "s3cr3t~value", access: "eyJ0eXAi.test", pageSize: 2, inject: map[string][]func(http.ResponseWriter){}, members: map[string][]map[string]any{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	u := func(id, upn string, enabled bool, typ, created string, last any) map[string]any {
		m := map[string]any{"id": id, "userPrincipalName": upn, "mail": upn, "displayName": upn, "accountEnabled": enabled, "userType": typ, "createdDateTime": created}
		if last != nil {
			m["signInActivity"] = map[string]any{"lastSignInDateTime": last, "lastNonInteractiveSignInDateTime": last, "lastSignInRequestId": "x"}
		} else {
			m["signInActivity"] = nil
		}
		return m
	}
	f.users = []map[string]any{
		u("u1", "Ada@contoso.com", true, "Member", "2020-01-01T00:00:00Z", "2026-12-06T09:00:00Z"),
		u("u2", "bo@contoso.com", true, "Member", "2021-01-01T00:00:00Z", "2026-12-01T09:00:00Z"),
		u("u3", "dormant@contoso.com", true, "Member", "2021-01-01T00:00:00Z", "2026-05-01T09:00:00Z"),
		u("u4", "new@contoso.com", true, "Member", "2026-10-28T00:00:00Z", nil),
		u("u5", "gone@contoso.com", false, "Member", "2021-01-01T00:00:00Z", "2026-09-01T09:00:00Z"),
		u("u5", "gone@contoso.com", false, "Member", "2021-01-01T00:00:00Z", "2026-09-01T09:00:00Z"),
		u("u6", "vendor_fabrikam.com#EXT#@contoso.onmicrosoft.com", true, "Guest", "2025-01-01T00:00:00Z", "2026-12-02T09:00:00Z"),
	}
	reg := func(id string, registered, capable bool, methods ...string) map[string]any {
		return map[string]any{"id": id, "userPrincipalName": id, "isAdmin": false, "isMfaRegistered": registered, "isMfaCapable": capable,
			"isPasswordlessCapable": false, "isSsprRegistered": false, "methodsRegistered": methods, "userType": "member"}
	}
	f.regs = []map[string]any{reg("u1", true, true, "microsoftAuthenticatorPush", "fido2"), reg("u2", false, false), reg("u3", true, true, "mobilePhone"),
		reg("u5", true, true, "softwareOneTimePasscode"), reg("u6", false, false)}
	f.roles = []map[string]any{
		{"id": "r-ga", "displayName": "Global Administrator", "roleTemplateId": globalAdminTemplate, "description": "Can manage all aspects."},
		{"id": "r-ua", "displayName": "User Administrator", "roleTemplateId": "fe930be7-5e62-47db-91af-98c3a49a38b1"},
	}
	m := func(typ, id string) map[string]any { return map[string]any{"@odata.type": typ, "id": id} }
	f.members["r-ga"] = []map[string]any{m("#microsoft.graph.user", "u1"), m("#microsoft.graph.servicePrincipal", "sp1")}
	f.members["r-ua"] = []map[string]any{m("#microsoft.graph.user", "u5"), m("#microsoft.graph.user", "u6")}
	return f
}
