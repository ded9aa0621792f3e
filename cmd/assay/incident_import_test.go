package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

// TestAPIIncidentImport imports incident history over the API on both
// backends: all or nothing with line numbers, admins only, and an export
// from one organisation imports into another.
func TestAPIIncidentImport(t *testing.T) {
	t.Parallel()
	for _, pg := range []bool{false, true} {
		name := map[bool]string{false: "sqlite", true: "postgres"}[pg]
		t.Run(name, func(t *testing.T) {
			clock := &assay.FixedClock{T: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
			m := startMainWith(t, pg, func(c *Config) { c.Clock = clock })
			testAPIIncidentImport(t, m)
		})
	}
}

func testAPIIncidentImport(t *testing.T, m *testMain) {
	orgID, admin := m.orgWithAdmin(t, "Acme")
	_, other := m.orgWithAdmin(t, "Other")
	member := m.userToken(t, orgID, "sam@acme.example", assay.RoleMember)
	raw := func(tok, method, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, m.URL()+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "text/csv")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	count := func(tok string) int {
		var list struct {
			Count int `json:"count"`
		}
		m.call(t, tok, "GET", "/api/v1/incidents", "", &list)
		return list.Count
	}

	header := "title,status,severity,occurred_at,detected_at,contained_at,resolved_at,closed_at,root_cause,went_well,to_improve\n"
	good := "Old outage,resolved,SEV2,2025-06-01T10:00:00Z,2025-06-01T11:00:00Z,2025-06-01T12:00:00Z,2025-06-01T15:00:00Z,,,,\n"
	unreviewed := "Cert expiry,closed,SEV3,2025-07-01T10:00:00Z,2025-07-01T10:30:00Z,2025-07-01T11:00:00Z,2025-07-01T12:00:00Z,2025-07-10T12:00:00Z,,,\n"
	badTime := "Typo,reported,,2025-08-01T10:00:00Z,yesterday,,,,,,\n"
	code, msg := raw(admin, "POST", "/api/v1/incidents/import", header+good+unreviewed+badTime)
	if code != 400 || !strings.Contains(msg, "line 3") || !strings.Contains(msg, "post-incident review") || !strings.Contains(msg, "line 4") || strings.Contains(msg, "line 2") {
		t.Fatalf("bad import: %d %s", code, msg)
	}
	if n := count(admin); n != 0 {
		t.Fatalf("a failed import stored %d incidents", n)
	}
	if code, _ := raw(member, "POST", "/api/v1/incidents/import", header+good); code != 403 {
		t.Fatalf("member imports: %d", code)
	}
	reviewed := strings.TrimSuffix(unreviewed, ",,,\n") + ",Certificate not renewed,Fast rollback,Alert on expiry\n"
	code, msg = raw(admin, "POST", "/api/v1/incidents/import", header+good+reviewed)
	var got struct {
		Incidents []incidentResp `json:"incidents"`
		Count     int            `json:"count"`
	}
	if code != 201 || json.Unmarshal([]byte(msg), &got) != nil || got.Count != 2 || got.Incidents[1].Status != assay.IncidentClosed ||
		got.Incidents[1].Review == nil || got.Incidents[1].Review.RootCause != "Certificate not renewed" {
		t.Fatalf("import: %d %s", code, msg)
	}

	// The export of one organisation imports into another as it was.
	code, export := raw(admin, "GET", "/api/v1/incidents/export.csv", "")
	if code != 200 {
		t.Fatalf("export: %d", code)
	}
	if code, msg := raw(other, "POST", "/api/v1/incidents/import", export); code != 201 {
		t.Fatalf("re-import the export: %d %s", code, msg)
	}
	_, again := raw(other, "GET", "/api/v1/incidents/export.csv", "")
	strip := func(s string) []string {
		var out []string
		for _, line := range strings.Split(strings.TrimSpace(s), "\n")[1:] {
			_, rest, _ := strings.Cut(line, ",") // ids differ
			out = append(out, rest)
		}
		return out
	}
	if a, b := strings.Join(strip(export), "\n"), strings.Join(strip(again), "\n"); a != b {
		t.Fatalf("round trip changed the incidents:\n%s\n---\n%s", a, b)
	}
}
