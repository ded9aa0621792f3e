package api

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
)

// GET /api/v1/portal: the same tasks as JSON.
func (s *Server) apiPortal(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	tasks, err := s.app.PortalTasks(r.Context(), p.App())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, tasks)
	return nil
}
