package app

import (
	"context"
	"fmt"
	"slices"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// Checks returns the checks that apply to an organisation: the library,
// then the organisation's custom checks. Monitoring runs, readiness, the
// period view, alerts and the pages all take them from here.
func (a *App) Checks(ctx context.Context, org store.OrgStore) ([]assay.Check, error) {
	lib, err := a.library()
	if err != nil {
		return nil, fmt.Errorf("check library: %w", err)
	}
	custom, err := org.CustomChecks(ctx)
	if err != nil {
		return nil, fmt.Errorf("custom checks: %w", err)
	}
	return append(slices.Clip(lib), custom...), nil
}

// ChecksByID is Checks keyed by check id, for an organisation by id (the
// alert notifier's form).
func (a *App) ChecksByID(ctx context.Context, orgID int64) (map[string]assay.Check, error) {
	checks, err := a.Checks(ctx, a.store.Org(orgID))
	if err != nil {
		return nil, err
	}
	out := make(map[string]assay.Check, len(checks))
	for _, c := range checks {
		out[c.ID] = c
	}
	return out, nil
}
