package export

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/assay-platform/assay"
)

// OSCALVersion is the OSCAL release the assessment results follow.
const OSCALVersion = "1.1.3"

// The OSCAL assessment-results model, as much of it as Assay fills in.
type (
	oscalDoc struct {
		AR oscalAR `json:"assessment-results"`
	}
	oscalAR struct {
		UUID       string       `json:"uuid"`
		Metadata   oscalMeta    `json:"metadata"`
		ImportAP   oscalHref    `json:"import-ap"`
		Results    []oscalRes   `json:"results"`
		BackMatter oscalBackMat `json:"back-matter"`
	}
	oscalMeta struct {
		Title        string    `json:"title"`
		LastModified time.Time `json:"last-modified"`
		Version      string    `json:"version"`
		OSCALVersion string    `json:"oscal-version"`
		Remarks      string    `json:"remarks,omitempty"`
	}
	oscalHref struct {
		Href    string `json:"href"`
		Remarks string `json:"remarks,omitempty"`
	}
	oscalRes struct {
		UUID             string          `json:"uuid"`
		Title            string          `json:"title"`
		Description      string          `json:"description"`
		Start            time.Time       `json:"start"`
		End              time.Time       `json:"end"`
		ReviewedControls oscalReviewed   `json:"reviewed-controls"`
		Observations     []oscalObs      `json:"observations,omitempty"`
		Findings         []oscalFinding  `json:"findings,omitempty"`
		Props            []oscalProperty `json:"props,omitempty"`
	}
	oscalReviewed struct {
		ControlSelections []oscalSelection `json:"control-selections"`
	}
	oscalSelection struct {
		IncludeControls []oscalControlID `json:"include-controls,omitempty"`
		IncludeAll      *struct{}        `json:"include-all,omitempty"`
	}
	oscalControlID struct {
		ControlID string `json:"control-id"`
	}
	oscalProperty struct {
		Name  string `json:"name"`
		Value string `json:"value"`
		NS    string `json:"ns,omitempty"`
	}
	oscalObs struct {
		UUID             string          `json:"uuid"`
		Title            string          `json:"title"`
		Description      string          `json:"description"`
		Methods          []string        `json:"methods"`
		Types            []string        `json:"types,omitempty"`
		RelevantEvidence []oscalEvidence `json:"relevant-evidence,omitempty"`
		Collected        time.Time       `json:"collected"`
		Expires          *time.Time      `json:"expires,omitempty"`
	}
	oscalEvidence struct {
		Href        string `json:"href"`
		Description string `json:"description"`
	}
	oscalFinding struct {
		UUID               string       `json:"uuid"`
		Title              string       `json:"title"`
		Description        string       `json:"description"`
		Target             oscalTarget  `json:"target"`
		RelatedObservation []oscalRelOb `json:"related-observations,omitempty"`
	}
	oscalTarget struct {
		Type     string      `json:"type"`
		TargetID string      `json:"target-id"`
		Status   oscalStatus `json:"status"`
	}
	oscalStatus struct {
		State  string `json:"state"`
		Reason string `json:"reason,omitempty"`
	}
	oscalRelOb struct {
		ObservationUUID string `json:"observation-uuid"`
	}
	oscalBackMat struct {
		Resources []oscalResource `json:"resources"`
	}
	oscalResource struct {
		UUID        string       `json:"uuid"`
		Title       string       `json:"title"`
		Description string       `json:"description,omitempty"`
		Rlinks      []oscalRlink `json:"rlinks,omitempty"`
	}
	oscalRlink struct {
		Href      string      `json:"href"`
		MediaType string      `json:"media-type,omitempty"`
		Hashes    []oscalHash `json:"hashes,omitempty"`
	}
	oscalHash struct {
		Algorithm string `json:"algorithm"`
		Value     string `json:"value"`
	}
)

// WriteOSCAL writes the OSCAL assessment results for d: one result over
// the period, a finding per in-scope criterion, an observation per
// evidence item, and the evidence (with SHA-256 digests) in back-matter.
// UUIDs are derived from the organisation, period and generation time, so
// the same export gives the same document.
func WriteOSCAL(w io.Writer, d *Data) error {
	ns := uuid.NewSHA1(uuid.NameSpaceURL, []byte(fmt.Sprintf("assay:%s:%s:%s", d.Org.Slug, d.Period, d.GeneratedAt.Format(time.RFC3339Nano))))
	id := func(parts ...any) string { return uuid.NewSHA1(ns, []byte(fmt.Sprint(parts...))).String() }
	start, end := d.Period.Start(), d.Period.End().Add(-time.Second)

	planID := id("assessment-plan")
	resources := []oscalResource{{UUID: planID, Title: "Assessment plan",
		Description: "Assay does not issue assessment plans; this export stands for the period " + d.Period.String() + ". Replace with the auditor's plan."}}
	resByEvidence, obsByControl := map[int64]string{}, map[string][]string{}
	var observations []oscalObs
	for _, it := range d.Evidence {
		rid := id("evidence", it.ID)
		resByEvidence[it.ID] = rid
		res := oscalResource{UUID: rid, Title: it.Title, Description: evidenceDescription(it)}
		switch {
		case it.SHA256 != "":
			mt := it.MediaType
			res.Rlinks = []oscalRlink{{Href: filesDir + it.SHA256 + "-" + SafeFilename(it.Filename), MediaType: mt,
				Hashes: []oscalHash{{Algorithm: "SHA-256", Value: it.SHA256}}}}
		case it.URL != "":
			res.Rlinks = []oscalRlink{{Href: it.URL}}
		}
		resources = append(resources, res)
		oid := id("observation", it.ID)
		exp := it.ExpiresAt.UTC()
		observations = append(observations, oscalObs{UUID: oid, Title: it.Title,
			Description: fmt.Sprintf("Evidence %d (%s) for %s, collected %s; recorded in the ledger by activity entry #%d.",
				it.ID, strings.ToLower(it.Kind.Label()), strings.Join(it.Controls, ", "), it.CollectedAt.UTC().Format(time.DateOnly), it.Seq),
			Methods: []string{"EXAMINE"}, Types: []string{"control-objective"},
			RelevantEvidence: []oscalEvidence{{Href: "#" + rid, Description: it.Title}},
			Collected:        it.CollectedAt.UTC(), Expires: &exp})
		for _, c := range it.Controls {
			obsByControl[c] = append(obsByControl[c], oid)
		}
	}

	observations = append(observations, d.monitoringObservations(id, obsByControl)...) // export/monitoring.go
	var findings []oscalFinding
	var selected []oscalControlID
	for _, cr := range d.CriterionResults() {
		selected = append(selected, oscalControlID{ControlID: cr.Criterion.ID})
		state := "not-satisfied"
		if cr.Satisfied {
			state = "satisfied"
		}
		var lines []string
		var rel []oscalRelOb
		seen := map[string]bool{}
		for _, c := range cr.Controls {
			r := d.ControlResult(c)
			line := fmt.Sprintf("%s %s: %s", c.ID, c.Name, r.Summary)
			if len(r.Exceptions) > 0 {
				line += " (" + strings.Join(r.Exceptions, " ") + ")"
			}
			lines = append(lines, line)
			for _, o := range obsByControl[c.ID] {
				if !seen[o] {
					seen[o] = true
					rel = append(rel, oscalRelOb{ObservationUUID: o})
				}
			}
		}
		desc := cr.Reason
		if len(lines) > 0 {
			desc += "\n\n" + strings.Join(lines, "\n")
		}
		findings = append(findings, oscalFinding{UUID: id("finding", cr.Criterion.ID), Title: cr.Criterion.ID + " " + cr.Criterion.Title,
			Description: desc, Target: oscalTarget{Type: "objective-id", TargetID: cr.Criterion.ID, Status: oscalStatus{State: state}},
			RelatedObservation: rel})
	}
	sel := oscalSelection{IncludeControls: selected}
	if len(selected) == 0 {
		sel = oscalSelection{IncludeAll: &struct{}{}}
	}
	doc := oscalDoc{AR: oscalAR{
		UUID: id("assessment-results"),
		Metadata: oscalMeta{Title: "SOC 2 assessment results: " + d.Org.Name + ", " + d.Period.String(),
			LastModified: d.GeneratedAt.UTC(), Version: d.GeneratedAt.UTC().Format(time.RFC3339), OSCALVersion: OSCALVersion,
			Remarks: "Generated by Assay " + assay.Version + " from the organisation's controls, their status history and evidence."},
		ImportAP: oscalHref{Href: "#" + planID},
		Results: []oscalRes{{UUID: id("result"), Title: "Control operation over " + d.Period.String(),
			Description: "Findings per in-scope SOC 2 (TSC 2017) criterion, derived from each mapped control's status history and the evidence in force during the period.",
			Start:       start, End: end, ReviewedControls: oscalReviewed{ControlSelections: []oscalSelection{sel}},
			Observations: observations, Findings: findings}},
		BackMatter: oscalBackMat{Resources: resources},
	}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func evidenceDescription(it Item) string {
	s := fmt.Sprintf("Evidence %d (%s), controls %s.", it.ID, strings.ToLower(it.Kind.Label()), strings.Join(it.Controls, ", "))
	if it.Description != "" {
		s += " " + it.Description
	}
	if it.NoteText != "" {
		s += "\n\n" + it.NoteText
	}
	return s
}
