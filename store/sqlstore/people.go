package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/assay-platform/assay"
)

const personColumns = `id, org_id, name, email, title, department, manager_email, start_date, end_date, employment_type, created_at, updated_at`

// HireTrainingDays is how long a new person has for the courses required
// at hire, counted from the start date (or today, if later).
const HireTrainingDays = 30

func scanPerson(row interface{ Scan(...any) error }, now time.Time) (assay.Person, error) {
	var p assay.Person
	var start, end sql.NullString
	var created, updated string
	err := row.Scan(&p.ID, &p.OrgID, &p.Name, &p.Email, &p.Title, &p.Department, &p.ManagerEmail, &start, &end,
		&p.EmploymentType, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return p, assay.Errorf(assay.ENOTFOUND, "Person not found.")
	} else if err != nil {
		return p, fmt.Errorf("scan person: %w", err)
	}
	if p.StartDate, err = parseDatePtr(start); err != nil {
		return p, err
	}
	if p.EndDate, err = parseDatePtr(end); err != nil {
		return p, err
	}
	if p.CreatedAt, err = parseTime(created); err != nil {
		return p, err
	}
	if p.UpdatedAt, err = parseTime(updated); err != nil {
		return p, err
	}
	p.Status = p.StatusAt(now)
	return p, nil
}

func parseDatePtr(s sql.NullString) (*time.Time, error) {
	if !s.Valid || s.String == "" {
		return nil, nil
	}
	t, err := time.Parse(assay.DateLayout, s.String)
	if err != nil {
		return nil, fmt.Errorf("stored date %q: %w", s.String, err)
	}
	return &t, nil
}

func formatDatePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return assay.FormatDate(t)
}

func (s *orgStore) personWhere(ctx context.Context, q rowQuerier, where string, args ...any) (assay.Person, error) {
	return scanPerson(q.QueryRowContext(ctx, s.db.q(`SELECT `+personColumns+` FROM people WHERE org_id = ? AND `+where),
		append([]any{s.orgID}, args...)...), s.db.clock.Now())
}

// People lists everyone on the roster, by name.
func (s *orgStore) People(ctx context.Context) ([]assay.Person, error) {
	return s.people(ctx, s.db.read)
}

func (s *orgStore) people(ctx context.Context, q rowQuerier) ([]assay.Person, error) {
	rows, err := q.QueryContext(ctx, s.db.q(`SELECT `+personColumns+` FROM people WHERE org_id = ? ORDER BY name `+s.db.dialect.Binary()+`, id`), s.orgID)
	if err != nil {
		return nil, fmt.Errorf("list people: %w", err)
	}
	defer rows.Close()
	now := s.db.clock.Now()
	out := []assay.Person{}
	for rows.Next() {
		p, err := scanPerson(rows, now)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Person returns one person.
func (s *orgStore) Person(ctx context.Context, id int64) (assay.Person, error) {
	return s.personWhere(ctx, s.db.read, `id = ?`, id)
}

// PersonByEmail finds a person by e-mail address, without case.
func (s *orgStore) PersonByEmail(ctx context.Context, email string) (assay.Person, error) {
	return s.personWhere(ctx, s.db.read, `email = ?`, assay.NormalizeEmail(email))
}

// CreatePerson adds a person with their checklists and hire training.
func (s *orgStore) CreatePerson(ctx context.Context, actor assay.Actor, n assay.NewPerson) (assay.Person, error) {
	if err := n.Validate(); err != nil {
		return assay.Person{}, err
	}
	var out assay.Person
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		var err error
		out, err = s.insertPerson(tx, actor, n, "person.create")
		return err
	})
	if err != nil {
		return assay.Person{}, err
	}
	return out, nil
}

func (s *orgStore) insertPerson(tx *Tx, actor assay.Actor, n assay.NewPerson, action string) (assay.Person, error) {
	if _, err := s.personWhere(tx.ctx, tx.Tx, `email = ?`, n.Email); err == nil {
		return assay.Person{}, assay.Invalid("email", "%s is already on the roster", n.Email)
	} else if assay.ErrorCode(err) != assay.ENOTFOUND {
		return assay.Person{}, err
	}
	now := formatTime(tx.now)
	var id int64
	err := tx.queryRow(`INSERT INTO people (org_id, name, email, title, department, manager_email, start_date, end_date, employment_type, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		s.orgID, n.Name, n.Email, n.Title, n.Department, n.ManagerEmail, formatDatePtr(n.StartDate), formatDatePtr(n.EndDate),
		string(n.EmploymentType), now, now).Scan(&id)
	if err != nil {
		return assay.Person{}, fmt.Errorf("insert person: %w", err)
	}
	p, err := s.personWhere(tx.ctx, tx.Tx, `id = ?`, id)
	if err != nil {
		return p, err
	}
	if _, err := tx.appendActivity(actor, change{orgID: s.orgID, action: action, objectType: "person", objectID: idText(id),
		summary: fmt.Sprintf("Person %s <%s> added", p.Name, p.Email), after: p}); err != nil {
		return p, err
	}
	return p, s.openChecklists(tx, actor, assay.Person{}, p)
}

// openChecklists opens what a change of dates calls for: the onboarding
// checklist and hire training when a start date appears, the offboarding
// checklist when an end date appears (or moves its due dates), and drops
// the open offboarding items when the end date is removed.
func (s *orgStore) openChecklists(tx *Tx, actor assay.Actor, before, after assay.Person) error {
	if after.StartDate != nil && before.StartDate == nil {
		if err := s.addChecklist(tx, actor, after, assay.ChecklistOnboarding); err != nil {
			return err
		}
		// Counted from the start, or from today for someone who started long ago.
		from := *after.StartDate
		if today := assay.Day(tx.now); today.After(from) {
			from = today
		}
		due := from.AddDate(0, 0, HireTrainingDays)
		if err := s.assignHireTraining(tx, actor, after, due); err != nil {
			return err
		}
	}
	switch {
	case after.EndDate != nil && before.EndDate == nil:
		return s.addChecklist(tx, actor, after, assay.ChecklistOffboarding)
	case after.EndDate != nil && !after.EndDate.Equal(*before.EndDate):
		for _, it := range assay.NewChecklistItems(assay.ChecklistOffboarding, after.EndDate) {
			if _, err := tx.exec(`UPDATE checklist_items SET due_date = ? WHERE org_id = ? AND person_id = ? AND kind = ? AND item_key = ? AND done = 0`,
				formatDatePtr(it.Due), s.orgID, after.ID, string(it.Kind), it.Key); err != nil {
				return fmt.Errorf("move offboarding due dates: %w", err)
			}
		}
	case after.EndDate == nil && before.EndDate != nil:
		if _, err := tx.exec(`DELETE FROM checklist_items WHERE org_id = ? AND person_id = ? AND kind = ? AND done = 0`,
			s.orgID, after.ID, string(assay.ChecklistOffboarding)); err != nil {
			return fmt.Errorf("drop offboarding items: %w", err)
		}
	}
	return nil
}

func (s *orgStore) addChecklist(tx *Tx, actor assay.Actor, p assay.Person, kind assay.ChecklistKind) error {
	items := assay.NewChecklistItems(kind, p.EndDate)
	for _, it := range items {
		_, err := tx.exec(`INSERT INTO checklist_items (org_id, person_id, kind, item_key, title, assignee, due_date)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, person_id, kind, item_key) DO NOTHING`,
			s.orgID, p.ID, string(kind), it.Key, it.Title, it.Assignee, formatDatePtr(it.Due))
		if err != nil {
			return fmt.Errorf("insert checklist item: %w", err)
		}
	}
	_, err := tx.appendActivity(actor, change{orgID: s.orgID, action: "checklist.open", objectType: "person", objectID: idText(p.ID),
		summary: fmt.Sprintf("%s checklist opened for %s", kind, p.Name), after: items})
	return err
}

// UpdatePerson changes a person and opens the checklists the new dates call for.
func (s *orgStore) UpdatePerson(ctx context.Context, actor assay.Actor, id int64, patch assay.PersonPatch) (assay.Person, error) {
	var out assay.Person
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := s.personWhere(tx.ctx, tx.Tx, `id = ?`, id)
		if err != nil {
			return err
		}
		n := patch.Apply(before)
		if err := n.Validate(); err != nil {
			return err
		}
		out, err = s.writePerson(tx, actor, before, n, "person.update")
		return err
	})
	if err != nil {
		return assay.Person{}, err
	}
	return out, nil
}

func (s *orgStore) writePerson(tx *Tx, actor assay.Actor, before assay.Person, n assay.NewPerson, action string) (assay.Person, error) {
	if n.Email != before.Email {
		if _, err := s.personWhere(tx.ctx, tx.Tx, `email = ?`, n.Email); err == nil {
			return assay.Person{}, assay.Invalid("email", "%s is already on the roster", n.Email)
		} else if assay.ErrorCode(err) != assay.ENOTFOUND {
			return assay.Person{}, err
		}
	}
	_, err := tx.exec(`UPDATE people SET name = ?, email = ?, title = ?, department = ?, manager_email = ?, start_date = ?, end_date = ?,
		employment_type = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
		n.Name, n.Email, n.Title, n.Department, n.ManagerEmail, formatDatePtr(n.StartDate), formatDatePtr(n.EndDate),
		string(n.EmploymentType), formatTime(tx.now), s.orgID, before.ID)
	if err != nil {
		return assay.Person{}, fmt.Errorf("update person: %w", err)
	}
	after, err := s.personWhere(tx.ctx, tx.Tx, `id = ?`, before.ID)
	if err != nil {
		return after, err
	}
	if _, err := tx.appendActivity(actor, change{orgID: s.orgID, action: action, objectType: "person", objectID: idText(before.ID),
		summary: fmt.Sprintf("Person %s <%s> updated", after.Name, after.Email), before: before, after: after}); err != nil {
		return after, err
	}
	return after, s.openChecklists(tx, actor, before, after)
}

// ImportPeople adds or updates every row, all or none.
func (s *orgStore) ImportPeople(ctx context.Context, actor assay.Actor, list []assay.NewPerson) (assay.PeopleImportResult, error) {
	if len(list) == 0 {
		return assay.PeopleImportResult{}, assay.Invalid("rows", "There is nothing to import.")
	}
	if len(list) > 10000 {
		return assay.PeopleImportResult{}, assay.Invalid("rows", "Import at most 10000 people at once.")
	}
	seen := map[string]int{}
	for i := range list {
		if err := list[i].Validate(); err != nil {
			return assay.PeopleImportResult{}, indexed(i, len(list), err)
		}
		if j, dup := seen[list[i].Email]; dup {
			return assay.PeopleImportResult{}, indexed(i, len(list), assay.Invalid("email", "%s appears twice (also row %d)", list[i].Email, j))
		}
		seen[list[i].Email] = i
	}
	var res assay.PeopleImportResult
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		res = assay.PeopleImportResult{People: make([]assay.Person, 0, len(list))}
		for i, n := range list {
			before, err := s.personWhere(tx.ctx, tx.Tx, `email = ?`, n.Email)
			var p assay.Person
			switch {
			case err == nil && samePerson(before, n):
				p, res.Unchanged = before, res.Unchanged+1
			case err == nil:
				p, err = s.writePerson(tx, actor, before, n, "person.import")
				res.Updated++
			case assay.ErrorCode(err) == assay.ENOTFOUND:
				p, err = s.insertPerson(tx, actor, n, "person.import")
				res.Created++
			}
			if err != nil {
				return indexed(i, len(list), err)
			}
			res.People = append(res.People, p)
		}
		return nil
	})
	if err != nil {
		return assay.PeopleImportResult{}, err
	}
	return res, nil
}

// samePerson reports whether n would change nothing of p.
func samePerson(p assay.Person, n assay.NewPerson) bool {
	return p.Name == n.Name && p.Email == n.Email && p.Title == n.Title && p.Department == n.Department &&
		p.ManagerEmail == n.ManagerEmail && assay.FormatDate(p.StartDate) == assay.FormatDate(n.StartDate) &&
		assay.FormatDate(p.EndDate) == assay.FormatDate(n.EndDate) && p.EmploymentType == n.EmploymentType
}
