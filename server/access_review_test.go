package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// apiCall sends a JSON (or other) body with the session's CSRF header.
func (s *site) apiCall(method, path, contentType, body string) (int, string) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("X-CSRF-Token", s.csrf())
	resp, err := s.client.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var accountRowRE = regexp.MustCompile(`action="(/access-reviews/\d+/accounts/(\d+)/decide)"`)

func TestAccessReviewPages(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf()
	code, body, loc := s.post("/access-reviews", url.Values{"csrf": {csrf}, "name": {"2026 Q1 review"}, "period": {"2026 Q1"},
		"due_date": {"2026-03-20"}, "systems": {"Okta = sam@example.com\nBilling DB"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/access-reviews/") {
		t.Fatalf("create campaign: %d %q\n%s", code, loc, body)
	}
	path := strings.Split(loc, "?")[0]
	// An unknown owner is refused and the form is kept.
	code, body, _ = s.post("/access-reviews", url.Values{"csrf": {csrf}, "name": {"Other"}, "period": {"Q1"}, "due_date": {"2026-03-20"}, "systems": {"X = nobody@example.com"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "nobody@example.com") || !strings.Contains(body, `value="Other"`) {
		t.Errorf("bad owner: %d\n%s", code, body)
	}

	// A CSV with a bad line loads nothing and names the line.
	code, body, _ = s.upload(path+"/load", part{"csrf", csrf, ""}, part{"from", "accounts_csv", ""},
		part{"file", "system,account,email,role\nOkta,alice,alice@example.com,admin\nNowhere,bob,bob@example.com,\n", "accounts.csv"})
	if code != http.StatusBadRequest || !strings.Contains(body, "Row 1") || !strings.Contains(body, "Nowhere") {
		t.Errorf("bad system: %d\n%s", code, body)
	}
	code, body, _ = s.post(path+"/load", url.Values{"csrf": {csrf}, "from": {"accounts_csv"}, "csv": {"system,account,email\nOkta,alice,alice@example.com\nOkta,,x@example.com\n"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "Line 3") {
		t.Errorf("bad line: %d\n%s", code, body)
	}
	if _, body := s.get(path); !strings.Contains(body, "No accounts loaded yet") {
		t.Error("a failed load stored accounts")
	}
	code, body, _ = s.post(path+"/load", url.Values{"csrf": {csrf}, "from": {"accounts_csv"},
		"csv": {"system,account,email,role\nOkta,alice,alice@example.com,admin\nOkta,ghost,ghost@example.com,read\nBilling DB,svc_report,,read-only\n"}})
	if code != http.StatusSeeOther {
		t.Fatalf("load: %d\n%s", code, body)
	}
	// The roster export loads too (the roster collector's columns).
	code, body, _ = s.post(path+"/load", url.Values{"csrf": {csrf}, "from": {"roster_csv"}, "system": {"Okta"},
		"csv": {"Username,Email,MFA,Admin,Status,Departed\ncarol,carol@example.com,yes,no,active,yes\n"}})
	if code != http.StatusSeeOther {
		t.Fatalf("load roster: %d\n%s", code, body)
	}
	code, body = s.get(path)
	for _, w := range []string{"alice", "ghost", "svc_report", "carol", "Departed", "No person", "Load accounts", "Complete campaign"} {
		if !strings.Contains(body, w) {
			t.Errorf("campaign page lacks %q", w)
		}
	}
	checkCSP(t, path, body)
	checkA11y(t, path, body)
	forms := accountRowRE.FindAllStringSubmatch(body, -1)
	if len(forms) != 4 {
		t.Fatalf("decide forms = %d\n%s", len(forms), body)
	}
	// Revoking needs a reason.
	code, body, _ = s.post(forms[0][1], url.Values{"csrf": {csrf}, "decision": {"revoke"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "reason") {
		t.Errorf("revoke without reason: %d\n%s", code, body)
	}
	for i, f := range forms {
		d := url.Values{"csrf": {csrf}, "decision": {"keep"}}
		if i == 1 {
			d = url.Values{"csrf": {csrf}, "decision": {"revoke"}, "reason": {"Left in January."}}
		}
		if code, body, _ := s.post(f[1], d); code != http.StatusSeeOther {
			t.Fatalf("decide %s: %d\n%s", f[1], code, body)
		}
	}
	if code, body, _ := s.post(path+"/complete", url.Values{"csrf": {csrf}}); code != http.StatusSeeOther {
		t.Fatalf("complete: %d\n%s", code, body)
	}
	pages := []struct {
		path  string
		wants []string
	}{
		{path, []string{"Completed", "Evidence ", "Left in January.", "Corrective action "}},
		{"/access-reviews", []string{"2026 Q1 review", "4 of 4", "1 revoked"}},
		{"/corrective-actions", []string{`href="` + path + `">Access review `}},
		{"/upcoming", []string{"Next quarterly access review", "Calendar feed"}},
	}
	for _, p := range pages {
		code, body := s.get(p.path)
		if code != http.StatusOK {
			t.Errorf("GET %s: %d\n%s", p.path, code, body)
			continue
		}
		for _, w := range p.wants {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s lacks %q", p.path, w)
			}
		}
		checkCSP(t, p.path, body)
		checkA11y(t, p.path, body)
	}
	code, body = s.get("/api/v1/access-reviews/" + strings.TrimPrefix(path, "/access-reviews/") + "/export.csv")
	if code != http.StatusOK || !strings.Contains(body, "Left in January.") || strings.Count(body, "\n") != 5 {
		t.Errorf("export: %d\n%s", code, body)
	}
	// Readiness sees the completed campaign: CC6.2 is no longer held back by it.
	code, body = s.get("/api/v1/readiness")
	if code != http.StatusOK || strings.Contains(body, "no access review campaign") {
		t.Errorf("readiness still reports no campaign: %d", code)
	}
}

func TestAccessReviewAPI(t *testing.T) {
	s := newSite(t)
	code, body := s.apiCall("POST", "/api/v1/access-reviews", "application/json",
		`{"name":"API review","period":"2026 Q1","due_date":"2026-03-31T00:00:00Z","systems":[{"name":"GitHub","owner_id":`+itoa(s.member.ID)+`}]}`)
	if code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	var rv assay.AccessReview
	_ = json.Unmarshal([]byte(body), &rv)
	base := "/api/v1/access-reviews/" + itoa(rv.ID)
	code, body = s.apiCall("POST", base+"/accounts?system=GitHub", "text/csv", "account,email\nocto,octo@example.com\nhubot,\n")
	if code != http.StatusOK || !strings.Contains(body, `"added": 2`) {
		t.Fatalf("load csv: %d %s", code, body)
	}
	code, body = s.apiCall("POST", base+"/accounts", "application/json", `{"from":"source","source_id":999}`)
	if code != http.StatusBadRequest || !strings.Contains(body, "No monitoring source 999") {
		t.Errorf("unknown source: %d %s", code, body)
	}
	code, body = s.get(base + "/accounts")
	var list struct {
		Accounts []assay.AccessAccount `json:"accounts"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Accounts) != 2 {
		t.Fatalf("accounts: %d %s", code, body)
	}
	code, body = s.apiCall("POST", base+"/complete", "", "")
	if code != http.StatusConflict {
		t.Errorf("complete early: %d %s", code, body)
	}
	for _, a := range list.Accounts {
		code, body = s.apiCall("POST", base+"/accounts/"+itoa(a.ID)+"/decision", "application/json", `{"decision":"change","reason":"Drop admin."}`)
		if code != http.StatusOK || !strings.Contains(body, `"corrective_id"`) {
			t.Fatalf("decide: %d %s", code, body)
		}
	}
	code, body = s.apiCall("POST", base+"/complete", "", "")
	if code != http.StatusOK || !strings.Contains(body, `"status": "completed"`) || !strings.Contains(body, `"evidence_id"`) {
		t.Fatalf("complete: %d %s", code, body)
	}
	code, body = s.get("/api/v1/upcoming?days=120")
	if code != http.StatusOK || !strings.Contains(body, "Next quarterly access review") {
		t.Errorf("upcoming: %d %s", code, body)
	}
	if code, _ := s.get("/api/v1/upcoming?days=0"); code != http.StatusBadRequest {
		t.Errorf("days=0: %d", code)
	}
}

// TestAccessReviewMemberReviewer signs in as a system owner (a member):
// they may decide their own system's accounts only, and cannot run the
// campaign.
func TestAccessReviewMemberReviewer(t *testing.T) {
	s := newSite(t)
	code, body := s.apiCall("POST", "/api/v1/access-reviews", "application/json",
		`{"name":"Owners","period":"2026 Q1","due_date":"2026-03-31T00:00:00Z","systems":[{"name":"GitHub","owner_id":`+itoa(s.member.ID)+`},{"name":"AWS"}]}`)
	if code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	var rv assay.AccessReview
	_ = json.Unmarshal([]byte(body), &rv)
	base := "/api/v1/access-reviews/" + itoa(rv.ID)
	if code, body := s.apiCall("POST", base+"/accounts", "text/csv", "system,account\nGitHub,octo\nAWS,root\n"); code != http.StatusOK {
		t.Fatalf("load: %d %s", code, body)
	}

	m := &site{t: t, srv: s.srv, org: s.org, admin: s.admin, member: s.member}
	jar, _ := cookiejar.New(nil)
	m.client = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if code, body, _ := m.post("/login", url.Values{"email": {"sam@example.com"}, "password": {adminPassword}, "next": {"/"}}); code != http.StatusSeeOther {
		t.Fatalf("member sign in: %d\n%s", code, body)
	}
	path := "/access-reviews/" + itoa(rv.ID)
	code, body = m.get(path)
	forms := accountRowRE.FindAllStringSubmatch(body, -1)
	if code != http.StatusOK || len(forms) != 1 || strings.Contains(body, "Load accounts") || strings.Contains(body, "Complete campaign") {
		t.Fatalf("member page: %d, %d decide forms\n%s", code, len(forms), body)
	}
	csrf := m.csrf()
	if code, body, _ := m.post(forms[0][1], url.Values{"csrf": {csrf}, "decision": {"keep"}}); code != http.StatusSeeOther {
		t.Fatalf("member decides own system: %d\n%s", code, body)
	}
	var accounts struct {
		Accounts []assay.AccessAccount `json:"accounts"`
	}
	_, body = m.get(base + "/accounts")
	_ = json.Unmarshal([]byte(body), &accounts)
	for _, a := range accounts.Accounts {
		if a.System != "AWS" {
			continue
		}
		if code, body, _ := m.post(path+"/accounts/"+itoa(a.ID)+"/decide", url.Values{"csrf": {csrf}, "decision": {"keep"}}); code != http.StatusForbidden {
			t.Errorf("member decides another system: %d\n%s", code, body)
		}
	}
	if code, _, _ := m.post(path+"/complete", url.Values{"csrf": {csrf}}); code != http.StatusForbidden {
		t.Errorf("member completes: %d", code)
	}
	if code, _, _ := m.post("/access-reviews", url.Values{"csrf": {csrf}, "name": {"x"}, "period": {"x"}, "due_date": {"2026-04-01"}}); code != http.StatusForbidden {
		t.Errorf("member opens a campaign: %d", code)
	}
}

// TestOpenAPICoversAccessReviews checks openapi.json describes every
// access review and upcoming API route.
func TestOpenAPICoversAccessReviews(t *testing.T) {
	spec, err := os.ReadFile("../api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(spec, &doc); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("../api/access_review_routes.go")
	if err != nil {
		t.Fatal(err)
	}
	routes := regexp.MustCompile(`s\.api\("(\w+) (/api/v1/[^"]+)"`).FindAllStringSubmatch(string(src), -1)
	if len(routes) < 11 {
		t.Fatalf("found %d routes", len(routes))
	}
	for _, m := range routes {
		if _, ok := doc.Paths[m[2]][strings.ToLower(m[1])]; !ok {
			t.Errorf("openapi.json does not describe %s %s", m[1], m[2])
		}
	}
}

func TestAccessReviewEditForm(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf()
	_, _, loc := s.post("/access-reviews", url.Values{"csrf": {csrf}, "name": {"Edit me"}, "period": {"2026 Q1"}, "due_date": {"2026-03-20"}, "systems": {"Okta"}})
	path := strings.Split(loc, "?")[0]
	code, body := s.get(path)
	if code != http.StatusOK || !strings.Contains(body, `value="Edit me"`) || !strings.Contains(body, `value="2026-03-20"`) {
		t.Fatalf("edit form not prefilled: %d\n%s", code, body)
	}
	code, body, _ = s.post(path, url.Values{"csrf": {csrf}, "name": {"Edited"}, "period": {"2026 Q1"}, "due_date": {"2026-03-27"}, "systems": {"Okta = sam@example.com\nAWS"}})
	if code != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", code, body)
	}
	_, body = s.get(path)
	if !strings.Contains(body, "Okta = sam@example.com") || !strings.Contains(body, "Sam Okafor") || !strings.Contains(body, `value="Edited"`) {
		t.Errorf("edited page:\n%s", body)
	}
	code, body, _ = s.post(path, url.Values{"csrf": {csrf}, "name": {"Kept text"}, "period": {""}, "due_date": {"2026-03-27"}, "systems": {"Okta"}})
	if code != http.StatusBadRequest || !strings.Contains(body, `value="Kept text"`) {
		t.Errorf("bad edit: %d\n%s", code, body)
	}
	checkCSP(t, path, body)
	checkA11y(t, path, body)
}
