package app

import (
	"context"

	"github.com/assay-platform/assay"
)

// IncidentTimeline is an incident's timeline, oldest first.
func (a *App) IncidentTimeline(ctx context.Context, p Principal, id int64) ([]assay.IncidentEntry, error) {
	if err := mayReadIncidents(p); err != nil {
		return nil, err
	}
	return p.Org.IncidentTimeline(ctx, id)
}

// AddIncidentNote appends a note to an incident's timeline.
func (a *App) AddIncidentNote(ctx context.Context, p Principal, id int64, text string) (assay.IncidentEntry, error) {
	if err := mayReportIncident(p); err != nil {
		return assay.IncidentEntry{}, err
	}
	return p.Org.AddIncidentEntry(ctx, p.Actor(), id, text)
}
