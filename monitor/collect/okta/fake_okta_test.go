package okta

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

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
