package assay

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// DataClass is how sensitive the data shared with a vendor is.
type DataClass string

const (
	DataPublic       DataClass = "public"
	DataInternal     DataClass = "internal"
	DataConfidential DataClass = "confidential"
	DataRestricted   DataClass = "restricted"
)

// DataClasses lists every classification, least sensitive first.
var DataClasses = []DataClass{DataPublic, DataInternal, DataConfidential, DataRestricted}

// Valid reports whether c is a known classification.
func (c DataClass) Valid() bool { return slices.Contains(DataClasses, c) }

// Vendor criticality and risk tiers share the words low, medium, high.
const (
	TierLow    = "low"
	TierMedium = "medium"
	TierHigh   = "high"
)

// Tiers lists the tiers, lowest first.
var Tiers = []string{TierLow, TierMedium, TierHigh}

// ContractClauses are the clauses a vendor contract is checked for.
var ContractClauses = []string{"security", "confidentiality", "breach_notification", "data_processing"}

// ReviewCadenceMonths is how often a vendor of each tier is reviewed:
// high every 12 months, medium every 24, low every 36.
var ReviewCadenceMonths = map[string]int{TierHigh: 12, TierMedium: 24, TierLow: 36}

// SOC2StaleAfterMonths: a SOC 2 report stops counting this long after the
// end of the period it covers. A warning shows SOC2WarnDays before.
const (
	SOC2StaleAfterMonths = 12
	SOC2WarnDays         = 30
)

// Vendor is a third party the organisation relies on.
type Vendor struct {
	ID             int64      `json:"id"`
	Name           string     `json:"name"`
	Services       string     `json:"services"`
	DataShared     string     `json:"data_shared"`
	Classification DataClass  `json:"classification"`
	Criticality    string     `json:"criticality"`
	OwnerID        int64      `json:"owner_id,omitempty"`
	OwnerName      string     `json:"owner_name,omitempty"`
	ContractStart  *time.Time `json:"contract_start,omitempty"`
	ContractEnd    *time.Time `json:"contract_end,omitempty"`
	Subprocessor   bool       `json:"subprocessor"`
	// A manual tier replaces the computed one; the reason is required.
	TierOverride       string `json:"tier_override,omitempty"`
	TierOverrideReason string `json:"tier_override_reason,omitempty"`
	// The vendor's SOC 2 report: an evidence item and/or its period end.
	SOC2EvidenceID int64      `json:"soc2_evidence_id,omitempty"`
	SOC2PeriodEnd  *time.Time `json:"soc2_period_end,omitempty"`
	Clauses        []string   `json:"clauses"`
	// The latest security review.
	ReviewedAt    *time.Time        `json:"reviewed_at,omitempty"`
	ReviewScore   int               `json:"review_score"`
	ReviewAnswers map[string]string `json:"review_answers,omitempty"`
	ReviewerName  string            `json:"reviewer_name,omitempty"`
	CreatedAt     time.Time         `json:"created_at"`
	UpdatedAt     time.Time         `json:"updated_at"`
}

// ComputedTier derives the tier from criticality and data: restricted data
// or high criticality is high; confidential data or medium criticality is
// medium; anything else is low.
func (v Vendor) ComputedTier() string {
	switch {
	case v.Criticality == TierHigh || v.Classification == DataRestricted:
		return TierHigh
	case v.Criticality == TierMedium || v.Classification == DataConfidential:
		return TierMedium
	}
	return TierLow
}

// Tier is the override when there is one, else the computed tier.
func (v Vendor) Tier() string {
	if v.TierOverride != "" {
		return v.TierOverride
	}
	return v.ComputedTier()
}

// NextReviewDue is when the next security review is due: the last review
// plus the tier's cadence, or the day it was added when never reviewed.
func (v Vendor) NextReviewDue() time.Time {
	if v.ReviewedAt == nil {
		return v.CreatedAt
	}
	return v.ReviewedAt.AddDate(0, ReviewCadenceMonths[v.Tier()], 0)
}

// ReviewCurrent reports whether the security review is not yet due.
func (v Vendor) ReviewCurrent(now time.Time) bool {
	return v.ReviewedAt != nil && now.Before(v.NextReviewDue())
}

// SOC2 report states.
const (
	SOC2None     = "none"     // no report on file
	SOC2Current  = "current"  // counts for more than SOC2WarnDays
	SOC2Expiring = "expiring" // goes stale within SOC2WarnDays
	SOC2Stale    = "stale"    // period end is more than 12 months ago
)

// SOC2StaleAt is when the report on file stops counting (zero without one).
func (v Vendor) SOC2StaleAt() time.Time {
	if v.SOC2PeriodEnd == nil {
		return time.Time{}
	}
	return v.SOC2PeriodEnd.AddDate(0, SOC2StaleAfterMonths, 0)
}

// SOC2State is the state of the report on file at now.
func (v Vendor) SOC2State(now time.Time) string {
	if v.SOC2PeriodEnd == nil {
		return SOC2None
	}
	stale := v.SOC2StaleAt()
	switch {
	case !now.Before(stale):
		return SOC2Stale
	case now.AddDate(0, 0, SOC2WarnDays).After(stale):
		return SOC2Expiring
	}
	return SOC2Current
}

// Vendor limits.
const (
	MaxVendorNameLen  = 200
	MaxVendorTextLen  = 4000
	MaxVendorsPerCall = 1000
)

// Normalize trims text and orders the clauses.
func (v *Vendor) Normalize() {
	v.Name = strings.TrimSpace(v.Name)
	v.Services = strings.TrimSpace(v.Services)
	v.DataShared = strings.TrimSpace(v.DataShared)
	v.Classification = DataClass(strings.ToLower(strings.TrimSpace(string(v.Classification))))
	v.Criticality = strings.ToLower(strings.TrimSpace(v.Criticality))
	v.TierOverride = strings.ToLower(strings.TrimSpace(v.TierOverride))
	v.TierOverrideReason = strings.TrimSpace(v.TierOverrideReason)
	cl := make([]string, 0, len(v.Clauses))
	for _, c := range v.Clauses {
		if c = strings.ToLower(strings.TrimSpace(c)); c != "" && !slices.Contains(cl, c) {
			cl = append(cl, c)
		}
	}
	slices.Sort(cl)
	v.Clauses = cl
	if v.TierOverride == "" {
		v.TierOverrideReason = ""
	}
}

// Validate checks a vendor before it is written (call Normalize first).
// That the owner and evidence item belong to the organisation is the
// store's job.
func (v Vendor) Validate() error {
	switch {
	case v.Name == "":
		return Invalid("name", "A vendor needs a name.")
	case utf8.RuneCountInString(v.Name) > MaxVendorNameLen:
		return Invalid("name", "The name is longer than %d characters.", MaxVendorNameLen)
	case utf8.RuneCountInString(v.Services) > MaxVendorTextLen, utf8.RuneCountInString(v.DataShared) > MaxVendorTextLen:
		return Invalid("services", "Services and data shared may be at most %d characters each.", MaxVendorTextLen)
	case !v.Classification.Valid():
		return Invalid("classification", "Unknown data classification %q; use public, internal, confidential or restricted.", v.Classification)
	case !slices.Contains(Tiers, v.Criticality):
		return Invalid("criticality", "Unknown criticality %q; use low, medium or high.", v.Criticality)
	case v.TierOverride != "" && !slices.Contains(Tiers, v.TierOverride):
		return Invalid("tier_override", "Unknown tier %q; use low, medium or high, or leave it empty.", v.TierOverride)
	case v.TierOverride != "" && v.TierOverrideReason == "":
		return Invalid("tier_override_reason", "Overriding the computed tier needs a reason.")
	case utf8.RuneCountInString(v.TierOverrideReason) > MaxVendorTextLen:
		return Invalid("tier_override_reason", "The reason is longer than %d characters.", MaxVendorTextLen)
	case v.ContractStart != nil && v.ContractEnd != nil && v.ContractEnd.Before(*v.ContractStart):
		return Invalid("contract_end", "The contract cannot end before it starts.")
	case v.SOC2EvidenceID < 0:
		return Invalid("soc2_evidence_id", "The SOC 2 evidence id must be a positive number.")
	}
	for _, c := range v.Clauses {
		if !slices.Contains(ContractClauses, c) {
			return Invalid("clauses", "Unknown contract clause %q; use: %s.", c, strings.Join(ContractClauses, ", "))
		}
	}
	return nil
}

// VendorQuestion is one question of the security review questionnaire.
type VendorQuestion struct {
	ID     string `json:"id"`
	Area   string `json:"area"`
	Text   string `json:"text"`
	Weight int    `json:"weight"`
}

// Review answers.
const (
	AnswerYes = "yes"
	AnswerNo  = "no"
	AnswerNA  = "na"
)

// ScoreReview checks answers against the questionnaire (every question
// answered yes, no or na) and returns the score: the weight answered yes
// over the weight of the questions that apply, as a percentage.
func ScoreReview(questions []VendorQuestion, answers map[string]string) (int, error) {
	for id := range answers {
		if !slices.ContainsFunc(questions, func(q VendorQuestion) bool { return q.ID == id }) {
			return 0, Invalid("answers", "Unknown question %q.", id)
		}
	}
	yes, total := 0, 0
	for _, q := range questions {
		a, ok := answers[q.ID]
		if !ok {
			return 0, Invalid("answers", "Question %s is not answered; answer yes, no or na.", q.ID)
		}
		switch a {
		case AnswerYes:
			yes += q.Weight
			total += q.Weight
		case AnswerNo:
			total += q.Weight
		case AnswerNA:
		default:
			return 0, Invalid("answers", "Question %s: answer %q is not yes, no or na.", q.ID, a)
		}
	}
	if total == 0 {
		return 0, Invalid("answers", "At least one question must apply (not every answer can be na).")
	}
	return yes * 100 / total, nil
}

// VendorCriteria are the criteria vendor reviews support (CC9.2).
var VendorCriteria = []string{"CC9.2"}

// VendorCondition is the criterion-level readiness condition for CC9.2:
// every high-tier vendor has a current security review.
func VendorCondition(now time.Time, vendors []Vendor) CriterionCondition {
	var due []string
	for _, v := range vendors {
		if v.Tier() == TierHigh && !v.ReviewCurrent(now) {
			due = append(due, v.Name)
		}
	}
	return func(id string) string {
		if !slices.Contains(VendorCriteria, id) || len(due) == 0 {
			return ""
		}
		return fmt.Sprintf("%d high-tier vendor(s) without a current security review: %s", len(due), strings.Join(due, ", "))
	}
}
