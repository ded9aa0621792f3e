package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestIncidentPages(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf()
	code, body, loc := s.post("/incidents", url.Values{"csrf": {csrf}, "title": {"Leaked API key"}, "description": {"Key pushed to a public repo."},
		"occurred_at": {"2026-02-26T08:00"}, "detected_at": {"2026-02-26T10:00"}, "customer_data": {"on"}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/incidents/") {
		t.Fatalf("report incident: %d %q\n%s", code, loc, body)
	}
	path := strings.Split(loc, "?")[0]
	// Bad input keeps what was typed and says what is wrong.
	code, body, _ = s.post("/incidents", url.Values{"csrf": {csrf}, "title": {"Typo"}, "occurred_at": {"2026-03-01T10:00"}, "detected_at": {"2026-03-01T08:00"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "cannot be detected before it occurred") || !strings.Contains(body, `value="Typo"`) {
		t.Errorf("bad incident: %d\n%s", code, body)
	}
	for _, step := range []url.Values{{"status": {"triaged"}, "severity": {"SEV2"}}, {"status": {"contained"}}, {"status": {"resolved"}}} {
		step.Set("csrf", csrf)
		if code, body, _ := s.post(path+"/move", step); code != http.StatusSeeOther {
			t.Fatalf("move %v: %d\n%s", step, code, body)
		}
	}
	if code, body, _ := s.post(path+"/entries", url.Values{"csrf": {csrf}, "text": {"Key rotated."}}); code != http.StatusSeeOther {
		t.Fatalf("entry: %d\n%s", code, body)
	}
	code, body = s.get(path)
	for _, w := range []string{"Leaked API key", "Customer notice overdue", "Key rotated.", "Post-incident review", `name="to_improve"`} {
		if !strings.Contains(body, w) {
			t.Errorf("incident page lacks %q", w)
		}
	}
	checkCSP(t, path, body)
	checkA11y(t, path, body)
	if code, body, _ := s.post(path+"/review", url.Values{"csrf": {csrf}, "root_cause": {"No secret scanning."}, "went_well": {"Rotation took minutes."},
		"to_improve": {"Turn on secret scanning\nTrain developers on secrets"}, "owner_id": {itoa(s.member.ID)}, "due_date": {"2026-04-01"}}); code != http.StatusSeeOther {
		t.Fatalf("review: %d\n%s", code, body)
	}
	pages := []struct {
		path  string
		wants []string
	}{
		{"/incidents", []string{"Leaked API key", "Response times", "SEV2", "Report an incident", `href="/incidents"`}},
		{"/incidents?status=closed&severity=SEV2", []string{"Leaked API key"}},
		{"/incidents?exercise=true", []string{"No incidents match"}},
		{path, []string{"No secret scanning.", "Turn on secret scanning", "Closed"}},
		{"/corrective-actions", []string{"Turn on secret scanning", "Train developers on secrets", "Sam Okafor", "Incident review", "Import from CSV"}},
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

	// A CSV import with bad rows imports nothing and names the lines.
	code, body, _ = s.post("/corrective-actions/import", url.Values{"csrf": {csrf}, "csv": {"title,action,due_date,owner_email\nA,Do a,2026-05-01,\nB,,2026-05-01,\nC,Do c,soon,\nD,Do d,2026-05-01,nobody@example.com\n"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "line 3") || !strings.Contains(body, "line 4") || !strings.Contains(body, "line 5") || strings.Contains(body, "line 2:") {
		t.Errorf("bad import: %d\n%s", code, body)
	}
	if _, body := s.get("/corrective-actions"); strings.Contains(body, "Do a") {
		t.Error("a failed import stored a row")
	}
	if code, body, _ := s.post("/corrective-actions/import", url.Values{"csrf": {csrf}, "csv": {"title,action,due_date,owner_email\nA,Do a,2026-05-01,sam@example.com\n"}}); code != http.StatusSeeOther {
		t.Errorf("good import: %d\n%s", code, body)
	}
	// An audit exception becomes a corrective action from the audit page.
	code, _, loc = s.post("/audits", url.Values{"csrf": {csrf}, "type": {"type_1"}, "name": {"Readiness"}, "firm": {"Example LLP"}, "as_of": {"2026-03-01"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create audit: %d", code)
	}
	auditPath := strings.Split(loc, "?")[0]
	if code, body, loc := s.post(auditPath+"/corrective-actions", url.Values{"csrf": {csrf}, "control_id": {"ACC-02"}, "exception": {"Missing MFA evidence for February"}}); code != http.StatusSeeOther || !strings.HasPrefix(loc, "/corrective-actions") {
		t.Fatalf("audit exception: %d %q\n%s", code, loc, body)
	}
	if code, body, _ := s.post(auditPath+"/corrective-actions", url.Values{"csrf": {csrf}, "control_id": {"NOPE-1"}, "exception": {"x"}}); code != http.StatusBadRequest || !strings.Contains(body, "No control NOPE-1") {
		t.Errorf("exception on an unknown control: %d\n%s", code, body)
	}
	code, body = s.get("/api/v1/corrective-actions/export.csv")
	if code != http.StatusOK || !strings.Contains(body, "Do a") || !strings.Contains(body, "sam@example.com") || !strings.Contains(body, "Missing MFA evidence for February") {
		t.Errorf("export: %d\n%s", code, body)
	}
}

// TestOpenAPICoversIncidents checks openapi.json describes every incident
// and corrective action API route.
func TestOpenAPICoversIncidents(t *testing.T) {
	src, err := os.ReadFile("../api/incident_routes.go")
	if err != nil {
		t.Fatal(err)
	}
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
	routes := regexp.MustCompile(`s\.api\("(\w+) ([^"]+)"`).FindAllStringSubmatch(string(src), -1)
	if len(routes) < 10 {
		t.Fatalf("found %d routes", len(routes))
	}
	for _, m := range routes {
		if _, ok := doc.Paths[m[2]][strings.ToLower(m[1])]; !ok {
			t.Errorf("openapi.json does not describe %s %s", m[1], m[2])
		}
	}
}

func TestIncidentPagesForAMember(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf()
	_, _, loc := s.post("/incidents", url.Values{"csrf": {csrf}, "title": {"Phishing email"}, "occurred_at": {"2026-03-01T08:00"}, "detected_at": {"2026-03-01T09:00"}})
	incident := strings.Split(loc, "?")[0]
	for _, owner := range []int64{s.member.ID, s.admin.ID} {
		if code, body, _ := s.post("/corrective-actions", url.Values{"csrf": {csrf}, "title": {"Action for " + itoa(owner)}, "action": {"Fix it"},
			"owner_id": {itoa(owner)}, "due_date": {"2026-04-01"}, "source": {"manual"}}); code != http.StatusSeeOther {
			t.Fatalf("create action: %d\n%s", code, body)
		}
	}
	code, body, _ := s.post("/corrective-actions", url.Values{"csrf": {csrf}, "title": {"No action"}, "due_date": {"2026-04-01"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "Say what action will correct it.") {
		t.Errorf("action without action: %d", code)
	}

	s.post("/logout", url.Values{"csrf": {csrf}})
	if code, body, _ := s.post("/login", url.Values{"email": {"sam@example.com"}, "password": {adminPassword}}); code != http.StatusSeeOther {
		t.Fatalf("member sign in: %d\n%s", code, body)
	}
	csrf = s.csrf()
	if _, body := s.get("/incidents"); !strings.Contains(body, "Report an incident") {
		t.Error("member cannot report an incident")
	}
	_, body = s.get(incident)
	if strings.Contains(body, `id="move-title"`) || !strings.Contains(body, `id="entry-text"`) {
		t.Errorf("member incident page: manage forms shown or timeline form missing")
	}
	if code, _, _ := s.post(incident+"/move", url.Values{"csrf": {csrf}, "status": {"triaged"}, "severity": {"SEV1"}}); code != http.StatusForbidden {
		t.Errorf("member triages: %d", code)
	}
	if code, _, _ := s.post(incident+"/entries", url.Values{"csrf": {csrf}, "text": {"Reported to the provider."}}); code != http.StatusSeeOther {
		t.Errorf("member adds entry: %d", code)
	}
	// Their own action: yes; someone else's, or verifying: no.
	if code, body, _ := s.post("/corrective-actions/1", url.Values{"csrf": {csrf}, "status": {"done"}}); code != http.StatusSeeOther {
		t.Errorf("owner marks done: %d\n%s", code, body)
	}
	if code, _, _ := s.post("/corrective-actions/1", url.Values{"csrf": {csrf}, "status": {"verified"}, "verification_notes": {"ok"}}); code != http.StatusForbidden {
		t.Errorf("owner verifies: %d", code)
	}
	if code, _, _ := s.post("/corrective-actions/2", url.Values{"csrf": {csrf}, "status": {"done"}}); code != http.StatusForbidden {
		t.Errorf("member updates another's action: %d", code)
	}
	_, body = s.get("/corrective-actions")
	if !strings.Contains(body, `id="ca-status-1"`) || strings.Contains(body, `id="ca-status-2"`) || strings.Contains(body, "Import from CSV") {
		t.Errorf("member register shows the wrong forms")
	}
	checkCSP(t, "/corrective-actions (member)", body)
	checkA11y(t, "/corrective-actions (member)", body)
}

// TestIncidentImportPage imports incident history from the incidents page:
// a bad file imports nothing and names its lines; members see no form.
func TestIncidentImportPage(t *testing.T) {
	s := newSite(t)
	csrf := s.csrf()
	if _, body := s.get("/incidents"); !strings.Contains(body, "Import incidents from CSV") || !strings.Contains(body, `action="/incidents/import"`) {
		t.Fatal("incidents page lacks the import form")
	}
	header := "id,title,status,severity,exercise,occurred_at,detected_at,contained_at,resolved_at,closed_at,root_cause,went_well,to_improve\n"
	rows := "7,Database failover,resolved,SEV1,false,2025-11-01T10:00:00Z,2025-11-01T10:05:00Z,2025-11-01T10:30:00Z,2025-11-01T12:00:00Z,,,,\n" +
		"8,Tabletop: ransomware,closed,SEV2,true,2025-12-01T09:00:00Z,2025-12-01T09:00:00Z,2025-12-01T10:00:00Z,2025-12-01T11:00:00Z,2025-12-01T12:00:00Z,,,\n" +
		"9,Lost laptop,contained,,false,2026-01-05T09:00:00Z,2026-01-05T10:00:00Z,2026-01-05T11:00:00Z,,,,,\n"
	code, body, _ := s.post("/incidents/import", url.Values{"csrf": {csrf}, "csv": {header + rows}})
	if code != http.StatusBadRequest || !strings.Contains(body, "Nothing was imported") || !strings.Contains(body, "line 3") ||
		!strings.Contains(body, "post-incident review") || !strings.Contains(body, "line 4") || strings.Contains(body, "line 2:") ||
		!strings.Contains(body, "Database failover") {
		t.Fatalf("bad import: %d\n%s", code, body)
	}
	if _, body := s.get("/incidents"); strings.Contains(body, "Database failover") {
		t.Fatal("a failed import stored a row")
	}
	rows = strings.Replace(rows, "12:00:00Z,,,\n", "12:00:00Z,No offline backup,Playbook followed,Test restores quarterly\n", 1)
	rows = strings.Replace(rows, "contained,,", "contained,SEV3,", 1)
	if code, body, loc := s.post("/incidents/import", url.Values{"csrf": {csrf}, "csv": {header + rows}}); code != http.StatusSeeOther || loc != "/incidents?flash=imported" {
		t.Fatalf("good import: %d %q\n%s", code, loc, body)
	}
	code, body = s.get("/incidents?flash=imported")
	for _, w := range []string{"Incidents imported.", "Database failover", "Tabletop: ransomware", "Lost laptop"} {
		if !strings.Contains(body, w) {
			t.Errorf("incidents page lacks %q", w)
		}
	}
	checkCSP(t, "/incidents", body)
	checkA11y(t, "/incidents", body)
}
