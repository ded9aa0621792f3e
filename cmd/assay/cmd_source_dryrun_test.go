package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
)

// A dry run prints the requests a collection would make, never the
// token, and adds no source (not even a data folder).
func TestSourceAddDryRun(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "data")
	out, err := runCLI(t, "", "--data", data, "source", "add", "--kind", "github", "--name", "GitHub",
		"--set", "organization=acme", "--set", "api_url=https://github.example.com/api/v3", "--secret", "token=ghp_secret123", "--dry-run")
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for _, want := range []string{"GET https://github.example.com/api/v3/orgs/acme/members?per_page=100&role=all",
		"/orgs/acme/dependabot/alerts", "/repos/acme/REPOSITORY/branches/DEFAULT_BRANCH/protection", "Bearer [token]"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "ghp_secret123") {
		t.Error("the dry run printed the token")
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("the dry run made the data folder: %v", err)
	}
	out, err = runCLI(t, "", "--data", data, "source", "add", "--kind", "okta", "--name", "Okta", "--set", "org_url=https://example.okta.com", "--dry-run")
	if err != nil || !strings.Contains(out, "GET https://example.okta.com/api/v1/users?limit=200") || !strings.Contains(out, "token is required") {
		t.Errorf("okta dry run without a token: %v\n%s", err, out)
	}
	out, err = runCLI(t, "", "--data", data, "source", "add", "--kind", "google-workspace", "--name", "Google", "--set", "admin_email=it@example.com", "--dry-run")
	if err != nil || !strings.Contains(out, "GET https://admin.googleapis.com/admin/directory/v1/users?customer=my_customer&maxResults=500") ||
		!strings.Contains(out, "/admin/directory/v1/customer/my_customer/roleassignments") || !strings.Contains(out, "service_account_json is required") {
		t.Errorf("google-workspace dry run without a key: %v\n%s", err, out)
	}
	out, err = runCLI(t, "", "--data", data, "source", "add", "--kind", "entra", "--name", "Entra", "--set", "tenant_id=contoso.onmicrosoft.com",
		"--set", "client_id=app-1", "--secret", "client_secret=v4lue~secret", "--dry-run")
	if err != nil || !strings.Contains(out, "GET https://graph.microsoft.com/v1.0/users?$select=") || strings.Contains(out, "v4lue~secret") ||
		!strings.Contains(out, "POST https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token") {
		t.Errorf("entra dry run: %v\n%s", err, out)
	}
	out, err = runCLI(t, "", "--data", data, "source", "add", "--kind", "aws", "--name", "AWS", "--set", "regions=eu-west-1,us-east-1",
		"--set", "assume_roles=arn:aws:iam::444455556666:role/AssayAudit", "--secret", "access_key_id=AKIAIOSFODNN7EXAMPLE", "--secret", "secret_access_key=wJal/r+SECRET", "--dry-run")
	if err != nil || !strings.Contains(out, "POST https://iam.amazonaws.com Action=ListUsers&MaxItems=1000 (every page, by Marker)") ||
		!strings.Contains(out, "POST https://ec2.eu-west-1.amazonaws.com Action=DescribeSecurityGroups") || !strings.Contains(out, "RoleArn=arn:aws:iam::444455556666:role/AssayAudit") ||
		!strings.Contains(out, "s3:GetBucketPublicAccessBlock") || strings.Contains(out, "wJal/r+SECRET") {
		t.Errorf("aws dry run: %v\n%s", err, out)
	}
	if out, err = runCLI(t, "", "--data", data, "source", "add", "--kind", "aws", "--name", "A", "--set", "regions=frankfurt", "--dry-run"); err == nil || !strings.Contains(err.Error(), "frankfurt") {
		t.Errorf("aws dry run with a bad region: %v\n%s", err, out)
	}
	if out, err = runCLI(t, "", "--data", data, "source", "add", "--kind", "github", "--name", "G", "--dry-run"); err == nil || !strings.Contains(err.Error(), "organization is required") {
		t.Errorf("dry run without the organisation: %v\n%s", err, out)
	}
}

// The API adds GitHub and Okta sources with their token sealed: the answer
// names the secret, never its value, and a missing setting is refused
// with its field.
func TestLiveSourcesThroughTheAPI(t *testing.T) {
	t.Parallel()
	m := startMain(t, false, false)
	_, admin := m.orgWithAdmin(t, "Live Co")
	var raw json.RawMessage
	body := `{"name":"GitHub","kind":"github","settings":{"organization":"live-co"},"secrets":{"token":"ghp_apitoken77"}}`
	code := m.call(t, admin, "POST", "/api/v1/sources", body, &raw)
	var src assay.Source
	if err := json.Unmarshal(raw, &src); err != nil || code != http.StatusCreated || strings.Contains(string(raw), "ghp_apitoken77") ||
		strings.Join(src.SecretNames, ",") != "token" {
		t.Fatalf("add github source: %d %s", code, raw)
	}
	var e apiErr
	if code := m.call(t, admin, "POST", "/api/v1/sources", `{"name":"Okta","kind":"okta","settings":{},"secrets":{"token":"x"}}`, &e); code != http.StatusBadRequest || e.Error.Field != "org_url" {
		t.Fatalf("okta source without org_url: %d %+v", code, e)
	}
	m.call(t, admin, "GET", "/api/v1/sources", "", &raw)
	if strings.Contains(string(raw), "ghp_apitoken77") || !strings.Contains(string(raw), `"github"`) {
		t.Fatalf("sources: %s", raw)
	}
}
