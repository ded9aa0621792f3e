package rules

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// PersonChecklist returns a person's checklist items with the computed ones
// filled in at now: "security training done" from their security training,
// "policies accepted" from the policies still to accept (when tracked).
// assignments may be nil, to be read here.
func PersonChecklist(ctx context.Context, os store.OrgStore, now time.Time, p assay.Person, assignments []assay.TrainingAssignment) ([]assay.ChecklistItem, error) {
	items, err := os.ChecklistItems(ctx, assay.ChecklistFilter{PersonID: p.ID})
	if err != nil {
		return nil, err
	}
	if assignments == nil {
		if assignments, err = os.TrainingAssignments(ctx, assay.TrainingFilter{PersonID: p.ID}); err != nil {
			return nil, err
		}
	}
	return fillComputed(ctx, os, now, items, assignments)
}

// fillComputed fills the computed items of items (of any people). They
// judge the onboarding window, not the years after it: "security training
// done" holds once the person has completed a security course (renewals are
// training obligations of their own, CC1.4), and "policies accepted" once
// they have accepted some version of every policy they must accept that was
// in force when their onboarding was due (a later major version, or a policy
// published after it, is a policy obligation, not an onboarding one).
func fillComputed(ctx context.Context, os store.OrgStore, now time.Time, items []assay.ChecklistItem, assignments []assay.TrainingAssignment) ([]assay.ChecklistItem, error) {
	_, tracked := os.(store.PolicyAcceptance)
	var sets *acceptanceSets     // read on the first item that needs it
	var completed map[int64]bool // people who completed a security course, worked out on the first item that needs it
	for i, it := range items {
		switch it.Key {
		case assay.ItemSecurityTraining:
			if completed == nil {
				completed = map[int64]bool{}
				for _, a := range assignments {
					if !completed[a.PersonID] && assay.SecurityTrainingCompleted(a.PersonID, []assay.TrainingAssignment{a}) {
						completed[a.PersonID] = true
					}
				}
			}
			items[i].Auto = true
			items[i].Done = completed[it.PersonID]
			items[i].DoneByName, items[i].DoneAt = "", nil
		case assay.ItemPoliciesAccepted:
			if !tracked {
				items[i].Auto = false // ticked by hand until policies are tracked
				continue
			}
			if sets == nil {
				var err error
				if sets, err = loadAcceptanceSets(ctx, os); err != nil {
					return nil, err
				}
			}
			list, err := sets.toAccept(it.PersonID)
			if err != nil {
				return nil, fmt.Errorf("policies to accept for person %d: %w", it.PersonID, err)
			}
			left := 0
			for _, v := range list {
				if sets.accepted.Any(it.PersonID, v.PolicyID) {
					continue // accepted an earlier version: onboarding was done
				}
				if it.Due != nil && v.PublishedAt != nil && assay.Day(*v.PublishedAt).After(*it.Due) {
					continue // published after the onboarding window
				}
				left++
			}
			items[i].Auto, items[i].Done = true, left == 0
			items[i].DoneByName, items[i].DoneAt = "", nil
		}
	}
	return items, nil
}

// AllChecklists returns every checklist item with computed ones filled in.
func AllChecklists(ctx context.Context, os store.OrgStore, now time.Time) ([]assay.ChecklistItem, error) {
	items, err := os.ChecklistItems(ctx, assay.ChecklistFilter{})
	if err != nil {
		return nil, err
	}
	assignments, err := os.TrainingAssignments(ctx, assay.TrainingFilter{})
	if err != nil {
		return nil, err
	}
	return fillComputed(ctx, os, now, items, assignments)
}

// BriefChecklists is AllChecklists read with ChecklistFilter.Brief: what
// the roster and readiness count with, in no particular order.
func BriefChecklists(ctx context.Context, os store.OrgStore, now time.Time) ([]assay.ChecklistItem, error) {
	items, err := os.ChecklistItems(ctx, assay.ChecklistFilter{Brief: true})
	if err != nil {
		return nil, err
	}
	assignments, err := os.TrainingAssignments(ctx, assay.TrainingFilter{})
	if err != nil {
		return nil, err
	}
	return fillComputed(ctx, os, now, items, assignments)
}

// PeopleRule returns rule with the people conditions added: CC1.4 needs
// current security training, CC1.5 kept checklists.
func PeopleRule(ctx context.Context, os store.OrgStore, now time.Time, rule assay.ReadinessRule) (assay.ReadinessRule, error) {
	people, err := os.People(ctx)
	if err != nil {
		return rule, err
	}
	courses, err := os.Courses(ctx)
	if err != nil {
		return rule, err
	}
	assignments, err := os.TrainingAssignments(ctx, assay.TrainingFilter{})
	if err != nil {
		return rule, err
	}
	items, err := os.ChecklistItems(ctx, assay.ChecklistFilter{Brief: true}) // counted, not shown
	if err != nil {
		return rule, err
	}
	if items, err = fillComputed(ctx, os, now, items, assignments); err != nil {
		return rule, err
	}
	rule.CriterionConditions = append(slices.Clip(rule.CriterionConditions),
		assay.CompetenceCondition(now, courses, people, assignments), assay.AccountabilityCondition(now, people, items))
	return rule, nil
}
