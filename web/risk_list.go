package web

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) risksPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showRisks(w, r, p, http.StatusOK, "", url.Values{})
}

// risksData is what the risk register page shows.
type risksData struct {
	Risks       []app.RiskView
	Assessments []assay.RiskAssessment
	Current     bool // an assessment is current
	Inherent    template.HTML
	Residual    template.HTML
	Users       []assay.User
	Templates   []catalog.RiskTemplate
	Categories  []string
	Form        url.Values
	CanManage   bool
}

func (s *Server) showRisks(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	return s.renderView(w, r, p, status, "risks", func() (pageData, error) {
		ctx := r.Context()
		risks, err := s.app.Risks(ctx, p.App())
		if err != nil {
			return pageData{}, err
		}
		assessments, err := s.app.RiskAssessments(ctx, p.App())
		if err != nil {
			return pageData{}, err
		}
		users, err := s.ownerChoices(ctx, p, 0)
		if err != nil {
			return pageData{}, err
		}
		templates, err := catalog.RiskTemplates()
		if err != nil {
			return pageData{}, err
		}
		views := make([]app.RiskView, len(risks))
		for i, x := range risks {
			views[i] = app.ViewRisk(x, s.clock.Now())
		}
		for k, v := range map[string]string{"likelihood": "3", "impact": "3", "category": "security"} {
			if form.Get(k) == "" {
				form.Set(k, v)
			}
		}
		return pageData{Title: "Risks", Nav: "risks", Error: errMsg, Flash: riskFlash[r.URL.Query().Get("flash")], Data: risksData{
			Risks: views, Assessments: assessments, Current: app.AssessmentCurrent(assessments, s.clock.Now()),
			Inherent: heatMap(risks, false, "Inherent"), Residual: heatMap(risks, true, "Residual"),
			Users: users, Templates: templates, Categories: assay.RiskCategories, Form: form,
			CanManage: p.User.Can(assay.ActionManageRegisters, nil),
		}}, nil
	})
}
