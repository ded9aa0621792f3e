package assay

import (
	"fmt"
	"slices"
	"time"
)

// Readiness thresholds for people.
const (
	// TrainingCoverageTarget is the share of active people (per cent) whose
	// security training must be completed and current for CC1.4.
	TrainingCoverageTarget = 95
	// OnboardingGraceDays is how long after the start date an onboarding
	// checklist may stay open before CC1.5 counts it as incomplete.
	OnboardingGraceDays = 30
)

// SecurityTrainingCurrent reports whether a person's security training is
// done at now: they have at least one security course assigned and every
// one is completed and not expired.
func SecurityTrainingCurrent(now time.Time, personID int64, list []TrainingAssignment) bool {
	n := 0
	for _, a := range list {
		if a.PersonID != personID || !a.Security {
			continue
		}
		n++
		if !a.Current(now) {
			return false
		}
	}
	return n > 0
}

// SecurityTrainingCompleted reports whether the person has ever completed
// a security course: what their onboarding checklist asks, whatever has
// lapsed since (that is SecurityTrainingCurrent's business).
func SecurityTrainingCompleted(personID int64, list []TrainingAssignment) bool {
	return slices.ContainsFunc(list, func(a TrainingAssignment) bool {
		return a.PersonID == personID && a.Security && a.CompletedAt != nil
	})
}

// CompetenceCondition is CC1.4: a security course exists and at least
// TrainingCoverageTarget per cent of active people have current security
// training.
func CompetenceCondition(now time.Time, courses []Course, people []Person, list []TrainingAssignment) CriterionCondition {
	reason := ""
	hasSecurity := slices.ContainsFunc(courses, func(c Course) bool { return c.Security })
	byPerson := map[int64][]TrainingAssignment{} // each person's own, not everyone's for everyone
	for _, a := range list {
		byPerson[a.PersonID] = append(byPerson[a.PersonID], a)
	}
	active, trained := 0, 0
	for _, p := range people {
		if p.StatusAt(now) != PersonActive {
			continue
		}
		active++
		if SecurityTrainingCurrent(now, p.ID, byPerson[p.ID]) {
			trained++
		}
	}
	switch {
	case !hasSecurity:
		reason = "no security training course exists"
	case active == 0:
		reason = "nobody active is on the roster"
	case trained*100 < TrainingCoverageTarget*active:
		reason = fmt.Sprintf("security training is current for %d of %d active people (%d%% needed)", trained, active, TrainingCoverageTarget)
	}
	return func(id string) string {
		if id != "CC1.4" {
			return ""
		}
		return reason
	}
}

// AccountabilityCondition is CC1.5: the roster is kept, onboarding
// checklists of people who started more than OnboardingGraceDays ago are
// complete, and no offboarding item is overdue. items are the checklist
// items with computed ones filled in.
func AccountabilityCondition(now time.Time, people []Person, items []ChecklistItem) CriterionCondition {
	byID := map[int64]Person{}
	for _, p := range people {
		byID[p.ID] = p
	}
	openOnboarding, overdue := 0, 0
	for _, it := range items {
		if it.Done {
			continue
		}
		p := byID[it.PersonID]
		switch it.Kind {
		case ChecklistOnboarding:
			if p.StatusAt(now) == PersonActive && p.StartDate != nil && Day(now).After(p.StartDate.AddDate(0, 0, OnboardingGraceDays)) {
				openOnboarding++
			}
		case ChecklistOffboarding:
			if it.OverdueAt(now) {
				overdue++
			}
		}
	}
	reason := ""
	switch {
	case len(people) == 0:
		reason = "the roster is empty"
	case overdue > 0:
		reason = fmt.Sprintf("%d offboarding item(s) overdue", overdue)
	case openOnboarding > 0:
		reason = fmt.Sprintf("%d onboarding item(s) open more than %d days after the start date", openOnboarding, OnboardingGraceDays)
	}
	return func(id string) string {
		if id != "CC1.5" {
			return ""
		}
		return reason
	}
}
