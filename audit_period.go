package assay

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// AuditPeriod is the period view of an engagement: for each criterion and
// control of the frozen scope, what happened inside the window.
type AuditPeriod struct {
	Audit    Audit            `json:"audit"`
	Start    time.Time        `json:"start"`
	End      time.Time        `json:"end"` // exclusive
	Criteria []PeriodCriteria `json:"criteria"`
	Controls []PeriodControl  `json:"controls"`
	// Availability is the services' measured availability over the period,
	// evidence for the A1 criteria; only when one is in scope.
	Availability []PeriodAvailability `json:"availability,omitempty"`
}

// PeriodAvailability is one probed service's availability over an audit
// period (up to now while it lasts).
type PeriodAvailability struct {
	ServiceID    int64         `json:"service_id"`
	Name         string        `json:"name"`
	Kind         ProbeKind     `json:"kind"`
	Target       string        `json:"target"`
	SLATarget    float64       `json:"sla_target"`
	Percent      float64       `json:"percent"` // -1: not measured in the period
	Measured     time.Duration `json:"measured_ns"`
	Down         time.Duration `json:"down_ns"`
	Maintenance  time.Duration `json:"maintenance_ns"`
	Unknown      time.Duration `json:"unknown_ns"`
	Downtimes    int           `json:"downtimes"`
	Incidents    []int64       `json:"incidents"`     // incidents the downtimes opened
	MonthsMet    int           `json:"months_met"`    // months of the period measured that met the SLA target
	MonthsMissed []string      `json:"months_missed"` // YYYY-MM
}

// InScope reports whether a criterion of the series (such as "A1") is in
// the period's scope.
func (p AuditPeriod) InScope(series string) bool {
	for _, c := range p.Criteria {
		if strings.HasPrefix(c.ID, series+".") {
			return true
		}
	}
	return false
}

// PeriodCriteria is an in-scope criterion and the in-scope controls mapped to it.
type PeriodCriteria struct {
	ID       string   `json:"id"`
	Controls []string `json:"controls"`
}

// PeriodControl is one in-scope control inside the window.
type PeriodControl struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Criteria   []string          `json:"criteria"`
	Evidence   []Evidence        `json:"evidence"`
	History    []StatusChange    `json:"history"`
	Exceptions []AuditException  `json:"exceptions"`
	Requests   []EvidenceRequest `json:"requests"`
	Monitoring *PeriodMonitoring `json:"monitoring,omitempty"` // automated testing in the period (audit_period_monitoring.go)
}

// StatusChange is an activity entry that changed a control's status.
type StatusChange struct {
	Seq     int64         `json:"seq"`
	At      time.Time     `json:"at"`
	Actor   string        `json:"actor"`
	From    ControlStatus `json:"from"`
	To      ControlStatus `json:"to"`
	Summary string        `json:"summary"`
}

// Exception kinds.
const (
	ExceptionNotImplemented  = "not_implemented"  // the control was not implemented for a time
	ExceptionEvidenceExpired = "evidence_expired" // evidence lapsed without a timely renewal
)

// AuditException is something that went wrong inside the window, and what
// resolved it ("unresolved" when nothing did by the end of the window).
type AuditException struct {
	Kind       string     `json:"kind"`
	From       time.Time  `json:"from"`
	To         *time.Time `json:"to,omitempty"`
	Detail     string     `json:"detail"`
	Resolution string     `json:"resolution"`
}

// Unresolved is the resolution of an exception nothing resolved.
const Unresolved = "unresolved"

// StatusChanges extracts status changes from a control's activity, oldest
// first: entries whose before and after carry different statuses.
func StatusChanges(entries []Activity) []StatusChange {
	var out []StatusChange
	for _, a := range entries {
		var before, after struct {
			Status ControlStatus `json:"status"`
		}
		if len(a.After) == 0 || json.Unmarshal(a.After, &after) != nil || after.Status == "" {
			continue
		}
		if len(a.Before) > 0 {
			_ = json.Unmarshal(a.Before, &before)
		}
		if before.Status == after.Status {
			continue
		}
		out = append(out, StatusChange{Seq: a.Seq, At: a.At, Actor: a.Actor.Name, From: before.Status, To: after.Status, Summary: a.Summary})
	}
	slices.SortFunc(out, func(x, y StatusChange) int { return int(x.Seq - y.Seq) })
	return out
}

func down(s ControlStatus) bool { return s != StatusImplemented && s != StatusNotApplicable }

// NotImplementedExceptions finds the spans inside [start, end) during which
// the control was not implemented. changes is the control's whole status
// history (oldest first); current is its status now, used when there is
// no history at all.
func NotImplementedExceptions(start, end time.Time, changes []StatusChange, current ControlStatus) []AuditException {
	status := current
	if len(changes) > 0 {
		status = changes[0].From
	}
	for _, c := range changes {
		if c.At.After(start) {
			break
		}
		status = c.To
	}
	var out []AuditException
	var open *AuditException
	if down(status) && status != "" {
		open = &AuditException{Kind: ExceptionNotImplemented, From: start, Detail: fmt.Sprintf("%s at the start of the period", status.Label())}
	}
	for _, c := range changes {
		if !c.At.After(start) || !c.At.Before(end) {
			continue
		}
		switch {
		case open == nil && down(c.To):
			open = &AuditException{Kind: ExceptionNotImplemented, From: c.At,
				Detail: fmt.Sprintf("Changed to %s by %s (entry #%d)", c.To.Label(), c.Actor, c.Seq)}
		case open != nil && !down(c.To):
			at := c.At
			open.To = &at
			open.Resolution = fmt.Sprintf("Restored to %s by %s (entry #%d)", c.To.Label(), c.Actor, c.Seq)
			out = append(out, *open)
			open = nil
		}
	}
	if open != nil {
		open.Resolution = Unresolved
		out = append(out, *open)
	}
	return out
}

// ExpiredEvidenceExceptions finds evidence of a control that expired inside
// [start, end) without a renewal collected before it expired. A renewal is
// a later item of the control that expires later; the first one collected
// after the lapse resolves the exception.
func ExpiredEvidenceExceptions(start, end time.Time, items []Evidence) []AuditException {
	sorted := slices.Clone(items)
	slices.SortFunc(sorted, func(a, b Evidence) int {
		if c := a.CollectedAt.Compare(b.CollectedAt); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	var out []AuditException
	for _, e := range sorted {
		if e.SupersededBy != 0 || e.ExpiresAt.Before(start) || !e.ExpiresAt.Before(end) {
			continue
		}
		renewed := false
		var resolver *Evidence
		for i := range sorted {
			r := sorted[i]
			if r.ID == e.ID || r.SupersededBy != 0 || !r.ExpiresAt.After(e.ExpiresAt) || r.CollectedAt.Before(e.CollectedAt) {
				continue
			}
			if !r.CollectedAt.After(e.ExpiresAt) {
				renewed = true
				break
			}
			if resolver == nil || r.CollectedAt.Before(resolver.CollectedAt) {
				resolver = &r
			}
		}
		if renewed {
			continue
		}
		x := AuditException{Kind: ExceptionEvidenceExpired, From: e.ExpiresAt,
			Detail: fmt.Sprintf("Evidence #%d %q expired", e.ID, e.Title), Resolution: Unresolved}
		if resolver != nil {
			at := resolver.CollectedAt
			x.To = &at
			x.Resolution = fmt.Sprintf("Renewed by evidence #%d %q", resolver.ID, resolver.Title)
		}
		out = append(out, x)
	}
	return out
}

// AttachMonitoring adds each control's automated testing over the period
// (from PeriodMonitoringFor) to the view, and its failures and gaps to the
// control's exceptions. Controls absent from mon are left alone.
func (p *AuditPeriod) AttachMonitoring(mon map[string]PeriodMonitoring) {
	for i := range p.Controls {
		if m, ok := mon[p.Controls[i].ID]; ok {
			p.Controls[i].Monitoring = &m
			p.Controls[i].Exceptions = append(p.Controls[i].Exceptions, m.Exceptions()...)
		}
	}
}

// ControlIDs are the ids of the period's in-scope controls.
func (p *AuditPeriod) ControlIDs() []string {
	ids := make([]string, len(p.Controls))
	for i, c := range p.Controls {
		ids[i] = c.ID
	}
	return ids
}
