package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// POST /monitoring/checks/{id}/delete: the form must carry confirm=yes
// (the box the page asks to tick); without it nothing is deleted.
func (s *Server) deleteCheckForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id := r.PathValue("id")
	var err error
	if r.PostForm.Get("confirm") != "yes" {
		if _, err = s.app.CustomCheck(r.Context(), p.App(), id); err == nil {
			err = assay.Invalid("confirm", "Tick the box to confirm that the check should be deleted.")
		}
	}
	if err == nil {
		err = s.app.DeleteCustomCheck(r.Context(), p.App(), id)
	}
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showCheckPage(w, r, p, status, msg)
		})
	}
	http.Redirect(w, r, "/monitoring?flash=check-deleted", http.StatusSeeOther)
	return nil
}
