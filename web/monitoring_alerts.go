package web

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
	"github.com/assay-platform/assay/monitor/alert"
)

// GET /settings/alerts: channels (secrets shown as "set", never their
// values) and the delivery log.
func (s *Server) alertsPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showAlerts(w, r, p, http.StatusOK, "", "")
}

// monitoringAlertsData is what the alert channels page shows.
type monitoringAlertsData struct {
	Channels   []assay.AlertChannel
	Deliveries []assay.AlertDelivery
	Specs      []alert.Spec
	Enabled    bool
}

func (s *Server) showAlerts(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg, flash string) error {
	channels, err := s.app.AlertChannels(r.Context(), p.App())
	if err != nil {
		return err
	}
	deliveries, err := s.app.AlertDeliveries(r.Context(), p.App(), 0, 100)
	if err != nil {
		return err
	}
	s.render(w, r, status, "monitoring_alerts", pageData{Title: "Alert channels", Nav: "alerts", Error: errMsg, Flash: flash, Data: monitoringAlertsData{
		Channels:   channels,
		Deliveries: deliveries,
		Specs:      alert.Specs,
		Enabled:    s.app.AlertsEnabled(),
	}})
	return nil
}

// alertFields reads the "f_<name>" inputs of a kind's fields.
func alertFields(r *http.Request, kind assay.AlertKind) (settings, secrets map[string]string, err error) {
	spec, ok := alert.SpecOf(kind)
	if !ok {
		return nil, nil, assay.Invalid("kind", "Choose webhook, slack or email.")
	}
	values := map[string]string{}
	for _, f := range spec.Fields {
		if v := strings.TrimSpace(r.PostForm.Get(string(kind) + "_" + f.Name)); v != "" {
			values[f.Name] = v
		}
	}
	return alert.SplitFields(kind, values)
}

// POST /settings/alerts
func (s *Server) createAlertForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	kind := assay.AlertKind(r.PostForm.Get("kind"))
	settings, secrets, err := alertFields(r, kind)
	if err == nil {
		_, err = s.app.CreateAlertChannel(r.Context(), p.App(),
			assay.NewAlertChannel{Kind: kind, Name: r.PostForm.Get("name"), Settings: settings, Enabled: true}, secrets)
	}
	return s.afterAlertForm(w, r, p, err, "Channel added.")
}

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
		return s.afterAlertForm(w, r, p, err, "")
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
	return s.afterAlertForm(w, r, p, err, "Channel saved.")
}

// POST /settings/alerts/{id}/test
func (s *Server) testAlertForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Alert channel")
	var d assay.AlertDelivery
	if err == nil {
		d, err = s.app.TestAlertChannel(r.Context(), p.App(), id)
	}
	if err != nil && d.ID != 0 {
		return s.showAlerts(w, r, p, http.StatusOK, "The test message could not be delivered: "+d.Error, "")
	}
	return s.afterAlertForm(w, r, p, err, "Test message sent.")
}

// POST /settings/alerts/{id}/delete
func (s *Server) deleteAlertForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Alert channel")
	if err == nil {
		err = s.app.DeleteAlertChannel(r.Context(), p.App(), id)
	}
	return s.afterAlertForm(w, r, p, err, "Channel removed.")
}

func (s *Server) afterAlertForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, err error, done string) error {
	if err == nil {
		_ = done
		http.Redirect(w, r, "/settings/alerts?flash=saved", http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		if f := errField(err); f != "" && !strings.Contains(strings.ToLower(msg), strings.ToLower(f)) {
			msg = f + ": " + msg
		}
		return s.showAlerts(w, r, p, status, msg, "")
	})
}
