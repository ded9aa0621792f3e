package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

const checklistColumns = `c.id, c.person_id, p.name, c.kind, c.item_key, c.title, c.assignee, c.due_date, c.done, c.done_at, c.done_by_name, c.note, p.start_date, p.end_date`

const checklistFrom = ` FROM checklist_items c JOIN people p ON p.org_id = c.org_id AND p.id = c.person_id`

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
	// Onboarding is due a fixed time after the start date, worked out when
	// read so that it follows a corrected start date; once the person has
	// left, their onboarding is no longer chased.
	if c.Kind == assay.ChecklistOnboarding && c.Due == nil {
		var p assay.Person
		if p.StartDate, err = parseDatePtr(start); err != nil {
			return c, err
		}
		if p.EndDate, err = parseDatePtr(end); err != nil {
			return c, err
		}
		if p.StatusAt(now) != assay.PersonDeparted {
			c.Due = assay.OnboardingDue(p.StartDate)
		}
	}
	if c.DoneAt, err = parseTimePtr(doneAt); err != nil {
		return c, err
	}
	return c, nil
}

// checklistOrder puts onboarding first and keeps each checklist in the order it was opened.
const checklistOrder = ` ORDER BY p.name ` + `%s, c.person_id, CASE c.kind WHEN 'onboarding' THEN 0 ELSE 1 END, c.id`

// ChecklistItems lists stored checklist items.
func (s *orgStore) ChecklistItems(ctx context.Context, f assay.ChecklistFilter) ([]assay.ChecklistItem, error) {
	q := `SELECT ` + checklistColumns + checklistFrom + ` WHERE c.org_id = ?`
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
	rows, err := s.db.query(ctx, q+fmt.Sprintf(checklistOrder, s.db.dialect.Binary()), args...)
	if err != nil {
		return nil, fmt.Errorf("list checklist items: %w", err)
	}
	defer rows.Close()
	out := []assay.ChecklistItem{}
	for rows.Next() {
		c, err := scanChecklistItem(rows, s.db.clock.Now())
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
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
