package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/httpkit"
)

// The second factor with a passkey (passkey.js): the options for
// navigator.credentials.get, then the browser's answer. A passkey that
// does not prove the user counts as a failed sign-in, like a wrong code.

func (s *Server) pendingForPasskey(w http.ResponseWriter, r *http.Request) *httpkit.PendingSignIn {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	pend := pendingAt(r, assay.SessionMFACode)
	if pend == nil {
		httpkit.WriteError(w, r, s.log, assay.Errorf(assay.EUNAUTHORIZED, "Sign in again."))
		return nil
	}
	if !auth.Equal(r.PostFormValue("csrf"), pend.Session.CSRFToken) {
		httpkit.WriteError(w, r, s.log, assay.Errorf(assay.EFORBIDDEN, "The form has expired; sign in again."))
		return nil
	}
	return pend
}

func (s *Server) mfaPasskeyOptions(w http.ResponseWriter, r *http.Request) error {
	pend := s.pendingForPasskey(w, r)
	if pend == nil {
		return nil
	}
	c, err := s.app.BeginPasskeySignIn(r.Context(), pend.User, s.requestOrigin(r), currentSessionID(r))
	if err != nil {
		httpkit.WriteError(w, r, s.log, err)
		return nil
	}
	httpkit.WriteJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) mfaPasskey(w http.ResponseWriter, r *http.Request) error {
	pend := s.pendingForPasskey(w, r)
	if pend == nil {
		return nil
	}
	ctx := r.Context()
	u := pend.User
	client := httpkit.ClientAddr(r)
	pair := signInPair(u.Email, client)
	st, err := s.store.SignInState(ctx, pair)
	if err != nil {
		return err
	}
	if v := s.cfg.SignInPolicy.Judge(st, s.clock.Now()); !v.Allowed() {
		httpkit.WriteError(w, r, s.log, assay.Errorf(assay.EUNAUTHORIZED, "Too many failed sign-ins for this email from your address. Try again in %s.", waitWords(v.Wait)))
		return nil
	}
	ok, err := s.app.FinishPasskeySignIn(ctx, u, s.requestOrigin(r), currentSessionID(r), r.PostFormValue("token"), []byte(r.PostFormValue("credential")))
	if err != nil {
		return err
	}
	if !ok {
		if _, err := s.store.RecordSignInFailure(ctx, pair, s.cfg.SignInPolicy.Forget); err != nil {
			return err
		}
		if err := s.store.Org(u.OrgID).RecordSecurityEvent(ctx, assay.SecurityEvent{Action: assay.EventMFAFailed, UserID: u.ID, Via: "web", Addr: client}); err != nil {
			return err
		}
		httpkit.WriteError(w, r, s.log, assay.Errorf(assay.EUNAUTHORIZED, "The passkey did not prove it is you."))
		return nil
	}
	if err := s.finishSignIn(w, r, pend); err != nil {
		return err
	}
	httpkit.WriteJSON(w, http.StatusOK, map[string]string{"next": safeNext(r.PostFormValue("next"))})
	return nil
}
