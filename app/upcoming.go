package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/store"
)

// What falls due: the Upcoming page, its API and the calendar feed. Every
// role that reads the program sees the organisation's obligations; an
// employee does not (their tasks are in the portal), nor an auditor
// limited to one engagement, whose engagement does not link here.

// MaxUpcomingDays is the furthest the Upcoming list looks ahead.
const MaxUpcomingDays = 3660

func mayReadUpcoming(p Principal) error {
	if !p.User.Can(assay.ActionRead, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not show what falls due.", p.User.Role)
	}
	if p.User.EngagementLimited() {
		return assay.Errorf(assay.ENOTFOUND, "Not found.") // outside their engagement: nothing to confirm
	}
	return nil
}

// UpcomingList is the Upcoming page's and API's document: the
// obligations overdue at AsOf and those due within Days of it.
type UpcomingList struct {
	Overdue  []assay.Obligation `json:"overdue"`
	Upcoming []assay.Obligation `json:"upcoming"`
	Days     int                `json:"days"`
	AsOf     time.Time          `json:"as_of"`
}

// CheckUpcomingDays refuses a window outside 1 to MaxUpcomingDays days.
func CheckUpcomingDays(days int) error {
	if days < 1 || days > MaxUpcomingDays {
		return assay.Invalid("days", "days must be between 1 and %d.", MaxUpcomingDays)
	}
	return nil
}

// Upcoming is what is overdue and what falls due within days.
func (a *App) Upcoming(ctx context.Context, p Principal, days int) (UpcomingList, error) {
	if err := CheckUpcomingDays(days); err != nil {
		return UpcomingList{}, err
	}
	if err := mayReadUpcoming(p); err != nil {
		return UpcomingList{}, err
	}
	now := a.clock.Now()
	list, err := a.sharedObligations(ctx, p.Org, now)
	if err != nil {
		return UpcomingList{}, err
	}
	list = visibleObligations(p, list)
	overdue, soon := assay.UpcomingWindow(now, days, list)
	return UpcomingList{Overdue: overdue, Upcoming: soon, Days: days, AsOf: now}, nil
}

// Obligations is every recurring obligation of the organisation, by due
// date, whenever it falls.
func (a *App) Obligations(ctx context.Context, p Principal) ([]assay.Obligation, error) {
	if err := mayReadUpcoming(p); err != nil {
		return nil, err
	}
	list, err := a.sharedObligations(ctx, p.Org, a.clock.Now())
	return slices.Clone(visibleObligations(p, list)), err
}

// sharedObligations is obligations once per change and minute
// (rules.Cache): the list is shared, so nobody changes it.
func (a *App) sharedObligations(ctx context.Context, org store.OrgStore, now time.Time) ([]assay.Obligation, error) {
	org = a.sharedReads(ctx, org)
	return rules.Derived(org, "obligations", func() ([]assay.Obligation, error) { return obligations(ctx, org, now) })
}

// peopleObligations are the kinds of obligation that are records about
// people (whose training, whose offboarding, whose accounts): a role that
// does not read people (a viewer) is not shown them.
var peopleObligations = map[string]bool{"training_due": true, "training_renewal": true, "offboarding": true, "access_review": true}

// visibleObligations keeps what the principal may read.
func visibleObligations(p Principal, list []assay.Obligation) []assay.Obligation {
	if p.User.Can(assay.ActionReadPeople, nil) {
		return list
	}
	out := list[:0:0]
	for _, o := range list {
		if !peopleObligations[o.Kind] {
			out = append(out, o)
		}
	}
	return out
}

// obligations gathers every recurring obligation of the organisation:
// policy reviews, training and offboarding deadlines, access reviews,
// vendor reviews, risk reviews, the yearly risk assessment, and the next
// audit period after the last engagement (with its readiness review);
// and the dated work: evidence to renew, evidence requests waiting for an
// answer and corrective actions not done.
func obligations(ctx context.Context, org store.OrgStore, now time.Time) ([]assay.Obligation, error) {
	out := []assay.Obligation{}
	policies, err := rules.PolicyReviews(ctx, org)
	if err != nil {
		return nil, fmt.Errorf("policy reviews: %w", err)
	}
	training, err := rules.TrainingObligations(ctx, org, now)
	if err != nil {
		return nil, fmt.Errorf("training obligations: %w", err)
	}
	access, err := rules.AccessReviewObligations(ctx, org, now)
	if err != nil {
		return nil, fmt.Errorf("access reviews: %w", err)
	}
	out = append(append(append(out, policies...), training...), access...)
	vendors, err := org.Vendors(ctx)
	if err != nil {
		return nil, fmt.Errorf("vendors: %w", err)
	}
	for _, v := range vendors {
		out = append(out, assay.Obligation{Kind: "vendor_review", Title: "Vendor review: " + v.Name, Due: assay.Day(v.NextReviewDue()), Link: fmt.Sprintf("/vendors/%d", v.ID),
			DueNow: !v.ReviewCurrent(now), Owners: ownerIDs(v.OwnerID)})
	}
	risks, err := org.Risks(ctx)
	if err != nil {
		return nil, fmt.Errorf("risks: %w", err)
	}
	for _, r := range risks {
		if r.ReviewDate != nil && r.Status != assay.RiskClosed {
			out = append(out, assay.Obligation{Kind: "risk_review", Title: "Risk review: " + r.Title, Due: assay.Day(*r.ReviewDate), Link: fmt.Sprintf("/risks/%d", r.ID), Owners: ownerIDs(r.OwnerID)})
		}
	}
	assessments, err := org.RiskAssessments(ctx)
	if err != nil {
		return nil, fmt.Errorf("risk assessments: %w", err)
	}
	if len(assessments) > 0 {
		out = append(out, assay.Obligation{Kind: "risk_assessment", Title: "Yearly risk assessment", Due: assay.Day(assessments[0].Date.AddDate(1, 0, 0)), Link: "/risks"})
	}
	audits, err := org.Audits(ctx)
	if err != nil {
		return nil, fmt.Errorf("audits: %w", err)
	}
	out = append(out, assay.RenewalObligations(audits, assay.RenewalMonths)...)
	work, err := workObligations(ctx, org) // app/upcoming_work.go
	if err != nil {
		return nil, err
	}
	out = append(out, work...)
	assay.SortObligations(out)
	return out, nil
}
