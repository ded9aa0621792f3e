package app

import (
	"context"

	"github.com/assay-platform/assay"
)

// MaxActivity is the most audit-trail entries one call returns.
const MaxActivity = 1000

// Activity reads the audit trail, newest first: admins, auditors and
// members (ActionReadActivity); a limit of 0 means 100.
func (a *App) Activity(ctx context.Context, p Principal, f assay.ActivityFilter) ([]assay.Activity, error) {
	if !p.User.Can(assay.ActionReadActivity, nil) {
		return nil, assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not show the audit trail.", p.User.Role)
	}
	if f.Limit < 0 || f.Limit > MaxActivity+1 { // +1: a page asks one more to know there is a next
		return nil, assay.Invalid("limit", "limit must be between 1 and %d.", MaxActivity)
	}
	if f.BeforeSeq < 0 {
		return nil, assay.Invalid("before", "before must be a positive entry number.")
	}
	if f.Limit == 0 {
		f.Limit = 100
	}
	entries, err := p.Org.Activity(ctx, f)
	if entries == nil && err == nil {
		entries = []assay.Activity{}
	}
	return entries, err
}
