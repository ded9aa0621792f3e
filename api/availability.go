package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// availabilityRoutes registers availability monitoring: everyone who
// reads the program reads services, uptime and SLA reports; admins
// (ActionManageMonitoring) add, change and remove services and plan
// maintenance.
func (s *Server) availabilityRoutes() {
	s.api("GET /api/v1/services", assay.ActionRead, s.apiServices)
	s.api("POST /api/v1/services", assay.ActionManageMonitoring, s.apiCreateService)
	s.api("GET /api/v1/services/{id}", assay.ActionRead, s.apiService)
	s.api("PATCH /api/v1/services/{id}", assay.ActionManageMonitoring, s.apiUpdateService)
	s.api("DELETE /api/v1/services/{id}", assay.ActionManageMonitoring, s.apiDeleteService)
	s.api("GET /api/v1/services/{id}/sla", assay.ActionRead, s.apiServiceSLA)
	s.api("GET /api/v1/services/{id}/sla.csv", assay.ActionRead, s.apiServiceSLACSV)
	s.api("POST /api/v1/services/{id}/maintenance", assay.ActionManageMonitoring, s.apiCreateMaintenance)
	s.api("DELETE /api/v1/services/{id}/maintenance/{window}", assay.ActionManageMonitoring, s.apiDeleteMaintenance)
}

// GET /api/v1/services?days=N: every service with its headline figures
// (and N daily bars, at most 90).
func (s *Server) apiServices(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	days := 0
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 90 {
			return assay.Invalid("days", "days is a number of daily bars from 0 to 90.")
		}
		days = n
	}
	list, err := s.app.Services(r.Context(), p.App(), days)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"services": list, "count": len(list)})
	return nil
}

// POST /api/v1/services
func (s *Server) apiCreateService(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	in := assay.Service{Enabled: true, Retries: assay.DefaultProbeRetries}
	var patch app.ServicePatch
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &patch); err != nil {
		return err
	}
	svc, err := s.app.CreateService(r.Context(), p.App(), patch.Apply(in))
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, svc)
	return nil
}

// GET /api/v1/services/{id}: uptime over 24 h to a year, 90 daily bars,
// this month's SLA, 7 days of hourly latency, downtimes and maintenance.
func (s *Server) apiService(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Service")
	if err != nil {
		return err
	}
	d, err := s.app.Service(r.Context(), p.App(), id)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, d)
	return nil
}

// PATCH /api/v1/services/{id}
func (s *Server) apiUpdateService(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Service")
	if err != nil {
		return err
	}
	var patch app.ServicePatch
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &patch); err != nil {
		return err
	}
	svc, err := s.app.UpdateService(r.Context(), p.App(), id, patch)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, svc)
	return nil
}

// DELETE /api/v1/services/{id}: only a service never probed
func (s *Server) apiDeleteService(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Service")
	if err != nil {
		return err
	}
	if err := s.app.DeleteService(r.Context(), p.App(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// GET /api/v1/services/{id}/sla?month=YYYY-MM
func (s *Server) apiServiceSLA(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Service")
	if err != nil {
		return err
	}
	rep, err := s.app.SLAReport(r.Context(), p.App(), id, r.URL.Query().Get("month"))
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, rep)
	return nil
}

// GET /api/v1/services/{id}/sla.csv?month=YYYY-MM
func (s *Server) apiServiceSLACSV(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Service")
	if err != nil {
		return err
	}
	rep, err := s.app.SLAReport(r.Context(), p.App(), id, r.URL.Query().Get("month"))
	if err != nil {
		return err
	}
	writeCSV(w, fmt.Sprintf("sla-%d-%s.csv", id, rep.Month), app.SLAReportRows(rep))
	return nil
}

// maintenanceInput is a window to plan.
type maintenanceInput struct {
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	Reason   string    `json:"reason"`
}

// POST /api/v1/services/{id}/maintenance
func (s *Server) apiCreateMaintenance(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Service")
	if err != nil {
		return err
	}
	var in maintenanceInput
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &in); err != nil {
		return err
	}
	m, err := s.app.CreateMaintenance(r.Context(), p.App(), assay.MaintenanceWindow{ServiceID: id, StartsAt: in.StartsAt, EndsAt: in.EndsAt, Reason: in.Reason})
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, m)
	return nil
}

// DELETE /api/v1/services/{id}/maintenance/{window}
func (s *Server) apiDeleteMaintenance(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Service")
	if err != nil {
		return err
	}
	wid, err := input.PathIDOf(r, "window", "Maintenance window")
	if err != nil {
		return err
	}
	if err := s.app.DeleteMaintenance(r.Context(), p.App(), id, wid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
