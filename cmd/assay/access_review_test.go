package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
)

// TestAccessReviewEndToEnd runs a quarterly access review through the
// real program: a roster source is imported and run, its accounts loaded
// into a campaign, a system owner decides them (the revoke becomes a
// corrective action), the completed campaign becomes evidence and meets
// CC6.2, and the next campaign shows in Upcoming and the calendar feed.
func TestAccessReviewEndToEnd(t *testing.T) {
	t.Parallel()
	for _, pg := range []bool{false, true} {
		name := "sqlite"
		if pg {
			name = "postgres"
		}
		t.Run(name, func(t *testing.T) { testAccessReviewEndToEnd(t, pg) })
	}
}

func testAccessReviewEndToEnd(t *testing.T, pg bool) {
	m := startMain(t, pg, false)
	orgID, admin := m.orgWithAdmin(t, "Access Co")
	owner := m.userToken(t, orgID, "owner@access-co.example", assay.RoleMember)
	other := m.userToken(t, orgID, "other@access-co.example", assay.RoleMember)
	var who struct{ User assay.User }
	m.call(t, owner, "GET", "/api/v1/me", "", &who)
	me := who.User

	// The identity roster: imported into a roster source, which runs.
	var src assay.Source
	if code := m.call(t, admin, "POST", "/api/v1/sources", `{"name":"Okta","kind":"roster","interval_minutes":60,"enabled":true}`, &src); code != http.StatusCreated {
		t.Fatalf("create source: %d %+v", code, src)
	}
	roster := "Username,Email,MFA,Admin,Status,Departed\nalice,alice@access-co.example,yes,yes,active,no\nbob,bob@access-co.example,yes,no,active,yes\n"
	var run assay.MonitorRun
	if code := m.call(t, admin, "POST", fmt.Sprintf("/api/v1/sources/%d/input", src.ID), roster, &run); code != http.StatusOK || run.Status != assay.RunOK {
		t.Fatalf("import roster: %d %+v", code, run)
	}

	var rv assay.AccessReview
	body := fmt.Sprintf(`{"name":"Q1 2026","period":"2026 Q1","due_date":"2026-12-31T00:00:00Z","systems":[{"name":"Okta","owner_id":%d}]}`, me.ID)
	if code := m.call(t, owner, "POST", "/api/v1/access-reviews", body, nil); code != http.StatusForbidden {
		t.Errorf("a member opened a campaign: %d", code)
	}
	if code := m.call(t, admin, "POST", "/api/v1/access-reviews", body, &rv); code != http.StatusCreated {
		t.Fatalf("create campaign: %d", code)
	}
	base := fmt.Sprintf("/api/v1/access-reviews/%d", rv.ID)
	var res assay.AccessLoadResult
	if code := m.call(t, admin, "POST", base+"/accounts", fmt.Sprintf(`{"from":"source","source_id":%d}`, src.ID), &res); code != http.StatusOK || res.Added != 2 {
		t.Fatalf("load from source: %d %+v", code, res)
	}
	var got struct {
		Accounts []assay.AccessAccount `json:"accounts"`
	}
	m.call(t, admin, "GET", base+"/accounts", "", &got)
	if len(got.Accounts) != 2 {
		t.Fatalf("accounts = %+v", got.Accounts)
	}
	for _, a := range got.Accounts {
		decision := `{"decision":"keep"}`
		if a.Account == "bob" {
			if a.Flag != assay.FlagDeparted {
				t.Errorf("bob is not flagged departed: %+v", a)
			}
			decision = `{"decision":"revoke","reason":"Left the company."}`
		}
		var e apiErr
		if code := m.call(t, other, "POST", fmt.Sprintf("%s/accounts/%d/decision", base, a.ID), decision, &e); code != http.StatusForbidden {
			t.Errorf("another member decided: %d %+v", code, e)
		}
		var out assay.AccessAccount
		if code := m.call(t, owner, "POST", fmt.Sprintf("%s/accounts/%d/decision", base, a.ID), decision, &out); code != http.StatusOK || out.DecidedBy != me.ID {
			t.Fatalf("decide %s: %d %+v", a.Account, code, out)
		}
	}
	var actions struct {
		CorrectiveActions []assay.CorrectiveAction `json:"corrective_actions"`
	}
	m.call(t, admin, "GET", "/api/v1/corrective-actions?source=access_review", "", &actions)
	if len(actions.CorrectiveActions) != 1 || actions.CorrectiveActions[0].OwnerID != me.ID {
		t.Fatalf("corrective actions = %+v", actions)
	}
	if code := m.call(t, admin, "POST", base+"/complete", "", &rv); code != http.StatusOK || rv.EvidenceID == 0 {
		t.Fatalf("complete: %d %+v", code, rv)
	}
	var ev assay.Evidence
	m.call(t, admin, "GET", fmt.Sprintf("/api/v1/evidence/%d", rv.EvidenceID), "", &ev)
	if strings.Join(ev.Controls, ",") != "ACC-04,ACC-05" || !strings.Contains(ev.NoteText, "Left the company.") {
		t.Errorf("evidence = %+v", ev)
	}
	var rd assay.Readiness
	m.call(t, admin, "GET", "/api/v1/readiness", "", &rd)
	for _, c := range rd.Criteria {
		if (c.ID == "CC6.2" || c.ID == "CC6.3") && strings.Contains(c.Reason, "access review") {
			t.Errorf("%s still held back: %q", c.ID, c.Reason)
		}
	}

	// Upcoming and the calendar feed show the next quarterly campaign.
	var up struct {
		Upcoming []assay.Obligation `json:"upcoming"`
	}
	m.call(t, admin, "GET", "/api/v1/upcoming", "", &up)
	found := false
	for _, o := range up.Upcoming {
		found = found || o.Title == "Next quarterly access review"
	}
	if !found {
		t.Errorf("upcoming = %+v", up)
	}
	secret := "assay_cal_" + strings.Repeat("q", 32)
	m.call(t, admin, "GET", "/api/v1/me", "", &who)
	adminUser := who.User
	if _, err := m.Store.Org(orgID).CreateCalendarToken(context.Background(), assay.SystemActor, adminUser.ID, auth.HashToken(secret)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(m.URL() + "/calendar/" + secret + ".ics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	cal, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(cal), "SUMMARY:Next quarterly access review\r\n") {
		t.Errorf("calendar: %d\n%s", resp.StatusCode, cal)
	}
}
