package web

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/csvimport"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// GET /people: the roster with filters, the add and import forms.
func (s *Server) peoplePage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showPeople(w, r, p, http.StatusOK, "", url.Values{})
}

func (s *Server) showPeople(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	q := r.URL.Query()
	f, err := input.PeopleFilterFrom(q)
	if err != nil {
		return err
	}
	roster, err := s.app.People(r.Context(), p.App(), f)
	if err != nil {
		return err
	}
	overdue, err := s.app.OverdueOffboarding(r.Context(), p.App())
	if err != nil {
		return err
	}
	s.render(w, r, status, "people", pageData{Title: "People", Nav: "people", Error: errMsg, Flash: peopleFlash[q.Get("flash")], Data: peopleData{
		People: roster.People, Departments: roster.Departments, Query: q, Form: form, Statuses: assay.PersonStatuses,
		Types: assay.EmploymentTypes, OverdueOffboarding: overdue, CanManage: p.User.Can(assay.ActionManagePeople, nil),
	}})
	return nil
}

// peopleData is the people page's data.
type peopleData struct {
	People             []app.PersonView
	Departments        []string
	Query              url.Values // the filters, and the import's counts
	Form               url.Values
	Statuses           []assay.PersonStatus
	Types              []assay.EmploymentType
	OverdueOffboarding int // offboarding items overdue across the roster
	CanManage          bool
}

// POST /people: add a person by hand.
func (s *Server) createPersonForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	n, err := input.FormPersonInput(r.PostForm).NewPerson()
	if err == nil {
		var person app.PersonDetail
		if person, err = s.app.CreatePerson(r.Context(), p.App(), n); err == nil {
			http.Redirect(w, r, fmt.Sprintf("/people/%d?flash=added", person.ID), http.StatusSeeOther)
			return nil
		}
	}
	return reshow(err, func(status int, msg string) error {
		return s.showPeople(w, r, p, status, msg, r.PostForm)
	})
}

// POST /people/import: the roster CSV pasted or uploaded on the people page.
func (s *Server) importPeopleForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	text, err := input.FormCSV(r, "csv", "file")
	var res assay.PeopleImportResult
	if err == nil {
		res, err = csvimport.People(r.Context(), s.app, p.App(), text)
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/people?flash=imported&created=%d&updated=%d", res.Created, res.Updated), http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showPeople(w, r, p, status, msg, r.PostForm)
	})
}

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
