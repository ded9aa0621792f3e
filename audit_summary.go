package assay

import (
	"slices"
	"time"
)

// AuditSummary is what an engagement's page opens with: how far testing
// has got and what it found.
type AuditSummary struct {
	Controls        int                 `json:"controls"`         // in the frozen scope
	Tested          int                 `json:"tested"`           // with evidence in the period, automated testing or a sample
	WithExceptions  int                 `json:"with_exceptions"`  // controls with at least one exception
	Exceptions      int                 `json:"exceptions"`       // all of them
	OpenRequests    int                 `json:"open_requests"`    // open, submitted or returned
	OverdueRequests int                 `json:"overdue_requests"` // of those, past their due date
	Samples         int                 `json:"samples"`
	ByControl       []ControlExceptions `json:"by_control"` // controls with exceptions, most first
}

// ControlExceptions counts one control's exceptions.
type ControlExceptions struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// SummarizeAudit sums up the period view and the samples drawn, at now.
func SummarizeAudit(p AuditPeriod, samples []AuditSample, now time.Time) AuditSummary {
	s := AuditSummary{Controls: len(p.Controls), Samples: len(samples)}
	sampled := map[string]bool{}
	for _, x := range samples {
		sampled[x.ControlID] = true
	}
	for _, c := range p.Controls {
		if len(c.Evidence) > 0 || sampled[c.ID] || (c.Monitoring != nil && c.Monitoring.Runs > 0) {
			s.Tested++
		}
		if n := len(c.Exceptions); n > 0 {
			s.WithExceptions++
			s.Exceptions += n
			s.ByControl = append(s.ByControl, ControlExceptions{ID: c.ID, Name: c.Name, Count: n})
		}
		for _, r := range c.Requests {
			if r.Status != RequestAccepted {
				s.OpenRequests++
				if r.Overdue(now) {
					s.OverdueRequests++
				}
			}
		}
	}
	slices.SortStableFunc(s.ByControl, func(a, b ControlExceptions) int { return b.Count - a.Count })
	return s
}
