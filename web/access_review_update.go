package web

import (
	"fmt"
	"net/http"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) updateAccessReviewForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Access review")
	var n assay.NewAccessReview
	if err == nil {
		n, err = input.AccessReviewForm(r.Context(), p.Org, r.PostFormValue)
	}
	if err == nil {
		_, err = s.app.UpdateAccessReview(r.Context(), p.App(), id, n)
	}
	if err != nil {
		return s.accessPageFail(w, r, p, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/access-reviews/%d?flash=updated", id), http.StatusSeeOther)
	return nil
}
