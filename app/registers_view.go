package app

import (
	"slices"
	"time"

	"github.com/assay-platform/assay"
)

// RiskView is a risk as the API and the CLI show it, with its scores and, for an
// accepted risk, whether its acceptance is expiring or expired at now.
type RiskView struct {
	assay.Risk
	InherentScore   int    `json:"inherent_score"`
	ResidualScore   int    `json:"residual_score"`
	ResidualLevel   string `json:"residual_level"`
	AcceptanceState string `json:"acceptance_state"`
}

// ViewRisk is r as shown at now.
func ViewRisk(r assay.Risk, now time.Time) RiskView {
	return RiskView{r, r.InherentScore(), r.ResidualScore(), assay.RiskLevel(r.ResidualScore()), r.AcceptanceState(now)}
}

// VendorView is a vendor with what is computed from it at now.
type VendorView struct {
	assay.Vendor
	Tier          string    `json:"tier"`
	ComputedTier  string    `json:"computed_tier"`
	NextReviewDue time.Time `json:"next_review_due"`
	ReviewCurrent bool      `json:"review_current"`
	CadenceMonths int       `json:"review_cadence_months"`
	SOC2State     string    `json:"soc2_state"`
	SOC2StaleAt   time.Time `json:"soc2_stale_at,omitzero"`
	MissingClause []string  `json:"missing_clauses"`
}

// ViewVendor is v as shown at now.
func ViewVendor(v assay.Vendor, now time.Time) VendorView {
	out := VendorView{Vendor: v, Tier: v.Tier(), ComputedTier: v.ComputedTier(), NextReviewDue: v.NextReviewDue(), ReviewCurrent: v.ReviewCurrent(now),
		CadenceMonths: assay.ReviewCadenceMonths[v.Tier()], SOC2State: v.SOC2State(now), SOC2StaleAt: v.SOC2StaleAt(), MissingClause: []string{}}
	for _, c := range assay.ContractClauses {
		if !slices.Contains(v.Clauses, c) {
			out.MissingClause = append(out.MissingClause, c)
		}
	}
	return out
}
