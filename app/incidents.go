package app

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
)

// Incidents lists the organisation's incidents that match f.
func (a *App) Incidents(ctx context.Context, p Principal, f assay.IncidentFilter) ([]assay.Incident, error) {
	if err := mayReadIncidents(p); err != nil {
		return nil, err
	}
	return p.Org.Incidents(ctx, f)
}

// Incident is one incident.
func (a *App) Incident(ctx context.Context, p Principal, id int64) (assay.Incident, error) {
	if err := mayReadIncidents(p); err != nil {
		return assay.Incident{}, err
	}
	return p.Org.Incident(ctx, id)
}

// IncidentDetail is one incident with its timeline and the corrective
// actions its review opened, as shown now.
func (a *App) IncidentDetail(ctx context.Context, p Principal, id int64) (IncidentDetail, error) {
	i, err := a.Incident(ctx, p, id)
	if err != nil {
		return IncidentDetail{}, err
	}
	timeline, err := p.Org.IncidentTimeline(ctx, id)
	if err != nil {
		return IncidentDetail{}, err
	}
	actions, err := p.Org.CorrectiveActions(ctx, assay.CorrectiveFilter{IncidentID: id})
	if err != nil {
		return IncidentDetail{}, err
	}
	now := a.clock.Now()
	return IncidentDetail{IncidentView: ViewIncident(i, now), Timeline: timeline, CorrectiveActions: ViewCorrectives(actions, now)}, nil
}

// IncidentMetrics are the figures over every incident of the organisation.
func (a *App) IncidentMetrics(ctx context.Context, p Principal) (assay.IncidentMetrics, error) {
	list, err := a.Incidents(ctx, p, assay.IncidentFilter{})
	if err != nil {
		return assay.IncidentMetrics{}, err
	}
	return assay.ComputeIncidentMetrics(list), nil
}

// ReportIncident records a reported incident (or an exercise of the
// incident process).
func (a *App) ReportIncident(ctx context.Context, p Principal, n assay.NewIncident) (assay.Incident, error) {
	if err := mayReportIncident(p); err != nil {
		return assay.Incident{}, err
	}
	return p.Org.CreateIncident(ctx, p.Actor(), n)
}

// ImportIncidents records incidents brought in with their history (the
// rows an adapter parsed), all or none. A bad row fails the import with
// an error naming its index among list (from 0).
func (a *App) ImportIncidents(ctx context.Context, p Principal, list []assay.ImportedIncident) ([]assay.Incident, error) {
	if err := mayManageIncidents(p); err != nil {
		return nil, err
	}
	return p.Org.CreateIncidents(ctx, p.Actor(), list)
}

// MoveIncident moves an incident through its lifecycle: triaged (with a
// severity), contained or resolved; a review closes it (ReviewIncident).
func (a *App) MoveIncident(ctx context.Context, p Principal, id int64, m assay.IncidentMove) (assay.Incident, error) {
	if err := mayManageIncidents(p); err != nil {
		return assay.Incident{}, err
	}
	return p.Org.MoveIncident(ctx, p.Actor(), id, m)
}

// RecordIncidentNotice records when customers ("customer") or the
// regulator ("regulator") were told (zero at: now).
func (a *App) RecordIncidentNotice(ctx context.Context, p Principal, id int64, to string, at time.Time) (assay.Incident, error) {
	if err := mayManageIncidents(p); err != nil {
		return assay.Incident{}, err
	}
	return p.Org.RecordIncidentNotice(ctx, p.Actor(), id, to, at)
}
