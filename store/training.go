package store

import (
	"context"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
)

// TrainingStore is the organisation's training courses, who must take them,
// and the completions that show they did.
type TrainingStore interface {
	Courses(ctx context.Context) ([]assay.Course, error)
	Course(ctx context.Context, id int64) (assay.Course, error)
	CreateCourse(ctx context.Context, actor assay.Actor, n assay.NewCourse) (assay.Course, error)
	UpdateCourse(ctx context.Context, actor assay.Actor, id int64, n assay.NewCourse) (assay.Course, error)

	// TrainingAssignments lists assignments with Status and DueAt derived
	// at the store's clock.
	TrainingAssignments(ctx context.Context, f assay.TrainingFilter) ([]assay.TrainingAssignment, error)
	TrainingAssignment(ctx context.Context, id int64) (assay.TrainingAssignment, error)
	// AssignTraining assigns a course; people who already have it are
	// skipped (their due date is left alone). It returns the new ones.
	AssignTraining(ctx context.Context, actor assay.Actor, n assay.NewAssignment) ([]assay.TrainingAssignment, error)
	// StartTraining moves a pending assignment to in progress.
	StartTraining(ctx context.Context, actor assay.Actor, id int64) (assay.TrainingAssignment, error)
	// CompleteTraining records an attested completion now.
	CompleteTraining(ctx context.Context, actor assay.Actor, id int64, attestation string) (assay.TrainingAssignment, error)
	// ImportCompletions records every completion of list, all or none; a
	// row for a course the person was not assigned creates the assignment.
	// A bad row fails with an error whose Field is "row N" (from 0).
	ImportCompletions(ctx context.Context, actor assay.Actor, list []assay.TrainingCompletion) (int, error)
}

// TrainingObligations lists the training due dates and renewals of active
// and upcoming people, and the open offboarding deadlines, for the Upcoming
// list and the iCal feed. Completed training appears at its renewal date.
func TrainingObligations(ctx context.Context, os OrgStore, now time.Time) ([]assay.Obligation, error) {
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
