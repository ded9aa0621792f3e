package csvimport

import (
	"context"
	"maps"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/input"
	"github.com/assay-platform/assay/tabular"
)

// PeopleColumns is the roster's columns, as exported and imported.
var PeopleColumns = []string{"name", "email", "title", "department", "manager", "start_date", "end_date", "employment_type"}

// emailAliases are other headers an e-mail address column goes by
// (e-mail, E-Mail and the like match "email" already).
var emailAliases = map[string][]string{"email": {"email_address", "primary_email", "work_email"}}

// peopleSchema is the roster import's columns: name and email needed,
// manager (the manager's e-mail address) also as manager_email.
func peopleSchema() tabular.Schema {
	aliases := map[string][]string{"manager": {"manager_email"}}
	maps.Copy(aliases, emailAliases)
	return withAliases(importSchema(PeopleColumns, "name", "email"), aliases)
}

// withAliases gives columns of s the other header names they go by.
func withAliases(s tabular.Schema, aliases map[string][]string) tabular.Schema {
	for i, c := range s.Columns {
		s.Columns[i].Aliases = append(c.Aliases, aliases[c.Name]...)
	}
	return s
}

// People reads a roster CSV (or XLSX; header names without case;
// name and email needed; manager is the manager's e-mail address) and adds
// or updates (by e-mail) every row, or none, through the application. A
// column the file leaves out keeps the current value of people already on
// the roster; every bad row is reported with its line number. The web, the
// API and the CLI import through it; a refusal comes before the file is read.
func People(ctx context.Context, a *app.App, p app.Principal, text string) (assay.PeopleImportResult, error) {
	byEmail, err := a.RosterByEmail(ctx, p)
	if err != nil {
		return assay.PeopleImportResult{}, err
	}
	list, lines, err := peopleFromCSV(text, byEmail)
	if err != nil {
		return assay.PeopleImportResult{}, err
	}
	res, err := a.ImportPeople(ctx, p, list)
	return res, rowToLine(err, lines)
}

// peopleFromCSV reads a roster file against the people already on it (by
// normalized e-mail), with the line of each row.
func peopleFromCSV(text string, byEmail map[string]assay.Person) ([]assay.NewPerson, []int, error) {
	var list []assay.NewPerson
	seen := map[string]int{}
	lines, err := readImportRows(text, peopleSchema(),
		func(row tabular.Row) error {
			get, line := row.Get, row.Line
			cur, known := byEmail[assay.NormalizeEmail(get("email"))]
			n := assay.NewPerson{Name: get("name"), Email: get("email")}
			if known {
				n = assay.NewPerson{Name: get("name"), Email: get("email"), Title: cur.Title, Department: cur.Department,
					ManagerEmail: cur.ManagerEmail, StartDate: cur.StartDate, EndDate: cur.EndDate, EmploymentType: cur.EmploymentType}
			}
			for col, dst := range map[string]*string{"title": &n.Title, "department": &n.Department, "manager": &n.ManagerEmail} {
				if row.Has(col) {
					*dst = get(col)
				}
			}
			if row.Has("employment_type") {
				n.EmploymentType = assay.EmploymentType(get("employment_type"))
			}
			var err error
			if row.Has("start_date") {
				if n.StartDate, err = assay.ParseDate("start_date", get("start_date")); err != nil {
					return err
				}
			}
			if row.Has("end_date") {
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
	return list, lines, err
}

// Completions reads a completion records CSV (email, course,
// completed_at) and records every row or none through the application,
// reporting bad rows with their line numbers.
func Completions(ctx context.Context, a *app.App, p app.Principal, text string) (int, error) {
	if err := a.MayManagePeople(p); err != nil {
		return 0, err
	}
	list, lines, err := completionsFromCSV(text)
	if err != nil {
		return 0, err
	}
	n, err := a.ImportCompletions(ctx, p, list)
	return n, rowToLine(err, lines)
}

// completionsFromCSV reads completion records with the line of each.
func completionsFromCSV(text string) ([]assay.TrainingCompletion, []int, error) {
	var list []assay.TrainingCompletion
	lines, err := readImportRows(text, withAliases(importSchema([]string{"email", "course", "completed_at"}, "email", "course", "completed_at"), emailAliases),
		func(row tabular.Row) error {
			get := row.Get
			if get("email") == "" || get("course") == "" {
				return assay.Invalid("csv", "email and course are required")
			}
			at, err := input.ParseDate("completed_at", get("completed_at"))
			if err != nil {
				return err
			}
			if at == nil {
				return assay.Invalid("completed_at", "completed_at is required")
			}
			list = append(list, assay.TrainingCompletion{Email: get("email"), Course: get("course"), CompletedAt: *at})
			return nil
		})
	return list, lines, err
}
