package api

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// digestRoutes registers the reminder digest's settings: one's own
// choices (and a preview of one's digest) and the organisation's defaults.
func (s *Server) digestRoutes() {
	s.api("GET /api/v1/me/digest", assay.ActionUsePortal, s.apiMyDigest)
	s.api("PUT /api/v1/me/digest", assay.ActionUsePortal, s.apiSetMyDigest)
	s.api("GET /api/v1/me/digest/preview", assay.ActionUsePortal, s.apiMyDigestPreview)
	s.api("GET /api/v1/digest-settings", assay.ActionUsePortal, s.apiDigestSettings)
	s.api("PUT /api/v1/digest-settings", assay.ActionManageUsers, s.apiSetDigestSettings)
}

// GET /api/v1/me/digest
func (s *Server) apiMyDigest(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	d, err := s.app.MyDigestPrefs(r.Context(), p.App())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, d)
	return nil
}

// PUT /api/v1/me/digest: {"frequency": "daily"|"weekly"|"off"|"", "weekday": 1, "opt_out": ["training"]}
func (s *Server) apiSetMyDigest(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b assay.DigestPrefs
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b); err != nil {
		return err
	}
	d, err := s.app.UpdateMyDigestPrefs(r.Context(), p.App(), b)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, d)
	return nil
}

// GET /api/v1/me/digest/preview
func (s *Server) apiMyDigestPreview(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	d, err := s.app.MyDigestPreview(r.Context(), p.App())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, d)
	return nil
}

// GET /api/v1/digest-settings
func (s *Server) apiDigestSettings(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	d, err := s.app.DigestSettings(r.Context(), p.App())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, d)
	return nil
}

// PUT /api/v1/digest-settings
func (s *Server) apiSetDigestSettings(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b assay.DigestSettings
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b); err != nil {
		return err
	}
	d, err := s.app.UpdateDigestSettings(r.Context(), p.App(), b)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, d)
	return nil
}
