package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
)

type auditResp struct {
	assay.Audit
	Warnings []string `json:"warnings"`
}

func TestAPIAudits(t *testing.T) {
	t.Parallel()
	for _, pg := range []bool{false, true} {
		name := map[bool]string{false: "sqlite", true: "postgres"}[pg]
		t.Run(name, func(t *testing.T) {
			clock := &assay.FixedClock{T: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
			m := startMainWith(t, pg, func(c *Config) { c.Clock = clock })
			testAPIAudits(t, m, clock)
		})
	}
}

func testAPIAudits(t *testing.T, m *testMain, clock *assay.FixedClock) {
	orgID, admin := m.orgWithAdmin(t, "Acme")
	_, other := m.orgWithAdmin(t, "Other")

	var a, short auditResp
	if code := m.call(t, admin, "POST", "/api/v1/audits", `{"type":"type_2","name":"SOC 2 Type II 2026","firm":"Example LLP","period_start":"2026-01-01","period_end":"2026-12-31"}`, &a); code != 201 || len(a.Warnings) != 0 || len(a.Scope.Controls) == 0 {
		t.Fatalf("create: %d %+v", code, a)
	}
	if code := m.call(t, admin, "POST", "/api/v1/audits", `{"type":"type_2","name":"Short","firm":"Example LLP","period_start":"2026-01-01","period_end":"2026-02-15"}`, &short); code != 201 || len(short.Warnings) != 1 || !strings.Contains(short.Warnings[0], "6 to 12") {
		t.Fatalf("short period: %d %+v", code, short)
	}
	var e apiErr
	if code := m.call(t, admin, "POST", "/api/v1/audits", `{"type":"type_2","name":"Backwards","firm":"F","period_start":"2026-05-01","period_end":"2026-04-01"}`, &e); code != 400 || e.Error.Field != "period_end" {
		t.Fatalf("end before start: %d %+v", code, e)
	}
	var list struct {
		Audits []auditResp `json:"audits"`
	}
	if code := m.call(t, admin, "GET", "/api/v1/audits", "", &list); code != 200 || len(list.Audits) != 2 {
		t.Fatalf("list: %d %+v", code, list)
	}
	if code := m.call(t, other, "GET", fmt.Sprintf("/api/v1/audits/%d", a.ID), "", nil); code != 404 {
		t.Fatalf("another organisation reads the audit: %d", code)
	}

	// Changes in the period, then a sample of them.
	ctl := a.Scope.Controls[0].ID
	clock.Advance(time.Hour)
	if code := m.call(t, admin, "PATCH", "/api/v1/controls/"+ctl, `{"status":"in_progress"}`, nil); code != 200 {
		t.Fatalf("patch: %d", code)
	}
	var period assay.AuditPeriod
	if code := m.call(t, admin, "GET", fmt.Sprintf("/api/v1/audits/%d/period", a.ID), "", &period); code != 200 || len(period.Controls) != len(a.Scope.Controls) {
		t.Fatalf("period: %d", code)
	}
	if pc := period.Controls[0]; pc.ID != ctl || len(pc.History) != 1 || len(pc.Exceptions) != 1 || pc.Exceptions[0].Resolution != assay.Unresolved {
		t.Fatalf("period of %s: %+v", ctl, pc)
	}

	// An auditor invited for this engagement, for two days.
	var aud assay.User
	body := fmt.Sprintf(`{"email":"ann@audit.example","name":"Ann","password":"long enough password","expires_at":%q}`, clock.Now().Add(48*time.Hour).Format(time.RFC3339))
	if code := m.call(t, admin, "POST", fmt.Sprintf("/api/v1/audits/%d/auditors", a.ID), body, &aud); code != 201 || aud.EngagementID != a.ID || aud.Role != assay.RoleAuditor {
		t.Fatalf("invite: %d %+v", code, aud)
	}
	secret := auth.NewToken(auth.PrefixAPIToken)
	if _, err := m.Store.Org(orgID).CreateAPIToken(context.Background(), assay.SystemActor, assay.APIToken{UserID: aud.ID, Name: "ann", Prefix: secret[:14]}, auth.HashToken(secret)); err != nil {
		t.Fatal(err)
	}
	own := fmt.Sprintf("/api/v1/audits/%d", a.ID)
	for path, want := range map[string]int{
		own: 200, own + "/period": 200, own + "/samples": 200, "/api/v1/controls/" + ctl: 200, "/api/v1/me": 200,
		"/api/v1/audits": 200, "/api/v1/controls": 200, // their engagement, its frozen scope
		fmt.Sprintf("/api/v1/audits/%d", short.ID): 404, "/api/v1/readiness": 404, "/api/v1/scope": 404, "/api/v1/users": 404,
	} {
		if code := m.call(t, secret, "GET", path, "", nil); code != want {
			t.Errorf("limited auditor GET %s: %d, want %d", path, code, want)
		}
	}
	if code := m.call(t, secret, "PATCH", "/api/v1/controls/"+ctl, `{"notes":"x"}`, nil); code != 404 {
		t.Errorf("limited auditor PATCH: %d", code)
	}
	var sample assay.AuditSample
	if code := m.call(t, secret, "POST", own+"/samples", `{"population":"changes","size":2,"seed":"12345"}`, &sample); code != 201 || sample.Seed != 12345 || len(sample.Keys) != 2 {
		t.Fatalf("auditor draws a sample: %d %+v", code, sample)
	}
	if code := m.call(t, secret, "POST", fmt.Sprintf("/api/v1/audits/%d/samples", short.ID), `{"population":"changes","size":1}`, nil); code != 404 {
		t.Fatalf("auditor samples another engagement: %d", code)
	}

	// The sample can be reproduced offline from the database.
	out, err := runCLI(t, "", "--data", m.Config.DataDir, "--db", m.Config.DBURL, "audit", "sample", "--org", "acme", "--audit", fmt.Sprint(a.ID), "--population", "changes", "--size", "2", "--seed", "12345", "--json")
	if err != nil {
		t.Fatalf("reproduce: %v\n%s", err, out)
	}
	var rep struct {
		Keys    []string `json:"keys"`
		Matches bool     `json:"matches"`
		Digest  string   `json:"population_digest"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || !rep.Matches || strings.Join(rep.Keys, ",") != strings.Join(sample.Keys, ",") || rep.Digest != sample.PopulationDigest {
		t.Fatalf("reproduced: %v %s", err, out)
	}
	if out, err := runCLI(t, "", "--data", m.Config.DataDir, "--db", m.Config.DBURL, "audit", "list", "--org", "acme"); err != nil || !strings.Contains(out, "SOC 2 Type II 2026") {
		t.Fatalf("audit list: %v\n%s", err, out)
	}

	// After the expiry, the token and the password stop working.
	clock.Advance(49 * time.Hour)
	if code := m.call(t, secret, "GET", own, "", nil); code != 401 {
		t.Fatalf("expired auditor's token: %d", code)
	}
	c := newBrowserClient(t)
	resp, err := c.PostForm(m.URL()+"/login", url.Values{"email": {"ann@audit.example"}, "password": {"long enough password"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("expired auditor signs in: %d", resp.StatusCode)
	}
	// Every change is ledgered, and the ledger still verifies.
	if out, err := runCLI(t, "", "--data", m.Config.DataDir, "--db", m.Config.DBURL, "verify"); err != nil {
		t.Fatalf("verify: %v\n%s", err, out)
	}
	// Engagements and samples changed behind Assay's back are caught.
	raw := rawDB(t, m)
	tamper := func(what string, queries ...string) {
		t.Helper()
		for _, q := range queries {
			if _, err := raw.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		out, err := runCLI(t, "", "--data", m.Config.DataDir, "--db", m.Config.DBURL, "verify")
		if err == nil || !strings.Contains(out+err.Error(), what) {
			t.Fatalf("verify after tampering with the %s: %v\n%s", what, err, out)
		}
	}
	tamper("Audit "+fmt.Sprint(a.ID), fmt.Sprintf(`UPDATE audits SET firm = 'Friendly LLP' WHERE id = %d`, a.ID))
	if _, err := raw.Exec(fmt.Sprintf(`UPDATE audits SET firm = 'Example LLP' WHERE id = %d`, a.ID)); err != nil {
		t.Fatal(err)
	}
	drop := []string{`DROP TRIGGER audit_samples_no_update`}
	if m.Config.DBURL != "" {
		drop = []string{`DROP TRIGGER audit_samples_append_only ON audit_samples`}
	}
	tamper("Sample "+fmt.Sprint(sample.ID), append(drop, fmt.Sprintf(`UPDATE audit_samples SET keys_json = '[]' WHERE id = %d`, sample.ID))...)
}
