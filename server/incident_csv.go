package server

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

func csvTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func writeCSV(w http.ResponseWriter, name string, rows [][]string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	cw := csv.NewWriter(w)
	for _, row := range rows {
		for i, v := range row {
			// A cell starting with = + - @ is a formula to a spreadsheet.
			if v != "" && strings.ContainsRune("=+-@", rune(v[0])) {
				row[i] = "'" + v
			}
		}
		_ = cw.Write(row)
	}
	cw.Flush()
}

// GET /api/v1/incidents/export.csv
func (s *Server) incidentsCSV(w http.ResponseWriter, r *http.Request, p *principal) {
	list, err := p.Org.Incidents(r.Context(), assay.IncidentFilter{})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	rows := [][]string{{"id", "title", "status", "severity", "exercise", "personal_data", "customer_data", "occurred_at", "detected_at",
		"reported_at", "contained_at", "resolved_at", "closed_at", "customer_notice_due", "customer_notified_at", "regulator_notice_due",
		"regulator_notified_at", "root_cause", "went_well", "to_improve"}}
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
}

// correctiveCSVHeader is the register's columns; an import needs title,
// action and due_date and may give the others (owner by email).
var correctiveCSVHeader = []string{"id", "title", "action", "root_cause", "owner_email", "due_date", "status", "source", "source_ref",
	"incident_id", "verified_by", "verified_at", "verification_notes", "overdue"}

// GET /api/v1/corrective-actions/export.csv
func (s *Server) correctiveCSV(w http.ResponseWriter, r *http.Request, p *principal) {
	list, err := p.Org.CorrectiveActions(r.Context(), assay.CorrectiveFilter{})
	var users []assay.User
	if err == nil {
		users, err = p.Org.Users(r.Context())
	}
	if err != nil {
		s.apiError(w, r, err)
		return
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
}

// importCorrective reads a CSV with a header row and records every row or
// none; every bad row is reported with its line number.
func (s *Server) importCorrective(r *http.Request, p *principal, text string) ([]assay.CorrectiveAction, error) {
	users, err := p.Org.Users(r.Context())
	if err != nil {
		return nil, err
	}
	byEmail := map[string]int64{}
	for _, u := range users {
		byEmail[strings.ToLower(u.Email)] = u.ID
	}
	var list []assay.NewCorrectiveAction
	lines, err := readImportRows(text, []string{"title", "action", "due_date"},
		"(columns: title, action, due_date, root_cause, owner_email, source, source_ref)", false,
		func(line int, get func(string) string) error {
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
	if err != nil {
		return nil, err
	}
	out, err := p.Org.ImportCorrectiveActions(r.Context(), p.actor(), list)
	return out, rowToLine(err, lines)
}

// importIncidents reads a CSV in the export's columns (id and the notice
// deadlines are ignored; description and customer_notice_hours may be
// added) and records every row or none; every bad row is reported with its
// line number.
func (s *Server) importIncidents(r *http.Request, p *principal, text string) ([]assay.Incident, error) {
	var list []assay.ImportedIncident
	lines, err := readImportRows(text, []string{"title", "occurred_at", "detected_at"},
		"(the columns of the incident CSV export)", true,
		func(line int, get func(string) string) error {
			m, err := incidentFromCSV(get)
			if err == nil {
				err = m.Validate(s.clock.Now())
			}
			if err == nil {
				list = append(list, m)
			}
			return err
		})
	if err != nil {
		return nil, err
	}
	out, err := p.Org.CreateIncidents(r.Context(), p.actor(), list)
	return out, rowToLine(err, lines)
}

// readImportRows reads an import CSV: a header row that must name the
// required columns (hint says which columns there are), then data rows,
// blank ones skipped. Each row goes to fn with its line number; a row fn
// refuses is reported as "line N: reason", and when any row is refused
// nothing is imported. It returns the line number of every accepted row,
// in order. With unformula set, the export's guard against spreadsheet
// formulas (a leading ' before =, +, - or @) is undone.
func readImportRows(text string, required []string, hint string, unformula bool, fn func(line int, get func(string) string) error) ([]int, error) {
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, assay.Invalid("csv", "The CSV has no header row.")
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range required {
		if _, ok := col[need]; !ok {
			return nil, assay.Invalid("csv", "The header row needs a %q column %s.", need, hint)
		}
	}
	var lines []int
	var bad []string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, assay.Invalid("csv", "The CSV cannot be read: %v", err)
		}
		if strings.Join(rec, "") == "" {
			continue
		}
		get := func(name string) string {
			v := ""
			if i, ok := col[name]; ok && i < len(rec) {
				v = strings.TrimSpace(rec[i])
			}
			if unformula && len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@", rune(v[1])) {
				v = v[1:]
			}
			return v
		}
		if err := fn(line, get); err != nil {
			bad = append(bad, fmt.Sprintf("line %d: %s", line, assay.ErrorMessage(err)))
			continue
		}
		lines = append(lines, line)
	}
	if len(bad) > 0 {
		if len(bad) > 20 {
			bad = append(bad[:20], fmt.Sprintf("and %d more", len(bad)-20))
		}
		return nil, assay.Invalid("csv", "Nothing was imported. Fix %s.", strings.Join(bad, "; "))
	}
	if len(lines) == 0 {
		return nil, assay.Invalid("csv", "The CSV has no rows to import.")
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
