package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// mfaPolicyData is the MFA policy page's data.
type mfaPolicyData struct {
	Current  assay.MFAPolicy
	Policies []assay.MFAPolicy
}

func (s *Server) mfaPolicyPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showMFAPolicy(w, r, p, http.StatusOK, "", "")
}

func (s *Server) showMFAPolicy(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, flash, errMsg string) error {
	cur, err := s.app.MFAPolicy(r.Context(), p.App())
	if err != nil {
		return err
	}
	s.render(w, r, status, "mfa_policy", pageData{Title: "Two-step sign-in", Nav: "settings-mfa", Flash: flash, Error: errMsg,
		Data: mfaPolicyData{Current: cur, Policies: assay.MFAPolicies}})
	return nil
}
