package api

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
)

// scimSettings is the organisation's SCIM set-up as admins see it.
type scimSettings struct {
	Token      *assay.SCIMToken      `json:"token"` // null before one is made
	GroupRoles []assay.SCIMGroupRole `json:"group_roles"`
	BaseURL    string                `json:"base_url"`
}

func (s *Server) scimRoutes() {
	s.api("GET /api/v1/scim", assay.ActionManageUsers, s.apiSCIM)
	s.api("POST /api/v1/scim/token", assay.ActionManageUsers, s.apiRotateSCIMToken)
	s.api("PUT /api/v1/scim/group-roles", assay.ActionManageUsers, s.apiSetSCIMGroupRole)
	s.api("POST /api/v1/users/invite", assay.ActionManageUsers, s.apiInviteUser)
}

// GET /api/v1/scim
func (s *Server) apiSCIM(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var out scimSettings
	tok, err := s.app.SCIMTokenInfo(r.Context(), p.App())
	switch {
	case err == nil:
		out.Token = &tok
	case assay.ErrorCode(err) != assay.ENOTFOUND:
		return err
	}
	if out.GroupRoles, err = s.app.SCIMGroupRoles(r.Context(), p.App()); err != nil {
		return err
	}
	out.BaseURL = s.origin(r) + "/scim/v2"
	httpkit.WriteJSON(w, http.StatusOK, out)
	return nil
}

// POST /api/v1/scim/token: a new token, its secret shown once; the old one
// stops working at once.
func (s *Server) apiRotateSCIMToken(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	secret, tok, err := s.app.RotateSCIMToken(r.Context(), p.App())
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, map[string]any{"secret": secret, "token": tok})
	return nil
}

// PUT /api/v1/scim/group-roles: map a group to a role ("" removes it).
func (s *Server) apiSetSCIMGroupRole(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var m assay.SCIMGroupRole
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &m); err != nil {
		return err
	}
	if err := s.app.SetSCIMGroupRole(r.Context(), p.App(), m); err != nil {
		return err
	}
	return s.apiSCIM(w, r, p)
}

// origin is the scheme and host the request came to.
func (s *Server) origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || s.cfg.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// inviteBody is a person to invite.
type inviteBody struct {
	Email string     `json:"email"`
	Name  string     `json:"name"`
	Role  assay.Role `json:"role"`
}

// POST /api/v1/users/invite: add a person and e-mail them a link to
// choose their password.
func (s *Server) apiInviteUser(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	var b inviteBody
	if err := httpkit.DecodeJSON(w, r, s.cfg.MaxBodyBytes, &b); err != nil {
		return err
	}
	origin := s.origin(r)
	if s.cfg.Alerts != nil && s.cfg.Alerts.BaseURL != "" {
		origin = s.cfg.Alerts.BaseURL
	}
	u, err := s.app.InviteUser(r.Context(), p.App(), app.NewInvite{Email: b.Email, Name: b.Name, Role: b.Role}, origin)
	if err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusCreated, u)
	return nil
}
