package trivy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
)

type report struct {
	SchemaVersion int      `json:"SchemaVersion"`
	CreatedAt     string   `json:"CreatedAt"`
	ArtifactName  string   `json:"ArtifactName"`
	ArtifactType  string   `json:"ArtifactType"`
	Results       []result `json:"Results"`
}

type result struct {
	Target          string `json:"Target"`
	Class           string `json:"Class"`
	Type            string `json:"Type"`
	Vulnerabilities []vuln `json:"Vulnerabilities"`
	Secrets         []any  `json:"Secrets"`
}

type vuln struct {
	VulnerabilityID  string `json:"VulnerabilityID"`
	PkgName          string `json:"PkgName"`
	InstalledVersion string `json:"InstalledVersion"`
	FixedVersion     string `json:"FixedVersion"`
	Status           string `json:"Status"`
	Severity         string `json:"Severity"`
	PublishedDate    string `json:"PublishedDate"`
}

var severities = []string{"critical", "high", "medium", "low", "unknown"}

// Parse reads one or more Trivy JSON reports (concatenated, or a JSON
// array of reports) and measures ages against now.
//
// trivy.artifact attributes: artifact, artifact_type (strings); critical,
// high, medium, low, unknown, total (counts of all findings); fixable,
// fixable_critical, fixable_high (counts); oldest_fixable_critical_days,
// oldest_fixable_high_days (int, -1 when none); secrets (count);
// scanned_days_ago (int, -1 when the report has no CreatedAt).
//
// trivy.vulnerability attributes (fixable ones only): artifact, target,
// vulnerability_id, pkg, installed_version, fixed_version, severity
// (lowercase), published (RFC 3339, "" if unknown), age_days (days since
// published, -1 if unknown).
func Parse(data []byte, now time.Time) ([]assay.Resource, error) {
	reports, err := readReports(data)
	if err != nil {
		return nil, err
	}
	var arts, vulns []assay.Resource
	seenArt := map[string]bool{}
	seenVuln := map[string]bool{}
	for n, rep := range reports {
		if rep.ArtifactName == "" {
			return nil, assay.Invalid("input", "report %d: ArtifactName is missing", n+1)
		}
		if rep.SchemaVersion != 2 {
			return nil, assay.Invalid("input", "report %d (%s): SchemaVersion %d is not supported (expected 2)", n+1, rep.ArtifactName, rep.SchemaVersion)
		}
		if seenArt[rep.ArtifactName] {
			return nil, assay.Invalid("input", "report %d: artifact %s appears twice", n+1, rep.ArtifactName)
		}
		seenArt[rep.ArtifactName] = true
		counts := map[string]int64{}
		var fixable, fixCrit, fixHigh, secrets int64
		oldCrit, oldHigh := int64(-1), int64(-1)
		for _, res := range rep.Results {
			secrets += int64(len(res.Secrets))
			for i, v := range res.Vulnerabilities {
				sev := strings.ToLower(v.Severity)
				if !contains(severities, sev) {
					return nil, assay.Invalid("input", "report %d (%s), %s vulnerability %d (%s): unknown Severity %q", n+1, rep.ArtifactName, res.Target, i+1, v.VulnerabilityID, v.Severity)
				}
				if v.VulnerabilityID == "" || v.PkgName == "" {
					return nil, assay.Invalid("input", "report %d (%s), %s vulnerability %d: VulnerabilityID and PkgName are required", n+1, rep.ArtifactName, res.Target, i+1)
				}
				counts[sev]++
				if v.FixedVersion == "" {
					continue
				}
				age, published, err := ageDays(v.PublishedDate, now)
				if err != nil {
					return nil, assay.Invalid("input", "report %d (%s), %s: %s", n+1, rep.ArtifactName, v.VulnerabilityID, err)
				}
				fixable++
				switch sev {
				case "critical":
					fixCrit++
					oldCrit = max(oldCrit, age)
				case "high":
					fixHigh++
					oldHigh = max(oldHigh, age)
				}
				id := rep.ArtifactName + "|" + v.VulnerabilityID + "|" + v.PkgName
				if seenVuln[id] {
					continue // the same package in two targets: one resource
				}
				seenVuln[id] = true
				vulns = append(vulns, assay.Resource{Kind: KindVulnerability, ID: id,
					Name: fmt.Sprintf("%s in %s %s (%s)", v.VulnerabilityID, v.PkgName, v.InstalledVersion, rep.ArtifactName),
					Attrs: map[string]any{
						"artifact": rep.ArtifactName, "target": res.Target, "vulnerability_id": v.VulnerabilityID,
						"pkg": v.PkgName, "installed_version": v.InstalledVersion, "fixed_version": v.FixedVersion,
						"severity": sev, "published": published, "age_days": age,
					}})
			}
		}
		scanned, _, err := ageDays(rep.CreatedAt, now)
		if err != nil {
			return nil, assay.Invalid("input", "report %d (%s): CreatedAt: %s", n+1, rep.ArtifactName, err)
		}
		attrs := map[string]any{
			"artifact": rep.ArtifactName, "artifact_type": rep.ArtifactType,
			"fixable": fixable, "fixable_critical": fixCrit, "fixable_high": fixHigh,
			"oldest_fixable_critical_days": oldCrit, "oldest_fixable_high_days": oldHigh,
			"secrets": secrets, "scanned_days_ago": scanned,
		}
		var total int64
		for _, s := range severities {
			attrs[s] = counts[s]
			total += counts[s]
		}
		attrs["total"] = total
		arts = append(arts, assay.Resource{Kind: KindArtifact, ID: rep.ArtifactName, Name: rep.ArtifactName, Attrs: attrs})
	}
	sort.Slice(vulns, func(i, j int) bool { return vulns[i].ID < vulns[j].ID })
	return append(arts, vulns...), nil
}

// readReports accepts one report, several concatenated, or an array.
func readReports(data []byte) ([]report, error) {
	data, err := monitor.Text(data)
	if err != nil {
		return nil, err
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var reps []report
		if err := json.Unmarshal(trimmed, &reps); err != nil {
			return nil, jsonError(trimmed, err)
		}
		return reps, nil
	}
	var reps []report
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var r report
		err := dec.Decode(&r)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, jsonError(data, err)
		}
		reps = append(reps, r)
	}
	if len(reps) == 0 {
		return nil, assay.Invalid("input", "the Trivy report is empty")
	}
	return reps, nil
}

// ageDays gives whole days from an RFC 3339 time to now (never negative),
// and the time normalised; -1 and "" when s is empty.
func ageDays(s string, now time.Time) (int64, string, error) {
	if s == "" {
		return -1, "", nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, "", fmt.Errorf("%q is not an RFC 3339 time", s)
	}
	d := now.Sub(t)
	if d < 0 {
		d = 0
	}
	return int64(d / (24 * time.Hour)), t.UTC().Format(time.RFC3339), nil
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := monitor.LineCol(data, syn.Offset)
		return assay.Invalid("input", "the Trivy report is not valid JSON at line %d, column %d: %s", line, col, syn.Error())
	case errors.As(err, &typ):
		line, col := monitor.LineCol(data, typ.Offset)
		return assay.Invalid("input", "the Trivy report has a JSON %s for field %q at line %d, column %d", typ.Value, typ.Field, line, col)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return assay.Invalid("input", "the Trivy report ends too early (truncated JSON)")
	}
	return assay.Invalid("input", "the Trivy report cannot be read: %v", err)
}
