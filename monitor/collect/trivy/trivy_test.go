package trivy

import (
	"context"
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

var now = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

const api = "registry.example.com/payments/api:1.42.0"

func TestReports(t *testing.T) {
	data, err := os.ReadFile("testdata/reports.json")
	if err != nil {
		t.Fatal(err)
	}
	// Assay first saw these vulnerabilities 40 days ago.
	first, err := Parse(data, now.Add(-40*24*time.Hour), nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := NewWithClock(&assay.FixedClock{T: now}).Collect(context.Background(), monitor.Config{Input: data,
		Previous: func(context.Context) ([]assay.Resource, error) { return first, nil }})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]assay.Resource{}
	for _, r := range res {
		byID[r.ID] = r
	}
	if len(res) != 7 {
		t.Fatalf("%d resources, want 2 artifacts + 5 fixable vulnerabilities", len(res))
	}
	art := byID[api]
	for k, want := range map[string]int64{"critical": 2, "high": 2, "medium": 1, "low": 1, "unknown": 1, "total": 7,
		"fixable": 5, "fixable_critical": 1, "fixable_high": 2, "oldest_fixable_critical_days": 40,
		"oldest_fixable_high_days": 40, "secrets": 1, "scanned_days_ago": 1, "misconfigurations": 0, "licenses_forbidden": 0} {
		if art.Attrs[k] != want {
			t.Errorf("artifact %s = %v, want %d", k, art.Attrs[k], want)
		}
	}
	if art.Kind != KindArtifact || art.Attrs["artifact_noun"] != "image" {
		t.Errorf("artifact: %s %v", art.Kind, art.Attrs["artifact_noun"])
	}
	v := byID[api+"|CVE-2026-1000|openssl"]
	if v.Kind != KindVulnerability || v.Attrs["age_days"] != int64(40) || v.Attrs["severity"] != "critical" || v.Attrs["fixed_version"] != "3.1.4-r6" ||
		v.Attrs["first_seen"] != "2026-10-15T12:00:00Z" || v.Attrs["published"] != "2026-11-01T12:00:00Z" {
		t.Errorf("openssl: %+v", v)
	}
	if _, ok := byID[api+"|CVE-2026-1002|zlib"]; ok {
		t.Error("a vulnerability without a fix must not be a vulnerability resource")
	}
	if u := byID[api+"|CVE-2026-1005|github.com/example/lib"]; u.Attrs["severity"] != "unknown" || u.Attrs["age_days"] != int64(40) || u.Attrs["published"] != "" {
		t.Errorf("an undated vulnerability of unknown severity still has an age: %v", u.Attrs)
	}
	if byID["ghcr.io/acme/report@sha256:4f1c"].Attrs["oldest_fixable_critical_days"] != int64(-1) {
		t.Error("no fixable criticals means -1")
	}

	var fails []string
	for _, r := range collecttest.RunLibrary(t, "trivy-", res) {
		if r.Status == assay.CheckFail {
			fails = append(fails, r.CheckID+" "+r.ResourceID)
		}
	}
	sort.Strings(fails)
	want := []string{
		"trivy-artifact-no-fixable-critical " + api,
		"trivy-artifact-no-secrets " + api,
		"trivy-artifact-scanned-recently ghcr.io/acme/report@sha256:4f1c",
		"trivy-critical-fix-within-15-days " + api + "|CVE-2026-1000|openssl",
		"trivy-high-fix-within-30-days " + api + "|CVE-2026-1001|busybox",
		"trivy-high-fix-within-30-days " + api + "|GHSA-xxxx-yyyy-zzzz|golang.org/x/net",
		"trivy-unknown-fix-within-30-days " + api + "|CVE-2026-1005|github.com/example/lib",
	}
	if !slices.Equal(fails, want) {
		t.Errorf("failures:\n got %s\nwant %s", strings.Join(fails, "\n     "), strings.Join(want, "\n     "))
	}

	// On the first run, the age counts from now, however old the advisory.
	for _, r := range first {
		if r.Kind == KindVulnerability && (r.Attrs["age_days"] != int64(0) || r.Attrs["first_seen"] != "2026-10-15T12:00:00Z") {
			t.Errorf("first run: %s %v %v", r.ID, r.Attrs["age_days"], r.Attrs["first_seen"])
		}
	}
}

func TestArrayOfReports(t *testing.T) {
	in := `[{"SchemaVersion":2,"ArtifactName":"a:1","Results":[]},{"SchemaVersion":2,"ArtifactName":"b:1"}]`
	res, err := Parse([]byte(in), now, nil)
	if err != nil || len(res) != 2 || res[0].Attrs["scanned_days_ago"] != int64(-1) {
		t.Fatalf("%v %v", res, err)
	}
}

// The artifact reports the oldest of several fixable criticals, by the
// date Assay first saw each.
func TestOldestFixable(t *testing.T) {
	in := `{"SchemaVersion":2,"ArtifactName":"a:1","Results":[{"Target":"t","Vulnerabilities":[
	{"VulnerabilityID":"CVE-1","PkgName":"p","FixedVersion":"2","Severity":"CRITICAL","PublishedDate":"2020-11-20T12:00:00Z"},
	{"VulnerabilityID":"CVE-2","PkgName":"q","FixedVersion":"2","Severity":"CRITICAL","PublishedDate":"2026-10-25T12:00:00Z"},
	{"VulnerabilityID":"CVE-3","PkgName":"r","FixedVersion":"2","Severity":"CRITICAL"}]}]}`
	prev := []assay.Resource{
		{Kind: KindVulnerability, ID: "a:1|CVE-2|q", Attrs: map[string]any{"first_seen": "2026-10-25T12:00:00Z"}},
		{Kind: KindVulnerability, ID: "a:1|CVE-3|r", Attrs: map[string]any{"first_seen": "2026-11-10T12:00:00Z"}},
	}
	res, err := Parse([]byte(in), now, prev)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Attrs["oldest_fixable_critical_days"] != int64(30) || res[0].Attrs["fixable_critical"] != int64(3) {
		t.Errorf("%v", res[0].Attrs)
	}
}

func TestBadReports(t *testing.T) {
	misconf := func(fields string) string {
		return `{"SchemaVersion":2,"ArtifactName":"a:1","Results":[{"Target":"Dockerfile","Class":"config","Misconfigurations":[{` + fields + `}]}]}`
	}
	vuln := func(extra string) string {
		return `{"SchemaVersion":2,"ArtifactName":"a:1","Results":[{"Target":"t","Vulnerabilities":[{"VulnerabilityID":"CVE-1","PkgName":"p","FixedVersion":"2",` + extra + `}]}]}`
	}
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "no Trivy report"},
		{"blank", "  \n", "the Trivy report is empty"},
		{"syntax", "{\n\"SchemaVersion\": 2,\n\"ArtifactName\": \"a\",,\n}", "line 3, column"},
		{"schema v1", `{"SchemaVersion":1,"ArtifactName":"a:1"}`, "SchemaVersion 1 is not supported"},
		{"no artifact", `{"SchemaVersion":2}`, "report 1: ArtifactName is missing"},
		{"twice", `{"SchemaVersion":2,"ArtifactName":"a:1"}{"SchemaVersion":2,"ArtifactName":"a:1"}`, "report 2: artifact a:1 appears twice"},
		{"severity", vuln(`"Severity":"SEVERE"`), `t vulnerability 1 (CVE-1): unknown Severity "SEVERE"`},
		{"date", vuln(`"Severity":"HIGH","PublishedDate":"last tuesday"`), `CVE-1: PublishedDate: "last tuesday" is not an RFC 3339 time`},
		{"type", `{"SchemaVersion":"2","ArtifactName":"a"}`, `field "SchemaVersion"`},
		{"truncated", `{"SchemaVersion":2,"ArtifactName":"a:1","Results":[`, "truncated"},
		{"odd utf-16", "\xff\xfe{\x00}", "not valid UTF-16LE: it ends in the middle of a character"},
		{"k8s report", `{"ClusterName":"prod","Resources":[]}`, "report 1 is a `trivy k8s` report of cluster prod"},
		{"misconfiguration without id", misconf(`"Severity":"HIGH","Status":"FAIL"`), "Dockerfile misconfiguration 1: ID and AVDID are both missing"},
		{"misconfiguration status", misconf(`"ID":"DS002","Severity":"HIGH","Status":"BROKEN"`), `Dockerfile misconfiguration 1 (DS002): Status "BROKEN" is not PASS, FAIL or EXCEPTION`},
		{"misconfiguration severity", misconf(`"ID":"DS002","Severity":"SEVERE","Status":"FAIL"`), `(DS002): unknown Severity "SEVERE"`},
		{"secret severity", `{"SchemaVersion":2,"ArtifactName":"a:1","Results":[{"Target":".env","Secrets":[{"RuleID":"x","Severity":"LOUD"}]}]}`, `.env secret 1: unknown Severity "LOUD"`},
		{"licence severity", `{"SchemaVersion":2,"ArtifactName":"a:1","Results":[{"Target":"OS Packages","Licenses":[{"Name":"MIT","Severity":"MILD"}]}]}`, `OS Packages licence 1 (MIT): unknown Severity "MILD"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New().Collect(context.Background(), monitor.Config{Input: []byte(tc.in)})
			if err == nil || !strings.Contains(assay.ErrorMessage(err), tc.want) || assay.ErrorCode(err) != assay.EINVALID {
				t.Fatalf("err = %v, want EINVALID containing %q", err, tc.want)
			}
		})
	}
}
