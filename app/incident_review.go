package app

import (
	"context"
	"time"

	"github.com/assay-platform/assay"
)

// ReviewDays is how long the corrective actions a review or an audit
// exception opens are given by default.
const ReviewDays = 30

// IncidentReview is a post-incident review with the owner and due date of
// the corrective actions it opens: no owner is the reviewer, no due date
// is ReviewDays from today.
type IncidentReview struct {
	assay.NewIncidentReview
	OwnerID int64
	DueDate *time.Time
}

// DefaultCorrectiveDue is the due date of a corrective action opened today
// without one.
func (a *App) DefaultCorrectiveDue() time.Time {
	return assay.Day(a.clock.Now()).AddDate(0, 0, ReviewDays)
}

// ReviewIncident records the post-incident review of a resolved incident,
// closes it and opens one corrective action per improvement, in one
// transaction.
func (a *App) ReviewIncident(ctx context.Context, p Principal, id int64, r IncidentReview) (assay.Incident, []assay.CorrectiveAction, error) {
	if err := mayManageIncidents(p); err != nil {
		return assay.Incident{}, nil, err
	}
	due := a.DefaultCorrectiveDue()
	if r.DueDate != nil {
		due = *r.DueDate
	}
	if r.OwnerID == 0 {
		r.OwnerID = p.User.ID
	}
	if err := checkOwner(ctx, p.Org, "owner_id", r.OwnerID); err != nil {
		return assay.Incident{}, nil, err
	}
	return p.Org.ReviewIncident(ctx, p.Actor(), id, r.NewIncidentReview, r.OwnerID, due)
}
