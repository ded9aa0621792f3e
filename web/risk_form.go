package web

import (
	"net/http"
	"strings"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func riskBodyFromForm(r *http.Request) input.RiskBody {
	return input.RiskBody{Category: r.PostFormValue("category"), Title: r.PostFormValue("title"), Description: r.PostFormValue("description"),
		OwnerID: registerFormID(r, "owner_id"), Likelihood: registerFormInt(r, "likelihood"), Impact: registerFormInt(r, "impact"),
		ResidualLikelihood: registerFormInt(r, "residual_likelihood"), ResidualImpact: registerFormInt(r, "residual_impact"),
		Treatment: r.PostFormValue("treatment"), ApproverID: registerFormID(r, "approver_id"), AcceptExpires: r.PostFormValue("accept_expires"),
		Controls: strings.Fields(strings.ReplaceAll(r.PostFormValue("controls"), ",", " ")), ReviewDate: r.PostFormValue("review_date"),
		Status: r.PostFormValue("status")}
}

// afterRisksForm redirects on success or shows the list again with the error.
func (s *Server) afterRisksForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal, err error, to string) error {
	if err == nil {
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	}
	return reshow(err, func(status int, msg string) error {
		return s.showRisks(w, r, p, status, msg, r.PostForm)
	})
}
