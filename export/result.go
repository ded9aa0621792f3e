package export

import (
	"fmt"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// Result is how a control did over the period.
type Result struct {
	Operated   bool     // implemented throughout, with evidence in force
	Applicable bool     // false when not applicable throughout
	Summary    string   // e.g. "Operated: implemented throughout with evidence"
	Exceptions []string // what fell short, one sentence each
}

// The result summaries.
const (
	ResultOperated      = "Operated: implemented throughout with evidence"
	ResultException     = "Exception"
	ResultNotApplicable = "Not applicable"
)

// ControlResult derives a control's result over the period from its status
// history (the activity trail) and its evidence in force during the period.
func (d *Data) ControlResult(c assay.Control) Result {
	start, end := d.Period.Start(), d.Period.End()
	hist := d.History[c.ID]
	// Status at the start, and the changes inside the period.
	var atStart assay.ControlStatus
	var inside []StatusChange
	for _, h := range hist {
		if !h.At.After(start) {
			atStart = h.Status
		} else if h.At.Before(end) {
			inside = append(inside, h)
		}
	}
	if len(hist) == 0 {
		atStart = c.Status // no recorded history: the current status
	}
	var ex []string
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	allNA := atStart == assay.StatusNotApplicable
	switch {
	case atStart == "":
		first := "during the period"
		if len(inside) > 0 {
			first = "on " + day(inside[0].At)
		}
		ex = append(ex, fmt.Sprintf("The control was added %s, after the period began.", first))
	case atStart != assay.StatusImplemented && atStart != assay.StatusNotApplicable:
		ex = append(ex, fmt.Sprintf("The control was %s when the period began.", strings.ToLower(atStart.Label())))
	}
	for _, h := range inside {
		if h.Status != assay.StatusNotApplicable {
			allNA = false
		}
		if h.Status != assay.StatusImplemented && h.Status != assay.StatusNotApplicable {
			ex = append(ex, fmt.Sprintf("The status changed to %s on %s (activity entry #%d).", strings.ToLower(h.Status.Label()), day(h.At), h.Seq))
		} else if h.Status == assay.StatusImplemented && len(ex) > 0 {
			ex = append(ex, fmt.Sprintf("Implemented again on %s (activity entry #%d).", day(h.At), h.Seq))
		}
	}
	if allNA {
		s := ResultNotApplicable
		if c.Justification != "" {
			s += ": " + c.Justification
		}
		return Result{Applicable: false, Summary: s}
	}
	if len(d.EvidenceFor(c.ID)) == 0 {
		ex = append(ex, "No evidence was in force during the period.")
	}
	if len(ex) == 0 {
		return Result{Operated: true, Applicable: true, Summary: ResultOperated}
	}
	return Result{Applicable: true, Summary: ResultException, Exceptions: ex}
}

// CriterionResult is a criterion's finding: satisfied when at least one
// control is relied on for it and every such control operated.
type CriterionResult struct {
	Criterion assay.Criterion
	Satisfied bool
	Controls  []assay.Control // mapped to the criterion
	Reason    string
}

// CriterionResults lists the in-scope criteria with their findings.
func (d *Data) CriterionResults() []CriterionResult {
	out := make([]CriterionResult, 0, len(d.Criteria))
	for _, cr := range d.Criteria {
		r := CriterionResult{Criterion: cr}
		relied, failing := 0, []string{}
		for _, c := range d.Controls {
			if !contains(c.Criteria, cr.ID) {
				continue
			}
			r.Controls = append(r.Controls, c)
			res := d.ControlResult(c)
			if !res.Applicable {
				continue
			}
			relied++
			if !res.Operated {
				failing = append(failing, c.ID)
			}
		}
		switch {
		case relied == 0:
			r.Reason = "No applicable control is mapped to this criterion."
		case len(failing) > 0:
			r.Reason = "Exceptions in " + strings.Join(failing, ", ") + "."
		default:
			r.Satisfied = true
			r.Reason = fmt.Sprintf("Every one of %d relied-on controls operated throughout the period with evidence.", relied)
		}
		out = append(out, r)
	}
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
