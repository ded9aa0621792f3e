package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"

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

// TestImportSpreadsheetFormats imports risks saved as Excel's "Unicode
// text" (UTF-16, tab-separated) and vendors as an XLSX workbook, and
// checks a formula-like title survives the export and re-import.
func TestImportSpreadsheetFormats(t *testing.T) {
	s := newSite(t)
	text := "Category\tTitle\tLikelihood\tImpact\tOwner E-mail\nsecurity\t=Leaked backups\t4\t5\t" + adminEmail + "\n"
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if code, body := s.apiCall("POST", "/api/v1/risks/import", "text/csv", string(utf16)); code != http.StatusCreated {
		t.Fatalf("UTF-16 import: %d %s", code, body)
	}
	code, export := s.get("/api/v1/risks/export.csv")
	if code != http.StatusOK || !strings.Contains(export, ",'=Leaked backups,") {
		t.Fatalf("export does not guard the formula: %d\n%s", code, export)
	}

	f := excelize.NewFile()
	defer f.Close()
	for i, row := range [][]any{{"Name", "Classification", "Criticality"}, {"Cloud Host", "restricted", "high"}, {}, {"Mailer", "internal", "low"}} {
		if err := f.SetSheetRow("Sheet1", "A"+itoa(int64(i+1)), &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	code, body := s.apiCall("POST", "/api/v1/vendors/import", "text/csv", buf.String())
	var out struct{ Imported int }
	if code != http.StatusCreated || json.Unmarshal([]byte(body), &out) != nil || out.Imported != 2 {
		t.Fatalf("XLSX import: %d %s", code, body)
	}
}
