package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

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
	users, err := s.ownerChoices(r.Context(), p, risk.OwnerID)
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
