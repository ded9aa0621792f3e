package web

import (
	"net/http"
	"net/url"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) incidentsPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	// The report form starts at now, the common case when reporting.
	now := s.clock.Now().UTC().Format("2006-01-02T15:04")
	return s.showIncidents(w, r, p, http.StatusOK, "", url.Values{"occurred_at": {now}, "detected_at": {now}})
}

// incidentsData is what the incidents page shows.
type incidentsData struct {
	Incidents  []app.IncidentView
	Metrics    assay.IncidentMetrics
	Query      url.Values
	Form       url.Values
	Statuses   []assay.IncidentStatus
	Severities []assay.Severity
	CanReport  bool
	CanImport  bool
}

func (s *Server) showIncidents(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	q := r.URL.Query()
	f, err := input.IncidentFilterFrom(q.Get)
	if err != nil {
		return err
	}
	list, err := s.app.Incidents(r.Context(), p.App(), f)
	if err != nil {
		return err
	}
	metrics, err := s.app.IncidentMetrics(r.Context(), p.App())
	if err != nil {
		return err
	}
	views := app.ViewIncidents(list, s.clock.Now())
	s.render(w, r, status, "incidents", pageData{Title: "Incidents", Nav: "incidents", Error: errMsg, Flash: incidentFlash[q.Get("flash")], Data: incidentsData{
		Incidents: views, Metrics: metrics, Query: q, Form: form,
		Statuses: assay.IncidentStatuses, Severities: assay.Severities,
		CanReport: p.User.Can(assay.ActionReportIncident, nil), CanImport: p.User.Can(assay.ActionManageIncidents, nil),
	}})
	return nil
}
