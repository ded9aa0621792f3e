package export

import (
	"fmt"
	"slices"
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
	if items := d.EvidenceFor(c.ID); len(items) == 0 {
		ex = append(ex, "No evidence was in force during the period.")
	} else {
		ex = append(ex, d.evidenceGaps(items)...)
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

// evidenceGaps names the stretches of the period (up to when the export was
// made) that no evidence covered: evidence counts from the start of the
// period it covers (or its collection) until it expires or is superseded.
// Gaps shorter than a day are ignored.
func (d *Data) evidenceGaps(items []Item) []string {
	type span struct{ from, to time.Time }
	var spans []span
	for _, it := range items {
		from := it.CollectedAt
		if it.PeriodStart != nil {
			from = *it.PeriodStart
		}
		to := it.ExpiresAt
		if !it.SupersededAt.IsZero() && it.SupersededAt.Before(to) {
			to = it.SupersededAt
		}
		if to.After(from) {
			spans = append(spans, span{from, to})
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return a.from.Compare(b.from) })
	start, end := d.Period.Start(), d.Period.End()
	if !d.GeneratedAt.IsZero() && d.GeneratedAt.Before(end) {
		end = d.GeneratedAt
	}
	var out []string
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	gap := func(from, to time.Time) {
		if to.Sub(from) >= 24*time.Hour {
			out = append(out, fmt.Sprintf("No evidence covered %s to %s.", day(from), day(to.Add(-time.Nanosecond))))
		}
	}
	covered := start
	for _, sp := range spans {
		if !covered.Before(end) {
			break
		}
		if sp.from.After(covered) {
			gap(covered, minTime(sp.from, end))
		}
		if sp.to.After(covered) {
			covered = sp.to
		}
	}
	if covered.Before(end) {
		gap(covered, end)
	}
	return out
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
