package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// insertAssignment assigns a course to a person unless they have it; it
// returns the new assignment's id, or 0 when there was one already.
func (s *orgStore) insertAssignment(tx *Tx, courseID, personID int64, due time.Time) (int64, error) {
	var id int64
	err := tx.queryRow(`INSERT INTO training_assignments (org_id, course_id, person_id, due_date, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, course_id, person_id) DO NOTHING RETURNING id`,
		s.orgID, courseID, personID, assay.Day(due).Format(assay.DateLayout), string(assay.TrainingPending), formatTime(tx.now)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("insert training assignment: %w", err)
	}
	return id, nil
}

// assignHireTraining assigns every course required at hire to a new person.
func (s *orgStore) assignHireTraining(tx *Tx, actor assay.Actor, p assay.Person, due time.Time) error {
	rows, err := tx.query(`SELECT id, name FROM training_courses WHERE org_id = ? AND required_at_hire = 1 ORDER BY id`, s.orgID)
	if err != nil {
		return fmt.Errorf("hire courses: %w", err)
	}
	type course struct {
		id   int64
		name string
	}
	var list []course
	for rows.Next() {
		var c course
		if err := rows.Scan(&c.id, &c.name); err != nil {
			rows.Close()
			return fmt.Errorf("hire courses: %w", err)
		}
		list = append(list, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("hire courses: %w", err)
	}
	for _, c := range list {
		id, err := s.insertAssignment(tx, c.id, p.ID, due)
		if err != nil {
			return err
		}
		if id == 0 {
			continue
		}
		if _, err := tx.appendActivity(actor, change{orgID: s.orgID, action: "training.assign", objectType: "training_assignment", objectID: idText(id),
			summary: fmt.Sprintf("%s assigned to %s at hire, due %s", c.name, p.Name, due.Format(assay.DateLayout))}); err != nil {
			return err
		}
	}
	return nil
}

// AssignTraining assigns a course to the listed people, or to every active
// person (of one department, when given).
func (s *orgStore) AssignTraining(ctx context.Context, actor assay.Actor, n assay.NewAssignment) ([]assay.TrainingAssignment, error) {
	if n.Due.IsZero() {
		return nil, assay.Invalid("due", "A due date is required.")
	}
	var ids []int64
	err := s.db.update(ctx, func(tx *Tx) error {
		course, err := s.courseWhere(tx.ctx, tx.Tx, `id = ?`, n.CourseID)
		if err != nil {
			return err
		}
		people := n.PersonIDs
		if len(people) == 0 {
			all, err := s.people(tx.ctx, tx.Tx)
			if err != nil {
				return err
			}
			for _, p := range all {
				if p.Status == assay.PersonActive && (n.Department == "" || strings.EqualFold(p.Department, strings.TrimSpace(n.Department))) {
					people = append(people, p.ID)
				}
			}
			if len(people) == 0 {
				return assay.Invalid("department", "Nobody active matches; nothing was assigned.")
			}
		}
		for _, pid := range people {
			p, err := s.personWhere(tx.ctx, tx.Tx, `id = ?`, pid)
			if err != nil {
				return err
			}
			id, err := s.insertAssignment(tx, course.ID, p.ID, n.Due)
			if err != nil {
				return err
			}
			if id == 0 {
				continue
			}
			if _, err := tx.appendActivity(actor, change{orgID: s.orgID, action: "training.assign", objectType: "training_assignment", objectID: idText(id),
				summary: fmt.Sprintf("%s assigned to %s, due %s", course.Name, p.Name, n.Due.Format(assay.DateLayout))}); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]assay.TrainingAssignment, 0, len(ids))
	for _, id := range ids {
		a, err := s.assignment(ctx, s.db.read, id)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// StartTraining moves an open assignment to in progress.
func (s *orgStore) StartTraining(ctx context.Context, actor assay.Actor, id int64) (assay.TrainingAssignment, error) {
	var out assay.TrainingAssignment
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := s.assignment(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		if before.Status == assay.TrainingCompleted {
			return assay.Errorf(assay.ECONFLICT, "%s is already completed.", before.CourseName)
		}
		if before.Status == assay.TrainingInProgress {
			out = before
			return nil
		}
		// A renewal due again starts over: the old completion stays in the evidence.
		if _, err := tx.exec(`UPDATE training_assignments SET status = ?, started_at = ?, completed_at = NULL WHERE org_id = ? AND id = ?`,
			string(assay.TrainingInProgress), formatTime(tx.now), s.orgID, id); err != nil {
			return fmt.Errorf("start training: %w", err)
		}
		if out, err = s.assignment(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "training.start", objectType: "training_assignment", objectID: idText(id),
			summary: fmt.Sprintf("%s started %s", before.PersonName, before.CourseName), before: before, after: out})
		return err
	})
	if err != nil {
		return assay.TrainingAssignment{}, err
	}
	return out, nil
}

// CompleteTraining records an attested completion now.
func (s *orgStore) CompleteTraining(ctx context.Context, actor assay.Actor, id int64, attestation string) (assay.TrainingAssignment, error) {
	var out assay.TrainingAssignment
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := s.assignment(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		if before.Status == assay.TrainingCompleted {
			return assay.Errorf(assay.ECONFLICT, "%s is already completed.", before.CourseName)
		}
		if strings.TrimSpace(attestation) == "" {
			return assay.Invalid("attest", "Tick the attestation to complete %s.", before.CourseName)
		}
		evidence := fmt.Sprintf("Attested by %s at %s: %s", actor.Name, tx.now.Format(time.RFC3339), before.Attestation)
		out, err = s.recordCompletion(tx, actor, before, tx.now, "attested", before.Attestation, evidence)
		return err
	})
	if err != nil {
		return assay.TrainingAssignment{}, err
	}
	return out, nil
}

// recordCompletion marks an assignment completed at and appends the
// completion record, in tx.
func (s *orgStore) recordCompletion(tx *Tx, actor assay.Actor, before assay.TrainingAssignment, at time.Time, source, attestation, evidence string) (assay.TrainingAssignment, error) {
	at = at.UTC().Truncate(time.Microsecond)
	if _, err := tx.exec(`UPDATE training_assignments SET status = ?, completed_at = ?, evidence = ? WHERE org_id = ? AND id = ?`,
		string(assay.TrainingCompleted), formatTime(at), evidence, s.orgID, before.ID); err != nil {
		return before, fmt.Errorf("complete training: %w", err)
	}
	if _, err := tx.exec(`INSERT INTO training_completions (org_id, assignment_id, completed_at, source, attestation, recorded_by_name, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, s.orgID, before.ID, formatTime(at), source, attestation, actor.Name, formatTime(tx.now)); err != nil {
		return before, fmt.Errorf("record training completion: %w", err)
	}
	out, err := s.assignment(tx.ctx, tx.Tx, before.ID)
	if err != nil {
		return out, err
	}
	_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "training.complete", objectType: "training_assignment", objectID: idText(before.ID),
		summary: fmt.Sprintf("%s completed %s (%s)", before.PersonName, before.CourseName, source), before: before, after: out})
	return out, err
}

// ImportCompletions records every completion, all or none.
func (s *orgStore) ImportCompletions(ctx context.Context, actor assay.Actor, list []assay.TrainingCompletion) (int, error) {
	if len(list) == 0 {
		return 0, assay.Invalid("rows", "There is nothing to import.")
	}
	if len(list) > 10000 {
		return 0, assay.Invalid("rows", "Import at most 10000 completions at once.")
	}
	now := s.db.clock.Now()
	for i, c := range list {
		if c.CompletedAt.IsZero() || c.CompletedAt.After(now) {
			return 0, indexed(i, len(list), assay.Invalid("completed_at", "completed_at must be a date not in the future"))
		}
	}
	err := s.db.update(ctx, func(tx *Tx) error {
		for i, c := range list {
			p, err := s.personWhere(tx.ctx, tx.Tx, `email = ?`, assay.NormalizeEmail(c.Email))
			if assay.ErrorCode(err) == assay.ENOTFOUND {
				return indexed(i, len(list), assay.Invalid("email", "nobody on the roster has the address %q", c.Email))
			} else if err != nil {
				return err
			}
			course, err := s.courseWhere(tx.ctx, tx.Tx, `name_key = ?`, courseNameKey(c.Course))
			if assay.ErrorCode(err) == assay.ENOTFOUND {
				return indexed(i, len(list), assay.Invalid("course", "there is no course named %q", c.Course))
			} else if err != nil {
				return err
			}
			if _, err := s.insertAssignment(tx, course.ID, p.ID, c.CompletedAt); err != nil {
				return err
			}
			var aid int64
			if err := tx.queryRow(`SELECT id FROM training_assignments WHERE org_id = ? AND course_id = ? AND person_id = ?`,
				s.orgID, course.ID, p.ID).Scan(&aid); err != nil {
				return fmt.Errorf("find training assignment: %w", err)
			}
			before, err := s.assignment(tx.ctx, tx.Tx, aid)
			if err != nil {
				return err
			}
			// An older record than the one on file is kept as evidence but
			// does not move the completion back.
			if before.CompletedAt != nil && !c.CompletedAt.After(*before.CompletedAt) {
				if _, err := tx.exec(`INSERT INTO training_completions (org_id, assignment_id, completed_at, source, attestation, recorded_by_name, recorded_at)
					VALUES (?, ?, ?, 'imported', '', ?, ?)`, s.orgID, aid, formatTime(c.CompletedAt), actor.Name, formatTime(tx.now)); err != nil {
					return fmt.Errorf("record training completion: %w", err)
				}
				if _, err := tx.appendActivity(actor, change{orgID: s.orgID, action: "training.import", objectType: "training_assignment", objectID: idText(aid),
					summary: fmt.Sprintf("Earlier completion of %s by %s on %s recorded", course.Name, p.Name, c.CompletedAt.UTC().Format(assay.DateLayout))}); err != nil {
					return err
				}
				continue
			}
			evidence := fmt.Sprintf("Imported completion record by %s: completed %s", actor.Name, c.CompletedAt.UTC().Format(time.RFC3339))
			if _, err := s.recordCompletion(tx, actor, before, c.CompletedAt, "imported", "", evidence); err != nil {
				return indexed(i, len(list), err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(list), nil
}
