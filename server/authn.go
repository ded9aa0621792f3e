package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/store"
)

const (
	sessionCookie       = "assay_session"
	secureSessionCookie = "__Host-assay_session"
)

// principal is who is making a request.
type principal struct {
	User    assay.User
	Session *assay.Session  // set for browser sessions
	Token   *assay.APIToken // set for API tokens
	Org     store.OrgStore
	Via     string // "web" or "api"
}

func (p *principal) actor() assay.Actor { return assay.ActorFor(p.User, p.Via) }

// app is the principal as the application services take it.
func (p *principal) app() app.Principal { return app.Principal{User: p.User, Org: p.Org, Via: p.Via} }

type principalKey struct{}

func principalFrom(ctx context.Context) *principal {
	p, _ := ctx.Value(principalKey{}).(*principal)
	return p
}

// authenticate finds who is asking: a bearer token on /api/, or a session
// cookie. It never rejects; page() and api() decide what is allowed.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p *principal
		if h := r.Header.Get("Authorization"); h != "" && strings.HasPrefix(r.URL.Path, "/api/") {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				s.apiError(w, r, assay.Errorf(assay.EUNAUTHORIZED, "Use Authorization: Bearer <token>."))
				return
			}
			u, t, err := s.store.UserByAPIToken(r.Context(), auth.HashToken(strings.TrimSpace(secret)))
			if err != nil {
				s.apiError(w, r, err)
				return
			}
			p = &principal{User: u, Token: &t, Org: s.store.Org(u.OrgID), Via: "api"}
		} else if c := s.sessionCookieValue(r); c != "" {
			u, sess, err := s.store.UserBySession(r.Context(), auth.HashToken(c))
			if err == nil {
				via := "web"
				if strings.HasPrefix(r.URL.Path, "/api/") {
					via = "api"
				}
				p = &principal{User: u, Session: &sess, Org: s.store.Org(u.OrgID), Via: via}
			} else if assay.ErrorCode(err) != assay.EUNAUTHORIZED {
				s.log.Error("session lookup failed", "err", err)
			}
		}
		if p != nil {
			r = r.WithContext(context.WithValue(r.Context(), principalKey{}, p))
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) sessionCookieValue(r *http.Request) string {
	for _, name := range []string{secureSessionCookie, sessionCookie} {
		if c, err := r.Cookie(name); err == nil && c.Value != "" {
			return c.Value
		}
	}
	return ""
}

func (s *Server) secure(r *http.Request) bool { return s.cfg.SecureCookies || r.TLS != nil }

// setSessionCookie sets the session cookie: HttpOnly, SameSite=Lax, and
// Secure with the __Host- prefix whenever the connection is HTTPS.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, value string, maxAge int) {
	name := sessionCookie
	if s.secure(r) {
		name = secureSessionCookie
	}
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
}

// handlerFunc handles one request for a principal. It returns the error
// it meets instead of writing it: page() and api() write it, each in its
// own form, in one place.
type handlerFunc func(w http.ResponseWriter, r *http.Request, p *principal) error

// page registers a UI route that needs a signed-in user allowed to do
// action; state-changing requests must carry the session's CSRF token.
func (s *Server) page(pattern string, action assay.Action, h handlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		p := principalFrom(r.Context())
		if p == nil || p.Session == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(safeNext(r.URL.RequestURI())), http.StatusSeeOther)
				return
			}
			s.pageError(w, r, assay.Errorf(assay.EUNAUTHORIZED, "Sign in first."))
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
			if !auth.Equal(r.PostFormValue("csrf"), p.Session.CSRFToken) {
				s.pageError(w, r, assay.Errorf(assay.EFORBIDDEN, "The form has expired or did not come from Assay; reload the page and try again."))
				return
			}
		}
		if p.User.Role == assay.RoleEmployee && r.URL.Path == "/" { // employees land on their own tasks
			http.Redirect(w, r, "/portal", http.StatusSeeOther)
			return
		}
		if !p.User.Can(action, nil) {
			s.pageError(w, r, assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not allow this.", p.User.Role))
			return
		}
		if !p.User.MayOpen(r.Method, r.URL.Path) {
			s.pageError(w, r, assay.Errorf(assay.EFORBIDDEN, "Your access is limited to audit engagement %d.", p.User.EngagementID))
			return
		}
		if err := h(w, r, p); err != nil {
			s.pageError(w, r, err)
		}
	})
}

// api registers a JSON route that needs a token or session allowed to do
// action. A session-authenticated change must send X-CSRF-Token.
func (s *Server) api(pattern string, action assay.Action, h handlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		p := principalFrom(r.Context())
		if p == nil {
			s.apiError(w, r, assay.Errorf(assay.EUNAUTHORIZED, "Authenticate with Authorization: Bearer <token>."))
			return
		}
		if p.Session != nil && r.Method != http.MethodGet && r.Method != http.MethodHead &&
			!auth.Equal(r.Header.Get("X-CSRF-Token"), p.Session.CSRFToken) {
			s.apiError(w, r, assay.Errorf(assay.EFORBIDDEN, "A browser session must send its X-CSRF-Token header."))
			return
		}
		if !p.User.Can(action, nil) {
			s.apiError(w, r, assay.Errorf(assay.EFORBIDDEN, "Your role (%s) does not allow this.", p.User.Role))
			return
		}
		if !p.User.MayOpen(r.Method, r.URL.Path) {
			s.apiError(w, r, assay.Errorf(assay.EFORBIDDEN, "Your access is limited to audit engagement %d.", p.User.EngagementID))
			return
		}
		if err := h(w, r, p); err != nil {
			s.apiError(w, r, err)
		}
	})
}

// publicPage registers a page anyone may open (signing in, first run).
func (s *Server) publicPage(pattern string, h func(w http.ResponseWriter, r *http.Request) error) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.pageError(w, r, err)
		}
	})
}

// publicAPI registers a JSON route anyone may call.
func (s *Server) publicAPI(pattern string, h func(w http.ResponseWriter, r *http.Request) error) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.apiError(w, r, err)
		}
	})
}

// safeNext keeps redirect targets on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}
