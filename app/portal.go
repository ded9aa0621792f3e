package app

import (
	"context"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
	"github.com/assay-platform/assay/store"
)

// CurrentPerson is the principal's own roster entry, matched by e-mail
// address without case; ENOTFOUND when their account is not on the roster.
func (a *App) CurrentPerson(ctx context.Context, p Principal) (assay.Person, error) {
	if err := mayUsePortal(p); err != nil {
		return assay.Person{}, err
	}
	if p.User.Email == "" {
		return assay.Person{}, assay.Errorf(assay.ENOTFOUND, "Sorry, only a user on the roster has tasks of their own: act --as one.")
	}
	person, err := p.Org.PersonByEmail(ctx, p.User.Email)
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		return person, assay.Errorf(assay.ENOTFOUND, "Sorry, your account is not linked to anyone on the roster: ask an administrator to add %s to People.", p.User.Email)
	}
	return person, err
}

// PortalTasks is the principal's own tasks at now: policies to accept,
// training, and the checklist items assigned to them. Nobody sees another
// person's tasks here.
func (a *App) PortalTasks(ctx context.Context, p Principal) (PortalTasks, error) {
	person, err := a.CurrentPerson(ctx, p)
	if err != nil {
		return PortalTasks{}, err
	}
	now := a.clock.Now()
	training, err := p.Org.TrainingAssignments(ctx, assay.TrainingFilter{PersonID: person.ID})
	if err != nil {
		return PortalTasks{}, err
	}
	items, err := rules.PersonChecklist(ctx, p.Org, now, person, training)
	if err != nil {
		return PortalTasks{}, err
	}
	t := PortalTasks{Person: ViewPerson(person, items, now), Training: training, Policies: []assay.PolicyVersion{}, Checklist: []ChecklistView{}}
	if pa, ok := p.Org.(store.PolicyAcceptance); ok {
		t.Tracked = true
		if t.Policies, err = pa.PoliciesToAccept(ctx, person.ID); err != nil {
			return PortalTasks{}, err
		}
		t.Open += len(t.Policies)
	}
	for _, x := range training {
		if x.Status != assay.TrainingCompleted {
			t.Open++
		}
	}
	for _, it := range items {
		if it.Assignee != assay.AssigneeEmployee {
			continue
		}
		t.Checklist = append(t.Checklist, ViewChecklistItem(it, now))
		if !it.Done {
			t.Open++
		}
	}
	return t, nil
}

// ownAssignment is a training assignment of the principal's own.
func (a *App) ownAssignment(ctx context.Context, p Principal, id int64) (assay.TrainingAssignment, error) {
	person, err := a.CurrentPerson(ctx, p)
	if err != nil {
		return assay.TrainingAssignment{}, notLinked(p, err, "training assignment")
	}
	x, err := p.Org.TrainingAssignment(ctx, id)
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		return x, assay.Errorf(assay.ENOTFOUND, "Training assignment not found.")
	} else if err != nil {
		return x, err
	}
	if x.PersonID != person.ID {
		return assay.TrainingAssignment{}, notYours(p, "training assignment")
	}
	return x, nil
}

// OwnAssignment is one of the principal's own training assignments (the
// portal shows its course before the person attests).
func (a *App) OwnAssignment(ctx context.Context, p Principal, id int64) (assay.TrainingAssignment, error) {
	return a.ownAssignment(ctx, p, id)
}

// StartTraining moves one of the principal's own pending assignments to
// in progress.
func (a *App) StartTraining(ctx context.Context, p Principal, id int64) (assay.TrainingAssignment, error) {
	if _, err := a.ownAssignment(ctx, p, id); err != nil {
		return assay.TrainingAssignment{}, err
	}
	return p.Org.StartTraining(ctx, p.Actor(), id)
}

// CompleteTraining records the principal's attested completion of one of
// their own assignments (the evidence quotes the course's attestation). Only the person assigned attests; an admin
// records someone else's completion by importing completion records.
func (a *App) CompleteTraining(ctx context.Context, p Principal, id int64, attested bool) (assay.TrainingAssignment, error) {
	x, err := a.ownAssignment(ctx, p, id)
	if err != nil {
		return x, err
	}
	if !attested {
		return x, assay.Invalid("attest", "Tick the box to confirm you completed %s.", x.CourseName)
	}
	return p.Org.CompleteTraining(ctx, p.Actor(), id, "attested")
}
