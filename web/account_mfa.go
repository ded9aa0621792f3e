package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// accountMFAStart shows a new authenticator secret to set up from the
// account page.
func (s *Server) accountMFAStart(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	e, err := s.app.BeginMFAEnrolment(r.Context(), p.App())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "mfa_setup", pageData{Title: "Set up two-step sign-in", Nav: "account",
		Data: mfaSetupFor(e, p.Session.CSRFToken, "/account/mfa/confirm", "/account", p.User.Email, false)})
	return nil
}

// accountMFAConfirm turns two-step sign-in on with a current code and
// shows the recovery codes, once.
func (s *Server) accountMFAConfirm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	token := r.PostFormValue("token")
	codes, err := s.app.ConfirmMFAEnrolment(r.Context(), p.App(), token, r.PostFormValue("code"))
	if err != nil {
		if errField(err) != "code" {
			return err
		}
		e, rerr := s.app.ReopenMFAEnrolment(r.Context(), p.App(), token)
		if rerr != nil {
			return rerr
		}
		s.render(w, r, http.StatusBadRequest, "mfa_setup", pageData{Title: "Set up two-step sign-in", Nav: "account", Error: assay.ErrorMessage(err),
			Data: mfaSetupFor(e, p.Session.CSRFToken, "/account/mfa/confirm", "/account", p.User.Email, false)})
		return nil
	}
	s.render(w, r, http.StatusOK, "mfa_codes", pageData{Title: "Your recovery codes", Nav: "account", Data: mfaCodesData{Codes: codes, Continue: "/account"}})
	return nil
}

// accountMFADisable turns two-step sign-in off; a current code or the
// password is required, and a wrong password is throttled like signing in.
func (s *Server) accountMFADisable(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	ctx := r.Context()
	code, password := r.PostFormValue("code"), r.PostFormValue("password")
	pair := signInPair(p.User.Email, httpkit.ClientAddr(r))
	st, err := s.store.SignInState(ctx, pair)
	if err != nil {
		return err
	}
	if v := s.cfg.SignInPolicy.Judge(st, s.clock.Now()); !v.Allowed() {
		return s.showAccount(w, r, p, http.StatusTooManyRequests, "",
			"Too many wrong passwords or codes from your address. Try again in "+waitWords(v.Wait)+".")
	}
	if err := s.app.DisableOwnMFA(ctx, p.App(), code, password); err != nil {
		if assay.ErrorCode(err) != assay.EINVALID && assay.ErrorCode(err) != assay.EFORBIDDEN {
			return err
		}
		if f := errField(err); f == "code" && code != "" || f == "password" {
			if _, err := s.store.RecordSignInFailure(ctx, pair, s.cfg.SignInPolicy.Forget); err != nil {
				return err
			}
		}
		status := http.StatusBadRequest
		if assay.ErrorCode(err) == assay.EFORBIDDEN {
			status = http.StatusForbidden
		}
		return s.showAccount(w, r, p, status, "", assay.ErrorMessage(err))
	}
	http.Redirect(w, r, "/account?done=mfa_off", http.StatusSeeOther)
	return nil
}
