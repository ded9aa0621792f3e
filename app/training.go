package app

import (
	"context"

	"github.com/assay-platform/assay"
)

// Courses lists the training courses with their completion figures at now.
func (a *App) Courses(ctx context.Context, p Principal) ([]assay.CourseFigures, error) {
	if err := mayReadPeople(p); err != nil {
		return nil, err
	}
	courses, err := p.Org.Courses(ctx)
	if err != nil {
		return nil, err
	}
	list, err := p.Org.TrainingAssignments(ctx, assay.TrainingFilter{})
	if err != nil {
		return nil, err
	}
	return assay.TrainingFiguresAt(a.clock.Now(), courses, list), nil
}

// CreateCourse adds a training course.
func (a *App) CreateCourse(ctx context.Context, p Principal, n assay.NewCourse) (assay.Course, error) {
	if err := mayManagePeople(p); err != nil {
		return assay.Course{}, err
	}
	if err := n.Validate(); err != nil {
		return assay.Course{}, err
	}
	return p.Org.CreateCourse(ctx, p.Actor(), n)
}

// UpdateCourse replaces a course's fields.
func (a *App) UpdateCourse(ctx context.Context, p Principal, id int64, n assay.NewCourse) (assay.Course, error) {
	if err := mayManagePeople(p); err != nil {
		return assay.Course{}, err
	}
	if err := n.Validate(); err != nil {
		return assay.Course{}, err
	}
	return p.Org.UpdateCourse(ctx, p.Actor(), id, n)
}

// TrainingAssignments lists assignments (of one person or course, or all)
// with their status and due date worked out at the store's clock.
func (a *App) TrainingAssignments(ctx context.Context, p Principal, f assay.TrainingFilter) ([]assay.TrainingAssignment, error) {
	if err := mayReadPeople(p); err != nil {
		return nil, err
	}
	return p.Org.TrainingAssignments(ctx, f)
}

// AssignTraining assigns a course to the people listed, or to every active
// person (of one department); people who have it already are skipped. It
// returns the new assignments.
func (a *App) AssignTraining(ctx context.Context, p Principal, n assay.NewAssignment) ([]assay.TrainingAssignment, error) {
	if err := mayManagePeople(p); err != nil {
		return nil, err
	}
	return p.Org.AssignTraining(ctx, p.Actor(), n)
}

// ImportCompletions records every parsed completion record, all or none,
// in one transaction; a bad row fails with "Row N" (from 0).
func (a *App) ImportCompletions(ctx context.Context, p Principal, rows []assay.TrainingCompletion) (int, error) {
	if err := mayManagePeople(p); err != nil {
		return 0, err
	}
	return p.Org.ImportCompletions(ctx, p.Actor(), rows)
}
