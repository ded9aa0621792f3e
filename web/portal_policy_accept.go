package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay/httpkit"
)

// POST /portal/policies/{vid}/accept: the signed-in person accepts, for
// themself.
func (s *Server) portalAcceptForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	vid, err := portalVersionID(r)
	if err == nil {
		_, err = s.app.AcceptPolicyVersion(r.Context(), p.App(), vid)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/portal/policies/%d?flash=accepted", vid), http.StatusSeeOther)
	return nil
}
