package server

import (
	"context"
	"net/http"

	"github.com/assay-platform/assay"
)

// currentPerson is the roster entry of the signed-in user, matched by
// e-mail address without case. Without one it returns ENOTFOUND.
func (s *Server) currentPerson(ctx context.Context, p *principal) (assay.Person, error) {
	return s.app.CurrentPerson(ctx, p.app())
}

// GET /portal: the signed-in person's policies to accept, training due and
// checklist items.
func (s *Server) portalPage(w http.ResponseWriter, r *http.Request, p *principal) error {
	return s.showPortal(w, r, p, http.StatusOK, "")
}

func (s *Server) showPortal(w http.ResponseWriter, r *http.Request, p *principal, status int, errMsg string) error {
	tasks, err := s.app.PortalTasks(r.Context(), p.app())
	if assay.ErrorCode(err) == assay.ENOTFOUND {
		s.render(w, r, http.StatusOK, "portal", pageData{Title: "My tasks", Nav: "portal", Error: assay.ErrorMessage(err),
			Data: map[string]any{"Linked": false}})
		return nil
	} else if err != nil {
		return err
	}
	s.render(w, r, status, "portal", pageData{Title: "My tasks", Nav: "portal", Error: errMsg, Flash: peopleFlash[r.URL.Query().Get("flash")],
		Data: map[string]any{"Linked": true, "Tasks": tasks, "Now": s.clock.Now()}})
	return nil
}

// GET /api/v1/portal: the same tasks as JSON.
func (s *Server) apiPortal(w http.ResponseWriter, r *http.Request, p *principal) error {
	tasks, err := s.app.PortalTasks(r.Context(), p.app())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, tasks)
	return nil
}
