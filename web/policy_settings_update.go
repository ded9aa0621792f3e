package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) policySettingsForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	id, err := input.PathID(r, "Policy")
	if err != nil {
		return err
	}
	title := r.PostFormValue("title")
	scope := scopeFromForm(r)
	patch := assay.PolicyPatch{Title: &title, AppliesTo: &scope}
	owner, err1 := strconv.ParseInt(r.PostFormValue("owner_id"), 10, 64)
	months, err2 := strconv.Atoi(r.PostFormValue("review_months"))
	switch {
	case err1 != nil:
		err = assay.Invalid("owner_id", "Choose an owner from the list.")
	case err2 != nil:
		err = assay.Invalid("review_months", "The review cadence is a whole number of months.")
	default:
		patch.OwnerID, patch.ReviewMonths = &owner, &months
		_, err = s.app.UpdatePolicy(r.Context(), p.App(), id, patch)
	}
	if err != nil {
		return s.formPolicyError(w, r, p, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/policies/%d?flash=settings", id), http.StatusSeeOther)
	return nil
}
