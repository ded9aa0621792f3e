package trivy

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
)

// Fix deadlines count from the run that first saw a vulnerability, not
// from its advisory's publication: each run carries first_seen forward
// from the previous run's resources, on the injected clock.
func TestFirstSeenAcrossRuns(t *testing.T) {
	report := func(vulns ...string) []byte {
		return []byte(`{"SchemaVersion":2,"ArtifactName":"app:1","ArtifactType":"container_image","Results":[{"Target":"app:1 (debian 12.8)","Vulnerabilities":[` +
			strings.Join(vulns, ",") + `]}]}`)
	}
	// Published years ago: on the day Assay first sees them they are not late.
	crit := `{"VulnerabilityID":"CVE-2023-0001","PkgName":"libc6","InstalledVersion":"2.36-9","FixedVersion":"2.36-9+deb12u9","Severity":"CRITICAL","PublishedDate":"2023-01-05T00:00:00Z"}`
	high := `{"VulnerabilityID":"CVE-2023-0002","PkgName":"curl","InstalledVersion":"7.88.1-10","FixedVersion":"7.88.1-10+deb12u9","Severity":"HIGH","PublishedDate":"2023-02-05T00:00:00Z"}`
	late := `{"VulnerabilityID":"CVE-2026-0003","PkgName":"tar","InstalledVersion":"1.34","FixedVersion":"1.35","Severity":"CRITICAL"}`

	clock := &assay.FixedClock{T: time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)}
	var prev []assay.Resource
	run := func(doc []byte) map[string]assay.Resource {
		t.Helper()
		// The runner hands the previous run back as its snapshot stores
		// it: JSON, numbers read as json.Number.
		b, err := json.Marshal(prev)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.UseNumber()
		var stored []assay.Resource
		if err := dec.Decode(&stored); err != nil {
			t.Fatal(err)
		}
		res, err := NewWithClock(clock).Collect(context.Background(), monitor.Config{Input: doc,
			Previous: func(context.Context) ([]assay.Resource, error) { return stored, nil }})
		if err != nil {
			t.Fatal(err)
		}
		prev = res
		out := map[string]assay.Resource{}
		for _, r := range res {
			out[r.ID] = r
		}
		return out
	}
	age := func(m map[string]assay.Resource, id string) (int64, string) {
		a := m["app:1|"+id].Attrs
		return a["age_days"].(int64), a["first_seen"].(string)
	}

	day0 := run(report(crit, high))
	if a, f := age(day0, "CVE-2023-0001|libc6"); a != 0 || f != "2026-09-01T08:00:00Z" {
		t.Fatalf("first run: %d %s", a, f)
	}
	clock.Set(clock.T.Add(16 * 24 * time.Hour))
	day16 := run(report(crit, high, late))
	if a, f := age(day16, "CVE-2023-0001|libc6"); a != 16 || f != "2026-09-01T08:00:00Z" {
		t.Errorf("day 16, carried: %d %s", a, f)
	}
	if a, f := age(day16, "CVE-2026-0003|tar"); a != 0 || f != "2026-09-17T08:00:00Z" {
		t.Errorf("day 16, new: %d %s", a, f)
	}
	if art := day16["app:1"].Attrs; art["oldest_fixable_critical_days"] != int64(16) {
		t.Errorf("oldest critical: %v", art["oldest_fixable_critical_days"])
	}
	clock.Set(clock.T.Add(15 * 24 * time.Hour))
	day31 := run(report(crit, high, late))
	if a, _ := age(day31, "CVE-2023-0002|curl"); a != 31 {
		t.Errorf("day 31: high is %d days old", a)
	}
	if a, _ := age(day31, "CVE-2026-0003|tar"); a != 15 {
		t.Errorf("day 31: tar is %d days old", a)
	}
	// Fixed, then back: seen anew from its return.
	clock.Set(clock.T.Add(24 * time.Hour))
	run(report(high))
	clock.Set(clock.T.Add(24 * time.Hour))
	back := run(report(crit, high))
	if a, f := age(back, "CVE-2023-0001|libc6"); a != 0 || f != "2026-10-04T08:00:00Z" {
		t.Errorf("back after a fix: %d %s", a, f)
	}

	// A first_seen ahead of the clock (the clock was set back) counts as now.
	ahead := []assay.Resource{{Kind: KindVulnerability, ID: "app:1|CVE-2023-0002|curl", Attrs: map[string]any{"first_seen": "2030-01-01T00:00:00Z"}}}
	res, err := Parse(report(high), clock.T, ahead)
	if err != nil || res[1].Attrs["age_days"] != int64(0) || res[1].Attrs["first_seen"] != "2026-10-04T08:00:00Z" {
		t.Errorf("first_seen ahead: %v %v", res, err)
	}

	// History that cannot be read fails the collection: forgetting it
	// would restart every deadline.
	_, err = NewWithClock(clock).Collect(context.Background(), monitor.Config{Input: report(high),
		Previous: func(context.Context) ([]assay.Resource, error) { return nil, errors.New("blob missing") }})
	if err == nil || !strings.Contains(err.Error(), "cannot be carried forward: blob missing") {
		t.Errorf("unreadable history: %v", err)
	}
}
