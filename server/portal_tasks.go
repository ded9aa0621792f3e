package server

import (
	"net/http"

	"github.com/assay-platform/assay"
)

// ownAssignment loads an assignment of the signed-in person; someone
// else's answers ENOTFOUND, as if it did not exist.
func (s *Server) ownAssignment(r *http.Request, p *principal) (assay.TrainingAssignment, error) {
	person, err := s.currentPerson(r.Context(), p)
	if err != nil {
		return assay.TrainingAssignment{}, err
	}
	id, err := pathID(r, "Training assignment")
	if err != nil {
		return assay.TrainingAssignment{}, err
	}
	a, err := p.Org.TrainingAssignment(r.Context(), id)
	if err != nil {
		return a, err
	}
	if a.PersonID != person.ID {
		return assay.TrainingAssignment{}, assay.Errorf(assay.ENOTFOUND, "Training assignment not found.")
	}
	return a, nil
}

// POST /portal/training/{id}/start: the person opens the course.
func (s *Server) portalStartTraining(w http.ResponseWriter, r *http.Request, p *principal) {
	a, err := s.ownAssignment(r, p)
	if err == nil {
		_, err = p.Org.StartTraining(r.Context(), p.actor(), a.ID)
	}
	s.portalDone(w, r, p, err, "started")
}

// POST /portal/training/{id}/complete: the person attests completion.
func (s *Server) portalCompleteTraining(w http.ResponseWriter, r *http.Request, p *principal) {
	a, err := s.ownAssignment(r, p)
	if err == nil && r.PostFormValue("attest") != "on" {
		err = assay.Invalid("attest", "Tick the box to confirm you completed %s.", a.CourseName)
	}
	if err == nil {
		_, err = p.Org.CompleteTraining(r.Context(), p.actor(), a.ID, r.PostFormValue("attest"))
	}
	s.portalDone(w, r, p, err, "completed")
}

// POST /portal/checklist/{id}/complete: the person marks one of their own
// checklist items (assigned to them) done.
func (s *Server) portalCompleteItem(w http.ResponseWriter, r *http.Request, p *principal) {
	person, err := s.currentPerson(r.Context(), p)
	var id int64
	if err == nil {
		id, err = pathID(r, "Checklist item")
	}
	var items []assay.ChecklistItem
	if err == nil {
		items, err = p.Org.ChecklistItems(r.Context(), assay.ChecklistFilter{PersonID: person.ID})
	}
	if err == nil {
		err = assay.Errorf(assay.ENOTFOUND, "Checklist item not found.")
		for _, it := range items {
			if it.ID == id && it.Assignee == assay.AssigneeEmployee {
				_, err = p.Org.CompleteChecklistItem(r.Context(), p.actor(), id, true, r.PostFormValue("note"))
				break
			}
		}
	}
	s.portalDone(w, r, p, err, "done")
}

func (s *Server) portalDone(w http.ResponseWriter, r *http.Request, p *principal, err error, flash string) {
	if err == nil {
		http.Redirect(w, r, "/portal?flash="+flash, http.StatusSeeOther)
		return
	}
	if code := assay.ErrorCode(err); code == assay.EINVALID || code == assay.ECONFLICT {
		s.showPortal(w, r, p, statusOf(code), assay.ErrorMessage(err))
		return
	}
	s.pageError(w, r, err)
}
