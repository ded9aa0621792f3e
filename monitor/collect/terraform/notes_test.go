package terraform

import (
	"slices"
	"testing"
	"time"
)

// A document with nothing Assay judges says so, naming what it held,
// rather than passing as "0 resources, ok".
func TestNothingJudgedNote(t *testing.T) {
	azure := `{"format_version":"1.2","planned_values":{"root_module":{"resources":[
	  {"address":"azurerm_resource_group.main","mode":"managed","type":"azurerm_resource_group","name":"main","values":{"name":"rg","location":"westeurope"}},
	  {"address":"azurerm_virtual_network.main","mode":"managed","type":"azurerm_virtual_network","name":"main","values":{"name":"vnet"}},
	  {"address":"azurerm_subnet.a","mode":"managed","type":"azurerm_subnet","name":"a","values":{"name":"a"}},
	  {"address":"azurerm_subnet.b","mode":"managed","type":"azurerm_subnet","name":"b","values":{"name":"b"}}]}},
	  "resource_changes":[{"address":"azurerm_resource_group.main","mode":"managed","type":"azurerm_resource_group","name":"main","change":{"actions":["create"],"after":{"name":"rg"},"after_unknown":{"id":true}}}]}`
	many := `{"format_version":"1.0","values":{"root_module":{"resources":[` +
		`{"address":"google_project_service.a","mode":"managed","type":"google_project_service","name":"a","values":{}},` +
		`{"address":"google_compute_network.b","mode":"managed","type":"google_compute_network","name":"b","values":{}},` +
		`{"address":"google_compute_subnetwork.c","mode":"managed","type":"google_compute_subnetwork","name":"c","values":{}},` +
		`{"address":"google_dns_managed_zone.d","mode":"managed","type":"google_dns_managed_zone","name":"d","values":{}},` +
		`{"address":"google_service_account.e","mode":"managed","type":"google_service_account","name":"e","values":{}},` +
		`{"address":"google_pubsub_topic.f","mode":"managed","type":"google_pubsub_topic","name":"f","values":{}},` +
		`{"address":"data.google_project.p","mode":"data","type":"google_project","name":"p","values":{}},` +
		`{"address":"google_pubsub_topic.g","mode":"managed","type":"google_pubsub_topic","name":"g","values":{}}]}}}`
	for _, tc := range []struct {
		name, doc string
		want      []string
	}{
		{"azure plan", azure, []string{"The plan holds 4 resources, none of a type Assay judges (azurerm_resource_group, azurerm_subnet, azurerm_virtual_network)."}},
		{"gcp state, many types", many, []string{"The state holds 7 resources, none of a type Assay judges (google_compute_network, google_compute_subnetwork, google_dns_managed_zone, google_project_service, google_pubsub_topic and 1 more)."}},
		{"empty state", `{"format_version":"1.0","terraform_version":"1.9.8"}`, []string{"The state holds no managed resources, so there was nothing to judge."}},
		{"empty plan", `{"format_version":"1.2","planned_values":{"root_module":{}},"resource_changes":[]}`, []string{"The plan holds no managed resources, so there was nothing to judge."}},
		{"one judged among many", `{"format_version":"1.0","values":{"root_module":{"resources":[` +
			`{"address":"azurerm_resource_group.main","mode":"managed","type":"azurerm_resource_group","name":"main","values":{}},` +
			`{"address":"azurerm_storage_account.sa","mode":"managed","type":"azurerm_storage_account","name":"sa","values":{"name":"sa"}}]}}}`, nil},
		{"an alias is judged", `{"format_version":"1.0","values":{"root_module":{"resources":[` +
			`{"address":"aws_alb_listener.l","mode":"managed","type":"aws_alb_listener","name":"l","values":{"protocol":"HTTPS"}}]}}}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := collectNotes(t, []byte(tc.doc)); !slices.Equal(got, tc.want) {
				t.Errorf("notes:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// A plan trimmed to its resource_changes still knows what is left to
// apply: a new bucket is judged encrypted by AWS's default, and the note
// names several buckets at once.
func TestS3EncryptionLeftToApply(t *testing.T) {
	bucket := func(name string, unknown string) string {
		return `{"address":"aws_s3_bucket.` + name + `","mode":"managed","type":"aws_s3_bucket","name":"` + name + `","change":{"actions":["create"],` +
			`"after":{"bucket":"` + name + `","force_destroy":false},"after_unknown":` + unknown + `}}`
	}
	doc := `{"format_version":"1.2","resource_changes":[` +
		bucket("a", `{"id":true,"server_side_encryption_configuration":true}`) + `,` +
		bucket("b", `{"id":true,"server_side_encryption_configuration":[{"rule":true}]}`) + `,` +
		bucket("c", `{"id":true}`) + `,` +
		`{"address":"aws_s3_bucket.old","mode":"managed","type":"aws_s3_bucket","name":"old","change":{"actions":["delete"],"after":null,"after_unknown":{"server_side_encryption_configuration":true}}}]}`
	res, err := Parse([]byte(doc), testNow)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for _, r := range res {
		got[r.ID] = r.Attrs["encryption_source"]
	}
	if want := map[string]any{"aws_s3_bucket.a": "aws-default", "aws_s3_bucket.b": "aws-default", "aws_s3_bucket.c": "none"}; len(got) != 3 ||
		got["aws_s3_bucket.a"] != want["aws_s3_bucket.a"] || got["aws_s3_bucket.b"] != want["aws_s3_bucket.b"] || got["aws_s3_bucket.c"] != want["aws_s3_bucket.c"] {
		t.Errorf("encryption sources: %v", got)
	}
	want := []string{"2 S3 buckets have their encryption set only at apply; AWS encrypts every new bucket with SSE-S3 by default since January 2023, so they are judged encrypted (SSE-S3): aws_s3_bucket.a, aws_s3_bucket.b."}
	if n := collectNotes(t, []byte(doc)); !slices.Equal(n, want) {
		t.Errorf("notes: %q", n)
	}
}

// A Lambda runtime is deprecated from its date on, by the collector's clock.
func TestLambdaRuntimeByDate(t *testing.T) {
	doc := []byte(`{"format_version":"1.0","values":{"root_module":{"resources":[
	  {"address":"aws_lambda_function.f","mode":"managed","type":"aws_lambda_function","name":"f","values":{"function_name":"f","runtime":"nodejs20.x"}},
	  {"address":"aws_lambda_function.custom","mode":"managed","type":"aws_lambda_function","name":"custom","values":{"function_name":"custom","runtime":"provided.al2099"}}]}}}`)
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(2026, 4, 29, 23, 0, 0, 0, time.UTC), false},
		{time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC), true},
	} {
		res, err := Parse(doc, tc.at)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			want := tc.want && r.ID == "aws_lambda_function.f"
			if r.Attrs["runtime_deprecated"] != want {
				t.Errorf("%s at %s: runtime_deprecated = %v", r.ID, tc.at, r.Attrs["runtime_deprecated"])
			}
		}
	}
	if _, err := time.Parse(time.DateOnly, lambdaDeprecations["nodejs20.x"]); err != nil {
		t.Fatal(err)
	}
	for rt, on := range lambdaDeprecations {
		if _, err := time.Parse(time.DateOnly, on); err != nil {
			t.Errorf("%s: bad date %q", rt, on)
		}
	}
}

// A registry scanning configuration that scans every repository counts
// as scan on push for each; one limited to some repositories does not.
func TestECRRegistryScanning(t *testing.T) {
	repo := `{"address":"aws_ecr_repository.r","mode":"managed","type":"aws_ecr_repository","name":"r","values":{"name":"r","image_scanning_configuration":[{"scan_on_push":false}]}}`
	cfg := func(filter, freq string) string {
		return `{"address":"aws_ecr_registry_scanning_configuration.c","mode":"managed","type":"aws_ecr_registry_scanning_configuration","name":"c","values":{"scan_type":"ENHANCED","rule":[{"scan_frequency":"` +
			freq + `","repository_filter":[{"filter":"` + filter + `","filter_type":"WILDCARD"}]}]}}`
	}
	for _, tc := range []struct {
		extra string
		want  bool
	}{
		{"", false},
		{"," + cfg("*", "CONTINUOUS_SCAN"), true},
		{"," + cfg("*", "SCAN_ON_PUSH"), true},
		{"," + cfg("prod-*", "SCAN_ON_PUSH"), false},
		{"," + cfg("*", "MANUAL"), false},
	} {
		res, err := Parse([]byte(`{"format_version":"1.0","values":{"root_module":{"resources":[`+repo+tc.extra+`]}}}`), testNow)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Kind == "terraform.aws_ecr_repository" && r.Attrs["scan_on_push"] != tc.want {
				t.Errorf("with %s: scan_on_push = %v", tc.extra, r.Attrs["scan_on_push"])
			}
		}
	}
}

func TestEKSVersionAtLeast(t *testing.T) {
	for v, want := range map[string]bool{"": true, "1.28": true, "1.31": true, "1.27": false, "1.9": false, "1.28.4": true, "2.0": true, "x": false} {
		if got := eksVersionAtLeast(v, eksDefaultEncryption); got != want {
			t.Errorf("%q: %v", v, got)
		}
	}
}
