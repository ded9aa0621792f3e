package rules

import (
	"context"
	"slices"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// IncidentRule returns rule with the incident process condition added
// (CC7.4, CC7.5 need a tested incident process).
func IncidentRule(ctx context.Context, os store.OrgStore, now time.Time, rule assay.ReadinessRule) (assay.ReadinessRule, error) {
	closed, err := os.Incidents(ctx, assay.IncidentFilter{Status: assay.IncidentClosed})
	if err != nil {
		return rule, err
	}
	rule.CriterionConditions = append(slices.Clip(rule.CriterionConditions), assay.IncidentProcessCondition(now, closed))
	return rule, nil
}
