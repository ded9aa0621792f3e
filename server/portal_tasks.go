package server

import (
	"net/http"

	"github.com/assay-platform/assay"
)

// POST /portal/training/{id}/start: the person opens the course (only
// their own: someone else's answers as if it did not exist).
func (s *Server) portalStartTraining(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r, "Training assignment")
	if err == nil {
		_, err = s.app.StartTraining(r.Context(), p.app(), id)
	}
	return s.portalDone(w, r, p, err, "started")
}

// POST /portal/training/{id}/complete: the person attests completion.
func (s *Server) portalCompleteTraining(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r, "Training assignment")
	if err == nil {
		_, err = s.app.CompleteTraining(r.Context(), p.app(), id, r.PostFormValue("attest") == "on")
	}
	return s.portalDone(w, r, p, err, "completed")
}

// POST /portal/checklist/{id}/complete: the person marks one of their own
// checklist items (assigned to them) done.
func (s *Server) portalCompleteItem(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r, "Checklist item")
	if err == nil {
		_, err = s.app.CompleteOwnChecklistItem(r.Context(), p.app(), id, r.PostFormValue("note"))
	}
	return s.portalDone(w, r, p, err, "done")
}

func (s *Server) portalDone(w http.ResponseWriter, r *http.Request, p *principal, err error, flash string) error {
	if err == nil {
		http.Redirect(w, r, "/portal?flash="+flash, http.StatusSeeOther)
		return nil
	}
	if code := assay.ErrorCode(err); code == assay.EINVALID || code == assay.ECONFLICT {
		return s.showPortal(w, r, p, statusOf(code), assay.ErrorMessage(err))
	}
	return err
}
