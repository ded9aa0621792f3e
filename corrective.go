package assay

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// CorrectiveSource is where a non-conformity was found.
type CorrectiveSource string

const (
	SourceManual         CorrectiveSource = "manual"          // entered by hand
	SourceIncidentReview CorrectiveSource = "incident_review" // an incident's post-incident review
	SourceAuditException CorrectiveSource = "audit_exception" // an exception in an audit period
	SourceFailingCheck   CorrectiveSource = "failing_check"   // a monitoring check that fails
	SourceAccessReview   CorrectiveSource = "access_review"   // an access review finding
)

// CorrectiveSources lists every source.
var CorrectiveSources = []CorrectiveSource{SourceManual, SourceIncidentReview, SourceAuditException, SourceFailingCheck, SourceAccessReview}

// Valid reports whether s is a known source.
func (s CorrectiveSource) Valid() bool { return slices.Contains(CorrectiveSources, s) }

// CorrectiveStatus is where a corrective action stands.
type CorrectiveStatus string

const (
	CorrectiveOpen       CorrectiveStatus = "open"
	CorrectiveInProgress CorrectiveStatus = "in_progress"
	CorrectiveDone       CorrectiveStatus = "done"     // the action is taken
	CorrectiveVerified   CorrectiveStatus = "verified" // and shown to be effective
)

// CorrectiveStatuses lists every status.
var CorrectiveStatuses = []CorrectiveStatus{CorrectiveOpen, CorrectiveInProgress, CorrectiveDone, CorrectiveVerified}

// Valid reports whether s is a known status.
func (s CorrectiveStatus) Valid() bool { return slices.Contains(CorrectiveStatuses, s) }

// CorrectiveAction is a non-conformity and the action that fixes it.
type CorrectiveAction struct {
	ID                int64            `json:"id"`
	Source            CorrectiveSource `json:"source"`
	SourceRef         string           `json:"source_ref"`
	IncidentID        int64            `json:"incident_id,omitempty"`
	Title             string           `json:"title"` // the non-conformity
	RootCause         string           `json:"root_cause"`
	Action            string           `json:"action"`
	OwnerID           int64            `json:"owner_id"`
	OwnerName         string           `json:"owner_name"`
	DueDate           time.Time        `json:"due_date"`
	Status            CorrectiveStatus `json:"status"`
	VerifiedByName    string           `json:"verified_by_name"`
	VerifiedAt        *time.Time       `json:"verified_at"`
	VerificationNotes string           `json:"verification_notes"`
	CreatedAt         time.Time        `json:"created_at"`
	UpdatedAt         time.Time        `json:"updated_at"`
}

// Overdue reports whether the action is not done by its due date.
func (c CorrectiveAction) Overdue(now time.Time) bool {
	return (c.Status == CorrectiveOpen || c.Status == CorrectiveInProgress) && now.After(c.DueDate.AddDate(0, 0, 1))
}

// MayUpdateCorrective reports whether u may update c: admins any, members
// the actions they own.
func (u User) MayUpdateCorrective(c CorrectiveAction) bool {
	if u.Can(ActionManageIncidents, nil) {
		return true
	}
	return u.Role == RoleMember && !u.Disabled && c.OwnerID != 0 && c.OwnerID == u.ID
}

// NewCorrectiveAction is a corrective action to record.
type NewCorrectiveAction struct {
	Source     CorrectiveSource `json:"source"`
	SourceRef  string           `json:"source_ref"`
	IncidentID int64            `json:"incident_id"`
	Title      string           `json:"title"`
	RootCause  string           `json:"root_cause"`
	Action     string           `json:"action"`
	OwnerID    int64            `json:"owner_id"`
	DueDate    time.Time        `json:"due_date"`
}

// Validate checks n, trimming its text and defaulting the source.
func (n *NewCorrectiveAction) Validate() error {
	n.Title, n.RootCause, n.Action, n.SourceRef = strings.TrimSpace(n.Title), strings.TrimSpace(n.RootCause), strings.TrimSpace(n.Action), strings.TrimSpace(n.SourceRef)
	if n.Source == "" {
		n.Source = SourceManual
	}
	switch {
	case !n.Source.Valid():
		return Invalid("source", "Unknown source %q; use manual, incident_review, audit_exception, failing_check or access_review.", n.Source)
	case n.Title == "":
		return Invalid("title", "Describe the non-conformity.")
	case utf8.RuneCountInString(n.Title) > MaxIncidentTitle*5:
		return Invalid("title", "The non-conformity is longer than %d characters.", MaxIncidentTitle*5)
	case n.Action == "":
		return Invalid("action", "Say what action will correct it.")
	case utf8.RuneCountInString(n.Action) > MaxIncidentText || utf8.RuneCountInString(n.RootCause) > MaxIncidentText:
		return Invalid("action", "The action or root cause is longer than %d characters.", MaxIncidentText)
	case utf8.RuneCountInString(n.SourceRef) > MaxIncidentTitle:
		return Invalid("source_ref", "The source reference is longer than %d characters.", MaxIncidentTitle)
	case n.DueDate.IsZero():
		return Invalid("due_date", "Give a due date.")
	}
	n.DueDate = Day(n.DueDate)
	return nil
}

// CorrectivePatch changes a corrective action. Verifying (status verified)
// needs notes on how effectiveness was checked.
type CorrectivePatch struct {
	Status            *CorrectiveStatus `json:"status"`
	Action            *string           `json:"action"`
	RootCause         *string           `json:"root_cause"`
	OwnerID           *int64            `json:"owner_id"`
	DueDate           *time.Time        `json:"due_date"`
	VerificationNotes *string           `json:"verification_notes"`
}

// CorrectiveFilter narrows the register.
type CorrectiveFilter struct {
	Status     CorrectiveStatus
	Source     CorrectiveSource
	OwnerID    int64
	IncidentID int64
	Overdue    bool // open or in progress past the due date (by the store's clock)
}
