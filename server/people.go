package server

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// GET /people: the roster with filters, the add and import forms.
func (s *Server) peoplePage(w http.ResponseWriter, r *http.Request, p *principal) error {
	return s.showPeople(w, r, p, http.StatusOK, "", url.Values{})
}

func (s *Server) showPeople(w http.ResponseWriter, r *http.Request, p *principal, status int, errMsg string, form url.Values) error {
	q := r.URL.Query()
	f, err := peopleFilterFrom(q)
	if err != nil {
		return err
	}
	roster, err := s.app.People(r.Context(), p.app(), f)
	if err != nil {
		return err
	}
	overdue, err := s.app.OverdueOffboarding(r.Context(), p.app())
	if err != nil {
		return err
	}
	s.render(w, r, status, "people", pageData{Title: "People", Nav: "people", Error: errMsg, Flash: peopleFlash[q.Get("flash")], Data: map[string]any{
		"People": roster.People, "Departments": roster.Departments, "Query": q, "Form": form, "Statuses": assay.PersonStatuses,
		"Types": assay.EmploymentTypes, "OverdueOffboarding": overdue, "CanManage": p.User.Can(assay.ActionManagePeople, nil),
	}})
	return nil
}

// POST /people: add a person by hand.
func (s *Server) createPersonForm(w http.ResponseWriter, r *http.Request, p *principal) error {
	n, err := formPersonInput(r.PostForm).newPerson()
	if err == nil {
		var person personDetail
		if person, err = s.app.CreatePerson(r.Context(), p.app(), n); err == nil {
			http.Redirect(w, r, fmt.Sprintf("/people/%d?flash=added", person.ID), http.StatusSeeOther)
			return nil
		}
	}
	if code := assay.ErrorCode(err); code == assay.EINVALID || code == assay.ECONFLICT {
		return s.showPeople(w, r, p, statusOf(code), assay.ErrorMessage(err), r.PostForm)
	}
	return err
}

// POST /people/import: the roster CSV pasted or uploaded on the people page.
func (s *Server) importPeopleForm(w http.ResponseWriter, r *http.Request, p *principal) error {
	text, err := formCSV(r, "csv", "file")
	var res assay.PeopleImportResult
	if err == nil {
		res, err = ImportPeopleCSV(r.Context(), s.app, p.app(), text)
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/people?flash=imported&created=%d&updated=%d", res.Created, res.Updated), http.StatusSeeOther)
		return nil
	}
	if code := assay.ErrorCode(err); code == assay.EINVALID || code == assay.ECONFLICT || code == assay.ETOOLARGE {
		return s.showPeople(w, r, p, statusOf(code), assay.ErrorMessage(err), r.PostForm)
	}
	return err
}

// GET /api/v1/people.csv: the roster in the import's columns.
func (s *Server) peopleCSV(w http.ResponseWriter, r *http.Request, p *principal) error {
	roster, err := s.app.People(r.Context(), p.app(), app.PeopleFilter{})
	if err != nil {
		return err
	}
	rows := [][]string{append(append([]string(nil), peopleCSVHeader...), "status", "open_items", "overdue_items")}
	for _, v := range roster.People {
		rows = append(rows, []string{v.Name, v.Email, v.Title, v.Department, v.ManagerEmail, v.StartDate, v.EndDate, string(v.EmploymentType),
			string(v.Status), fmt.Sprint(v.OpenItems), fmt.Sprint(v.OverdueItems)})
	}
	writeCSV(w, "people.csv", rows)
	return nil
}
