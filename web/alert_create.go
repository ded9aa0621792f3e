package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// POST /settings/alerts
func (s *Server) createAlertForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	kind := assay.AlertKind(r.PostForm.Get("kind"))
	settings, secrets, err := alertFields(r, kind)
	if err == nil {
		_, err = s.app.CreateAlertChannel(r.Context(), p.App(),
			assay.NewAlertChannel{Kind: kind, Name: r.PostForm.Get("name"), Settings: settings, Enabled: true}, secrets)
	}
	return s.afterAlertForm(w, r, p, err, "channel-added")
}
