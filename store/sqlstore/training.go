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

const courseColumns = `id, name, link, description, renewal_months, attestation, required_at_hire, security, created_at`

func scanCourse(row interface{ Scan(...any) error }) (assay.Course, error) {
	var c assay.Course
	var hire, security int
	var created string
	err := row.Scan(&c.ID, &c.Name, &c.Link, &c.Description, &c.RenewalMonths, &c.Attestation, &hire, &security, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return c, assay.Errorf(assay.ENOTFOUND, "Course not found.")
	} else if err != nil {
		return c, fmt.Errorf("scan course: %w", err)
	}
	c.RequiredAtHire, c.Security = hire != 0, security != 0
	c.CreatedAt, err = parseTime(created)
	return c, err
}

func (s *orgStore) courseWhere(ctx context.Context, q rowQuerier, where string, args ...any) (assay.Course, error) {
	return scanCourse(q.QueryRowContext(ctx, s.db.q(`SELECT `+courseColumns+` FROM training_courses WHERE org_id = ? AND `+where),
		append([]any{s.orgID}, args...)...))
}

// Courses lists the courses by name.
func (s *orgStore) Courses(ctx context.Context) ([]assay.Course, error) {
	rows, err := s.db.query(ctx, `SELECT `+courseColumns+` FROM training_courses WHERE org_id = ? ORDER BY name_key `+s.db.dialect.Binary()+`, id`, s.orgID)
	if err != nil {
		return nil, fmt.Errorf("list courses: %w", err)
	}
	defer rows.Close()
	out := []assay.Course{}
	for rows.Next() {
		c, err := scanCourse(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Course returns one course.
func (s *orgStore) Course(ctx context.Context, id int64) (assay.Course, error) {
	return s.courseWhere(ctx, s.db.read, `id = ?`, id)
}

func courseNameKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// CreateCourse adds a course.
func (s *orgStore) CreateCourse(ctx context.Context, actor assay.Actor, n assay.NewCourse) (assay.Course, error) {
	if err := n.Validate(); err != nil {
		return assay.Course{}, err
	}
	var out assay.Course
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		if _, err := s.courseWhere(tx.ctx, tx.Tx, `name_key = ?`, courseNameKey(n.Name)); err == nil {
			return assay.Invalid("name", "There is already a course named %q.", n.Name)
		}
		var id int64
		err := tx.queryRow(`INSERT INTO training_courses (org_id, name, name_key, link, description, renewal_months, attestation, required_at_hire, security, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, s.orgID, n.Name, courseNameKey(n.Name), n.Link, n.Description, *n.RenewalMonths,
			n.Attestation, boolInt(n.RequiredAtHire), boolInt(n.Security), formatTime(tx.now)).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert course: %w", err)
		}
		if out, err = s.courseWhere(tx.ctx, tx.Tx, `id = ?`, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "course.create", objectType: "course", objectID: idText(id),
			summary: "Training course added: " + n.Name, after: out})
		return err
	})
	if err != nil {
		return assay.Course{}, err
	}
	return out, nil
}

// UpdateCourse replaces a course's fields.
func (s *orgStore) UpdateCourse(ctx context.Context, actor assay.Actor, id int64, n assay.NewCourse) (assay.Course, error) {
	if err := n.Validate(); err != nil {
		return assay.Course{}, err
	}
	var out assay.Course
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := s.courseWhere(tx.ctx, tx.Tx, `id = ?`, id)
		if err != nil {
			return err
		}
		if other, err := s.courseWhere(tx.ctx, tx.Tx, `name_key = ?`, courseNameKey(n.Name)); err == nil && other.ID != id {
			return assay.Invalid("name", "There is already a course named %q.", n.Name)
		}
		if _, err := tx.exec(`UPDATE training_courses SET name = ?, name_key = ?, link = ?, description = ?, renewal_months = ?, attestation = ?,
			required_at_hire = ?, security = ? WHERE org_id = ? AND id = ?`, n.Name, courseNameKey(n.Name), n.Link, n.Description, *n.RenewalMonths,
			n.Attestation, boolInt(n.RequiredAtHire), boolInt(n.Security), s.orgID, id); err != nil {
			return fmt.Errorf("update course: %w", err)
		}
		if out, err = s.courseWhere(tx.ctx, tx.Tx, `id = ?`, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "course.update", objectType: "course", objectID: idText(id),
			summary: "Training course updated: " + n.Name, before: before, after: out})
		return err
	})
	if err != nil {
		return assay.Course{}, err
	}
	return out, nil
}

const assignmentColumns = `a.id, a.course_id, c.name, c.link, c.attestation, c.renewal_months, c.security, a.person_id, p.name, p.email,
	a.due_date, a.status, a.started_at, a.completed_at, a.evidence, a.created_at`

const assignmentFrom = ` FROM training_assignments a
	JOIN training_courses c ON c.org_id = a.org_id AND c.id = a.course_id
	JOIN people p ON p.org_id = a.org_id AND p.id = a.person_id`

func scanAssignment(row interface{ Scan(...any) error }, now time.Time) (assay.TrainingAssignment, error) {
	var a assay.TrainingAssignment
	var security int
	var due, created string
	var started, completed sql.NullString
	err := row.Scan(&a.ID, &a.CourseID, &a.CourseName, &a.CourseLink, &a.Attestation, &a.RenewalMonths, &security, &a.PersonID, &a.PersonName,
		&a.PersonEmail, &due, &a.StoredStatus, &started, &completed, &a.Evidence, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return a, assay.Errorf(assay.ENOTFOUND, "Training assignment not found.")
	} else if err != nil {
		return a, fmt.Errorf("scan training assignment: %w", err)
	}
	a.Security = security != 0
	if a.Due, err = time.Parse(assay.DateLayout, due); err != nil {
		return a, fmt.Errorf("stored due date %q: %w", due, err)
	}
	if a.StartedAt, err = parseTimePtr(started); err != nil {
		return a, err
	}
	if a.CompletedAt, err = parseTimePtr(completed); err != nil {
		return a, err
	}
	if a.CreatedAt, err = parseTime(created); err != nil {
		return a, err
	}
	return a.Derive(now), nil
}

func (s *orgStore) assignment(ctx context.Context, q rowQuerier, id int64) (assay.TrainingAssignment, error) {
	return scanAssignment(q.QueryRowContext(ctx, s.db.q(`SELECT `+assignmentColumns+assignmentFrom+` WHERE a.org_id = ? AND a.id = ?`), s.orgID, id),
		s.db.clock.Now())
}

// TrainingAssignments lists assignments by person, then course.
func (s *orgStore) TrainingAssignments(ctx context.Context, f assay.TrainingFilter) ([]assay.TrainingAssignment, error) {
	q := `SELECT ` + assignmentColumns + assignmentFrom + ` WHERE a.org_id = ?`
	args := []any{s.orgID}
	if f.PersonID != 0 {
		q += ` AND a.person_id = ?`
		args = append(args, f.PersonID)
	}
	if f.CourseID != 0 {
		q += ` AND a.course_id = ?`
		args = append(args, f.CourseID)
	}
	b := s.db.dialect.Binary()
	rows, err := s.db.query(ctx, q+` ORDER BY p.name `+b+`, c.name_key `+b+`, a.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list training assignments: %w", err)
	}
	defer rows.Close()
	now := s.db.clock.Now()
	out := []assay.TrainingAssignment{}
	for rows.Next() {
		a, err := scanAssignment(rows, now)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// TrainingAssignment returns one assignment.
func (s *orgStore) TrainingAssignment(ctx context.Context, id int64) (assay.TrainingAssignment, error) {
	return s.assignment(ctx, s.db.read, id)
}
