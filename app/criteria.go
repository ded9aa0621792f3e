package app

import (
	"context"
	"slices"
	"strings"

	"github.com/assay-platform/assay"
)

// VisibleCriteria are the criteria of the catalog the principal may read: all of
// them, or for an auditor invited for one engagement those of its frozen
// scope (the others are not found for them).
func (a *App) VisibleCriteria(ctx context.Context, p Principal) ([]assay.Criterion, error) {
	if !p.User.Can(assay.ActionRead, nil) {
		return nil, assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not show the criteria.", p.User.Role)
	}
	if !p.User.EngagementLimited() {
		return a.criteria, nil
	}
	au, err := p.Org.Audit(ctx, p.User.EngagementID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(slices.Clone(a.criteria), func(c assay.Criterion) bool {
		return !slices.Contains(au.Scope.Criteria, c.ID)
	}), nil
}

// Criterion is one criterion the principal may read.
func (a *App) Criterion(ctx context.Context, p Principal, id string) (assay.Criterion, error) {
	cs, err := a.VisibleCriteria(ctx, p)
	if err != nil {
		return assay.Criterion{}, err
	}
	id = strings.ToUpper(strings.TrimSpace(id))
	for _, c := range cs {
		if c.ID == id {
			return c, nil
		}
	}
	return assay.Criterion{}, assay.Errorf(assay.ENOTFOUND, "There is no criterion %q in the Trust Services Criteria.", id)
}
