package api

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// GET /api/v1/audits
func (s *Server) apiAudits(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	list, err := s.app.Audits(r.Context(), p.App())
	if err != nil {
		return err
	}
	out := make([]app.AuditView, len(list))
	for i, a := range list {
		out[i] = app.ViewAudit(a)
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"audits": out, "count": len(out)})
	return nil
}

// POST /api/v1/audits
func (s *Server) apiCreateAudit(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b input.NewAuditBody
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b); err != nil {
		return err
	}
	n, err := input.NewAudit(b)
	if err == nil {
		var a app.AuditView
		if a, err = s.app.CreateAudit(r.Context(), p.App(), n); err == nil {
			w.Header().Set("Location", "/api/v1/audits/"+strconv.FormatInt(a.ID, 10))
			httpkit.WriteJSON(w, http.StatusCreated, a)
			return nil
		}
	}
	return err
}

// GET /api/v1/audits/{id}
func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err == nil {
		var a assay.Audit
		if a, err = s.app.Audit(r.Context(), p.App(), id); err == nil {
			httpkit.WriteJSON(w, http.StatusOK, app.ViewAudit(a))
			return nil
		}
	}
	return err
}

// PATCH /api/v1/audits/{id} with {"status": "fieldwork"} moves the
// engagement on (planned, fieldwork, reporting, closed; closed is final).
func (s *Server) apiUpdateAudit(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var body struct {
		Status assay.AuditStatus `json:"status"`
	}
	id, err := input.PathID(r, "Audit")
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &body)
	}
	if err == nil && body.Status == "" {
		err = assay.Invalid("status", "Send the new status: planned, fieldwork, reporting or closed.")
	}
	if err == nil {
		var a assay.Audit
		if a, err = s.app.SetAuditStatus(r.Context(), p.App(), id, body.Status); err == nil {
			httpkit.WriteJSON(w, http.StatusOK, app.ViewAudit(a))
			return nil
		}
	}
	return err
}

// GET /api/v1/audits/{id}/period
func (s *Server) apiAuditPeriod(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err == nil {
		var period assay.AuditPeriod
		if period, err = s.app.AuditPeriod(r.Context(), p.App(), id); err == nil {
			httpkit.WriteJSON(w, http.StatusOK, period)
			return nil
		}
	}
	return err
}

// GET /api/v1/audits/{id}/population?kind=&control=
func (s *Server) apiAuditPopulation(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err == nil {
		var pop assay.Population
		q := r.URL.Query()
		if pop, err = s.app.AuditPopulation(r.Context(), p.App(), id, q.Get("kind"), q.Get("control"), 0); err == nil {
			httpkit.WriteJSON(w, http.StatusOK, pop)
			return nil
		}
	}
	return err
}

// GET /api/v1/audits/{id}/samples/{sample}/population
func (s *Server) apiAuditSamplePopulation(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	sample, err := input.PathIDOf(r, "sample", "Sample")
	if err != nil {
		return err
	}
	pop, err := s.app.AuditSamplePopulation(r.Context(), p.App(), id, sample)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, pop)
	return nil
}

// GET /api/v1/audits/{id}/samples
func (s *Server) apiAuditSamples(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err == nil {
		var list []assay.AuditSample
		if list, err = s.app.AuditSamples(r.Context(), p.App(), id); err == nil {
			httpkit.WriteJSON(w, http.StatusOK, map[string]any{"samples": list, "count": len(list)})
			return nil
		}
	}
	return err
}

// POST /api/v1/audits/{id}/samples
func (s *Server) apiCreateAuditSample(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	var n assay.NewSample
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &n); err != nil {
		return err
	}
	sample, err := s.app.CreateAuditSample(r.Context(), p.App(), id, n)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, sample)
	return nil
}

// POST /api/v1/audits/{id}/auditors
func (s *Server) apiInviteAuditor(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Audit")
	if err != nil {
		return err
	}
	var b input.InviteBody
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b); err != nil {
		return err
	}
	inv, err := b.Invite()
	if err != nil {
		return err
	}
	invited, err := s.app.InviteAuditor(r.Context(), p.App(), id, inv)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, invited.User)
	return nil
}
