package main

import (
	"context"
	"testing"

	"github.com/assay-platform/assay"
)

// TestDemoCollectors: the demo has one source of each kind added for
// issue #17, collected from recorded answers by the real collectors, with
// 30 days of runs; devices are joined to the People roster (Tomás has
// left and his Mac still checks in) and the live sources are not
// scheduled (they have no network to reach).
func TestDemoCollectors(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, true)
	ctx := context.Background()
	orgs, _ := m.Store.Organizations(ctx)
	os := m.Store.Org(orgs[0].ID)
	sources, err := os.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[string]assay.Source{}
	for _, s := range sources {
		byKind[s.Kind] = s
	}
	for _, kind := range []string{"google-workspace", "entra", "aws", "fleet", "jamf", "intune", "kandji"} {
		s, ok := byKind[kind]
		if !ok {
			t.Errorf("no %s source in the demo", kind)
			continue
		}
		runs, err := os.Runs(ctx, s.ID, 50)
		// 30 days of history; the server's scheduler may already have run an
		// enabled (file) source once more since it started.
		if err != nil || len(runs) < 30 || len(runs) > 31 || runs[0].Status != assay.RunOK {
			t.Errorf("%s: %d runs, %v", kind, len(runs), err)
		}
		if live := kind == "google-workspace" || kind == "entra" || kind == "aws" || kind == "fleet"; live == s.Enabled {
			t.Errorf("%s: enabled %v", kind, s.Enabled)
		}
	}
	results, err := os.CurrentResults(ctx, assay.ResultFilter{SourceID: byKind["fleet"].ID})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]assay.CheckStatus{}
	for _, r := range results {
		got[r.CheckID+" "+r.ResourceID] = r.Status
	}
	for key, want := range map[string]assay.CheckStatus{
		"device-departed-owner-returned c02tom0004": assay.CheckFail,
		"device-owner-on-roster c02dana001":         assay.CheckPass,
		"device-firewall-on c02ben0003":             assay.CheckFail,
		"device-disk-encrypted fxps00005":           assay.CheckFail,
	} {
		if got[key] != want {
			t.Errorf("%s: %s, want %s", key, got[key], want)
		}
	}
	results, _ = os.CurrentResults(ctx, assay.ResultFilter{SourceID: byKind["aws"].ID})
	got = map[string]assay.CheckStatus{}
	for _, r := range results {
		got[r.CheckID+" "+r.ResourceID] = r.Status
	}
	for key, want := range map[string]assay.CheckStatus{
		"aws-iam-user-console-mfa arn:aws:iam::210987654321:user/sam.dev":            assay.CheckFail,
		"aws-iam-user-console-mfa arn:aws:iam::210987654321:user/dana.ops":           assay.CheckPass,
		"aws-iam-user-keys-rotated arn:aws:iam::210987654321:user/ci-release":        assay.CheckFail,
		"aws-rds-not-public arn:aws:rds:us-east-1:210987654321:db:analytics-scratch": assay.CheckFail,
		"aws-kms-key-rotation arn:aws:kms:us-east-1:210987654321:key/k-logs":         assay.CheckPass,
		"aws-security-group-no-world-open-ports 210987654321/us-east-1/sg-0b22ssh":   assay.CheckFail,
		"aws-s3-public-access-blocked arn:aws:s3:::northwind-marketing-site":         assay.CheckPass,
		"aws-s3-default-encryption arn:aws:s3:::northwind-app-uploads":               assay.CheckPass,
		"aws-root-mfa 210987654321":                              assay.CheckPass,
		"aws-guardduty-enabled 210987654321/us-east-1/guardduty": assay.CheckPass,
	} {
		if got[key] != want {
			t.Errorf("aws: %s: %s, want %s", key, got[key], want)
		}
	}
	results, _ = os.CurrentResults(ctx, assay.ResultFilter{SourceID: byKind["google-workspace"].ID})
	failing := 0
	for _, r := range results {
		if r.Status == assay.CheckFail {
			failing++
		}
	}
	if len(results) == 0 || failing == 0 {
		t.Errorf("google workspace: %d results, %d failing", len(results), failing)
	}
}
