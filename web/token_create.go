package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/auth"
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
