package app

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
)

// PolicyView is a policy as the pages, the API and the CLI show it: with
// its review state at now and, once published, its acceptance figure.
type PolicyView struct {
	assay.Policy
	ReviewState string              `json:"review_state"` // "", "due", "overdue"
	NextReview  *time.Time          `json:"next_review"`
	Figure      *assay.PolicyFigure `json:"acceptance"`
}

// ViewPolicy is pol as shown at now, with its figure (nil: none).
func ViewPolicy(pol assay.Policy, now time.Time, fig *assay.PolicyFigure) PolicyView {
	return PolicyView{Policy: pol, ReviewState: pol.ReviewState(now), NextReview: pol.NextReview(), Figure: fig}
}

// PolicyDetail is one policy with all its versions, newest first (the
// API's GET /api/v1/policies/{id}).
type PolicyDetail struct {
	Policy   PolicyView            `json:"policy"`
	Versions []assay.PolicyVersion `json:"versions"`
}

// Policies lists the organisation's policies with their review state and
// acceptance figure.
func (a *App) Policies(ctx context.Context, p Principal) ([]PolicyView, error) {
	if err := mayReadPolicies(p); err != nil {
		return nil, err
	}
	list, err := p.Org.Policies(ctx)
	if err != nil {
		return nil, err
	}
	figs, err := p.Org.PolicyFigures(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*assay.PolicyFigure{}
	for i := range figs {
		byID[figs[i].PolicyID] = &figs[i]
	}
	now := a.clock.Now()
	out := make([]PolicyView, len(list))
	for i, pol := range list {
		out[i] = ViewPolicy(pol, now, byID[pol.ID])
	}
	return out, nil
}

// Policy is one policy with its versions and acceptance figure.
func (a *App) Policy(ctx context.Context, p Principal, id int64) (PolicyDetail, error) {
	if err := mayReadPolicies(p); err != nil {
		return PolicyDetail{}, err
	}
	pol, err := p.Org.Policy(ctx, id)
	if err != nil {
		return PolicyDetail{}, err
	}
	versions, err := p.Org.PolicyVersions(ctx, id)
	if err != nil {
		return PolicyDetail{}, err
	}
	figs, err := p.Org.PolicyFigures(ctx)
	if err != nil {
		return PolicyDetail{}, err
	}
	var fig *assay.PolicyFigure
	for i := range figs {
		if figs[i].PolicyID == id {
			fig = &figs[i]
		}
	}
	return PolicyDetail{Policy: ViewPolicy(pol, a.clock.Now(), fig), Versions: versions}, nil
}

// PolicyReviewCounts counts the policies due and overdue for review.
func (a *App) PolicyReviewCounts(ctx context.Context, p Principal) (due, overdue int, err error) {
	if err := mayReadPolicies(p); err != nil {
		return 0, 0, err
	}
	list, err := p.Org.Policies(ctx)
	if err != nil {
		return 0, 0, err
	}
	now := a.clock.Now()
	for _, pol := range list {
		switch pol.ReviewState(now) {
		case "due":
			due++
		case "overdue":
			overdue++
		}
	}
	return due, overdue, nil
}

// PolicyTemplates is the library's policy templates.
func (a *App) PolicyTemplates(_ context.Context, p Principal) ([]catalog.PolicyTemplate, error) {
	if err := mayReadPolicies(p); err != nil {
		return nil, err
	}
	return catalog.PolicyTemplates()
}

// PolicyOwners are the users who may own a policy: active admins and
// members.
func (a *App) PolicyOwners(ctx context.Context, p Principal) ([]assay.User, error) {
	if err := mayManagePolicies(p); err != nil {
		return nil, err
	}
	users, err := p.Org.Users(ctx)
	if err != nil {
		return nil, err
	}
	var out []assay.User
	for _, u := range users {
		if u.MayOwn() {
			out = append(out, u)
		}
	}
	return out, nil
}

// UpdatePolicy changes a policy's title, owner, scope or review cadence.
func (a *App) UpdatePolicy(ctx context.Context, p Principal, id int64, patch assay.PolicyPatch) (assay.Policy, error) {
	if err := mayManagePolicies(p); err != nil {
		return assay.Policy{}, err
	}
	return p.Org.UpdatePolicy(ctx, p.Actor(), id, patch)
}

// ReviewPolicy records a review without changes of a published policy.
func (a *App) ReviewPolicy(ctx context.Context, p Principal, id int64) (assay.Policy, error) {
	if err := mayManagePolicies(p); err != nil {
		return assay.Policy{}, err
	}
	return p.Org.ReviewPolicy(ctx, p.Actor(), id)
}
