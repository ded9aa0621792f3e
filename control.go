package assay

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// ControlStatus is where an organisation stands with one control.
type ControlStatus string

const (
	StatusNotStarted    ControlStatus = "not_started"
	StatusInProgress    ControlStatus = "in_progress"
	StatusImplemented   ControlStatus = "implemented"
	StatusNotApplicable ControlStatus = "not_applicable"
)

// ControlStatuses lists every status in workflow order.
var ControlStatuses = []ControlStatus{StatusNotStarted, StatusInProgress, StatusImplemented, StatusNotApplicable}

// Label is the status as a person reads it.
func (s ControlStatus) Label() string {
	switch s {
	case StatusNotStarted:
		return "Not started"
	case StatusInProgress:
		return "In progress"
	case StatusImplemented:
		return "Implemented"
	case StatusNotApplicable:
		return "Not applicable"
	}
	return string(s)
}

// Valid reports whether s is a known status.
func (s ControlStatus) Valid() bool { return slices.Contains(ControlStatuses, s) }

// Frequencies a control may run at.
var Frequencies = []string{"continuous", "daily", "weekly", "monthly", "quarterly", "annual", "on_event"}

// ControlKinds: what a control does about a risk.
var ControlKinds = []string{"preventive", "detective", "corrective"}

// Control is one control as an organisation runs it: adopted from the
// default library or written by the organisation (Custom).
type Control struct {
	ID             string        `json:"id"`
	Family         string        `json:"family"`
	Name           string        `json:"name"`
	Description    string        `json:"description"`
	Evidence       string        `json:"evidence"`
	OwnerRole      string        `json:"owner_role"`
	Frequency      string        `json:"frequency"`
	Kind           string        `json:"kind"`
	Automation     string        `json:"automation,omitempty"`
	AutomationNote string        `json:"automation_note,omitempty"`
	Custom         bool          `json:"custom"`
	Criteria       []string      `json:"criteria"`
	Status         ControlStatus `json:"status"`
	// Justification is required when Status is not applicable.
	Justification string    `json:"justification,omitempty"`
	OwnerID       int64     `json:"owner_id,omitempty"`
	OwnerName     string    `json:"owner_name,omitempty"`
	Notes         string    `json:"notes"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// ControlFilter narrows a list of controls. Zero fields match everything.
type ControlFilter struct {
	Category  string        // a category id; only controls mapped to one of its criteria
	Criterion string        // a criterion id
	Status    ControlStatus // one status
	OwnerID   int64         // one owner; -1 for controls with no owner
	Query     string        // text in id, name, description or family
	Limit     int
}

// ControlPatch is a change to a control. Nil fields stay as they are.
type ControlPatch struct {
	Name          *string        `json:"name,omitempty"`
	Description   *string        `json:"description,omitempty"`
	Evidence      *string        `json:"evidence,omitempty"`
	Status        *ControlStatus `json:"status,omitempty"`
	Justification *string        `json:"justification,omitempty"`
	OwnerID       *int64         `json:"owner_id,omitempty"` // 0 clears the owner
	Notes         *string        `json:"notes,omitempty"`
	Criteria      *[]string      `json:"criteria,omitempty"`
	Frequency     *string        `json:"frequency,omitempty"`
	Kind          *string        `json:"kind,omitempty"`
}

// Empty reports whether the patch changes nothing.
func (p ControlPatch) Empty() bool {
	return p.Name == nil && p.Description == nil && p.Evidence == nil && p.Status == nil &&
		p.Justification == nil && p.OwnerID == nil && p.Notes == nil && p.Criteria == nil &&
		p.Frequency == nil && p.Kind == nil
}

// Apply returns c with the patch applied. It does not validate.
func (p ControlPatch) Apply(c Control) Control {
	if p.Name != nil {
		c.Name = strings.TrimSpace(*p.Name)
	}
	if p.Description != nil {
		c.Description = strings.TrimSpace(*p.Description)
	}
	if p.Evidence != nil {
		c.Evidence = strings.TrimSpace(*p.Evidence)
	}
	if p.Status != nil {
		c.Status = *p.Status
		if c.Status != StatusNotApplicable && p.Justification == nil {
			c.Justification = ""
		}
	}
	if p.Justification != nil {
		c.Justification = strings.TrimSpace(*p.Justification)
	}
	if p.OwnerID != nil {
		c.OwnerID = *p.OwnerID
	}
	if p.Notes != nil {
		c.Notes = *p.Notes
	}
	if p.Criteria != nil {
		c.Criteria = normalizeIDs(*p.Criteria)
	}
	if p.Frequency != nil {
		c.Frequency = *p.Frequency
	}
	if p.Kind != nil {
		c.Kind = *p.Kind
	}
	return c
}

func normalizeIDs(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		id = strings.ToUpper(strings.TrimSpace(id))
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// Control field limits.
const (
	MaxControlIDLen    = 32
	MaxControlText     = 4000
	MaxNotesLen        = 20000
	MaxControlCriteria = 30
)

var controlIDRE = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$`)

// CriterionChecker reports whether a criterion id exists.
type CriterionChecker func(id string) bool

// Validate checks a control before it is written. known tells which
// criterion ids exist.
func (c Control) Validate(known CriterionChecker) error {
	if len(c.ID) == 0 || len(c.ID) > MaxControlIDLen || !controlIDRE.MatchString(c.ID) {
		return Invalid("id", "Control id must be upper-case letters, digits and dashes, like CUS-01 (at most %d characters).", MaxControlIDLen)
	}
	if strings.TrimSpace(c.Name) == "" {
		return Invalid("name", "Control name is required.")
	}
	if len(c.Name) > MaxNameLen {
		return Invalid("name", "Control name is longer than %d characters.", MaxNameLen)
	}
	for field, v := range map[string]string{"description": c.Description, "evidence": c.Evidence, "owner_role": c.OwnerRole, "family": c.Family, "justification": c.Justification} {
		if len(v) > MaxControlText {
			return Invalid(field, "The %s is longer than %d characters.", strings.ReplaceAll(field, "_", " "), MaxControlText)
		}
	}
	if len(c.Notes) > MaxNotesLen {
		return Invalid("notes", "Notes are longer than %d characters.", MaxNotesLen)
	}
	if !c.Status.Valid() {
		return Invalid("status", "Unknown status %q; use one of not_started, in_progress, implemented, not_applicable.", c.Status)
	}
	if c.Status == StatusNotApplicable && strings.TrimSpace(c.Justification) == "" {
		return Invalid("justification", "A control marked not applicable needs a justification an auditor can read.")
	}
	if !slices.Contains(Frequencies, c.Frequency) {
		return Invalid("frequency", "Unknown frequency %q; use one of %s.", c.Frequency, strings.Join(Frequencies, ", "))
	}
	if !slices.Contains(ControlKinds, c.Kind) {
		return Invalid("kind", "Unknown kind %q; use one of %s.", c.Kind, strings.Join(ControlKinds, ", "))
	}
	if len(c.Criteria) == 0 {
		return Invalid("criteria", "Map the control to at least one criterion.")
	}
	if len(c.Criteria) > MaxControlCriteria {
		return Invalid("criteria", "A control maps to at most %d criteria.", MaxControlCriteria)
	}
	for _, id := range c.Criteria {
		if known != nil && !known(id) {
			return Invalid("criteria", "Unknown criterion %q.", id)
		}
	}
	return nil
}

// NewCustomControl fills the defaults of a control an organisation writes itself.
func NewCustomControl(id, name, description string, criteria []string) Control {
	return Control{
		ID:          strings.ToUpper(strings.TrimSpace(id)),
		Family:      "Custom",
		Name:        strings.TrimSpace(name),
		Description: strings.TrimSpace(description),
		OwnerRole:   "Security lead",
		Frequency:   "annual",
		Kind:        "preventive",
		Custom:      true,
		Criteria:    normalizeIDs(criteria),
		Status:      StatusNotStarted,
	}
}
