package app

import (
	"context"
	"slices"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
)

// Roster is the people on the roster under a filter, with the departments
// on the whole roster (for the filter's list).
type Roster struct {
	People      []PersonView
	Departments []string
}

// People lists the roster under f.
func (a *App) People(ctx context.Context, p Principal, f PeopleFilter) (Roster, error) {
	if err := mayReadPeople(p); err != nil {
		return Roster{}, err
	}
	if err := f.Validate(); err != nil {
		return Roster{}, err
	}
	org := a.sharedReads(ctx, p.Org) // the roster and the computed items share their reads of people
	people, err := org.People(ctx)
	if err != nil {
		return Roster{}, err
	}
	now := a.clock.Now()
	// Each person's items (counted, not shown), worked out once per change
	// and minute and shared, so nobody changes them.
	byPerson, err := rules.Derived(org, "brief-checklists-by-person", func() (map[int64][]assay.ChecklistItem, error) {
		items, err := rules.BriefChecklists(ctx, org, now)
		if err != nil {
			return nil, err
		}
		by := make(map[int64][]assay.ChecklistItem, len(people))
		for _, it := range items {
			by[it.PersonID] = append(by[it.PersonID], it)
		}
		return by, nil
	})
	if err != nil {
		return Roster{}, err
	}
	out := Roster{People: []PersonView{}, Departments: departments(people)}
	for _, x := range people {
		if v := ViewPerson(x, byPerson[x.ID], now); f.Keep(v) {
			out.People = append(out.People, v)
		}
	}
	return out, nil
}

// Departments lists the roster's departments, sorted: what the people and
// training pages offer to filter by, without the roster's checklists.
func (a *App) Departments(ctx context.Context, p Principal) ([]string, error) {
	if err := mayReadPeople(p); err != nil {
		return nil, err
	}
	people, err := p.Org.People(ctx)
	if err != nil {
		return nil, err
	}
	return departments(people), nil
}

func departments(people []assay.Person) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range people {
		if x.Department != "" && !seen[x.Department] {
			seen[x.Department] = true
			out = append(out, x.Department)
		}
	}
	slices.Sort(out)
	return out
}

// Person is one person with their checklists (computed items filled in)
// and training.
func (a *App) Person(ctx context.Context, p Principal, id int64) (PersonDetail, error) {
	if err := mayReadPeople(p); err != nil {
		return PersonDetail{}, err
	}
	person, err := p.Org.Person(ctx, id)
	if err != nil {
		return PersonDetail{}, err
	}
	return a.personDetail(ctx, p, person)
}

func (a *App) personDetail(ctx context.Context, p Principal, person assay.Person) (PersonDetail, error) {
	now := a.clock.Now()
	training, err := p.Org.TrainingAssignments(ctx, assay.TrainingFilter{PersonID: person.ID})
	if err != nil {
		return PersonDetail{}, err
	}
	items, err := rules.PersonChecklist(ctx, p.Org, now, person, training)
	if err != nil {
		return PersonDetail{}, err
	}
	d := PersonDetail{PersonView: ViewPerson(person, items, now), Training: training, Checklist: []ChecklistView{}}
	for _, it := range items {
		d.Checklist = append(d.Checklist, ViewChecklistItem(it, now))
	}
	return d, nil
}

// CreatePerson adds a person: with a start date their onboarding checklist
// opens and the courses required at hire are assigned; with an end date
// their offboarding checklist opens, due in business days.
func (a *App) CreatePerson(ctx context.Context, p Principal, n assay.NewPerson) (PersonDetail, error) {
	if err := mayManagePeople(p); err != nil {
		return PersonDetail{}, err
	}
	if err := n.Validate(); err != nil {
		return PersonDetail{}, err
	}
	person, err := p.Org.CreatePerson(ctx, p.Actor(), n)
	if err != nil {
		return PersonDetail{}, err
	}
	return a.personDetail(ctx, p, person)
}

// UpdatePerson changes the fields of patch; setting an end date opens the
// offboarding checklist (or moves its due dates).
func (a *App) UpdatePerson(ctx context.Context, p Principal, id int64, patch assay.PersonPatch) (PersonDetail, error) {
	if err := mayManagePeople(p); err != nil {
		return PersonDetail{}, err
	}
	person, err := p.Org.UpdatePerson(ctx, p.Actor(), id, patch)
	if err != nil {
		return PersonDetail{}, err
	}
	return a.personDetail(ctx, p, person)
}

// RosterByEmail is the roster by normalised e-mail address, which an
// import reads its file against (a column the file leaves out keeps the
// value of a person already there). Only those who may import read it.
func (a *App) RosterByEmail(ctx context.Context, p Principal) (map[string]assay.Person, error) {
	if err := mayManagePeople(p); err != nil {
		return nil, err
	}
	people, err := p.Org.People(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]assay.Person, len(people))
	for _, x := range people {
		out[assay.NormalizeEmail(x.Email)] = x
	}
	return out, nil
}

// ImportPeople adds or updates (by e-mail) every parsed row, all or none,
// in one transaction. A bad row fails the import with "Row N" (from 0),
// which the adapter that parsed the file turns into its line.
func (a *App) ImportPeople(ctx context.Context, p Principal, rows []assay.NewPerson) (assay.PeopleImportResult, error) {
	if err := mayManagePeople(p); err != nil {
		return assay.PeopleImportResult{}, err
	}
	return p.Org.ImportPeople(ctx, p.Actor(), rows)
}
