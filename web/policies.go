package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/httpkit"
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
type policyView = app.PolicyView

func (s *Server) policyViews(ctx context.Context, p *httpkit.Principal) ([]policyView, error) {
	return s.app.Policies(ctx, p.App())
}

func (s *Server) policiesPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	views, err := s.policyViews(r.Context(), p)
	if err != nil {
		return err
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
		Data: policiesData{Policies: views, Due: due, Overdue: overdue, CanManage: p.User.Can(assay.ActionManagePolicies, nil)}})
	return nil
}

// policiesData is the policies page's data.
type policiesData struct {
	Policies  []policyView
	Due       int
	Overdue   int
	CanManage bool
}

func (s *Server) policyTemplatesPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showPolicyTemplates(w, r, p, http.StatusOK, "", url.Values{})
}

func (s *Server) showPolicyTemplates(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	ctx := r.Context()
	tpls, err := s.app.PolicyTemplates(ctx, p.App())
	if err != nil {
		return err
	}
	list, err := s.app.Policies(ctx, p.App())
	if err != nil {
		return err
	}
	adopted := map[string]int64{}
	for _, pol := range list {
		if pol.TemplateID != "" {
			adopted[pol.TemplateID] = pol.ID
		}
	}
	owners, err := s.app.PolicyOwners(ctx, p.App())
	if err != nil {
		return err
	}
	s.render(w, r, status, "policy_templates", pageData{Title: "Policy templates", Nav: "policies", Error: errMsg, Data: policyTemplatesData{
		Templates: tpls, Adopted: adopted, Owners: owners, Form: form, Me: p.User.ID}})
	return nil
}

// policyTemplatesData is the policy templates page's data.
type policyTemplatesData struct {
	Templates []catalog.PolicyTemplate
	Adopted   map[string]int64 // template id to the policy adopted from it
	Owners    []assay.User
	Form      url.Values
	Me        int64
}

// app.PolicyAdoption is how a policy is adopted, from the form or the API.

func (s *Server) adoptPolicyForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	req := app.PolicyAdoption{TemplateID: r.PostFormValue("template_id")}
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
		if pol, err = s.app.AdoptPolicy(r.Context(), p.App(), req); err == nil {
			http.Redirect(w, r, fmt.Sprintf("/policies/%d?flash=adopted", pol.ID), http.StatusSeeOther)
			return nil
		}
	}
	return reshow(err, func(status int, msg string) error {
		return s.showPolicyTemplates(w, r, p, status, msg, r.PostForm)
	})
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
func (s *Server) policyReviewFlags(ctx context.Context, p *httpkit.Principal) *reviewFlags {
	due, overdue, err := s.app.PolicyReviewCounts(ctx, p.App())
	if err != nil {
		s.log.Error("policy review flags", "err", err)
		return nil
	}
	if due+overdue == 0 {
		return nil
	}
	return &reviewFlags{Due: due, Overdue: overdue}
}
