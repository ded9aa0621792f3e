package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
)

// TestEngagementExports: an engagement's exports cover its period and its
// frozen scope (a later change of scope does not reach them), the auditor
// limited to the engagement may take them, and the status moves on by API.
func TestEngagementExports(t *testing.T) {
	t.Parallel()
	for name, pg := range map[string]bool{"sqlite": false, "postgres": true} {
		t.Run(name, func(t *testing.T) {
			clock := &assay.FixedClock{T: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
			m := startMainWith(t, pg, func(c *Config) { c.Clock = clock })
			orgID, admin := m.orgWithAdmin(t, "Acme")

			var a auditResp
			if code := m.call(t, admin, "POST", "/api/v1/audits", `{"type":"type_2","name":"FY26","firm":"Example LLP","period_start":"2026-01-01","period_end":"2026-12-31"}`, &a); code != 201 {
				t.Fatalf("create: %d", code)
			}
			frozen := len(a.Scope.Criteria)
			if frozen != 33 {
				t.Fatalf("frozen scope has %d criteria, want the 33 security criteria", frozen)
			}
			// Widen the live scope after the engagement began.
			if code := m.call(t, admin, "PUT", "/api/v1/scope", `{"categories":["privacy"]}`, nil); code != 200 {
				t.Fatalf("scope: %d", code)
			}
			if _, _, err := m.IssueCheckpoint(context.Background()); err != nil {
				t.Fatal(err)
			}

			var doc struct {
				AssessmentResults struct {
					Results []struct {
						Start    string            `json:"start"`
						End      string            `json:"end"`
						Findings []json.RawMessage `json:"findings"`
					} `json:"results"`
				} `json:"assessment-results"`
			}
			code, _, body := m.get(t, admin, fmt.Sprintf("/api/v1/audits/%d/exports/oscal.json", a.ID))
			if code != 200 {
				t.Fatalf("engagement OSCAL: %d %s", code, body)
			}
			if err := json.Unmarshal(body, &doc); err != nil || len(doc.AssessmentResults.Results) != 1 {
				t.Fatalf("OSCAL document: %v", err)
			}
			res := doc.AssessmentResults.Results[0]
			if len(res.Findings) != frozen {
				t.Fatalf("engagement OSCAL has %d findings, want the %d frozen criteria (not the widened live scope)", len(res.Findings), frozen)
			}
			if res.Start[:10] != "2026-01-01" {
				t.Fatalf("result starts %s, want the engagement's period", res.Start)
			}
			// The CLI gives the same document for the engagement.
			out := filepath.Join(t.TempDir(), "oscal.json")
			args := []string{"--data", m.Config.DataDir, "--db", m.Config.DBURL, "export", "oscal", "--audit", fmt.Sprint(a.ID), "--org", "acme", "--out", out}
			if msg, err := runCLI(t, "", args...); err != nil {
				t.Fatalf("assay export oscal --audit: %v\n%s", err, msg)
			}
			b, _ := os.ReadFile(out)
			var cli struct {
				AssessmentResults struct {
					Results []struct {
						Findings []json.RawMessage `json:"findings"`
					} `json:"results"`
				} `json:"assessment-results"`
			}
			if err := json.Unmarshal(b, &cli); err != nil || len(cli.AssessmentResults.Results[0].Findings) != frozen {
				t.Fatalf("CLI engagement OSCAL: %v", err)
			}

			// The organisation-wide export follows the live scope instead.
			_, _, body = m.get(t, admin, "/api/v1/exports/oscal.json?from=2026-01-01&to=2026-12-31")
			json.Unmarshal(body, &doc)
			if n := len(doc.AssessmentResults.Results[0].Findings); n != 33+18 {
				t.Fatalf("live-scope OSCAL has %d findings, want 51", n)
			}

			// The auditor limited to the engagement takes its exports, not others.
			var aud assay.User
			inv := fmt.Sprintf(`{"email":"ann@audit.example","name":"Ann","password":"long enough password","expires_at":%q}`, clock.Now().Add(48*time.Hour).Format(time.RFC3339))
			if code := m.call(t, admin, "POST", fmt.Sprintf("/api/v1/audits/%d/auditors", a.ID), inv, &aud); code != 201 {
				t.Fatalf("invite: %d", code)
			}
			secret := auth.NewToken(auth.PrefixAPIToken)
			if _, err := m.Store.Org(orgID).CreateAPIToken(context.Background(), assay.SystemActor, assay.APIToken{UserID: aud.ID, Name: "ann", Prefix: secret[:14]}, auth.HashToken(secret)); err != nil {
				t.Fatal(err)
			}
			if code, _, _ := m.get(t, secret, fmt.Sprintf("/api/v1/audits/%d/exports/control-matrix.xlsx", a.ID)); code != 200 {
				t.Fatalf("limited auditor, own engagement matrix: %d", code)
			}
			for _, kind := range []string{"evidence-bundle.zip", "oscal.json"} {
				if code, _, _ := m.get(t, secret, fmt.Sprintf("/api/v1/audits/%d/exports/%s", a.ID, kind)); code != 200 {
					t.Fatalf("limited auditor, own engagement %s: %d", kind, code)
				}
			}
			if code, _, _ := m.get(t, secret, "/api/v1/exports/control-matrix.xlsx"); code != 404 {
				t.Fatalf("limited auditor, organisation-wide matrix: %d, want 404", code)
			}
			if code, _, _ := m.get(t, admin, "/api/v1/audits/999/exports/oscal.json"); code != 404 {
				t.Fatalf("unknown engagement: %d, want 404", code)
			}

			// Status by API: forward, then closed is final; bad input changes nothing.
			var e apiErr
			if code := m.call(t, admin, "PATCH", fmt.Sprintf("/api/v1/audits/%d", a.ID), `{"status":"done"}`, &e); code != 400 {
				t.Fatalf("bad status: %d %+v", code, e)
			}
			if code := m.call(t, secret, "PATCH", fmt.Sprintf("/api/v1/audits/%d", a.ID), `{"status":"closed"}`, nil); code != 404 {
				t.Fatalf("auditor closes the engagement: %d, want 404", code)
			}
			var got auditResp
			if code := m.call(t, admin, "PATCH", fmt.Sprintf("/api/v1/audits/%d", a.ID), `{"status":"fieldwork"}`, &got); code != 200 || got.Status != assay.AuditFieldwork {
				t.Fatalf("fieldwork: %d %+v", code, got.Status)
			}
		})
	}
}
