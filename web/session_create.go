package web

import (
	"net"
	"net/http"
	"strings"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/httpkit"
)

// loginData is the sign-in page's data.
type loginData struct {
	Next  string // where to go once signed in
	Email string // as typed
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	if p := httpkit.PrincipalFrom(r.Context()); p != nil && p.Session != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, "login", pageData{Title: "Sign in", Data: loginData{Next: safeNext(r.URL.Query().Get("next"))}})
	return nil
}

// login checks the password and starts a session. The answer for a wrong
// email and for a wrong password is the same, and takes the same time.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	fail := func(msg string) {
		s.render(w, r, http.StatusUnauthorized, "login", pageData{Title: "Sign in", Error: msg,
			Data: loginData{Next: next, Email: email}})
	}
	if email == "" || password == "" {
		fail("Enter your email and password.")
		return nil
	}
	client := clientAddr(r)
	if !s.logins.allowed("email:"+email, "addr:"+client) {
		s.log.Warn("sign-in throttled", "addr", client)
		s.render(w, r, http.StatusTooManyRequests, "login", pageData{Title: "Sign in",
			Error: "Too many failed attempts. Wait 15 minutes and try again.", Data: loginData{Next: next, Email: email}})
		return nil
	}
	u, hash, err := s.store.UserByEmail(r.Context(), email)
	if err != nil {
		if assay.ErrorCode(err) != assay.ENOTFOUND {
			return err
		}
		auth.BurnTime(password)
		s.logins.fail("email:"+email, "addr:"+client)
		fail("Email or password is wrong.")
		return nil
	}
	if err := auth.CheckPassword(password, hash); err != nil {
		if err != auth.ErrMismatch {
			s.log.Error("password check failed", "user_id", u.ID, "err", err)
		}
		s.logins.fail("email:"+email, "addr:"+client)
		s.log.Info("sign-in failed", "user_id", u.ID, "addr", client)
		fail("Email or password is wrong.")
		return nil
	}
	if u.Disabled {
		fail("This account is disabled; ask an admin.")
		return nil
	}
	if u.AccessExpired(s.clock.Now()) {
		fail("This auditor access has expired; ask an admin to extend it.")
		return nil
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	s.logins.reset("email:" + email)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u assay.User) error {
	secret := auth.NewToken(auth.PrefixSession)
	now := s.clock.Now()
	sess := assay.Session{UserID: u.ID, OrgID: u.OrgID, CSRFToken: auth.NewToken(""), CreatedAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL)}
	if err := s.store.CreateSession(r.Context(), auth.HashToken(secret), sess); err != nil {
		return err
	}
	if err := s.store.Org(u.OrgID).RecordLogin(r.Context(), u.ID, "web"); err != nil {
		return err
	}
	s.setSessionCookie(w, r, secret, int(s.cfg.SessionTTL.Seconds()))
	return nil
}

// clientAddr is the connection's address without the port. (Behind a
// proxy every client shares the proxy's address; the per-email limit
// still applies.)
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
