package web

import (
	"net/http"
)

// ssoCallback is where an OpenID provider sends the browser back.
func (s *Server) ssoCallback(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug := r.PathValue("slug")
	flow, ok, err := s.ssoFlow(w, r, slug)
	if err != nil {
		return s.ssoRefused(w, r, err)
	}
	if !ok {
		return s.ssoRefused(w, r, errNoFlow)
	}
	c, err := s.app.SSOConfigBySlug(ctx, slug)
	if err != nil {
		return err
	}
	id, err := s.oidc.Finish(ctx, s.oidcConfig(r, c), flow, r.URL.Query())
	if err != nil {
		return s.ssoRefused(w, r, err)
	}
	return s.ssoSignedIn(w, r, c, id, flow.Next)
}
