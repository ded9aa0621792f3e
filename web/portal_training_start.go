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
