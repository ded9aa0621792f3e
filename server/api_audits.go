package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
)

type newAuditBody struct {
	Type        assay.AuditType `json:"type"`
	Name        string          `json:"name"`
	Firm        string          `json:"firm"`
	AsOf        string          `json:"as_of"`
	PeriodStart string          `json:"period_start"`
	PeriodEnd   string          `json:"period_end"`
}

// newAudit parses the dates of a new engagement and validates it,
// returning its warnings.
func newAudit(b newAuditBody) (assay.NewAudit, []string, error) {
	n := assay.NewAudit{Type: b.Type, Name: b.Name, Firm: b.Firm}
	var err error
	if n.AsOf, err = parseDate("as_of", b.AsOf); err != nil {
		return n, nil, err
	}
	if n.PeriodStart, err = parseDate("period_start", b.PeriodStart); err != nil {
		return n, nil, err
	}
	if n.PeriodEnd, err = parseDate("period_end", b.PeriodEnd); err != nil {
		return n, nil, err
	}
	warnings, err := n.Validate()
	return n, warnings, err
}

// auditView is an engagement as the API shows it, with its warnings.
type auditView struct {
	assay.Audit
	Warnings []string `json:"warnings"`
}

func auditWarnings(a assay.Audit) []string {
	n := assay.NewAudit{Type: a.Type, Name: a.Name, Firm: a.Firm, AsOf: a.AsOf, PeriodStart: a.PeriodStart, PeriodEnd: a.PeriodEnd}
	w, _ := n.Validate()
	if w == nil {
		w = []string{}
	}
	return w
}

// GET /api/v1/audits
func (s *Server) apiAudits(w http.ResponseWriter, r *http.Request, p *principal) {
	list, err := p.Org.Audits(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]auditView, len(list))
	for i, a := range list {
		out[i] = auditView{a, auditWarnings(a)}
	}
	writeJSON(w, http.StatusOK, map[string]any{"audits": out, "count": len(out)})
}

// POST /api/v1/audits
func (s *Server) apiCreateAudit(w http.ResponseWriter, r *http.Request, p *principal) {
	var b newAuditBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		s.apiError(w, r, err)
		return
	}
	n, warnings, err := newAudit(b)
	if err == nil {
		var a assay.Audit
		if a, err = p.Org.CreateAudit(r.Context(), p.actor(), n); err == nil {
			if warnings == nil {
				warnings = []string{}
			}
			w.Header().Set("Location", "/api/v1/audits/"+strconv.FormatInt(a.ID, 10))
			writeJSON(w, http.StatusCreated, auditView{a, warnings})
			return
		}
	}
	s.apiError(w, r, err)
}

// GET /api/v1/audits/{id}
func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request, p *principal) {
	id, err := pathID(r, "Audit")
	if err == nil {
		var a assay.Audit
		if a, err = p.Org.Audit(r.Context(), id); err == nil {
			writeJSON(w, http.StatusOK, auditView{a, auditWarnings(a)})
			return
		}
	}
	s.apiError(w, r, err)
}

// PATCH /api/v1/audits/{id} with {"status": "fieldwork"} moves the
// engagement on (planned, fieldwork, reporting, closed; closed is final).
func (s *Server) apiUpdateAudit(w http.ResponseWriter, r *http.Request, p *principal) {
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
		if a, err = p.Org.SetAuditStatus(r.Context(), p.actor(), id, body.Status); err == nil {
			writeJSON(w, http.StatusOK, auditView{a, auditWarnings(a)})
			return
		}
	}
	s.apiError(w, r, err)
}

// GET /api/v1/audits/{id}/period
func (s *Server) apiAuditPeriod(w http.ResponseWriter, r *http.Request, p *principal) {
	id, err := pathID(r, "Audit")
	if err == nil {
		var period assay.AuditPeriod
		if period, err = s.app.AuditPeriod(r.Context(), p.app(), id); err == nil {
			writeJSON(w, http.StatusOK, period)
			return
		}
	}
	s.apiError(w, r, err)
}

// GET /api/v1/audits/{id}/population?kind=&control=
func (s *Server) apiAuditPopulation(w http.ResponseWriter, r *http.Request, p *principal) {
	id, err := pathID(r, "Audit")
	if err == nil {
		var pop assay.Population
		q := r.URL.Query()
		if pop, err = p.Org.AuditPopulation(r.Context(), id, q.Get("kind"), q.Get("control"), 0); err == nil {
			writeJSON(w, http.StatusOK, pop)
			return
		}
	}
	s.apiError(w, r, err)
}

// GET /api/v1/audits/{id}/samples
func (s *Server) apiAuditSamples(w http.ResponseWriter, r *http.Request, p *principal) {
	id, err := pathID(r, "Audit")
	if err == nil {
		var list []assay.AuditSample
		if list, err = p.Org.AuditSamples(r.Context(), id); err == nil {
			writeJSON(w, http.StatusOK, map[string]any{"samples": list, "count": len(list)})
			return
		}
	}
	s.apiError(w, r, err)
}

// POST /api/v1/audits/{id}/samples
func (s *Server) apiCreateAuditSample(w http.ResponseWriter, r *http.Request, p *principal) {
	id, err := pathID(r, "Audit")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var n assay.NewSample
	if err := s.decodeJSON(w, r, &n); err != nil {
		s.apiError(w, r, err)
		return
	}
	sample, err := p.Org.CreateAuditSample(r.Context(), p.actor(), id, n)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, sample)
}

type inviteBody struct {
	Email     string `json:"email"`
	Name      string `json:"name"`
	Password  string `json:"password"`
	ExpiresAt string `json:"expires_at"`
}

// invite creates an engagement-limited auditor.
func (s *Server) invite(r *http.Request, p *principal, auditID int64, b inviteBody) (assay.User, error) {
	exp, err := parseDate("expires_at", b.ExpiresAt)
	if err != nil {
		return assay.User{}, err
	}
	if exp == nil {
		return assay.User{}, assay.Invalid("expires_at", "Say when the auditor's access ends.")
	}
	if len(b.ExpiresAt) == len("2006-01-02") {
		*exp = exp.Add(24*time.Hour - time.Second) // through the end of that day
	}
	n := assay.NewUser{Email: b.Email, Name: b.Name, Role: assay.RoleAuditor, Password: b.Password}
	if err := n.Validate(); err != nil {
		return assay.User{}, err
	}
	hash, err := auth.HashPassword(n.Password, s.cfg.PasswordParams)
	if err != nil {
		return assay.User{}, err
	}
	return p.Org.InviteAuditor(r.Context(), p.actor(), auditID, n, hash, *exp)
}

// POST /api/v1/audits/{id}/auditors
func (s *Server) apiInviteAuditor(w http.ResponseWriter, r *http.Request, p *principal) {
	id, err := pathID(r, "Audit")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var b inviteBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		s.apiError(w, r, err)
		return
	}
	u, err := s.invite(r, p, id, b)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, u)
}
