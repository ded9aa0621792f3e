package rules

import (
	"context"
	"slices"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// RegisterRule adds the criterion-level conditions of the registers to
// rule: CC3.1-CC3.4 need a risk assessment within 12 months and a
// non-empty register; CC9.2 needs a current review of every high-tier
// vendor.
func RegisterRule(ctx context.Context, os store.OrgStore, now time.Time, rule assay.ReadinessRule) (assay.ReadinessRule, error) {
	risks, err := os.Risks(ctx)
	if err != nil {
		return rule, err
	}
	as, err := os.RiskAssessments(ctx)
	if err != nil {
		return rule, err
	}
	vendors, err := os.Vendors(ctx)
	if err != nil {
		return rule, err
	}
	var latest *assay.RiskAssessment
	if len(as) > 0 {
		latest = &as[0]
	}
	rule.CriterionConditions = append(slices.Clip(rule.CriterionConditions),
		assay.RiskAssessmentCondition(now, latest, len(risks)), assay.VendorCondition(now, vendors))
	return rule, nil
}
