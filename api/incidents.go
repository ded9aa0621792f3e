package api

import (
	"io"
	"net/http"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/csvimport"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// GET /api/v1/incidents?status=&severity=&exercise=
func (s *Server) apiIncidents(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f, err := input.IncidentFilterFrom(r.URL.Query().Get)
	var list []assay.Incident
	if err == nil {
		list, err = s.app.Incidents(r.Context(), p.App(), f)
	}
	if err != nil {
		return err
	}
	out := app.ViewIncidents(list, s.clock.Now())
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"incidents": out, "count": len(out)})
	return nil
}

// POST /api/v1/incidents
func (s *Server) apiCreateIncident(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var n assay.NewIncident
	err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &n)
	var i assay.Incident
	if err == nil {
		i, err = s.app.ReportIncident(r.Context(), p.App(), n)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, app.ViewIncident(i, s.clock.Now()))
	return nil
}

// POST /api/v1/incidents/import with a text/csv body in the export's
// columns: every row or none.
func (s *Server) apiImportIncidents(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		return assay.Errorf(assay.ETOOLARGE, "The CSV is larger than %d bytes.", s.cfg.MaxBodyBytes)
	}
	list, err := csvimport.Incidents(r.Context(), s.app, p.App(), string(body), s.clock.Now())
	if err != nil {
		return err
	}
	out := app.ViewIncidents(list, s.clock.Now())
	httpkit.WriteJSON(w, http.StatusCreated, map[string]any{"incidents": out, "count": len(out)})
	return nil
}

// GET /api/v1/incidents/metrics
func (s *Server) apiIncidentMetrics(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	m, err := s.app.IncidentMetrics(r.Context(), p.App())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, m)
	return nil
}

// GET /api/v1/incidents/{id}: the incident with its timeline and the
// corrective actions its review opened.
func (s *Server) apiIncident(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Incident")
	var d app.IncidentDetail
	if err == nil {
		d, err = s.app.IncidentDetail(r.Context(), p.App(), id)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, d)
	return nil
}

// PATCH /api/v1/incidents/{id} with {"status": "triaged", "severity": "SEV2"},
// {"status": "contained"} or {"status": "resolved"}, optional "at" and "note".
func (s *Server) apiMoveIncident(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var m assay.IncidentMove
	id, err := input.PathID(r, "Incident")
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &m)
	}
	var i assay.Incident
	if err == nil {
		i, err = s.app.MoveIncident(r.Context(), p.App(), id, m)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, app.ViewIncident(i, s.clock.Now()))
	return nil
}

// POST /api/v1/incidents/{id}/notices with {"to": "customer"|"regulator", "at": optional}
func (s *Server) apiIncidentNotice(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b struct {
		To string    `json:"to"`
		At time.Time `json:"at"`
	}
	id, err := input.PathID(r, "Incident")
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b)
	}
	var i assay.Incident
	if err == nil {
		i, err = s.app.RecordIncidentNotice(r.Context(), p.App(), id, b.To, b.At)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, app.ViewIncident(i, s.clock.Now()))
	return nil
}

// POST /api/v1/incidents/{id}/owner with {"owner_id": N} (0: nobody)
func (s *Server) apiSetIncidentOwner(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b struct {
		OwnerID *int64 `json:"owner_id"`
	}
	id, err := input.PathID(r, "Incident")
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b)
	}
	if err == nil && (b.OwnerID == nil || *b.OwnerID < 0) {
		err = assay.Invalid("owner_id", "Give owner_id: a user id, or 0 for nobody.")
	}
	var i assay.Incident
	if err == nil {
		i, err = s.app.SetIncidentOwner(r.Context(), p.App(), id, *b.OwnerID)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, app.ViewIncident(i, s.clock.Now()))
	return nil
}

// GET /api/v1/incidents/{id}/timeline
func (s *Server) apiIncidentTimeline(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Incident")
	var list []assay.IncidentEntry
	if err == nil {
		list, err = s.app.IncidentTimeline(r.Context(), p.App(), id)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"entries": list, "count": len(list)})
	return nil
}

// POST /api/v1/incidents/{id}/timeline with {"text": "..."}
func (s *Server) apiAddIncidentEntry(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b struct {
		Text string `json:"text"`
	}
	id, err := input.PathID(r, "Incident")
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b)
	}
	var e assay.IncidentEntry
	if err == nil {
		e, err = s.app.AddIncidentNote(r.Context(), p.App(), id, b.Text)
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, e)
	return nil
}

// POST /api/v1/incidents/{id}/review closes a resolved incident with its
// review and opens its corrective actions.
func (s *Server) apiReviewIncident(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b input.ReviewBody
	id, err := input.PathID(r, "Incident")
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b)
	}
	var i assay.Incident
	var actions []assay.CorrectiveAction
	if err == nil {
		var rv app.IncidentReview
		if rv, err = b.Review(); err == nil {
			i, actions, err = s.app.ReviewIncident(r.Context(), p.App(), id, rv)
		}
	}
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, app.IncidentReviewed{Incident: app.ViewIncident(i, s.clock.Now()), CorrectiveActions: app.ViewCorrectives(actions, s.clock.Now())})
	return nil
}
