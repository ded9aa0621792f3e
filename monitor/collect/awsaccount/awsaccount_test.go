package awsaccount

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/apiclient"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

const library = "../../../catalog/data/checks/aws.json"

var now = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func collector(s *collecttest.Sleeps) *Collector {
	return &Collector{Clock: &assay.FixedClock{T: now}, Sleep: s.Sleep}
}

func config(f *fakeAWS) monitor.Config {
	return monitor.Config{Settings: map[string]string{SettingRegions: "us-east-1, eu-west-1", SettingAssumeRoles: auditRole, SettingEndpoint: f.srv.URL},
		Secrets: map[string]string{SecretAccessKeyID: testKeyID, SecretSecretKey: testSecret}}
}

func byID(res []assay.Resource) map[string]assay.Resource {
	m := map[string]assay.Resource{}
	for _, r := range res {
		m[r.ID] = r
	}
	return m
}

func TestCollectsTwoAccountsThroughPagesThrottlingAndAnAssumedRole(t *testing.T) {
	f := example(t)
	f.then("iam:ListUsers", fakeFailure{400, "Throttling", "Rate exceeded"})
	f.then("kms:ListKeys", fakeFailure{400, "ThrottlingException", "Rate exceeded"})
	f.then("s3:ListBuckets", fakeFailure{503, "SlowDown", "Please reduce your request rate."})
	f.then("ec2:DescribeSecurityGroups", fakeFailure{503, "RequestLimitExceeded", "Request limit exceeded."})
	s := &collecttest.Sleeps{}
	var kept []byte
	cfg := config(f)
	cfg.Keep = func(_ context.Context, doc []byte) (string, error) { kept = doc; return "abc123", nil }
	ctx, notes := monitor.WithNotes(context.Background())
	res, err := collector(s).Collect(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if f.badAuth != 0 || f.issued != 1 {
		t.Errorf("%d unsigned or unknown-key requests; %d role sessions", f.badAuth, f.issued)
	}
	if len(s.All()) != 4 {
		t.Errorf("waits %v, want one per throttled answer", s.All())
	}
	for prefix, want := range map[string]int{
		mainAccount + " iam ListUsers":              3 + 1, // 5 users, 2 a page, one throttled answer
		mainAccount + " s3 ListBuckets":             2 + 1,
		mainAccount + " ec2 DescribeSecurityGroups": 2 + 1 + 1, // us-east-1: 2 pages and a retry; eu-west-1: 1
		mainAccount + " kms ListKeys us-east-1":     2 + 1,
		mainAccount + " rds DescribeDBInstances":    2 + 1,
		mainAccount + " s3 GetBucketLocation":       1, // the bucket ListBuckets gave no region for
		mainAccount + " kms GetKeyRotationStatus":   2, // the asymmetric and AWS managed keys are not asked
		otherAccount + " iam ListUsers":             1,
		otherAccount + " guardduty GetDetector":     1,
		mainAccount + " sts AssumeRole":             1,
	} {
		if n := f.count(prefix); n != want {
			t.Errorf("%q: %d requests, want %d", prefix, n, want)
		}
	}
	if len(res) != 24+4 {
		t.Errorf("%d resources, want 24 from the first account and 4 from the role's", len(res))
	}
	kinds := map[string]bool{}
	for _, r := range res {
		if !kinds[r.Kind] {
			kinds[r.Kind] = true
			collecttest.SameKeys(t, library, r)
		}
	}
	m := byID(res)
	for id, want := range map[string]map[string]any{
		"arn:aws:iam::111122223333:user/alice":                     {"console_access": true, "mfa": true, "active_keys": int64(1), "oldest_active_key_days": int64(30), "last_activity_days": int64(1)},
		"arn:aws:iam::111122223333:user/ci-deploy":                 {"console_access": false, "active_keys": int64(1), "oldest_active_key_days": int64(200), "last_activity_days": int64(2)},
		"arn:aws:iam::111122223333:user/svc-unused":                {"never_used": true, "last_activity_days": int64(300), "password_last_used_days": int64(-1)},
		"arn:aws:iam::111122223333:user/old-contractor":            {"mfa_devices": int64(2), "password_last_used_days": int64(150)},
		"arn:aws:iam::444455556666:user/auditor":                   {"account_id": otherAccount, "mfa": true},
		mainAccount:                                                {"root_mfa": true, "root_access_keys": false, "password_min_length": int64(14), "users": int64(5), "multi_region_trail": true},
		otherAccount:                                               {"root_mfa": false, "root_access_keys": true, "password_policy": false, "multi_region_trail": false},
		"arn:aws:s3:::acme-public-site":                            {"region": "eu-west-1", "public_access_blocked": false, "encryption": "AES256", "versioning": "Disabled", "logging": false},
		"arn:aws:s3:::acme-data":                                   {"region": "us-east-1", "public_access_blocked": false, "encrypted": false, "versioning": "Suspended", "logging": true},
		"arn:aws:s3:::acme-logs":                                   {"public_access_blocked": true, "encryption": "aws:kms", "versioning": "Enabled"},
		"arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-trail": {"multi_region": false, "logging": false, "log_file_validation": false},
		"arn:aws:rds:us-east-1:111122223333:db:legacy-db":          {"publicly_accessible": true, "storage_encrypted": false, "backup_retention_period": int64(1)},
		"arn:aws:rds:eu-west-1:111122223333:db:orders-replica":     {"is_replica": true, "region": "eu-west-1"},
		"arn:aws:kms:us-east-1:111122223333:key/k2":                {"rotatable": true, "rotation_enabled": false},
		"arn:aws:kms:us-east-1:111122223333:key/k4":                {"rotatable": false, "spec": "RSA_2048"},
		"111122223333/us-east-1/guardduty":                         {"enabled": true},
		"444455556666/us-east-1/guardduty":                         {"enabled": false, "detector_id": "98fe"},
		"111122223333/eu-west-1/guardduty":                         {"enabled": false, "detector_id": ""},
	} {
		r, ok := m[id]
		if !ok {
			t.Errorf("no resource %s", id)
			continue
		}
		for k, v := range want {
			if r.Attrs[k] != v {
				t.Errorf("%s: %s = %#v, want %#v", id, k, r.Attrs[k], v)
			}
		}
	}
	if _, ok := m["arn:aws:kms:us-east-1:111122223333:key/k3"]; ok {
		t.Error("an AWS managed key was reported")
	}
	open := func(id string) string {
		b, _ := json.Marshal(m[id].Attrs["world_open_ports"])
		return string(b)
	}
	if open("111122223333/us-east-1/sg-0web") != "[]" || open("111122223333/us-east-1/sg-0ssh") != `["tcp/22"]` ||
		open("111122223333/us-east-1/sg-0all") != `["all"]` || open("111122223333/eu-west-1/sg-0db") != "[]" {
		t.Errorf("open ports: web %s, bastion %s, debug %s, database %s", open("111122223333/us-east-1/sg-0web"), open("111122223333/us-east-1/sg-0ssh"),
			open("111122223333/us-east-1/sg-0all"), open("111122223333/eu-west-1/sg-0db"))
	}
	note := strings.Join(notes.List(), "\n")
	if !strings.Contains(note, "abc123") || !strings.Contains(note, Version) || !strings.Contains(note, "111122223333, 444455556666") {
		t.Errorf("notes: %q", note)
	}
	var doc apiclient.Provenance
	if err := json.Unmarshal(kept, &doc); err != nil || doc.Requests != f.count("") || doc.Rows != len(res) {
		t.Fatalf("provenance: %v, %d requests of %d", err, doc.Requests, f.count(""))
	}
	ops, redacted := map[string]bool{}, false
	for _, e := range doc.Responses {
		ops[e.Operation] = true
		if e.APIVersion == "" {
			t.Errorf("%s: no API version", e.Operation)
		}
		for _, secret := range []string{testSecret, "session-secret-1", "session-token-1"} {
			if strings.Contains(e.Text, secret) || strings.Contains(e.URL, secret) {
				t.Errorf("the raw responses hold %q", secret)
			}
		}
		redacted = redacted || strings.Contains(e.Text, "<SecretAccessKey>[redacted]</SecretAccessKey><SessionToken>[redacted]</SessionToken>")
	}
	if doc.APIVersion() != "2011-06-15" { // STS GetCallerIdentity comes first
		t.Errorf("provenance API version %q", doc.APIVersion())
	}
	if !redacted || !ops["IAM ListUsers (us-east-1)"] || !ops["RDS DescribeDBInstances (eu-west-1)"] || !ops["GuardDuty GetDetector (us-east-1)"] {
		t.Errorf("provenance lacks the operations or the redacted session: %v", ops)
	}
}

// A multi-region trail living in a region the source does not read still
// counts for the account (through its shadow), but is not reported twice.
func TestAMultiRegionTrailSeenFromAnotherRegion(t *testing.T) {
	f := example(t)
	cfg := config(f)
	cfg.Settings[SettingRegions] = "eu-west-1"
	res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	m := byID(res)
	if m[mainAccount].Attrs["multi_region_trail"] != true || m[otherAccount].Attrs["multi_region_trail"] != false {
		t.Errorf("multi-region trail: %v, %v", m[mainAccount].Attrs["multi_region_trail"], m[otherAccount].Attrs["multi_region_trail"])
	}
	if _, ok := m["arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail"]; ok || m["arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-trail"].Kind != KindTrail {
		t.Error("trails reported outside their home region, or not in it")
	}
}

func TestAMissingPermissionNamesTheIAMAction(t *testing.T) {
	for action, c := range map[string]struct {
		fail fakeFailure
		want string
	}{
		"iam:ListUsers":              {fakeFailure{403, "AccessDenied", "User: arn:aws:iam::111122223333:user/assay is not authorized to perform: iam:ListUsers"}, "iam:ListUsers"},
		"iam:GetLoginProfile":        {fakeFailure{403, "AccessDenied", "not authorized"}, "iam:GetLoginProfile"},
		"s3:GetPublicAccessBlock":    {fakeFailure{403, "AccessDenied", "Access Denied"}, "s3:GetBucketPublicAccessBlock"},
		"s3:GetBucketEncryption":     {fakeFailure{403, "AccessDenied", "Access Denied"}, "s3:GetEncryptionConfiguration"},
		"ec2:DescribeSecurityGroups": {fakeFailure{403, "UnauthorizedOperation", "You are not authorized to perform this operation."}, "ec2:DescribeSecurityGroups"},
		"rds:DescribeDBInstances":    {fakeFailure{403, "AccessDenied", "not authorized"}, "rds:DescribeDBInstances"},
		"kms:GetKeyRotationStatus":   {fakeFailure{400, "AccessDeniedException", "not authorized"}, "kms:GetKeyRotationStatus"},
		"cloudtrail:GetTrailStatus":  {fakeFailure{400, "AccessDeniedException", "not authorized"}, "cloudtrail:GetTrailStatus"},
		"guardduty:ListDetectors":    {fakeFailure{403, "AccessDeniedException", "not authorized"}, "guardduty:ListDetectors"},
		"sts:AssumeRole":             {fakeFailure{403, "AccessDenied", "not authorized to perform: sts:AssumeRole"}, "sts:AssumeRole"},
	} {
		f := example(t)
		f.then(action, c.fail)
		res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), config(f))
		if err == nil || res != nil || !errors.Is(err, apiclient.ErrPartial) || !strings.Contains(err.Error(), "needs the IAM action "+c.want) {
			t.Errorf("%s refused: %v, %d resources; want an error naming %s", action, err, len(res), c.want)
		}
	}
}

func TestThrottlingThatNeverEndsFailsTheRun(t *testing.T) {
	f := example(t)
	for range 10 {
		f.then("iam:GetAccountSummary", fakeFailure{400, "Throttling", "Rate exceeded"})
	}
	s := &collecttest.Sleeps{}
	res, err := collector(s).Collect(context.Background(), config(f))
	if err == nil || res != nil || !strings.Contains(err.Error(), "still throttling iam:GetAccountSummary") || len(s.All()) != 7 {
		t.Errorf("%v, %d resources, %d waits", err, len(res), len(s.All()))
	}
}

func TestAnUnknownKeyIsRefusedWithoutShowingTheSecret(t *testing.T) {
	f := example(t)
	cfg := config(f)
	cfg.Secrets[SecretAccessKeyID] = "AKIAUNKNOWNEXAMPLE00"
	res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), cfg)
	if err == nil || res != nil || !strings.Contains(err.Error(), "InvalidClientTokenId") || strings.Contains(err.Error(), testSecret) || f.badAuth != 1 {
		t.Fatalf("%v, %d resources, %d refused", err, len(res), f.badAuth)
	}
}

func TestARoleWithAnExternalID(t *testing.T) {
	f := example(t)
	f.externID = "assay-7f3a"
	cfg := config(f)
	if _, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "sts:AssumeRole") ||
		!strings.Contains(err.Error(), auditRole) {
		t.Errorf("without the external ID: %v", err)
	}
	cfg.Settings[SettingExternalID] = "assay-7f3a"
	if res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), cfg); err != nil || len(res) != 28 {
		t.Errorf("with it: %v, %d resources", err, len(res))
	}
}

func TestValidateAndPlan(t *testing.T) {
	c := NewWithClock(&assay.FixedClock{T: now})
	if err := c.Validate(monitor.Config{}); err != nil {
		t.Fatalf("the default chain in us-east-1: %v", err)
	}
	for field, cfg := range map[string]monitor.Config{
		SettingRegions:     {Settings: map[string]string{SettingRegions: "us-east-1, Frankfurt"}},
		SettingAssumeRoles: {Settings: map[string]string{SettingAssumeRoles: "arn:aws:iam::123:user/bob"}},
		SettingEndpoint:    {Settings: map[string]string{SettingEndpoint: "localhost:4566"}},
		SecretSecretKey:    {Secrets: map[string]string{SecretAccessKeyID: testKeyID}},
		SecretAccessKeyID:  {Secrets: map[string]string{SecretSecretKey: testSecret}},
	} {
		var e *assay.Error
		if err := c.Validate(cfg); !errors.As(err, &e) || e.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	lines, err := c.(monitor.Planner).Plan(monitor.Config{Settings: map[string]string{SettingRegions: "eu-west-2", SettingAssumeRoles: auditRole},
		Secrets: map[string]string{SecretAccessKeyID: testKeyID, SecretSecretKey: testSecret}})
	all := strings.Join(lines, "\n")
	if err != nil || strings.Contains(all, testSecret) || !strings.Contains(all, "POST https://iam.amazonaws.com Action=ListUsers") ||
		!strings.Contains(all, "https://ec2.eu-west-2.amazonaws.com Action=DescribeSecurityGroups") || !strings.Contains(all, "RoleArn="+auditRole) ||
		!strings.Contains(all, "guardduty:GetDetector") {
		t.Errorf("plan: %v\n%s", err, all)
	}
}

func TestLibraryChecksJudgeTheCollectedAccounts(t *testing.T) {
	collecttest.Library(t, library)
	f := example(t)
	res, err := collector(&collecttest.Sleeps{}).Collect(context.Background(), config(f))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]assay.CheckStatus{}
	for _, r := range collecttest.RunLibrary(t, "aws-", res) {
		got[r.CheckID+" "+r.ResourceID] = r.Status
	}
	const u = "arn:aws:iam::111122223333:user/"
	for key, want := range map[string]assay.CheckStatus{
		"aws-root-mfa " + mainAccount:                                                            assay.CheckPass,
		"aws-root-mfa " + otherAccount:                                                           assay.CheckFail,
		"aws-root-no-access-keys " + otherAccount:                                                assay.CheckFail,
		"aws-password-policy-strong " + mainAccount:                                              assay.CheckPass,
		"aws-password-policy-strong " + otherAccount:                                             assay.CheckFail,
		"aws-cloudtrail-multi-region-logging " + mainAccount:                                     assay.CheckPass,
		"aws-cloudtrail-multi-region-logging " + otherAccount:                                    assay.CheckFail,
		"aws-iam-user-console-mfa " + u + "alice":                                                assay.CheckPass,
		"aws-iam-user-console-mfa " + u + "bob":                                                  assay.CheckFail,
		"aws-iam-user-console-mfa " + u + "ci-deploy":                                            assay.CheckPass,
		"aws-iam-user-keys-rotated " + u + "ci-deploy":                                           assay.CheckFail,
		"aws-iam-user-keys-rotated " + u + "alice":                                               assay.CheckPass,
		"aws-iam-user-credentials-used " + u + "old-contractor":                                  assay.CheckFail,
		"aws-iam-user-credentials-used " + u + "svc-unused":                                      assay.CheckFail,
		"aws-iam-user-credentials-used " + u + "bob":                                             assay.CheckPass,
		"aws-s3-public-access-blocked arn:aws:s3:::acme-logs":                                    assay.CheckPass,
		"aws-s3-public-access-blocked arn:aws:s3:::acme-data":                                    assay.CheckFail,
		"aws-s3-default-encryption arn:aws:s3:::acme-data":                                       assay.CheckFail,
		"aws-s3-default-encryption arn:aws:s3:::acme-public-site":                                assay.CheckPass,
		"aws-s3-versioning arn:aws:s3:::acme-data":                                               assay.CheckFail,
		"aws-s3-access-logging arn:aws:s3:::acme-public-site":                                    assay.CheckFail,
		"aws-cloudtrail-log-validation arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-trail": assay.CheckFail,
		"aws-cloudtrail-trail-logging arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail": assay.CheckPass,
		"aws-rds-storage-encrypted arn:aws:rds:us-east-1:111122223333:db:legacy-db":              assay.CheckFail,
		"aws-rds-not-public arn:aws:rds:us-east-1:111122223333:db:orders-db":                     assay.CheckPass,
		"aws-rds-backup-retention arn:aws:rds:eu-west-1:111122223333:db:orders-replica":          assay.CheckPass,
		"aws-rds-backup-retention arn:aws:rds:us-east-1:111122223333:db:legacy-db":               assay.CheckFail,
		"aws-security-group-no-world-open-ports 111122223333/us-east-1/sg-0web":                  assay.CheckPass,
		"aws-security-group-no-world-open-ports 111122223333/us-east-1/sg-0ssh":                  assay.CheckFail,
		"aws-kms-key-rotation arn:aws:kms:us-east-1:111122223333:key/k2":                         assay.CheckFail,
		"aws-kms-key-rotation arn:aws:kms:us-east-1:111122223333:key/k4":                         assay.CheckPass,
		"aws-guardduty-enabled 111122223333/us-east-1/guardduty":                                 assay.CheckPass,
		"aws-guardduty-enabled 111122223333/eu-west-1/guardduty":                                 assay.CheckFail,
	} {
		if got[key] != want {
			t.Errorf("%s: %s, want %s", key, got[key], want)
		}
	}
}
