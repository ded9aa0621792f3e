package assay

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// AutomationAccessReviews marks the controls that access review campaigns
// test (Control.Automation).
const AutomationAccessReviews = "access_reviews"

// AccessReviewCondition is the readiness condition for CC6.2 and CC6.3: a
// campaign completed within AccessReviewDays of now, whose revoke and
// change tasks are done or not yet overdue. It holds a criterion back only
// when the organisation relies on an access review control for it (an
// applicable control with automation access_reviews mapped to it, as the
// library's ACC-04 and ACC-05). actions are the organisation's
// access-review corrective actions.
func AccessReviewCondition(now time.Time, reviews []AccessReview, actions []CorrectiveAction, controls []Control) CriterionCondition {
	relied := map[string]bool{}
	for _, c := range controls {
		if c.Automation != AutomationAccessReviews || c.Status == StatusNotApplicable {
			continue
		}
		for _, id := range c.Criteria {
			if slices.Contains(AccessReviewCriteria, id) {
				relied[id] = true
			}
		}
	}
	var latest *AccessReview
	for i, r := range reviews {
		if r.Status == AccessReviewCompleted && r.CompletedAt != nil && (latest == nil || r.CompletedAt.After(*latest.CompletedAt)) {
			latest = &reviews[i]
		}
	}
	reason := ""
	switch {
	case latest == nil:
		reason = "no access review campaign has been completed"
	case now.Sub(*latest.CompletedAt) > AccessReviewDays*24*time.Hour:
		reason = fmt.Sprintf("the last access review was completed %s, more than %d days ago", latest.CompletedAt.Format("2006-01-02"), AccessReviewDays)
	default:
		prefix := fmt.Sprintf("access-review:%d/", latest.ID)
		overdue := 0
		for _, a := range actions {
			if a.Source == SourceAccessReview && strings.HasPrefix(a.SourceRef, prefix) && a.Overdue(now) {
				overdue++
			}
		}
		if overdue > 0 {
			reason = fmt.Sprintf("%d access removal task(s) from access review %q are overdue", overdue, latest.Name)
		}
	}
	return func(id string) string {
		if reason == "" || !relied[id] {
			return ""
		}
		return reason
	}
}

// AccessReviewObligations lists the open campaigns' due dates and the next
// quarterly campaign (AccessReviewCadenceDays after the last completion, or
// now when there has never been one and none is open).
func AccessReviewObligations(now time.Time, reviews []AccessReview) []Obligation {
	out := []Obligation{}
	var last *time.Time
	open := false
	for _, r := range reviews {
		switch r.Status {
		case AccessReviewOpen:
			open = true
			out = append(out, Obligation{Kind: "access_review", Title: "Access review: " + r.Name, Due: r.DueDate, Link: fmt.Sprintf("/access-reviews/%d", r.ID),
				Owners: r.SystemOwners()})
		case AccessReviewCompleted:
			if r.CompletedAt != nil && (last == nil || r.CompletedAt.After(*last)) {
				last = r.CompletedAt
			}
		}
	}
	switch {
	case last != nil:
		out = append(out, Obligation{Kind: "access_review", Title: "Next quarterly access review", Due: Day(last.AddDate(0, 0, AccessReviewCadenceDays)), Link: "/access-reviews"})
	case !open:
		out = append(out, Obligation{Kind: "access_review", Title: "First access review", Due: Day(now), Link: "/access-reviews"})
	}
	SortObligations(out)
	return out
}

// SystemOwners are the owners of the campaign's systems, each once.
func (r AccessReview) SystemOwners() []int64 {
	var out []int64
	for _, sys := range r.Systems {
		if sys.OwnerID != 0 && !slices.Contains(out, sys.OwnerID) {
			out = append(out, sys.OwnerID)
		}
	}
	return out
}
