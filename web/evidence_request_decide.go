package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) decideRequestForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Evidence request")
	if err != nil {
		return err
	}
	if _, err := s.app.DecideEvidenceRequest(r.Context(), p.App(), id, r.PostForm.Get("decision"), r.PostForm.Get("reason")); err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showRequest(w, r, p, status, msg)
		})
	}
	http.Redirect(w, r, fmt.Sprintf("/evidence-requests/%d?flash=request-decided", id), http.StatusSeeOther)
	return nil
}
