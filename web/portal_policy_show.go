package web

import (
	"html/template"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// GET /portal/policies/{vid}: the policy text, then the accept button. A
// person reads only the published versions that apply to them (app).
func (s *Server) portalPolicyPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	vid, err := portalVersionID(r)
	if err != nil {
		return err
	}
	pp, err := s.app.PortalPolicy(r.Context(), p.App(), vid)
	if err != nil {
		return err
	}
	v := pp.Version
	body, err := renderMarkdown(v.Body)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "policy_portal", pageData{Title: v.PolicyTitle, Nav: "portal", Flash: policyFlash[r.URL.Query().Get("flash")],
		Data: policyPortalData{Version: v, Body: body, Pending: pp.Pending, Person: pp.Person, Line: approvalLine(v)}})
	return nil
}

// policyPortalData is the portal policy page's data.
type policyPortalData struct {
	Version assay.PolicyVersion
	Body    template.HTML
	Pending bool // the person has yet to accept it
	Person  assay.Person
	Line    string // the approval line
}
