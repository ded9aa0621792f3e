package app

import (
	"context"
	"fmt"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/store"
)

// AuditPeriod is an engagement's period view: its frozen scope's controls
// with their evidence, requests and exceptions, and the automated testing
// the organisation's checks did over the period.
func (a *App) AuditPeriod(ctx context.Context, p Principal, id int64) (assay.AuditPeriod, error) {
	if err := mayReadAudit(p, id); err != nil {
		return assay.AuditPeriod{}, err
	}
	return a.auditPeriod(ctx, p.Org, id)
}

func (a *App) auditPeriod(ctx context.Context, org store.OrgStore, id int64) (assay.AuditPeriod, error) {
	period, err := org.AuditPeriod(ctx, id)
	if err != nil {
		return period, err
	}
	checks, err := a.Checks(ctx, org)
	if err != nil {
		return period, err
	}
	mon, err := rules.PeriodMonitoring(ctx, org, checks, period.ControlIDs(), period.Start, period.End, a.clock.Now())
	if err != nil {
		return period, fmt.Errorf("period monitoring: %w", err)
	}
	period.AttachMonitoring(mon)
	return period, nil
}
