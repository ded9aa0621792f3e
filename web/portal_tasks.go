package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// POST /portal/training/{id}/start: the person opens the course (only
// their own: someone else's answers as if it did not exist).
func (s *Server) portalStartTraining(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Training assignment")
	if err == nil {
		_, err = s.app.StartTraining(r.Context(), p.App(), id)
	}
	return s.portalDone(w, r, p, err, "started")
}

// POST /portal/training/{id}/complete: the person attests completion.
func (s *Server) portalCompleteTraining(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Training assignment")
	if err == nil {
		_, err = s.app.CompleteTraining(r.Context(), p.App(), id, r.PostFormValue("attest") == "on")
	}
	return s.portalDone(w, r, p, err, "completed")
}

// POST /portal/checklist/{id}/complete: the person marks one of their own
// checklist items (assigned to them) done.
func (s *Server) portalCompleteItem(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Checklist item")
	if err == nil {
		_, err = s.app.CompleteOwnChecklistItem(r.Context(), p.App(), id, r.PostFormValue("note"))
	}
	return s.portalDone(w, r, p, err, "done")
}

func (s *Server) portalDone(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, err error, flash string) error {
	if err == nil {
		http.Redirect(w, r, "/portal?flash="+flash, http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showPortal(w, r, p, status, msg)
	})
}
