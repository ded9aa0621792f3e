package web

import (
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
)

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
