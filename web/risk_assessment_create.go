package web

import (
	"net/http"

	"github.com/assay-platform/assay/httpkit"
	"github.com/assay-platform/assay/input"
)

func (s *Server) createAssessmentForm(w http.ResponseWriter, r *http.Request, p *httpkit.Principal) error {
	a, err := input.AssessmentBody{Date: r.PostFormValue("date"), Summary: r.PostFormValue("summary"), ApproverID: registerFormID(r, "approver_id")}.Assessment()
	if err == nil {
		_, err = s.app.CreateRiskAssessment(r.Context(), p.App(), a)
	}
	return s.afterRisksForm(w, r, p, err, "/risks?flash=assessment-saved#assessments")
}
