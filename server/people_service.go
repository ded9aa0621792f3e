package server

import (
	"context"
	"net/url"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// peopleFlash are the people and training pages' confirmations.
var peopleFlash = map[string]string{
	"added":       "Person added.",
	"saved":       "Person updated.",
	"imported":    "Roster imported.",
	"item":        "Checklist updated.",
	"course":      "Course saved.",
	"assigned":    "Training assigned.",
	"completions": "Completion records imported.",
	"started":     "Training started. Open the course, then confirm below when you have completed it.",
	"completed":   "Training completed. Thank you.",
	"done":        "Marked as done.",
}

// The people views are the application's, shared with the CLI.
type (
	personView    = app.PersonView
	checklistView = app.ChecklistView
	personDetail  = app.PersonDetail
	portalTasks   = app.PortalTasks
)

// peopleFilterFrom reads the roster's filters from a query.
func peopleFilterFrom(q url.Values) (app.PeopleFilter, error) {
	f := app.PeopleFilter{Status: q.Get("status"), Department: strings.TrimSpace(q.Get("department")),
		Query: strings.TrimSpace(q.Get("q")), Overdue: q.Get("overdue") == "1" || q.Get("overdue") == "true"}
	return f, f.Validate()
}

// personInput is a person as forms and the API send it: dates as text.
type personInput struct {
	Name           *string `json:"name"`
	Email          *string `json:"email"`
	Title          *string `json:"title"`
	Department     *string `json:"department"`
	ManagerEmail   *string `json:"manager_email"`
	StartDate      *string `json:"start_date"`
	EndDate        *string `json:"end_date"`
	EmploymentType *string `json:"employment_type"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// newPerson turns input into a new person.
func (in personInput) newPerson() (assay.NewPerson, error) {
	n := assay.NewPerson{Name: str(in.Name), Email: str(in.Email), Title: str(in.Title), Department: str(in.Department),
		ManagerEmail: str(in.ManagerEmail), EmploymentType: assay.EmploymentType(str(in.EmploymentType))}
	var err error
	if n.StartDate, err = assay.ParseDate("start_date", str(in.StartDate)); err != nil {
		return n, err
	}
	n.EndDate, err = assay.ParseDate("end_date", str(in.EndDate))
	return n, err
}

// patch turns input into a patch: absent fields are left alone, an empty
// end date clears it.
func (in personInput) patch() (assay.PersonPatch, error) {
	p := assay.PersonPatch{Name: in.Name, Email: in.Email, Title: in.Title, Department: in.Department, ManagerEmail: in.ManagerEmail}
	if in.EmploymentType != nil {
		t := assay.EmploymentType(*in.EmploymentType)
		p.EmploymentType = &t
	}
	var err error
	if in.StartDate != nil {
		if p.StartDate, err = assay.ParseDate("start_date", *in.StartDate); err != nil {
			return p, err
		}
		if p.StartDate == nil {
			return p, assay.Invalid("start_date", "start_date cannot be removed once set")
		}
	}
	if in.EndDate != nil {
		if p.EndDate, err = assay.ParseDate("end_date", *in.EndDate); err != nil {
			return p, err
		}
		p.ClearEndDate = p.EndDate == nil
	}
	return p, nil
}

// formPersonInput reads the person form's fields.
func formPersonInput(form url.Values) personInput {
	get := func(k string) *string { v := form.Get(k); return &v }
	return personInput{Name: get("name"), Email: get("email"), Title: get("title"), Department: get("department"),
		ManagerEmail: get("manager_email"), StartDate: get("start_date"), EndDate: get("end_date"), EmploymentType: get("employment_type")}
}

// peopleOverdue counts overdue offboarding items for the dashboard; a
// failure is logged and shows as none, so the dashboard still renders.
func (s *Server) peopleOverdue(ctx context.Context, p *principal) int {
	n, err := s.app.OverdueOffboarding(ctx, p.app())
	if err != nil {
		s.log.Error("count overdue offboarding items", "err", err)
		return 0
	}
	return n
}
