package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

const checklistColumns = `c.id, c.person_id, p.name, c.kind, c.item_key, c.title, c.assignee, c.due_date, c.done, c.done_at, c.done_by_name, c.note, p.start_date, p.end_date`

const checklistFrom = ` FROM checklist_items c JOIN people p ON p.org_id = c.org_id AND p.id = c.person_id`

// checklistBriefColumns are those ChecklistFilter.Brief reads.
const checklistBriefColumns = `c.id, c.person_id, c.kind, c.item_key, c.assignee, c.due_date, c.done, p.start_date, p.end_date`

func scanChecklistBrief(row interface{ Scan(...any) error }, now time.Time) (assay.ChecklistItem, error) {
	var c assay.ChecklistItem
	var due, start, end sql.NullString
	var done int
	if err := row.Scan(&c.ID, &c.PersonID, &c.Kind, &c.Key, &c.Assignee, &due, &done, &start, &end); err != nil {
		return c, fmt.Errorf("scan checklist item: %w", err)
	}
	c.Done, c.Auto = done != 0, c.Assignee == assay.AssigneeSystem
	var err error
	if c.Due, err = parseDatePtr(due); err != nil {
		return c, err
	}
	return c, onboardingDue(&c, start, end, now)
}

// onboardingDue fills in the due date of an onboarding item stored
// without one from the person's start and end dates.
func onboardingDue(c *assay.ChecklistItem, start, end sql.NullString, now time.Time) error {
	// Onboarding is due a fixed time after the start date, worked out when
	// read so that it follows a corrected start date; once the person has
	// left, their onboarding is no longer chased.
	if c.Kind != assay.ChecklistOnboarding || c.Due != nil {
		return nil
	}
	var p assay.Person
	var err error
	if p.StartDate, err = parseDatePtr(start); err != nil {
		return err
	}
	if p.EndDate, err = parseDatePtr(end); err != nil {
		return err
	}
	if p.StatusAt(now) != assay.PersonDeparted {
		c.Due = assay.OnboardingDue(p.StartDate)
	}
	return nil
}

func scanChecklistItem(row interface{ Scan(...any) error }, now time.Time) (assay.ChecklistItem, error) {
	var c assay.ChecklistItem
	var due, doneAt, start, end sql.NullString
	var done int
	err := row.Scan(&c.ID, &c.PersonID, &c.PersonName, &c.Kind, &c.Key, &c.Title, &c.Assignee, &due, &done, &doneAt, &c.DoneByName, &c.Note, &start, &end)
	if errors.Is(err, sql.ErrNoRows) {
		return c, assay.Errorf(assay.ENOTFOUND, "Checklist item not found.")
	} else if err != nil {
		return c, fmt.Errorf("scan checklist item: %w", err)
	}
	c.Done, c.Auto = done != 0, c.Assignee == assay.AssigneeSystem
	if c.Due, err = parseDatePtr(due); err != nil {
		return c, err
	}
	if err := onboardingDue(&c, start, end, now); err != nil {
		return c, err
	}
	if c.DoneAt, err = parseTimePtr(doneAt); err != nil {
		return c, err
	}
	return c, nil
}

// sortChecklist orders items by person name (bytes), person, onboarding
// before offboarding, then the order the items were opened (id): in Go,
// where it costs a fraction of the database's sort of the joined rows.
func sortChecklist(items []assay.ChecklistItem) {
	rank := func(k assay.ChecklistKind) int {
		if k == assay.ChecklistOnboarding {
			return 0
		}
		return 1
	}
	slices.SortFunc(items, func(a, b assay.ChecklistItem) int {
		return cmp.Or(strings.Compare(a.PersonName, b.PersonName), cmp.Compare(a.PersonID, b.PersonID), cmp.Compare(rank(a.Kind), rank(b.Kind)), cmp.Compare(a.ID, b.ID))
	})
}

// ChecklistItems lists stored checklist items.
func (s *orgStore) ChecklistItems(ctx context.Context, f assay.ChecklistFilter) ([]assay.ChecklistItem, error) {
	q := `SELECT ` + checklistColumns + checklistFrom + ` WHERE c.org_id = ?`
	if f.Brief {
		q = `SELECT ` + checklistBriefColumns + checklistFrom + ` WHERE c.org_id = ?`
	}
	args := []any{s.orgID}
	if f.PersonID != 0 {
		q += ` AND c.person_id = ?`
		args = append(args, f.PersonID)
	}
	if f.Kind != "" {
		if f.Kind != assay.ChecklistOnboarding && f.Kind != assay.ChecklistOffboarding {
			return nil, assay.Invalid("kind", "Unknown checklist %q; use onboarding or offboarding.", f.Kind)
		}
		q += ` AND c.kind = ?`
		args = append(args, string(f.Kind))
	}
	if f.OpenOnly {
		q += ` AND c.done = 0`
	}
	rows, err := s.db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list checklist items: %w", err)
	}
	defer rows.Close()
	out := []assay.ChecklistItem{}
	now := s.db.clock.Now()
	for rows.Next() {
		var c assay.ChecklistItem
		var err error
		if f.Brief {
			c, err = scanChecklistBrief(rows, now)
		} else {
			c, err = scanChecklistItem(rows, now)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !f.Brief {
		sortChecklist(out)
	}
	return out, nil
}

func (s *orgStore) checklistItem(ctx context.Context, q rowQuerier, id int64) (assay.ChecklistItem, error) {
	return scanChecklistItem(q.QueryRowContext(ctx, s.db.q(`SELECT `+checklistColumns+checklistFrom+` WHERE c.org_id = ? AND c.id = ?`), s.orgID, id), s.db.clock.Now())
}

// CompleteChecklistItem marks a manual item done or open again.
func (s *orgStore) CompleteChecklistItem(ctx context.Context, actor assay.Actor, itemID int64, done bool, note string) (assay.ChecklistItem, error) {
	note = strings.TrimSpace(note)
	if len(note) > assay.MaxChecklistNote {
		return assay.ChecklistItem{}, assay.Invalid("note", "The note is longer than %d characters.", assay.MaxChecklistNote)
	}
	var out assay.ChecklistItem
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := s.checklistItem(tx.ctx, tx.Tx, itemID)
		if err != nil {
			return err
		}
		if before.Key == assay.ItemSecurityTraining || (before.Key == assay.ItemPoliciesAccepted && store.PoliciesTracked(s)) {
			return assay.Invalid("item", "%q is worked out from other records and cannot be ticked by hand.", before.Title)
		}
		var doneAt any
		by := ""
		if done {
			doneAt, by = formatTime(tx.now), actor.Name
		}
		if _, err := tx.exec(`UPDATE checklist_items SET done = ?, done_at = ?, done_by_name = ?, note = ? WHERE org_id = ? AND id = ?`,
			boolInt(done), doneAt, by, note, s.orgID, itemID); err != nil {
			return fmt.Errorf("update checklist item: %w", err)
		}
		if out, err = s.checklistItem(tx.ctx, tx.Tx, itemID); err != nil {
			return err
		}
		verb := "completed"
		if !done {
			verb = "reopened"
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "checklist.complete", objectType: "person", objectID: idText(out.PersonID),
			summary: fmt.Sprintf("%s checklist item %q %s for %s", out.Kind, out.Title, verb, out.PersonName), before: before, after: out})
		return err
	})
	if err != nil {
		return assay.ChecklistItem{}, err
	}
	return out, nil
}
