package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) completeAccessReviewForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Access review")
	if err == nil {
		_, err = s.app.CompleteAccessReview(r.Context(), p.App(), id)
	}
	if err != nil {
		return s.accessPageFail(w, r, p, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/access-reviews/%d?flash=completed", id), http.StatusSeeOther)
	return nil
}
