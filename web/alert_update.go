package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// POST /settings/alerts/{id}: enable/disable, rename, change settings; a
// blank secret field keeps the stored secret.
func (s *Server) updateAlertForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Alert channel")
	var cur assay.AlertChannel
	if err == nil {
		cur, err = s.app.AlertChannel(r.Context(), p.App(), id)
	}
	if err == nil && !s.app.AlertsEnabled() {
		err = app.ErrNoAlerts
	}
	if err != nil {
		return s.afterAlertForm(w, r, p, err, "channel-saved")
	}
	patch := assay.AlertChannelPatch{}
	var secrets map[string]string
	if r.PostForm.Has("enabled") {
		on := r.PostForm.Get("enabled") == "on"
		patch.Enabled = &on
	}
	if r.PostForm.Has("name") {
		n := r.PostForm.Get("name")
		patch.Name = &n
		var settings map[string]string
		settings, secrets, err = alertFields(r, cur.Kind)
		patch.Settings = settings
	}
	if err == nil {
		_, err = s.app.UpdateAlertChannel(r.Context(), p.App(), id, patch, secrets, nil)
	}
	return s.afterAlertForm(w, r, p, err, "channel-saved")
}
