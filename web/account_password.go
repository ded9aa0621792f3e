package web

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

// changeOwnPassword changes the signed-in user's password: the current
// one is required (and guessing it is throttled like signing in), the
// password policy applies, every session ends and this browser gets a
// new one.
func (s *Server) changeOwnPassword(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	ctx := r.Context()
	current, next, confirm := r.PostFormValue("current"), r.PostFormValue("password"), r.PostFormValue("confirm")
	client := httpkit.ClientAddr(r)
	pair := signInPair(p.User.Email, client)
	st, err := s.store.SignInState(ctx, pair)
	if err != nil {
		return err
	}
	if v := s.cfg.SignInPolicy.Judge(st, s.clock.Now()); !v.Allowed() {
		return s.showAccount(w, r, p, http.StatusTooManyRequests, "",
			"Too many wrong passwords from your address. Try again in "+waitWords(v.Wait)+".")
	}
	if next != confirm {
		return s.showAccount(w, r, p, http.StatusBadRequest, "", "The new password and its confirmation differ.")
	}
	if err := s.app.ChangeOwnPassword(ctx, p.App(), current, next); err != nil {
		if assay.ErrorCode(err) != assay.EINVALID {
			return err
		}
		if errField(err) == "current" && current != "" {
			if _, err := s.store.RecordSignInFailure(ctx, pair, s.cfg.SignInPolicy.Forget); err != nil {
				return err
			}
		}
		return s.showAccount(w, r, p, http.StatusBadRequest, "", assay.ErrorMessage(err))
	}
	// Every session ended with the old password; this browser goes on in
	// a new one.
	if err := s.startSession(w, r, p.User, client); err != nil {
		return err
	}
	http.Redirect(w, r, "/account?done=password", http.StatusSeeOther)
	return nil
}

// endOwnSession ends one of the user's sessions; ending this one signs
// the browser out.
func (s *Server) endOwnSession(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id := r.PathValue("id")
	if err := s.app.EndOwnSession(r.Context(), p.App(), id); err != nil {
		return err
	}
	if id == currentSessionID(r) {
		s.setSessionCookie(w, r, "", -1)
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/account?done=session", http.StatusSeeOther)
	return nil
}

// revokeOwnToken revokes one of the user's own API tokens.
func (s *Server) revokeOwnToken(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return assay.Errorf(assay.ENOTFOUND, "API token not found.")
	}
	if err := s.app.RevokeOwnAPIToken(r.Context(), p.App(), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/account?done=token", http.StatusSeeOther)
	return nil
}
