package app

import (
	"context"
	"fmt"
	"slices"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/export"
)

// LoadExport reads what an export holds: the organisation's controls,
// evidence and history over period, narrowed to the engagement's frozen
// scope when audit is set. An auditor invited for that engagement gets it
// too, built from the organisation's records (the engagement view does
// not hand out whole-program reads) and then held to exactly what the view
// lets them read: the frozen scope's controls and the evidence the
// engagement references.
func (a *App) LoadExport(ctx context.Context, p Principal, period export.Period, audit *assay.Audit) (*export.Data, error) {
	org := p.Org
	view, limited := p.Org.(*engagementView)
	if limited {
		if audit == nil || audit.ID != p.User.EngagementID {
			return nil, assay.Errorf(assay.ENOTFOUND, "Not found.")
		}
		org = view.org
	}
	checks, err := a.Checks(ctx, org)
	if err != nil {
		return nil, err
	}
	d, err := export.Load(ctx, org, a.criteria, checks, period, a.clock.Now())
	if err != nil {
		return nil, fmt.Errorf("load export: %w", err)
	}
	if audit != nil {
		d.ApplyScope(audit.Scope)
	}
	if limited {
		sc, err := view.scope(ctx)
		if err != nil {
			return nil, err
		}
		d.Evidence = slices.DeleteFunc(d.Evidence, func(it export.Item) bool { return !sc.evidence[it.ID] })
		for id := range d.History {
			if !sc.controls[id] {
				delete(d.History, id)
			}
		}
		for id := range d.Monitoring {
			if !sc.controls[id] {
				delete(d.Monitoring, id)
			}
		}
	}
	return d, nil
}
