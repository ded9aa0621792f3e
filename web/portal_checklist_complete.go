package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// POST /portal/checklist/{id}/complete: the person marks one of their own
// checklist items (assigned to them) done.
func (s *Server) portalCompleteItem(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Checklist item")
	if err == nil {
		_, err = s.app.CompleteOwnChecklistItem(r.Context(), p.App(), id, r.PostFormValue("note"))
	}
	return s.portalDone(w, r, p, err, "done")
}
