package assay

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// RiskTreatment is how the organisation answers a risk.
type RiskTreatment string

const (
	TreatMitigate RiskTreatment = "mitigate" // reduce it with controls
	TreatAccept   RiskTreatment = "accept"   // live with it, approved until an expiry date
	TreatTransfer RiskTreatment = "transfer" // insurance or a contract moves it elsewhere
	TreatAvoid    RiskTreatment = "avoid"    // stop the activity that causes it
)

// RiskTreatments lists every treatment.
var RiskTreatments = []RiskTreatment{TreatMitigate, TreatAccept, TreatTransfer, TreatAvoid}

// Valid reports whether t is a known treatment.
func (t RiskTreatment) Valid() bool { return slices.Contains(RiskTreatments, t) }

// RiskStatus is where a risk stands in the register.
type RiskStatus string

const (
	RiskOpen    RiskStatus = "open"    // identified, treatment not yet in place
	RiskTreated RiskStatus = "treated" // treatment in place, monitored
	RiskClosed  RiskStatus = "closed"  // no longer relevant
)

// RiskStatuses lists every status.
var RiskStatuses = []RiskStatus{RiskOpen, RiskTreated, RiskClosed}

// Valid reports whether s is a known status.
func (s RiskStatus) Valid() bool { return slices.Contains(RiskStatuses, s) }

// RiskCategories are the categories the register groups risks by.
var RiskCategories = []string{"security", "availability", "confidentiality", "privacy", "operational", "fraud", "change", "vendor", "legal", "people"}

// Risk is one entry of the risk register. Scores are likelihood times
// impact, each 1-5: inherent before controls, residual after them.
type Risk struct {
	ID                 int64         `json:"id"`
	Category           string        `json:"category"`
	Title              string        `json:"title"`
	Description        string        `json:"description"`
	OwnerID            int64         `json:"owner_id,omitempty"`
	OwnerName          string        `json:"owner_name,omitempty"`
	Likelihood         int           `json:"likelihood"`
	Impact             int           `json:"impact"`
	ResidualLikelihood int           `json:"residual_likelihood"`
	ResidualImpact     int           `json:"residual_impact"`
	Treatment          RiskTreatment `json:"treatment"`
	// An accepted risk names who approved it and until when.
	ApproverID    int64      `json:"approver_id,omitempty"`
	ApproverName  string     `json:"approver_name,omitempty"`
	AcceptExpires *time.Time `json:"accept_expires,omitempty"`
	Controls      []string   `json:"controls"`
	ReviewDate    *time.Time `json:"review_date,omitempty"`
	Status        RiskStatus `json:"status"`
	TemplateID    string     `json:"template_id,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// AcceptanceWarningDays is how long before its expiry an accepted risk is
// flagged for renewal.
const AcceptanceWarningDays = 30

// Acceptance states of an accepted risk at a given time.
const (
	AcceptanceExpiring = "expiring" // the acceptance ends within AcceptanceWarningDays
	AcceptanceExpired  = "expired"  // the acceptance has ended
)

// AcceptanceState says whether the acceptance of an accepted risk has
// expired at now ("expired"), ends within AcceptanceWarningDays
// ("expiring"), or needs no attention (""). A risk not treated by
// acceptance, or closed, has no acceptance state.
func (r Risk) AcceptanceState(now time.Time) string {
	if r.Treatment != TreatAccept || r.Status == RiskClosed || r.AcceptExpires == nil {
		return ""
	}
	switch {
	case !now.Before(*r.AcceptExpires):
		return AcceptanceExpired
	case !now.AddDate(0, 0, AcceptanceWarningDays).Before(*r.AcceptExpires):
		return AcceptanceExpiring
	}
	return ""
}

// InherentScore is likelihood times impact before controls (1-25).
func (r Risk) InherentScore() int { return r.Likelihood * r.Impact }

// ResidualScore is likelihood times impact after controls (1-25).
func (r Risk) ResidualScore() int { return r.ResidualLikelihood * r.ResidualImpact }

// RiskLevel names a score: low (1-5), medium (6-11), high (12-19), critical (20-25).
func RiskLevel(score int) string {
	switch {
	case score >= 20:
		return "critical"
	case score >= 12:
		return "high"
	case score >= 6:
		return "medium"
	}
	return "low"
}

// Risk limits.
const (
	MaxRiskTitleLen = 200
	MaxRiskTextLen  = 4000
	MaxRiskControls = 50
	MaxRisksPerCall = 1000
)

// Normalize trims text, fills defaults (status open, residual equal to
// inherent when not given) and orders the control ids.
func (r *Risk) Normalize() {
	r.Category = strings.ToLower(strings.TrimSpace(r.Category))
	r.Title = strings.TrimSpace(r.Title)
	r.Description = strings.TrimSpace(r.Description)
	r.Treatment = RiskTreatment(strings.ToLower(strings.TrimSpace(string(r.Treatment))))
	r.Status = RiskStatus(strings.ToLower(strings.TrimSpace(string(r.Status))))
	if r.Status == "" {
		r.Status = RiskOpen
	}
	if r.Treatment == "" {
		r.Treatment = TreatMitigate
	}
	if r.ResidualLikelihood == 0 {
		r.ResidualLikelihood = r.Likelihood
	}
	if r.ResidualImpact == 0 {
		r.ResidualImpact = r.Impact
	}
	ids := make([]string, 0, len(r.Controls))
	for _, c := range r.Controls {
		if c = strings.ToUpper(strings.TrimSpace(c)); c != "" && !slices.Contains(ids, c) {
			ids = append(ids, c)
		}
	}
	slices.Sort(ids)
	r.Controls = ids
	if r.Treatment != TreatAccept {
		r.ApproverID, r.ApproverName, r.AcceptExpires = 0, "", nil
	}
}

// Validate checks what can be checked without the database (that the
// owner, approver and controls belong to the organisation is the store's
// job). Call Normalize first.
func (r Risk) Validate() error {
	switch {
	case !slices.Contains(RiskCategories, r.Category):
		return Invalid("category", "Unknown category %q; use one of: %s.", r.Category, strings.Join(RiskCategories, ", "))
	case r.Title == "":
		return Invalid("title", "A risk needs a title.")
	case utf8.RuneCountInString(r.Title) > MaxRiskTitleLen:
		return Invalid("title", "The title is longer than %d characters.", MaxRiskTitleLen)
	case utf8.RuneCountInString(r.Description) > MaxRiskTextLen:
		return Invalid("description", "The description is longer than %d characters.", MaxRiskTextLen)
	case !inScale(r.Likelihood):
		return Invalid("likelihood", "Likelihood must be a whole number from 1 to 5.")
	case !inScale(r.Impact):
		return Invalid("impact", "Impact must be a whole number from 1 to 5.")
	case !inScale(r.ResidualLikelihood):
		return Invalid("residual_likelihood", "Residual likelihood must be a whole number from 1 to 5.")
	case !inScale(r.ResidualImpact):
		return Invalid("residual_impact", "Residual impact must be a whole number from 1 to 5.")
	case r.ResidualScore() > r.InherentScore():
		return Invalid("residual_impact", "The residual score (%d) cannot be above the inherent score (%d): controls do not make a risk worse.", r.ResidualScore(), r.InherentScore())
	case !r.Treatment.Valid():
		return Invalid("treatment", "Unknown treatment %q; use mitigate, accept, transfer or avoid.", r.Treatment)
	case !r.Status.Valid():
		return Invalid("status", "Unknown status %q; use open, treated or closed.", r.Status)
	case len(r.Controls) > MaxRiskControls:
		return Invalid("controls", "A risk may link at most %d controls.", MaxRiskControls)
	}
	if r.Treatment == TreatAccept {
		if r.ApproverID == 0 {
			return Invalid("approver_id", "Accepting a risk needs a named approver.")
		}
		if r.AcceptExpires == nil {
			return Invalid("accept_expires", "Accepting a risk needs an expiry date for the acceptance.")
		}
	}
	return nil
}

func inScale(n int) bool { return n >= 1 && n <= 5 }

// RiskAssessment is the yearly risk-assessment record: who approved the
// review of the register, when, and what the register held at that time.
type RiskAssessment struct {
	ID           int64     `json:"id"`
	Date         time.Time `json:"date"`
	Summary      string    `json:"summary"`
	ApproverID   int64     `json:"approver_id"`
	ApproverName string    `json:"approver_name,omitempty"`
	// The register snapshot, counted when the record is written.
	Risks         int       `json:"risks"`
	OpenRisks     int       `json:"open_risks"`
	HighResidual  int       `json:"high_residual"` // residual score 12 or more
	Accepted      int       `json:"accepted"`
	CreatedByName string    `json:"created_by_name"`
	CreatedAt     time.Time `json:"created_at"`
}

// Validate checks an assessment before it is written.
func (a RiskAssessment) Validate(now time.Time) error {
	switch {
	case a.Date.IsZero():
		return Invalid("date", "The assessment needs a date.")
	case a.Date.After(now):
		return Invalid("date", "The assessment date cannot be in the future.")
	case strings.TrimSpace(a.Summary) == "":
		return Invalid("summary", "Summarise what the assessment found.")
	case utf8.RuneCountInString(a.Summary) > MaxRiskTextLen:
		return Invalid("summary", "The summary is longer than %d characters.", MaxRiskTextLen)
	case a.ApproverID == 0:
		return Invalid("approver_id", "The assessment needs an approver.")
	}
	return nil
}

// RiskAssessmentCriteria are the criteria a current risk assessment
// supports (CC3.1-CC3.4).
var RiskAssessmentCriteria = []string{"CC3.1", "CC3.2", "CC3.3", "CC3.4"}

// RiskAssessmentCondition is the criterion-level readiness condition for
// CC3.1-CC3.4: an assessment within the last 12 months and at least one
// risk in the register. latest is nil when none was ever recorded.
func RiskAssessmentCondition(now time.Time, latest *RiskAssessment, risks int) CriterionCondition {
	return func(id string) string {
		if !slices.Contains(RiskAssessmentCriteria, id) {
			return ""
		}
		var why []string
		switch {
		case latest == nil:
			why = append(why, "no risk assessment is recorded")
		case latest.Date.AddDate(1, 0, 0).Before(now):
			why = append(why, fmt.Sprintf("the last risk assessment (%s) is more than 12 months old", latest.Date.Format("2006-01-02")))
		}
		if risks == 0 {
			why = append(why, "the risk register is empty")
		}
		return strings.Join(why, "; ")
	}
}
