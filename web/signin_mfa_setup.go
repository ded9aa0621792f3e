package web

import (
	"html/template"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/httpkit"
)

// mfaSetupData is the page that sets up an authenticator, at sign-in (the
// policy requires it) or from the account page.
type mfaSetupData struct {
	CSRF    string
	Action  string // where the confirming form posts
	Next    string
	Forced  bool // at sign-in, required by the organisation's policy
	Secret  string
	URI     template.URL // the otpauth: link made here
	QR      template.URL // a PNG data: URL made here, never user input
	Token   string
	Cancel  string
	Account string // the user's email, as the authenticator will name it
}

// mfaCodesData shows the recovery codes, once.
type mfaCodesData struct {
	Codes    []string
	Continue string
}

func mfaSetupFor(e app.MFAEnrolment, csrf, action, next, email string, forced bool) mfaSetupData {
	d := mfaSetupData{CSRF: csrf, Action: action, Next: next, Forced: forced, Secret: e.Secret, URI: template.URL(e.URI),
		QR: template.URL(e.QR), Token: e.Token, Account: email, Cancel: "/account"}
	if forced {
		d.Cancel = ""
	}
	return d
}

func pendingPrincipal(s *Server, pend *httpkit.PendingSignIn) app.Principal {
	return app.Principal{User: pend.User, Org: s.store.Org(pend.User.OrgID), Via: "web"}
}

// mfaSetupPage is where a user the policy requires to have MFA sets it up
// after their password, before anything else.
func (s *Server) mfaSetupPage(w http.ResponseWriter, r *http.Request) error {
	pend := pendingAt(r, assay.SessionMFAEnrol)
	if pend == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	e, err := s.app.BeginMFAEnrolment(r.Context(), pendingPrincipal(s, pend))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "mfa_setup", pageData{Title: "Set up two-step sign-in",
		Data: mfaSetupFor(e, pend.Session.CSRFToken, "/login/mfa/setup", safeNext(r.URL.Query().Get("next")), pend.User.Email, true)})
	return nil
}

// mfaSetup confirms the authenticator set up at sign-in, finishes the
// sign-in and shows the recovery codes.
func (s *Server) mfaSetup(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	pend := pendingAt(r, assay.SessionMFAEnrol)
	if pend == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	if !auth.Equal(r.PostFormValue("csrf"), pend.Session.CSRFToken) {
		return assay.Errorf(assay.EFORBIDDEN, "The form has expired; sign in again.")
	}
	p := pendingPrincipal(s, pend)
	next := safeNext(r.PostFormValue("next"))
	token := r.PostFormValue("token")
	codes, err := s.app.ConfirmMFAEnrolment(r.Context(), p, token, r.PostFormValue("code"))
	if err != nil {
		if errField(err) != "code" {
			return err
		}
		e, rerr := s.app.ReopenMFAEnrolment(r.Context(), p, token)
		if rerr != nil {
			return rerr
		}
		s.render(w, r, http.StatusBadRequest, "mfa_setup", pageData{Title: "Set up two-step sign-in", Error: assay.ErrorMessage(err),
			Data: mfaSetupFor(e, pend.Session.CSRFToken, "/login/mfa/setup", next, pend.User.Email, true)})
		return nil
	}
	if err := s.finishSignIn(w, r, pend); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "mfa_codes", pageData{Title: "Your recovery codes", Data: mfaCodesData{Codes: codes, Continue: next}})
	return nil
}
