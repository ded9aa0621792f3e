package rules

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// PolicyReviews lists the next review of every published policy, for the
// Upcoming list and the calendar feed.
func PolicyReviews(ctx context.Context, os store.OrgStore) ([]assay.Obligation, error) {
	list, err := os.Policies(ctx)
	if err != nil {
		return nil, err
	}
	out := []assay.Obligation{}
	for _, p := range list {
		if next := p.NextReview(); next != nil && p.Published != nil {
			out = append(out, assay.Obligation{Kind: "policy_review", Title: "Review: " + p.Title, Due: *next, Link: fmt.Sprintf("/policies/%d", p.ID), Owners: ownerList(p.OwnerID)})
		}
	}
	assay.SortObligations(out)
	return out, nil
}

// PolicyRule adds the policy condition to rule: the policy criteria
// (assay.PolicyCriteria) are met only when every policy mapped to them is
// published, within its review cadence, and accepted by at least 95% of
// the people it applies to.
func PolicyRule(ctx context.Context, os store.OrgStore, now time.Time, rule assay.ReadinessRule) (assay.ReadinessRule, error) {
	sets, err := loadAcceptanceSets(ctx, os)
	if err != nil {
		return rule, err
	}
	policies := sets.policies
	figures := assay.PolicyFiguresFor(policies, sets.list, sets.accepted) // what os.PolicyFigures would read again
	controls, err := os.Controls(ctx, assay.ControlFilter{})
	if err != nil {
		return rule, err
	}
	criteria := map[string][]string{}
	for _, c := range controls {
		criteria[c.ID] = c.Criteria
	}
	rule.CriterionConditions = append(slices.Clip(rule.CriterionConditions), assay.PolicyCondition(now, policies, figures, criteria))
	return rule, nil
}

// ownerList is the obligation's owners: none when id is 0.
func ownerList(ids ...int64) []int64 {
	var out []int64
	for _, id := range ids {
		if id != 0 {
			out = append(out, id)
		}
	}
	return out
}
