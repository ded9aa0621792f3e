package csvimport

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/input"
	"github.com/assay-platform/assay/tabular"
)

// IncidentColumns is the incident export's columns. An import reads
// them by name (id and the notice deadlines are ignored) and also takes
// description and customer_notice_hours.
var IncidentColumns = []string{"id", "title", "status", "severity", "exercise", "personal_data", "customer_data", "occurred_at", "detected_at",
	"reported_at", "contained_at", "resolved_at", "closed_at", "customer_notice_due", "customer_notified_at", "regulator_notice_due",
	"regulator_notified_at", "root_cause", "went_well", "to_improve"}

// CorrectiveColumns is the register's columns; an import needs title,
// action and due_date and may give the others (owner by email).
var CorrectiveColumns = []string{"id", "title", "action", "root_cause", "owner_email", "due_date", "status", "source", "source_ref",
	"incident_id", "verified_by", "verified_at", "verification_notes", "overdue"}

// correctiveFromCSV reads corrective actions (title, action and due_date
// needed; the owner by email, from byEmail) with the line of each.
func correctiveFromCSV(text string, byEmail map[string]int64) ([]assay.NewCorrectiveAction, []int, error) {
	var list []assay.NewCorrectiveAction
	lines, err := readImportRows(text, importSchema(CorrectiveColumns, "title", "action", "due_date"),
		func(row tabular.Row) error {
			get := row.Get
			n := assay.NewCorrectiveAction{Title: get("title"), Action: get("action"), RootCause: get("root_cause"),
				Source: assay.CorrectiveSource(get("source")), SourceRef: get("source_ref")}
			d, err := input.ParseDate("due_date", get("due_date"))
			if err == nil && d != nil {
				n.DueDate = *d
			}
			if e := get("owner_email"); err == nil && e != "" {
				if n.OwnerID = byEmail[strings.ToLower(e)]; n.OwnerID == 0 {
					err = assay.Invalid("owner_email", "No user %s in this organisation.", e)
				}
			}
			if err == nil {
				err = n.Validate()
			}
			if err == nil {
				list = append(list, n)
			}
			return err
		})
	return list, lines, err
}

// incidentsFromCSV reads incidents, each checked as of now, with the line
// of each.
func incidentsFromCSV(text string, now time.Time) ([]assay.ImportedIncident, []int, error) {
	var list []assay.ImportedIncident
	columns := append(append([]string(nil), IncidentColumns...), "description", "customer_notice_hours")
	lines, err := readImportRows(text, importSchema(columns, "title", "occurred_at", "detected_at"),
		func(row tabular.Row) error {
			m, err := incidentFromCSV(row.Get)
			if err == nil {
				err = m.Validate(now)
			}
			if err == nil {
				list = append(list, m)
			}
			return err
		})
	return list, lines, err
}

// incidentFromCSV builds an imported incident from one row's cells.
func incidentFromCSV(get func(string) string) (assay.ImportedIncident, error) {
	m := assay.ImportedIncident{NewIncident: assay.NewIncident{Title: get("title"), Description: get("description")},
		Status: assay.IncidentStatus(strings.ToLower(get("status"))), Severity: assay.Severity(strings.ToUpper(get("severity"))),
		RootCause: get("root_cause"), WentWell: get("went_well"), ToImprove: get("to_improve")}
	for _, b := range []struct {
		name string
		dst  *bool
	}{{"exercise", &m.Exercise}, {"personal_data", &m.PersonalData}, {"customer_data", &m.CustomerData}} {
		if v := get(b.name); v != "" {
			var err error
			if *b.dst, err = strconv.ParseBool(strings.ToLower(v)); err != nil {
				return m, assay.Invalid(b.name, "%s must be true or false.", strings.ReplaceAll(b.name, "_", " "))
			}
		}
	}
	if v := get("customer_notice_hours"); v != "" {
		var err error
		if m.CustomerNoticeHours, err = strconv.Atoi(v); err != nil {
			return m, assay.Invalid("customer_notice_hours", "The customer notice commitment must be a whole number of hours.")
		}
	}
	for _, t := range []struct {
		name string
		dst  *time.Time
	}{{"occurred_at", &m.OccurredAt}, {"detected_at", &m.DetectedAt}, {"reported_at", &m.ReportedAt}} {
		var err error
		if *t.dst, err = input.ParseInstant(t.name, get(t.name)); err != nil {
			return m, err
		}
	}
	for _, t := range []struct {
		name string
		dst  **time.Time
	}{{"contained_at", &m.ContainedAt}, {"resolved_at", &m.ResolvedAt}, {"closed_at", &m.ClosedAt},
		{"customer_notified_at", &m.CustomerNotifiedAt}, {"regulator_notified_at", &m.RegulatorNotifiedAt}} {
		at, err := input.ParseInstant(t.name, get(t.name))
		if err != nil {
			return m, err
		}
		if !at.IsZero() {
			*t.dst = &at
		}
	}
	return m, nil
}

// Corrective reads corrective actions from a CSV with a header row (the
// owner named by e-mail) and records every row or none through the
// corrective action service; every bad row is reported with its line.
func Corrective(ctx context.Context, a *app.App, p app.Principal, text string) ([]assay.CorrectiveAction, error) {
	users, err := p.Org.Users(ctx)
	if err != nil {
		return nil, err
	}
	byEmail := map[string]int64{}
	for _, u := range users {
		byEmail[strings.ToLower(u.Email)] = u.ID
	}
	list, lines, err := correctiveFromCSV(text, byEmail)
	if err != nil {
		return nil, err
	}
	out, err := a.ImportCorrectiveActions(ctx, p, list)
	return out, rowToLine(err, lines)
}

// Incidents reads incidents in the export's columns (id and the notice
// deadlines are ignored; description and customer_notice_hours may be
// added), each checked as of now, and records every row or none through
// the incident service; every bad row is reported with its line.
func Incidents(ctx context.Context, a *app.App, p app.Principal, text string, now time.Time) ([]assay.Incident, error) {
	list, lines, err := incidentsFromCSV(text, now)
	if err != nil {
		return nil, err
	}
	out, err := a.ImportIncidents(ctx, p, list)
	return out, rowToLine(err, lines)
}
