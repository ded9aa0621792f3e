package app

import (
	"context"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app/rules"
)

// CompleteChecklistItem marks a manual checklist item done (or, for an
// admin, undone) with a note. Admins tick any item; anyone else only an
// item of their own checklist that is assigned to them, and only done.
func (a *App) CompleteChecklistItem(ctx context.Context, p Principal, id int64, done bool, note string) (ChecklistView, error) {
	if err := mayManagePeople(p); err != nil {
		if err := a.mayCompleteOwnItem(ctx, p, id, done); err != nil {
			return ChecklistView{}, err
		}
	}
	it, err := p.Org.CompleteChecklistItem(ctx, p.Actor(), id, done, note)
	if err != nil {
		return ChecklistView{}, err
	}
	return ViewChecklistItem(it, a.clock.Now()), nil
}

// mayCompleteOwnItem: the item must be on the principal's own checklist
// and assigned to them (the employee), and they may only mark it done.
func (a *App) mayCompleteOwnItem(ctx context.Context, p Principal, id int64, done bool) error {
	if err := mayUsePortal(p); err != nil {
		return err
	}
	person, err := a.CurrentPerson(ctx, p)
	if err != nil {
		return notLinked(p, err, "checklist item")
	}
	items, err := p.Org.ChecklistItems(ctx, assay.ChecklistFilter{PersonID: person.ID})
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.ID != id || it.Assignee != assay.AssigneeEmployee {
			continue
		}
		if !done {
			return assay.Errorf(assay.EFORBIDDEN, "Only an admin reopens a checklist item.")
		}
		return nil
	}
	return notYours(p, "checklist item")
}

// OverdueOffboarding counts open offboarding items past their due date
// (the dashboard's tile and the roster's banner).
func (a *App) OverdueOffboarding(ctx context.Context, p Principal) (int, error) {
	if err := mayReadPeople(p); err != nil {
		return 0, err
	}
	// Counted once per change and minute (the dashboard and the people page show it).
	return rules.Derived(p.Org, "overdue-offboarding", func() (int, error) {
		items, err := p.Org.ChecklistItems(ctx, assay.ChecklistFilter{Kind: assay.ChecklistOffboarding, OpenOnly: true})
		if err != nil {
			return 0, err
		}
		now, n := a.clock.Now(), 0
		for _, it := range items {
			if it.OverdueAt(now) {
				n++
			}
		}
		return n, nil
	})
}

// CompleteOwnChecklistItem is the portal's tick: the principal marks done
// an item of their own checklist that is assigned to them, whatever their
// role (an admin ticks others' items on the person's page).
func (a *App) CompleteOwnChecklistItem(ctx context.Context, p Principal, id int64, note string) (ChecklistView, error) {
	if err := a.mayCompleteOwnItem(ctx, p, id, true); err != nil {
		return ChecklistView{}, err
	}
	it, err := p.Org.CompleteChecklistItem(ctx, p.Actor(), id, true, note)
	if err != nil {
		return ChecklistView{}, err
	}
	return ViewChecklistItem(it, a.clock.Now()), nil
}
