package app

import (
	"context"

	"github.com/assay-platform/assay"
)

// Scope is the organisation with its scope and system description (every
// role that reads the program sees them).
func (a *App) Scope(ctx context.Context, p Principal) (assay.Organization, error) {
	if !p.User.Can(assay.ActionRead, nil) {
		return assay.Organization{}, assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not show the scope.", p.User.Role)
	}
	return p.Org.Organization(ctx)
}

// UpdateScope replaces the categories in scope and, when system is not
// nil, the system description: both are checked before either is written.
func (a *App) UpdateScope(ctx context.Context, p Principal, scope assay.Scope, system *assay.SystemDescription) (assay.Organization, error) {
	if err := mayEditScope(p); err != nil {
		return assay.Organization{}, err
	}
	if scope.Categories == nil {
		return assay.Organization{}, assay.Invalid("categories", "categories is required (security is always included).")
	}
	scope, err := scope.Normalize()
	if err != nil {
		return assay.Organization{}, err
	}
	if system != nil {
		if err := system.Validate(); err != nil {
			return assay.Organization{}, err
		}
	}
	org, err := p.Org.UpdateScope(ctx, p.Actor(), scope)
	if err == nil && system != nil {
		org, err = p.Org.UpdateSystemDescription(ctx, p.Actor(), *system)
	}
	return org, err
}

// UpdateSystemDescription replaces the system description.
func (a *App) UpdateSystemDescription(ctx context.Context, p Principal, d assay.SystemDescription) (assay.Organization, error) {
	if err := mayEditScope(p); err != nil {
		return assay.Organization{}, err
	}
	if err := d.Validate(); err != nil {
		return assay.Organization{}, err
	}
	return p.Org.UpdateSystemDescription(ctx, p.Actor(), d)
}

func mayEditScope(p Principal) error {
	if !p.User.Can(assay.ActionEditScope, nil) {
		return assay.Errorf(assay.EFORBIDDEN, "Only admins change the scope and the system description; your role is %s.", p.User.Role)
	}
	return nil
}
