package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

var digestRE = regexp.MustCompile(`name="document" value="assertion">\s*<input type="hidden" name="sha256" value="([0-9a-f]{64})"`)

// The report package in a browser: the engagement page offers the
// assertion and the system description as PDF and Markdown; an admin
// signs the assertion, which goes out of date when the scope pages change;
// the invited auditor uploads a draft and comments; the admin resolves the
// comment; a member is refused.
func TestAuditReportPages(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf()
	code, _, loc := s.post("/audits", url.Values{"csrf": {csrf}, "type": {"type_2"}, "name": {"FY26"}, "firm": {"Example LLP"},
		"period_start": {"2025-09-01"}, "period_end": {"2026-02-28"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create: %d", code)
	}
	page := strings.SplitN(loc, "?", 2)[0]
	if _, body := s.get(page); !strings.Contains(body, "The report package") || !strings.Contains(body, page+"/report/assertion?format=pdf") {
		t.Fatalf("the engagement page does not offer the report package")
	}

	// Downloads: the Markdown's digest is in the header and on the page.
	resp, err := s.client.Get(s.srv.URL + page + "/report/assertion?format=md")
	if err != nil {
		t.Fatal(err)
	}
	md := readAll(t, resp)
	if resp.StatusCode != 200 || !strings.Contains(md, "throughout the period 1 September 2025 to 28 February 2026") ||
		resp.Header.Get("X-Content-SHA256") != assay.TextDigest(md) {
		t.Fatalf("assertion md: %d %s\n%s", resp.StatusCode, resp.Header, md)
	}
	resp, err = s.client.Get(s.srv.URL + page + "/report/description?format=pdf")
	if err != nil {
		t.Fatal(err)
	}
	if pdf := readAll(t, resp); resp.StatusCode != 200 || !strings.HasPrefix(pdf, "%PDF-") || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("description pdf: %d %s", resp.StatusCode, resp.Header)
	}
	if code, _ := s.get(page + "/report/memo?format=pdf"); code != http.StatusNotFound {
		t.Fatalf("unknown document: %d", code)
	}

	// Sign the assertion as shown; a stale digest is refused.
	code, body := s.get(page + "/report")
	if code != 200 {
		t.Fatalf("report page: %d\n%s", code, body)
	}
	checkCSP(t, page+"/report", body)
	checkA11y(t, page+"/report", body)
	m := digestRE.FindStringSubmatch(body)
	if m == nil || m[1] != assay.TextDigest(md) {
		t.Fatalf("the page does not carry the assertion's digest")
	}
	sign := url.Values{"csrf": {csrf}, "document": {"assertion"}, "sha256": {m[1]}, "signer_name": {"Ada Chief"}, "signer_title": {"Chief Executive Officer"}}
	stale := url.Values{"csrf": {csrf}, "document": {"assertion"}, "sha256": {assay.TextDigest("x")}, "signer_name": {"Ada"}, "signer_title": {"CEO"}}
	if code, body, _ := s.post(page+"/report/signoffs", stale); code != http.StatusConflict || !strings.Contains(body, "changed since it was read") {
		t.Fatalf("stale sign-off: %d", code)
	}
	if code, body, _ := s.post(page+"/report/signoffs", sign); code != http.StatusSeeOther {
		t.Fatalf("sign: %d\n%s", code, body)
	}
	if _, body := s.get(page + "/report"); !strings.Contains(body, "Signed by <strong>Ada Chief</strong>") || !strings.Contains(body, "Signed version is current") {
		t.Fatalf("after signing:\n%s", body)
	}
	if code, pdf := s.get(page + "/report/assertion?format=pdf"); code != 200 || !strings.Contains(pdf, "Signed by Ada Chief") {
		t.Fatalf("the signed assertion's PDF does not say who signed it: %d", code)
	}
	if code, body, _ := s.post("/scope/system", url.Values{"csrf": {csrf}, "services": {"Ledgers for small firms"}}); code != http.StatusSeeOther {
		t.Fatalf("scope: %d\n%s", code, body)
	}
	// The assertion mentions no section text, so it stays current; change the
	// organisation's subservices, which it mentions.
	if code, _, _ := s.post("/scope/system", url.Values{"csrf": {csrf}, "sub_name": {"Cloud Co"}, "sub_services": {"Hosting"}, "sub_method": {"carve_out"},
		"sub_controls": {"Physical security of the data centres"}}); code != http.StatusSeeOther {
		t.Fatalf("scope subservices: %d", code)
	}
	if _, body := s.get("/scope"); !strings.Contains(body, "Physical security of the data centres") {
		t.Fatalf("the scope page lost the subservice's complementary controls")
	}
	if code, desc := s.get(page + "/report/description?format=md"); code != 200 || !strings.Contains(desc, "- **Cloud Co**: Physical security of the data centres") {
		t.Fatalf("description md: %d\n%s", code, desc)
	}
	if _, body := s.get(page + "/report"); !strings.Contains(body, "Out of date") {
		t.Fatalf("the signed assertion is not out of date after the scope changed")
	}

	// Invite the auditor; they upload a draft and comment.
	if code, body, _ := s.post(page+"/auditors", url.Values{"csrf": {csrf}, "email": {"ann@audit.example"}, "name": {"Ann Auditor"},
		"password": {adminPassword}, "expires_at": {"2026-06-30"}}); code != http.StatusSeeOther {
		t.Fatalf("invite: %d\n%s", code, body)
	}
	s.post("/logout", url.Values{"csrf": {csrf}})
	if code, _, _ := s.post("/login", url.Values{"email": {"ann@audit.example"}, "password": {adminPassword}}); code != http.StatusSeeOther {
		t.Fatalf("auditor sign in: %d", code)
	}
	acsrf := s.csrf2(page)
	if code, body, _ := s.upload(page+"/report/files", part{"csrf", acsrf, ""}, part{"kind", "draft", ""}, part{"file", "%PDF-1.4 draft opinion", "draft.pdf"}); code != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", code, body)
	}
	if code, body, _ := s.post(page+"/report/comments", url.Values{"csrf": {acsrf}, "file_id": {"1"}, "body": {"Please confirm the carve-out of Cloud Co."}}); code != http.StatusSeeOther {
		t.Fatalf("comment: %d\n%s", code, body)
	}
	if code, _, _ := s.post(page+"/report/signoffs", sign); code != http.StatusForbidden {
		t.Fatalf("the auditor signed: %d", code)
	}
	resp, err = s.client.Get(s.srv.URL + page + "/report/files/1")
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, resp); got != "%PDF-1.4 draft opinion" || resp.Header.Get("X-Assay-SHA256") != assay.TextDigest(got) {
		t.Fatalf("draft download: %q", got)
	}
	s.post("/logout", url.Values{"csrf": {acsrf}})

	// The admin resolves it; a member sees nothing of the package.
	s.post("/login", url.Values{"email": {adminEmail}, "password": {adminPassword}})
	csrf = s.csrf()
	if code, body, _ := s.post(page+"/report/comments/1/resolve", url.Values{"csrf": {csrf}}); code != http.StatusSeeOther {
		t.Fatalf("resolve: %d\n%s", code, body)
	}
	if _, body := s.get(page + "/report"); !strings.Contains(body, "Resolved by Dana Reyes") || !strings.Contains(body, "(0 open)") {
		t.Fatalf("after resolving:\n%s", body)
	}
	s.post("/logout", url.Values{"csrf": {csrf}})
	s.post("/login", url.Values{"email": {"sam@example.com"}, "password": {adminPassword}})
	if code, _ := s.get(page + "/report"); code != http.StatusForbidden {
		t.Fatalf("member report page: %d", code)
	}
	if code, _ := s.get(page + "/report/assertion?format=pdf"); code != http.StatusForbidden {
		t.Fatalf("member download: %d", code)
	}
}

// csrf2 reads the form token from a page a limited auditor may open.
func (s *site) csrf2(path string) string {
	s.t.Helper()
	_, body := s.get(path)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		s.t.Fatalf("no csrf token on %s", path)
	}
	return m[1]
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var b strings.Builder
	if _, err := io.Copy(&b, resp.Body); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The same through the API: the document as JSON with its digest, signed
// by naming an admin; a stale digest is a conflict; the package says so.
func TestAuditReportAPI(t *testing.T) {
	s := newSite(t)
	code, body := s.polJSON("POST", "/api/v1/audits", map[string]any{"type": "type_1", "name": "T1", "firm": "F", "as_of": "2026-02-28"})
	if code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	code, body = s.get("/api/v1/audits/1/report/description")
	var text assay.ReportText
	if err := json.Unmarshal([]byte(body), &text); err != nil || code != 200 || text.Digest != assay.TextDigest(text.Markdown) ||
		!strings.Contains(text.Markdown, "as of 28 February 2026") || !strings.Contains(text.Markdown, "Availability") {
		t.Fatalf("description: %d %v %s", code, err, body)
	}
	code, body = s.polJSON("POST", "/api/v1/audits/1/report/signoffs", map[string]any{"document": "description", "sha256": assay.TextDigest("old"),
		"signer_user_id": s.admin.ID, "signer_title": "CEO"})
	if code != http.StatusConflict {
		t.Fatalf("stale: %d %s", code, body)
	}
	code, body = s.polJSON("POST", "/api/v1/audits/1/report/signoffs", map[string]any{"document": "description", "sha256": text.Digest,
		"signer_user_id": s.admin.ID, "signer_title": "CEO"})
	if code != http.StatusCreated || !strings.Contains(body, `"signer_name": "Dana Reyes"`) {
		t.Fatalf("sign: %d %s", code, body)
	}
	code, body = s.get("/api/v1/audits/1/report")
	if code != 200 || !strings.Contains(body, `"current": true`) {
		t.Fatalf("package: %d %s", code, body)
	}
	s.signInAs("sam@example.com")
	if code, _ := s.get("/api/v1/audits/1/report"); code != http.StatusForbidden {
		t.Fatalf("member reads the package: %d", code)
	}
}
