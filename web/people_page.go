package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// GET /people/{id}: details, checklists and training.
func (s *Server) personPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showPerson(w, r, p, http.StatusOK, "", url.Values{})
}

func (s *Server) showPerson(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	id, err := input.PathID(r, "Person")
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := s.app.Person(ctx, p.App(), id)
	if err != nil {
		return err
	}
	figures, err := s.app.Courses(ctx, p.App())
	if err != nil {
		return err
	}
	courses := make([]assay.Course, len(figures))
	for i, f := range figures {
		courses[i] = f.Course
	}
	now := s.clock.Now()
	var onboarding, offboarding []app.ChecklistView
	for _, v := range d.Checklist {
		if v.Kind == assay.ChecklistOnboarding {
			onboarding = append(onboarding, v)
		} else {
			offboarding = append(offboarding, v)
		}
	}
	var history []assay.Activity
	if p.User.Can(assay.ActionReadActivity, nil) {
		if history, err = p.Org.Activity(ctx, assay.ActivityFilter{ObjectType: "person", ObjectID: strconv.FormatInt(id, 10), Limit: 50}); err != nil {
			return err
		}
	}
	s.render(w, r, status, "person", pageData{Title: d.Name, Nav: "people", Error: errMsg, Flash: peopleFlash[r.URL.Query().Get("flash")], Data: personData{
		Person: d.PersonView, Onboarding: onboarding, Offboarding: offboarding, Training: d.Training,
		Courses: courses, History: history, Form: form, Types: assay.EmploymentTypes, Now: now,
		CanManage: p.User.Can(assay.ActionManagePeople, nil), DefaultDue: now.AddDate(0, 0, 30).Format(assay.DateLayout),
	}})
	return nil
}

// personData is the person page's data.
type personData struct {
	Person      app.PersonView
	Onboarding  []app.ChecklistView
	Offboarding []app.ChecklistView
	Training    []assay.TrainingAssignment
	Courses     []assay.Course // every course, to assign one
	History     []assay.Activity
	Form        url.Values
	Types       []assay.EmploymentType
	Now         time.Time
	CanManage   bool
	DefaultDue  string // the assign form's due date, as YYYY-MM-DD
}

// POST /people/{id}: edit a person (an empty end date removes it).
func (s *Server) updatePersonForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Person")
	if err != nil {
		return err
	}
	in := input.FormPersonInput(r.PostForm)
	if r.PostFormValue("start_date") == "" {
		in.StartDate = nil
	}
	patch, err := in.Patch()
	if err == nil {
		_, err = s.app.UpdatePerson(r.Context(), p.App(), id, patch)
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/people/%d?flash=saved", id), http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showPerson(w, r, p, status, msg, r.PostForm)
	})
}

// POST /people/{id}/training: assign a course to this person.
func (s *Server) assignPersonTrainingForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Person")
	if err != nil {
		return err
	}
	n, err := assignmentForm(r.PostForm)
	if err == nil {
		n.PersonIDs = []int64{id}
		_, err = s.app.AssignTraining(r.Context(), p.App(), n)
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/people/%d?flash=assigned", id), http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showPerson(w, r, p, status, msg, r.PostForm)
	})
}

// POST /checklist-items/{id}: an admin ticks (or reopens) an item, with a note.
func (s *Server) checklistItemForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Checklist item")
	if err != nil {
		return err
	}
	it, err := s.app.CompleteChecklistItem(r.Context(), p.App(), id, r.PostFormValue("done") != "false", r.PostFormValue("note"))
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/people/%d?flash=item", it.PersonID), http.StatusSeeOther)
	return nil
}

// assignmentForm reads a course and due date from a form.
func assignmentForm(form url.Values) (assay.NewAssignment, error) {
	courseID, err := strconv.ParseInt(form.Get("course_id"), 10, 64)
	if err != nil {
		return assay.NewAssignment{}, assay.Invalid("course_id", "Choose a course.")
	}
	due, err := assay.ParseDate("due", form.Get("due"))
	if err != nil {
		return assay.NewAssignment{}, err
	}
	n := assay.NewAssignment{CourseID: courseID, Department: form.Get("department")}
	if due != nil {
		n.Due = *due
	}
	return n, nil
}
