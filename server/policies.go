package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
)

// policyFlash are the policy pages' confirmations.
var policyFlash = map[string]string{
	"adopted":  "Policy adopted as draft 1.0.",
	"saved":    "Draft saved.",
	"moved":    "Version updated.",
	"settings": "Settings saved.",
	"reviewed": "Review recorded.",
	"accepted": "Thank you: your acceptance is recorded.",
}

// policyView is a policy as the pages and the API show it.
type policyView struct {
	assay.Policy
	ReviewState string              `json:"review_state"` // "", "due", "overdue"
	NextReview  *time.Time          `json:"next_review"`
	Figure      *assay.PolicyFigure `json:"acceptance"`
}

func (s *Server) policyViews(ctx context.Context, p *principal) ([]policyView, error) {
	list, err := p.Org.Policies(ctx)
	if err != nil {
		return nil, err
	}
	figs, err := p.Org.PolicyFigures(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*assay.PolicyFigure{}
	for i := range figs {
		byID[figs[i].PolicyID] = &figs[i]
	}
	now := s.clock.Now()
	out := make([]policyView, len(list))
	for i, pol := range list {
		out[i] = policyView{Policy: pol, ReviewState: pol.ReviewState(now), NextReview: pol.NextReview(), Figure: byID[pol.ID]}
	}
	return out, nil
}

func (s *Server) policiesPage(w http.ResponseWriter, r *http.Request, p *principal) {
	views, err := s.policyViews(r.Context(), p)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	due, overdue := 0, 0
	for _, v := range views {
		switch v.ReviewState {
		case "due":
			due++
		case "overdue":
			overdue++
		}
	}
	s.render(w, r, http.StatusOK, "policies", pageData{Title: "Policies", Nav: "policies", Flash: policyFlash[r.URL.Query().Get("flash")],
		Data: map[string]any{"Policies": views, "Due": due, "Overdue": overdue, "CanManage": p.User.Can(assay.ActionManagePolicies, nil)}})
}

func (s *Server) policyTemplatesPage(w http.ResponseWriter, r *http.Request, p *principal) {
	s.showPolicyTemplates(w, r, p, http.StatusOK, "", url.Values{})
}

func (s *Server) showPolicyTemplates(w http.ResponseWriter, r *http.Request, p *principal, status int, errMsg string, form url.Values) {
	tpls, err := catalog.PolicyTemplates()
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	list, err := p.Org.Policies(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	adopted := map[string]int64{}
	for _, pol := range list {
		if pol.TemplateID != "" {
			adopted[pol.TemplateID] = pol.ID
		}
	}
	owners, err := s.policyOwners(r.Context(), p)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, status, "policy_templates", pageData{Title: "Policy templates", Nav: "policies", Error: errMsg, Data: map[string]any{
		"Templates": tpls, "Adopted": adopted, "Owners": owners, "Form": form, "Me": p.User.ID}})
}

// policyOwners are the users who may own a policy: admins and members.
func (s *Server) policyOwners(ctx context.Context, p *principal) ([]assay.User, error) {
	users, err := p.Org.Users(ctx)
	if err != nil {
		return nil, err
	}
	var out []assay.User
	for _, u := range users {
		if !u.Disabled && (u.Role == assay.RoleAdmin || u.Role == assay.RoleMember) {
			out = append(out, u)
		}
	}
	return out, nil
}

// adoptRequest is how a policy is adopted, from the form or the API: from
// a template (placeholders filled from the organisation) or as a policy
// of one's own with a title and a body.
type adoptRequest struct {
	TemplateID   string            `json:"template_id"`
	Title        string            `json:"title"`
	Body         string            `json:"body"`
	Controls     []string          `json:"controls"`
	OwnerID      int64             `json:"owner_id"`
	ReviewMonths int               `json:"review_months"`
	AppliesTo    assay.PolicyScope `json:"applies_to"`
}

func (s *Server) adoptPolicy(ctx context.Context, p *principal, req adoptRequest) (assay.Policy, error) {
	if req.OwnerID == 0 {
		req.OwnerID = p.User.ID
	}
	n := assay.NewPolicy{TemplateID: req.TemplateID, Title: req.Title, Body: req.Body, Controls: req.Controls, OwnerID: req.OwnerID,
		ReviewMonths: req.ReviewMonths, AppliesTo: req.AppliesTo}
	if n.ReviewMonths == 0 {
		n.ReviewMonths = assay.DefaultReviewMonths
	}
	if req.TemplateID != "" {
		t, ok := catalog.PolicyTemplateByID(req.TemplateID)
		if !ok {
			return assay.Policy{}, assay.Invalid("template_id", "No policy template %q.", req.TemplateID)
		}
		org, err := p.Org.Organization(ctx)
		if err != nil {
			return assay.Policy{}, err
		}
		owner, err := p.Org.User(ctx, req.OwnerID)
		if err != nil {
			if assay.ErrorCode(err) == assay.ENOTFOUND {
				return assay.Policy{}, assay.Invalid("owner_id", "No user %d in this organisation.", req.OwnerID)
			}
			return assay.Policy{}, err
		}
		if n.Title == "" {
			n.Title = t.Title
		}
		n.Controls = t.Controls
		n.Body = assay.FillPolicyTemplate(t.Body, assay.PolicyVars(org.Name, owner.Name, n.ReviewMonths))
	}
	return p.Org.AdoptPolicy(ctx, p.actor(), n)
}

func (s *Server) adoptPolicyForm(w http.ResponseWriter, r *http.Request, p *principal) {
	req := adoptRequest{TemplateID: r.PostFormValue("template_id")}
	var err error
	if v := r.PostFormValue("owner_id"); v != "" {
		if req.OwnerID, err = strconv.ParseInt(v, 10, 64); err != nil {
			err = assay.Invalid("owner_id", "Choose an owner from the list.")
		}
	}
	if v := r.PostFormValue("review_months"); err == nil && v != "" {
		if req.ReviewMonths, err = strconv.Atoi(v); err != nil {
			err = assay.Invalid("review_months", "The review cadence is a whole number of months.")
		}
	}
	if err == nil {
		req.AppliesTo = scopeFromForm(r)
		var pol assay.Policy
		if pol, err = s.adoptPolicy(r.Context(), p, req); err == nil {
			http.Redirect(w, r, fmt.Sprintf("/policies/%d?flash=adopted", pol.ID), http.StatusSeeOther)
			return
		}
	}
	if code := assay.ErrorCode(err); code == assay.EINVALID || code == assay.ECONFLICT {
		s.showPolicyTemplates(w, r, p, statusOf(code), assay.ErrorMessage(err), r.PostForm)
		return
	}
	s.pageError(w, r, err)
}

// scopeFromForm reads "departments" (comma-separated) and the
// "employment_types" checkboxes.
func scopeFromForm(r *http.Request) assay.PolicyScope {
	var sc assay.PolicyScope
	for _, d := range strings.Split(r.PostFormValue("departments"), ",") {
		if d = strings.TrimSpace(d); d != "" {
			sc.Departments = append(sc.Departments, d)
		}
	}
	sc.EmploymentTypes = r.PostForm["employment_types"]
	return sc
}

// reviewFlags counts policies due and overdue for review, for the
// dashboard's notice.
type reviewFlags struct{ Due, Overdue int }

// policyReviewFlags is nil when no policy needs review soon (a failure is
// logged, not shown: the dashboard must still render).
func (s *Server) policyReviewFlags(ctx context.Context, p *principal) *reviewFlags {
	list, err := p.Org.Policies(ctx)
	if err != nil {
		s.log.Error("policy review flags", "err", err)
		return nil
	}
	var f reviewFlags
	now := s.clock.Now()
	for _, pol := range list {
		switch pol.ReviewState(now) {
		case "due":
			f.Due++
		case "overdue":
			f.Overdue++
		}
	}
	if f.Due+f.Overdue == 0 {
		return nil
	}
	return &f
}
