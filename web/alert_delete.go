package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// POST /settings/alerts/{id}/delete
func (s *Server) deleteAlertForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Alert channel")
	if err == nil {
		err = s.app.DeleteAlertChannel(r.Context(), p.App(), id)
	}
	return s.afterAlertForm(w, r, p, err, "channel-removed")
}
