package server

import (
	"io"
	"net/http"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

// GET /api/v1/incidents?status=&severity=&exercise=
func (s *Server) apiIncidents(w http.ResponseWriter, r *http.Request, p *principal) error {
	f, err := incidentFilterFrom(r.URL.Query().Get)
	var list []assay.Incident
	if err == nil {
		list, err = s.app.Incidents(r.Context(), p.app(), f)
	}
	if err != nil {
		return err
	}
	out := app.ViewIncidents(list, s.clock.Now())
	writeJSON(w, http.StatusOK, map[string]any{"incidents": out, "count": len(out)})
	return nil
}

// POST /api/v1/incidents
func (s *Server) apiCreateIncident(w http.ResponseWriter, r *http.Request, p *principal) error {
	var n assay.NewIncident
	err := s.decodeJSON(w, r, &n)
	var i assay.Incident
	if err == nil {
		i, err = s.app.ReportIncident(r.Context(), p.app(), n)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.viewIncident(i))
	return nil
}

// POST /api/v1/incidents/import with a text/csv body in the export's
// columns: every row or none.
func (s *Server) apiImportIncidents(w http.ResponseWriter, r *http.Request, p *principal) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		return assay.Errorf(assay.ETOOLARGE, "The CSV is larger than %d bytes.", s.cfg.MaxBodyBytes)
	}
	list, err := s.importIncidents(r, p, string(body))
	if err != nil {
		return err
	}
	out := app.ViewIncidents(list, s.clock.Now())
	writeJSON(w, http.StatusCreated, map[string]any{"incidents": out, "count": len(out)})
	return nil
}

// GET /api/v1/incidents/metrics
func (s *Server) apiIncidentMetrics(w http.ResponseWriter, r *http.Request, p *principal) error {
	m, err := s.app.IncidentMetrics(r.Context(), p.app())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

// GET /api/v1/incidents/{id}: the incident with its timeline and the
// corrective actions its review opened.
func (s *Server) apiIncident(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r, "Incident")
	var d app.IncidentDetail
	if err == nil {
		d, err = s.app.IncidentDetail(r.Context(), p.app(), id)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// PATCH /api/v1/incidents/{id} with {"status": "triaged", "severity": "SEV2"},
// {"status": "contained"} or {"status": "resolved"}, optional "at" and "note".
func (s *Server) apiMoveIncident(w http.ResponseWriter, r *http.Request, p *principal) error {
	var m assay.IncidentMove
	id, err := pathID(r, "Incident")
	if err == nil {
		err = s.decodeJSON(w, r, &m)
	}
	var i assay.Incident
	if err == nil {
		i, err = s.app.MoveIncident(r.Context(), p.app(), id, m)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.viewIncident(i))
	return nil
}

// POST /api/v1/incidents/{id}/notices with {"to": "customer"|"regulator", "at": optional}
func (s *Server) apiIncidentNotice(w http.ResponseWriter, r *http.Request, p *principal) error {
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
		i, err = s.app.RecordIncidentNotice(r.Context(), p.app(), id, b.To, b.At)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.viewIncident(i))
	return nil
}

// GET /api/v1/incidents/{id}/timeline
func (s *Server) apiIncidentTimeline(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r, "Incident")
	var list []assay.IncidentEntry
	if err == nil {
		list, err = s.app.IncidentTimeline(r.Context(), p.app(), id)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": list, "count": len(list)})
	return nil
}

// POST /api/v1/incidents/{id}/timeline with {"text": "..."}
func (s *Server) apiAddIncidentEntry(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b struct {
		Text string `json:"text"`
	}
	id, err := pathID(r, "Incident")
	if err == nil {
		err = s.decodeJSON(w, r, &b)
	}
	var e assay.IncidentEntry
	if err == nil {
		e, err = s.app.AddIncidentNote(r.Context(), p.app(), id, b.Text)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, e)
	return nil
}

// POST /api/v1/incidents/{id}/review closes a resolved incident with its
// review and opens its corrective actions.
func (s *Server) apiReviewIncident(w http.ResponseWriter, r *http.Request, p *principal) error {
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
		return err
	}
	writeJSON(w, http.StatusOK, app.IncidentReviewed{Incident: s.viewIncident(i), CorrectiveActions: s.viewCorrective(actions)})
	return nil
}
