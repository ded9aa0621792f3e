package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

// registerMain starts the program on either backend with a fixed clock.
func registerMain(t *testing.T, fn func(t *testing.T, m *testMain, clock *assay.FixedClock)) {
	for _, pg := range []bool{false, true} {
		name := map[bool]string{false: "sqlite", true: "postgres"}[pg]
		t.Run(name, func(t *testing.T) {
			clock := &assay.FixedClock{T: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
			m := startMainWith(t, pg, func(c *Config) { c.Clock = clock })
			fn(t, m, clock)
		})
	}
}

type riskResp struct {
	assay.Risk
	InherentScore int    `json:"inherent_score"`
	ResidualScore int    `json:"residual_score"`
	ResidualLevel string `json:"residual_level"`
}

func (m *testMain) me(t *testing.T, token string) assay.User {
	t.Helper()
	var me struct {
		User assay.User `json:"user"`
	}
	if code := m.call(t, token, "GET", "/api/v1/me", "", &me); code != 200 || me.User.ID == 0 {
		t.Fatalf("me: %d", code)
	}
	return me.User
}

func criterionMet(t *testing.T, m *testMain, token, id string) (bool, string) {
	t.Helper()
	var r assay.Readiness
	if code := m.call(t, token, "GET", "/api/v1/readiness", "", &r); code != 200 {
		t.Fatalf("readiness: %d", code)
	}
	for _, c := range r.Criteria {
		if c.ID == id {
			return c.Met, c.Reason
		}
	}
	t.Fatalf("%s not in readiness", id)
	return false, ""
}

func TestAPIRisks(t *testing.T) {
	t.Parallel()
	registerMain(t, func(t *testing.T, m *testMain, clock *assay.FixedClock) {
		orgID, admin := m.orgWithAdmin(t, "Acme")
		_, other := m.orgWithAdmin(t, "Other")
		member := m.userToken(t, orgID, "mo@acme.example", assay.RoleMember)
		viewer := m.userToken(t, orgID, "vi@acme.example", assay.RoleViewer)
		adminU, memberU := m.me(t, admin), m.me(t, member)

		var r riskResp
		body := fmt.Sprintf(`{"category":"security","title":"Phished admin","likelihood":4,"impact":5,"residual_likelihood":2,"residual_impact":4,"owner_id":%d,"controls":["ACC-01"]}`, memberU.ID)
		if code := m.call(t, admin, "POST", "/api/v1/risks", body, &r); code != 201 || r.InherentScore != 20 || r.ResidualScore != 8 || r.ResidualLevel != "medium" || r.OwnerName == "" {
			t.Fatalf("create: %d %+v", code, r)
		}
		// Bad input: a clear message, nothing written.
		for _, c := range []struct{ body, field string }{
			{`{"category":"security","title":"x","likelihood":6,"impact":1}`, "likelihood"},
			{`{"category":"security","title":"x","likelihood":2,"impact":2,"treatment":"accept"}`, "approver_id"},
			{`{"category":"security","title":"x","likelihood":2,"impact":2,"controls":["NOPE-99"]}`, "controls"},
			{`{"category":"security","title":"x","likelihood":2,"impact":2,"review_date":"soon"}`, "review_date"},
		} {
			var e apiErr
			if code := m.call(t, admin, "POST", "/api/v1/risks", c.body, &e); code != 400 || e.Error.Field != c.field || e.Error.Message == "" {
				t.Errorf("%s: %d %+v", c.body, code, e)
			}
		}
		// Roles: a viewer reads, cannot write; a member edits only what it owns.
		if code := m.call(t, viewer, "GET", fmt.Sprintf("/api/v1/risks/%d", r.ID), "", nil); code != 200 {
			t.Fatalf("viewer read: %d", code)
		}
		if code := m.call(t, viewer, "POST", "/api/v1/risks", `{"category":"security","title":"v","likelihood":1,"impact":1}`, nil); code != 403 {
			t.Fatalf("viewer create: %d", code)
		}
		upd := fmt.Sprintf(`{"category":"security","title":"Phished admin","likelihood":4,"impact":5,"residual_likelihood":1,"residual_impact":4,"owner_id":%d,"treatment":"accept","approver_id":%d,"accept_expires":"2026-09-30","status":"treated"}`, memberU.ID, adminU.ID)
		if code := m.call(t, member, "PUT", fmt.Sprintf("/api/v1/risks/%d", r.ID), upd, &r); code != 200 || r.Treatment != assay.TreatAccept || r.ApproverName == "" {
			t.Fatalf("member updates own risk: %d %+v", code, r)
		}
		steal := strings.Replace(upd, fmt.Sprintf(`"owner_id":%d`, memberU.ID), fmt.Sprintf(`"owner_id":%d`, adminU.ID), 1)
		if code := m.call(t, member, "PUT", fmt.Sprintf("/api/v1/risks/%d", r.ID), steal, nil); code != 400 {
			t.Fatalf("member hands the risk away: %d", code)
		}
		if code := m.call(t, other, "GET", fmt.Sprintf("/api/v1/risks/%d", r.ID), "", nil); code != 404 {
			t.Fatalf("another organisation reads the risk: %d", code)
		}

		// Readiness: CC3.x needs an assessment within 12 months.
		if met, why := criterionMet(t, m, admin, "CC3.2"); met || !strings.Contains(why, "risk assessment") {
			t.Fatalf("CC3.2 before an assessment: %v %q", met, why)
		}
		var a assay.RiskAssessment
		if code := m.call(t, admin, "POST", "/api/v1/risk-assessments", fmt.Sprintf(`{"date":"2026-03-01","summary":"Yearly review.","approver_id":%d}`, adminU.ID), &a); code != 201 || a.Risks != 1 {
			t.Fatalf("assessment: %d %+v", code, a)
		}
		if _, why := criterionMet(t, m, admin, "CC3.2"); strings.Contains(why, "risk assessment") {
			t.Fatalf("CC3.2 after an assessment: %q", why)
		}
		clock.Set(clock.T.AddDate(1, 1, 0))
		if _, why := criterionMet(t, m, admin, "CC3.2"); !strings.Contains(why, "more than 12 months") {
			t.Fatalf("CC3.2 with a stale assessment: %q", why)
		}

		// Templates: adopt one, then all.
		var adopted struct{ Count int }
		if code := m.call(t, admin, "POST", "/api/v1/risks/adopt", `{"template_ids":["RSK-18"]}`, &adopted); code != 201 || adopted.Count != 1 {
			t.Fatalf("adopt one: %d %+v", code, adopted)
		}
		if code := m.call(t, admin, "POST", "/api/v1/risks/adopt", `{"template_ids":["RSK-999"]}`, nil); code != 400 {
			t.Fatalf("adopt unknown: %d", code)
		}
		if code := m.call(t, admin, "POST", "/api/v1/risks/adopt", `{"template_ids":["all"]}`, &adopted); code != 201 || adopted.Count < 30 {
			t.Fatalf("adopt all: %d %+v", code, adopted)
		}

		// CSV: a bad row means nothing is imported; export round-trips.
		var list struct{ Count int }
		m.call(t, admin, "GET", "/api/v1/risks", "", &list)
		before := list.Count
		bad := "category,title,likelihood,impact,owner_email\nsecurity,Good one,2,2,mo@acme.example\nsecurity,Bad one,9,2,\nweather,Worse,1,1,nobody@x.example\n"
		var e apiErr
		if code := m.call(t, admin, "POST", "/api/v1/risks/import", bad, &e); code != 400 || !strings.Contains(e.Error.Message, "line 3") || !strings.Contains(e.Error.Message, "line 4") {
			t.Fatalf("bad import: %d %+v", code, e)
		}
		m.call(t, admin, "GET", "/api/v1/risks", "", &list)
		if list.Count != before {
			t.Fatalf("a refused import wrote %d risks", list.Count-before)
		}
		good := "category,title,likelihood,impact,owner_email,controls\nsecurity,Imported one,2,2,mo@acme.example,ACC-01\nfraud,Imported two,3,3,,\n"
		var imp struct{ Imported int }
		if code := m.call(t, admin, "POST", "/api/v1/risks/import", good, &imp); code != 201 || imp.Imported != 2 {
			t.Fatalf("import: %d %+v", code, imp)
		}
		code, _, raw := m.get(t, admin, "/api/v1/risks/export.csv")
		csv := string(raw)
		if code != 200 || !strings.HasPrefix(csv, "id,category,title") || !strings.Contains(csv, "Imported one") || !strings.Contains(csv, "mo@acme.example") {
			t.Fatalf("export: %d\n%s", code, csv)
		}
		if code := m.call(t, member, "POST", "/api/v1/risks/import", good, nil); code != 403 {
			t.Fatalf("member import: %d", code)
		}
	})
}
