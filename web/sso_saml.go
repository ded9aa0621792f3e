package web

import (
	"net/http"

	"github.com/assay-platform/assay"
)

var errNoFlow = assay.Errorf(assay.EFORBIDDEN, "Single sign-on refused: this browser did not start this sign-in; start again from the sign-in page.")

// samlMetadata serves Assay's service provider metadata for the
// organisation (a stable URL to give the identity provider; it is also
// the entity id).
func (s *Server) samlMetadata(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	o, err := s.store.OrganizationBySlug(r.Context(), slug)
	if err != nil {
		return err
	}
	b, err := s.saml.Metadata(s.samlConfig(r, o.Slug, assay.SSOSettings{}))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	_, _ = w.Write(b)
	return nil
}

// samlACS takes the identity provider's posted response. It comes from
// another site, so it carries no CSRF token: the response's signature,
// audience, times and single use are what is checked.
func (s *Server) samlACS(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug := r.PathValue("slug")
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return assay.Errorf(assay.EINVALID, "The SAML response could not be read.")
	}
	c, err := s.app.SSOConfigBySlug(ctx, slug)
	if err != nil {
		return err
	}
	if c.Settings.Protocol != assay.SSOSAML {
		return assay.Errorf(assay.ENOTFOUND, "%s does not sign in with SAML.", c.Org.Name)
	}
	flow, ok, err := s.ssoFlow(w, r, slug)
	if err != nil {
		return s.ssoRefused(w, r, err)
	}
	var ids []string
	next := "/"
	if ok {
		ids, next = []string{flow.RequestID}, flow.Next
	}
	id, err := s.saml.Finish(r, s.samlConfig(r, slug, c.Settings), ids, s.store.Org(c.Org.ID).UseSAMLAssertion)
	if err != nil {
		if assay.ErrorCode(err) == assay.EINTERNAL {
			return err
		}
		s.log.Info("saml response refused", "org", slug, "err", assay.ErrorMessage(err))
		return s.ssoRefused(w, r, err)
	}
	return s.ssoSignedIn(w, r, c, id, next)
}
