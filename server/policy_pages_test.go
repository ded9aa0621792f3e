package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/assay-platform/assay/api"
)

// polCall sends a request with the session's CSRF header (API and htmx
// calls) and returns status, headers and body.
func (s *site) polCall(method, path, contentType string, body []byte, header ...string) (int, http.Header, string) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := s.client.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func (s *site) polJSON(method, path string, v any) (int, string) {
	s.t.Helper()
	b, _ := json.Marshal(v)
	code, _, body := s.polCall(method, path, "application/json", b, "X-CSRF-Token", s.csrf())
	return code, body
}

// signInAs signs the site's browser out and in again as email.
func (s *site) signInAs(email string) {
	s.t.Helper()
	s.post("/logout", url.Values{"csrf": {s.csrf()}})
	if code, body, _ := s.post("/login", url.Values{"email": {email}, "password": {adminPassword}}); code != http.StatusSeeOther {
		s.t.Fatalf("sign in as %s: %d\n%s", email, code, body)
	}
}

var policyPathRE = regexp.MustCompile(`^/policies/(\d+)`)
var moveRE = regexp.MustCompile(`/policies/\d+/versions/(\d+)/move`)

func TestPolicyPagesLifecycle(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf()
	code, body := s.get("/policies/templates")
	if code != http.StatusOK || !strings.Contains(body, "Acceptable Use Policy") || !strings.Contains(body, "Code of Conduct") {
		t.Fatalf("templates page: %d\n%s", code, body)
	}
	checkCSP(t, "/policies/templates", body)
	checkA11y(t, "/policies/templates", body)

	// Bad input: an unknown template changes nothing.
	code, body, _ = s.post("/policies", url.Values{"csrf": {csrf}, "template_id": {"nope"}, "owner_id": {itoa(s.admin.ID)}})
	if code != http.StatusBadRequest || !strings.Contains(body, "No policy template") {
		t.Fatalf("unknown template: %d\n%s", code, body)
	}
	code, body, loc := s.post("/policies", url.Values{"csrf": {csrf}, "template_id": {"acceptable-use"}, "owner_id": {itoa(s.admin.ID)}, "review_months": {"12"}})
	m := policyPathRE.FindStringSubmatch(loc)
	if code != http.StatusSeeOther || m == nil {
		t.Fatalf("adopt: %d %q\n%s", code, loc, body)
	}
	path := "/policies/" + m[1]
	code, body, _ = s.post("/policies", url.Values{"csrf": {csrf}, "template_id": {"acceptable-use"}, "owner_id": {itoa(s.admin.ID)}})
	if code != http.StatusConflict || !strings.Contains(body, "already adopted") {
		t.Fatalf("adopt twice: %d", code)
	}
	code, body = s.get(path)
	for _, w := range []string{"Northwind Ledger", "Dana Reyes", "every 12 months", "Submit for review", "1.0", "Draft"} {
		if !strings.Contains(body, w) {
			t.Errorf("policy page lacks %q", w)
		}
	}
	if code != http.StatusOK || strings.Contains(body, "{{company}}") {
		t.Fatalf("policy page: %d", code)
	}
	checkCSP(t, path, body)
	checkA11y(t, path, body)

	// The editor: preview without JavaScript (a full page) and with htmx (the block only); raw HTML is dropped.
	code, body = s.get(path + "/edit")
	if code != http.StatusOK || !strings.Contains(body, "Preview") {
		t.Fatalf("edit page: %d", code)
	}
	checkCSP(t, path+"/edit", body)
	checkA11y(t, path+"/edit", body)
	src := "# Acceptable use\n\n1. Lock screens.\n2. Report loss.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2))\n"
	code, body, _ = s.post(path+"/edit", url.Values{"csrf": {csrf}, "action": {"preview"}, "body": {src}})
	_, preview, _ := strings.Cut(body, `id="policy-preview"`)
	if code != http.StatusOK || !strings.Contains(preview, "<li>Lock screens.</li>") || strings.Contains(preview, "<script>alert") || strings.Contains(preview, "javascript:alert") {
		t.Fatalf("preview: %d\n%s", code, body)
	}
	form := url.Values{"csrf": {csrf}, "body": {src}}
	code, _, body = s.polCall("POST", path+"/preview", "application/x-www-form-urlencoded", []byte(form.Encode()), "HX-Request", "true")
	if code != http.StatusOK || !strings.Contains(body, `id="policy-preview"`) || strings.Contains(body, "<html") || !strings.Contains(body, "<h1>Acceptable use</h1>") {
		t.Fatalf("htmx preview: %d\n%s", code, body)
	}
	if code, body, _ := s.post(path+"/edit", url.Values{"csrf": {csrf}, "action": {"save"}, "body": {src + "\nEffective {{effective_date}}.\n"}}); code != http.StatusSeeOther {
		t.Fatalf("save draft: %d\n%s", code, body)
	}
	_, body = s.get(path)
	vid := moveRE.FindStringSubmatch(body)[1]
	move := func(to string) (int, string) {
		code, body, _ := s.post(path+"/versions/"+vid+"/move", url.Values{"csrf": {s.csrf()}, "to": {to}})
		return code, body
	}
	if code, body := move("in_review"); code != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", code, body)
	}
	// The last editor cannot approve.
	if code, body := move("approved"); code != http.StatusForbidden || !strings.Contains(body, "someone else must approve") {
		t.Fatalf("self approval: %d\n%s", code, body)
	}
	// A draft cannot be downloaded.
	if code, _ := s.get(path + "/versions/" + vid + ".pdf"); code != http.StatusConflict {
		t.Errorf("draft pdf: %d", code)
	}
	// A member may read policies but not manage them.
	s.signInAs("sam@example.com")
	if code, _ := s.get(path); code != http.StatusOK {
		t.Errorf("member reads policy: %d", code)
	}
	if code, _ := move("approved"); code != http.StatusForbidden {
		t.Errorf("member approves: %d", code)
	}
	// Sam becomes an admin and approves and publishes.
	s.signInAs(adminEmail)
	if code, body, _ := s.post("/settings/users/"+itoa(s.member.ID), url.Values{"csrf": {s.csrf()}, "role": {"admin"}}); code != http.StatusSeeOther {
		t.Fatalf("promote: %d\n%s", code, body)
	}
	s.signInAs("sam@example.com")
	for _, to := range []string{"approved", "published"} {
		if code, body := move(to); code != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", to, code, body)
		}
	}
	code, hdr, html := s.polCall("GET", path+"/versions/"+vid+".html", "", nil)
	if code != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") || !strings.Contains(hdr.Get("Content-Disposition"), "acceptable-use-policy-v1.0.html") ||
		!strings.Contains(html, "approved by Sam Okafor on 2 March 2026") || !strings.Contains(html, "<h1>Acceptable use</h1>") || !strings.Contains(html, "Effective 2 March 2026") {
		t.Fatalf("html download: %d %v\n%s", code, hdr, html)
	}
	code, hdr, pdf := s.polCall("GET", path+"/versions/"+vid+".pdf", "", nil)
	if code != http.StatusOK || hdr.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF-") || !strings.Contains(pdf, "Acceptable Use Policy") ||
		!strings.Contains(pdf, "Sam Okafor") || !strings.Contains(pdf, "Lock screens.") || len(pdf) < 1500 || !strings.HasSuffix(strings.TrimSpace(pdf), "%%EOF") {
		t.Fatalf("pdf download: %d %v (%d bytes)", code, hdr, len(pdf))
	}
	_, body = s.get(path)
	for _, w := range []string{`/versions/` + vid + `.pdf`, "Record a review without changes", "Sam Okafor, 2 Mar 2026", "0 of 0 people"} {
		if !strings.Contains(body, w) {
			t.Errorf("published policy page lacks %q", w)
		}
	}
	if code, body, _ := s.post(path+"/review", url.Values{"csrf": {s.csrf()}}); code != http.StatusSeeOther {
		t.Errorf("record review: %d\n%s", code, body)
	}
	if code, _ := s.get(path + "/versions/" + vid + ".doc"); code != http.StatusNotFound {
		t.Errorf("unknown download type: %d", code)
	}

	// A new major version, then the diff.
	code, body, _ = s.post(path+"/edit", url.Values{"csrf": {s.csrf()}, "action": {"save"}, "body": {src + "3. Use the VPN.\n"}, "bump": {"major"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "changelog") {
		t.Fatalf("new version without changelog: %d\n%s", code, body)
	}
	code, body, _ = s.post(path+"/edit", url.Values{"csrf": {s.csrf()}, "action": {"save"}, "body": {"# Acceptable use\n\n1. Lock screens.\n3. Use the VPN.\n"}, "bump": {"major"}, "changelog": {"VPN rule."}})
	if code != http.StatusSeeOther {
		t.Fatalf("new version: %d\n%s", code, body)
	}
	code, body = s.get(path + "/diff")
	if code != http.StatusOK || !strings.Contains(body, "+ 3. Use the VPN.") || !strings.Contains(body, "- 2. Report loss.") || !strings.Contains(body, "VPN rule.") {
		t.Fatalf("diff: %d\n%s", code, body)
	}
	checkCSP(t, path+"/diff", body)
	checkA11y(t, path+"/diff", body)
	if code, _ := s.get(path + "/diff?from=999999"); code != http.StatusBadRequest {
		t.Errorf("diff with a foreign version: %d", code)
	}
	code, body = s.get("/policies")
	if code != http.StatusOK || !strings.Contains(body, "Acceptable Use Policy") || !strings.Contains(body, "0 / 0") {
		t.Fatalf("policies list: %d\n%s", code, body)
	}
	checkCSP(t, "/policies", body)
	checkA11y(t, "/policies", body)
}

func TestPolicyPortalAndAPI(t *testing.T) {
	s := newSite(t)
	// Through the API: adopt two templates, one for engineering only.
	code, body := s.polJSON("POST", "/api/v1/policies", map[string]any{"template_id": "code-of-conduct", "owner_id": s.admin.ID})
	if code != http.StatusCreated {
		t.Fatalf("adopt: %d\n%s", code, body)
	}
	var pol struct {
		ID     int64 `json:"id"`
		Latest struct {
			ID int64 `json:"id"`
		} `json:"latest"`
	}
	_ = json.Unmarshal([]byte(body), &pol)
	code, body = s.polJSON("POST", "/api/v1/policies", map[string]any{"title": "Engineering rules", "body": "# Rules\n\n1. Review code.\n",
		"applies_to": map[string]any{"departments": []string{"Engineering"}}})
	if code != http.StatusCreated {
		t.Fatalf("adopt own: %d\n%s", code, body)
	}
	var eng struct {
		ID     int64 `json:"id"`
		Latest struct {
			ID int64 `json:"id"`
		} `json:"latest"`
	}
	_ = json.Unmarshal([]byte(body), &eng)
	if code, body := s.polJSON("POST", "/api/v1/policies", map[string]any{"title": "", "body": "x"}); code != http.StatusBadRequest {
		t.Fatalf("bad adopt: %d\n%s", code, body)
	}
	// Sam (promoted) approves what Dana wrote.
	if code, body, _ := s.post("/settings/users/"+itoa(s.member.ID), url.Values{"csrf": {s.csrf()}, "role": {"admin"}}); code != http.StatusSeeOther {
		t.Fatalf("promote: %d\n%s", code, body)
	}
	for _, p := range []struct{ id, vid int64 }{{pol.ID, pol.Latest.ID}, {eng.ID, eng.Latest.ID}} {
		if code, body := s.polJSON("POST", "/api/v1/policies/"+itoa(p.id)+"/transitions", map[string]any{"version_id": p.vid, "to": "in_review"}); code != http.StatusOK {
			t.Fatalf("submit: %d\n%s", code, body)
		}
	}
	if code, body := s.polJSON("POST", "/api/v1/policies/"+itoa(pol.ID)+"/transitions", map[string]any{"version_id": eng.Latest.ID, "to": "approved"}); code != http.StatusNotFound {
		t.Fatalf("move another policy's version: %d\n%s", code, body)
	}
	s.signInAs("sam@example.com")
	for _, p := range []struct{ id, vid int64 }{{pol.ID, pol.Latest.ID}, {eng.ID, eng.Latest.ID}} {
		for _, to := range []string{"approved", "published"} {
			if code, body := s.polJSON("POST", "/api/v1/policies/"+itoa(p.id)+"/transitions", map[string]any{"version_id": p.vid, "to": to}); code != http.StatusOK {
				t.Fatalf("%s: %d\n%s", to, code, body)
			}
		}
	}
	// An employee with a roster entry in Sales.
	s.signInAs(adminEmail)
	// (A viewer: the portal is open to every role; the employee role's
	// own limits are the people pages' tests.)
	if code, body, _ := s.post("/settings/users", url.Values{"csrf": {s.csrf()}, "email": {"erin@example.com"}, "name": {"Erin Park"}, "role": {"viewer"}, "password": {adminPassword}}); code != http.StatusSeeOther {
		t.Fatalf("create employee user: %d\n%s", code, body)
	}
	if code, body := s.polJSON("POST", "/api/v1/people", map[string]any{"name": "Erin Park", "email": "Erin@Example.com", "department": "Sales", "employment_type": "employee"}); code != http.StatusCreated {
		t.Fatalf("create person: %d\n%s", code, body)
	}
	s.signInAs("erin@example.com")
	if code, _, _ := s.post("/policies", url.Values{"csrf": {s.csrf()}, "template_id": {"backup"}}); code != http.StatusForbidden {
		t.Errorf("viewer adopts a policy: %d", code)
	}
	if code, body := s.polJSON("POST", "/api/v1/policies/"+itoa(pol.ID)+"/acceptances", map[string]any{"person_id": 1, "version_id": pol.Latest.ID}); code != http.StatusForbidden {
		t.Errorf("viewer records an acceptance through the API: %d %s", code, body)
	}
	vpath := "/portal/policies/" + itoa(pol.Latest.ID)
	code, body = s.get(vpath)
	if code != http.StatusOK || !strings.Contains(body, "Code of Conduct") || !strings.Contains(body, "I have read and accept") || !strings.Contains(body, "Northwind Ledger") {
		t.Fatalf("portal policy: %d\n%s", code, body)
	}
	checkCSP(t, vpath, body)
	checkA11y(t, vpath, body)
	// The engineering policy does not apply to Erin: she can neither read nor accept it.
	if code, _ := s.get("/portal/policies/" + itoa(eng.Latest.ID)); code != http.StatusNotFound {
		t.Errorf("portal read of a policy that does not apply: %d", code)
	}
	if code, _, _ := s.post("/portal/policies/"+itoa(eng.Latest.ID)+"/accept", url.Values{"csrf": {s.csrf()}}); code != http.StatusNotFound {
		t.Errorf("accepting a policy that does not apply: %d", code)
	}
	if code, _, _ := s.post(vpath+"/accept", url.Values{}); code != http.StatusForbidden {
		t.Errorf("accept without csrf: %d", code)
	}
	if code, body, loc := s.post(vpath+"/accept", url.Values{"csrf": {s.csrf()}}); code != http.StatusSeeOther || !strings.Contains(loc, "flash=accepted") {
		t.Fatalf("accept: %d %s\n%s", code, loc, body)
	}
	if _, body := s.get(vpath); !strings.Contains(body, "You have accepted this policy") {
		t.Errorf("after accepting:\n%s", body)
	}
	// The admin sees the figures and the CSV.
	s.signInAs(adminEmail)
	code, body = s.polJSON("GET", "/api/v1/policies", nil)
	if code != http.StatusOK || !strings.Contains(body, `"accepted": 1`) || !strings.Contains(body, `"required": 1`) {
		t.Fatalf("policies API: %d\n%s", code, body)
	}
	code, hdr, csv := s.polCall("GET", "/api/v1/policies/acceptances.csv", "", nil)
	if code != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") || !strings.Contains(csv, "erin@example.com") || !strings.Contains(csv, "Code of Conduct,1.0") {
		t.Fatalf("acceptances csv: %d\n%s", code, csv)
	}
	code, body = s.polJSON("GET", "/api/v1/policies/"+itoa(pol.ID)+"/acceptances", nil)
	if code != http.StatusOK || !strings.Contains(body, `"person_name": "Erin Park"`) || !strings.Contains(body, `"percent": 100`) {
		t.Fatalf("acceptances API: %d\n%s", code, body)
	}
	code, body = s.polJSON("GET", "/api/v1/policies/"+itoa(pol.ID), nil)
	if code != http.StatusOK || !strings.Contains(body, `"approved_by_name": "Sam Okafor"`) {
		t.Fatalf("policy API: %d\n%s", code, body)
	}
	code, body = s.polJSON("POST", "/api/v1/policies/"+itoa(pol.ID)+"/versions", map[string]any{"body": "x", "bump": "minor"})
	if code != http.StatusBadRequest || !strings.Contains(body, "changelog") {
		t.Fatalf("new version without changelog: %d\n%s", code, body)
	}
	code, body = s.polJSON("PATCH", "/api/v1/policies/"+itoa(pol.ID), map[string]any{"review_months": 99})
	if code != http.StatusBadRequest {
		t.Fatalf("bad cadence: %d\n%s", code, body)
	}
	// An admin records an acceptance on someone's behalf, only where the policy applies.
	code, body = s.polJSON("POST", "/api/v1/people", map[string]any{"name": "Eli Eng", "email": "eli@example.com", "department": "engineering"})
	var eli struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal([]byte(body), &eli); code != http.StatusCreated || err != nil || eli.ID == 0 {
		t.Fatalf("create engineer: %d %v\n%s", code, err, body)
	}
	if code, body := s.polJSON("POST", "/api/v1/policies/"+itoa(eng.ID)+"/acceptances", map[string]any{"person_id": eli.ID, "version_id": eng.Latest.ID}); code != http.StatusCreated || !strings.Contains(body, `"by_name": "Dana Reyes"`) {
		t.Fatalf("record acceptance: %d\n%s", code, body)
	}
	if code, body := s.polJSON("POST", "/api/v1/policies/"+itoa(pol.ID)+"/acceptances", map[string]any{"person_id": eli.ID, "version_id": eng.Latest.ID}); code != http.StatusNotFound {
		t.Fatalf("record acceptance under the wrong policy: %d\n%s", code, body)
	}
	code, body = s.polJSON("GET", "/api/v1/policies/acceptances", nil)
	if code != http.StatusOK || !strings.Contains(body, `"count": 2`) {
		t.Fatalf("all acceptances: %d\n%s", code, body)
	}
	if code, body := s.polJSON("GET", "/api/v1/policies/"+itoa(pol.ID), nil); strings.Contains(body, "{{") || code != http.StatusOK {
		t.Errorf("placeholders left in the published text: %d\n%s", code, body)
	}
	code, body = s.polJSON("GET", "/api/v1/policy-templates", nil)
	if code != http.StatusOK || !strings.Contains(body, "information-security") {
		t.Fatalf("templates API: %d", code)
	}
}

// TestPolicyRoutesDocumented checks openapi.json describes every policy
// API route.
func TestPolicyRoutesDocumented(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPIDocument(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, route := range []string{"GET /api/v1/policies", "POST /api/v1/policies", "GET /api/v1/policy-templates", "GET /api/v1/policies/acceptances",
		"GET /api/v1/policies/acceptances.csv", "GET /api/v1/policies/{id}", "PATCH /api/v1/policies/{id}", "POST /api/v1/policies/{id}/versions",
		"POST /api/v1/policies/{id}/transitions", "POST /api/v1/policies/{id}/review", "GET /api/v1/policies/{id}/acceptances",
		"POST /api/v1/policies/{id}/acceptances", "GET /api/v1/policies/{id}/acceptances.csv"} {
		method, path, _ := strings.Cut(route, " ")
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("openapi.json does not describe %s", route)
		}
	}
}
