package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) deleteAccessReviewForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Access review")
	if err == nil {
		err = s.app.DeleteAccessReview(r.Context(), p.App(), id)
	}
	if err != nil {
		return s.accessPageFail(w, r, p, err)
	}
	http.Redirect(w, r, "/access-reviews?flash=deleted", http.StatusSeeOther)
	return nil
}
