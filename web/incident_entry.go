package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) incidentEntryForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Incident")
	if err == nil {
		_, err = s.app.AddIncidentNote(r.Context(), p.App(), id, r.PostFormValue("text"))
	}
	return s.afterIncidentForm(w, r, p, id, err, "entry")
}
