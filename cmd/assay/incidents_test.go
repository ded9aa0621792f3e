package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/internal/clocktest"
)

type incidentResp struct {
	assay.Incident
	CustomerNoticeDue  *time.Time            `json:"customer_notice_due"`
	RegulatorNoticeDue *time.Time            `json:"regulator_notice_due"`
	Warnings           []string              `json:"warnings"`
	Timeline           []assay.IncidentEntry `json:"timeline"`
	CorrectiveActions  []correctiveResp      `json:"corrective_actions"`
}

type correctiveResp struct {
	assay.CorrectiveAction
	Overdue bool `json:"overdue"`
}

func TestAPIIncidents(t *testing.T) {
	t.Parallel()
	for _, pg := range []bool{false, true} {
		name := map[bool]string{false: "sqlite", true: "postgres"}[pg]
		t.Run(name, func(t *testing.T) {
			clock := &assay.FixedClock{T: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
			m := startMainWith(t, pg, func(c *Config) { c.Clock = clock })
			testAPIIncidents(t, m, clock)
		})
	}
}

// criterion returns CC7.4's readiness as the API reports it.
func (m *testMain) criterionMet(t *testing.T, token, id string) (bool, string) {
	t.Helper()
	var rd assay.Readiness
	if code := m.call(t, token, "GET", "/api/v1/readiness", "", &rd); code != 200 {
		t.Fatalf("readiness: %d", code)
	}
	for _, c := range rd.Criteria {
		if c.ID == id {
			return c.Met, c.Reason
		}
	}
	t.Fatalf("no criterion %s in readiness", id)
	return false, ""
}

func testAPIIncidents(t *testing.T, m *testMain, clock *assay.FixedClock) {
	orgID, admin := m.orgWithAdmin(t, "Acme")
	_, other := m.orgWithAdmin(t, "Other")
	member := m.userToken(t, orgID, "sam@acme.example", assay.RoleMember)
	viewer := m.userToken(t, orgID, "vic@acme.example", assay.RoleViewer)

	if _, why := m.criterionMet(t, admin, "CC7.4"); !strings.Contains(why, "post-incident review") {
		t.Fatalf("CC7.4 reason before any incident: %q", why)
	}

	// A member reports; a viewer may not.
	body := `{"title":"Support laptop stolen","personal_data":true,"customer_data":true,"occurred_at":"2026-03-01T20:00:00Z","detected_at":"2026-03-02T07:00:00Z"}`
	if code := m.call(t, viewer, "POST", "/api/v1/incidents", body, nil); code != 403 {
		t.Fatalf("viewer reports: %d", code)
	}
	var i incidentResp
	if code := m.call(t, member, "POST", "/api/v1/incidents", body, &i); code != 201 || i.Status != assay.IncidentReported ||
		i.RegulatorNoticeDue == nil || !i.RegulatorNoticeDue.Equal(time.Date(2026, 3, 5, 7, 0, 0, 0, time.UTC)) {
		t.Fatalf("report: %d %+v", code, i)
	}
	var e apiErr
	for _, bad := range []string{`{"title":"","occurred_at":"2026-03-01T20:00:00Z","detected_at":"2026-03-02T07:00:00Z"}`,
		`{"title":"x","occurred_at":"2026-03-02T20:00:00Z","detected_at":"2026-03-02T07:00:00Z"}`, `{"title":"x","severity":"SEV1"}`} {
		if code := m.call(t, admin, "POST", "/api/v1/incidents", bad, &e); code != 400 || e.Error.Message == "" {
			t.Fatalf("bad incident %s: %d %+v", bad, code, e)
		}
	}
	path := fmt.Sprintf("/api/v1/incidents/%d", i.ID)
	if code := m.call(t, member, "PATCH", path, `{"status":"triaged","severity":"SEV2"}`, nil); code != 403 {
		t.Fatalf("member triages: %d", code)
	}
	if code := m.call(t, member, "POST", path+"/timeline", `{"text":"Laptop was encrypted."}`, nil); code != 201 {
		t.Fatalf("member adds entry: %d", code)
	}
	if code := m.call(t, admin, "PATCH", path, `{"status":"contained"}`, &e); code != 409 {
		t.Fatalf("contain before triage: %d %+v", code, e)
	}
	if code := m.call(t, other, "GET", path, "", nil); code != 404 {
		t.Fatalf("another organisation reads the incident: %d", code)
	}
	clock.Advance(time.Hour)
	m.call(t, admin, "PATCH", path, `{"status":"triaged","severity":"SEV2"}`, &i)
	clock.Advance(time.Hour)
	m.call(t, admin, "PATCH", path, `{"status":"contained","note":"Device wiped remotely."}`, &i)

	// Three days on, the notices are overdue; the customer one is recorded.
	clock.Advance(72 * time.Hour)
	if code := m.call(t, admin, "GET", path, "", &i); code != 200 || len(i.Warnings) != 2 {
		t.Fatalf("warnings: %d %v", code, i.Warnings)
	}
	if code := m.call(t, admin, "POST", path+"/notices", `{"to":"customer"}`, &i); code != 200 || i.CustomerNotifiedAt == nil || len(i.Warnings) != 1 {
		t.Fatalf("customer notice: %d %+v", code, i)
	}
	if code := m.call(t, admin, "POST", path+"/review", `{"root_cause":"x","went_well":"y","to_improve":"z"}`, &e); code != 409 {
		t.Fatalf("review before resolved: %d %+v", code, e)
	}
	m.call(t, admin, "PATCH", path, `{"status":"resolved"}`, &i)
	if code := m.call(t, admin, "POST", path+"/review", `{"root_cause":"No cable locks.","went_well":"Disk encryption held."}`, &e); code != 400 || e.Error.Field != "to_improve" {
		t.Fatalf("review without improvements: %d %+v", code, e)
	}
	var rv struct {
		Incident          incidentResp     `json:"incident"`
		CorrectiveActions []correctiveResp `json:"corrective_actions"`
	}
	if code := m.call(t, admin, "POST", path+"/review", `{"root_cause":"No cable locks.","went_well":"Disk encryption held.","improvements":["Issue cable locks","Add laptop theft to onboarding"],"due_date":"2026-04-15"}`, &rv); code != 200 ||
		rv.Incident.Status != assay.IncidentClosed || len(rv.CorrectiveActions) != 2 || rv.CorrectiveActions[0].IncidentID != i.ID {
		t.Fatalf("review: %d %+v", code, rv)
	}
	if code := m.call(t, admin, "GET", path, "", &i); code != 200 || len(i.CorrectiveActions) != 2 || len(i.Timeline) < 6 {
		t.Fatalf("closed incident: %d %+v", code, i)
	}
	if met, why := m.criterionMet(t, admin, "CC7.4"); strings.Contains(why, "post-incident review") {
		t.Fatalf("CC7.4 after a reviewed incident: %v %q", met, why)
	}

	var metrics assay.IncidentMetrics
	if code := m.call(t, viewer, "GET", "/api/v1/incidents/metrics", "", &metrics); code != 200 || metrics.Count != 1 || len(metrics.BySeverity) != 1 ||
		*metrics.BySeverity[0].MeanHoursDetect != 11 || *metrics.BySeverity[0].MeanHoursContain != 4 {
		t.Fatalf("metrics: %d %+v", code, metrics)
	}

	// Corrective actions: the owner updates theirs; verification is the admin's.
	ca := rv.CorrectiveActions[0]
	capath := fmt.Sprintf("/api/v1/corrective-actions/%d", ca.ID)
	if code := m.call(t, member, "PATCH", capath, `{"status":"done"}`, &e); code != 403 {
		t.Fatalf("non-owner member updates: %d", code)
	}
	var users struct {
		Users []assay.User `json:"users"`
	}
	m.call(t, admin, "GET", "/api/v1/users", "", &users)
	var samID int64
	for _, u := range users.Users {
		if u.Email == "sam@acme.example" {
			samID = u.ID
		}
	}
	m.call(t, admin, "PATCH", capath, fmt.Sprintf(`{"owner_id":%d}`, samID), nil)
	var c correctiveResp
	if code := m.call(t, member, "PATCH", capath, `{"status":"done"}`, &c); code != 200 || c.Status != assay.CorrectiveDone {
		t.Fatalf("owner marks done: %d %+v", code, c)
	}
	if code := m.call(t, member, "PATCH", capath, `{"status":"verified","verification_notes":"ok"}`, nil); code != 403 {
		t.Fatalf("owner verifies: %d", code)
	}
	if code := m.call(t, admin, "PATCH", capath, `{"status":"verified","verification_notes":"Locks seen on every desk."}`, &c); code != 200 || c.VerifiedAt == nil {
		t.Fatalf("admin verifies: %d %+v", code, c)
	}
	if code := m.call(t, admin, "POST", "/api/v1/corrective-actions", `{"title":"Old firewall rule","action":"Remove it","due_date":"2026-03-01"}`, &c); code != 201 || !c.Overdue {
		t.Fatalf("create overdue action: %d %+v", code, c)
	}
	if code := m.call(t, admin, "POST", "/api/v1/corrective-actions", `{"title":"x","action":"y","due_date":"tomorrow"}`, &e); code != 400 || e.Error.Field != "due_date" {
		t.Fatalf("bad due date: %d %+v", code, e)
	}
	var list struct {
		CorrectiveActions []correctiveResp `json:"corrective_actions"`
	}
	if code := m.call(t, viewer, "GET", "/api/v1/corrective-actions?overdue=true", "", &list); code != 200 || len(list.CorrectiveActions) != 1 {
		t.Fatalf("overdue list: %d %+v", code, list)
	}

	// An audit exception becomes a corrective action.
	var a struct {
		ID int64 `json:"id"`
	}
	m.call(t, admin, "POST", "/api/v1/audits", `{"type":"type_1","name":"Readiness","firm":"Example LLP","as_of":"2026-03-01"}`, &a)
	if code := m.call(t, admin, "POST", fmt.Sprintf("/api/v1/audits/%d/corrective-actions", a.ID), `{"control_id":"nope-1","exception":"x"}`, &e); code != 400 {
		t.Fatalf("exception on an unknown control: %d %+v", code, e)
	}
	var ctls struct {
		Controls []assay.Control `json:"controls"`
	}
	m.call(t, admin, "GET", "/api/v1/controls", "", &ctls)
	if code := m.call(t, admin, "POST", fmt.Sprintf("/api/v1/audits/%d/corrective-actions", a.ID),
		fmt.Sprintf(`{"control_id":%q,"exception":"Review evidence missing for February"}`, ctls.Controls[0].ID), &c); code != 201 ||
		c.Source != assay.SourceAuditException || !strings.Contains(c.SourceRef, ctls.Controls[0].ID) {
		t.Fatalf("audit exception: %d %+v", code, c)
	}

	// CSV import: all or nothing, with line numbers.
	csvCall := func(tok, text string, out any) int {
		req, _ := http.NewRequest("POST", m.URL()+"/api/v1/corrective-actions/import", strings.NewReader(text))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "text/csv")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if out != nil {
			*(out.(*string)) = string(b)
		}
		return resp.StatusCode
	}
	var msg string
	before := len(list.CorrectiveActions)
	if code := csvCall(admin, "title,action,due_date\nA,Do A,2026-05-01\nB,,2026-05-01\n", &msg); code != 400 || !strings.Contains(msg, "line 3") {
		t.Fatalf("bad import: %d %s", code, msg)
	}
	if code := csvCall(member, "title,action,due_date\nA,Do A,2026-05-01\n", nil); code != 403 {
		t.Fatalf("member imports: %d", code)
	}
	if code := csvCall(admin, "title,action,due_date,owner_email\nA,Do A,2026-05-01,sam@acme.example\nB,Do B,2026-05-02,\n", &msg); code != 201 {
		t.Fatalf("import: %d %s", code, msg)
	}
	m.call(t, admin, "GET", "/api/v1/corrective-actions", "", &list)
	if len(list.CorrectiveActions) != 6 || before != 1 {
		t.Fatalf("after import: %d actions (%d overdue before)", len(list.CorrectiveActions), before)
	}
}

// TestVerifyAfterIncidents checks `assay verify` still passes on a data
// folder whose ledger holds incident and corrective action entries.
func TestVerifyAfterIncidents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	m := NewMain(Config{Clock: clocktest.Clock(), DataDir: dir, Addr: "127.0.0.1:0", PasswordParams: fastParams, Stdout: &bytes.Buffer{}, Logger: testLogger(t)})
	if err := m.Run(ctx); err != nil {
		t.Fatalf("run: %v", err)
	}
	tm := &testMain{Main: m}
	_, admin := tm.orgWithAdmin(t, "Acme")
	var i incidentResp
	now := clocktest.Now()
	tm.call(t, admin, "POST", "/api/v1/incidents", fmt.Sprintf(`{"title":"Tabletop: ransomware","exercise":true,"occurred_at":%q,"detected_at":%q}`,
		now.Add(-2*time.Hour).Format(time.RFC3339), now.Add(-time.Hour).Format(time.RFC3339)), &i)
	path := fmt.Sprintf("/api/v1/incidents/%d", i.ID)
	for _, step := range []string{`{"status":"triaged","severity":"SEV1"}`, `{"status":"contained"}`, `{"status":"resolved"}`} {
		if code := tm.call(t, admin, "PATCH", path, step, nil); code != 200 {
			t.Fatalf("%s: %d", step, code)
		}
	}
	if code := tm.call(t, admin, "POST", path+"/review", `{"root_cause":"Exercise","went_well":"Backups restored","to_improve":"Write the restore runbook"}`, nil); code != 200 {
		t.Fatalf("review: %d", code)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := verifyData(ctx, &globals{data: dir}, ""); err != nil {
		t.Fatalf("verify after incidents: %v", err)
	}
}
