package web

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// POST /incidents/{id}/owner: an admin gives the incident the admin or
// member who sees it through (empty: nobody).
func (s *Server) incidentOwnerForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Incident")
	var owner int64
	if v := r.PostFormValue("owner_id"); err == nil && v != "" {
		if owner, err = strconv.ParseInt(v, 10, 64); err != nil || owner < 0 {
			err = assay.Invalid("owner_id", "Choose an owner from the list.")
		}
	}
	if err == nil {
		_, err = s.app.SetIncidentOwner(r.Context(), p.App(), id, owner)
	}
	return s.afterIncidentForm(w, r, p, id, err, "owner")
}
