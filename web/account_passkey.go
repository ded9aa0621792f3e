package web

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// requestOrigin is the origin the browser is on: a passkey belongs to it.
func (s *Server) requestOrigin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || s.cfg.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// accountPasskeyOptions starts registering a passkey: the options for
// navigator.credentials.create, as JSON for passkey.js.
func (s *Server) accountPasskeyOptions(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	c, err := s.app.BeginPasskeyRegistration(r.Context(), p.App(), s.requestOrigin(r), currentSessionID(r))
	if err != nil {
		httpkit.WriteError(w, r, s.log, err)
		return nil
	}
	httpkit.WriteJSON(w, http.StatusOK, c)
	return nil
}

// accountPasskeyAdd checks and stores the browser's new passkey.
func (s *Server) accountPasskeyAdd(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	_, err := s.app.FinishPasskeyRegistration(r.Context(), p.App(), s.requestOrigin(r), currentSessionID(r),
		r.PostFormValue("token"), r.PostFormValue("name"), []byte(r.PostFormValue("credential")))
	if err != nil {
		httpkit.WriteError(w, r, s.log, err)
		return nil
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]string{"next": "/account?done=passkey"})
	return nil
}

// accountPasskeyRemove removes one of the user's passkeys.
func (s *Server) accountPasskeyRemove(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return assay.Errorf(assay.ENOTFOUND, "Passkey not found.")
	}
	if err := s.app.RemoveOwnPasskey(r.Context(), p.App(), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/account?done=passkey_removed", http.StatusSeeOther)
	return nil
}
