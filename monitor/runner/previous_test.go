package runner

import (
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
)

// A Trivy source keeps the date it first saw each vulnerability from run
// to run (through the previous run's snapshot), so a fix deadline counts
// from then: an advisory published years ago is not late on the day it
// is found, and is late 16 days later however often the report is
// uploaded again in between.
func TestTrivyFirstSeenAcrossImports(t *testing.T) {
	e := newEnv(t)
	src, err := e.svc.CreateSource(e.ctx, e.org, assay.SystemActor, assay.Source{Name: "api image", Kind: "trivy", Enabled: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	report := func(created time.Time) []byte {
		return []byte(`{"SchemaVersion":2,"CreatedAt":"` + created.Format(time.RFC3339) + `","ArtifactName":"api:7","ArtifactType":"container_image",
"Results":[{"Target":"api:7 (debian 12.8)","Class":"os-pkgs","Type":"debian","Vulnerabilities":[
{"VulnerabilityID":"CVE-2021-0001","PkgName":"libc6","InstalledVersion":"2.36-9","FixedVersion":"2.36-9+deb12u9","Severity":"CRITICAL","PublishedDate":"2021-05-01T00:00:00Z"}]}]}`)
	}
	const check, vuln = "trivy-critical-fix-within-15-days", "api:7|CVE-2021-0001|libc6"
	status := func() assay.CurrentResult {
		t.Helper()
		return e.current(src.ID)[[2]string{check, vuln}]
	}
	start := e.clock.T
	for _, day := range []int{0, 5, 10, 15} {
		e.clock.Set(start.Add(time.Duration(day) * 24 * time.Hour))
		run, err := e.runner.Import(e.ctx, e.org, src.ID, report(e.clock.T))
		if err != nil || run.Status != assay.RunOK {
			t.Fatalf("day %d: %+v %v", day, run, err)
		}
		if got := status(); got.Status != assay.CheckPass {
			t.Fatalf("day %d: %s %q", day, got.Status, got.Reason)
		}
	}
	// A scheduled run of the stored report the day after the deadline.
	e.clock.Set(start.Add(16 * 24 * time.Hour))
	if run, err := e.runner.RunSource(e.ctx, e.org, src.ID, assay.TriggerSchedule); err != nil || run.Status != assay.RunOK {
		t.Fatalf("day 16: %+v %v", run, err)
	}
	got := status()
	if got.Status != assay.CheckFail || !strings.Contains(got.Reason, "first seen 16 days ago (deadline: 15 days from first seen)") {
		t.Fatalf("day 16: %s %q", got.Status, got.Reason)
	}
}
