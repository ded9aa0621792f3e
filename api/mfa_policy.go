package api

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// mfaPolicyBody is who must use two-step sign-in.
type mfaPolicyBody struct {
	RequiredFor assay.MFAPolicy `json:"required_for"`
}

// GET /api/v1/mfa-policy
func (s *Server) apiMFAPolicy(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	pol, err := s.app.MFAPolicy(r.Context(), p.App())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, mfaPolicyBody{RequiredFor: pol})
	return nil
}

// PUT /api/v1/mfa-policy
func (s *Server) apiSetMFAPolicy(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b mfaPolicyBody
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b); err != nil {
		return err
	}
	if err := s.app.SetMFAPolicy(r.Context(), p.App(), b.RequiredFor); err != nil {
		return err
	}
	return s.apiMFAPolicy(w, r, p)
}
