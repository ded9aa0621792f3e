package web

import (
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/httpkit"
)

// accountData is the account page's data: the user's own sessions and API
// tokens, and the password form.
type accountData struct {
	Sessions []assay.SessionInfo
	Current  string // the ID of the session this page was opened in
	Tokens   []assay.APIToken
	MinLen   int
	MFA      assay.MFAState // without its secret
	Passkeys []assay.Passkey
	// MFARequired: the organisation's policy requires the user's role to
	// have MFA, so it cannot be turned off.
	MFARequired bool
}

// accountDone are the confirmations a redirect back to the page may show.
var accountDone = map[string]string{
	"password":        "Your password is changed. Every other session has ended; this one goes on.",
	"session":         "The session has ended.",
	"token":           "The API token is revoked.",
	"recovery":        "You signed in with a recovery code; it is used up now. If your authenticator is lost, turn two-step sign-in off and set it up again for new codes.",
	"mfa_off":         "Two-step sign-in is off.",
	"passkey":         "Passkey added: you can use it instead of a code after your password.",
	"passkey_removed": "Passkey removed.",
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showAccount(w, r, p, http.StatusOK, accountDone[r.URL.Query().Get("done")], "")
}

func (s *Server) showAccount(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, flash, errMsg string) error {
	sessions, err := s.app.OwnSessions(r.Context(), p.App())
	if err != nil {
		return err
	}
	tokens, err := s.app.OwnAPITokens(r.Context(), p.App())
	if err != nil {
		return err
	}
	mfa, err := s.app.OwnMFA(r.Context(), p.App())
	if err != nil {
		return err
	}
	required, _, err := s.app.MFANeeded(r.Context(), p.User)
	if err != nil {
		return err
	}
	passkeys, err := s.app.OwnPasskeys(r.Context(), p.App())
	if err != nil {
		return err
	}
	s.render(w, r, status, "account", pageData{Title: "Your account", Nav: "account", Flash: flash, Error: errMsg, Data: accountData{
		Sessions: sessions, Current: currentSessionID(r), Tokens: tokens, MinLen: assay.MinPasswordLen, MFA: mfa, MFARequired: required, Passkeys: passkeys,
	}})
	return nil
}

// currentSessionID names the session of the request's cookie as
// SessionInfo does.
func currentSessionID(r *http.Request) string {
	c := httpkit.SessionCookieValue(r)
	if c == "" {
		return ""
	}
	return auth.HashToken(c)[:assay.SessionIDLen]
}
