package terraform

import (
	"slices"
	"strings"
	"testing"
)

// A plan of Google Cloud resources: public access prevention left to
// apply, Cloud SQL with ssl_mode, firewall rules of every direction and
// action, and KMS keys of several purposes.
func TestGCPPlan(t *testing.T) {
	got := collect(t, "testdata/plan_gcp.json")
	want := []string{
		"tf-cloudsql-backups google_sql_database_instance.legacy",
		"tf-cloudsql-no-public-ip google_sql_database_instance.legacy",
		"tf-cloudsql-not-open-to-world google_sql_database_instance.legacy",
		"tf-cloudsql-ssl-required google_sql_database_instance.legacy",
		"tf-gcp-firewall-no-open-admin-ports google_compute_firewall.allow_db_range",
		"tf-gcp-firewall-no-open-admin-ports google_compute_firewall.allow_everything",
		"tf-gcp-firewall-no-open-admin-ports google_compute_firewall.allow_ssh",
		"tf-gcp-kms-key-rotation google_kms_crypto_key.archive",
		"tf-gcp-kms-key-rotation google_kms_crypto_key.yearly",
		"tf-gcs-bucket-not-public google_storage_bucket.site",
		"tf-gcs-bucket-public-access-prevention google_storage_bucket.site",
		"tf-gcs-bucket-uniform-access google_storage_bucket.site",
		"tf-gcs-bucket-versioning google_storage_bucket.site",
	}
	if f := failures(t, got); !slices.Equal(f, want) {
		t.Errorf("failures:\n got %s\nwant %s", strings.Join(f, "\n     "), strings.Join(want, "\n     "))
	}
	for id, kv := range map[string]map[string]any{
		"google_compute_firewall.allow_ssh":        {"open_admin_ports": []any{int64(22)}, "open_all_ports": false},
		"google_compute_firewall.allow_everything": {"open_all_ports": true},
		"google_compute_firewall.allow_db_range":   {"open_admin_ports": []any{int64(3306), int64(3389)}},
		"google_compute_firewall.deny_ssh":         {"open_admin_ports": []any{}},
		"google_compute_firewall.old_rdp":          {"open_admin_ports": []any{}},
		"google_compute_firewall.egress_any":       {"open_admin_ports": []any{}},
		"google_kms_crypto_key.data":               {"rotation_days": int64(90)},
		"google_kms_crypto_key.yearly":             {"rotation_days": int64(730), "purpose": "ENCRYPT_DECRYPT"},
		"google_storage_bucket.site":               {"public_access_prevention": "inherited", "public_members": []any{"allUsers"}},
		"google_sql_database_instance.main":        {"ssl_required": true, "public_ip": false},
	} {
		for k, want := range kv {
			if g := got[id].Attrs[k]; !equal(g, want) {
				t.Errorf("%s %s = %#v, want %#v", id, k, g, want)
			}
		}
	}
}
