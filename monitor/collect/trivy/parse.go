package trivy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
)

// report is the part of a Trivy JSON report (schema version 2) the
// collector reads.
type report struct {
	SchemaVersion int      `json:"SchemaVersion"`
	CreatedAt     string   `json:"CreatedAt"`
	ArtifactName  string   `json:"ArtifactName"`
	ArtifactType  string   `json:"ArtifactType"`
	ClusterName   string   `json:"ClusterName"` // only `trivy k8s` reports have it
	Results       []result `json:"Results"`
}

type result struct {
	Target            string    `json:"Target"`
	Class             string    `json:"Class"`
	Type              string    `json:"Type"`
	Vulnerabilities   []vuln    `json:"Vulnerabilities"`
	Misconfigurations []misconf `json:"Misconfigurations"`
	Secrets           []secret  `json:"Secrets"`
	Licenses          []license `json:"Licenses"`
}

var severities = []string{"critical", "high", "medium", "low", "unknown"}

// Parse reads one or more Trivy JSON reports (concatenated, or a JSON
// array of reports) of images, repositories, directories and other
// artifacts, and measures ages against now. prev are the resources of the
// source's previous run (nil on the first): a vulnerability they hold
// keeps the first_seen date it had there, so fix deadlines count from
// when Assay first saw it rather than from the advisory's publication.
//
// trivy.artifact attributes: artifact, artifact_type (Trivy's
// ArtifactType, "" when absent), artifact_noun ("image", "repository",
// "directory", ... for reasons); critical, high, medium, low, unknown,
// total (counts of all vulnerabilities); fixable, fixable_critical,
// fixable_high (counts); oldest_fixable_critical_days,
// oldest_fixable_high_days (days since the oldest was first seen, -1 when
// none); secrets (count) and secret_findings (up to 10 of them, "Title
// (rule) in target, line n"); misconfigurations (count of failed ones);
// licenses_forbidden (count) and forbidden_licenses (up to 10, "package
// (licence)"); scanned_days_ago (int, -1 when the report has no
// CreatedAt).
//
// trivy.vulnerability attributes (fixable ones only): artifact,
// artifact_noun, target, vulnerability_id, pkg, installed_version,
// fixed_version, severity (lowercase), published (RFC 3339, "" if
// unknown), first_seen (RFC 3339: when Assay first saw it), age_days
// (whole days since first_seen).
//
// trivy.misconfiguration attributes: see misconfigurations.
func Parse(data []byte, now time.Time, prev []assay.Resource) ([]assay.Resource, error) {
	reports, err := readReports(data)
	if err != nil {
		return nil, err
	}
	seen := firstSeen(prev, now)
	var arts, rest []assay.Resource
	seenArt := map[string]bool{}
	seenVuln := map[string]bool{}
	for n, rep := range reports {
		where := fmt.Sprintf("report %d (%s)", n+1, rep.ArtifactName)
		switch {
		case rep.ArtifactName == "" && rep.ClusterName != "":
			return nil, assay.Invalid("input", "report %d is a `trivy k8s` report of cluster %s, which is not read here: upload `trivy image` reports of the cluster's images (or `trivy fs` / `trivy repo` reports)", n+1, rep.ClusterName)
		case rep.ArtifactName == "":
			return nil, assay.Invalid("input", "report %d: ArtifactName is missing", n+1)
		case rep.SchemaVersion != 2:
			return nil, assay.Invalid("input", "%s: SchemaVersion %d is not supported (expected 2)", where, rep.SchemaVersion)
		case seenArt[rep.ArtifactName]:
			return nil, assay.Invalid("input", "report %d: artifact %s appears twice", n+1, rep.ArtifactName)
		}
		seenArt[rep.ArtifactName] = true
		a := newArtifact(rep)
		for _, res := range rep.Results {
			vulns, err := a.vulnerabilities(res, where, seen, now)
			if err != nil {
				return nil, err
			}
			for _, v := range vulns {
				if !seenVuln[v.ID] { // the same package in two targets: one resource
					seenVuln[v.ID] = true
					rest = append(rest, v)
				}
			}
			if err := a.misconfigurations(res, where); err != nil {
				return nil, err
			}
			if err := a.secrets(res, where); err != nil {
				return nil, err
			}
			if err := a.licenses(res, where); err != nil {
				return nil, err
			}
		}
		scanned, _, err := ageDays(rep.CreatedAt, now)
		if err != nil {
			return nil, assay.Invalid("input", "%s: CreatedAt: %s", where, err)
		}
		arts = append(arts, a.resource(scanned))
		rest = append(rest, a.misconfs...)
	}
	sort.Slice(rest, func(i, j int) bool {
		if rest[i].Kind != rest[j].Kind {
			return rest[i].Kind > rest[j].Kind // vulnerabilities, then misconfigurations
		}
		return rest[i].ID < rest[j].ID
	})
	return append(arts, rest...), nil
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
	return days(t, now), t.UTC().Format(time.RFC3339), nil
}

// days counts whole days from t to now, never negative.
func days(t, now time.Time) int64 {
	return int64(max(now.Sub(t), 0) / (24 * time.Hour))
}

// severity reads a Trivy severity ("CRITICAL" ... "UNKNOWN"); an empty
// one is unknown.
func severity(s string) (string, bool) {
	if s == "" {
		return "unknown", true
	}
	l := strings.ToLower(s)
	return l, slices.Contains(severities, l)
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
