// Package prowler collects the findings of a Prowler scan exported as
// JSON-OCSF (an array of OCSF Detection Finding objects). Each finding
// becomes a "prowler.finding" resource that keeps Prowler's own mapping of
// the check to SOC 2 criteria.
package prowler

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/monitor"
)

// KindFinding is the resource kind of one Prowler finding.
const KindFinding = "prowler.finding"

type collector struct{}

// New returns the Prowler collector.
func New() monitor.Collector { return collector{} }

func (collector) Kind() string            { return "prowler" }
func (collector) ResourceKinds() []string { return []string{KindFinding} }

// Validate accepts any settings; when a report is attached it must parse.
func (collector) Validate(cfg monitor.Config) error {
	if len(cfg.Input) == 0 {
		return nil
	}
	_, err := Parse(cfg.Input, nil)
	return err
}

func (collector) Collect(ctx context.Context, cfg monitor.Config) ([]assay.Resource, error) {
	if len(cfg.Input) == 0 {
		return nil, assay.Invalid("input", "no Prowler report was uploaded: upload the JSON-OCSF output (prowler -M json-ocsf)")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return Parse(cfg.Input, cfg.Notes)
}

// finding is the part of an OCSF Detection Finding we read.
type finding struct {
	Metadata struct {
		EventCode string `json:"event_code"`
	} `json:"metadata"`
	Severity     string `json:"severity"`
	Status       string `json:"status"`
	StatusCode   string `json:"status_code"`
	StatusDetail string `json:"status_detail"`
	FindingInfo  struct {
		UID   string `json:"uid"`
		Title string `json:"title"`
	} `json:"finding_info"`
	Resources []struct {
		UID    string `json:"uid"`
		Name   string `json:"name"`
		Region string `json:"region"`
		Type   string `json:"type"`
	} `json:"resources"`
	Cloud struct {
		Provider string `json:"provider"`
		Account  struct {
			UID string `json:"uid"`
		} `json:"account"`
	} `json:"cloud"`
	Unmapped struct {
		Compliance map[string][]string `json:"compliance"`
	} `json:"unmapped"`
}

var statuses = []string{"PASS", "FAIL", "MANUAL"}

// Parse reads a JSON-OCSF report. Attributes of each finding: status
// (PASS, FAIL or MANUAL), severity (critical, high, medium, low,
// informational), check_id, title, detail, resource (uid), resource_name,
// resource_type, region, provider, account, muted (bool) and soc2 (list
// of criteria ids such as "CC6.1", as Prowler mapped them).
//
// A finding is identified by its uid, check and resource: Prowler repeats
// uids, so copies of one finding are merged (see merge) and notes says
// how many; notes may be nil.
func Parse(data []byte, notes *monitor.Notes) ([]assay.Resource, error) {
	data, err := monitor.Text(data)
	if err != nil {
		return nil, err
	}
	var raw []json.RawMessage
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		trimmed = append(append([]byte{'['}, trimmed...), ']')
		data = trimmed
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, jsonError(data, err, "the report")
	}
	found := make([]parsed, 0, len(raw))
	for i, item := range raw {
		var f finding
		if err := json.Unmarshal(item, &f); err != nil {
			return nil, jsonError(item, err, fmt.Sprintf("finding %d", i+1))
		}
		p, err := read(f, i+1)
		if err != nil {
			return nil, err
		}
		found = append(found, p)
	}
	return merge(found, notes), nil
}

// read checks one finding and turns it into its resource's parts.
func read(f finding, n int) (parsed, error) {
	check := f.Metadata.EventCode
	if check == "" {
		return parsed{}, assay.Invalid("input", "finding %d: metadata.event_code (the check id) is missing", n)
	}
	status := strings.ToUpper(f.StatusCode)
	if !slices.Contains(statuses, status) {
		return parsed{}, assay.Invalid("input", "finding %d (%s): status_code %q is not PASS, FAIL or MANUAL", n, check, f.StatusCode)
	}
	var resUID, resName, region, resType string
	if len(f.Resources) > 0 {
		r := f.Resources[0]
		resUID, resName, region, resType = r.UID, r.Name, r.Region, r.Type
	}
	if resName == "" {
		resName = resUID
	}
	name := check
	if resName != "" {
		name = check + " on " + resName
	}
	return parsed{key: findingKey{uid: f.FindingInfo.UID, check: check, resource: resUID}, name: name, attrs: map[string]any{
		"status": status, "severity": strings.ToLower(f.Severity), "check_id": check,
		"title": f.FindingInfo.Title, "detail": f.StatusDetail,
		"resource": resUID, "resource_name": resName, "resource_type": resType, "region": region,
		"provider": f.Cloud.Provider, "account": f.Cloud.Account.UID,
		"muted": strings.EqualFold(f.Status, "Suppressed"),
		"soc2":  soc2(f.Unmapped.Compliance),
	}}, nil
}

var soc2ID = regexp.MustCompile(`^(cc|a|c|pi|p)_?(?:(a|c|pi|p)_)?(\d+)_(\d+)$`)

// soc2 collects the SOC 2 entries of Prowler's compliance map, normalised
// from its "cc_6_1" / "cc_a_1_2" spelling to "CC6.1" / "A1.2".
func soc2(comp map[string][]string) []any {
	var ids []string
	for fw, reqs := range comp {
		if !strings.HasPrefix(strings.ToUpper(strings.ReplaceAll(fw, " ", "")), "SOC2") {
			continue
		}
		for _, r := range reqs {
			if id := normalizeSOC2(r); id != "" && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	out := make([]any, len(ids))
	for i, s := range ids {
		out[i] = s
	}
	return out
}

func normalizeSOC2(req string) string {
	r := strings.ToLower(strings.TrimSpace(req))
	m := soc2ID.FindStringSubmatch(r)
	if m == nil {
		// Already in criteria form ("CC6.1")?
		if ok, _ := regexp.MatchString(`^(cc|a|c|pi|p)\d+\.\d+$`, r); ok {
			return strings.ToUpper(r)
		}
		return ""
	}
	series := m[1]
	if m[2] != "" {
		series = m[2]
	}
	return strings.ToUpper(series) + m[3] + "." + m[4]
}

func jsonError(data []byte, err error, what string) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := monitor.LineCol(data, syn.Offset)
		return assay.Invalid("input", "%s is not valid JSON at line %d, column %d: %s", what, line, col, syn.Error())
	case errors.As(err, &typ):
		if typ.Field == "" {
			return assay.Invalid("input", "%s must be a JSON array of OCSF findings, not a JSON %s", what, typ.Value)
		}
		return assay.Invalid("input", "%s: field %q should not be a JSON %s", what, typ.Field, typ.Value)
	}
	return assay.Invalid("input", "%s cannot be read: %v", what, err)
}
