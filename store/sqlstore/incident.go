package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/assay-platform/assay"
)

const incidentColumns = `id, title, description, status, severity, exercise, personal_data, customer_data, customer_notice_hours,
	occurred_at, detected_at, reported_at, contained_at, resolved_at, closed_at, customer_notified_at, regulator_notified_at,
	reported_by_name, review_root_cause, review_went_well, review_to_improve, reviewed_at, reviewed_by_name, updated_at,
	COALESCE(owner_id, 0), COALESCE((SELECT u.name FROM users u WHERE u.org_id = incidents.org_id AND u.id = incidents.owner_id), '')`

func scanIncident(row interface{ Scan(...any) error }) (assay.Incident, error) {
	var i assay.Incident
	var exercise, personal, customer int
	var occurred, detected, reported, updated string
	var contained, resolved, closed, custNotified, regNotified, reviewed sql.NullString
	var rc, ww, ti, reviewer string
	err := row.Scan(&i.ID, &i.Title, &i.Description, &i.Status, &i.Severity, &exercise, &personal, &customer, &i.CustomerNoticeHours,
		&occurred, &detected, &reported, &contained, &resolved, &closed, &custNotified, &regNotified,
		&i.ReportedByName, &rc, &ww, &ti, &reviewed, &reviewer, &updated, &i.OwnerID, &i.OwnerName)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return i, assay.Errorf(assay.ENOTFOUND, "Incident not found.")
		}
		return i, fmt.Errorf("scan incident: %w", err)
	}
	i.Exercise, i.PersonalData, i.CustomerData = exercise != 0, personal != 0, customer != 0
	for _, t := range []struct {
		dst *time.Time
		s   string
	}{{&i.OccurredAt, occurred}, {&i.DetectedAt, detected}, {&i.ReportedAt, reported}, {&i.UpdatedAt, updated}} {
		if *t.dst, err = parseTime(t.s); err != nil {
			return i, err
		}
	}
	for _, t := range []struct {
		dst **time.Time
		s   sql.NullString
	}{{&i.ContainedAt, contained}, {&i.ResolvedAt, resolved}, {&i.ClosedAt, closed}, {&i.CustomerNotifiedAt, custNotified}, {&i.RegulatorNotifiedAt, regNotified}} {
		if *t.dst, err = parseTimePtr(t.s); err != nil {
			return i, err
		}
	}
	if reviewed.Valid {
		at, err := parseTime(reviewed.String)
		if err != nil {
			return i, err
		}
		i.Review = &assay.IncidentReview{RootCause: rc, WentWell: ww, ToImprove: ti, ReviewedAt: at, ReviewedByName: reviewer}
	}
	return i, nil
}

func (s *orgStore) incidentByID(ctx context.Context, q rowQuerier, id int64) (assay.Incident, error) {
	return scanIncident(q.QueryRowContext(ctx, s.db.q(`SELECT `+incidentColumns+` FROM incidents WHERE org_id = ? AND id = ?`), s.orgID, id))
}

// Incident returns one incident.
func (s *orgStore) Incident(ctx context.Context, id int64) (assay.Incident, error) {
	return s.incidentByID(ctx, s.db.read, id)
}

// Incidents lists incidents, newest first.
func (s *orgStore) Incidents(ctx context.Context, f assay.IncidentFilter) ([]assay.Incident, error) {
	q := `SELECT ` + incidentColumns + ` FROM incidents WHERE org_id = ?`
	args := []any{s.orgID}
	if f.Status != "" {
		if !f.Status.Valid() {
			return nil, assay.Invalid("status", "Unknown status %q; use reported, triaged, contained, resolved or closed.", f.Status)
		}
		q += ` AND status = ?`
		args = append(args, string(f.Status))
	}
	if f.Severity != "" {
		if !f.Severity.Valid() {
			return nil, assay.Invalid("severity", "Unknown severity %q; use SEV1, SEV2, SEV3 or SEV4.", f.Severity)
		}
		q += ` AND severity = ?`
		args = append(args, string(f.Severity))
	}
	if f.Exercise != nil {
		q += ` AND exercise = ?`
		args = append(args, boolInt(*f.Exercise))
	}
	rows, err := s.db.query(ctx, q+` ORDER BY detected_at DESC, id DESC LIMIT 5000`, args...)
	if err != nil {
		return nil, fmt.Errorf("list incidents: %w", err)
	}
	defer rows.Close()
	out := []assay.Incident{}
	for rows.Next() {
		i, err := scanIncident(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// addEntry appends a timeline entry.
func (tx *Tx) addIncidentEntry(orgID, incidentID int64, actor assay.Actor, kind, text string) (assay.IncidentEntry, error) {
	e := assay.IncidentEntry{IncidentID: incidentID, At: tx.now, Kind: kind, Text: text, AuthorName: actor.Name}
	err := tx.queryRow(`INSERT INTO incident_entries (org_id, incident_id, at, kind, text, author_name) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		orgID, incidentID, formatTime(tx.now), kind, text, actor.Name).Scan(&e.ID)
	if err != nil {
		return e, fmt.Errorf("insert incident entry: %w", err)
	}
	return e, nil
}

// CreateIncident records a reported incident.
func (s *orgStore) CreateIncident(ctx context.Context, actor assay.Actor, n assay.NewIncident) (assay.Incident, error) {
	if err := n.Validate(s.db.clock.Now()); err != nil {
		return assay.Incident{}, err
	}
	var out assay.Incident
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		out, err = s.insertIncident(tx, actor, n)
		return err
	})
	if err != nil {
		return assay.Incident{}, err
	}
	return out, nil
}

// insertIncident records a validated incident in tx, with its first
// timeline entry and its activity entry.
func (s *orgStore) insertIncident(tx *Tx, actor assay.Actor, n assay.NewIncident) (assay.Incident, error) {
	var out assay.Incident
	if err := tx.requireOrg(s.orgID); err != nil {
		return out, err
	}
	now := formatTime(tx.now)
	var id int64
	err := tx.queryRow(`INSERT INTO incidents (org_id, title, description, status, exercise, personal_data, customer_data, customer_notice_hours,
		occurred_at, detected_at, reported_at, reported_by_name, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		s.orgID, n.Title, n.Description, string(assay.IncidentReported), boolInt(n.Exercise), boolInt(n.PersonalData), boolInt(n.CustomerData),
		n.CustomerNoticeHours, formatTime(n.OccurredAt), formatTime(n.DetectedAt), now, actor.Name, now).Scan(&id)
	if err != nil {
		return out, fmt.Errorf("insert incident: %w", err)
	}
	kind := "Incident"
	if n.Exercise {
		kind = "Exercise"
	}
	if _, err := tx.addIncidentEntry(s.orgID, id, actor, "status", kind+" reported: "+n.Title); err != nil {
		return out, err
	}
	if out, err = s.incidentByID(tx.ctx, tx.Tx, id); err != nil {
		return out, err
	}
	_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "incident.create", objectType: "incident", objectID: idText(id),
		summary: fmt.Sprintf("%s %d reported: %s", kind, id, n.Title), after: out})
	return out, err
}

// CreateIncidents records incidents imported with their history, every one
// or none, each with a timeline entry and an audit-trail entry.
func (s *orgStore) CreateIncidents(ctx context.Context, actor assay.Actor, list []assay.ImportedIncident) ([]assay.Incident, error) {
	if len(list) == 0 {
		return nil, assay.Invalid("rows", "There is nothing to import.")
	}
	if len(list) > 5000 {
		return nil, assay.Invalid("rows", "Import at most 5000 incidents at once.")
	}
	now := s.db.clock.Now()
	for i := range list {
		if err := list[i].Validate(now); err != nil {
			return nil, indexed(i, len(list), err)
		}
	}
	out := make([]assay.Incident, 0, len(list))
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.requireOrg(s.orgID); err != nil {
			return err
		}
		for i, m := range list {
			var reviewedAt any
			reviewer := ""
			if m.Status == assay.IncidentClosed {
				reviewedAt, reviewer = formatTimePtr(m.ClosedAt), actor.Name
			}
			var id int64
			err := tx.queryRow(`INSERT INTO incidents (org_id, title, description, status, severity, exercise, personal_data, customer_data,
				customer_notice_hours, occurred_at, detected_at, reported_at, contained_at, resolved_at, closed_at, customer_notified_at,
				regulator_notified_at, reported_by_name, review_root_cause, review_went_well, review_to_improve, reviewed_at, reviewed_by_name, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				s.orgID, m.Title, m.Description, string(m.Status), string(m.Severity), boolInt(m.Exercise), boolInt(m.PersonalData), boolInt(m.CustomerData),
				m.CustomerNoticeHours, formatTime(m.OccurredAt), formatTime(m.DetectedAt), formatTime(m.ReportedAt), formatTimePtr(m.ContainedAt),
				formatTimePtr(m.ResolvedAt), formatTimePtr(m.ClosedAt), formatTimePtr(m.CustomerNotifiedAt), formatTimePtr(m.RegulatorNotifiedAt),
				actor.Name, m.RootCause, m.WentWell, m.ToImprove, reviewedAt, reviewer, formatTime(tx.now)).Scan(&id)
			if err != nil {
				return indexed(i, len(list), fmt.Errorf("insert incident: %w", err))
			}
			kind := "Incident"
			if m.Exercise {
				kind = "Exercise"
			}
			text := fmt.Sprintf("%s imported as %s: %s", kind, m.Status, m.Title)
			if _, err := tx.addIncidentEntry(s.orgID, id, actor, "status", text); err != nil {
				return err
			}
			inc, err := s.incidentByID(tx.ctx, tx.Tx, id)
			if err != nil {
				return err
			}
			if _, err := tx.appendActivity(actor, change{orgID: s.orgID, action: "incident.import", objectType: "incident", objectID: idText(id),
				summary: fmt.Sprintf("%s %d imported as %s: %s", kind, id, m.Status, m.Title), after: inc}); err != nil {
				return err
			}
			out = append(out, inc)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// MoveIncident triages, contains or resolves an incident.
func (s *orgStore) MoveIncident(ctx context.Context, actor assay.Actor, id int64, m assay.IncidentMove) (assay.Incident, error) {
	m.Note = strings.TrimSpace(m.Note)
	var out assay.Incident
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := s.incidentByID(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		if err := m.Check(before, tx.now); err != nil {
			return err
		}
		at := tx.now
		if !m.At.IsZero() {
			at = m.At.UTC().Truncate(time.Microsecond)
		}
		text := ""
		switch m.Status {
		case assay.IncidentTriaged:
			status := before.Status
			if status == assay.IncidentReported {
				status = assay.IncidentTriaged
			}
			_, err = tx.exec(`UPDATE incidents SET status = ?, severity = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
				string(status), string(m.Severity), formatTime(tx.now), s.orgID, id)
			text = "Triaged as " + string(m.Severity)
			if before.Severity != "" {
				text = fmt.Sprintf("Severity changed from %s to %s", before.Severity, m.Severity)
			}
		case assay.IncidentContained:
			_, err = tx.exec(`UPDATE incidents SET status = ?, contained_at = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
				string(m.Status), formatTime(at), formatTime(tx.now), s.orgID, id)
			text = "Contained"
		case assay.IncidentResolved:
			if before.ContainedAt != nil && at.Before(*before.ContainedAt) {
				return assay.Invalid("at", "An incident cannot be resolved before it was contained.")
			}
			_, err = tx.exec(`UPDATE incidents SET status = ?, resolved_at = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
				string(m.Status), formatTime(at), formatTime(tx.now), s.orgID, id)
			text = "Resolved"
		}
		if err != nil {
			return fmt.Errorf("move incident %d: %w", id, err)
		}
		if m.Note != "" {
			text += ": " + m.Note
		}
		if _, err := tx.addIncidentEntry(s.orgID, id, actor, "status", text); err != nil {
			return err
		}
		if out, err = s.incidentByID(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "incident." + string(m.Status), objectType: "incident", objectID: idText(id),
			summary: fmt.Sprintf("Incident %d: %s", id, text), before: before, after: out})
		return err
	})
	if err != nil {
		return assay.Incident{}, err
	}
	return out, nil
}

// SetIncidentOwner gives an incident its owner (0: nobody), ledgered.
func (s *orgStore) SetIncidentOwner(ctx context.Context, actor assay.Actor, id, ownerID int64) (assay.Incident, error) {
	var out assay.Incident
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := s.incidentByID(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		name, err := tx.checkOwner(s.orgID, ownerID)
		if err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE incidents SET owner_id = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
			nullInt(ownerID), formatTime(tx.now), s.orgID, id); err != nil {
			return fmt.Errorf("incident %d owner: %w", id, err)
		}
		if name == "" {
			name = "nobody"
		}
		if out, err = s.incidentByID(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "incident.owner", objectType: "incident", objectID: idText(id),
			summary: fmt.Sprintf("Incident %d: owner → %s", id, name), before: before, after: out})
		return err
	})
	if err != nil {
		return assay.Incident{}, err
	}
	return out, nil
}

// RecordIncidentNotice records when customers or the regulator were told.
func (s *orgStore) RecordIncidentNotice(ctx context.Context, actor assay.Actor, id int64, to string, at time.Time) (assay.Incident, error) {
	column := map[string]string{"customer": "customer_notified_at", "regulator": "regulator_notified_at"}[to]
	if column == "" {
		return assay.Incident{}, assay.Invalid("to", "Say who was notified: customer or regulator.")
	}
	var out assay.Incident
	err := s.db.update(ctx, func(tx *Tx) error {
		before, err := s.incidentByID(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		if at.IsZero() {
			at = tx.now
		}
		at = at.UTC().Truncate(time.Microsecond)
		switch {
		case at.After(tx.now.Add(time.Minute)):
			return assay.Invalid("at", "The notification time is in the future.")
		case at.Before(before.DetectedAt):
			return assay.Invalid("at", "The notification time is before the incident was detected.")
		case to == "customer" && before.CustomerNotifiedAt != nil, to == "regulator" && before.RegulatorNotifiedAt != nil:
			return assay.Errorf(assay.ECONFLICT, "The %s notice of incident %d is already recorded.", to, id)
		}
		if _, err := tx.exec(`UPDATE incidents SET `+column+` = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
			formatTime(at), formatTime(tx.now), s.orgID, id); err != nil {
			return fmt.Errorf("record notice: %w", err)
		}
		text := fmt.Sprintf("%s notified at %s", map[string]string{"customer": "Customers", "regulator": "Regulator"}[to], at.Format("2006-01-02 15:04 UTC"))
		if _, err := tx.addIncidentEntry(s.orgID, id, actor, "notice", text); err != nil {
			return err
		}
		if out, err = s.incidentByID(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "incident.notice", objectType: "incident", objectID: idText(id),
			summary: fmt.Sprintf("Incident %d: %s", id, text), before: before, after: out})
		return err
	})
	if err != nil {
		return assay.Incident{}, err
	}
	return out, nil
}

// AddIncidentEntry appends a note to an incident's timeline.
func (s *orgStore) AddIncidentEntry(ctx context.Context, actor assay.Actor, id int64, text string) (assay.IncidentEntry, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return assay.IncidentEntry{}, assay.Invalid("text", "Write the timeline entry.")
	}
	if utf8.RuneCountInString(text) > assay.MaxIncidentText {
		return assay.IncidentEntry{}, assay.Invalid("text", "The entry is longer than %d characters.", assay.MaxIncidentText)
	}
	var out assay.IncidentEntry
	err := s.db.update(ctx, func(tx *Tx) error {
		if _, err := s.incidentByID(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		var err error
		if out, err = tx.addIncidentEntry(s.orgID, id, actor, "note", text); err != nil {
			return err
		}
		_, err = tx.appendActivity(actor, change{orgID: s.orgID, action: "incident.entry", objectType: "incident", objectID: idText(id),
			summary: fmt.Sprintf("Incident %d: timeline entry added", id), after: out})
		return err
	})
	if err != nil {
		return assay.IncidentEntry{}, err
	}
	return out, nil
}

// IncidentTimeline lists an incident's entries, oldest first.
func (s *orgStore) IncidentTimeline(ctx context.Context, id int64) ([]assay.IncidentEntry, error) {
	if _, err := s.Incident(ctx, id); err != nil {
		return nil, err
	}
	rows, err := s.db.query(ctx, `SELECT id, incident_id, at, kind, text, author_name FROM incident_entries WHERE org_id = ? AND incident_id = ? ORDER BY id`, s.orgID, id)
	if err != nil {
		return nil, fmt.Errorf("incident timeline: %w", err)
	}
	defer rows.Close()
	out := []assay.IncidentEntry{}
	for rows.Next() {
		var e assay.IncidentEntry
		var at string
		if err := rows.Scan(&e.ID, &e.IncidentID, &at, &e.Kind, &e.Text, &e.AuthorName); err != nil {
			return nil, fmt.Errorf("scan incident entry: %w", err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ReviewIncident records the post-incident review, closes the incident and
// opens its corrective actions.
func (s *orgStore) ReviewIncident(ctx context.Context, actor assay.Actor, id int64, r assay.NewIncidentReview, ownerID int64, due time.Time) (assay.Incident, []assay.CorrectiveAction, error) {
	items, err := r.Validate()
	if err != nil {
		return assay.Incident{}, nil, err
	}
	if due.IsZero() {
		return assay.Incident{}, nil, assay.Invalid("due_date", "Give a due date for the corrective actions.")
	}
	var out assay.Incident
	var actions []assay.CorrectiveAction
	err = s.db.update(ctx, func(tx *Tx) error {
		before, err := s.incidentByID(tx.ctx, tx.Tx, id)
		if err != nil {
			return err
		}
		if before.Status != assay.IncidentResolved {
			return assay.Errorf(assay.ECONFLICT, "Incident %d is %s; only a resolved incident can be reviewed and closed.", id, before.Status)
		}
		now := formatTime(tx.now)
		if _, err := tx.exec(`UPDATE incidents SET status = ?, closed_at = ?, review_root_cause = ?, review_went_well = ?, review_to_improve = ?,
			reviewed_at = ?, reviewed_by_name = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
			string(assay.IncidentClosed), now, r.RootCause, r.WentWell, r.ToImprove, now, actor.Name, now, s.orgID, id); err != nil {
			return fmt.Errorf("review incident %d: %w", id, err)
		}
		if _, err := tx.addIncidentEntry(s.orgID, id, actor, "review", fmt.Sprintf("Post-incident review recorded; %d corrective action(s) opened; closed", len(items))); err != nil {
			return err
		}
		if out, err = s.incidentByID(tx.ctx, tx.Tx, id); err != nil {
			return err
		}
		if _, err := tx.appendActivity(actor, change{orgID: s.orgID, action: "incident.review", objectType: "incident", objectID: idText(id),
			summary: fmt.Sprintf("Incident %d reviewed and closed", id), before: before, after: out}); err != nil {
			return err
		}
		for _, it := range items {
			n := assay.NewCorrectiveAction{Source: assay.SourceIncidentReview, SourceRef: fmt.Sprintf("Incident %d", id), IncidentID: id,
				Title: it, RootCause: r.RootCause, Action: it, OwnerID: ownerID, DueDate: due}
			if err := n.Validate(); err != nil {
				return err
			}
			ca, err := s.insertCorrective(tx, actor, n)
			if err != nil {
				return err
			}
			actions = append(actions, ca)
		}
		return nil
	})
	if err != nil {
		return assay.Incident{}, nil, err
	}
	return out, actions, nil
}
