package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

type vendorResp struct {
	assay.Vendor
	Tier          string    `json:"tier"`
	ComputedTier  string    `json:"computed_tier"`
	NextReviewDue time.Time `json:"next_review_due"`
	ReviewCurrent bool      `json:"review_current"`
	SOC2State     string    `json:"soc2_state"`
	Missing       []string  `json:"missing_clauses"`
}

func TestAPIVendors(t *testing.T) {
	t.Parallel()
	registerMain(t, func(t *testing.T, m *testMain, clock *assay.FixedClock) {
		orgID, admin := m.orgWithAdmin(t, "Acme")
		_, other := m.orgWithAdmin(t, "Other")
		member := m.userToken(t, orgID, "mo@acme.example", assay.RoleMember)
		memberU := m.me(t, member)

		var v vendorResp
		body := fmt.Sprintf(`{"name":"Cloud Host","services":"Hosting","data_shared":"Customer records","classification":"restricted","criticality":"medium","owner_id":%d,"clauses":["security","confidentiality"],"soc2_period_end":"2025-03-25"}`, memberU.ID)
		if code := m.call(t, admin, "POST", "/api/v1/vendors", body, &v); code != 201 || v.Tier != "high" || v.ReviewCurrent || v.SOC2State != assay.SOC2Expiring || len(v.Missing) != 2 {
			t.Fatalf("create: %d %+v", code, v)
		}
		if code := m.call(t, admin, "POST", "/api/v1/vendors", body, nil); code != 409 {
			t.Fatalf("duplicate name: %d", code)
		}
		for _, c := range []struct{ body, field string }{
			{`{"name":"X","classification":"secret","criticality":"low"}`, "classification"},
			{`{"name":"X","classification":"public","criticality":"low","tier_override":"high"}`, "tier_override_reason"},
			{`{"name":"X","classification":"public","criticality":"low","contract_start":"2026-05-01","contract_end":"2026-01-01"}`, "contract_end"},
			{`{"name":"X","classification":"public","criticality":"low","soc2_evidence_id":777}`, "soc2_evidence_id"},
		} {
			var e apiErr
			if code := m.call(t, admin, "POST", "/api/v1/vendors", c.body, &e); code != 400 || e.Error.Field != c.field {
				t.Errorf("%s: %d %+v", c.body, code, e)
			}
		}
		// CC9.2 waits for the high-tier vendor's review.
		if met, why := criterionMet(t, m, admin, "CC9.2"); met || !strings.Contains(why, "Cloud Host") {
			t.Fatalf("CC9.2 before the review: %v %q", met, why)
		}
		var qs struct {
			Questions []assay.VendorQuestion `json:"questions"`
		}
		if code := m.call(t, member, "GET", "/api/v1/vendor-questions", "", &qs); code != 200 || len(qs.Questions) < 25 {
			t.Fatalf("questions: %d %d", code, len(qs.Questions))
		}
		var answers []string
		for i, q := range qs.Questions {
			a := "yes"
			if i == 0 {
				a = "no"
			}
			answers = append(answers, fmt.Sprintf("%q:%q", q.ID, a))
		}
		var e apiErr
		if code := m.call(t, member, "POST", fmt.Sprintf("/api/v1/vendors/%d/review", v.ID), `{"answers":{"VQ-01":"yes"}}`, &e); code != 400 || !strings.Contains(e.Error.Message, "not answered") {
			t.Fatalf("incomplete review: %d %+v", code, e)
		}
		review := `{"answers":{` + strings.Join(answers, ",") + `}}`
		if code := m.call(t, member, "POST", fmt.Sprintf("/api/v1/vendors/%d/review", v.ID), review, &v); code != 200 || !v.ReviewCurrent || v.ReviewScore <= 0 || v.ReviewScore >= 100 {
			t.Fatalf("review by the owner: %d %+v", code, v)
		}
		if !v.NextReviewDue.Equal(clock.Now().AddDate(1, 0, 0)) {
			t.Fatalf("next review due %s", v.NextReviewDue)
		}
		if _, why := criterionMet(t, m, admin, "CC9.2"); strings.Contains(why, "Cloud Host") {
			t.Fatalf("CC9.2 after the review: %q", why)
		}
		// A member may not override the tier; an admin may, with a reason.
		upd := strings.Replace(body, `"criticality":"medium"`, `"criticality":"medium","tier_override":"low","tier_override_reason":"Only test data"`, 1)
		if code := m.call(t, member, "PUT", fmt.Sprintf("/api/v1/vendors/%d", v.ID), upd, nil); code != 400 {
			t.Fatalf("member overrides the tier: %d", code)
		}
		if code := m.call(t, admin, "PUT", fmt.Sprintf("/api/v1/vendors/%d", v.ID), upd, &v); code != 200 || v.Tier != "low" || v.ComputedTier != "high" {
			t.Fatalf("admin override: %d %+v", code, v)
		}
		if code := m.call(t, other, "GET", fmt.Sprintf("/api/v1/vendors/%d", v.ID), "", nil); code != 404 {
			t.Fatalf("another organisation reads the vendor: %d", code)
		}

		// CSV: all or nothing, with line numbers.
		bad := "name,classification,criticality,subprocessor\nMailer,internal,low,yes\nCloud Host,public,low,no\nPayroll,secret,high,no\n"
		if code := m.call(t, admin, "POST", "/api/v1/vendors/import", bad, &e); code != 400 || !strings.Contains(e.Error.Message, "line 3") || !strings.Contains(e.Error.Message, "line 4") {
			t.Fatalf("bad import: %d %+v", code, e)
		}
		var list struct{ Count int }
		if m.call(t, admin, "GET", "/api/v1/vendors", "", &list); list.Count != 1 {
			t.Fatalf("a refused import wrote vendors: %d", list.Count)
		}
		good := "name,classification,criticality,subprocessor,clauses\nMailer,internal,low,yes,security breach_notification\nPayroll,confidential,high,no,\n"
		var imp struct{ Imported int }
		if code := m.call(t, admin, "POST", "/api/v1/vendors/import", good, &imp); code != 201 || imp.Imported != 2 {
			t.Fatalf("import: %d %+v", code, imp)
		}
		code, _, raw := m.get(t, admin, "/api/v1/vendors/export.csv")
		csv := string(raw)
		if code != 200 || !strings.Contains(csv, "Mailer,,,internal,low,,,,true") {
			t.Fatalf("export: %d\n%s", code, csv)
		}
		// Payroll is high tier and unreviewed: CC9.2 is held back again.
		if _, why := criterionMet(t, m, admin, "CC9.2"); !strings.Contains(why, "Payroll") {
			t.Fatalf("CC9.2 with an unreviewed import: %q", why)
		}
	})
}
