package store

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
)

// IncidentStore is the organisation's incidents, their timelines and
// reviews, and the corrective action register they feed.
type IncidentStore interface {
	Incidents(ctx context.Context, f assay.IncidentFilter) ([]assay.Incident, error)
	Incident(ctx context.Context, id int64) (assay.Incident, error)
	// CreateIncident records a reported incident (or an exercise).
	CreateIncident(ctx context.Context, actor assay.Actor, n assay.NewIncident) (assay.Incident, error)
	// CreateIncidents records incidents imported with their history, all
	// of list or none of it; a bad row fails the whole import with an error
	// naming its index (from 0).
	CreateIncidents(ctx context.Context, actor assay.Actor, list []assay.ImportedIncident) ([]assay.Incident, error)
	// MoveIncident triages, contains or resolves an incident, adding a
	// status entry to its timeline.
	MoveIncident(ctx context.Context, actor assay.Actor, id int64, m assay.IncidentMove) (assay.Incident, error)
	// SetIncidentOwner gives an incident its owner (0: nobody), ledgered.
	SetIncidentOwner(ctx context.Context, actor assay.Actor, id, ownerID int64) (assay.Incident, error)
	// RecordIncidentNotice records when customers ("customer") or the
	// regulator ("regulator") were told.
	RecordIncidentNotice(ctx context.Context, actor assay.Actor, id int64, to string, at time.Time) (assay.Incident, error)
	// AddIncidentEntry appends a note to the timeline.
	AddIncidentEntry(ctx context.Context, actor assay.Actor, id int64, text string) (assay.IncidentEntry, error)
	IncidentTimeline(ctx context.Context, id int64) ([]assay.IncidentEntry, error)
	// ReviewIncident records the post-incident review of a resolved
	// incident, closes it, and opens one corrective action per improvement
	// item, owned by ownerID (0: nobody) and due at due, in one transaction.
	ReviewIncident(ctx context.Context, actor assay.Actor, id int64, r assay.NewIncidentReview, ownerID int64, due time.Time) (assay.Incident, []assay.CorrectiveAction, error)

	CorrectiveActions(ctx context.Context, f assay.CorrectiveFilter) ([]assay.CorrectiveAction, error)
	CorrectiveAction(ctx context.Context, id int64) (assay.CorrectiveAction, error)
	CreateCorrectiveAction(ctx context.Context, actor assay.Actor, n assay.NewCorrectiveAction) (assay.CorrectiveAction, error)
	// ImportCorrectiveActions records all of list or none of it; a bad row
	// fails the whole import with an error naming its index (from 0).
	ImportCorrectiveActions(ctx context.Context, actor assay.Actor, list []assay.NewCorrectiveAction) ([]assay.CorrectiveAction, error)
	// UpdateCorrectiveAction changes status, text, owner or due date;
	// moving to verified records who verified it and when.
	UpdateCorrectiveAction(ctx context.Context, actor assay.Actor, id int64, p assay.CorrectivePatch) (assay.CorrectiveAction, error)
}
