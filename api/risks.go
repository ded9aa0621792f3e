package api

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// GET /api/v1/risks
func (s *Server) apiRisks(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	list, err := s.app.Risks(r.Context(), p.App())
	if err != nil {
		return err
	}
	out := make([]app.RiskView, len(list))
	for i, x := range list {
		out[i] = app.ViewRisk(x, s.clock.Now())
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"risks": out, "count": len(out)})
	return nil
}

// POST /api/v1/risks
func (s *Server) apiCreateRisk(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b input.RiskBody
	err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b)
	if err == nil {
		var risk assay.Risk
		if risk, err = b.Risk(); err == nil {
			var got []assay.Risk
			if got, err = s.app.CreateRisks(r.Context(), p.App(), []assay.Risk{risk}); err == nil {
				w.Header().Set("Location", "/api/v1/risks/"+strconv.FormatInt(got[0].ID, 10))
				httpkit.WriteJSON(w, http.StatusCreated, app.ViewRisk(got[0], s.clock.Now()))
				return nil
			}
		}
	}
	return err
}

// GET /api/v1/risks/{id}
func (s *Server) apiRisk(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Risk")
	if err == nil {
		var risk assay.Risk
		if risk, err = s.app.Risk(r.Context(), p.App(), id); err == nil {
			httpkit.WriteJSON(w, http.StatusOK, app.ViewRisk(risk, s.clock.Now()))
			return nil
		}
	}
	return err
}

// PUT /api/v1/risks/{id} replaces the editable fields.
func (s *Server) apiUpdateRisk(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b input.RiskBody
	id, err := input.PathID(r, "Risk")
	if err == nil {
		err = httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b)
	}
	if err == nil {
		var after assay.Risk
		if after, err = s.app.EditRisk(r.Context(), p.App(), id, b.Risk); err == nil {
			httpkit.WriteJSON(w, http.StatusOK, app.ViewRisk(after, s.clock.Now()))
			return nil
		}
	}
	return err
}

// GET /api/v1/risk-templates
func (s *Server) apiRiskTemplates(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	list, err := catalog.RiskTemplates()
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"templates": list, "count": len(list)})
	return nil
}

// POST /api/v1/risks/adopt with {"template_ids": ["RSK-01"]} or ["all"].
func (s *Server) apiAdoptRisks(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b struct {
		TemplateIDs []string `json:"template_ids"`
	}
	err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b)
	if err == nil {
		var risks []assay.Risk
		if risks, err = s.app.AdoptRiskTemplates(r.Context(), p.App(), b.TemplateIDs); err == nil {
			out := make([]app.RiskView, len(risks))
			for i, x := range risks {
				out[i] = app.ViewRisk(x, s.clock.Now())
			}
			httpkit.WriteJSON(w, http.StatusCreated, map[string]any{"risks": out, "count": len(out)})
			return nil
		}
	}
	return err
}

// GET /api/v1/risk-assessments
func (s *Server) apiRiskAssessments(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	list, err := s.app.RiskAssessments(r.Context(), p.App())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]any{"risk_assessments": list, "count": len(list), "current": app.AssessmentCurrent(list, s.clock.Now())})
	return nil
}

// POST /api/v1/risk-assessments
func (s *Server) apiCreateRiskAssessment(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b input.AssessmentBody
	err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b)
	if err == nil {
		var a assay.RiskAssessment
		if a, err = b.Assessment(); err == nil {
			if a, err = s.app.CreateRiskAssessment(r.Context(), p.App(), a); err == nil {
				httpkit.WriteJSON(w, http.StatusCreated, a)
				return nil
			}
		}
	}
	return err
}
