package terraform

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

// testNow is the date the tests judge Lambda runtimes at.
var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func collect(t *testing.T, file string) map[string]assay.Resource {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	res, err := NewWithClock(&assay.FixedClock{T: testNow}).Collect(context.Background(), monitor.Config{Input: data})
	if err != nil {
		t.Fatalf("collect %s: %v", file, err)
	}
	out := map[string]assay.Resource{}
	for _, r := range res {
		if _, dup := out[r.ID]; dup {
			t.Fatalf("duplicate id %s", r.ID)
		}
		out[r.ID] = r
	}
	return out
}

// collectNotes collects a document and returns the notes it gave the run.
func collectNotes(t *testing.T, data []byte) []string {
	t.Helper()
	ctx, notes := monitor.WithNotes(context.Background())
	if _, err := NewWithClock(&assay.FixedClock{T: testNow}).Collect(ctx, monitor.Config{Input: data}); err != nil {
		t.Fatal(err)
	}
	return notes.List()
}

// failures evaluates the library's terraform checks over the resources
// and returns "check-id resource-id" for every non-passing result.
func failures(t *testing.T, byID map[string]assay.Resource) []string {
	t.Helper()
	var res []assay.Resource
	for _, r := range byID {
		res = append(res, r)
	}
	var out []string
	for _, r := range collecttest.RunLibrary(t, "tf-", res) {
		if r.Status != assay.CheckPass {
			out = append(out, r.CheckID+" "+r.ResourceID)
		}
	}
	sort.Strings(out)
	return out
}

func TestPlanJoinsAndChecks(t *testing.T) {
	got := collect(t, "testdata/plan.json")
	if _, ok := got["data.aws_caller_identity.current"]; ok {
		t.Error("data sources must not become resources")
	}
	if _, ok := got["aws_s3_bucket.old"]; ok {
		t.Error("a resource the plan deletes must not be collected")
	}
	data := got["aws_s3_bucket.data"]
	if data.Kind != "terraform.aws_s3_bucket" || data.Name != "aws_s3_bucket.data" {
		t.Errorf("bucket identity: %+v", data)
	}
	// Joined through configuration references: the helpers' bucket
	// argument is unknown until apply.
	for k, want := range map[string]any{"encrypted": true, "sse_algorithm": "aws:kms", "public_access_blocked": true, "versioning": true, "logging": true, "public_acl": false} {
		if data.Attrs[k] != want {
			t.Errorf("aws_s3_bucket.data %s = %v, want %v", k, data.Attrs[k], want)
		}
	}
	// for_each instances in a child module are joined instance by instance.
	if got[`module.storage.aws_s3_bucket.this["logs"]`].Attrs["versioning"] != true || got[`module.storage.aws_s3_bucket.this["tmp"]`].Attrs["versioning"] != false {
		t.Error("module bucket versioning not joined per instance")
	}
	if ports := got["aws_security_group.bastion"].Attrs["open_admin_ports"]; !slices.Equal(ports.([]any), []any{int64(22), int64(3389)}) {
		t.Errorf("bastion open_admin_ports = %v", ports)
	}
	if _, ok := got["aws_db_instance.main"].Attrs["password"]; ok {
		t.Error("a sensitive value was kept")
	}
	if got["aws_iam_user.deploy"].Attrs["admin_policy_attached"] != true || got["aws_iam_user.deploy"].Attrs["active_access_keys"] != int64(1) {
		t.Errorf("deploy user: %v", got["aws_iam_user.deploy"].Attrs)
	}
	want := []string{
		"tf-iam-password-min-length aws_iam_account_password_policy.strict",
		"tf-iam-user-no-access-keys aws_iam_user.deploy",
		"tf-iam-user-no-admin-policy aws_iam_user.deploy",
		"tf-instance-imdsv2 aws_instance.app[0]",
		"tf-lb-listener-tls-policy aws_lb_listener.https",
		"tf-rds-instance-backup-retention aws_db_instance.legacy",
		"tf-rds-instance-deletion-protection aws_db_instance.legacy",
		"tf-rds-instance-encrypted aws_db_instance.legacy",
		"tf-rds-instance-iam-auth aws_db_instance.legacy",
		"tf-rds-instance-not-public aws_db_instance.legacy",
		"tf-s3-bucket-encrypted aws_s3_bucket.site",
		`tf-s3-bucket-encrypted module.storage.aws_s3_bucket.this["logs"]`,
		`tf-s3-bucket-encrypted module.storage.aws_s3_bucket.this["tmp"]`,
		"tf-s3-bucket-logging aws_s3_bucket.site",
		`tf-s3-bucket-logging module.storage.aws_s3_bucket.this["logs"]`,
		`tf-s3-bucket-logging module.storage.aws_s3_bucket.this["tmp"]`,
		"tf-s3-bucket-no-public-acl aws_s3_bucket.site",
		"tf-s3-bucket-public-access-blocked aws_s3_bucket.site",
		`tf-s3-bucket-public-access-blocked module.storage.aws_s3_bucket.this["logs"]`,
		`tf-s3-bucket-public-access-blocked module.storage.aws_s3_bucket.this["tmp"]`,
		"tf-s3-bucket-versioning aws_s3_bucket.site",
		`tf-s3-bucket-versioning module.storage.aws_s3_bucket.this["tmp"]`,
		"tf-sg-ingress-rule-no-open-admin-ports aws_vpc_security_group_ingress_rule.bastion_ssh",
		"tf-sg-no-open-admin-ports aws_security_group.bastion",
		"tf-sg-rule-no-open-admin-ports aws_security_group_rule.bastion_rdp",
	}
	if f := failures(t, got); !slices.Equal(f, want) {
		t.Errorf("failures:\n got %s\nwant %s", strings.Join(f, "\n     "), strings.Join(want, "\n     "))
	}
}

func TestStateJoinsAndChecks(t *testing.T) {
	got := collect(t, "testdata/state.json")
	archive := got["aws_s3_bucket.archive"].Attrs
	// Versioning comes from the separate resource (joined by bucket name),
	// the public access block from the account-level one, and the AllUsers
	// grant makes the ACL public.
	if archive["versioning"] != true || archive["public_access_blocked"] != true || archive["public_acl"] != true || archive["encrypted"] != true {
		t.Errorf("archive bucket: %v", archive)
	}
	if got["aws_security_group.db"].Attrs["open_all_ports"] != true {
		t.Error("an all-protocol world rule must open every port")
	}
	if got["aws_security_group_rule.db_egress"].Attrs["open_admin_ports"] == nil || len(got["aws_security_group_rule.db_egress"].Attrs["open_admin_ports"].([]any)) != 0 {
		t.Error("egress rules open nothing")
	}
	if l := got["aws_alb_listener.legacy"]; l.Kind != "terraform.aws_lb_listener" {
		t.Errorf("alias kind %q", l.Kind)
	}
	for id, r := range got {
		for _, secret := range []string{"s3cr3t-state", "wJalrXUtnFEMI-state-secret", "azure-key-state", "az-sql-state"} {
			if strings.Contains(strings.Join(flatten(r.Attrs), " "), secret) {
				t.Errorf("%s keeps a secret value", id)
			}
		}
	}
	if _, ok := got["module.platform.module.data.azurerm_mssql_server.sql"]; !ok {
		t.Error("nested child module not walked")
	}
	want := []string{
		"tf-azure-sql-auditing module.platform.module.data.azurerm_mssql_server.sql",
		"tf-azure-sql-entra-admin module.platform.module.data.azurerm_mssql_server.sql",
		"tf-azure-storage-https-only module.platform.module.data.azurerm_storage_account.lake",
		"tf-azure-storage-infrastructure-encryption module.platform.azurerm_storage_account.web",
		"tf-azure-storage-infrastructure-encryption module.platform.module.data.azurerm_storage_account.lake",
		"tf-azure-storage-min-tls module.platform.module.data.azurerm_storage_account.lake",
		"tf-azure-storage-no-public-blobs module.platform.module.data.azurerm_storage_account.lake",
		"tf-cloudsql-backups google_sql_database_instance.orders",
		"tf-cloudsql-no-public-ip google_sql_database_instance.orders",
		"tf-cloudsql-not-open-to-world google_sql_database_instance.orders",
		"tf-cloudsql-ssl-required google_sql_database_instance.orders",
		"tf-cloudtrail-kms-encrypted aws_cloudtrail.main",
		"tf-cloudtrail-log-validation aws_cloudtrail.main",
		"tf-cloudtrail-logging-enabled aws_cloudtrail.main",
		"tf-cloudtrail-multi-region aws_cloudtrail.main",
		"tf-ebs-encryption-by-default aws_ebs_encryption_by_default.this",
		"tf-ebs-volume-encrypted aws_ebs_volume.scratch",
		"tf-gcs-bucket-not-public google_storage_bucket.assets",
		"tf-gcs-bucket-public-access-prevention google_storage_bucket.assets",
		"tf-gcs-bucket-uniform-access google_storage_bucket.assets",
		"tf-gcs-bucket-versioning google_storage_bucket.assets",
		"tf-iam-policy-no-full-admin aws_iam_policy.everything",
		"tf-iam-user-no-admin-policy aws_iam_user.alice",
		"tf-lb-listener-https aws_alb_listener.legacy",
		"tf-rds-cluster-backup-retention aws_rds_cluster.aurora",
		"tf-rds-cluster-deletion-protection aws_rds_cluster.aurora",
		"tf-rds-cluster-encrypted aws_rds_cluster.aurora",
		"tf-s3-bucket-logging aws_s3_bucket.archive",
		"tf-s3-bucket-no-public-acl aws_s3_bucket.archive",
		"tf-sg-no-open-admin-ports aws_security_group.db",
		"tf-sg-rule-no-open-admin-ports aws_security_group_rule.db_all",
	}
	if f := failures(t, got); !slices.Equal(f, want) {
		t.Errorf("failures:\n got %s\nwant %s", strings.Join(f, "\n     "), strings.Join(want, "\n     "))
	}
}

// A plan without planned_values is read from its resource_changes, with
// the same joins and without what it deletes.
func TestChangesOnly(t *testing.T) {
	data, err := os.ReadFile("testdata/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "planned_values")
	trimmed, _ := json.Marshal(doc)
	res, err := Parse(trimmed, testNow)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]assay.Resource{}
	for _, r := range res {
		byID[r.ID] = r
	}
	if _, ok := byID["aws_s3_bucket.old"]; ok {
		t.Error("a deleted resource was collected")
	}
	if _, ok := byID["data.aws_caller_identity.current"]; ok {
		t.Error("a data source was collected")
	}
	if byID["aws_s3_bucket.data"].Attrs["public_access_blocked"] != true || byID[`module.storage.aws_s3_bucket.this["tmp"]`].Attrs["versioning"] != false {
		t.Errorf("joins: %v", byID["aws_s3_bucket.data"].Attrs)
	}
	if _, ok := byID["aws_db_instance.main"].Attrs["password"]; ok {
		t.Error("a sensitive value was kept")
	}
	if want := collect(t, "testdata/plan.json"); len(want) != len(byID) {
		t.Errorf("%d resources from changes, %d from planned_values", len(byID), len(want))
	}
}

func flatten(v any) []string {
	switch x := v.(type) {
	case map[string]any:
		var out []string
		for _, e := range x {
			out = append(out, flatten(e)...)
		}
		return out
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, flatten(e)...)
		}
		return out
	case string:
		return []string{x}
	}
	return nil
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "no Terraform document"},
		{"syntax", "{\n  \"format_version\": \"1.0\",\n  \"values\": {\n    \"root_module\": [}\n}", "line 4, column"},
		{"not show output", `{"resources": []}`, "format_version is missing"},
		{"raw state", `{"version": 4, "terraform_version": "1.9.5", "resources": [{"mode": "managed"}]}`, "raw terraform.tfstate"},
		{"wrong type", "{\"format_version\": \"1.0\",\n\"values\": {\"root_module\": {\"resources\": {}}}}", "line 2"},
		{"no address", `{"format_version": "1.0", "values": {"root_module": {"resources": [{"mode": "managed", "type": "aws_s3_bucket"}]}}}`, "resource 0 of module \"root\" lacks address"},
		{"future format", `{"format_version": "2.0"}`, "unsupported format_version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New().Collect(context.Background(), monitor.Config{Input: []byte(tc.in)})
			if err == nil || !strings.Contains(assay.ErrorMessage(err), tc.want) || assay.ErrorCode(err) != assay.EINVALID {
				t.Fatalf("err = %v, want EINVALID containing %q", err, tc.want)
			}
			if tc.in != "" {
				if err := New().Validate(monitor.Config{Input: []byte(tc.in)}); err == nil {
					t.Error("Validate accepted a bad document")
				}
			}
		})
	}
	// An empty state (no resources yet) is fine.
	res, err := Parse([]byte(`{"format_version":"1.0"}`), testNow)
	if err != nil || len(res) != 0 {
		t.Errorf("empty state: %v %v", res, err)
	}
}

func TestStripKeys(t *testing.T) {
	for in, want := range map[string]string{
		`module.a["x.y]"].aws_s3_bucket.b[0]`: "module.a.aws_s3_bucket.b",
		`aws_s3_bucket.this[each.key].id`:     "aws_s3_bucket.this.id",
		`module.net[2]`:                       "module.net",
	} {
		if got := stripKeys(in); got != want {
			t.Errorf("stripKeys(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestPolicyMinTLS(t *testing.T) {
	for p, want := range map[string]string{
		"ELBSecurityPolicy-TLS13-1-2-2021-06":      "1.2",
		"ELBSecurityPolicy-TLS13-1-0-2021-06":      "1.0",
		"ELBSecurityPolicy-FS-1-2-Res-2020-10":     "1.2",
		"ELBSecurityPolicy-2016-08":                "1.0",
		"ELBSecurityPolicy-TLS-1-1-2017-01":        "1.1",
		"ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04": "1.3",
		"something-else":                           "unknown",
	} {
		if got := policyMinTLS(p); got != want {
			t.Errorf("%s: %s, want %s", p, got, want)
		}
	}
}

func TestOpenPorts(t *testing.T) {
	for _, tc := range []struct {
		r    rule
		want []int64
	}{
		{rule{from: 3300, to: 3400, protocol: "tcp", cidrs: []string{"0.0.0.0/0"}}, []int64{3306, 3389}},
		{rule{from: 22, to: 22, protocol: "6", cidrs: []string{"::/0"}}, []int64{22}},
		{rule{from: 22, to: 22, protocol: "tcp", cidrs: []string{"10.0.0.0/8"}}, nil},
		{rule{from: 0, to: 65535, protocol: "udp", cidrs: []string{"0.0.0.0/0"}}, nil},
		{rule{protocol: "-1", cidrs: []string{"0.0.0.0/0"}}, adminPorts},
	} {
		if got := tc.r.openPorts(); !slices.Equal(got, tc.want) {
			t.Errorf("%+v: %v, want %v", tc.r, got, tc.want)
		}
	}
}

// Values Terraform marks sensitive are dropped whatever their name, at any
// depth; arguments named like secrets are dropped too.
func TestRedact(t *testing.T) {
	vals := map[string]any{"opaque": "x", "keep": "y", "nested": map[string]any{"inner": "z", "other": "w"},
		"admin_password": "p", "minimum_password_length": int64(14)}
	redact(vals, map[string]any{"opaque": true, "keep": false, "nested": map[string]any{"inner": true}})
	if _, ok := vals["opaque"]; ok {
		t.Error("sensitive top-level value kept")
	}
	if _, ok := vals["nested"].(map[string]any)["inner"]; ok {
		t.Error("sensitive nested value kept")
	}
	if _, ok := vals["admin_password"]; ok {
		t.Error("secret-named value kept")
	}
	if vals["keep"] != "y" || vals["nested"].(map[string]any)["other"] != "w" || vals["minimum_password_length"] != int64(14) {
		t.Errorf("too much dropped: %v", vals)
	}
}
