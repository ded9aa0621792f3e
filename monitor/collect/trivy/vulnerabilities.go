package trivy

import (
	"fmt"
	"time"

	"github.com/assay-platform/assay"
)

type vuln struct {
	VulnerabilityID  string `json:"VulnerabilityID"`
	PkgName          string `json:"PkgName"`
	InstalledVersion string `json:"InstalledVersion"`
	FixedVersion     string `json:"FixedVersion"`
	Status           string `json:"Status"`
	Severity         string `json:"Severity"`
	PublishedDate    string `json:"PublishedDate"`
}

// firstSeen reads the first_seen dates of the previous run's
// vulnerabilities, by resource id. A date ahead of now (a clock set
// back) counts as now.
func firstSeen(prev []assay.Resource, now time.Time) map[string]time.Time {
	out := map[string]time.Time{}
	for _, r := range prev {
		if r.Kind != KindVulnerability {
			continue
		}
		s, _ := r.Attrs["first_seen"].(string)
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			continue // a snapshot from before first_seen: seen from now on
		}
		if t.After(now) {
			t = now
		}
		out[r.ID] = t
	}
	return out
}

// vulnerabilities counts a result's vulnerabilities on the artifact and
// returns the fixable ones as resources. Severity UNKNOWN counts like any
// other: a fixable vulnerability nobody rated yet is still one to fix.
func (a *artifact) vulnerabilities(res result, where string, seen map[string]time.Time, now time.Time) ([]assay.Resource, error) {
	var out []assay.Resource
	for i, v := range res.Vulnerabilities {
		sev, ok := severity(v.Severity)
		if !ok {
			return nil, assay.Invalid("input", "%s, %s vulnerability %d (%s): unknown Severity %q", where, res.Target, i+1, v.VulnerabilityID, v.Severity)
		}
		if v.VulnerabilityID == "" || v.PkgName == "" {
			return nil, assay.Invalid("input", "%s, %s vulnerability %d: VulnerabilityID and PkgName are required", where, res.Target, i+1)
		}
		a.counts[sev]++
		if v.FixedVersion == "" {
			continue
		}
		_, published, err := ageDays(v.PublishedDate, now)
		if err != nil {
			return nil, assay.Invalid("input", "%s, %s: PublishedDate: %s", where, v.VulnerabilityID, err)
		}
		id := a.name + "|" + v.VulnerabilityID + "|" + v.PkgName
		first, ok := seen[id]
		if !ok {
			first = now
			seen[id] = now // the same package in another target
		}
		age := days(first, now)
		a.fixable++
		switch sev {
		case "critical":
			a.fixCrit++
			a.oldCrit = max(a.oldCrit, age)
		case "high":
			a.fixHigh++
			a.oldHigh = max(a.oldHigh, age)
		}
		out = append(out, assay.Resource{Kind: KindVulnerability, ID: id,
			Name: fmt.Sprintf("%s in %s %s (%s)", v.VulnerabilityID, v.PkgName, v.InstalledVersion, a.name),
			Attrs: map[string]any{
				"artifact": a.name, "artifact_noun": a.noun, "target": res.Target, "vulnerability_id": v.VulnerabilityID,
				"pkg": v.PkgName, "installed_version": v.InstalledVersion, "fixed_version": v.FixedVersion,
				"severity": sev, "published": published,
				"first_seen": first.UTC().Format(time.RFC3339), "age_days": age,
			}})
	}
	return out, nil
}
