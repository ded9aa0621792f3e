package assay

import (
	"slices"
	"strings"
	"time"
)

// AuditType is the kind of SOC 2 report an engagement produces.
type AuditType string

const (
	AuditType1 AuditType = "type_1" // design, as of a date
	AuditType2 AuditType = "type_2" // design and operation over a period
)

// Valid reports whether t is a known type.
func (t AuditType) Valid() bool { return t == AuditType1 || t == AuditType2 }

// AuditStatus is where an engagement stands.
type AuditStatus string

const (
	AuditPlanned   AuditStatus = "planned"
	AuditFieldwork AuditStatus = "fieldwork"
	AuditReporting AuditStatus = "reporting"
	AuditClosed    AuditStatus = "closed"
)

// AuditStatuses lists every status in order.
var AuditStatuses = []AuditStatus{AuditPlanned, AuditFieldwork, AuditReporting, AuditClosed}

// Valid reports whether s is a known status.
func (s AuditStatus) Valid() bool { return slices.Contains(AuditStatuses, s) }

// Audit is an engagement with an audit firm. Its scope is frozen when it is
// created and never changes after, whatever happens to the program.
type Audit struct {
	ID     int64       `json:"id"`
	Type   AuditType   `json:"type"`
	Name   string      `json:"name"`
	Firm   string      `json:"firm"`
	Status AuditStatus `json:"status"`
	// Type I: AsOf. Type II: PeriodStart..PeriodEnd (whole days, UTC, inclusive).
	AsOf          *time.Time `json:"as_of,omitempty"`
	PeriodStart   *time.Time `json:"period_start,omitempty"`
	PeriodEnd     *time.Time `json:"period_end,omitempty"`
	Scope         AuditScope `json:"scope"`
	CreatedByName string     `json:"created_by_name"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// AuditScope is the snapshot of what is in scope, taken once.
type AuditScope struct {
	FrozenAt   time.Time           `json:"frozen_at"`
	Categories []string            `json:"categories"`
	Criteria   []string            `json:"criteria"`
	Controls   []AuditScopeControl `json:"controls"`
}

// AuditScopeControl is an in-scope control and its criteria as frozen.
type AuditScopeControl struct {
	ID       string        `json:"id"`
	Name     string        `json:"name"`
	Status   ControlStatus `json:"status"`
	Criteria []string      `json:"criteria"`
}

// HasControl reports whether the frozen scope holds the control.
func (s AuditScope) HasControl(id string) bool {
	return slices.ContainsFunc(s.Controls, func(c AuditScopeControl) bool { return c.ID == id })
}

// Window is the span the engagement looks at, [start, end): a Type I's one
// day, or a Type II's period through the end of its last day.
func (a Audit) Window() (start, end time.Time) {
	if a.Type == AuditType1 && a.AsOf != nil {
		return *a.AsOf, a.AsOf.AddDate(0, 0, 1)
	}
	if a.PeriodStart != nil && a.PeriodEnd != nil {
		return *a.PeriodStart, a.PeriodEnd.AddDate(0, 0, 1)
	}
	return time.Time{}, time.Time{}
}

// Covers reports whether evidence belongs to the engagement's window: the
// period it covers overlaps the window or, without a period, it was
// collected inside it.
func (a Audit) Covers(e Evidence) bool {
	start, end := a.Window()
	if e.PeriodStart != nil && e.PeriodEnd != nil {
		return e.PeriodStart.Before(end) && e.PeriodEnd.AddDate(0, 0, 1).After(start)
	}
	return !e.CollectedAt.Before(start) && e.CollectedAt.Before(end)
}

// NewAudit is the input to create an engagement.
type NewAudit struct {
	Type        AuditType  `json:"type"`
	Name        string     `json:"name"`
	Firm        string     `json:"firm"`
	AsOf        *time.Time `json:"as_of"`
	PeriodStart *time.Time `json:"period_start"`
	PeriodEnd   *time.Time `json:"period_end"`
}

// ShortPeriodWarning is shown for a Type II period under three months.
const ShortPeriodWarning = "The Type II period is under 3 months; auditors usually expect 6 to 12 months."

func day(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return &d
}

// Validate checks and normalises a new engagement. It returns warnings
// (a short Type II period) that do not refuse it.
func (n *NewAudit) Validate() (warnings []string, err error) {
	n.Name, n.Firm = strings.TrimSpace(n.Name), strings.TrimSpace(n.Firm)
	if !n.Type.Valid() {
		return nil, Invalid("type", "Unknown audit type %q; use type_1 or type_2.", n.Type)
	}
	if n.Name == "" {
		return nil, Invalid("name", "Name the engagement (for example \"SOC 2 Type II 2026\").")
	}
	if len(n.Name) > MaxNameLen {
		return nil, Invalid("name", "Name is longer than %d characters.", MaxNameLen)
	}
	if n.Firm == "" {
		return nil, Invalid("firm", "Enter the audit firm.")
	}
	if len(n.Firm) > MaxNameLen {
		return nil, Invalid("firm", "Audit firm is longer than %d characters.", MaxNameLen)
	}
	n.AsOf, n.PeriodStart, n.PeriodEnd = day(n.AsOf), day(n.PeriodStart), day(n.PeriodEnd)
	if n.Type == AuditType1 {
		if n.AsOf == nil {
			return nil, Invalid("as_of", "A Type I audit needs the date it is as of.")
		}
		n.PeriodStart, n.PeriodEnd = nil, nil
		return nil, nil
	}
	n.AsOf = nil
	if n.PeriodStart == nil || n.PeriodEnd == nil {
		return nil, Invalid("period_start", "A Type II audit needs the start and end of its period.")
	}
	if n.PeriodEnd.Before(*n.PeriodStart) {
		return nil, Invalid("period_end", "The period ends before it starts.")
	}
	if n.PeriodEnd.After(n.PeriodStart.AddDate(2, 0, 0)) {
		return nil, Invalid("period_end", "The period is longer than two years.")
	}
	if n.PeriodEnd.AddDate(0, 0, 1).Before(n.PeriodStart.AddDate(0, 3, 0)) {
		warnings = append(warnings, ShortPeriodWarning)
	}
	return warnings, nil
}

// EngagementLimited reports whether the user is an auditor whose account
// is limited to one engagement.
func (u User) EngagementLimited() bool { return u.EngagementID != 0 }

// AccessExpired reports whether the user's access has expired at now.
func (u User) AccessExpired(now time.Time) bool {
	return u.AccessExpiresAt != nil && !now.Before(*u.AccessExpiresAt)
}
