package web

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// updateControlOwnersForm takes the controls list's bulk form: the ticked
// controls get the chosen owner, one ledgered control update each.
func (s *Server) updateControlOwnersForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var owner int64
	if v := r.PostForm.Get("owner_id"); v != "none" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return assay.Invalid("owner_id", "Choose an owner from the list, or Unassigned.")
		}
		owner = id
	}
	ids := r.PostForm["ids"]
	if _, err := s.app.SetControlOwners(r.Context(), p.App(), ids, owner); err != nil {
		return err
	}
	http.Redirect(w, r, "/controls?flash=owners-saved", http.StatusSeeOther)
	return nil
}
