package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPeoplePages walks the roster, person, training and portal pages as
// an admin: forms add, import, tick and assign; bad input is reported
// with its line number and changes nothing.
func TestPeoplePages(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf()
	code, body, loc := s.post("/people", url.Values{"csrf": {csrf}, "name": {"Ada Lovelace"}, "email": {"ada@example.com"}, "title": {"CTO"},
		"department": {"Engineering"}, "employment_type": {"employee"}, "start_date": {"2025-01-06"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/people/") {
		t.Fatalf("add person: %d %q\n%s", code, loc, body)
	}
	person := strings.Split(loc, "?")[0]
	code, body, _ = s.post("/people", url.Values{"csrf": {csrf}, "name": {"Typo"}, "email": {"typo@example.com"}, "start_date": {"2026-02-30"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "is not a date (YYYY-MM-DD)") || !strings.Contains(body, `value="Typo"`) {
		t.Errorf("bad date: %d\n%s", code, body)
	}
	csv := "name,email,department,start_date,end_date\nBob Stone,bob@example.com,Sales,2024-05-06,2026-02-25\nCy,cy@example.com,Sales,2026-13-01,\n"
	code, body, _ = s.post("/people/import", url.Values{"csrf": {csrf}, "csv": {csv}})
	if code != http.StatusBadRequest || !strings.Contains(body, `line 3, column &#34;start_date&#34;: start_date &#34;2026-13-01&#34; is not a date (YYYY-MM-DD)`) {
		t.Errorf("bad import: %d\n%s", code, body)
	}
	if _, body := s.get("/people"); strings.Contains(body, "Bob Stone") {
		t.Fatal("a failed import added Bob")
	}
	csv = strings.Replace(csv, "2026-13-01", "2026-04-01", 1)
	if code, body, loc := s.post("/people/import", url.Values{"csrf": {csrf}, "csv": {csv}}); code != http.StatusSeeOther || !strings.Contains(loc, "created=2") {
		t.Fatalf("import: %d %q\n%s", code, loc, body)
	}
	if code, body, _ := s.post("/training/courses", url.Values{"csrf": {csrf}, "name": {"Security awareness"}, "link": {"https://learn.example/sec"},
		"renewal_months": {"12"}, "security": {"on"}}); code != http.StatusSeeOther {
		t.Fatalf("add course: %d\n%s", code, body)
	}
	_, body = s.get("/training")
	courseID := regexp.MustCompile(`<option value="(\d+)">Security awareness</option>`).FindStringSubmatch(body)
	if courseID == nil {
		t.Fatalf("no course to assign on /training\n%s", body)
	}
	if code, body, _ := s.post("/training/assignments", url.Values{"csrf": {csrf}, "course_id": {courseID[1]}, "due": {"2026-03-31"}}); code != http.StatusSeeOther {
		t.Fatalf("assign: %d\n%s", code, body)
	}
	code, body, _ = s.post("/training/completions/import", url.Values{"csrf": {csrf}, "csv": {"email,course,completed_at\nada@example.com,Security awareness,2026-02-01\nnobody@example.com,Security awareness,2026-02-01\n"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "line 3") {
		t.Errorf("bad completions: %d\n%s", code, body)
	}
	if code, body, _ := s.post("/training/completions/import", url.Values{"csrf": {csrf}, "csv": {"email,course,completed_at\nada@example.com,Security awareness,2026-02-01\n"}}); code != http.StatusSeeOther {
		t.Fatalf("completions: %d\n%s", code, body)
	}
	// Tick Ada's background check with a note.
	_, body = s.get(person)
	item := regexp.MustCompile(`action="/checklist-items/(\d+)"[^<]*<input type="hidden" name="csrf" value="[^"]+">\s*<input type="hidden" name="done" value="true">\s*<label class="sr-only" for="note-\d+">Note for Background check`).FindStringSubmatch(body)
	if item == nil {
		t.Fatalf("no background check form on the person page\n%s", body)
	}
	if code, body, _ := s.post("/checklist-items/"+item[1], url.Values{"csrf": {csrf}, "done": {"true"}, "note": {"Cleared, ref 42"}}); code != http.StatusSeeOther {
		t.Fatalf("tick: %d\n%s", code, body)
	}

	pages := []struct {
		path  string
		wants []string
	}{
		{"/people", []string{"Ada Lovelace", "Bob Stone", "Cy", "Add a person", "Import the roster", "offboarding item(s) are overdue", `aria-current="page"`}},
		{"/people?status=departed", []string{"Bob Stone"}},
		{"/people?overdue=1", []string{"Bob Stone"}},
		{"/people?department=Engineering&q=ada", []string{"Ada Lovelace"}},
		{person, []string{"Ada Lovelace", "Onboarding", "Background check recorded", "Cleared, ref 42", "by Dana Reyes", "Security awareness", "Completed", "History"}},
		{"/training", []string{"Security awareness", "100%", "Assign a course", "Import completion records"}},
		{"/training?status=overdue", []string{"No assignments match"}},
		{"/", []string{"offboarding item(s) overdue"}},
		{"/portal", []string{"your account is not linked to anyone on the roster"}},
	}
	for _, p := range pages {
		code, body := s.get(p.path)
		if code != http.StatusOK {
			t.Errorf("GET %s: %d", p.path, code)
			continue
		}
		for _, w := range p.wants {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", p.path, w)
			}
		}
		checkCSP(t, p.path, body)
		checkA11y(t, p.path, body)
	}
	if _, body := s.get("/people?status=active"); strings.Contains(body, "Bob Stone") {
		t.Error("the active filter shows a departed person")
	}
	if code, body := s.get("/api/v1/people.csv"); code != 200 || !strings.Contains(body, "bob@example.com") {
		t.Errorf("export: %d %s", code, body)
	}
}

// TestPeoplePagesForAMember: members read the roster but change nothing.
func TestPeoplePagesForAMember(t *testing.T) {
	s := newSite(t)
	code, body, _ := s.post("/logout", url.Values{"csrf": {s.csrf()}})
	if code != http.StatusSeeOther {
		t.Fatalf("sign out: %d %s", code, body)
	}
	if code, _, _ := s.post("/login", url.Values{"email": {"sam@example.com"}, "password": {adminPassword}}); code != http.StatusSeeOther {
		t.Fatalf("member sign in: %d", code)
	}
	code, body = s.get("/people")
	if code != 200 || strings.Contains(body, "Add a person</h2>") || strings.Contains(body, `action="/people/import"`) {
		t.Fatalf("member /people: %d", code)
	}
	csrf := s.csrf()
	for _, path := range []string{"/people", "/people/import", "/training/courses", "/training/assignments", "/checklist-items/1"} {
		if code, _, _ := s.post(path, url.Values{"csrf": {csrf}, "name": {"X"}, "email": {"x@example.com"}}); code != http.StatusForbidden {
			t.Errorf("member POST %s: %d, want 403", path, code)
		}
	}
}

// TestOpenAPICoversPeople checks openapi.json describes every people,
// training and portal API route.
func TestOpenAPICoversPeople(t *testing.T) {
	src, err := os.ReadFile("../api/people_routes.go")
	if err != nil {
		t.Fatal(err)
	}
	spec, err := os.ReadFile("../api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	routes := regexp.MustCompile(`s\.api\("([A-Z]+) (/api/v1/[^"]+)"`).FindAllStringSubmatch(string(src), -1)
	if len(routes) < 10 {
		t.Fatalf("found only %d API routes", len(routes))
	}
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(spec, &doc); err != nil {
		t.Fatal(err)
	}
	for _, m := range routes {
		if doc.Paths[m[2]][strings.ToLower(m[1])] == nil {
			t.Errorf("openapi.json does not describe %s %s", m[1], m[2])
		}
	}
}

// TestEmployeeSeesOnlyThePortal signs in an employee and tries every page
// and API route the server registers (read from the source): each answers
// 403 for the employee's role, except the portal's own and "/", which
// leads to the portal.
func TestEmployeeSeesOnlyThePortal(t *testing.T) {
	s := newSite(t)
	// The admin adds the employee account through the users form.
	if code, body, _ := s.post("/settings/users", url.Values{"csrf": {s.csrf()}, "email": {"ella@example.com"}, "name": {"Ella"},
		"role": {"employee"}, "password": {adminPassword}}); code != http.StatusSeeOther {
		t.Fatalf("add employee: %d\n%s", code, body)
	}
	jar, _ := cookiejar.New(nil)
	s.client = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if code, _, _ := s.post("/login", url.Values{"email": {"ella@example.com"}, "password": {adminPassword}}); code != http.StatusSeeOther {
		t.Fatalf("employee sign in: %d", code)
	}
	if code, body := s.get("/"); code != http.StatusSeeOther || !strings.Contains(body, "/portal") {
		t.Fatalf("/ for an employee: %d", code)
	}
	code, body := s.get("/portal")
	m := csrfRE.FindStringSubmatch(body)
	if code != 200 || m == nil || strings.Contains(body, `href="/controls"`) {
		t.Fatalf("portal: %d\n%s", code, body)
	}
	csrf := m[1]

	web, _ := filepath.Glob("../web/*.go")
	api, _ := filepath.Glob("../api/*.go")
	files := append(web, api...)
	routeRE := regexp.MustCompile(`s\.(page|api)\("([A-Z]+) (/[^"]*)"`)
	paramRE := regexp.MustCompile(`\{[^}]+\}`)
	tried := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, _ := os.ReadFile(f)
		for _, r := range routeRE.FindAllStringSubmatch(string(src), -1) {
			kind, method, path := r[1], r[2], paramRE.ReplaceAllString(strings.TrimSuffix(r[3], "{$}"), "1")
			// The portal and one's own account are the employee's. So are one's reminder e-mail choices and reading their defaults.
			if strings.HasPrefix(path, "/portal") || strings.HasPrefix(path, "/api/v1/portal") || strings.HasPrefix(path, "/account") || path == "/" ||
				strings.HasPrefix(path, "/api/v1/me/digest") || (path == "/api/v1/digest-settings" && method == http.MethodGet) {
				continue
			}
			req, _ := http.NewRequest(method, s.srv.URL+path, nil)
			if method != http.MethodGet {
				if kind == "page" {
					req, _ = http.NewRequest(method, s.srv.URL+path, strings.NewReader(url.Values{"csrf": {csrf}}.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				} else {
					req.Header.Set("X-CSRF-Token", csrf)
				}
			}
			resp, err := s.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			tried++
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(b), "Your role (employee)") {
				t.Errorf("employee %s %s: %d, want 403 for the role", method, path, resp.StatusCode)
			}
			// The way out of a refused page is the employee's own tasks,
			// not the program's pages (which would refuse them too).
			if kind == "page" && method == http.MethodGet && (!strings.Contains(string(b), `href="/portal"`) || strings.Contains(string(b), "Browse controls")) {
				t.Errorf("employee %s %s: the error page does not lead back to the portal", method, path)
			}
		}
	}
	if tried < 50 {
		t.Fatalf("tried only %d routes", tried)
	}
}
