package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) submitRequestForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Evidence request")
	if err != nil {
		return err
	}
	var ids []int64
	for _, v := range r.PostForm["evidence_ids"] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return s.showRequest(w, r, p, http.StatusBadRequest, "Choose evidence from the list.")
		}
		ids = append(ids, n)
	}
	if _, err := s.app.SubmitEvidenceRequest(r.Context(), p.App(), id, ids, r.PostForm.Get("response")); err != nil {
		return reshow(err, func(status int, msg string) error {
			return s.showRequest(w, r, p, status, msg)
		})
	}
	http.Redirect(w, r, fmt.Sprintf("/evidence-requests/%d?flash=request-submitted", id), http.StatusSeeOther)
	return nil
}
