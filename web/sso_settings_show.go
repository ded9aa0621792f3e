package web

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// ssoSettingsData is the single sign-on settings page's data.
type ssoSettingsData struct {
	Settings    assay.SSOSettings
	RoleMap     string // one "group = role" a line
	Scopes      string
	Domains     string
	Roles       []assay.Role
	Admins      []assay.User // who may be the break-glass admin
	RedirectURL string       // what to register at an OpenID provider
	MetadataURL string       // Assay's SAML metadata (the entity id)
	ACSURL      string
}

func (s *Server) ssoSettingsPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	set, err := s.app.SSOSettings(r.Context(), p.App())
	if err != nil {
		return err
	}
	return s.showSSOSettings(w, r, p, http.StatusOK, set, "")
}

func (s *Server) showSSOSettings(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, set assay.SSOSettings, errMsg string) error {
	users, err := s.app.Users(r.Context(), p.App())
	if err != nil {
		return err
	}
	d := ssoSettingsData{Settings: set, RoleMap: assay.FormatRoleMap(set.RoleMap), Scopes: strings.Join(set.Scopes, " "),
		Domains: strings.Join(set.AllowedDomains, ", "), Roles: assay.Roles}
	for _, u := range users {
		if u.Role == assay.RoleAdmin && !u.Disabled {
			d.Admins = append(d.Admins, u)
		}
	}
	org, err := p.Org.Organization(r.Context())
	if err != nil {
		return err
	}
	base := s.publicBase(r)
	d.RedirectURL = base + "/login/sso/" + org.Slug + "/callback"
	d.MetadataURL = base + "/sso/" + org.Slug + "/saml/metadata"
	d.ACSURL = base + "/sso/" + org.Slug + "/saml/acs"
	flash := ""
	if r.URL.Query().Get("flash") == "saved" {
		flash = "Single sign-on settings saved."
	}
	s.render(w, r, status, "sso_settings", pageData{Title: "Single sign-on", Nav: "settings-sso", Flash: flash, Error: errMsg, Data: d})
	return nil
}
