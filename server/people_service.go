package server

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
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

// personView is a person as pages and the API show them: dates as
// YYYY-MM-DD and the open work on their checklists.
type personView struct {
	ID             int64                `json:"id"`
	Name           string               `json:"name"`
	Email          string               `json:"email"`
	Title          string               `json:"title"`
	Department     string               `json:"department"`
	ManagerEmail   string               `json:"manager_email"`
	StartDate      string               `json:"start_date"`
	EndDate        string               `json:"end_date"`
	EmploymentType assay.EmploymentType `json:"employment_type"`
	Status         assay.PersonStatus   `json:"status"`
	OpenItems      int                  `json:"open_items"`
	OverdueItems   int                  `json:"overdue_items"`
	UpdatedAt      time.Time            `json:"updated_at"`
}

func viewPerson(p assay.Person, items []assay.ChecklistItem, now time.Time) personView {
	v := personView{ID: p.ID, Name: p.Name, Email: p.Email, Title: p.Title, Department: p.Department, ManagerEmail: p.ManagerEmail,
		StartDate: assay.FormatDate(p.StartDate), EndDate: assay.FormatDate(p.EndDate), EmploymentType: p.EmploymentType,
		Status: p.Status, UpdatedAt: p.UpdatedAt}
	for _, it := range items {
		if it.PersonID != p.ID || it.Done {
			continue
		}
		v.OpenItems++
		if it.OverdueAt(now) {
			v.OverdueItems++
		}
	}
	return v
}

// peopleFilter narrows the roster list.
type peopleFilter struct {
	Status     string
	Department string
	Query      string
	Overdue    bool
}

func peopleFilterFrom(q url.Values) (peopleFilter, error) {
	f := peopleFilter{Status: q.Get("status"), Department: strings.TrimSpace(q.Get("department")),
		Query: strings.ToLower(strings.TrimSpace(q.Get("q"))), Overdue: q.Get("overdue") == "1" || q.Get("overdue") == "true"}
	if f.Status != "" && !assay.PersonStatus(f.Status).Valid() {
		return f, assay.Invalid("status", "Unknown status %q; use upcoming, active or departed.", f.Status)
	}
	return f, nil
}

func (f peopleFilter) keep(v personView) bool {
	switch {
	case f.Status != "" && string(v.Status) != f.Status:
		return false
	case f.Department != "" && !strings.EqualFold(v.Department, f.Department):
		return false
	case f.Overdue && v.OverdueItems == 0:
		return false
	case f.Query != "" && !strings.Contains(strings.ToLower(v.Name+" "+v.Email+" "+v.Title), f.Query):
		return false
	}
	return true
}

// roster returns the people views under a filter, with the departments on
// the roster (for the filter's list).
func (s *Server) roster(ctx context.Context, os store.OrgStore, f peopleFilter) ([]personView, []string, error) {
	people, err := os.People(ctx)
	if err != nil {
		return nil, nil, err
	}
	now := s.clock.Now()
	items, err := store.AllChecklists(ctx, os, now)
	if err != nil {
		return nil, nil, err
	}
	out := []personView{}
	var depts []string
	for _, p := range people {
		if p.Department != "" && !slices.Contains(depts, p.Department) {
			depts = append(depts, p.Department)
		}
		if v := viewPerson(p, items, now); f.keep(v) {
			out = append(out, v)
		}
	}
	slices.Sort(depts)
	return out, depts, nil
}

// overdueOffboarding counts open offboarding items past their due date
// (for the dashboard and the people list banner).
func overdueOffboarding(ctx context.Context, os store.OrgStore, now time.Time) (int, error) {
	items, err := os.ChecklistItems(ctx, assay.ChecklistFilter{Kind: assay.ChecklistOffboarding, OpenOnly: true})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, it := range items {
		if it.OverdueAt(now) {
			n++
		}
	}
	return n, nil
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
	n, err := overdueOffboarding(ctx, p.Org, s.clock.Now())
	if err != nil {
		s.log.Error("count overdue offboarding items", "err", err)
		return 0
	}
	return n
}
