package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
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
