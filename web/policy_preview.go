package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
)

// policyPreview renders the posted Markdown for htmx (the preview block
// only); without htmx the edit form's Preview button does the same with a
// full page.
func (s *Server) policyPreview(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	html, err := renderDraftMarkdown(r.PostFormValue("body"))
	if err != nil {
		return err
	}
	if r.Header.Get("HX-Request") == "" {
		return s.showPolicyEdit(w, r, p, http.StatusOK, "", r.PostForm, html)
	}
	s.renderBlock(w, r, http.StatusOK, "policy_edit", "policy-preview", pageData{Data: policyEditData{Preview: html}})
	return nil
}
