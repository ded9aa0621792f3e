package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// POST /portal/training/{id}/complete: the person attests completion.
func (s *Server) portalCompleteTraining(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Training assignment")
	if err == nil {
		_, err = s.app.CompleteTraining(r.Context(), p.App(), id, r.PostFormValue("attest") == "on")
	}
	return s.portalDone(w, r, p, err, "completed")
}
