package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	p := httpkit.PrincipalFrom(r.Context())
	if p != nil && p.Session != nil {
		if !auth.Equal(r.PostFormValue("csrf"), p.Session.CSRFToken) {
			return assay.Errorf(assay.EFORBIDDEN, "The form has expired; reload the page and try again.")
		}
		if err := s.store.DeleteSession(r.Context(), auth.HashToken(httpkit.SessionCookieValue(r))); err != nil {
			return err
		}
	}
	s.setSessionCookie(w, r, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
