package web

import (
	"net/http"
	"net/url"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/catalog"
	"github.com/assay-platform/assay/httpkit"
)

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
