package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

// policyEditPage is the Markdown editor with its preview.
func (s *Server) policyEditPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showPolicyEdit(w, r, p, http.StatusOK, "", nil, "")
}

func (s *Server) showPolicyEdit(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values, preview template.HTML) error {
	id, err := input.PathID(r, "Policy")
	if err != nil {
		return err
	}
	d, err := s.app.Policy(r.Context(), p.App(), id)
	if err != nil {
		return err
	}
	pol := d.Policy.Policy
	latest := pol.Latest
	if form == nil {
		form = url.Values{"body": {latest.Body}, "bump": {"minor"}}
		if latest.Editable() {
			form.Set("changelog", latest.Changelog)
		}
	}
	s.render(w, r, status, "policy_edit", pageData{Title: "Edit " + pol.Title, Nav: "policies", Error: errMsg, Data: policyEditData{
		Policy: pol, Latest: latest, NewVersion: !latest.Editable(),
		Locked: latest.Status == assay.PolicyInReview || latest.Status == assay.PolicyApproved,
		Form:   form, Preview: preview}})
	return nil
}

// policyEditData is the policy editor's data; its preview block reads
// only Preview.
type policyEditData struct {
	Policy     assay.Policy
	Latest     *assay.PolicyVersion
	NewVersion bool // saving starts a new version
	Locked     bool // the latest version is in review or approved
	Form       url.Values
	Preview    template.HTML
}

func (s *Server) policyEditForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Policy")
	if err != nil {
		return err
	}
	if r.PostFormValue("action") == "preview" {
		html, err := renderDraftMarkdown(r.PostFormValue("body"))
		if err != nil {
			return err
		}
		return s.showPolicyEdit(w, r, p, http.StatusOK, "", r.PostForm, html)
	}
	e := assay.PolicyEdit{Body: r.PostFormValue("body"), Changelog: r.PostFormValue("changelog"), Bump: r.PostFormValue("bump")}
	if _, err := s.app.EditPolicy(r.Context(), p.App(), id, e); err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showPolicyEdit(w, r, p, status, msg, r.PostForm, "")
		})
	}
	http.Redirect(w, r, fmt.Sprintf("/policies/%d?flash=saved", id), http.StatusSeeOther)
	return nil
}
