package store

import (
	"context"

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
