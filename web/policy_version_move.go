package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) policyMoveForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Policy")
	if err != nil {
		return err
	}
	vid, err := strconv.ParseInt(r.PathValue("vid"), 10, 64)
	if err != nil {
		return assay.Errorf(assay.ENOTFOUND, "Policy version not found.")
	}
	if _, err := s.app.MovePolicyVersion(r.Context(), p.App(), id, vid, assay.PolicyStatus(r.PostFormValue("to"))); err != nil {
		return s.formPolicyError(w, r, p, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/policies/%d?flash=moved", id), http.StatusSeeOther)
	return nil
}
