package trivy

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
)

// KindMisconfiguration is the resource kind of one Trivy misconfiguration
// check on one file (and, for infrastructure code, one resource in it).
const KindMisconfiguration = "trivy.misconfiguration"

type misconf struct {
	Type          string `json:"Type"`
	ID            string `json:"ID"`
	AVDID         string `json:"AVDID"`
	Title         string `json:"Title"`
	Message       string `json:"Message"`
	Resolution    string `json:"Resolution"`
	Severity      string `json:"Severity"`
	Status        string `json:"Status"`
	PrimaryURL    string `json:"PrimaryURL"`
	CauseMetadata struct {
		Resource  string `json:"Resource"`
		Provider  string `json:"Provider"`
		Service   string `json:"Service"`
		StartLine int64  `json:"StartLine"`
		EndLine   int64  `json:"EndLine"`
	} `json:"CauseMetadata"`
}

// Misconfiguration statuses, from best to worst.
var misconfStatuses = []string{"PASS", "EXCEPTION", "FAIL"}

// misconfigurations makes one trivy.misconfiguration resource per check,
// target and cause (the infrastructure resource Trivy names, if any):
// a check that fails on several lines of one file is one finding, with
// the lines listed and its worst status. PASS results appear only when
// Trivy ran with --include-non-failures; EXCEPTION ones are those a Trivy
// policy exempted.
//
// Attributes: artifact, artifact_noun, target, check_id (Trivy's ID, or
// its AVDID when there is none), avd_id, type (Trivy's check family, such
// as "Dockerfile Security Check"), title, message, resolution, url,
// severity (lowercase), status (PASS, FAIL or EXCEPTION), cause (the
// resource in the file, "" if none), lines (list of "12" or "12-14"; empty
// when Trivy gives none) and occurrences (count).
func (a *artifact) misconfigurations(res result, where string) error {
	for i, m := range res.Misconfigurations {
		check := m.ID
		if check == "" {
			check = m.AVDID
		}
		if check == "" {
			return assay.Invalid("input", "%s, %s misconfiguration %d: ID and AVDID are both missing", where, res.Target, i+1)
		}
		sev, ok := severity(m.Severity)
		if !ok {
			return assay.Invalid("input", "%s, %s misconfiguration %d (%s): unknown Severity %q", where, res.Target, i+1, check, m.Severity)
		}
		status := strings.ToUpper(m.Status)
		if status == "" {
			status = "FAIL" // Trivy leaves out nothing but failures by default
		}
		rank := slices.Index(misconfStatuses, status)
		if rank < 0 {
			return assay.Invalid("input", "%s, %s misconfiguration %d (%s): Status %q is not PASS, FAIL or EXCEPTION", where, res.Target, i+1, check, m.Status)
		}
		cause := m.CauseMetadata.Resource
		id := a.name + "|" + res.Target + "|" + check
		if cause != "" {
			id += "|" + cause
		}
		line := lines(m.CauseMetadata.StartLine, m.CauseMetadata.EndLine)
		if at, dup := a.misconfAt[id]; dup {
			attrs := a.misconfs[at].Attrs
			attrs["occurrences"] = attrs["occurrences"].(int64) + 1
			if line != "" && !slices.Contains(attrs["lines"].([]any), any(line)) {
				attrs["lines"] = append(attrs["lines"].([]any), line)
			}
			if slices.Index(misconfStatuses, attrs["status"].(string)) < rank {
				if attrs["status"] != "FAIL" && status == "FAIL" {
					a.misconfFailed++
				}
				attrs["status"], attrs["message"] = status, m.Message
			}
			continue
		}
		if status == "FAIL" {
			a.misconfFailed++
		}
		name := fmt.Sprintf("%s in %s (%s)", check, res.Target, a.name)
		if cause != "" {
			name = fmt.Sprintf("%s on %s in %s (%s)", check, cause, res.Target, a.name)
		}
		lineList := []any{}
		if line != "" {
			lineList = append(lineList, line)
		}
		a.misconfAt[id] = len(a.misconfs)
		a.misconfs = append(a.misconfs, assay.Resource{Kind: KindMisconfiguration, ID: id, Name: name, Attrs: map[string]any{
			"artifact": a.name, "artifact_noun": a.noun, "target": res.Target,
			"check_id": check, "avd_id": m.AVDID, "type": m.Type, "title": m.Title,
			"message": m.Message, "resolution": m.Resolution, "url": m.PrimaryURL,
			"severity": sev, "status": status, "cause": cause,
			"lines": lineList, "occurrences": int64(1),
		}})
	}
	return nil
}

// lines writes a line range as "12" or "12-14"; "" when Trivy gave none.
func lines(start, end int64) string {
	switch {
	case start <= 0:
		return ""
	case end <= start:
		return strconv.FormatInt(start, 10)
	}
	return strconv.FormatInt(start, 10) + "-" + strconv.FormatInt(end, 10)
}
