package api

import (
	"net/http"

	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
)

// GET /api/v1/sso: the single sign-on settings (never the client secret).
func (s *Server) apiSSOSettings(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	set, err := s.app.SSOSettings(r.Context(), p.App())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, set)
	return nil
}

// PUT /api/v1/sso: replace them. client_secret empty keeps the stored one
// (clear_client_secret removes it).
func (s *Server) apiSetSSOSettings(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var in app.SSOInput
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &in); err != nil {
		return err
	}
	set, err := s.app.SetSSOSettings(r.Context(), p.App(), in)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, set)
	return nil
}
