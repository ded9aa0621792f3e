package server

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/tabular"
)

func csvTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// writeCSV sends rows (the header first) as a CSV download, every cell
// guarded against being run as a spreadsheet formula.
func writeCSV(w http.ResponseWriter, name string, rows [][]string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	// A failed write is a client gone away; the status is already sent.
	_ = tabular.WriteCSV(w, rows)
}

// incidentCSVHeader is the incident export's columns. An import reads
// them by name (id and the notice deadlines are ignored) and also takes
// description and customer_notice_hours.
var incidentCSVHeader = []string{"id", "title", "status", "severity", "exercise", "personal_data", "customer_data", "occurred_at", "detected_at",
	"reported_at", "contained_at", "resolved_at", "closed_at", "customer_notice_due", "customer_notified_at", "regulator_notice_due",
	"regulator_notified_at", "root_cause", "went_well", "to_improve"}

// GET /api/v1/incidents/export.csv
func (s *Server) incidentsCSV(w http.ResponseWriter, r *http.Request, p *principal) error {
	list, err := s.app.Incidents(r.Context(), p.app(), assay.IncidentFilter{})
	if err != nil {
		return err
	}
	rows := [][]string{append([]string(nil), incidentCSVHeader...)}
	for _, i := range list {
		var rc, ww, ti string
		if i.Review != nil {
			rc, ww, ti = i.Review.RootCause, i.Review.WentWell, i.Review.ToImprove
		}
		rows = append(rows, []string{strconv.FormatInt(i.ID, 10), i.Title, string(i.Status), string(i.Severity), strconv.FormatBool(i.Exercise),
			strconv.FormatBool(i.PersonalData), strconv.FormatBool(i.CustomerData), csvTime(&i.OccurredAt), csvTime(&i.DetectedAt),
			csvTime(&i.ReportedAt), csvTime(i.ContainedAt), csvTime(i.ResolvedAt), csvTime(i.ClosedAt), csvTime(i.CustomerNoticeDue()),
			csvTime(i.CustomerNotifiedAt), csvTime(i.RegulatorNoticeDue()), csvTime(i.RegulatorNotifiedAt), rc, ww, ti})
	}
	writeCSV(w, "incidents.csv", rows)
	return nil
}

// correctiveCSVHeader is the register's columns; an import needs title,
// action and due_date and may give the others (owner by email).
var correctiveCSVHeader = []string{"id", "title", "action", "root_cause", "owner_email", "due_date", "status", "source", "source_ref",
	"incident_id", "verified_by", "verified_at", "verification_notes", "overdue"}

// GET /api/v1/corrective-actions/export.csv
func (s *Server) correctiveCSV(w http.ResponseWriter, r *http.Request, p *principal) error {
	list, err := s.app.CorrectiveActions(r.Context(), p.app(), assay.CorrectiveFilter{})
	var users []assay.User
	if err == nil {
		users, err = p.Org.Users(r.Context())
	}
	if err != nil {
		return err
	}
	email := map[int64]string{}
	for _, u := range users {
		email[u.ID] = u.Email
	}
	rows := [][]string{append([]string(nil), correctiveCSVHeader...)}
	for _, c := range s.viewCorrective(list) {
		inc := ""
		if c.IncidentID != 0 {
			inc = strconv.FormatInt(c.IncidentID, 10)
		}
		rows = append(rows, []string{strconv.FormatInt(c.ID, 10), c.Title, c.Action, c.RootCause, email[c.OwnerID], c.DueDate.Format("2006-01-02"),
			string(c.Status), string(c.Source), c.SourceRef, inc, c.VerifiedByName, csvTime(c.VerifiedAt), c.VerificationNotes, strconv.FormatBool(c.Overdue)})
	}
	writeCSV(w, "corrective-actions.csv", rows)
	return nil
}

// importCorrective reads a CSV with a header row and records every row or
// none through the corrective action service; every bad row is reported
// with its line number.
func (s *Server) importCorrective(r *http.Request, p *principal, text string) ([]assay.CorrectiveAction, error) {
	users, err := p.Org.Users(r.Context())
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
	out, err := s.app.ImportCorrectiveActions(r.Context(), p.app(), list)
	return out, rowToLine(err, lines)
}

// correctiveFromCSV reads corrective actions (title, action and due_date
// needed; the owner by email, from byEmail) with the line of each.
func correctiveFromCSV(text string, byEmail map[string]int64) ([]assay.NewCorrectiveAction, []int, error) {
	var list []assay.NewCorrectiveAction
	lines, err := readImportRows(text, importSchema(correctiveCSVHeader, "title", "action", "due_date"),
		func(row tabular.Row) error {
			get := row.Get
			n := assay.NewCorrectiveAction{Title: get("title"), Action: get("action"), RootCause: get("root_cause"),
				Source: assay.CorrectiveSource(get("source")), SourceRef: get("source_ref")}
			d, err := parseDate("due_date", get("due_date"))
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

// importIncidents reads a CSV in the export's columns (id and the notice
// deadlines are ignored; description and customer_notice_hours may be
// added) and records every row or none through the incident service; every
// bad row is reported with its line number.
func (s *Server) importIncidents(r *http.Request, p *principal, text string) ([]assay.Incident, error) {
	list, lines, err := incidentsFromCSV(text, s.clock.Now())
	if err != nil {
		return nil, err
	}
	out, err := s.app.ImportIncidents(r.Context(), p.app(), list)
	return out, rowToLine(err, lines)
}

// incidentsFromCSV reads incidents, each checked as of now, with the line
// of each.
func incidentsFromCSV(text string, now time.Time) ([]assay.ImportedIncident, []int, error) {
	var list []assay.ImportedIncident
	columns := append(append([]string(nil), incidentCSVHeader...), "description", "customer_notice_hours")
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

// importSchema is an import's columns, the required ones named; other
// columns are ignored and the export's formula guard is undone.
func importSchema(columns []string, required ...string) tabular.Schema {
	s := tabular.Schema{Unguard: true}
	for _, c := range columns {
		s.Columns = append(s.Columns, tabular.Column{Name: c, Required: slices.Contains(required, c)})
	}
	return s
}

// readImportRows reads an import table (CSV, tab-separated text or XLSX)
// against its schema and hands each row to fn. A row fn refuses is
// reported with its line (and column), and when any row is refused
// nothing is imported. It returns the line number of every accepted row,
// in order.
func readImportRows(text string, s tabular.Schema, fn func(row tabular.Row) error) ([]int, error) {
	t, err := tabular.Read(strings.NewReader(text), s)
	if err != nil {
		return nil, assay.InvalidTable("csv", err)
	}
	var lines []int
	var bad tabular.Errors
	for _, row := range t.Rows {
		if err := fn(row); err != nil {
			bad = append(bad, assay.TableRowError(row, err))
			continue
		}
		lines = append(lines, row.Line)
	}
	if err := bad.Err(); err != nil {
		return nil, assay.InvalidTable("csv", err)
	}
	return lines, nil
}

// rowToLine turns the store's "Row N: reason" (N counting accepted rows
// from 0) into the CSV line the person can find.
func rowToLine(err error, lines []int) error {
	if err == nil {
		return nil
	}
	msg := assay.ErrorMessage(err)
	var idx int
	if _, serr := fmt.Sscanf(msg, "Row %d:", &idx); serr == nil && idx >= 0 && idx < len(lines) {
		return assay.Invalid("csv", "Nothing was imported. Fix line %d: %s", lines[idx], strings.TrimSpace(msg[strings.Index(msg, ":")+1:]))
	}
	return err
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
		if *t.dst, err = parseInstant(t.name, get(t.name)); err != nil {
			return m, err
		}
	}
	for _, t := range []struct {
		name string
		dst  **time.Time
	}{{"contained_at", &m.ContainedAt}, {"resolved_at", &m.ResolvedAt}, {"closed_at", &m.ClosedAt},
		{"customer_notified_at", &m.CustomerNotifiedAt}, {"regulator_notified_at", &m.RegulatorNotifiedAt}} {
		at, err := parseInstant(t.name, get(t.name))
		if err != nil {
			return m, err
		}
		if !at.IsZero() {
			*t.dst = &at
		}
	}
	return m, nil
}
