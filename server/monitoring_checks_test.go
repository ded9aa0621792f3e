package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/store"
)

const ownerCheckJSON = `{"id":"owner-tag","title":"Buckets have an owner","kind":"terraform.aws_s3_bucket",
	"expr":"has(r.tags) && 'owner' in r.tags","severity":"medium","reason":"{{.Name}} has no owner tag","controls":["CRY-01"]}`

// addUser adds a user of a role to the site's organisation.
func (s *monSite) addUser(email string, role assay.Role) {
	s.t.Helper()
	hash, _ := auth.HashPassword(adminPassword, fastParams)
	if _, err := s.os.CreateUser(context.Background(), assay.SystemActor, assay.NewUser{Email: email, Name: email, Role: role, Password: adminPassword}, hash); err != nil {
		s.t.Fatal(err)
	}
}

// failOwnerCheck records a run in which custom-owner-tag fails on one
// bucket, so the check has a current result and an open finding.
func (s *monSite) failOwnerCheck() {
	s.t.Helper()
	ctx := context.Background()
	src, err := s.os.CreateSource(ctx, assay.SystemActor, assay.Source{Name: "Infra", Kind: "terraform", Enabled: true}, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	now := s.clock.Now()
	run := assay.MonitorRun{SourceID: src.ID, Trigger: assay.TriggerImport, StartedAt: now, EndedAt: now, Status: assay.RunOK}
	res := assay.CheckResult{CheckID: "custom-owner-tag", ResourceKind: "terraform.aws_s3_bucket", ResourceID: "aws_s3_bucket.logs",
		ResourceName: "aws_s3_bucket.logs", Status: assay.CheckFail, Reason: "aws_s3_bucket.logs has no owner tag"}
	meta := map[string]store.CheckMeta{"custom-owner-tag": {Severity: assay.SeverityMedium, Controls: []string{"CRY-01"}}}
	if _, _, err := s.os.RecordRun(ctx, assay.SystemActor, run, []assay.CheckResult{res}, meta); err != nil {
		s.t.Fatal(err)
	}
	if open, _ := s.os.Findings(ctx, true); len(open) != 1 {
		s.t.Fatalf("open findings = %+v", open)
	}
}

// storedCheck returns the organisation's custom check id ("" Expr if none).
func storedCheck(t *testing.T, os store.OrgStore, id string) assay.Check {
	t.Helper()
	list, err := os.CustomChecks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.ID == id {
			return c
		}
	}
	return assay.Check{}
}

func TestCustomCheckAPIChangeAndDelete(t *testing.T) {
	s := newMonitorSite(t)
	ctx := context.Background()
	if code, body := s.apiCall("POST", "/api/v1/checks", "application/json", ownerCheckJSON); code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	s.failOwnerCheck()
	before := storedCheck(t, s.os, "custom-owner-tag")

	// A bad expression is refused with its position and changes nothing.
	code, body := s.apiCall("PATCH", "/api/v1/checks/custom-owner-tag", "application/json", `{"expr":"has(r.tags) &&"}`)
	if code != 400 || !strings.Contains(body, "line 1, column") || !strings.Contains(body, `"field": "expr"`) {
		t.Fatalf("bad expression: %d %s", code, body)
	}
	for name, patch := range map[string]string{
		"id changes":      `{"id":"custom-other"}`,
		"unknown field":   `{"colour":"red"}`,
		"no controls":     `{"controls":[]}`,
		"unknown control": `{"controls":["ZZ-99"]}`,
		"bad severity":    `{"severity":"urgent"}`,
		"not custom":      `{"custom":false}`,
	} {
		if code, body := s.apiCall("PATCH", "/api/v1/checks/custom-owner-tag", "application/json", patch); code != 400 {
			t.Errorf("%s: %d %s", name, code, body)
		}
	}
	if got := storedCheck(t, s.os, "custom-owner-tag"); got.Expr != before.Expr || got.Severity != before.Severity || len(got.Controls) != 1 {
		t.Fatalf("refused changes were saved: %+v", got)
	}

	// Fields not sent stay.
	code, body = s.apiCall("PATCH", "/api/v1/checks/custom-owner-tag", "application/json",
		`{"severity":"high","expr":"has(r.tags) && 'owner' in r.tags && r.tags.owner != ''","controls":["CRY-01","DAT-01"],"id":"custom-owner-tag","custom":true}`)
	var changed assay.Check
	if code != 200 || json.Unmarshal([]byte(body), &changed) != nil || changed.Severity != assay.SeverityHigh || changed.Title != "Buckets have an owner" ||
		!strings.Contains(changed.Expr, "!= ''") || len(changed.Controls) != 2 || !changed.Custom {
		t.Fatalf("patch: %d %s", code, body)
	}
	if _, body = s.get("/api/v1/checks/custom-owner-tag"); !strings.Contains(body, `"severity": "high"`) {
		t.Fatalf("the change is not read back: %s", body)
	}

	// Library checks can be neither changed nor deleted; unknown ids are 404.
	for _, c := range []struct{ method, path, body string }{
		{"PATCH", "/api/v1/checks/http-hsts-enabled", `{"severity":"low"}`},
		{"DELETE", "/api/v1/checks/http-hsts-enabled", ""},
	} {
		if code, body := s.apiCall(c.method, c.path, "application/json", c.body); code != http.StatusConflict || !strings.Contains(body, "library") {
			t.Errorf("%s %s: %d %s", c.method, c.path, code, body)
		}
	}
	if code, _ := s.apiCall("PATCH", "/api/v1/checks/custom-nope", "application/json", `{"severity":"low"}`); code != 404 {
		t.Errorf("unknown check: %d", code)
	}

	// Another organisation's custom check is not found, and stays as it was.
	other, err := s.db.CreateOrganization(ctx, assay.SystemActor, "Beta", "beta", assay.Scope{}, catalog.MustDefault().LibraryControls())
	if err != nil {
		t.Fatal(err)
	}
	beta := s.db.Org(other.ID)
	if _, err := beta.CreateCustomCheck(ctx, assay.SystemActor, assay.Check{ID: "custom-beta", Title: "Beta", Kind: "k", Expr: "true", Reason: "{{.Name}} fails",
		Severity: assay.SeverityLow, Controls: []string{"CRY-01"}}); err != nil {
		t.Fatal(err)
	}
	if code, _ := s.apiCall("PATCH", "/api/v1/checks/custom-beta", "application/json", `{"severity":"high"}`); code != 404 {
		t.Errorf("PATCH of another organisation's check: %d", code)
	}
	if code, _ := s.apiCall("DELETE", "/api/v1/checks/custom-beta", "", ""); code != 404 {
		t.Errorf("DELETE of another organisation's check: %d", code)
	}
	if got := storedCheck(t, beta, "custom-beta"); got.Severity != assay.SeverityLow {
		t.Fatalf("another organisation's check changed: %+v", got)
	}

	// Members and auditors cannot change or delete checks.
	s.addUser("mia@example.com", assay.RoleMember)
	s.addUser("abe@example.com", assay.RoleAuditor)
	for _, email := range []string{"mia@example.com", "abe@example.com"} {
		s.signIn(email)
		if code, _ := s.apiCall("PATCH", "/api/v1/checks/custom-owner-tag", "application/json", `{"severity":"low"}`); code != 403 {
			t.Errorf("%s PATCH: %d", email, code)
		}
		if code, _ := s.apiCall("DELETE", "/api/v1/checks/custom-owner-tag", "", ""); code != 403 {
			t.Errorf("%s DELETE: %d", email, code)
		}
	}
	s.signIn(adminEmail)
	if got := storedCheck(t, s.os, "custom-owner-tag"); got.Severity != assay.SeverityHigh {
		t.Fatalf("a refused change was saved: %+v", got)
	}

	// Delete: the check goes, its finding closes, its history stays.
	if code, body := s.apiCall("DELETE", "/api/v1/checks/custom-owner-tag", "", ""); code != http.StatusNoContent {
		t.Fatalf("delete: %d %s", code, body)
	}
	if code, _ := s.get("/api/v1/checks/custom-owner-tag"); code != 404 {
		t.Fatalf("deleted check still read: %d", code)
	}
	if open, _ := s.os.Findings(ctx, true); len(open) != 0 {
		t.Fatalf("open findings after the delete = %+v", open)
	}
	if h, _ := s.os.CheckHistory(ctx, "custom-owner-tag", 0, "", s.clock.Now().AddDate(0, 0, -1), s.clock.Now()); len(h) != 2 {
		t.Fatalf("history after the delete = %+v", h)
	}
	if code, _ := s.apiCall("DELETE", "/api/v1/checks/custom-owner-tag", "", ""); code != 404 {
		t.Fatalf("delete twice: %d", code)
	}
}

func TestCustomCheckEditAndDeleteForms(t *testing.T) {
	s := newMonitorSite(t)
	if code, body := s.apiCall("POST", "/api/v1/checks", "application/json", ownerCheckJSON); code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	s.failOwnerCheck()
	const page = "/monitoring/checks/custom-owner-tag"

	// The custom check's page offers Edit and Delete; a library check's neither.
	code, body := s.get(page)
	if code != 200 || !strings.Contains(body, `href="`+page+`/edit"`) || !strings.Contains(body, `action="`+page+`/delete"`) {
		t.Fatalf("custom check page: %d\n%s", code, grepLines(body, "btn"))
	}
	checkCSP(t, "custom check page", body)
	checkA11y(t, "custom check page", body)
	if _, body = s.get("/monitoring/checks/http-hsts-enabled"); strings.Contains(body, "/edit") || strings.Contains(body, "Delete check") {
		t.Fatal("a library check offers edit or delete")
	}
	if code, _ = s.get("/monitoring/checks/http-hsts-enabled/edit"); code != http.StatusConflict {
		t.Fatalf("library check edit page: %d", code)
	}

	// The edit form holds the check; its id is read-only.
	code, body = s.get(page + "/edit")
	if code != 200 || !strings.Contains(body, `action="`+page+`"`) || !strings.Contains(body, "has(r.tags) &amp;&amp; &#39;owner&#39; in r.tags") ||
		!strings.Contains(body, `value="custom-owner-tag" readonly`) || !strings.Contains(body, `value="CRY-01"`) {
		t.Fatalf("edit form: %d\n%s", code, grepLines(body, "value="))
	}
	checkCSP(t, "edit form", body)
	checkA11y(t, "edit form", body)

	form := url.Values{"csrf": {s.csrf()}, "title": {"Buckets name their owner"}, "kind": {"terraform.aws_s3_bucket"},
		"expr": {"has(r.tags) &&"}, "severity": {"high"}, "reason": {"{{.Name}} has no owner"}, "controls": {"CRY-01, DAT-01"}}
	code, body, _ = s.post(page, form)
	if code != 400 || !strings.Contains(body, "line 1, column") || !strings.Contains(body, "has(r.tags) &amp;&amp;</textarea>") ||
		!strings.Contains(body, "Buckets name their owner") {
		t.Fatalf("bad expression: %d\n%s", code, grepLines(body, "banner"))
	}
	if got := storedCheck(t, s.os, "custom-owner-tag"); got.Title != "Buckets have an owner" {
		t.Fatalf("a refused edit was saved: %+v", got)
	}
	form.Set("expr", "has(r.tags) && 'owner' in r.tags")
	form.Del("csrf")
	if code, _, _ = s.post(page, form); code != http.StatusForbidden {
		t.Fatalf("edit without the CSRF token: %d", code)
	}
	form.Set("csrf", s.csrf())
	form.Set("id", "custom-renamed") // ignored: the id is the path's
	code, _, loc := s.post(page, form)
	if code != http.StatusSeeOther || loc != page+"?flash=check-saved" {
		t.Fatalf("good edit: %d %s", code, loc)
	}
	got := storedCheck(t, s.os, "custom-owner-tag")
	if got.Title != "Buckets name their owner" || got.Severity != assay.SeverityHigh || len(got.Controls) != 2 {
		t.Fatalf("after the edit: %+v", got)
	}
	if _, body = s.get(loc); !strings.Contains(body, "Check saved.") || !strings.Contains(body, "Buckets name their owner") {
		t.Fatal("the check page does not show the saved edit")
	}

	// A viewer, a member and an auditor read the page but cannot edit or delete.
	s.addUser("mia@example.com", assay.RoleMember)
	s.addUser("abe@example.com", assay.RoleAuditor)
	for _, email := range []string{"vic@example.com", "mia@example.com", "abe@example.com"} {
		s.signIn(email)
		if code, body = s.get(page); code != 200 || strings.Contains(body, "/edit") || strings.Contains(body, "Delete check") {
			t.Errorf("%s check page: %d", email, code)
		}
		if code, _ = s.get(page + "/edit"); code != 403 {
			t.Errorf("%s edit page: %d", email, code)
		}
		if code, _, _ = s.post(page, url.Values{"csrf": {s.csrf()}, "title": {"x"}}); code != 403 {
			t.Errorf("%s edit: %d", email, code)
		}
		if code, _, _ = s.post(page+"/delete", url.Values{"csrf": {s.csrf()}, "confirm": {"yes"}}); code != 403 {
			t.Errorf("%s delete: %d", email, code)
		}
	}
	s.signIn(adminEmail)

	// Delete asks for the box to be ticked.
	code, body, _ = s.post(page+"/delete", url.Values{"csrf": {s.csrf()}})
	if code != 400 || !strings.Contains(body, "Tick the box") || storedCheck(t, s.os, "custom-owner-tag").ID == "" {
		t.Fatalf("unconfirmed delete: %d\n%s", code, grepLines(body, "banner"))
	}
	if code, _, _ = s.post("/monitoring/checks/http-hsts-enabled/delete", url.Values{"csrf": {s.csrf()}, "confirm": {"yes"}}); code != http.StatusConflict {
		t.Fatalf("library check delete: %d", code)
	}
	code, _, loc = s.post(page+"/delete", url.Values{"csrf": {s.csrf()}, "confirm": {"yes"}})
	if code != http.StatusSeeOther || loc != "/monitoring?flash=check-deleted" {
		t.Fatalf("delete: %d %s", code, loc)
	}
	if _, body = s.get(loc); !strings.Contains(body, "Custom check deleted.") || strings.Contains(body, "custom-owner-tag") {
		t.Fatal("the monitoring page still lists the deleted check or lacks the notice")
	}
	if open, _ := s.os.Findings(context.Background(), true); len(open) != 0 {
		t.Fatalf("open findings after the delete = %+v", open)
	}
	if code, _ = s.get(page); code != 404 {
		t.Fatalf("deleted check page: %d", code)
	}
}
