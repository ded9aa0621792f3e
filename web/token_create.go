package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
	"github.com/assay-platform/assay/httpkit"
)

func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	return s.showTokens(w, r, p, http.StatusOK, "", "")
}

// tokensData is the API tokens page's data.
type tokensData struct {
	Tokens []assay.APIToken
	Users  []assay.User
	Names  map[int64]string // user names by id
	Secret string           // a token just created, shown once
	Me     int64
}

func (s *Server) showTokens(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, status int, errMsg, secret string) error {
	tokens, err := s.app.APITokens(r.Context(), p.App(), 0)
	if err != nil {
		return err
	}
	users, err := s.app.Users(r.Context(), p.App())
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, u := range users {
		names[u.ID] = u.Name
	}
	s.render(w, r, status, "tokens", pageData{Title: "API tokens", Nav: "tokens", Error: errMsg, Data: tokensData{
		Tokens: tokens, Users: users, Names: names, Secret: secret, Me: p.User.ID,
	}})
	return nil
}

// createTokenForm creates a token and shows its secret once.
func (s *Server) createTokenForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	userID := p.User.ID
	if v := r.PostFormValue("user_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return s.showTokens(w, r, p, http.StatusBadRequest, "Choose a user from the list.", "")
		}
		userID = id
	}
	t := assay.APIToken{UserID: userID, Name: r.PostFormValue("name")}
	if days := r.PostFormValue("expires_days"); days != "" && days != "0" {
		n, err := strconv.Atoi(days)
		if err != nil || n < 1 || n > 3650 {
			return s.showTokens(w, r, p, http.StatusBadRequest, "Expiry must be between 1 and 3650 days, or never.", "")
		}
		exp := s.clock.Now().Add(time.Duration(n) * 24 * time.Hour)
		t.ExpiresAt = &exp
	}
	secret, t, err := s.issueToken(r, p, t)
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showTokens(w, r, p, status, msg, "")
		})
	}
	return s.showTokens(w, r, p, http.StatusCreated, "", secret)
}

func (s *Server) issueToken(r *http.Request, p *httpkit.Principal, t assay.APIToken) (string, assay.APIToken, error) {
	secret := auth.NewToken(auth.PrefixAPIToken)
	t.Prefix = secret[:len(auth.PrefixAPIToken)+4]
	t, err := p.Org.CreateAPIToken(r.Context(), p.Actor(), t, auth.HashToken(secret))
	return secret, t, err
}

func (s *Server) revokeTokenForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return assay.Errorf(assay.ENOTFOUND, "API token not found.")
	}
	if err := s.app.RevokeAPIToken(r.Context(), p.App(), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/settings/tokens?flash=token-revoked", http.StatusSeeOther)
	return nil
}
