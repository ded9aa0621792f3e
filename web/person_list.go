package web

import (
	"net/http"
	"net/url"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// GET /people: the roster with filters, the add and import forms.
func (s *Server) peoplePage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showPeople(w, r, p, http.StatusOK, "", url.Values{})
}

func (s *Server) showPeople(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	return s.renderView(w, r, p, status, "people", func() (pageData, error) {
		q := r.URL.Query()
		f, err := input.PeopleFilterFrom(q)
		if err != nil {
			return pageData{}, err
		}
		roster, err := s.app.People(r.Context(), p.App(), f)
		if err != nil {
			return pageData{}, err
		}
		overdue, err := s.app.OverdueOffboarding(r.Context(), p.App())
		if err != nil {
			return pageData{}, err
		}
		shown, pg := pageOf(r, roster.People, listRows)
		return pageData{Title: "People", Nav: "people", Error: errMsg, Flash: peopleFlash[q.Get("flash")], Data: peopleData{
			People: shown, Pager: pg, Departments: roster.Departments, Query: q, Form: form, Statuses: assay.PersonStatuses,
			Types: assay.EmploymentTypes, OverdueOffboarding: overdue, CanManage: p.User.Can(assay.ActionManagePeople, nil),
		}}, nil
	})
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
	Pager              pager // People is one page of the roster
}
