package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// TestImportLoneQuote sends every import a valid header followed by a line
// holding only a double quote. The CSV reader used to panic asking where
// that line was, dropping the connection; now each import answers 400
// naming line 2 and imports nothing.
func TestImportLoneQuote(t *testing.T) {
	s := newSite(t)
	code, body := s.apiCall("POST", "/api/v1/access-reviews", "application/json",
		`{"name":"Q1","period":"2026 Q1","due_date":"2026-03-31T00:00:00Z","systems":[{"name":"GitHub"}]}`)
	var rv assay.AccessReview
	if code != http.StatusCreated || json.Unmarshal([]byte(body), &rv) != nil {
		t.Fatalf("create access review: %d %s", code, body)
	}
	for _, c := range []struct{ path, header string }{
		{"/api/v1/risks/import", "category,title,likelihood,impact"},
		{"/api/v1/vendors/import", "name,classification,criticality"},
		{"/api/v1/incidents/import", "title,occurred_at,detected_at"},
		{"/api/v1/corrective-actions/import", "title,action,due_date"},
		{"/api/v1/people/import", "name,email"},
		{"/api/v1/training/completions/import", "email,course,completed_at"},
		{"/api/v1/access-reviews/" + itoa(rv.ID) + "/accounts", "system,account"},
		{"/api/v1/access-reviews/" + itoa(rv.ID) + "/accounts?format=roster&system=GitHub", "email,mfa"},
	} {
		code, body := s.apiCall("POST", c.path, "text/csv", c.header+"\n\"")
		var e struct {
			Error struct{ Message string }
		}
		if code != http.StatusBadRequest || json.Unmarshal([]byte(body), &e) != nil || !strings.Contains(strings.ToLower(e.Error.Message), "line 2") {
			t.Errorf("%s: %d %s", c.path, code, body)
		}
	}
	if _, body := s.apiCall("GET", "/api/v1/risks", "", ""); strings.Contains(body, `"title"`) {
		t.Errorf("a refused import wrote risks: %s", body)
	}
}
