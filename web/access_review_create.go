package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) createAccessReviewForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	n, err := input.AccessReviewForm(r.Context(), p.Org, r.PostFormValue)
	if err == nil {
		var rv assay.AccessReview
		if rv, err = s.app.OpenAccessReview(r.Context(), p.App(), n); err == nil {
			http.Redirect(w, r, fmt.Sprintf("/access-reviews/%d?flash=created", rv.ID), http.StatusSeeOther)
			return nil
		}
	}
	return reshow(err, func(status int, msg string) error {
		return s.showAccessReviews(w, r, p, status, msg, r.PostForm)
	})
}
