package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/assay-platform/assay"
)

const correctiveColumns = `a.id, a.source, a.source_ref, a.incident_id, a.title, a.root_cause, a.action, a.owner_id, COALESCE(u.name, ''),
	a.due_date, a.status, a.verified_by_name, a.verified_at, a.verification_notes, a.created_at, a.updated_at`

const correctiveFrom = ` FROM corrective_actions a LEFT JOIN users u ON u.org_id = a.org_id AND u.id = a.owner_id`

func scanCorrective(row interface{ Scan(...any) error }) (assay.CorrectiveAction, error) {
	var c assay.CorrectiveAction
	var incident, owner sql.NullInt64
	var due, created, updated string
	var verified sql.NullString
	err := row.Scan(&c.ID, &c.Source, &c.SourceRef, &incident, &c.Title, &c.RootCause, &c.Action, &owner, &c.OwnerName,
		&due, &c.Status, &c.VerifiedByName, &verified, &c.VerificationNotes, &created, &updated)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return c, assay.Errorf(assay.ENOTFOUND, "Corrective action not found.")
		}
		return c, fmt.Errorf("scan corrective action: %w", err)
	}
	c.IncidentID, c.OwnerID = incident.Int64, owner.Int64
	if c.DueDate, err = parseTime(due); err != nil {
		return c, err
	}
	if c.CreatedAt, err = parseTime(created); err != nil {
		return c, err
	}
	if c.UpdatedAt, err = parseTime(updated); err != nil {
		return c, err
	}
	if c.VerifiedAt, err = parseTimePtr(verified); err != nil {
		return c, err
	}
	return c, nil
}

func (s *orgStore) correctiveByID(ctx context.Context, q rowQuerier, id int64) (assay.CorrectiveAction, error) {
	return scanCorrective(q.QueryRowContext(ctx, s.db.q(`SELECT `+correctiveColumns+correctiveFrom+` WHERE a.org_id = ? AND a.id = ?`), s.orgID, id))
}

// CorrectiveAction returns one corrective action.
func (s *orgStore) CorrectiveAction(ctx context.Context, id int64) (assay.CorrectiveAction, error) {
	return s.correctiveByID(ctx, s.db.read, id)
}

// CorrectiveActions lists the register, soonest due first.
func (s *orgStore) CorrectiveActions(ctx context.Context, f assay.CorrectiveFilter) ([]assay.CorrectiveAction, error) {
	q := `SELECT ` + correctiveColumns + correctiveFrom + ` WHERE a.org_id = ?`
	args := []any{s.orgID}
	if f.Status != "" {
		if !f.Status.Valid() {
			return nil, assay.Invalid("status", "Unknown status %q; use open, in_progress, done or verified.", f.Status)
		}
		q += ` AND a.status = ?`
		args = append(args, string(f.Status))
	}
	if f.Source != "" {
		if !f.Source.Valid() {
			return nil, assay.Invalid("source", "Unknown source %q; use manual, incident_review, audit_exception, failing_check or access_review.", f.Source)
		}
		q += ` AND a.source = ?`
		args = append(args, string(f.Source))
	}
	if f.OwnerID != 0 {
		q += ` AND a.owner_id = ?`
		args = append(args, f.OwnerID)
	}
	if f.IncidentID != 0 {
		q += ` AND a.incident_id = ?`
		args = append(args, f.IncidentID)
	}
	if f.Overdue {
		q += ` AND a.status IN ('open', 'in_progress') AND a.due_date < ?`
		args = append(args, formatTime(assay.Day(s.db.clock.Now())))
	}
	rows, err := s.db.query(ctx, q+` ORDER BY a.due_date, a.id LIMIT 5000`, args...)
	if err != nil {
		return nil, fmt.Errorf("list corrective actions: %w", err)
	}
	defer rows.Close()
	out := []assay.CorrectiveAction{}
	for rows.Next() {
		c, err := scanCorrective(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// insertCorrective records a validated action and its activity entry.
func (s *orgStore) insertCorrective(tx *Tx, actor assay.Actor, n assay.NewCorrectiveAction) (assay.CorrectiveAction, error) {
	if n.OwnerID != 0 {
		owner, err := tx.user(s.orgID, n.OwnerID)
		if assay.ErrorCode(err) == assay.ENOTFOUND {
			return assay.CorrectiveAction{}, assay.Invalid("owner_id", "No user %d in this organisation.", n.OwnerID)
		} else if err != nil {
			return assay.CorrectiveAction{}, err
		}
		if owner.Disabled || (owner.Role != assay.RoleAdmin && owner.Role != assay.RoleMember) {
			return assay.CorrectiveAction{}, assay.Invalid("owner_id", "%s cannot own a corrective action; choose an active admin or member.", owner.Name)
		}
	}
	if n.IncidentID != 0 {
		if _, err := s.incidentByID(tx.ctx, tx.Tx, n.IncidentID); assay.ErrorCode(err) == assay.ENOTFOUND {
			return assay.CorrectiveAction{}, assay.Invalid("incident_id", "No incident %d in this organisation.", n.IncidentID)
		} else if err != nil {
			return assay.CorrectiveAction{}, err
		}
	}
	now := formatTime(tx.now)
	var id int64
	err := tx.queryRow(`INSERT INTO corrective_actions (org_id, source, source_ref, incident_id, title, root_cause, action, owner_id, due_date,
		status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		s.orgID, string(n.Source), n.SourceRef, nullInt(n.IncidentID), n.Title, n.RootCause, n.Action, nullInt(n.OwnerID), formatTime(n.DueDate),
		string(assay.CorrectiveOpen), now, now).Scan(&id)
	if err != nil {
		return assay.CorrectiveAction{}, fmt.Errorf("insert corrective action: %w", err)
	}
	out, err := s.correctiveByID(tx.ctx, tx.Tx, id)
	if err != nil {
		return out, err
	}
	_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "corrective_action.create", objectType: "corrective_action", objectID: idText(id),
		summary: fmt.Sprintf("Corrective action %d opened (%s): %s", id, n.Source, n.Title), after: out})
	return out, err
}

// CreateCorrectiveAction records a corrective action.
func (s *orgStore) CreateCorrectiveAction(ctx context.Context, actor assay.Actor, n assay.NewCorrectiveAction) (assay.CorrectiveAction, error) {
	list, err := s.ImportCorrectiveActions(ctx, actor, []assay.NewCorrectiveAction{n})
	if err != nil {
		return assay.CorrectiveAction{}, err
	}
	return list[0], nil
}

// ImportCorrectiveActions records every action of list in one transaction.
func (s *orgStore) ImportCorrectiveActions(ctx context.Context, actor assay.Actor, list []assay.NewCorrectiveAction) ([]assay.CorrectiveAction, error) {
	if len(list) == 0 {
		return nil, assay.Invalid("rows", "There is nothing to import.")
	}
	if len(list) > 5000 {
		return nil, assay.Invalid("rows", "Import at most 5000 corrective actions at once.")
	}
	for i := range list {
		if err := list[i].Validate(); err != nil {
			return nil, indexed(i, len(list), err)
		}
	}
	out := make([]assay.CorrectiveAction, 0, len(list))
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		for i, n := range list {
			c, err := s.insertCorrective(tx, actor, n)
			if err != nil {
				return indexed(i, len(list), err)
			}
			out = append(out, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// indexed names the row at fault when there is more than one.
func indexed(i, n int, err error) error {
	var e *assay.Error
	if n == 1 || !errors.As(err, &e) {
		return err
	}
	return &assay.Error{Code: e.Code, Field: e.Field, Message: fmt.Sprintf("Row %d: %s", i, e.Message)}
}

// UpdateCorrectiveAction changes a corrective action.
func (s *orgStore) UpdateCorrectiveAction(ctx context.Context, actor assay.Actor, id int64, p assay.CorrectivePatch) (assay.CorrectiveAction, error) {
	if p.Status != nil && !p.Status.Valid() {
		return assay.CorrectiveAction{}, assay.Invalid("status", "Unknown status %q; use open, in_progress, done or verified.", *p.Status)
	}
	if p.Action != nil && strings.TrimSpace(*p.Action) == "" {
		return assay.CorrectiveAction{}, assay.Invalid("action", "The action cannot be empty.")
	}
	for _, t := range []*string{p.Action, p.RootCause, p.VerificationNotes} {
		if t != nil && utf8.RuneCountInString(*t) > assay.MaxIncidentText {
			return assay.CorrectiveAction{}, assay.Invalid("action", "A field is longer than %d characters.", assay.MaxIncidentText)
		}
	}
	var out assay.CorrectiveAction
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := s.correctiveByID(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		after := before
		if p.Action != nil {
			after.Action = strings.TrimSpace(*p.Action)
		}
		if p.RootCause != nil {
			after.RootCause = strings.TrimSpace(*p.RootCause)
		}
		if p.DueDate != nil {
			if p.DueDate.IsZero() {
				return assay.Invalid("due_date", "Give a due date.")
			}
			after.DueDate = assay.Day(*p.DueDate)
		}
		if p.OwnerID != nil && *p.OwnerID != before.OwnerID {
			if *p.OwnerID != 0 {
				owner, err := tx.user(s.orgID, *p.OwnerID)
				if assay.ErrorCode(err) == assay.ENOTFOUND {
					return assay.Invalid("owner_id", "No user %d in this organisation.", *p.OwnerID)
				} else if err != nil {
					return err
				}
				if owner.Disabled || (owner.Role != assay.RoleAdmin && owner.Role != assay.RoleMember) {
					return assay.Invalid("owner_id", "%s cannot own a corrective action; choose an active admin or member.", owner.Name)
				}
			}
			after.OwnerID = *p.OwnerID
		}
		var verifiedAt any
		if p.Status != nil {
			after.Status = *p.Status
		}
		if after.Status == assay.CorrectiveVerified {
			if before.Status != assay.CorrectiveVerified {
				if before.Status != assay.CorrectiveDone {
					return assay.Errorf(assay.ECONFLICT, "Corrective action %d is %s; mark it done before verifying it.", id, before.Status)
				}
				notes := ""
				if p.VerificationNotes != nil {
					notes = strings.TrimSpace(*p.VerificationNotes)
				}
				if notes == "" {
					return assay.Invalid("verification_notes", "Say how the action was shown to be effective.")
				}
				after.VerificationNotes, after.VerifiedByName = notes, actor.Name
				t := tx.now
				after.VerifiedAt = &t
			}
			verifiedAt = formatTimePtr(after.VerifiedAt)
		} else {
			after.VerifiedByName, after.VerifiedAt = "", nil
			if p.VerificationNotes != nil {
				after.VerificationNotes = strings.TrimSpace(*p.VerificationNotes)
			}
		}
		if _, err := tx.exec(`UPDATE corrective_actions SET action = ?, root_cause = ?, due_date = ?, owner_id = ?, status = ?, verified_by_name = ?,
			verified_at = ?, verification_notes = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
			after.Action, after.RootCause, formatTime(after.DueDate), nullInt(after.OwnerID), string(after.Status), after.VerifiedByName,
			verifiedAt, after.VerificationNotes, formatTime(tx.now), s.orgID, id); err != nil {
			return fmt.Errorf("update corrective action %d: %w", id, err)
		}
		if out, err = s.correctiveByID(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		summary := fmt.Sprintf("Corrective action %d updated", id)
		if out.Status != before.Status {
			summary = fmt.Sprintf("Corrective action %d: %s to %s", id, before.Status, out.Status)
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "corrective_action.update", objectType: "corrective_action", objectID: idText(id),
			summary: summary, before: before, after: out})
		return err
	})
	if err != nil {
		return assay.CorrectiveAction{}, err
	}
	return out, nil
}
