package server

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestTrainingCSVExport exports assignments with their status worked out
// at the time asked (a lapsed completion is pending and overdue again),
// the completion evidence, spreadsheet-safe cells and the filters; bad
// filters answer 400 and the training page links the export.
func TestTrainingCSVExport(t *testing.T) {
	s := newSite(t)
	ids := map[string]string{}
	for _, p := range []struct{ name, email, dept string }{
		{"Ada Lovelace", "ada@example.com", "Engineering"}, {"Bob Stone", "bob@example.com", "Sales"}, {"=Cy", "cy@example.com", "Sales"},
	} {
		code, body := s.apiCall("POST", "/api/v1/people", "application/json",
			`{"name":"`+p.name+`","email":"`+p.email+`","department":"`+p.dept+`","start_date":"2024-01-08"}`)
		var out struct{ ID int64 }
		if code != http.StatusCreated || json.Unmarshal([]byte(body), &out) != nil {
			t.Fatalf("add %s: %d %s", p.name, code, body)
		}
		ids[p.email] = strconv.FormatInt(out.ID, 10)
	}
	course := func(body string) string {
		t.Helper()
		code, resp := s.apiCall("POST", "/api/v1/training/courses", "application/json", body)
		var out struct{ ID int64 }
		if code != http.StatusCreated || json.Unmarshal([]byte(resp), &out) != nil {
			t.Fatalf("add course: %d %s", code, resp)
		}
		return strconv.FormatInt(out.ID, 10)
	}
	awareness := course(`{"name":"Security awareness","renewal_months":12,"security":true}`)
	coding := course(`{"name":"Secure coding","renewal_months":0}`)
	for _, body := range []string{
		`{"course_id":` + awareness + `,"due":"2026-03-31"}`,
		`{"course_id":` + coding + `,"person_ids":[` + ids["ada@example.com"] + `],"due":"2026-02-20"}`,
	} {
		if code, resp := s.apiCall("POST", "/api/v1/training/assignments", "application/json", body); code != http.StatusCreated {
			t.Fatalf("assign: %d %s", code, resp)
		}
	}
	// Ada's completion is current; Bob's is older than the renewal period.
	if code, resp := s.apiCall("POST", "/api/v1/training/completions/import", "text/csv",
		"email,course,completed_at\nada@example.com,Security awareness,2026-02-01\nbob@example.com,Security awareness,2025-01-15\n"); code != http.StatusOK {
		t.Fatalf("import completions: %d %s", code, resp)
	}

	read := func(path string) []map[string]string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, s.srv.URL+path, nil)
		resp, err := s.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "training-assignments.csv") {
			t.Fatalf("GET %s: %d %v", path, resp.StatusCode, resp.Header)
		}
		records, err := csv.NewReader(resp.Body).ReadAll()
		if err != nil {
			t.Fatalf("GET %s: not CSV: %v", path, err)
		}
		if strings.Join(records[0], ",") != "assignment_id,person,email,department,course,status,overdue,due,started_at,completed_at,expires_at,evidence" {
			t.Fatalf("header = %v", records[0])
		}
		var rows []map[string]string
		for _, rec := range records[1:] {
			row := map[string]string{}
			for i, h := range records[0] {
				row[h] = rec[i]
			}
			rows = append(rows, row)
		}
		return rows
	}
	rows := read("/api/v1/training/assignments.csv")
	if len(rows) != 4 {
		t.Fatalf("rows = %d, want 4: %v", len(rows), rows)
	}
	find := func(email, course string) map[string]string {
		t.Helper()
		for _, r := range rows {
			if r["email"] == email && r["course"] == course {
				return r
			}
		}
		t.Fatalf("no row for %s, %s in %v", email, course, rows)
		return nil
	}
	want := []struct {
		email, course, status, overdue, due, completed, expires, evidence string
	}{
		{"ada@example.com", "Security awareness", "completed", "no", "2027-02-01", "2026-02-01T00:00:00Z", "2027-02-01T00:00:00Z", "Imported completion record"},
		{"bob@example.com", "Security awareness", "pending", "yes", "2026-01-15", "2025-01-15T00:00:00Z", "2026-01-15T00:00:00Z", "Imported completion record"},
		{"cy@example.com", "Security awareness", "pending", "no", "2026-03-31", "", "", ""},
		{"ada@example.com", "Secure coding", "pending", "yes", "2026-02-20", "", "", ""},
	}
	for _, w := range want {
		r := find(w.email, w.course)
		if r["status"] != w.status || r["overdue"] != w.overdue || r["due"] != w.due || r["completed_at"] != w.completed ||
			r["expires_at"] != w.expires || !strings.HasPrefix(r["evidence"], w.evidence) || (w.evidence == "" && r["evidence"] != "") {
			t.Errorf("%s, %s: got %v, want %+v", w.email, w.course, r, w)
		}
	}
	if r := find("cy@example.com", "Security awareness"); r["person"] != "'=Cy" || r["department"] != "Sales" {
		t.Errorf("a formula-like name is not neutralised: %v", r)
	}

	// The filters narrow the export as they narrow the JSON list.
	if got := read("/api/v1/training/assignments.csv?person_id=" + ids["ada@example.com"]); len(got) != 2 {
		t.Errorf("person filter: %d rows", len(got))
	}
	if got := read("/api/v1/training/assignments.csv?course_id=" + coding); len(got) != 1 || got[0]["email"] != "ada@example.com" {
		t.Errorf("course filter: %v", got)
	}
	for _, bad := range []string{"?person_id=x", "?course_id=-3", "?course_id=0"} {
		if code, body := s.get("/api/v1/training/assignments.csv" + bad); code != http.StatusBadRequest || !strings.Contains(body, "must be a positive number") {
			t.Errorf("%s: %d %s", bad, code, body)
		}
	}
	if _, body := s.get("/training"); !strings.Contains(body, `href="/api/v1/training/assignments.csv"`) {
		t.Error("/training does not link the export")
	}
}
