package server

import (
	"io"
	"net/http"
	"time"

	"github.com/assay-platform/assay"
)

// GET /api/v1/incidents?status=&severity=&exercise=
func (s *Server) apiIncidents(w http.ResponseWriter, r *http.Request, p *principal) {
	f, err := incidentFilterFrom(r.URL.Query().Get)
	var list []assay.Incident
	if err == nil {
		list, err = p.Org.Incidents(r.Context(), f)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]incidentView, len(list))
	for i, inc := range list {
		out[i] = s.viewIncident(inc)
	}
	writeJSON(w, http.StatusOK, map[string]any{"incidents": out, "count": len(out)})
}

// POST /api/v1/incidents
func (s *Server) apiCreateIncident(w http.ResponseWriter, r *http.Request, p *principal) {
	var n assay.NewIncident
	err := s.decodeJSON(w, r, &n)
	var i assay.Incident
	if err == nil {
		i, err = p.Org.CreateIncident(r.Context(), p.actor(), n)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, s.viewIncident(i))
}

// POST /api/v1/incidents/import with a text/csv body in the export's
// columns: every row or none.
func (s *Server) apiImportIncidents(w http.ResponseWriter, r *http.Request, p *principal) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		s.apiError(w, r, assay.Errorf(assay.ETOOLARGE, "The CSV is larger than %d bytes.", s.cfg.MaxBodyBytes))
		return
	}
	list, err := s.importIncidents(r, p, string(body))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]incidentView, len(list))
	for i, inc := range list {
		out[i] = s.viewIncident(inc)
	}
	writeJSON(w, http.StatusCreated, map[string]any{"incidents": out, "count": len(out)})
}

// GET /api/v1/incidents/metrics
func (s *Server) apiIncidentMetrics(w http.ResponseWriter, r *http.Request, p *principal) {
	list, err := p.Org.Incidents(r.Context(), assay.IncidentFilter{})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, assay.ComputeIncidentMetrics(list))
}

// GET /api/v1/incidents/{id}: the incident with its timeline and the
// corrective actions its review opened.
func (s *Server) apiIncident(w http.ResponseWriter, r *http.Request, p *principal) {
	id, err := pathID(r, "Incident")
	var i assay.Incident
	var timeline []assay.IncidentEntry
	var actions []assay.CorrectiveAction
	if err == nil {
		i, err = p.Org.Incident(r.Context(), id)
	}
	if err == nil {
		timeline, err = p.Org.IncidentTimeline(r.Context(), id)
	}
	if err == nil {
		actions, err = p.Org.CorrectiveActions(r.Context(), assay.CorrectiveFilter{IncidentID: id})
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		incidentView
		Timeline          []assay.IncidentEntry `json:"timeline"`
		CorrectiveActions []correctiveView      `json:"corrective_actions"`
	}{s.viewIncident(i), timeline, s.viewCorrective(actions)})
}

// PATCH /api/v1/incidents/{id} with {"status": "triaged", "severity": "SEV2"},
// {"status": "contained"} or {"status": "resolved"}, optional "at" and "note".
func (s *Server) apiMoveIncident(w http.ResponseWriter, r *http.Request, p *principal) {
	var m assay.IncidentMove
	id, err := pathID(r, "Incident")
	if err == nil {
		err = s.decodeJSON(w, r, &m)
	}
	var i assay.Incident
	if err == nil {
		i, err = p.Org.MoveIncident(r.Context(), p.actor(), id, m)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.viewIncident(i))
}

// POST /api/v1/incidents/{id}/notices with {"to": "customer"|"regulator", "at": optional}
func (s *Server) apiIncidentNotice(w http.ResponseWriter, r *http.Request, p *principal) {
	var b struct {
		To string    `json:"to"`
		At time.Time `json:"at"`
	}
	id, err := pathID(r, "Incident")
	if err == nil {
		err = s.decodeJSON(w, r, &b)
	}
	var i assay.Incident
	if err == nil {
		i, err = p.Org.RecordIncidentNotice(r.Context(), p.actor(), id, b.To, b.At)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.viewIncident(i))
}

// GET /api/v1/incidents/{id}/timeline
func (s *Server) apiIncidentTimeline(w http.ResponseWriter, r *http.Request, p *principal) {
	id, err := pathID(r, "Incident")
	var list []assay.IncidentEntry
	if err == nil {
		list, err = p.Org.IncidentTimeline(r.Context(), id)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": list, "count": len(list)})
}

// POST /api/v1/incidents/{id}/timeline with {"text": "..."}
func (s *Server) apiAddIncidentEntry(w http.ResponseWriter, r *http.Request, p *principal) {
	var b struct {
		Text string `json:"text"`
	}
	id, err := pathID(r, "Incident")
	if err == nil {
		err = s.decodeJSON(w, r, &b)
	}
	var e assay.IncidentEntry
	if err == nil {
		e, err = p.Org.AddIncidentEntry(r.Context(), p.actor(), id, b.Text)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, e)
}

// POST /api/v1/incidents/{id}/review closes a resolved incident with its
// review and opens its corrective actions.
func (s *Server) apiReviewIncident(w http.ResponseWriter, r *http.Request, p *principal) {
	var b reviewBody
	id, err := pathID(r, "Incident")
	if err == nil {
		err = s.decodeJSON(w, r, &b)
	}
	var i assay.Incident
	var actions []assay.CorrectiveAction
	if err == nil {
		i, actions, err = s.review(r.Context(), p, id, b)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"incident": s.viewIncident(i), "corrective_actions": s.viewCorrective(actions)})
}
