package server

import (
	"encoding/csv"
	"io"
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
)

// peopleCSVHeader is the roster's columns, as exported and imported.
var peopleCSVHeader = []string{"name", "email", "title", "department", "manager", "start_date", "end_date", "employment_type"}

// formCSV returns the CSV sent with a form: an uploaded file (field
// fileField) or pasted text (field textField).
func formCSV(r *http.Request, textField, fileField string) (string, error) {
	if r.MultipartForm != nil {
		if fhs := r.MultipartForm.File[fileField]; len(fhs) > 0 && fhs[0].Size > 0 {
			f, err := fhs[0].Open()
			if err != nil {
				return "", assay.Invalid(fileField, "The uploaded file cannot be read.")
			}
			defer f.Close()
			b, err := io.ReadAll(f)
			if err != nil {
				return "", assay.Invalid(fileField, "The uploaded file cannot be read.")
			}
			return string(b), nil
		}
	}
	return r.PostFormValue(textField), nil
}

// csvColumns returns the lower-cased names of a CSV's header row.
func csvColumns(text string) map[string]bool {
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	out := map[string]bool{}
	if err != nil {
		return out
	}
	for _, h := range header {
		out[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = true
	}
	return out
}

// importPeople reads a roster CSV (header names without case; name and
// email needed; manager is the manager's e-mail address) and adds or
// updates (by e-mail) every row, or none. A column the CSV leaves out keeps
// the current value of people already on the roster; every bad row is
// reported with its line number.
func (s *Server) importPeople(r *http.Request, p *principal, text string) (assay.PeopleImportResult, error) {
	people, err := p.Org.People(r.Context())
	if err != nil {
		return assay.PeopleImportResult{}, err
	}
	byEmail := map[string]assay.Person{}
	for _, x := range people {
		byEmail[x.Email] = x
	}
	cols := csvColumns(text)
	manager := "manager"
	if !cols[manager] && cols["manager_email"] {
		manager = "manager_email"
	}
	var list []assay.NewPerson
	seen := map[string]int{}
	lines, err := readImportRows(text, []string{"name", "email"},
		"(columns: name, email, title, department, manager, start_date, end_date, employment_type)", true,
		func(line int, get func(string) string) error {
			cur, known := byEmail[assay.NormalizeEmail(get("email"))]
			n := assay.NewPerson{Name: get("name"), Email: get("email")}
			if known {
				n = assay.NewPerson{Name: get("name"), Email: get("email"), Title: cur.Title, Department: cur.Department,
					ManagerEmail: cur.ManagerEmail, StartDate: cur.StartDate, EndDate: cur.EndDate, EmploymentType: cur.EmploymentType}
			}
			for col, dst := range map[string]*string{"title": &n.Title, "department": &n.Department, manager: &n.ManagerEmail} {
				if cols[col] {
					*dst = get(col)
				}
			}
			if cols["employment_type"] {
				n.EmploymentType = assay.EmploymentType(get("employment_type"))
			}
			var err error
			if cols["start_date"] {
				if n.StartDate, err = assay.ParseDate("start_date", get("start_date")); err != nil {
					return err
				}
			}
			if cols["end_date"] {
				if n.EndDate, err = assay.ParseDate("end_date", get("end_date")); err != nil {
					return err
				}
			}
			if err := n.Validate(); err != nil {
				return err
			}
			if first, dup := seen[n.Email]; dup {
				return assay.Invalid("email", "%s appears twice (also line %d)", n.Email, first)
			}
			seen[n.Email] = line
			list = append(list, n)
			return nil
		})
	if err != nil {
		return assay.PeopleImportResult{}, err
	}
	res, err := p.Org.ImportPeople(r.Context(), p.actor(), list)
	return res, rowToLine(err, lines)
}

// importCompletions reads a completion records CSV (email, course,
// completed_at) and records every row or none, reporting bad rows with
// their line numbers.
func (s *Server) importCompletions(r *http.Request, p *principal, text string) (int, error) {
	var list []assay.TrainingCompletion
	lines, err := readImportRows(text, []string{"email", "course", "completed_at"}, "(columns: email, course, completed_at)", true,
		func(line int, get func(string) string) error {
			if get("email") == "" || get("course") == "" {
				return assay.Invalid("csv", "email and course are required")
			}
			at, err := parseDate("completed_at", get("completed_at"))
			if err != nil {
				return err
			}
			if at == nil {
				return assay.Invalid("completed_at", "completed_at is required")
			}
			list = append(list, assay.TrainingCompletion{Email: get("email"), Course: get("course"), CompletedAt: *at})
			return nil
		})
	if err != nil {
		return 0, err
	}
	n, err := p.Org.ImportCompletions(r.Context(), p.actor(), list)
	return n, rowToLine(err, lines)
}
