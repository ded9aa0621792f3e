package web

import (
	"net/http"

	"github.com/assay-platform/assay"
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
