package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// page registers a route that needs a signed-in user allowed to do
// action; state-changing requests must carry the session's CSRF token.
// The handler's error becomes an error page here, and only here.
func (s *Server) page(pattern string, action assay.Action, h httpkit.Handler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := s.servePage(w, r, action, h); err != nil {
			s.pageError(w, r, err)
		}
	})
}

func (s *Server) servePage(w http.ResponseWriter, r *http.Request, action assay.Action, h httpkit.Handler) error {
	p := httpkit.PrincipalFrom(r.Context())
	if p == nil || p.Session == nil {
		return assay.Errorf(assay.EUNAUTHORIZED, "Sign in first.")
	}
	if httpkit.Changes(r) {
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
		if !httpkit.ValidCSRF(p, r.PostFormValue("csrf")) {
			return assay.Errorf(assay.EFORBIDDEN, "The form has expired or did not come from Assay; reload the page and try again.")
		}
	}
	if r.URL.Path == "/" {
		if p.User.Role == assay.RoleEmployee { // employees land on their own tasks
			http.Redirect(w, r, "/portal", http.StatusSeeOther)
			return nil
		}
		if p.User.EngagementLimited() { // an invited auditor lands on their engagement
			http.Redirect(w, r, "/audits/"+strconv.FormatInt(p.User.EngagementID, 10), http.StatusSeeOther)
			return nil
		}
	}
	if err := httpkit.Allow(p, action, r); err != nil {
		return err
	}
	if !httpkit.Changes(r) {
		p = s.sharedReads(r.Context(), p) // a page that changes nothing reads the tables as of the latest change
	}
	return h(w, r, p)
}

// publicPage registers a page anyone may open (signing in, first run).
func (s *Server) publicPage(pattern string, h func(w http.ResponseWriter, r *http.Request) error) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.pageError(w, r, err)
		}
	})
}

// pageError writes err as a page: to sign in when nobody is, else the
// error page with the mapped status.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	httpkit.LogIfInternal(s.log, r, err)
	code := assay.ErrorCode(err)
	if code == assay.EUNAUTHORIZED {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(safeNext(r.URL.RequestURI())), http.StatusSeeOther)
		return
	}
	status := httpkit.StatusOf(code)
	title := http.StatusText(status)
	s.render(w, r, status, "error", pageData{Title: title, Data: errorPage{Status: status, Title: title, Message: assay.ErrorMessage(err)}})
}

// errorPage is the error page's data.
type errorPage struct {
	Status  int
	Title   string
	Message string
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, value string, maxAge int) {
	httpkit.SetSessionCookie(w, r, s.cfg.SecureCookies, value, maxAge)
}
