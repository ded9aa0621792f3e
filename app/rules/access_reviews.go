package rules

import (
	"context"
	"slices"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// AccessReviewRule adds the access review condition (CC6.2, CC6.3) to rule;
// see assay.AccessReviewCondition.
func AccessReviewRule(ctx context.Context, os store.OrgStore, now time.Time, rule assay.ReadinessRule) (assay.ReadinessRule, error) {
	reviews, err := os.AccessReviews(ctx)
	if err != nil {
		return rule, err
	}
	actions, err := os.CorrectiveActions(ctx, assay.CorrectiveFilter{Source: assay.SourceAccessReview})
	if err != nil {
		return rule, err
	}
	controls, err := os.Controls(ctx, assay.ControlFilter{})
	if err != nil {
		return rule, err
	}
	rule.CriterionConditions = append(slices.Clip(rule.CriterionConditions), assay.AccessReviewCondition(now, reviews, actions, controls))
	return rule, nil
}

// AccessReviewObligations lists the access reviews due, for Upcoming.
func AccessReviewObligations(ctx context.Context, os store.OrgStore, now time.Time) ([]assay.Obligation, error) {
	reviews, err := os.AccessReviews(ctx)
	if err != nil {
		return nil, err
	}
	return assay.AccessReviewObligations(now, reviews), nil
}
