package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) incidentNoticeForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Incident")
	if err == nil {
		at, perr := input.ParseInstant("at", r.PostFormValue("at"))
		if err = perr; err == nil {
			_, err = s.app.RecordIncidentNotice(r.Context(), p.App(), id, r.PostFormValue("to"), at)
		}
	}
	return s.afterIncidentForm(w, r, p, id, err, "notice")
}
