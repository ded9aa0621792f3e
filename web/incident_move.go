package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) moveIncidentForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Incident")
	m := assay.IncidentMove{Status: assay.IncidentStatus(r.PostFormValue("status")), Severity: assay.Severity(r.PostFormValue("severity")), Note: r.PostFormValue("note")}
	if err == nil {
		m.At, err = input.ParseInstant("at", r.PostFormValue("at"))
	}
	if err == nil {
		_, err = s.app.MoveIncident(r.Context(), p.App(), id, m)
	}
	return s.afterIncidentForm(w, r, p, id, err, "moved")
}
