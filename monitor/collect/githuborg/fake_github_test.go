package githuborg

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

// fakeGitHub speaks the parts of GitHub's REST API the collector reads, as
// GitHub documents them: bearer tokens, page-numbered Link pagination for
// lists, cursor (after=) pagination for the alert lists, 404 "Branch not
// protected", rate limits as 429 or 403 with Retry-After or
// X-RateLimit-Remaining: 0 and X-RateLimit-Reset.
type fakeGitHub struct {
	t        *testing.T
	srv      *httptest.Server
	token    string
	pageSize int
	now      time.Time

	mu       sync.Mutex
	inject   map[string][]func(w http.ResponseWriter) // path -> answers given before the real one
	always   map[string]func(w http.ResponseWriter)   // path (with query) -> answer every time
	requests []string
	badAuth  int

	twoFactorRequired bool
	members           []string
	owners            []string
	no2fa             []string
	outside           []string
	repos             []map[string]any
	protection        map[string]map[string]any // repo -> protection; absent: 404
	dependabot        []map[string]any
	secretAlerts      []map[string]any
}

func newFakeGitHub(t *testing.T, now time.Time) *fakeGitHub {
	f := &fakeGitHub{t: t, token: "ghp_testtoken123", pageSize: 2, now: now,
		inject: map[string][]func(http.ResponseWriter){}, always: map[string]func(http.ResponseWriter){}, protection: map[string]map[string]any{}}
	// GitHub Enterprise Server's API is under /api/v3, where an api_url of
	// the server alone leads.
	f.srv = httptest.NewServer(http.StripPrefix("/api/v3", http.HandlerFunc(f.serve)))
	t.Cleanup(f.srv.Close)
	return f
}

// then queues answers for path before the real one.
func (f *fakeGitHub) then(path string, answers ...func(http.ResponseWriter)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inject[path] = append(f.inject[path], answers...)
}

func status(code int, headers map[string]string, message string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"message":%q,"documentation_url":"https://docs.github.com/rest"}`, message)
	}
}

func (f *fakeGitHub) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.RequestURI())
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		f.badAuth++
		f.mu.Unlock()
		status(http.StatusUnauthorized, nil, "Bad credentials")(w)
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
	w.Header().Set("X-RateLimit-Limit", "5000")
	w.Header().Set("X-RateLimit-Remaining", "4999")
	q := r.URL.Query()
	org := "/orgs/acme"
	switch p := r.URL.Path; {
	case p == org:
		f.json(w, map[string]any{"login": "acme", "id": 1, "two_factor_requirement_enabled": f.twoFactorRequired})
	case p == org+"/members":
		list := f.members
		switch {
		case q.Get("filter") == "2fa_disabled":
			list = intersect(f.members, f.no2fa)
		case q.Get("role") == "admin":
			list = f.owners
		}
		f.paged(w, r, users(list))
	case p == org+"/outside_collaborators":
		list := f.outside
		if q.Get("filter") == "2fa_disabled" {
			list = intersect(f.outside, f.no2fa)
		}
		f.paged(w, r, users(list))
	case p == org+"/repos":
		f.paged(w, r, f.repos)
	case p == org+"/dependabot/alerts":
		f.cursor(w, r, f.dependabot)
	case p == org+"/secret-scanning/alerts":
		f.cursor(w, r, f.secretAlerts)
	case strings.HasPrefix(p, "/repos/acme/") && strings.HasSuffix(p, "/protection"):
		parts := strings.Split(p, "/") // "", repos, acme, NAME, branches, BRANCH, protection
		prot, ok := f.protection[parts[3]]
		if !ok {
			status(http.StatusNotFound, nil, "Branch not protected")(w)
			return
		}
		f.json(w, prot)
	default:
		status(http.StatusNotFound, nil, "Not Found")(w)
	}
}

func (f *fakeGitHub) json(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		f.t.Error(err)
	}
}

// paged serves items pageSize at a time (GitHub may serve fewer than
// per_page) with rel="next" and rel="last" links.
func (f *fakeGitHub) paged(w http.ResponseWriter, r *http.Request, items []map[string]any) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if page < 1 {
		page = 1
	}
	last := (len(items) + f.pageSize - 1) / f.pageSize
	from := min((page-1)*f.pageSize, len(items))
	to := min(from+f.pageSize, len(items))
	link := func(n int) string {
		u := *r.URL
		v := u.Query()
		v.Set("page", strconv.Itoa(n))
		u.RawQuery = v.Encode()
		return f.srv.URL + "/api/v3" + u.RequestURI()
	}
	var links []string
	if page < last {
		links = append(links, fmt.Sprintf(`<%s>; rel="next"`, link(page+1)), fmt.Sprintf(`<%s>; rel="last"`, link(last)))
	}
	if page > 1 {
		links = append(links, fmt.Sprintf(`<%s>; rel="prev"`, link(page-1)), fmt.Sprintf(`<%s>; rel="first"`, link(1)))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	f.json(w, items[from:to])
}

// cursor serves items with after= cursors, as the alert lists do.
func (f *fakeGitHub) cursor(w http.ResponseWriter, r *http.Request, items []map[string]any) {
	from := 0
	if a := r.URL.Query().Get("after"); a != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(a, "cur"))
		if err != nil {
			status(http.StatusBadRequest, nil, "bad cursor")(w)
			return
		}
		from = n
	}
	to := min(from+f.pageSize, len(items))
	if to < len(items) {
		u := *r.URL
		v := u.Query()
		v.Set("after", "cur"+strconv.Itoa(to))
		u.RawQuery = v.Encode()
		w.Header().Set("Link", fmt.Sprintf(`<%s/api/v3%s>; rel="next"`, f.srv.URL, u.RequestURI()))
	}
	f.json(w, items[from:to])
}

func users(logins []string) []map[string]any {
	out := []map[string]any{}
	for i, l := range logins {
		out = append(out, map[string]any{"login": l, "id": i + 1, "type": "User", "site_admin": false})
	}
	return out
}

func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		for _, y := range b {
			if x == y {
				out = append(out, x)
			}
		}
	}
	return out
}

func (f *fakeGitHub) count(prefix string) int {
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
