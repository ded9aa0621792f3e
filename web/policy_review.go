package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) policyReviewForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Policy")
	if err == nil {
		_, err = s.app.ReviewPolicy(r.Context(), p.App(), id)
	}
	if err != nil {
		return s.formPolicyError(w, r, p, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/policies/%d?flash=reviewed", id), http.StatusSeeOther)
	return nil
}
