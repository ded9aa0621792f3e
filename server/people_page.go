package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/store"
)

// checklistView is one checklist item with whether it is overdue.
type checklistView struct {
	assay.ChecklistItem
	Overdue bool `json:"overdue"`
}

// GET /people/{id}: details, checklists and training.
func (s *Server) personPage(w http.ResponseWriter, r *http.Request, p *principal) {
	s.showPerson(w, r, p, http.StatusOK, "", url.Values{})
}

func (s *Server) showPerson(w http.ResponseWriter, r *http.Request, p *principal, status int, errMsg string, form url.Values) {
	id, err := pathID(r, "Person")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	ctx := r.Context()
	person, err := p.Org.Person(ctx, id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	now := s.clock.Now()
	training, err := p.Org.TrainingAssignments(ctx, assay.TrainingFilter{PersonID: id})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	items, err := store.PersonChecklist(ctx, p.Org, now, person, training)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	courses, err := p.Org.Courses(ctx)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var onboarding, offboarding []checklistView
	for _, it := range items {
		v := checklistView{ChecklistItem: it, Overdue: it.OverdueAt(now)}
		if it.Kind == assay.ChecklistOnboarding {
			onboarding = append(onboarding, v)
		} else {
			offboarding = append(offboarding, v)
		}
	}
	var history []assay.Activity
	if p.User.Can(assay.ActionReadActivity, nil) {
		if history, err = p.Org.Activity(ctx, assay.ActivityFilter{ObjectType: "person", ObjectID: strconv.FormatInt(id, 10), Limit: 50}); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	s.render(w, r, status, "person", pageData{Title: person.Name, Nav: "people", Error: errMsg, Flash: peopleFlash[r.URL.Query().Get("flash")], Data: map[string]any{
		"Person": viewPerson(person, items, now), "Onboarding": onboarding, "Offboarding": offboarding, "Training": training,
		"Courses": courses, "History": history, "Form": form, "Types": assay.EmploymentTypes, "Now": now,
		"CanManage": p.User.Can(assay.ActionManagePeople, nil), "DefaultDue": now.AddDate(0, 0, 30).Format(assay.DateLayout),
	}})
}

// POST /people/{id}: edit a person (an empty end date removes it).
func (s *Server) updatePersonForm(w http.ResponseWriter, r *http.Request, p *principal) {
	id, err := pathID(r, "Person")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	in := formPersonInput(r.PostForm)
	if r.PostFormValue("start_date") == "" {
		in.StartDate = nil
	}
	patch, err := in.patch()
	if err == nil {
		_, err = p.Org.UpdatePerson(r.Context(), p.actor(), id, patch)
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/people/%d?flash=saved", id), http.StatusSeeOther)
		return
	}
	if code := assay.ErrorCode(err); code == assay.EINVALID || code == assay.ECONFLICT {
		s.showPerson(w, r, p, statusOf(code), assay.ErrorMessage(err), r.PostForm)
		return
	}
	s.pageError(w, r, err)
}

// POST /people/{id}/training: assign a course to this person.
func (s *Server) assignPersonTrainingForm(w http.ResponseWriter, r *http.Request, p *principal) {
	id, err := pathID(r, "Person")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	n, err := assignmentForm(r.PostForm)
	if err == nil {
		n.PersonIDs = []int64{id}
		_, err = p.Org.AssignTraining(r.Context(), p.actor(), n)
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/people/%d?flash=assigned", id), http.StatusSeeOther)
		return
	}
	if code := assay.ErrorCode(err); code == assay.EINVALID || code == assay.ECONFLICT {
		s.showPerson(w, r, p, statusOf(code), assay.ErrorMessage(err), r.PostForm)
		return
	}
	s.pageError(w, r, err)
}

// POST /checklist-items/{id}: an admin ticks (or reopens) an item, with a note.
func (s *Server) checklistItemForm(w http.ResponseWriter, r *http.Request, p *principal) {
	id, err := pathID(r, "Checklist item")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	it, err := p.Org.CompleteChecklistItem(r.Context(), p.actor(), id, r.PostFormValue("done") != "false", r.PostFormValue("note"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/people/%d?flash=item", it.PersonID), http.StatusSeeOther)
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
