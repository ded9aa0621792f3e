package web

import (
	"net/http"
	"net/url"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) auditsPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showAudits(w, r, p, http.StatusOK, "", url.Values{})
}

// auditsData is the audits page's data.
type auditsData struct {
	Audits    []assay.Audit
	Form      url.Values // the new-engagement form as typed
	CanCreate bool
}

func (s *Server) showAudits(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg string, form url.Values) error {
	list, err := s.app.Audits(r.Context(), p.App())
	if err != nil {
		return err
	}
	if form.Get("type") == "" {
		form.Set("type", string(assay.AuditType2))
	}
	s.render(w, r, status, "audits", pageData{Title: "Audits", Nav: "audits", Error: errMsg, Data: auditsData{
		Audits: list, Form: form, CanCreate: p.User.Can(assay.ActionManageAudits, nil),
	}})
	return nil
}
