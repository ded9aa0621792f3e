package web

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/sso"
)

// Single sign-on: /login/sso/{slug} sends the browser to the
// organisation's identity provider with a sealed, short-lived cookie that
// binds the answer to this browser (OIDC state, nonce and PKCE verifier;
// the SAML request id). The answer comes back to /login/sso/{slug}/callback
// (OIDC) or is posted to /sso/{slug}/saml/acs (SAML).

const ssoCookie = "assay_sso"

// publicBase is the scheme and host links back to Assay are made from.
func (s *Server) publicBase(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return strings.TrimRight(s.cfg.PublicURL, "/")
	}
	return baseURL(r)
}

func (s *Server) oidcConfig(r *http.Request, c app.SSOConfig) sso.OIDCConfig {
	return sso.OIDCConfig{Issuer: c.Settings.Issuer, ClientID: c.Settings.ClientID, ClientSecret: c.ClientSecret,
		Scopes: c.Settings.Scopes, GroupsClaim: c.Settings.GroupsClaim,
		RedirectURL: s.publicBase(r) + "/login/sso/" + c.Org.Slug + "/callback"}
}

func (s *Server) samlConfig(r *http.Request, slug string, st assay.SSOSettings) sso.SAMLConfig {
	base := s.publicBase(r) + "/sso/" + slug + "/saml"
	return sso.SAMLConfig{MetadataURL: st.SAMLMetadataURL, MetadataXML: st.SAMLMetadataXML,
		EntityID: base + "/metadata", ACSURL: base + "/acs", GroupsClaim: st.GroupsClaim}
}

func (s *Server) ssoStart(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.app.SSOConfigBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	next := safeNext(r.URL.Query().Get("next"))
	var to string
	var flow sso.Flow
	switch c.Settings.Protocol {
	case assay.SSOOIDC:
		to, flow, err = s.oidc.Begin(s.oidcConfig(r, c), c.Org.Slug, next)
	default:
		to, flow, err = s.saml.Begin(ctx, s.samlConfig(r, c.Org.Slug, c.Settings), c.Org.Slug, next)
	}
	if err != nil {
		return err
	}
	b, err := json.Marshal(flow)
	if err != nil {
		return err
	}
	sealed, err := s.app.SealSSOFlow(b)
	if err != nil {
		return err
	}
	s.setSSOCookie(w, r, sealed, int(sso.FlowTTL.Seconds()))
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// setSSOCookie keeps the flow. Over TLS it is SameSite=None so that a
// SAML provider's cross-site POST brings it back; without TLS (a browser
// refuses None there) it is Lax, and such a POST arrives without it and
// is taken as IdP-initiated.
func (s *Server) setSSOCookie(w http.ResponseWriter, r *http.Request, value string, maxAge int) {
	secure := s.cfg.SecureCookies || r.TLS != nil
	same := http.SameSiteLaxMode
	if secure {
		same = http.SameSiteNoneMode
	}
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true, Secure: secure, SameSite: same})
}

// ssoFlow reads and clears this browser's flow for slug (ok false when it
// has none).
func (s *Server) ssoFlow(w http.ResponseWriter, r *http.Request, slug string) (sso.Flow, bool, error) {
	ck, err := r.Cookie(ssoCookie)
	if err != nil || ck.Value == "" {
		return sso.Flow{}, false, nil
	}
	s.setSSOCookie(w, r, "", -1)
	b, err := s.app.OpenSSOFlow(ck.Value)
	if err != nil {
		return sso.Flow{}, false, err
	}
	var f sso.Flow
	if err := json.Unmarshal(b, &f); err != nil || f.OrgSlug != slug {
		return sso.Flow{}, false, assay.Errorf(assay.EFORBIDDEN, "Single sign-on refused: this browser started a sign-in to another organisation.")
	}
	if !s.clock.Now().Before(f.Expires) {
		return sso.Flow{}, false, assay.Errorf(assay.EFORBIDDEN, "Single sign-on refused: the sign-in took too long; start again.")
	}
	return f, true, nil
}

// ssoSignedIn finishes a sign-in the provider vouched for: the services
// find, link or provision the user, and a session starts. The provider's
// own sign-in stands for the second factor.
func (s *Server) ssoSignedIn(w http.ResponseWriter, r *http.Request, c app.SSOConfig, id assay.SSOIdentity, next string) error {
	u, err := s.app.SSOSignIn(r.Context(), c.Org.ID, id)
	if err != nil {
		if assay.ErrorCode(err) == assay.EINTERNAL {
			return err
		}
		s.log.Info("single sign-on refused", "org", c.Org.Slug, "err", assay.ErrorMessage(err))
		return s.ssoRefused(w, r, err)
	}
	if err := s.startSession(w, r, u, httpkit.ClientAddr(r)); err != nil {
		return err
	}
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) ssoRefused(w http.ResponseWriter, r *http.Request, err error) error {
	status := http.StatusForbidden
	if assay.ErrorCode(err) == assay.ECONFLICT {
		status = http.StatusConflict
	}
	return s.renderLogin(w, r, status, assay.ErrorMessage(err), loginData{Next: "/"})
}
