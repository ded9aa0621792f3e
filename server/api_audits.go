package server

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
)

type newAuditBody struct {
	Type        assay.AuditType `json:"type"`
	Name        string          `json:"name"`
	Firm        string          `json:"firm"`
	AsOf        string          `json:"as_of"`
	PeriodStart string          `json:"period_start"`
	PeriodEnd   string          `json:"period_end"`
}

// newAudit parses the dates of a new engagement (the service validates it).
func newAudit(b newAuditBody) (assay.NewAudit, error) {
	n := assay.NewAudit{Type: b.Type, Name: b.Name, Firm: b.Firm}
	var err error
	if n.AsOf, err = parseDate("as_of", b.AsOf); err != nil {
		return n, err
	}
	if n.PeriodStart, err = parseDate("period_start", b.PeriodStart); err != nil {
		return n, err
	}
	n.PeriodEnd, err = parseDate("period_end", b.PeriodEnd)
	return n, err
}

// GET /api/v1/audits
func (s *Server) apiAudits(w http.ResponseWriter, r *http.Request, p *principal) error {
	list, err := s.app.Audits(r.Context(), p.app())
	if err != nil {
		return err
	}
	out := make([]app.AuditView, len(list))
	for i, a := range list {
		out[i] = app.ViewAudit(a)
	}
	writeJSON(w, http.StatusOK, map[string]any{"audits": out, "count": len(out)})
	return nil
}

// POST /api/v1/audits
func (s *Server) apiCreateAudit(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b newAuditBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	n, err := newAudit(b)
	if err == nil {
		var a app.AuditView
		if a, err = s.app.CreateAudit(r.Context(), p.app(), n); err == nil {
			w.Header().Set("Location", "/api/v1/audits/"+strconv.FormatInt(a.ID, 10))
			writeJSON(w, http.StatusCreated, a)
			return nil
		}
	}
	return err
}

// GET /api/v1/audits/{id}
func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r, "Audit")
	if err == nil {
		var a assay.Audit
		if a, err = s.app.Audit(r.Context(), p.app(), id); err == nil {
			writeJSON(w, http.StatusOK, app.ViewAudit(a))
			return nil
		}
	}
	return err
}

// PATCH /api/v1/audits/{id} with {"status": "fieldwork"} moves the
// engagement on (planned, fieldwork, reporting, closed; closed is final).
func (s *Server) apiUpdateAudit(w http.ResponseWriter, r *http.Request, p *principal) error {
	var body struct {
		Status assay.AuditStatus `json:"status"`
	}
	id, err := pathID(r, "Audit")
	if err == nil {
		err = s.decodeJSON(w, r, &body)
	}
	if err == nil && body.Status == "" {
		err = assay.Invalid("status", "Send the new status: planned, fieldwork, reporting or closed.")
	}
	if err == nil {
		var a assay.Audit
		if a, err = s.app.SetAuditStatus(r.Context(), p.app(), id, body.Status); err == nil {
			writeJSON(w, http.StatusOK, app.ViewAudit(a))
			return nil
		}
	}
	return err
}

// GET /api/v1/audits/{id}/period
func (s *Server) apiAuditPeriod(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r, "Audit")
	if err == nil {
		var period assay.AuditPeriod
		if period, err = s.app.AuditPeriod(r.Context(), p.app(), id); err == nil {
			writeJSON(w, http.StatusOK, period)
			return nil
		}
	}
	return err
}

// GET /api/v1/audits/{id}/population?kind=&control=
func (s *Server) apiAuditPopulation(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r, "Audit")
	if err == nil {
		var pop assay.Population
		q := r.URL.Query()
		if pop, err = s.app.AuditPopulation(r.Context(), p.app(), id, q.Get("kind"), q.Get("control"), 0); err == nil {
			writeJSON(w, http.StatusOK, pop)
			return nil
		}
	}
	return err
}

// GET /api/v1/audits/{id}/samples
func (s *Server) apiAuditSamples(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r, "Audit")
	if err == nil {
		var list []assay.AuditSample
		if list, err = s.app.AuditSamples(r.Context(), p.app(), id); err == nil {
			writeJSON(w, http.StatusOK, map[string]any{"samples": list, "count": len(list)})
			return nil
		}
	}
	return err
}

// POST /api/v1/audits/{id}/samples
func (s *Server) apiCreateAuditSample(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r, "Audit")
	if err != nil {
		return err
	}
	var n assay.NewSample
	if err := s.decodeJSON(w, r, &n); err != nil {
		return err
	}
	sample, err := s.app.CreateAuditSample(r.Context(), p.app(), id, n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, sample)
	return nil
}

type inviteBody struct {
	Email     string `json:"email"`
	Name      string `json:"name"`
	Password  string `json:"password"`
	ExpiresAt string `json:"expires_at"`
}

// invite creates an engagement-limited auditor with the password the
// inviter chose.
func (s *Server) invite(r *http.Request, p *principal, auditID int64, b inviteBody) (assay.User, error) {
	exp, err := parseDate("expires_at", b.ExpiresAt)
	if err != nil {
		return assay.User{}, err
	}
	if exp != nil && b.Password == "" { // the service would make one up; here the inviter chooses it
		return assay.User{}, assay.ValidatePassword(b.Password)
	}
	in, err := s.app.InviteAuditor(r.Context(), p.app(), auditID, app.AuditorInvite{Email: b.Email, Name: b.Name, Password: b.Password,
		Expires: exp, DateOnly: len(b.ExpiresAt) == len("2006-01-02")})
	return in.User, err
}

// POST /api/v1/audits/{id}/auditors
func (s *Server) apiInviteAuditor(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r, "Audit")
	if err != nil {
		return err
	}
	var b inviteBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	u, err := s.invite(r, p, id, b)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}
