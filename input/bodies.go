package input

import (
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

type NewAuditBody struct {
	Type        assay.AuditType `json:"type"`
	Name        string          `json:"name"`
	Firm        string          `json:"firm"`
	AsOf        string          `json:"as_of"`
	PeriodStart string          `json:"period_start"`
	PeriodEnd   string          `json:"period_end"`
}

// NewAudit parses the dates of a new engagement (the service validates it).
func NewAudit(b NewAuditBody) (assay.NewAudit, error) {
	n := assay.NewAudit{Type: b.Type, Name: b.Name, Firm: b.Firm}
	var err error
	if n.AsOf, err = ParseDate("as_of", b.AsOf); err != nil {
		return n, err
	}
	if n.PeriodStart, err = ParseDate("period_start", b.PeriodStart); err != nil {
		return n, err
	}
	n.PeriodEnd, err = ParseDate("period_end", b.PeriodEnd)
	return n, err
}

type InviteBody struct {
	Email     string `json:"email"`
	Name      string `json:"name"`
	Password  string `json:"password"`
	ExpiresAt string `json:"expires_at"`
}

type CorrectiveBody struct {
	assay.NewCorrectiveAction
	DueDate string `json:"due_date"`
}

// ReviewBody is a post-incident review with the owner and due date of the
// corrective actions it opens (defaults: the reviewer, in 30 days).
type ReviewBody struct {
	assay.NewIncidentReview
	OwnerID int64  `json:"owner_id"`
	DueDate string `json:"due_date"`
}

func (b ReviewBody) Review() (app.IncidentReview, error) {
	d, err := ParseDate("due_date", b.DueDate)
	return app.IncidentReview{NewIncidentReview: b.NewIncidentReview, OwnerID: b.OwnerID, DueDate: d}, err
}

// RiskBody is a risk as the API and forms send it; dates are "2026-03-31".
type RiskBody struct {
	Category           string   `json:"category"`
	Title              string   `json:"title"`
	Description        string   `json:"description"`
	OwnerID            int64    `json:"owner_id"`
	Likelihood         int      `json:"likelihood"`
	Impact             int      `json:"impact"`
	ResidualLikelihood int      `json:"residual_likelihood"`
	ResidualImpact     int      `json:"residual_impact"`
	Treatment          string   `json:"treatment"`
	ApproverID         int64    `json:"approver_id"`
	AcceptExpires      string   `json:"accept_expires"`
	Controls           []string `json:"controls"`
	ReviewDate         string   `json:"review_date"`
	Status             string   `json:"status"`
}

type AssessmentBody struct {
	Date       string `json:"date"`
	Summary    string `json:"summary"`
	ApproverID int64  `json:"approver_id"`
}

// VendorBody is a vendor as the API and forms send it.
type VendorBody struct {
	Name               string   `json:"name"`
	Services           string   `json:"services"`
	DataShared         string   `json:"data_shared"`
	Classification     string   `json:"classification"`
	Criticality        string   `json:"criticality"`
	OwnerID            int64    `json:"owner_id"`
	ContractStart      string   `json:"contract_start"`
	ContractEnd        string   `json:"contract_end"`
	Subprocessor       bool     `json:"subprocessor"`
	TierOverride       string   `json:"tier_override"`
	TierOverrideReason string   `json:"tier_override_reason"`
	SOC2EvidenceID     int64    `json:"soc2_evidence_id"`
	SOC2PeriodEnd      string   `json:"soc2_period_end"`
	Clauses            []string `json:"clauses"`
}

func (b CorrectiveBody) Parse() (assay.NewCorrectiveAction, error) {
	n := b.NewCorrectiveAction
	d, err := ParseDate("due_date", b.DueDate)
	if d != nil {
		n.DueDate = *d
	}
	return n, err
}

// risk parses the body's dates and checks what needs no database.
func (b RiskBody) Risk() (assay.Risk, error) {
	r := assay.Risk{Category: b.Category, Title: b.Title, Description: b.Description, OwnerID: b.OwnerID,
		Likelihood: b.Likelihood, Impact: b.Impact, ResidualLikelihood: b.ResidualLikelihood, ResidualImpact: b.ResidualImpact,
		Treatment: assay.RiskTreatment(b.Treatment), ApproverID: b.ApproverID, Controls: b.Controls, Status: assay.RiskStatus(b.Status)}
	var err error
	if r.AcceptExpires, err = ParseDate("accept_expires", b.AcceptExpires); err != nil {
		return r, err
	}
	if r.ReviewDate, err = ParseDate("review_date", b.ReviewDate); err != nil {
		return r, err
	}
	r.Normalize()
	return r, r.Validate()
}

func (b AssessmentBody) Assessment() (assay.RiskAssessment, error) {
	a := assay.RiskAssessment{Summary: strings.TrimSpace(b.Summary), ApproverID: b.ApproverID}
	d, err := ParseDate("date", b.Date)
	if err != nil {
		return a, err
	}
	if d != nil {
		a.Date = *d
	}
	return a, nil
}

func (b VendorBody) Vendor() (assay.Vendor, error) {
	v := assay.Vendor{Name: b.Name, Services: b.Services, DataShared: b.DataShared, Classification: assay.DataClass(b.Classification),
		Criticality: b.Criticality, OwnerID: b.OwnerID, Subprocessor: b.Subprocessor, TierOverride: b.TierOverride,
		TierOverrideReason: b.TierOverrideReason, SOC2EvidenceID: b.SOC2EvidenceID, Clauses: b.Clauses}
	var err error
	for _, f := range []struct {
		dst   **time.Time
		field string
		val   string
	}{{&v.ContractStart, "contract_start", b.ContractStart}, {&v.ContractEnd, "contract_end", b.ContractEnd}, {&v.SOC2PeriodEnd, "soc2_period_end", b.SOC2PeriodEnd}} {
		if *f.dst, err = ParseDate(f.field, f.val); err != nil {
			return v, err
		}
	}
	v.Normalize()
	return v, v.Validate()
}

// Invite is the invitation the body asks for. An access that expires
// needs the password the inviter chose (the service would make one up).
func (b InviteBody) Invite() (app.AuditorInvite, error) {
	exp, err := ParseDate("expires_at", b.ExpiresAt)
	if err != nil {
		return app.AuditorInvite{}, err
	}
	if exp != nil && b.Password == "" {
		return app.AuditorInvite{}, assay.ValidatePassword(b.Password)
	}
	return app.AuditorInvite{Email: b.Email, Name: b.Name, Password: b.Password,
		Expires: exp, DateOnly: len(b.ExpiresAt) == len("2006-01-02")}, nil
}

// AuditException is an exception in an audit's period view to be turned
// into a corrective action, with its owner and due date (text).
func AuditException(controlID, exception string, ownerID int64, due string) (app.AuditException, error) {
	d, err := ParseDate("due_date", due)
	return app.AuditException{ControlID: controlID, Exception: exception, OwnerID: ownerID, DueDate: d}, err
}
