package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
)

// rotateSCIMTokenForm makes a new SCIM token (the old one stops at once)
// and shows its secret once.
func (s *Server) rotateSCIMTokenForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	secret, _, err := s.app.RotateSCIMToken(r.Context(), p.App())
	if err != nil {
		return err
	}
	return s.showSCIM(w, r, p, http.StatusCreated, "", "", secret)
}
