package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) updateRiskForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Risk")
	if err == nil {
		_, err = s.app.EditRisk(r.Context(), p.App(), id, riskBodyFromForm(r).Risk)
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/risks/%d?flash=risk-saved", id), http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showRisk(w, r, p, status, msg, r.PostForm)
	})
}
