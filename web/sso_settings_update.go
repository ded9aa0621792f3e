package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
)

// updateSSOSettingsForm saves the single sign-on settings (a blank client
// secret keeps the stored one).
func (s *Server) updateSSOSettingsForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	f := r.PostFormValue
	in := app.SSOInput{ClientSecret: f("client_secret"), ClearSecret: f("clear_client_secret") != ""}
	set := &in.SSOSettings
	set.Protocol = assay.SSOProtocol(f("protocol"))
	set.ProviderName, set.Issuer, set.ClientID = f("provider_name"), f("issuer"), f("client_id")
	set.Scopes = assay.SplitList(f("scopes"))
	set.SAMLMetadataURL, set.SAMLMetadataXML = f("saml_metadata_url"), f("saml_metadata_xml")
	set.GroupsClaim, set.DefaultRole = f("groups_claim"), assay.Role(f("default_role"))
	set.RefuseUnmapped, set.SSOOnly = f("refuse_unmapped") != "", f("sso_only") != ""
	set.AllowedDomains = assay.SplitList(f("allowed_domains"))
	if bg := strings.TrimSpace(f("break_glass_user_id")); bg != "" {
		set.BreakGlassUserID, _ = strconv.ParseInt(bg, 10, 64)
	}
	m, err := assay.ParseRoleMap(f("role_map"))
	if err == nil {
		set.RoleMap = m
		_, err = s.app.SetSSOSettings(r.Context(), p.App(), in)
	}
	if err != nil {
		if assay.ErrorCode(err) != assay.EINVALID && assay.ErrorCode(err) != assay.ECONFLICT {
			return err
		}
		if set.RoleMap == nil {
			set.RoleMap = map[string]assay.Role{}
		}
		return s.showSSOSettings(w, r, p, http.StatusBadRequest, *set, assay.ErrorMessage(err))
	}
	http.Redirect(w, r, "/settings/sso?flash=saved", http.StatusSeeOther)
	return nil
}
