package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/assay-platform/assay/api"
)

// TestRegisterPages walks the risk and vendor pages as an admin: the forms
// work, bad input is refused with a message, and every page passes the
// CSP and accessibility checks.
func TestRegisterPages(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf()
	if code, body, _ := s.post("/risks/adopt", url.Values{"csrf": {csrf}, "template_ids": {"RSK-01", "RSK-18"}}); code != http.StatusSeeOther {
		t.Fatalf("adopt templates: %d\n%s", code, body)
	}
	code, body, loc := s.post("/risks", url.Values{"csrf": {csrf}, "category": {"security"}, "title": {"Leaked backups"},
		"likelihood": {"4"}, "impact": {"5"}, "residual_likelihood": {"2"}, "residual_impact": {"3"}, "treatment": {"mitigate"},
		"status": {"open"}, "owner_id": {itoa(s.member.ID)}, "controls": {"ACC-01"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/risks/") {
		t.Fatalf("create risk: %d %q\n%s", code, loc, body)
	}
	riskPath, _, _ := strings.Cut(loc, "?")
	// Accepting without an approver is refused and changes nothing.
	code, body, _ = s.post(riskPath, url.Values{"csrf": {csrf}, "category": {"security"}, "title": {"Leaked backups"},
		"likelihood": {"4"}, "impact": {"5"}, "treatment": {"accept"}, "status": {"open"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "named approver") {
		t.Fatalf("accept without approver: %d", code)
	}
	if code, body, _ := s.post("/risks/assessments", url.Values{"csrf": {csrf}, "date": {"2026-03-01"}, "summary": {"Yearly review."},
		"approver_id": {itoa(s.admin.ID)}}); code != http.StatusSeeOther {
		t.Fatalf("record assessment: %d\n%s", code, body)
	}
	code, body, loc = s.post("/vendors", url.Values{"csrf": {csrf}, "name": {"Cloud Host"}, "classification": {"restricted"},
		"criticality": {"high"}, "clauses": {"security", "data_processing"}, "soc2_period_end": {"2025-03-20"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/vendors/") {
		t.Fatalf("create vendor: %d\n%s", code, body)
	}
	vendorPath, _, _ := strings.Cut(loc, "?")
	// A failed edit comes back with what was typed, not the stored values.
	if code, body, _ := s.post(vendorPath, url.Values{"csrf": {csrf}, "name": {"Cloud Host Renamed"}, "classification": {"secret"}, "criticality": {"high"}}); code != http.StatusBadRequest ||
		!strings.Contains(body, "Unknown data classification") || !strings.Contains(body, `value="Cloud Host Renamed"`) {
		t.Fatalf("bad vendor edit: %d\n%s", code, grepLines(body, "Cloud Host"))
	}
	if code, body, _ := s.post("/vendors", url.Values{"csrf": {csrf}, "name": {"Bad"}, "classification": {"secret"}, "criticality": {"high"}}); code != http.StatusBadRequest || !strings.Contains(body, "Unknown data classification") {
		t.Fatalf("bad vendor: %d", code)
	}

	for _, path := range []string{"/risks", riskPath, "/vendors", vendorPath} {
		code, body := s.get(path)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d\n%s", path, code, body)
		}
		checkCSP(t, path, body)
		checkA11y(t, path, body)
	}
	_, body = s.get("/risks")
	for _, want := range []string{"<svg class=\"heatmap\"", "Leaked backups", "Stolen staff credentials", "Current: the last assessment"} {
		if !strings.Contains(body, want) {
			t.Errorf("/risks lacks %q", want)
		}
	}
	_, body = s.get(vendorPath)
	for _, want := range []string{"goes stale on", "VQ-25", "Breach notification"} {
		if !strings.Contains(body, want) {
			t.Errorf("vendor page lacks %q", want)
		}
	}
	code, body = s.get("/api/v1/risks/export.csv")
	if code != http.StatusOK || !strings.HasPrefix(body, "id,category,title") || !strings.Contains(body, "Leaked backups") {
		t.Errorf("risk export: %d\n%s", code, body)
	}
}

// TestOpenAPIDescribesRegisters checks every register route is described.
func TestOpenAPIDescribesRegisters(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPIDocument(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, route := range []string{"GET /api/v1/risks", "POST /api/v1/risks", "GET /api/v1/risks/{id}", "PUT /api/v1/risks/{id}",
		"GET /api/v1/risks/export.csv", "POST /api/v1/risks/import", "POST /api/v1/risks/adopt", "GET /api/v1/risk-templates",
		"GET /api/v1/risk-assessments", "POST /api/v1/risk-assessments", "GET /api/v1/vendors", "POST /api/v1/vendors",
		"GET /api/v1/vendors/{id}", "PUT /api/v1/vendors/{id}", "POST /api/v1/vendors/{id}/review", "GET /api/v1/vendors/export.csv",
		"POST /api/v1/vendors/import", "GET /api/v1/vendor-questions"} {
		method, path, _ := strings.Cut(route, " ")
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("openapi.json does not describe %s", route)
		}
	}
}

// TestRiskAcceptanceWarnings checks an accepted risk whose acceptance has
// lapsed, or lapses within 30 days, is flagged on the register, its page
// and in the API.
func TestRiskAcceptanceWarnings(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf()
	paths := map[string]string{}
	for title, expires := range map[string]string{"Legacy VPN": "2026-02-20", "Shared admin account": "2026-03-20", "Old CMS": "2026-09-01"} {
		code, body, loc := s.post("/risks", url.Values{"csrf": {csrf}, "category": {"security"}, "title": {title},
			"likelihood": {"3"}, "impact": {"3"}, "residual_likelihood": {"2"}, "residual_impact": {"2"}, "treatment": {"accept"},
			"approver_id": {itoa(s.admin.ID)}, "accept_expires": {expires}, "status": {"treated"}})
		if code != http.StatusSeeOther {
			t.Fatalf("create %s: %d\n%s", title, code, body)
		}
		paths[title], _, _ = strings.Cut(loc, "?")
	}
	_, body := s.get("/risks")
	for _, want := range []string{`<span class="badge acceptance-expired">Acceptance expired</span>`, `<span class="badge acceptance-expiring">Acceptance expiring</span>`} {
		if strings.Count(body, want) != 1 {
			t.Errorf("/risks should show %q once\n%s", want, body)
		}
	}
	for title, want := range map[string]string{"Legacy VPN": "Acceptance expired: renew", "Shared admin account": "Acceptance expires within 30 days", "Old CMS": ""} {
		code, body := s.get(paths[title])
		if code != http.StatusOK || (want != "" && !strings.Contains(body, want)) || (want == "" && strings.Contains(body, "acceptance-ex")) {
			t.Errorf("%s page (want %q): %d", title, want, code)
		}
		checkA11y(t, paths[title], body)
	}
	code, body := s.get("/api/v1" + paths["Legacy VPN"])
	if code != http.StatusOK || !strings.Contains(body, `"acceptance_state": "expired"`) {
		t.Errorf("API risk: %d %s", code, body)
	}
}
