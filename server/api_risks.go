package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
)

// riskBody is a risk as the API and forms send it; dates are "2026-03-31".
type riskBody struct {
	Category           string   `json:"category"`
	Title              string   `json:"title"`
	Description        string   `json:"description"`
	OwnerID            int64    `json:"owner_id"`
	Likelihood         int      `json:"likelihood"`
	Impact             int      `json:"impact"`
	ResidualLikelihood int      `json:"residual_likelihood"`
	ResidualImpact     int      `json:"residual_impact"`
	Treatment          string   `json:"treatment"`
	ApproverID         int64    `json:"approver_id"`
	AcceptExpires      string   `json:"accept_expires"`
	Controls           []string `json:"controls"`
	ReviewDate         string   `json:"review_date"`
	Status             string   `json:"status"`
}

// risk parses the body's dates and checks what needs no database.
func (b riskBody) risk() (assay.Risk, error) {
	r := assay.Risk{Category: b.Category, Title: b.Title, Description: b.Description, OwnerID: b.OwnerID,
		Likelihood: b.Likelihood, Impact: b.Impact, ResidualLikelihood: b.ResidualLikelihood, ResidualImpact: b.ResidualImpact,
		Treatment: assay.RiskTreatment(b.Treatment), ApproverID: b.ApproverID, Controls: b.Controls, Status: assay.RiskStatus(b.Status)}
	var err error
	if r.AcceptExpires, err = parseDate("accept_expires", b.AcceptExpires); err != nil {
		return r, err
	}
	if r.ReviewDate, err = parseDate("review_date", b.ReviewDate); err != nil {
		return r, err
	}
	r.Normalize()
	return r, r.Validate()
}

type riskView = app.RiskView

func viewRisk(r assay.Risk, now time.Time) riskView { return app.ViewRisk(r, now) }

// GET /api/v1/risks
func (s *Server) apiRisks(w http.ResponseWriter, r *http.Request, p *principal) error {
	list, err := s.app.Risks(r.Context(), p.app())
	if err != nil {
		return err
	}
	out := make([]riskView, len(list))
	for i, x := range list {
		out[i] = viewRisk(x, s.clock.Now())
	}
	writeJSON(w, http.StatusOK, map[string]any{"risks": out, "count": len(out)})
	return nil
}

// POST /api/v1/risks
func (s *Server) apiCreateRisk(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b riskBody
	err := s.decodeJSON(w, r, &b)
	if err == nil {
		var risk assay.Risk
		if risk, err = b.risk(); err == nil {
			var got []assay.Risk
			if got, err = s.app.CreateRisks(r.Context(), p.app(), []assay.Risk{risk}); err == nil {
				w.Header().Set("Location", "/api/v1/risks/"+strconv.FormatInt(got[0].ID, 10))
				writeJSON(w, http.StatusCreated, viewRisk(got[0], s.clock.Now()))
				return nil
			}
		}
	}
	return err
}

// GET /api/v1/risks/{id}
func (s *Server) apiRisk(w http.ResponseWriter, r *http.Request, p *principal) error {
	id, err := pathID(r, "Risk")
	if err == nil {
		var risk assay.Risk
		if risk, err = s.app.Risk(r.Context(), p.app(), id); err == nil {
			writeJSON(w, http.StatusOK, viewRisk(risk, s.clock.Now()))
			return nil
		}
	}
	return err
}

// PUT /api/v1/risks/{id} replaces the editable fields.
func (s *Server) apiUpdateRisk(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b riskBody
	id, err := pathID(r, "Risk")
	if err == nil {
		err = s.decodeJSON(w, r, &b)
	}
	if err == nil {
		var after assay.Risk
		if after, err = s.updateRisk(r, p, id, b); err == nil {
			writeJSON(w, http.StatusOK, viewRisk(after, s.clock.Now()))
			return nil
		}
	}
	return err
}

func (s *Server) updateRisk(r *http.Request, p *principal, id int64, b riskBody) (assay.Risk, error) {
	if err := s.app.MayEditRisk(r.Context(), p.app(), id); err != nil {
		return assay.Risk{}, err
	}
	risk, err := b.risk()
	if err != nil {
		return risk, err
	}
	return s.app.UpdateRisk(r.Context(), p.app(), id, risk)
}

// GET /api/v1/risk-templates
func (s *Server) apiRiskTemplates(w http.ResponseWriter, r *http.Request, p *principal) error {
	list, err := catalog.RiskTemplates()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"templates": list, "count": len(list)})
	return nil
}

// POST /api/v1/risks/adopt with {"template_ids": ["RSK-01"]} or ["all"].
func (s *Server) apiAdoptRisks(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b struct {
		TemplateIDs []string `json:"template_ids"`
	}
	err := s.decodeJSON(w, r, &b)
	if err == nil {
		var risks []assay.Risk
		if risks, err = s.app.AdoptRiskTemplates(r.Context(), p.app(), b.TemplateIDs); err == nil {
			out := make([]riskView, len(risks))
			for i, x := range risks {
				out[i] = viewRisk(x, s.clock.Now())
			}
			writeJSON(w, http.StatusCreated, map[string]any{"risks": out, "count": len(out)})
			return nil
		}
	}
	return err
}

type assessmentBody struct {
	Date       string `json:"date"`
	Summary    string `json:"summary"`
	ApproverID int64  `json:"approver_id"`
}

func (b assessmentBody) assessment() (assay.RiskAssessment, error) {
	a := assay.RiskAssessment{Summary: strings.TrimSpace(b.Summary), ApproverID: b.ApproverID}
	d, err := parseDate("date", b.Date)
	if err != nil {
		return a, err
	}
	if d != nil {
		a.Date = *d
	}
	return a, nil
}

// GET /api/v1/risk-assessments
func (s *Server) apiRiskAssessments(w http.ResponseWriter, r *http.Request, p *principal) error {
	list, err := s.app.RiskAssessments(r.Context(), p.app())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"risk_assessments": list, "count": len(list), "current": assessmentCurrent(list, s.clock.Now())})
	return nil
}

// assessmentCurrent reports whether the latest assessment is within 12 months.
func assessmentCurrent(list []assay.RiskAssessment, now time.Time) bool {
	return len(list) > 0 && !list[0].Date.AddDate(1, 0, 0).Before(now)
}

// POST /api/v1/risk-assessments
func (s *Server) apiCreateRiskAssessment(w http.ResponseWriter, r *http.Request, p *principal) error {
	var b assessmentBody
	err := s.decodeJSON(w, r, &b)
	if err == nil {
		var a assay.RiskAssessment
		if a, err = b.assessment(); err == nil {
			if a, err = s.app.CreateRiskAssessment(r.Context(), p.app(), a); err == nil {
				writeJSON(w, http.StatusCreated, a)
				return nil
			}
		}
	}
	return err
}
