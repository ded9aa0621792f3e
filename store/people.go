package store

import (
	"context"

	"github.com/assay-platform/assay"
)

// PeopleStore is the organisation's roster and the onboarding and
// offboarding checklists of the people on it.
type PeopleStore interface {
	// People lists everyone on the roster, by name; Status is derived at
	// the store's clock.
	People(ctx context.Context) ([]assay.Person, error)
	Person(ctx context.Context, id int64) (assay.Person, error)
	// PersonByEmail finds a person by e-mail address, without case;
	// ENOTFOUND when nobody has it.
	PersonByEmail(ctx context.Context, email string) (assay.Person, error)
	// CreatePerson adds a person; with a start date it opens their
	// onboarding checklist and assigns the courses required at hire, with
	// an end date their offboarding checklist.
	CreatePerson(ctx context.Context, actor assay.Actor, n assay.NewPerson) (assay.Person, error)
	// UpdatePerson changes a person; setting an end date opens the
	// offboarding checklist (or moves its due dates).
	UpdatePerson(ctx context.Context, actor assay.Actor, id int64, p assay.PersonPatch) (assay.Person, error)
	// ImportPeople adds or updates (by e-mail) every row of list, all or
	// none; a bad row fails the import with an error naming its index
	// (from 0) in Error.Field as "row N".
	ImportPeople(ctx context.Context, actor assay.Actor, list []assay.NewPerson) (assay.PeopleImportResult, error)

	// ChecklistItems lists stored checklist items (computed items carry
	// their stored state; see the server's checklist view for the
	// computed one).
	ChecklistItems(ctx context.Context, f assay.ChecklistFilter) ([]assay.ChecklistItem, error)
	// CompleteChecklistItem marks a manual item done (or undone) with a
	// note, recording who and when.
	CompleteChecklistItem(ctx context.Context, actor assay.Actor, itemID int64, done bool, note string) (assay.ChecklistItem, error)
}

// PolicyAcceptance is implemented by an OrgStore that tracks policy
// acceptance (the policies slice): what a person still has to accept.
type PolicyAcceptance interface {
	PoliciesToAccept(ctx context.Context, personID int64) ([]assay.PolicyVersion, error)
}

// PoliciesTracked reports whether os tracks policy acceptance, so that the
// "policies accepted" item is computed rather than ticked by hand.
func PoliciesTracked(os any) bool {
	_, ok := os.(PolicyAcceptance)
	return ok
}
