package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/assay-platform/assay"
	"github.com/assay-platform/assay/app"
	"github.com/assay-platform/assay/httpkit"
)

// app.PolicyAdoption is how a policy is adopted, from the form or the API.

func (s *Server) adoptPolicyForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	req := app.PolicyAdoption{TemplateID: r.PostFormValue("template_id")}
	var err error
	if v := r.PostFormValue("owner_id"); v != "" {
		if req.OwnerID, err = strconv.ParseInt(v, 10, 64); err != nil {
			err = assay.Invalid("owner_id", "Choose an owner from the list.")
		}
	}
	if v := r.PostFormValue("review_months"); err == nil && v != "" {
		if req.ReviewMonths, err = strconv.Atoi(v); err != nil {
			err = assay.Invalid("review_months", "The review cadence is a whole number of months.")
		}
	}
	if err == nil {
		req.AppliesTo = scopeFromForm(r)
		var pol assay.Policy
		if pol, err = s.app.AdoptPolicy(r.Context(), p.App(), req); err == nil {
			http.Redirect(w, r, fmt.Sprintf("/policies/%d?flash=adopted", pol.ID), http.StatusSeeOther)
			return nil
		}
	}
	return reshow(err, func(status int, msg string) error {
		return s.showPolicyTemplates(w, r, p, status, msg, r.PostForm)
	})
}
