package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
)

// Custom checks after they are made: changed and deleted on the check's
// page and through the API. Library checks can be neither.

// GET /monitoring/checks/{id}/edit
func (s *Server) editCheckPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	c, err := s.app.CustomCheck(r.Context(), p.App(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.showCheckForm(w, r, p, http.StatusOK, "", c, true)
}

// POST /monitoring/checks/{id}: save the edit form. A bad expression
// re-shows the form with the message (line and column) and changes nothing.
func (s *Server) updateCheckForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id := r.PathValue("id")
	c := checkFromForm(r)
	c.ID = id
	saved, err := s.app.UpdateCustomCheck(r.Context(), p.App(), id, c)
	if err != nil {
		return reshow(err, func(status int, _ string) error {
			return s.showCheckForm(w, r, p, status, formError(err), c, true)
		})
	}
	http.Redirect(w, r, "/monitoring/checks/"+saved.ID+"?flash=check-saved", http.StatusSeeOther)
	return nil
}
