package app

import (
	"context"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/availability"
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
	if period.InScope("A1") {
		// Availability is part of the period view of an in-scope A1, also
		// for an engagement's auditor: read from the organisation itself.
		if period.Availability, err = a.periodAvailability(ctx, a.store.Org(org.OrgID()), period.Start, period.End); err != nil {
			return period, fmt.Errorf("period availability: %w", err)
		}
	}
	return period, nil
}

// periodAvailability is every service's availability over [start, end),
// up to now, with its months against the SLA (in the report time zone).
func (a *App) periodAvailability(ctx context.Context, org store.OrgStore, start, end time.Time) ([]assay.PeriodAvailability, error) {
	svcs, err := org.Services(ctx)
	if err != nil {
		return nil, err
	}
	now, loc := a.clock.Now(), ReportLocation()
	out := []assay.PeriodAvailability{}
	for _, s := range svcs {
		// The months the period touches are read whole, for their SLA.
		h, err := availability.Load(ctx, org, s, availability.MonthStart(start, loc), availability.MonthStart(end, loc).AddDate(0, 1, 0))
		if err != nil {
			return nil, err
		}
		u := h.Uptime(start, end, now)
		pa := assay.PeriodAvailability{ServiceID: s.ID, Name: s.Name, Kind: s.Kind, Target: s.Target, SLATarget: s.SLATarget, Percent: u.Percent,
			Measured: u.Measured(), Down: u.Down, Maintenance: u.Maintenance, Unknown: u.Unknown, Incidents: []int64{}, MonthsMissed: []string{}}
		for _, p := range h.Periods {
			if p.State == assay.StateDown {
				pa.Downtimes++
				if p.IncidentID != 0 {
					pa.Incidents = append(pa.Incidents, p.IncidentID)
				}
			}
		}
		for m := availability.MonthStart(start, loc); m.Before(end) && m.Before(now); m = m.AddDate(0, 1, 0) {
			sla := h.SLA(m, loc, now)
			switch {
			case sla.Percent < 0:
			case sla.Met:
				pa.MonthsMet++
			default:
				pa.MonthsMissed = append(pa.MonthsMissed, sla.Month)
			}
		}
		out = append(out, pa)
	}
	return out, nil
}
