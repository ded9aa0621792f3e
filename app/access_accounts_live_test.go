package app_test

import (
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/monitor/runner"
)

// TestAccessAccountsFromOktaAndGitHub loads a campaign's accounts from
// the latest run of an Okta, a Google Workspace, an Entra ID, an AWS and a GitHub source: their users and
// members, roles and MFA as privileges, a deprovisioned user as departed.
func TestAccessAccountsFromOktaAndGitHub(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	blobs := withBlobs(t, e)
	sys := assay.Actor{Name: "test", Via: "system"}
	o := e.db.Org(e.org.ID)
	for _, tc := range []struct {
		kind      string
		resources []assay.Resource
		check     func(map[string]assay.NewAccessAccount) bool
	}{
		{"okta", []assay.Resource{
			{Kind: app.KindOktaUser, ID: "alice@example.com", Name: "alice@example.com", Attrs: map[string]any{"login": "alice@example.com", "email": "alice@example.com",
				"status": "ACTIVE", "roles": []any{"SUPER_ADMIN"}, "mfa": true}},
			{Kind: app.KindOktaUser, ID: "eve@example.com", Name: "eve@example.com", Attrs: map[string]any{"login": "eve@example.com", "email": "eve@example.com",
				"status": "DEPROVISIONED", "roles": []any{}, "mfa": false}},
			{Kind: "okta.policy", ID: "00p1", Name: "Default", Attrs: map[string]any{"min_length": int64(12)}},
		}, func(got map[string]assay.NewAccessAccount) bool {
			return len(got) == 2 && strings.Contains(got["alice@example.com"].Privileges, "SUPER_ADMIN") && got["eve@example.com"].Departed &&
				strings.Contains(got["eve@example.com"].Privileges, "no MFA") && !got["alice@example.com"].Departed
		}},
		{"google-workspace", []assay.Resource{
			{Kind: app.KindGoogleUser, ID: "alice@example.com", Name: "alice@example.com", Attrs: map[string]any{"email": "alice@example.com",
				"status": "active", "roles": []any{"_SEED_ADMIN_ROLE"}, "enrolled_2sv": true}},
			{Kind: app.KindGoogleUser, ID: "old@example.com", Name: "old@example.com", Attrs: map[string]any{"email": "old@example.com",
				"status": "archived", "roles": []any{}, "enrolled_2sv": false}},
			{Kind: "google.role", ID: "9001", Name: "_SEED_ADMIN_ROLE", Attrs: map[string]any{"members": int64(1)}},
		}, func(got map[string]assay.NewAccessAccount) bool {
			return len(got) == 2 && got["alice@example.com"].Privileges == "_SEED_ADMIN_ROLE, status active" && got["old@example.com"].Departed &&
				got["old@example.com"].Email == "old@example.com" && strings.Contains(got["old@example.com"].Privileges, "no MFA")
		}},
		{"entra", []assay.Resource{
			{Kind: app.KindEntraUser, ID: "ada@contoso.com", Name: "ada@contoso.com", Attrs: map[string]any{"login": "ada@contoso.com", "email": "ada@contoso.com",
				"status": "enabled", "roles": []any{"Global Administrator"}, "mfa_registered": false}},
			{Kind: "entra.role", ID: "r1", Name: "Global Administrator", Attrs: map[string]any{"members": int64(1)}},
		}, func(got map[string]assay.NewAccessAccount) bool {
			return len(got) == 1 && got["ada@contoso.com"].Privileges == "Global Administrator, status enabled, no MFA"
		}},
		{"aws", []assay.Resource{
			{Kind: app.KindAWSIAMUser, ID: "arn:aws:iam::111122223333:user/deploy", Name: "deploy", Attrs: map[string]any{"login": "deploy", "account_id": "111122223333",
				"console_access": false, "mfa": false, "active_keys": int64(2)}},
			{Kind: app.KindAWSIAMUser, ID: "arn:aws:iam::444455556666:user/deploy", Name: "deploy", Attrs: map[string]any{"login": "deploy", "account_id": "444455556666",
				"console_access": true, "mfa": true, "active_keys": int64(1)}},
			{Kind: "aws.account", ID: "111122223333", Name: "111122223333", Attrs: map[string]any{"root_mfa": true}},
		}, func(got map[string]assay.NewAccessAccount) bool {
			return len(got) == 2 && got["111122223333/deploy"].Privileges == "2 active access keys, no MFA" &&
				got["444455556666/deploy"].Privileges == "console password, 1 active access key"
		}},
		{"github", []assay.Resource{
			{Kind: app.KindGitHubMember, ID: "octocat", Name: "octocat", Attrs: map[string]any{"login": "octocat", "role": "owner", "two_factor": true}},
			{Kind: app.KindGitHubMember, ID: "contractor", Name: "contractor", Attrs: map[string]any{"login": "contractor", "role": "outside collaborator", "two_factor": false}},
			{Kind: "github.repository", ID: "acme/api", Name: "acme/api", Attrs: map[string]any{"visibility": "private"}},
		}, func(got map[string]assay.NewAccessAccount) bool {
			return len(got) == 2 && got["octocat"].Privileges == "owner" && got["contractor"].Privileges == "outside collaborator, no MFA"
		}},
	} {
		src, err := o.CreateSource(ctx, sys, assay.Source{Name: tc.kind, Kind: tc.kind, Enabled: true, IntervalMinutes: 60}, nil)
		if err != nil {
			t.Fatalf("create %s source: %v", tc.kind, err)
		}
		snap, err := runner.Snapshot(ctx, blobs, tc.resources)
		if err != nil {
			t.Fatal(err)
		}
		now := e.clock.Now()
		if _, _, err := o.RecordRun(ctx, sys, assay.MonitorRun{SourceID: src.ID, Trigger: assay.TriggerManual, StartedAt: now, EndedAt: now, Status: assay.RunOK, Snapshot: snap}, nil, nil); err != nil {
			t.Fatalf("record run: %v", err)
		}
		list, err := e.app.SourceAccounts(ctx, o, src.ID, "")
		if err != nil {
			t.Fatalf("%s accounts: %v", tc.kind, err)
		}
		got := map[string]assay.NewAccessAccount{}
		for _, a := range list {
			if err := a.Validate(); err != nil {
				t.Errorf("%s account %+v: %v", tc.kind, a, err)
			}
			got[a.Account] = a
		}
		if !tc.check(got) {
			t.Errorf("%s accounts = %+v", tc.kind, list)
		}
	}
}
