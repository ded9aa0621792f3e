package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// GET /monitoring/checks/new
func (s *Server) newCheckPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showCheckForm(w, r, p, http.StatusOK, "", assay.Check{Severity: assay.SeverityMedium}, false)
}

// POST /monitoring/checks: a bad expression re-shows the form with the
// message (line and column) and saves nothing.
func (s *Server) createCheckForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	c := checkFromForm(r)
	saved, err := s.app.CreateCustomCheck(r.Context(), p.App(), c)
	if err != nil {
		return reshow(err, func(status int, _ string) error {
			return s.showCheckForm(w, r, p, status, formError(err), c, false)
		})
	}
	http.Redirect(w, r, "/monitoring/checks/"+saved.ID+"?flash=saved", http.StatusSeeOther)
	return nil
}
