package assay

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// IncidentStatus is where an incident stands in its lifecycle.
type IncidentStatus string

const (
	IncidentReported  IncidentStatus = "reported"  // someone raised it
	IncidentTriaged   IncidentStatus = "triaged"   // a severity is set
	IncidentContained IncidentStatus = "contained" // the harm stopped spreading
	IncidentResolved  IncidentStatus = "resolved"  // the service is back to normal
	IncidentClosed    IncidentStatus = "closed"    // the post-incident review is done
)

// IncidentStatuses lists every status, in lifecycle order.
var IncidentStatuses = []IncidentStatus{IncidentReported, IncidentTriaged, IncidentContained, IncidentResolved, IncidentClosed}

// Valid reports whether s is a known status.
func (s IncidentStatus) Valid() bool { return slices.Contains(IncidentStatuses, s) }

// Severity is how bad an incident is: SEV1 the worst.
type Severity string

// Severities lists every severity, worst first.
var Severities = []Severity{"SEV1", "SEV2", "SEV3", "SEV4"}

// Valid reports whether s is a known severity.
func (s Severity) Valid() bool { return slices.Contains(Severities, s) }

// Notice deadlines. RegulatorNoticeHours applies where personal data is
// involved (GDPR's 72 hours from awareness); CustomerNoticeHours is the
// default customer commitment, which an incident may override.
const (
	RegulatorNoticeHours = 72
	CustomerNoticeHours  = 72
	MaxIncidentText      = 10000
	MaxIncidentTitle     = 200
)

// IncidentReview is the post-incident review that closes an incident.
type IncidentReview struct {
	RootCause      string    `json:"root_cause"`
	WentWell       string    `json:"went_well"`
	ToImprove      string    `json:"to_improve"`
	ReviewedAt     time.Time `json:"reviewed_at"`
	ReviewedByName string    `json:"reviewed_by_name"`
}

// Incident is a security or availability incident, or an exercise of the
// incident process (a tabletop test).
type Incident struct {
	ID                  int64           `json:"id"`
	Title               string          `json:"title"`
	Description         string          `json:"description"`
	Status              IncidentStatus  `json:"status"`
	Severity            Severity        `json:"severity"` // empty until triaged
	Exercise            bool            `json:"exercise"`
	PersonalData        bool            `json:"personal_data"`
	CustomerData        bool            `json:"customer_data"`
	CustomerNoticeHours int             `json:"customer_notice_hours"`
	OccurredAt          time.Time       `json:"occurred_at"`
	DetectedAt          time.Time       `json:"detected_at"`
	ReportedAt          time.Time       `json:"reported_at"`
	ContainedAt         *time.Time      `json:"contained_at"`
	ResolvedAt          *time.Time      `json:"resolved_at"`
	ClosedAt            *time.Time      `json:"closed_at"`
	CustomerNotifiedAt  *time.Time      `json:"customer_notified_at"`
	RegulatorNotifiedAt *time.Time      `json:"regulator_notified_at"`
	ReportedByName      string          `json:"reported_by_name"`
	OwnerID             int64           `json:"owner_id,omitempty"`   // the admin or member who sees it through
	OwnerName           string          `json:"owner_name,omitempty"` // their name
	Review              *IncidentReview `json:"review"`
	UpdatedAt           time.Time       `json:"updated_at"`
}

// CustomerNoticeDue is when customers must be told, or nil when no
// customer data is involved.
func (i Incident) CustomerNoticeDue() *time.Time {
	if !i.CustomerData {
		return nil
	}
	t := i.DetectedAt.Add(time.Duration(i.CustomerNoticeHours) * time.Hour)
	return &t
}

// RegulatorNoticeDue is when the regulator must be told, or nil when no
// personal data is involved.
func (i Incident) RegulatorNoticeDue() *time.Time {
	if !i.PersonalData {
		return nil
	}
	t := i.DetectedAt.Add(RegulatorNoticeHours * time.Hour)
	return &t
}

// Warnings lists the notices that are overdue at now (an exercise has none).
func (i Incident) Warnings(now time.Time) []string {
	out := []string{}
	if i.Exercise {
		return out
	}
	if due := i.CustomerNoticeDue(); due != nil && i.CustomerNotifiedAt == nil && now.After(*due) {
		out = append(out, fmt.Sprintf("Customer notice overdue since %s.", due.UTC().Format("2006-01-02 15:04 UTC")))
	}
	if due := i.RegulatorNoticeDue(); due != nil && i.RegulatorNotifiedAt == nil && now.After(*due) {
		out = append(out, fmt.Sprintf("Regulator notice overdue since %s.", due.UTC().Format("2006-01-02 15:04 UTC")))
	}
	return out
}

// NewIncident is a reported incident.
type NewIncident struct {
	Title               string    `json:"title"`
	Description         string    `json:"description"`
	Exercise            bool      `json:"exercise"`
	PersonalData        bool      `json:"personal_data"`
	CustomerData        bool      `json:"customer_data"`
	CustomerNoticeHours int       `json:"customer_notice_hours"` // 0: CustomerNoticeHours
	OccurredAt          time.Time `json:"occurred_at"`
	DetectedAt          time.Time `json:"detected_at"`
}

// Validate checks n against now, filling in defaults.
func (n *NewIncident) Validate(now time.Time) error {
	n.Title, n.Description = strings.TrimSpace(n.Title), strings.TrimSpace(n.Description)
	if n.CustomerNoticeHours == 0 {
		n.CustomerNoticeHours = CustomerNoticeHours
	}
	switch {
	case n.Title == "":
		return Invalid("title", "Give the incident a title.")
	case utf8.RuneCountInString(n.Title) > MaxIncidentTitle:
		return Invalid("title", "The title is longer than %d characters.", MaxIncidentTitle)
	case utf8.RuneCountInString(n.Description) > MaxIncidentText:
		return Invalid("description", "The description is longer than %d characters.", MaxIncidentText)
	case n.CustomerNoticeHours < 1 || n.CustomerNoticeHours > 24*90:
		return Invalid("customer_notice_hours", "The customer notice commitment must be between 1 and 2160 hours.")
	case n.OccurredAt.IsZero():
		return Invalid("occurred_at", "Say when the incident occurred.")
	case n.DetectedAt.IsZero():
		return Invalid("detected_at", "Say when the incident was detected.")
	case n.DetectedAt.Before(n.OccurredAt):
		return Invalid("detected_at", "An incident cannot be detected before it occurred.")
	case n.DetectedAt.After(now.Add(time.Minute)):
		return Invalid("detected_at", "The detection time is in the future.")
	}
	return nil
}

// IncidentMove moves an incident on: triaged (with a severity), contained
// or resolved, at a time (zero: now).
type IncidentMove struct {
	Status   IncidentStatus `json:"status"`
	Severity Severity       `json:"severity"`
	At       time.Time      `json:"at"`
	Note     string         `json:"note"`
}

// Steps are the moves the incident's state allows now, in order: what
// IncidentMove.Check accepts (a resolved or closed incident has none).
func (i Incident) Steps() []IncidentStatus {
	var out []IncidentStatus
	for _, st := range []IncidentStatus{IncidentTriaged, IncidentContained, IncidentResolved} {
		if (IncidentMove{Status: st, Severity: Severities[len(Severities)-1]}).Check(i, i.DetectedAt) == nil {
			out = append(out, st)
		}
	}
	return out
}

// Check validates the move from the incident's current state.
func (m IncidentMove) Check(i Incident, now time.Time) error {
	if utf8.RuneCountInString(m.Note) > MaxIncidentText {
		return Invalid("note", "The note is longer than %d characters.", MaxIncidentText)
	}
	if !m.At.IsZero() && m.At.After(now.Add(time.Minute)) {
		return Invalid("at", "The time is in the future.")
	}
	if !m.At.IsZero() && m.At.Before(i.DetectedAt) {
		return Invalid("at", "The time is before the incident was detected.")
	}
	if i.Status == IncidentClosed {
		return Errorf(ECONFLICT, "Incident %d is closed.", i.ID)
	}
	switch m.Status {
	case IncidentTriaged:
		if !m.Severity.Valid() {
			return Invalid("severity", "Choose a severity: SEV1, SEV2, SEV3 or SEV4.")
		}
		if i.Status == IncidentResolved {
			return Errorf(ECONFLICT, "Incident %d is resolved; it can only be reviewed and closed.", i.ID)
		}
	case IncidentContained:
		if i.Severity == "" {
			return Errorf(ECONFLICT, "Triage incident %d (set a severity) before containing it.", i.ID)
		}
		if i.Status != IncidentTriaged {
			return Errorf(ECONFLICT, "Incident %d is %s; only a triaged incident can be contained.", i.ID, i.Status)
		}
	case IncidentResolved:
		if i.Status != IncidentContained {
			return Errorf(ECONFLICT, "Incident %d is %s; contain it before resolving it.", i.ID, i.Status)
		}
	case IncidentClosed:
		return Invalid("status", "An incident is closed by recording its post-incident review.")
	default:
		return Invalid("status", "Move an incident to triaged, contained or resolved.")
	}
	return nil
}

// NewIncidentReview is a post-incident review. Improvements lists what to
// improve, one corrective action each; when empty, the non-blank lines of
// ToImprove are used.
type NewIncidentReview struct {
	RootCause    string   `json:"root_cause"`
	WentWell     string   `json:"went_well"`
	ToImprove    string   `json:"to_improve"`
	Improvements []string `json:"improvements"`
}

// Validate checks the review and returns the improvement items.
func (n *NewIncidentReview) Validate() ([]string, error) {
	n.RootCause, n.WentWell, n.ToImprove = strings.TrimSpace(n.RootCause), strings.TrimSpace(n.WentWell), strings.TrimSpace(n.ToImprove)
	items := n.Improvements
	if len(items) == 0 {
		items = strings.Split(n.ToImprove, "\n")
	}
	var out []string
	for _, it := range items {
		it = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(it), "-*•"))
		if it != "" {
			out = append(out, it)
		}
	}
	if n.ToImprove == "" {
		n.ToImprove = strings.Join(out, "\n")
	}
	switch {
	case n.RootCause == "":
		return nil, Invalid("root_cause", "Give the root cause.")
	case n.WentWell == "":
		return nil, Invalid("went_well", "Say what went well.")
	case len(out) == 0:
		return nil, Invalid("to_improve", "Say what to improve, one item per line.")
	case len(out) > 50:
		return nil, Invalid("to_improve", "At most 50 improvement items at once.")
	}
	for _, s := range []string{n.RootCause, n.WentWell, n.ToImprove} {
		if utf8.RuneCountInString(s) > MaxIncidentText {
			return nil, Invalid("review", "A review field is longer than %d characters.", MaxIncidentText)
		}
	}
	for _, it := range out {
		if utf8.RuneCountInString(it) > MaxIncidentTitle*5 {
			return nil, Invalid("to_improve", "An improvement item is longer than %d characters.", MaxIncidentTitle*5)
		}
	}
	return out, nil
}

// IncidentEntry is one entry of an incident's timeline (append-only).
type IncidentEntry struct {
	ID         int64     `json:"id"`
	IncidentID int64     `json:"incident_id"`
	At         time.Time `json:"at"`
	Kind       string    `json:"kind"` // note, status, notice, review
	Text       string    `json:"text"`
	AuthorName string    `json:"author_name"`
}

// IncidentFilter narrows the incident list.
type IncidentFilter struct {
	Status   IncidentStatus
	Severity Severity
	Exercise *bool
}

// IncidentProcessCriteria are the criteria that need a tested incident process.
var IncidentProcessCriteria = []string{"CC7.4", "CC7.5"}

// IncidentProcessCondition is the criterion-level readiness condition for
// CC7.4 and CC7.5: at least one closed incident or exercise with its review
// completed within the 12 months before now.
func IncidentProcessCondition(now time.Time, incidents []Incident) CriterionCondition {
	tested := false
	for _, i := range incidents {
		if i.Status == IncidentClosed && i.Review != nil && !i.Review.ReviewedAt.Before(now.AddDate(-1, 0, 0)) {
			tested = true
			break
		}
	}
	return func(id string) string {
		if tested || !slices.Contains(IncidentProcessCriteria, id) {
			return ""
		}
		return "no incident or exercise was closed with a post-incident review in the last 12 months"
	}
}

// ImportedIncident is an incident brought in from another tool with its
// history: its status (any, up to closed), lifecycle times and, for a
// closed incident, its post-incident review. Importing opens no corrective
// actions.
type ImportedIncident struct {
	NewIncident
	Status              IncidentStatus `json:"status"` // empty: reported
	Severity            Severity       `json:"severity"`
	ReportedAt          time.Time      `json:"reported_at"` // zero: the detection time
	ContainedAt         *time.Time     `json:"contained_at"`
	ResolvedAt          *time.Time     `json:"resolved_at"`
	ClosedAt            *time.Time     `json:"closed_at"`
	CustomerNotifiedAt  *time.Time     `json:"customer_notified_at"`
	RegulatorNotifiedAt *time.Time     `json:"regulator_notified_at"`
	RootCause           string         `json:"root_cause"`
	WentWell            string         `json:"went_well"`
	ToImprove           string         `json:"to_improve"`
}

// Validate checks m against now, filling in defaults.
func (m *ImportedIncident) Validate(now time.Time) error {
	if err := m.NewIncident.Validate(now); err != nil {
		return err
	}
	if m.Status == "" {
		m.Status = IncidentReported
	}
	if m.ReportedAt.IsZero() {
		m.ReportedAt = m.DetectedAt
	}
	m.RootCause, m.WentWell, m.ToImprove = strings.TrimSpace(m.RootCause), strings.TrimSpace(m.WentWell), strings.TrimSpace(m.ToImprove)
	stage := slices.Index(IncidentStatuses, m.Status)
	switch {
	case stage < 0:
		return Invalid("status", "Unknown status %q; use reported, triaged, contained, resolved or closed.", m.Status)
	case m.Severity != "" && !m.Severity.Valid():
		return Invalid("severity", "Unknown severity %q; use SEV1, SEV2, SEV3 or SEV4.", m.Severity)
	case m.Severity == "" && stage >= 1:
		return Invalid("severity", "A %s incident needs a severity (SEV1 to SEV4).", m.Status)
	case m.ReportedAt.Before(m.OccurredAt) || m.ReportedAt.After(now.Add(time.Minute)):
		return Invalid("reported_at", "The report time must be between the occurrence and now.")
	}
	// Each lifecycle time is needed from its stage on and refused before it.
	prev := m.DetectedAt
	for _, st := range []struct {
		field string
		at    *time.Time
		stage int
	}{{"contained_at", m.ContainedAt, 2}, {"resolved_at", m.ResolvedAt, 3}, {"closed_at", m.ClosedAt, 4}} {
		switch {
		case st.at == nil && stage >= st.stage:
			return Invalid(st.field, "A %s incident needs its %s time.", m.Status, strings.ReplaceAll(st.field, "_", " "))
		case st.at != nil && stage < st.stage:
			return Invalid(st.field, "A %s incident cannot have a %s time.", m.Status, strings.ReplaceAll(st.field, "_", " "))
		case st.at == nil:
			continue
		case st.at.Before(prev):
			return Invalid(st.field, "The %s time is before the step that comes first.", strings.TrimSuffix(st.field, "_at"))
		case st.at.After(now.Add(time.Minute)):
			return Invalid(st.field, "The %s time is in the future.", strings.TrimSuffix(st.field, "_at"))
		}
		prev = *st.at
	}
	for _, n := range []struct {
		field string
		at    *time.Time
	}{{"customer_notified_at", m.CustomerNotifiedAt}, {"regulator_notified_at", m.RegulatorNotifiedAt}} {
		if n.at != nil && (n.at.Before(m.DetectedAt) || n.at.After(now.Add(time.Minute))) {
			return Invalid(n.field, "The %s time must be between the detection and now.", strings.ReplaceAll(n.field, "_", " "))
		}
	}
	reviewed := m.RootCause != "" || m.WentWell != "" || m.ToImprove != ""
	if m.Status != IncidentClosed {
		if reviewed {
			return Invalid("root_cause", "Only a closed incident carries a review (root_cause, went_well, to_improve); this one is %s.", m.Status)
		}
		return nil
	}
	if m.RootCause == "" || m.WentWell == "" || m.ToImprove == "" {
		return Invalid("root_cause", "A closed incident needs its post-incident review: give root_cause, went_well and to_improve, or import it as resolved.")
	}
	for _, s := range []string{m.RootCause, m.WentWell, m.ToImprove} {
		if utf8.RuneCountInString(s) > MaxIncidentText {
			return Invalid("review", "A review field is longer than %d characters.", MaxIncidentText)
		}
	}
	return nil
}
