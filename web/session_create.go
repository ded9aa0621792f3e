package web

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/httpkit"
)

// loginData is the sign-in page's data.
type loginData struct {
	Next  string // where to go once signed in
	Email string // as typed
	// SSO lists the organisations offering single sign-on; HidePassword
	// hides the password form (every organisation is SSO-only) unless the
	// break-glass link was followed (BreakGlass).
	SSO          []assay.SSOLogin
	HidePassword bool
	BreakGlass   bool
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	if p := httpkit.PrincipalFrom(r.Context()); p != nil && p.Session != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	return s.renderLogin(w, r, http.StatusOK, "", loginData{Next: safeNext(r.URL.Query().Get("next")), BreakGlass: r.URL.Query().Get("break-glass") != ""})
}

// renderLogin shows the sign-in page with the single sign-on buttons.
func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, errMsg string, d loginData) error {
	ctx := r.Context()
	logins, err := s.app.SSOLogins(ctx)
	if err != nil {
		return err
	}
	d.SSO = logins
	if len(logins) > 0 && !d.BreakGlass {
		orgs, err := s.store.Organizations(ctx)
		if err != nil {
			return err
		}
		only := 0
		for _, l := range logins {
			if l.SSOOnly {
				only++
			}
		}
		d.HidePassword = only == len(orgs)
	}
	s.render(w, r, status, "login", pageData{Title: "Sign in", Error: errMsg, Flash: loginFlashes[r.URL.Query().Get("flash")], Data: d})
	return nil
}

// loginFlashes are the notes the sign-in page shows after a step that
// leads to it (by key, so a link cannot make the page say anything else).
var loginFlashes = map[string]string{
	"password": "Your new password is set, and every other session of your account has ended. Sign in with it.",
	"invite":   "Your password is set. Sign in with it.",
}

// login checks the password and starts a session. The answer for a wrong
// email and for a wrong password is the same, and takes the same time.
//
// Guessing is slowed per (email, client address) pair, with the state in
// the database so that every instance shares it: after a few failures the
// pair waits longer after each (assay.SignInPolicy). Nothing locks an
// account: its owner, at another address, signs in as usual. When failures
// across all pairs pass the global ceiling, only pairs that signed in
// before may try until the minute ends.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	breakGlass := r.PostFormValue("break_glass") != ""
	fail := func(msg string) {
		if err := s.renderLogin(w, r, http.StatusUnauthorized, msg, loginData{Next: next, Email: email, BreakGlass: breakGlass}); err != nil {
			s.pageError(w, r, err)
		}
	}
	if email == "" || password == "" {
		fail("Enter your email and password.")
		return nil
	}
	ctx := r.Context()
	client := httpkit.ClientAddr(r)
	pair := signInPair(email, client)
	policy := s.cfg.SignInPolicy
	st, err := s.store.SignInState(ctx, pair)
	if err != nil {
		return err
	}
	if v := policy.Judge(st, s.clock.Now()); !v.Allowed() {
		return s.loginThrottled(w, r, email, client, pair, v, next)
	}
	u, hash, err := s.store.UserByEmail(ctx, email)
	if err != nil {
		if assay.ErrorCode(err) != assay.ENOTFOUND {
			return err
		}
		auth.BurnTime(password)
		if _, err := s.store.RecordSignInFailure(ctx, pair, policy.Forget); err != nil {
			return err
		}
		s.log.Info("sign-in failed: unknown email", "addr", client)
		fail("Email or password is wrong.")
		return nil
	}
	if err := auth.CheckPassword(password, hash); err != nil {
		if err != auth.ErrMismatch {
			s.log.Error("password check failed", "user_id", u.ID, "err", err)
		}
		if _, err := s.store.RecordSignInFailure(ctx, pair, policy.Forget); err != nil {
			return err
		}
		if err := s.store.Org(u.OrgID).RecordSecurityEvent(ctx, assay.SecurityEvent{Action: assay.EventSignInFailed, UserID: u.ID, Via: "web", Addr: client}); err != nil {
			return err
		}
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
	// An SSO-only organisation refuses passwords but its break-glass
	// admin's, who still goes through the second factor below.
	if err := s.app.PasswordAllowed(ctx, u); err != nil {
		if assay.ErrorCode(err) != assay.EFORBIDDEN {
			return err
		}
		s.log.Info("password sign-in refused: single sign-on only", "user_id", u.ID, "addr", client)
		fail(assay.ErrorMessage(err))
		return nil
	}
	// A user with a second factor is asked for it; one the policy requires
	// to have one and who has none sets it up first. Either way the pair's
	// failures are cleared only once the sign-in is complete.
	required, enabled, err := s.app.MFANeeded(ctx, u)
	if err != nil {
		return err
	}
	switch {
	case enabled:
		return s.startPendingSignIn(w, r, u, assay.SessionMFACode, "/login/mfa", next)
	case required:
		return s.startPendingSignIn(w, r, u, assay.SessionMFAEnrol, "/login/mfa/setup", next)
	}
	if err := s.store.RecordSignInSuccess(ctx, pair); err != nil {
		return err
	}
	if err := s.startSession(w, r, u, client); err != nil {
		return err
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// loginThrottled refuses an attempt before its password is checked, saying
// how long to wait, and records it in the trail of the account it names
// (once after each failure of the pair, not at every refused try: a flood
// of refused tries must not flood the ledger).
func (s *Server) loginThrottled(w http.ResponseWriter, r *http.Request, email, client, pair string, v assay.SignInVerdict, next string) error {
	ctx := r.Context()
	wait := waitWords(v.Wait)
	detail := "wait " + wait
	msg := "Too many failed sign-ins for this email from your address. Try again in " + wait + "."
	if v.Global {
		detail = "too many failed sign-ins on this server in the last minute"
		msg = "Too many failed sign-ins on this server just now. Try again in " + wait + "."
	}
	s.log.Warn("sign-in throttled", "addr", client, "wait", v.Wait, "global", v.Global)
	if first, err := s.store.NoteSignInThrottled(ctx, pair); err != nil {
		return err
	} else if first {
		if u, _, err := s.store.UserByEmail(ctx, email); err == nil {
			if err := s.store.Org(u.OrgID).RecordSecurityEvent(ctx, assay.SecurityEvent{Action: assay.EventSignInThrottled,
				UserID: u.ID, Via: "web", Addr: client, Detail: detail}); err != nil {
				return err
			}
		} else if assay.ErrorCode(err) != assay.ENOTFOUND {
			return err
		}
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(v.Wait.Seconds()))))
	return s.renderLogin(w, r, http.StatusTooManyRequests, msg, loginData{Next: next, Email: email, BreakGlass: r.PostFormValue("break_glass") != ""})
}

// waitWords says a wait in whole seconds or minutes, rounded up.
func waitWords(d time.Duration) string {
	secs := int(math.Ceil(d.Seconds()))
	switch {
	case secs <= 1:
		return "1 second"
	case secs < 120:
		return strconv.Itoa(secs) + " seconds"
	default:
		return strconv.Itoa((secs+59)/60) + " minutes"
	}
}

// signInPair names an (email, client address) pair by a hash, so the
// throttle's table holds neither.
func signInPair(email, client string) string {
	sum := sha256.Sum256([]byte(email + "\x00" + client))
	return hex.EncodeToString(sum[:])
}

func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u assay.User, client string) error {
	secret := auth.NewToken(auth.PrefixSession)
	now := s.clock.Now()
	sess := assay.Session{UserID: u.ID, OrgID: u.OrgID, CSRFToken: auth.NewToken(""), CreatedAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL)}
	if err := s.store.CreateSession(r.Context(), auth.HashToken(secret), sess); err != nil {
		return err
	}
	if err := s.store.Org(u.OrgID).RecordSecurityEvent(r.Context(), assay.SecurityEvent{Action: assay.EventSignIn, UserID: u.ID, Via: "web", Addr: client}); err != nil {
		return err
	}
	s.setSessionCookie(w, r, secret, int(s.cfg.SessionTTL.Seconds()))
	return nil
}
