package web

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
)

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
	secret, _, err := s.app.IssueAPIToken(r.Context(), p.App(), app.NewAPIToken{UserID: userID, Name: r.PostFormValue("name"),
		Scope: r.PostFormValue("scope"), Expires: r.PostFormValue("expires")})
	if err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showTokens(w, r, p, status, msg, "")
		})
	}
	return s.showTokens(w, r, p, http.StatusCreated, "", secret)
}
