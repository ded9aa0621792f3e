package rules

import (
	"context"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// TrainingObligations lists the training due dates and renewals of active
// and upcoming people, and the open offboarding deadlines, for the Upcoming
// list and the iCal feed. Completed training appears at its renewal date.
func TrainingObligations(ctx context.Context, os store.OrgStore, now time.Time) ([]assay.Obligation, error) {
	people, err := os.People(ctx)
	if err != nil {
		return nil, err
	}
	leaving := map[int64]bool{}
	for _, p := range people {
		leaving[p.ID] = p.StatusAt(now) == assay.PersonDeparted
	}
	list, err := os.TrainingAssignments(ctx, assay.TrainingFilter{})
	if err != nil {
		return nil, err
	}
	out := []assay.Obligation{}
	for _, a := range list {
		if leaving[a.PersonID] {
			continue
		}
		a = a.Derive(now)
		kind, title := "training_due", fmt.Sprintf("%s: %s", a.CourseName, a.PersonName)
		if a.Status == assay.TrainingCompleted {
			if a.ExpiresAt() == nil {
				continue
			}
			kind, title = "training_renewal", "Renew "+title
		} else if a.CompletedAt != nil || (a.StoredStatus == assay.TrainingCompleted) {
			kind = "training_renewal"
		}
		out = append(out, assay.Obligation{Kind: kind, Title: title, Due: a.DueAt, Link: fmt.Sprintf("/people/%d", a.PersonID)})
	}
	items, err := os.ChecklistItems(ctx, assay.ChecklistFilter{Kind: assay.ChecklistOffboarding, OpenOnly: true})
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if it.Due == nil {
			continue
		}
		out = append(out, assay.Obligation{Kind: "offboarding", Title: fmt.Sprintf("%s: %s", it.Title, it.PersonName), Due: *it.Due,
			Link: fmt.Sprintf("/people/%d", it.PersonID)})
	}
	assay.SortObligations(out)
	return out, nil
}
