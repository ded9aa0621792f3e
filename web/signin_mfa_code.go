package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/httpkit"
)

// pendingSignInTTL is how long a browser has, after its password, to give
// or set up its second factor.
const pendingSignInTTL = 15 * time.Minute

// mfaCodeData is the second-factor page's data.
type mfaCodeData struct {
	CSRF     string
	Next     string
	TOTP     bool // a code from an authenticator works
	Passkeys bool // a passkey works
}

// startPendingSignIn starts a session at an MFA stage: it signs nobody in,
// and only the page of its stage (path) reads it.
func (s *Server) startPendingSignIn(w http.ResponseWriter, r *http.Request, u assay.User, stage, path, next string) error {
	secret := auth.NewToken(auth.PrefixSession)
	now := s.clock.Now()
	sess := assay.Session{UserID: u.ID, OrgID: u.OrgID, CSRFToken: auth.NewToken(""), CreatedAt: now, ExpiresAt: now.Add(pendingSignInTTL), MFAStage: stage}
	if err := s.store.CreateSession(r.Context(), auth.HashToken(secret), sess); err != nil {
		return err
	}
	s.setSessionCookie(w, r, secret, int(pendingSignInTTL.Seconds()))
	http.Redirect(w, r, path+"?next="+url.QueryEscape(next), http.StatusSeeOther)
	return nil
}

// pendingAt is the request's unfinished sign-in at stage, or nil.
func pendingAt(r *http.Request, stage string) *httpkit.PendingSignIn {
	if p := httpkit.PendingSignInFrom(r.Context()); p != nil && p.Session.MFAStage == stage {
		return p
	}
	return nil
}

// finishSignIn ends the unfinished session and starts a full one (a new
// secret: the one that only passed the password never signs anyone in),
// clearing the pair's failures.
func (s *Server) finishSignIn(w http.ResponseWriter, r *http.Request, pend *httpkit.PendingSignIn) error {
	ctx := r.Context()
	client := httpkit.ClientAddr(r)
	if err := s.store.DeleteSession(ctx, auth.HashToken(httpkit.SessionCookieValue(r))); err != nil {
		return err
	}
	if err := s.store.RecordSignInSuccess(ctx, signInPair(pend.User.Email, client)); err != nil {
		return err
	}
	return s.startSession(w, r, pend.User, client)
}

func (s *Server) mfaCodePage(w http.ResponseWriter, r *http.Request) error {
	pend := pendingAt(r, assay.SessionMFACode)
	if pend == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	f, err := s.app.SecondFactors(r.Context(), pend.User)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "mfa_code", pageData{Title: "Two-step sign-in",
		Data: mfaCodeData{CSRF: pend.Session.CSRFToken, Next: safeNext(r.URL.Query().Get("next")), TOTP: f.TOTP, Passkeys: f.Passkeys > 0}})
	return nil
}

// mfaCode checks the second factor: a current code from the authenticator
// or a recovery code (used up). A wrong one counts as a failed sign-in of
// the (email, address) pair, so guessing codes is slowed like guessing
// passwords.
func (s *Server) mfaCode(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	pend := pendingAt(r, assay.SessionMFACode)
	if pend == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	if !auth.Equal(r.PostFormValue("csrf"), pend.Session.CSRFToken) {
		return assay.Errorf(assay.EFORBIDDEN, "The form has expired; sign in again.")
	}
	ctx := r.Context()
	next := safeNext(r.PostFormValue("next"))
	u := pend.User
	client := httpkit.ClientAddr(r)
	pair := signInPair(u.Email, client)
	show := func(status int, msg string) error {
		f, err := s.app.SecondFactors(ctx, u)
		if err != nil {
			return err
		}
		s.render(w, r, status, "mfa_code", pageData{Title: "Two-step sign-in", Error: msg,
			Data: mfaCodeData{CSRF: pend.Session.CSRFToken, Next: next, TOTP: f.TOTP, Passkeys: f.Passkeys > 0}})
		return nil
	}
	st, err := s.store.SignInState(ctx, pair)
	if err != nil {
		return err
	}
	if v := s.cfg.SignInPolicy.Judge(st, s.clock.Now()); !v.Allowed() {
		s.log.Warn("two-step sign-in throttled", "user_id", u.ID, "addr", client, "wait", v.Wait)
		if first, err := s.store.NoteSignInThrottled(ctx, pair); err != nil {
			return err
		} else if first {
			if err := s.store.Org(u.OrgID).RecordSecurityEvent(ctx, assay.SecurityEvent{Action: assay.EventSignInThrottled,
				UserID: u.ID, Via: "web", Addr: client, Detail: "wait " + waitWords(v.Wait)}); err != nil {
				return err
			}
		}
		w.Header().Set("Retry-After", strconv.Itoa(int(v.Wait.Seconds()+0.999)))
		return show(http.StatusTooManyRequests, "Too many failed sign-ins for this email from your address. Try again in "+waitWords(v.Wait)+".")
	}
	got, err := s.app.VerifySecondFactor(ctx, u, "web", r.PostFormValue("code"))
	if err != nil {
		return err
	}
	if got == app.SecondFactorWrong {
		if _, err := s.store.RecordSignInFailure(ctx, pair, s.cfg.SignInPolicy.Forget); err != nil {
			return err
		}
		if err := s.store.Org(u.OrgID).RecordSecurityEvent(ctx, assay.SecurityEvent{Action: assay.EventMFAFailed, UserID: u.ID, Via: "web", Addr: client}); err != nil {
			return err
		}
		s.log.Info("two-step sign-in failed", "user_id", u.ID, "addr", client)
		return show(http.StatusUnauthorized, "That code is not right. Enter the six digits your authenticator shows now, or one of your recovery codes.")
	}
	if err := s.finishSignIn(w, r, pend); err != nil {
		return err
	}
	if got == app.SecondFactorRecovery {
		next = "/account?done=recovery"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}
