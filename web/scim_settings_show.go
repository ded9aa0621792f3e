package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// scimData is the SCIM provisioning page's data.
type scimData struct {
	Token      *assay.SCIMToken
	Secret     string // a token just made, shown once
	BaseURL    string
	GroupRoles []assay.SCIMGroupRole
	Roles      []assay.Role
}

func (s *Server) scimPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	flash := ""
	if r.URL.Query().Get("flash") == "mapped" {
		flash = "The group mapping is saved; members' roles follow it now."
	}
	return s.showSCIM(w, r, p, http.StatusOK, flash, "", "")
}

func (s *Server) showSCIM(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, flash, errMsg, secret string) error {
	d := scimData{Secret: secret, BaseURL: s.requestOrigin(r) + "/scim/v2", Roles: assay.Roles}
	tok, err := s.app.SCIMTokenInfo(r.Context(), p.App())
	switch {
	case err == nil:
		d.Token = &tok
	case assay.ErrorCode(err) != assay.ENOTFOUND:
		return err
	}
	if d.GroupRoles, err = s.app.SCIMGroupRoles(r.Context(), p.App()); err != nil {
		return err
	}
	s.render(w, r, status, "scim", pageData{Title: "SCIM provisioning", Nav: "settings-scim", Flash: flash, Error: errMsg, Data: d})
	return nil
}
