package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// runBoth runs a test against SQLite and, when configured, PostgreSQL.
func runBoth(t *testing.T, fn func(t *testing.T, m *testMain)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, startMain(t, false, false)) })
	t.Run("postgres", func(t *testing.T) { fn(t, startMain(t, true, false)) })
}

func TestAPIControlsAndReadiness(t *testing.T) {
	t.Parallel()
	runBoth(t, func(t *testing.T, m *testMain) {
		_, tok := m.orgWithAdmin(t, "Acme")

		var crit struct {
			Criteria []assay.Criterion `json:"criteria"`
			Count    int               `json:"count"`
		}
		if code := m.call(t, tok, "GET", "/api/v1/criteria", "", &crit); code != 200 || crit.Count != 61 || crit.Criteria[0].ID != "CC1.1" {
			t.Fatalf("criteria: %d, %d criteria", code, crit.Count)
		}
		var list struct {
			Controls []assay.Control `json:"controls"`
			Count    int             `json:"count"`
		}
		if code := m.call(t, tok, "GET", "/api/v1/controls", "", &list); code != 200 || list.Count < 100 {
			t.Fatalf("controls: %d, %d controls", code, list.Count)
		}
		if code := m.call(t, tok, "GET", "/api/v1/controls?criterion=CC6.1&status=not_started", "", &list); code != 200 || list.Count == 0 {
			t.Fatalf("filtered controls: %d, %d", code, list.Count)
		}
		for _, c := range list.Controls {
			if !contains(c.Criteria, "CC6.1") {
				t.Fatalf("control %s is not mapped to CC6.1: %v", c.ID, c.Criteria)
			}
		}

		var rd assay.Readiness
		if code := m.call(t, tok, "GET", "/api/v1/readiness", "", &rd); code != 200 {
			t.Fatalf("readiness: %d", code)
		}
		if rd.Overall.Total != 33 || rd.Overall.Met != 0 || len(rd.Gaps) != 33 {
			t.Fatalf("fresh organisation: want 0 of 33 security criteria met, got %+v with %d gaps", rd.Overall, len(rd.Gaps))
		}

		// Implement every control of CC1.1: the criterion becomes met.
		if code := m.call(t, tok, "GET", "/api/v1/controls?criterion=CC1.1", "", &list); code != 200 {
			t.Fatal(code)
		}
		for i, c := range list.Controls {
			body := `{"status":"implemented","notes":"done"}`
			if i == 0 { // N/A with a justification does not block the criterion
				body = `{"status":"not_applicable","justification":"Covered by the parent company's programme."}`
			}
			var got assay.Control
			if code := m.call(t, tok, "PATCH", "/api/v1/controls/"+c.ID, body, &got); code != 200 {
				t.Fatalf("patch %s: %d", c.ID, code)
			}
		}
		// Implemented is not enough: a control relied on needs current evidence.
		rd = assay.Readiness{}
		m.call(t, tok, "GET", "/api/v1/readiness", "", &rd)
		if rd.Overall.Met != 0 || rd.Criteria[0].Met || len(rd.Criteria[0].Missing) != len(list.Controls)-1 || rd.Criteria[0].Missing[0].Reason != "no current evidence" {
			t.Fatalf("implemented without evidence: overall %+v, first %+v", rd.Overall, rd.Criteria[0])
		}
		var ids []string
		for _, c := range list.Controls[1:] {
			ids = append(ids, `"`+c.ID+`"`)
		}
		if code := m.call(t, tok, "POST", "/api/v1/evidence", `{"kind":"note","title":"Ethics programme review","note_text":"Reviewed by the board.","controls":[`+strings.Join(ids, ",")+`]}`, nil); code != 201 {
			t.Fatalf("add evidence: %d", code)
		}
		rd = assay.Readiness{}
		m.call(t, tok, "GET", "/api/v1/readiness", "", &rd)
		if rd.Overall.Met != 1 || rd.Criteria[0].ID != "CC1.1" || !rd.Criteria[0].Met {
			t.Fatalf("after implementing CC1.1: overall %+v, first %+v", rd.Overall, rd.Criteria[0])
		}

		// Widening the scope adds the category's criteria to every figure.
		var scope map[string]any
		if code := m.call(t, tok, "PUT", "/api/v1/scope", `{"categories":["availability","privacy"]}`, &scope); code != 200 {
			t.Fatalf("scope: %d %v", code, scope)
		}
		m.call(t, tok, "GET", "/api/v1/readiness", "", &rd)
		if rd.Overall.Total != 33+3+18 {
			t.Fatalf("with availability and privacy: total %d, want 54", rd.Overall.Total)
		}

		// Every change above is in the activity trail.
		var act struct {
			Activity []assay.Activity `json:"activity"`
		}
		m.call(t, tok, "GET", "/api/v1/activity?type=control&object="+list.Controls[0].ID, "", &act)
		if len(act.Activity) != 1 || act.Activity[0].Action != "control.update" || !strings.Contains(string(act.Activity[0].After), "not_applicable") {
			t.Fatalf("activity for %s: %+v", list.Controls[0].ID, act.Activity)
		}
	})
}

func TestAPICustomControl(t *testing.T) {
	t.Parallel()
	runBoth(t, func(t *testing.T, m *testMain) {
		_, tok := m.orgWithAdmin(t, "Acme")
		var c assay.Control
		code := m.call(t, tok, "POST", "/api/v1/controls", `{"id":"CUS-01","name":"Quarterly payment-file reconciliation","criteria":["pi1.4","CC7.2"],"frequency":"quarterly","kind":"detective"}`, &c)
		if code != 201 || !c.Custom || strings.Join(c.Criteria, ",") != "CC7.2,PI1.4" || c.Status != assay.StatusNotStarted {
			t.Fatalf("create: %d %+v", code, c)
		}
		var e apiErr
		if code := m.call(t, tok, "POST", "/api/v1/controls", `{"id":"CUS-01","name":"Again","criteria":["CC7.2"]}`, &e); code != 409 || e.Error.Code != "conflict" {
			t.Fatalf("duplicate: %d %+v", code, e)
		}
	})
}

// TestAPIBadInput: each bad request gets a clear 400 (or 413) and changes nothing.
func TestAPIBadInput(t *testing.T) {
	t.Parallel()
	runBoth(t, func(t *testing.T, m *testMain) {
		orgID, tok := m.orgWithAdmin(t, "Acme")
		const id = "ACC-01"
		before, err := m.Store.Org(orgID).Control(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		activityCount := func() int {
			a, err := m.Store.Org(orgID).Activity(context.Background(), assay.ActivityFilter{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			return len(a)
		}
		n := activityCount()
		cases := []struct {
			name, method, path, body string
			status                   int
			field, says              string
		}{
			{"unknown criterion", "PATCH", "/api/v1/controls/" + id, `{"criteria":["CC6.1","CC99.9"]}`, 400, "criteria", "CC99.9"},
			{"invalid status", "PATCH", "/api/v1/controls/" + id, `{"status":"done"}`, 400, "status", "Unknown status"},
			{"not applicable without justification", "PATCH", "/api/v1/controls/" + id, `{"status":"not_applicable"}`, 400, "justification", "justification"},
			{"oversized notes", "PATCH", "/api/v1/controls/" + id, fmt.Sprintf(`{"notes":%q}`, strings.Repeat("x", assay.MaxNotesLen+1)), 400, "notes", "longer than"},
			{"malformed JSON", "PATCH", "/api/v1/controls/" + id, `{"status":`, 400, "", "Malformed JSON"},
			{"not an object", "PATCH", "/api/v1/controls/" + id, `[1,2]`, 400, "", "must be"},
			{"unknown field", "PATCH", "/api/v1/controls/" + id, `{"stauts":"implemented"}`, 400, "", "Unknown field"},
			{"wrong type", "PATCH", "/api/v1/controls/" + id, `{"owner_id":"bob"}`, 400, "owner_id", "must be"},
			{"empty patch", "PATCH", "/api/v1/controls/" + id, `{}`, 400, "", "Nothing to change"},
			{"empty body", "PATCH", "/api/v1/controls/" + id, ``, 400, "", "empty"},
			{"two objects", "PATCH", "/api/v1/controls/" + id, `{"notes":"a"}{"notes":"b"}`, 400, "", "one JSON object"},
			{"body too large", "PATCH", "/api/v1/controls/" + id, fmt.Sprintf(`{"notes":%q}`, strings.Repeat("x", 2<<20)), 413, "", "larger than"},
			{"owner from nowhere", "PATCH", "/api/v1/controls/" + id, `{"owner_id":999999}`, 400, "owner_id", "No user"},
			{"empty name", "POST", "/api/v1/controls", `{"id":"CUS-02","name":"  ","criteria":["CC6.1"]}`, 400, "name", "name is required"},
			{"oversized name", "POST", "/api/v1/controls", fmt.Sprintf(`{"id":"CUS-02","name":%q,"criteria":["CC6.1"]}`, strings.Repeat("n", 201)), 400, "name", "longer than"},
			{"bad control id", "POST", "/api/v1/controls", `{"id":"cus 02!","name":"x","criteria":["CC6.1"]}`, 400, "id", "Control id"},
			{"new control, unknown criterion", "POST", "/api/v1/controls", `{"id":"CUS-02","name":"x","criteria":["ZZ1.1"]}`, 400, "criteria", "ZZ1.1"},
			{"new control, no criteria", "POST", "/api/v1/controls", `{"id":"CUS-02","name":"x"}`, 400, "criteria", "at least one"},
			{"unknown category in scope", "PUT", "/api/v1/scope", `{"categories":["availability","safety"]}`, 400, "categories", "safety"},
			{"scope without categories", "PUT", "/api/v1/scope", `{}`, 400, "categories", "required"},
			{"bad subservice", "PUT", "/api/v1/scope", `{"categories":[],"system_description":{"subservice_organizations":[{"name":"Cloud","method":"outsourced"}]}}`, 400, "subservice_organizations", "carve_out"},
			{"unknown filter status", "GET", "/api/v1/controls?status=finished", ``, 400, "status", "Unknown status"},
			{"unknown filter criterion", "GET", "/api/v1/controls?criterion=CC0.0", ``, 400, "criterion", "CC0.0"},
			{"bad owner filter", "GET", "/api/v1/controls?owner=alice", ``, 400, "owner", "Owner"},
			{"bad limit", "GET", "/api/v1/controls?limit=-1", ``, 400, "limit", "limit"},
			{"unknown category filter", "GET", "/api/v1/criteria?category=safety", ``, 400, "category", "safety"},
		}
		for _, tc := range cases {
			var e apiErr
			code := m.call(t, tok, tc.method, tc.path, tc.body, &e)
			if code != tc.status || e.Error.Message == "" || !strings.Contains(e.Error.Message, tc.says) || (tc.field != "" && e.Error.Field != tc.field) {
				t.Errorf("%s: got %d %+v; want %d, field %q, a message saying %q", tc.name, code, e.Error, tc.status, tc.field, tc.says)
			}
		}
		after, _ := m.Store.Org(orgID).Control(context.Background(), id)
		if after.Status != before.Status || after.Notes != before.Notes || strings.Join(after.Criteria, ",") != strings.Join(before.Criteria, ",") || after.OwnerID != before.OwnerID {
			t.Errorf("bad requests changed the control: before %+v after %+v", before, after)
		}
		if got := activityCount(); got != n {
			t.Errorf("bad requests wrote %d activity entries", got-n)
		}
		org, _ := m.Store.Org(orgID).Organization(context.Background())
		if len(org.Scope.Categories) != 1 || len(org.System.Subservices) != 0 {
			t.Errorf("bad scope requests changed the scope: %+v", org.Scope)
		}
		if _, err := m.Store.Org(orgID).Control(context.Background(), "CUS-02"); assay.ErrorCode(err) != assay.ENOTFOUND {
			t.Errorf("a refused control was created: %v", err)
		}
	})
}

// TestAPITenancy: one organisation can never read or change another's
// controls through the API.
func TestAPITenancy(t *testing.T) {
	t.Parallel()
	runBoth(t, func(t *testing.T, m *testMain) {
		orgA, tokA := m.orgWithAdmin(t, "Alpha")
		_, tokB := m.orgWithAdmin(t, "Bravo")
		// A custom control only A has.
		if code := m.call(t, tokA, "POST", "/api/v1/controls", `{"id":"ALPHA-1","name":"Alpha secret control","criteria":["CC6.1"]}`, nil); code != 201 {
			t.Fatalf("create: %d", code)
		}
		if code := m.call(t, tokA, "PATCH", "/api/v1/controls/ACC-01", `{"status":"implemented"}`, nil); code != 200 {
			t.Fatalf("patch own: %d", code)
		}
		var e apiErr
		if code := m.call(t, tokB, "GET", "/api/v1/controls/ALPHA-1", "", &e); code != 404 {
			t.Fatalf("B reads A's control: %d", code)
		}
		if code := m.call(t, tokB, "PATCH", "/api/v1/controls/ALPHA-1", `{"status":"implemented"}`, &e); code != 404 {
			t.Fatalf("B changes A's control: %d", code)
		}
		var list struct{ Controls []assay.Control }
		m.call(t, tokB, "GET", "/api/v1/controls?q=alpha", "", &list)
		if len(list.Controls) != 0 {
			t.Fatalf("B's search finds A's control: %+v", list.Controls)
		}
		// Same library id in both: B's change touches only B's row.
		if code := m.call(t, tokB, "PATCH", "/api/v1/controls/ACC-01", `{"status":"in_progress"}`, nil); code != 200 {
			t.Fatalf("B patches its own ACC-01: %d", code)
		}
		a, _ := m.Store.Org(orgA).Control(context.Background(), "ACC-01")
		if a.Status != assay.StatusImplemented {
			t.Fatalf("B's change reached A: A's ACC-01 is %s", a.Status)
		}
		var act struct{ Activity []assay.Activity }
		m.call(t, tokB, "GET", "/api/v1/activity?limit=1000", "", &act)
		for _, x := range act.Activity {
			if strings.Contains(x.ObjectID, "ALPHA") || strings.Contains(x.Summary, "Alpha") {
				t.Fatalf("B sees A's activity: %+v", x)
			}
		}
		var rd assay.Readiness
		m.call(t, tokB, "GET", "/api/v1/readiness?controls=true", "", &rd)
		for _, c := range rd.Criteria {
			for _, ctl := range c.Controls {
				if ctl.ID == "ALPHA-1" {
					t.Fatal("B's readiness counts A's control")
				}
			}
		}
	})
}

func TestAPIAuthorization(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, false)
	orgID, admin := m.orgWithAdmin(t, "Acme")
	member := m.userToken(t, orgID, "member@acme.example", assay.RoleMember)
	auditor := m.userToken(t, orgID, "auditor@acme.example", assay.RoleAuditor)
	viewer := m.userToken(t, orgID, "viewer@acme.example", assay.RoleViewer)
	var me struct{ User assay.User }
	m.call(t, member, "GET", "/api/v1/me", "", &me)
	// The member owns ACC-01 only.
	if code := m.call(t, admin, "PATCH", "/api/v1/controls/ACC-01", fmt.Sprintf(`{"owner_id":%d}`, me.User.ID), nil); code != 200 {
		t.Fatalf("assign owner: %d", code)
	}
	cases := []struct {
		name, token, method, path, body string
		want                            int
	}{
		{"no token", "", "GET", "/api/v1/controls", "", 401},
		{"unknown token", "assay_pat_nope", "GET", "/api/v1/controls", "", 401},
		{"malformed authorization", "RAW:Basic YWRtaW46YWRtaW4=", "GET", "/api/v1/controls", "", 401},
		{"viewer reads", viewer, "GET", "/api/v1/controls", "", 200},
		{"viewer changes", viewer, "PATCH", "/api/v1/controls/ACC-01", `{"status":"implemented"}`, 403},
		{"viewer reads activity", viewer, "GET", "/api/v1/activity", "", 403},
		{"auditor reads activity", auditor, "GET", "/api/v1/activity", "", 200},
		{"auditor changes", auditor, "PATCH", "/api/v1/controls/ACC-01", `{"status":"implemented"}`, 403},
		{"auditor edits scope", auditor, "PUT", "/api/v1/scope", `{"categories":[]}`, 403},
		{"member changes own control", member, "PATCH", "/api/v1/controls/ACC-01", `{"status":"in_progress"}`, 200},
		{"member changes another's control", member, "PATCH", "/api/v1/controls/ACC-02", `{"status":"in_progress"}`, 403},
		{"member reassigns own control", member, "PATCH", "/api/v1/controls/ACC-01", `{"owner_id":0}`, 403},
		{"member adds a control", member, "POST", "/api/v1/controls", `{"id":"M-1","name":"x","criteria":["CC6.1"]}`, 403},
		{"member lists users", member, "GET", "/api/v1/users", "", 403},
		{"admin lists users", admin, "GET", "/api/v1/users", "", 200},
		{"unknown endpoint", admin, "GET", "/api/v1/nothing", "", 404},
	}
	for _, tc := range cases {
		var e apiErr
		code := m.call(t, tc.token, tc.method, tc.path, tc.body, &e)
		if code != tc.want {
			t.Errorf("%s: %d, want %d (%+v)", tc.name, code, tc.want, e)
		}
		if code >= 400 && (e.Error.Code == "" || e.Error.Message == "") {
			t.Errorf("%s: error body lacks code or message: %+v", tc.name, e)
		}
	}
	c, _ := m.Store.Org(orgID).Control(context.Background(), "ACC-02")
	if c.Status != assay.StatusNotStarted {
		t.Fatalf("a refused change went through: ACC-02 is %s", c.Status)
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
