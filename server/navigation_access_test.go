package server

import (
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"
)

var (
	objectLinkRE  = regexp.MustCompile(`^(/[a-z-]+/)[^/?]+`)
	navLinkRE     = regexp.MustCompile(`<a class="nav-item" href="([^"]+)"`)
	errorButtonRE = regexp.MustCompile(`<a class="btn[^"]*" href="([^"]+)"`)
)

// TestNavigationLeadsOnlyWherePeopleMayGo: for every role, each sidebar
// link and each button of the error page opens a page (200), so nothing on
// the way answers 403 or 404; the engagement auditor lands on their
// engagement, and their sidebar holds only the engagement's areas.
func TestNavigationLeadsOnlyWherePeopleMayGo(t *testing.T) {
	s := newAccessSite(t)
	engagement := "/audits/" + itoa(s.audit.ID)
	landing := map[string]string{"admin": "/", "member": "/", "auditor": "/", "viewer": "/", "employee": "/portal", "engagement": engagement}
	for role, home := range landing {
		got := s.do(role, http.MethodGet, "/")
		if home != "/" && (got.status != http.StatusSeeOther || got.location != home) {
			t.Errorf("%s opens /: %d %q, want to land on %s", role, got.status, got.location, home)
		}
		page := s.do(role, http.MethodGet, home)
		if page.status != http.StatusOK {
			t.Fatalf("%s's landing page %s: %d", role, home, page.status)
		}
		links := navLinkRE.FindAllStringSubmatch(page.body, -1)
		if len(links) == 0 {
			t.Errorf("%s has no sidebar", role)
		}
		for _, m := range links {
			if got := s.do(role, http.MethodGet, m[1]); got.status != http.StatusOK {
				t.Errorf("%s's sidebar link %s: %d", role, m[1], got.status)
			}
		}
		// A page they may not open, and the error page's way back.
		refused := s.do(role, http.MethodGet, "/settings/users")
		if role == "admin" {
			continue
		}
		if refused.status != http.StatusForbidden && refused.status != http.StatusNotFound {
			t.Errorf("%s opens /settings/users: %d", role, refused.status)
		}
		buttons := errorButtonRE.FindAllStringSubmatch(refused.body[strings.Index(refused.body, "error-panel"):], -1)
		if len(buttons) == 0 {
			t.Errorf("%s's error page offers no way back", role)
		}
		for _, m := range buttons {
			got := s.do(role, http.MethodGet, m[1])
			if got.status == http.StatusSeeOther {
				got = s.do(role, http.MethodGet, got.location)
			}
			if got.status != http.StatusOK {
				t.Errorf("%s's error page button %s: %d", role, m[1], got.status)
			}
		}
	}
	// The engagement auditor's sidebar: the engagement and its areas only.
	page := s.do("engagement", http.MethodGet, engagement)
	var hrefs []string
	for _, m := range navLinkRE.FindAllStringSubmatch(page.body, -1) {
		hrefs = append(hrefs, m[1])
	}
	if want := engagement + " /controls /evidence /criteria /activity"; !sameSet(hrefs, strings.Fields(want)) {
		t.Errorf("the engagement auditor's sidebar: %v, want %s", hrefs, want)
	}
	// Every link on the engagement auditor's pages opens.
	hrefRE := regexp.MustCompile(`href="(/[^"#]*)`)
	seen, families := map[string]bool{}, map[string]int{}
	for _, from := range []string{engagement, "/controls/" + s.inCtl, "/evidence", "/activity", "/evidence-requests/" + itoa(s.inReq),
		"/criteria", "/criteria/" + s.audit.Scope.Criteria[0], "/controls", "/audits"} {
		page := s.do("engagement", http.MethodGet, from)
		if page.status != http.StatusOK {
			t.Fatalf("engagement auditor GET %s: %d", from, page.status)
		}
		for _, m := range hrefRE.FindAllStringSubmatch(page.body, -1) {
			link := strings.ReplaceAll(m[1], "&amp;", "&")
			// Two links of each kind (/controls/X, /evidence/N...) are
			// enough to follow; the object test covers in and out.
			family := link
			if !strings.HasPrefix(link, "/api/") {
				family = objectLinkRE.ReplaceAllString(link, "$1")
			}
			if seen[link] || strings.HasPrefix(link, "/static/") || families[family] >= 2 {
				continue
			}
			seen[link] = true
			families[family]++
			got := s.do("engagement", http.MethodGet, link)
			if got.status != http.StatusOK && !(got.status == http.StatusConflict && strings.Contains(link, "evidence-bundle")) {
				t.Errorf("engagement auditor: the link %s on %s answers %d", link, from, got.status)
			}
		}
	}
	if len(seen) < 10 {
		t.Errorf("the engagement auditor's pages hold %d links", len(seen))
	}
	// No figure of today's readiness: it is not the engagement's.
	if page := s.do("engagement", http.MethodGet, "/criteria"); strings.Contains(page.body, "in-scope criteria met") || strings.Contains(page.body, "Not met") {
		t.Errorf("the engagement auditor's criteria page judges today's readiness")
	}

	// Signing in through the form leads the engagement auditor to the engagement.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(s.hs.URL+"/login", map[string][]string{"email": {"ann@audit.example"}, "password": {adminPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("engagement auditor signs in: %d", resp.StatusCode)
	}
	next := resp.Header.Get("Location")
	for range 3 {
		if next == engagement {
			break
		}
		r, err := c.Get(s.hs.URL + next)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("after sign-in %s answers %d", next, r.StatusCode)
		}
		next = r.Header.Get("Location")
	}
	if next != engagement {
		t.Errorf("after sign-in the engagement auditor lands on %s, want %s", next, engagement)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]bool{}
	for _, x := range a {
		seen[x] = true
	}
	for _, x := range b {
		if !seen[x] {
			return false
		}
	}
	return true
}
