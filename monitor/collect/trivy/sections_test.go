package trivy

import (
	"context"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
	"github.com/assay-platform/assay/monitor/collect/collecttest"
)

// collectFile collects a test report on the test clock, with no history.
func collectFile(t *testing.T, file string) (map[string]assay.Resource, []assay.Resource) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	res, err := NewWithClock(&assay.FixedClock{T: now}).Collect(context.Background(), monitor.Config{Input: data})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]assay.Resource{}
	for _, r := range res {
		byID[r.ID] = r
	}
	return byID, res
}

// failures runs the library's Trivy checks and returns "check resource"
// for each failure, sorted, and the failure reasons.
func failures(t *testing.T, res []assay.Resource) (fails, reasons []string) {
	t.Helper()
	for _, r := range collecttest.RunLibrary(t, "trivy-", res) {
		if r.Status == assay.CheckFail {
			fails = append(fails, r.CheckID+" "+r.ResourceID)
			reasons = append(reasons, r.Reason)
		}
	}
	sort.Strings(fails)
	return fails, reasons
}

// An image scanned for everything Trivy finds (`trivy image --scanners
// vuln,misconfig,secret,license`): its Dockerfile runs as root, which no
// longer passes; a secret, a forbidden licence and a fixable vulnerability
// of unknown severity are judged too.
func TestImageSections(t *testing.T) {
	const img = "registry.example.com/payments/worker:3.0.1"
	byID, res := collectFile(t, "testdata/image.json")
	art := byID[img]
	for k, want := range map[string]any{"artifact_noun": "image", "misconfigurations": int64(3), "secrets": int64(1),
		"licenses_forbidden": int64(1), "critical": int64(1), "high": int64(1), "low": int64(1), "unknown": int64(1),
		"fixable": int64(3), "scanned_days_ago": int64(0)} {
		if art.Attrs[k] != want {
			t.Errorf("artifact %s = %v, want %v", k, art.Attrs[k], want)
		}
	}
	if got := art.Attrs["secret_findings"].([]any); !slices.Equal(got, []any{"AWS Access Key ID (aws-access-key-id) in /app/config/.env, line 3"}) {
		t.Errorf("secret_findings = %q", got)
	}
	if got := art.Attrs["forbidden_licenses"].([]any); !slices.Equal(got, []any{"/app/vendor/reportgen/LICENSE (AGPL-3.0)"}) {
		t.Errorf("forbidden_licenses = %q", got)
	}
	for _, r := range res {
		for k, v := range r.Attrs {
			if s, ok := v.(string); ok && strings.Contains(s, "****") {
				t.Errorf("%s %s holds the secret's masked line: %q", r.ID, k, s)
			}
		}
	}

	root := byID[img+"|Dockerfile|DS002"]
	if root.Kind != KindMisconfiguration || root.Name != "DS002 in Dockerfile ("+img+")" {
		t.Fatalf("DS002: %+v", root)
	}
	for k, want := range map[string]any{"status": "FAIL", "severity": "high", "check_id": "DS002", "avd_id": "AVD-DS-0002",
		"title": "Image user should not be 'root'", "type": "Dockerfile Security Check", "cause": "", "occurrences": int64(1)} {
		if root.Attrs[k] != want {
			t.Errorf("DS002 %s = %v, want %v", k, root.Attrs[k], want)
		}
	}
	// One check failing on two lines of the file is one finding.
	upd := byID[img+"|Dockerfile|DS017"]
	if upd.Attrs["occurrences"] != int64(2) || !slices.Equal(upd.Attrs["lines"].([]any), []any{"2", "9"}) {
		t.Errorf("DS017: %v", upd.Attrs)
	}
	if byID[img+"|Dockerfile|DS005"].Attrs["status"] != "PASS" {
		t.Error("a passing misconfiguration (--include-non-failures) is a passing resource")
	}

	fails, reasons := failures(t, res)
	want := []string{
		"trivy-artifact-no-fixable-critical " + img,
		"trivy-artifact-no-forbidden-licenses " + img,
		"trivy-artifact-no-secrets " + img,
		"trivy-misconfig-no-critical-high " + img + "|Dockerfile|DS002",
		"trivy-misconfig-no-critical-high " + img + "|Dockerfile|DS017",
	}
	if !slices.Equal(fails, want) {
		t.Errorf("failures:\n got %s\nwant %s", strings.Join(fails, "\n     "), strings.Join(want, "\n     "))
	}
	wantReasons := []string{
		"Image " + img + " has 1 fixable critical vulnerability, first seen today",
		"Image " + img + " contains 1 secret found by Trivy: AWS Access Key ID (aws-access-key-id) in /app/config/.env, line 3",
		"Image " + img + " has 1 package or file under a licence your Trivy licence policy forbids: /app/vendor/reportgen/LICENSE (AGPL-3.0)",
		"DS002 in Dockerfile (" + img + "): Image user should not be 'root' (high): Specify at least 1 USER command in Dockerfile with non-root user as argument (fix: Add 'USER <non root user name>' line to the Dockerfile)",
	}
	for _, w := range wantReasons {
		if !slices.Contains(reasons, w) {
			t.Errorf("no reason %q among\n%s", w, strings.Join(reasons, "\n"))
		}
	}
}

// A repository scan (`trivy repo`): misconfigurations in its Terraform
// are told apart by resource, a policy exception passes, and no reason
// calls the repository an image.
func TestRepositorySections(t *testing.T) {
	const repo = "https://github.com/acme/billing"
	byID, res := collectFile(t, "testdata/repository.json")
	if a := byID[repo].Attrs; a["artifact_noun"] != "repository" || a["artifact_type"] != "repository" || a["misconfigurations"] != int64(2) {
		t.Errorf("artifact: %v", a)
	}
	exports := byID[repo+"|infra/main.tf|AVD-AWS-0086|aws_s3_bucket.exports"]
	if exports.Name != "AVD-AWS-0086 on aws_s3_bucket.exports in infra/main.tf ("+repo+")" || !slices.Equal(exports.Attrs["lines"].([]any), []any{"12-15"}) {
		t.Errorf("exports: %+v", exports)
	}
	if byID[repo+"|infra/main.tf|AVD-AWS-0086|aws_s3_bucket.website"].Attrs["status"] != "EXCEPTION" {
		t.Error("an exception is kept as such")
	}
	fails, reasons := failures(t, res)
	want := []string{
		"trivy-artifact-no-fixable-critical " + repo,
		"trivy-artifact-no-secrets " + repo,
		"trivy-misconfig-no-critical-high " + repo + "|infra/main.tf|AVD-AWS-0086|aws_s3_bucket.exports",
		"trivy-misconfig-no-medium " + repo + "|infra/main.tf|AVD-AWS-0089|aws_s3_bucket.exports",
	}
	if !slices.Equal(fails, want) {
		t.Errorf("failures:\n got %s\nwant %s", strings.Join(fails, "\n     "), strings.Join(want, "\n     "))
	}
	for _, r := range reasons {
		if strings.Contains(r, "Image "+repo) || strings.HasPrefix(r, "Image") {
			t.Errorf("a repository is called an image: %q", r)
		}
	}
	if !slices.Contains(reasons, "Repository "+repo+" contains 1 secret found by Trivy: GitHub Personal Access Token (github-pat) in deploy/staging.env, line 1") {
		t.Errorf("reasons:\n%s", strings.Join(reasons, "\n"))
	}
}

func TestNouns(t *testing.T) {
	for typ, want := range map[string]string{"container_image": "image", "repository": "repository", "filesystem": "directory",
		"vm": "VM image", "cyclonedx": "SBOM", "spdx": "SBOM", "": "artifact", "something_new": "artifact"} {
		if got := noun(typ); got != want {
			t.Errorf("noun(%q) = %q, want %q", typ, got, want)
		}
	}
}
