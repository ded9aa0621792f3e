package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/csvimport"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// riskFlash are the risk pages' confirmations.
var riskFlash = map[string]string{
	"risk-created":     "Risk added to the register.",
	"risk-saved":       "Risk updated.",
	"risks-adopted":    "Template risks added to the register.",
	"risks-imported":   "Risks imported.",
	"assessment-saved": "Risk assessment recorded.",
	"vendor-created":   "Vendor added.",
	"vendor-saved":     "Vendor updated.",
	"vendor-reviewed":  "Security review recorded.",
	"vendors-imported": "Vendors imported.",
}

func registerFormInt(r *http.Request, name string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue(name)))
	return n
}

func registerFormID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue(name)), 10, 64)
	return n
}

func riskBodyFromForm(r *http.Request) input.RiskBody {
	return input.RiskBody{Category: r.PostFormValue("category"), Title: r.PostFormValue("title"), Description: r.PostFormValue("description"),
		OwnerID: registerFormID(r, "owner_id"), Likelihood: registerFormInt(r, "likelihood"), Impact: registerFormInt(r, "impact"),
		ResidualLikelihood: registerFormInt(r, "residual_likelihood"), ResidualImpact: registerFormInt(r, "residual_impact"),
		Treatment: r.PostFormValue("treatment"), ApproverID: registerFormID(r, "approver_id"), AcceptExpires: r.PostFormValue("accept_expires"),
		Controls: strings.Fields(strings.ReplaceAll(r.PostFormValue("controls"), ",", " ")), ReviewDate: r.PostFormValue("review_date"),
		Status: r.PostFormValue("status")}
}

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
	ctx := r.Context()
	risks, err := s.app.Risks(ctx, p.App())
	if err != nil {
		return err
	}
	assessments, err := s.app.RiskAssessments(ctx, p.App())
	if err != nil {
		return err
	}
	users, err := p.Org.Users(ctx)
	if err != nil {
		return err
	}
	templates, err := catalog.RiskTemplates()
	if err != nil {
		return err
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
	s.render(w, r, status, "risks", pageData{Title: "Risks", Nav: "risks", Error: errMsg, Flash: riskFlash[r.URL.Query().Get("flash")], Data: risksData{
		Risks: views, Assessments: assessments, Current: app.AssessmentCurrent(assessments, s.clock.Now()),
		Inherent: heatMap(risks, false, "Inherent"), Residual: heatMap(risks, true, "Residual"),
		Users: users, Templates: templates, Categories: assay.RiskCategories, Form: form,
		CanManage: p.User.Can(assay.ActionManageRegisters, nil),
	}})
	return nil
}

// afterRisksForm redirects on success or shows the list again with the error.
func (s *Server) afterRisksForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, err error, to string) error {
	if err == nil {
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showRisks(w, r, p, status, msg, r.PostForm)
	})
}

func (s *Server) createRiskForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	risk, err := riskBodyFromForm(r).Risk()
	to := ""
	if err == nil {
		var got []assay.Risk
		if got, err = s.app.CreateRisks(r.Context(), p.App(), []assay.Risk{risk}); err == nil {
			to = fmt.Sprintf("/risks/%d?flash=risk-created", got[0].ID)
		}
	}
	return s.afterRisksForm(w, r, p, err, to)
}

func (s *Server) adoptRisksForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	_ = r.ParseForm()
	_, err := s.app.AdoptRiskTemplates(r.Context(), p.App(), r.PostForm["template_ids"])
	return s.afterRisksForm(w, r, p, err, "/risks?flash=risks-adopted")
}

func (s *Server) importRisksForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f, _, err := r.FormFile("file")
	if err != nil {
		err = assay.Invalid("file", "Choose a CSV file to import.")
	} else {
		defer f.Close()
		_, err = csvimport.Risks(r.Context(), s.app, p.App(), f)
	}
	return s.afterRisksForm(w, r, p, err, "/risks?flash=risks-imported")
}

func (s *Server) createAssessmentForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	a, err := input.AssessmentBody{Date: r.PostFormValue("date"), Summary: r.PostFormValue("summary"), ApproverID: registerFormID(r, "approver_id")}.Assessment()
	if err == nil {
		_, err = s.app.CreateRiskAssessment(r.Context(), p.App(), a)
	}
	return s.afterRisksForm(w, r, p, err, "/risks?flash=assessment-saved#assessments")
}

func (s *Server) riskPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showRisk(w, r, p, http.StatusOK, "", nil)
}

// riskData is what a risk's page shows.
type riskData struct {
	Risk       app.RiskView
	Users      []assay.User
	Form       url.Values
	Categories []string
	Treatments []assay.RiskTreatment
	Statuses   []assay.RiskStatus
	CanEdit    bool
	CanManage  bool
}

func (s *Server) showRisk(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	id, err := input.PathID(r, "Risk")
	if err != nil {
		return err
	}
	risk, err := s.app.Risk(r.Context(), p.App(), id)
	if err != nil {
		return err
	}
	users, err := p.Org.Users(r.Context())
	if err != nil {
		return err
	}
	if form == nil {
		form = url.Values{"category": {risk.Category}, "title": {risk.Title}, "description": {risk.Description},
			"owner_id": {strconv.FormatInt(risk.OwnerID, 10)}, "likelihood": {strconv.Itoa(risk.Likelihood)}, "impact": {strconv.Itoa(risk.Impact)},
			"residual_likelihood": {strconv.Itoa(risk.ResidualLikelihood)}, "residual_impact": {strconv.Itoa(risk.ResidualImpact)},
			"treatment": {string(risk.Treatment)}, "approver_id": {strconv.FormatInt(risk.ApproverID, 10)}, "accept_expires": {input.DateText(risk.AcceptExpires)},
			"controls": {strings.Join(risk.Controls, " ")}, "review_date": {input.DateText(risk.ReviewDate)}, "status": {string(risk.Status)}}
	}
	s.render(w, r, status, "risk", pageData{Title: risk.Title, Nav: "risks", Error: errMsg, Flash: riskFlash[r.URL.Query().Get("flash")], Data: riskData{
		Risk: app.ViewRisk(risk, s.clock.Now()), Users: users, Form: form, Categories: assay.RiskCategories, Treatments: assay.RiskTreatments,
		Statuses: assay.RiskStatuses, CanEdit: p.User.MayEditOwned(risk.OwnerID), CanManage: p.User.Can(assay.ActionManageRegisters, nil),
	}})
	return nil
}

func (s *Server) updateRiskForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Risk")
	if err == nil {
		_, err = s.app.EditRisk(r.Context(), p.App(), id, riskBodyFromForm(r).Risk)
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/risks/%d?flash=risk-saved", id), http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showRisk(w, r, p, status, msg, r.PostForm)
	})
}
