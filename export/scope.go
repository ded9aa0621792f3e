package export

import (
	"slices"
	"time"

	"github.com/assay-platform/assay"
)

// EngagementPeriod is the period an audit engagement looks at: a Type I's
// one day, or a Type II's whole period.
func EngagementPeriod(a assay.Audit) (Period, error) {
	start, end := a.Window()
	if start.IsZero() || end.IsZero() {
		return Period{}, assay.Errorf(assay.ECONFLICT, "Engagement %d has no period to export.", a.ID)
	}
	p := Period{From: assay.Day(start), To: assay.Day(end.Add(-time.Nanosecond))}
	return p, p.Validate()
}

// ApplyScope narrows the data to an engagement's frozen scope: its
// criteria, its controls, and each control's criteria as they were frozen
// (later remappings do not change what the auditor is testing). Evidence of
// controls outside the scope is dropped.
func (d *Data) ApplyScope(scope assay.AuditScope) {
	d.Criteria = slices.DeleteFunc(d.Criteria, func(c assay.Criterion) bool { return !slices.Contains(scope.Criteria, c.ID) })
	frozen := map[string][]string{}
	for _, c := range scope.Controls {
		frozen[c.ID] = c.Criteria
	}
	var controls []assay.Control
	for _, c := range d.Controls {
		if crit, ok := frozen[c.ID]; ok {
			c.Criteria = slices.Clone(crit)
			controls = append(controls, c)
		}
	}
	d.Controls = controls
	d.Evidence = slices.DeleteFunc(d.Evidence, func(it Item) bool {
		return !slices.ContainsFunc(it.Controls, func(id string) bool { _, ok := frozen[id]; return ok })
	})
}
