package api

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// api registers a route that needs a token or session allowed to do
// action. A session-authenticated change must send X-CSRF-Token. The
// handler's error is written here, and only here.
func (s *Server) api(pattern string, action assay.Action, h httpkit.Handler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := s.call(w, r, action, h); err != nil {
			s.apiError(w, r, err)
		}
	})
}

func (s *Server) call(w http.ResponseWriter, r *http.Request, action assay.Action, h httpkit.Handler) error {
	p := httpkit.PrincipalFrom(r.Context())
	if p == nil {
		return assay.Errorf(assay.EUNAUTHORIZED, "Authenticate with Authorization: Bearer <token>.")
	}
	if p.Token != nil && p.Token.ReadOnly() && r.Method != http.MethodGet && r.Method != http.MethodHead {
		// The one place a token's scope is decided.
		return assay.Errorf(assay.EFORBIDDEN, "This API token is read-only; %s needs a read-write token.", r.Method)
	}
	if httpkit.Changes(r) && !httpkit.ValidCSRF(p, r.Header.Get("X-CSRF-Token")) {
		return assay.Errorf(assay.EFORBIDDEN, "A browser session must send its X-CSRF-Token header.")
	}
	if err := httpkit.Allow(p, action, r); err != nil {
		return err
	}
	if !httpkit.Changes(r) && !p.User.EngagementLimited() {
		// A read reads the tables as of the organisation's latest change
		// (app.SharedReads): kept by the server until the next change.
		shared := *p
		shared.Org = s.app.SharedReads(r.Context(), p.Org)
		p = &shared
	}
	return h(w, r, p)
}

// public registers a route anyone may call.
func (s *Server) public(pattern string, h func(w http.ResponseWriter, r *http.Request) error) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.apiError(w, r, err)
		}
	})
}

func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	httpkit.WriteError(w, r, s.log, err)
}
